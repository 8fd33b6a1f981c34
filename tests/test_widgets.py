"""Widgets: what each control change shows, empty selections, escaping, quizzes."""

from __future__ import annotations

import datetime as dt
import json
import re

import matplotlib

matplotlib.use("Agg")

import ipywidgets as w  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import treatylib  # noqa: E402
from treatylib import data, widgets  # noqa: E402
from treatylib.quiz import check_answer, questions, quiz, score_html  # noqa: E402

PNG = b"\x89PNG"
HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>"


def find(widget, kind, **attrs):
    """All descendants of ``widget`` of type ``kind`` whose attributes match, in page order."""
    if isinstance(widget, kind) and all(getattr(widget, k) == v for k, v in attrs.items()):
        return [widget]
    return [n for child in getattr(widget, "children", ()) for n in find(child, kind, **attrs)]


def html_text(widget) -> str:
    return "".join(h.value for h in find(widget, w.HTML))


def rows(html: str) -> int:
    return len(re.findall(r"<tr>", html)) - 1  # minus the header row


@pytest.fixture(autouse=True)
def _fresh_caches():
    widgets.clear_caches()
    yield
    widgets.clear_caches()


# --- timeline ---------------------------------------------------------------------------


def test_timeline_view_lists_exactly_the_selected_events():
    png, html = widgets.timeline_view((1950, 1953), ["war"])
    expected = treatylib.load_events("1950", "1953", "war")
    assert png.startswith(PNG)
    assert rows(html) == len(expected)
    for title in expected["title"]:
        assert widgets.esc(title) in html
    assert "href='http" in html  # sources are links


def test_timeline_view_empty_selection_gives_a_hint():
    png, html = widgets.timeline_view((1950, 1953), [])
    assert png is None and "Tick at least one category" in html
    png, html = widgets.timeline_view((1946, 1947), ["nuclear"])
    assert png is None and "No events" in html


def test_timeline_explorer_reacts_to_the_slider_and_toggles():
    box = treatylib.timeline_explorer()
    (slider,) = find(box, w.IntRangeSlider)
    (image,) = find(box, w.Image)
    boxes = find(box, w.Checkbox)
    slider.value = (2006, 2017)
    assert rows(html_text(box)) == len(treatylib.load_events("2006", "2017"))
    first_png = image.value
    for b in boxes:
        b.value = b.description == "nuclear"
    assert rows(html_text(box)) == len(treatylib.load_events("2006", "2017", "nuclear"))
    assert image.value != first_png
    for b in boxes:
        b.value = False
    assert "Tick at least one category" in html_text(box)
    assert image.layout.display == "none"


# --- article reader ---------------------------------------------------------------------


def test_article_view_shows_summary_phrase_and_obligations():
    html = widgets.article_view("china_dprk_1961", "Art. II")
    art = treatylib.load_articles("china_dprk_1961").set_index("label").loc["Art. II"]
    assert widgets.esc(art["summary"]) in html
    assert widgets.esc(art["key_phrase"]) in html and art["key_phrase_zh"] in html
    assert "automatic" in html and "defense" in html


def test_article_view_side_by_side_matches_topic():
    html = widgets.article_view("china_dprk_1961", "Art. II", "us_rok_1953")
    assert "constitutional processes" in html and "immediately render" in html
    assert "<table class='treatylib-compare'" in html
    none = widgets.article_view("china_dprk_1961", "Art. VI", "nato_1949")
    assert "no article on" in none


def test_article_reader_widget_updates():
    box = treatylib.article_reader()
    pick, other = find(box, w.Dropdown)
    pick.value = "Art. IV"
    assert "consult" in html_text(box)
    other.value = "nato_1949"
    assert "Art. 4" in html_text(box)
    assert "Pick an article" in widgets.article_view("china_dprk_1961", None)
    with pytest.raises(ValueError, match="Art. XX"):
        widgets.article_view("china_dprk_1961", "Art. XX")


# --- comparator -------------------------------------------------------------------------


def test_comparator_view_table_matches_the_matrix():
    png, html = widgets.comparator_view(["china_dprk_1961", "nato_1949"], ["defense"])
    assert png.startswith(PNG)
    assert rows(html) == 2 and "automatic" in html and "discretionary" in html
    png, html = widgets.comparator_view([], ["defense"])
    assert png is None and "Choose at least one" in html


def test_pact_comparator_widget_updates():
    box = treatylib.pact_comparator()
    treaties, provisions = find(box, w.SelectMultiple)
    treaties.value = ["rus_dprk_2000"]
    provisions.value = ["defense"]
    assert "consultation_only" in html_text(box) and rows(html_text(box)) == 1
    provisions.value = []
    assert "Choose at least one" in html_text(box)


