//! Numbers, byte counts and shapes as short text, for error messages and
//! plot labels. Full precision stays in an error's fields; a message only has
//! to be read.

/// A number, short: 4 significant digits in `[0.001, 100000)`
/// (`152.1`, `0.0624`), else 2 in scientific notation (`8.6e4`, `1e308`).
pub(crate) fn num(x: f64) -> String {
    let a = x.abs();
    if x == 0.0 || !x.is_finite() {
        format!("{x}")
    } else if (1e-3..1e5).contains(&a) {
        let decimals = (3 - a.log10().floor() as i32).max(0) as usize;
        trim_zeros(format!("{x:.decimals$}"))
    } else {
        let s = format!("{x:.1e}"); // "8.6e4", "1.0e308"
        s.replace(".0e", "e")
    }
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Bytes in decimal units: `6.3 TB`.
pub(crate) fn bytes(bytes: u128) -> String {
    let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < units.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{} {}", num(value), units[unit])
}

/// A shape as `(rows, cols)`.
pub(crate) fn shape(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("({})", parts.join(", "))
}

/// `a` or `an` before a word, for messages such as "an identity output layer".
pub(crate) fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
}
