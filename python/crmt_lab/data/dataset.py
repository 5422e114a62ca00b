"""A multi-modal dataset as plain arrays, as src/core/data/dataset.ts holds it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

SPLIT_CODE = {"train": 0, "val": 1, "test": 2}


class DataError(ValueError):
    """Bad input: the message names the file, row or field and the problem."""


@dataclass(frozen=True)
class ModalitySpec:
    name: str
    #: Shape of one sample, e.g. [64] for a vector or [28, 28] / [H, W, C] for an image (NHWC rows).
    shape: tuple[int, ...]

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    def to_json(self) -> dict:
        return {"name": self.name, "shape": list(self.shape)}


@dataclass
class Dataset:
    name: str
    modalities: list[ModalitySpec]
    class_names: list[str]
    #: One float32 [n, size] array per modality, rows aligned.
    features: list[np.ndarray]
    labels: np.ndarray  # int64 [n]
    split: np.ndarray  # uint8 [n], SPLIT_CODE values
    extra: dict = field(default_factory=dict)

    def indices(self, split: str) -> np.ndarray:
        return np.flatnonzero(self.split == SPLIT_CODE[split])


def resolve_modalities(available: list[str], requested: list[str]) -> list[str]:
    """Full names or unique case-insensitive parts (`fac` finds `view1_fac`), as modalities.ts."""
    listing = ", ".join(available)
    out: list[str] = []
    for raw in requested:
        want = raw.strip()
        hit = want if want in available else None
        if hit is None:
            lower = want.lower()
            matches = [a for a in available if want and lower in a.lower()]
            if not matches:
                raise DataError(f'No modality matches "{raw}"; available: {listing}')
            if len(matches) > 1:
                raise DataError(f'"{raw}" matches several modalities ({", ".join(matches)}); available: {listing}')
            hit = matches[0]
        if hit in out:
            raise DataError(f"Modality {hit} is requested twice")
        out.append(hit)
    return out


def default_modalities(d: Dataset) -> list[str]:
    """The page's choice when none is named: all modalities, or the first two of more."""
    return [m.name for m in d.modalities[: 2 if len(d.modalities) > 2 else None]]


def select_modalities(d: Dataset, names: list[str]) -> Dataset:
    all_names = [m.name for m in d.modalities]
    picked = resolve_modalities(all_names, names)
    if len(picked) < 2:
        raise DataError(f"Choose at least two modalities (got {len(picked)}); available: {', '.join(all_names)}")
    idx = [all_names.index(n) for n in picked]
    return replace(d, modalities=[d.modalities[i] for i in idx], features=[d.features[i] for i in idx])


MIN_PER_CLASS = 3


def assert_splittable(labels: np.ndarray, class_names: list[str], source: str = "The dataset") -> None:
    """Refuses a dataset with a single class, or whose smallest class cannot appear in every split."""
    if len(class_names) == 1:
        raise DataError(
            f"{source} has a single class ({class_names[0]}); the lab needs at least two classes to classify"
        )
    counts = np.bincount(labels, minlength=len(class_names))
    for y, k in enumerate(counts):
        if k < MIN_PER_CLASS:
            raise DataError(
                f"class {class_names[y]} has only {k} sample{'' if k == 1 else 's'}; each class needs at least "
                f"{MIN_PER_CLASS} to be split into train, validation and test"
            )
