//! The batches of one training run: which rows each update sees, and the
//! buffers they are copied into (allocated once, reused every epoch).

use crate::cost::Cost;
use crate::error::Result;
use crate::network::{Gradients, Network, Trace};
use ndarray::{Array2, ArrayView2};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use super::optimizer::State;
use super::TrainConfig;

/// Buffers for one batch size, reused by every batch of that size.
pub(super) struct Workspace {
    trace: Trace,
    y: Array2<f64>,
    grads: Gradients,
}

impl Workspace {
    pub(super) fn new(net: &Network, n: usize) -> Result<Self> {
        Ok(Workspace {
            trace: Trace::new(net, n)?,
            y: Array2::zeros((n, net.n_outputs())),
            grads: Gradients::new(net, n)?,
        })
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

    /// One step of gradient descent on the batch: forward, cost, backward,
    /// update. Returns the cost before the update.
    pub(super) fn step(
        &mut self,
        net: &mut Network,
        cost: Cost,
        state: &mut State,
        config: &TrainConfig,
    ) -> f64 {
        let c = self.cost(net, cost);
        net.backward_into(&self.trace, self.y.view(), cost, &mut self.grads);
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
    order: Vec<usize>,
    rng: StdRng,
    full: Workspace,
    /// For the last, shorter batch.
    tail: Option<Workspace>,
}

impl<'x, 'y> Batches<'x, 'y> {
    /// Buffers for batches of `size` rows of `(x, y)` (all of them: `n`).
    pub(super) fn new(
        net: &Network,
        x: ArrayView2<'x, f64>,
        y: ArrayView2<'y, f64>,
        size: usize,
        seed: u64,
    ) -> Result<Self> {
        let n = x.nrows();
        let mut full = Workspace::new(net, size)?;
        let tail = if n % size != 0 { Some(Workspace::new(net, n % size)?) } else { None };
        let order: Vec<usize> = (0..n).collect();
        if size == n {
            full.gather(x, y, &order); // the full batch never changes: copy it once
        }
        Ok(Batches { x, y, size, order, rng: StdRng::seed_from_u64(seed), full, tail })
    }

    /// Calls `f` on every batch and returns the mean of what it returns,
    /// weighted by the batch's rows: `(1/n) Σ_batches rows · f(batch)`.
    pub(super) fn each(&mut self, order: Order, mut f: impl FnMut(&mut Workspace) -> f64) -> f64 {
        let n = self.order.len();
        if self.size == n {
            return f(&mut self.full); // already gathered, and its order changes nothing
        }
        match order {
            Order::Shuffled => self.order.shuffle(&mut self.rng),
            Order::InOrder => self.order.sort_unstable(),
        }
        let mut sum = 0.0;
        for idx in self.order.chunks(self.size) {
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
