"""Charts for the lessons (matplotlib): data in, Axes out, nothing shown here.

Colours come from the Okabe-Ito palette, which stays distinguishable for the
common forms of colour blindness. Only Latin text is drawn: the default fonts
have no CJK glyphs, so Chinese and Korean names belong in HTML tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .data import load_events

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["OKABE_ITO", "plot_event_counts"]

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


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
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
    ax = _axes(ax)
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
    ax.set_xticks(list(table.index), [f"{d}s" for d in table.index])
    ax.set_xlabel("Decade")
    ax.set_ylabel("Number of events")
    ax.set_title("Events in the treatylib timeline, by decade and category")
    ax.legend(title="Category", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.yaxis.get_major_locator().set_params(integer=True)
    return ax
