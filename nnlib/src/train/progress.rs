//! Live progress: one line every `n` epochs while a long cell trains.
//!
//! evcxr shows a cell's display output (a figure) only when the cell ends,
//! but it streams stdout line by line, so a printed line is the one way a
//! learner sees a long training cell is alive. The line is built by
//! [`progress_line`], a plain function, so tests check its text; printing it
//! is one `println!` in the training loop (a test cannot capture a `println!`
//! of the same process without replacing stdout, so the printing itself is
//! left untested and kept trivial).

use crate::numfmt::num;
use std::time::Duration;

/// One progress line: the epoch (of `epochs`, unless that is `usize::MAX`,
/// "until the tolerance"), the epoch's loss, the validation loss when there
/// is a validation set, and the time since training started.
///
/// ```
/// use std::time::Duration;
/// let line = nnlib::train::progress_line(200, 2000, 0.0312, Some(0.0451), Duration::from_millis(1530));
/// assert_eq!(line, "epoch  200/2000  loss 0.0312  val_loss 0.0451  1.5 s");
/// ```
pub fn progress_line(
    epoch: usize,
    epochs: usize,
    loss: f64,
    val_loss: Option<f64>,
    elapsed: Duration,
) -> String {
    let mut line = if epochs == usize::MAX {
        format!("epoch {epoch}")
    } else {
        let width = epochs.to_string().len();
        format!("epoch {epoch:>width$}/{epochs}")
    };
    line.push_str(&format!("  loss {}", num(loss)));
    if let Some(val_loss) = val_loss {
        line.push_str(&format!("  val_loss {}", num(val_loss)));
    }
    line.push_str(&format!("  {}", seconds(elapsed)));
    line
}

/// Elapsed time, short: `0.25 s`, `1.5 s`, `73 s`.
fn seconds(elapsed: Duration) -> String {
    let s = elapsed.as_secs_f64();
    if s < 1.0 {
        format!("{s:.2} s")
    } else if s < 10.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.0} s")
    }
}

/// Whether epoch `epoch` (1-based) prints a line: every `every`-th epoch, and
/// the last one that runs (`last`: training stops after it), so the final
/// numbers are always shown.
pub(crate) fn due(epoch: usize, every: usize, last: bool) -> bool {
    epoch % every == 0 || last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_holds_epoch_loss_validation_and_time() {
        let line = progress_line(50, 500, 0.123456, None, Duration::from_millis(250));
        assert_eq!(line, "epoch  50/500  loss 0.1235  0.25 s");
        let line = progress_line(3, usize::MAX, 2.0, Some(2.5), Duration::from_secs(73));
        assert_eq!(line, "epoch 3  loss 2  val_loss 2.5  73 s");
    }

    #[test]
    fn due_every_n_and_at_the_end() {
        let printed: Vec<usize> = (1..=25).filter(|&e| due(e, 10, e == 25)).collect();
        assert_eq!(printed, vec![10, 20, 25]);
        assert!(due(1, 1, false));
    }
}
