"""The comparison pacts (facts from the reference) and the comparison engine."""

from __future__ import annotations

import pandas as pd
import pytest

import treatylib
from treatylib import compare

IDS = [
    "china_dprk_1961",
    "ussr_dprk_1961",
    "sino_soviet_1950",
    "us_rok_1953",
    "us_japan_1960",
    "nato_1949",
    "anzus_1951",
    "us_phl_1951",
    "warsaw_1955",
    "rio_1947",
    "seato_1954",
    "rus_dprk_2000",
    "rus_dprk_2024",
    "sino_soviet_1945",
    "ussr_mongolia_1966",
]


def treaty(tid: str) -> pd.Series:
    return treatylib.load_treaties().set_index("treaty_id").loc[tid]


# --- facts from the reference -----------------------------------------------------------


def test_every_expected_treaty_is_there():
    assert sorted(treatylib.load_treaties()["treaty_id"]) == sorted(IDS)


@pytest.mark.parametrize(
    ("tid", "signed", "in_force", "ended", "place"),
    [
        ("ussr_dprk_1961", "1961-07-06", "1961-09-10", "1996-09-10", "Moscow"),
        ("sino_soviet_1950", "1950-02-14", "1950-04-11", "1980-04-11", "Moscow"),
        ("us_rok_1953", "1953-10-01", "1954-11-17", None, "Washington, D.C."),
        ("us_japan_1960", "1960-01-19", "1960-06-23", None, "Washington, D.C."),
        ("nato_1949", "1949-04-04", "1949-08-24", None, "Washington, D.C."),
        ("anzus_1951", "1951-09-01", "1952-04-29", None, "San Francisco"),
        ("us_phl_1951", "1951-08-30", "1952-08-27", None, "Washington, D.C."),
        ("warsaw_1955", "1955-05-14", "1955-06-05", "1991-07-01", "Warsaw"),
        ("rio_1947", "1947-09-02", "1948-12-03", None, "Rio de Janeiro"),
        ("seato_1954", "1954-09-08", "1955-02-19", None, "Manila"),
        ("rus_dprk_2000", "2000-02-09", "2000-10-30", "2024-12-04", "Pyongyang"),
        ("rus_dprk_2024", "2024-06-19", "2024-12-04", None, "Pyongyang"),
        ("sino_soviet_1945", "1945-08-14", None, "1950-02-14", "Moscow"),
        ("ussr_mongolia_1966", "1966-01-15", None, "1993-01-20", "Ulan Bator"),
    ],
)
def test_treaty_dates_match_the_reference(tid, signed, in_force, ended, place):
    row = treaty(tid)
    assert row["signed"] == pd.Timestamp(signed)
    assert row["signed_place"] == place
    for col, want in (("in_force", in_force), ("ended", ended)):
        if want is None:
            assert pd.isna(row[col]), (tid, col)
        else:
            assert row[col] == pd.Timestamp(want), (tid, col)


def test_disputed_dates_carry_a_note_and_a_claim():
    claims = treatylib.load_claims().set_index("claim_id")
    for tid, claim in [
        ("ussr_dprk_1961", "ussr_dprk_end_date"),
        ("sino_soviet_1950", "sino_soviet_1950_end"),
        ("us_rok_1953", "us_rok_in_force_18_nov"),
        ("seato_1954", "seato_ended_1977"),
        ("sino_soviet_1945", "sino_soviet_1945_end_1949"),
    ]:
        assert "claims.csv" in treaty(tid)["note"], tid
        assert claims.loc[claim, "verdict"] in ("disputed", "contradicted")
    assert claims.loc["seato_type", "verdict"] == "disputed"


@pytest.mark.parametrize(
    ("tid", "commitment"),
    [
        ("china_dprk_1961", "automatic"),
        ("ussr_dprk_1961", "automatic"),
        ("rus_dprk_2024", "automatic"),
        ("sino_soviet_1950", "automatic"),
        ("us_rok_1953", "constitutional"),
        ("anzus_1951", "constitutional"),
        ("us_phl_1951", "constitutional"),
        ("seato_1954", "constitutional"),
        ("us_japan_1960", "constitutional"),
        ("nato_1949", "discretionary"),
        ("warsaw_1955", "mixed"),
        ("rio_1947", "mixed"),
        ("rus_dprk_2000", "consultation_only"),
    ],
)
def test_defence_commitment_types_match_the_reference(tid, commitment):
    p = treatylib.load_provisions(tid)
    defence = p[p["provision"] == "defense"]
    assert defence["commitment"].astype(str).tolist() == [commitment]
    if commitment == "mixed":
        assert len(defence["note"].iloc[0]) > 40  # mixed rows explain themselves


