"""Whole runs against the TypeScript trainer: same seed, data and settings → the same weights, up to
float32 reordering noise that training amplifies a little, and the same epoch records: the epoch each
phase keeps (model selection by every criterion, patience) and the warnings, on the same split for step 2."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import FIXTURE
from crmt_lab.data import Dataset, ModalitySpec, apply_standardisation, training_statistics
from crmt_lab.trainer import Trainer
from helpers import close, lab_tensor, torch_params


@pytest.fixture(scope="module")
def training(parity):
    t = parity["training"]
    d = t["dataset"]
    n = len(d["labels"])
    raw = Dataset(
        "tiny",
        [ModalitySpec("a", (5,)), ModalitySpec("b", (4,))],
        d["classNames"],
        [np.asarray(f, dtype=np.float32).reshape(n, -1) for f in d["features"]],
        np.asarray(d["labels"], dtype=np.int64),
        np.asarray(d["split"], dtype=np.uint8),
    )
    return t, raw


def test_standardisation_statistics_are_bit_identical(training):
    t, raw = training
    stats = training_statistics(raw)
    for m in range(2):
        assert np.array_equal(stats.mean[m], np.asarray(t["standardisation"]["mean"][m], dtype=np.float32))
        assert np.array_equal(stats.std[m], np.asarray(t["standardisation"]["std"][m], dtype=np.float32))


def _label(tr: dict) -> str:
    return (
        f"{tr['method']}-{tr['headRows']}-{tr['step2']['tauSource']}-{tr['selection']}-step2 on {tr['step2']['data']}"
    )


# The runs' labels name the tests; the fixture's own absence fails in the `parity` fixture.
RUNS = [_label(r["train"]) for r in json.loads(FIXTURE.read_text())["training"]["runs"]] if FIXTURE.exists() else []


def test_the_runs_cover_every_selection_criterion_and_both_step2_splits(training):
    runs = [r["train"] for r in training[0]["runs"]]
    assert {r["selection"] for r in runs} == {"val-accuracy", "val-loss", "val-certified", "last"}
    step2 = [r for r in runs if r["method"].startswith("crmt")]
    assert {r["step2"]["data"] for r in step2} == {"validation", "train"}
    records = [h for r in training[0]["runs"] for h in r["history"]]
    kept = [h["selection"] for h in records if "selection" in h]
    # An earlier epoch kept, a phase stopped by patience, step 2 selected, and warnings with and without a culprit.
    assert any(k["epoch"] < k["lastEpoch"] for k in kept) and any(k["stoppedEarly"] for k in kept)
    assert any(k["phase"] == "step2" for k in kept) and any(k["phase"] == "teachers" for k in kept)
    warnings = [w for h in records for w in h.get("warnings", [])]
    assert any("overfits (its branch" in w for w in warnings) and any("overfits" not in w for w in warnings)


def _same_history(label: str, mine: list[dict], lab: list[dict]) -> None:
    """The same records: phases, epochs, accuracies, warnings and kept epochs exactly; losses, a and the
    selection's value within float32 reordering noise."""

    def keys(history):
        return [(h["phase"], h["epoch"], h["runEpoch"], sorted(h)) for h in history]

    assert keys(mine) == keys(lab)
    for h, e in zip(mine, lab):
        for part in ("train", "val"):
            assert (h[part]["accuracy"], h[part]["branchAccuracy"]) == (e[part]["accuracy"], e[part]["branchAccuracy"])
            close(f"training run: epoch records' losses ({label})", h[part]["loss"], e[part]["loss"], 1e-4, 1e-5)
        if e["integration"] is not None:
            close(f"training run: epoch records' a ({label})", h["integration"], e["integration"], 1e-4, 1e-5)
        assert h.get("warnings") == e.get("warnings")
        if "selection" in e:
            mine_kept, lab_kept = dict(h["selection"]), dict(e["selection"])
            close(
                f"training run: kept epoch's criterion ({label})",
                mine_kept.pop("value"),
                lab_kept.pop("value"),
                1e-4,
                1e-5,
            )
            assert mine_kept == lab_kept


@pytest.mark.parametrize("index", range(len(RUNS)), ids=RUNS)
def test_a_whole_run_ends_at_the_labs_weights(training, index):
    t, raw = training
    run = t["runs"][index]
    label = _label(run["train"])
    data = apply_standardisation(raw, training_statistics(raw))
    config = {"model": {**run["model"], "custom": {}}, "train": run["train"]}
    trainer = Trainer(data, config)
    trainer.run()
    close(f"training run: epoch losses ({label})", trainer.epoch_losses, run["epochLosses"], 1e-4, 1e-5)
    _same_history(label, trainer.history, run["history"])
    mine = torch_params(trainer.model)
    for k, entry in run["params"].items():
        close(f"training run: final weights ({label})", mine[k], lab_tensor(k, entry), 1e-4, 1e-5)
