"""Tests for ``treatylib.validate``: broken copies of the data package are rejected, located.

Every test copies the shipped ``data/`` folder to a temporary directory, breaks one
thing in it with the ``csv`` module and checks that :class:`treatylib.DataError`
names the file, spreadsheet row (header = row 1), column and bad value.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import treatylib
import treatylib.data
from treatylib.schema import Problem, word_count

DATA = Path(__file__).resolve().parents[1] / "data"
DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["path"]: r for r in DESCRIPTOR["resources"]}
CSV_FILES = sorted(p.name for p in DATA.glob("*.csv"))
MISSING_SOURCE = "no_such_source_xyz"


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def data_row_count(path: Path) -> int:
    """Rows below the header that hold at least one non-blank cell."""
    return sum(1 for row in read_rows(path)[1:] if any(cell.strip() for cell in row))


def enum_of(fname: str, column: str) -> list[str]:
    for field in RESOURCES[fname]["schema"]["fields"]:
        if field["name"] == column:
            return field["constraints"]["enum"]
    raise KeyError(column)


class Package:
    """A temporary copy of the data package with helpers to break one CSV."""

    def __init__(self, folder: Path):
        self.folder = folder

    def rows(self, fname: str) -> list[list[str]]:
        return read_rows(self.folder / fname)

    def write(self, fname: str, rows: list[list[str]]) -> None:
        write_rows(self.folder / fname, rows)

    def records(self, fname: str) -> list[tuple[int, dict[str, str]]]:
        """(spreadsheet row, {column: value}) for every data row."""
        header, *body = self.rows(fname)
        return [(i, dict(zip(header, row, strict=True))) for i, row in enumerate(body, start=2)]

    def find_row(self, fname: str, where: Callable[[dict[str, str]], bool]) -> int:
        """Spreadsheet row of the first data row matching ``where``."""
        for row, rec in self.records(fname):
            if where(rec):
                return row
        raise AssertionError(f"no row of {fname} matches; the test needs one")

    def get(self, fname: str, row: int, column: str) -> str:
        rows = self.rows(fname)
        return rows[row - 1][rows[0].index(column)]

    def set(self, fname: str, row: int, column: str, value: str) -> None:
        rows = self.rows(fname)
        col = rows[0].index(column)
        assert rows[row - 1][col] != value, "the edit must change the cell"
        rows[row - 1][col] = value
        self.write(fname, rows)


@pytest.fixture
def pkg(tmp_path: Path) -> Package:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return Package(folder)


def rejected(path: Path | str) -> treatylib.DataError:
    with pytest.raises(treatylib.DataError) as info:
        treatylib.validate(path)
    exc = info.value
    assert isinstance(exc, ValueError)
    assert exc.problems, "a DataError must list at least one problem"
    assert all(isinstance(p, Problem) for p in exc.problems)
    return exc


def message_names(text: str, file: str, row: int | None, column: str | None, value: str | None):
    """True if one line of ``text`` names file, row, column and (non-empty) value together."""
    for line in text.splitlines():
        if file not in line:
            continue
        if row is not None and not re.search(rf"\brow {row}\b", line):
            continue
        if column is not None and not re.search(rf"(?<![\w]){re.escape(column)}(?![\w])", line):
            continue
        if value and value not in line:
            continue
        return True
    return False


def assert_problem(
    exc: treatylib.DataError, file: str, row: int | None, column: str | None, value: str | None
) -> Problem:
    """The problem at (file, row, column) with ``value``; also named in ``str(exc)``."""
    found = [
        p
        for p in exc.problems
        if p.file == file and p.row == row and p.column == column and p.value == value
    ]
    assert found, f"no problem at {file} row {row} column {column} value {value!r}: {exc}"
    assert message_names(str(exc), file, row, column, value), str(exc)
    return found[0]


# --- the shipped package ---------------------------------------------------------------


@pytest.mark.parametrize("rewrite", [False, True], ids=["untouched", "rewritten_by_csv_module"])
def test_unchanged_copy_validates_and_counts_rows(pkg: Package, rewrite: bool):
    if rewrite:  # the helpers used to break files must not break anything on their own
        for fname in CSV_FILES:
            pkg.write(fname, pkg.rows(fname))
    counts = treatylib.validate(pkg.folder)
    assert isinstance(counts, dict)
    expected = {Path(f).stem: data_row_count(DATA / f) for f in CSV_FILES}
    assert counts == expected
    assert all(n > 0 for n in expected.values())


def test_data_error_is_a_value_error():
    assert issubclass(treatylib.DataError, ValueError)


@pytest.mark.parametrize(
    "as_path",
    [
        pytest.param(lambda folder: folder, id="folder"),
        pytest.param(lambda folder: str(folder), id="folder_as_str"),
        pytest.param(lambda folder: folder / "datapackage.json", id="descriptor"),
        pytest.param(lambda folder: str(folder / "datapackage.json"), id="descriptor_as_str"),
    ],
)
def test_validate_accepts_folder_or_descriptor(pkg: Package, as_path):
    expected = {Path(f).stem: data_row_count(DATA / f) for f in CSV_FILES}
    assert treatylib.validate(as_path(pkg.folder)) == expected


def test_descriptor_path_checks_the_csvs_next_to_it(pkg: Package):
    row = pkg.find_row("events.csv", lambda r: True)
    pkg.set("events.csv", row, "category", "wars")
    exc = rejected(pkg.folder / "datapackage.json")
    assert_problem(exc, "events.csv", row, "category", "wars")


# --- columns ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fname", "column"),
    [("events.csv", "title"), ("parties.csv", "ccode"), ("sources.csv", "url")],
)
def test_missing_column(pkg: Package, fname: str, column: str):
    rows = pkg.rows(fname)
    col = rows[0].index(column)
    pkg.write(fname, [r[:col] + r[col + 1 :] for r in rows])
    exc = rejected(pkg.folder)
    assert_problem(exc, fname, 1, column, None)


@pytest.mark.parametrize("fname", ["events.csv", "glossary.csv"])
def test_unknown_extra_column_lists_expected_columns(pkg: Package, fname: str):
    rows = pkg.rows(fname)
    expected = list(rows[0])
    pkg.write(fname, [rows[0] + ["extra_column"]] + [r + ["x"] for r in rows[1:]])
    exc = rejected(pkg.folder)
    problem = assert_problem(exc, fname, 1, "extra_column", None)
    for column in expected:
        assert column in problem.message
        assert column in str(exc)


# --- cell types ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fname", "column", "value"),
    [
        ("events.csv", "date", "1961-13-40"),
        ("events.csv", "date", "11/07/1961"),
        ("events.csv", "date", "1961-02-30"),
        ("treaties.csv", "signed", "1961-7-11"),
        ("people.csv", "born", "1898"),
        ("parties.csv", "joined", "July 11, 1961"),
    ],
)
def test_bad_date(pkg: Package, fname: str, column: str, value: str):
    row = pkg.find_row(fname, lambda r: r[column] != "")
    pkg.set(fname, row, column, value)
    exc = rejected(pkg.folder)
    assert_problem(exc, fname, row, column, value)


@pytest.mark.parametrize("value", ["seven", "710.0", "7l0", "7 10", "0x2c6"])
def test_bad_integer_in_parties_ccode(pkg: Package, value: str):
    row = pkg.find_row("parties.csv", lambda r: r["ccode"] != "")
    pkg.set("parties.csv", row, "ccode", value)
    exc = rejected(pkg.folder)
    assert_problem(exc, "parties.csv", row, "ccode", value)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("\uff17\uff11\uff10", id="fullwidth_digits"),
        pytest.param("\u0667\u0661\u0660", id="arabic_indic_digits"),
        pytest.param("99999999999999999999", id="beyond_int64"),
    ],
)
def test_integer_that_cannot_be_loaded_is_a_data_error(pkg: Package, value: str):
    """Not a crash: these pass a ``\\d+`` check but cannot become an int64 column."""
    row = pkg.find_row("parties.csv", lambda r: r["ccode"] != "")
    pkg.set("parties.csv", row, "ccode", value)
    exc = rejected(pkg.folder)
    assert_problem(exc, "parties.csv", row, "ccode", value)


@pytest.mark.parametrize(
    ("fname", "column", "value"),
    [
        ("events.csv", "category", "wars"),
        ("treaties.csv", "status", "active"),
        ("sources.csv", "kind", "Primary"),
        ("articles.csv", "confidence", "very high"),
    ],
)
def test_bad_enum_lists_allowed_values(pkg: Package, fname: str, column: str, value: str):
    row = pkg.find_row(fname, lambda r: True)
    pkg.set(fname, row, column, value)
    exc = rejected(pkg.folder)
    problem = assert_problem(exc, fname, row, column, value)
    for allowed in enum_of(fname, column):
        assert allowed in problem.message
        assert allowed in str(exc)


@pytest.mark.parametrize(
    ("fname", "column"),
    [
        ("articles.csv", "summary"),
        ("events.csv", "title"),
        ("treaties.csv", "signed"),
        ("claims.csv", "source_ids"),
    ],
)
def test_empty_required_field(pkg: Package, fname: str, column: str):
    row = pkg.find_row(fname, lambda r: r[column] != "")
    pkg.set(fname, row, column, "")
    exc = rejected(pkg.folder)
    assert_problem(exc, fname, row, column, "")


# --- date order ---------------------------------------------------------------------------


def day_before(iso: str) -> str:
    return (dt.date.fromisoformat(iso) - dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("fname", "earlier", "later"),
    [
        ("treaties.csv", "signed", "in_force"),
        ("events.csv", "date", "end_date"),
        ("parties.csv", "joined", "ratified"),
        ("people.csv", "born", "died"),
    ],
)
def test_later_date_before_earlier_names_the_later_column(
    pkg: Package, fname: str, earlier: str, later: str
):
    assert [earlier, later] in RESOURCES[fname]["schema"]["dateOrder"]
    row = pkg.find_row(fname, lambda r: r[earlier] != "")
    bad = day_before(pkg.get(fname, row, earlier))
    pkg.set(fname, row, later, bad)
    exc = rejected(pkg.folder)
    problem = assert_problem(exc, fname, row, later, bad)
    assert earlier in problem.message
    assert not [p for p in exc.problems if p.column == earlier]


def test_in_force_before_signed_blames_in_force(pkg: Package):
    row = pkg.find_row("treaties.csv", lambda r: r["treaty_id"] == "china_dprk_1961")
    signed = pkg.get("treaties.csv", row, "signed")
    pkg.set("treaties.csv", row, "in_force", "1961-07-01")
    assert "1961-07-01" < signed
    exc = rejected(pkg.folder)
    assert_problem(exc, "treaties.csv", row, "in_force", "1961-07-01")
    assert len(exc.problems) == 1


@pytest.mark.parametrize(
    ("fname", "column", "value", "later"),
    [
        # an impossible day that still sorts after the row's (valid) end_date
        pytest.param("events.csv", "date", "{year}-12-40", "end_date", id="invalid_day"),
        pytest.param(
            "parties.csv", "joined", "\uff11\uff19\uff16\uff11-07-11", "ratified", id="fullwidth"
        ),
    ],
)
def test_bad_date_is_not_also_blamed_on_a_valid_later_date(
    pkg: Package, fname: str, column: str, value: str, later: str
):
    """A malformed date cannot be compared, so the valid later date must not be reported."""
    row = pkg.find_row(fname, lambda r: r[column] != "" and r[later] != "")
    value = value.format(year=pkg.get(fname, row, later)[:4])
    pkg.set(fname, row, column, value)
    exc = rejected(pkg.folder)
    assert_problem(exc, fname, row, column, value)
    assert [(p.row, p.column) for p in exc.problems] == [(row, column)], str(exc)


# --- keys -----------------------------------------------------------------------------


def test_duplicate_primary_key_in_events(pkg: Package):
    rows = pkg.rows("events.csv")
    original = 5  # spreadsheet row of the copied event
    event_id = rows[original - 1][rows[0].index("event_id")]
    rows.append(list(rows[original - 1]))
    pkg.write("events.csv", rows)
    exc = rejected(pkg.folder)
    assert_problem(exc, "events.csv", len(rows), "event_id", event_id)
    assert len(exc.problems) == 1


def test_duplicate_composite_key_in_parties(pkg: Package):
    rows = pkg.rows("parties.csv")
    header = rows[0]
    copy = list(rows[1])
    copy[header.index("party_name")] = "Another name for the same party"
    rows.append(copy)
    pkg.write("parties.csv", rows)
    exc = rejected(pkg.folder)
    found = [p for p in exc.problems if p.file == "parties.csv" and p.row == len(rows)]
    assert len(found) == 1, str(exc)
    problem = found[0]
    assert problem.column in ("treaty_id", "party")
    for key in ("treaty_id", "party"):
        assert copy[header.index(key)] in problem.value
        assert copy[header.index(key)] in str(exc)
    assert message_names(str(exc), "parties.csv", len(rows), problem.column, None)


def test_dangling_treaty_id_in_parties(pkg: Package):
    row = pkg.find_row("parties.csv", lambda r: True)
    pkg.set("parties.csv", row, "treaty_id", "no_such_treaty")
    exc = rejected(pkg.folder)
    problem = assert_problem(exc, "parties.csv", row, "treaty_id", "no_such_treaty")
    assert "treaties" in problem.message


@pytest.mark.parametrize(
    ("fname", "column"),
    [
        ("parties.csv", "source_id"),
        ("events.csv", "source_id"),
        ("treaties.csv", "source_id"),
        ("glossary.csv", "source_id"),
        ("articles.csv", "key_phrase_source_id"),
    ],
)
def test_unknown_source_id(pkg: Package, fname: str, column: str):
    row = pkg.find_row(fname, lambda r: r[column] != "")
    pkg.set(fname, row, column, MISSING_SOURCE)
    exc = rejected(pkg.folder)
    problem = assert_problem(exc, fname, row, column, MISSING_SOURCE)
    assert "sources" in problem.message


@pytest.mark.parametrize("position", ["first", "last"])
@pytest.mark.parametrize(
    ("fname", "column"),
    [
        ("claims.csv", "source_ids"),
        ("events.csv", "more_source_ids"),
        ("treaties.csv", "more_source_ids"),
        ("articles.csv", "more_source_ids"),
    ],
)
def test_unknown_id_in_multi_valued_source_column(
    pkg: Package, fname: str, column: str, position: str
):
    row = pkg.find_row(fname, lambda r: r[column] != "")
    known = [s.strip() for s in pkg.get(fname, row, column).split(";") if s.strip()]
    ids = [MISSING_SOURCE, *known] if position == "first" else [*known, MISSING_SOURCE]
    pkg.set(fname, row, column, "; ".join(ids))
    exc = rejected(pkg.folder)
    assert_problem(exc, fname, row, column, MISSING_SOURCE)
    assert len(exc.problems) == 1, str(exc)  # the known ids around it are fine


# --- domain rules -------------------------------------------------------------------------


def test_key_phrase_over_15_words(pkg: Package):
    row = pkg.find_row("articles.csv", lambda r: r["key_phrase_source_id"] != "")
    phrase = " ".join(f"word{i}" for i in range(16))
    pkg.set("articles.csv", row, "key_phrase", phrase)
    exc = rejected(pkg.folder)
    assert_problem(exc, "articles.csv", row, "key_phrase", phrase)


def test_key_phrase_of_15_words_passes(pkg: Package):
    row = pkg.find_row("articles.csv", lambda r: r["key_phrase_source_id"] != "")
    pkg.set("articles.csv", row, "key_phrase", " ".join(f"word{i}" for i in range(15)))
    treatylib.validate(pkg.folder)


CJK_TEXT = (
    "締約另一方應立即盡其全力給予軍事及其他援助本条约在未经双方就修改或者终止问题达成协议以前"
)


def set_zh_phrase(pkg: Package, length: int) -> tuple[int, str]:
    phrase = CJK_TEXT[:length]
    assert len(phrase) == length
    row = pkg.find_row("articles.csv", lambda r: r["key_phrase_zh_source_id"] != "")
    pkg.set("articles.csv", row, "key_phrase_zh", phrase)
    return row, phrase


def test_cjk_key_phrase_over_30_characters_fails(pkg: Package):
    row, phrase = set_zh_phrase(pkg, 31)
    exc = rejected(pkg.folder)
    assert_problem(exc, "articles.csv", row, "key_phrase_zh", phrase)


@pytest.mark.parametrize("length", [20, 30])
def test_cjk_key_phrase_up_to_30_characters_passes(pkg: Package, length: int):
    set_zh_phrase(pkg, length)
    treatylib.validate(pkg.folder)


@pytest.mark.parametrize(
    ("phrase", "source"), [("key_phrase", "key_phrase_source_id"), ("key_phrase_zh", None)]
)
def test_key_phrase_without_source(pkg: Package, phrase: str, source: str | None):
    if source is not None:  # drop the source of an existing phrase
        row = pkg.find_row("articles.csv", lambda r: r[phrase] != "" and r[source] != "")
        pkg.set("articles.csv", row, source, "")
    else:  # add a phrase to a row that has no source for it
        source = f"{phrase}_source_id"
        row = pkg.find_row("articles.csv", lambda r: r[phrase] == "" and r[source] == "")
        pkg.set("articles.csv", row, phrase, "互助")
    exc = rejected(pkg.folder)
    assert_problem(exc, "articles.csv", row, source, "")


@pytest.mark.parametrize(
    ("provision", "edit"),
    [
        ("defense", {"commitment": ""}),
        ("no_hostile_alliance", {"provision": "neutrality"}),
        ("cultural_cooperation", {"provision": "offense"}),
    ],
)
def test_response_provision_needs_a_commitment(pkg: Package, provision: str, edit: dict):
    row = pkg.find_row("provisions.csv", lambda r: r["provision"] == provision)
    for column, value in edit.items():
        pkg.set("provisions.csv", row, column, value)
    assert pkg.get("provisions.csv", row, "commitment") == ""
    exc = rejected(pkg.folder)
    assert_problem(exc, "provisions.csv", row, "commitment", "")


# --- files --------------------------------------------------------------------------------


def test_file_not_utf8(pkg: Package):
    rows = pkg.rows("glossary.csv")
    rows[1][1] = "Une définition écrite en latin-1."
    with (pkg.folder / "glossary.csv").open("w", encoding="latin-1", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    assert "é".encode("latin-1") in (pkg.folder / "glossary.csv").read_bytes()
    exc = rejected(pkg.folder)
    found = [p for p in exc.problems if p.file == "glossary.csv"]
    assert len(found) == 1, str(exc)
    assert "UTF-8" in found[0].message
    assert "glossary.csv" in str(exc)


@pytest.mark.parametrize("fname", ["people.csv", "glossary.csv", "sources.csv"])
def test_missing_csv_file(pkg: Package, fname: str):
    (pkg.folder / fname).unlink()
    exc = rejected(pkg.folder)
    assert [p.file for p in exc.problems if p.file == fname] == [fname]
    assert fname in str(exc)


@pytest.mark.parametrize("target", ["folder", "descriptor"])
def test_missing_datapackage_json(pkg: Package, target: str):
    descriptor = pkg.folder / "datapackage.json"
    descriptor.unlink()
    exc = rejected(pkg.folder if target == "folder" else descriptor)
    assert "datapackage.json" in str(exc)


def test_invalid_datapackage_json(pkg: Package):
    (pkg.folder / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    exc = rejected(pkg.folder)
    assert "datapackage.json" in str(exc)


# --- several problems, and no side effects ------------------------------------------------


def test_several_problems_are_all_reported(pkg: Package):
    broken = []
    for fname, column, value in [
        ("events.csv", "category", "wars"),
        ("parties.csv", "ccode", "seven"),
        ("articles.csv", "summary", ""),
        ("glossary.csv", "source_id", MISSING_SOURCE),
    ]:
        row = pkg.find_row(fname, lambda r, c=column: r[c] != "")
        pkg.set(fname, row, column, value)
        broken.append((fname, row, column, value))
    exc = rejected(pkg.folder)
    assert len(exc.problems) == len(broken), str(exc)
    for fname, row, column, value in broken:
        assert_problem(exc, fname, row, column, value)
    assert str(len(broken)) in str(exc).splitlines()[0]


def test_many_problems_are_all_in_problems(pkg: Package):
    rows = pkg.rows("events.csv")
    col = rows[0].index("category")
    for r in rows[1:]:
        r[col] = "wars"
    pkg.write("events.csv", rows)
    exc = rejected(pkg.folder)
    n = len(rows) - 1
    assert n > 20  # more than any message would list one by one
    assert len(exc.problems) == n
    assert sorted(p.row for p in exc.problems) == list(range(2, n + 2))
    assert all(p.file == "events.csv" and p.value == "wars" for p in exc.problems)
    assert str(n) in str(exc).splitlines()[0]


def test_failed_validate_leaves_shipped_data_loaded(pkg: Package):
    # treaties.csv in the copy is valid but different; events.csv is broken
    row = pkg.find_row("treaties.csv", lambda r: True)
    pkg.set("treaties.csv", row, "name", "A DIFFERENT NAME FROM A BROKEN COPY")
    pkg.set("events.csv", pkg.find_row("events.csv", lambda r: True), "category", "wars")
    treatylib.use_data(None)  # read the shipped data afresh before the check
    rejected(pkg.folder)
    treaties = treatylib.load_treaties()
    shipped = [
        dict(zip(read_rows(DATA / "treaties.csv")[0], r, strict=True))
        for r in read_rows(DATA / "treaties.csv")[1:]
    ]
    assert treaties["treaty_id"].tolist() == [r["treaty_id"] for r in shipped]
    assert treaties["name"].tolist() == [r["name"] for r in shipped]
    assert len(treatylib.load_events()) == data_row_count(DATA / "events.csv")


# --- word counting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [("a b c", 3), ("中朝友好", 2), ("  a   b  ", 2), ("中朝 a", 2), ("", 0)],
)
def test_word_count(text: str, words: float):
    assert word_count(text) == words
