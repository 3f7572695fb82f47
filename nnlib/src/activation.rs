//! Activation functions `a = f(z)`, each value next to its derivative `f'(z)`.
//!
//! The scalar pairs (`sigmoid` / `sigmoid_prime`, `elu` / `elu_prime`, ...) are
//! what the lecture's table shows. [`Activation`] applies them to a whole batch:
//! [`Activation::forward`] computes `a(l) = f(z(l))` and [`Activation::backward`]
//! turns `dC/da(l)` into `delta(l) = dC/dz(l) = dC/da(l) ⊙ f'(z(l))`.
//!
//! Softmax is the one activation that mixes neurons, so its backward pass is a
//! Jacobian-vector product rather than an element-wise product. Maxout is not
//! here: it has weights of its own, so it is a layer ([`crate::layer::LayerKind::Maxout`]).
//!
//! [`Activation::Exp`], `a = e^z`, is **not one of the lecture's six**: it is the
//! inverse of the log link of a Poisson regression, the output that makes one
//! neuron with the Poisson cost the same model as a Poisson GLM.

use ndarray::{Array2, ArrayView2, Axis, Zip};

// ---------------------------------------------------------------------------
// Scalar functions: value, then derivative.
// ---------------------------------------------------------------------------

/// Identity `f(x) = x` (the output layer of a regression net).
pub fn identity(x: f64) -> f64 {
    x
}
/// `f'(x) = 1`.
pub fn identity_prime(_x: f64) -> f64 {
    1.0
}

/// Sigmoid `σ(x) = 1 / (1 + e^(-x))`.
///
/// Written in two branches so that `e^(...)` only ever sees a non-positive
/// argument: it never overflows, and the result is finite and in `[0, 1]` for
/// every finite `x`.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}
/// `σ'(x) = σ(x) (1 - σ(x))`.
pub fn sigmoid_prime(x: f64) -> f64 {
    let s = sigmoid(x);
    s * (1.0 - s)
}

/// Hyperbolic tangent `tanh(x) = (e^x - e^(-x)) / (e^x + e^(-x))`.
///
/// Computed by `fastmath::tanh` in `nnlib/src/fastmath.rs` (within 2 units in the last place of
/// `f64::tanh`) instead of the C maths library, so that a whole batch compiles
/// to SIMD instructions; that module explains how.
#[inline]
pub fn tanh(x: f64) -> f64 {
    crate::fastmath::tanh(x)
}
/// `tanh'(x) = 1 - tanh²(x)`.
pub fn tanh_prime(x: f64) -> f64 {
    let t = tanh(x);
    1.0 - t * t
}

/// ReLU `max(0, x)`.
pub fn relu(x: f64) -> f64 {
    x.max(0.0)
}
/// `ReLU'(x) = 1 if x > 0, else 0` (the lecture's choice at `x = 0`).
pub fn relu_prime(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else {
        0.0
    }
}

/// Leaky ReLU `max(slope·x, x)`; the lecture uses `slope = 0.1`.
pub fn leaky_relu(x: f64, slope: f64) -> f64 {
    if x > 0.0 {
        x
    } else {
        slope * x
    }
}
/// `f'(x) = 1 if x > 0, else slope`.
pub fn leaky_relu_prime(x: f64, slope: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else {
        slope
    }
}

/// ELU `x if x > 0, else α (e^x - 1)`.
pub fn elu(x: f64, alpha: f64) -> f64 {
    if x > 0.0 {
        x
    } else {
        alpha * x.exp_m1()
    }
}
/// `ELU'(x) = 1 if x > 0, else α e^x`.
pub fn elu_prime(x: f64, alpha: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else {
        alpha * x.exp()
    }
}

/// Exponential `f(x) = e^x`, the inverse of the log link (not one of the lecture's six):
/// a positive rate from any `z`. `+∞` once `x` exceeds about 709.78 (the network
/// reports that as an overflow rather than training on it).
pub fn exp(x: f64) -> f64 {
    x.exp()
}
/// `exp'(x) = e^x`: the function is its own derivative.
pub fn exp_prime(x: f64) -> f64 {
    x.exp()
}

