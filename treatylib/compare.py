"""Comparisons across treaties: matrices, rankings, side-by-side clauses, scenarios.

Every function returns a DataFrame built from the loaders; nothing is printed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pandas as pd

from . import data as _data
from .data import (
    DateLike,
    _choices,
    _tables,
    _timestamp,
    as_of,
    load_provisions,
    load_scholarly_codes,
    load_treaties,
)

__all__ = [
    "aligned_clauses",
    "commitment_ranking",
    "compare_with_scholars",
    "members_on",
    "obligations_if_attacked",
    "provision_matrix",
    "treaties_in_force",
]

#: Commitments that oblige a partner to help (consultation alone does not).
HELPING = ("constitutional", "discretionary", "mixed", "automatic")


def _treaty_ids(treaty_ids: str | Iterable[str] | None) -> list[str]:
    known = _tables()["treaties"]["treaty_id"].tolist()
    if treaty_ids is None:
        return known
    return _choices(treaty_ids, known, "treaty_id")


def _provision(provision: str) -> str:
    valid = _tables()["provisions"]["provision"].cat.categories
    return _choices(provision, valid, "provision")[0]


def _on(on: DateLike | None) -> pd.Timestamp:
    return pd.Timestamp(as_of()) if on is None else _timestamp(on, "on")


def _party_code(code: str, name: str) -> str:
    known = _tables()["parties"]["party"].unique().tolist()
    return _choices(code, known, f"{name} party code")[0]


def _clause_text(treaty_id: str, article, label) -> dict:
    """The article row a provision points to (by label when given, else by number)."""
    arts = _tables()["articles"]  # read-only: no copy needed
    rows = arts[arts["treaty_id"] == treaty_id]
    if isinstance(label, str):
        rows = rows[rows["label"] == label]
    elif pd.notna(article):
        rows = rows[rows["article"] == int(article)]
    else:
        rows = rows.iloc[0:0]
    if rows.empty:
        return {
            "label": label if isinstance(label, str) else pd.NA,
            "key_phrase": pd.NA,
            "summary": pd.NA,
        }
    first = rows.iloc[0]
    return {"label": first["label"], "key_phrase": first["key_phrase"], "summary": first["summary"]}


def provision_matrix(
    treaty_ids: str | Iterable[str] | None = None,
    provisions: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Treaty × provision → commitment.

    Cells hold the commitment level where the provision has one, ``"yes"`` where the
    treaty has the provision but it obliges no response (e.g. no_hostile_alliance),
    and are empty where we coded no such provision. Rows (indexed by ``treaty_id``)
    run from the strongest defence commitment to the weakest, then by signature
    date; columns follow the provision vocabulary (or just ``provisions``).
    """
    ids = _treaty_ids(treaty_ids)
    order = list(_tables()["provisions"]["provision"].cat.categories)
    if provisions is not None:
        chosen = set(_choices(provisions, order, "provision"))
        order = [p for p in order if p in chosen]
    return _provision_matrix(tuple(ids), tuple(order)).copy()


# Widgets and charts ask for the same matrix again and again; forgotten when data change.
@functools.lru_cache(maxsize=64)
def _provision_matrix(ids: tuple[str, ...], order: tuple[str, ...]) -> pd.DataFrame:
    # Plain Python over the cached rows: a few dozen rows do not repay pandas' overhead.
    prov = _tables()["provisions"]
    chosen = set(ids)
    ranks = prov["commitment"].cat.codes.tolist()  # -1 where no commitment applies
    best: dict[tuple[str, str], tuple[int, str]] = {}
    defence = dict.fromkeys(ids, -2)  # -2: no defence clause at all
    columns = (prov["treaty_id"], prov["provision"].astype("str"), prov["commitment"], ranks)
    for treaty, provision, commitment, rank in zip(*columns, strict=True):
        if treaty not in chosen:
            continue
        cell = "yes" if pd.isna(commitment) else str(commitment)
        # Several rows for one provision (one-sided duties) collapse to the strongest.
        if (treaty, provision) not in best or rank >= best[treaty, provision][0]:
            best[treaty, provision] = (rank, cell)
        if provision == "defense":
            defence[treaty] = max(defence[treaty], rank)
    signed = _tables()["treaties"].set_index("treaty_id")["signed"]
    # Strongest defence commitment first, then signature date; stable for ties.
    rows_order = sorted(
        dict.fromkeys(ids),
        key=lambda t: (-defence[t], pd.isna(signed[t]), signed[t] if pd.notna(signed[t]) else 0),
    )
    values = [[best.get((t, p), (0, None))[1] for p in order] for t in rows_order]
    matrix = pd.DataFrame(
        values,
        index=pd.Index(rows_order, name="treaty_id"),
        columns=pd.Index(list(order), name="provision"),
        dtype=object,
    )
    return matrix.astype("str").where(matrix.notna(), pd.NA)


