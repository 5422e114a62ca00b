"""The lab's batch order, split over processes.

The lab draws one Fisher-Yates permutation of the split an epoch trains on (the training split, or
the validation split for step 2 by default) per epoch from one mulberry32 stream (seed + 1) that
runs on across phases, and cuts it into batches of `batchSize`; the last one is smaller. This
sampler replays that order and gives each process a contiguous shard of every global batch. It
plays the role of torch's DistributedSampler (a `set_epoch` contract) but not its rule:
DistributedSampler deals an epoch's indices round-robin and pads the last round with repeated
samples, which would change both the order and, for a batch size that does not divide evenly, the
gradient. Here every process sees the same global batches as a single process would, so N
processes train the same model as one.
"""

from __future__ import annotations

import numpy as np

from .distributed import Dist
from .rng import Rng, permutation


class LabBatchSampler:
    def __init__(self, batch_size: int, seed: int, dist: Dist) -> None:
        self.batch_size, self.dist = batch_size, dist
        self._rng = Rng(seed + 1)
        self._orders: list[np.ndarray] = []
        self.epoch = 0

    def set_epoch(self, epoch: int, n: int) -> None:
        """`epoch` counts over the whole run (all phases), as the lab's stream does; `n` is the size of the
        split that epoch trains on (step 2 may fit on the validation split), drawn when the epoch is new."""
        while len(self._orders) <= epoch:
            self._orders.append(np.array(permutation(n, self._rng), dtype=np.int64))
        if len(self._orders[epoch]) != n:
            raise ValueError(f"epoch {epoch} was drawn over {len(self._orders[epoch])} samples, not {n}")
        self.epoch = epoch

    def __len__(self) -> int:
        return -(-len(self._orders[self.epoch]) // self.batch_size)

    def __iter__(self):
        """(global batch indices, this process's slice of them) per step of the current epoch."""
        order = self._orders[self.epoch]
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            yield batch, self.dist.shard(len(batch))
