"""The lab's batch order, split over processes.

The lab draws one Fisher-Yates permutation of the training split per epoch from one mulberry32
stream (seed + 1) that runs on across phases, and cuts it into batches of `batchSize`; the last
one is smaller. This sampler replays that order and gives each process a contiguous shard of every
global batch. It plays the role of torch's DistributedSampler (same `set_epoch` contract) but not
its rule: DistributedSampler deals an epoch's indices round-robin and pads the last round with
repeated samples, which would change both the order and, for a batch size that does not divide
evenly, the gradient. Here every process sees the same global batches as a single process would,
so N processes train the same model as one.
"""

from __future__ import annotations

import numpy as np

from .distributed import Dist
from .rng import Rng, permutation


class LabBatchSampler:
    def __init__(self, n: int, batch_size: int, seed: int, dist: Dist) -> None:
        self.n, self.batch_size, self.dist = n, batch_size, dist
        self._rng = Rng(seed + 1)
        self._orders: list[np.ndarray] = []
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """`epoch` counts over the whole run (all phases), as the lab's stream does."""
        while len(self._orders) <= epoch:
            self._orders.append(np.array(permutation(self.n, self._rng), dtype=np.int64))
        self.epoch = epoch

    def __len__(self) -> int:
        return -(-self.n // self.batch_size)

    def __iter__(self):
        """(global batch indices, this process's slice of them) per step."""
        self.set_epoch(self.epoch)
        order = self._orders[self.epoch]
        for start in range(0, self.n, self.batch_size):
            batch = order[start : start + self.batch_size]
            yield batch, self.dist.shard(len(batch))
