//! The batches of one training run: which rows each update sees, and the
//! buffers they are copied into (allocated once, reused every epoch).

use crate::cost::Cost;
use crate::error::Result;
use crate::network::{Gradients, Masks, Network, Trace};
use ndarray::{Array2, ArrayView2};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use super::optimizer::State;
use super::regularize::{add_l2_gradient, l2_penalty};
use super::{accuracy_unchecked, TrainConfig};

/// Buffers for one batch size, reused by every batch of that size.
pub(super) struct Workspace {
    trace: Trace,
    y: Array2<f64>,
    grads: Gradients,
    /// Dropout's masks and their seeded generator (with a dropout rate above 0).
    dropout: Option<(Masks, StdRng)>,
}

impl Workspace {
    /// Buffers for batches of `n` rows; `dropout_seed` seeds the masks when
    /// the config asks for dropout.
    pub(super) fn new(net: &Network, n: usize, config: &TrainConfig, dropout_seed: u64) -> Result<Self> {
        let dropout = match config.dropout > 0.0 {
            true => Some((Masks::new(net, n)?, StdRng::seed_from_u64(dropout_seed))),
            false => None,
        };
        Ok(Workspace {
            trace: Trace::new(net, n)?,
            y: Array2::zeros((n, net.n_outputs())),
            grads: Gradients::new(net, n)?,
            dropout,
        })
    }

    /// Rows in this batch.
    pub(super) fn rows(&self) -> usize {
        self.y.nrows()
    }

    /// The batch's accuracy after [`Workspace::cost`] (`None` for regression costs).
    pub(super) fn accuracy(&self, cost: Cost) -> Option<f64> {
        accuracy_unchecked(cost, self.trace.output().view(), self.y.view())
    }

    /// Copies the rows `idx` of `x` and `y` into the batch buffers.
    pub(super) fn gather(&mut self, x: ArrayView2<f64>, y: ArrayView2<f64>, idx: &[usize]) {
        copy_rows(&mut self.trace.a[0], x, idx);
        copy_rows(&mut self.y, y, idx);
    }

    /// The cost of the batch: forward, then `C`.
    pub(super) fn cost(&mut self, net: &Network, cost: Cost) -> f64 {
        net.forward_into(&mut self.trace);
        cost.value_unchecked(self.trace.output().view(), self.y.view())
    }

    /// One step of gradient descent on the batch: forward (with new dropout
    /// masks), cost, backward, update. `lambda_over_n` is weight decay's `λ/n`.
    /// Returns the cost before the update, `C0 + λ/2n Σ w²`.
    pub(super) fn step(
        &mut self,
        net: &mut Network,
        cost: Cost,
        state: &mut State,
        config: &TrainConfig,
        lambda_over_n: f64,
    ) -> f64 {
        let masks = match &mut self.dropout {
            Some((masks, rng)) => {
                masks.draw(config.dropout, rng);
                Some(masks)
            }
            None => None,
        };
        net.forward_masked_into(&mut self.trace, masks);
        let mut c = cost.value_unchecked(self.trace.output().view(), self.y.view());
        let masks = self.dropout.as_ref().map(|(m, _)| m);
        net.backward_masked_into(&self.trace, self.y.view(), cost, &mut self.grads, masks);
        if lambda_over_n > 0.0 {
            c += l2_penalty(net, lambda_over_n);
            add_l2_gradient(net, lambda_over_n, &mut self.grads);
        }
        state.step(net, &self.grads, config.optimizer, config.learning_rate);
        c
    }
}

/// `dst[r] = src[idx[r]]` for every row r of `dst`.
fn copy_rows(dst: &mut Array2<f64>, src: ArrayView2<f64>, idx: &[usize]) {
    let width = src.ncols();
    match (dst.as_slice_mut(), src.as_slice()) {
        // Both row-major and contiguous (as the training data almost always is):
        // each row is one slice copy (a memcpy).
        (Some(dst), Some(src)) if width > 0 => {
            for (d, &i) in dst.chunks_exact_mut(width).zip(idx) {
                d.copy_from_slice(&src[i * width..(i + 1) * width]);
            }
        }
        _ => {
            for (r, &i) in idx.iter().enumerate() {
                dst.row_mut(r).assign(&src.row(i));
            }
        }
    }
}

/// The order in which [`Batches::each`] visits the rows.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Order {
    /// Shuffled anew (seeded): one epoch of mini-batch gradient descent.
    Shuffled,
    /// Row 0 first: the cost over the whole training set, in a fixed order.
    InOrder,
}

/// The training set cut into batches of `size` rows (the last one shorter
/// when `size` does not divide `n`), each copied into buffers of its size.
pub(super) struct Batches<'x, 'y> {
    x: ArrayView2<'x, f64>,
    y: ArrayView2<'y, f64>,
    size: usize,
    /// The rows in the order of the current epoch.
    order: Vec<usize>,
    /// `0..n`, for the passes in order (which must not disturb the shuffle's sequence).
    in_order: Vec<usize>,
    rng: StdRng,
    full: Workspace,
    /// For the last, shorter batch.
    tail: Option<Workspace>,
}

impl<'x, 'y> Batches<'x, 'y> {
    /// Buffers for batches of `size` rows of `(x, y)` (all of them: `n`),
    /// shuffled and masked as `config` says.
    pub(super) fn new(
        net: &Network,
        x: ArrayView2<'x, f64>,
        y: ArrayView2<'y, f64>,
        size: usize,
        config: &TrainConfig,
    ) -> Result<Self> {
        let n = x.nrows();
        // Dropout's generators are seeded apart from the shuffle's, so dropout
        // does not change the batches' order.
        let mask_seed = config.seed ^ 0x9e37_79b9_7f4a_7c15;
        let mut full = Workspace::new(net, size, config, mask_seed)?;
        let tail = match n % size != 0 {
            true => Some(Workspace::new(net, n % size, config, mask_seed.wrapping_add(1))?),
            false => None,
        };
        let order: Vec<usize> = (0..n).collect();
        if size == n {
            full.gather(x, y, &order); // the full batch never changes: copy it once
        }
        let rng = StdRng::seed_from_u64(config.seed);
        Ok(Batches { x, y, size, in_order: order.clone(), order, rng, full, tail })
    }

    /// `n`, the rows of the training set.
    pub(super) fn n(&self) -> usize {
        self.order.len()
    }

    /// Calls `f` on every batch and returns the mean of what it returns,
    /// weighted by the batch's rows: `(1/n) Σ_batches rows · f(batch)`.
    pub(super) fn each(&mut self, order: Order, mut f: impl FnMut(&mut Workspace) -> f64) -> f64 {
        let n = self.order.len();
        if self.size == n {
            return f(&mut self.full); // already gathered, and its order changes nothing
        }
        let rows = match order {
            Order::Shuffled => {
                self.order.shuffle(&mut self.rng);
                &self.order
            }
            Order::InOrder => &self.in_order,
        };
        let mut sum = 0.0;
        for idx in rows.chunks(self.size) {
            let ws = match &mut self.tail {
                Some(tail) if idx.len() < self.size => tail,
                _ => &mut self.full,
            };
            ws.gather(self.x, self.y, idx);
            sum += f(ws) * idx.len() as f64;
        }
        sum / n as f64
    }
}
