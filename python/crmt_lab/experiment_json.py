"""The experiment as a file (src/core/params/experimentJson.ts): the page's Config JSON, `--config`, the
`experiment` of a model's config.json and of a result. Written and read through the parameter table.

Internally an experiment is the lab's own nested dict with camelCase keys (ExperimentConfig), so it is
written back unchanged. One extension, which the lab refuses by name: `model.custom`, the factory
encoders per modality (python/README.md, "Larger encoders"); it is written only when it is used.
"""

from __future__ import annotations

import copy
import json

from .params import (
    EXPERIMENT_FORMAT,
    EXPERIMENT_VERSION,
    LABEL_PATHS,
    PARAMS,
    SETTINGS_PARAMS,
    ParamError,
    default_experiment,
    get_at,
    parse_json,
    set_at,
)

#: Where the Python engine's own extension lives in an experiment.
CUSTOM = "model.custom"
_ABSENT = object()


class ConfigError(ValueError):
    """A bad experiment file or setting; the message names the file and the path."""


def experiment_to_json(c: dict) -> dict:
    out = {"format": EXPERIMENT_FORMAT, "version": EXPERIMENT_VERSION}
    for p in SETTINGS_PARAMS:
        set_at(out, p["path"], copy.deepcopy(get_at(c, p["path"])))
    if c["data"]["kind"] == "upload" and c["data"].get("uploadName"):
        out["data"]["uploadName"] = c["data"]["uploadName"]
    if get_at(c, CUSTOM):
        set_at(out, CUSTOM, copy.deepcopy(get_at(c, CUSTOM)))
    return out


def _leaf_paths(o: dict, prefix: str = "") -> list[str]:
    out = []
    for k, v in o.items():
        path = f"{prefix}{k}"
        if path == CUSTOM:
            continue
        out += _leaf_paths(v, f"{path}.") if isinstance(v, dict) else [path]
    return out


def experiment_from_json(j, file: str = "the config file") -> dict:
    """A file as the page writes it (any version, including the unversioned files of earlier releases), or
    a hand-written partial one: missing settings keep their defaults; a wrong type, a value out of range or
    a setting the lab does not know is refused with its path."""
    if not isinstance(j, dict):
        raise ConfigError(f"{file} is not a CRMT Lab experiment (it is not a JSON object)")
    fmt = j.get("format")
    if fmt is not None and fmt != EXPERIMENT_FORMAT:
        raise ConfigError(f'{file} is not a CRMT Lab experiment (format "{fmt}", expected "{EXPERIMENT_FORMAT}")')
    version = j.get("version")
    if isinstance(version, (int, float)) and not isinstance(version, bool) and version > EXPERIMENT_VERSION:
        raise ConfigError(
            f"{file} was written by a newer CRMT Lab (experiment version {version}; "
            f"this lab reads up to {EXPERIMENT_VERSION})"
        )
    if fmt is None and "train" not in j:
        raise ConfigError(f'{file} is not a CRMT Lab experiment (it has no "train" settings)')
    known = {p["path"] for p in PARAMS} | set(LABEL_PATHS) | {"format", "version"}
    problems = [f"{path}: not a setting of the lab" for path in _leaf_paths(j) if path not in known]
    c = default_experiment()
    for p in SETTINGS_PARAMS:
        v = get_at(j, p["path"], _ABSENT)
        if v is _ABSENT:
            continue
        try:
            set_at(c, p["path"], parse_json(p, v))
        except ParamError as e:
            problems.append(f"{p['path']}: {e}")
    upload_name = get_at(j, "data.uploadName")
    if c["data"]["kind"] == "upload" and isinstance(upload_name, str):
        c["data"]["uploadName"] = upload_name
    custom = get_at(j, CUSTOM)
    if custom is not None:
        if not isinstance(custom, dict) or not all(isinstance(v, dict) for v in custom.values()):
            problems.append(f'{CUSTOM}: must map a modality to its encoder, e.g. {{"video": {{"factory": …}}}}')
        else:
            set_at(c, CUSTOM, copy.deepcopy(custom))
    if problems:
        raise ConfigError(f"{file}: {'; '.join(problems)}")
    return c


def experiment_from_text(text: str, file: str = "the config file") -> dict:
    try:
        j = json.loads(text)
    except json.JSONDecodeError as e:
        raise ConfigError(f"{file}: The config file is not valid JSON: {e}") from None
    return experiment_from_json(j, file)


def read_experiment_file(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        raise ConfigError(f"--config: cannot read {path}") from None
    return experiment_from_text(text, path)


def at_step_size(at: dict) -> float:
    """AT's step size: the setting, or ε/steps when it is left to follow them (src/core/config.ts atStepSize)."""
    return at["stepSize"] if at["stepSize"] is not None else at["eps"] / at["steps"]
