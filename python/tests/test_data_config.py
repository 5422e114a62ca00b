"""Readers, the split rule, bad-input messages, and the config in both of the lab's forms."""

from __future__ import annotations

import json

import numpy as np
import pytest

from crmt_lab.config import ConfigError, cli_options, from_page_config, parse_args
from crmt_lab.data import DataError, load_data
from crmt_lab.data.split import stratified_split
from crmt_lab.rng import Rng
from helpers import write_paired_csv


def test_numpy_folder_keeps_sample_shapes_and_splits_as_the_lab(tmp_path):
    rng = np.random.default_rng(0)
    y = np.repeat([3, 7, 9], 10)
    np.save(tmp_path / "labels.npy", y)
    np.save(tmp_path / "b_audio.npy", rng.normal(size=(30, 4, 5)).astype(np.float64))
    np.save(tmp_path / "a_image.npy", rng.integers(0, 255, size=(30, 3, 3, 2)).astype(np.uint8))
    d = load_data(str(tmp_path), None, seed=11)
    assert [m.name for m in d.modalities] == ["a_image", "b_audio"]
    assert [m.shape for m in d.modalities] == [(3, 3, 2), (4, 5)]
    assert d.class_names == ["3", "7", "9"]
    assert d.features[0].dtype == np.float32 and d.features[0].shape == (30, 18)
    assert d.split.tolist() == stratified_split(d.labels, 0.15, 0.2, Rng(11)).tolist()


def test_split_csv_fixes_the_test_rows_and_draws_validation_from_train(tmp_path):
    write_paired_csv(tmp_path, n=60, seed=1)
    marks = ["test" if i % 5 == 0 else "train" for i in range(60)]
    (tmp_path / "split.csv").write_text("split\n" + "\n".join(marks) + "\n")
    d = load_data(str(tmp_path), None, seed=1)
    assert np.array_equal(d.split == 2, np.array([m == "test" for m in marks]))
    assert (d.split == 1).sum() == 3 * round(16 * 0.15)  # 16 train rows per class


def test_modalities_are_found_by_a_unique_part_of_their_name(tmp_path):
    write_paired_csv(tmp_path, n=30)
    assert [m.name for m in load_data(str(tmp_path), ["vec", "img"], 1).modalities] == ["view1_vec", "view0_img"]
    with pytest.raises(DataError, match='"view" matches several modalities'):
        load_data(str(tmp_path), ["view", "img"], 1)


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda p: (p / "labels.csv").unlink(), 'labels.csv is missing: it needs a column "label"'),
        (
            lambda p: (p / "view1_vec.csv").write_text("v0,v1\n1,2\n3,abc\n"),
            'view1_vec.csv row 2, column v1: "abc" is not a number',
        ),
        (
            lambda p: (p / "view1_vec.csv").write_text("v0,v1\n1,2\n3,4\n"),
            "view1_vec.csv has 2 rows but labels.csv has 30",
        ),
        (lambda p: (p / "labels.csv").write_text("label\n" + "0\n" * 28 + "1\n1\n"), "class bee has only 2 samples"),
        (
            lambda p: (p / "classes.csv").write_text("label,name\n0,ant\n1,bee\n"),
            'labels.csv row 3: the label "2" is not in classes.csv',
        ),
    ],
)
def test_bad_input_is_named_by_file_row_and_column(tmp_path, breakage, message):
    write_paired_csv(tmp_path, n=30)
    breakage(tmp_path)
    with pytest.raises(DataError, match=message.replace("(", r"\(")):
        load_data(str(tmp_path), None, 1)


def test_a_page_config_with_the_coming_format_fields_and_vocabulary():
    c = from_page_config(
        {
            "format": "crmt-lab-config",
            "version": 2,
            "data": {"kind": "upload", "uploadName": "mfeat"},
            "modalities": ["fou", "fac"],
            "model": {"hidden": [32, 16]},
            "train": {
                "method": "crmt-at",
                "step2": {"tauSource": "sound"},
                "at": {"eps": 0.3, "steps": 3, "stepSize": None},
            },
        }
    )
    assert c["train"]["step2"]["tauSource"] == "certified"  # the lab's name for it today
    assert c["train"]["at"]["stepSize"] == pytest.approx(0.1)
    assert c["model"]["hidden"] == [32, 16] and c["model"]["activation"] == "relu"
    assert c["modalities"] == ["fou", "fac"]
    with pytest.raises(ConfigError, match='train.method: "magic" is not one of jt, ojt'):
        from_page_config({"train": {"method": "magic"}})


def test_command_line_flags_win_over_the_config_file(tmp_path):
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"train": {"method": "crmt-jt", "epochs": 9, "rho": 1}}))
    o = cli_options(
        parse_args(["--data", "x", "--config", str(path), "--epochs", "2", "--at-eps", "0.5", "--step2-tau", "sound"])
    )
    t = o["config"]["train"]
    assert (t["method"], t["epochs"], t["rho"]) == ("crmt-jt", 2, 1)
    assert t["at"]["stepSize"] == pytest.approx(0.1) and t["step2"]["tauSource"] == "certified"
    assert o["eps"] == [0.1, 0.25, 0.5, 1] and o["from_page"]
    with pytest.raises(ConfigError, match="Unknown option --magic"):
        cli_options(parse_args(["--data", "x", "--magic", "1"]))
    with pytest.raises(ConfigError, match='--head-rows: "round" is not orthonormal or unit'):
        cli_options(parse_args(["--data", "x", "--head-rows", "round"]))
