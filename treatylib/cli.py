"""The ``treatylib`` command: copy the lessons, open them, check data.

treatylib lessons DEST      copy the student lessons into DEST (never overwriting)
treatylib lab [DEST]        copy them if needed, then open JupyterLab there
treatylib teacher DEST      copy the teacher guide into DEST
treatylib validate PATH     check a data package or a folder of extra rows
treatylib --version
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from ._version import __version__

__all__ = ["copy_lessons", "copy_teacher_guide", "lessons_dir", "main"]


def lessons_dir() -> Path:
    """The folder with the stored lessons: inside an installed wheel, or the checkout's."""
    packaged = Path(str(resources.files("treatylib").joinpath("_lessons")))
    if packaged.is_dir() and any(packaged.glob("*.ipynb")):
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "notebooks"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"the lessons were not found in {packaged} or {checkout}")


def _copy(files: list[Path], dest: Path, force: bool) -> tuple[list[Path], list[Path]]:
    dest.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    for src in files:
        target = dest / src.name
        if target.exists() and not force:
            kept.append(target)
            continue
        shutil.copyfile(src, target)
        copied.append(target)
    return copied, kept


def copy_lessons(dest: str | Path, force: bool = False) -> tuple[list[Path], list[Path]]:
    """Copy the student lessons (never the teacher guide) flat into ``dest``.

    Files already there are kept unless ``force``: a student's work is never
    overwritten by accident. Returns (copied, kept).
    """
    return _copy(sorted(lessons_dir().glob("*.ipynb")), Path(dest), force)


def copy_teacher_guide(dest: str | Path, force: bool = False) -> tuple[list[Path], list[Path]]:
    """Copy the teacher guide into ``dest``. Returns (copied, kept)."""
    return _copy(sorted((lessons_dir() / "teacher").glob("*")), Path(dest), force)


def _report(copied: list[Path], kept: list[Path]) -> None:
    for path in copied:
        print(f"copied {path}")
    for path in kept:
        print(f"kept   {path} (already there; use --force to replace it)")


def _lab_command(dest: Path) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={dest}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # JupyterLab refuses to run as root otherwise
    return cmd


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="treatylib",
        description="Lessons and sourced data on the 1961 China-DPRK treaty.",
    )
    parser.add_argument("--version", action="version", version=f"treatylib {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser(
        "lessons",
        help="copy the student lessons into a folder",
        description="Copy the student lessons (not the teacher guide) into "
        "DEST. Files already there are kept unless --force.",
    )
    p.add_argument("dest", type=Path, metavar="DEST")
    p.add_argument("--force", action="store_true", help="replace lessons already in DEST")

    p = sub.add_parser(
        "lab",
        help="copy the lessons if needed and open JupyterLab",
        description="Copy the lessons into DEST (default: ./treatylib_lessons) "
        "without overwriting, then start JupyterLab there on "
        "127.0.0.1 with its login token on.",
    )
    p.add_argument("dest", type=Path, nargs="?", default=Path("treatylib_lessons"), metavar="DEST")

    p = sub.add_parser(
        "teacher",
        help="copy the teacher guide into a folder",
        description="Copy the teacher guide (answer keys, timings, prompts) "
        "into DEST. Keep it apart from the students' lessons.",
    )
    p.add_argument("dest", type=Path, metavar="DEST")
    p.add_argument("--force", action="store_true", help="replace a guide already in DEST")

    p = sub.add_parser(
        "validate",
        help="check a data package or a folder of extra rows",
        description="Check PATH: a data-package folder (with datapackage.json) "
        "or a folder of extra rows. Exit code 0 if it is valid; "
        "1 with every problem (file, row, column, value) if not.",
    )
    p.add_argument("path", type=Path, metavar="PATH")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "lessons":
        _report(*copy_lessons(args.dest, force=args.force))
        return 0
    if args.command == "teacher":
        _report(*copy_teacher_guide(args.dest, force=args.force))
        return 0
    if args.command == "lab":
        _report(*copy_lessons(args.dest))
        return subprocess.call(_lab_command(args.dest))  # noqa: S603 - our own fixed command
    if args.command == "validate":
        from .data import validate
        from .schema import DataError

        try:
            counts = validate(args.path)
        except DataError as exc:
            print(exc, file=sys.stderr)
            return 1
        for table, n in counts.items():
            print(f"{table}: {n} rows")
        print(f"{args.path}: valid")
        return 0
    raise AssertionError(args.command)  # argparse allows no other command


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
