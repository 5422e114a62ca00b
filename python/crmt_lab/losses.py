"""Losses of spec §4, §7, §8 (src/core/train/losses.ts, src/core/ops/crossEntropy.ts).

Each returns one value per sample: the trainer divides the sum by the global batch size, so a
batch split over processes gives the same gradient as the whole batch in one (see trainer.py).
"""

from __future__ import annotations

import math

import torch

MASKED = -1e9


def cross_entropy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return -torch.log_softmax(logits, dim=1).gather(1, labels[:, None])[:, 0]


def _lse_with_floor(d: torch.Tensor, floor: float) -> torch.Tensor:
    """log(Σ exp(d) + floor) per row: the floor enters the log-sum-exp as one more entry log(floor)."""
    if floor <= 0:
        return torch.logsumexp(d, dim=1)
    extra = torch.full((d.shape[0], 1), math.log(floor), dtype=d.dtype, device=d.device)
    return torch.logsumexp(torch.cat([d, extra], dim=1), dim=1)


def crmt_margin_term(uni: list[torch.Tensor], labels: torch.Tensor, floor: float = 0.0) -> torch.Tensor:
    """log Σₘ Σₖ≠y exp(zₖᵐ − z_yᵐ) (+ floor inside the log), one stable log-sum-exp over M(K−1) terms."""
    k = uni[0].shape[1]
    one_hot = torch.nn.functional.one_hot(labels, k).bool()
    diffs = []
    for z in uni:
        zy = z.gather(1, labels[:, None])
        diffs.append(torch.where(one_hot, torch.full_like(z, MASKED), z - zy))
    return _lse_with_floor(torch.cat(diffs, dim=1), floor)


def crmt_step1_loss(logits, uni, labels, rho: float, floor: float = 0.0) -> torch.Tensor:
    """CE(h, y) + ρ · margin term, per sample."""
    return cross_entropy(logits, labels) + rho * crmt_margin_term(uni, labels, floor)


def mixup_margin_term(uni, ya, yb, lam: float, floor: float = 0.0) -> torch.Tensor:
    """log Σₘ Σ_{k∉{y_a,y_b}} exp(zₖᵐ − (λ z_{y_a}ᵐ + (1−λ) z_{y_b}ᵐ)) (spec §8, intended form)."""
    k = uni[0].shape[1]
    oh_a = torch.nn.functional.one_hot(ya, k)
    oh_b = torch.nn.functional.one_hot(yb, k)
    excluded = torch.maximum(oh_a, oh_b).bool()
    diffs = []
    for z in uni:
        target = lam * z.gather(1, ya[:, None]) + (1 - lam) * z.gather(1, yb[:, None])
        diffs.append(torch.where(excluded, torch.full_like(z, MASKED), z - target))
    return _lse_with_floor(torch.cat(diffs, dim=1), floor)


def mixup_cross_entropy(logits, ya, yb, lam: float) -> torch.Tensor:
    return lam * cross_entropy(logits, ya) + (1 - lam) * cross_entropy(logits, yb)


def step2_loss(logits: torch.Tensor, labels: torch.Tensor, pair: list[torch.Tensor], class_choice: str) -> torch.Tensor:
    """−(h_y − hₖ)/√(Σₘ (cᵐ_{y,k})²) per sample, k the minimising class or the runner-up (no gradient)."""
    k = logits.shape[1]
    one_hot = torch.nn.functional.one_hot(labels, k).to(logits.dtype)
    margin = logits.gather(1, labels[:, None]) - logits
    c2 = one_hot @ sum(c * c for c in pair)
    ratio = margin / torch.sqrt(c2 + 1e-12)
    is_label = one_hot.bool()
    if class_choice == "min":
        per_sample = torch.where(is_label, torch.full_like(ratio, 1e9), ratio).min(dim=1).values
    elif class_choice == "runner-up":
        runner_up = torch.where(is_label, torch.full_like(logits, MASKED), logits).argmax(dim=1).detach()
        per_sample = ratio.gather(1, runner_up[:, None])[:, 0]
    else:
        raise ValueError(f'step 2 class choice "{class_choice}" is not min or runner-up')
    return -per_sample
