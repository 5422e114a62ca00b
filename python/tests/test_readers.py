"""The readers as the lab reads a folder (src/core/data/formats): shapes, the split rule, the label rule, and
bad input named by file, row and column with the lab's words."""

from __future__ import annotations

import numpy as np
import pytest

from crmt_lab.data import DataError, load_data
from crmt_lab.data.dataset import default_modalities, select_modalities
from crmt_lab.data.split import stratified_split
from crmt_lab.rng import Rng
from helpers import write_paired_csv


def test_numpy_folder_keeps_sample_shapes_and_splits_as_the_lab(tmp_path):
    rng = np.random.default_rng(0)
    y = np.repeat([3, 7, 9], 10)
    np.save(tmp_path / "labels.npy", y)
    np.save(tmp_path / "b_audio.npy", rng.normal(size=(30, 4, 5)).astype(np.float64))
    np.save(tmp_path / "a_image.npy", rng.integers(0, 255, size=(30, 3, 3, 2)).astype(np.uint8))
    d = load_data(str(tmp_path), seed=11)
    assert [m.name for m in d.modalities] == ["a_image", "b_audio"]
    assert [m.shape for m in d.modalities] == [(3, 3, 2), (4, 5)]
    assert d.class_names == ["3", "7", "9"]
    assert d.features[0].dtype == np.float32 and d.features[0].shape == (30, 18)
    assert d.split.tolist() == stratified_split(d.labels, 0.15, 0.2, Rng(11)).tolist()


def test_split_csv_fixes_the_test_rows_and_draws_validation_from_train(tmp_path):
    write_paired_csv(tmp_path, n=60, seed=1)
    marks = ["test" if i % 5 == 0 else "train" for i in range(60)]
    (tmp_path / "split.csv").write_text("split\n" + "\n".join(marks) + "\n")
    d = load_data(str(tmp_path), seed=1)
    assert np.array_equal(d.split == 2, np.array([m == "test" for m in marks]))
    assert (d.split == 1).sum() == 3 * round(16 * 0.15)  # 16 train rows per class


def test_modalities_by_a_unique_part_of_their_name_and_the_pages_default(tmp_path):
    write_paired_csv(tmp_path, n=30)
    d = load_data(str(tmp_path), 1)
    assert [m.name for m in select_modalities(d, ["vec", "img"]).modalities] == ["view1_vec", "view0_img"]
    with pytest.raises(DataError, match='"view" matches several modalities'):
        select_modalities(d, ["view", "img"])
    (tmp_path / "view2_extra.csv").write_text("e\n" + "\n".join(str(i % 7) for i in range(30)) + "\n")
    assert default_modalities(load_data(str(tmp_path), 1)) == ["view0_img", "view1_vec"]


LABEL_CASES = [
    (["7", "-1", "007", "10"], ["-1", "7", "10"], 1),  # plain integers: numeric order, 007 is 7
    (["1e1", "10", "b", "a"], ["10", "1e1", "a", "b"], 1),  # not all integers: every label as written
    (["0x10", "16", "16", "0x10"], ["0x10", "16"], 0),
    (["2", "1.0", "1", "2"], ["1", "1.0", "2"], 2),
]


@pytest.mark.parametrize("labels, classes, first", LABEL_CASES)
def test_labels_stay_strings_unless_all_are_plain_decimal_integers(tmp_path, labels, classes, first):
    write_paired_csv(tmp_path, n=12)
    (tmp_path / "classes.csv").unlink()
    (tmp_path / "labels.csv").write_text("label\n" + "\n".join(labels * 3) + "\n")
    d = load_data(str(tmp_path), 1)
    assert d.class_names == classes
    assert int(d.labels[0]) == first


def test_classes_csv_finds_a_float_exports_label(tmp_path):
    write_paired_csv(tmp_path, n=30)
    (tmp_path / "labels.csv").write_text("label\n" + "\n".join(f"{i % 3}.0" for i in range(30)) + "\n")
    d = load_data(str(tmp_path), 1)
    assert d.class_names == ["ant", "bee", "cat"] and d.labels[:3].tolist() == [0, 1, 2]


def _replace(name: str, text: str):
    return lambda p: (p / name).write_text(text)


def _cell(row: int, value: str):
    """view1_vec.csv with 30 rows, `value` in column v1 of data row `row`."""
    return _replace("view1_vec.csv", "v0,v1\n" + "".join(f"{r},{value if r == row else 2}\n" for r in range(1, 31)))


#: Broken folders and the lab's message for each (test_lab_cli.py checks the lab says exactly this).
BREAKAGES = [
    (lambda p: (p / "labels.csv").unlink(), 'labels.csv is missing: it needs a column "label"'),
    (_cell(2, "abc"), 'view1_vec.csv row 2, column v1: "abc" is not a number'),
    (
        _cell(2, "0x1F"),
        'view1_vec.csv row 2, column v1: "0x1F" is not a plain decimal number',
    ),
    (
        _cell(1, "1e39"),
        'view1_vec.csv row 1, column v1: "1e39" is outside the float32 range',
    ),
    (
        _replace("view1_vec.csv", "v0;v1\n1;2\n"),
        'view1_vec.csv has no comma in its header row: the file seems to use ";" between columns',
    ),
    (lambda p: (p / "labels.csv").write_bytes(b"label\n\xe9t\xe9\n"), "labels.csv is not UTF-8 text .line 2"),
    (_replace("view1_vec.csv", "v0,v1\n1,2\n3,4\n"), "view1_vec.csv has 2 rows but labels.csv has 30"),
    (_replace("labels.csv", "label\n" + "0\n" * 28 + "1\n1\n"), "class bee has only 2 samples"),
    (
        lambda p: [(p / "classes.csv").unlink(), (p / "labels.csv").write_text("label\n" + "0\n" * 30)],
        r"labels.csv has a single class \(0\); the lab needs at least two classes",
    ),
    (
        _replace("classes.csv", "label,name\n0,ant\n1,bee\n"),
        'labels.csv row 3: the label "2" is not in classes.csv',
    ),
    (_replace("split.csv", "split\n" + "train\n" * 30), "split.csv marks no row as test: mark some rows of each"),
    (
        # class cat (rows 2, 5, …, 29): every row but the first marked test
        _replace(
            "split.csv",
            "split\n" + "".join("test\n" if i % 3 == 2 and i > 2 or i < 2 else "train\n" for i in range(30)),
        ),
        "split.csv marks only 1 row of class cat as train; each class needs at least 2",
    ),
]


@pytest.mark.parametrize("breakage, message", BREAKAGES)
def test_bad_input_is_named_by_file_row_and_column(tmp_path, breakage, message):
    write_paired_csv(tmp_path, n=30)
    breakage(tmp_path)
    with pytest.raises(DataError, match=message):
        load_data(str(tmp_path), 1)
