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
        Lesson(
            stem="01_history",
            title="How the alliance came about, 1945–1961",
            minutes=40,
            difficulty="introductory",
            prerequisites=("00_start_here: running cells and reading a table.",),
            objectives=(
                "Put the main steps from the division of Korea to the 1961 treaty in order.",
                "Explain China's role in the Korean War and the 1958 withdrawal of its troops.",
                "Give at least two reasons that sources offer for the timing of July 1961.",
                "Tell signature, approval, ratification and entry into force apart on a timeline.",
            ),
        ),
        Lesson(
            stem="02_clauses",
            title="Article by article: what the treaty obliges",
            minutes=45,
            difficulty="intermediate",
            prerequisites=("01_history: the story up to July 1961.",),
            objectives=(
                "Summarise the preamble and each of Articles I–VII in your own words.",
                "Quote the key phrase of Article II and say what 'immediately' changes.",
                "Code an article the way political scientists do (defence, consultation, …).",
                "Explain why Article VII leaves the treaty without a fixed term.",
            ),
        ),
        Lesson(
            stem="03_comparisons",
            title="The 1961 treaty beside other defence pacts",
            minutes=50,
            difficulty="intermediate",
            prerequisites=("02_clauses: the articles of the 1961 treaty and how they are coded.",),
            objectives=(
                "Compare defence clauses: automatic, constitutional, discretionary, mixed.",
                "Read a lifespan chart and a provision heatmap of fourteen pacts.",
                "Work out which treaties oblige whom to help in a given scenario and year.",
                "Describe how the 2024 DPRK–Russia treaty resembles the 1961 texts.",
            ),
        ),
        Lesson(
            stem="04_today_and_sources",
            title="The treaty today, and how to weigh what is said about it",
            minutes=45,
            difficulty="advanced",
            prerequisites=("03_comparisons: the comparison pacts and the scenario explorer.",),
            objectives=(
                "Outline what has happened to the treaty and its region since 1991.",
                "Tell primary sources, official statements, news and scholarship apart.",
                "Test a claim against the treaty text and several independent sources.",
                "Explain why 'renewed every 20 years' and 'automatic intervention' mislead.",
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
