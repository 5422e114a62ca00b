"""One process or many, behind one small interface.

`torchrun` sets RANK, WORLD_SIZE, LOCAL_RANK and the rendezvous variables; `setup()` then joins
the process group (NCCL on GPUs, gloo on CPU). Work that is per sample (evaluation, attacks, the
Lipschitz estimation) is split into contiguous shards, one per process, and its results reduced
(SUM for counts, MAX for the estimated τ, a gather for per-sample outputs), so every process ends
with the same numbers and only rank 0 writes files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as tdist


@dataclass
class Dist:
    rank: int = 0
    world: int = 1
    device: torch.device = torch.device("cpu")
    backend: str | None = None

    @property
    def active(self) -> bool:
        return self.world > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def bounds(self, n: int, rank: int | None = None) -> tuple[int, int]:
        """Contiguous shard [start, end) of n items; sizes differ by at most one."""
        r = self.rank if rank is None else rank
        base, extra = divmod(n, self.world)
        start = r * base + min(r, extra)
        return start, start + base + (1 if r < extra else 0)

    def shard(self, n: int) -> slice:
        return slice(*self.bounds(n))

    def sum(self, t: torch.Tensor) -> torch.Tensor:
        if self.active:
            t = t.clone()
            tdist.all_reduce(t, op=tdist.ReduceOp.SUM)
        return t

    def max(self, t: torch.Tensor) -> torch.Tensor:
        if self.active:
            t = t.clone()
            tdist.all_reduce(t, op=tdist.ReduceOp.MAX)
        return t

    def from_rank0(self, x: float) -> float:
        """Rank 0's value on every process: for a decision every process must take alike (which epoch
        model selection keeps, when patience stops a phase), not left to each process's float reduction."""
        if not self.active:
            return x
        t = torch.tensor([x], dtype=torch.float64, device=self.device)
        tdist.broadcast(t, src=0)
        return float(t.item())

    def gather_rows(self, local: torch.Tensor, n: int) -> torch.Tensor:
        """The full [n, …] tensor from each process's contiguous shard of rows."""
        if not self.active:
            return local
        sizes = [self.bounds(n, r)[1] - self.bounds(n, r)[0] for r in range(self.world)]
        width = max(sizes)
        padded = torch.zeros((width, *local.shape[1:]), dtype=local.dtype, device=local.device)
        padded[: local.shape[0]] = local
        parts = [torch.empty_like(padded) for _ in range(self.world)]
        tdist.all_gather(parts, padded)
        return torch.cat([p[:s] for p, s in zip(parts, sizes)])

    def barrier(self) -> None:
        if self.active:
            tdist.barrier()


LOCAL = Dist()


def setup(device: str = "auto") -> Dist:
    """Joins torchrun's process group when there is one; picks the device."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    use_cuda = device == "cuda" or (device == "auto" and torch.cuda.is_available())
    if use_cuda:
        if not torch.cuda.is_available():
            raise RuntimeError("--device cuda: no CUDA device is available")
        torch.cuda.set_device(local_rank)
        dev = torch.device("cuda", local_rank)
    else:
        dev = torch.device("cpu")
    backend = None
    if world > 1:
        backend = "nccl" if use_cuda else "gloo"
        tdist.init_process_group(backend=backend)
    return Dist(rank, world, dev, backend)


def teardown(d: Dist) -> None:
    if d.active and tdist.is_initialized():
        tdist.destroy_process_group()
