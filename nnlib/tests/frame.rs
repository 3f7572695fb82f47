//! Tests for `nnlib::data::Frame` and `Labelled` on hand-made CSV files: text
//! labels, missing cells in their documented forms, text feature columns, a
//! numeric header, BOM and CRLF; and the numeric loaders' advice for such files.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use nnlib::data::{self, Frame, MISSING};
use nnlib::Error;

/// A file in the temp directory, unique to this process and test, removed
/// when the test ends.
struct TempCsv(PathBuf);

impl TempCsv {
    fn new(name: &str, contents: &str) -> TempCsv {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("nnlib-frame-test-{}-{unique}-{name}.csv", std::process::id()));
        std::fs::write(&path, contents).expect("cannot write temp file");
        TempCsv(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn frame(&self) -> Frame {
        Frame::read_csv(self.path()).expect("the test file should read")
    }
}

impl Drop for TempCsv {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Unpacks an `Error::Csv`: line, column and message.
#[track_caller]
fn csv_error<T: std::fmt::Debug>(result: nnlib::Result<T>) -> (usize, usize, String) {
    match result {
        Err(Error::Csv { line, column, message, .. }) => (line, column, message),
        other => panic!("expected Error::Csv, got {other:?}"),
    }
}

/// A small penguins file: text label, text feature, missing cells of several kinds.
const PENGUINS: &str = "species,island,bill_mm,mass_g,sex\n\
    Adelie,Torgersen,39.1,3750,male\n\
    Adelie,Torgersen,NA,NA,NA\n\
    Gentoo,Biscoe,46.1,4500,female\n\
    Chinstrap,Dream,46.5,3500,female\n\
    Gentoo,Biscoe,50,,male\n\
    Adelie,Dream,37.8,3400,?\n";

// ---------------------------------------------------------------- reading

#[test]
fn columns_are_numbers_or_text_and_missing_cells_are_counted() {
    let file = TempCsv::new("penguins", PENGUINS);
    let frame = file.frame();
    assert_eq!(frame.columns(), ["species", "island", "bill_mm", "mass_g", "sex"]);
    assert_eq!(frame.n_rows(), 6);
    let missing = frame.missing();
    let expected = [("bill_mm", 1), ("mass_g", 2), ("sex", 2)];
    assert_eq!(missing.len(), expected.len());
    for ((name, n), (want, m)) in missing.iter().zip(expected) {
        assert_eq!((name.as_str(), *n), (want, m));
    }
}

#[test]
fn every_documented_marker_is_missing() {
    for marker in MISSING {
        let file = TempCsv::new("marker", &format!("a,b\n1,2\n {marker} ,4\n5,\"{marker}\"\n"));
        let frame = file.frame();
        assert_eq!(frame.missing(), [("a".to_string(), 1), ("b".to_string(), 1)], "marker {marker:?}");
        // The column stays numeric: the complete row is a regression sample.
        let data = frame.drop_missing().regression("b").unwrap();
        assert_eq!(data.records.column(0).to_vec(), [1.0], "marker {marker:?}");
    }
    assert_eq!(MISSING, ["", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "?"]);
}

#[test]
fn a_word_that_is_not_a_marker_makes_a_text_column() {
    let file = TempCsv::new("words", "a,b\n1,2\nnone,4\ninf,5\n");
    let frame = file.frame();
    assert!(frame.missing().is_empty());
    let (line, column, message) = csv_error(frame.regression("b"));
    assert_eq!((line, column), (3, 1));
    assert!(message.contains(r#"column "a" holds text"#), "{message}");
    assert!(message.contains(r#"drop it with .drop_columns(&["a"])"#), "{message}");
    assert!(message.contains(r#"before .regression("b")"#), "{message}");
    assert!(message.contains(r#""none""#), "{message}");
}

#[test]
fn bom_crlf_blank_lines_spaces_and_quotes_are_tolerated() {
    let text = "\u{feff}\"name\", size ,\"kind\"\r\n\"Smith, J.\",1.5, a \r\n\r\n\"say \"\"hi\"\"\",2,b\r\n";
    let file = TempCsv::new("tolerant", text);
    let frame = file.frame();
    assert_eq!(frame.columns(), ["name", "size", "kind"]);
    let shown = frame.to_string();
    assert!(shown.contains("Smith, J.") && shown.contains(r#"say "hi""#), "{shown}");
    let labelled = frame.drop_columns(&["name"]).unwrap().classification("kind").unwrap();
    assert_eq!(labelled.classes, ["a", "b"]);
    assert_eq!(labelled.dataset.records.column(0).to_vec(), [1.5, 2.0]);
}

#[test]
fn a_numeric_header_is_refused_as_by_read_csv() {
    let file = TempCsv::new("sklearn", "150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n");
    let (line, column, message) = csv_error(Frame::read_csv(file.path()));
    assert_eq!((line, column), (1, 1));
    assert!(message.contains(r#""150" is a number"#) && message.contains("not a header"), "{message}");
}

#[test]
fn a_row_of_the_wrong_length_and_an_unclosed_quote_are_located() {
    let file = TempCsv::new("short", "a,b,c\n1,2,3\n4,5\n");
    assert_eq!(csv_error(Frame::read_csv(file.path())).0, 3);
    let file = TempCsv::new("quote", "a,b\n\"x,1\n");
    let (line, _, message) = csv_error(Frame::read_csv(file.path()));
    assert_eq!(line, 2);
    assert!(message.contains("quote"), "{message}");
}

#[test]
fn empty_files_are_empty_errors() {
    for text in ["", "\n\n", "a,b\n"] {
        let file = TempCsv::new("empty", text);
        assert!(matches!(Frame::read_csv(file.path()), Err(Error::Empty(_))), "{text:?}");
    }
}

// ------------------------------------------------------------ classification

#[test]
fn text_labels_become_sorted_classes_whose_names_are_kept() {
    let file = TempCsv::new("labels", PENGUINS);
    let frame = file.frame().drop_columns(&["island", "sex"]).unwrap().drop_missing();
    let penguins = frame.classification("species").unwrap();
    assert_eq!(penguins.classes, ["Adelie", "Chinstrap", "Gentoo"]);
    // Rows 1, 3, 4, 6 of the file are complete: Adelie, Gentoo, Chinstrap, Adelie.
    assert_eq!(penguins.dataset.targets.to_vec(), [0, 2, 1, 0]);
    assert_eq!(penguins.dataset.feature_names(), ["bill_mm", "mass_g"]);
    assert_eq!(penguins.dataset.target_names(), ["species"]);
    assert_eq!(penguins.dataset.records.row(1).to_vec(), [46.1, 4500.0]);
    assert_eq!(penguins.class_name(2), Some("Gentoo"));
    assert_eq!(penguins.class_name(3), None);
}

#[test]
fn number_labels_are_sorted_numerically_and_renumbered() {
    let file = TempCsv::new("numbers", "x,y\n1,10\n2,2\n3,-0\n4,2.0\n5,0\n");
    let labelled = file.frame().classification("y").unwrap();
    assert_eq!(labelled.classes, ["0", "2", "10"]);
    assert_eq!(labelled.dataset.targets.to_vec(), [2, 1, 0, 1, 0]);
}

#[test]
fn a_fractional_number_label_is_an_error_suggesting_regression() {
    let file = TempCsv::new("fraction", "x,y\n1,0\n2,0.5\n");
    let (line, column, message) = csv_error(file.frame().classification("y"));
    assert_eq!((line, column), (3, 2));
    assert!(message.contains("0.5") && message.contains(r#".regression("y")"#), "{message}");
}

#[test]
fn a_text_feature_is_an_error_naming_it_and_drop_columns() {
    let file = TempCsv::new("text-feature", PENGUINS);
    let (line, column, message) = csv_error(file.frame().drop_missing().classification("species"));
    assert_eq!((line, column), (2, 2));
    assert!(message.contains(r#"column "island" holds text"#), "{message}");
    assert!(message.contains(r#".drop_columns(&["island"])"#), "{message}");
}

#[test]
fn a_missing_cell_is_an_error_naming_line_column_count_and_the_fixes() {
    let file = TempCsv::new("missing", PENGUINS);
    let frame = file.frame().drop_columns(&["island", "sex"]).unwrap();
    let (line, column, message) = csv_error(frame.classification("species"));
    assert_eq!((line, column), (3, 3)); // bill_mm of the second penguin
    assert!(message.contains(r#"column "bill_mm""#), "{message}");
    assert!(message.contains("one of 3 missing cells (bill_mm 1, mass_g 2)"), "{message}");
    assert!(
        message.contains(".drop_missing()") && message.contains(".fill_missing_with_mean()"),
        "{message}"
    );
    // The regression says the same, with its own call.
    let (.., message) = csv_error(frame.regression("mass_g"));
    assert!(message.contains(r#"before .regression("mass_g")"#), "{message}");
}

#[test]
fn an_unknown_target_lists_the_columns() {
    let file = TempCsv::new("target", "a,b\n1,2\n");
    match file.frame().classification("c") {
        Err(Error::InvalidParameter { name: "target", reason }) => {
            assert!(reason.contains(r#""c""#) && reason.contains("a, b"), "{reason}")
        }
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
    let file = TempCsv::new("only", "a\n1\n");
    assert!(matches!(file.frame().regression("a"), Err(Error::Empty(_))));
}

#[test]
fn no_rows_left_is_an_empty_error() {
    let file = TempCsv::new("all-missing", "a,b\n1,NA\nNA,2\n");
    let frame = file.frame().drop_missing();
    assert_eq!(frame.n_rows(), 0);
    assert!(matches!(frame.classification("b"), Err(Error::Empty(_))));
    assert!(matches!(frame.regression("b"), Err(Error::Empty(_))));
}

// ---------------------------------------------------------------- regression

#[test]
fn regression_keeps_feature_names_and_refuses_a_text_target() {
    let file = TempCsv::new("regression", "rooms,area,price\n3,70,180\n5,120,320.5\n");
    let houses = file.frame().regression("price").unwrap();
    assert_eq!(houses.feature_names(), ["rooms", "area"]);
    assert_eq!(houses.targets.to_vec(), [180.0, 320.5]);
    assert_eq!(houses.records.row(1).to_vec(), [5.0, 120.0]);

    let file = TempCsv::new("text-target", "x,species\n1,cat\n");
    let (.., message) = csv_error(file.frame().regression("species"));
    assert!(message.contains(r#".classification("species")"#), "{message}");
}

// ------------------------------------------------------ dropping and filling

#[test]
fn drop_missing_makes_a_text_column_of_numbers_numeric() {
    // "x" is text only in the row that has a missing cell.
    let file = TempCsv::new("retype", "x,y\n1,2\nabc,NA\n3,4\n");
    let frame = file.frame();
    assert!(frame.regression("y").is_err());
    let data = frame.drop_missing().regression("y").unwrap();
    assert_eq!(data.records.column(0).to_vec(), [1.0, 3.0]);
}

#[test]
fn fill_missing_with_mean_fills_numbers_and_refuses_text() {
    let file = TempCsv::new("fill", PENGUINS);
    let frame = file.frame().drop_columns(&["island"]).unwrap();
    let (line, column, message) = csv_error(frame.fill_missing_with_mean());
    assert_eq!((line, column), (3, 5)); // the first missing sex: the file's column 5
    assert!(message.contains(r#"column "sex" holds text"#), "{message}");
    assert!(message.contains("drop_missing()") && message.contains(r#"drop_columns(&["sex"])"#), "{message}");

    let filled = frame.drop_columns(&["sex"]).unwrap().fill_missing_with_mean().unwrap();
    assert!(filled.missing().is_empty());
    let data = filled.classification("species").unwrap();
    let bill_mean = (39.1 + 46.1 + 46.5 + 50.0 + 37.8) / 5.0;
    let mass_mean = (3750.0 + 4500.0 + 3500.0 + 3400.0) / 4.0;
    assert_eq!(data.dataset.records[[1, 0]], bill_mean);
    assert_eq!(data.dataset.records[[1, 1]], mass_mean);
    assert_eq!(data.dataset.records[[4, 1]], mass_mean);
    assert_eq!(data.dataset.records[[4, 0]], 50.0);
}

#[test]
fn a_column_without_any_number_cannot_be_filled() {
    let file = TempCsv::new("no-numbers", "a,b\nNA,1\n,2\n");
    let (line, column, message) = csv_error(file.frame().fill_missing_with_mean());
    assert_eq!((line, column), (2, 1));
    assert!(message.contains("no numbers"), "{message}");
}

#[test]
fn drop_columns_refuses_an_unknown_name_listing_the_columns() {
    let file = TempCsv::new("drop", PENGUINS);
    match file.frame().drop_columns(&["island", "colour"]) {
        Err(Error::InvalidParameter { name: "names", reason }) => {
            assert!(reason.contains(r#""colour""#), "{reason}");
            assert!(reason.contains("species, island, bill_mm, mass_g, sex"), "{reason}");
        }
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
}

// ------------------------------------------------------------------- the look

#[test]
fn display_shows_shape_kinds_missing_ranges_texts_and_the_first_five_rows() {
    let file = TempCsv::new("look", PENGUINS);
    let shown = file.frame().to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines[0].ends_with(": 6 rows × 5 columns"), "{shown}");
    assert!(lines[1].contains("species") && lines[1].contains("text"), "{shown}");
    assert!(lines[1].contains("3 values: Adelie, Chinstrap, Gentoo"), "{shown}");
    assert!(lines[3].contains("bill_mm") && lines[3].contains("numbers"), "{shown}");
    assert!(lines[3].contains("1 missing") && lines[3].contains("37.8 .. 50"), "{shown}");
    assert!(lines[4].contains("2 missing") && lines[4].contains("3400 .. 4500"), "{shown}");
    assert_eq!(lines[6], "first 5 rows:");
    assert!(lines[7].starts_with("  species") && lines[7].contains("island"), "{shown}");
    assert!(lines[9].contains("NA"), "{shown}");
    assert_eq!(lines.len(), 13, "{shown}"); // 1 + 5 columns + 1 + header + 5 rows
    assert!(!lines[8..].iter().any(|l| l.contains("3400")), "the 6th row is not shown:\n{shown}");
}

#[test]
fn display_of_a_wide_frame_lists_every_column_but_rows_only_as_wide_as_a_notebook_line() {
    // 14 columns of 9 characters, 11 with the space between: 9 fit in 100.
    let header: Vec<String> = (0..14).map(|i| format!("column_{i:02}")).collect();
    let row: Vec<String> = (0..14).map(|i| i.to_string()).collect();
    let file = TempCsv::new("wide", &format!("{}\n{}\n", header.join(","), row.join(",")));
    let shown = file.frame().to_string();
    assert!(shown.contains("  column_13 "), "{shown}");
    assert!(shown.contains("rows (and 5 more columns):"), "{shown}");
    assert!(shown.contains("all 13"), "{shown}");
    assert!(shown.lines().all(|l| l.chars().count() <= 100), "{shown}");
}

// ------------------------------------------------- the numeric loaders' advice

#[test]
fn loaders_point_to_frame_for_missing_cells() {
    let file = TempCsv::new("loader-na", "a,b,y\n1,2,3\nNA,5,6\n7,N/A,9\n");
    let (line, column, message) = csv_error(data::load_regression(file.path(), "y"));
    assert_eq!((line, column), (3, 1));
    assert!(
        message.starts_with(r#"cell "NA" in column "a" is a missing value (the file has 2 missing cells)"#)
    );
    assert!(message.contains(r#"Frame::read_csv(path)?.drop_missing().regression("y")"#), "{message}");
    assert!(message.contains(r#".fill_missing_with_mean()?.regression("y")"#), "{message}");
    let (.., message) = csv_error(data::read_csv(file.path()));
    assert!(message.contains("Frame::read_csv(path)?.drop_missing()"), "{message}");
}

#[test]
fn load_classification_points_to_frame_for_text_labels_and_features() {
    let file = TempCsv::new("loader-text", "x,island,species\n1,Dream,Adelie\n");
    let (line, column, message) = csv_error(data::load_classification(file.path(), "species"));
    assert_eq!((line, column), (2, 2));
    assert!(message.contains(r#".drop_columns(&["island"])?.classification("species")"#), "{message}");
    let file = TempCsv::new("loader-label", "x,species\n1,Adelie\n");
    let (line, column, message) = csv_error(data::load_classification(file.path(), "species"));
    assert_eq!((line, column), (2, 2));
    assert!(message.contains(r#"Frame::read_csv(path)?.classification("species")"#), "{message}");
    assert!(message.contains("keeps their names"), "{message}");
}

#[test]
fn the_bundled_files_read_as_frames_like_the_loaders() {
    let frame = Frame::read_csv(data::data_dir().join("diabetes.csv")).unwrap();
    let from_frame = frame.regression("progression").unwrap();
    let loaded = data::diabetes().unwrap();
    assert_eq!(from_frame.records, loaded.records);
    assert_eq!(from_frame.targets, loaded.targets);
    assert_eq!(from_frame.feature_names(), loaded.feature_names());
    let digits =
        Frame::read_csv(data::data_dir().join("digits.csv")).unwrap().classification("digit").unwrap();
    assert_eq!(digits.classes, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    assert_eq!(digits.dataset.targets, data::digits().unwrap().targets);
}
