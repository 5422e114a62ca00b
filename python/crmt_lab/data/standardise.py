"""Per-feature standardisation with training-split statistics (src/core/data/standardise.ts).

The sums run sequentially in float64, as the TypeScript loop does (np.cumsum, unlike np.sum, adds
in order), and the statistics are kept as float32: the standardised inputs are then the lab's to
the bit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .dataset import SPLIT_CODE, Dataset


@dataclass
class Standardisation:
    mean: list[np.ndarray]  # float32 per modality
    std: list[np.ndarray]

    def to_json(self) -> dict:
        return {"mean": [m.tolist() for m in self.mean], "std": [s.tolist() for s in self.std]}

    @staticmethod
    def from_json(j: dict) -> "Standardisation":
        return Standardisation(
            mean=[np.asarray(m, dtype=np.float32) for m in j["mean"]],
            std=[np.asarray(s, dtype=np.float32) for s in j["std"]],
        )


def _sequential_sum(x: np.ndarray) -> np.ndarray:
    if x.shape[0] == 0:
        return np.zeros(x.shape[1], dtype=np.float64)
    return np.cumsum(x, axis=0, dtype=np.float64)[-1]


def training_statistics(d: Dataset) -> Standardisation:
    train = d.split == SPLIT_CODE["train"]
    n = int(train.sum())
    means, stds = [], []
    for x in d.features:
        rows = x[train].astype(np.float64)
        total = _sequential_sum(rows)
        sq = _sequential_sum(rows * rows)
        m1 = total / n if n > 0 else np.zeros_like(total)
        var = np.maximum(sq / n - m1 * m1, 0) if n > 0 else np.zeros_like(total)
        means.append(m1.astype(np.float32))
        stds.append(np.where(var > 1e-12, np.sqrt(var), 1.0).astype(np.float32))
    return Standardisation(means, stds)


def apply_standardisation(d: Dataset, s: Standardisation) -> Dataset:
    features = [
        ((x.astype(np.float64) - mu.astype(np.float64)) / sd.astype(np.float64)).astype(np.float32)
        for x, mu, sd in zip(d.features, s.mean, s.std)
    ]
    return replace(d, features=features)
