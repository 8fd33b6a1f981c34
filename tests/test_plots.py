"""Charts draw exactly the data they are given, deterministically."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import QuadMesh  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import treatylib  # noqa: E402
from treatylib import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def png(ax) -> bytes:
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=50, metadata={"Software": None})
    return buf.getvalue()


def event_lines(ax) -> list:
    """The timeline's markers: one marker-only line per category."""
    return [ln for ln in ax.lines if ln.get_marker() == "o" and ln.get_linestyle() == "None"]


def scatter_points(ax) -> int:
    return sum(len(ln.get_xdata()) for ln in event_lines(ax))


def test_timeline_draws_one_marker_per_event_and_labels_them():
    events = treatylib.load_events("1945", "1961")
    ax = plots.plot_timeline(events)
    assert scatter_points(ax) == len(events)
    labels = {t.get_text() for t in ax.texts}
    assert "Korean Armistice signed" in labels
    assert str(len(events)) in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert set(legend) == set(events["category"].astype(str))


# Every chart that lays itself out (margins, label offsets), on a figure of its own.
LAID_OUT = {
    "lifespans": plots.plot_lifespans,
    "provisions": plots.plot_provisions,
    "ladder": plots.plot_commitment_ladder,
    "event_counts": plots.plot_event_counts,
    "timeline_1945_1961": lambda: plots.plot_timeline(start="1945", end="1961"),
    "timeline_1991_2025": lambda: plots.plot_timeline(start="1991", end="2025"),
}


@pytest.mark.parametrize("chart", LAID_OUT.values(), ids=LAID_OUT.keys())
def test_title_and_axis_labels_sit_next_to_the_tick_labels(chart):
    # Their places are worked out once by the plot function (not by matplotlib at
    # each draw): the x label must be just below the tick labels, never on them.
    from matplotlib.transforms import Bbox

    ax = chart()
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    pt = fig.dpi / 72
    ticks = Bbox.union([t.get_window_extent(r) for t in ax.get_xticklabels() if t.get_text()])
    label = ax.xaxis.label.get_window_extent(r)
    assert label.y1 <= ticks.y0 + 0.5 * pt, "x label overlaps the tick labels"
    assert ticks.y0 - label.y1 < 8 * pt, "x label floats far below the tick labels"
    axes = ax.get_window_extent(r)
    title = ax.title.get_window_extent(r)
    assert axes.y1 <= title.y0 < axes.y1 + 12 * pt
    ylabels = [t.get_window_extent(r) for t in ax.get_yticklabels() if t.get_text()]
    if ax.get_ylabel() and ylabels:
        ylabel = ax.yaxis.label.get_window_extent(r)
        assert ylabel.x1 <= Bbox.union(ylabels).x0 + 0.5 * pt


def test_timeline_filters_like_the_loader_and_handles_no_events():
    ax = plots.plot_timeline(start="2006", end="2017", categories="nuclear")
    assert scatter_points(ax) == len(treatylib.load_events("2006", "2017", "nuclear"))
    empty = plots.plot_timeline(events=treatylib.load_events().iloc[0:0])
    assert scatter_points(empty) == 0 and "no events" in empty.get_title()


def test_timeline_colours_follow_category():
    ax = plots.plot_timeline(start="1950", end="1953")
    lines = event_lines(ax)
    assert len(lines) > 1  # 1950-1953 has events of several categories
    for line in lines:
        colour = to_hex(line.get_markerfacecolor()).upper()
        assert colour == plots.CATEGORY_COLOURS[line.get_label()].upper()


def visible_tick_labels(ax) -> list[str]:
    ax.figure.canvas.draw()
    low, high = sorted(ax.get_xlim())
    return [
        t.get_text()
        for t, x in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True)
        if low <= x <= high and t.get_text()
    ]


def test_timeline_year_ticks_for_long_spans_month_ticks_for_short_ones():
    years = visible_tick_labels(plots.plot_timeline(start="1945", end="1961"))
    assert len(years) >= 3 and all(len(y) == 4 and y.isdigit() for y in years)
    assert years == sorted(years)
    # Every 1961 event falls within a few months: the axis must still be labelled.
    months = visible_tick_labels(plots.plot_timeline(start="1961", end="1961"))
    assert len(months) >= 2 and all(m.startswith("1961") for m in months)


@pytest.mark.parametrize("chart", LAID_OUT.values(), ids=LAID_OUT.keys())
def test_margins_keep_every_label_inside_the_figure(chart):
    # Charts are laid out with margins measured from their labels, not by a layout
    # engine: saved without bbox_inches="tight", nothing may be cut off.
    ax = chart()
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    inside = fig.bbox.padded(1)
    texts = [*ax.get_yticklabels(), *ax.get_xticklabels(), ax.xaxis.label, ax.title, *ax.texts]
    if ax.get_legend() is not None:
        texts += [*ax.get_legend().get_texts(), ax.get_legend().get_title()]
    for text in texts:
        if not text.get_text() or not text.get_visible():
            continue
        box = text.get_window_extent(renderer)
        assert inside.contains(box.x0, box.y0) and inside.contains(box.x1, box.y1), (
            f"{text.get_text()!r} is drawn outside the figure"
        )


