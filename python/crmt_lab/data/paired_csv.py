"""The paired-CSV folder (src/core/data/formats/pairedCsv.ts): one CSV per modality, rows aligned,
labels.csv, and the optional classes.csv, split.csv and dataset.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from ..rng import Rng
from .csv import decode_text, read_numeric, read_table
from .dataset import MIN_PER_CLASS, SPLIT_CODE, DataError, Dataset, ModalitySpec
from .split import TEST_FRACTION, VAL_FRACTION, stratified_split

RESERVED_FILES = ["labels.csv", "classes.csv", "split.csv", "dataset.json"]


def _column(header: list[str], name: str) -> int:
    low = [h.lower() for h in header]
    return low.index(name) if name in low else -1


def _manifest(folder: Path) -> dict:
    p = folder / "dataset.json"
    if not p.exists():
        return {}
    try:
        j = json.loads(decode_text(p))
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


PLAIN_INTEGER = re.compile(r"^[+-]?\d+$")
_WHOLE = re.compile(r"^([+-]?\d+)(?:\.0*)?$")


def _label_key(s: str) -> str:
    """classes.csv's label for a labels.csv cell: "1.0" from a float export still finds "1"; nothing else is a number."""
    m = _WHOLE.match(s)
    return str(int(m.group(1))) if m else s


def _classes(raw: list[str], folder: Path) -> tuple[list[str], np.ndarray]:
    """Class order and names from classes.csv; else, when every label is a plain decimal integer (7, -1, 007),
    those integers in numeric order, and otherwise every label the string it is, in code-point order."""
    cpath = folder / "classes.csv"
    if cpath.exists():
        header, rows = read_table(cpath)
        lc, nc = _column(header, "label"), _column(header, "name")
        if lc < 0 or nc < 0:
            raise DataError(f'classes.csv needs the columns "label" and "name" (columns: {", ".join(header)})')
        index: dict[str, int] = {}
        for r, row in enumerate(rows):
            k = _label_key(row[lc])
            if k in index:
                raise DataError(f'classes.csv row {r + 1}: the label "{row[lc]}" is listed twice')
            index[k] = r
        labels = np.zeros(len(raw), dtype=np.int64)
        for i, s in enumerate(raw):
            k = index.get(_label_key(s))
            if k is None:
                raise DataError(f'labels.csv row {i + 1}: the label "{s}" is not in classes.csv')
            labels[i] = k
        return [row[nc] for row in rows], labels
    integers = all(PLAIN_INTEGER.match(s) for s in raw)
    keys = [str(int(s)) for s in raw] if integers else raw
    # Code-point order (JavaScript sorts UTF-16 code units; the two agree outside the astral planes).
    distinct = sorted(set(keys), key=int if integers else None)
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
        cols, values = read_numeric(path, n)
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
        _split_from_file(spath, n, labels, class_names, rng)
        if spath.exists()
        else stratified_split(labels, VAL_FRACTION, TEST_FRACTION, rng)
    )
    return Dataset(manifest.get("name") or name, modalities, class_names, features, labels, split)


def _split_from_file(path: Path, n: int, labels: np.ndarray, class_names: list[str], rng: Rng) -> np.ndarray:
    """train/test from the file; validation is a stratified share of the train rows. A split the lab cannot
    evaluate is refused: no test row, or a class without the two train rows training and validation need."""
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
    if len(train) == n:
        raise DataError('split.csv marks no row as test: mark some rows of each class "test"')
    K = len(class_names)
    per_class = np.bincount(labels, minlength=K)
    train_per_class = np.bincount(labels[train], minlength=K)
    need = MIN_PER_CLASS - 1
    for y, k in enumerate(train_per_class):
        # A class too small for any split is refused with its size by assert_splittable.
        if k < need and per_class[y] >= MIN_PER_CLASS:
            rows_ = "no" if k == 0 else f"only {k}"
            raise DataError(
                f"split.csv marks {rows_} row{'' if k == 1 else 's'} of class {class_names[y]} as train; "
                f"each class needs at least {need} (one for training, one for validation)"
            )
    split[train] = stratified_split(labels[train], VAL_FRACTION, 0, rng)
    return split