# --- scenario ---------------------------------------------------------------------------


def test_scenario_view_matches_the_engine():
    html = widgets.scenario_view("PRK", None, dt.date(2025, 6, 1))
    expected = treatylib.obligations_if_attacked("PRK", on="2025-06-01")
    assert rows(html) == len(expected)
    assert "Russia–DPRK 2024" in html and "China–DPRK 1961" in html
    none = widgets.scenario_view("MNG", None, dt.date(2000, 1, 1))
    assert "no treaty" in none
    assert "Choose the state" in widgets.scenario_view(None, None, dt.date(2000, 1, 1))
    assert "Choose a date" in widgets.scenario_view("PRK", None, None)
    assert "must be different" in widgets.scenario_view("PRK", "PRK", dt.date(2000, 1, 1))


def test_scenario_explorer_widget_updates():
    box = treatylib.scenario_explorer()
    attacked, attacker = find(box, w.Dropdown)
    (day,) = find(box, w.DatePicker)
    day.value = dt.date(2010, 1, 1)
    assert rows(html_text(box)) == 1
    attacked.value = "NZL"
    day.value = dt.date(1990, 1, 1)
    assert "ANZUS" in html_text(box) and rows(html_text(box)) == 1
    day.value = None
    assert "Choose a date" in html_text(box)


# --- claims and glossary ----------------------------------------------------------------


def test_claim_view_reveals_only_after_judging():
    hidden = widgets.claim_view("renewed_every_20_years")
    assert "Evidence" not in hidden
    right = widgets.claim_view("renewed_every_20_years", "contradicted")
    wrong = widgets.claim_view("renewed_every_20_years", "supported")
    assert "You agree" in right and "You said supported" in wrong
    assert "Evidence" in right and "href='http" in right


def test_claim_checker_widget():
    box = treatylib.claim_checker()
    (pick,) = find(box, w.Dropdown)
    (judge,) = find(box, w.ToggleButtons)
    judge.value = "disputed"
    assert "Verdict" in html_text(box)
    pick.value = "kim_president_1961"
    assert judge.value == "" and "Verdict" not in html_text(box)


def test_glossary_view_finds_terms_and_name_variants():
    assert "ratif" in widgets.glossary_view("ratification").lower()
    variant = widgets.glossary_view("Chou En-lai")
    assert "Zhou Enlai" in variant
    assert "Nothing found" in widgets.glossary_view("xyzzy")
    assert "Type or pick" in widgets.glossary_view("")
    box = treatylib.glossary_lookup()
    (combo,) = find(box, w.Combobox)
    combo.value = "Kim Il Sung"
    assert "Premier" in html_text(box)


# --- escaping ---------------------------------------------------------------------------


@pytest.fixture
def hostile_data(monkeypatch):
    """Every text cell that widgets show replaced by hostile markup."""
    tables = {name: df.copy() for name, df in data._tables().items()}
    for df in tables.values():
        for col in (
            "title",
            "summary",
            "claim",
            "evidence",
            "definition",
            "role",
            "publisher",
            "key_phrase",
            "note",
            "scope",
            "short_name",
            "explanation",
            "prompt",
            "text",
            "name",
        ):
            if col in df and pd.api.types.is_string_dtype(df[col]):
                df[col] = df[col].where(df[col].isna(), HOSTILE)
    monkeypatch.setattr(data, "_tables", lambda: tables)
    widgets.clear_caches()


def assert_no_live_tags(html: str):
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html or "&lt;img" in html


def test_every_view_escapes_data(hostile_data):
    assert_no_live_tags(widgets.timeline_view((1945, 2025), ["war", "treaty"])[1])
    assert_no_live_tags(widgets.article_view("china_dprk_1961", "Art. II", "us_rok_1953"))
    assert_no_live_tags(widgets.comparator_view(["china_dprk_1961"], ["defense"])[1])
    assert_no_live_tags(widgets.scenario_view("PRK", None, "1962-01-01"))
    assert_no_live_tags(widgets.claim_view("renewed_every_20_years", "supported"))
    assert_no_live_tags(widgets.glossary_view("a"))
    assert_no_live_tags(check_answer("q00_signed", "b")[1])


