//! The bundled raw penguins file (data/penguins.csv) is what data/README.md says it is,
//! and the capstone notebook's cleaning (drop the unused columns, then the rows with
//! missing cells) gives the counts its prose quotes.

use nnlib::data::{data_dir, Frame};

fn penguins() -> Frame {
    Frame::read_csv(data_dir().join("penguins.csv")).expect("data/penguins.csv loads as a Frame")
}

#[test]
fn the_raw_table_has_the_documented_shape_and_missing_cells() {
    let frame = penguins();
    assert_eq!(frame.n_rows(), 344);
    let columns = [
        "species",
        "island",
        "bill_length_mm",
        "bill_depth_mm",
        "flipper_length_mm",
        "body_mass_g",
        "sex",
        "year",
    ];
    assert_eq!(frame.columns(), columns);
    let missing: Vec<(String, usize)> =
        ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
            .iter()
            .map(|c| (c.to_string(), 2))
            .chain([("sex".to_string(), 11)])
            .collect();
    assert_eq!(frame.missing(), missing);
    // 11 rows miss something: the 2 without any measurement also miss their sex.
    assert_eq!(frame.drop_missing().n_rows(), 333);
}

#[test]
fn dropping_the_unused_columns_first_keeps_342_penguins_of_three_species() {
    let clean = penguins().drop_columns(&["island", "sex", "year"]).unwrap().drop_missing();
    assert_eq!(clean.n_rows(), 342);
    let labelled = clean.classification("species").unwrap();
    assert_eq!(labelled.classes, ["Adelie", "Chinstrap", "Gentoo"]);
    let count = |c: usize| labelled.dataset.targets.iter().filter(|&&t| t == c).count();
    assert_eq!((count(0), count(1), count(2)), (151, 68, 123));
    assert_eq!(
        labelled.dataset.feature_names(),
        ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    );
}

#[test]
fn text_feature_columns_and_missing_cells_are_errors_that_say_what_to_do() {
    let frame = penguins();
    let text = frame.classification("species").unwrap_err().to_string();
    assert!(text.contains("island") && text.contains("drop_columns"), "{text}");
    let gaps =
        frame.drop_columns(&["island", "sex"]).unwrap().classification("species").unwrap_err().to_string();
    assert!(gaps.contains("drop_missing") && gaps.contains("fill_missing_with_mean"), "{gaps}");
}
