#!/usr/bin/env bash
# Make sure evcxr_jupyter VERSION is installed under ROOT/bin (cargo install --root ROOT).
# usage: tools/ensure_evcxr.sh VERSION ROOT MIN_RUST
# Checks rustc >= MIN_RUST first. Installs only when `cargo install --list` does not
# already report evcxr_jupyter VERSION (the binary has no --version flag).
set -euo pipefail
version=$1 root=$2 min_rust=$3

die() { echo "error: $*" >&2; exit 1; }

# `make kernel` runs this under `make -j2`, whose MAKEFLAGS name a jobserver this script is not
# given: rustc and cargo would warn "failed to connect to jobserver". cargo has its own -j.
unset MAKEFLAGS MFLAGS

command -v rustc >/dev/null && command -v cargo >/dev/null ||
  die "rustc/cargo not found on PATH. Install Rust >= $min_rust (https://rustup.rs), or \`source ~/.cargo/env\`."

rustc_version=$(rustc --version | awk '{print $2}')   # e.g. 1.95.0 or 1.96.0-nightly
version_ge() {  # version_ge A B: A >= B, comparing major.minor.patch numerically
  local IFS=.
  local -a a=(${1%%-*}) b=($2)
  for i in 0 1 2; do
    (( ${a[i]:-0} > ${b[i]:-0} )) && return 0
    (( ${a[i]:-0} < ${b[i]:-0} )) && return 1
  done
  return 0
}
version_ge "$rustc_version" "$min_rust" ||
  die "rustc $rustc_version is too old: evcxr_jupyter $version needs Rust >= $min_rust. Run \`rustup update stable\`."

# The standard library's sources: evcxr's rust-analyzer reads them to infer a variable's
# type, and the room (hub/room.py) vendors their crates. rustup ships them as rust-src.
sysroot=$(rustc --print sysroot)
if [[ ! -f $sysroot/lib/rustlib/src/rust/library/Cargo.toml ]]; then
  if command -v rustup >/dev/null; then
    echo "Adding the rust-src component (the standard library's sources, for evcxr's type inference)..."
    rustup component add rust-src || echo "warning: 'rustup component add rust-src' failed: evcxr cannot infer some variables' types, and make hub needs it" >&2
  else
    echo "warning: $sysroot has no rust-src (the standard library's sources): evcxr cannot infer some variables' types; install your Rust's rust-src" >&2
  fi
fi

bin="$root/bin/evcxr_jupyter"
# Not `cargo install --list | grep -q`: under pipefail, grep -q exiting at the
# first match can kill cargo with SIGPIPE, and the pipeline then fails (141).
installed=$(cargo install --list --root "$root" 2>/dev/null || true)
if [[ -x $bin ]] && grep -qx "evcxr_jupyter v$version:" <<<"$installed"; then
  echo "evcxr_jupyter $version is installed: $bin (rustc $rustc_version)"
  exit 0
fi

# The kernel's build profile. cargo reads CARGO_PROFILE_RELEASE_* from the environment and
# `--config` from the command line; evcxr_jupyter's published Cargo.toml sets no profile. Measured
# on a quiet 2-core machine (bench/README.md, "Installing the kernel"): cargo's release default,
# opt-level 3, compiles in 539 s; opt-level 1 in 458 s (trivial cells as fast, a kernel starts
# ~2.5 s later, a notebook costs ~11 % more CPU: a room's server is better off at 3, hub/README.md);
# and opt-level 0 for the three rust-analyzer crates evcxr never runs (assists, diagnostics,
# structural search: ra_ap_ide needs them to link, evcxr asks it only for types and completions)
# in 405 s, cells as at 1. Not opt-level 0 for everything (142 s): rust-analyzer is then 3-9x
# slower, a minute to start a kernel.
# A learner's own CARGO_PROFILE_RELEASE_OPT_LEVEL wins.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=${CARGO_PROFILE_RELEASE_OPT_LEVEL:-1}
unused=(ra_ap_ide_assists ra_ap_ide_diagnostics ra_ap_ide_ssr)

log=${EVCXR_INSTALL_LOG:-${TMPDIR:-/tmp}/evcxr_jupyter-$version-install.log}
echo "Installing evcxr_jupyter $version with cargo (rustc $rustc_version, opt-level $CARGO_PROFILE_RELEASE_OPT_LEVEL):"
echo "  about 7 minutes on 2 cores (measured: 6 min 45 s), less with more; a line every 30 s says how far it is (cargo's output: $log)"
start=$SECONDS
command=(cargo install --locked --root "$root")
for crate in "${unused[@]}"; do command+=(--config "profile.release.package.$crate.opt-level=0"); done
command+=("evcxr_jupyter@$version")
if command -v "${PYTHON:-python3}" >/dev/null; then
  "${PYTHON:-python3}" "$(dirname "$0")/install_progress.py" "$log" -- "${command[@]}"
else
  "${command[@]}"
fi
echo "evcxr_jupyter $version installed in $((SECONDS - start)) s: $bin"
