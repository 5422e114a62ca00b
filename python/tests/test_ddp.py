"""Two processes (torchrun, gloo on CPU) train the same model as one process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT
from crmt_lab.safetensors import decode
from crmt_lab.train import main
from helpers import close, write_paired_csv

PYTHON = ROOT / "python"
# crmt-at: PGD inputs, step 1, Lipschitz estimation, step 2; crmt-mix: mixup partners across shards;
# umt: teachers, then a distilled student. 96 training samples in batches of 19: shards of 10 and 9,
# and a last batch of one sample, so one process gets an empty shard.
METHODS = ["crmt-at", "crmt-mix", "umt"]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ddp") / "synthetic"
    write_paired_csv(folder, n=150, seed=3)
    return folder


def _args(data, method: str, out, export) -> list[str]:
    return [
        "--data",
        str(data),
        "--method",
        method,
        "--epochs",
        "2",
        "--batch",
        "19",
        "--seed",
        "4",
        "--eps",
        "0.1,0.5",
        "--out",
        str(out),
        "--export",
        str(export),
        "--device",
        "cpu",
    ]


@pytest.mark.parametrize("method", METHODS)
def test_two_processes_equal_one(data, tmp_path, method):
    assert main(_args(data, method, tmp_path / "one.json", tmp_path / "one")) == 0
    env = {**os.environ, "PYTHONPATH": str(PYTHON), "OMP_NUM_THREADS": "1"}
    launch = [
        sys.executable,
        "-m",
        "crmt_lab.torchrun",
        "--nproc_per_node",
        "2",
        "--standalone",
        "-m",
        "crmt_lab.train",
        *_args(data, method, tmp_path / "two.json", tmp_path / "two"),
    ]
    done = subprocess.run(launch, cwd=PYTHON, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "×2 (gloo)" in done.stdout, "the run did not report two processes"

    one, _ = decode("one", (tmp_path / "one" / "model.safetensors").read_bytes())
    two, _ = decode("two", (tmp_path / "two" / "model.safetensors").read_bytes())
    assert list(one) == list(two)
    for k in one:
        close(f"DDP ×2 vs ×1: final weights ({method})", two[k], one[k], 1e-4, 1e-5)

    r1, r2 = (json.loads((tmp_path / f).read_text()) for f in ("one.json", "two.json"))
    assert r2["clean_acc"] == r1["clean_acc"]
    assert r2["branch_acc"] == r1["branch_acc"]
    assert [p["acc"] for p in r2["certified"]] == [p["acc"] for p in r1["certified"]]
    assert [p["acc"] for p in r2["robust"]] == [p["acc"] for p in r1["robust"]]
    close(
        f"DDP ×2 vs ×1: median radii ({method})",
        list(r2["median_radius"].values()),
        list(r1["median_radius"].values()),
        1e-4,
        1e-6,
    )
    for kind in ("sound", "estimated"):
        for m in r1["modalities"]:
            close(f"DDP ×2 vs ×1: τ ({method})", r2["lipschitz"][kind][m], r1["lipschitz"][kind][m], 1e-4, 1e-6)
    losses = lambda r: [h["loss"] for h in r["_history"]]  # noqa: E731
    close(f"DDP ×2 vs ×1: epoch losses ({method})", losses(r2), losses(r1), 1e-4, 1e-6)
    assert len(r1["_history"]) == len(r2["_history"]) > 0
    assert np.isfinite(losses(r1)).all()
