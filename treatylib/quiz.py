"""Self-check quizzes driven by the quiz tables, with immediate feedback.

``check_answer`` and ``score_html`` are pure and tested directly; ``quiz`` wires
them to radio buttons. Feedback is shown through ``ipywidgets.HTML``, so it works
offline and under nbval.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import data
from .widgets import esc, source_link

__all__ = ["check_answer", "questions", "quiz", "score_html"]


def questions(lesson: str) -> list[dict[str, Any]]:
    """The questions of a lesson, each with its choices as (choice_id, text) pairs."""
    qs = data.load_quiz_questions(lesson)
    choices = data.load_quiz_choices()
    out = []
    for _, q in qs.iterrows():
        mine = choices[choices["question_id"] == q["question_id"]]
        out.append(
            {
                "question_id": q["question_id"],
                "prompt": q["prompt"],
                "choices": list(zip(mine["choice_id"], mine["text"], strict=True)),
            }
        )
    return out


def check_answer(question_id: str, choice_id: str | None) -> tuple[bool | None, str]:
    """Whether ``choice_id`` is right, and the feedback to show (HTML).

    ``None`` as the choice means not answered yet: (None, "").
    """
    qs = data.load_quiz_questions().set_index("question_id")
    if question_id not in qs.index:
        raise ValueError(f"unknown question {question_id!r}; valid: {', '.join(qs.index)}")
    if choice_id is None or choice_id == "":
        return None, ""
    q = qs.loc[question_id]
    choices = data.load_quiz_choices()
    mine = choices[choices["question_id"] == question_id].set_index("choice_id")["text"]
    if choice_id not in mine.index:
        raise ValueError(
            f"unknown choice {choice_id!r} for {question_id}; valid: {', '.join(mine.index)}"
        )
    right = choice_id == q["answer"]
    source = source_link(q["source_id"]) if isinstance(q["source_id"], str) else ""
    head = (
        "<b style='color:#009E73'>✔ Correct.</b>"
        if right
        else f"<b style='color:#D55E00'>✘ Not quite.</b> The answer is “{esc(mine[q['answer']])}”."
    )
    more = f" <small>Source: {source}</small>" if source else ""
    return right, f"<p>{head} {esc(q['explanation'])}{more}</p>"


def score_html(results: Mapping[str, bool | None], total: int) -> str:
    """The running score: how many answered, how many right."""
    answered = [r for r in results.values() if r is not None]
    right = sum(1 for r in answered if r)
    return f"<p><b>Score: {right} of {total}</b> <small>({len(answered)} answered)</small></p>"


def quiz(lesson: str) -> Any:
    """Multiple-choice self-check for a lesson, with feedback, a score and a reset."""
    import ipywidgets as w

    items = questions(lesson)
    results: dict[str, bool | None] = {i["question_id"]: None for i in items}
    score = w.HTML(score_html(results, len(items)))
    rows = []
    radios = []
    for n, item in enumerate(items, start=1):
        prompt = w.HTML(f"<p><b>{n}. {esc(item['prompt'])}</b></p>")
        radio = w.RadioButtons(
            options=[(t, c) for c, t in item["choices"]], value=None, layout=w.Layout(width="auto")
        )
        feedback = w.HTML()

        def answered(change, qid=item["question_id"], fb=feedback):
            ok, text = check_answer(qid, change["new"])
            results[qid] = ok
            fb.value = text
            score.value = score_html(results, len(items))

        radio.observe(answered, "value")
        radios.append(radio)
        rows.append(w.VBox([prompt, radio, feedback]))
    reset = w.Button(description="Try again", icon="refresh")

    def again(_):
        for radio in radios:
            radio.value = None

    reset.on_click(again)
    box = w.VBox([*rows, w.HBox([score, reset])])
    box.add_class("treatylib-quiz")
    return box
