//! The size guard: a buffer that would not fit is an error, not an abort.
//!
//! Rust aborts the whole process when an allocation fails ("memory allocation
//! of N bytes failed"), and in a notebook that kills the kernel with every
//! variable in it. A typo is enough: `Network::new(&[784, 1_000_000_000, 10], ..)`
//! asks for 6.3 TB. So every constructor that allocates from a size the user
//! gives (layers, batches, one-hot labels, generated data sets) first works
//! out the bytes with checked arithmetic and compares them with [`limit`]:
//!
//! `limit = min(MemAvailable, cgroup memory.max - memory.current, ulimit -v - VmSize)`,
//!
//! each term where the system reports it (Linux), and [`FALLBACK_LIMIT`]
//! (16 GB) where none does. MemAvailable is what can be allocated now
//! without swapping; a container's cgroup limit and `ulimit -v` are tighter
//! when they are set (a hosted notebook often runs in such a container), and a
//! process that asks for more than them is killed or aborted. Requests below
//! [`SMALL`] are never checked, so ordinary calls do not read `/proc`.

use crate::error::{Error, Result};

/// Where the system reports no limit (macOS, Windows): 16 GB, a laptop's memory.
pub(crate) const FALLBACK_LIMIT: u64 = 16_000_000_000;

/// Requests up to 64 MiB are not checked (they always fit on a machine that
/// runs a notebook, and checking reads files under `/proc`).
pub(crate) const SMALL: u128 = 1 << 26;

/// The bytes one request may use now (see the module docs).
pub(crate) fn limit() -> u64 {
    let terms = [mem_available(), cgroup_room(), ulimit_room()];
    terms.into_iter().flatten().min().unwrap_or(FALLBACK_LIMIT)
}

/// Bytes of `f64` buffers with these dimensions, saturating at `u128::MAX`.
pub(crate) fn f64_bytes(dims: &[usize]) -> u128 {
    dims.iter().fold(8u128, |b, &d| b.saturating_mul(d as u128))
}

/// Bytes training allocates beside the weights, for batches of `rows` samples:
/// the gradients and the optimizer's two moments (3 copies of the `n_params`
/// parameters), and for a batch its trace (`row_values` per row: every `a` and
/// `z`) and its gradients (as many again: every `dC/da` and `delta`).
/// The one estimate both [`crate::Network::train`] and the linfa models check.
pub(crate) fn training_bytes(n_params: usize, row_values: u128, rows: usize) -> u128 {
    let batch = (rows as u128).saturating_mul(row_values).saturating_mul(2);
    f64_bytes(&[n_params, 3]).saturating_add(batch.saturating_mul(8))
}

/// Errors with [`Error::TooLarge`] when `bytes` exceed [`limit`]; `what`
/// names the buffer (built only on failure).
pub(crate) fn check(bytes: u128, what: impl FnOnce() -> String) -> Result<()> {
    if bytes <= SMALL {
        return Ok(());
    }
    let limit = limit();
    if bytes <= u128::from(limit) {
        Ok(())
    } else {
        Err(Error::TooLarge { what: what(), bytes, limit })
    }
}

/// Reads a `/proc` or `/sys` file; `None` off Linux or in a sandbox.
fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// The value in kB of a `Name:   123 kB` line, in bytes.
fn kb_field(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    let kb: u64 = line[name.len()..].trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb.saturating_mul(1024))
}

fn mem_available() -> Option<u64> {
    kb_field(&read("/proc/meminfo")?, "MemAvailable:")
}

/// cgroup v2: `memory.max` ("max" when unlimited) minus `memory.current`.
fn cgroup_room() -> Option<u64> {
    let max: u64 = read("/sys/fs/cgroup/memory.max")?.trim().parse().ok()?;
    let current: u64 = read("/sys/fs/cgroup/memory.current")?.trim().parse().ok()?;
    Some(max.saturating_sub(current))
}

/// `ulimit -v` (the soft address-space limit, "unlimited" when unset) minus
/// the address space already in use.
fn ulimit_room() -> Option<u64> {
    let limits = read("/proc/self/limits")?;
    let line = limits.lines().find(|l| l.starts_with("Max address space"))?;
    let soft: u64 = line["Max address space".len()..].split_whitespace().next()?.parse().ok()?;
    let used = kb_field(&read("/proc/self/status")?, "VmSize:")?;
    Some(soft.saturating_sub(used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_saturate_instead_of_wrapping() {
        assert_eq!(f64_bytes(&[3, 4]), 96);
        assert_eq!(f64_bytes(&[]), 8);
        assert_eq!(f64_bytes(&[usize::MAX, usize::MAX, usize::MAX]), u128::MAX);
    }

    #[test]
    fn small_requests_pass_and_impossible_ones_fail() {
        assert!(check(SMALL, || unreachable!("not built for a small request")).is_ok());
        let err = check(u128::MAX, || "everything".into()).unwrap_err();
        assert!(matches!(err, Error::TooLarge { bytes: u128::MAX, .. }), "{err:?}");
        assert!(limit() > 0);
    }

    #[test]
    fn proc_fields_are_read_in_bytes() {
        let meminfo = "MemTotal:       24000000 kB\nMemAvailable:   20000000 kB\n";
        assert_eq!(kb_field(meminfo, "MemAvailable:"), Some(20_000_000 * 1024));
        assert_eq!(kb_field(meminfo, "SwapTotal:"), None);
    }
}
