//! [`NetworkDiagram`]: the lecture's picture of a network, drawn from a live
//! [`Network`], with one sample's `z`, `a`, `delta` and `dC/dw` on it.

mod content;
mod draw;
mod layout;
mod text;

use content::{describe, Model, Request};

use super::figure::Figure;
use crate::{Gradients, Network, Result, Trace};

/// A drawing of a [`Network`] in the lecture's layout: layers left to right,
/// each neuron a circle named as in the lecture (`x1 … x4 = a1(1) … a4(1)` for
/// the inputs, `a2(3)` for neuron 2 of layer 3), one edge per weight `w_jk(l)`
/// from neuron `k` of layer `l` to neuron `j` of layer `l + 1`, blue for a
/// positive and red for a negative weight, thicker for a larger one.
///
/// Optional layers of information, added with the builder methods:
///
/// * [`values`](Self::values): one sample's `z` and `a` printed on each neuron,
///   whose colour shows `a` (blue > 0, red < 0, darker = larger);
/// * [`gradients`](Self::gradients): `delta = dC/dz` on each neuron, and the
///   edges show `dC/dw` instead of `w` (colour = sign, width = size);
/// * [`highlight_weight`](Self::highlight_weight) and
///   [`highlight_neuron`](Self::highlight_neuron): one edge or neuron ringed
///   and labelled with everything known about it; with values and gradients
///   of one sample, a highlighted weight's box spells out the chain rule
///   `dC/dw_jk(l) = dC/da_j(l+1) · f'(z_j(l+1)) · a_k(l)` with its numbers.
///
/// Every neuron and edge carries a tooltip with its values to 6 digits.
/// Layers of up to 6 neurons print names and values; larger ones (up to 30
/// neurons) are drawn compactly, values in tooltips and colours; a layer of
/// more than 30 shows its first 10 and last 3 neurons (and any highlighted one)
/// with an ellipsis, and says how many it has. A **maxout** neuron is marked
/// "max of k pieces" and lists each piece's `z`; its edge shows the piece of
/// largest magnitude, and the tooltip every piece.
///
/// ```
/// use nnlib::ndarray::array;
/// use nnlib::{plot, Activation, Cost, Network};
/// let net = Network::new(&[4, 3, 2, 1], &[Activation::Sigmoid, Activation::Sigmoid, Activation::Identity], 0)?;
/// let x = array![[1.0, 0.5, -1.0, 2.0]];
/// let trace = net.forward(x.view())?;
/// let grads = net.backward(&trace, array![[1.0]].view(), Cost::Mse)?;
/// let fig = plot::NetworkDiagram::new(&net)
///     .values(&trace, 0)
///     .gradients(&grads, 0)
///     .highlight_weight(2, 2, 2) // w22(2): from a2(2) to a2(3)
///     .title("Backpropagation: dC/dw22(2)")
///     .draw()?;
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// Nothing is checked until [`draw`](Self::draw), which returns every problem
/// as an error.
#[derive(Clone)]
pub struct NetworkDiagram<'a> {
    net: &'a Network,
    values: Option<(&'a Trace, usize)>,
    gradients: Option<(&'a Gradients, usize)>,
    weight: Option<(usize, usize, usize)>,
    neuron: Option<(usize, usize)>,
    one_scale: bool,
    title: Option<String>,
    input_names: Option<Vec<String>>,
    output_names: Option<Vec<String>>,
}

impl<'a> NetworkDiagram<'a> {
    /// A diagram of `net` showing its weights.
    pub fn new(net: &'a Network) -> Self {
        NetworkDiagram {
            net,
            values: None,
            gradients: None,
            weight: None,
            neuron: None,
            one_scale: false,
            title: None,
            input_names: None,
            output_names: None,
        }
    }

    /// Shows `z(l)` and `a(l)` of sample `sample` (a row of the batch, from 0)
    /// of a `trace` from `net.forward(..)`.
    pub fn values(mut self, trace: &'a Trace, sample: usize) -> Self {
        self.values = Some((trace, sample));
        self
    }

    /// Shows `delta(l)` of sample `sample` on the neurons and `dC/dW(l)` on the
    /// edges, from `net.backward(..)`. `dC/dW` is the gradient of the whole
    /// batch's cost, as [`Gradients`] holds it; for a batch of one sample it is
    /// that sample's `delta · a`.
    pub fn gradients(mut self, grads: &'a Gradients, sample: usize) -> Self {
        self.gradients = Some((grads, sample));
        self
    }

    /// Highlights the weight `w_jk(l)`, 1-based as in the lecture: the edge from
    /// neuron `k` of layer `l` to neuron `j` of layer `l + 1`
    /// (`highlight_weight(2, 2, 2)` is `w22(2)`).
    pub fn highlight_weight(mut self, l: usize, j: usize, k: usize) -> Self {
        self.weight = Some((l, j, k));
        self
    }

    /// Highlights neuron `j` of layer `l`, `a_j(l)`, 1-based
    /// (`highlight_neuron(3, 2)` is `a2(3)`).
    pub fn highlight_neuron(mut self, l: usize, j: usize) -> Self {
        self.neuron = Some((l, j));
        self
    }

    /// Draws every layer on one logarithmic colour scale instead of one
    /// linear scale per layer: edge widths and colours are relative to the
    /// largest edge value of the whole network, and with
    /// [`gradients`](Self::gradients) each neuron is coloured by its `delta`
    /// (blue > 0, red < 0) relative to the largest `|delta|` of the whole
    /// network. Each factor of 10 below the largest value is one sixth
    /// fainter, so `10⁻⁶` of it and less is drawn as 0. Since
    /// `delta(l) = (W(l)ᵀ delta(l+1)) ⊙ f'(z(l))` and `dC/dw_jk(l) = delta_j(l+1) a_k(l)`,
    /// a gradient that vanishes toward the input then fades visibly, layer by
    /// layer. (By default each layer is scaled to its own largest value, which
    /// shows the pattern inside a layer but hides differences between layers.)
    pub fn one_scale(mut self) -> Self {
        self.one_scale = true;
        self
    }

    /// The title; by default "The 4-3-2-1 network" (its layer sizes), with what is shown.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Names the inputs, one name per input neuron in order, e.g. the
    /// dataset's feature names: each is written beside its neuron (instead of
    /// `x1`, `x2`, ... in a large network) and heads its tooltip.
    ///
    /// ```
    /// use nnlib::{plot::NetworkDiagram, Activation, Network};
    /// let net = Network::new(&[2, 3, 3], &[Activation::Tanh, Activation::Softmax], 0)?;
    /// let fig = NetworkDiagram::new(&net)
    ///     .input_names(&["bill_length_mm", "flipper_length_mm"]) // or &dataset.feature_names()
    ///     .output_names(&["Adelie", "Chinstrap", "Gentoo"]) // or &labelled.classes
    ///     .draw()?;
    /// assert!(fig.svg().contains("flipper_length_mm") && fig.svg().contains("Gentoo"));
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    pub fn input_names<S: AsRef<str>>(mut self, names: &[S]) -> Self {
        self.input_names = Some(names.iter().map(|n| n.as_ref().to_string()).collect());
        self
    }

    /// Names the outputs, one name per output neuron in order, e.g. the class
    /// names ([`Labelled::classes`](crate::data::Labelled::classes)): each is
    /// written beside its neuron (instead of `a1(3)`, ... in a large network)
    /// and heads its tooltip. See [`input_names`](Self::input_names).
    pub fn output_names<S: AsRef<str>>(mut self, names: &[S]) -> Self {
        self.output_names = Some(names.iter().map(|n| n.as_ref().to_string()).collect());
        self
    }

    /// Checks everything and draws the figure.
    ///
    /// # Errors
    /// [`Error::Shape`](crate::Error::Shape) if the trace or the gradients do
    /// not come from this network (other layers or widths) or are of different
    /// batches, or if the input or output names are not one per neuron; [`Error::InvalidParameter`](crate::Error::InvalidParameter) for a
    /// sample index outside the batch, a highlighted weight or neuron that the
    /// network does not have, or a drawing larger than
    /// [`MAX_SIDE`](super::MAX_SIDE).
    pub fn draw(&self) -> Result<Figure> {
        let request = Request {
            net: self.net,
            values: self.values,
            gradients: self.gradients,
            weight: self.weight,
            neuron: self.neuron,
            one_scale: self.one_scale,
            input_names: self.input_names.as_deref(),
            output_names: self.output_names.as_deref(),
        };
        let model = Model::read(&request)?;
        let title = self.title.clone().unwrap_or_else(|| self.default_title());
        draw::draw(&model, &title)
    }

    fn default_title(&self) -> String {
        let shown = match (self.values, self.gradients) {
            (None, None) => "its weights".to_string(),
            (Some((_, s)), None) => format!("z and a of sample {s}"),
            (None, Some((_, s))) => format!("delta and dC/dw (sample {s})"),
            (Some((_, s)), Some(_)) => format!("z, a, delta and dC/dw of sample {s}"),
        };
        format!("The {} network: {shown}", describe(&self.net.sizes()))
    }
}

/// The diagram of `net` with its weights: shorthand for
/// `NetworkDiagram::new(net).draw()`.
///
/// # Errors
/// As [`NetworkDiagram::draw`].
pub fn network(net: &Network) -> Result<Figure> {
    NetworkDiagram::new(net).draw()
}
