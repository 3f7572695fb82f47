//! The notebooks' self-checks: right answers pass, wrong ones fail, nothing panics.

use nnlib::exercise::{check, check_array, check_fn, check_value};
use nnlib::ndarray::array;

#[test]
fn check_value_accepts_close_and_rejects_far() {
    assert!(check_value("exact", 2.0, 2.0, 1e-12, "hint"));
    assert!(check_value("relative", 1e6 + 1e-4, 1e6, 1e-9, "hint"));
    assert!(!check_value("off", 2.1, 2.0, 1e-6, "hint"));
    assert!(!check_value("nan", f64::NAN, 2.0, 1e-6, "hint"));
}

#[test]
fn check_fn_finds_the_first_wrong_input() {
    assert!(check_fn("square", |x| x * x, |x| x.powi(2), &[-2.0, 0.5, 3.0], 1e-12, "hint"));
    // Right for x > 0 only, like a forgotten branch of ELU's derivative.
    assert!(!check_fn(
        "branch",
        |_| 1.0,
        |x: f64| if x > 0.0 { 1.0 } else { x.exp() },
        &[1.0, -1.0],
        1e-12,
        "h"
    ));
}

#[test]
fn check_array_compares_shapes_then_values() {
    let expected = array![[1.0, 2.0], [3.0, 4.0]];
    assert!(check_array("same", &expected.clone(), &expected, 1e-12, "hint"));
    assert!(!check_array("transposed", &expected.t().to_owned(), &expected, 1e-12, "hint"));
    assert!(!check_array("shape", &array![[1.0, 2.0, 3.0]], &expected, 1e-12, "hint"));
}

#[test]
fn check_reports_the_condition() {
    assert!(check("yes", true, "", "hint"));
    assert!(!check("no", false, "it was false", "hint"));
}
