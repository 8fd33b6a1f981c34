"""Re-execute lessons in a fresh kernel and store their outputs (for nbval).

Usage: python scripts/execute_notebooks.py [NOTEBOOK ...]   (default: notebooks/*.ipynb)

Run it after changing library code or data, then commit the notebooks: nbval
compares each cell's new output with the stored one.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        record_timing=False,  # no timestamps in the stored file
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    text = stable_widget_ids(nbformat.writes(nb), path.stem)
    path.write_text(text, encoding="utf-8")
    print(f"executed {path.relative_to(ROOT)}")


def stable_widget_ids(text: str, stem: str) -> str:
    """Replace the random widget model ids by ids derived from the page order.

    Models are numbered depth-first from the widget outputs, cell by cell (then
    any model no output refers to, by content), so the same lesson always gets
    the same ids. Without this, every execution rewrites the stored lesson even
    when nothing changed, which hides real output changes in the diff.
    """
    doc = json.loads(text)
    key = "application/vnd.jupyter.widget-state+json"
    state = doc.get("metadata", {}).get("widgets", {}).get(key, {}).get("state", {})
    ref = re.compile(r"IPY_MODEL_([0-9a-f]{32})")
    order: list[str] = []

    def visit(model_id: str | None) -> None:
        if model_id is None or model_id in order or model_id not in state:
            return
        order.append(model_id)
        for found in ref.findall(json.dumps(state[model_id]["state"], sort_keys=True)):
            visit(found)

    for cell in doc["cells"]:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json", {})
            visit(view.get("model_id"))
    rest = sorted(
        set(state) - set(order), key=lambda m: ref.sub("", json.dumps(state[m], sort_keys=True))
    )
    for model_id in rest:
        visit(model_id)
    for i, old in enumerate(order):
        new = hashlib.md5(f"{stem}:{i}".encode(), usedforsecurity=False).hexdigest()
        text = text.replace(old, new)
    return nbformat.writes(nbformat.reads(text, as_version=4))


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        execute(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
