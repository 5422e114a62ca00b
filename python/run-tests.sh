#!/usr/bin/env bash
# `npm run test:python` (part of `npm test`): the Python engine's tests, python/tests, with pytest.
# They need PyTorch, NumPy, pytest and jsonschema for $PYTHON (default /usr/bin/python3; on Debian:
# apt-get install python3-torch python3-numpy python3-pytest python3-jsonschema). Without them a
# developer machine skips the tests with a message; under CI (CI=true, as .ci/run sets it) that is
# a failure, and so is any test that would be skipped for something missing.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-/usr/bin/python3}"
case "${CI:-}" in true | 1 | yes) ci=1 ;; *) ci=0 ;; esac

if ! missing=$("$PYTHON" -c 'import torch, numpy, pytest' 2>&1); then
  reason="$PYTHON cannot import torch, numpy and pytest (${missing##*$'\n'})"
  if [ "$ci" = 1 ]; then
    echo "test:python: FAILED: $reason; CI=true, so the Python tests may not be skipped" >&2
    exit 1
  fi
  echo "test:python: SKIPPED all Python engine tests: $reason." >&2
  echo "test:python: install python3-torch python3-numpy python3-pytest python3-jsonschema to run them." >&2
  exit 0
fi
exec "$PYTHON" -m pytest python/tests -q -p no:cacheprovider "$@"
