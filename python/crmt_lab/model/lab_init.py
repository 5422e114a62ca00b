"""The lab's initial weights from its seed (src/core/model/init.ts, crmtHead.ts, jointHead.ts).

Drawn from the same mulberry32 stream in the same order, so a model built here from a seed
starts from exactly the weights the browser would, given in the lab's layout ([in, out] dense,
[kh, kw, in, out] kernels).
"""

from __future__ import annotations

import math

import numpy as np

from ..rng import Rng


def glorot_uniform(rows: int, cols: int, rng: Rng) -> np.ndarray:
    limit = math.sqrt(6 / (rows + cols))
    return np.array([(2 * rng.next() - 1) * limit for _ in range(rows * cols)], dtype=np.float32).reshape(rows, cols)


def orthonormal_rows(k: int, d: int, rng: Rng) -> np.ndarray:
    """Gram-Schmidt on Gaussian rows, in float64 with the lab's loop order, then float32."""
    rows: list[list[float]] = []
    while len(rows) < k:
        r = [rng.normal() for _ in range(d)]
        for q in rows:
            dot = 0.0
            for j in range(d):
                dot += r[j] * q[j]
            for j in range(d):
                r[j] -= dot * q[j]
        n = math.hypot(*r)
        if n < 1e-6:
            continue
        rows.append([x / n for x in r])
    return np.array(rows, dtype=np.float32)


def joint_head_weight(d: int, classes: int, total: int, rng: Rng) -> np.ndarray:
    """Scaled as one [Σd, K] layer would be; the lab rounds to float32 before and after the scaling."""
    w = glorot_uniform(d, classes, rng).astype(np.float64) * math.sqrt((d + classes) / (total + classes))
    return w.astype(np.float32)
