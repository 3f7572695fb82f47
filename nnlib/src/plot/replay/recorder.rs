//! [`Recorder`]: the network at some epochs of the learner's own training loop.

use crate::{Error, History, Network, Result};

/// The network at some epochs of a training run, and the loss of every epoch,
/// collected by the learner's own training loop for a [`Replay`](super::Replay).
///
/// It keeps a copy of the network at each [`record`](Recorder::record) (so
/// its memory is the number of records times the network's parameters times
/// 8 bytes): record every few epochs, not after every one.
#[derive(Debug, Clone)]
pub struct Recorder {
    pub(super) sizes: Vec<usize>,
    /// `(epochs trained so far, the network then)`, the first at epoch 0.
    pub(super) frames: Vec<(usize, Network)>,
    /// The training loss of every epoch so far, across all records.
    pub(super) loss: Vec<f64>,
}

impl Recorder {
    /// A recorder for networks of `net`'s shape, whose frame 0 is `net` as it
    /// is now (usually untrained).
    ///
    /// # Errors
    /// [`Error::NonFinite`] if a weight or bias of `net` is NaN or infinite.
    pub fn new(net: &Network) -> Result<Recorder> {
        check_weights(net)?;
        Ok(Recorder { sizes: net.sizes(), frames: vec![(0, net.clone())], loss: vec![] })
    }

    /// Adds a frame: `net` after the training that `history` describes (its
    /// epochs are counted on from the previous record's).
    ///
    /// # Errors
    /// [`Error::Shape`] if `net` has other layer sizes than the recorder's
    /// network; [`Error::NonFinite`] if a loss in `history` is NaN or infinite
    /// (or a weight of `net`, which nnlib's own API never produces). Nothing
    /// is recorded then.
    pub fn record(&mut self, net: &Network, history: &History) -> Result<()> {
        if net.sizes() != self.sizes {
            return Err(Error::Shape {
                context: "Recorder::record: the network".into(),
                expected: format!("layer sizes {:?} (the network the recorder was made for)", self.sizes),
                got: format!("layer sizes {:?}", net.sizes()),
            });
        }
        if let Some((i, &value)) = history.loss.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::NonFinite {
                what: format!("the history's loss (epoch {} of the recording)", self.loss.len() + i + 1),
                row: i,
                column: 0,
                value,
            });
        }
        check_weights(net)?;
        self.loss.extend_from_slice(&history.loss);
        self.frames.push((self.loss.len(), net.clone()));
        Ok(())
    }

    /// The number of frames: the starting network and one per record.
    pub fn n_frames(&self) -> usize {
        self.frames.len()
    }

    /// The epoch of each frame (0 for the first).
    pub fn epochs(&self) -> Vec<usize> {
        self.frames.iter().map(|f| f.0).collect()
    }

    /// The training loss of every recorded epoch (epoch `e` is `loss()[e - 1]`).
    pub fn loss(&self) -> &[f64] {
        &self.loss
    }

    /// The network at frame `i`.
    pub fn network(&self, i: usize) -> Option<&Network> {
        self.frames.get(i).map(|f| &f.1)
    }
}

/// [`Error::NonFinite`] at the first NaN or infinity among `net`'s weights and biases.
fn check_weights(net: &Network) -> Result<()> {
    for l in 1..=net.layers().len() {
        crate::check::finite(&format!("weights W({l})"), net.w(l)?)?;
        crate::check::finite(&format!("biases b({l})"), net.b(l)?)?;
    }
    Ok(())
}
