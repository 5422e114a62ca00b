"""The experiment file (versioned and old) and the command line, read through the lab's parameter table."""

from __future__ import annotations

import json

import pytest

from crmt_lab.cli import UsageError, experiment_cli, parse_argv, usage
from crmt_lab.experiment_json import ConfigError, at_step_size, experiment_from_json, experiment_to_json
from crmt_lab.params import FLAG_PARAMS, default_experiment, param_at, parse_text
from crmt_lab.train import main


def test_the_versioned_file_reads_and_writes_back_unchanged():
    j = experiment_to_json(default_experiment())
    assert (j["format"], j["version"]) == ("crmt-lab-experiment", 1)
    assert set(j) == {"format", "version", "data", "modalities", "model", "train", "attack"}
    assert "progressEvery" not in j["train"] and "liveEvaluation" not in j["train"]
    assert j["train"]["at"]["stepSize"] is None and j["attack"]["eps"] == [0.1, 0.25, 0.5, 1]
    j["train"].update(method="crmt-at", batchSize=32)
    j["train"]["at"].update(eps=0.3, steps=3)
    j["data"].update(kind="upload", uploadName="mfeat")
    again = experiment_to_json(experiment_from_json(j))
    assert again == j
    assert at_step_size(experiment_from_json(j)["train"]["at"]) == pytest.approx(0.1)


def test_an_unversioned_file_of_an_earlier_release_still_loads():
    old = {
        "data": {"kind": "upload", "uploadName": "mfeat"},
        "modalities": ["fou", "fac"],
        "model": {"hidden": [32, 16]},
        "train": {"method": "crmt-jt", "step2": {"tauSource": "certified"}, "progressEvery": 5, "liveEvaluation": 1},
    }
    c = experiment_from_json(old)
    assert c["train"]["step2"]["tauSource"] == "sound"
    assert c["model"]["hidden"] == [32, 16] and c["model"]["activation"] == "relu"
    assert c["modalities"] == ["fou", "fac"] and c["data"]["uploadName"] == "mfeat"


@pytest.mark.parametrize(
    "j, message",
    [
        ([1], "is not a CRMT Lab experiment .it is not a JSON object."),
        ({"format": "crmt-lab-result", "train": {}}, 'format "crmt-lab-result", expected "crmt-lab-experiment"'),
        ({"format": "crmt-lab-experiment", "version": 2}, "written by a newer CRMT Lab .experiment version 2"),
        ({"model": {}}, 'it has no "train" settings'),
        ({"train": {"batchSize": 0}}, "train.batchSize: 0 is below the minimum 1"),
        ({"train": {"epochs": 2.5}}, "train.epochs: 2.5 is not a whole number"),
        ({"train": {"learningRate": "0.01"}}, 'train.learningRate: "0.01" is not a number'),
        ({"train": {"method": "magic"}}, 'train.method: "magic" is not one of jt, ojt, crmt-jt'),
        ({"train": {"at": {"stepSize": "auto"}}}, r'"auto" is not a number \(or null for auto\)'),
        ({"train": {"magic": 1, "seed": -1}}, "train.magic: not a setting of the lab; train.seed: -1 is below"),
    ],
)
def test_a_bad_file_is_refused_with_the_path_and_the_labs_words(j, message):
    with pytest.raises(ConfigError, match=message):
        experiment_from_json(j, "page.json")


def test_typed_values_read_as_in_the_page():
    assert parse_text(param_at("model.hidden"), "64-32") == [64, 32]
    assert parse_text(param_at("model.hidden"), "64, 32") == [64, 32]
    assert parse_text(param_at("attack.eps"), "1e-3,0.5") == [0.001, 0.5]
    assert parse_text(param_at("train.at.stepSize"), "auto") is None
    assert parse_text(param_at("train.step2.tauSource"), "certified") == "sound"
    assert parse_text(param_at("modalities"), "fou, fac") == ["fou", "fac"]


def test_flags_win_over_the_config_file_and_are_remembered(tmp_path):
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"train": {"method": "crmt-jt", "epochs": 9, "rho": 1, "at": {"stepSize": 0.05}}}))
    o = experiment_cli(
        ["--data", "x", "--config", str(path), "--epochs", "2", "--at-eps", "0.5", "--step2-tau", "sound"]
    )
    t = o["config"]["train"]
    assert (t["method"], t["epochs"], t["rho"], t["step2"]["tauSource"]) == ("crmt-jt", 2, 1, "sound")
    # --at-eps sets ε only; the file's step size stays (as the lab does).
    assert (t["at"]["eps"], t["at"]["stepSize"]) == (0.5, 0.05)
    assert o["flagged"] == {"train.epochs", "train.at.eps", "train.step2.tauSource"}
    assert o["config"]["data"]["kind"] == "upload" and o["eval_split"] == "test"
    o = experiment_cli(["--data=x", "--at-random-start", "--no-attack-random-start", "--eval-split", "val"])
    assert o["config"]["train"]["at"]["randomStart"] is True and o["config"]["attack"]["randomStart"] is False
    assert o["eval_split"] == "val"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--data", "x", "--magic", "1"], "Unknown option '--magic'."),
        (["--data", "x", "extra"], "Unexpected argument 'extra'"),
        (["--data"], "Option '--data <value>' argument missing"),
        (["--data", "x", "--batch", "0"], "--batch: 0 is below the minimum 1."),
        (["--data", "x", "--head-rows", "round"], '--head-rows: "round" is not one of orthonormal, unit.'),
        (["--data", "x", "--eval-split", "train"], '--eval-split: "train" is not test or val.'),
        (["--data", "x", "--at-random-start=yes"], "Option '--at-random-start' does not take an argument"),
        (["--data", "toy-2d"], "--data: toy-2d is generated by the lab"),
        ([], "the lab's generated toy2d dataset, which only the lab generates: give a paired-CSV or NumPy folder"),
    ],
)
def test_usage_errors_name_the_flag(argv, message):
    with pytest.raises(UsageError) as e:
        experiment_cli(argv)
    assert message in str(e.value)


def test_usage_errors_exit_2_and_bad_files_exit_1(tmp_path, capsys):
    assert main(["--data", "x", "--epochs", "-1"]) == 2
    assert "--epochs" in capsys.readouterr().err
    (tmp_path / "c.json").write_text('{"train": {"batchSize": 0}}')
    assert main(["--data", "x", "--config", str(tmp_path / "c.json")]) == 1
    assert "train.batchSize: 0 is below the minimum 1" in capsys.readouterr().err
    assert main(["--data", str(tmp_path / "nowhere")]) == 1
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Usage: python -m crmt_lab.train --data FOLDER") and "--batch N" in out


def test_help_lists_every_flag_with_its_default():
    text = usage()
    for p in FLAG_PARAMS:
        assert f"--{p['flag']}" in text, p["flag"]
    assert "[default: 64-32]" in text and "--device NAME" in text
    # Model selection is the lab's setting now, not an option of this engine.
    assert "--selection val-accuracy|val-loss|val-certified|last" in text and "--select RULE" not in text
    assert set(parse_argv(["-h"])) == {"help"}


def test_every_setting_of_the_labs_table_is_trained_here_or_carried_with_a_reason():
    from crmt_lab.params import CARRIED, IMPLEMENTED, SETTINGS_PARAMS, unaccounted_settings

    assert unaccounted_settings() == [], "a setting of the lab's table this engine neither implements nor carries"
    paths = {p["path"] for p in SETTINGS_PARAMS}
    assert IMPLEMENTED <= paths, IMPLEMENTED - paths
    assert all(any(p.startswith(c) for p in paths) for c in CARRIED)
