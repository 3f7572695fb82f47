//! Data for the workshop: loading the bundled data sets, reading your own
//! CSV files (numbers, text labels, missing values), standardising features,
//! splitting into a training and a test part, and generating small synthetic
//! data sets.
//!
//! Everything returns linfa datasets, so the results plug straight into linfa's
//! models (the baselines) as well as into nnlib's networks.
//!
//! ```no_run
//! use nnlib::data::{self, Standardizer};
//!
//! let diabetes = data::diabetes()?; // 442 patients x 10 features
//! let (train, test) = data::train_test_split(&diabetes, 0.2, 42)?;
//!
//! // Fit the scaling on the training part only, then apply it to both parts:
//! // the test part must not influence anything the model learns from.
//! let scaler = Standardizer::fit(train.records.view())?;
//! let x_train = scaler.transform(train.records.view())?;
//! let x_test = scaler.transform(test.records.view())?;
//! # let _ = (x_train, x_test);
//! # Ok::<(), nnlib::Error>(())
//! ```
//!
//! Your own file, with text labels and missing values, goes through a [`Frame`]:
//!
//! ```no_run
//! use nnlib::data::Frame;
//!
//! let frame = Frame::read_csv("penguins.csv")?;
//! println!("{frame}"); // look: the columns, their kinds, missing cells, the first rows
//! let penguins = frame.drop_columns(&["island", "sex"])?.drop_missing().classification("species")?;
//! println!("{:?}", penguins.classes); // ["Adelie", "Chinstrap", "Gentoo"]: label 0, 1, 2
//! # Ok::<(), nnlib::Error>(())
//! ```
//!
//! The bundled files live in the workspace's `data/` folder; `data/README.md`
//! describes every column, its unit and where the data comes from.
//!
//! | concept | file |
//! |---|---|
//! | reading a numeric CSV file; the cells both readers share, [`MISSING`] | `data/csv.rs` ([`read_csv`], [`Table`]) |
//! | your own CSV: text columns, missing cells, text labels with their names | `data/frame.rs` ([`Frame`], [`Labelled`]) |
//! | the bundled data sets and your own files as linfa datasets | `data/load.rs` |
//! | standardising features | `data/standardize.rs` ([`Standardizer`]) |
//! | training and test parts | `data/split.rs` |
//! | class labels as one-hot rows and back, a column vector | `data/labels.rs` |
//! | generated data sets | [`synthetic`] |

mod csv;
mod frame;
mod labels;
mod load;
mod split;
mod standardize;
pub mod synthetic;

pub use csv::{read_csv, Table, MISSING};
pub use frame::{Frame, Labelled};
pub use labels::{argmax, column, one_hot};
pub use load::{
    breast_cancer, data_dir, diabetes, digits, load_classification, load_regression, randhie,
    BREAST_CANCER_CLASSES,
};
pub use split::{stratified_train_test_split, train_test_split};
pub use standardize::Standardizer;
