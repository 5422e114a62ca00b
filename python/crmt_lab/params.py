"""The lab's parameter table (src/core/params), read from param_table.json, which `npm run schemas`
generates from it: every setting's path, flag, type, default, range or options. Reading a value
from a file or from what a person typed follows src/core/params/paramCodec.ts, message for message,
so a value the lab refuses is refused here with the same words.
"""

from __future__ import annotations

import copy
import json
import math
import re
from pathlib import Path

from .data.jsnumber import js_string

_TABLE = json.loads((Path(__file__).parent / "param_table.json").read_text(encoding="utf-8"))

EXPERIMENT_FORMAT: str = _TABLE["experiment"]["format"]
EXPERIMENT_VERSION: int = _TABLE["experiment"]["version"]
#: Leaves of the experiment that are labels, not settings (data.uploadName).
LABEL_PATHS: list[str] = _TABLE["experiment"]["labels"]
#: Every parameter, in the settings panel's order; internal ones are read from old files and ignored.
PARAMS: list[dict] = _TABLE["params"]
SETTINGS_PARAMS: list[dict] = [p for p in PARAMS if not p["internal"]]
FLAG_PARAMS: list[dict] = [p for p in SETTINGS_PARAMS if p["flag"] is not None]
GROUP_TITLES: dict[str, str] = _TABLE["groupTitles"]
RUN_OPTIONS: list[dict] = _TABLE["runOptions"]
BUILTIN_DATA: list[str] = _TABLE["builtinData"]

_BY_PATH = {p["path"]: p for p in PARAMS}


def param_at(path: str) -> dict:
    return _BY_PATH[path]


# --- dotted paths (src/core/params/paths.ts) -----------------------------------------------------


def get_at(o, path: str, default=None):
    x = o
    for k in path.split("."):
        if not isinstance(x, dict) or k not in x:
            return default
        x = x[k]
    return x


def set_at(c: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    for k in parents:
        c = c.setdefault(k, {})
    c[last] = value


def default_experiment() -> dict:
    """The default experiment, assembled from the table's defaults (src/core/params/paramDefaults.ts)."""
    c: dict = {}
    for p in PARAMS:
        set_at(c, p["path"], copy.deepcopy(p["default"]))
    return c


# --- values (src/core/params/paramCodec.ts) --------------------------------------------------------

_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)
_AUTO = re.compile(r"^(auto|)$", re.IGNORECASE)
_LIST_SEPARATOR = re.compile(r"[\s,;]+|(?<![eE])[-–]")
_TRUE = re.compile(r"^(true|yes|1|on)$", re.IGNORECASE)
_FALSE = re.compile(r"^(false|no|0|off)$", re.IGNORECASE)


class ParamError(ValueError):
    """One plain sentence saying what is wrong with a value; the caller names the place."""


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _whole(x: float) -> bool:
    return math.isfinite(x) and x == int(x)


def _range_error(p: dict, x: float, what: str) -> str | None:
    shown = js_string(float(x))
    if p["type"] in ("int", "intList") and not _whole(x):
        return f"{what} {shown} is not a whole number"
    if "min" in p and x < p["min"]:
        return f"{what} {shown} is below the minimum {js_string(float(p['min']))}"
    if "max" in p and x > p["max"]:
        return f"{what} {shown} is above the maximum {js_string(float(p['max']))}"
    return None


def _number(p: dict, x: float, what: str = ""):
    e = _range_error(p, x, what)
    if e:
        raise ParamError(e.strip())
    # Whole numbers are written as JSON integers, as JavaScript writes them.
    return int(x) if _whole(x) else float(x)


def _list(p: dict, xs: list):
    if len(xs) < p["minLength"]:
        raise ParamError(
            "needs at least one value" if p["minLength"] == 1 else f"needs at least {p['minLength']} values"
        )
    if len(xs) > p["maxLength"]:
        raise ParamError(f"has {len(xs)} values; at most {p['maxLength']}")
    if p["type"] == "nameList":
        return list(xs)
    out = []
    for x in xs:
        e = _range_error(p, x, "value")
        if e:
            raise ParamError(e)
        out.append(int(x) if _whole(x) else float(x))
    return out


def _enum(p: dict, raw: str):
    text = raw.strip()
    if text in p["options"]:
        return text
    if text in p.get("aliases", {}):
        return p["aliases"][text]
    raise ParamError(f'"{raw}" is not one of {", ".join(p["options"])}')


