//! Property tests for `data::Frame` over random CSV tables of numbers, text
//! and missing cells: nothing panics; classification's labels map back to the
//! original texts; drop_missing keeps exactly the complete rows, in order;
//! fill_missing_with_mean fills each column's mean; drop_columns leaves the
//! other columns as they were.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use nnlib::data::{self, Frame, MISSING};
use proptest::prelude::*;

/// A temporary CSV file, removed when dropped.
struct TempCsv(PathBuf);

impl TempCsv {
    fn new(contents: &str) -> TempCsv {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("nnlib-frame-prop-{}-{unique}.csv", std::process::id()));
        std::fs::write(&path, contents).expect("cannot write temp file");
        TempCsv(path)
    }
}

impl Drop for TempCsv {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A CSV file's text: header `c0,c1,...`, then the rows.
fn csv(n_columns: usize, rows: &[Vec<String>]) -> String {
    let header: Vec<String> = (0..n_columns).map(|c| format!("c{c}")).collect();
    let mut text = header.join(",") + "\n";
    for row in rows {
        let line = row.join(",");
        // A one-column row whose cell is empty would be a blank line, which CSV readers skip:
        // write the empty cell quoted (still a missing cell) so the row stays a row.
        text += &(if line.trim().is_empty() { "\"\"".to_string() } else { line } + "\n");
    }
    text
}

/// Finite numbers, from ordinary to the largest, written so that they read back exactly.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -1e3..1e3f64,
        1 => prop::sample::select(vec![0.0, -0.0, 1.0, 1e300, -1e300, f64::MAX, f64::MIN, 5e-324]),
        1 => any::<f64>().prop_filter("finite", |v| v.is_finite()),
    ]
}

/// A word that is text: letters only, and not a missing marker.
fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z]{1,5}".prop_filter("not a marker", |w| !MISSING.contains(&w.as_str()))
}

fn marker() -> impl Strategy<Value = String> {
    prop::sample::select(MISSING.to_vec()).prop_map(str::to_string)
}

/// Any cell: a number, a word, a marker, or any short text (commas and quotes included).
fn any_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => number().prop_map(|v| v.to_string()),
        2 => word(),
        2 => marker(),
        1 => "[ a-z0-9.,\"?/é\\-]{0,6}",
    ]
}

/// A number or (one time in four) a missing marker: `(cell, value)`.
fn number_or_missing() -> impl Strategy<Value = (String, Option<f64>)> {
    prop_oneof![
        3 => number().prop_map(|v| (v.to_string(), Some(v))),
        1 => marker().prop_map(|m| (m, None)),
    ]
}

/// A word or (one time in four) a missing marker.
fn word_or_missing() -> impl Strategy<Value = (String, Option<String>)> {
    prop_oneof![3 => word().prop_map(|w| (w.clone(), Some(w))), 1 => marker().prop_map(|m| (m, None))]
}

/// Rows of `n_numbers` numeric columns (with missing cells) and a last text column.
#[allow(clippy::type_complexity)]
fn numbers_and_label(
) -> impl Strategy<Value = (usize, Vec<(Vec<(String, Option<f64>)>, (String, Option<String>))>)> {
    (1..4usize).prop_flat_map(|n| {
        let row = (prop::collection::vec(number_or_missing(), n), word_or_missing());
        (Just(n), prop::collection::vec(row, 1..12))
    })
}

