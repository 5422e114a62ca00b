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
# crmt-at: PGD inputs, step 1, Lipschitz estimation, step 2 on the validation split; crmt-mix: mixup
# partners across shards, kept epochs by sound certified accuracy (gathered outputs) with patience ending
# step 1 early, step 2 on the training split; umt: teachers, then a distilled student, kept by validation
# loss. 96 training samples in batches of 19: shards of 10 and 9, and a last batch of one sample, so one
# process gets an empty shard.
METHODS = {
    "crmt-at": [],
    "crmt-mix": ["--epochs", "3", "--selection", "val-certified", "--selection-eps", "0.05", "--patience", "1"]
    + ["--step2-data", "train"],
    "umt": ["--selection", "val-loss"],
}


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
        *METHODS[method],
    ]


@pytest.mark.parametrize("method", list(METHODS))
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
    assert r2["clean"]["accuracy"] == r1["clean"]["accuracy"]
    assert r2["clean"]["branchAccuracy"] == r1["clean"]["branchAccuracy"]
    close(f"DDP ×2 vs ×1: clean loss ({method})", r2["clean"]["loss"], r1["clean"]["loss"], 1e-5, 1e-7)
    c1, c2 = r1["certified"], r2["certified"]
    for kind in ("sound", "estimated"):
        assert c2[kind]["all"] == c1[kind]["all"] and c2[kind]["perModality"] == c1[kind]["perModality"]
        close(f"DDP ×2 vs ×1: median radii ({method})", c2[kind]["medianRadius"], c1[kind]["medianRadius"], 1e-4, 1e-6)
        close(f"DDP ×2 vs ×1: τ ({method})", r2["lipschitz"][kind], r1["lipschitz"][kind], 1e-4, 1e-6)
    assert [p["acc"] for p in r2["robust"]] == [p["acc"] for p in r1["robust"]]
    assert r2["preference"]["measured"] == r1["preference"]["measured"] and r1["preference"]["measured"]
    assert r2["units"] == r1["units"]
    # Every epoch record: the same phases, accuracies, and losses up to float32 reordering.
    h1, h2 = r1["history"], r2["history"]
    assert [(h["phase"], h["epoch"], h["runEpoch"]) for h in h2] == [
        (h["phase"], h["epoch"], h["runEpoch"]) for h in h1
    ]
    assert len(h1) > 0 and all(h["evaluation"] is None for h in h1)
    for part in ("train", "val"):
        assert [h[part]["accuracy"] for h in h2] == [h[part]["accuracy"] for h in h1]
        close(
            f"DDP ×2 vs ×1: epoch losses ({method})",
            [h[part]["loss"] for h in h2],
            [h[part]["loss"] for h in h1],
            1e-4,
            1e-6,
        )
    assert np.isfinite([h["train"]["loss"] for h in h1]).all()

    # The same epochs kept (and the same phase stopped early) on both runs, every process agreeing; the
    # criterion's value up to float32 reordering (val-loss).
    def kept(history):
        return [{k: v for k, v in h["selection"].items() if k != "value"} for h in history if "selection" in h]

    assert kept(h2) == kept(h1) and len(kept(h1)) > 0
    value = [h["selection"]["value"] for h in h1 if "selection" in h]
    close(
        f"DDP ×2 vs ×1: kept epoch's criterion ({method})",
        [h["selection"]["value"] for h in h2 if "selection" in h],
        value,
        1e-5,
        1e-7,
    )
    assert [h.get("warnings") for h in h2] == [h.get("warnings") for h in h1]
    if method == "crmt-mix":
        assert any(k["stoppedEarly"] for k in kept(h1)) and any(k["phase"] == "step2" for k in kept(h1))
