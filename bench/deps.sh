#!/usr/bin/env bash
# What `make bench-deps` does: the benchmarks' optional Python packages.
#
#   bash bench/deps.sh            # both
#   bash bench/deps.sh torch      # PyTorch, the third column of `make bench`
#   bash bench/deps.sh sklearn    # scikit-learn, for bench/mlp_defaults/run.sh (`make bench-mlp`)
#
# Installs bench/requirements-NAME.txt into the benchmarks' venv (default
# target/bench-venv, created with numpy if missing), only when that file
# changed. PyPI's Linux wheel of torch is the CUDA build: expect ~3 GB of
# downloads (nvidia-* packages) of which the benchmarks use none, as they run
# on the CPU. Without it, bench/run.sh skips PyTorch with a note.
# scikit-learn (with scipy) is ~50 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${BENCH_VENV:-target/bench-venv}
bash bench/venv.sh
install() { # NAME MODULE
    local req="bench/requirements-$1.txt" stamp="$VENV/.requirements-$1.stamp"
    if "$VENV/bin/python" -c "import $2" 2>/dev/null && cmp -s "$req" "$stamp"; then
        echo "bench: $1 $("$VENV/bin/python" -c "import $2; print($2.__version__)") already in $VENV"
        return
    fi
    echo "bench: pip install -r $req into $VENV"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$req"
    cp "$req" "$stamp"
    echo "bench: $1 $("$VENV/bin/python" -c "import $2; print($2.__version__)") installed"
}
[ $# -gt 0 ] || set -- torch sklearn
for name in "$@"; do
    case $name in
        torch) install torch torch
               "$VENV/bin/python" -c 'import torch; print("bench: torch CPU threads:", torch.get_num_threads())' ;;
        sklearn) install sklearn sklearn ;;
        *) echo "bench/deps.sh: unknown package set '$name' (torch or sklearn)" >&2; exit 2 ;;
    esac
done