/// Softmax of one row: `a_j = e^(z_j) / Σ_k e^(z_k)`.
///
/// The row maximum is subtracted first (it cancels in the ratio), so `e^(...)`
/// never overflows. A `+∞` entry is the limit `z_j → ∞`: the `+∞` entries
/// share the probability 1 and the others get 0 (rather than `∞ - ∞ = NaN`).
pub fn softmax(z: &[f64]) -> Vec<f64> {
    let max = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|&v| shifted_exp(v, max)).collect();
    let sum: f64 = e.iter().sum();
    e.iter().map(|v| v / sum).collect()
}

/// `e^(v - max)`, or for `max = +∞` the limit: 1 for the `+∞` entries, 0 for the rest.
fn shifted_exp(v: f64, max: f64) -> f64 {
    if max == f64::INFINITY {
        f64::from(u8::from(v == max))
    } else {
        (v - max).exp()
    }
}

// ---------------------------------------------------------------------------
// The batched form used by the network.
// ---------------------------------------------------------------------------

/// An activation `f` applied to a layer's weighted inputs `z`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activation {
    /// `f(z) = z`.
    Identity,
    /// `f(z) = 1 / (1 + e^(-z))`.
    Sigmoid,
    /// `f(z) = tanh(z)`.
    Tanh,
    /// `f(z) = max(0, z)`.
    Relu,
    /// `f(z) = max(slope·z, z)`; [`Activation::leaky_relu`] gives the lecture's 0.1.
    LeakyRelu {
        /// Slope for negative inputs (0.1 in the lecture).
        slope: f64,
    },
    /// `f(z) = z if z > 0, else α (e^z - 1)`; [`Activation::elu`] gives α = 1.
    Elu {
        /// Saturation value for large negative inputs is `-alpha`.
        alpha: f64,
    },
    /// `a_j = e^(z_j) / Σ_k e^(z_k)` over the neurons of the layer (each row).
    Softmax,
    /// `f(z) = e^z`: a positive rate, the log link of Poisson regression
    /// (`ln a = z`). Not one of the lecture's six; with [`crate::Cost::Poisson`]
    /// its `delta` is `(a - y) / n`, as sigmoid's is with binary cross-entropy.
    Exp,
}

impl Activation {
    /// Leaky ReLU with the lecture's slope, `max(0.1x, x)`.
    pub fn leaky_relu() -> Self {
        Activation::LeakyRelu { slope: 0.1 }
    }

    /// ELU with the usual `α = 1`.
    pub fn elu() -> Self {
        Activation::Elu { alpha: 1.0 }
    }

