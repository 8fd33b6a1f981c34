"""Charts for the lessons (matplotlib): data in, Axes out, nothing shown here.

Colours come from the Okabe-Ito palette, which stays distinguishable for the
common forms of colour blindness. Only Latin text is drawn: the default fonts
have no CJK glyphs, so Chinese and Korean names belong in HTML tables.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import pandas as pd

from .data import DateLike, as_of, load_events, load_treaties

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "CATEGORY_COLOURS",
    "COMMITMENT_COLOURS",
    "OKABE_ITO",
    "plot_commitment_ladder",
    "plot_event_counts",
    "plot_lifespans",
    "plot_provisions",
    "plot_timeline",
]

#: Okabe & Ito (2008) colour-blind-safe palette, black last.
OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
FIGSIZE = (8.0, 4.0)
HIGHLIGHT = "china_dprk_1961"

#: One fixed colour per event category, so a category keeps its colour in every chart.
CATEGORY_COLOURS = {
    "war": OKABE_ITO[5],
    "politics": OKABE_ITO[1],
    "diplomacy": OKABE_ITO[2],
    "treaty": OKABE_ITO[4],
    "anniversary": OKABE_ITO[0],
    "nuclear": OKABE_ITO[6],
}
#: A sequential, colour-blind-safe scale (viridis steps) for the ordered commitments.
COMMITMENT_COLOURS = {
    "none": "#f6d5c4",
    "consultation_only": "#fde725",
    "constitutional": "#7ad151",
    "discretionary": "#22a884",
    "mixed": "#2a788e",
    "automatic": "#414487",
}
PRESENT_COLOUR = "#bdbdbd"  # provision present, but it obliges no response
ABSENT_COLOUR = "#ffffff"
PROVISION_LEGEND = {
    "absent": "not in the treaty (as coded)",
    "present": "present, no response owed",
    **{k: k.replace("_", " ") for k in COMMITMENT_COLOURS},
}


def _text_box(labels: Iterable[str], fontsize: float | str | None = None) -> tuple[float, float]:
    """Width and height in inches of the widest and tallest of ``labels``."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(size=fontsize)
    # "lp" reaches from ascender to descender, as matplotlib sizes a line of text
    sizes = [text_to_path.get_text_width_height_descent(str(t), prop, False) for t in labels]
    line = text_to_path.get_text_width_height_descent("lp", prop, False)[1]
    width = max((w for w, _, _ in sizes), default=0.0)
    height = max([h for _, h, _ in sizes] + [line]) if sizes else 0.0
    return width / 72, height * 1.05 / 72  # 5% for the rounding of hinted glyphs


def _text_inches(labels: Iterable[str], fontsize: float | str | None = None) -> float:
    """Width in inches of the widest of ``labels`` as matplotlib will draw it."""
    return _text_box(labels, fontsize)[0]


def _labels(
    ax: Axes,
    title: str,
    xlabel: str | None = None,
    xticks: Iterable[str] = (),
    rotation: float = 0.0,
    ylabel: str | None = None,
    yticks: Iterable[str] = (),
) -> None:
    """Set the title and axis labels at offsets measured once, here.

    Left to itself, matplotlib measures every tick label again at each draw to place
    the title and axis labels: about a tenth of the time a chart takes to show here.
    """
    import math

    from matplotlib import rcParams
    from matplotlib.transforms import ScaledTranslation

    ax.set_title(title, y=1.0)  # a given y: no search for tick labels above the axes
    inches = ax.figure.dpi_scale_trans
    if xlabel is not None:
        width, height = _text_box(list(xticks), rcParams["xtick.labelsize"])
        turn = math.radians(rotation)
        depth = width * math.sin(turn) + height * math.cos(turn) if width else 0.0
        gap = rcParams["xtick.major.size"] + rcParams["xtick.major.pad"] + rcParams["axes.labelpad"]
        ax.set_xlabel(xlabel)
        down = ScaledTranslation(0, -(depth + gap / 72), inches)
        ax.xaxis.set_label_coords(0.5, 0.0, transform=ax.transAxes + down)
    if ylabel is not None:
        width = _text_inches(list(yticks), rcParams["ytick.labelsize"])
        gap = rcParams["ytick.major.size"] + rcParams["ytick.major.pad"] + rcParams["axes.labelpad"]
        ax.set_ylabel(ylabel)
        left = ScaledTranslation(-(width + gap / 72), 0, inches)
        ax.yaxis.set_label_coords(0.0, 0.5, transform=ax.transAxes + left)


