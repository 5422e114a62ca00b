"""The NumPy folder (src/core/data/formats/npyDataset.ts): one .npy per modality, labels.npy."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..rng import Rng
from .dataset import MIN_PER_CLASS, DataError, Dataset, ModalitySpec
from .jsnumber import js_string
from .split import TEST_FRACTION, VAL_FRACTION, stratified_split

LABELS_NPY = "labels.npy"


def _load(path: Path) -> np.ndarray:
    try:
        a = np.load(path, allow_pickle=False)
    except Exception as e:  # numpy raises several kinds for a bad file
        raise DataError(f"{path.name} is not a readable .npy file ({e})") from None
    if a.dtype.kind not in "fiub":
        raise DataError(f"{path.name} holds {a.dtype}; only plain numbers load as features or labels")
    return a


def read_numpy_folder(folder: Path, name: str, seed: int) -> Dataset:
    files = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(".npy"))
    modality_files = [f for f in files if f != LABELS_NPY]
    if len(modality_files) < 2:
        raise DataError("NumPy upload needs at least two modality files besides labels.npy")
    if LABELS_NPY not in files:
        raise DataError("labels.npy is missing: it needs one integer class label per sample")
    raw = _load(folder / LABELS_NPY)
    if not (raw.ndim == 1 or (raw.ndim == 2 and raw.shape[1] == 1)):
        raise DataError(
            f"labels.npy has shape [{', '.join(map(str, raw.shape))}]; it needs one label per sample: shape [n] or [n, 1]"
        )
    raw = raw.reshape(-1).astype(np.float64)
    if raw.size == 0:
        raise DataError("labels.npy holds no labels")
    bad = np.flatnonzero(raw != np.floor(raw))
    if bad.size:
        raise DataError(
            f"labels.npy row {bad[0] + 1} is {raw[bad[0]]}, not a whole number; labels must be integer class ids"
        )
    values, counts = np.unique(raw, return_counts=True)
    for v, k in zip(values, counts):
        if k < MIN_PER_CLASS:
            raise DataError(
                f"class {int(v)} has only {k} sample{'' if k == 1 else 's'}; each class needs at least "
                f"{MIN_PER_CLASS} to be split into train, validation and test"
            )
    labels = np.searchsorted(values, raw).astype(np.int64)
    n = labels.size
    modalities, features = [], []
    for f in modality_files:
        a = _load(folder / f)
        if a.ndim == 0:
            raise DataError(f"{f} holds a single value: a modality needs a samples axis and at least one feature axis")
        if a.ndim == 1:
            raise DataError(
                f"{f} has shape [{a.shape[0]}]: a modality needs at least one feature dimension, e.g. [{a.shape[0]}, 1]"
            )
        if a.shape[0] != n:
            raise DataError(f"{f} has {a.shape[0]} samples but labels.npy has {n}")
        if 0 in a.shape[1:]:
            raise DataError(f"{f} has shape [{', '.join(map(str, a.shape))}]: its samples hold no values")
        x = np.ascontiguousarray(a.reshape(n, -1)).astype(np.float32)
        if not np.all(np.isfinite(x)):
            i = int(np.flatnonzero(~np.isfinite(x.reshape(-1)))[0])
            src = a.reshape(-1)[i]
            what = (
                f"{js_string(float(src))}, beyond the 32-bit float range" if np.isfinite(src) else js_string(float(src))
            )
            index = ", ".join(map(str, np.unravel_index(i, a.shape)))
            raise DataError(
                f"{f} row {i // x.shape[1] + 1}, column {i % x.shape[1] + 1} (arr[{index}] in NumPy) is {what}; "
                "features must be finite numbers"
            )
        modalities.append(ModalitySpec(f[: -len(".npy")], tuple(int(s) for s in a.shape[1:])))
        features.append(x)
    split = stratified_split(labels, VAL_FRACTION, TEST_FRACTION, Rng(seed))
    return Dataset(name, modalities, [str(int(v)) for v in values], features, labels, split)
