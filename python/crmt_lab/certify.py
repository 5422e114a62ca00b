"""Certified radii and certified accuracy (spec §6; src/core/robust/certify.ts), in float64."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Radii:
    joint: np.ndarray  # [n]; 0 when misclassified
    per_modality: list[np.ndarray]
    correct: np.ndarray  # bool [n]


def certified_radius(logits: np.ndarray, labels: np.ndarray, pair: list[np.ndarray]) -> Radii:
    """r = minₖ≠y (h_y − hₖ)/√(Σₘ (cᵐ_{y,k})²), rᵐ = minₖ≠y (h_y − hₖ)/cᵐ_{y,k}; a zero constant never limits."""
    h = np.asarray(logits, dtype=np.float64)
    n, K = h.shape
    y = np.asarray(labels, dtype=np.int64)
    rows = np.arange(n)
    hy = h[rows, y]
    other = np.ones((n, K), dtype=bool)
    other[rows, y] = False
    correct = ~np.any(other & (h >= hy[:, None]), axis=1)
    margin = hy[:, None] - h
    cs = [np.asarray(c, dtype=np.float64)[y] for c in pair]  # [n, K] each: row y of every matrix
    sq = np.zeros((n, K))
    for c in cs:
        sq = sq + c * c
    with np.errstate(divide="ignore", invalid="ignore"):
        joint = np.where(other & (sq > 0), margin / np.sqrt(sq), np.inf).min(axis=1)
        per = [np.where(other & (c > 0), margin / c, np.inf).min(axis=1) for c in cs]
    joint = np.where(correct, joint, 0.0)
    per = [np.where(correct, r, 0.0) for r in per]
    return Radii(joint, per, correct)


def certified_accuracy(radius: np.ndarray, eps: list[float]) -> list[float]:
    r = np.asarray(radius)
    return [float(np.mean(r > e)) if r.size else float("nan") for e in eps]


def median(values: np.ndarray) -> float:
    v = np.sort(np.asarray(values, dtype=np.float64))
    if v.size == 0:
        return float("nan")
    h = v.size // 2
    return float(v[h]) if v.size % 2 else float((v[h - 1] + v[h]) / 2)
