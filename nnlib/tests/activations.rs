//! Activation functions: every derivative against central finite differences,
//! sigmoid's range for any finite input, softmax (rows sum to 1, no overflow,
//! its Jacobian-vector product) and the batched forms against the scalar ones.

mod common;

use common::{assert_close, central_diff, central_diff_h, uniform};
use nnlib::activation::{self, Activation};
use nnlib::ndarray::{array, Array2};

/// Every element-wise activation the lecture lists, with the non-default
/// slopes and alphas too.
fn elementwise() -> Vec<Activation> {
    vec![
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::leaky_relu(), // the lecture's max(0.1x, x)
        Activation::LeakyRelu { slope: 0.03 },
        Activation::elu(), // alpha = 1
        Activation::Elu { alpha: 2.5 },
    ]
}

/// Inputs on both sides of 0 but away from the kinks of ReLU, leaky ReLU and
/// ELU (|x| >= 1e-3 while the step is 1e-6), from tiny to huge magnitudes.
fn inputs() -> Vec<f64> {
    let mut xs = vec![
        1e-3, 0.01, 0.3, 0.5, 1.0, 1.7, 2.5, 5.0, 10.0, 20.0, 37.0, 50.0, 100.0, 700.0, 710.0, 1e3, 1e5,
        1e10, 1e100, 1e300, 1.5e300,
    ];
    // A dense sweep of (-30, 30) that skips 0.
    xs.extend((1..=300).map(|i| i as f64 * 0.0997));
    let negatives: Vec<f64> = xs.iter().map(|x| -x).collect();
    xs.extend(negatives);
    xs
}

// Central differences with h = 1e-6·max(1,|x|) are good to about 1e-9
// relative here; the absolute floor covers derivatives that underflow (e.g.
// sigmoid'(700) ≈ e^-700 ≈ 1e-304, which the difference quotient sees as 0).
const RTOL: f64 = 1e-6;
const ATOL: f64 = 1e-9;

#[test]
fn each_derivative_matches_central_differences() {
    for f in elementwise() {
        for x in inputs() {
            let numeric = central_diff(|t| f.value(t), x);
            assert_close(f.derivative(x), numeric, RTOL, ATOL, &format!("{f:?}'({x:e})"));
        }
    }
}

