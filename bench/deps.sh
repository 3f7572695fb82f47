#!/usr/bin/env bash
# What `make bench-deps` does: the optional PyTorch column of the benchmarks.
#
# Installs bench/requirements-torch.txt into the benchmarks' venv (default
# target/bench-venv, created with numpy if missing). PyPI's Linux wheel of
# torch is the CUDA build: expect ~3 GB of downloads (nvidia-* packages) of
# which the benchmarks use none, as they run on the CPU. Without it,
# bench/run.sh skips PyTorch with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${BENCH_VENV:-target/bench-venv}
bash bench/venv.sh
if "$VENV/bin/python" -c 'import torch' 2>/dev/null \
    && cmp -s bench/requirements-torch.txt "$VENV/.requirements-torch.stamp"; then
    echo "bench: torch $("$VENV/bin/python" -c 'import torch; print(torch.__version__)') already in $VENV"
    exit 0
fi
echo "bench: pip install -r bench/requirements-torch.txt into $VENV (large download)"
"$VENV/bin/python" -m pip install --disable-pip-version-check -q -r bench/requirements-torch.txt
cp bench/requirements-torch.txt "$VENV/.requirements-torch.stamp"
"$VENV/bin/python" -c 'import torch; print("bench: torch", torch.__version__, "installed; CPU threads:", torch.get_num_threads())'
