"""Read ``datapackage.json`` and check a data package against it.

The schema file is the single place where columns, types, enums, keys and
date-order rules are declared; this module turns it into pandas dtypes and into
error messages a teacher can act on (file, spreadsheet row, column, bad value,
what was expected).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DataError",
    "Problem",
    "read_package",
    "validate_files",
    "validate_folder",
    "validate_merged",
]

#: Fields of these provision kinds oblige a response to an event, so they need a commitment level.
RESPONSE_PROVISIONS = ("defense", "offense", "neutrality", "consultation")
#: The word limit for verbatim key phrases (see README: "Own words").
KEY_PHRASE_MAX_WORDS = 15
MAX_LISTED = 20

_CJK = re.compile(
    r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_INT = re.compile(r"^[+-]?\d+$", re.ASCII)
_INT64 = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data package, located as precisely as possible."""

    file: str
    row: int | None  # spreadsheet row: the header is row 1, the first data row is row 2
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = ", ".join(where) + ": "
        if self.value is not None:
            text += f"{self.value!r}: "
        return text + self.message


class DataError(ValueError):
    """A data package does not match its schema; ``problems`` lists every finding."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        lines = [str(p) for p in self.problems[:MAX_LISTED]]
        more = len(self.problems) - MAX_LISTED
        if more > 0:
            lines.append(f"... and {more} more problem(s)")
        count = len(self.problems)
        head = f"the data package has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n  ".join([head, *lines]))


def word_count(text: str) -> float:
    """Words in a key phrase; two CJK characters count as one word (they carry no spaces)."""
    cjk = len(_CJK.findall(text))
    latin = len(_CJK.sub(" ", text).split())
    return latin + cjk / 2


def read_package(path: str | Path) -> tuple[Path, dict[str, Any]]:
    """Return (folder, descriptor) for a data-package folder or its ``datapackage.json``."""
    path = Path(path)
    descriptor = path / "datapackage.json" if path.is_dir() else path
    if not descriptor.is_file():
        raise DataError(
            [
                Problem(
                    descriptor.name,
                    None,
                    None,
                    None,
                    f"not found at {descriptor}; give a data-package folder or its "
                    "datapackage.json",
                )
            ]
        )
    try:
        meta = json.loads(descriptor.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(
            [Problem(descriptor.name, None, None, None, f"not valid UTF-8 JSON ({exc})")]
        ) from None
    return descriptor.parent, meta


def pandas_dtype(field: dict[str, Any]) -> Any:
    """The pandas dtype a schema field loads as."""
    kind = field.get("type", "string")
    constraints = field.get("constraints", {})
    if "enum" in constraints:
        return pd.CategoricalDtype(
            constraints["enum"], ordered=bool(field.get("categoriesOrdered"))
        )
    if kind == "integer":
        return "int64" if constraints.get("required") else "Int64"
    if kind == "number":
        return "float64"
    if kind == "boolean":
        return "boolean"
    if kind == "date":
        return "datetime64[us]"
    return "str"


def _read_csv(
    file: Path, fname: str, resource: dict[str, Any], problems: list[Problem]
) -> list[dict] | None:
    """Rows of one CSV file as dicts, each tagged with its file label and spreadsheet row."""
    if not file.is_file():
        problems.append(Problem(fname, None, None, None, "file is missing"))
        return None
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                fname,
                None,
                None,
                None,
                f"is not UTF-8 text (bad byte at position {exc.start}); save it as 'CSV UTF-8'",
            )
        )
        return None
    if "\x00" in text:
        problems.append(
            Problem(fname, None, None, None, "is not a CSV text file (it has NUL bytes)")
        )
        return None
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        problems.append(Problem(fname, None, None, None, f"is not valid CSV ({exc})"))
        return None
    if not rows:
        problems.append(Problem(fname, 1, None, None, "is empty; expected a header row"))
        return None
    header = [h.strip() for h in rows[0]]
    expected = [f["name"] for f in resource["schema"]["fields"]]
    ok = True
    for col in expected:
        if col not in header:
            problems.append(
                Problem(
                    fname,
                    1,
                    col,
                    None,
                    f"column is missing; expected columns: {', '.join(expected)}",
                )
            )
            ok = False
    for col in header:
        if col not in expected:
            problems.append(
                Problem(
                    fname, 1, col, None, f"unknown column; expected columns: {', '.join(expected)}"
                )
            )
            ok = False
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        problems.append(Problem(fname, 1, dup[0], None, "column appears more than once"))
        ok = False
    if not ok:
        return None
    records = []
    for i, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank line at the end of a hand-edited file; holds no fact
        if len(row) != len(header):
            problems.append(
                Problem(
                    fname, i, None, None, f"has {len(row)} cells but the header has {len(header)}"
                )
            )
            continue
        records.append({"__file__": fname, "__row__": i, **dict(zip(header, row, strict=True))})
    return records


def _check_cell(
    fname: str, row: int, field: dict[str, Any], value: str, problems: list[Problem]
) -> None:
    name = field["name"]
    kind = field.get("type", "string")
    c = field.get("constraints", {})
    if value == "":
        if c.get("required"):
            problems.append(
                Problem(fname, row, name, value, "is empty but this column is required")
            )
        return
    if value != value.strip():
        problems.append(Problem(fname, row, name, value, "has spaces at the start or end"))
        return
    if kind == "integer":
        if not _INT.match(value):
            problems.append(Problem(fname, row, name, value, "is not a whole number"))
            return
        if not _INT64[0] <= int(value) <= _INT64[1]:
            problems.append(
                Problem(fname, row, name, value, "is too large to be a whole number here")
            )
            return
        if "minimum" in c and int(value) < c["minimum"]:
            problems.append(
                Problem(fname, row, name, value, f"is below the minimum {c['minimum']}")
            )
    elif kind == "number":
        try:
            float(value)
        except ValueError:
            problems.append(Problem(fname, row, name, value, "is not a number"))
    elif kind == "boolean":
        if value.lower() not in ("true", "false"):
            problems.append(Problem(fname, row, name, value, "is not true or false"))
    elif kind == "date":
        if _parse_date(value) is None:
            problems.append(
                Problem(
                    fname,
                    row,
                    name,
                    value,
                    "is not a date in the form YYYY-MM-DD (e.g. 1961-07-11)",
                )
            )
    if "enum" in c and value not in c["enum"]:
        problems.append(
            Problem(
                fname, row, name, value, f"is not one of the allowed values: {', '.join(c['enum'])}"
            )
        )
    if "pattern" in field and not re.fullmatch(field["pattern"], value):
        problems.append(
            Problem(
                fname,
                row,
                name,
                value,
                f"does not have the expected form (pattern {field['pattern']})",
            )
        )
    if field.get("format") == "uri" and not re.match(r"^https?://\S+$", value):
        problems.append(
            Problem(fname, row, name, value, "is not a web address (http:// or https://)")
        )
    if name.startswith("key_phrase") and not name.endswith("source_id"):
        words = word_count(value)
        if words > KEY_PHRASE_MAX_WORDS:
            problems.append(
                Problem(
                    fname,
                    row,
                    name,
                    value,
                    f"has {words:g} words; key phrases are at most "
                    f"{KEY_PHRASE_MAX_WORDS} words (quote less, summarise the rest)",
                )
            )


def _parse_date(value: str) -> date | None:
    """A real calendar date written as YYYY-MM-DD, else None."""
    if not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def validate_folder(path: str | Path) -> dict[str, pd.DataFrame]:
    """Check a whole data package and return its tables with the schema's dtypes.

    Raises :class:`DataError` listing every problem found; nothing is returned
    half-checked.
    """
    folder, meta = read_package(path)
    files = {r["name"]: [(folder / r["path"], r["path"])] for r in meta.get("resources", [])}
    return validate_files(meta, files)


def validate_merged(base: str | Path, extra: str | Path) -> dict[str, pd.DataFrame]:
    """Check ``base`` (a full package) with the extra rows in folder ``extra``.

    ``extra`` holds some of the package's CSV files (same names, same columns),
    whose rows are added to ours. Problems in those rows name the teacher's file.
    """
    folder, meta = read_package(base)
    extra = Path(extra)
    resources = {r["name"]: r for r in meta.get("resources", [])}
    files = {name: [(folder / r["path"], r["path"])] for name, r in resources.items()}
    problems: list[Problem] = []
    if not extra.is_dir():
        raise DataError([Problem(str(extra), None, None, None, "is not a folder")])
    csvs = sorted(p for p in extra.iterdir() if p.suffix.lower() == ".csv")
    if not csvs:
        names = ", ".join(r["path"] for r in resources.values())
        problems.append(
            Problem(str(extra), None, None, None, f"holds no CSV files; expected some of: {names}")
        )
    if csvs and {p.stem for p in csvs} >= set(resources):
        # Most likely a full copy whose datapackage.json went missing, not extra rows.
        raise DataError(
            [
                Problem(
                    str(extra / "datapackage.json"),
                    None,
                    None,
                    None,
                    "not found, but the folder holds every table: for a full "
                    "package put datapackage.json back; for extra rows keep "
                    "only your new rows",
                )
            ]
        )
    for path in csvs:
        if path.stem not in resources:
            names = ", ".join(r["path"] for r in resources.values())
            problems.append(
                Problem(
                    str(path),
                    None,
                    None,
                    None,
                    f"is not one of the package's tables; use one of: {names}",
                )
            )
            continue
        files[path.stem].append((path, str(path)))
    if problems:
        raise DataError(problems)
    return validate_files(meta, files)


def validate_files(
    meta: dict[str, Any], files: dict[str, list[tuple[Path, str]]]
) -> dict[str, pd.DataFrame]:
    """Check the CSV files of each table (ours, maybe a teacher's too) against ``meta``."""
    problems: list[Problem] = []
    as_of = meta.get("as_of")
    if not isinstance(as_of, str) or _parse_date(as_of) is None:
        problems.append(
            Problem(
                "datapackage.json",
                None,
                "as_of",
                None if as_of is None else str(as_of),
                "needs the date the facts were last checked, as YYYY-MM-DD",
            )
        )
    resources = {r["name"]: r for r in meta.get("resources", [])}
    records: dict[str, list[dict]] = {}
    for name, res in resources.items():
        rows: list[dict] = []
        complete = True
        for path, label in files.get(name, [(Path(res["path"]), res["path"])]):
            got = _read_csv(path, label, res, problems)
            if got is None:
                complete = False
                continue
            rows.extend(got)
        if not complete:
            continue
        fields = res["schema"]["fields"]
        for rec in rows:
            for field in fields:
                _check_cell(rec["__file__"], rec["__row__"], field, rec[field["name"]], problems)
        records[name] = rows

    for name, rows in records.items():
        res = resources[name]
        schema = res["schema"]
        pk = _as_list(schema.get("primaryKey", []))
        if pk:
            seen: dict[tuple, dict] = {}
            for rec in rows:
                key = tuple(rec[k] for k in pk)
                if key in seen:
                    first = seen[key]
                    where = f"row {first['__row__']}"
                    if first["__file__"] != rec["__file__"]:
                        where += f" of {first['__file__']}"
                    problems.append(
                        Problem(
                            rec["__file__"],
                            rec["__row__"],
                            pk[-1],
                            " / ".join(key),
                            f"duplicate {' + '.join(pk)}; {where} has it too",
                        )
                    )
                else:
                    seen[key] = rec
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            mine, theirs = _as_list(fk["fields"]), _as_list(ref["fields"])
            if ref["resource"] not in records:
                continue
            targets = {tuple(r[f] for f in theirs) for r in records[ref["resource"]]}
            for rec in rows:
                key = tuple(rec[f] for f in mine)
                if all(k == "" for k in key):
                    continue
                if key not in targets:
                    problems.append(
                        Problem(
                            rec["__file__"],
                            rec["__row__"],
                            mine[-1],
                            " / ".join(key),
                            f"does not exist in {ref['resource']}.csv (column {', '.join(theirs)})",
                        )
                    )
        for earlier, later in schema.get("dateOrder", []):
            for rec in rows:
                a, b = rec.get(earlier, ""), rec.get(later, "")
                da, db = _parse_date(a), _parse_date(b)
                if da is not None and db is not None and db < da:
                    problems.append(
                        Problem(
                            rec["__file__"],
                            rec["__row__"],
                            later,
                            b,
                            f"is before {earlier} ({a}); {later} cannot come before {earlier}",
                        )
                    )
        _domain_rules(name, rows, records, problems)

    if problems:
        raise DataError(problems)
    return {name: _typed_frame(resources[name], rows) for name, rows in records.items()}


def _domain_rules(
    name: str, rows: list[dict], records: dict[str, list[dict]], problems: list[Problem]
) -> None:
    """Rules that the Table Schema vocabulary cannot express."""
    if name == "provisions":
        for rec in rows:
            if rec["provision"] in RESPONSE_PROVISIONS and rec["commitment"] == "":
                problems.append(
                    Problem(
                        rec["__file__"],
                        rec["__row__"],
                        "commitment",
                        "",
                        f"is empty; a {rec['provision']} provision needs a commitment level",
                    )
                )
    if name == "parties":
        for rec in rows:
            left, how, susp = rec["left"], rec["left_how"], rec["suspended_with"]
            if bool(left) != bool(how):
                col, val = ("left_how", how) if left else ("left", left)
                problems.append(
                    Problem(
                        rec["__file__"],
                        rec["__row__"],
                        col,
                        val,
                        "left and left_how go together: give both or neither",
                    )
                )
            if bool(susp) != (how == "suspended"):
                problems.append(
                    Problem(
                        rec["__file__"],
                        rec["__row__"],
                        "suspended_with",
                        susp,
                        "is needed when, and only when, left_how is 'suspended'",
                    )
                )
    if name == "articles":
        for rec in rows:
            for phrase, src in (
                ("key_phrase", "key_phrase_source_id"),
                ("key_phrase_zh", "key_phrase_zh_source_id"),
            ):
                if rec.get(phrase) and not rec.get(src):
                    problems.append(
                        Problem(
                            rec["__file__"],
                            rec["__row__"],
                            src,
                            "",
                            f"is empty; a {phrase} needs the source it was quoted from",
                        )
                    )
    # Several sources in one cell ("a; b") cannot be a Table Schema foreign key.
    multi = [c for c in (rows[0] if rows else {}) if c.endswith("source_ids")]
    if "sources" in records:
        known = {r["source_id"] for r in records["sources"]}
        for col in multi:
            for rec in rows:
                for sid in (s.strip() for s in rec[col].split(";")):
                    if sid and sid not in known:
                        problems.append(
                            Problem(
                                rec["__file__"],
                                rec["__row__"],
                                col,
                                sid,
                                "does not exist in sources.csv (column source_id)",
                            )
                        )


def _typed_frame(resource: dict[str, Any], rows: list[dict]) -> pd.DataFrame:
    """The checked rows as a DataFrame with the schema's dtypes (one array per column)."""
    data = {}
    for field in resource["schema"]["fields"]:
        name = field["name"]
        values = [rec[name] for rec in rows]
        dtype = pandas_dtype(field)
        kind = field.get("type", "string")
        if kind == "date":
            days = np.array([v or "NaT" for v in values], dtype="datetime64[D]")
            data[name] = days.astype("datetime64[us]")
        elif kind == "integer":
            ints = [int(v) if v else None for v in values]
            data[name] = pd.array(ints, dtype=dtype)
        elif kind == "number":
            data[name] = np.array([float(v) if v else np.nan for v in values], dtype="float64")
        elif kind == "boolean":
            truth = {"true": True, "false": False}
            data[name] = pd.array([truth.get(v.lower()) for v in values], dtype="boolean")
        elif isinstance(dtype, pd.CategoricalDtype):
            data[name] = pd.Categorical([v or None for v in values], dtype=dtype)
        else:
            data[name] = pd.array([v or None for v in values], dtype="str")
    return pd.DataFrame(data)
