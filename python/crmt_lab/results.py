"""The result JSON of `npm run experiment -- --out` (src/core/experiment/experimentResult.ts,
schemas/result.schema.json): `crmt-lab-result` version 2, camelCase keys, everything per modality an
array in `modalities` order, non-finite numbers written as null (as JSON.stringify does)."""

from __future__ import annotations

import json
import math

import numpy as np

from .experiment_json import experiment_to_json

RESULT_FORMAT = "crmt-lab-result"
RESULT_VERSION = 2


def experiment_result(
    *,
    experiment: dict,
    dataset: str,
    backend: str,
    names: list[str],
    standardisation,
    split: str,
    samples: int,
    clean: dict,
    robust: list[dict],
    cert,
    integration,
    preference: dict,
    history: list[dict],
    train_seconds: float,
    eval_seconds: float,
    one_pgd_pass: float,
) -> dict:
    t = experiment["train"]

    def tau(kind: str):
        c = cert.constants[kind]
        K = len(cert.constants["estimated"].tau[0])
        return c.tau if c is not None else [[None] * K for _ in names]

    return {
        "format": RESULT_FORMAT,
        "version": RESULT_VERSION,
        "experiment": experiment_to_json(experiment),
        "method": t["method"],
        "dataset": dataset,
        "seed": t["seed"],
        "backend": backend,
        "modalities": names,
        "units": {"space": "standardised", "featureStd": feature_std(standardisation) if standardisation else None},
        "split": split,
        "samples": samples,
        "clean": clean,
        "robust": robust,
        "certified": cert.accuracy,
        "integration": integration,
        "lipschitz": {"sound": tau("sound"), "estimated": tau("estimated")},
        "preference": preference,
        "epochs": t["epochs"],
        "history": history,
        "trainSeconds": train_seconds,
        "evalSeconds": {"attacks": eval_seconds, "onePgdPass": one_pgd_pass},
    }


def feature_std(s) -> dict:
    """Per modality, the smallest and the RMS standard deviation of its features (raw units per standardised
    unit), from the float32 statistics; the squares summed in order in float64, as the lab's reduce does."""
    squares = [np.asarray(sd, dtype=np.float64).reshape(-1) ** 2 for sd in s.std]
    return {
        "min": [float(np.min(sd)) for sd in s.std],
        "rms": [math.sqrt(float(np.cumsum(q)[-1]) / q.size) for q in squares],
    }


def _clean(v):
    """As JSON.stringify writes numbers: null where not finite, whole floats as integers."""
    if isinstance(v, float):
        if not math.isfinite(v):
            return None
        return int(v) if v == int(v) and abs(v) < 1e21 else v
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    return v


def dumps(result: dict) -> str:
    return json.dumps(_clean(result), indent=2, ensure_ascii=False) + "\n"


def write_result(path: str, result: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(dumps(result))


def read_result(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)
