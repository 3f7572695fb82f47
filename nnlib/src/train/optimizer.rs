//! The update rules: plain gradient descent, momentum and Adam, each update
//! written beside its formula.

use crate::error::{Error, Result};
use crate::network::{Gradients, Network};
use crate::numfmt::num;
use ndarray::{Array, Array1, Array2, Dimension, Zip};

/// The update rule for `w` given `dC/dw` (and likewise for `b`).
///
/// One way to get each: `Optimizer::Sgd`, [`Optimizer::momentum`] (or
/// [`Optimizer::momentum_with`]) and [`Optimizer::adam`] (or
/// [`Optimizer::adam_with`]). The constants live in [`Momentum`] and [`Adam`],
/// whose fields are private, so every optimizer that exists has valid constants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Optimizer {
    /// Plain gradient descent: `w := w - ε dC/dw`.
    Sgd,
    /// Momentum: `v := β v - ε dC/dw`, `w := w + v`.
    Momentum(Momentum),
    /// Adam: `m := β1 m + (1-β1) g`, `v := β2 v + (1-β2) g²`,
    /// `w := w - ε m̂ / (sqrt(v̂) + ε̂)` with bias-corrected `m̂, v̂`; Adam's
    /// own small `ε̂` ([`Adam::epsilon`]) only keeps the division finite.
    Adam(Adam),
}

/// Momentum's constant `β`, in `[0, 1)`; see [`Optimizer::momentum_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Momentum {
    beta: f64,
}

impl Momentum {
    /// How much of the previous step is kept (0.9 is usual).
    pub fn beta(&self) -> f64 {
        self.beta
    }
}

/// Adam's constants; see [`Optimizer::adam_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adam {
    beta1: f64,
    beta2: f64,
    epsilon: f64,
}

impl Adam {
    /// Decay of the first moment (0.9), in `[0, 1)`.
    pub fn beta1(&self) -> f64 {
        self.beta1
    }
    /// Decay of the second moment (0.999), in `[0, 1)`.
    pub fn beta2(&self) -> f64 {
        self.beta2
    }
    /// Adam's `ε̂` (1e-8), positive: keeps the division finite. Not the
    /// learning rate, which is [`TrainConfig::learning_rate`](super::TrainConfig::learning_rate).
    pub fn epsilon(&self) -> f64 {
        self.epsilon
    }
}

/// `Ok` when `b` is in `[0, 1)`, else an error naming the constant.
fn check_beta(name: &'static str, what: &str, b: f64) -> Result<()> {
    if (0.0..1.0).contains(&b) {
        Ok(())
    } else {
        Err(Error::InvalidParameter { name, reason: format!("{what} must be in [0, 1), got {}", num(b)) })
    }
}

impl Optimizer {
    /// Momentum with `β = 0.9`.
    pub fn momentum() -> Self {
        Optimizer::Momentum(Momentum { beta: 0.9 })
    }

    /// Momentum with another `β`, which must be in `[0, 1)`.
    pub fn momentum_with(beta: f64) -> Result<Self> {
        check_beta("beta", "momentum beta", beta)?;
        Ok(Optimizer::Momentum(Momentum { beta }))
    }

    /// Adam with the usual `β1 = 0.9, β2 = 0.999, ε̂ = 1e-8`.
    pub fn adam() -> Self {
        Optimizer::Adam(Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 })
    }

    /// Adam with other constants: betas in `[0, 1)`, `epsilon` positive and finite.
    pub fn adam_with(beta1: f64, beta2: f64, epsilon: f64) -> Result<Self> {
        check_beta("beta1", "Adam beta1", beta1)?;
        check_beta("beta2", "Adam beta2", beta2)?;
        if !(epsilon > 0.0 && epsilon.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "epsilon",
                reason: format!("Adam epsilon must be positive and finite, got {}", num(epsilon)),
            });
        }
        Ok(Optimizer::Adam(Adam { beta1, beta2, epsilon }))
    }

    /// Always `Ok`: the constructors above only make valid optimizers. Kept so
    /// that [`TrainConfig::check`](super::TrainConfig::check) reads as a list of every check.
    pub(crate) fn check(&self) -> Result<()> {
        match *self {
            Optimizer::Sgd => Ok(()),
            Optimizer::Momentum(m) => Optimizer::momentum_with(m.beta).map(drop),
            Optimizer::Adam(a) => Optimizer::adam_with(a.beta1, a.beta2, a.epsilon).map(drop),
        }
    }
}

/// Optimizer memory, one pair of arrays per layer.
pub(super) struct State {
    /// Momentum's `v`, or Adam's first moment `m`.
    m: Vec<(Array2<f64>, Array1<f64>)>,
    /// Adam's second moment `v`.
    v: Vec<(Array2<f64>, Array1<f64>)>,
    /// Number of updates so far (Adam's bias correction).
    t: i32,
}

impl State {
    /// Zeroed moments (two copies of every parameter), if they fit.
    pub(super) fn new(net: &Network) -> Result<Self> {
        let bytes = crate::memory::f64_bytes(&[net.n_params(), 2]);
        crate::memory::check(bytes, || "the optimizer's memory (2 × the weights)".into())?;
        let zeros = || {
            net.layers()
                .iter()
                .map(|l| (Array2::zeros(l.w().raw_dim()), Array1::zeros(l.b().len())))
                .collect()
        };
        Ok(State { m: zeros(), v: zeros(), t: 0 })
    }

    /// One update of every weight and bias, `learning_rate` being the lecture's `ε`.
    pub(super) fn step(
        &mut self,
        net: &mut Network,
        g: &Gradients,
        optimizer: Optimizer,
        learning_rate: f64,
    ) {
        self.t = self.t.saturating_add(1); // no overflow panic when training "until converged"
        for (i, layer) in net.layers_mut().iter_mut().enumerate() {
            let (w, b) = layer.params_mut();
            let (mw, mb) = &mut self.m[i];
            let (vw, vb) = &mut self.v[i];
            update(w, &g.dc_dw[i], mw, vw, optimizer, learning_rate, self.t);
            update(b, &g.dc_db[i], mb, vb, optimizer, learning_rate, self.t);
        }
    }
}

/// Updates one parameter array `p` with its gradient `g` (any dimension).
fn update<D: Dimension>(
    p: &mut Array<f64, D>,
    g: &Array<f64, D>,
    m: &mut Array<f64, D>,
    v: &mut Array<f64, D>,
    optimizer: Optimizer,
    learning_rate: f64,
    t: i32,
) {
    match optimizer {
        // w := w - ε dC/dw
        Optimizer::Sgd => p.scaled_add(-learning_rate, g),
        // v := β v - ε dC/dw ; w := w + v
        Optimizer::Momentum(Momentum { beta }) => Zip::from(p).and(m).and(g).for_each(|p, m, &g| {
            *m = beta * *m - learning_rate * g;
            *p += *m;
        }),
        Optimizer::Adam(Adam { beta1, beta2, epsilon }) => {
            let (c1, c2) = (1.0 - beta1.powi(t), 1.0 - beta2.powi(t));
            Zip::from(p).and(m).and(v).and(g).for_each(|p, m, v, &g| {
                *m = beta1 * *m + (1.0 - beta1) * g;
                *v = beta2 * *v + (1.0 - beta2) * g * g;
                *p -= learning_rate * (*m / c1) / ((*v / c2).sqrt() + epsilon);
            });
        }
    }
}