#[test]
fn scalar_function_pairs_match_central_differences() {
    // The free functions the lecture's table shows, value next to derivative.
    type Pair = (&'static str, Box<dyn Fn(f64) -> f64>, Box<dyn Fn(f64) -> f64>);
    let pairs: Vec<Pair> = vec![
        ("identity", Box::new(activation::identity), Box::new(activation::identity_prime)),
        ("sigmoid", Box::new(activation::sigmoid), Box::new(activation::sigmoid_prime)),
        ("tanh", Box::new(activation::tanh), Box::new(activation::tanh_prime)),
        ("relu", Box::new(activation::relu), Box::new(activation::relu_prime)),
        (
            "leaky_relu 0.1",
            Box::new(|x| activation::leaky_relu(x, 0.1)),
            Box::new(|x| activation::leaky_relu_prime(x, 0.1)),
        ),
        (
            "leaky_relu 0.25",
            Box::new(|x| activation::leaky_relu(x, 0.25)),
            Box::new(|x| activation::leaky_relu_prime(x, 0.25)),
        ),
        ("elu 1", Box::new(|x| activation::elu(x, 1.0)), Box::new(|x| activation::elu_prime(x, 1.0))),
        ("elu 0.4", Box::new(|x| activation::elu(x, 0.4)), Box::new(|x| activation::elu_prime(x, 0.4))),
    ];
    for (name, f, f_prime) in &pairs {
        for x in inputs() {
            let numeric = central_diff(f, x);
            assert_close(f_prime(x), numeric, RTOL, ATOL, &format!("{name}'({x:e})"));
        }
    }
}

#[test]
fn derivatives_have_the_textbook_values() {
    // σ'(0) = σ(0)(1 - σ(0)) = 0.5 · 0.5 = 0.25; tanh'(0) = 1 - 0² = 1.
    assert_eq!(Activation::Sigmoid.derivative(0.0), 0.25);
    assert_eq!(Activation::Tanh.derivative(0.0), 1.0);
    // ReLU'(0) = 0: the lecture's table puts x = 0 in the "0" branch.
    assert_eq!(Activation::Relu.derivative(0.0), 0.0);
    // Leaky ReLU: slope on the left, 1 on the right.
    assert_eq!(Activation::leaky_relu().derivative(-3.0), 0.1);
    assert_eq!(Activation::LeakyRelu { slope: 0.03 }.derivative(-3.0), 0.03);
    assert_eq!(Activation::leaky_relu().derivative(3.0), 1.0);
    // ELU(-∞) saturates at -α, and ELU'(x) = α e^x on the left.
    assert_close(Activation::Elu { alpha: 2.5 }.value(-1e300), -2.5, 1e-15, 0.0, "ELU(-inf)");
    assert_close(
        Activation::Elu { alpha: 2.5 }.derivative(-1.0),
        2.5 / std::f64::consts::E,
        1e-15,
        0.0,
        "ELU'",
    );
}

#[test]
fn sigmoid_is_finite_and_in_unit_interval_for_every_finite_input() {
    let mut xs =
        vec![0.0, -0.0, f64::MAX, -f64::MAX, f64::MIN_POSITIVE, -f64::MIN_POSITIVE, 700.0, -700.0, 746.0];
    // Every power of ten the f64 range has, on both sides of 0.
    for k in -307..=308 {
        let x = 10f64.powi(k);
        xs.push(x);
        xs.push(-x);
    }
    for x in xs {
        let s = activation::sigmoid(x);
        assert!(s.is_finite() && (0.0..=1.0).contains(&s), "sigmoid({x:e}) = {s}");
        let d = activation::sigmoid_prime(x);
        assert!(d.is_finite() && (0.0..=0.25).contains(&d), "sigmoid'({x:e}) = {d}");
        // σ(-x) = 1 - σ(x), so the two halves mirror each other.
        assert_close(activation::sigmoid(-x), 1.0 - s, 0.0, 1e-15, &format!("symmetry at {x:e}"));
    }
    // The extremes saturate exactly.
    assert_eq!(activation::sigmoid(f64::MAX), 1.0);
    assert_eq!(activation::sigmoid(-f64::MAX), 0.0);
    // The batched form shares the guarantee.
    let a = Activation::Sigmoid.forward(array![[f64::MAX, -f64::MAX, -1e300, 1e300]].view());
    assert_eq!(a, array![[1.0, 0.0, 0.0, 1.0]]);
}

#[test]
fn batched_forward_equals_scalar_function_elementwise() {
    let mut z = uniform(6, 5, -8.0, 8.0, 1);
    z[[0, 0]] = 1e300;
    z[[0, 1]] = -1e300;
    z[[0, 2]] = -700.0;
    for f in elementwise() {
        let a = f.forward(z.view());
        // The batch applies exactly the scalar function: bit-for-bit equal.
        assert_eq!(a, z.mapv(|x| f.value(x)), "{f:?}");
    }
}

#[test]
fn batched_backward_multiplies_by_the_scalar_derivative() {
    // delta = dC/da ⊙ f'(z): with dC/da = g, every entry is g · f'(z).
    let z = uniform(5, 4, -6.0, 6.0, 2);
    let g = uniform(5, 4, -2.0, 2.0, 3);
    for f in elementwise() {
        let a = f.forward(z.view());
        let delta = f.backward(z.view(), a.view(), g.view()).unwrap();
        for ((ij, &d), (&zij, &gij)) in delta.indexed_iter().zip(z.iter().zip(g.iter())) {
            assert_close(d, gij * f.derivative(zij), 1e-14, 1e-300, &format!("{f:?} at {ij:?}"));
        }
    }
}

/// Rows that would overflow a naive `e^z / Σ e^z`.
fn huge_rows() -> Array2<f64> {
    array![
        [1e300, -1e300, 0.0],
        [f64::MAX, f64::MAX, -f64::MAX],
        [1000.0, 1001.0, 999.5],
        [-1000.0, -1001.0, -999.5],
        [700.0, 710.0, 720.0],
        [1e-300, 0.0, -1e-300],
        [3.0, 3.0, 3.0],
    ]
}

#[test]
fn softmax_rows_sum_to_one_without_overflow() {
    let a = Activation::Softmax.forward(huge_rows().view());
    for (i, row) in a.rows().into_iter().enumerate() {
        assert!(row.iter().all(|p| p.is_finite() && (0.0..=1.0).contains(p)), "row {i}: {row}");
        assert_close(row.sum(), 1.0, 0.0, 1e-12, &format!("row {i} sum"));
    }
    // Worked by hand: [MAX, MAX, -MAX] splits evenly between the two maxima.
    assert_eq!(a.row(1).to_vec(), vec![0.5, 0.5, 0.0]);
    // [1e300, -1e300, 0]: all the mass on the first neuron.
    assert_eq!(a.row(0).to_vec(), vec![1.0, 0.0, 0.0]);
    // Three equal inputs: 1/3 each.
    for p in a.row(6) {
        assert_close(*p, 1.0 / 3.0, 1e-15, 0.0, "equal inputs");
    }
}

#[test]
fn softmax_matches_the_naive_formula_and_is_shift_invariant() {
    // For moderate inputs e^z / Σ e^z cannot overflow, so compute it directly.
    let z = uniform(4, 5, -5.0, 5.0, 4);
    let a = Activation::Softmax.forward(z.view());
    for (i, row) in z.rows().into_iter().enumerate() {
        let e = row.mapv(f64::exp);
        let naive = &e / e.sum();
        for j in 0..row.len() {
            assert_close(a[[i, j]], naive[j], 1e-13, 0.0, &format!("softmax[{i},{j}]"));
        }
        // The scalar helper agrees with the batch.
        let scalar = activation::softmax(row.as_slice().expect("contiguous row"));
        for j in 0..row.len() {
            assert_close(a[[i, j]], scalar[j], 1e-15, 0.0, "scalar softmax");
        }
    }
    // Adding 1000 to every input of a row changes nothing (the ratio cancels it).
    let shifted = Activation::Softmax.forward((&z + 1000.0).view());
    common::assert_all_close(&shifted, &a, 1e-10, 1e-15, "shifted softmax");
}

#[test]
fn softmax_backward_matches_finite_differences_of_a_scalar_function() {
    // A scalar function of the softmax output, g(a) = Σ c_ij a_ij + ½ Σ a_ij²,
    // whose gradient is dg/da = c + a. Backward must turn that into dg/dz.
    let mut z = uniform(4, 3, -3.0, 3.0, 5);
    // Large inputs with small differences: no overflow, still a real gradient.
    z.row_mut(3).assign(&array![1000.0, 1000.7, 999.4]);
    let c = uniform(4, 3, -1.0, 1.0, 6);
    let g = |z: &Array2<f64>| {
        let a = Activation::Softmax.forward(z.view());
        (&c * &a).sum() + 0.5 * a.mapv(|v| v * v).sum()
    };
    let a = Activation::Softmax.forward(z.view());
    let delta = Activation::Softmax.backward(z.view(), a.view(), (&c + &a).view()).unwrap();
    for ((i, j), &analytic) in delta.indexed_iter() {
        let numeric = central_diff_h(
            |t| {
                let mut zz = z.clone();
                zz[[i, j]] = t;
                g(&zz)
            },
            z[[i, j]],
            1e-5,
        );
        assert_close(analytic, numeric, 1e-6, 1e-9, &format!("dg/dz[{i},{j}]"));
    }
}

#[test]
fn softmax_backward_of_a_constant_gradient_is_zero() {
    // Σ_j a_j = 1 always, so a gradient that is the same for every neuron of
    // a row changes nothing: dC/dz_j = a_j (g - Σ_k a_k g) = a_j (g - g) = 0.
    let z = uniform(3, 4, -2.0, 2.0, 7);
    let a = Activation::Softmax.forward(z.view());
    let delta =
        Activation::Softmax.backward(z.view(), a.view(), Array2::from_elem((3, 4), 2.5).view()).unwrap();
    assert!(delta.iter().all(|d| d.abs() < 1e-15), "{delta}");
}

#[test]
fn exp_is_its_own_derivative_and_overflows_only_past_709() {
    let f = Activation::Exp;
    assert_eq!(f.name(), "exp");
    for i in -300..=300 {
        let x = i as f64 * 0.1;
        assert_close(f.value(x), x.exp(), 0.0, 0.0, &format!("exp({x})"));
        let numeric = central_diff(|t| f.value(t), x);
        assert_close(f.derivative(x), numeric, RTOL, ATOL * x.exp().max(1.0), &format!("exp'({x})"));
        assert_eq!(activation::exp_prime(x), activation::exp(x));
    }
    assert!(f.value(709.0).is_finite() && f.value(710.0) == f64::INFINITY);
    assert_eq!(f.value(-1e300), 0.0);
    // The batched forward and backward (delta = dC/da · e^z = dC/da · a).
    let z = array![[-2.0, 0.0], [1.0, 3.0]];
    let a = f.forward(z.view());
    assert_eq!(a, z.mapv(f64::exp));
    let dc_da = array![[1.0, -2.0], [0.5, 4.0]];
    let delta = f.backward(z.view(), a.view(), dc_da.view()).unwrap();
    assert_eq!(delta, &dc_da * &a);
}
