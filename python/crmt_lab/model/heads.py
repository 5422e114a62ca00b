"""The two heads of spec §2 (src/core/model/crmtHead.ts, jointHead.ts), with the lab's parameter names."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..rng import Rng
from .lab_init import joint_head_weight, orthonormal_rows
from .orthogonalise import symmetric_orthogonalise_all, unit_rows

INTEGRATION_INIT = 0.1


@dataclass
class HeadOutput:
    logits: torch.Tensor  # fused h(x) [n, K]
    uni: list[torch.Tensor]  # unscaled uni-modal logits zᵐ or uᵐ
    contributions: list[torch.Tensor]  # modality m's term of the fused logits


def assert_crmt_dims(dims: list[int], classes: int) -> None:
    for m, d in enumerate(dims):
        if d < classes:
            raise ValueError(
                "The CRMT head needs orthonormal rows, so each modality's feature dimension must be at least the "
                f"number of classes: modality {m} has dₘ = {d} < K = {classes}. Widen its encoder's last layer."
            )


class CrmtHead(nn.Module):
    """zᵐ = W̃ᵐφᵐ, hₖ = Σₘ aₖᵐ zₖᵐ + bₖ; parameters head.vM [K, d], head.aM [K], head.bias [K]."""

    kind = "crmt"

    def __init__(self, dims: list[int], classes: int, rows: str = "orthonormal") -> None:
        super().__init__()
        assert_crmt_dims(dims, classes)
        if rows not in ("orthonormal", "unit"):
            raise ValueError(f'headRows "{rows}" is not orthonormal or unit')
        self.rows, self.M, self.K = rows, len(dims), classes
        for m, d in enumerate(dims):
            self.register_parameter(f"v{m}", nn.Parameter(torch.zeros(classes, d)))
        for m in range(self.M):
            self.register_parameter(f"a{m}", nn.Parameter(torch.full((classes,), INTEGRATION_INIT)))
        self.bias = nn.Parameter(torch.zeros(classes))

    def vs(self) -> list[torch.Tensor]:
        return [getattr(self, f"v{m}") for m in range(self.M)]

    def integration(self) -> list[nn.Parameter]:
        return [getattr(self, f"a{m}") for m in range(self.M)]

    def row_matrices(self) -> list[torch.Tensor]:
        if self.rows == "orthonormal":
            return symmetric_orthogonalise_all(self.vs())
        return [unit_rows(v) for v in self.vs()]

    def fuse(self, uni: list[torch.Tensor]) -> torch.Tensor:
        return sum_list([z * a for z, a in zip(uni, self.integration())]) + self.bias

    def forward(self, features: list[torch.Tensor]) -> HeadOutput:
        ws = self.row_matrices()
        uni = [f @ w.T for f, w in zip(features, ws)]
        contributions = [z * a for z, a in zip(uni, self.integration())]
        return HeadOutput(sum_list(contributions) + self.bias, uni, contributions)

    def lab_init(self, rng: Rng) -> None:
        with torch.no_grad():
            for v in self.vs():
                v.copy_(torch.from_numpy(orthonormal_rows(v.shape[0], v.shape[1], rng)))
            for a in self.integration():
                a.fill_(INTEGRATION_INIT)
            self.bias.zero_()

    def spec(self) -> dict:
        return {"kind": "crmt", "rows": self.rows}


class JointHead(nn.Module):
    """h = Σₘ Wᵐφᵐ + b; parameters head.wM [K, d] (PyTorch layout) and head.bias, or head.biasM per modality (UME)."""

    kind = "joint"

    def __init__(self, dims: list[int], classes: int, per_modality_bias: bool = False) -> None:
        super().__init__()
        self.M, self.K, self.per_modality_bias, self.dims = len(dims), classes, per_modality_bias, list(dims)
        for m, d in enumerate(dims):
            self.register_parameter(f"w{m}", nn.Parameter(torch.zeros(classes, d)))
        names = [f"bias{m}" for m in range(self.M)] if per_modality_bias else ["bias"]
        for n in names:
            self.register_parameter(n, nn.Parameter(torch.zeros(classes)))
        self.bias_names = names

    def ws(self) -> list[torch.Tensor]:
        return [getattr(self, f"w{m}") for m in range(self.M)]

    def integration(self) -> None:
        return None

    def row_matrices(self) -> list[torch.Tensor]:
        return self.ws()

    def fuse(self, uni: list[torch.Tensor]) -> torch.Tensor:
        s = sum_list(uni)
        return s if self.per_modality_bias else s + self.bias

    def forward(self, features: list[torch.Tensor]) -> HeadOutput:
        uni = [f @ w.T for f, w in zip(features, self.ws())]
        if self.per_modality_bias:
            uni = [u + getattr(self, f"bias{m}") for m, u in enumerate(uni)]
        return HeadOutput(self.fuse(uni), uni, uni)

    def lab_init(self, rng: Rng) -> None:
        total = sum(self.dims)
        with torch.no_grad():
            for w, d in zip(self.ws(), self.dims):
                w.copy_(torch.from_numpy(np.ascontiguousarray(joint_head_weight(d, self.K, total, rng).T)))
            for n in self.bias_names:
                getattr(self, n).zero_()

    def spec(self) -> dict:
        return {"kind": "joint", "perModalityBias": self.per_modality_bias}


def sum_list(ts: list[torch.Tensor]) -> torch.Tensor:
    """Left-to-right sum, as tf.addN."""
    out = ts[0]
    for t in ts[1:]:
        out = out + t
    return out
