"""The lab's seeded streams, split and standardisation, against the TypeScript engine's values."""

from __future__ import annotations

import numpy as np

from conftest import record
from crmt_lab.data.split import stratified_split
from crmt_lab.rng import Rng, permutation, sample_beta
from helpers import close


def test_mulberry32_uniforms_are_bit_identical(parity):
    rng = Rng(parity["rng"]["seed"])
    assert [rng.next() for _ in parity["rng"]["next"]] == parity["rng"]["next"]


def test_box_muller_normals_agree_to_the_last_bits(parity):
    s = parity["rng"]
    rng = Rng(s["seed"])
    for _ in s["next"]:
        rng.next()
    mine = np.array([rng.normal() for _ in s["normal"]])
    want = np.array(s["normal"])
    # log/sin/cos come from different maths libraries (glibc here, fdlibm in V8): the last bit may differ.
    record("Box–Muller normals (relative)", np.max(np.abs(mine - want) / np.abs(want)))
    record("Box–Muller normals not bit-identical (count of 400)", np.sum(mine != want))
    close("Box–Muller normals", mine, want, 1e-14, 0)


def test_permutation_beta_and_stratified_split(parity):
    s = parity["rng"]
    assert permutation(31, Rng(9)) == s["permutation"]
    for b in s["beta"]:
        close("Beta(α, α) mixup draws", [sample_beta(b["alpha"], Rng(i + 1)) for i in range(20)], b["values"], 1e-12, 0)
    sp = s["split"]
    split = stratified_split(np.array(sp["labels"]), sp["val"], sp["test"], Rng(sp["seed"]))
    assert split.tolist() == sp["split"]


def test_small_classes_land_in_every_split_as_in_the_lab(parity):
    """Classes of 3 to 10 samples: at least one each in validation and test, one left for training."""
    cases = parity["rng"]["smallSplits"]
    assert len(cases) == 4
    for c in cases:
        labels = np.array(c["labels"])
        split = stratified_split(labels, c["val"], c["test"], Rng(c["seed"]))
        assert split.tolist() == c["split"], (c["val"], c["test"])
        if c["val"] > 0 and c["test"] > 0:
            for y in np.unique(labels):
                assert set(split[labels == y].tolist()) == {0, 1, 2}, f"class {y} is missing from a split"
