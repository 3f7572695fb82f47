//! linfa interop: `MlpRegressor` and `MlpClassifier` fit and predict like
//! linfa's own models, so linfa's metrics (`r2`, `mean_squared_error`,
//! `confusion_matrix`, `accuracy`) work on their predictions.

mod common;

use common::{assert_close, blobs, fraction_equal};
use nnlib::data::{self, synthetic};
use nnlib::linfa::prelude::*;
use nnlib::linfa::Dataset;
use nnlib::ndarray::{Array1, Axis};
use nnlib::{Activation, MlpClassifier, MlpRegressor, Optimizer};

// ---------------------------------------------------------------------------
// Regression
// ---------------------------------------------------------------------------

#[test]
fn regressor_fits_a_noisy_line_and_works_with_r2_and_mse() -> Result<(), Box<dyn std::error::Error>> {
    // y = 3x - 1 plus noise of standard deviation 0.1; x uniform in [-1, 1].
    let all = synthetic::noisy_line(200, 3.0, -1.0, 0.1, 1)?;
    let (train, test) = data::train_test_split(&all, 0.25, 2)?;
    let model = MlpRegressor::params().hidden(&[8]).epochs(500).learning_rate(0.1).seed(3).fit(&train)?;

    let predicted: Array1<f64> = model.predict(&test.records);
    assert_eq!(predicted.len(), test.records.nrows());

    // linfa's metrics against the same numbers computed by hand.
    let residuals = &predicted - &test.targets;
    let mse_by_hand = residuals.mapv(|r| r * r).mean().unwrap();
    let mean_y = test.targets.mean().unwrap();
    let total = test.targets.mapv(|t| (t - mean_y).powi(2)).sum();
    let r2_by_hand = 1.0 - residuals.mapv(|r| r * r).sum() / total;
    assert_close(predicted.mean_squared_error(&test)?, mse_by_hand, 1e-10, 0.0, "MSE");
    assert_close(predicted.r2(&test)?, r2_by_hand, 1e-10, 0.0, "R²");

    // The noise alone (σ² = 0.01) against var(y) ≈ 3 gives an R² near 0.997.
    assert!(r2_by_hand > 0.98, "R² = {r2_by_hand}");
    assert!(mse_by_hand < 0.03, "MSE = {mse_by_hand}");
    Ok(())
}

#[test]
fn regressor_predict_equals_try_predict_and_the_network() -> Result<(), Box<dyn std::error::Error>> {
    let all = synthetic::noisy_line(50, -2.0, 0.5, 0.05, 4)?;
    let model = MlpRegressor::params().hidden(&[4]).epochs(50).seed(5).fit(&all)?;
    let via_linfa: Array1<f64> = model.predict(&all.records);
    assert_eq!(via_linfa, model.try_predict(all.records.view())?);
    assert_eq!(via_linfa, model.network.predict(all.records.view())?.column(0).to_owned());
    // Identity output, one neuron, and one loss per epoch in the history.
    assert_eq!(model.network.output_activation(), Activation::Identity);
    assert_eq!(model.network.sizes(), vec![1, 4, 1]);
    assert_eq!(model.history.loss.len(), 50);
    Ok(())
}

#[test]
fn regressor_without_hidden_layers_is_linear_regression() -> Result<(), Box<dyn std::error::Error>> {
    // hidden(&[]) is a single linear neuron; on noiseless data it finds the line.
    let all = synthetic::noisy_line(40, 1.5, 2.0, 0.0, 6)?;
    let model = MlpRegressor::params().hidden(&[]).epochs(3000).learning_rate(0.3).fit(&all)?;
    assert_close(model.network.w(1)?[[0, 0]], 1.5, 1e-6, 0.0, "slope");
    assert_close(model.network.b(1)?[0], 2.0, 1e-6, 0.0, "intercept");
    assert!(model.predict(&all.records).r2(&all)? > 0.999_999);
    Ok(())
}

#[test]
fn default_parameters_are_the_documented_ones() {
    let params = MlpRegressor::params().check().expect("defaults are valid");
    assert_eq!(params.train_config().epochs, 1000);
    assert_eq!(params.train_config().learning_rate, 0.1);
    assert_eq!(params.train_config().batch_size, None);
    assert!(MlpClassifier::params().check().is_ok());
}

// ---------------------------------------------------------------------------
// Binary classification
// ---------------------------------------------------------------------------

#[test]
fn classifier_predicts_usize_labels_with_confusion_matrix_and_accuracy(
) -> Result<(), Box<dyn std::error::Error>> {
    // Two moons cannot be split by a line: the hidden layer has to work.
    let all = synthetic::two_moons(300, 0.1, 7)?;
    let (train, test) = data::train_test_split(&all, 0.3, 8)?;
    let model = MlpClassifier::params()
        .hidden(&[12])
        .epochs(300)
        .learning_rate(0.02)
        .optimizer(Optimizer::adam())
        .seed(9)
        .fit(&train)?;
    assert_eq!(model.n_classes, 2);
    assert_eq!(model.network.output_activation(), Activation::Sigmoid);

    let predicted: Array1<usize> = model.predict(&test.records);
    assert!(predicted.iter().all(|&c| c < 2), "labels must be 0 or 1");

    let cm = predicted.confusion_matrix(&test)?;
    let by_hand = fraction_equal(&predicted, &test.targets);
    assert_close(cm.accuracy() as f64, by_hand, 1e-6, 0.0, "confusion-matrix accuracy");
    assert!(by_hand >= 0.95, "two-moons test accuracy {by_hand}");
    Ok(())
}