def test_nato_has_32_members_with_accession_dates():
    nato = treatylib.load_parties("nato_1949").set_index("party")
    assert len(nato) == 32 and nato["left"].isna().all()
    founders = nato[nato["joined"] == pd.Timestamp("1949-04-04")]
    assert len(founders) == 12
    expected = {
        "GRC": "1952-02-18",
        "TUR": "1952-02-18",
        "DEU": "1955-05-06",
        "ESP": "1982-05-30",
        "POL": "1999-03-12",
        "EST": "2004-03-29",
        "HRV": "2009-04-01",
        "MNE": "2017-06-05",
        "MKD": "2020-03-27",
        "FIN": "2023-04-04",
        "SWE": "2024-03-07",
    }
    for code, day in expected.items():
        assert nato.loc[code, "joined"] == pd.Timestamp(day), code


def test_exits_and_suspensions():
    warsaw = treatylib.load_parties("warsaw_1955").set_index("party")
    assert warsaw.loc["ALB", "left"].year == 1968 and warsaw.loc["ALB", "left_how"] == "withdrew"
    assert warsaw.loc["DDR", "left"] == pd.Timestamp("1990-10-03")
    rio = treatylib.load_parties("rio_1947").set_index("party")
    assert rio.loc["MEX", "left"] == pd.Timestamp("2004-09-06")
    assert {"BOL", "NIC", "VEN", "ECU", "MEX", "CUB"} == set(rio[rio["left"].notna()].index)
    anzus = treatylib.load_parties("anzus_1951").set_index("party")
    assert anzus.loc["NZL", "left_how"] == "suspended"
    assert anzus.loc["NZL", "suspended_with"] == "USA"


def test_scholarly_codes_match_the_reference_atop_values():
    codes = treatylib.load_scholarly_codes()
    atop = codes[codes["dataset"] == "ATOP"].pivot(
        index="treaty_id", columns="variable", values="value"
    )
    expected = {  # DEFENSE/OFFENSE/NEUTRAL/NONAGG/CONSUL from the reference, section 3
        "china_dprk_1961": ("3445", "10010"),
        "us_rok_1953": ("3240", "10011"),
        "us_japan_1960": ("3375", "10011"),
        "nato_1949": ("3180", "10011"),
        "sino_soviet_1950": ("3200", "10010"),
        "ussr_dprk_1961": ("3440", "10010"),
        "rus_dprk_2000": ("4940", "00001"),
        "anzus_1951": ("3215", "10011"),
        "us_phl_1951": ("3210", "10011"),
        "warsaw_1955": ("3285", "10011"),
        "rio_1947": ("3075", "10011"),
        "seato_1954": ("3260", "10011"),
        "sino_soviet_1945": ("3030", "11000"),
        "ussr_mongolia_1966": ("3535", "10000"),
    }
    for tid, (atopid, bits) in expected.items():
        row = atop.loc[tid]
        assert row["atopid"] == atopid
        got = "".join(row[v] for v in ("DEFENSE", "OFFENSE", "NEUTRAL", "NONAGG", "CONSUL"))
        assert got == bits, tid
    assert "rus_dprk_2024" not in atop.index  # after ATOP's coverage


# --- the comparison engine --------------------------------------------------------------


def test_provision_matrix_is_ordered_and_indexed():
    m = treatylib.provision_matrix()
    assert m.index.name == "treaty_id" and set(m.index) == set(IDS)
    assert list(m.columns)[:2] == ["defense", "offense"]
    ranks = list(treatylib.load_provisions()["commitment"].cat.categories)
    coded = [ranks.index(v) for v in m["defense"] if isinstance(v, str) and v in ranks]
    assert coded == sorted(coded, reverse=True)  # strongest defence first
    assert m.loc["china_dprk_1961", "no_hostile_alliance"] == "yes"
    assert pd.isna(m.loc["us_rok_1953", "no_hostile_alliance"])
    sub = treatylib.provision_matrix(["nato_1949", "china_dprk_1961"])
    assert list(sub.index) == ["china_dprk_1961", "nato_1949"]


