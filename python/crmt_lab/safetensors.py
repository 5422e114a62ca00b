"""The safetensors format (src/core/io/safetensors.ts): an 8-byte little-endian header length, a JSON
header with each tensor's dtype, shape and [begin, end) offsets, then the raw little-endian data."""

from __future__ import annotations

import json
import struct

import numpy as np

from .data.dataset import DataError


def encode(tensors: list[tuple[str, np.ndarray]], metadata: dict[str, str] | None = None) -> bytes:
    header: dict = {"__metadata__": metadata or {}}
    offset = 0
    blobs = []
    for name, a in tensors:
        data = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":"))
    # Spaces so the data starts 8-byte aligned, as the reference writer does.
    text += " " * ((8 - (8 + len(text.encode())) % 8) % 8)
    head = text.encode()
    return struct.pack("<Q", len(head)) + head + b"".join(blobs)


def decode(name: str, data: bytes) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    if len(data) < 8:
        raise DataError(f"{name} is truncated: it is shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise DataError(f"{name} is truncated: its header says {n} bytes but the file ends first")
    try:
        header = json.loads(data[8 : 8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DataError(f"{name} has an unreadable header ({e})") from None
    start = 8 + n
    out = {}
    for key, entry in header.items():
        if key == "__metadata__":
            continue
        if entry.get("dtype") != "F32":
            raise DataError(f"{name}: tensor {key} has dtype {entry.get('dtype')}; the lab reads F32 only")
        shape = entry["shape"]
        b, e = entry["data_offsets"]
        if e - b != int(np.prod(shape)) * 4:
            raise DataError(f"{name}: tensor {key} has shape {shape} but {e - b} bytes of data")
        if start + e > len(data):
            raise DataError(f"{name} is truncated: tensor {key} runs past the end of the file")
        out[key] = np.frombuffer(data[start + b : start + e], dtype="<f4").reshape(shape).astype(np.float32)
    return out, header.get("__metadata__", {})