def commitment_ranking(provision: str = "defense") -> pd.DataFrame:
    """Treaties with the given provision, weakest commitment first.

    Columns: treaty_id, short_name, signed, commitment (ordered), obliged, article,
    label, key_phrase. Ties are broken by signature date.
    """
    provision = _provision(provision)
    prov = load_provisions()
    prov = prov[(prov["provision"] == provision) & prov["commitment"].notna()]
    treaties = load_treaties()[["treaty_id", "short_name", "signed"]]
    out = prov.merge(treaties, on="treaty_id", how="left")
    texts = [
        _clause_text(t, a, lab)
        for t, a, lab in zip(out["treaty_id"], out["article"], out["label"], strict=True)
    ]
    out["label"] = [t["label"] for t in texts]
    out["key_phrase"] = [t["key_phrase"] for t in texts]
    out = out.sort_values(["commitment", "signed"], kind="stable").reset_index(drop=True)
    cols = [
        "treaty_id",
        "short_name",
        "signed",
        "commitment",
        "obliged",
        "article",
        "label",
        "key_phrase",
    ]
    return out[cols]


def aligned_clauses(
    provision: str = "defense", treaty_ids: str | Iterable[str] | None = None
) -> pd.DataFrame:
    """The clause for one provision in each treaty, side by side.

    Columns: treaty_id, short_name, label, commitment, key_phrase, summary, scope,
    adversary. Rows follow the order of ``treaty_ids`` (or signature date).
    """
    provision = _provision(provision)
    ids = _treaty_ids(treaty_ids)
    prov = load_provisions()
    prov = prov[(prov["provision"] == provision) & prov["treaty_id"].isin(ids)]
    prov = prov.drop_duplicates("treaty_id")
    treaties = load_treaties()[["treaty_id", "short_name", "signed"]]
    out = prov.merge(treaties, on="treaty_id", how="left")
    texts = [
        _clause_text(t, a, lab)
        for t, a, lab in zip(out["treaty_id"], out["article"], out["label"], strict=True)
    ]
    for key in ("label", "key_phrase", "summary"):
        out[key] = [t[key] for t in texts]
    if treaty_ids is None:
        out = out.sort_values("signed", kind="stable")
    else:
        out = out.set_index("treaty_id").loc[[i for i in ids if i in set(out["treaty_id"])]]
        out = out.reset_index()
    cols = [
        "treaty_id",
        "short_name",
        "label",
        "commitment",
        "key_phrase",
        "summary",
        "scope",
        "adversary",
    ]
    return out[cols].reset_index(drop=True)


def _in_force_mask(treaties: pd.DataFrame, on: pd.Timestamp) -> pd.Series:
    start = treaties["in_force"].fillna(treaties["signed"])
    return (start <= on) & (treaties["ended"].isna() | (treaties["ended"] > on))


def _bound_on(day: pd.Timestamp) -> pd.DataFrame:
    """Party rows of every treaty bound on ``day`` (read from the cache, not copied)."""
    parties = _tables()["parties"]
    still = parties["left"].isna() | (parties["left"] > day) | (parties["left_how"] == "suspended")
    return parties[(parties["joined"] <= day) & still]


def _members_by_treaty(day: pd.Timestamp) -> dict[str, list[str]]:
    """Codes of the parties bound on ``day``, by treaty (treaties with none left out)."""
    bound = _bound_on(day)
    return {t: g.tolist() for t, g in bound.groupby("treaty_id", sort=False)["party"]}


