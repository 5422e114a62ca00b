"""Building the fixture's models and comparing arrays."""

from __future__ import annotations

import numpy as np
import torch

from conftest import record
from crmt_lab.export import _from_lab
from crmt_lab.model import MultiModalModel


def close(name: str, actual, expected, rtol: float, atol: float) -> None:
    """|a − e| ≤ atol + rtol·|e| elementwise; the largest |a − e| is recorded for the report."""
    a = np.asarray(actual, dtype=np.float64).reshape(-1)
    e = np.asarray(expected, dtype=np.float64).reshape(-1)
    assert a.shape == e.shape, f"{name}: shape {a.shape} ≠ {e.shape}"
    diff = np.abs(a - e)
    record(name, diff.max() if diff.size else 0.0)
    bad = np.flatnonzero(~(diff <= atol + rtol * np.abs(e)))
    assert bad.size == 0, f"{name}: {bad.size} of {a.size} differ, e.g. [{bad[0]}] {a[bad[0]]} vs {e[bad[0]]}"


def torch_params(model: MultiModalModel) -> dict[str, np.ndarray]:
    return {n: p.detach().numpy() for n, p in model.named_parameters()}


def lab_tensor(name: str, entry: dict) -> np.ndarray:
    """A fixture tensor (lab layout) in PyTorch layout."""
    a = np.asarray(entry["values"], dtype=np.float32).reshape(entry["shape"])
    return np.ascontiguousarray(_from_lab(name, a))


def load_params(model: MultiModalModel, params: dict) -> None:
    own = dict(model.named_parameters())
    assert list(own) == list(params), f"parameter names differ: {list(own)} vs {list(params)}"
    with torch.no_grad():
        for name, entry in params.items():
            own[name].copy_(torch.from_numpy(lab_tensor(name, entry)))


def case_inputs(case: dict) -> tuple[list[torch.Tensor], torch.Tensor]:
    n = len(case["labels"])
    xs = [torch.tensor(x, dtype=torch.float32).reshape(n, -1) for x in case["inputs"]]
    return xs, torch.tensor(case["labels"], dtype=torch.int64)
