"""Spec §8's methods and their phases (src/core/train/methods.ts, phasePlan.ts)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MethodSpec:
    id: str
    label: str
    head: str  # 'joint' | 'crmt'
    inputs: str  # 'clean' | 'adversarial' | 'mixup'
    margin_term: bool
    step2: bool
    structure: str = "fused"  # 'fused' | 'ume' | 'umt'


def _m(id, label, head, inputs, margin, step2, structure="fused"):
    return MethodSpec(id, label, head, inputs, margin, step2, structure)


METHODS = {
    m.id: m
    for m in [
        _m("jt", "Joint training", "joint", "clean", False, False),
        _m("ojt", "Orthogonal joint training (CRMT head, ρ = 0)", "crmt", "clean", False, False),
        _m("crmt-jt", "CRMT-JT", "crmt", "clean", True, True),
        _m("at", "Multi-modal adversarial training", "joint", "adversarial", False, False),
        _m("crmt-at", "CRMT-AT", "crmt", "adversarial", True, True),
        _m("mixup", "Mixup", "joint", "mixup", False, False),
        _m("crmt-mix", "CRMT-Mix", "crmt", "mixup", True, True),
        _m("ume", "Uni-modal ensemble", "joint", "clean", False, False, "ume"),
        _m("umt", "Uni-modal teacher", "joint", "clean", False, False, "umt"),
        _m("crmt-step1", "CRMT step 1 only (ablation)", "crmt", "clean", True, False),
        _m("crmt-step2", "CRMT step 2 only on an OJT model (ablation)", "crmt", "clean", False, True),
    ]
}
METHOD_IDS = list(METHODS)


def step2_epochs(train: dict) -> int:
    e = train["step2"]["epochs"]
    return e if e is not None else max(1, int(train["epochs"] / 3 + 0.5))


def plan_phases(train: dict) -> list[tuple[str, int]]:
    """(phase, epochs) in order: CRMT is step 1, the Lipschitz estimation (0 epochs), step 2."""
    method = METHODS[train["method"]]
    plan = []
    if method.structure == "umt":
        te = train["teacherEpochs"]
        plan.append(("teachers", te if te is not None else train["epochs"]))
    plan.append(("step1" if method.margin_term else "train", train["epochs"]))
    if method.step2:
        plan += [("lipschitz", 0), ("step2", step2_epochs(train))]
    return plan
