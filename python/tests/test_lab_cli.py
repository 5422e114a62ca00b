"""Against the TypeScript lab itself (`npm run experiment`): a model trained here opens there with the
clean and certified accuracy this engine reported, the lab's models open here, both read a folder the
same way, and the command lines take the same flags."""

from __future__ import annotations

import json
import re

import numpy as np

from crmt_lab.cli import usage
from crmt_lab.summary import summary
from crmt_lab.data import DataError, load_data
from crmt_lab.train import main
from helpers import close, write_paired_csv
from lab import lab_experiment, lab_parse_values, lab_read_folders, lab_summary
from test_readers import BREAKAGES, LABEL_CASES


def lab_ok(*args: str) -> None:
    done = lab_experiment(*args)
    assert done.returncode == 0, done.stderr[-3000:]


def same_evaluation(mine: dict, lab: dict, what: str) -> None:
    assert (lab["split"], lab["samples"], lab["modalities"]) == (mine["split"], mine["samples"], mine["modalities"])
    assert lab["clean"]["accuracy"] == mine["clean"]["accuracy"]
    assert lab["clean"]["branchAccuracy"] == mine["clean"]["branchAccuracy"]
    close(f"round trip: clean loss ({what})", lab["clean"]["loss"], mine["clean"]["loss"], 1e-5, 1e-7)
    c, d = lab["certified"], mine["certified"]
    assert c["eps"] == d["eps"] and c["estimatedOver"] == d["estimatedOver"]
    for k in ("sound", "estimated"):
        assert c[k]["all"] == d[k]["all"], k
        assert c[k]["perModality"] == d[k]["perModality"], k
        close(f"round trip: median radius ({what})", c[k]["medianRadius"], d[k]["medianRadius"], 1e-5, 1e-7)
        close(f"round trip: τ ({what})", lab["lipschitz"][k], mine["lipschitz"][k], 1e-5, 1e-7)
    # PGD follows float32 gradients on two engines: a sample on the edge of the ball may fall either way.
    assert [(p["attack"], p["target"], p["eps"]) for p in lab["robust"]] == [
        (p["attack"], p["target"], p["eps"]) for p in mine["robust"]
    ]
    worst = max(abs(p["acc"] - q["acc"]) for p, q in zip(lab["robust"], mine["robust"]))
    close(f"round trip: accuracy under attack, in samples ({what})", worst * mine["samples"], 0, 0, 1.01)
    import sys

    print(
        "UNITS",
        lab["units"],
        mine["units"],
        "\nMEAS",
        lab["preference"]["measured"],
        "\n",
        mine["preference"]["measured"],
        file=sys.stderr,
    )


def test_a_python_model_opens_in_the_lab_with_the_same_numbers(tmp_path):
    data = tmp_path / "images"
    write_paired_csv(data, n=150, seed=5, image=True)
    # The CNN on the 6×6 modality exercises the NHWC flatten and the kernel layout of the export.
    argv = ["--data", str(data), "--seed", "7", "--method", "crmt-jt", "--epochs", "3", "--encoder", "cnn-for-images"]
    # Evaluation attacks other than the default: the lab must take them from config.json too.
    argv += ["--batch", "32", "--eps", "0.05,0.2,0.5", "--attack-budget", "per-modality", "--attack-steps", "6"]
    argv += ["--out", str(tmp_path / "py.json")]
    assert main([*argv, "--export", str(tmp_path / "model")]) == 0
    mine = json.loads((tmp_path / "py.json").read_text())
    config = json.loads((tmp_path / "model" / "config.json").read_text())
    assert (config["version"], config["model"]["encoders"][0]["kind"]) == (2, "cnn")
    # The lab draws the split from the command line's seed (so it is given again); ε, the method and every
    # other setting come from the experiment in config.json.
    weights = ["--data", str(data), "--seed", "7", "--weights", str(tmp_path / "model"), "--epochs", "0"]
    lab_ok(*weights, "--out", str(tmp_path / "lab.json"))
    lab = json.loads((tmp_path / "lab.json").read_text())
    assert (lab["method"], lab["epochs"], lab["history"]) == ("crmt-jt", 0, [])
    same_evaluation(mine, lab, "Python → lab")
    assert {**lab["experiment"], "train": {**lab["experiment"]["train"], "epochs": 3}} == mine["experiment"]
    # The terminal summary, too, is the lab's, to the character; and so in the branches this run did not
    # take: the paper preset, restarts, unknown units, no measurement or a modality never halved, no sound bound.
    assert summary(mine) == lab_summary(tmp_path / "py.json")
    for variant in summary_variants(mine):
        (tmp_path / "variant.json").write_text(json.dumps(variant))
        assert summary(variant) == lab_summary(tmp_path / "variant.json")


