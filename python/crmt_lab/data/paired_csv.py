"""The paired-CSV folder (src/core/data/formats/pairedCsv.ts): one CSV per modality, rows aligned,
labels.csv, and the optional classes.csv, split.csv and dataset.json."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..rng import Rng
from .dataset import SPLIT_CODE, DataError, Dataset, ModalitySpec
from .jsnumber import js_is_integer, js_number, js_string
from .split import TEST_FRACTION, VAL_FRACTION, stratified_split

RESERVED_FILES = ["labels.csv", "classes.csv", "split.csv", "dataset.json"]
F32_MAX = 3.4028234663852886e38


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]
    while lines and lines[-1].strip() == "":
        lines.pop()
    if not lines:
        raise DataError(f"{path.name} is empty")
    if len(lines) == 1:
        raise DataError(f"{path.name} has a header but no data rows")
    return lines


def _fields(line: str, r: int, name: str) -> list[str]:
    if '"' not in line:
        return [f.strip() for f in line.split(",")]
    import csv

    try:
        row = next(csv.reader([line], skipinitialspace=True, strict=True))
    except csv.Error as e:
        where = "the header" if r == 0 else f"row {r}"
        raise DataError(f"{name} {where} is not valid CSV ({e})") from None
    return [f.strip() for f in row]


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = _lines(path)
    header = _fields(lines[0], 0, path.name)
    rows = []
    for r in range(1, len(lines)):
        f = _fields(lines[r], r, path.name)
        if len(f) != len(header):
            raise DataError(f"{path.name} row {r} has {len(f)} fields but the header has {len(header)}")
        rows.append(f)
    return header, rows


def read_numeric(path: Path) -> tuple[list[str], np.ndarray]:
    header, rows = read_table(path)
    try:
        values = np.array(rows, dtype=np.float64)
    except ValueError:
        values = None
    if values is None or not np.all(np.abs(values) <= F32_MAX):
        # The slow path: JavaScript's Number() per cell (it also reads 0x1F), naming the first bad cell.
        values = np.empty((len(rows), len(header)), dtype=np.float64)
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row):
                v = js_number(cell) if cell != "" else float("nan")
                if not abs(v) <= F32_MAX:
                    what = "is outside the float32 range" if np.isfinite(v) else "is not a number"
                    raise DataError(f'{path.name} row {r}, column {header[c]}: "{cell}" {what}')
                values[r - 1, c] = v
    return header, values.reshape(len(rows), len(header)).astype(np.float32)


def _column(header: list[str], name: str) -> int:
    low = [h.lower() for h in header]
    return low.index(name) if name in low else -1


def _manifest(folder: Path) -> dict:
    p = folder / "dataset.json"
    if not p.exists():
        return {}
    try:
        j = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DataError(f"dataset.json is not valid JSON: {e}") from None
    if not isinstance(j, dict):
        raise DataError("dataset.json must hold an object")
    if "name" in j and not isinstance(j["name"], str):
        raise DataError('dataset.json: "name" must be a string')
    mods = j.get("modalities")
    if mods is None:
        return {"name": j.get("name")}
    if not isinstance(mods, list):
        raise DataError('dataset.json: "modalities" must be a list')
    out, seen = [], set()
    for i, m in enumerate(mods):
        where = f"dataset.json modality {i + 1}"
        if (
            not isinstance(m, dict)
            or not isinstance(m.get("name"), str)
            or not m["name"]
            or not isinstance(m.get("file"), str)
        ):
            raise DataError(f'{where} needs a "name" and a "file"')
        if m["name"] in seen:
            raise DataError(f"dataset.json names the modality {m['name']} twice")
        seen.add(m["name"])
        if m["file"] in RESERVED_FILES:
            raise DataError(f"{where}: {m['file']} is reserved and cannot be a modality")
        shape = m.get("shape")
        if shape is not None and (
            not isinstance(shape, list) or not shape or not all(isinstance(s, int) and s > 0 for s in shape)
        ):
            raise DataError(f'{where} ({m["name"]}): "shape" must be a list of positive integers, e.g. [28, 28]')
        out.append({"name": m["name"], "file": m["file"], "shape": shape})
    return {"name": j.get("name"), "modalities": out}


def _classes(raw: list[str], folder: Path) -> tuple[list[str], np.ndarray]:
    cpath = folder / "classes.csv"
    if cpath.exists():
        header, rows = read_table(cpath)
        lc, nc = _column(header, "label"), _column(header, "name")
        if lc < 0 or nc < 0:
            raise DataError(f'classes.csv needs the columns "label" and "name" (columns: {", ".join(header)})')

        def key(s: str) -> str:
            v = js_number(s)
            return js_string(v) if s != "" and np.isfinite(v) else s

        index: dict[str, int] = {}
        for r, row in enumerate(rows):
            k = key(row[lc])
            if k in index:
                raise DataError(f'classes.csv row {r + 1}: the label "{row[lc]}" is listed twice')
            index[k] = r
        labels = np.zeros(len(raw), dtype=np.int64)
        for i, s in enumerate(raw):
            k = index.get(key(s))
            if k is None:
                raise DataError(f'labels.csv row {i + 1}: the label "{s}" is not in classes.csv')
            labels[i] = k
        return [row[nc] for row in rows], labels
    all_int = all(js_is_integer(s) for s in raw)
    keys = [js_string(js_number(s)) if all_int else s for s in raw]
    distinct = sorted(set(keys), key=(lambda k: js_number(k)) if all_int else None)
    index = {k: i for i, k in enumerate(distinct)}
    return distinct, np.array([index[k] for k in keys], dtype=np.int64)


def read_paired_csv(folder: Path, name: str, seed: int) -> Dataset:
    manifest = _manifest(folder)
    chosen = manifest.get("modalities")
    if chosen is None:
        csvs = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(".csv"))
        chosen = [{"name": f[:-4], "file": f, "shape": None} for f in csvs if f not in RESERVED_FILES]
    if not chosen:
        raise DataError("No modality files: add one CSV per modality besides labels.csv, classes.csv and split.csv")
    lpath = folder / "labels.csv"
    if not lpath.exists():
        raise DataError('labels.csv is missing: it needs a column "label" with the class of each row')
    header, rows = read_table(lpath)
    lc = _column(header, "label")
    if lc < 0:
        raise DataError(f'labels.csv has no "label" column (columns: {", ".join(header)})')
    raw = [row[lc] for row in rows]
    if "" in raw:
        raise DataError(f"labels.csv row {raw.index('') + 1}: the label is empty")
    n = len(raw)
    class_names, labels = _classes(raw, folder)

    modalities, features = [], []
    for m in chosen:
        path = folder / m["file"]
        if not path.exists():
            raise DataError(f"dataset.json names {m['file']} for modality {m['name']}, but there is no such file")
        cols, values = read_numeric(path)
        if values.shape[0] != n:
            raise DataError(f"{path.name} has {values.shape[0]} rows but labels.csv has {n}")
        shape = tuple(m["shape"] or [len(cols)])
        if int(np.prod(shape)) != len(cols):
            raise DataError(
                f"dataset.json gives {m['name']} the shape [{', '.join(map(str, shape))}] "
                f"({int(np.prod(shape))} values), but {path.name} has {len(cols)} columns"
            )
        modalities.append(ModalitySpec(m["name"], shape))
        features.append(values)

    rng = Rng(seed)
    spath = folder / "split.csv"
    split = (
        _split_from_file(spath, n, labels, rng)
        if spath.exists()
        else stratified_split(labels, VAL_FRACTION, TEST_FRACTION, rng)
    )
    return Dataset(manifest.get("name") or name, modalities, class_names, features, labels, split)


def _split_from_file(path: Path, n: int, labels: np.ndarray, rng: Rng) -> np.ndarray:
    """train/test from the file; validation is a stratified share of the train rows."""
    header, rows = read_table(path)
    col = _column(header, "split")
    if col < 0:
        raise DataError(f'split.csv has no "split" column (columns: {", ".join(header)})')
    if len(rows) != n:
        raise DataError(f"split.csv has {len(rows)} rows but labels.csv has {n}")
    split = np.zeros(n, dtype=np.uint8)
    train = []
    for i, row in enumerate(rows):
        v = row[col].lower()
        if v == "train":
            train.append(i)
        elif v == "test":
            split[i] = SPLIT_CODE["test"]
        else:
            raise DataError(f'split.csv row {i + 1}: "{row[col]}" is not train or test')
    if not train:
        raise DataError("split.csv marks no row as train")
    inner = stratified_split(labels[train], VAL_FRACTION, 0, rng)
    split[train] = inner
    return split