/// The Display's first rows, header first, as columns of cells (split at
/// spaces: the test's cells have none), by column name.
fn shown_columns(frame: &Frame) -> Vec<(String, Vec<String>)> {
    let shown = frame.to_string();
    let rows: Vec<Vec<&str>> =
        shown.lines().skip(1 + frame.columns().len() + 1).map(|l| l.split_whitespace().collect()).collect();
    let width = rows.first().map_or(0, Vec::len);
    (0..width)
        .map(|c| (rows[0][c].to_string(), rows[1..].iter().map(|r| r[c].to_string()).collect()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Random cells, line endings and a BOM: reading, looking and every call
    /// return a value or an error, never a panic; the numeric readers too.
    #[test]
    fn random_cells_never_panic(
        n_columns in 1..5usize,
        cells in prop::collection::vec(any_cell(), 0..30),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let rows: Vec<Vec<String>> = cells.chunks(n_columns).map(<[String]>::to_vec).collect();
        let mut text = csv(n_columns, &rows);
        if crlf { text = text.replace('\n', "\r\n"); }
        if bom { text.insert(0, '\u{feff}'); }
        let file = TempCsv::new(&text);
        let _ = data::read_csv(&file.0);
        let _ = data::load_regression(&file.0, "c0");
        let _ = data::load_classification(&file.0, "c0");
        if let Ok(frame) = Frame::read_csv(&file.0) {
            let _ = frame.to_string();
            let _ = frame.missing();
            for f in [frame.clone(), frame.drop_missing()] {
                let _ = f.fill_missing_with_mean();
                let _ = f.drop_columns(&["c0"]);
                let _ = f.drop_columns(&["nope"]);
                for name in f.columns() {
                    let _ = f.classification(name);
                    let _ = f.regression(name);
                }
            }
        }
    }

    /// classification's labels index the sorted, distinct classes, and
    /// `classes[label[i]]` is row i's text exactly; the features are the
    /// numbers exactly; drop_missing kept exactly the complete rows, in order.
    #[test]
    fn drop_missing_then_classification_keeps_complete_rows_and_names(table in numbers_and_label()) {
        let (n, rows) = table;
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|(numbers, label)| numbers.iter().map(|(c, _)| c.clone()).chain([label.0.clone()]).collect())
            .collect();
        let file = TempCsv::new(&csv(n + 1, &cells));
        let frame = Frame::read_csv(&file.0).unwrap();
        let complete: Vec<(Vec<f64>, String)> = rows
            .iter()
            .filter_map(|(numbers, label)| {
                let values: Option<Vec<f64>> = numbers.iter().map(|(_, v)| *v).collect();
                Some((values?, label.1.clone()?))
            })
            .collect();
        let dropped = frame.drop_missing();
        prop_assert!(dropped.missing().is_empty());
        prop_assert_eq!(dropped.n_rows(), complete.len());
        let target = format!("c{n}");
        match dropped.classification(&target) {
            Err(nnlib::Error::Empty(_)) => prop_assert!(complete.is_empty()),
            Err(e) => prop_assert!(false, "unexpected error {e}"),
            Ok(labelled) => {
                let classes = &labelled.classes;
                prop_assert!(classes.windows(2).all(|w| w[0] < w[1]), "sorted and distinct: {classes:?}");
                for (i, (values, text)) in complete.iter().enumerate() {
                    let label = labelled.dataset.targets[i];
                    prop_assert_eq!(labelled.class_name(label), Some(text.as_str()));
                    prop_assert_eq!(labelled.dataset.records.row(i).to_vec(), values.clone());
                }
                prop_assert!(classes.iter().all(|c| complete.iter().any(|(_, t)| t == c)));
            }
        }
    }

    /// Each missing number becomes its column's mean of the present numbers;
    /// present numbers stay; a column with no numbers is an error.
    #[test]
    fn fill_missing_with_mean_fills_each_columns_mean(table in numbers_and_label()) {
        let (n, rows) = table;
        let cells: Vec<Vec<String>> =
            rows.iter().map(|(numbers, _)| numbers.iter().map(|(c, _)| c.clone()).chain(["1".into()]).collect()).collect();
        let file = TempCsv::new(&csv(n + 1, &cells));
        let frame = Frame::read_csv(&file.0).unwrap();
        let columns: Vec<Vec<Option<f64>>> = (0..n).map(|c| rows.iter().map(|(v, _)| v[c].1).collect()).collect();
        let Ok(filled) = frame.fill_missing_with_mean() else {
            prop_assert!(columns.iter().any(|c| c.iter().all(Option::is_none)), "only an empty column fails");
            return Ok(());
        };
        prop_assert!(filled.missing().is_empty());
        let records = filled.regression(&format!("c{n}")).unwrap().records;
        for (c, column) in columns.iter().enumerate() {
            let present: Vec<f64> = column.iter().flatten().copied().collect();
            let largest = present.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let mean = present.iter().map(|v| v / present.len() as f64).sum::<f64>();
            for (r, cell) in column.iter().enumerate() {
                let got = records[[r, c]];
                match cell {
                    Some(v) => prop_assert_eq!(got, *v),
                    None => prop_assert!((got - mean).abs() <= 1e-12 * largest, "{got} vs mean {mean}"),
                }
            }
        }
    }

    /// drop_columns keeps the other columns in order, with their kinds, missing
    /// counts, summaries and cells unchanged; an unknown name is an error.
    #[test]
    fn drop_columns_keeps_the_other_columns_unchanged(
        n_columns in 1..6usize,
        cells in prop::collection::vec(prop_oneof![number().prop_map(|v| v.to_string()), word(), marker()], 1..30),
        drop in prop::collection::vec(any::<bool>(), 6),
    ) {
        let rows: Vec<Vec<String>> =
            cells.chunks(n_columns).filter(|r| r.len() == n_columns).map(<[String]>::to_vec).collect();
        prop_assume!(!rows.is_empty());
        let file = TempCsv::new(&csv(n_columns, &rows));
        let frame = Frame::read_csv(&file.0).unwrap();
        let names: Vec<&str> = frame.columns().iter().map(String::as_str).collect();
        let dropped_names: Vec<&str> = names.iter().zip(&drop).filter(|(_, &d)| d).map(|(n, _)| *n).collect();
        let kept: Vec<usize> = (0..n_columns).filter(|&c| !drop[c]).collect();
        let result = frame.drop_columns(&dropped_names).unwrap();
        let kept_names: Vec<&str> = kept.iter().map(|&c| names[c]).collect();
        prop_assert_eq!(result.columns(), kept_names.as_slice());
        prop_assert_eq!(result.n_rows(), frame.n_rows());
        let missing: Vec<(String, usize)> =
            frame.missing().into_iter().filter(|(name, _)| kept_names.contains(&name.as_str())).collect();
        prop_assert_eq!(result.missing(), missing);
        // Names of one length (c0..c5): each column's summary line reads the same.
        let (before, after) = (frame.to_string(), result.to_string());
        let summary = |shown: &str, c: usize| shown.lines().nth(1 + c).unwrap_or("").to_string();
        for (i, &c) in kept.iter().enumerate() {
            prop_assert_eq!(summary(&after, i), summary(&before, c));
        }
        // The cells of the first rows, column by column: every kept column the
        // frame showed is shown again (the rows show the columns that fit in a line).
        let (old, new) = (shown_columns(&frame), shown_columns(&result));
        let old_kept: Vec<_> = old.iter().filter(|(name, _)| kept_names.contains(&name.as_str())).collect();
        prop_assert!(new.len() >= old_kept.len());
        for ((name, cells), (old_name, old_cells)) in new.iter().zip(old_kept) {
            prop_assert_eq!((name, cells), (old_name, old_cells));
        }
        prop_assert!(frame.drop_columns(&["c9"]).is_err());
    }
}
