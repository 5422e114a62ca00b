"""The result JSON of `npm run experiment -- --out` (src/core/experiment/experimentResult.ts,
schemas/result.schema.json): `crmt-lab-result` version 2, camelCase keys, everything per modality an
array in `modalities` order, non-finite numbers written as null (as JSON.stringify does)."""

from __future__ import annotations

import json
import math

from .data.jsnumber import js_string, js_to_fixed, js_to_precision
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


def _pct(x) -> str:
    return "—" if x is None or (isinstance(x, float) and not math.isfinite(x)) else f"{js_to_fixed(100 * x, 1)}%"


def _num(x) -> str:
    return "null" if x is None else js_to_precision(x, 3)


def summary(r: dict) -> str:
    """The terminal summary of src/cli/summary.ts, line for line."""
    eps, mods, c = r["certified"]["eps"], r["modalities"], r["certified"]
    head = "".join(f"ε={js_string(e)}".rjust(8) for e in eps)
    lines = [
        f"{r['method']} on {r['dataset']} ({' + '.join(mods)}), seed {r['seed']}, backend {r['backend']}",
        f"trained {r['epochs']} epochs in {js_to_fixed(r['trainSeconds'], 1)} s; attacks took "
        f"{js_to_fixed(r['evalSeconds']['attacks'], 1)} s (one PGD-ℓ2 pass over the {r['split']} split: "
        f"{js_to_fixed(r['evalSeconds']['onePgdPass'], 2)} s); {r['split']} samples: {r['samples']}",
        "",
        f"clean accuracy     {_pct(r['clean']['accuracy'])}",
        *[f"branch {m:<11} {_pct(a)}" for m, a in zip(mods, r["clean"]["branchAccuracy"])],
        "",
        "certified accuracy (sound = guaranteed; estimated = the paper's practice, not a guarantee)",
        f"  bound      target        {head}",
    ]
    for bound in ("sound", "estimated"):
        rows = [("all", c[bound]["all"])] + list(zip(mods, c[bound]["perModality"]))
        lines += [f"  {bound:<10} {target:<13} {''.join(_pct(a).rjust(8) for a in accs)}" for target, accs in rows]
    lines += [
        "",
        "accuracy under attack (PGD-ℓ2: 10 steps of ε/4 from the clean input; FGM-ℓ2: one step of ε)",
        f"  attack     target        {head}",
    ]
    for attack in ("fgm", "pgd-l2"):
        for target in [*mods, "all"]:
            accs = [
                next(
                    (p["acc"] for p in r["robust"] if (p["attack"], p["target"], p["eps"]) == (attack, target, e)), None
                )
                for e in eps
            ]
            lines.append(f"  {attack:<10} {target:<13} {''.join(_pct(a).rjust(8) for a in accs)}")
    lines += [
        f"  {p['attack']:<13} {p['target']:<13} {_pct(p['acc']).rjust(5)}" for p in r["robust"] if p["eps"] is None
    ]
    d = r["preference"]
    lines += [
        "",
        f"preference: branch {', '.join(f'{m} {_pct(a)}' for m, a in zip(d['modalities'], d['branchAccuracy']))}; "
        f"mean share of the fused margin {', '.join(f'{m} {_num(s)}' for m, s in zip(d['modalities'], d['meanShare']))}",
        f"cheapest to attack: {d['cheapest']['sound']} (sound), {d['cheapest']['estimated']} (estimated); median "
        f"single-modality radius (sound) {', '.join(f'{m} {_num(x)}' for m, x in zip(d['modalities'], d['medianRadius']['sound']))}",
        f"median joint radius: sound {_num(c['sound']['medianRadius'])}, estimated {_num(c['estimated']['medianRadius'])}",
    ]
    for m, a in zip(mods, r["integration"] or [None] * len(mods)):
        if a:
            lines.append(f"integration a ({m}): [{', '.join(js_to_fixed(v, 3) for v in a)}]")
    for m, sound, est in zip(mods, r["lipschitz"]["sound"], r["lipschitz"]["estimated"]):
        top = lambda t: None if None in t else max(t)  # noqa: E731
        lines.append(f"max τ ({m}): sound {_num(top(sound))}, estimated {_num(top(est))}")
    return "\n".join(lines)