def test_every_widget_escapes_data(hostile_data):
    for build in (
        treatylib.timeline_explorer,
        treatylib.article_reader,
        treatylib.pact_comparator,
        treatylib.scenario_explorer,
        treatylib.claim_checker,
    ):
        assert_no_live_tags(html_text(build()))
    box = treatylib.glossary_lookup()
    find(box, w.Combobox)[0].value = "a"
    assert_no_live_tags(html_text(box))
    q = quiz("00_start_here")
    assert_no_live_tags(html_text(q))


# --- quiz -------------------------------------------------------------------------------


def test_check_answer_feedback():
    ok, text = check_answer("q00_signed", "a")
    assert ok is True and "Correct" in text
    ok, text = check_answer("q00_signed", "b")
    assert ok is False and "11 July 1961" in text
    assert check_answer("q00_signed", None) == (None, "")
    with pytest.raises(ValueError, match="zz"):
        check_answer("q00_signed", "zz")
    with pytest.raises(ValueError, match="nope"):
        check_answer("nope", "a")


def test_score_counts_answered_and_right():
    assert "Score: 1 of 3" in score_html({"a": True, "b": False, "c": None}, 3)
    assert "(2 answered)" in score_html({"a": True, "b": False, "c": None}, 3)


def test_quiz_widget_feedback_score_and_reset():
    box = quiz("00_start_here")
    radios = find(box, w.RadioButtons)
    assert len(radios) == len(questions("00_start_here"))
    answers = data.load_quiz_questions("00_start_here")["answer"].tolist()
    radios[0].value = next(c for _, c in radios[0].options if c != answers[0])
    assert "Not quite" in html_text(box)
    assert f"Score: 0 of {len(radios)}" in html_text(box)
    for radio, answer in zip(radios, answers, strict=True):
        radio.value = answer
    assert f"Score: {len(radios)} of {len(radios)}" in html_text(box)
    assert html_text(box).count("Correct") == len(radios)
    (reset,) = find(box, w.Button)
    reset.click()
    assert all(r.value is None for r in radios)
    assert f"Score: 0 of {len(radios)}" in html_text(box)


def test_quiz_unknown_lesson():
    with pytest.raises(ValueError, match="99_nope"):
        quiz("99_nope")


PRIMARY_KEYS = {
    r["name"]: [r["schema"]["primaryKey"]]
    if isinstance(r["schema"]["primaryKey"], str)
    else r["schema"]["primaryKey"]
    for r in json.loads((data.data_dir() / "datapackage.json").read_text("utf-8"))["resources"]
}


def _formatted(value) -> str:
    if isinstance(value, pd.Timestamp):
        return f"{value.day} {value:%B} {value.year}"
    return str(value)


def test_every_quiz_answer_agrees_with_the_data():
    qs = data.load_quiz_questions()
    choices = data.load_quiz_choices()
    checked = 0
    for _, q in qs.iterrows():
        if pd.isna(q["fact_table"]):
            continue
        table = getattr(treatylib, f"load_{q['fact_table']}")()
        key = PRIMARY_KEYS[q["fact_table"]]
        ids = q["fact_id"].split("|")
        assert len(ids) == len(key), q["question_id"]
        match = table[(table[key].astype(str) == ids).all(axis=1)]
        assert len(match) == 1, (q["question_id"], q["fact_id"])
        value = _formatted(match.iloc[0][q["fact_column"]])
        mine = choices[choices["question_id"] == q["question_id"]].set_index("choice_id")["text"]
        right = mine[q["answer"]]
        assert right in value or value in right, (q["question_id"], right, value)
        for cid, text in mine.items():
            if cid != q["answer"]:
                assert not (text in value or value in text), (q["question_id"], text)
        checked += 1
    assert checked >= 20


def test_widget_charts_carry_an_html_colour_key():
    _, html = widgets.timeline_view((1950, 1953), ["war", "treaty"])
    key = html[html.index("treatylib-legend") : html.index("</p>")]
    shown = set(treatylib.load_events("1950", "1953", ["war", "treaty"])["category"].astype(str))
    for category in shown:
        assert category in key
    _, html = widgets.comparator_view(["nato_1949"], ["defense"])
    assert "treatylib-legend" in html and "discretionary" in html and "not in the treaty" in html


def test_timeline_redraws_only_when_the_events_shown_change():
    first, _ = widgets.timeline_view((1945, 1946), ["war", "politics"])
    misses = widgets._timeline_png.cache_info().misses
    same, _ = widgets.timeline_view((1945, 1947), ["war", "politics"])  # no events in 1946-47
    assert same == first and widgets._timeline_png.cache_info().misses == misses
    other, _ = widgets.timeline_view((1945, 1948), ["war", "politics"])
    assert other != first and widgets._timeline_png.cache_info().misses == misses + 1
