# Sourced by binder/postBuild (image build) and binder/start (container start),
# so both see the same environment. Not a repo2docker file itself.
#
# NN_EVCXR_DIR is where the Rust kernel builds (tools/evcxr_kernel.py: one slot
# per running kernel, plus evcxr's cache). postBuild compiles nnlib and its
# dependencies there once; start must point every kernel at the same folder, or
# each learner's first cell compiles everything again (minutes). It is:
# - kept in the image: not /tmp (Kubernetes may mount a fresh one over it);
# - not under the repository: in repo2docker the repository IS $HOME, and a
#   build folder below the workspace's Cargo.toml does not build;
# - beside the kernel: in the Python prefix where tools/kernelspec.py registers
#   it (repo2docker: /srv/conda/envs/notebook, owned by the user; the z2jh image:
#   /opt/venv). An NN_EVCXR_DIR set before (the Dockerfile's ENV) is kept.
# The launcher itself handles a build folder that shares a top-level folder with
# the toolchain (conda-forge's rustc in /srv/conda): it sets LD_LIBRARY_PATH.

if ! command -v python3 >/dev/null; then
  echo "binder/env.sh: error: no python3 on PATH (the Jupyter environment's Python)" >&2
  return 1
fi
: "${NN_EVCXR_DIR:=$(python3 -c 'import sys; print(sys.prefix)')/share/nn-workshop-evcxr}"
export NN_EVCXR_DIR
# evcxr_jupyter is cargo-installed into $CARGO_INSTALL_ROOT/bin, else $CARGO_HOME/bin (default ~/.cargo), as the Makefile finds it.
export NN_CARGO_ROOT="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}"
case ":$PATH:" in
  *":$NN_CARGO_ROOT/bin:"*) ;;
  *) export PATH="$NN_CARGO_ROOT/bin:$PATH" ;;
esac
# Jupyter must start the `rust` kernel registered in this Python's prefix over any user-wide one.
export JUPYTER_PREFER_ENV_PATH=1
