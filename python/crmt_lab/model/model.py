"""The multi-modal model (src/core/model/model.ts): one encoder per modality and a head.

`spec` is the lab's ModelSpec as config.json stores it: {inputShapes, classes, encoders, head, seed}.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn

from ..rng import Rng
from .encoders import build_encoder
from .heads import CrmtHead, HeadOutput, JointHead, assert_crmt_dims


@dataclass
class ForwardOutput(HeadOutput):
    features: list[torch.Tensor] | None = None


class MultiModalModel(nn.Module):
    def __init__(self, spec: dict) -> None:
        super().__init__()
        shapes = [tuple(s) for s in spec["inputShapes"]]
        if len(shapes) < 2:
            raise ValueError("A multi-modal model needs at least two modalities.")
        if len(spec["encoders"]) != len(shapes):
            raise ValueError(f"Got {len(spec['encoders'])} encoder specs for {len(shapes)} modalities.")
        self.spec = copy.deepcopy(spec)
        head = spec["head"]
        if head["kind"] == "crmt":
            dims = [e["widths"][-1] if e["kind"] == "mlp" else e["outDim"] for e in spec["encoders"]]
            assert_crmt_dims(dims, spec["classes"])
        # Factory encoders initialise themselves from torch's generator: seed it for reproducibility.
        torch.manual_seed(int(spec["seed"]))
        self.M = len(shapes)
        for m, (shape, e) in enumerate(zip(shapes, spec["encoders"])):
            self.add_module(f"enc{m}", build_encoder(shape, e))
        dims = [self.encoder(m).out_dim for m in range(self.M)]
        if head["kind"] == "crmt":
            self.head: nn.Module = CrmtHead(dims, spec["classes"], head.get("rows", "orthonormal"))
        else:
            self.head = JointHead(dims, spec["classes"], bool(head.get("perModalityBias", False)))
        self.lab_init()

    def encoder(self, m: int) -> nn.Module:
        return getattr(self, f"enc{m}")

    def lab_init(self) -> None:
        """The lab's seeded initial weights, bit for bit (factory encoders keep their own)."""
        rng = Rng(int(self.spec["seed"]))
        for m in range(self.M):
            self.encoder(m).lab_init(rng)
        self.head.lab_init(rng)

    def features(self, xs: list[torch.Tensor]) -> list[torch.Tensor]:
        return [self.encoder(m)(x) for m, x in enumerate(xs)]

    def forward(self, xs: list[torch.Tensor]) -> ForwardOutput:
        feats = self.features(xs)
        out = self.head(feats)
        return ForwardOutput(out.logits, out.uni, out.contributions, feats)

    @property
    def classes(self) -> int:
        return int(self.spec["classes"])

    def integration(self) -> list[nn.Parameter] | None:
        return self.head.integration()


def build_model_spec(modalities, classes: int, model_settings: dict, head: dict, seed: int) -> dict:
    """src/core/model/buildModelSpec.ts: MLPs, or the CNN for image-shaped modalities when asked."""
    encoders = []
    custom = model_settings.get("custom") or {}
    for m in modalities:
        if m.name in custom:
            encoders.append(dict(custom[m.name]))
        elif model_settings.get("encoder") == "cnn-for-images" and len(m.shape) >= 2:
            cnn = model_settings["cnn"]
            encoders.append(
                {
                    "kind": "cnn",
                    "filters": list(cnn["filters"]),
                    "outDim": cnn["outDim"],
                    "activation": model_settings["activation"],
                }
            )
        else:
            encoders.append(
                {"kind": "mlp", "widths": list(model_settings["hidden"]), "activation": model_settings["activation"]}
            )
    return {
        "inputShapes": [list(m.shape) for m in modalities],
        "classes": classes,
        "encoders": encoders,
        "head": head,
        "seed": seed,
    }


def head_for(kind: str, rows: str, per_modality_bias: bool = False) -> dict:
    return {"kind": kind, "rows": rows} if kind == "crmt" else {"kind": kind, "perModalityBias": per_modality_bias}
