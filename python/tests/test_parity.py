"""Formula parity with the TypeScript engine on fixed weights (fixture: tests/fixtures/parity, written and
kept current by tests/parity/parityFixture.test.ts)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from conftest import record
from crmt_lab.certify import certified_accuracy, certified_radius, median
from crmt_lab.attack_cost import attack_cost
from crmt_lab.attacks import PgdL2, fused_objective, pgd_l2, pgd_l2_ascent, pgd_spec, survivors
from crmt_lab.lipschitz import sound_constants, encoder_lipschitz_bound, estimated_constants
from crmt_lab.losses import (
    cross_entropy,
    crmt_margin_term,
    crmt_step1_loss,
    mixup_cross_entropy,
    mixup_margin_term,
)
from crmt_lab.model import MultiModalModel
from crmt_lab.spectral import spectral_norm_upper_bound
from crmt_lab.step2 import estimate_step2_constants, step2_objective
from crmt_lab.evaluate import SplitTensors
from helpers import case_inputs, close, lab_tensor, load_params, torch_params

CASES = ["crmt-orthonormal", "crmt-unit", "joint", "joint-per-modality-bias", "crmt-cnn"]


@pytest.fixture(scope="module")
def cases(parity):
    return {c["name"]: c for c in parity["cases"]}


def build(case) -> MultiModalModel:
    model = MultiModalModel(case["spec"])
    load_params(model, case["params"])
    return model.eval()


@pytest.mark.parametrize("name", CASES)
def test_seeded_initial_weights_are_the_labs_bit_for_bit(cases, name):
    case = cases[name]
    mine = torch_params(MultiModalModel(case["spec"]))
    assert list(mine) == list(case["initial"])
    for k, entry in case["initial"].items():
        assert np.array_equal(mine[k], lab_tensor(k, entry)), f"{name}: {k} differs from the lab's initial weights"


@pytest.mark.parametrize("name", CASES)
def test_forward_pass_and_row_matrices(cases, name):
    case = cases[name]
    model, (xs, _), e = build(case), case_inputs(case), case["expected"]
    with torch.no_grad():
        out = model(xs)
        close("forward: fused logits", out.logits, e["logits"], 1e-5, 1e-5)
        for m in range(2):
            close("forward: uni-modal logits", out.uni[m], e["uni"][m], 1e-5, 1e-5)
            close("forward: contributions", out.contributions[m], e["contributions"][m], 1e-5, 1e-5)
        # W̃ by Newton–Schulz (or unit rows); the joint head's rows are Wᵀ in the lab's layout.
        for m, w in enumerate(model.head.row_matrices()):
            close("W̃ (row matrices)", w, e["rowMatrices"][m], 1e-5, 1e-6)
        if case["spec"]["head"].get("rows") == "orthonormal":
            for w in model.head.row_matrices():
                record("‖W̃W̃ᵀ − I‖max", (w @ w.T - torch.eye(w.shape[0])).abs().max())


@pytest.mark.parametrize("name", CASES)
def test_step1_losses_and_their_gradients(cases, name):
    case = cases[name]
    model, (xs, y), e = build(case), case_inputs(case), case["expected"]
    yb = torch.tensor(case["mixup"]["yb"], dtype=torch.int64)
    lam = case["mixup"]["lambda"]
    out = model(xs)
    loss = crmt_step1_loss(out.logits, out.uni, y, 2, 1e-5).mean()
    close("step-1 loss (ρ = 2, floor 1e-5)", loss.item(), e["step1Loss"], 1e-5, 1e-6)
    with torch.no_grad():
        close("cross-entropy", cross_entropy(out.logits, y).mean(), e["crossEntropy"], 1e-5, 1e-6)
        close(
            "step-1 loss (floor 0)",
            crmt_step1_loss(out.logits, out.uni, y, 2, 0).mean(),
            e["step1LossNoFloor"],
            1e-5,
            1e-6,
        )
        close("margin term", crmt_margin_term(out.uni, y, 1e-5).mean(), e["marginTerm"], 1e-5, 1e-6)
        close(
            "mixup margin term", mixup_margin_term(out.uni, y, yb, lam, 1e-5).mean(), e["mixupMarginTerm"], 1e-5, 1e-6
        )
        close(
            "mixup cross-entropy",
            mixup_cross_entropy(out.logits, y, yb, lam).mean(),
            e["mixupCrossEntropy"],
            1e-5,
            1e-6,
        )
    names = list(dict(model.named_parameters()))
    grads = torch.autograd.grad(loss, list(model.parameters()))
    for n, g in zip(names, grads):
        expected = lab_tensor(n, {"shape": case["params"][n]["shape"], "values": e["step1Gradients"][n]})
        close("step-1 gradients (incl. through Newton–Schulz)", g, expected, 1e-4, 1e-5)


@pytest.mark.parametrize("name", CASES)
def test_lipschitz_constants_of_both_kinds(cases, name):
    case = cases[name]
    model, (xs, _), e = build(case), case_inputs(case), case["expected"]
    L = [encoder_lipschitz_bound(model.encoder(m)) for m in range(2)]
    close("L(φ) sound encoder bound", L, e["encoderLipschitz"], 1e-6, 0)
    sound = sound_constants(model)
    close("τ sound", sound.tau, e["sound"]["tau"], 1e-5, 1e-7)
    close("pair constants sound", np.stack(sound.pair), np.reshape(e["sound"]["pair"], (2, 4, 4)), 1e-5, 1e-7)
    est = estimated_constants(model, xs)
    close("τ estimated", est.tau, e["estimated"]["tau"], 1e-4, 1e-6)
    close("pair constants estimated", np.stack(est.pair), np.reshape(e["estimated"]["pair"], (2, 4, 4)), 1e-4, 1e-6)


@pytest.mark.parametrize("name", CASES)
def test_certified_radii_and_accuracy(cases, name):
    case = cases[name]
    model, (xs, y), e = build(case), case_inputs(case), case["expected"]
    logits = np.asarray(e["logits"], dtype=np.float32).reshape(len(y), -1)
    consts = {"sound": sound_constants(model), "estimated": estimated_constants(model, xs)}
    for kind, c in consts.items():
        r = certified_radius(logits, y.numpy(), c.pair)
        want = e["radii"][kind]
        finite = lambda v: np.where(np.isfinite(v), v, -1)  # noqa: E731 — the fixture writes ∞ as −1
        close(f"radius joint ({kind})", finite(r.joint), want["joint"], 1e-4, 1e-6)
        for m in range(2):
            close(f"radius per modality ({kind})", finite(r.per_modality[m]), want["perModality"][m], 1e-4, 1e-6)
        assert certified_accuracy(r.joint, e["eps"]) == want["accuracy"]
        close(f"median radius ({kind})", median(r.joint), want["median"], 1e-4, 1e-6)


@pytest.mark.parametrize("name", ["crmt-orthonormal", "crmt-unit", "crmt-cnn"])
def test_step2_objective_and_gradient(cases, name):
    case = cases[name]
    model, (xs, y), e = build(case), case_inputs(case), case["expected"]
    with torch.no_grad():
        uni = model(xs).uni
    for want in e["step2"]:
        constants, _ = estimate_step2_constants(model, xs, want["tauSource"])
        s2 = {"classChoice": want["classChoice"], "weightDecay": 1e-2}
        per, decay = step2_objective(model.head, uni, y, constants, s2)
        loss = per.mean() + decay
        what = f"step-2 loss ({want['tauSource']}, {want['classChoice']})"
        close(what, loss.item(), want["loss"], 1e-5, 1e-6)
        grads = torch.autograd.grad(loss, model.integration())
        close("step-2 gradient on a", torch.stack(grads), want["gradA"], 1e-4, 1e-5)


@pytest.mark.parametrize("name", CASES)
def test_fgm_and_pgd_on_one_modality(cases, name):
    case = cases[name]
    model, (xs, y), e = build(case), case_inputs(case), case["expected"]
    loss = lambda a: cross_entropy(model(a).logits, y).mean()  # noqa: E731
    for key, o in (("fgm", PgdL2(0.5, 1, 0.5)), ("pgd", PgdL2(0.5, 10, 0.125))):
        adv = pgd_l2(loss, xs, [True, False], o)
        for m in range(2):
            close(f"{key.upper()} attacked inputs", adv[m], e[key][m], 1e-4, 1e-5)


@pytest.mark.parametrize("name", CASES)
def test_evaluation_attacks_check_every_iterate_as_the_lab(cases, name):
    """FGM and PGD under the lab's default, the paper preset and per-modality budgets: the same samples
    survive, and the attacked input kept for a broken sample is the first iterate that broke it."""
    case = cases[name]
    model, (xs, _) = build(case), case_inputs(case)
    entries = case["expected"]["evaluation"]
    assert len(entries) == 24
    for want in entries:
        y = torch.tensor(want["labels"], dtype=torch.int64)
        settings, kind, targets, eps = want["attack"], want["kind"], want["targets"], want["eps"]
        alive = survivors(model, xs, y, kind, targets, eps, settings)
        what = f"{kind} {want['settings']} {targets} ε={eps}"
        assert alive.double().mean().item() == pytest.approx(want["accuracy"], abs=1e-12), what
        o, runs = pgd_spec(eps, settings)
        if kind == "fgm":
            o = PgdL2(eps, 1, eps, False, o.budget)
        assert runs == 1
        with torch.enable_grad():
            adv, _ = pgd_l2_ascent(fused_objective(model, y), xs, targets, o)
        with torch.no_grad():
            close("evaluation attacks: logits at the kept input", model(adv).logits, want["logits"], 1e-4, 1e-5)


@pytest.mark.parametrize("name", CASES)
def test_the_eps_that_halves_accuracy_is_the_labs(cases, name):
    """preference.measured: the same doubling and bisection, so the same ε per modality (dyadic numbers, equal
    when every attack decision is), the same per feature and the same cheapest modality; ε = 64 not reached
    (null) where the lab does not reach it."""
    case = cases[name]
    model, (xs, _) = build(case), case_inputs(case)
    entries = case["expected"]["attackCost"]
    assert [e["settings"] for e in entries] == ["lab", "paper"]
    for want in entries:
        y = torch.tensor(want["labels"], dtype=torch.int64)
        mine = attack_cost(model, SplitTensors(xs, y, len(y)), ["a", "b"], 1.0, want["attack"], want["seed"])
        theirs = want["result"]
        what = f"{name} {want['settings']}"
        assert {k: v for k, v in mine.items() if k != "halvingEpsPerFeature"} == {
            k: v for k, v in theirs.items() if k != "halvingEpsPerFeature"
        }, what
        assert [v is None for v in mine["halvingEpsPerFeature"]] == [v is None for v in theirs["halvingEpsPerFeature"]]
        close(
            "halving ε per feature (ε/√d)",
            [v or 0 for v in mine["halvingEpsPerFeature"]],
            [v or 0 for v in theirs["halvingEpsPerFeature"]],
            1e-15,
            0,
        )


def test_spectral_norm_upper_bound(parity):
    for s in parity["spectral"]:
        a = np.asarray(s["values"]).reshape(s["rows"], s["cols"])
        mine = spectral_norm_upper_bound(a)
        close("σ_max upper bound", mine, s["upper"], 1e-12, 0)
        assert mine >= np.linalg.svd(a, compute_uv=False)[0]