def summary_variants(r: dict) -> list[dict]:
    def changed(attack: dict, featureStd, preference: dict) -> dict:
        experiment = {**r["experiment"], "attack": {**r["experiment"]["attack"], **attack}}
        units = {**r["units"], "featureStd": featureStd}
        return {**r, "experiment": experiment, "units": units, "preference": {**r["preference"], **preference}}

    cost = r["preference"]["measured"]
    one = {"halvingEps": [None, 1.5], "halvingEpsPerFeature": [None, 0.75], "cheapest": r["modalities"][1]}
    none = {"halvingEps": [None, None], "halvingEpsPerFeature": [None, None], "cheapest": None}
    no_sound = {
        "cheapest": {**r["preference"]["cheapest"], "sound": None},
        "medianRadius": {**r["preference"]["medianRadius"], "sound": [None, None]},
    }
    return [
        changed({"preset": "paper"}, None, {"measured": None}),
        changed(
            {"restarts": 3, "randomStart": True, "stepFraction": 0.3},
            r["units"]["featureStd"],
            {"measured": {**cost, **one, "cheapestPerFeature": r["modalities"][1]}},
        ),
        changed({}, None, {"measured": {**cost, **none, "cheapestPerFeature": None}, **no_sound}),
    ]


def test_a_lab_model_opens_here_with_the_same_numbers_in_both_config_versions(tmp_path):
    data = tmp_path / "vectors"
    write_paired_csv(data, n=120, seed=6)
    args = ["--data", str(data), "--seed", "2"]
    lab_ok(*args, "--method", "crmt-jt", "--epochs", "2", "--eps", "0.1,0.3", "--export", str(tmp_path / "model"))
    lab_ok(*args, "--weights", str(tmp_path / "model"), "--epochs", "0", "--out", str(tmp_path / "lab.json"))
    lab = json.loads((tmp_path / "lab.json").read_text())
    assert main([*args, "--weights", str(tmp_path / "model"), "--epochs", "0", "--out", str(tmp_path / "py.json")]) == 0
    mine = json.loads((tmp_path / "py.json").read_text())
    same_evaluation(mine, lab, "lab → Python")
    assert mine["experiment"] == lab["experiment"]
    # Version 1 of config.json (crmt-lab-model/1, the training settings as `train`) is still read.
    config = json.loads((tmp_path / "model" / "config.json").read_text())
    old = {k: v for k, v in config.items() if k not in ("version", "experiment")}
    old.update(format="crmt-lab-model/1", train={**config["experiment"]["train"], "liveEvaluation": False})
    (tmp_path / "model" / "config.json").write_text(json.dumps(old))
    argv = [*args, "--weights", str(tmp_path / "model"), "--epochs", "0", "--eps", "0.1,0.3"]
    assert main([*argv, "--out", str(tmp_path / "v1.json")]) == 0
    same_evaluation(json.loads((tmp_path / "v1.json").read_text()), lab, "lab v1 → Python")


