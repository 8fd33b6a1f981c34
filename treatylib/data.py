"""Loaders: one function per table, typed by ``datapackage.json``.

Tables are read and checked once per process (the whole package at a time, so
foreign keys are checked too); every call hands back a fresh copy, so changing a
returned frame never changes what the next call returns.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import pandas as pd

from .schema import read_package, validate_folder, validate_merged

__all__ = [
    "as_of",
    "data_dir",
    "load_articles",
    "load_claims",
    "load_events",
    "load_glossary",
    "load_parties",
    "load_people",
    "load_provisions",
    "load_quiz_choices",
    "load_quiz_questions",
    "load_scholarly_codes",
    "load_sources",
    "load_treaties",
    "use_data",
    "validate",
]

DateLike = str | int | _dt.date | pd.Timestamp
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$", re.ASCII)


def data_dir() -> Path:
    """The folder holding ``datapackage.json``.

    An installed wheel carries the data inside the package (``treatylib/_data``);
    a checkout or an editable install reads the repository's ``data/`` folder.
    """
    packaged = Path(str(resources.files("treatylib").joinpath("_data")))
    if (packaged / "datapackage.json").is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "data"
    if (checkout / "datapackage.json").is_file():
        return checkout
    raise FileNotFoundError(
        f"treatylib's data package was not found in {packaged} or {checkout}; reinstall treatylib"
    )


class _State:
    """The tables in use, and the listeners to tell when they change."""

    tables: dict[str, pd.DataFrame] | None = None
    meta: dict | None = None
    listeners: list = []


def _load(extra: Path | None) -> tuple[dict[str, pd.DataFrame], dict]:
    """Read and check ours, plus a teacher's folder; raises DataError, changes nothing."""
    if extra is None:
        return validate_folder(data_dir()), read_package(data_dir())[1]
    if (Path(extra) / "datapackage.json").is_file() or Path(extra).is_file():
        return validate_folder(extra), read_package(extra)[1]
    return validate_merged(data_dir(), extra), read_package(data_dir())[1]


def _tables() -> dict[str, pd.DataFrame]:
    if _State.tables is None:
        env = os.environ.get("TREATYLIB_DATA")
        extra = Path(env) if env else None
        _State.tables, _State.meta = _load(extra)
    return _State.tables


def _meta() -> dict:
    _tables()
    return _State.meta


def use_data(path: str | Path | None = None) -> dict[str, int]:
    """Use a teacher's data alongside ours (or, with ``None``, ours alone again).

    ``path`` is a folder holding some of our CSV files (same names, same
    columns), whose rows are added to ours; or a complete data-package folder
    (with its own ``datapackage.json``), which replaces ours. The result is
    checked as a whole first: on any problem a :class:`treatylib.DataError`
    names the file, row, column and value, and the data in use does not change.
    The environment variable ``TREATYLIB_DATA`` does the same at first load.
    Returns the number of rows of each table now in use.
    """
    extra = None if path is None else Path(path)
    tables, meta = _load(extra)
    _State.tables, _State.meta = tables, meta
    for listener in _State.listeners:
        listener()
    return {name: len(df) for name, df in tables.items()}


def as_of() -> _dt.date:
    """The date the facts in the data package were last checked.

    Anything open-ended (a treaty still in force) runs to this date, never to today.
    """
    return _dt.date.fromisoformat(_meta()["as_of"])


def validate(path: str | Path | None = None) -> dict[str, int]:
    """Check a data package against its ``datapackage.json``.

    ``path`` is a data-package folder (for example a teacher's edited copy of
    ours) or its ``datapackage.json``, or a folder of extra rows as taken by
    :func:`use_data`; by default, the data in use. Returns the number of rows of
    each table. Raises :class:`treatylib.DataError` (a ``ValueError``) naming
    file, row, column and bad value for every problem found.

    >>> validate()["treaties"] >= 1
    True
    """
    if path is None:
        tables = _tables()
    elif Path(path).is_dir() and not (Path(path) / "datapackage.json").is_file():
        tables = validate_merged(data_dir(), path)  # a teacher's folder of extra rows
    else:
        tables = validate_folder(path)
    return {name: len(df) for name, df in tables.items()}


def _table(name: str) -> pd.DataFrame:
    return _tables()[name].copy(deep=True)


