"""treatylib works installed from its wheel, not only from a checkout."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import treatylib

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def _uv() -> str | None:
    beside = Path(sys.executable).with_name("uv")
    return str(beside) if beside.exists() else shutil.which("uv")


def _table_sizes() -> dict[str, int]:
    meta = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    sizes = {}
    for res in meta["resources"]:
        with open(DATA / res["path"], encoding="utf-8", newline="") as fh:
            sizes[res["name"]] = sum(1 for _ in csv.DictReader(fh))
    return sizes


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    uv = _uv()
    if uv:
        cmd = [uv, "build", "--wheel", "--out-dir", str(out), str(ROOT)]
    else:
        cmd = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)]
    subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=300)
    (whl,) = out.glob("treatylib-*.whl")
    return whl


def test_checkout_reads_the_repository_data_folder():
    # The test run uses an editable install, which has no packaged copy.
    assert treatylib.data_dir() == DATA


@pytest.mark.slow
def test_wheel_carries_the_data_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in _table_sizes():
        assert f"treatylib/_data/{name}.csv" in names
    assert "treatylib/_data/datapackage.json" in names
    assert "treatylib/_data/LICENSE.md" in names
    for lesson in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"treatylib/_lessons/{lesson.name}" in names
    assert "treatylib/_lessons/teacher/teacher_guide.md" in names


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """A fresh venv with only the wheel (and its dependencies) installed, shared by the tests."""
    base = tmp_path_factory.mktemp("venv")
    venv = base / "venv"
    uv = _uv()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    if uv:
        subprocess.run(
            [uv, "venv", "-q", "--python", sys.executable, str(venv)],
            check=True,
            env=env,
            timeout=300,
        )
        subprocess.run(
            [
                uv,
                "pip",
                "install",
                "-q",
                "--python",
                str(venv / "bin" / "python"),
                "--excludes",
                str(ROOT / "requirements" / "excludes.txt"),
                str(wheel),
            ],
            check=True,
            env=env,
            timeout=600,
        )
    else:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
            check=True,
            env=env,
            timeout=900,
        )
    return {"venv": venv, "py": venv / "bin" / "python", "env": env, "cwd": base}


@pytest.mark.slow
def test_installed_wheel_loads_every_table(installed):
    code = (
        "import json, treatylib\n"
        "sizes = {n: len(getattr(treatylib, 'load_' + n)()) for n in treatylib.validate()}\n"
        "print(json.dumps({'dir': str(treatylib.data_dir()), 'file': treatylib.__file__,"
        " 'sizes': sizes, 'as_of': str(treatylib.as_of())}))\n"
    )
    venv = installed["venv"]
    # Run outside the checkout so nothing can fall back to the repository's data/.
    out = subprocess.run(
        [str(installed["py"]), "-c", code],
        cwd=installed["cwd"],
        env=installed["env"],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    got = json.loads(out.stdout)
    assert got["file"].startswith(str(venv)), got["file"]
    assert got["dir"].startswith(str(venv)) and got["dir"].endswith("_data"), got["dir"]
    assert got["sizes"] == _table_sizes()
    meta = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    assert got["as_of"] == meta["as_of"]


@pytest.mark.slow
def test_installed_command_copies_and_runs_a_lesson(installed):
    cli = installed["venv"] / "bin" / "treatylib"
    dest = installed["cwd"] / "class"
    run = {
        "cwd": installed["cwd"],
        "env": installed["env"],
        "capture_output": True,
        "text": True,
        "timeout": 300,
    }
    out = subprocess.run([str(cli), "lessons", str(dest)], check=True, **run)
    stored = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in dest.iterdir()) == stored
    assert out.stdout.count("copied") == len(stored)
    again = subprocess.run([str(cli), "lessons", str(dest)], check=True, **run)
    assert again.stdout.count("kept") == len(stored)
    teacher = installed["cwd"] / "teacher"
    subprocess.run([str(cli), "teacher", str(teacher)], check=True, **run)
    assert (teacher / "teacher_guide.md").is_file()
    # Execute a copied lesson with the venv's own kernel, away from the checkout.
    code = (
        "import nbformat, sys\n"
        "from nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, timeout=120, kernel_name='python3').execute()\n"
        "errors = [o for c in nb.cells for o in c.get('outputs', [])"
        " if o.get('output_type') == 'error']\n"
        "print('errors', len(errors))\n"
    )
    lesson = dest / "00_start_here.ipynb"
    out = subprocess.run([str(installed["py"]), "-c", code, str(lesson)], check=True, **run)
    assert out.stdout.strip().endswith("errors 0")