def test_lifespans_one_bar_per_treaty_with_names():
    treaties = treatylib.load_treaties()
    ax = plots.plot_lifespans(treaties)
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == len(treaties)
    assert {t.get_text() for t in ax.get_yticklabels()} == set(treaties["short_name"])
    open_ended = treaties["ended"].isna().sum()
    arrows = [line for line in ax.lines if line.get_marker() == ">"]
    assert sum(len(a.get_xdata()) for a in arrows) == open_ended
    # The highlighted treaty has its own colour.
    colours = {to_hex(b.get_facecolor()) for b in bars}
    assert len(colours) == 2


def test_lifespans_run_open_ended_treaties_to_as_of_not_today():
    treaties = treatylib.load_treaties().query("treaty_id == 'nato_1949'")
    ax = plots.plot_lifespans(treaties)
    (bar,) = [p for p in ax.patches if isinstance(p, Rectangle)]
    end = matplotlib.dates.num2date(bar.get_x() + bar.get_width()).date()
    assert end == treatylib.as_of()


def test_provisions_heatmap_has_one_cell_per_treaty_and_provision():
    ids = ["china_dprk_1961", "nato_1949", "us_rok_1953"]
    ax = plots.plot_provisions(ids)
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    n_provisions = len(treatylib.load_provisions()["provision"].cat.categories)
    assert mesh.get_array().size == len(ids) * n_provisions
    names = treatylib.load_treaties().set_index("treaty_id")["short_name"]
    assert {t.get_text() for t in ax.get_yticklabels()} == {names[i] for i in ids}
    assert ax.get_legend() is not None
    only = plots.plot_provisions(ids, provisions=["defense", "consultation"])
    (mesh,) = [c for c in only.collections if isinstance(c, QuadMesh)]
    assert mesh.get_array().size == len(ids) * 2


def test_commitment_ladder_places_each_treaty_at_its_commitment():
    ax = plots.plot_commitment_ladder()
    ranking = treatylib.commitment_ranking("defense")
    markers = [line for line in ax.lines if line.get_marker() == "o"]
    assert sum(len(m.get_xdata()) for m in markers) == len(ranking)
    levels = list(ranking["commitment"].cat.categories)
    got = sorted(
        (int(y), int(x)) for m in markers for x, y in zip(m.get_xdata(), m.get_ydata(), strict=True)
    )
    want = sorted((i, levels.index(str(c))) for i, c in enumerate(ranking["commitment"]))
    assert got == want
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "immediately render military" in texts
    # Only the 1961 treaty is drawn in the highlight colour.
    china = ranking.index[ranking["treaty_id"] == "china_dprk_1961"][0]
    for m in markers:
        highlighted = to_hex(m.get_color()).upper() == plots.OKABE_ITO[5].upper()
        assert (china in set(m.get_ydata())) == highlighted
        assert highlighted == (len(m.get_ydata()) == 1)


def test_same_input_gives_the_same_figure():
    first = png(plots.plot_provisions(["china_dprk_1961", "nato_1949"]))
    second = png(plots.plot_provisions(["china_dprk_1961", "nato_1949"]))
    assert first == second
    other = png(plots.plot_provisions(["china_dprk_1961", "us_rok_1953"]))
    assert other != first


def test_charts_draw_only_latin_text():
    axes = [
        plots.plot_lifespans(),
        plots.plot_provisions(),
        plots.plot_commitment_ladder(),
        plots.plot_timeline(),
    ]
    for ax in axes:
        texts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        texts += [t.get_text() for t in ax.texts]
        texts += [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()]
        for text in texts:
            assert not any(
                "\u3000" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text
            ), text


def test_plots_use_a_given_axes_and_never_show(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() called"))
    fig, ax = plt.subplots()
    assert plots.plot_timeline(ax=ax) is ax
    assert plots.plot_event_counts(ax=ax) is ax


def test_bad_input_to_charts():
    with pytest.raises(ValueError, match="nope"):
        plots.plot_provisions(["nope"])
    with pytest.raises(ValueError, match="wars"):
        plots.plot_timeline(categories="wars")
    with pytest.raises(ValueError, match="after end"):
        plots.plot_timeline(start="2000", end="1990")


def test_event_counts_cover_every_event():
    counts = plots.event_counts()
    assert counts.to_numpy().sum() == len(treatylib.load_events())
    assert isinstance(counts.index, pd.Index) and counts.index.name == "decade"


def test_a_finished_chart_is_not_rendered_again_before_it_is_shown():
    # After each notebook cell pyplot renders every stale figure, then the inline
    # backend renders it again to show it. A chart fresh from treatylib skips the
    # first, wasted render; once the student changes it, it is rendered as usual.
    ax = plots.plot_lifespans()
    draws = []
    ax.figure.canvas.mpl_connect("draw_event", lambda event: draws.append(event))
    plt.draw_all()
    assert draws == []
    ax.set_title("My own title")
    plt.draw_all()
    assert len(draws) == 1
    # An axes the caller made is left exactly as pyplot would treat it.
    fig, own = plt.subplots()
    plots.plot_timeline(start="1950", end="1953", ax=own)
    assert fig.stale
