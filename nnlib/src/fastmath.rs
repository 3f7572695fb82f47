//! Fast versions of the hot loops, kept apart from the lecture's modules so
//! those read like the formulas.
//!
//! - The layer's three matrix products (`Z = A Wᵀ + b`, `delta W`, `deltaᵀ A`)
//!   with loops of their own for one unit or one sample, where a general
//!   matrix product would spend most of its time packing. `make bench`
//!   measures them (P1 is one unit, P2 ends in one).
//! - `tanh`: training a tanh network spent half its time in the C library's
//!   `tanh`, an opaque call per number. Here `tanh` (and the `e^x` it needs)
//!   are plain arithmetic, which the compiler turns into SIMD instructions for
//!   a whole batch. They are tested against the standard library below.

use ndarray::linalg::{general_mat_mul, general_mat_vec_mul};
use ndarray::{Array1, Array2, ArrayView2, Zip};

/// `Z = A Wᵀ + b` into `z` (A: n × n_in, W: units × n_in, b added to every row).
pub(crate) fn affine_into(a_prev: ArrayView2<f64>, w: &Array2<f64>, b: &Array1<f64>, z: &mut Array2<f64>) {
    if w.nrows() == 1 {
        // One unit (a regression or a binary output): `z_i = a_i · w + b`, one dot
        // product per sample. A general matrix product of width 1 would spend most
        // of its time packing and masking (same sum Σ_k a_ik w_k, added in another order).
        let (w0, b0) = (w.row(0), b[0]);
        if w.ncols() == 1 {
            let w00 = w0[0]; // and one input: z_i = a_i w + b
            Zip::from(z.column_mut(0)).and(a_prev.column(0)).for_each(|z, &a| *z = a * w00 + b0);
        } else {
            Zip::from(z.column_mut(0)).and(a_prev.rows()).for_each(|z, a_i| *z = a_i.dot(&w0) + b0);
        }
        return;
    }
    z.assign(&b.broadcast(z.raw_dim()).expect("b has one entry per unit"));
    if a_prev.nrows() == 1 {
        // One sample (online SGD, one prediction): the lecture's `z = W a + b`, a
        // matrix-vector product. A general product would first copy (pack) all of W.
        general_mat_vec_mul(1.0, w, &a_prev.row(0), 1.0, &mut z.row_mut(0));
        return;
    }
    general_mat_mul(1.0, &a_prev, &w.t(), 1.0, z);
}

/// `dC/da(prev) = delta W` into `dc_da_prev` (the batch form of `Wᵀ delta`).
pub(crate) fn delta_times_w_into(delta: ArrayView2<f64>, w: &Array2<f64>, dc_da_prev: &mut Array2<f64>) {
    if w.nrows() == 1 {
        // One unit: `dC/da_ik = delta_i w_k`, an outer product (no sum at all).
        let w0 = w.row(0);
        Zip::from(dc_da_prev.rows_mut()).and(delta.column(0)).for_each(|mut g_i, &d| {
            Zip::from(&mut g_i).and(&w0).for_each(|g, &w| *g = d * w);
        });
        return;
    }
    if delta.nrows() == 1 {
        // One sample: `dC/da = Wᵀ delta = Σ_j delta_j w_j`, a sum of W's rows
        // (read in order, where a general product would copy W first).
        let mut g = dc_da_prev.row_mut(0);
        g.fill(0.0);
        for (w_j, &d) in w.rows().into_iter().zip(delta.row(0)) {
            g.scaled_add(d, &w_j);
        }
        return;
    }
    general_mat_mul(1.0, &delta, w, 0.0, dc_da_prev);
}

/// `dC/dW = deltaᵀ A_prev` into `dc_dw` and `dC/db = Σ_samples delta` into `dc_db`.
pub(crate) fn param_grads_into(
    delta: ArrayView2<f64>,
    a_prev: ArrayView2<f64>,
    dc_dw: &mut Array2<f64>,
    dc_db: &mut Array1<f64>,
) {
    if delta.ncols() == 1 {
        // One unit: `dC/dw_k = Σ_i delta_i a_ik`, a matrix-vector product `A_prevᵀ delta`
        // (a dot product when there is one input), and `dC/db = Σ_i delta_i`.
        let d = delta.column(0);
        if a_prev.ncols() == 1 {
            dc_dw[[0, 0]] = d.dot(&a_prev.column(0));
        } else {
            general_mat_vec_mul(1.0, &a_prev.t(), &d, 0.0, &mut dc_dw.row_mut(0));
        }
        dc_db[0] = d.sum();
        return;
    }
    general_mat_mul(1.0, &delta.t(), &a_prev, 0.0, dc_dw);
    // Row by row: contiguous reads, where summing each column would stride
    // through delta (the same additions, in the same order, as `col.sum()`).
    dc_db.fill(0.0);
    for row in delta.rows() {
        *dc_db += &row;
    }
}

