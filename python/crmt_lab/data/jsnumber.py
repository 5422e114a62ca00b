"""JavaScript's Number(string) and String(number), for labels as the lab reads them."""

from __future__ import annotations

import math
import re

_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_RADIX = re.compile(r"^0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)$")


def js_number(s: str) -> float:
    t = s.strip()
    if t == "":
        return 0.0
    if _DECIMAL.match(t):
        return float(t)
    if _RADIX.match(t):
        return float(int(t, 0))
    if t in ("Infinity", "+Infinity"):
        return math.inf
    if t == "-Infinity":
        return -math.inf
    return math.nan


def js_string(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == int(v) and abs(v) < 1e21:
        return str(int(v))
    r = repr(v)
    if "e" in r:
        # 1e-07 -> 1e-7, 1.5e+22 -> 1.5e+22
        mant, exp = r.split("e")
        sign = "-" if exp.startswith("-") else "+"
        r = f"{mant}e{sign}{int(exp.lstrip('+-'))}"
    return r


def js_is_integer(s: str) -> bool:
    v = js_number(s)
    return math.isfinite(v) and v == int(v)
