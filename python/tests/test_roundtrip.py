"""A model trained here opens in the TypeScript lab (`npm run experiment -- --weights DIR --epochs 0`) with
the clean and certified accuracy this engine reported, and the lab's own exports open here."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import ROOT
from crmt_lab.train import main
from helpers import close, write_paired_csv

TSX = ROOT / "node_modules" / ".bin" / "tsx"
REASON = None
if shutil.which("node") is None or shutil.which("npm") is None:
    REASON = "node/npm are not installed: the TypeScript lab cannot be run"
elif not TSX.exists():
    REASON = f"{TSX} is missing: run npm ci first"
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def lab_experiment(*args: str) -> None:
    done = subprocess.run(
        ["npm", "run", "--silent", "experiment", "--", *args], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]


def same_evaluation(mine: dict, lab: dict, what: str) -> None:
    assert lab["test_samples"] == mine["test_samples"]
    assert lab["clean_acc"] == mine["clean_acc"]
    assert lab["branch_acc"] == mine["branch_acc"]
    assert [(p["bound"], p["target"], p["eps"]) for p in lab["certified"]] == [
        (p["bound"], p["target"], p["eps"]) for p in mine["certified"]
    ]
    assert [p["acc"] for p in lab["certified"]] == [p["acc"] for p in mine["certified"]]
    for k in ("sound", "estimated"):
        close(f"round trip: median radius ({what})", lab["median_radius"][k], mine["median_radius"][k], 1e-5, 1e-7)
        for m in mine["modalities"]:
            close(f"round trip: τ ({what})", lab["lipschitz"][k][m], mine["lipschitz"][k][m], 1e-5, 1e-7)


def test_a_python_model_opens_in_the_lab_with_the_same_numbers(tmp_path):
    data = tmp_path / "images"
    write_paired_csv(data, n=150, seed=5, image=True)
    args = ["--data", str(data), "--seed", "7", "--eps", "0.05,0.2,0.5"]
    # The CNN on the 6×6 modality exercises the NHWC flatten and the kernel layout of the export.
    assert (
        main(
            [
                *args,
                "--method",
                "crmt-jt",
                "--epochs",
                "3",
                "--encoder",
                "cnn-for-images",
                "--batch",
                "32",
                "--out",
                str(tmp_path / "py.json"),
                "--export",
                str(tmp_path / "model"),
            ]
        )
        == 0
    )
    mine = json.loads((tmp_path / "py.json").read_text())
    assert json.loads((tmp_path / "model" / "config.json").read_text())["model"]["encoders"][0]["kind"] == "cnn"
    # Same data and seed: the lab draws the same split from the same seeded generator.
    lab_experiment(*args, "--weights", str(tmp_path / "model"), "--epochs", "0", "--out", str(tmp_path / "lab.json"))
    lab = json.loads((tmp_path / "lab.json").read_text())
    assert lab["method"] == "crmt-jt"
    same_evaluation(mine, lab, "Python → lab")


def test_a_lab_model_opens_here_with_the_same_numbers(tmp_path):
    data = tmp_path / "vectors"
    write_paired_csv(data, n=120, seed=6)
    args = ["--data", str(data), "--seed", "2", "--eps", "0.1,0.3"]
    lab_experiment(
        *args,
        "--method",
        "jt",
        "--epochs",
        "2",
        "--export",
        str(tmp_path / "model"),
        "--out",
        str(tmp_path / "lab.json"),
    )
    assert main([*args, "--weights", str(tmp_path / "model"), "--epochs", "0", "--out", str(tmp_path / "py.json")]) == 0
    same_evaluation(
        json.loads((tmp_path / "py.json").read_text()), json.loads((tmp_path / "lab.json").read_text()), "lab → Python"
    )
