"""W~ = (V V^T)^{-1/2} V (spec §2) by coupled Newton-Schulz iterations, as src/core/model/orthogonalise.ts.

The forward pass is the TypeScript one op for op (same scaling by the Frobenius norm, Y carried
halved, 16 iterations). The gradient is left to autograd through the iterations: the K×K matmuls
are negligible next to an encoder, and at convergence it equals the Fréchet derivative the lab
writes by hand.
"""

from __future__ import annotations

import torch

NEWTON_SCHULZ_ITERATIONS = 16


def inverse_square_root(gram: torch.Tensor, iterations: int = NEWTON_SCHULZ_ITERATIONS) -> torch.Tensor:
    """G^{-1/2} for a batch [M, K, K] of symmetric positive definite matrices."""
    n = gram.shape[-1]
    scale = torch.sqrt(torch.sum(gram * gram, dim=(-2, -1), keepdim=True))
    three_halves = 1.5 * torch.eye(n, dtype=gram.dtype, device=gram.device)
    y = gram / (scale * 2)
    z = three_halves - y
    y = y @ z
    for _ in range(1, iterations):
        t = three_halves - z @ y
        y = y @ t
        z = t @ z
    return z / torch.sqrt(scale)


def symmetric_orthogonalise_all(
    vs: list[torch.Tensor], iterations: int = NEWTON_SCHULZ_ITERATIONS
) -> list[torch.Tensor]:
    gram = torch.stack([v @ v.T for v in vs])
    root = inverse_square_root(gram, iterations)
    return [root[m] @ v for m, v in enumerate(vs)]


def unit_rows(v: torch.Tensor) -> torch.Tensor:
    """The official code's head (headRows `unit`): rows centred and scaled to unit norm, not orthogonal."""
    centred = v - v.mean(dim=1, keepdim=True)
    return centred / (torch.linalg.norm(centred, dim=1, keepdim=True) + 1e-12)
