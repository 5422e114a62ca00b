"""A real result and a real model config.json written by this engine satisfy the lab's JSON Schemas
(schemas/*.schema.json), which `npm run experiment` and the lab's export are held to as well."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, needs
from crmt_lab.train import main
from helpers import write_paired_csv

SCHEMAS = ROOT / "schemas"
BASE = "https://crmt-lab.invalid/schemas/"


@pytest.fixture(scope="module")
def validator():
    try:
        import jsonschema
    except ImportError:
        needs("python3-jsonschema is not installed (apt-get install python3-jsonschema)")
    store = {}
    for f in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(f.read_text())
        store[schema["$id"]] = schema

    def validate(name: str, data) -> list[str]:
        schema = store[f"{BASE}{name}.schema.json"]
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        v = jsonschema.Draft202012Validator(schema, resolver=resolver)
        return [f"/{'/'.join(map(str, e.absolute_path))} {e.message}" for e in v.iter_errors(data)]

    return validate


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """crmt-at: history over step 1 and step 2, the CRMT head's a, AT's null step size."""
    tmp = tmp_path_factory.mktemp("schemas")
    write_paired_csv(tmp / "data", n=60, seed=9)
    argv = ["--data", str(tmp / "data"), "--method", "crmt-at", "--epochs", "2", "--batch", "16", "--hidden", "8,6"]
    assert main([*argv, "--eps", "0.1,0.5", "--out", str(tmp / "r.json"), "--export", str(tmp / "model")]) == 0
    return json.loads((tmp / "r.json").read_text()), json.loads((tmp / "model" / "config.json").read_text())


def test_the_result_satisfies_result_schema(validator, run):
    result, _ = run
    assert validator("result", result) == []
    assert [h["phase"] for h in result["history"]] == ["step1", "step1", "step2"]
    assert result["experiment"]["train"]["at"]["stepSize"] is None
    # Step 1 keeps its best epoch by validation accuracy; step 2, fit on the validation split, its last.
    assert result["history"][1]["selection"]["criterion"] == "val-accuracy"
    assert "selection" not in result["history"][0] and "selection" not in result["history"][2]


def test_the_model_config_satisfies_model_config_schema(validator, run):
    _, config = run
    assert validator("model-config", config) == []
    assert config["experiment"]["train"]["method"] == "crmt-at"


def test_the_schemas_refuse_what_the_lab_would(validator, run):
    """The validator is live: the shapes the engine wrote before the lab's formats settled are refused."""
    result, config = run
    old = {**result, "_history": result["history"]}
    assert any("_history" in p for p in validator("result", old))
    assert validator("result", {**result, "certified": {**result["certified"], "certified": {}}}) != []
    # Through the $refs into epoch-record.schema.json and experiment.schema.json:
    record = {k: v for k, v in result["history"][0].items() if k != "evaluation"}
    assert validator("result", {**result, "history": [record]}) == ["/history/0 'evaluation' is a required property"]
    kept = result["history"][1]
    assert validator("result", {**result, "history": [{**kept, "warnings": ["validation accuracy fell"]}]}) == []
    wrong = {**kept, "selection": {**kept["selection"], "criterion": "last"}}
    assert validator("result", {**result, "history": [wrong]}) != []
    experiment = {**result["experiment"], "train": {**result["experiment"]["train"], "liveEvaluation": False}}
    assert len(validator("result", {**result, "experiment": experiment})) == 1
    assert validator("model-config", {**config, "version": 1}) != []
    assert validator("model-config", {**config, "train": config["experiment"]["train"]}) != []