/// `tanh x`, within 2 units in the last place of `f64::tanh`.
///
/// Within 2 units in the last place of the exact value (`f64::tanh` is within
/// 1), and computed here rather than by the C maths library, so that a loop of
/// them compiles to SIMD instructions: libm's `tanh` is an opaque call per
/// number and took half the time of training a tanh network. The method is
/// Cephes': tanh is odd, so work with `t = |x|` and copy the sign of x back;
///
/// - for `t ≥ 0.625`: `tanh t = 1 - 2 / (e^(2t) + 1)`, which is at least 0.55,
///   so the subtraction loses nothing (t is capped at 20, where this is 1.0);
/// - below, where that subtraction would cancel: `tanh t = t + t³ P(t²) / Q(t²)`,
///   a rational approximation of the series `t - t³/3 + 2t⁵/15 - ...`.
///
/// Both are computed and one is selected, which keeps a loop free of branches.
#[inline]
pub(crate) fn tanh(x: f64) -> f64 {
    let t = x.abs();
    let large = 1.0 - 2.0 / (exp_0_40(2.0 * t.min(20.0)) + 1.0);
    let t2 = t * t;
    let p = (-0.9643991794250523 * t2 - 99.28772310019185) * t2 - 1614.6876844170845;
    let q = ((t2 + 112.81167849163293) * t2 + 2235.4883906010045) * t2 + 4844.063053251255;
    let small = t + t * t2 * (p / q);
    let tanh_t = if t >= 0.625 { large } else { small };
    tanh_t.copysign(x) // also keeps tanh(-0) = -0 and tanh(NaN) = NaN
}
/// `e^x` for `0 ≤ x ≤ 40`, in plain arithmetic (no libm call), for [`tanh`].
///
/// Cephes' method: `x = n ln 2 + r` with n the nearest integer to `x / ln 2`
/// (so `|r| ≤ ln 2 / 2`), `e^r = 1 + 2r P(r²) / (Q(r²) - r P(r²))`, and
/// `e^x = 2^n e^r`. Within 2 units in the last place.
#[inline]
fn exp_0_40(x: f64) -> f64 {
    // Adding 1.5·2⁵² rounds x / ln 2 to an integer n, which then sits in the low bits.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let shifted = x * std::f64::consts::LOG2_E + ROUND;
    let n = shifted - ROUND;
    // r = x - n ln 2, with ln 2 split in two so that n · (first part) is exact.
    let r = x - n * 0.693145751953125 - n * 1.4286068203094173e-6;
    let r2 = r * r;
    let p = r * ((1.2617719307481058e-4 * r2 + 0.030299440770744195) * r2 + 1.0);
    let q = ((3.0019850513866446e-6 * r2 + 0.002524483403496841) * r2 + 0.22726554820815503) * r2 + 2.0;
    let e_r = 1.0 + 2.0 * (p / (q - p));
    // 2^n: the exponent field n + 1023 above 52 zero bits.
    let two_n = f64::from_bits(shifted.to_bits().wrapping_add(1023) << 52);
    e_r * two_n
}

/// `x := f(x)` for every element of a batch, for an `f` made of plain
/// arithmetic (like [`tanh`]), which the compiler turns into SIMD
/// instructions: 2 numbers at a time on any x86-64, and 4 where the processor
/// has AVX2, for which the loop is compiled a second time. Both run the same
/// IEEE operations in the same order, so the results are the same bits as
/// `f` applied one number at a time.
pub(crate) fn map_inplace_simd(za: &mut Array2<f64>, f: impl Fn(f64) -> f64 + Copy) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        if let Some(xs) = za.as_slice_memory_order_mut() {
            #[target_feature(enable = "avx2")]
            unsafe fn map_avx2(xs: &mut [f64], f: impl Fn(f64) -> f64) {
                for x in xs {
                    *x = f(*x);
                }
            }
            // SAFETY: the processor has AVX2, checked just above.
            unsafe { map_avx2(xs, f) };
            return;
        }
    }
    za.mapv_inplace(f);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance from `got` to `want` in units in the last place of `want`.
    fn ulps(got: f64, want: f64) -> f64 {
        if got == want {
            return 0.0;
        }
        let ulp = f64::from_bits(want.abs().to_bits() + 1) - want.abs();
        ((got - want) / ulp).abs()
    }

    #[test]
    fn tanh_is_within_two_ulps_of_libm_everywhere() {
        let mut worst: (f64, f64) = (0.0, 0.0);
        for i in 0..=2_000_000 {
            let x = (i as f64 / 1_000_000.0 - 1.0) * 25.0; // [-25, 25]
            for x in [x, x * 1e-2, x * 1e-6, x * 1e-200] {
                let e = ulps(tanh(x), x.tanh());
                if e > worst.0 {
                    worst = (e, x);
                }
            }
        }
        assert!(worst.0 <= 2.0, "{} ulps at x = {:e}", worst.0, worst.1);
    }

    #[test]
    fn tanh_special_values() {
        assert_eq!(tanh(0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(tanh(-0.0).to_bits(), (-0.0f64).to_bits());
        assert!(tanh(f64::NAN).is_nan());
        for (x, want) in [(f64::INFINITY, 1.0), (f64::NEG_INFINITY, -1.0), (f64::MAX, 1.0), (-1e300, -1.0)] {
            assert_eq!(tanh(x), want, "tanh({x:e})");
        }
        for x in [1e-310, -5e-324, 1e-20] {
            assert_eq!(tanh(x), x, "tanh of a tiny x is x");
        }
        // Odd, and never outside [-1, 1].
        for i in 0..10_000 {
            let x = i as f64 * 0.003;
            assert_eq!(tanh(-x), -tanh(x));
            assert!(tanh(x) <= 1.0);
        }
    }

    #[test]
    fn exp_0_40_is_within_two_ulps() {
        for i in 0..=400_000 {
            let x = i as f64 / 10_000.0;
            assert!(ulps(exp_0_40(x), x.exp()) <= 2.0, "e^{x}");
        }
    }
}
