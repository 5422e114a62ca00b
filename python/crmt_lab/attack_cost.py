"""Which modality is cheaper to attack, measured (spec §10; src/core/robust/attackCost.ts): per modality the
ε at which PGD-ℓ2 on that modality alone halves the clean accuracy, found by doubling ε from FIRST_EPS until
accuracy is at most half the clean accuracy, then bisecting. The sound radii answer the same question as a
bound (2–5× conservative); this is what an attacker actually needs."""

from __future__ import annotations

import math

from .distributed import LOCAL, Dist
from .evaluate import SplitTensors, attack_accuracy

FIRST_EPS = 0.125
MAX_EPS = 64
BISECTIONS = 6


def _argmin(values: list[float | None], names: list[str]) -> str | None:
    """The first modality with the smallest value, skipping those not reached."""
    best = None
    for m, e in enumerate(values):
        if e is not None and (best is None or e < values[best]):
            best = m
    return None if best is None else names[best]


def attack_cost(
    model, s: SplitTensors, names: list[str], clean: float, settings: dict, seed: int, dist: Dist = LOCAL
) -> dict:
    """The result's `preference.measured`: the halving ε per modality (standardised units; None when even
    MAX_EPS does not halve accuracy), the same per feature (ε/√dₘ, comparable across dimensions), and the
    modality with the smallest of each. The attack is the evaluation PGD under the experiment's settings."""
    target = clean / 2
    halving: list[float | None] = []
    for m in range(len(names)):
        mask = [j == m for j in range(len(names))]

        def acc(eps: float) -> float:
            return attack_accuracy(model, s, "pgd-l2", mask, eps, settings, seed, dist)

        lo, hi = 0.0, FIRST_EPS
        while hi <= MAX_EPS and acc(hi) > target:
            lo, hi = hi, hi * 2
        if hi > MAX_EPS:
            halving.append(None)
            continue
        for _ in range(BISECTIONS):
            mid = (lo + hi) / 2
            if acc(mid) > target:
                lo = mid
            else:
                hi = mid
        # The smallest ε found that halves accuracy (within the bisection's last bracket).
        halving.append(hi)
    per_feature = [None if e is None else e / math.sqrt(x.shape[1]) for e, x in zip(halving, s.x)]
    return {
        "attack": "pgd-l2",
        "targetAccuracy": target,
        "halvingEps": halving,
        "halvingEpsPerFeature": per_feature,
        "cheapest": _argmin(halving, names),
        "cheapestPerFeature": _argmin(per_feature, names),
    }