#[test]
fn binary_predict_proba_rows_sum_to_one_and_match_the_labels() -> Result<(), Box<dyn std::error::Error>> {
    let all = synthetic::two_moons(60, 0.1, 10)?;
    let model = MlpClassifier::params().hidden(&[6]).epochs(50).seed(11).fit(&all)?;
    let proba = model.predict_proba(all.records.view())?;
    assert_eq!(proba.dim(), (60, 2));
    let sigmoid_out = model.network.predict(all.records.view())?;
    for (i, row) in proba.rows().into_iter().enumerate() {
        assert_close(row.sum(), 1.0, 0.0, 1e-15, &format!("row {i}"));
        // Column 1 is the sigmoid's P(class 1).
        assert_eq!(row[1], sigmoid_out[[i, 0]]);
    }
    // The label is the more probable class.
    let labels = model.try_predict(all.records.view())?;
    for (row, &label) in proba.rows().into_iter().zip(&labels) {
        assert_eq!(label, usize::from(row[1] > row[0]));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Multiclass classification
// ---------------------------------------------------------------------------

#[test]
fn multiclass_classifier_uses_softmax_and_separates_blobs() -> Result<(), Box<dyn std::error::Error>> {
    // Four well-separated blobs, 40 points each.
    let (x, y) = blobs(&[[0.0, 0.0], [4.0, 0.0], [0.0, 4.0], [4.0, 4.0]], 40, 0.5, 12);
    let all = Dataset::new(x, y);
    let (train, test) = data::train_test_split(&all, 0.25, 13)?;
    let model = MlpClassifier::params()
        .hidden(&[10])
        .epochs(200)
        .learning_rate(0.02)
        .optimizer(Optimizer::adam())
        .seed(14)
        .fit(&train)?;
    assert_eq!(model.n_classes, 4);
    assert_eq!(model.network.output_activation(), Activation::Softmax);
    assert_eq!(model.network.n_outputs(), 4);

    let predicted = model.predict(&test.records);
    let cm = predicted.confusion_matrix(&test)?;
    assert!(cm.accuracy() >= 0.95, "blob accuracy {}", cm.accuracy());
    assert_close(cm.accuracy() as f64, fraction_equal(&predicted, &test.targets), 1e-6, 0.0, "accuracy");
    Ok(())
}

#[test]
fn multiclass_predict_proba_rows_sum_to_one() -> Result<(), Box<dyn std::error::Error>> {
    let (x, y) = blobs(&[[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]], 15, 0.5, 15);
    let model = MlpClassifier::params().hidden(&[5]).epochs(30).seed(16).fit(&Dataset::new(x.clone(), y))?;
    let proba = model.predict_proba(x.view())?;
    assert_eq!(proba.dim(), (45, 3));
    for (i, s) in proba.sum_axis(Axis(1)).iter().enumerate() {
        assert_close(*s, 1.0, 0.0, 1e-12, &format!("row {i}"));
    }
    assert!(proba.iter().all(|p| (0.0..=1.0).contains(p)));
    // Each label is its row's argmax.
    let labels = model.predict(&x);
    for (row, &label) in proba.rows().into_iter().zip(&labels) {
        assert!(row.iter().all(|&p| p <= row[label]), "label {label} for {row}");
    }
    Ok(())
}

#[test]
fn classifier_rejects_costs_that_cannot_train_it() {
    use nnlib::linfa::ParamGuard;
    for cost in [nnlib::Cost::Hinge, nnlib::Cost::Poisson] {
        match MlpClassifier::params().cost(cost).check() {
            Err(nnlib::Error::InvalidParameter { name: "cost", reason }) => {
                assert!(reason.contains(cost.name()), "{reason}")
            }
            other => panic!("{} should be rejected, got {other:?}", cost.name()),
        }
    }
}

#[test]
fn two_class_classifier_with_cce_uses_two_softmax_outputs() -> Result<(), Box<dyn std::error::Error>> {
    let moons = synthetic::two_moons(200, 0.1, 5)?;
    let model = MlpClassifier::params()
        .hidden(&[8])
        .cost(nnlib::Cost::CategoricalCrossEntropy)
        .learning_rate(0.5)
        .epochs(300)
        .seed(2)
        .fit(&moons)?;
    assert_eq!(model.network.n_outputs(), 2);
    assert_eq!(model.network.output_activation(), Activation::Softmax);
    let proba = model.predict_proba(moons.records().view())?;
    assert_eq!(proba.ncols(), 2);
    let accuracy = model.predict(moons.records()).confusion_matrix(&moons)?.accuracy();
    assert!(accuracy > 0.85, "accuracy {accuracy}");
    Ok(())
}