def members_on(treaty_id: str, on: DateLike | None = None) -> pd.DataFrame:
    """Parties bound by a treaty on a date (joined on or before it, not yet left).

    A party whose obligations were suspended only towards some partners stays a
    member; see ``suspended_with``.
    """
    (treaty_id,) = _treaty_ids(treaty_id)
    bound = _bound_on(_on(on))
    return bound[bound["treaty_id"] == treaty_id].reset_index(drop=True)


def _live(treaties: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Treaties in force on ``day``, oldest first, dated from entry into force or signature."""
    live = treaties[_in_force_mask(treaties, day)].copy()
    live["in_force"] = live["in_force"].fillna(live["signed"])
    return live.sort_values("in_force", kind="stable")


def treaties_in_force(on: DateLike | None = None) -> pd.DataFrame:
    """Treaties in force on a date, with the parties bound that day.

    A treaty counts from entry into force (or signature where that date is unknown)
    until the day before it ended. Columns: treaty_id, short_name, in_force (or
    signed), ended, status, members (codes separated by ``"; "``), n_members.
    """
    day = _on(on)
    live = _live(load_treaties(), day)
    by_treaty = _members_by_treaty(day)
    members = [by_treaty.get(t, []) for t in live["treaty_id"]]
    live["members"] = ["; ".join(m) for m in members]
    live["n_members"] = [len(m) for m in members]
    cols = ["treaty_id", "short_name", "in_force", "ended", "status", "members", "n_members"]
    return live[cols].reset_index(drop=True)


def _suspended_pairs(parties: pd.DataFrame, day: pd.Timestamp) -> set[frozenset[str]]:
    """Pairs of parties whose obligations to each other were suspended by ``day``."""
    rows = parties[(parties["left_how"] == "suspended") & (parties["left"] <= day)]
    return {
        frozenset((party, other.strip()))
        for party, others in zip(rows["party"], rows["suspended_with"], strict=True)
        for other in str(others).split(";")
    }


def _allies_of(code: str, day: pd.Timestamp) -> set[str]:
    """States bound with ``code`` by any treaty in our data on ``day``."""
    allies: set[str] = set()
    by_treaty = _members_by_treaty(day)
    for treaty_id in _live(_tables()["treaties"], day)["treaty_id"]:
        members = set(by_treaty.get(treaty_id, []))
        if code in members:
            allies |= members - {code}
    return allies


def obligations_if_attacked(
    attacked: str, attacker: str | None = None, on: DateLike | None = None
) -> pd.DataFrame:
    """Who must help ``attacked`` (an ISO code) if it is attacked on ``on``.

    One row per treaty in force and partner obliged to help. Consultation-only
    pacts oblige no help and are left out. Membership on the day counts, one-sided
    duties (``obliged``) and suspensions are respected, and the clause's scope and
    adversary limits are stated in ``conditions``. With ``attacker`` given, a clause
    limited to another adversary is dropped, and an attacker who is a co-party is
    noted. ``on`` defaults to the data package's ``as_of()`` date.

    Columns: treaty_id, obliged, commitment, article, key_phrase, scope, conditions.
    """
    attacked = _party_code(attacked, "attacked")
    if attacker is not None:
        attacker = _party_code(attacker, "attacker")
        if attacker == attacked:
            raise ValueError(f"attacker and attacked are both {attacked!r}; give two states")
    day = _on(on)
    rows = []
    provisions = load_provisions()
    defence = provisions[
        (provisions["provision"] == "defense") & provisions["commitment"].isin(HELPING)
    ]
    by_treaty = _members_by_treaty(day)
    all_parties = _tables()["parties"]
    for treaty_id in _live(_tables()["treaties"], day)["treaty_id"]:
        codes = by_treaty.get(treaty_id, [])
        if attacked not in codes:
            continue
        suspended = _suspended_pairs(all_parties[all_parties["treaty_id"] == treaty_id], day)
        for _, prov in defence[defence["treaty_id"] == treaty_id].iterrows():
            notes = []
            limit = prov["adversary_codes"]
            codes_limit = [] if pd.isna(limit) else [c.strip() for c in limit.split(";")]
            if codes_limit:
                notes.append(f"limited to attacks by {prov['adversary']}")
                if attacker is not None:
                    allowed = set(codes_limit)
                    if pd.notna(prov["adversary_allies"]) and bool(prov["adversary_allies"]):
                        for code in codes_limit:
                            allowed |= _allies_of(code, day)
                    if attacker not in allowed:
                        continue
            if attacker is not None and attacker in codes:
                notes.append(f"the attacker ({attacker}) is itself a party to this treaty")
            # An attacker that is itself a party owes no help against its own attack.
            partners = [c for c in codes if c not in (attacked, attacker)]
            if prov["obliged"] != "all":
                partners = [c for c in partners if c == prov["obliged"]]
            text = _clause_text(treaty_id, prov["article"], prov["label"])
            for partner in partners:
                if frozenset((attacked, partner)) in suspended:
                    continue
                rows.append(
                    {
                        "treaty_id": treaty_id,
                        "obliged": partner,
                        "commitment": prov["commitment"],
                        "article": prov["article"],
                        "key_phrase": text["key_phrase"],
                        "scope": prov["scope"],
                        "conditions": "; ".join(
                            [f"applies to: {str(prov['scope']).rstrip('.')}", *notes]
                        ),
                    }
                )
    out = pd.DataFrame(
        rows,
        columns=[
            "treaty_id",
            "obliged",
            "commitment",
            "article",
            "key_phrase",
            "scope",
            "conditions",
        ],
    )
    out["commitment"] = out["commitment"].astype(provisions["commitment"].dtype)
    out["article"] = out["article"].astype("Int64")
    for col in ("treaty_id", "obliged", "key_phrase", "scope", "conditions"):
        out[col] = out[col].astype("str")
    return out.reset_index(drop=True)


def _our_codes(treaty_id: str, provisions: pd.DataFrame) -> dict[str, str]:
    mine = provisions[provisions["treaty_id"] == treaty_id]
    kinds = set(mine["provision"].astype("str"))
    defence = mine[(mine["provision"] == "defense") & mine["commitment"].isin(HELPING)]
    has = {
        "DEFENSE": not defence.empty,
        "OFFENSE": "offense" in kinds,
        "NEUTRAL": "neutrality" in kinds,
        "NONAGG": "non_aggression" in kinds,
        "CONSUL": "consultation" in kinds,
    }
    codes = {k: str(int(v)) for k, v in has.items()}
    if has["DEFENSE"]:
        codes["type"] = "defense pact"
    elif has["NEUTRAL"] or has["NONAGG"]:
        codes["type"] = "neutrality or non-aggression pact"
    elif has["CONSUL"]:
        codes["type"] = "entente"
    else:
        codes["type"] = "none"
    return codes


def compare_with_scholars(treaty_ids: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Our coding next to ATOP's and COW's, one row per treaty, dataset and variable.

    Compares ATOP's DEFENSE, OFFENSE, NEUTRAL, NONAGG and CONSUL and COW's alliance
    type with what our provisions imply. Columns: treaty_id, dataset, variable,
    scholars (their value), ours (ours, derived from provisions.csv), agree, reason
    (why they differ; empty where they agree).
    """
    ids = _treaty_ids(treaty_ids)
    codes = load_scholarly_codes()
    codes = codes[codes["treaty_id"].isin(ids)]
    compared = codes[
        codes["variable"].isin(["DEFENSE", "OFFENSE", "NEUTRAL", "NONAGG", "CONSUL", "type"])
    ]
    provisions = load_provisions()
    ours = {t: _our_codes(t, provisions) for t in ids}
    out = compared[["treaty_id", "dataset", "variable", "value", "note"]].rename(
        columns={"value": "scholars"}
    )
    out["ours"] = [ours[t][v] for t, v in zip(out["treaty_id"], out["variable"], strict=True)]
    out["agree"] = out["scholars"] == out["ours"]
    out["reason"] = out["note"].where(~out["agree"], "").fillna("")
    out["dataset"] = out["dataset"].astype("str")
    return out.drop(columns="note").reset_index(drop=True)


_data._State.listeners.append(_provision_matrix.cache_clear)
