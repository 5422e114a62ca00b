"""The experiment config: the lab's ExperimentConfig (src/core/config.ts) and the CLI's flags.

Everything that reads or writes the lab's config vocabulary lives here, so that when the lab's
format changes (a versioned Config JSON, `sound` for the step-2 τ source, a null AT step size
meaning ε/steps) only this file follows. Internally a config is the lab's own nested dict with
camelCase keys, so it can be written back into the model's config.json unchanged.
"""

from __future__ import annotations

import copy
import json
import sys

from .methods import METHOD_IDS

DEFAULT_TRAIN = {
    "method": "jt",
    "epochs": 30,
    "batchSize": 64,
    "learningRate": 0.01,
    "weightDecay": 0,
    "seed": 1,
    "progressEvery": 10,
    "liveEvaluation": True,
    "rho": 2,
    "marginFloor": 1e-5,
    "headRows": "orthonormal",
    "step2": {
        "epochs": None,
        "lrScale": 0.03,
        "momentum": 0.9,
        "weightDecay": 1e-2,
        "classChoice": "min",
        "tauSource": "estimated",
    },
    "at": {"eps": 0.1, "steps": 5, "stepSize": 0.02, "randomStart": False, "cleanWeight": 0},
    "mixupAlpha": 1,
    "umtAlpha": 1,
    "teacherEpochs": None,
}
DEFAULT_MODEL = {"hidden": [64, 32], "activation": "relu", "encoder": "mlp", "cnn": {"filters": [8, 16], "outDim": 32}}
DEFAULT_CONFIG = {"data": {"kind": "upload"}, "modalities": [], "model": DEFAULT_MODEL, "train": DEFAULT_TRAIN}
DEFAULT_EPS = [0.1, 0.25, 0.5, 1]

#: The lab's current name for the sound τ source in config.json; `sound` is accepted as its alias.
LAB_SOUND_TAU = "certified"
TAU_SOURCES = {"estimated": "estimated", "certified": LAB_SOUND_TAU, "sound": LAB_SOUND_TAU}


class ConfigError(ValueError):
    """A bad setting; the message names the field or the flag."""


def default_config() -> dict:
    return copy.deepcopy(DEFAULT_CONFIG)


def _merge(base: dict, over: dict, path: str) -> None:
    for k, v in over.items():
        if (path, k) in (("", "data"), ("model.", "custom")):
            # Taken whole: which dataset the page had (the engine reads --data), and factory encoders by modality.
            base[k] = copy.deepcopy(v)
        elif k not in base:
            print(f"config: ignoring unknown setting {path}{k}", file=sys.stderr)
        elif isinstance(base[k], dict) and isinstance(v, dict):
            _merge(base[k], v, f"{path}{k}.")
        else:
            base[k] = copy.deepcopy(v)


def from_page_config(j: dict) -> dict:
    """The page's Config JSON (Keep → Config JSON), with or without the coming format/version fields."""
    if not isinstance(j, dict):
        raise ConfigError("the config must be a JSON object")
    body = {k: v for k, v in j.items() if k not in ("format", "version")}
    c = default_config()
    c["model"]["custom"] = {}
    _merge(c, body, "")
    return normalise(c)


