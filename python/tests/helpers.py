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


def write_paired_csv(folder, n: int = 150, seed: int = 0, image: bool = False) -> None:
    """A small three-class paired-CSV folder: modality `img` (6×6 with dataset.json when `image`, else 6
    features) carries the class strongly, `vec` (5 features) weakly."""
    import json

    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    first = 36 if image else 6
    a = rng.normal(size=(n, first)) + 1.5 * (y[:, None] == (np.arange(first) % 3))
    b = rng.normal(size=(n, 5)) + 0.6 * (y[:, None] - 1) * np.linspace(-1, 1, 5)
    folder.mkdir(parents=True, exist_ok=True)
    for name, x in (("view0_img.csv", a), ("view1_vec.csv", b)):
        header = ",".join(f"v{j}" for j in range(x.shape[1]))
        rows = "\n".join(",".join(f"{v:.5g}" for v in row) for row in x)
        (folder / name).write_text(f"{header}\n{rows}\n")
    (folder / "labels.csv").write_text("label\n" + "\n".join(str(v) for v in y) + "\n")
    (folder / "classes.csv").write_text("label,name\n0,ant\n1,bee\n2,cat\n")
    if image:
        manifest = {
            "modalities": [
                {"name": "view0_img", "file": "view0_img.csv", "shape": [6, 6]},
                {"name": "view1_vec", "file": "view1_vec.csv"},
            ]
        }
        (folder / "dataset.json").write_text(json.dumps(manifest))


def tiny_factory(shape, out_dim, hidden=8):
    """A factory encoder for the hook (config kind "torch"): no Lipschitz factors, so no sound bound."""
    return torch.nn.Sequential(
        torch.nn.Linear(int(np.prod(shape)), hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, out_dim)
    )
