//! The model file: a trained [`Network`] and its [`Standardizer`] saved as JSON
//! and loaded back bit for bit.
//!
//! One file holds one object (a network's, shortened):
//!
//! ```text
//! {"format":"nnlib-network","version":1,"nnlib":"0.1.0",
//!  "contents":{"layers":[
//!     {"kind":"dense","activation":"tanh","w":[[0.31,-1.2],[0.05,0.7]],"b":[0.0,-0.1]},
//!     {"kind":"dense","activation":{"leaky_relu":{"slope":0.1}},"w":[[0.4,0.2]],"b":[0.3]},
//!     {"kind":"maxout","pieces":2,"w":[[1.5],[-0.5]],"b":[0.0,0.2]}]},
//!  "checksum":"fnv1a64:5c1e0d3a9b8f7e21"}
//! ```
//!
//! `w` is `W(l)` row by row (`w[j][k]` is the lecture's `w_jk`; a maxout layer's
//! rows `j·k .. j·k + k` are neuron j's pieces) and `b` is `b(l)`, first hidden
//! layer first. A standardizer's contents are `{"mean":[...],"std":[...]}`.
//!
//! - **Bit-identical**: serde_json writes each f64 in the shortest form that
//!   reads back as the same number, and its `float_roundtrip` parser reads it
//!   back exactly (-0.0, subnormals such as 1e-310, and 1e300 included).
//! - **Checked like a new network**: loading builds the layers with
//!   [`NetworkBuilder`](super::NetworkBuilder) and sets `W` and `b` with
//!   [`Network::set_w`] and [`Network::set_b`], so a loaded network passes the
//!   same checks as one built in code (shapes that fit from layer to layer,
//!   finite weights, softmax only on the output, ...).
//! - **A bad file is an error, never a panic**: `format` and `version` are read
//!   first, so another kind of file or a file of a newer nnlib says so; every
//!   other problem is an [`Error::ModelFile`] naming it.
//! - **Damage is caught**: `checksum` is FNV-1a (64 bits) of the contents as
//!   nnlib writes them. A file changed after saving (a bad copy, a stray edit of
//!   one digit) no longer matches and is refused. A file written by hand may
//!   leave it out; it then goes through the same checks.

use std::path::{Path, PathBuf};

use ndarray::{Array1, Array2};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{Init, Network};
use crate::activation::Activation;
use crate::check;
use crate::data::Standardizer;
use crate::error::{Error, Result};
use crate::layer::{Layer, LayerKind};

/// The version of the file layout this nnlib writes and reads.
const VERSION: u64 = 1;

/// The crate version that wrote a file, for messages (loading does not depend on it).
const NNLIB: &str = env!("CARGO_PKG_VERSION");

/// One kind of file: its `format` string and how messages name it.
struct Format {
    name: &'static str,
    holds: &'static str,
    loader: &'static str,
}

const NETWORK: Format = Format { name: "nnlib-network", holds: "a Network", loader: "Network::load" };
const STANDARDIZER: Format =
    Format { name: "nnlib-standardizer", holds: "a Standardizer", loader: "Standardizer::load" };

/// What is read first, whatever else the file holds.
#[derive(Deserialize)]
struct Header {
    format: String,
    version: u64,
    #[serde(default)]
    nnlib: Option<String>,
}

/// The whole file; `C` is what it holds.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File<C> {
    format: String,
    version: u64,
    nnlib: String,
    contents: C,
    #[serde(default)]
    checksum: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct NetworkContents {
    layers: Vec<LayerFile>,
}

/// A layer as written: its kind, then `W` row by row and `b`.
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum LayerFile {
    Dense { activation: ActivationFile, w: Vec<Vec<f64>>, b: Vec<f64> },
    Maxout { pieces: usize, w: Vec<Vec<f64>>, b: Vec<f64> },
}