def read_config_file(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            j = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise ConfigError(f"{path}: {e}") from None
    return from_page_config(j)


def normalise(c: dict) -> dict:
    """Validates, and resolves what the lab leaves implicit (AT step size null = ε/steps)."""
    t = c["train"]
    if t["method"] not in METHOD_IDS:
        raise ConfigError(f'train.method: "{t["method"]}" is not one of {", ".join(METHOD_IDS)}')
    if t["headRows"] not in ("orthonormal", "unit"):
        raise ConfigError(f'train.headRows: "{t["headRows"]}" is not orthonormal or unit')
    s2 = t["step2"]
    if s2["tauSource"] not in TAU_SOURCES:
        raise ConfigError(f'train.step2.tauSource: "{s2["tauSource"]}" is not estimated or sound (certified)')
    s2["tauSource"] = TAU_SOURCES[s2["tauSource"]]
    if s2["classChoice"] not in ("min", "runner-up"):
        raise ConfigError(f'train.step2.classChoice: "{s2["classChoice"]}" is not min or runner-up')
    for k in ("epochs", "batchSize", "seed"):
        if not isinstance(t[k], int) or t[k] < 0:
            raise ConfigError(f"train.{k}: {t[k]!r} is not a non-negative integer")
    t["batchSize"] = max(1, t["batchSize"])
    at = t["at"]
    if at.get("stepSize") is None:
        at["stepSize"] = at["eps"] / max(1, at["steps"])
    m = c["model"]
    if m["encoder"] not in ("mlp", "cnn-for-images"):
        raise ConfigError(f'model.encoder: "{m["encoder"]}" is not mlp or cnn-for-images')
    return c


def lab_train_settings(t: dict) -> dict:
    """TrainSettings as the lab's config.json holds them today."""
    out = copy.deepcopy(t)
    out["step2"]["tauSource"] = TAU_SOURCES[out["step2"]["tauSource"]]
    return out


# --- the CLI's flags (src/cli/experimentConfig.ts), plus the Python engine's own ------------------

USAGE = """Usage: python -m crmt_lab.train --data <paired-CSV or NumPy folder> [--config page-config.json]
  [--method <id>] [--modalities <name,name>] [--epochs N] [--seed S] [--eps <list>] [--out result.json]
  [--export <dir>] [--weights <dir>]  (with --weights and --epochs 0 it evaluates without training)
  [--lr X] [--wd X] [--batch N] [--hidden 32,16] [--rho X] [--margin-floor X]
  [--head-rows orthonormal|unit] [--step2-tau estimated|sound] [--step2-class min|runner-up]
  [--step2-epochs N] [--at-eps X] [--at-steps N] [--at-random-start]
  [--encoder mlp|cnn-for-images] [--device auto|cpu|cuda] [--select last|best-val]
Methods: """ + ", ".join(
    METHOD_IDS
)


def parse_args(argv: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    i = 0
    while i < len(argv):
        a = argv[i]
        if not a.startswith("--"):
            raise ConfigError(f'Unexpected argument "{a}": options look like --name value.')
        if "=" in a:
            k, v = a[2:].split("=", 1)
            out[k] = v
        elif i + 1 < len(argv) and not argv[i + 1].startswith("--"):
            out[a[2:]] = argv[i + 1]
            i += 1
        else:
            out[a[2:]] = "true"
        i += 1
    return out


def _numbers(s: str, what: str) -> list[float]:
    try:
        return [float(v.strip()) for v in s.split(",")]
    except ValueError:
        raise ConfigError(f'{what}: "{s}" is not a comma-separated list of numbers.') from None


def _count(s: str, what: str) -> int:
    try:
        x = float(s)
    except ValueError:
        x = -1
    if x < 0 or x != int(x):
        raise ConfigError(f'{what}: "{s}" is not a non-negative integer.')
    return int(x)


def _choice(v: str, allowed: tuple[str, ...], what: str) -> str:
    if v not in allowed:
        raise ConfigError(f'{what}: "{v}" is not {" or ".join(allowed)}.')
    return v


ENGINE_FLAGS = (
    "data",
    "config",
    "out",
    "export",
    "weights",
    "eps",
    "modalities",
    "device",
    "select",
    "backend",
    "help",
)


def cli_options(args: dict[str, str]) -> dict:
    """Flags → {config, data, eps, out, export, weights, modalities, device, select}; the flags win over --config."""
    known = set(ENGINE_FLAGS) | set(_SETTERS)
    for k in args:
        if k not in known:
            raise ConfigError(f"Unknown option --{k}.\n{USAGE}")
    if "data" not in args:
        raise ConfigError(f"--data is required.\n{USAGE}")
    from_page = "config" in args
    c = read_config_file(args["config"]) if from_page else normalise(default_config())
    c["model"].setdefault("custom", {})
    for k, v in args.items():
        if k in _SETTERS:
            _SETTERS[k](c, v)
    normalise(c)
    mods = args.get("modalities")
    return {
        "config": c,
        "from_page": from_page,
        "data": args["data"],
        "modalities": [s.strip() for s in mods.split(",")] if mods else None,
        "eps": _numbers(args["eps"], "--eps") if "eps" in args else list(DEFAULT_EPS),
        "out": args.get("out"),
        "export": args.get("export"),
        "weights": args.get("weights"),
        "device": _choice(args.get("device", "auto"), ("auto", "cpu", "cuda"), "--device"),
        "select": _choice(args.get("select", "last"), ("last", "best-val"), "--select"),
    }


def _at(c: dict, eps=None, steps=None) -> None:
    at = c["train"]["at"]
    if eps is not None:
        at["eps"] = eps
    if steps is not None:
        at["steps"] = max(1, steps)
    at["stepSize"] = at["eps"] / at["steps"]


def _set(path: str, conv):
    def setter(c: dict, v: str) -> None:
        *parents, last = path.split(".")
        node = c
        for p in parents:
            node = node[p]
        node[last] = conv(v)

    return setter


_SETTERS = {
    "method": _set("train.method", lambda v: _choice(v, tuple(METHOD_IDS), "--method")),
    "epochs": _set("train.epochs", lambda v: _count(v, "--epochs")),
    "seed": _set("train.seed", lambda v: _count(v, "--seed")),
    "batch": _set("train.batchSize", lambda v: max(1, _count(v, "--batch"))),
    "lr": _set("train.learningRate", lambda v: _numbers(v, "--lr")[0]),
    "wd": _set("train.weightDecay", lambda v: _numbers(v, "--wd")[0]),
    "rho": _set("train.rho", lambda v: _numbers(v, "--rho")[0]),
    "margin-floor": _set("train.marginFloor", lambda v: _numbers(v, "--margin-floor")[0]),
    "hidden": _set("model.hidden", lambda v: [_count(w, "--hidden") for w in v.split(",")]),
    "encoder": _set("model.encoder", lambda v: _choice(v, ("mlp", "cnn-for-images"), "--encoder")),
    "head-rows": _set("train.headRows", lambda v: _choice(v, ("orthonormal", "unit"), "--head-rows")),
    "step2-tau": _set(
        "train.step2.tauSource", lambda v: _choice(v, ("estimated", "sound", "certified"), "--step2-tau")
    ),
    "step2-class": _set("train.step2.classChoice", lambda v: _choice(v, ("min", "runner-up"), "--step2-class")),
    "step2-epochs": _set("train.step2.epochs", lambda v: _count(v, "--step2-epochs")),
    "at-eps": lambda c, v: _at(c, eps=_numbers(v, "--at-eps")[0]),
    "at-steps": lambda c, v: _at(c, steps=_count(v, "--at-steps")),
    "at-random-start": _set("train.at.randomStart", lambda v: v != "false"),
}
