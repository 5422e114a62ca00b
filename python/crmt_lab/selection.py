"""Model selection after the main phase: the hook issue 13 ("best epoch by validation accuracy") fills.

The lab keeps the last epoch today (`last`). `best-val` keeps the main phase's weights with the
highest validation accuracy (earliest on ties) and restores them before the Lipschitz estimation
and step 2 (or the end, for methods without step 2). When the lab settles its rule, change it here.
"""

from __future__ import annotations

import copy
import math


class LastEpoch:
    name = "last"

    def observe(self, phase: str, epoch: int, val_accuracy: float, model) -> None:
        pass

    def restore(self, model) -> int | None:
        return None


class BestValidation:
    name = "best-val"

    def __init__(self) -> None:
        self.best: tuple[float, int, dict] | None = None

    def observe(self, phase: str, epoch: int, val_accuracy: float, model) -> None:
        if phase not in ("train", "step1") or not math.isfinite(val_accuracy):
            return
        if self.best is None or val_accuracy > self.best[0]:
            self.best = (val_accuracy, epoch, copy.deepcopy(model.state_dict()))

    def restore(self, model) -> int | None:
        if self.best is None:
            return None
        model.load_state_dict(self.best[2])
        return self.best[1]


def selector(name: str):
    return {"last": LastEpoch, "best-val": BestValidation}[name]()
