"""Attacks of spec §9 (src/core/robust/pgd.ts, attacks.ts): FGM-ℓ2, PGD-ℓ2, missing modality, noise."""

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


def pgd_l2(loss_fn, xs: list[torch.Tensor], targets: list[bool], o: PgdL2, generator: torch.Generator | None = None):
    """T steps of size α along the normalised gradient, projected onto the ball after each.

    Only the perturbation is differentiated (torch.autograd.grad), so no parameter gradient is
    touched. The random start (off by default) draws from torch, not the lab's generator.
    """
    idx = [m for m, t in enumerate(targets) if t]
    if not idx or o.eps <= 0 or o.steps <= 0:
        return [x.detach().clone() for x in xs]
    delta = [torch.zeros_like(xs[m]) for m in idx]
    if o.random_start:
        dirs = _normalise(
            [torch.randn(xs[m].shape, generator=generator, device="cpu").to(xs[m]) for m in idx], o.budget
        )
        r = o.eps * torch.rand((xs[0].shape[0], 1), generator=generator, device="cpu").to(xs[0])
        delta = [d * r for d in dirs]

    def attacked(d):
        return [x + d[idx.index(m)] if targets[m] else x for m, x in enumerate(xs)]

    for _ in range(o.steps):
        d = [t.detach().requires_grad_(True) for t in delta]
        grads = torch.autograd.grad(loss_fn(attacked(d)), d)
        step = _normalise(list(grads), o.budget)
        delta = _project([t.detach() + o.step_size * s for t, s in zip(d, step)], o.eps, o.budget)
    return [t.detach() for t in attacked(delta)]


def pgd_lab_default(eps: float) -> PgdL2:
    """The lab's default PGD, stronger than the paper's preset: 10 steps of ε/4 from the clean input."""
    return PgdL2(eps, 10, eps / 4, False)


def pgd_paper_preset(eps: float) -> PgdL2:
    return PgdL2(eps, 4, eps / 3, False)


def attacked_logits(model, xs, y, kind: str, targets: list[bool], eps: float, seed: int = 0) -> torch.Tensor:
    """Fused logits under one attack; `missing-drop` removes the attacked modalities' shares and keeps b."""
    if kind == "missing-drop":
        with torch.no_grad():
            out = model(xs)
            dropped = [c for c, t in zip(out.contributions, targets) if t]
            return out.logits - sum(dropped) if dropped else out.logits
    if kind == "missing-mean":
        xs = [torch.zeros_like(x) if t else x for x, t in zip(xs, targets)]
    elif kind == "gaussian":
        g = torch.Generator().manual_seed(seed)
        xs = [x + eps * torch.randn(x.shape, generator=g).to(x) if t and eps > 0 else x for x, t in zip(xs, targets)]
    elif kind in ("fgm", "pgd-l2"):
        o = replace(pgd_lab_default(eps), steps=1, step_size=eps) if kind == "fgm" else pgd_lab_default(eps)
        with torch.enable_grad():
            xs = pgd_l2(lambda a: cross_entropy(model(a).logits, y).mean(), xs, targets, o)
    else:
        raise ValueError(f'attack "{kind}" is not fgm, pgd-l2, missing-mean, missing-drop or gaussian')
    with torch.no_grad():
        return model(xs).logits