    /// A short lower-case name, for tables and plot legends.
    pub fn name(&self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu { .. } => "leaky_relu",
            Activation::Elu { .. } => "elu",
            Activation::Softmax => "softmax",
            Activation::Exp => "exp",
        }
    }

    /// `f(x)` for one number. Softmax has no scalar form; this returns the
    /// one-neuron softmax, 1.
    pub fn value(&self, x: f64) -> f64 {
        match *self {
            Activation::Identity => identity(x),
            Activation::Sigmoid => sigmoid(x),
            Activation::Tanh => tanh(x),
            Activation::Relu => relu(x),
            Activation::LeakyRelu { slope } => leaky_relu(x, slope),
            Activation::Elu { alpha } => elu(x, alpha),
            Activation::Softmax => 1.0,
            Activation::Exp => exp(x),
        }
    }

    /// `f'(x)` for one number (the diagonal of the Jacobian for softmax is not
    /// a function of `x` alone; this returns 0, the one-neuron softmax's slope).
    pub fn derivative(&self, x: f64) -> f64 {
        match *self {
            Activation::Identity => identity_prime(x),
            Activation::Sigmoid => sigmoid_prime(x),
            Activation::Tanh => tanh_prime(x),
            Activation::Relu => relu_prime(x),
            Activation::LeakyRelu { slope } => leaky_relu_prime(x, slope),
            Activation::Elu { alpha } => elu_prime(x, alpha),
            Activation::Softmax => 0.0,
            Activation::Exp => exp_prime(x),
        }
    }

    /// `a = f(z)` for a batch (rows are samples, columns neurons).
    pub fn forward(&self, z: ArrayView2<f64>) -> Array2<f64> {
        let mut a = z.to_owned();
        self.forward_inplace(&mut a);
        a
    }

    /// `a = f(z)` in place: `za` holds `z` on entry and `a` on return.
    pub(crate) fn forward_inplace(&self, za: &mut Array2<f64>) {
        match *self {
            Activation::Softmax => {
                for mut row in za.rows_mut() {
                    let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
                    // +∞ entries share the probability 1 (see `softmax`).
                    row.mapv_inplace(|v| shifted_exp(v, max));
                    let sum = row.sum();
                    row.mapv_inplace(|v| v / sum);
                }
            }
            Activation::Identity => {}
            // The same scalar functions as `value`, picked once for the whole batch
            // rather than by a `match` on every element.
            Activation::Sigmoid => za.mapv_inplace(sigmoid),
            Activation::Tanh => crate::fastmath::map_inplace_simd(za, tanh),
            Activation::Relu => za.mapv_inplace(relu),
            Activation::LeakyRelu { slope } => za.mapv_inplace(|x| leaky_relu(x, slope)),
            Activation::Elu { alpha } => za.mapv_inplace(|x| elu(x, alpha)),
            Activation::Exp => za.mapv_inplace(exp),
        }
    }

    /// `delta = dC/dz = dC/da ⊙ f'(z)`, the step back through the activation,
    /// for a batch: `z` and `a = f(z)` come from the forward pass. For softmax
    /// the Jacobian gives, row by row, `dC/dz_j = a_j (dC/da_j - Σ_k a_k dC/da_k)`.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Shape`] unless `z`, `a` and `dc_da` have the same shape.
    pub fn backward(
        &self,
        z: ArrayView2<f64>,
        a: ArrayView2<f64>,
        dc_da: ArrayView2<f64>,
    ) -> crate::Result<Array2<f64>> {
        crate::check::same_shape("backward: z vs a", z, a)?;
        crate::check::same_shape("backward: z vs dC/da", z, dc_da)?;
        let mut delta = dc_da.to_owned();
        self.backward_inplace(z, a, &mut delta);
        Ok(delta)
    }

    /// [`Activation::backward`] in place, unchecked, for the network's backward
    /// pass (which makes all three arrays itself): `dc_da` becomes `dC/dz`.
    pub(crate) fn backward_inplace(&self, z: ArrayView2<f64>, a: ArrayView2<f64>, dc_da: &mut Array2<f64>) {
        match *self {
            Activation::Identity => {}
            // σ'(z) = a (1 - a): reuse a instead of recomputing e^(-z).
            Activation::Sigmoid => Zip::from(dc_da).and(a).for_each(|g, &a| *g *= a * (1.0 - a)),
            // tanh'(z) = 1 - a².
            Activation::Tanh => Zip::from(dc_da).and(a).for_each(|g, &a| *g *= 1.0 - a * a),
            Activation::Softmax => {
                let dot = (&*dc_da * &a).sum_axis(Axis(1)).insert_axis(Axis(1));
                Zip::from(dc_da).and(a).and_broadcast(&dot).for_each(|g, &a, &s| *g = a * (*g - s));
            }
            // f'(z) picked once for the batch, as in `forward_inplace`.
            Activation::Relu => Zip::from(dc_da).and(z).for_each(|g, &z| *g *= relu_prime(z)),
            Activation::LeakyRelu { slope } => {
                Zip::from(dc_da).and(z).for_each(|g, &z| *g *= leaky_relu_prime(z, slope))
            }
            Activation::Elu { alpha } => Zip::from(dc_da).and(z).for_each(|g, &z| *g *= elu_prime(z, alpha)),
            // exp'(z) = e^z = a: reuse a.
            Activation::Exp => Zip::from(dc_da).and(a).for_each(|g, &a| *g *= a),
        }
    }
}
