"""The result JSON, in the schema of `npm run experiment -- --out` (src/core/experiment/runExperiment.ts).

Everything that names a key of the lab's result lives here, so the coming versioned result (camelCase
keys, a version, per-epoch history) is a change to this file only. Non-finite numbers are written
as null, as JSON.stringify does.
"""

from __future__ import annotations

import json
import math


def experiment_result(
    *,
    method,
    dataset,
    seed,
    backend,
    names,
    outputs,
    labels,
    cert,
    robust,
    eval_seconds,
    one_pgd_pass,
    preference,
    integration,
    train_seconds,
    epochs,
    test_samples,
    history=None,
):
    from .evaluate import accuracy

    def by_name(values):
        return {n: v for n, v in zip(names, values)}

    sound, estimated = cert.constants["certified"], cert.constants["estimated"]
    result = {
        "method": method,
        "dataset": dataset,
        "seed": seed,
        "backend": backend,
        "modalities": names,
        "clean_acc": accuracy(outputs.logits, labels),
        "branch_acc": by_name([accuracy(u, labels) for u in outputs.uni]),
        "robust": robust,
        "preference": preference,
        "certified": cert.points,
        "median_radius": cert.median_radius,
        "integration": by_name(integration if integration is not None else [None] * len(names)),
        "lipschitz": {
            "sound": by_name(sound.tau if sound else [None] * len(names)),
            "estimated": by_name(estimated.tau),
        },
        "train_seconds": train_seconds,
        "eval_seconds": {"attacks": eval_seconds, "one_pgd_pass": one_pgd_pass},
        "epochs": epochs,
        "test_samples": test_samples,
    }
    # The lab's result has no history yet (it is coming with the versioned format); kept aside until then.
    if history is not None:
        result["_history"] = history
    return result


def _clean(v):
    if isinstance(v, float):
        return v if math.isfinite(v) else None
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
