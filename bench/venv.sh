#!/usr/bin/env bash
# Creates the benchmarks' own venv (default target/bench-venv) and installs
# bench/requirements.txt into it, only when that file changed. Prints nothing
# when there is nothing to do. Used by run.sh and deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${BENCH_VENV:-target/bench-venv}
PYTHON=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
    echo "bench: creating $VENV with $(command -v "$PYTHON") ($("$PYTHON" --version 2>&1))"
    "$PYTHON" -m venv "$VENV" || {
        echo "error: '$PYTHON -m venv' failed (Debian/Ubuntu: apt-get install python3-venv)" >&2
        exit 1
    }
fi
if ! cmp -s bench/requirements.txt "$VENV/.requirements.stamp"; then
    echo "bench: pip install -r bench/requirements.txt into $VENV"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r bench/requirements.txt
    cp bench/requirements.txt "$VENV/.requirements.stamp"
fi