def parse_text(p: dict, raw: str):
    """What a person typed (a CLI flag): "0.01", "1e-3", "64-32", "64, 32", "auto", "true"."""
    text = raw.strip()
    t = p["type"]
    if t in ("int", "number"):
        if p.get("nullable") and _AUTO.match(text):
            return None
        if not _DECIMAL.match(text):
            raise ParamError(f'"{raw}" is not a number{" (or auto)" if p.get("nullable") else ""}')
        return _number(p, float(text))
    if t == "enum":
        return _enum(p, raw)
    if t == "bool":
        if _TRUE.match(text):
            return True
        if _FALSE.match(text):
            return False
        raise ParamError(f'"{raw}" is not true or false')
    if t in ("intList", "numberList"):
        parts = [s for s in _LIST_SEPARATOR.split(text) if s] if text else []
        for s in parts:
            if not _DECIMAL.match(s):
                raise ParamError(f'"{s}" is not a number')
        return _list(p, [float(s) for s in parts])
    return _list(p, [s.strip() for s in text.split(",") if s.strip()])


def _short(v) -> str:
    s = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    return s[:37] + "…" if len(s) > 40 else s


def parse_json(p: dict, v):
    """A value from a JSON file: the JSON type must be the parameter's (no "0.01" strings for numbers)."""
    t = p["type"]
    if t in ("int", "number"):
        if v is None and p.get("nullable"):
            return None
        if not _is_number(v):
            raise ParamError(f"{_short(v)} is not a number{' (or null for auto)' if p.get('nullable') else ''}")
        return _number(p, v)
    if t == "enum":
        if isinstance(v, str):
            return _enum(p, v)
        raise ParamError(f"{_short(v)} is not one of {', '.join(p['options'])}")
    if t == "bool":
        if isinstance(v, bool):
            return v
        raise ParamError(f"{_short(v)} is not true or false")
    if t in ("intList", "numberList"):
        if not isinstance(v, list) or not all(_is_number(x) for x in v):
            raise ParamError(f"{_short(v)} is not a list of numbers")
        return _list(p, v)
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ParamError(f"{_short(v)} is not a list of names")
    return _list(p, v)


def format_default(p: dict) -> str:
    d = p["default"]
    if p["type"] == "bool":
        return "on" if d else "off"
    if d is None:
        return "auto"
    if isinstance(d, list):
        return ("-" if p["type"] == "intList" else ",").join(
            js_string(float(x)) if _is_number(x) else x for x in d
        ) or "all"
    return js_string(float(d)) if _is_number(d) else str(d)


#: The table's settings this engine trains and evaluates with, as the lab does.
IMPLEMENTED = {
    "modalities",
    *(f"model.{k}" for k in ("hidden", "activation", "encoder", "cnn.filters", "cnn.outDim")),
    *(f"train.{k}" for k in ("method", "epochs", "batchSize", "learningRate", "weightDecay", "seed", "rho")),
    *(f"train.{k}" for k in ("marginFloor", "headRows", "mixupAlpha", "umtAlpha", "teacherEpochs")),
    *(f"train.{k}" for k in ("selection", "selectionEps", "patience")),
    *(f"train.step2.{k}" for k in ("epochs", "lrScale", "momentum", "weightDecay", "classChoice", "data")),
    "train.step2.tauSource",
    *(f"train.at.{k}" for k in ("eps", "steps", "stepSize", "randomStart", "cleanWeight")),
    *(f"attack.{k}" for k in ("eps", "preset", "budget", "steps", "stepFraction", "randomStart", "restarts")),
}
#: Settings read, checked and written back but not acted on here, and why. A setting of the table in
#: neither set fails tests/test_config.py: a new setting of the lab is never carried without being trained.
CARRIED = {
    "data.": "the page's dataset choice and its generators; this engine reads the folder given with --data",
    "attack.localBound": (
        "the local (CROWN) bound is the lab's (npm run experiment); this engine's results have no local kind"
    ),
}


def unaccounted_settings() -> list[str]:
    return [
        p["path"]
        for p in SETTINGS_PARAMS
        if p["path"] not in IMPLEMENTED and not any(p["path"].startswith(c) for c in CARRIED)
    ]
