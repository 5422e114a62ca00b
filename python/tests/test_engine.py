"""Engine behaviour the spec asks to test: step 2 moves only a; sound radii hold under attack; the
model files round-trip; model selection and factory encoders plug in."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import torch

from crmt_lab.attacks import PgdL2, pgd_l2
from crmt_lab.certify import certified_radius
from crmt_lab.experiment_json import experiment_from_json
from crmt_lab.data import apply_standardisation, load_data, training_statistics
from crmt_lab.evaluate import collect_outputs, evaluate_split
from crmt_lab.export import export_model, read_model_files, write_model_files
from crmt_lab.lipschitz import sound_constants
from crmt_lab.losses import cross_entropy
from crmt_lab.train import main
from crmt_lab.trainer import Trainer
from helpers import torch_params, write_paired_csv


def _data(tmp_path, n=90):
    write_paired_csv(tmp_path / "d", n=n, seed=2)
    raw = load_data(str(tmp_path / "d"), 1)
    stats = training_statistics(raw)
    return apply_standardisation(raw, stats), stats


def _config(method, epochs=3, **train):
    return experiment_from_json(
        {"model": {"hidden": [8, 6]}, "train": {"method": method, "epochs": epochs, "batchSize": 16, **train}}
    )


class Spy(Trainer):
    """Keeps the weights as step 2 starts."""

    def _step2_phase(self, epochs):
        self.before_step2 = {k: v.clone() for k, v in self.model.state_dict().items()}
        super()._step2_phase(epochs)


def test_step2_moves_only_the_integration_weights(tmp_path):
    data, _ = _data(tmp_path)
    t = Spy(data, _config("crmt-jt", step2={"epochs": 3}))
    t.run()
    after = t.model.state_dict()
    moved = [k for k in after if not torch.equal(after[k], t.before_step2[k])]
    assert moved and all(k.startswith("head.a") for k in moved), moved
    assert min(float(v.min()) for v in t.model.integration()) >= 0


def test_no_attack_changes_a_prediction_inside_its_sound_radius(tmp_path):
    data, _ = _data(tmp_path)
    t = Trainer(data, _config("crmt-jt"))
    t.run()
    model = t.model.eval()
    xs, y = t.val.x, t.val.y
    r = certified_radius(collect_outputs(model, xs).logits, y.numpy(), sound_constants(model).pair).joint
    inside = np.flatnonzero(r > 0)
    assert inside.size > 5
    for i in inside:
        xi, yi = [x[i : i + 1] for x in xs], y[i : i + 1]
        eps = 0.999 * float(r[i])
        adv = pgd_l2(lambda a: cross_entropy(model(a).logits, yi).mean(), xi, [True, True], PgdL2(eps, 20, eps / 5))
        with torch.no_grad():
            assert int(model(adv).logits.argmax(1)) == int(yi)


def test_model_files_round_trip_through_both_weight_formats(tmp_path):
    data, stats = _data(tmp_path)
    t = Trainer(data, _config("crmt-mix"))
    t.run()
    files = export_model(
        t.model,
        dataset=data.name,
        modalities=data.modalities,
        classes=data.class_names,
        experiment=_config("crmt-mix"),
        standardisation=stats,
    )
    config = json.loads(files["config.json"])
    assert (config["format"], config["version"], config["method"]) == ("crmt-lab-model", 2, "crmt-mix")
    assert config["experiment"]["train"]["method"] == "crmt-mix" and config["experiment"]["version"] == 1
    assert [p["name"] for p in config["parameters"]][:2] == ["enc0.l0.weight", "enc0.l0.bias"]
    assert config["parameters"][0]["shape"] == [6, 8] and config["parameters"][0]["torchShape"] == [8, 6]
    for keep in (["config.json", "model.safetensors"], ["config.json", "model.json", "weights.bin"]):
        folder = tmp_path / "-".join(keep)
        write_model_files(str(folder), {k: files[k] for k in keep})
        model, _ = read_model_files(str(folder))
        for k, v in torch_params(model).items():
            assert np.array_equal(v, torch_params(t.model)[k]), k


@pytest.mark.parametrize("criterion", ["val-accuracy", "val-loss"])
def test_the_model_ends_with_the_kept_epochs_weights(tmp_path, criterion):
    data, _ = _data(tmp_path)
    t = Trainer(data, _config("jt", epochs=5, learningRate=0.05, selection=criterion))
    t.run()
    kept = t.history[-1]["selection"]
    score = [h["val"]["accuracy"] if criterion == "val-accuracy" else -h["val"]["loss"] for h in t.history]
    # The first of the best epochs (a tie keeps the earlier one: here epochs 2 and 5 tie on accuracy), not
    # the last, and the model holds its weights.
    assert (kept["criterion"], kept["epoch"], kept["value"]) == (criterion, int(np.argmax(score)) + 1, max(score))
    assert kept["epoch"] < kept["lastEpoch"] == 5 and not kept["stoppedEarly"]
    now = evaluate_split(t.model.eval(), t.val)
    assert now == t.history[kept["epoch"] - 1]["val"]
    assert all("selection" not in h for h in t.history[:-1])


def test_patience_stops_a_phase_and_the_next_one_starts_from_the_kept_epoch(tmp_path):
    data, _ = _data(tmp_path)
    t = Spy(data, _config("crmt-jt", epochs=30, learningRate=0.05, selection="val-loss", patience=2))
    t.run()
    step1 = [h for h in t.history if h["phase"] == "step1"]
    kept = step1[-1]["selection"]
    assert kept["stoppedEarly"] and len(step1) == kept["lastEpoch"] == kept["epoch"] + 2 < 30
    assert kept["value"] == max(-h["val"]["loss"] for h in step1)
    # Step 2 fits on the validation split by default, so it keeps its last epoch: no selection there.
    assert [h["runEpoch"] for h in t.history] == list(range(1, len(t.history) + 1))
    assert all("selection" not in h for h in t.history if h["phase"] == "step2")
    # What step 2 started from is step 1's kept epoch: its validation loss is the kept value.
    t.model.load_state_dict(t.before_step2)
    assert -evaluate_split(t.model.eval(), t.val)["loss"] == kept["value"]


def _steps_of_step2(dataset, **step2) -> int:
    t = Trainer(dataset, _config("crmt-jt", epochs=3, step2={"epochs": 2, **step2}))
    t.run()
    before = -(-t.train.n // 16) * 3
    return t.step - before


def test_step2_fits_on_the_validation_split_unless_told_or_it_is_empty(tmp_path):
    data, _ = _data(tmp_path)
    n_train, n_val = len(data.indices("train")), len(data.indices("val"))
    assert n_val > 0 and n_train > n_val
    assert _steps_of_step2(data) == 2 * -(-n_val // 16)
    assert _steps_of_step2(data, data="train") == 2 * -(-n_train // 16)
    # No validation samples: step 2 falls back to the training split, and nothing is selected.
    no_val = dataclasses.replace(data, split=np.where(data.split == 1, 0, data.split).astype(np.uint8))
    assert _steps_of_step2(no_val) == 2 * -(-(n_train + n_val) // 16)
    t = Trainer(no_val, _config("crmt-jt", epochs=2))
    t.run()
    assert all("selection" not in h and "warnings" not in h for h in t.history)


def test_val_certified_selection_is_refused_before_training_for_a_factory_encoder(tmp_path):
    data, _ = _data(tmp_path)
    custom = {"view0_img": {"kind": "torch", "factory": "helpers:tiny_factory", "outDim": 6}}
    config = _config("jt", selection="val-certified")
    config["model"]["custom"] = custom
    with pytest.raises(ValueError, match="val-certified needs encoders with a sound Lipschitz bound"):
        Trainer(data, config)


def test_a_factory_encoder_trains_and_has_no_sound_bound(tmp_path):
    write_paired_csv(tmp_path / "d", n=90, seed=2)
    custom = {"view0_img": {"kind": "torch", "factory": "helpers:tiny_factory", "outDim": 6, "kwargs": {"hidden": 5}}}
    cfg = {"model": {"custom": custom}, "train": {"method": "crmt-jt", "epochs": 8, "batchSize": 16}}
    (tmp_path / "cfg.json").write_text(json.dumps(cfg))
    out = tmp_path / "r.json"
    argv = ["--data", str(tmp_path / "d"), "--config", str(tmp_path / "cfg.json"), "--out", str(out), "--hidden", "8,6"]
    assert main(argv) == 0
    r = json.loads(out.read_text())
    assert r["experiment"]["model"]["custom"] == custom and r["experiment"]["model"]["hidden"] == [8, 6]
    assert r["lipschitz"]["sound"][0] == [None, None, None]
    assert r["certified"]["sound"]["all"] == [None] * 4 and r["certified"]["sound"]["medianRadius"] is None
    assert None not in r["certified"]["estimated"]["all"] and r["certified"]["estimated"]["medianRadius"] > 0
    assert r["clean"]["accuracy"] > 0.5
