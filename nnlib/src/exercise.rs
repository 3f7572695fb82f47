//! Self-checks for the notebooks' exercises.
//!
//! A check compares the learner's answer with nnlib's and prints one plain
//! line: `✅ correct: ...`, or `❌ not yet: ...` with where it differs and a
//! hint. It never panics and never fails the notebook, so an exercise that is
//! still undone leaves the rest of the notebook running. Each check also
//! returns whether the answer was right.

use ndarray::{ArrayBase, Data, Dimension};

/// Relative-or-absolute closeness: `|a - b| <= tol * max(1, |b|)`.
fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

fn report(name: &str, ok: bool, detail: &str, hint: &str) -> bool {
    if ok {
        println!("✅ correct: {name}");
    } else {
        println!("❌ not yet: {name}: {detail}\n   hint: {hint}");
    }
    ok
}

/// Reports a condition the check cell has worked out itself; `detail` says
/// what happened when it is false.
pub fn check(name: &str, ok: bool, detail: &str, hint: &str) -> bool {
    report(name, ok, detail, hint)
}

/// Checks one number.
pub fn check_value(name: &str, got: f64, expected: f64, tol: f64, hint: &str) -> bool {
    let ok = close(got, expected, tol);
    report(name, ok, &format!("you gave {got}, expected {expected}"), hint)
}

/// Checks a function of one number at every point of `inputs`.
pub fn check_fn(
    name: &str,
    got: impl Fn(f64) -> f64,
    expected: impl Fn(f64) -> f64,
    inputs: &[f64],
    tol: f64,
    hint: &str,
) -> bool {
    let miss = inputs.iter().map(|&x| (x, got(x), expected(x))).find(|&(_, g, e)| !close(g, e, tol));
    match miss {
        None => report(name, true, "", hint),
        Some((x, g, e)) => report(name, false, &format!("at x = {x} you gave {g}, expected {e}"), hint),
    }
}

/// Checks an array (any dimension) element by element, shapes first.
pub fn check_array<S: Data<Elem = f64>, T: Data<Elem = f64>, D: Dimension>(
    name: &str,
    got: &ArrayBase<S, D>,
    expected: &ArrayBase<T, D>,
    tol: f64,
    hint: &str,
) -> bool {
    if got.shape() != expected.shape() {
        let detail = format!("your array has shape {:?}, expected {:?}", got.shape(), expected.shape());
        return report(name, false, &detail, hint);
    }
    let miss = got.iter().zip(expected.iter()).enumerate().find(|(_, (g, e))| !close(**g, **e, tol));
    match miss {
        None => report(name, true, "", hint),
        Some((i, (g, e))) => {
            report(name, false, &format!("element {i} (row-major) is {g}, expected {e}"), hint)
        }
    }
}
