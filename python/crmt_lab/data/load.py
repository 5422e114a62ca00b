"""A dataset folder as the lab's CLI reads it (src/cli/loadData.ts), narrowed to the modalities asked for."""

from __future__ import annotations

from pathlib import Path

from .dataset import DataError, Dataset, assert_splittable, select_modalities
from .numpy_folder import read_numpy_folder
from .paired_csv import read_paired_csv


def load_data(path: str, modalities: list[str] | None, seed: int) -> Dataset:
    folder = Path(path)
    if not folder.exists():
        raise DataError(f"Not found: {path}")
    if not folder.is_dir():
        raise DataError(f"Not a folder: {path} (the Python engine reads paired-CSV and NumPy folders)")
    name = folder.resolve().name
    files = [p.name.lower() for p in folder.iterdir() if p.is_file()]
    if any(f.endswith(".npy") for f in files):
        d = read_numpy_folder(folder, name, seed)
    elif any(f.endswith(".csv") for f in files):
        d = read_paired_csv(folder, name, seed)
    else:
        raise DataError(
            f"No dataset found in {path}: expected one CSV per modality with labels.csv, "
            "or one .npy per modality with labels.npy"
        )
    assert_splittable(d.labels, d.class_names)
    return select_modalities(d, modalities) if modalities else d