/// [`Activation`] as written: `"tanh"`, or `{"leaky_relu":{"slope":0.1}}` for
/// one with a parameter. A copy of the enum, so that the public type stays
/// free of serde; the two `From`s below match every variant, so a new
/// activation does not compile until it has a name here.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum ActivationFile {
    Identity,
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu { slope: f64 },
    Elu { alpha: f64 },
    Softmax,
    Exp,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardizerContents {
    mean: Vec<f64>,
    std: Vec<f64>,
}

impl Network {
    /// Saves the network (every layer's kind, `W` and `b`) as a JSON file at
    /// `path`, replacing any file there. [`Network::load`] reads it back
    /// bit-identical, so it predicts exactly the same numbers. A 64-32-10
    /// network takes about 50 kB. Save the [`Standardizer`] the inputs went
    /// through as well: the network expects standardised inputs.
    ///
    /// The file is one line of JSON, `W(l)` row by row:
    /// `{"format":"nnlib-network","version":1,"nnlib":"0.1.0","contents":{"layers":[{"kind":"dense",
    /// "activation":"tanh","w":[[0.31,-1.2],[0.05,0.7]],"b":[0.0,-0.1]},...]},"checksum":"fnv1a64:..."}`;
    /// the checksum lets [`Network::load`] refuse a file changed after saving.
    ///
    /// ```
    /// use nnlib::{Activation, Network};
    /// let net = Network::new(&[2, 3, 1], &[Activation::Tanh, Activation::Sigmoid], 7)?;
    /// let path = std::env::temp_dir().join("nnlib-doc-save.json");
    /// net.save(&path)?;
    /// assert_eq!(Network::load(&path)?, net);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NonFinite`] if a weight or bias is NaN or infinite (JSON has no
    /// such numbers), [`Error::Io`] if the file cannot be written.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        for (i, layer) in self.layers().iter().enumerate() {
            check::finite(&format!("W({})", i + 1), layer.w())?;
            check::finite(&format!("b({})", i + 1), layer.b())?;
        }
        let layers = self.layers().iter().map(LayerFile::from).collect();
        write(path.as_ref(), &NETWORK, NetworkContents { layers })
    }

    /// Loads a network saved by [`Network::save`]: the same layers, with
    /// bit-identical weights and biases.
    ///
    /// ```
    /// use nnlib::{Activation, Network};
    /// let net = Network::builder(3).dense(4, Activation::Relu).maxout(2, 3).seed(1).build()?;
    /// let path = std::env::temp_dir().join("nnlib-doc-load.json");
    /// net.save(&path)?;
    /// let loaded = Network::load(&path)?;
    /// assert_eq!(loaded.predict_one(&[0.1, 0.2, 0.3])?, net.predict_one(&[0.1, 0.2, 0.3])?);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if the file cannot be read, and [`Error::ModelFile`] if it
    /// is not a network nnlib saved: not JSON, cut off, another format (a
    /// standardizer's file says so), a version this nnlib does not read, a
    /// checksum that does not match, or layers that fail a network's checks
    /// (shapes that do not fit together, an unknown activation, a weight that
    /// is not a finite number).
    pub fn load(path: impl AsRef<Path>) -> Result<Network> {
        let path = path.as_ref();
        let contents: NetworkContents = read(path, &NETWORK)?;
        network(contents.layers).map_err(|e| model_file(path, e.to_string()))
    }
}

