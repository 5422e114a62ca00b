"""Evaluation on a split (src/core/robust/*, src/core/train/trainer.ts evaluateSplit), split over processes.

Every function returns the same numbers on every process: per-sample work is done on each
process's contiguous shard, then counts are summed and per-sample outputs gathered.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch

from .attacks import survivors
from .certify import Radii, certified_accuracy, certified_radius, median
from .distributed import LOCAL, Dist
from .lipschitz import LipschitzConstants, estimated_constants, sound_constants
from .losses import cross_entropy

EVAL_BATCH = 2048
ATTACK_BATCH = 1024


@dataclass
class SplitTensors:
    x: list[torch.Tensor]
    y: torch.Tensor
    n: int


def split_tensors(d, split: str, device) -> SplitTensors:
    idx = d.indices(split)
    return SplitTensors(
        [torch.from_numpy(f[idx]).to(device) for f in d.features], torch.from_numpy(d.labels[idx]).to(device), len(idx)
    )


def _batches(s: SplitTensors, dist: Dist, size: int):
    sl = dist.shard(s.n)
    for start in range(sl.start, sl.stop, size):
        end = min(start + size, sl.stop)
        yield [x[start:end] for x in s.x], s.y[start:end]


@torch.no_grad()
def evaluate_split(model, s: SplitTensors, dist: Dist = LOCAL) -> dict:
    """Mean loss, fused accuracy and each branch's accuracy (argmax of its uni-modal logits)."""
    M = len(s.x)
    if s.n == 0:
        return {"loss": float("nan"), "accuracy": float("nan"), "branchAccuracy": [float("nan")] * M}
    totals = torch.zeros(M + 2, dtype=torch.float64, device=s.y.device)
    for xs, y in _batches(s, dist, EVAL_BATCH):
        out = model(xs)
        parts = [cross_entropy(out.logits, y).sum(), (out.logits.argmax(1) == y).sum()]
        parts += [(u.argmax(1) == y).sum() for u in out.uni]
        totals += torch.stack([p.double() for p in parts])
    t = (dist.sum(totals) / s.n).tolist()
    return {"loss": t[0], "accuracy": t[1], "branchAccuracy": t[2:]}


@dataclass
class Outputs:
    logits: np.ndarray  # float32 [n, K]
    uni: list[np.ndarray]
    contributions: list[np.ndarray]


@torch.no_grad()
def collect_outputs(model, xs: list[torch.Tensor], dist: Dist = LOCAL) -> Outputs:
    n = xs[0].shape[0]
    sl = dist.shard(n)
    chunks = []
    for start in range(sl.start, sl.stop, EVAL_BATCH):
        out = model([x[start : min(start + EVAL_BATCH, sl.stop)] for x in xs])
        chunks.append(torch.cat([out.logits, *out.uni, *out.contributions], dim=1))
    K, M = model.classes, len(xs)
    local = torch.cat(chunks) if chunks else torch.zeros(0, (1 + 2 * M) * K, device=xs[0].device)
    packed = dist.gather_rows(local, n).cpu().numpy()
    cols = [packed[:, i * K : (i + 1) * K] for i in range(1 + 2 * M)]
    return Outputs(cols[0], cols[1 : 1 + M], cols[1 + M :])


def accuracy(scores: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(np.argmax(scores, axis=1) == labels)) if len(labels) else float("nan")


def attack_accuracy(
    model, s: SplitTensors, kind: str, targets: list[bool], eps: float, settings: dict, seed: int, dist: Dist = LOCAL
) -> float:
    """Share of the split the attack leaves correctly classified (src/core/robust/attacks.ts attackAccuracy)."""
    if s.n == 0:
        return float("nan")
    correct = torch.zeros((), dtype=torch.float64, device=s.y.device)
    for b, (xs, y) in enumerate(_batches(s, dist, ATTACK_BATCH)):
        correct += survivors(model, xs, y, kind, targets, eps, settings, seed * 1009 + b).sum().double()
    return float(dist.sum(correct).item()) / s.n


def standard_targets(names: list[str]) -> list[tuple[str, list[bool]]]:
    """Each modality alone, then all of them."""
    return [(n, [j == m for j in range(len(names))]) for m, n in enumerate(names)] + [("all", [True] * len(names))]


