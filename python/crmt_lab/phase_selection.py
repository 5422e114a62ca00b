"""Model selection within one phase, on the validation split, never the test split
(src/core/train/phaseSelection.ts, rule for rule).

Keeps a copy of the variables the phase trains at its best epoch by the criterion (`train.selection`:
val-accuracy, val-loss, or val-certified, sound certified accuracy at `train.selectionEps`; a tie keeps
the earlier epoch), stops the phase after `train.patience` epochs without a better value, puts the kept
epoch's values back at the end, and warns once when validation accuracy falls more than OVERFIT_DROP
below its best in the phase, naming the branch that overfits. The teachers' phase is chosen on
validation accuracy whatever the criterion, as the lab does.

Under DDP every process must keep the same epoch and stop at the same one: the criterion's value is
rank 0's, broadcast, rather than each process's own reduction of the same sums.
"""

from __future__ import annotations

import math

import torch

from .certify import certified_accuracy, certified_radius
from .data.jsnumber import js_to_fixed
from .distributed import Dist
from .evaluate import SplitTensors, collect_outputs
from .lipschitz import sound_constants

#: A fall in validation accuracy from the phase's best that the run reports.
OVERFIT_DROP = 0.05
#: src/core/train/snapshot.ts PHASE_LABEL.
PHASE_LABEL = {
    "train": "training",
    "teachers": "uni-modal teachers",
    "step1": "step 1: uni-modal margins",
    "lipschitz": "Lipschitz estimation",
    "step2": "step 2: integration weights",
}


def _pct(x: float) -> str:
    return f"{js_to_fixed(100 * x, 1)}%"


def kept_message(k: dict) -> str:
    """The log's line for a phase's kept epoch."""
    # The teachers are kept on validation accuracy whatever the criterion (the record names the criterion).
    by = "val-accuracy" if k["phase"] == "teachers" else k["criterion"]
    early = f", stopped early after epoch {k['lastEpoch']}" if k["stoppedEarly"] else ""
    return f"{k['phase']}: kept the weights of epoch {k['epoch']} ({by} {k['value']:.4g}{early})"


def check_criterion(train: dict, model, val: SplitTensors) -> None:
    """Refuses, before any training, a criterion this model cannot be judged by."""
    if train["selection"] != "val-certified" or val.n == 0:
        return
    if any(model.encoder(m).lipschitz_factors() is None for m in range(model.M)):
        raise ValueError(
            "train.selection val-certified needs encoders with a sound Lipschitz bound; a factory encoder has "
            "none (choose val-accuracy or val-loss)"
        )


class PhaseSelection:
    def __init__(
        self,
        phase: str,
        criterion: str,
        train: dict,
        variables: list[torch.Tensor],
        modalities: list[str],
        dist: Dist,
    ) -> None:
        """`variables`: what the phase trains (the model's or the teachers' parameters and buffers, or
        step 2's integration weights); `criterion` is the one in force (the caller makes it `last` where
        the lab does: step 2 fit on the validation split, or no validation samples)."""
        self.phase, self.criterion, self.dist = phase, criterion, dist
        self.patience, self.eps = train["patience"], train["selectionEps"]
        self.variables, self.modalities = variables, modalities
        self._best: tuple[float, dict, list[torch.Tensor]] | None = None
        self._best_accuracy: tuple[float, int] | None = None
        self._best_branch: list[float] = []
        self._warned = False

    def observe(self, record: dict, model, val: SplitTensors) -> tuple[bool, str | None]:
        """After each epoch of the phase (the model in eval mode): whether to stop now, and a warning, if any."""
        warning = self._overfitting(record)
        if self.criterion == "last":
            return False, warning
        value = self.dist.from_rank0(self._score(record, model, val))
        if self._best is None or value > self._best[0]:
            self._best = (value, record, [v.detach().clone() for v in self.variables])
        stop = self.patience is not None and record["epoch"] - self._best[1]["epoch"] >= self.patience
        return stop, warning

    def finish(self, last: dict, stopped_early: bool) -> dict | None:
        """The end of the phase: the kept epoch's values back in place; None when the last epoch is kept."""
        if self._best is None:
            return None
        value, kept, copies = self._best
        with torch.no_grad():
            for v, c in zip(self.variables, copies):
                v.copy_(c)
        self._best = None
        return {
            "phase": self.phase,
            "criterion": self.criterion,
            "value": value,
            "epoch": kept["epoch"],
            "runEpoch": kept["runEpoch"],
            "lastEpoch": last["epoch"],
            "stoppedEarly": stopped_early,
        }

    def _score(self, record: dict, model, val: SplitTensors) -> float:
        if self.criterion == "val-accuracy" or self.phase == "teachers":
            return record["val"]["accuracy"]
        if self.criterion == "val-loss":
            return -record["val"]["loss"]
        # Sound certified accuracy at the chosen ε: a guarantee, so a robust model is not chosen on luck.
        constants = sound_constants(model)
        logits = collect_outputs(model, val.x, self.dist).logits
        radii = certified_radius(logits, val.y.cpu().numpy(), constants.pair)
        return certified_accuracy(radii.joint, [self.eps])[0]

    def _overfitting(self, r: dict) -> str | None:
        acc = r["val"]["accuracy"]
        if not math.isfinite(acc):
            return None
        branch = r["val"]["branchAccuracy"]
        for m, b in enumerate(branch):
            if m == len(self._best_branch):
                self._best_branch.append(-math.inf)
            self._best_branch[m] = max(self._best_branch[m], b)
        if self._best_accuracy is None or acc > self._best_accuracy[0]:
            self._best_accuracy = (acc, r["epoch"])
        top, top_epoch = self._best_accuracy
        if self._warned or acc > top - OVERFIT_DROP:
            return None
        self._warned = True
        drops = [self._best_branch[m] - b for m, b in enumerate(branch)]
        worst = drops.index(max(drops))
        culprit = (
            f" modality {self.modalities[worst]} overfits (its branch: validation {_pct(self._best_branch[worst])} → "
            f"{_pct(branch[worst])}, training {_pct(r['train']['branchAccuracy'][worst])});"
            if drops[worst] >= OVERFIT_DROP
            else ""
        )
        kept = (
            "the last epoch will be kept (selection: last)"
            if self.criterion == "last"
            else f"the best epoch by {self.criterion} is kept"
        )
        return (
            f"{PHASE_LABEL[self.phase]} is overfitting: validation accuracy {_pct(top)} (epoch {top_epoch}) → "
            f"{_pct(acc)} (epoch {r['epoch']});{culprit} {kept}. Try a lower learning rate or fewer epochs."
        )
