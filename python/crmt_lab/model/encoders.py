"""Encoders φᵐ (src/core/model/mlpEncoder.ts, cnnEncoder.ts) and the hook for larger ones.

Parameter names and PyTorch layouts are those of the lab's model.safetensors: `encM.lI.weight`
[out, in] (nn.Linear), `encM.convI.weight` [out, in, 3, 3] (nn.Conv2d), `encM.dense.weight`.
Every encoder takes flattened rows; image rows are [H·W·C] in NHWC order, as the lab stores them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..rng import Rng
from .lab_init import glorot_uniform

ACTIVATIONS = ("relu", "tanh", "leakyRelu")


def activate(x: torch.Tensor, a: str) -> torch.Tensor:
    if a == "relu":
        return torch.relu(x)
    if a == "tanh":
        return torch.tanh(x)
    if a == "leakyRelu":
        return nn.functional.leaky_relu(x, 0.1)
    raise ValueError(f'activation "{a}" is not one of {", ".join(ACTIVATIONS)}')


@dataclass
class LinearFactor:
    """One operator of the certified bound: ‖layer‖ ≤ scale · σ_max(matrix), or a known constant."""

    what: str
    matrix: np.ndarray | None = None
    scale: float = 1.0
    constant: float | None = None


class MlpEncoder(nn.Module):
    """Dense layers, each followed by the activation (the last one too)."""

    def __init__(self, in_dim: int, widths: list[int], activation: str) -> None:
        super().__init__()
        if not widths:
            raise ValueError("an MLP encoder needs at least one layer width")
        self.activation = activation
        self.widths = list(widths)
        dims = [in_dim, *widths]
        for i in range(len(widths)):
            self.add_module(f"l{i}", nn.Linear(dims[i], dims[i + 1]))
        self.out_dim = widths[-1]

    def layers(self) -> list[nn.Linear]:
        return [getattr(self, f"l{i}") for i in range(len(self.widths))]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers():
            x = activate(layer(x), self.activation)
        return x

    def lab_init(self, rng: Rng) -> None:
        with torch.no_grad():
            for layer in self.layers():
                w = glorot_uniform(layer.in_features, layer.out_features, rng)
                layer.weight.copy_(torch.from_numpy(w.T.copy()))
                layer.bias.zero_()

    def lipschitz_factors(self) -> list[LinearFactor]:
        return [
            LinearFactor(f"dense layer {i}", l.weight.detach().cpu().numpy().T) for i, l in enumerate(self.layers())
        ]

    def spec(self) -> dict:
        return {"kind": "mlp", "widths": self.widths, "activation": self.activation}


class CnnEncoder(nn.Module):
    """(conv 3×3 same → activation → avg-pool 2×2)ⁿ → flatten (NHWC) → dense → activation."""

    def __init__(self, shape: tuple[int, ...], filters: list[int], out_dim: int, activation: str) -> None:
        super().__init__()
        if len(shape) not in (2, 3):
            raise ValueError(f"a CNN needs an image shape [H, W] or [H, W, C], got {list(shape)}")
        self.shape = (shape[0], shape[1], shape[2] if len(shape) == 3 else 1)
        self.filters, self.out_dim, self.activation = list(filters), out_dim, activation
        h, w, c = self.shape
        for i, f in enumerate(filters):
            if h < 2 or w < 2:
                raise ValueError(f"the image is too small for {len(filters)} poolings")
            self.add_module(f"conv{i}", nn.Conv2d(c, f, 3, padding=1))
            h, w, c = h // 2, w // 2, f
        self.flat = h * w * c
        self.dense = nn.Linear(self.flat, out_dim)

    def convs(self) -> list[nn.Conv2d]:
        return [getattr(self, f"conv{i}") for i in range(len(self.filters))]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, w, c = self.shape
        t = x.reshape(-1, h, w, c).permute(0, 3, 1, 2)
        for conv in self.convs():
            t = nn.functional.avg_pool2d(activate(conv(t), self.activation), 2)
        # Flattened in NHWC order, as the lab's dense weight expects.
        flat = t.permute(0, 2, 3, 1).reshape(-1, self.flat)
        return activate(self.dense(flat), self.activation)

    def lab_init(self, rng: Rng) -> None:
        with torch.no_grad():
            for conv in self.convs():
                cout, cin = conv.out_channels, conv.in_channels
                k = glorot_uniform(9 * cin, cout, rng).reshape(3, 3, cin, cout)
                conv.weight.copy_(torch.from_numpy(np.ascontiguousarray(k.transpose(3, 2, 0, 1))))
                conv.bias.zero_()
            w = glorot_uniform(self.flat, self.out_dim, rng)
            self.dense.weight.copy_(torch.from_numpy(w.T.copy()))
            self.dense.bias.zero_()

    def lipschitz_factors(self) -> list[LinearFactor]:
        out = []
        for i, conv in enumerate(self.convs()):
            k = conv.weight.detach().cpu().numpy()  # [cout, cin, kh, kw]
            cout, cin, kh, kw = k.shape
            # Each input pixel is in at most kh·kw patches: ‖conv‖ ≤ √(kh·kw)·σ_max([kh·kw·cin, cout]).
            out.append(
                LinearFactor(f"conv layer {i}", k.transpose(2, 3, 1, 0).reshape(kh * kw * cin, cout), np.sqrt(kh * kw))
            )
            out.append(LinearFactor(f"average pooling {i}", constant=0.5))
        out.append(LinearFactor("dense layer", self.dense.weight.detach().cpu().numpy().T))
        return out

    def spec(self) -> dict:
        return {"kind": "cnn", "filters": self.filters, "outDim": self.out_dim, "activation": self.activation}


class CustomEncoder(nn.Module):
    """The hook for larger encoders (a ResNet for video frames, a VGGish for audio).

    Config: {"kind": "torch", "factory": "package.module:function", "outDim": 512, "kwargs": {...}}.
    `function(input_shape, out_dim, **kwargs)` returns an nn.Module mapping [n, prod(shape)] rows
    (NHWC for images; `nhwc_to_nchw` helps) to [n, out_dim] features. If that module has a method
    `lipschitz_factors()` returning LinearFactor's, sound radii use it; otherwise the sound kind is
    not available for this model (reported as null), and the lab cannot open its files.
    """

    def __init__(self, shape: tuple[int, ...], spec: dict) -> None:
        super().__init__()
        mod_name, _, fn_name = str(spec.get("factory", "")).partition(":")
        if not mod_name or not fn_name:
            raise ValueError(
                f'a "torch" encoder needs "factory": "package.module:function", got {spec.get("factory")!r}'
            )
        factory = getattr(importlib.import_module(mod_name), fn_name)
        self.out_dim = int(spec["outDim"])
        self.net = factory(tuple(shape), self.out_dim, **spec.get("kwargs", {}))
        self._spec = dict(spec)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    def lab_init(self, rng: Rng) -> None:
        """The factory's own initialisation stands (seeded by torch.manual_seed)."""

    def lipschitz_factors(self) -> list[LinearFactor] | None:
        f = getattr(self.net, "lipschitz_factors", None)
        return f() if f else None

    def spec(self) -> dict:
        return self._spec


def nhwc_to_nchw(x: torch.Tensor, shape: tuple[int, ...]) -> torch.Tensor:
    h, w = shape[0], shape[1]
    c = shape[2] if len(shape) > 2 else 1
    return x.reshape(-1, h, w, c).permute(0, 3, 1, 2)


def build_encoder(shape: tuple[int, ...], spec: dict) -> nn.Module:
    size = int(np.prod(shape))
    if spec["kind"] == "mlp":
        return MlpEncoder(size, spec["widths"], spec["activation"])
    if spec["kind"] == "cnn":
        return CnnEncoder(tuple(shape), spec["filters"], spec["outDim"], spec["activation"])
    if spec["kind"] == "torch":
        return CustomEncoder(tuple(shape), spec)
    raise ValueError(f'encoder kind "{spec["kind"]}" is not mlp, cnn or torch')
