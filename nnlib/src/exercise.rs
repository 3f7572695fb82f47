//! Self-checks for the notebooks' exercises.
//!
//! A check compares the learner's answer with nnlib's and prints one plain
//! line: `✅ correct: ...`, or `❌ not yet: ...` with how far off the answer is
//! and in which direction ("12 % too large", "about 3× too small", "has the
//! wrong sign"), then a hint. It never prints the expected value itself: the
//! point is to find it. A check never panics and never fails the notebook, so
//! an exercise that is still undone leaves the rest of the notebook running.
//! Each check also returns whether the answer was right.
//!
//! A check whose own settings cannot work (a tolerance that is NaN, negative
//! or infinite, which would reject or accept everything; no inputs to test a
//! function at) prints `❌ this check cannot work: ...` and returns false: it
//! never accepts an answer it has not checked.

use crate::numfmt::num;
use ndarray::{ArrayBase, Data, Dimension};

/// `got` is right: equal (this covers `inf == inf`), both NaN, or finite with
/// `|got - expected| <= tol · max(1, |expected|)`.
fn close(got: f64, expected: f64, tol: f64) -> bool {
    let both_finite = got.is_finite() && expected.is_finite();
    got == expected
        || (got.is_nan() && expected.is_nan())
        || (both_finite && (got - expected).abs() <= tol * expected.abs().max(1.0))
}

/// Why `tol` cannot work, if it cannot.
fn bad_tolerance(tol: f64) -> Option<String> {
    let why = if tol.is_nan() {
        "is NaN, so no answer could ever pass"
    } else if tol < 0.0 {
        "is negative, so even the exact answer would fail"
    } else if tol.is_infinite() {
        "is infinite, so every answer would pass"
    } else {
        return None;
    };
    Some(format!("its tolerance tol = {} {why}; use a small number such as 1e-9", num(tol)))
}

/// How `got` misses `expected`, without giving `expected` away.
fn how_far(got: f64, expected: f64) -> String {
    if !got.is_finite() {
        return format!(
            "your value is {got}, the answer is {}",
            if expected.is_finite() { "finite" } else { "not" }
        );
    }
    if !expected.is_finite() {
        return format!("your value is finite ({}), the answer is not", num(got));
    }
    if got == 0.0 || expected == 0.0 {
        return match (got == 0.0, got > expected) {
            (true, _) => "your value is 0, the answer is not".into(),
            (false, true) => "your value is too large (the answer is smaller)".into(),
            (false, false) => "your value is too small (the answer is larger)".into(),
        };
    }
    if got.signum() != expected.signum() {
        return "your value has the wrong sign".into();
    }
    let ratio = got / expected; // > 0
    if ratio >= 2.0 {
        format!("your value is about {}× too large", about(ratio))
    } else if ratio <= 0.5 {
        format!("your value is about {}× too small", about(1.0 / ratio))
    } else {
        let percent = (ratio - 1.0).abs() * 100.0;
        let size = if ratio > 1.0 { "large" } else { "small" };
        let percent = if percent >= 1.0 { format!("{percent:.0}") } else { num(percent) };
        format!("your value is {percent} % too {size}")
    }
}

/// A factor, roughly: `3`, `2.5`, `12`, `1.2e6`.
fn about(factor: f64) -> String {
    if factor < 10.0 {
        let s = format!("{factor:.1}");
        s.strip_suffix(".0").map_or(s.clone(), str::to_string)
    } else if factor < 1e5 {
        format!("{factor:.0}")
    } else {
        num(factor)
    }
}

fn report(name: &str, ok: bool, detail: &str, hint: &str) -> bool {
    if ok {
        println!("✅ correct: {name}");
    } else {
        println!("❌ not yet: {name}: {detail}\n   hint: {hint}");
    }
    ok
}

/// A check that cannot work; never a pass.
fn broken(name: &str, why: &str) -> bool {
    println!("❌ this check cannot work: {name}: {why}");
    false
}

/// Reports a condition the check cell has worked out itself; `detail` says
/// what happened when it is false.
pub fn check(name: &str, ok: bool, detail: &str, hint: &str) -> bool {
    report(name, ok, detail, hint)
}

/// Checks one number: right when `|got - expected| <= tol · max(1, |expected|)`,
/// or exactly equal (also for infinities and NaN).
pub fn check_value(name: &str, got: f64, expected: f64, tol: f64, hint: &str) -> bool {
    if let Some(why) = bad_tolerance(tol) {
        return broken(name, &why);
    }
    report(name, close(got, expected, tol), &how_far(got, expected), hint)
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
    if let Some(why) = bad_tolerance(tol) {
        return broken(name, &why);
    }
    if inputs.is_empty() {
        return broken(name, "it has no inputs to try the function at");
    }
    let miss = inputs.iter().map(|&x| (x, got(x), expected(x))).find(|&(_, g, e)| !close(g, e, tol));
    match miss {
        None => report(name, true, "", hint),
        Some((x, g, e)) => report(name, false, &format!("at x = {}: {}", num(x), how_far(g, e)), hint),
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
    if let Some(why) = bad_tolerance(tol) {
        return broken(name, &why);
    }
    if got.shape() != expected.shape() {
        let detail = format!("your array has shape {:?}, expected {:?}", got.shape(), expected.shape());
        return report(name, false, &detail, hint);
    }
    let misses: Vec<(usize, f64, f64)> = got
        .iter()
        .zip(expected.iter())
        .enumerate()
        .filter(|(_, (g, e))| !close(**g, **e, tol))
        .map(|(i, (&g, &e))| (i, g, e))
        .collect();
    match misses.first() {
        None => report(name, true, "", hint),
        Some(&(i, g, e)) => {
            let detail = format!(
                "{} of {} elements differ; element {i} (row-major): {}",
                misses.len(),
                got.len(),
                how_far(g, e)
            );
            report(name, false, &detail, hint)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_infinities_and_nans_are_right() {
        assert!(close(f64::INFINITY, f64::INFINITY, 1e-9));
        assert!(close(f64::NAN, f64::NAN, 1e-9));
        assert!(!close(f64::NEG_INFINITY, f64::INFINITY, 1e-9));
        assert!(!close(f64::NAN, 1.0, 1e-9));
    }

    #[test]
    fn a_tolerance_that_cannot_work_is_named() {
        assert!(bad_tolerance(f64::INFINITY).unwrap().contains("every answer would pass"));
        assert!(bad_tolerance(-1.0).unwrap().contains("negative"));
        assert!(bad_tolerance(f64::NAN).unwrap().contains("NaN"));
        assert!(bad_tolerance(0.0).is_none() && bad_tolerance(1e-9).is_none());
    }

    #[test]
    fn a_miss_says_how_far_and_which_way_but_not_the_answer() {
        let expected = 0.24234019514998872;
        for (got, says) in [
            (0.2714, "12 % too large"),
            (0.727, "about 3× too large"),
            (0.0808, "about 3× too small"),
            (-0.24, "wrong sign"),
            (0.0, "your value is 0"),
            (f64::NAN, "NaN"),
        ] {
            let message = how_far(got, expected);
            assert!(message.contains(says), "{got}: {message}");
            assert!(!message.contains("0.2423"), "gives the answer away: {message}");
        }
        assert!(how_far(0.3, 0.0).contains("too large"));
        assert!(how_far(1.0, f64::INFINITY).contains("the answer is not"));
    }
}
