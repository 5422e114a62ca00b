"""The terminal summary of `npm run experiment` (src/cli/summary.ts formatSummary), line for line, of a
result as experiment_result writes it."""

from __future__ import annotations

import math

from .data.jsnumber import js_string, js_to_fixed, js_to_precision
from .experiment_json import experiment_from_json


def _pct(x) -> str:
    return "—" if x is None or (isinstance(x, float) and not math.isfinite(x)) else f"{js_to_fixed(100 * x, 1)}%"


def _num(x) -> str:
    return "null" if x is None else js_to_precision(x, 3)


def _name(x, none: str = "null") -> str:
    """A name as the lab shows it: a template string writes a missing one as null."""
    return none if x is None else str(x)


def summary(r: dict) -> str:
    """The terminal summary of src/cli/summary.ts, line for line."""
    eps, mods, c = r["certified"]["eps"], r["modalities"], r["certified"]
    head = "".join(f"ε={js_string(e)}".rjust(8) for e in eps)
    lines = [
        f"{r['method']} on {r['dataset']} ({' + '.join(mods)}), seed {r['seed']}, backend {r['backend']}",
        f"trained {r['epochs']} epochs in {js_to_fixed(r['trainSeconds'], 1)} s; attacks took "
        f"{js_to_fixed(r['evalSeconds']['attacks'], 1)} s (one PGD-ℓ2 pass over the {r['split']} split: "
        f"{js_to_fixed(r['evalSeconds']['onePgdPass'], 2)} s); {r['split']} samples: {r['samples']}",
        _units_line(r),
        "",
        f"clean accuracy     {_pct(r['clean']['accuracy'])}",
        *[f"branch {m:<11} {_pct(a)}" for m, a in zip(mods, r["clean"]["branchAccuracy"])],
        "",
        "certified accuracy (sound = guaranteed (global: product of spectral norms); estimated = the paper's practice, not a guarantee)",
        f"  bound      target        {head}",
    ]
    for bound in ("sound", "estimated"):
        rows = [("all", c[bound]["all"])] + list(zip(mods, c[bound]["perModality"]))
        lines += [f"  {bound:<10} {target:<13} {''.join(_pct(a).rjust(8) for a in accs)}" for target, accs in rows]
    lines += [
        "",
        f"accuracy under attack ({describe_attack(experiment_from_json(r['experiment'])['attack'])}; "
        "FGM-ℓ2: one step of ε)",
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
    per = lambda values, show: ", ".join(f"{m} {show(v)}" for m, v in zip(d["modalities"], values))  # noqa: E731
    lines += [
        "",
        f"preference: branch {per(d['branchAccuracy'], _pct)}; mean share of the fused margin {per(d['meanShare'], _num)}",
    ]
    if d.get("measured"):
        cost = d["measured"]
        at = lambda v: "not reached" if v is None else _num(v)  # noqa: E731
        lines.append(
            f"cheapest to attack, measured (PGD-ℓ2 on one modality until accuracy halves to "
            f"{_pct(cost['targetAccuracy'])}): {_name(cost['cheapest'], 'none')} by total ε ({per(cost['halvingEps'], at)}); "
            f"{_name(cost['cheapestPerFeature'], 'none')} per feature, ε/√d ({per(cost['halvingEpsPerFeature'], at)})"
        )
    lines += [
        "cheapest by the bounds (median single-modality radius; a guarantee, not a measurement): "
        f"{_name(d['cheapest']['sound'])} (sound: {per(d['medianRadius']['sound'], _num)}), "
        f"{_name(d['cheapest']['estimated'])} (estimated)",
        f"median joint radius: sound {_num(c['sound']['medianRadius'])}, estimated {_num(c['estimated']['medianRadius'])}",
    ]
    for m, a in zip(mods, r["integration"] or [None] * len(mods)):
        if a:
            lines.append(f"integration a ({m}): [{', '.join(js_to_fixed(v, 3) for v in a)}]")
    for m, sound, est in zip(mods, r["lipschitz"]["sound"], r["lipschitz"]["estimated"]):
        top = lambda t: None if None in t else max(t)  # noqa: E731
        lines.append(f"max τ ({m}): sound {_num(top(sound))}, estimated {_num(top(est))}")
    return "\n".join(lines)


def _units_line(r: dict) -> str:
    """What every ε and radius is measured in, and how to read it in raw units."""
    s = r["units"]["featureStd"]
    head = "units: ε and radii are ℓ2 norms of standardised inputs (z-scores of the training split)"
    if not s:
        return head
    raw = ", ".join(f"{m} ×{_num(lo)}–{_num(rms)}" for m, lo, rms in zip(r["modalities"], s["min"], s["rms"]))
    return f"{head}; raw units per standardised unit (smallest–RMS feature std): {raw}"


def describe_attack(a: dict) -> str:
    """The evaluation PGD in words (summary.ts describeAttack)."""
    if a["preset"] == "paper":
        return "PGD-ℓ2, the paper preset: 4 steps of ε/3 from the clean input"
    runs = f", {js_string(a['restarts'])} runs (each after the first from a random start)" if a["restarts"] > 1 else ""
    start = "a random start" if a["randomStart"] else "the clean input"
    return (
        f"PGD-ℓ2: {js_string(a['steps'])} steps of {_num(a['stepFraction'])}ε from {start}{runs}, "
        f"{a['budget']} budget, every iterate checked"
    )
