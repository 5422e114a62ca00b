"""Step 2's constants and objective (spec §7; src/core/train/step2.ts)."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .distributed import LOCAL, Dist
from .lipschitz import sound_constants, encoder_lipschitz_bound, estimated_tau
from .losses import step2_loss


@dataclass
class Step2Constants:
    """What step 2 holds fixed while a moves: estimated τ (paper form c = a_y τ_y + aₖ τₖ), or the Gram
    matrices G = W̃W̃ᵀ and encoder bounds L (sound pair form c² = L²(a_y² G_yy + aₖ² G_kk − 2 a_y aₖ G_yk))."""

    form: str  # 'paper' | 'pair'
    tau: list[torch.Tensor] | None = None
    gram: list[torch.Tensor] | None = None
    lipschitz: list[float] | None = None


def estimate_step2_constants(model, train_x, source: str, dist: Dist = LOCAL) -> tuple[Step2Constants, dict]:
    """The Lipschitz estimation phase, between step 1 and step 2; `source` is the tauSource: estimated or sound."""
    device = train_x[0].device
    if source == "estimated":
        tau = estimated_tau(model, train_x, dist)
        record = {"kind": "estimated", "method": "max over training samples of ‖∇ₓᵐ zₖᵐ‖", "tau": tau}
        return Step2Constants("paper", tau=[torch.tensor(t, dtype=torch.float32, device=device) for t in tau]), record
    sound = sound_constants(model)
    if sound is None:
        raise ValueError("step 2 with the sound τ needs encoders with a Lipschitz bound; a factory encoder has none")
    lipschitz = [encoder_lipschitz_bound(model.encoder(m)) for m in range(model.M)]
    with torch.no_grad():
        gram = [w @ w.T for w in model.head.row_matrices()]
    record = {"kind": "sound", "method": "‖W̃ₖᵐ‖ · Π σ_max(layers)", "tau": sound.tau}
    return Step2Constants("pair", gram=gram, lipschitz=lipschitz), record


def pair_constants(a: list[torch.Tensor], c: Step2Constants) -> list[torch.Tensor]:
    """cᵐ_{y,k} as [K, K] tensors, differentiable in a."""
    out = []
    for m, am in enumerate(a):
        if c.form == "paper":
            at = am * c.tau[m]
            out.append(at[:, None] + at[None, :])
        else:
            g = c.gram[m]
            diag = am * am * torch.diagonal(g)
            cross = am[:, None] * am[None, :] * g
            c2 = diag[:, None] + diag[None, :] - 2 * cross
            out.append(c.lipschitz[m] * torch.sqrt(torch.relu(c2) + 1e-12))
    return out


def step2_objective(head, uni, y, constants: Step2Constants, s2: dict) -> tuple[torch.Tensor, torch.Tensor]:
    """(per-sample −radius bound, PyTorch-style weight decay ½λΣa²): the batch loss is mean + decay."""
    a = head.integration()
    per = step2_loss(head.fuse(uni), y, pair_constants(a, constants), s2["classChoice"])
    decay = 0.5 * s2["weightDecay"] * sum((v * v).sum() for v in a)
    return per, decay
