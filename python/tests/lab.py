"""Running the TypeScript lab from the tests: `npm run experiment` and the scripts under tests/parity."""

from __future__ import annotations

import json
import shutil
import subprocess

from conftest import ROOT, needs

TSX = ROOT / "node_modules" / ".bin" / "tsx"


def need_the_lab() -> None:
    """Skips (fails under CI) when node or the lab's node_modules are missing."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        needs("node/npm are not installed: the TypeScript lab cannot be run")
    elif not TSX.exists():
        needs(f"{TSX} is missing: run npm ci first")


def lab_experiment(*args: str) -> subprocess.CompletedProcess:
    """`npm run experiment -- …`; the caller checks the exit status."""
    need_the_lab()
    return subprocess.run(
        ["npm", "run", "--silent", "experiment", "--", *args], cwd=ROOT, capture_output=True, text=True, timeout=180
    )


def lab_read_folders(seed: int, folders) -> dict[str, dict]:
    """Each folder as the lab's CLI reads it (tests/parity/readFolders.ts), by path."""
    need_the_lab()
    done = subprocess.run(
        [str(TSX), "tests/parity/readFolders.ts", str(seed), *map(str, folders)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return {r["dir"]: r for r in map(json.loads, done.stdout.splitlines())}


def lab_summary(result_file) -> str:
    """The lab's terminal summary of a result file (src/cli/summary.ts, via tests/parity/formatSummary.ts)."""
    need_the_lab()
    done = subprocess.run(
        [str(TSX), "tests/parity/formatSummary.ts", str(result_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.rstrip("\n")


def lab_parse_values(cases: list) -> list[dict]:
    """Values read through the lab's parameter table (tests/parity/parseValues.ts): [path, "text" | "json", v]."""
    need_the_lab()
    done = subprocess.run(
        [str(TSX), "tests/parity/parseValues.ts", json.dumps(cases)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)
