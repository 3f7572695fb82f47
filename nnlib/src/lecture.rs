//! The lecture's worked example, kept in the library (as d2l's `#@save` keeps
//! its helpers) so that every notebook starts from the same numbers.

use crate::activation::Activation::{Identity, Sigmoid};
use crate::layer::Layer;
use crate::network::Network;
use ndarray::{array, Array1, Array2};

impl Network {
    /// The lecture's 4-3-2-1 network: four inputs, hidden layers of 3 and 2
    /// sigmoid neurons, one identity output `s`, with the lecture's weights:
    ///
    /// ```text
    /// W(1) = [[ 0.1, -0.2,  0.3,  0.4],     b(1) = [0.1, -0.1, 0.05]
    ///         [ 0.5,  0.1, -0.3,  0.2],
    ///         [-0.4,  0.3,  0.2, -0.1]]
    /// W(2) = [[ 0.3, -0.5,  0.2],           b(2) = [0.0, 0.1]
    ///         [ 0.6,  0.4, -0.7]]
    /// W(3) = [[ 1.5, -2.0]]                 b(3) = [0.0]
    /// ```
    ///
    /// ```
    /// let net = nnlib::Network::lecture();
    /// assert_eq!(net.sizes(), vec![4, 3, 2, 1]);
    /// assert_eq!(net.w(3)?[[0, 1]], -2.0);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    pub fn lecture() -> Network {
        let weights: [(Array2<f64>, Array1<f64>); 3] = [
            (
                array![[0.1, -0.2, 0.3, 0.4], [0.5, 0.1, -0.3, 0.2], [-0.4, 0.3, 0.2, -0.1]],
                array![0.1, -0.1, 0.05],
            ),
            (array![[0.3, -0.5, 0.2], [0.6, 0.4, -0.7]], array![0.0, 0.1]),
            (array![[1.5, -2.0]], array![0.0]),
        ];
        let layers = [(4, 3, Sigmoid), (3, 2, Sigmoid), (2, 1, Identity)];
        let mut net =
            Network::from_layers(layers.map(|(n_in, n_out, f)| Layer::dense(n_in, n_out, f)).to_vec());
        for (layer, (w, b)) in net.layers_mut().iter_mut().zip(weights) {
            let (layer_w, layer_b) = layer.params_mut();
            *layer_w = w;
            *layer_b = b;
        }
        net
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The literal weights fit the layers: the same network built with the
    /// checked `set_w` / `set_b`.
    #[test]
    fn the_lecture_network_is_what_the_checked_setters_build() {
        let lecture = Network::lecture();
        let mut checked =
            Network::builder(4).dense(3, Sigmoid).dense(2, Sigmoid).dense(1, Identity).build().unwrap();
        for l in 1..=3 {
            checked.set_w(l, lecture.w(l).unwrap().clone()).unwrap();
            checked.set_b(l, lecture.b(l).unwrap().clone()).unwrap();
        }
        assert_eq!(checked, lecture);
    }
}