def _choices(value: str | Iterable[str], valid: Iterable[str], what: str) -> list[str]:
    """Normalise a str-or-list argument and reject anything not in ``valid``."""
    chosen = [value] if isinstance(value, str) else list(value)
    valid = sorted(set(valid))
    bad = [v for v in chosen if v not in valid]
    if bad or not chosen:
        shown = ", ".join(repr(b) for b in bad) if bad else "nothing"
        raise ValueError(f"unknown {what} {shown}; valid {what}s are: {', '.join(valid)}")
    return chosen


def _by_treaty(df: pd.DataFrame, treaty_id: str | Iterable[str] | None) -> pd.DataFrame:
    if treaty_id is None:
        return df
    known = _tables()["treaties"]["treaty_id"]
    chosen = _choices(treaty_id, known, "treaty_id")
    return df[df["treaty_id"].isin(chosen)].reset_index(drop=True)


def _timestamp(value: DateLike, name: str) -> pd.Timestamp:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a bare int would be read as nanoseconds since 1970
    # Only ISO forms: "01/02/1961" would otherwise be silently read as 2 January.
    if isinstance(value, str) and not _ISO_DATE.match(value.strip()):
        ts = pd.NaT
    else:
        try:
            ts = pd.Timestamp(value)
        except (ValueError, TypeError):
            ts = pd.NaT
    if pd.isna(ts):
        raise ValueError(
            f"{name}={value!r} is not a date; use the form YYYY-MM-DD, YYYY-MM or YYYY, "
            "e.g. '1961-07-11'"
        )
    return ts


def load_treaties() -> pd.DataFrame:
    """Treaties: one row per treaty.

    Columns:
        treaty_id: stable identifier, e.g. ``china_dprk_1961``.
        name: full English name. short_name: short name for charts.
        name_zh, name_ko: names in Chinese and Korean script.
        other_names: other names in circulation, separated by ``"; "``.
        signed (date), signed_place: signature.
        signatories: who signed, and for whom.
        ratifications_exchanged (date), exchange_place: exchange of ratifications.
        in_force (date): entry into force. ended (date): end, empty while in force.
        status (category): in_force, ended, partly_in_force or disputed, at ``as_of()``.
        duration_rule: what the treaty says about its term and withdrawal.
        languages: authentic languages. articles_count: numbered articles.
        full_text_url: where to read the full text.
        note: caveats. source_id: source of the row. more_source_ids: corroborating
        sources, separated by ``"; "``. confidence (category): high/medium/low.

    >>> t = load_treaties().set_index("treaty_id")
    >>> str(t.loc["china_dprk_1961", "signed"].date())
    '1961-07-11'
    """
    return _table("treaties")


