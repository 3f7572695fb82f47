//! nnlib — placeholder crate docs (rewritten when the core lands).

pub use linfa;
#[cfg(feature = "baselines")]
pub use linfa_linear;
#[cfg(feature = "baselines")]
pub use linfa_logistic;
pub use ndarray;

pub mod activation;
pub mod check;
pub mod cost;
pub mod data;
pub mod error;
pub mod gradcheck;
pub mod layer;
pub mod model;
pub mod network;
pub mod plot;
pub mod train;

pub use activation::Activation;
pub use cost::Cost;
pub use error::{Error, Result};
pub use gradcheck::{gradient_check, GradCheck};
pub use layer::{Layer, LayerKind};
pub use model::{
    FittedMlpClassifier, FittedMlpRegressor, MlpClassifier, MlpParams, MlpRegressor, MlpValidParams,
};
pub use network::{Gradients, Init, Network, NetworkBuilder, Trace};
pub use train::{History, Optimizer, Stop, TrainConfig};
