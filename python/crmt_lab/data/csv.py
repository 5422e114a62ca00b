"""CSV reading for the paired-CSV format (src/core/data/formats/csv.ts and text.ts), message for message:
a header row, one sample per row, quoted fields within a line, plain decimal cells only. The browser's
size limits are not applied: this engine is for data that outgrew the browser.

Row numbers in messages are 1-based data rows, header excluded.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from .dataset import DataError

F32_MAX = 3.4028234663852886e38
#: As every spreadsheet and numpy.savetxt writes numbers; not 0x1F, 0b11, Infinity or an empty cell.
PLAIN_DECIMAL = re.compile(r"^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$")
_CELL = r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*"
_PLAIN_ROW = re.compile(rf"^{_CELL}(?:,{_CELL})*$")
SEPARATORS = [";", "\t", "|"]


def decode_text(path: Path) -> str:
    """UTF-8 (with or without a byte-order mark) or UTF-16 with its mark; anything else is refused."""
    data = path.read_bytes()
    if data[:2] == b"\xff\xfe":
        return data[2:].decode("utf-16-le")
    if data[:2] == b"\xfe\xff":
        return data[2:].decode("utf-16-be")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DataError(
            f"{path.name} holds a zero byte on line {_line_of(data, nul)}: it looks like UTF-16 text "
            'without a byte-order mark, or not text at all; save it as UTF-8 (in Excel: "CSV UTF-8")'
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError(
            f"{path.name} is not UTF-8 text (line {_line_of(data, e.start)} has the byte "
            f'0x{data[e.start]:02X}, as Latin-1 or Windows-1252 files do); save it as UTF-8 (in Excel: "CSV UTF-8")'
        ) from None


def _line_of(data: bytes, at: int) -> int:
    return data.count(b"\n", 0, at) + 1


def _separator_hint(sep: str) -> str:
    shown = "tabs" if sep == "\t" else f'"{sep}"'
    return f"the file seems to use {shown} between columns; the lab reads comma-separated files"


def _lines(name: str, text: str) -> list[str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]
    while lines and lines[-1].strip() == "":
        lines.pop()
    if not lines:
        raise DataError(f"{name} is empty")
    if len(lines) == 1:
        raise DataError(f"{name} has a header but no data rows")
    return lines


def _fields(name: str, line: str, r: int) -> list[str]:
    if '"' not in line:
        return [f.strip() for f in line.split(",")]
    where = "the header" if r == 0 else f"row {r}"
    out, i = [], 0
    while True:
        while i < len(line) and line[i] in " \t":
            i += 1
        if i < len(line) and line[i] == '"':
            field, j = "", i + 1
            while True:
                q = line.find('"', j)
                if q < 0:
                    raise DataError(f"{name} {where} has an unclosed quote")
                field += line[j:q]
                if line[q + 1 : q + 2] != '"':
                    i = q + 1
                    break
                field += '"'
                j = q + 2
            while i < len(line) and line[i] in " \t":
                i += 1
            if i < len(line) and line[i] != ",":
                raise DataError(f"{name} {where} has text after a closing quote")
        else:
            comma = line.find(",", i)
            end = len(line) if comma < 0 else comma
            field, i = line[i:end].strip(), end
        out.append(field)
        if i >= len(line):
            return out
        i += 1


def _header(name: str, line: str) -> list[str]:
    header = _fields(name, line, 0)
    if len(header) == 1:
        sep = next((s for s in SEPARATORS if s in line), None)
        if sep:
            raise DataError(f"{name} has no comma in its header row: {_separator_hint(sep)}")
    return header


def _check_width(name: str, fields: list[str], header: list[str], r: int) -> None:
    if len(fields) != len(header):
        raise DataError(f"{name} row {r} has {len(fields)} fields but the header has {len(header)}")


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = _lines(path.name, decode_text(path))
    header = _header(path.name, lines[0])
    rows = []
    for r in range(1, len(lines)):
        f = _fields(path.name, lines[r], r)
        _check_width(path.name, f, header, r)
        rows.append(f)
    return header, rows


def _bad_cell(name: str, cell: str, column: str, r: int):
    cell = cell.strip()
    if PLAIN_DECIMAL.match(cell):
        what = "is outside the float32 range"
    else:
        # JavaScript's Number() reads these as numbers, which is why the lab names them apart.
        js_number = re.match(r"^([+-]?Infinity|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)$", cell)
        finite = js_number and "Infinity" not in cell
        what = "is not a plain decimal number" if finite and cell != "" else "is not a number"
    sep = next((s for s in SEPARATORS if s in cell), None)
    hint = f" ({_separator_hint(sep)})" if sep else ""
    shown = cell[:37] + "..." if len(cell) > 40 else cell
    raise DataError(f'{name} row {r}, column {column}: "{shown}" {what}{hint}')


def read_numeric(path: Path, rows_expected: int) -> tuple[list[str], np.ndarray]:
    """A numeric table as float32 [rows, columns]: every cell a plain decimal within the float32 range. The
    row count is checked first, as the lab does, so a short file is named for that and not for a cell."""
    lines = _lines(path.name, decode_text(path))
    header = _header(path.name, lines[0])
    if len(lines) - 1 != rows_expected:
        raise DataError(f"{path.name} has {len(lines) - 1} rows but labels.csv has {rows_expected}")
    rows = []
    for r in range(1, len(lines)):
        f = _fields(path.name, lines[r], r)
        _check_width(path.name, f, header, r)
        rows.append(f)
    # One match per row on the fast path; the first bad cell is looked for only when a row fails.
    good = all(_PLAIN_ROW.match(",".join(f)) for f in rows)
    values = np.array(rows, dtype=np.float64).reshape(len(rows), len(header)) if good else None
    if values is None or not np.all(np.abs(values) <= F32_MAX):
        for r, f in enumerate(rows, start=1):
            for c, cell in enumerate(f):
                if not PLAIN_DECIMAL.match(cell) or not abs(float(cell)) <= F32_MAX:
                    _bad_cell(path.name, cell, header[c], r)
    return header, values.astype(np.float32)