impl Standardizer {
    /// Saves the fitted means and standard deviations as a JSON file at `path`,
    /// replacing any file there; [`Standardizer::load`] reads them back
    /// bit-identical. Save it next to the model that was trained on its output.
    ///
    /// ```
    /// use nnlib::data::Standardizer;
    /// use nnlib::ndarray::array;
    /// let scaler = Standardizer::fit(array![[1.0, 200.0], [3.0, 400.0]].view())?;
    /// let path = std::env::temp_dir().join("nnlib-doc-standardizer-save.json");
    /// scaler.save(&path)?;
    /// assert_eq!(Standardizer::load(&path)?, scaler);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if the file cannot be written.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let contents = StandardizerContents { mean: self.mean().to_vec(), std: self.std().to_vec() };
        write(path.as_ref(), &STANDARDIZER, contents)
    }

    /// Loads a standardizer saved by [`Standardizer::save`].
    ///
    /// ```
    /// use nnlib::data::Standardizer;
    /// use nnlib::ndarray::array;
    /// let scaler = Standardizer::fit(array![[1.0], [3.0]].view())?;
    /// let path = std::env::temp_dir().join("nnlib-doc-standardizer-load.json");
    /// scaler.save(&path)?;
    /// let x = Standardizer::load(&path)?.transform(array![[2.0]].view())?;
    /// assert_eq!(x[[0, 0]], 0.0);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if the file cannot be read, and [`Error::ModelFile`] as for
    /// [`Network::load`]; its contents must be what `fit` gives: one finite mean
    /// and one positive, finite standard deviation per column.
    pub fn load(path: impl AsRef<Path>) -> Result<Standardizer> {
        let path = path.as_ref();
        let c: StandardizerContents = read(path, &STANDARDIZER)?;
        Standardizer::from_parts(c.mean.into(), c.std.into()).map_err(|e| model_file(path, e.to_string()))
    }
}

// ----------------------------------------------------------------- the file, any contents

/// Writes `contents` as a file of `format` at `path`, with its checksum.
fn write<C: Serialize>(path: &Path, format: &Format, contents: C) -> Result<()> {
    let checksum = Some(checksum(&contents).map_err(|e| model_file(path, e))?);
    let file = File { format: format.name.into(), version: VERSION, nnlib: NNLIB.into(), contents, checksum };
    let mut json = serde_json::to_vec(&file).map_err(|e| model_file(path, e.to_string()))?;
    json.push(b'\n');
    std::fs::write(path, json).map_err(|source| Error::Io { path: absolute(path), source })
}

/// Reads the contents of a file of `format`: the header first (so that another
/// format or version gets its own message), then the whole file, then the checksum.
fn read<C: Serialize + DeserializeOwned>(path: &Path, format: &Format) -> Result<C> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io { path: absolute(path), source })?;
    let header: Header =
        serde_json::from_slice(&bytes).map_err(|e| model_file(path, unreadable(&e, &bytes)))?;
    check_header(&header, format).map_err(|reason| model_file(path, reason))?;
    let file: File<C> =
        serde_json::from_slice(&bytes).map_err(|e| model_file(path, unreadable(&e, &bytes)))?;
    if let Some(written) = &file.checksum {
        let actual = checksum(&file.contents).map_err(|e| model_file(path, e))?;
        if *written != actual {
            return Err(model_file(
                path,
                format!(
                    "its checksum is {written}, but its contents give {actual}: the file was changed \
                     or damaged after nnlib saved it; save the model again"
                ),
            ));
        }
    }
    Ok(file.contents)
}

/// Why serde_json could not read the file (`bytes`), in a learner's words.
fn unreadable(e: &serde_json::Error, bytes: &[u8]) -> String {
    use serde_json::error::Category;
    let cut_off = match e.classify() {
        Category::Eof => true,
        Category::Syntax => at_end(e, bytes),
        Category::Data => return format!("it is JSON, but not what nnlib saves: {e}"),
        Category::Io => false,
    };
    if cut_off {
        format!("the file ends too early (cut off while saving or copying?): {e}")
    } else {
        format!("it is not JSON, so not a file nnlib saved: {e}")
    }
}

/// Whether serde_json stopped at the last byte: a file cut off in the middle of
/// a number (`0.` or `1e`) is a syntax error there, not an end-of-file error.
fn at_end(e: &serde_json::Error, bytes: &[u8]) -> bool {
    let last_line = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    let last_column = bytes.len() - bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    e.line() == last_line && e.column() >= last_column
}

