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
    # For the teacher guide only (never shown in the student's lesson):
    exercise_answer: str = ""
    discussion: tuple[str, ...] = ()
    misconceptions: tuple[str, ...] = ()


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
            exercise_answer=(
                "Changing the years or the category changes the rows; e.g. "
                '`load_events(start="1950", end="1953", categories="war")` lists the war\'s '
                "start, China's entry and the armistice. A mistyped category raises an error "
                "that lists the valid ones."
            ),
            discussion=(
                "Why does a treaty need ratification after it has been signed?",
                "What can a confidence column tell you that a date alone cannot?",
            ),
            misconceptions=(
                "That a treaty binds from the day it is signed (this one took effect two "
                "months later).",
                "That 'Kim Il Sung signed as President' (he was Premier in 1961).",
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
            exercise_answer=(
                '`treatylib.plot_timeline(start="1961-07", end="1961-09", categories="treaty")` '
                "shows 7 points: 6 July, the Soviet-DPRK treaty (the odd one out: a different "
                "treaty); 9 July, the reported NPC authorisation (low confidence, one weak source); "
                "11 July, signature in Beijing; 14 July, Peking Review prints the English text (not "
                "a legal step); 23 August, DPRK approval; 30 August, China's ratification; "
                "10 September, exchange of instruments in Pyongyang and entry into force."
            ),
            discussion=(
                "China fought in Korea in 1950 without any treaty with the DPRK. What did a "
                "treaty in 1961 add?",
                "Which of the background factors seems most important to you, and what evidence "
                "would you need to rank them?",
                "Would you put the reported 9 July authorisation on a timeline? How would you "
                "word it?",
                "What can dates alone not tell us about why the treaty was signed?",
            ),
            misconceptions=(
                "That China entered the Korean War because of this treaty (it came eight years "
                "after the armistice).",
                "That one event, such as the coup in Seoul, 'caused' the treaty; the sources "
                "give several background factors and do not rank them.",
                "That the treaty was 'ratified on 11 July 1961'; that was the day of signature.",
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
            exercise_answer=(
                "Article V: economic_cooperation and cultural_cooperation, both present with no "
                "commitment level (None), since they oblige no response to an event. Article VI: "
                "none of the eight provisions; it states the shared view that Korea should be "
                "unified peacefully and democratically, which the course does not code."
            ),
            discussion=(
                "Which words put a defence clause higher or lower on the commitment scale? Is "
                "'immediately' enough to call a clause 'automatic'?",
                "ATOP codes Article IV as no consultation pledge; we code consultation_only. Can "
                "two codings of the same text both be right?",
                "The English of Article II comes from secondary quotations. How much does that "
                "matter when the Chinese 立即 agrees?",
                "Why might parties choose a treaty with no fixed term and no right to leave alone?",
            ),
            misconceptions=(
                "That the treaty obliges help with no trigger: the duty starts only with an armed "
                "attack that puts a party in a state of war, and the text never says 'automatic'.",
                "That the treaty runs for 20 years and is renewed; Article VII sets no term.",
                "That the defence clause is Article I (that is the Soviet-DPRK treaty's numbering).",
            ),
        ),
        Lesson(
            stem="03_comparisons",
            title="The 1961 treaty beside other alliance treaties",
            minutes=50,
            difficulty="intermediate",
            prerequisites=("02_clauses: the articles of the 1961 treaty and how they are coded.",),
            objectives=(
                "Compare defence clauses: automatic, constitutional, discretionary, mixed.",
                "Read a lifespan chart and a provision heatmap of fifteen pacts.",
                "Work out which treaties oblige whom to help in a given scenario and year.",
                "Describe how the 2024 DPRK–Russia treaty resembles the 1961 texts.",
            ),
            exercise_answer=(
                "On 1 January 1996 our data has two states obliged, both automatically: China "
                "(Article II of the 1961 treaty) and Russia, continuing the USSR (Article 1 of "
                "the Soviet-DPRK treaty, which our data ends on 10 September 1996). With the end "
                "date COW and Gibler give (7 September 1995) only China would remain; the safe "
                "answer is 'China certainly, Russia depending on the end date accepted'."
            ),
            discussion=(
                "What does 'immediately' tell a possible attacker that 'in accordance with its "
                "constitutional processes' does not? Why might a government prefer one or the other?",
                "The 2024 treaty copies the 1961 wording but adds UN Charter Article 51 and the "
                "laws of both states. Does that change what it obliges?",
                "Is SEATO still in force if the organisation wound up in 1977 but no text ended "
                "the treaty? What does choosing an end date do to a chart?",
                "Find claims, like 'North Korea's only defence treaty is with China', whose truth "
                "depends on the date.",
            ),
            misconceptions=(
                "That 'automatic' is the treaty's own word; it is our coding label for "
                "'immediately', with no procedural condition.",
                "That New Zealand left ANZUS in 1986; the United States suspended its obligations.",
                "That NATO's Article 5 obliges every member to go to war; each party takes the "
                "action it deems necessary.",
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
                "Explain why 'renewed every 20 years' is wrong and why 'automatic intervention' is a label, not treaty wording.",
            ),
            exercise_answer=(
                "china_wants_amendment rests on five sources: a 2003 news report of a scholar's "
                "proposal, a 2010 news report from one anonymous source (saying North Korea asked "
                "for the revision), a weak copy of a 2016 news report of experts' comments, a 2021 "
                "analyst's forecast, and the 2021 foreign ministry statement that the treaty "
                "continues on its own terms. None records an official amendment, so the verdict "
                "is unverified. Extra: ussr_dprk_end_date is disputed (1995 to 1998); say "
                "'mid-1990s'."
            ),
            discussion=(
                "Why might 'renewed' in news copy mean 'reaffirmed at the anniversary', and how "
                "could a reader tell which is meant?",
                "Eleven sources are listed for the renewal claim. How many independent voices are "
                "there, and why does that matter more than the count?",
                "Does a state newspaper reporting a spokesperson's words make a source official?",
                "Why is 'Would China fight for North Korea?' not a question a data table can settle?",
            ),
            misconceptions=(
                "That the treaty runs for 20 years and was renewed in 1981, 2001 and 2021.",
                "That the treaty promises 'automatic intervention'; its word is 'immediately', "
                "after an armed attack that puts a party in a state of war.",
                "That it is still North Korea's only defence treaty (out of date since 4 December "
                "2024).",
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