BOUND_KINDS = ("sound", "estimated")


@dataclass
class Certification:
    """src/core/robust/certification.ts: both kinds' constants and radii, and the certified-accuracy object
    of the result (`accuracy`). A model with a factory encoder has no sound bound: its sound parts are None."""

    constants: dict[str, LipschitzConstants | None]
    radii: dict[str, Radii | None]
    accuracy: dict


def certify(model, outputs: Outputs, labels: np.ndarray, train_x, eps, dist: Dist = LOCAL) -> Certification:
    """Radii and certified accuracy of both kinds, the estimated constants taken over the training inputs."""
    constants = {"sound": sound_constants(model), "estimated": estimated_constants(model, train_x, dist)}
    radii = {k: certified_radius(outputs.logits, labels, c.pair) if c else None for k, c in constants.items()}
    M = len(outputs.uni)

    def curves(r: Radii | None) -> dict:
        if r is None:
            return {"all": [None] * len(eps), "perModality": [[None] * len(eps)] * M, "medianRadius": None}
        return {
            "all": certified_accuracy(r.joint, eps),
            "perModality": [certified_accuracy(p, eps) for p in r.per_modality],
            "medianRadius": median(r.joint),
        }

    accuracy = {"eps": list(eps), **{k: curves(radii[k]) for k in BOUND_KINDS}, "estimatedOver": train_x[0].shape[0]}
    return Certification(constants, radii, accuracy)


def robustness(
    model, test: SplitTensors, names, eps, settings: dict, seed: int, dist: Dist = LOCAL
) -> tuple[list[dict], float, float]:
    """FGM and PGD-ℓ2 under the experiment's attack settings on each modality and all at each ε, then missing
    modality both ways; seconds."""
    start = time.perf_counter()
    targets = standard_targets(names)
    out, one_pass = [], float("nan")
    for kind in ("fgm", "pgd-l2"):
        t0 = time.perf_counter()
        for name, mask in targets:
            for e in eps:
                out.append(
                    {
                        "attack": kind,
                        "target": name,
                        "eps": e,
                        "acc": attack_accuracy(model, test, kind, mask, e, settings, seed, dist),
                    }
                )
        if kind == "pgd-l2":
            one_pass = (time.perf_counter() - t0) / (len(targets) * len(eps))
    for kind in ("missing-mean", "missing-drop"):
        for name, mask in targets[:-1]:
            out.append(
                {
                    "attack": kind,
                    "target": name,
                    "eps": None,
                    "acc": attack_accuracy(model, test, kind, mask, 0, settings, 0, dist),
                }
            )
    return out, time.perf_counter() - start, one_pass


def preference(
    outputs: Outputs, labels: np.ndarray, radii: dict[str, Radii | None], names: list[str], measured: dict | None = None
) -> dict:
    """Spec §10 (src/core/robust/preference.ts): branch accuracy, margin shares, the cheaper modality by the
    bounds, and `measured` (attack_cost.py; None when not measured)."""
    n = len(labels)
    branch = [accuracy(u, labels) for u in outputs.uni]
    h = outputs.logits.astype(np.float64)
    masked = h.copy()
    masked[np.arange(n), labels] = -np.inf
    runner_up = np.argmax(masked, axis=1)
    rows = np.arange(n)
    correct = (radii["sound"] or radii["estimated"]).correct
    shares = []
    for c in outputs.contributions:
        s = c.astype(np.float64)[rows, labels] - c.astype(np.float64)[rows, runner_up]
        shares.append(float(np.mean(s[correct])) if correct.any() else float("nan"))
    none = [None] * len(names)
    med = {k: [median(r) for r in radii[k].per_modality] if radii[k] else none for k in BOUND_KINDS}

    def ratio(rs):
        if rs is none:
            return none
        with np.errstate(divide="ignore", invalid="ignore"):
            return [float(np.float64(rs[0]) / r) for r in rs]

    return {
        "modalities": names,
        "branchAccuracy": branch,
        "meanShare": shares,
        "medianRadius": med,
        "lipschitzRatio": {k: ratio(v) for k, v in med.items()},
        "cheapest": {k: names[int(np.argmin(v))] if v is not none else None for k, v in med.items()},
        "preferred": names[int(np.argmax(branch))],
        "measured": measured,
    }
