"""Lipschitz constants of both kinds, always labelled (spec §5; src/core/robust/lipschitz.ts).

`pair[m]` is a [K, K] float64 array: cᵐ_{y,k}, the constant of modality m's share of h_y − hₖ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from .distributed import Dist, LOCAL
from .spectral import spectral_norm_upper_bound, vector_norm


@dataclass
class LipschitzConstants:
    kind: str  # 'sound' or 'estimated' (src/core/robust/boundKind.ts)
    method: str
    tau: list[list[float]]
    pair: list[np.ndarray]


def encoder_lipschitz_bound(encoder) -> float | None:
    """L(φᵐ) ≤ Πₗ ‖layer ℓ‖, or None when the encoder gives no factors (a factory encoder)."""
    factors = encoder.lipschitz_factors()
    if factors is None:
        return None
    bound = 1.0
    for f in factors:
        bound *= f.constant if f.constant is not None else f.scale * spectral_norm_upper_bound(f.matrix)
    return bound


def _rows_and_integration(model):
    with torch.no_grad():
        rows = [w.detach().cpu().numpy().astype(np.float64) for w in model.head.row_matrices()]
    a = model.integration()
    a_values = [t.detach().cpu().numpy().astype(np.float64) for t in a] if a is not None else None
    return rows, a_values


def sound_constants(model) -> LipschitzConstants | None:
    """Sound pair form ‖a_y W_y − a_k W_k‖·L(φ) (joint head: a = 1); τₖ = ‖W̃ₖ‖·L. None without encoder bounds."""
    rows, a_values = _rows_and_integration(model)
    K = model.classes
    tau, pair = [], []
    for m, W in enumerate(rows):
        L = encoder_lipschitz_bound(model.encoder(m))
        if L is None:
            return None
        a = a_values[m] if a_values is not None else np.ones(K)
        tau.append([vector_norm(W[k]) * L for k in range(K)])
        c = np.zeros((K, K))
        for y in range(K):
            for k in range(K):
                if k != y:
                    c[y, k] = vector_norm(a[y] * W[y] - a[k] * W[k]) * L
        pair.append(c)
    return LipschitzConstants(
        "sound", "pair form ‖a_y W_y − a_k W_k‖ · Π σ_max(layers), σ_max bounded from above", tau, pair
    )


GRAD_ROWS = 8192


def class_gradient_maxima(model, xs: list[torch.Tensor], with_pairs: bool, dist: Dist = LOCAL):
    """Per modality: max over samples of ‖∇ₓᵐ zₖᵐ‖ per class (τ), and of ‖∇z_y − ∇zₖ‖ per pair when asked.

    Each sample is repeated K times and block k back-propagates class k's logit: a fresh gradient
    per (m, k), never carried over (the official code's bug). Samples are split over processes and
    the maxima reduced with MAX.
    """
    K = model.classes
    out = []
    for m, x_all in enumerate(xs):
        with torch.no_grad():
            rows = model.head.row_matrices()[m].detach()
        x_local = x_all[dist.shard(x_all.shape[0])]
        best = torch.zeros(K + (K * K if with_pairs else 0), device=x_all.device)
        chunk = max(1, GRAD_ROWS // K)
        enc = model.encoder(m)
        for start in range(0, x_local.shape[0], chunk):
            x = x_local[start : start + chunk]
            size = x.shape[0]
            rep = x.repeat(K, 1).requires_grad_(True)
            block = torch.arange(K, device=x.device).repeat_interleave(size)
            z = enc(rep) @ rows.T
            selected = z.gather(1, block[:, None]).sum()
            (g,) = torch.autograd.grad(selected, rep)
            g = g.reshape(K, size, -1).transpose(0, 1)  # [size, K, d]
            gram = g @ g.transpose(1, 2)
            diag = torch.diagonal(gram, dim1=1, dim2=2)
            parts = [diag.max(dim=0).values]
            if with_pairs:
                parts.append((diag[:, :, None] + diag[:, None, :] - 2 * gram).max(dim=0).values.reshape(-1))
            best = torch.maximum(best, torch.cat(parts).detach())
        v = dist.max(best).cpu().numpy().astype(np.float64)
        sq = np.sqrt(np.maximum(v, 0))
        tau = sq[:K].tolist()
        pair = None
        if with_pairs:
            pair = sq[K:].reshape(K, K)
            np.fill_diagonal(pair, 0)
        out.append((tau, pair))
    return out


def estimated_tau(model, xs, dist: Dist = LOCAL) -> list[list[float]]:
    return [t for t, _ in class_gradient_maxima(model, xs, False, dist)]


def paper_form_pairs(tau: list[list[float]], a: list[np.ndarray]) -> list[np.ndarray]:
    """cᵐ_{y,k} = a_yᵐ τ_yᵐ + aₖᵐ τₖᵐ (spec §6)."""
    out = []
    for t, am in zip(tau, a):
        t = np.asarray(t, dtype=np.float64)
        c = am[:, None] * t[:, None] + am[None, :] * t[None, :]
        np.fill_diagonal(c, 0)
        out.append(c)
    return out


def estimated_constants(model, xs, dist: Dist = LOCAL) -> LipschitzConstants:
    a = model.integration()
    if a is not None:
        tau = estimated_tau(model, xs, dist)
        a_values = [t.detach().cpu().numpy().astype(np.float64) for t in a]
        return LipschitzConstants(
            "estimated",
            "paper form a_y τ_y + a_k τ_k, τ = max ‖∇z_k‖ over training samples",
            tau,
            paper_form_pairs(tau, a_values),
        )
    stats = class_gradient_maxima(model, xs, True, dist)
    return LipschitzConstants(
        "estimated",
        "max ‖∇(u_y − u_k)‖ per class pair over training samples",
        [t for t, _ in stats],
        [p for _, p in stats],
    )


def finite_or_none(x: float) -> float | None:
    return x if math.isfinite(x) else None
