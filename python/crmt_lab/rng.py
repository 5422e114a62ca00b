"""The lab's seeded generator (src/core/random.ts), bit for bit.

Data splits, initial weights, batch order and mixup draws come from this stream in the lab, so
the same seed gives the same split and the same first weights here as in the browser or the
Node CLI. mulberry32 is integer arithmetic and reproduces exactly; the Box-Muller normals go
through log/sin/cos, where the C library and V8's fdlibm port may differ in the last bit of a
double (the parity test counts how often: see tests/test_parity.py).
"""

from __future__ import annotations

import math

_M32 = 0xFFFFFFFF


def _imul(a: int, b: int) -> int:
    """Math.imul on unsigned 32-bit representations: the low 32 bits of the product."""
    return (a * b) & _M32


class Rng:
    """mulberry32 with a Box-Muller normal that keeps its spare, as createRng does."""

    def __init__(self, seed: int) -> None:
        self.state = int(seed) & _M32
        self._spare: float | None = None

    def next(self) -> float:
        """Uniform in [0, 1)."""
        self.state = (self.state + 0x6D2B79F5) & _M32
        t = self.state
        # JavaScript's int32 and uint32 views of these values agree modulo 2^32, so every step
        # can stay unsigned.
        t = _imul(t ^ (t >> 15), t | 1)
        t = t ^ ((t + _imul(t ^ (t >> 7), t | 61)) & _M32)
        return ((t ^ (t >> 14)) & _M32) / 4294967296

    def normal(self) -> float:
        if self._spare is not None:
            s, self._spare = self._spare, None
            return s
        u = 1 - self.next()
        v = self.next()
        r = math.sqrt(-2 * math.log(u))
        self._spare = r * math.sin(2 * math.pi * v)
        return r * math.cos(2 * math.pi * v)

    def int(self, n: int) -> int:
        return math.floor(self.next() * n)


def permutation(n: int, rng: Rng) -> list[int]:
    """Fisher-Yates permutation of 0..n-1, drawing as random.ts's `permutation` does."""
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.int(i + 1)
        p[i], p[j] = p[j], p[i]
    return p


def _gamma(shape: float, rng: Rng) -> float:
    """Marsaglia-Tsang, boosted for shape < 1 (src/core/train/mixup.ts)."""
    if shape < 1:
        return _gamma(shape + 1, rng) * math.pow(1 - rng.next(), 1 / shape)
    d = shape - 1 / 3
    c = 1 / math.sqrt(9 * d)
    while True:
        x = rng.normal()
        v = (1 + c * x) ** 3
        if v <= 0:
            continue
        u = 1 - rng.next()
        if math.log(u) < 0.5 * x * x + d - d * v + d * math.log(v):
            return d * v


def sample_beta(alpha: float, rng: Rng) -> float:
    """lambda ~ Beta(alpha, alpha), the mixup coefficient drawn once per batch."""
    x = _gamma(alpha, rng)
    y = _gamma(alpha, rng)
    return x / (x + y)
