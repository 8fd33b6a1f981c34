"""The shipped data package: schema conformance, the 1961 facts, loader behaviour."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import treatylib
from treatylib.schema import KEY_PHRASE_MAX_WORDS, word_count

DATA = Path(__file__).resolve().parent.parent / "data"
T = "china_dprk_1961"

LOADERS = {
    "treaties": treatylib.load_treaties,
    "parties": treatylib.load_parties,
    "articles": treatylib.load_articles,
    "provisions": treatylib.load_provisions,
    "scholarly_codes": treatylib.load_scholarly_codes,
    "events": treatylib.load_events,
    "claims": treatylib.load_claims,
    "people": treatylib.load_people,
    "sources": treatylib.load_sources,
    "glossary": treatylib.load_glossary,
    "quiz_questions": treatylib.load_quiz_questions,
    "quiz_choices": treatylib.load_quiz_choices,
}


def schema() -> dict:
    return json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))


def fields(table: str) -> list[dict]:
    (res,) = [r for r in schema()["resources"] if r["name"] == table]
    return res["schema"]["fields"]


def csv_rows(table: str) -> list[dict]:
    with open(DATA / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- the package as a whole -------------------------------------------------------------


def test_frictionless_validates_every_table_with_keys():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATA / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {t.name for t in report.tasks} == set(LOADERS)


def test_frictionless_catches_a_dangling_foreign_key(tmp_path):
    """Guards the test above: the real validator does check our foreign keys."""
    frictionless = pytest.importorskip("frictionless")
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    text = (copy / "parties.csv").read_text(encoding="utf-8")
    (copy / "parties.csv").write_text(text.replace(f"{T},PRK", "no_such_treaty,PRK"), "utf-8")
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {e.type for task in report.tasks for e in task.errors}


def test_own_validator_accepts_the_shipped_package():
    counts = treatylib.validate()
    assert counts == {t: len(csv_rows(t)) for t in LOADERS}


def test_table_sizes_meet_the_minimums():
    assert len(csv_rows("events")) >= 35
    assert len(csv_rows("claims")) >= 6
    assert len(csv_rows("people")) >= 8
    assert len(csv_rows("glossary")) >= 20


def test_as_of_is_a_fixed_date_from_the_package():
    assert treatylib.as_of().isoformat() == schema()["as_of"]


def test_commitment_vocabulary_is_declared_once_in_order():
    (field,) = [f for f in fields("provisions") if f["name"] == "commitment"]
    assert field["constraints"]["enum"] == [
        "none",
        "consultation_only",
        "constitutional",
        "discretionary",
        "mixed",
        "automatic",
    ]
    dtype = treatylib.load_provisions()["commitment"].dtype
    assert dtype.ordered and list(dtype.categories) == field["constraints"]["enum"]


# --- dtypes come from the schema ------------------------------------------------------


@pytest.mark.parametrize("table", sorted(LOADERS))
def test_dtypes_follow_the_schema(table):
    df = LOADERS[table]()
    assert list(df.columns) == [f["name"] for f in fields(table)]
    for f in fields(table):
        col = df[f["name"]]
        if "enum" in f.get("constraints", {}):
            assert isinstance(col.dtype, pd.CategoricalDtype), f["name"]
            assert list(col.dtype.categories) == f["constraints"]["enum"]
        elif f["type"] == "date":
            assert pd.api.types.is_datetime64_dtype(col), f["name"]
        elif f["type"] == "integer":
            assert pd.api.types.is_integer_dtype(col), f["name"]
        elif f["type"] == "boolean":
            assert pd.api.types.is_bool_dtype(col), f["name"]
        else:
            assert pd.api.types.is_string_dtype(col), f["name"]


@pytest.mark.parametrize("table", sorted(LOADERS))
def test_docstring_lists_every_column(table):
    doc = LOADERS[table].__doc__ or ""
    missing = [f["name"] for f in fields(table) if f["name"] not in doc]
    assert not missing, f"load_{table} docstring does not mention {missing}"


# --- the facts of 1961, read through the public loaders ---------------------------------


def test_the_1961_treaty_row():
    t = treatylib.load_treaties().set_index("treaty_id").loc[T]
    assert t["signed"] == pd.Timestamp("1961-07-11")
    assert t["signed_place"] == "Beijing"
    assert t["in_force"] == pd.Timestamp("1961-09-10")
    assert t["ratifications_exchanged"] == pd.Timestamp("1961-09-10")
    assert t["exchange_place"] == "Pyongyang"
    assert pd.isna(t["ended"]) and t["status"] == "in_force"
    assert "Zhou Enlai" in t["signatories"] and "Kim Il Sung" in t["signatories"]
    assert t["name_zh"] == "中华人民共和国和朝鲜民主主义人民共和国友好合作互助条约"
    assert "조중우호" in t["name_ko"]
    assert t["articles_count"] == 7
    assert set(t["languages"].split("; ")) == {"Chinese", "Korean"}
    assert "both" in t["duration_rule"] and "no fixed term" in t["duration_rule"].lower()


def test_parties_and_approvals():
    p = treatylib.load_parties(T).set_index("party")
    assert sorted(p.index) == ["CHN", "PRK"]
    assert p.loc["CHN", "ccode"] == 710 and p.loc["PRK", "ccode"] == 731
    assert p.loc["PRK", "ratified"] == pd.Timestamp("1961-08-23")
    assert p.loc["CHN", "ratified"] == pd.Timestamp("1961-08-30")
    assert "Liu Shaoqi" in p.loc["CHN", "ratified_by"]


def test_preamble_and_seven_articles():
    a = treatylib.load_articles(T)
    assert a["article"].tolist() == list(range(8))
    assert a["label"].tolist() == [
        "Preamble",
        "Art. I",
        "Art. II",
        "Art. III",
        "Art. IV",
        "Art. V",
        "Art. VI",
        "Art. VII",
    ]
    art2 = a.set_index("label").loc["Art. II"]
    assert art2["topic"] == "mutual_defense"
    assert "immediately" in art2["key_phrase"] and "立即" in art2["key_phrase_zh"]


def test_article_ii_is_the_automatic_defence_obligation():
    p = treatylib.load_provisions(T)
    defence = p[p["provision"] == "defense"]
    assert defence["article"].tolist() == [2]
    assert defence["commitment"].tolist() == ["automatic"]
    # Ordered categories let students rank commitments.
    assert (defence["commitment"] > "constitutional").all()
    consult = p[p["provision"] == "consultation"]
    assert consult["article"].tolist() == [4]


def test_key_dates_in_the_timeline():
    ev = treatylib.load_events().set_index("event_id")
    expected = {
        "treaty_signed": "1961-07-11",
        "ussr_dprk_treaty_signed": "1961-07-06",
        "dprk_approval": "1961-08-23",
        "prc_ratification": "1961-08-30",
        "entry_into_force": "1961-09-10",
        "armistice": "1953-07-27",
        "may16_coup": "1961-05-16",
        "china_rok_relations": "1992-08-24",
        "rus_dprk_2024_in_force": "2024-12-04",
    }
    for event_id, day in expected.items():
        assert ev.loc[event_id, "date"] == pd.Timestamp(day), event_id
    assert ev["date"].min().year == 1945 and ev["date"].max().year == 2025


def test_renewal_claim_is_contradicted_by_article_vii_and_the_mfa():
    c = treatylib.load_claims().set_index("claim_id").loc["renewed_every_20_years"]
    assert c["verdict"] == "contradicted"
    ids = c["source_ids"].split("; ")
    assert "globaltimes_2021_wang" in ids and "hankyung_2021_zhao" in ids


def test_people_have_name_variants():
    people = treatylib.load_people().set_index("person_id")
    assert "Chou En-lai" in people.loc["zhou_enlai", "name_variants"]
    assert people.loc["kim_il_sung", "born"] == pd.Timestamp("1912-04-15")


# --- sourcing rules ---------------------------------------------------------------------


def test_every_fact_row_names_an_existing_source():
    known = set(treatylib.load_sources()["source_id"])
    for table, loader in LOADERS.items():
        df = loader()
        for col in df.columns:
            if col.endswith("source_id"):
                # Glossary definitions and concept questions need not cite a source.
                required = col == "source_id" and table not in ("glossary", "quiz_questions")
                if required:
                    assert df[col].notna().all(), (table, col)
                assert set(df[col].dropna()) <= known, (table, col)
            if col.endswith("source_ids"):
                for cell in df[col].dropna():
                    assert {s.strip() for s in cell.split(";")} <= known, (table, cell)


def test_sources_have_a_kind_and_a_web_address():
    s = treatylib.load_sources()
    assert s["kind"].notna().all()
    assert s["url"].str.match(r"^https?://").all()


def test_key_phrases_are_at_most_15_words():
    a = treatylib.load_articles()
    for col in ("key_phrase", "key_phrase_zh"):
        for phrase in a[col].dropna():
            assert word_count(phrase) <= KEY_PHRASE_MAX_WORDS, phrase


def test_multi_valued_cells_use_semicolon_space():
    for table in ("treaties", "people", "claims"):
        for row in csv_rows(table):
            for col in ("other_names", "name_variants", "source_ids", "languages"):
                cell = row.get(col) or ""
                assert ";;" not in cell and not cell.endswith(";"), (table, col, cell)
                assert all(part == part.strip() for part in cell.split("; ")), (table, col, cell)


# --- loader behaviour -------------------------------------------------------------------


def test_returned_frames_are_independent_copies():
    first = treatylib.load_treaties()
    first.loc[0, "name"] = "changed"
    first["signed"] = pd.NaT
    events = treatylib.load_events()
    events.iloc[0, events.columns.get_loc("title")] = "changed"
    events["category"] = events["category"].cat.add_categories(["invented"])
    assert treatylib.load_treaties().loc[0, "name"] != "changed"
    assert treatylib.load_treaties()["signed"].notna().all()
    again = treatylib.load_events()
    assert again.loc[0, "title"] == csv_rows("events")[0]["title"]
    assert "invented" not in again["category"].cat.categories


@pytest.mark.parametrize(
    "loader",
    [treatylib.load_parties, treatylib.load_articles, treatylib.load_provisions],
)
def test_unknown_treaty_id_names_value_and_choices(loader):
    with pytest.raises(ValueError, match="no_such_treaty") as exc:
        loader("no_such_treaty")
    assert T in str(exc.value)


def test_treaty_id_may_be_a_list():
    assert len(treatylib.load_articles([T])) == len(treatylib.load_articles(T))


def test_events_filters_by_range_and_category():
    rows = csv_rows("events")
    in_1961 = [r for r in rows if r["date"].startswith("1961")]
    got = treatylib.load_events(start="1961-01-01", end="1961-12-31")
    assert sorted(got["event_id"]) == sorted(r["event_id"] for r in in_1961)
    # A bare year as end means the end of that year; ints and dates are accepted too.
    assert len(treatylib.load_events("1961", "1961")) == len(in_1961)
    assert len(treatylib.load_events(1961, 1961)) == len(in_1961)
    nuclear = [r for r in rows if r["category"] == "nuclear"]
    assert len(treatylib.load_events(categories="nuclear")) == len(nuclear)
    two = treatylib.load_events(categories=["nuclear", "war"])
    assert set(two["category"]) == {"nuclear", "war"}


def test_events_bad_input():
    with pytest.raises(ValueError, match="after end"):
        treatylib.load_events(start="1970", end="1960")
    with pytest.raises(ValueError, match="'wars'") as exc:
        treatylib.load_events(categories=["wars"])
    assert "war" in str(exc.value) and "nuclear" in str(exc.value)
    with pytest.raises(ValueError, match="not a date"):
        treatylib.load_events(start="July 1961 or so")


def test_lesson_header_escapes_and_rejects_unknown():
    header = treatylib.lesson_header("00_start_here")
    assert "<h2>" in header.data and "minutes" in header.data
    with pytest.raises(ValueError, match="00_start_here"):
        treatylib.lesson_header("99_nope")


def test_import_is_light():
    code = (
        "import sys, treatylib; "
        "heavy = [m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_version_is_a_static_string():
    source = (Path(treatylib.__file__).parent / "_version.py").read_text()
    assert f'"{treatylib.__version__}"' in source
    assert "importlib.metadata" not in (Path(treatylib.__file__).parent / "__init__.py").read_text()


def test_data_dictionary_is_up_to_date():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "data_dictionary", DATA.parent / "scripts" / "data_dictionary.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (DATA.parent / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    assert committed == module.render(schema()), "run `make dictionary` and commit the result"
