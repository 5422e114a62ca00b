"""The result JSON of `npm run experiment -- --out` (src/core/experiment/experimentResult.ts,
schemas/result.schema.json): `crmt-lab-result` version 2, camelCase keys, everything per modality an
array in `modalities` order, non-finite numbers written as null (as JSON.stringify does)."""

from __future__ import annotations

import json
import math

from .experiment_json import experiment_to_json

RESULT_FORMAT = "crmt-lab-result"
RESULT_VERSION = 2


def experiment_result(
    *,
    experiment: dict,
    dataset: str,
    backend: str,
    names: list[str],
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


def summary(r: dict) -> str:
    """A short summary for the terminal, in the words of the lab's (src/cli/summary.ts)."""

    def pct(x) -> str:
        return "—" if x is None or (isinstance(x, float) and not math.isfinite(x)) else f"{100 * x:.1f}%"

    def num(x) -> str:
        return "null" if x is None else f"{x:.3g}"

    c, eps = r["certified"], r["certified"]["eps"]
    lines = [
        f"{r['method']} on {r['dataset']} ({' + '.join(r['modalities'])}), seed {r['seed']}, backend {r['backend']}",
        f"trained {r['epochs']} epochs in {r['trainSeconds']:.1f} s; attacks took {r['evalSeconds']['attacks']:.1f} s; "
        f"{r['split']} samples: {r['samples']}",
        "",
        f"clean accuracy     {pct(r['clean']['accuracy'])}",
        *[f"branch {m:<11} {pct(a)}" for m, a in zip(r["modalities"], r["clean"]["branchAccuracy"])],
        "",
        "certified accuracy (sound = a guarantee; estimated = the paper's practice, not a guarantee)",
        f"  bound      target        {''.join(f'ε={e}'.rjust(8) for e in eps)}",
    ]
    for bound in ("sound", "estimated"):
        rows = [("all", c[bound]["all"])] + list(zip(r["modalities"], c[bound]["perModality"]))
        lines += [f"  {bound:<10} {target:<13} {''.join(pct(a).rjust(8) for a in accs)}" for target, accs in rows]
    lines += [
        "",
        f"median joint radius: sound {num(c['sound']['medianRadius'])}, estimated {num(c['estimated']['medianRadius'])}",
    ]
    return "\n".join(lines)
