"""Puts python/ on the path, and prints the parity measurements at the end of the run.

What a test needs beyond torch (node and the lab's node_modules for the round trip, python3-jsonschema for
the schemas) is looked for with `needs`: on a developer machine a test without it is skipped with the
reason; under CI (CI=true, set by .ci/run) it fails instead, so nothing is skipped silently there.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

FIXTURE = ROOT / "tests" / "fixtures" / "parity" / "crmt-parity.json"

#: name → largest difference measured, filled by the tests through `record`.
MEASURED: dict[str, float] = {}


def record(name: str, value: float) -> None:
    MEASURED[name] = max(MEASURED.get(name, 0.0), float(value))


@pytest.fixture(scope="session")
def parity():
    if not FIXTURE.exists():
        pytest.fail(f"{FIXTURE} is missing: run UPDATE_PARITY_FIXTURE=1 npx vitest run tests/parity")
    return json.loads(FIXTURE.read_text())


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def needs(missing: str | None) -> None:
    """Skips (or under CI fails) the calling test when `missing` names something it needs."""
    if missing is None:
        return
    if IN_CI:
        pytest.fail(f"{missing} (CI=true: nothing may be skipped)")
    pytest.skip(missing)


def pytest_terminal_summary(terminalreporter):
    if MEASURED:
        terminalreporter.section("largest differences measured (Python engine vs. TypeScript engine / 1 process)")
        for k, v in sorted(MEASURED.items()):
            terminalreporter.write_line(f"{k:<55} {v:.3g}")