def load_parties(treaty_id: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Parties: one row per party to a treaty (optionally of the given treaties).

    Columns:
        treaty_id: the treaty. party: ISO 3166-1 alpha-3 code (SUN, DDR, CSK for
        former states). party_name: name as it signed. ccode: Correlates of War
        country code. joined (date): when it signed or acceded. ratified (date) and
        ratified_by: its ratification or approval. left (date): when it stopped being
        bound, or its obligations were suspended. left_how (category: withdrew,
        suspended, state_dissolved, lapsed). suspended_with: the parties towards
        which a suspension applies. note, source_id, more_source_ids,
        confidence (category).
    """
    return _by_treaty(_table("parties"), treaty_id)


def load_articles(treaty_id: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Articles: one row per article (0 = preamble), summarised in our own words.

    Columns:
        treaty_id, article (int, 0 = preamble), label (e.g. "Art. II"),
        topic (category), summary (own words),
        key_phrase: verbatim English phrase of at most 15 words, with
        key_phrase_source_id; key_phrase_zh: verbatim Chinese phrase, with
        key_phrase_zh_source_id; note, source_id (of the summary),
        more_source_ids, confidence (category).
    """
    return _by_treaty(_table("articles"), treaty_id)


def load_provisions(treaty_id: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Provisions: one row per coded obligation, in the ATOP/COW vocabulary.

    Columns:
        treaty_id, provision (category: defense, offense, neutrality,
        non_aggression, consultation, no_hostile_alliance, economic_cooperation,
        cultural_cooperation), article (nullable int), label (the article label
        where the number alone is ambiguous, e.g. "Art. IV(1)"),
        commitment (ordered category: none < consultation_only < constitutional <
        discretionary < mixed < automatic; empty where no response is owed),
        obliged ("all" or a party code), scope, adversary (in words),
        adversary_codes (party codes the clause is limited to, separated by
        ``"; "``), adversary_allies (boolean: states allied with them count too),
        note, source_id, more_source_ids, confidence (category).
    """
    return _by_treaty(_table("provisions"), treaty_id)


def load_events(
    start: DateLike | None = None,
    end: DateLike | None = None,
    categories: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Events: one row per dated event, oldest first, optionally filtered.

    ``start`` and ``end`` (inclusive) take dates or strings such as ``"1961"``
    or ``"1961-07-11"``; a year as ``end`` means the end of that year.
    ``categories`` is one category or a list of them.

    Columns:
        event_id, date (date; first of the month or year when less is known),
        date_precision (category: day/month/year), end_date (date, for spans),
        title, description (own words), category (category: war, politics,
        diplomacy, treaty, anniversary, nuclear), treaty_id (nullable), note,
        source_id, more_source_ids, confidence (category).
    """
    df = _table("events")
    lo = None if start is None else _timestamp(start, "start")
    hi = None if end is None else _timestamp(end, "end")
    if hi is not None and isinstance(end, str | int) and len(str(end)) in (4, 7):
        # "1961" or "1961-07" as an end means the whole of that year or month.
        hi = hi + (pd.offsets.YearEnd(0) if len(str(end)) == 4 else pd.offsets.MonthEnd(0))
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"start ({start!r}) is after end ({end!r}); swap them")
    mask = pd.Series(True, index=df.index)
    if lo is not None:
        mask &= df["date"] >= lo
    if hi is not None:
        mask &= df["date"] <= hi
    if categories is not None:
        chosen = _choices(categories, df["category"].cat.categories, "category")
        mask &= df["category"].isin(chosen)
    return df[mask].reset_index(drop=True)


def load_scholarly_codes(treaty_id: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Scholarly codes: published ATOP and COW codes, one row per treaty, dataset and variable.

    Columns:
        treaty_id, dataset (category: ATOP, COW), dataset_id (the treaty's id in that
        dataset), variable (e.g. DEFENSE, CONSUL, type), value (as published, a
        string), note (why our coding differs, where it does), source_id.
    """
    return _by_treaty(_table("scholarly_codes"), treaty_id)


def load_quiz_questions(lesson: str | None = None) -> pd.DataFrame:
    """Quiz questions: one row per self-check question, optionally of one lesson.

    Columns:
        question_id, lesson (notebook stem), prompt, answer (the correct choice_id),
        explanation (own words), fact_table, fact_id and fact_column (where the
        answer can be checked in the data), source_id.
    """
    df = _table("quiz_questions")
    if lesson is None:
        return df
    chosen = _choices(lesson, df["lesson"], "lesson")
    return df[df["lesson"].isin(chosen)].reset_index(drop=True)


def load_quiz_choices() -> pd.DataFrame:
    """Quiz choices: the choices of each question.

    Columns:
        question_id, choice_id (a, b, c …), text.
    """
    return _table("quiz_choices")


def load_claims() -> pd.DataFrame:
    """Claims: contested or often-misstated claims and what the evidence shows.

    Columns:
        claim_id, claim (own words), verdict (category: supported, contradicted,
        disputed, unverified), evidence (own words), who_says_it,
        source_ids (several, separated by ``"; "``), confidence (category).
    """
    return _table("claims")


def load_people() -> pd.DataFrame:
    """People: one row per person in the story.

    Columns:
        person_id, name, name_variants (separated by ``"; "``), role,
        born (date), died (date), note (disputed dates), source_id,
        more_source_ids, confidence (category).
    """
    return _table("people")


def load_sources() -> pd.DataFrame:
    """Sources: every source a row rests on.

    Columns:
        source_id, title, author, publisher, year (nullable int), url,
        kind (category: primary, official_statement, scholarship, reference, news),
        reliability (category: strong, fair, weak), note.
    """
    return _table("sources")


def load_glossary() -> pd.DataFrame:
    """Glossary: terms used in the lessons.

    Columns:
        term, definition (own words), source_id (nullable).
    """
    return _table("glossary")
