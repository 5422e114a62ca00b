"""The lab's model files (src/core/io/exportModel.ts): config.json, model.safetensors in PyTorch
layout, and the TensorFlow.js pair model.json + weights.bin in the lab's layout. Both directions."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import torch

from .data.dataset import DataError
from .experiment_json import experiment_to_json
from .data.standardise import Standardisation
from .model.model import MultiModalModel
from .safetensors import decode, encode

#: config.json (schemas/model-config.schema.json); version 1 named itself "crmt-lab-model/1" and kept only
#: the training settings, as `train`: it is still read.
MODEL_FORMAT = "crmt-lab-model"
MODEL_VERSION = 2
MODEL_FORMAT_V1 = "crmt-lab-model/1"


def _to_lab(name: str, a: np.ndarray) -> np.ndarray:
    """PyTorch layout → the lab's: [out, in] → [in, out]; [out, in, kh, kw] → [kh, kw, in, out]."""
    if a.ndim == 4:
        return a.transpose(2, 3, 1, 0)
    if a.ndim == 2 and (name.endswith(".weight") or re.fullmatch(r"head\.w\d+", name)):
        return a.T
    return a


def _from_lab(name: str, a: np.ndarray) -> np.ndarray:
    if a.ndim == 4:
        return a.transpose(3, 2, 0, 1)
    if a.ndim == 2 and (name.endswith(".weight") or re.fullmatch(r"head\.w\d+", name)):
        return a.T
    return a


def export_model(
    model: MultiModalModel,
    *,
    dataset: str,
    modalities,
    classes,
    experiment: dict,
    standardisation: Standardisation,
) -> dict[str, bytes]:
    if any(e["kind"] == "torch" for e in model.spec["encoders"]):
        print("export: this model has a factory encoder; the lab cannot open it (PyTorch can)", file=sys.stderr)
    torch_params = [(n, p.detach().cpu().numpy().astype(np.float32)) for n, p in model.named_parameters()]
    lab_params = [(n, np.ascontiguousarray(_to_lab(n, a))) for n, a in torch_params]
    method = experiment["train"]["method"]
    config = {
        "format": MODEL_FORMAT,
        "version": MODEL_VERSION,
        "dataset": dataset,
        "modalities": [m.to_json() for m in modalities],
        "classes": list(classes),
        "method": method,
        "model": model.spec,
        "experiment": experiment_to_json(experiment),
        "standardisation": standardisation.to_json(),
        "parameters": [
            {"name": n, "shape": list(la.shape), "torchShape": list(ta.shape), "dtype": "float32"}
            for (n, ta), (_, la) in zip(torch_params, lab_params)
        ],
    }
    manifest = {
        "format": "weights-manifest",
        "generatedBy": MODEL_FORMAT,
        "weightsManifest": [
            {
                "paths": ["weights.bin"],
                "weights": [{"name": n, "shape": list(a.shape), "dtype": "float32"} for n, a in lab_params],
            }
        ],
    }

    def text(o) -> bytes:
        return (json.dumps(o, indent=2, ensure_ascii=False) + "\n").encode()

    return {
        "config.json": text(config),
        "model.safetensors": encode(torch_params, {"format": MODEL_FORMAT, "method": method}),
        "model.json": text(manifest),
        "weights.bin": b"".join(a.astype("<f4").tobytes() for _, a in lab_params),
    }


def write_model_files(folder: str, files: dict[str, bytes]) -> None:
    p = Path(folder)
    p.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (p / name).write_bytes(data)


def read_model_files(folder: str) -> tuple[MultiModalModel, dict]:
    """A model exported by the lab or by this engine; names, shapes and dtypes checked against config.json."""
    p = Path(folder)
    if not p.is_dir():
        raise DataError(f"Folder not found: {folder}")
    cpath = p / "config.json"
    if not cpath.exists():
        raise DataError(f"{folder}: config.json is missing: it says how to rebuild the model")
    try:
        config = json.loads(cpath.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DataError(f"{folder}: config.json is not valid JSON: {e}") from None
    if not isinstance(config, dict):
        raise DataError(f"{folder}: config.json is not a CRMT Lab model")
    legacy = config.get("format") == MODEL_FORMAT_V1
    if config.get("format") != MODEL_FORMAT and not legacy:
        raise DataError(
            f'{folder}: config.json is not a CRMT Lab model (format "{config.get("format")}", expected "{MODEL_FORMAT}")'
        )
    if not legacy and config.get("version") != MODEL_VERSION:
        raise DataError(
            f"{folder}: config.json: model version {config.get('version')} is not one this engine reads ({MODEL_VERSION})"
        )
    model = MultiModalModel(config["model"])
    own = dict(model.named_parameters())
    if (p / "model.safetensors").exists():
        tensors, _ = decode("model.safetensors", (p / "model.safetensors").read_bytes())
        shape_key, convert = "torchShape", None
    elif (p / "model.json").exists() and (p / "weights.bin").exists():
        tensors = _read_tfjs(p)
        shape_key, convert = "shape", _from_lab
    else:
        raise DataError(
            f"{folder}: no weights: give model.safetensors, or model.json with weights.bin, next to config.json"
        )
    with torch.no_grad():
        for prm in config["parameters"]:
            if prm["name"] not in own:
                raise DataError(f"config.json names a parameter {prm['name']} that this model does not have")
            a = tensors.get(prm["name"])
            if a is None:
                raise DataError(f"{folder}: the weights have no tensor {prm['name']}")
            if list(a.shape) != list(prm[shape_key]):
                raise DataError(
                    f"{prm['name']}: the weights have shape {list(a.shape)} but config.json says {prm[shape_key]}"
                )
            t = torch.from_numpy(np.ascontiguousarray(convert(prm["name"], a) if convert else a))
            if tuple(t.shape) != tuple(own[prm["name"]].shape):
                raise DataError(
                    f"{prm['name']}: shape {list(t.shape)} does not fit the model's {list(own[prm['name']].shape)}"
                )
            own[prm["name"]].copy_(t)
    missing = set(own) - {prm["name"] for prm in config["parameters"]}
    if missing:
        raise DataError(f"config.json lists no value for {', '.join(sorted(missing))}")
    return model, config


def _read_tfjs(p: Path) -> dict[str, np.ndarray]:
    manifest = json.loads((p / "model.json").read_text(encoding="utf-8"))
    blob = (p / "weights.bin").read_bytes()
    out, at = {}, 0
    for group in manifest.get("weightsManifest", []):
        for w in group["weights"]:
            if w["dtype"] != "float32":
                raise DataError(f"model.json: {w['name']} has dtype {w['dtype']}; the lab reads float32 only")
            size = int(np.prod(w["shape"])) * 4
            if at + size > len(blob):
                raise DataError(f"weights.bin is truncated: {w['name']} runs past its end")
            out[w["name"]] = np.frombuffer(blob[at : at + size], dtype="<f4").reshape(w["shape"]).astype(np.float32)
            at += size
    return out


def model_data_mismatch(config: dict, modalities, classes) -> str | None:
    def describe(ms):
        return ", ".join(f"{m['name']} [{'×'.join(map(str, m['shape']))}]" for m in ms)

    mine = describe([m.to_json() for m in modalities])
    if describe(config["modalities"]) != mine:
        return f"the model was trained on {describe(config['modalities'])} but the data has {mine}"
    if list(config["classes"]) != list(classes):
        return f"the model's classes are {', '.join(config['classes'])} but the data's are {', '.join(classes)}"
    return None
