"""Whole runs against the TypeScript trainer: same seed, data and settings → the same weights, up to
float32 reordering noise that training amplifies a little."""

from __future__ import annotations

import numpy as np
import pytest

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


def _label(run) -> str:
    tr = run["train"]
    return f"{tr['method']}-{tr['headRows']}-{tr['step2']['tauSource']}"


@pytest.mark.parametrize("index", range(7))
def test_a_whole_run_ends_at_the_labs_weights(training, index):
    t, raw = training
    run = t["runs"][index]
    data = apply_standardisation(raw, training_statistics(raw))
    config = {"model": {**run["model"], "custom": {}}, "train": run["train"]}
    trainer = Trainer(data, config)
    trainer.run()
    close(
        f"training run: epoch losses ({_label(run)})",
        trainer.epoch_losses,
        run["epochLosses"],
        1e-4,
        1e-5,
    )
    mine = torch_params(trainer.model)
    for k, entry in run["params"].items():
        close(f"training run: final weights ({_label(run)})", mine[k], lab_tensor(k, entry), 1e-4, 1e-5)