/// `Err(reason)` unless the header is `format`'s, at the version this nnlib reads.
fn check_header(header: &Header, format: &Format) -> std::result::Result<(), String> {
    if header.format != format.name {
        let other = [&NETWORK, &STANDARDIZER].into_iter().find(|f| f.name == header.format);
        return Err(match other {
            Some(other) => format!(
                "it holds {} (format \"{}\"), not {}: load it with {}",
                other.holds, other.name, format.holds, other.loader
            ),
            None => format!(
                "its format is \"{}\", not \"{}\": it is not {} saved by nnlib",
                header.format, format.name, format.holds
            ),
        });
    }
    if header.version == VERSION {
        return Ok(());
    }
    let saved_by = header.nnlib.as_deref().map_or(String::new(), |v| format!(" (saved by nnlib {v})"));
    let advice = if header.version > VERSION {
        "; it comes from a newer nnlib: load it with that version, or update this one"
    } else {
        ""
    };
    Err(format!(
        "it is version {} of the \"{}\" format{saved_by}, and this nnlib ({NNLIB}) reads version {VERSION}{advice}",
        header.version, format.name
    ))
}

/// FNV-1a (64 bits) of `contents` as serde_json writes them: the same numbers
/// always give the same bytes, so any changed value changes the checksum.
fn checksum<C: Serialize>(contents: &C) -> std::result::Result<String, String> {
    let bytes = serde_json::to_vec(contents).map_err(|e| e.to_string())?;
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &byte| {
        (h ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    Ok(format!("fnv1a64:{hash:016x}"))
}

fn model_file(path: &Path, reason: String) -> Error {
    Error::ModelFile { path: absolute(path), reason }
}

/// `path` made absolute, so that a message says where nnlib looked.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

// ----------------------------------------------------------------- a network's layers

impl From<&Layer> for LayerFile {
    fn from(layer: &Layer) -> LayerFile {
        let w = layer.w().rows().into_iter().map(|row| row.to_vec()).collect();
        let b = layer.b().to_vec();
        match layer.kind() {
            LayerKind::Dense(f) => LayerFile::Dense { activation: f.into(), w, b },
            LayerKind::Maxout { pieces } => LayerFile::Maxout { pieces, w, b },
        }
    }
}

impl LayerFile {
    fn into_parts(self) -> (LayerKind, Vec<Vec<f64>>, Vec<f64>) {
        match self {
            LayerFile::Dense { activation, w, b } => (LayerKind::Dense(activation.into()), w, b),
            LayerFile::Maxout { pieces, w, b } => (LayerKind::Maxout { pieces }, w, b),
        }
    }

    fn n_cols(&self) -> usize {
        let (LayerFile::Dense { w, .. } | LayerFile::Maxout { w, .. }) = self;
        w.first().map_or(0, Vec::len)
    }
}

/// The network the layers describe, built as any network is: the builder
/// checks the widths and activations, `set_w` and `set_b` the shapes from layer
/// to layer and that every number is finite.
fn network(layers: Vec<LayerFile>) -> Result<Network> {
    let Some(first) = layers.first() else {
        return Err(Error::InvalidParameter { name: "layers", reason: "the file lists no layers".into() });
    };
    let mut n_prev = first.n_cols();
    let mut builder = Network::builder(n_prev).init(Init::Zeros);
    let mut params = Vec::with_capacity(layers.len());
    for (i, layer) in layers.into_iter().enumerate() {
        let l = i + 1; // this layer holds W(l), b(l)
        let (kind, w, b) = layer.into_parts();
        let w = matrix(l, w)?;
        check_inputs_fit(l, &w, n_prev)?;
        let n_out = match kind {
            LayerKind::Dense(_) => w.nrows(),
            LayerKind::Maxout { pieces } => maxout_width(l, w.nrows(), pieces)?,
        };
        builder = match kind {
            LayerKind::Dense(f) => builder.dense(n_out, f),
            LayerKind::Maxout { pieces } => builder.maxout(n_out, pieces),
        };
        params.push((w, Array1::from(b)));
        n_prev = n_out;
    }
    let mut net = builder.build()?;
    for (i, (w, b)) in params.into_iter().enumerate() {
        net.set_w(i + 1, w)?;
        net.set_b(i + 1, b)?;
    }
    Ok(net)
}

/// `W(l)` from its rows, which must all be as long as the first.
fn matrix(l: usize, rows: Vec<Vec<f64>>) -> Result<Array2<f64>> {
    let n_cols = rows.first().map_or(0, Vec::len);
    if let Some(r) = rows.iter().position(|row| row.len() != n_cols) {
        return Err(Error::Shape {
            context: format!("W({l}), row {r} (counting from 0)"),
            expected: format!("{n_cols} weights, as in row 0"),
            got: format!("{} weights", rows[r].len()),
        });
    }
    let shape = (rows.len(), n_cols);
    Array2::from_shape_vec(shape, rows.concat()).map_err(|e| Error::Shape {
        context: format!("W({l})"),
        expected: format!("{shape:?}"),
        got: e.to_string(),
    })
}

/// `W(l)` must have one column per neuron of layer `l` (`n_prev` of them), checked
/// before the builder allocates the layers, so that a file of mismatched shapes
/// cannot make it allocate far more than the file holds. (`set_w` checks it too;
/// a `W` of no rows is left to the builder, which says "width 0".)
fn check_inputs_fit(l: usize, w: &Array2<f64>, n_prev: usize) -> Result<()> {
    if w.nrows() == 0 || w.ncols() == n_prev {
        return Ok(());
    }
    Err(Error::Shape {
        context: format!("W({l}), from layer {l} ({n_prev} neurons) to layer {}", l + 1),
        expected: format!("{n_prev} columns, one per neuron of layer {l}"),
        got: format!("{} columns", w.ncols()),
    })
}

/// The neurons of a maxout layer whose `W(l)` has `rows = k · n_out` rows.
/// (`pieces = 0` is left to the builder, which explains it.)
fn maxout_width(l: usize, rows: usize, pieces: usize) -> Result<usize> {
    if pieces == 0 || rows % pieces == 0 {
        return Ok(rows / pieces.max(1));
    }
    Err(Error::Shape {
        context: format!("W({l}) of the maxout layer {} with k = {pieces} pieces", l + 1),
        expected: format!("k·n_out rows, a multiple of {pieces}"),
        got: format!("{rows} rows"),
    })
}

impl From<Activation> for ActivationFile {
    fn from(f: Activation) -> ActivationFile {
        match f {
            Activation::Identity => ActivationFile::Identity,
            Activation::Sigmoid => ActivationFile::Sigmoid,
            Activation::Tanh => ActivationFile::Tanh,
            Activation::Relu => ActivationFile::Relu,
            Activation::LeakyRelu { slope } => ActivationFile::LeakyRelu { slope },
            Activation::Elu { alpha } => ActivationFile::Elu { alpha },
            Activation::Softmax => ActivationFile::Softmax,
            Activation::Exp => ActivationFile::Exp,
        }
    }
}

impl From<ActivationFile> for Activation {
    fn from(f: ActivationFile) -> Activation {
        match f {
            ActivationFile::Identity => Activation::Identity,
            ActivationFile::Sigmoid => Activation::Sigmoid,
            ActivationFile::Tanh => Activation::Tanh,
            ActivationFile::Relu => Activation::Relu,
            ActivationFile::LeakyRelu { slope } => Activation::LeakyRelu { slope },
            ActivationFile::Elu { alpha } => Activation::Elu { alpha },
            ActivationFile::Softmax => Activation::Softmax,
            ActivationFile::Exp => Activation::Exp,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No public call leaves a NaN in a network (set_w refuses one, training
    /// restores the weights when it diverges), so only the crate can make one:
    /// save refuses it rather than write JSON's `null`, which would not load.
    #[test]
    fn a_non_finite_weight_is_refused_rather_than_written_as_null() {
        let mut net = Network::new(&[2, 1], &[Activation::Identity], 0).unwrap();
        net.layers_mut()[0].params_mut().0[[0, 1]] = f64::NAN;
        let path = std::env::temp_dir().join(format!("nnlib-unit-nan-{}.json", std::process::id()));
        let e = net.save(&path).unwrap_err();
        assert!(matches!(e, Error::NonFinite { ref what, row: 0, column: 1, .. } if what == "W(1)"), "{e}");
        assert!(!path.exists());
    }
}
