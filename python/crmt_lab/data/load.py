"""A dataset folder as the lab's CLI reads it (src/cli/loadData.ts, src/core/data/formats/upload.ts)."""

from __future__ import annotations

from pathlib import Path

from .dataset import DataError, Dataset, assert_splittable
from .numpy_folder import read_numpy_folder
from .paired_csv import read_paired_csv


def load_data(path: str, seed: int) -> Dataset:
    """Every modality of a paired-CSV or NumPy folder, split by `seed`; the caller narrows the modalities."""
    folder = Path(path)
    if not folder.exists():
        raise DataError(f"Not found: {path}")
    if not folder.is_dir():
        raise DataError(f"Not a folder: {path} (the Python engine reads paired-CSV and NumPy folders)")
    name = folder.resolve().name
    files = [p.name.lower() for p in folder.iterdir() if p.is_file()]
    if any(f.endswith(".npy") for f in files):
        d, source = read_numpy_folder(folder, name, seed), "labels.npy"
    elif any(f.endswith(".csv") for f in files):
        d, source = read_paired_csv(folder, name, seed), "labels.csv"
    else:
        raise DataError(
            f"No dataset found in {path}: expected one CSV per modality with labels.csv, "
            "or one .npy per modality with labels.npy"
        )
    assert_splittable(d.labels, d.class_names, source)
    return d