def _legend_inches(labels: Iterable[str], title: str, fontsize: float | str | None = None) -> float:
    """Room a legend placed just right of the axes needs (handles, padding, text)."""
    from matplotlib.font_manager import FontProperties

    em = FontProperties(size=fontsize).get_size_in_points() / 72
    # handle 2 em and a gap of 0.8 em before each label; 1.3 em of padding around
    text = max(_text_inches(labels, fontsize) + 2.8 * em, _text_inches([title], fontsize))
    return text + 1.3 * em + 0.2


_OWN_FIGURES: weakref.WeakSet = weakref.WeakSet()


def _axes(
    ax: Axes | None,
    size: tuple[float, float] = FIGSIZE,
    margins: Callable[[], tuple[float, float, float, float]] = lambda: (0.75, 0.3, 0.45, 0.6),
) -> Axes:
    """``ax``, or the axes of a new pyplot figure with ``margins`` (left, right, top,
    bottom, in inches) worked out by the caller from its labels.

    Fixed margins rather than a layout engine: constrained layout measures every
    artist again at each draw, a fifth to two fifths of the time a lesson chart took to
    show here.
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size)
    set_margins(fig, margins())  # measured only for a figure made here
    _OWN_FIGURES.add(fig)
    return ax


def set_margins(fig: Figure, margins: tuple[float, float, float, float]) -> None:
    """Place the axes of ``fig`` with margins (left, right, top, bottom) in inches."""
    width, height = fig.get_size_inches()
    left, right, top, bottom = margins
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height
    )


def _finished(ax: Axes) -> Axes:
    """Mark a figure this module made as up to date once its chart is complete.

    After each notebook cell, pyplot renders every figure marked stale, and then the
    inline backend renders it again to show it: the first render is wasted. A figure
    changed afterwards is stale again and drawn as usual.
    """
    if ax.figure in _OWN_FIGURES:
        ax.figure.stale = False
    return ax


def event_counts(events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Events per decade (rows) and category (columns), every category kept."""
    events = load_events() if events is None else events
    decade = (events["date"].dt.year // 10 * 10).rename("decade")
    table = pd.crosstab(decade, events["category"], dropna=False)
    if len(events):
        full = range(int(decade.min()), int(decade.max()) + 10, 10)
        table = table.reindex(full, fill_value=0)
    table.index.name = "decade"
    return table


def plot_event_counts(events: pd.DataFrame | None = None, ax: Axes | None = None) -> Axes:
    """Stacked bars: how many events of each category fall in each decade."""
    table = event_counts(events)
    ax = _axes(
        ax,
        FIGSIZE,
        lambda: (0.75, _legend_inches([str(c) for c in table.columns], "Category"), 0.45, 0.6),
    )
    bottom = pd.Series(0, index=table.index)
    for colour, category in zip(OKABE_ITO, table.columns, strict=False):
        ax.bar(
            table.index,
            table[category],
            width=8,
            bottom=bottom,
            color=colour,
            label=str(category),
            edgecolor="white",
            linewidth=0.5,
        )
        bottom = bottom + table[category]
    decades = [f"{d}s" for d in table.index]
    ax.set_xticks(list(table.index), decades)
    # y tick labels are whole numbers up to about the tallest bar
    widest = str(int(bottom.max()) + 1) if len(bottom) else "0"
    _labels(
        ax,
        "Events in the treatylib timeline, by decade and category",
        "Decade",
        decades,
        ylabel="Number of events",
        yticks=[widest],
    )
    ax.legend(title="Category", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(1, int(bottom.max()) if len(bottom) else 0) * 1.08)  # room above
    return _finished(ax)


def _year_ticks(ax: Axes, first: pd.Timestamp, last: pd.Timestamp) -> None:
    """Label 1 January of every 1, 2, 5, 10, 20 or 25 years, at most 12 ticks.

    Fixed ticks: matplotlib's date locators search for them again at every draw.
    """
    from matplotlib.dates import DateFormatter, date2num
    from matplotlib.ticker import FixedLocator

    span = last.year - first.year + 1
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50) if span / s <= 12)
    start = first.year - first.year % step
    ticks = date2num([pd.Timestamp(y, 1, 1) for y in range(start, last.year + step + 1, step)])
    low, high = ax.get_xlim()  # only ticks inside the axes: no hidden labels outside it
    ax.xaxis.set_major_locator(FixedLocator([t for t in ticks if low <= t <= high]))
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plot_timeline(
    events: pd.DataFrame | None = None,
    start: DateLike | None = None,
    end: DateLike | None = None,
    categories: str | Iterable[str] | None = None,
    ax: Axes | None = None,
    label_limit: int = 40,
    legend: bool = True,
) -> Axes:
    """Events on a time axis, coloured by category, one row per event, oldest at the top.

    ``events`` defaults to :func:`treatylib.load_events`; ``start``, ``end`` and
    ``categories`` filter it as that function does. Each point carries its title
    when at most ``label_limit`` events are shown (one row each, so labels never
    overlap).
    """
    if events is None:
        events = load_events(start, end, categories)
    elif start is not None or end is not None or categories is not None:
        keep = set(load_events(start, end, categories)["event_id"])
        events = events[events["event_id"].isin(keep)]
    events = events.sort_values(["date", "event_id"]).reset_index(drop=True)
    n = len(events)
    shown = [c for c in CATEGORY_COLOURS if c in set(events["category"].astype(str))]
    ax = _axes(
        ax,
        (9.0, min(12.0, max(2.5, 0.24 * n + 1.4))),
        lambda: (0.45, _legend_inches(shown, "Category") if legend and n else 0.3, 0.45, 0.6),
    )
    for category in shown:
        rows = events[events["category"].astype(str) == category]
        # markers on an invisible line: cheaper to draw than a scatter
        ax.plot(
            rows["date"],
            rows.index,
            marker="o",
            linestyle="none",
            markersize=6,
            color=CATEGORY_COLOURS[category],
            markeredgecolor="black",
            markeredgewidth=0.5,
            zorder=3,
            label=category,
        )
    if n:
        first, last = events["date"].min(), events["date"].max()
        pad = max((last - first) * 0.04, pd.Timedelta(days=30))
        ax.set_xlim(first - pad, last + pad)
        if last.year - first.year >= 3:  # shorter spans keep matplotlib's month ticks
            _year_ticks(ax, first, last)
        middle = first + (last - first) * 0.55
        if n <= label_limit:
            for i, row in events.iterrows():
                right = row["date"] <= middle
                ax.annotate(
                    _short(str(row["title"]), 48),
                    (row["date"], i),
                    xytext=(6 if right else -6, 0),
                    textcoords="offset points",
                    ha="left" if right else "right",
                    va="center",
                    fontsize=7.5,
                    # every point lies inside the axes: no need to check at each draw
                    annotation_clip=False,
                )
        title = f"Timeline of events, {first.year}–{last.year} ({n} events)"
        if legend:  # widgets show it in HTML instead, which redraws faster
            ax.legend(title="Category", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    else:
        title = "Timeline of events (no events selected)"
    ax.set_ylim(max(n, 1) - 0.5, -0.5)
    ax.set_yticks([])
    # the x tick labels are one line of digits: any such string gives their height
    _labels(ax, title, "Date", ["1961-05"], ylabel="Events, oldest first")
    ax.grid(axis="x", linestyle=":", linewidth=0.5)
    return _finished(ax)


def _lifespan_rows(treaties: pd.DataFrame) -> pd.DataFrame:
    end_day = pd.Timestamp(as_of())
    rows = treaties.assign(
        start=treaties["in_force"].fillna(treaties["signed"]),
        stop=treaties["ended"].fillna(end_day),
        open_ended=treaties["ended"].isna(),
    )
    return rows.sort_values("start", ascending=False).reset_index(drop=True)


def plot_lifespans(treaties: pd.DataFrame | None = None, ax: Axes | None = None) -> Axes:
    """One horizontal bar per treaty, from entry into force (or signature) to its end.

    Treaties with no end date run to the data package's ``as_of()`` date and end in
    an arrow; the 1961 China-DPRK treaty is highlighted.
    """
    treaties = load_treaties() if treaties is None else treaties
    rows = _lifespan_rows(treaties)
    names = rows["short_name"].astype(str)
    ax = _axes(
        ax,
        (9.0, max(3.0, 0.35 * len(rows) + 1.2)),
        lambda: (_text_inches(names) + 0.2, 0.3, 0.45, 0.6),
    )
    # One call per kind of mark: fewer artists make a quicker draw.
    colours = [OKABE_ITO[5] if t == HIGHLIGHT else OKABE_ITO[4] for t in rows["treaty_id"]]
    ax.barh(
        rows.index,
        rows["stop"] - rows["start"],
        left=rows["start"],
        height=0.6,
        color=colours,
        edgecolor="black",
        linewidth=0.4,
    )
    still = rows[rows["open_ended"]]
    if len(still):
        ax.plot(
            still["stop"],
            still.index,
            marker=">",
            color="black",
            markersize=6,
            linestyle="none",
            zorder=3,
        )
    ax.set_yticks(range(len(rows)), names)
    if len(rows):
        _year_ticks(ax, rows["start"].min(), rows["stop"].max())
    _labels(
        ax,
        "How long each alliance treaty lasted",
        f"Year (treaties without an end date run to {as_of():%d %B %Y}, marked ▶)",
        ["2000"],  # the tick labels are years: any year gives their height
    )
    ax.grid(axis="x", linestyle=":", linewidth=0.5)
    return _finished(ax)


def plot_provisions(
    treaty_ids: str | Iterable[str] | None = None,
    ax: Axes | None = None,
    provisions: str | Iterable[str] | None = None,
    legend: bool = True,
) -> Axes:
    """Heatmap of treaty × provision, coloured by commitment strength, with a legend."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from .compare import provision_matrix

    matrix = provision_matrix(treaty_ids, provisions)
    keys = ["absent", "present", *COMMITMENT_COLOURS]
    colours = [ABSENT_COLOUR, PRESENT_COLOUR, *COMMITMENT_COLOURS.values()]
    codes = matrix.map(
        lambda v: keys.index("absent" if pd.isna(v) else "present" if v == "yes" else v)
    )
    names = load_treaties().set_index("treaty_id")["short_name"]
    y_labels = [str(names[t]) for t in matrix.index]
    x_labels = [c.replace("_", " ") for c in matrix.columns]
    ax = _axes(
        ax,
        (9.0, max(3.0, 0.35 * len(matrix) + 1.8)),
        lambda: (
            _text_inches(y_labels) + 0.2,
            _legend_inches(PROVISION_LEGEND.values(), "Commitment", 8) if legend else 0.3,
            0.45,
            0.5 * _text_inches(x_labels) + 0.65,  # x labels turned 30 degrees: sin 30 = 0.5
        ),
    )
    ax.pcolormesh(
        codes.to_numpy(dtype=float),
        cmap=ListedColormap(colours),
        vmin=-0.5,
        vmax=len(keys) - 0.5,
        edgecolors="#808080",
        linewidth=0.5,
    )
    ax.set_yticks([i + 0.5 for i in range(len(matrix))], y_labels)
    ax.set_xticks(
        [i + 0.5 for i in range(len(matrix.columns))],
        x_labels,
        rotation=30,
        ha="right",
    )
    ax.invert_yaxis()
    _labels(ax, "What each treaty obliges, and how strongly", "Provision", x_labels, 30)
    if legend:  # widgets show it in HTML instead, which redraws faster
        handles = [
            Patch(facecolor=c, edgecolor="#808080", label=PROVISION_LEGEND.get(k, k))
            for k, c in zip(keys, colours, strict=True)
        ]
        ax.legend(
            handles=handles,
            title="Commitment",
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            fontsize=8,
        )
    return _finished(ax)


def provision_colours() -> dict[str, str]:
    """Colour of each heatmap cell value, in legend order ('absent', 'present', levels)."""
    return {"absent": ABSENT_COLOUR, "present": PRESENT_COLOUR, **COMMITMENT_COLOURS}


def plot_commitment_ladder(
    treaty_ids: str | Iterable[str] | None = None, ax: Axes | None = None
) -> Axes:
    """Treaties ordered from consultation-only to automatic defence, with key phrases."""
    from .compare import _treaty_ids, commitment_ranking

    ranking = commitment_ranking("defense")
    ranking = ranking[ranking["treaty_id"].isin(_treaty_ids(treaty_ids))].reset_index(drop=True)
    levels = list(ranking["commitment"].cat.categories)
    names = ranking["short_name"].astype(str)
    texts = [
        f"{label}: \u201c{phrase}\u201d"
        if isinstance(phrase, str)
        else f"{label}: (no verified English phrase)"
        for label, phrase in zip(ranking["label"], ranking["key_phrase"], strict=True)
    ]
    size = (12.0, max(3.0, 0.42 * len(ranking) + 1.5))
    ax = _axes(ax, size, lambda: (_text_inches(names) + 0.2, 0.2, 0.45, 0.85))
    text_x = len(levels) - 0.3  # key phrases share one column right of the ladder
    # Stretch the x axis so the longest phrase ends inside the axes: with the axes
    # w inches wide and the phrase t inches long, (xmax - text_x) / (xmax + 0.5) >= t / w.
    w = ax.get_position().width * ax.figure.get_figwidth()
    t = _text_inches(texts, 7.5) + 0.15
    xmax = max(len(levels) + 1.0, (text_x * w + 0.5 * t) / max(w - t, 1.0))
    xs = [levels.index(str(c)) for c in ranking["commitment"]]
    ys = list(ranking.index)
    highlight = (ranking["treaty_id"] == HIGHLIGHT).tolist()
    # One line of connectors (gaps between them) and one set of markers per colour:
    # fewer artists make a quicker draw.
    ax.plot(
        [v for x in xs for v in (x, text_x - 0.1, float("nan"))],
        [v for y in ys for v in (y, y, float("nan"))],
        color="#c0c0c0",
        linewidth=0.6,
        zorder=0,
    )
    for colour, chosen in ((OKABE_ITO[4], False), (OKABE_ITO[5], True)):
        keep = [i for i, h in enumerate(highlight) if h == chosen]
        if keep:
            ax.plot(
                [xs[i] for i in keep],
                [ys[i] for i in keep],
                marker="o",
                markersize=9,
                color=colour,
                markeredgecolor="black",
                linestyle="none",
            )
    for y, text in zip(ys, texts, strict=True):
        ax.text(text_x, y, text, va="center", fontsize=7.5)
    ax.set_yticks(range(len(ranking)), names)
    level_names = [lv.replace("_", " ") for lv in levels]
    ax.set_xticks(range(len(levels)), level_names, rotation=15)
    ax.set_xlim(-0.5, xmax)
    ax.set_ylim(-0.7, len(ranking) - 0.3)
    _labels(
        ax,
        "The commitment ladder: how firmly each pact promises help",
        "Commitment of the defence clause (weakest to strongest)",
        level_names,
        15,
    )
    ax.grid(axis="x", linestyle=":", linewidth=0.5)
    return _finished(ax)
