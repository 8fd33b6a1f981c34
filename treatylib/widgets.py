"""Interactive widgets for the lessons, built on pure view functions.

Each ``*_view`` function takes plain values (what the controls hold) and returns
HTML text and, where there is a chart, PNG bytes. The widget builders only wire
ipywidgets controls to those functions, so everything a widget shows can be
tested without a browser. Widgets show text through ``ipywidgets.HTML`` and
charts through ``ipywidgets.Image``: nothing is printed and no ``Output`` widget
is used, so nbval, the tests and the student all see the same thing. Every
string that comes from the data is HTML-escaped before it is shown.
"""

from __future__ import annotations

import datetime as _dt
import functools
import html
import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import compare, data, plots

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "DPI",
    "article_reader",
    "article_view",
    "claim_checker",
    "claim_view",
    "comparator_view",
    "glossary_lookup",
    "glossary_view",
    "pact_comparator",
    "scenario_explorer",
    "scenario_view",
    "table_html",
    "timeline_explorer",
    "timeline_view",
]

#: Resolution of widget charts: sharp enough on screen, quick to render.
DPI = 72
YEARS = (1945, 2025)


# --- small HTML helpers -----------------------------------------------------------------


def esc(value: Any) -> str:
    """Escaped text for HTML; missing values become an empty string."""
    if value is None or (not isinstance(value, str | list | tuple) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def hint(text: str) -> str:
    return f"<p class='treatylib-hint'><i>{esc(text)}</i></p>"


def fmt_date(value: Any, precision: str = "day") -> str:
    if value is None or pd.isna(value):
        return ""
    ts = pd.Timestamp(value)
    if precision == "year":
        return f"{ts.year}"
    if precision == "month":
        return f"{ts:%B} {ts.year}"
    return f"{ts.day} {ts:%B} {ts.year}"


SourceIndex = dict[str, tuple[str, str, str]]


def source_index() -> SourceIndex:
    """source_id → (url, publisher, title), for building many links quickly."""
    sources = data.load_sources()
    return {
        sid: (url, publisher, title)
        for sid, url, publisher, title in zip(
            sources["source_id"],
            sources["url"],
            sources["publisher"],
            sources["title"],
            strict=True,
        )
    }


def source_link(source_id: Any, sources: SourceIndex | None = None) -> str:
    """A link to a source, labelled with its publisher (escaped; only http(s) URLs)."""
    if source_id is None or pd.isna(source_id):
        return ""
    sources = source_index() if sources is None else sources
    if source_id not in sources:
        return esc(source_id)
    url, publisher, title = sources[source_id]
    if not str(url).startswith(("http://", "https://")):
        return esc(publisher)
    return (
        f"<a href='{esc(url)}' target='_blank' rel='noopener noreferrer' "
        f"title='{esc(title)}'>{esc(publisher)}</a>"
    )


def table_html(df: pd.DataFrame, columns: dict[str, str], raw: Iterable[str] = ()) -> str:
    """An HTML table of ``df``; ``columns`` maps column names to headers.

    Every cell is escaped except the columns named in ``raw``, which the caller
    has already built from escaped parts (links).
    """
    raw = set(raw)
    head = "".join(f"<th style='text-align:left'>{esc(h)}</th>" for h in columns.values())
    body = []
    cols = list(columns)
    for values in zip(*(df[c] for c in cols), strict=True):
        cells = "".join(
            f"<td style='text-align:left;vertical-align:top'>{v if c in raw else esc(v)}</td>"
            for c, v in zip(cols, values, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f"<table class='treatylib-table'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def colour_key(colours: dict[str, str], labels: dict[str, str] | None = None) -> str:
    """An HTML legend: a coloured square and a label for each entry."""
    labels = labels or {}
    items = "".join(
        f"<span style='margin-right:1em;white-space:nowrap'><span style='display:inline-block;"
        f"width:0.9em;height:0.9em;border:1px solid #808080;background:{esc(colour)};"
        f"vertical-align:middle'></span> {esc(labels.get(key, key))}</span>"
        for key, colour in colours.items()
    )
    return f"<p class='treatylib-legend'><b>Colours:</b> {items}</p>"


def _render(
    draw: Callable[[Axes], Any],
    size: tuple[float, float],
    margins: tuple[float, float, float, float] = (0.5, 1.8, 0.45, 0.6),
) -> bytes:
    """PNG bytes of a chart drawn on an off-screen figure.

    A bare ``Figure`` (not pyplot) is never picked up by the inline backend, so the
    chart appears only inside the widget and nothing is left open. Margins (left,
    right, top, bottom, in inches) are fixed rather than computed by a layout
    engine, which halves the time of a redraw.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=size)
    plots.set_margins(fig, margins)
    draw(fig.add_subplot())
    buf = io.BytesIO()
    fig.savefig(
        buf, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1}
    )
    return buf.getvalue()


def clear_caches() -> None:
    """Forget rendered charts (after the data changed)."""
    _timeline_png.cache_clear()
    _provisions_png.cache_clear()


# Charts cached for one data set must not be shown for another (see use_data).
data._State.listeners.append(lambda: clear_caches())


# --- timeline explorer ------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _timeline_png(event_ids: tuple[str, ...]) -> bytes:
    # Keyed by the events shown, not by the controls: moving the slider across years
    # with no events, or ticking a category with none in range, redraws nothing.
    events = data.load_events()
    events = events[events["event_id"].isin(event_ids)]
    height = min(12.0, max(2.5, 0.24 * len(events) + 1.4))
    # Titles are in the table under the chart; labelling only short selections keeps
    # a redraw quick (each label costs a few milliseconds to rasterise).
    return _render(
        lambda ax: plots.plot_timeline(events, ax=ax, label_limit=12, legend=False),
        (8.0, height),
        margins=(0.3, 0.3, 0.35, 0.55),
    )


def timeline_view(years: tuple[int, int], categories: Iterable[str]) -> tuple[bytes | None, str]:
    """Chart and table of the events in ``years`` (inclusive) and ``categories``."""
    start, end = sorted(int(y) for y in years)
    categories = tuple(sorted(categories))
    if not categories:
        return None, hint("Tick at least one category to see events.")
    events = data.load_events(str(start), str(end), list(categories))
    if events.empty:
        return None, hint(f"No events of these kinds between {start} and {end}.")
    sources = source_index()
    shown = events.assign(
        when=[
            fmt_date(d, p) for d, p in zip(events["date"], events["date_precision"], strict=True)
        ],
        source=[source_link(s, sources) for s in events["source_id"]],
    )
    table = table_html(
        shown,
        {
            "when": "Date",
            "title": "Event",
            "category": "Category",
            "source": "Source",
            "confidence": "Confidence",
        },
        raw=["source"],
    )
    count = f"<p>{len(events)} event{'s' if len(events) != 1 else ''} from {start} to {end}.</p>"
    shown_cats = set(events["category"].astype(str))
    key = colour_key({c: v for c, v in plots.CATEGORY_COLOURS.items() if c in shown_cats})
    return _timeline_png(tuple(events["event_id"])), key + count + table


def timeline_explorer() -> Any:
    """Year-range slider and category toggles → timeline chart and a sourced table."""
    import ipywidgets as w

    cats = list(plots.CATEGORY_COLOURS)
    years = w.IntRangeSlider(
        value=(1945, 1961),
        min=YEARS[0],
        max=YEARS[1],
        step=1,
        description="Years",
        continuous_update=False,
        layout=w.Layout(width="500px"),
    )
    boxes = [
        w.Checkbox(value=True, description=c, indent=False, layout=w.Layout(width="110px"))
        for c in cats
    ]
    image = w.Image(format="png")
    text = w.HTML()

    def update(_=None):
        png, body = timeline_view(years.value, [b.description for b in boxes if b.value])
        _show(image, png)
        text.value = body

    years.observe(update, "value")
    for b in boxes:
        b.observe(update, "value")
    update()
    box = w.VBox([years, w.HBox(boxes), image, text])
    box.add_class("treatylib-timeline-explorer")
    return box


def _show(image: Any, png: bytes | None) -> None:
    if png is None:
        image.layout.display = "none"
    else:
        image.value = png
        image.layout.display = None


# --- article reader ---------------------------------------------------------------------


def _phrase(text: Any, source_id: Any, sources: SourceIndex) -> str:
    if text is None or pd.isna(text):
        return ""
    return (
        f"<blockquote>“{esc(text)}” <small>({source_link(source_id, sources)})</small></blockquote>"
    )


def _article_card(row: pd.Series, treaty_name: str, sources: SourceIndex) -> str:
    provisions = data.load_provisions(row["treaty_id"])
    mine = provisions[provisions["article"] == row["article"]]
    if "label" in mine and mine["label"].notna().any():
        mine = mine[mine["label"].isna() | (mine["label"] == row["label"])]
    coded = (
        "".join(
            f"<li><b>{esc(p['provision'])}</b>"
            + (f" — commitment: <b>{esc(p['commitment'])}</b>" if pd.notna(p["commitment"]) else "")
            + (f" — {esc(p['note'])}" if pd.notna(p["note"]) else "")
            + "</li>"
            for _, p in mine.iterrows()
        )
        or "<li>No obligation coded for this article.</li>"
    )
    parts = [
        f"<h4>{esc(treaty_name)}: {esc(row['label'])} <small>({esc(row['topic'])})</small></h4>",
        f"<p>{esc(row['summary'])}</p>",
        _phrase(row["key_phrase"], row["key_phrase_source_id"], sources),
        _phrase(row["key_phrase_zh"], row["key_phrase_zh_source_id"], sources),
        f"<p><b>Coded obligations:</b></p><ul>{coded}</ul>",
        f"<p><small>Summary based on: {source_link(row['source_id'], sources)}; "
        f"confidence: {esc(row['confidence'])}</small></p>",
    ]
    if pd.notna(row["note"]):
        parts.append(f"<p><small>Note: {esc(row['note'])}</small></p>")
    return "".join(parts)


def article_view(treaty_id: str, label: str | None, compare_with: str | None = None) -> str:
    """One article in our words, its key phrase and coded obligations.

    With ``compare_with`` (another treaty_id), the article on the same topic in
    that treaty is shown beside it.
    """
    articles = data.load_articles(treaty_id)
    if not label:
        return hint("Pick an article to read.")
    rows = articles[articles["label"] == label]
    if rows.empty:
        valid = ", ".join(articles["label"])
        raise ValueError(f"unknown article {label!r} for {treaty_id}; valid: {valid}")
    row = rows.iloc[0]
    names = data.load_treaties().set_index("treaty_id")["short_name"]
    sources = source_index()
    left = _article_card(row, names[treaty_id], sources)
    if not compare_with or compare_with == treaty_id:
        return f"<div class='treatylib-article'>{left}</div>"
    other = data.load_articles(compare_with)
    match = other[other["topic"] == row["topic"]]
    if match.empty:
        right = hint(f"{names[compare_with]} has no article on '{row['topic']}' in our data.")
    else:
        right = _article_card(match.iloc[0], names[compare_with], sources)
    return (
        "<table class='treatylib-compare' style='width:100%'><tr>"
        f"<td style='width:50%;vertical-align:top'>{left}</td>"
        f"<td style='width:50%;vertical-align:top'>{right}</td></tr></table>"
    )


def article_reader(
    treaty_id: str = "china_dprk_1961",
    article: str | None = None,
    compare_with: str | None = None,
) -> Any:
    """Pick an article → summary, key phrase, obligations; optionally beside another treaty.

    ``article`` (a label such as "Art. VII") and ``compare_with`` (a treaty_id) set
    what the reader opens at.
    """
    import ipywidgets as w

    articles = data.load_articles(treaty_id)
    names = data.load_treaties().set_index("treaty_id")["short_name"]
    labels = articles["label"].tolist()
    if article is not None and article not in labels:
        raise ValueError(f"unknown article {article!r} for {treaty_id}; valid: {', '.join(labels)}")
    default = article or ("Art. II" if "Art. II" in labels else labels[0])
    pick = w.Dropdown(options=labels, value=default, description="Article")
    others = [("(none)", "")] + [(str(names[t]), t) for t in names.index if t != treaty_id]
    if compare_with is not None and compare_with not in names.index:
        raise ValueError(f"unknown treaty_id {compare_with!r}; valid: {', '.join(names.index)}")
    other = w.Dropdown(options=others, value=compare_with or "", description="Compare with")
    text = w.HTML()

    def update(_=None):
        text.value = article_view(treaty_id, pick.value, other.value or None)

    pick.observe(update, "value")
    other.observe(update, "value")
    update()
    box = w.VBox([w.HBox([pick, other]), text])
    box.add_class("treatylib-article-reader")
    return box


# --- pact comparator --------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _provisions_png(treaty_ids: tuple[str, ...], provisions: tuple[str, ...]) -> bytes:
    height = max(3.0, 0.35 * len(treaty_ids) + 1.8)
    return _render(
        lambda ax: plots.plot_provisions(
            list(treaty_ids), ax=ax, provisions=list(provisions), legend=False
        ),
        (7.0, height),
        margins=(1.6, 0.3, 0.35, 1.3),
    )


def comparator_view(
    treaty_ids: Iterable[str], provisions: Iterable[str]
) -> tuple[bytes | None, str]:
    """Heatmap and table of the chosen treaties × provisions."""
    # Sorted: the same choice in another order is the same chart and matrix (cached).
    treaty_ids, provisions = tuple(sorted(treaty_ids)), tuple(provisions)
    if not treaty_ids or not provisions:
        return None, hint("Choose at least one treaty and one provision.")
    matrix = compare.provision_matrix(list(treaty_ids), list(provisions))
    names = data.load_treaties().set_index("treaty_id")["short_name"]
    shown = matrix.reset_index()
    shown.insert(0, "treaty", [names[t] for t in shown["treaty_id"]])
    shown = shown.drop(columns="treaty_id").fillna("—")
    headers = {"treaty": "Treaty", **{p: p.replace("_", " ") for p in matrix.columns}}
    table = table_html(shown, headers)
    key = colour_key(plots.provision_colours(), plots.PROVISION_LEGEND)
    return _provisions_png(treaty_ids, provisions), key + table


def pact_comparator() -> Any:
    """Choose treaties and provisions → heatmap and table."""
    import ipywidgets as w

    names = data.load_treaties().set_index("treaty_id")["short_name"]
    provisions = list(data.load_provisions()["provision"].cat.categories)
    start = ["china_dprk_1961", "ussr_dprk_1961", "us_rok_1953", "nato_1949", "rus_dprk_2024"]
    treaties = w.SelectMultiple(
        options=[(str(names[t]), t) for t in names.index],
        value=[t for t in start if t in names.index],
        description="Treaties",
        rows=8,
    )
    chosen = w.SelectMultiple(
        options=provisions, value=provisions, description="Provisions", rows=8
    )
    image = w.Image(format="png")
    text = w.HTML()

    def update(_=None):
        png, body = comparator_view(treaties.value, chosen.value)
        _show(image, png)
        text.value = body

    treaties.observe(update, "value")
    chosen.observe(update, "value")
    update()
    box = w.VBox([w.HBox([treaties, chosen]), image, text])
    box.add_class("treatylib-pact-comparator")
    return box


# --- scenario explorer ------------------------------------------------------------------


def scenario_view(attacked: str | None, attacker: str | None, on: Any) -> str:
    """Which treaties in force on ``on`` oblige whom to help ``attacked``, and how."""
    if not attacked:
        return hint("Choose the state that is attacked.")
    if on is None or (not isinstance(on, str) and pd.isna(on)):
        return hint("Choose a date.")
    if attacker == attacked:
        return hint("The attacker and the attacked state must be different.")
    result = compare.obligations_if_attacked(attacked, attacker or None, on)
    day = fmt_date(on)
    names = data.load_treaties().set_index("treaty_id")["short_name"]
    who = esc(attacked) + (f", attacked by {esc(attacker)}" if attacker else "")
    if result.empty:
        return (
            f"<p><b>{who}</b> on {esc(day)}: no treaty in our data obliges any state "
            f"to help.</p>" + hint("Consultation-only pacts are not counted as help.")
        )
    result = result.assign(
        treaty=[names[t] for t in result["treaty_id"]],
        article_label=[f"Art. {int(a)}" if pd.notna(a) else "" for a in result["article"]],
    )
    table = table_html(
        result,
        {
            "treaty": "Treaty",
            "obliged": "Who must help",
            "commitment": "How strongly",
            "key_phrase": "Key phrase",
            "conditions": "Conditions",
        },
    )
    return f"<p><b>{who}</b> on {esc(day)}: {len(result)} obligation(s) to help.</p>{table}"


def scenario_explorer() -> Any:
    """Choose the attacked state, the attacker and a date → who must help, and how."""
    import ipywidgets as w

    parties = data.load_parties()
    codes = parties.drop_duplicates("party").sort_values("party")
    options = [(f"{c} – {n}", c) for c, n in zip(codes["party"], codes["party_name"], strict=True)]
    attacked = w.Dropdown(options=options, value="PRK", description="Attacked")
    attacker = w.Dropdown(options=[("(anyone)", "")] + options, value="", description="Attacker")
    day = w.DatePicker(value=_dt.date(1962, 1, 1), description="Date")
    text = w.HTML()

    def update(_=None):
        text.value = scenario_view(attacked.value, attacker.value or None, day.value)

    for control in (attacked, attacker, day):
        control.observe(update, "value")
    update()
    box = w.VBox([w.HBox([attacked, attacker]), day, text])
    box.add_class("treatylib-scenario-explorer")
    return box


# --- claim checker ----------------------------------------------------------------------

JUDGEMENTS = ("supported", "contradicted", "disputed", "unverified")


def claim_view(claim_id: str, judgement: str | None = None) -> str:
    """A claim; once the student has judged it, the verdict, evidence and sources."""
    claims = data.load_claims().set_index("claim_id")
    if claim_id not in claims.index:
        raise ValueError(f"unknown claim {claim_id!r}; valid: {', '.join(claims.index)}")
    row = claims.loc[claim_id]
    head = f"<p><b>Claim:</b> “{esc(row['claim'])}”</p>"
    if not judgement:
        return head + hint("What do you think? Choose a verdict to see the evidence.")
    if judgement not in JUDGEMENTS:
        raise ValueError(f"unknown judgement {judgement!r}; valid: {', '.join(JUDGEMENTS)}")
    verdict = str(row["verdict"])
    mark = (
        "✔ You agree with the evidence."
        if judgement == verdict
        else (f"✘ You said {esc(judgement)}; the evidence says {esc(verdict)}.")
    )
    sources = source_index()
    links = "; ".join(source_link(s.strip(), sources) for s in str(row["source_ids"]).split(";"))
    return (
        head + f"<p><b>{mark}</b></p>"
        f"<p><b>Verdict:</b> {esc(verdict)} (confidence: {esc(row['confidence'])})</p>"
        f"<p><b>Evidence:</b> {esc(row['evidence'])}</p>"
        f"<p><b>Who says it:</b> {esc(row['who_says_it'])}</p>"
        f"<p><small><b>Sources:</b> {links}</small></p>"
    )


def claim_checker() -> Any:
    """Show a contested claim, let the student judge it, then reveal the evidence."""
    import ipywidgets as w

    claims = data.load_claims()
    pick = w.Dropdown(
        options=[
            (str(c)[:80], i) for i, c in zip(claims["claim_id"], claims["claim"], strict=True)
        ],
        description="Claim",
        layout=w.Layout(width="700px"),
    )
    judge = w.ToggleButtons(
        options=[("I'm not sure yet", "")] + [(j, j) for j in JUDGEMENTS],
        value="",
        description="Your verdict",
    )
    text = w.HTML()

    def new_claim(_=None):
        judge.value = ""
        text.value = claim_view(pick.value, None)

    def judged(_=None):
        text.value = claim_view(pick.value, judge.value or None)

    pick.observe(new_claim, "value")
    judge.observe(judged, "value")
    new_claim()
    box = w.VBox([pick, judge, text])
    box.add_class("treatylib-claim-checker")
    return box


# --- glossary lookup --------------------------------------------------------------------


def glossary_view(query: str | None) -> str:
    """Glossary terms and people whose name (or a variant) contains ``query``."""
    query = (query or "").strip().casefold()
    if not query:
        return hint("Type or pick a term or a name.")
    glossary = data.load_glossary()
    people = data.load_people()
    terms = glossary[glossary["term"].str.casefold().str.contains(query, regex=False)]
    names = people["name"].str.casefold().str.contains(query, regex=False) | people[
        "name_variants"
    ].fillna("").str.casefold().str.contains(query, regex=False)
    found = people[names]
    if terms.empty and found.empty:
        return hint(f"Nothing found for '{query}'. Try part of a word, e.g. 'ratif'.")
    parts = [
        f"<p><b>{esc(t)}</b>: {esc(d)}</p>"
        for t, d in zip(terms["term"], terms["definition"], strict=True)
    ]
    for _, p in found.iterrows():
        life = " – ".join(x for x in (fmt_date(p["born"]), fmt_date(p["died"])) if x)
        parts.append(
            f"<p><b>{esc(p['name'])}</b>"
            + (f" ({esc(p['name_variants'])})" if pd.notna(p["name_variants"]) else "")
            + f": {esc(p['role'])}"
            + (f" <small>[{esc(life)}]</small>" if life else "")
            + (f"<br><small>{esc(p['note'])}</small>" if pd.notna(p["note"]) else "")
            + "</p>"
        )
    return "".join(parts)


def glossary_lookup() -> Any:
    """Type or pick a term or a person → definition, name variants and role."""
    import ipywidgets as w

    glossary = data.load_glossary()
    people = data.load_people()
    options = sorted(set(glossary["term"]) | set(people["name"]), key=str.casefold)
    box_in = w.Combobox(
        options=options,
        placeholder="e.g. ratification or Zhou Enlai",
        description="Look up",
        ensure_option=False,
    )
    text = w.HTML()

    def update(_=None):
        text.value = glossary_view(box_in.value)

    box_in.observe(update, "value")
    update()
    box = w.VBox([box_in, text])
    box.add_class("treatylib-glossary-lookup")
    return box