def test_both_engines_read_every_folder_alike(tmp_path):
    """Features, classes, labels and the seeded split identical, and the same message for a broken folder."""
    folders = []

    def folder(name, **kw):
        f = tmp_path / name
        write_paired_csv(f, **kw)
        folders.append(f)
        return f

    folder("plain", n=45)
    folder("images", n=30, image=True)
    (folder("split", n=60, seed=1) / "split.csv").write_text(
        "split\n" + "".join("test\n" if i % 5 == 0 else "train\n" for i in range(60))
    )
    (folder("tiny-classes", n=9) / "classes.csv").unlink()  # 3 per class: one each for train, val, test
    for i, (labels, _, _) in enumerate(LABEL_CASES):
        f = folder(f"labels{i}", n=12)
        (f / "classes.csv").unlink()
        (f / "labels.csv").write_text("label\n" + "\n".join(labels * 3) + "\n")
    for i, (breakage, _) in enumerate(BREAKAGES):
        breakage(folder(f"broken{i}", n=30))
    npy = tmp_path / "numpy"
    npy.mkdir()
    rng = np.random.default_rng(4)
    np.save(npy / "labels.npy", np.repeat([3, 7, 9], 8))
    np.save(npy / "a.npy", rng.normal(size=(24, 2, 3)))
    np.save(npy / "b.npy", rng.integers(0, 9, size=(24, 4)).astype(np.int16))
    folders.append(npy)

    lab = lab_read_folders(5, folders)
    for f in folders:
        want = lab[str(f)]
        try:
            d = load_data(str(f), 5)
        except DataError as e:
            assert "error" in want, f"{f.name}: refused here ({e}) but read by the lab"
            assert str(e) == want["error"], f.name
            continue
        assert "error" not in want, f"{f.name}: read here but the lab says {want.get('error')}"
        assert [{"name": m.name, "shape": list(m.shape)} for m in d.modalities] == want["modalities"], f.name
        assert (d.class_names, d.labels.tolist(), d.split.tolist()) == (want["classes"], want["labels"], want["split"])
        for mine, theirs in zip(d.features, want["features"]):
            assert np.array_equal(mine.reshape(-1), np.asarray(theirs, dtype=np.float32)), f.name
    assert sum("error" in r for r in lab.values()) == len(BREAKAGES)


def test_every_option_of_the_lab_is_an_option_here_with_the_same_help():
    done = lab_experiment("--help")
    assert done.returncode == 0, done.stderr[-3000:]
    # An option's line, with its continuation when the flag is too long for the column.
    theirs = re.findall(r"^ {2}-.*(?:\n {28}\S.*)?", done.stdout, re.M)
    assert len(theirs) > 45
    ours = usage()
    assert [line for line in theirs if line not in ours] == []


TEXTS = {
    "int": ["3", " 7 ", "2.5", "-1", "1e3", "1e400", "0x10", "", "auto", "1_000"],
    "number": ["0.01", "1e-3", ".5", "-0", "5e-324", "abc", "auto", "", "Infinity", "1e400"],
    "bool": ["true", "no", "ON", "1", "maybe", ""],
    "intList": ["64-32", "64,32", "64 32", "64;32", "64–32", "1e1-2", "", "3.5", "0", "-64"],
    "numberList": ["0.1,1e-3", "1e-3-2", "0.1 0.5", "-1", "", "x,1"],
    "nameList": ["fou, fac", "", ",,", "a,b,c"],
    "enum": ["magic", ""],
}
JSONS = [None, "0.01", 1.5, 3, -2, 0, True, [1, 2], [64.5], ["a"], [], {"a": 1}, 1e300]


def test_every_value_reads_as_in_the_lab():
    """Each parameter of the table, with what a person might type and what a file might hold: the same value,
    or the same words of refusal, as src/core/params/paramCodec.ts."""
    from crmt_lab.params import SETTINGS_PARAMS, ParamError, parse_json, parse_text

    cases = []
    for p in SETTINGS_PARAMS:
        texts = TEXTS[p["type"]] + (
            [*p["options"], *p.get("aliases", {}), f" {p['options'][0]} "] if p["type"] == "enum" else []
        )
        cases += [[p["path"], "text", t] for t in texts]
        cases += [[p["path"], "json", v] for v in [*JSONS, p["default"]]]
    theirs = lab_parse_values(cases)
    assert len(theirs) == len(cases) > 600
    by_path = {p["path"]: p for p in SETTINGS_PARAMS}
    for (path, how, v), want in zip(cases, theirs):
        try:
            mine = {"ok": True, "value": (parse_text if how == "text" else parse_json)(by_path[path], v)}
        except ParamError as e:
            mine = {"ok": False, "error": str(e)}
        assert mine == want, (path, how, v)
