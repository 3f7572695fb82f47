//! The training loop allocates its buffers once per training call, never per
//! batch: counted with a counting allocator (this file holds one test, so no
//! other test's allocations are counted with it).

use nnlib::data::synthetic;
use nnlib::ndarray::{s, Array2};
use nnlib::{Activation, Cost, Network, Optimizer, TrainConfig};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn the_cures_allocate_nothing_per_batch() {
    let d = synthetic::two_moons(300, 0.25, 3).unwrap();
    let x = d.records().to_owned();
    let y = Array2::from_shape_fn((300, 1), |(i, _)| d.targets()[i] as f64);
    let (xt, yt) = (x.slice(s![..250, ..]), y.slice(s![..250, ..]));
    let (xv, yv) = (x.slice(s![250.., ..]), y.slice(s![250.., ..]));
    let net = Network::builder(2)
        .dense(16, Activation::Relu)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .build()
        .unwrap();
    // Batches of 16 with a short last one: 16 updates per epoch.
    let plain = |epochs| TrainConfig::new(epochs, 0.01).batch_size(16).optimizer(Optimizer::adam());
    // A patience that never stops early, so both runs have the same number of epochs.
    let cured = |epochs| plain(epochs).weight_decay(0.5).dropout(0.3).early_stopping(1_000_000);
    let count = |config: TrainConfig| {
        let mut n = net.clone();
        let before = ALLOCS.load(Ordering::Relaxed);
        let h = n.train_with_validation(xt, yt, Cost::BinaryCrossEntropy, &config, xv, yv).unwrap();
        let allocs = ALLOCS.load(Ordering::Relaxed) - before;
        assert_eq!(h.loss.len(), config.epochs);
        allocs
    };
    // The matrix products allocate their own scratch space on each call (matrixmultiply's
    // packing buffers), cures or not: what the cures add is counted against the same run without.
    let extra = |epochs| count(cured(epochs)) as i64 - count(plain(epochs)) as i64;
    let (short, long) = (extra(50), extra(100));
    // 50 more epochs are 800 more batches: one allocation per batch would add 800. The counts
    // move by some dozens from run to run (the products' scratch space), hence the margin.
    assert!((long - short).abs() < 200, "the cures add {short} allocations to 50 epochs, {long} to 100");
    assert!(short < 400, "the cures add {short} allocations to a training call");
}
