"""Stratified train/val/test assignment (src/core/data/splits.ts), drawing from the lab's RNG."""

from __future__ import annotations

import numpy as np

from ..rng import Rng, permutation
from .dataset import SPLIT_CODE

VAL_FRACTION = 0.15
TEST_FRACTION = 0.2


def js_round(x: float) -> int:
    """Math.round: halves go up (Python's round() goes to even)."""
    return int(np.floor(x + 0.5))


def stratified_split(labels: np.ndarray, val: float, test: float, rng: Rng) -> np.ndarray:
    """Per class, in class order, one permutation: the first round(n·test) to test, then val, rest train."""
    split = np.zeros(len(labels), dtype=np.uint8)
    for y in sorted(set(int(v) for v in labels)):
        idx = np.flatnonzero(labels == y)
        order = permutation(len(idx), rng)
        n_test = js_round(len(idx) * test)
        n_val = js_round(len(idx) * val)
        for r, o in enumerate(order):
            code = "test" if r < n_test else "val" if r < n_test + n_val else "train"
            split[idx[o]] = SPLIT_CODE[code]
    return split
