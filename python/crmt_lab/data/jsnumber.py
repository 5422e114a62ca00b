"""JavaScript's String(number), for messages and values written as the lab writes them."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


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


def js_to_fixed(v: float, digits: int) -> str:
    """Number.prototype.toFixed: the exact binary value rounded, ties away from zero (Python's format rounds
    ties to even, so 97.25 would print as 97.2 where the lab prints 97.3)."""
    if not math.isfinite(v):
        return js_string(v)
    q = Decimal(v).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{q:.{digits}f}"


def js_to_precision(v: float, p: int) -> str:
    """Number.prototype.toPrecision: p significant digits of the exact binary value, ties away from zero."""
    if not math.isfinite(v):
        return js_string(v)
    if v == 0:
        return "0" if p == 1 else "0." + "0" * (p - 1)
    d = Decimal(v)
    e = d.adjusted()
    q = d.quantize(Decimal(1).scaleb(e - p + 1), rounding=ROUND_HALF_UP)
    if q.adjusted() != e:  # 9.995 → 10.0: one more digit before the point
        e = q.adjusted()
        q = d.quantize(Decimal(1).scaleb(e - p + 1), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    digits = "".join(map(str, q.as_tuple().digits)).ljust(p, "0")[:p]
    if e < -6 or e >= p:
        mantissa = digits[0] + ("." + digits[1:] if p > 1 else "")
        return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    if e >= 0:
        return sign + digits[: e + 1] + ("." + digits[e + 1 :] if p > e + 1 else "")
    return sign + "0." + "0" * (-e - 1) + digits