def test_commitment_ranking_runs_weakest_to_strongest():
    r = treatylib.commitment_ranking()
    assert r["commitment"].is_monotonic_increasing
    assert r.iloc[0]["treaty_id"] == "rus_dprk_2000"
    row = r.set_index("treaty_id").loc["china_dprk_1961"]
    assert row["label"] == "Art. II" and "immediately" in row["key_phrase"]
    consult = treatylib.commitment_ranking("consultation")
    assert set(consult["commitment"].astype(str)) == {"consultation_only"}


def test_aligned_clauses_side_by_side():
    ids = ["china_dprk_1961", "us_rok_1953", "nato_1949"]
    a = treatylib.aligned_clauses("defense", ids)
    assert a["treaty_id"].tolist() == ids
    phrases = a.set_index("treaty_id")["key_phrase"]
    assert "constitutional processes" in phrases["us_rok_1953"]
    assert "deems necessary" in phrases["nato_1949"]
    assert a["summary"].notna().all()


def test_treaties_in_force_on_dates():
    def ids_on(day):
        return set(treatylib.treaties_in_force(day)["treaty_id"])

    assert ids_on("1940-01-01") == set()
    assert ids_on("1962-01-01") >= {"china_dprk_1961", "ussr_dprk_1961", "sino_soviet_1950"}
    assert "warsaw_1955" not in ids_on("1991-07-01")  # ended that day
    assert "warsaw_1955" in ids_on("1991-06-30")
    nato = treatylib.treaties_in_force("2026-01-01").set_index("treaty_id").loc["nato_1949"]
    assert nato["n_members"] == 32
    assert (
        treatylib.treaties_in_force("2024-03-06")
        .set_index("treaty_id")
        .loc["nato_1949", "n_members"]
        == 31
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("1962-01-01", {("china_dprk_1961", "CHN"), ("ussr_dprk_1961", "SUN")}),
        ("1994-01-01", {("china_dprk_1961", "CHN"), ("ussr_dprk_1961", "RUS")}),
        ("2010-01-01", {("china_dprk_1961", "CHN")}),
        ("2025-06-01", {("china_dprk_1961", "CHN"), ("rus_dprk_2024", "RUS")}),
        ("1961-07-12", set()),  # signed, not yet in force
    ],
)
def test_dprk_attacked(day, expected):
    got = treatylib.obligations_if_attacked("PRK", on=day)
    assert set(zip(got["treaty_id"], got["obliged"], strict=True)) == expected
    assert (got["commitment"] == "automatic").all()


def test_obligation_columns_and_conditions():
    got = treatylib.obligations_if_attacked("PRK", on="1962-01-01")
    assert list(got.columns) == [
        "treaty_id",
        "obliged",
        "commitment",
        "article",
        "key_phrase",
        "scope",
        "conditions",
    ]
    assert got["conditions"].str.contains("state of war").all()


def test_edge_cases_dates_and_states_without_treaties():
    assert treatylib.obligations_if_attacked("USA", on="1940-01-01").empty
    # Japan had no treaty in our data before the 1960 treaty entered into force.
    assert treatylib.obligations_if_attacked("JPN", on="1959-01-01").empty
    # Mongolia's treaty ended in 1993.
    assert treatylib.obligations_if_attacked("MNG", on="2000-01-01").empty


def test_new_zealand_after_the_us_suspension():
    before = treatylib.obligations_if_attacked("NZL", on="1980-01-01")
    assert {"AUS", "USA"} <= set(before[before["treaty_id"] == "anzus_1951"]["obliged"])
    after = treatylib.obligations_if_attacked("NZL", on="1990-01-01")
    assert set(zip(after["treaty_id"], after["obliged"], strict=True)) == {("anzus_1951", "AUS")}
    # The suspension works both ways: New Zealand owes the United States nothing either.
    us = treatylib.obligations_if_attacked("USA", on="1990-01-01")
    assert "NZL" not in set(us[us["treaty_id"] == "anzus_1951"]["obliged"])
    assert "AUS" in set(us[us["treaty_id"] == "anzus_1951"]["obliged"])


def test_membership_on_the_day_counts():
    def nato_partners(day):
        got = treatylib.obligations_if_attacked("EST", on=day)
        return set(got[got["treaty_id"] == "nato_1949"]["obliged"])

    assert nato_partners("2004-03-28") == set()  # not yet a member
    assert "SWE" not in nato_partners("2024-03-06")
    assert "SWE" in nato_partners("2024-03-07")
    gone = treatylib.obligations_if_attacked("ALB", on="1970-01-01")
    assert "warsaw_1955" not in set(gone["treaty_id"])


