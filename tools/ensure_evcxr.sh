#!/usr/bin/env bash
# Make sure evcxr_jupyter VERSION is installed under ROOT/bin (cargo install --root ROOT).
# usage: tools/ensure_evcxr.sh VERSION ROOT MIN_RUST
# Checks rustc >= MIN_RUST first. Installs only when `cargo install --list` does not
# already report evcxr_jupyter VERSION (the binary has no --version flag).
set -euo pipefail
version=$1 root=$2 min_rust=$3

die() { echo "error: $*" >&2; exit 1; }

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

echo "Installing evcxr_jupyter $version with cargo (rustc $rustc_version); this takes about 7 minutes on 2 cores..."
start=$SECONDS
cargo install --locked --root "$root" "evcxr_jupyter@$version"
echo "evcxr_jupyter $version installed in $((SECONDS - start)) s: $bin"
