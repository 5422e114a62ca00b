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
    """Per class, in class order, one permutation: the first n_test to test, then n_val to validation, the rest
    to training. Each asked-for split gets round(n · fraction) but at least one, with at least one left for
    training; a class too small for that gives up validation first, then test."""
    split = np.zeros(len(labels), dtype=np.uint8)
    for y in sorted(set(int(v) for v in labels)):
        idx = np.flatnonzero(labels == y)
        n = len(idx)
        order = permutation(n, rng)
        n_test = max(1, js_round(n * test)) if test > 0 else 0
        n_val = max(1, js_round(n * val)) if val > 0 else 0
        while n_test + n_val > max(0, n - 1):
            if n_val > 0 and n_val >= n_test:
                n_val -= 1
            else:
                n_test -= 1
        for r, o in enumerate(order):
            code = "test" if r < n_test else "val" if r < n_test + n_val else "train"
            split[idx[o]] = SPLIT_CODE[code]
    return split
