"""Lesson hygiene: metadata, structure and the things nbval cannot see."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

import treatylib
from treatylib.lessons import LESSONS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KNOWN_TAGS = {"nbval-ignore-output"}
WIDGETS = (
    "timeline_explorer(",
    "article_reader(",
    "pact_comparator(",
    "scenario_explorer(",
    "claim_checker(",
    "glossary_lookup(",
)
VOLATILE = ("datetime.now", "date.today", "import random", "time.time(", "uuid", "np.random")


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def ids(paths):
    return [p.stem for p in paths]


def test_every_lesson_has_metadata_and_every_entry_a_lesson():
    assert {p.stem for p in NOTEBOOKS} == set(LESSONS)


@pytest.mark.parametrize("stem", sorted(LESSONS))
def test_metadata_is_complete(stem):
    lesson = LESSONS[stem]
    assert lesson.title and lesson.objectives and lesson.prerequisites and lesson.difficulty
    low, high = (10, 30) if stem.startswith("00") else (30, 50)
    assert low <= lesson.minutes <= high
    if not stem.startswith("00"):
        assert lesson.exercise_answer and lesson.discussion and lesson.misconceptions


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_first_code_cell_shows_the_header(path):
    first = next(c for c in cells(path) if c["cell_type"] == "code")
    text = source(first)
    assert text.startswith("%matplotlib inline")
    assert f'lesson_header("{path.stem}")' in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_hygiene(path):
    code = [c for c in cells(path) if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "run top to bottom in a fresh kernel"
    for cell in cells(path):
        text = source(cell)
        tags = set(cell.get("metadata", {}).get("tags", []))
        assert tags <= KNOWN_TAGS, tags
        if "nbval-ignore-output" in tags:
            assert "nbval-ignore-output:" in text, "say why beside the tag"
        if cell["cell_type"] != "code":
            continue
        assert "pip install" not in text
        assert not any(
            line.lstrip().startswith(("!", "%%bash", "%sx", "%system"))
            for line in text.splitlines()
        )
        assert not any(v in text for v in VOLATILE), text
        outputs = cell.get("outputs", [])
        assert all(o["output_type"] != "error" for o in outputs)
        # Text outputs only: image bytes can contain anything.
        shown = json.dumps(
            [
                {k: v for k, v in o.get("data", {}).items() if not k.startswith("image/")}
                | {"text": o.get("text", "")}
                for o in outputs
            ]
        )
        assert not re.search(r"(/root/|/home/|/tmp/|[A-Z]:\\\\)", text + shown)
        assert not re.search(r"\b0x[0-9a-f]{6,}", shown)  # memory addresses


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_lesson_has_the_required_parts(path):
    all_cells = cells(path)
    code = "\n".join(source(c) for c in all_cells if c["cell_type"] == "code")
    prose = "\n".join(source(c) for c in all_cells if c["cell_type"] == "markdown")
    assert re.search(r"plot_\w+\(", code), "at least one chart"
    assert any(w in code for w in WIDGETS), "at least one widget"
    assert f'quiz("{path.stem}")' in code
    assert len(treatylib.load_quiz_questions(path.stem)) >= 5
    assert "Try it yourself" in prose
    assert "## Summary" in prose and "## Sources" in prose
    sources = prose[prose.index("## Sources") :]
    assert "https://" in sources or "http://" in sources


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_chart_is_followed_by_a_text_summary(path):
    all_cells = cells(path)
    for i, cell in enumerate(all_cells):
        if cell["cell_type"] == "code" and re.search(r"\bplot_\w+\(", source(cell)):
            following = next((c for c in all_cells[i + 1 :] if c["cell_type"] == "markdown"), None)
            assert following is not None and source(following).startswith("*In words:*"), (
                f"cell {i}: a chart needs an '*In words:*' summary right after it"
            )


def test_teacher_guide_is_up_to_date():
    spec = importlib.util.spec_from_file_location("guide", ROOT / "scripts" / "teacher_guide.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "notebooks" / "teacher" / "teacher_guide.md").read_text(encoding="utf-8")
    assert committed == module.render(), "run `make guide` and commit the result"


def test_teacher_guide_is_not_a_student_lesson():
    assert not list((ROOT / "notebooks" / "teacher").glob("*.ipynb"))
    assert all(p.parent.name == "notebooks" for p in NOTEBOOKS)
