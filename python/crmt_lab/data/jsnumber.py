"""JavaScript's String(number), for messages and values written as the lab writes them."""

from __future__ import annotations

import math
from decimal import Decimal


def js_string(v: float) -> str:
    """Number.prototype.toString: the shortest digits that round-trip (as repr), laid out as JavaScript does."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    # The shortest round-trip digits (repr's), as value = 0.digits × 10^n.
    t = Decimal(repr(abs(float(v)))).normalize().as_tuple()
    digits = "".join(map(str, t.digits))
    n = len(digits) + t.exponent
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    return sign + digits[0] + ("." + digits[1:] if k > 1 else "") + ("e+" if e >= 0 else "e-") + str(abs(e))
