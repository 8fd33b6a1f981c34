"""A teacher's own rows: merged with ours, checked as a whole, never half-loaded."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import treatylib

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "teacher_data"


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(autouse=True)
def _ours_afterwards():
    treatylib.use_data(None)
    yield
    treatylib.use_data(None)


@pytest.fixture
def teacher(tmp_path) -> Path:
    folder = tmp_path / "mine"
    shutil.copytree(EXAMPLE, folder)
    return folder


def test_example_rows_are_added_to_ours():
    ours = {t: len(csv_rows(ROOT / "data" / f"{t}.csv")) for t in ("treaties", "parties")}
    counts = treatylib.use_data(EXAMPLE)
    assert counts["treaties"] == ours["treaties"] + len(csv_rows(EXAMPLE / "treaties.csv"))
    assert counts["parties"] == ours["parties"] + len(csv_rows(EXAMPLE / "parties.csv"))
    assert "brussels_1948" in set(treatylib.load_treaties()["treaty_id"])
    assert len(treatylib.load_parties("brussels_1948")) == 5
    # The comparison engine sees the new treaty too.
    got = treatylib.obligations_if_attacked("BEL", on="1949-01-01")
    assert set(got["obliged"]) == {"FRA", "GBR", "LUX", "NLD"}
    treatylib.use_data(None)
    assert "brussels_1948" not in set(treatylib.load_treaties()["treaty_id"])


def test_validate_accepts_a_folder_of_extra_rows_and_a_full_package():
    assert treatylib.validate(EXAMPLE)["treaties"] == len(treatylib.load_treaties()) + 1
    assert treatylib.validate(ROOT / "data")["treaties"] == len(treatylib.load_treaties())


def test_broken_teacher_row_names_the_teachers_file_and_keeps_the_data(teacher):
    treatylib.use_data(EXAMPLE)
    rows = csv_rows(teacher / "parties.csv")
    rows[2]["joined"] = "17/03/1948"
    write_rows(teacher / "parties.csv", rows)
    with pytest.raises(treatylib.DataError) as exc:
        treatylib.use_data(teacher)
    problem = next(p for p in exc.value.problems if p.column == "joined")
    assert problem.file == str(teacher / "parties.csv")
    assert problem.row == 4 and problem.value == "17/03/1948"
    assert str(teacher / "parties.csv") in str(exc.value)
    # Nothing half-loaded: the example added earlier is still in use.
    assert "brussels_1948" in set(treatylib.load_treaties()["treaty_id"])


def test_teacher_row_that_repeats_one_of_ours(teacher):
    rows = csv_rows(teacher / "treaties.csv")
    rows[0]["treaty_id"] = "nato_1949"
    write_rows(teacher / "treaties.csv", rows)
    with pytest.raises(treatylib.DataError) as exc:
        treatylib.use_data(teacher)
    dup = next(p for p in exc.value.problems if "duplicate" in p.message)
    assert dup.file == str(teacher / "treaties.csv") and dup.value == "nato_1949"
    assert "of treaties.csv" in dup.message


def test_teacher_row_pointing_at_a_missing_source(teacher):
    rows = csv_rows(teacher / "articles.csv")
    rows[0]["source_id"] = "my_textbook"
    write_rows(teacher / "articles.csv", rows)
    with pytest.raises(treatylib.DataError, match="my_textbook") as exc:
        treatylib.validate(teacher)
    assert any(p.column == "source_id" and p.row == 2 for p in exc.value.problems)


def test_unknown_file_in_teacher_folder_is_named_with_the_valid_names(teacher):
    shutil.copy(teacher / "treaties.csv", teacher / "treaty.csv")
    with pytest.raises(treatylib.DataError, match="treaty.csv") as exc:
        treatylib.use_data(teacher)
    assert "treaties.csv" in str(exc.value)


def test_folder_without_csv_files(tmp_path):
    with pytest.raises(treatylib.DataError, match="no CSV files"):
        treatylib.use_data(tmp_path)
    with pytest.raises(treatylib.DataError, match="not a folder"):
        treatylib.use_data(tmp_path / "nowhere")


def test_a_full_package_replaces_ours(tmp_path):
    full = tmp_path / "full"
    shutil.copytree(ROOT / "data", full)
    meta = json.loads((full / "datapackage.json").read_text("utf-8"))
    meta["as_of"] = "2030-01-01"
    (full / "datapackage.json").write_text(json.dumps(meta), "utf-8")
    treatylib.use_data(full)
    assert treatylib.as_of().isoformat() == "2030-01-01"
    treatylib.use_data(None)
    assert treatylib.as_of().isoformat() != "2030-01-01"


def test_environment_variable_at_first_load():
    code = (
        "import treatylib; ids = set(treatylib.load_treaties()['treaty_id']); "
        "print('brussels_1948' in ids)"
    )
    env = {**os.environ, "TREATYLIB_DATA": str(EXAMPLE)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert out.stdout.strip() == "True"


def test_widgets_forget_charts_drawn_for_other_data():
    from treatylib import widgets

    widgets.comparator_view(["china_dprk_1961"], ["defense"])
    assert widgets._provisions_png.cache_info().currsize == 1
    treatylib.use_data(EXAMPLE)
    assert widgets._provisions_png.cache_info().currsize == 0


def test_comparisons_forget_matrices_worked_out_for_other_data(teacher):
    # A teacher's extra provision for a treaty already in our data must show at once,
    # although the same matrix was asked for (and cached) before.
    rows = csv_rows(teacher / "provisions.csv")
    extra = dict(rows[0], treaty_id="nato_1949", provision="cultural_cooperation", article="")
    extra.update(commitment="", scope="A teacher's own reading.", note="Class exercise.")
    write_rows(teacher / "provisions.csv", [*rows, extra])
    before = treatylib.provision_matrix(["nato_1949"])
    assert pd.isna(before.loc["nato_1949", "cultural_cooperation"])
    treatylib.use_data(teacher)
    assert (
        treatylib.provision_matrix(["nato_1949"]).loc["nato_1949", "cultural_cooperation"] == "yes"
    )
    treatylib.use_data(None)
    assert pd.isna(
        treatylib.provision_matrix(["nato_1949"]).loc["nato_1949", "cultural_cooperation"]
    )
