"""Attacks of spec §9 (src/core/robust/pgd.ts, ascent.ts, attacks.ts): FGM-ℓ2, PGD-ℓ2, missing modality, noise."""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch

from .losses import cross_entropy

TINY = 1e-12


def _row_norms(parts: list[torch.Tensor]) -> torch.Tensor:
    return torch.sqrt(sum((p * p).sum(dim=1, keepdim=True) for p in parts))


def _project(parts, eps: float, budget: str):
    def shrink(norm):
        return torch.clamp(eps / torch.clamp(norm, min=TINY), max=1.0)

    if budget == "per-modality":
        return [p * shrink(_row_norms([p])) for p in parts]
    s = shrink(_row_norms(parts))
    return [p * s for p in parts]


def _normalise(parts, budget: str):
    if budget == "per-modality":
        return [p / torch.clamp(_row_norms([p]), min=TINY) for p in parts]
    n = torch.clamp(_row_norms(parts), min=TINY)
    return [p / n for p in parts]


@dataclass
class PgdL2:
    eps: float
    steps: int
    step_size: float
    random_start: bool = False
    budget: str = "joint"  # or 'per-modality'


def pgd_l2_ascent(objective, xs: list[torch.Tensor], targets: list[bool], o: PgdL2, generator=None):
    """ℓ2 projected gradient ascent (src/core/robust/pgd.ts, ascent.ts): T steps of size α along the
    normalised gradient, projected onto the ball after each. `objective(xs)` returns the loss, or
    (loss, wrong) with wrong the samples the iterate misclassifies: then every iterate is checked (the
    start, each step and the end), and (attacked inputs, wrong) comes back with, for a sample some iterate
    fooled, the first input that did, else the last iterate. Without `wrong`: the last iterate, and None.

    Only the perturbation is differentiated (torch.autograd.grad), so no parameter gradient is
    touched. The random start draws from torch's generator, not the lab's.
    """
    idx = [m for m, t in enumerate(targets) if t]
    steps = 0 if not idx or o.eps <= 0 else o.steps
    delta = [torch.zeros_like(xs[m]) for m in idx]
    if o.random_start and steps > 0:
        dirs = _normalise(
            [torch.randn(xs[m].shape, generator=generator, device="cpu").to(xs[m]) for m in idx], o.budget
        )
        r = o.eps * torch.rand((xs[0].shape[0], 1), generator=generator, device="cpu").to(xs[0])
        delta = [d * r for d in dirs]

    def attacked(d):
        return [x + d[idx.index(m)] if targets[m] else x for m, x in enumerate(xs)]

    wrong, found = None, None

    def track(now, d):
        nonlocal wrong, found
        if wrong is None:
            wrong, found = now, d
            return
        fresh = (now & ~wrong)[:, None]
        found = [torch.where(fresh, new, old) for new, old in zip(d, found)]
        wrong = wrong | now

    for _ in range(steps):
        d = [t.detach().requires_grad_(True) for t in delta]
        r = objective(attacked(d))
        loss, now = r if isinstance(r, tuple) else (r, None)
        grads = torch.autograd.grad(loss, d)
        if now is not None:
            track(now.detach(), [t.detach() for t in d])
        step = _normalise(list(grads), o.budget)
        delta = _project([t.detach() + o.step_size * s for t, s in zip(d, step)], o.eps, o.budget)
    with torch.no_grad():
        last = objective(attacked(delta))
    if not isinstance(last, tuple):
        return [t.detach() for t in attacked(delta)], None
    track(last[1], delta)
    chosen = [torch.where(wrong[:, None], f, t) for f, t in zip(found, delta)]
    return [t.detach() for t in attacked(chosen)], wrong


def pgd_l2(loss_fn, xs: list[torch.Tensor], targets: list[bool], o: PgdL2, generator: torch.Generator | None = None):
    """The attacked inputs of ℓ2 PGD on `loss_fn` (adversarial training's attack): the last iterate."""
    return pgd_l2_ascent(loss_fn, xs, targets, o, generator)[0]


def pgd_spec(eps: float, settings: dict) -> tuple[PgdL2, int]:
    """The evaluation PGD under the experiment's attack settings (src/core/robust/attacks.ts attackSpec), and
    its runs: the paper preset is 4 steps of ε/3 from the clean input, one run."""
    if settings["preset"] == "paper":
        return PgdL2(eps, 4, eps / 3, False, settings["budget"]), 1
    s = settings
    return PgdL2(eps, s["steps"], s["stepFraction"] * eps, s["randomStart"], s["budget"]), max(1, s["restarts"])


def fused_objective(model, y):
    """CE of the fused output (spec §9), and which samples the iterate misclassifies."""

    def objective(xs):
        logits = model(xs).logits
        return cross_entropy(logits, y).mean(), logits.argmax(1) != y

    return objective


@torch.no_grad()
def _missing_or_noise(model, xs, kind: str, targets: list[bool], eps: float, seed: int) -> torch.Tensor:
    """Fused logits: `missing-drop` removes the attacked modalities' shares and keeps b."""
    if kind == "missing-drop":
        out = model(xs)
        dropped = [c for c, t in zip(out.contributions, targets) if t]
        return out.logits - sum(dropped) if dropped else out.logits
    if kind == "missing-mean":
        # The training mean is zero after standardisation.
        return model([torch.zeros_like(x) if t else x for x, t in zip(xs, targets)]).logits
    g = torch.Generator().manual_seed(seed)
    return model(
        [x + eps * torch.randn(x.shape, generator=g).to(x) if t and eps > 0 else x for x, t in zip(xs, targets)]
    ).logits


def survivors(model, xs, y, kind: str, targets: list[bool], eps: float, settings: dict, seed: int = 0) -> torch.Tensor:
    """The samples an attack leaves correctly classified (attacks.ts survivors): for FGM and PGD, every
    iterate of every run; each run after the first starts at a random point of the ball."""
    if kind in ("missing-mean", "missing-drop", "gaussian"):
        return _missing_or_noise(model, xs, kind, targets, eps, seed).argmax(1) == y
    if kind not in ("fgm", "pgd-l2"):
        raise ValueError(f'attack "{kind}" is not fgm, pgd-l2, missing-mean, missing-drop or gaussian')
    o, runs = pgd_spec(eps, settings)
    if kind == "fgm":
        # One step of length ε along the normalised gradient: PGD with one full step and no start.
        o, runs = replace(o, steps=1, step_size=eps, random_start=False), 1
    alive = torch.ones_like(y, dtype=torch.bool)
    for r in range(runs):
        g = torch.Generator().manual_seed(seed * 104_729 + r)
        with torch.enable_grad():
            _, wrong = pgd_l2_ascent(
                fused_objective(model, y), xs, targets, replace(o, random_start=r > 0 or o.random_start), g
            )
        alive &= ~wrong
    return alive
