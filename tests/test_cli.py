"""The treatylib command, Binder configuration and version bookkeeping."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import treatylib
from treatylib import cli

ROOT = Path(__file__).resolve().parent.parent
STUDENT = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def test_lessons_copies_student_lessons_only_and_keeps_existing(tmp_path, capsys):
    dest = tmp_path / "class"
    assert cli.main(["lessons", str(dest)]) == 0
    assert sorted(p.name for p in dest.iterdir()) == STUDENT
    assert "teacher_guide.md" not in {p.name for p in dest.rglob("*")}
    out = capsys.readouterr().out
    assert out.count("copied") == len(STUDENT)
    mine = dest / STUDENT[0]
    mine.write_text("my own work", encoding="utf-8")
    assert cli.main(["lessons", str(dest)]) == 0
    assert mine.read_text(encoding="utf-8") == "my own work"
    assert "kept" in capsys.readouterr().out
    assert cli.main(["lessons", str(dest), "--force"]) == 0
    assert mine.read_text(encoding="utf-8") != "my own work"


def test_teacher_copies_the_guide(tmp_path):
    assert cli.main(["teacher", str(tmp_path)]) == 0
    assert (tmp_path / "teacher_guide.md").read_text(encoding="utf-8").startswith("# treatylib")


def test_validate_exit_codes(tmp_path, capsys):
    assert cli.main(["validate", str(ROOT / "examples" / "teacher_data")]) == 0
    assert "valid" in capsys.readouterr().out
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "treaties.csv").write_text("treaty_id\nx\n", encoding="utf-8")
    assert cli.main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "treaties.csv" in err and "column" in err


def test_lab_binds_to_loopback_with_token(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda cmd: calls.append(cmd) or 0)
    assert cli.main(["lab", str(tmp_path / "lab")]) == 0
    (cmd,) = calls
    assert "--ServerApp.ip=127.0.0.1" in cmd
    assert not any("token" in part.lower() for part in cmd)  # the token stays on
    assert sorted(p.name for p in (tmp_path / "lab").iterdir()) == STUDENT


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["lessons", "--help"],
        ["lab", "--help"],
        ["teacher", "--help"],
        ["validate", "--help"],
    ],
)
def test_every_command_has_help(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 0
    assert "usage: treatylib" in capsys.readouterr().out


def test_version_and_unknown_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert capsys.readouterr().out.strip() == f"treatylib {treatylib.__version__}"
    with pytest.raises(SystemExit) as exc:
        cli.main(["lesson"])
    assert exc.value.code == 2
    assert "lessons" in capsys.readouterr().err  # names the valid choices


def test_python_dash_m_runs_the_command():
    out = subprocess.run(
        [sys.executable, "-m", "treatylib", "--version"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == f"treatylib {treatylib.__version__}"


def test_binder_requirements_match_pyproject():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    lines = [
        line.strip()
        for line in (ROOT / "binder" / "requirements.txt").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert sorted(lines) == sorted(deps)
    assert "pip install --no-deps ." in (ROOT / "binder" / "postBuild").read_text("utf-8")


def test_one_version_everywhere():
    version = treatylib.__version__
    cff = (ROOT / "CITATION.cff").read_text("utf-8")
    assert re.search(rf'^version: "{re.escape(version)}"$', cff, re.M)
    assert f"## {version} " in (ROOT / "CHANGELOG.md").read_text("utf-8")
    meta = __import__("json").loads((ROOT / "data" / "datapackage.json").read_text("utf-8"))
    assert meta["version"] == version
