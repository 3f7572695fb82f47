//! Tests for `nnlib::data`: the bundled files, the CSV reader's error
//! reporting, standardisation, the train/test split and the generators.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use nnlib::data::{self, synthetic, Standardizer};
use nnlib::ndarray::{array, Array1, Array2, Axis};
use nnlib::Error;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A file in the temp directory with a name unique to this process and test,
/// removed again when the test ends (even when it fails).
struct TempCsv(PathBuf);

impl TempCsv {
    fn new(name: &str, contents: &str) -> TempCsv {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("nnlib-data-test-{}-{unique}-{name}.csv", std::process::id()));
        std::fs::write(&path, contents).expect("cannot write temp file");
        TempCsv(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempCsv {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Unpacks an `Error::Csv`, checking it names the right file.
fn csv_error(result: nnlib::Result<impl std::fmt::Debug>, file: &TempCsv) -> (usize, usize, String) {
    match result {
        Err(Error::Csv { path, line, column, message }) => {
            assert_eq!(path, file.path());
            (line, column, message)
        }
        other => panic!("expected Error::Csv, got {other:?}"),
    }
}

fn assert_close(actual: f64, expected: f64, tolerance: f64) {
    assert!((actual - expected).abs() <= tolerance, "expected {expected} ± {tolerance}, got {actual}");
}

const DIABETES_FEATURES: [&str; 10] = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"];

// ---------------------------------------------------------------------------
// The bundled data sets
// ---------------------------------------------------------------------------

#[test]
fn data_dir_holds_the_bundled_files() {
    let dir = data::data_dir();
    assert!(dir.join("diabetes.csv").is_file(), "{}", dir.display());
    assert!(dir.join("breast_cancer.csv").is_file(), "{}", dir.display());
    assert!(dir.join("README.md").is_file(), "{}", dir.display());
}

#[test]
fn diabetes_has_442_rows_10_named_features_and_progression_target() {
    let d = data::diabetes().unwrap();
    assert_eq!(d.records.dim(), (442, 10));
    assert_eq!(d.targets.len(), 442);
    assert_eq!(d.feature_names(), DIABETES_FEATURES);
    assert_eq!(d.target_names(), ["progression"]);
}

#[test]
fn diabetes_values_match_the_source() {
    let d = data::diabetes().unwrap();
    // First line of diabetes_data_raw: 59 2 32.1 101.0 157 93.2 38.0 4.0 4.8598 87; target 151.
    let first = array![59.0, 2.0, 32.1, 101.0, 157.0, 93.2, 38.0, 4.0, 4.8598, 87.0];
    assert_eq!(d.records.row(0), first);
    assert_eq!(d.targets[0], 151.0);
    // Last line: 36 1 19.6 71.0 250 133.2 97.0 3.0 4.5951 92; target 57.
    let last = array![36.0, 1.0, 19.6, 71.0, 250.0, 133.2, 97.0, 3.0, 4.5951, 92.0];
    assert_eq!(d.records.row(441), last);
    assert_eq!(d.targets[441], 57.0);
    assert_close(d.targets.mean().unwrap(), 152.133484, 1e-6);
    // The raw (unscaled) values, not scikit-learn's scaled copy.
    let age = d.records.column(0);
    assert_eq!(age.fold(f64::INFINITY, |a, &b| a.min(b)), 19.0);
    assert_eq!(age.fold(f64::NEG_INFINITY, |a, &b| a.max(b)), 79.0);
}

#[test]
fn breast_cancer_has_569_rows_30_named_features_and_212_malignant() {
    let d = data::breast_cancer().unwrap();
    assert_eq!(d.records.dim(), (569, 30));
    assert_eq!(d.targets.len(), 569);
    let names = d.feature_names();
    assert_eq!(names.len(), 30);
    assert_eq!(names[0], "mean_radius");
    assert_eq!(names[7], "mean_concave_points");
    assert_eq!(names[10], "radius_se");
    assert_eq!(names[20], "worst_radius");
    assert_eq!(names[29], "worst_fractal_dimension");
    assert_eq!(d.target_names(), ["target"]);

    let malignant = d.targets.iter().filter(|&&label| label == 0).count();
    let benign = d.targets.iter().filter(|&&label| label == 1).count();
    assert_eq!((malignant, benign), (212, 357));
    assert_eq!(data::BREAST_CANCER_CLASSES[0], "malignant");
}

#[test]
fn breast_cancer_first_row_matches_the_source() {
    let d = data::breast_cancer().unwrap();
    let row = d.records.row(0);
    assert_eq!(row[0], 17.99); // mean radius
    assert_eq!(row[1], 10.38); // mean texture
    assert_eq!(row[3], 1001.0); // mean area
    assert_eq!(row[14], 0.006399); // smoothness SE
    assert_eq!(row[29], 0.1189); // worst fractal dimension
    assert_eq!(d.targets[0], 0); // malignant
    assert_eq!(*d.targets.last().unwrap(), 1); // the last sample is benign
}

#[test]
fn read_csv_keeps_the_target_column_in_the_table() {
    let table = data::read_csv(data::data_dir().join("diabetes.csv")).unwrap();
    assert_eq!(table.header.len(), 11);
    assert_eq!(table.header[10], "progression");
    assert_eq!(table.values.dim(), (442, 11));
    assert_eq!(table.values[[0, 10]], 151.0);
}

// ---------------------------------------------------------------------------
// CSV reader: what it tolerates
// ---------------------------------------------------------------------------

#[test]
fn reader_tolerates_crlf_spaces_blank_lines_and_bom() {
    let file = TempCsv::new("tolerant", "\u{feff} a , b ,c\r\n1, 2.5 ,-3\r\n\r\n  4e2,5,6  \r\n\n");
    let table = data::read_csv(file.path()).unwrap();
    assert_eq!(table.header, ["a", "b", "c"]);
    assert_eq!(table.values, array![[1.0, 2.5, -3.0], [400.0, 5.0, 6.0]]);
}

#[test]
fn regression_loader_uses_any_column_as_target() {
    let file = TempCsv::new("regression", "x1,y,x2\n1,10,2\n3,30,4\n");
    let d = data::load_regression(file.path(), "y").unwrap();
    assert_eq!(d.records, array![[1.0, 2.0], [3.0, 4.0]]);
    assert_eq!(d.targets, array![10.0, 30.0]);
    assert_eq!(d.feature_names(), ["x1", "x2"]);
}

#[test]
fn classification_loader_accepts_whole_number_labels() {
    let file = TempCsv::new("labels", "label,x\n0,1.5\n2.0,2.5\n1,3.5\n");
    let d = data::load_classification(file.path(), "label").unwrap();
    assert_eq!(d.targets, array![0usize, 2, 1]);
    assert_eq!(d.records, array![[1.5], [2.5], [3.5]]);
    assert_eq!(d.feature_names(), ["x"]);
}

// ---------------------------------------------------------------------------
// CSV reader: every error case
// ---------------------------------------------------------------------------

#[test]
fn missing_file_is_an_io_error_naming_the_path() {
    let path =
        std::env::temp_dir().join(format!("nnlib-data-test-{}-does-not-exist.csv", std::process::id()));
    match data::read_csv(&path) {
        Err(Error::Io { path: reported, source }) => {
            assert_eq!(reported, path);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected Error::Io, got {other:?}"),
    }
    assert!(matches!(data::load_regression(&path, "y"), Err(Error::Io { .. })));
}

#[test]
fn short_row_reports_line_and_first_missing_column() {
    let file = TempCsv::new("short", "a,b,c\n1,2,3\n4,5\n");
    let (line, column, message) = csv_error(data::read_csv(file.path()), &file);
    assert_eq!((line, column), (3, 3));
    assert_eq!(message, "expected 3 fields (as in the header), found 2");
}

#[test]
fn long_row_reports_line_and_first_extra_column() {
    let file = TempCsv::new("long", "a,b\n1,2\n3,4\n5,6,7,8\n");
    let (line, column, message) = csv_error(data::read_csv(file.path()), &file);
    assert_eq!((line, column), (4, 3));
    assert_eq!(message, "expected 2 fields (as in the header), found 4");
}

#[test]
fn non_numeric_cell_is_quoted_with_its_column_name() {
    let file = TempCsv::new("text", "age,sex,bmi\n1,2,3\n4,5, abc \n");
    let result = data::read_csv(file.path());
    let (line, column, message) = csv_error(result, &file);
    assert_eq!((line, column), (3, 3));
    let expected = r#"cell "abc" in column "bmi" is not a number; data::Frame::read_csv(path) reads files with text columns"#;
    assert_eq!(message, expected);
    // The Display form is "path:line:column: message", as compilers print it.
    let shown = data::read_csv(file.path()).unwrap_err().to_string();
    assert_eq!(shown, format!("{}:3:3: {expected}", file.path().display()));
}

#[test]
fn empty_cell_is_an_error() {
    let file = TempCsv::new("empty-cell", "a,b\n1,\n");
    let (line, column, message) = csv_error(data::read_csv(file.path()), &file);
    assert_eq!((line, column), (2, 2));
    assert!(message.starts_with(r#"cell "" in column "b" is empty"#), "{message}");
}

#[test]
fn nan_and_infinite_cells_are_errors() {
    for (name, cell) in [("nan", "NaN"), ("inf", "inf"), ("overflow", "1e999")] {
        let file = TempCsv::new(name, &format!("a,b\n1,2\n3,4\n{cell},5\n"));
        let (line, column, message) = csv_error(data::read_csv(file.path()), &file);
        assert_eq!((line, column), (4, 1), "{cell}");
        assert!(
            message.starts_with(&format!(r#"cell "{cell}" in column "a" is not a finite number"#)),
            "{message}"
        );
    }
}

#[test]
fn line_numbers_count_skipped_blank_lines() {
    let file = TempCsv::new("blank-lines", "a,b\n\n1,2\n\n\n3,x\n");
    let (line, column, _) = csv_error(data::read_csv(file.path()), &file);
    assert_eq!((line, column), (6, 2));
}

#[test]
fn header_without_rows_is_empty() {
    let file = TempCsv::new("header-only", "a,b,c\n");
    assert!(matches!(data::read_csv(file.path()), Err(Error::Empty(_))));
}

#[test]
fn file_without_header_is_empty() {
    let file = TempCsv::new("nothing", "\n  \n");
    assert!(matches!(data::read_csv(file.path()), Err(Error::Empty(_))));
}

#[test]
fn bad_header_names_are_errors() {
    let file = TempCsv::new("duplicate", "a,b,a\n1,2,3\n");
    let (line, column, message) = csv_error(data::read_csv(file.path()), &file);
    assert_eq!((line, column), (1, 3));
    assert!(message.contains(r#""a" appears twice"#), "{message}");

    let file = TempCsv::new("unnamed", "a,,c\n1,2,3\n");
    let (line, column, _) = csv_error(data::read_csv(file.path()), &file);
    assert_eq!((line, column), (1, 2));
}

/// Found by a learner: scikit-learn's iris.csv starts with `150,4,setosa,versicolor,virginica`,
/// which loaded as a header with features named "150" and "4".
#[test]
fn a_first_line_of_numbers_is_not_taken_for_a_header() {
    let file = TempCsv::new("sklearn-counts", "150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n");
    let (line, column, message) = csv_error(data::read_csv(file.path()), &file);
    assert_eq!((line, column), (1, 1));
    assert!(message.contains(r#""150" is a number"#) && message.contains("not a header"), "{message}");
    let file = TempCsv::new("no-header", "1.5,2\n3,4\n");
    assert_eq!(csv_error(data::read_csv(file.path()), &file).1, 1);
}

#[test]
fn unknown_target_column_lists_the_columns() {
    let file = TempCsv::new("unknown-target", "age,bmi,y\n1,2,3\n");
    for result in [
        data::load_regression(file.path(), "progression").map(|_| ()),
        data::load_classification(file.path(), "progression").map(|_| ()),
    ] {
        match result {
            Err(Error::InvalidParameter { name, reason }) => {
                assert_eq!(name, "target");
                assert!(reason.contains(r#""progression""#), "{reason}");
                assert!(reason.contains("age, bmi, y"), "{reason}");
            }
            other => panic!("expected Error::InvalidParameter, got {other:?}"),
        }
    }
}

#[test]
fn target_as_only_column_is_empty() {
    let file = TempCsv::new("only-target", "y\n1\n2\n");
    assert!(matches!(data::load_regression(file.path(), "y"), Err(Error::Empty(_))));
}

#[test]
fn negative_class_label_is_a_csv_error() {
    let file = TempCsv::new("negative-label", "x,target\n1,0\n2,1\n3,-1\n");
    let result = data::load_classification(file.path(), "target");
    let (line, column, message) = csv_error(result, &file);
    assert_eq!((line, column), (4, 2));
    assert!(message.starts_with(r#"cell "-1" in column "target""#), "{message}");
}

#[test]
fn fractional_class_label_is_a_csv_error() {
    // The blank line makes sure the reported line is the file's, not row + 2.
    let file = TempCsv::new("fractional-label", "target,x\n1,0\n\n0.5,1\n");
    let result = data::load_classification(file.path(), "target");
    let (line, column, message) = csv_error(result, &file);
    assert_eq!((line, column), (4, 1));
    assert!(message.contains("0.5"), "{message}");
    // The same file is fine as a regression problem.
    assert!(data::load_regression(file.path(), "target").is_ok());
}

// ---------------------------------------------------------------------------
// Standardizer
// ---------------------------------------------------------------------------

#[test]
fn standardized_diabetes_has_mean_0_and_std_1() {
    let d = data::diabetes().unwrap();
    let scaler = Standardizer::fit(d.records.view()).unwrap();
    assert_eq!(scaler.mean().len(), 10);
    assert_close(scaler.mean()[0], 48.5180995475113, 1e-9); // mean age
    let z = scaler.transform(d.records.view()).unwrap();
    assert_eq!(z.dim(), (442, 10));
    for column in z.columns() {
        assert_close(column.mean().unwrap(), 0.0, 1e-12);
        assert_close(column.std(0.0), 1.0, 1e-12);
    }
}

#[test]
fn standardizer_uses_population_std_and_round_trips() {
    let x = array![[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]];
    let scaler = Standardizer::fit(x.view()).unwrap();
    assert_eq!(scaler.mean(), &array![2.0, 30.0]);
    assert_close(scaler.std()[0], (2.0f64 / 3.0).sqrt(), 1e-15);
    let z = scaler.transform(x.view()).unwrap();
    assert_close(z[[0, 0]], -1.0 / (2.0f64 / 3.0).sqrt(), 1e-12);
    let back = scaler.inverse_transform(z.view()).unwrap();
    for (a, b) in back.iter().zip(&x) {
        assert_close(*a, *b, 1e-12);
    }
}

#[test]
fn constant_column_maps_to_zero() {
    let x = array![[0.1, 1.0], [0.1, 2.0], [0.1, 3.0]];
    let scaler = Standardizer::fit(x.view()).unwrap();
    assert_eq!(scaler.std()[0], 1.0);
    let z = scaler.transform(x.view()).unwrap();
    assert!(z.column(0).iter().all(|&v| v == 0.0), "{z}");
    assert_eq!(scaler.inverse_transform(z.view()).unwrap(), x);
}

/// Found by fuzzing: the squared deviations of [0, 1e-170] underflow to 0, so the
/// std came out 0 and transform then reported a misleading overflow.
#[test]
fn tiny_but_not_constant_columns_get_their_true_std() {
    for x in [array![[0.0], [1e-170]], array![[0.0], [5e-324]], array![[-1e-160], [1e-160], [3e-160]]] {
        let scaler = Standardizer::fit(x.view()).unwrap();
        let (mean, std) = (scaler.mean()[0], scaler.std()[0]);
        assert!(std > 0.0, "{x}: std {std:e}");
        // The population std, worked out on the values scaled up to a normal size.
        let scale = 1e300;
        let m = x.iter().map(|v| v * scale).sum::<f64>() / x.len() as f64;
        let want = (x.iter().map(|v| (v * scale - m).powi(2)).sum::<f64>() / x.len() as f64).sqrt() / scale;
        assert_close(std, want, 1e-9 * want.max(f64::MIN_POSITIVE));
        let z = scaler.transform(x.view()).unwrap();
        assert!(z.iter().all(|v| v.is_finite() && v.abs() <= 2.0), "{x} -> {z} (mean {mean:e}, std {std:e})");
    }
}

#[test]
fn standardizer_checks_shapes_and_values() {
    let scaler = Standardizer::fit(array![[1.0, 2.0], [3.0, 5.0]].view()).unwrap();
    let wrong = Array2::<f64>::zeros((4, 3));
    assert!(matches!(scaler.transform(wrong.view()), Err(Error::Shape { .. })));
    assert!(matches!(scaler.inverse_transform(wrong.view()), Err(Error::Shape { .. })));
    assert!(matches!(scaler.transform_targets(array![1.0, 2.0].view()), Err(Error::Shape { .. })));

    let empty = Array2::<f64>::zeros((0, 3));
    assert!(matches!(Standardizer::fit(empty.view()), Err(Error::Empty(_))));

    let with_nan = array![[1.0, 2.0], [3.0, f64::NAN]];
    match Standardizer::fit(with_nan.view()) {
        Err(Error::NonFinite { row, column, .. }) => assert_eq!((row, column), (1, 1)),
        other => panic!("expected Error::NonFinite, got {other:?}"),
    }
}

#[test]
fn target_standardizer_round_trips() {
    let d = data::diabetes().unwrap();
    let scaler = Standardizer::fit_targets(d.targets.view()).unwrap();
    assert_close(scaler.mean()[0], 152.133484, 1e-6);
    let z = scaler.transform_targets(d.targets.view()).unwrap();
    assert_close(z.mean().unwrap(), 0.0, 1e-12);
    assert_close(z.std(0.0), 1.0, 1e-12);
    let back = scaler.inverse_transform_targets(z.view()).unwrap();
    for (a, b) in back.iter().zip(&d.targets) {
        assert_close(*a, *b, 1e-9);
    }
}

// ---------------------------------------------------------------------------
// Train / test split
// ---------------------------------------------------------------------------

/// A dataset whose single feature is the row number, so a split's rows can be
/// identified.
fn numbered(n: usize) -> nnlib::linfa::Dataset<f64, f64, nnlib::ndarray::Ix1> {
    let ids = Array1::from_iter((0..n).map(|i| i as f64));
    nnlib::linfa::Dataset::new(ids.clone().insert_axis(Axis(1)), ids * 10.0).with_feature_names(vec!["id"])
}

fn ids(part: &nnlib::linfa::Dataset<f64, f64, nnlib::ndarray::Ix1>) -> Vec<usize> {
    part.records.column(0).iter().map(|&v| v as usize).collect()
}

#[test]
fn split_sizes_add_up_and_rows_are_disjoint() {
    let d = numbered(442);
    let (train, test) = data::train_test_split(&d, 0.2, 7).unwrap();
    assert_eq!(test.records.nrows(), 88); // round(442 * 0.2) = round(88.4)
    assert_eq!(train.records.nrows(), 354);
    assert_eq!(train.targets.len(), 354);
    assert_eq!(test.targets.len(), 88);
    // Every row lands in exactly one part, with its own target.
    let mut all: Vec<usize> = ids(&train).into_iter().chain(ids(&test)).collect();
    all.sort_unstable();
    assert_eq!(all, (0..442).collect::<Vec<_>>());
    for part in [&train, &test] {
        for (x, y) in part.records.column(0).iter().zip(&part.targets) {
            assert_eq!(x * 10.0, *y);
        }
        assert_eq!(part.feature_names(), ["id"]);
    }
    // The rows are shuffled, not taken in order.
    assert_ne!(ids(&test), (0..88).collect::<Vec<_>>());
}

#[test]
fn same_seed_gives_the_same_split_and_different_seeds_differ() {
    let d = numbered(100);
    let (train_a, test_a) = data::train_test_split(&d, 0.25, 42).unwrap();
    let (train_b, test_b) = data::train_test_split(&d, 0.25, 42).unwrap();
    assert_eq!(train_a.records, train_b.records);
    assert_eq!(test_a.records, test_b.records);
    let (_, test_c) = data::train_test_split(&d, 0.25, 43).unwrap();
    assert_ne!(ids(&test_a), ids(&test_c));
}

#[test]
fn split_keeps_names_and_works_for_class_labels() {
    let d = data::breast_cancer().unwrap();
    let (train, test) = data::train_test_split(&d, 0.3, 1).unwrap();
    assert_eq!(test.records.nrows(), 171); // round(569 * 0.3) = round(170.7)
    assert_eq!(train.records.nrows() + test.records.nrows(), 569);
    assert_eq!(train.feature_names(), d.feature_names());
    assert_eq!(test.feature_names(), d.feature_names());
    assert_eq!(test.target_names(), ["target"]);
    let malignant = |t: &Array1<usize>| t.iter().filter(|&&l| l == 0).count();
    assert_eq!(malignant(&train.targets) + malignant(&test.targets), 212);
}

#[test]
fn split_rejects_bad_fractions_and_empty_parts() {
    let d = numbered(10);
    for fraction in [0.0, 1.0, -0.1, 1.5, f64::NAN] {
        match data::train_test_split(&d, fraction, 0) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "test_fraction"),
            other => panic!("fraction {fraction}: expected InvalidParameter, got {other:?}"),
        }
    }
    // 10 * 0.01 rounds to 0 test samples; 10 * 0.99 to 0 training samples.
    for fraction in [0.01, 0.99] {
        assert!(matches!(
            data::train_test_split(&d, fraction, 0),
            Err(Error::InvalidParameter { name: "test_fraction", .. })
        ));
    }
    assert!(matches!(data::train_test_split(&numbered(1), 0.5, 0), Err(Error::Empty(_))));
}

// ---------------------------------------------------------------------------
// Synthetic data
// ---------------------------------------------------------------------------

#[test]
fn noisy_line_is_deterministic_and_shaped() {
    let a = synthetic::noisy_line(50, 2.0, -1.0, 0.1, 3).unwrap();
    let b = synthetic::noisy_line(50, 2.0, -1.0, 0.1, 3).unwrap();
    let c = synthetic::noisy_line(50, 2.0, -1.0, 0.1, 4).unwrap();
    assert_eq!(a.records.dim(), (50, 1));
    assert_eq!(a.targets.len(), 50);
    assert_eq!(a.feature_names(), ["x"]);
    assert_eq!(a.records, b.records);
    assert_eq!(a.targets, b.targets);
    assert_ne!(a.records, c.records);
    assert!(a.records.iter().all(|&x| (-1.0..=1.0).contains(&x)));
}

#[test]
fn noisy_line_without_noise_lies_on_the_line() {
    let d = synthetic::noisy_line(20, 3.0, 0.5, 0.0, 9).unwrap();
    for (x, y) in d.records.column(0).iter().zip(&d.targets) {
        assert_close(*y, 3.0 * x + 0.5, 1e-12);
    }
}

#[test]
fn noisy_line_noise_has_the_requested_spread() {
    let d = synthetic::noisy_line(20_000, 1.0, 0.0, 0.5, 11).unwrap();
    let residuals = &d.targets - &d.records.column(0);
    // Standard error of the mean is 0.5 / sqrt(20000) ≈ 0.0035.
    assert_close(residuals.mean().unwrap(), 0.0, 0.02);
    assert_close(residuals.std(0.0), 0.5, 0.02);
}

#[test]
fn two_moons_is_deterministic_balanced_and_on_the_moons() {
    let a = synthetic::two_moons(101, 0.0, 5).unwrap();
    let b = synthetic::two_moons(101, 0.0, 5).unwrap();
    assert_eq!(a.records.dim(), (101, 2));
    assert_eq!(a.feature_names(), ["x1", "x2"]);
    assert_eq!(a.records, b.records);
    assert_eq!(a.targets, b.targets);
    let upper = a.targets.iter().filter(|&&l| l == 0).count();
    let lower = a.targets.iter().filter(|&&l| l == 1).count();
    assert_eq!((upper, lower), (50, 51));
    // Without noise: label 0 on the upper unit half circle around (0, 0),
    // label 1 on the lower unit half circle around (1, 0.5).
    for (point, &label) in a.records.rows().into_iter().zip(&a.targets) {
        let (x, y) = (point[0], point[1]);
        if label == 0 {
            assert_close(x.hypot(y), 1.0, 1e-12);
            assert!(y >= -1e-12, "({x}, {y})");
        } else {
            assert_close((x - 1.0).hypot(y - 0.5), 1.0, 1e-12);
            assert!(y <= 0.5 + 1e-12, "({x}, {y})");
        }
    }
    // The classes are mixed, not sorted.
    assert_ne!(a.targets.iter().take(50).filter(|&&l| l == 0).count(), 50);
}

#[test]
fn two_moons_noise_depends_on_the_seed() {
    let a = synthetic::two_moons(40, 0.1, 1).unwrap();
    let b = synthetic::two_moons(40, 0.1, 1).unwrap();
    let c = synthetic::two_moons(40, 0.1, 2).unwrap();
    assert_eq!(a.records, b.records);
    assert_ne!(a.records, c.records);
    assert!(a.targets.iter().all(|&l| l <= 1));
}

#[test]
fn generators_reject_bad_parameters() {
    let invalid = |result: nnlib::Result<()>, expected: &str| match result {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, expected),
        other => panic!("expected InvalidParameter for {expected}, got {other:?}"),
    };
    invalid(synthetic::noisy_line(1, 1.0, 0.0, 0.1, 0).map(|_| ()), "n");
    invalid(synthetic::noisy_line(10, 1.0, 0.0, -0.1, 0).map(|_| ()), "noise_std");
    invalid(synthetic::noisy_line(10, 1.0, 0.0, f64::NAN, 0).map(|_| ()), "noise_std");
    invalid(synthetic::noisy_line(10, f64::INFINITY, 0.0, 0.1, 0).map(|_| ()), "slope");
    invalid(synthetic::noisy_line(10, 1.0, f64::NAN, 0.1, 0).map(|_| ()), "intercept");
    invalid(synthetic::two_moons(0, 0.1, 0).map(|_| ()), "n");
    invalid(synthetic::two_moons(10, f64::INFINITY, 0).map(|_| ()), "noise_std");
    // The smallest valid input: one point per moon.
    let tiny = synthetic::two_moons(2, 0.0, 0).unwrap();
    let mut labels = tiny.targets.to_vec();
    labels.sort_unstable();
    assert_eq!(labels, [0, 1]);
}

#[test]
fn digits_loads_1797_images_of_64_pixels_with_balanced_labels() {
    let data = nnlib::data::digits().unwrap();
    assert_eq!(data.records.dim(), (1797, 64));
    assert_eq!(data.feature_names()[0], "p0");
    assert_eq!(data.feature_names()[63], "p63");
    let mut counts = [0usize; 10];
    for &d in data.targets.iter() {
        counts[d] += 1;
    }
    assert_eq!(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    assert!(data.records.iter().all(|&p| (0.0..=16.0).contains(&p) && p.fract() == 0.0));
    // The first image is a 0: its centre column pixels (row 3, columns 3..4) are white.
    assert_eq!(data.targets[0], 0);
    assert_eq!(data.records[[0, 8 * 3 + 3]], 0.0);
}

#[test]
fn stratified_split_keeps_each_class_share_and_is_seeded() {
    use nnlib::data::stratified_train_test_split;
    let data = nnlib::data::digits().unwrap();
    let (train, test) = stratified_train_test_split(&data, 0.25, 7).unwrap();
    assert_eq!(train.records.nrows() + test.records.nrows(), 1797);
    let count = |t: &nnlib::ndarray::Array1<usize>, c: usize| t.iter().filter(|&&d| d == c).count();
    for c in 0..10 {
        let total = count(&data.targets, c);
        let expected = (total as f64 * 0.25).round() as usize;
        assert_eq!(count(&test.targets, c), expected, "class {c}");
        assert_eq!(count(&train.targets, c), total - expected, "class {c}");
    }
    let (train2, test2) = stratified_train_test_split(&data, 0.25, 7).unwrap();
    assert_eq!(train.records, train2.records);
    assert_eq!(test.targets, test2.targets);
    let (_, test3) = stratified_train_test_split(&data, 0.25, 8).unwrap();
    assert_ne!(test.targets, test3.targets);
    assert!(stratified_train_test_split(&data, 1.0, 0).is_err());
    assert!(stratified_train_test_split(&data, f64::NAN, 0).is_err());
}

#[test]
fn randhie_has_20190_counts_and_9_named_features_as_in_statsmodels() {
    let d = data::randhie().unwrap();
    assert_eq!(d.records.dim(), (20190, 9));
    let names = ["lncoins", "idp", "lpi", "fmde", "physlm", "disea", "hlthg", "hlthf", "hlthp"];
    assert_eq!(d.feature_names(), names);
    assert_eq!(d.target_names(), ["mdvis"]);
    // First line of statsmodels' randhie.csv: 0,4.61512,1,6.907755,0,0,13.73189,1,0,0.
    assert_eq!(d.targets[0], 0.0);
    assert_eq!(d.records.row(0), array![4.61512, 1.0, 6.907755, 0.0, 0.0, 13.73189, 1.0, 0.0, 0.0]);
    // Last line: 6,3.258096,0,6.620073,8.006368,.1442925,10.57626,0,0,0 (a leading-dot cell).
    assert_eq!(d.targets[20189], 6.0);
    assert_eq!(
        d.records.row(20189),
        array![3.258096, 0.0, 6.620073, 8.006368, 0.1442925, 10.57626, 0.0, 0.0, 0.0]
    );
    // Counts: whole numbers 0..=77, 6308 zeros, mean 2.860426 (data/README.md).
    assert!(d.targets.iter().all(|&y| y >= 0.0 && y.fract() == 0.0 && y <= 77.0));
    assert_eq!(d.targets.iter().filter(|&&y| y == 0.0).count(), 6308);
    assert_close(d.targets.mean().unwrap(), 2.860426, 1e-6);
}
