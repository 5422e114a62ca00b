/**
 * crmt_lab_model.py, shipped in every exported model: builds the model as a PyTorch nn.Module from
 * config.json and model.safetensors. Kept as text here so the worker and the CLI write the same
 * file; tests/interop runs it with Debian's python3-torch against the lab's logits.
 */
import { LEAKY_RELU_SLOPE } from '../../model/activationNames';
import { UNIT_ROWS_EPSILON } from '../../model/orthogonalise';

export const TORCH_LOADER_FILE = 'crmt_lab_model.py';

export const TORCH_LOADER_SOURCE = String.raw`"""Load a model exported by CRMT Lab as a PyTorch nn.Module.

    import crmt_lab_model
    model = crmt_lab_model.load("model")   # the folder with config.json and model.safetensors
    logits = model(x_a, x_b)               # one float32 tensor [n, features] per modality, raw values
    logits, branch_logits = model(x_a, x_b, branches=True)

The inputs are the raw values, as in the dataset: the module standardises them with the training
statistics in config.json, (x - mean) / std. An image or spectrogram of shape [H, W] (or
[H, W, C], channels last) is one row of H*W*C values in row-major order; the CNN encoder reshapes
it to NHWC, runs its convolutions in NCHW and flattens in NHWC order again, as the lab does.

Heads (CRMT-SPEC.md section 2):
- joint (jt, at, mixup, umt): h = sum_m W^m phi^m + b;
- uni-modal ensemble (ume): h = sum_m (W^m phi^m + b^m);
- CRMT (ojt, crmt-*): h = sum_m a^m * (W~^m phi^m) + b with W~ = (V V^T)^(-1/2) V (orthonormal
  rows, computed in float64), or each row of V centred and scaled to unit norm (head rows "unit").

model.safetensors is read with the "safetensors" package when it is installed, otherwise with the
small reader below. Needs only torch.
"""

import json
import os
import struct
import sys

import torch
from torch import nn

__all__ = ["load", "CrmtLabModel", "read_safetensors"]

LEAKY_SLOPE = ${LEAKY_RELU_SLOPE}  # the lab's leaky ReLU
UNIT_ROWS_EPS = ${UNIT_ROWS_EPSILON}  # the lab's guard in the unit-row norm


def read_safetensors(path):
    """Every tensor of a safetensors file, by name."""
    try:
        from safetensors.torch import load_file
    except ImportError:
        load_file = None
    if load_file is not None:
        return load_file(path)
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: {name} has dtype {entry['dtype']}; only F32 is read here")
        begin, end = entry["data_offsets"]
        raw = bytearray(data[8 + n + begin : 8 + n + end])
        t = torch.frombuffer(raw, dtype=torch.float32)
        if sys.byteorder != "little":
            t = torch.from_numpy(t.numpy().byteswap())
        out[name] = t.reshape(entry["shape"]).clone()
    return out


def _activation(name):
    if name == "relu":
        return nn.ReLU()
    if name == "tanh":
        return nn.Tanh()
    if name == "leakyRelu":
        return nn.LeakyReLU(LEAKY_SLOPE)
    raise ValueError(f"unknown activation {name!r}")


class MlpEncoder(nn.Module):
    """enc{m}.l{i}: Linear layers, each followed by the activation (the last one too)."""

    def __init__(self, in_features, spec):
        super().__init__()
        self.depth = len(spec["widths"])
        for i, width in enumerate(spec["widths"]):
            self.add_module(f"l{i}", nn.Linear(in_features, width))
            in_features = width
        self.act = _activation(spec["activation"])
        self.out_features = in_features

    def forward(self, x):
        for i in range(self.depth):
            x = self.act(getattr(self, f"l{i}")(x))
        return x


class CnnEncoder(nn.Module):
    """(3x3 'same' conv -> activation -> 2x2 average pool)^n -> flatten (NHWC) -> Linear -> activation."""

    def __init__(self, shape, spec):
        super().__init__()
        self.h, self.w = shape[0], shape[1]
        self.c = shape[2] if len(shape) > 2 else 1
        self.depth = len(spec["filters"])
        h, w, c = self.h, self.w, self.c
        for i, f in enumerate(spec["filters"]):
            self.add_module(f"conv{i}", nn.Conv2d(c, f, 3, padding=1))
            h, w, c = h // 2, w // 2, f
        self.pool = nn.AvgPool2d(2)
        self.dense = nn.Linear(h * w * c, spec["outDim"])
        self.act = _activation(spec["activation"])
        self.out_features = spec["outDim"]

    def forward(self, x):
        n = x.shape[0]
        t = x.reshape(n, self.h, self.w, self.c).permute(0, 3, 1, 2)
        for i in range(self.depth):
            t = self.pool(self.act(getattr(self, f"conv{i}")(t)))
        # The lab flattens [n, h, w, c] (NHWC): the dense layer's inputs are in that order.
        t = t.permute(0, 2, 3, 1).reshape(n, -1)
        return self.act(self.dense(t))


class JointHead(nn.Module):
    """head.w{m} [K, d_m]; head.bias [K], or head.bias{m} per modality (uni-modal ensemble)."""

    def __init__(self, dims, classes, per_modality_bias):
        super().__init__()
        self.m = len(dims)
        self.per_modality_bias = per_modality_bias
        for m, d in enumerate(dims):
            self.register_parameter(f"w{m}", nn.Parameter(torch.zeros(classes, d)))
            if per_modality_bias:
                self.register_parameter(f"bias{m}", nn.Parameter(torch.zeros(classes)))
        if not per_modality_bias:
            self.bias = nn.Parameter(torch.zeros(classes))

    def forward(self, features):
        uni = []
        for m, f in enumerate(features):
            u = f @ getattr(self, f"w{m}").T
            uni.append(u + getattr(self, f"bias{m}") if self.per_modality_bias else u)
        logits = torch.stack(uni).sum(0)
        return (logits if self.per_modality_bias else logits + self.bias), uni


class CrmtHead(nn.Module):
    """head.v{m} [K, d_m] (free), head.a{m} [K] (integration weights), head.bias [K]."""

    def __init__(self, dims, classes, rows):
        super().__init__()
        self.m = len(dims)
        self.rows = rows
        for m, d in enumerate(dims):
            self.register_parameter(f"v{m}", nn.Parameter(torch.zeros(classes, d)))
            self.register_parameter(f"a{m}", nn.Parameter(torch.zeros(classes)))
        self.bias = nn.Parameter(torch.zeros(classes))

    def row_matrix(self, m):
        """W~^m: the [K, d_m] matrix mapping features to the uni-modal logits z^m."""
        v = getattr(self, f"v{m}")
        if self.rows == "unit":
            c = v - v.mean(1, keepdim=True)
            return c / (c.norm(dim=1, keepdim=True) + UNIT_ROWS_EPS)
        v64 = v.double()
        e, u = torch.linalg.eigh(v64 @ v64.T)
        return (u @ torch.diag(e.rsqrt()) @ u.T @ v64).to(v.dtype)

    def forward(self, features):
        uni = [f @ self.row_matrix(m).T for m, f in enumerate(features)]
        shares = [getattr(self, f"a{m}") * z for m, z in enumerate(uni)]
        return torch.stack(shares).sum(0) + self.bias, uni


class CrmtLabModel(nn.Module):
    """The lab's model: standardisation, one encoder per modality (enc{m}) and the head."""

    def __init__(self, config):
        super().__init__()
        spec = config["model"]
        self.classes = list(config["classes"])
        self.modalities = [m["name"] for m in config["modalities"]]
        self.method = config.get("method")
        std = config["standardisation"]
        dims = []
        for m, (shape, enc) in enumerate(zip(spec["inputShapes"], spec["encoders"])):
            features = 1
            for s in shape:
                features *= s
            self.register_buffer(f"mean{m}", torch.tensor(std["mean"][m], dtype=torch.float32), persistent=False)
            self.register_buffer(f"std{m}", torch.tensor(std["std"][m], dtype=torch.float32), persistent=False)
            encoder = MlpEncoder(features, enc) if enc["kind"] == "mlp" else CnnEncoder(shape, enc)
            self.add_module(f"enc{m}", encoder)
            dims.append(encoder.out_features)
        head = spec["head"]
        classes = spec["classes"]
        if head["kind"] == "crmt":
            self.head = CrmtHead(dims, classes, head.get("rows", "orthonormal"))
        else:
            self.head = JointHead(dims, classes, bool(head.get("perModalityBias", False)))
        self.m = len(dims)

    def standardise(self, m, x):
        return (x - getattr(self, f"mean{m}")) / getattr(self, f"std{m}")

    def forward(self, *xs, branches=False):
        if len(xs) != self.m:
            raise ValueError(f"expected {self.m} inputs ({', '.join(self.modalities)}), got {len(xs)}")
        features = [getattr(self, f"enc{m}")(self.standardise(m, x.reshape(x.shape[0], -1))) for m, x in enumerate(xs)]
        logits, uni = self.head(features)
        return (logits, uni) if branches else logits


def load(folder, map_location="cpu"):
    """The model in folder (config.json + model.safetensors), in evaluation mode."""
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    if config.get("format") not in ("crmt-lab-model", "crmt-lab-model/1"):
        raise ValueError(f"{folder}/config.json is not a CRMT Lab model")
    model = CrmtLabModel(config)
    weights = read_safetensors(os.path.join(folder, "model.safetensors"))
    model.load_state_dict({k: v.to(map_location) for k, v in weights.items()}, strict=True)
    return model.eval()


if __name__ == "__main__":
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    loaded = load(folder)
    print(loaded)
    print("inputs:", ", ".join(loaded.modalities), "| classes:", ", ".join(loaded.classes))
`;
