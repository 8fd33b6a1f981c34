"""Lesson metadata: the one place for each lesson's title, timing and objectives.

Each lesson's first code cell shows its header from here, and the teacher guide
is built from the same entries, so they cannot drift apart.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

__all__ = ["LESSONS", "Lesson", "lesson_header"]


@dataclass(frozen=True)
class Lesson:
    stem: str  # notebook file name without .ipynb
    title: str
    minutes: int
    difficulty: str
    prerequisites: tuple[str, ...]
    objectives: tuple[str, ...]


LESSONS: dict[str, Lesson] = {
    lesson.stem: lesson
    for lesson in (
        Lesson(
            stem="00_start_here",
            title="Start here: the 1961 China–DPRK treaty in one table",
            minutes=20,
            difficulty="introductory",
            prerequisites=("None: no programming or Jupyter experience needed.",),
            objectives=(
                "Run, edit and re-run cells in a Jupyter notebook.",
                "Name the parties, date and place of signature of the 1961 treaty.",
                "Tell signature, ratification and entry into force apart.",
                "Read a table of events and see where each fact comes from.",
            ),
        ),
    )
}


def lesson_header(stem: str) -> Any:
    """The header block (title, time, level, prerequisites, objectives) of a lesson.

    Returns an ``IPython.display.HTML`` object; display it by ending a cell with it.
    """
    if stem not in LESSONS:
        raise ValueError(
            f"unknown lesson {stem!r}; valid lessons are: {', '.join(sorted(LESSONS))}"
        )
    from IPython.display import HTML  # only needed inside a notebook

    lesson = LESSONS[stem]
    esc = html.escape

    def items(values: tuple[str, ...]) -> str:
        return "".join(f"<li>{esc(v)}</li>" for v in values)

    return HTML(
        f"<div class='treatylib-lesson-header'>"
        f"<h2>{esc(lesson.title)}</h2>"
        f"<p><b>Time:</b> about {lesson.minutes} minutes &middot; "
        f"<b>Level:</b> {esc(lesson.difficulty)}</p>"
        f"<p><b>Before you start:</b></p><ul>{items(lesson.prerequisites)}</ul>"
        f"<p><b>By the end you will be able to:</b></p><ul>{items(lesson.objectives)}</ul>"
        f"</div>"
    )