def test_consultation_only_pacts_oblige_no_help():
    got = treatylib.obligations_if_attacked("PRK", on="2010-01-01")
    assert "rus_dprk_2000" not in set(got["treaty_id"])


def test_adversary_limits_and_allies():
    by_japan = treatylib.obligations_if_attacked("CHN", attacker="JPN", on="1955-01-01")
    assert "sino_soviet_1950" in set(by_japan["treaty_id"])
    assert by_japan["conditions"].str.contains("Japan").any()
    # In 1955 our data has no US-Japan alliance, so a US attack is outside the clause.
    us_1955 = treatylib.obligations_if_attacked("CHN", attacker="USA", on="1955-01-01")
    assert "sino_soviet_1950" not in set(us_1955["treaty_id"])
    # From 1960 the United States is allied with Japan, so the clause covers it.
    us_1965 = treatylib.obligations_if_attacked("CHN", attacker="USA", on="1965-01-01")
    assert "sino_soviet_1950" in set(us_1965["treaty_id"])
    # Without an attacker the limit is stated, not applied.
    any_1955 = treatylib.obligations_if_attacked("CHN", on="1955-01-01")
    row = any_1955.set_index("treaty_id").loc["sino_soviet_1950"]
    assert "limited to attacks by Japan" in row["conditions"]


def test_attacker_who_is_a_co_party_is_noted_and_owes_nothing():
    got = treatylib.obligations_if_attacked("GRC", attacker="TUR", on="1990-01-01")
    nato = got[got["treaty_id"] == "nato_1949"]
    assert "TUR" not in set(nato["obliged"]) and len(nato) > 0
    assert nato["conditions"].str.contains("itself a party").all()


def test_one_sided_duties_are_respected(monkeypatch):
    real = compare.load_provisions

    def one_sided():
        p = real()
        mask = (p["treaty_id"] == "us_japan_1960") & (p["provision"] == "defense")
        p.loc[mask, "obliged"] = "USA"
        return p

    monkeypatch.setattr(compare, "load_provisions", one_sided)
    japan = compare.obligations_if_attacked("JPN", on="2000-01-01")
    assert set(japan[japan["treaty_id"] == "us_japan_1960"]["obliged"]) == {"USA"}
    usa = compare.obligations_if_attacked("USA", on="2000-01-01")
    assert "us_japan_1960" not in set(usa["treaty_id"])


def test_compare_with_scholars_explains_every_difference():
    c = treatylib.compare_with_scholars()
    assert {"treaty_id", "dataset", "variable", "scholars", "ours", "agree", "reason"} <= set(
        c.columns
    )
    differ = c[~c["agree"]]
    assert len(differ) > 0
    assert (differ["reason"].str.len() > 20).all()
    assert (c[c["agree"]]["reason"] == "").all()
    consul = c[(c["treaty_id"] == "china_dprk_1961") & (c["variable"] == "CONSUL")].iloc[0]
    assert (consul["scholars"], consul["ours"], consul["agree"]) == ("0", "1", False)
    assert "crisis" in consul["reason"]
    defence = c[(c["treaty_id"] == "china_dprk_1961") & (c["variable"] == "DEFENSE")].iloc[0]
    assert defence["agree"]


@pytest.mark.parametrize(
    ("call", "bad"),
    [
        (lambda: treatylib.provision_matrix("no_such"), "no_such"),
        (lambda: treatylib.commitment_ranking("defence"), "defence"),
        (lambda: treatylib.aligned_clauses("defense", ["nato_1949", "nope"]), "nope"),
        (lambda: treatylib.obligations_if_attacked("XXX"), "XXX"),
        (lambda: treatylib.obligations_if_attacked("PRK", attacker="ZZZ"), "ZZZ"),
        (lambda: treatylib.obligations_if_attacked("PRK", on="sometime"), "sometime"),
        (lambda: treatylib.treaties_in_force("31/12/1961"), "31/12/1961"),
    ],
)
def test_bad_input_names_the_value(call, bad):
    with pytest.raises(ValueError, match=bad):
        call()


def test_unknown_party_lists_valid_codes():
    with pytest.raises(ValueError) as exc:
        treatylib.obligations_if_attacked("XXX")
    assert "PRK" in str(exc.value) and "CHN" in str(exc.value)
