"""Every number the notebooks' prose quotes agrees with what their cells print.

A notebook's markdown says, for example, "the test loss is lowest at epoch 14
(0.0779)". Each such claim is a row of ``CLAIMS``: the phrase as it stands in
the markdown, the number in it, and a regex whose first group finds the
measured number in the executed notebook's outputs. A claim fails when its
phrase is no longer in the markdown (the prose changed: update the row), when
the outputs do not contain the regex, or when the numbers disagree.

The outputs come from ``target/notebooks/<name>.ipynb``, written by
``test_notebooks.py`` (which pytest runs first, files being collected in
alphabetical order). When that copy is missing, or its code cells differ from
the notebook's (it is stale), the notebook is executed here, once. The prose is
read from ``notebooks/<name>.ipynb`` itself, so a markdown-only edit needs no
new run.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

import nbcheck
import nbrun

NB_DIR = nbrun.REPO / "notebooks"


def shown_decimals(text: str) -> int:
    """The decimal places `text` shows: 3 for "0.063", 7 for "2.5\\cdot10^{-6}", -2 for "1.7\\cdot10^{3}"."""
    scientific = re.fullmatch(r"[−-]?([\d.]+)\s*\\cdot\s*10\^\{(-?\d+)\}", text)
    mantissa, exponent = scientific.groups() if scientific else (text, "0")
    return (len(mantissa.split(".")[1]) if "." in mantissa else 0) - int(exponent)


def rounded(claimed: float, measured: float, text: str) -> bool:
    """Equal once `measured` is rounded to the digits `text` shows (0.063 vs 0.0630, 2.5\\cdot10^{-6} vs 2.5e-6)."""
    return abs(claimed - measured) <= 0.5 * 10.0 ** -shown_decimals(text) * (1 + 1e-9)


def same_order(claimed: float, measured: float, _text: str) -> bool:
    """'of order 1e-10': within a factor of 10 either way."""
    return measured != 0 and abs(math.log10(abs(measured)) - math.log10(abs(claimed))) < 1


def below(claimed: float, measured: float, _text: str) -> bool:
    """'below 1e-12': at most the claimed bound (rounding errors, whose size depends on the CPU)."""
    return abs(measured) <= claimed


def within(tol: float) -> Callable[[float, float, str], bool]:
    def check(claimed: float, measured: float, _text: str) -> bool:
        return abs(claimed - measured) <= tol

    check.__doc__ = f"within ±{tol}"
    return check


@dataclass(frozen=True)
class Claim:
    notebook: str
    phrase: str  # as it stands in the markdown (whitespace is normalised)
    number: str  # the number inside `phrase`, as written: "0.0779", "10^{-10}", "442"
    regex: str  # its first group is the measured number in the outputs (or in the code, see `in_code`)
    agrees: Callable[[float, float, str], bool] = rounded
    derive: Callable[[float], float] = float  # measured -> the quantity the prose states (e.g. 1/n)
    in_code: bool = False  # search the code cells' sources instead of the outputs

    @property
    def id(self) -> str:
        return f"{self.notebook}: {self.phrase[:50]}"


def after(block: str, line: str) -> str:
    """A regex for `line` inside the output block that starts with the line `block:`."""
    return rf"^{re.escape(block)}[^\n]*:\n(?:[^\n]*\n)*?\s*{line}"


CLAIMS = [
    # Linear_Regression
    Claim("Linear_Regression", "holds 442 patients", "442", r"records: \((\d+), 10\)"),
    Claim("Linear_Regression", "of the 354 *training* patients", "354", r"train: (\d+) patients"),
    Claim("Linear_Regression", "(153.28, section 3)", "153.28",
          r"means of the \d+ training patients: BMI \S+, progression (\S+)"),
    Claim("Linear_Regression", "not the 152.1 of all 442 patients", "152.1", r"all \d+ patients: mean (\S+),"),
    # Linear_Regression_nn
    Claim("Linear_Regression_nn", "with raw BMI values around 26", "26", r"BMI mean (\S+),", within(1.0)),
    Claim("Linear_Regression_nn", "is of order $10^{-15}$", "10^{-15}",
          r"largest relative difference between the two loss histories: (\S+)", same_order),
    # Logistic_Regression
    Claim("Logistic_Regression", "569 tumours from the Breast Cancer", "569", r"(\d+) tumours, \d+ features"),
    Claim("Logistic_Regression", "from 0.0556 at epoch 14", "0.0556", r"training loss: (\S+) at epoch"),
    Claim("Logistic_Regression", "0.0120 at epoch 100", "0.0120", r"training loss: .*; (\S+) after epoch 100"),
    Claim("Logistic_Regression", "it is lowest at epoch 14", "14", r"test loss: +lowest \S+ at epoch (\d+)"),
    Claim("Logistic_Regression", "lowest at epoch 14 (0.0779)", "0.0779", r"test loss: +lowest (\S+) at"),
    Claim("Logistic_Regression", "and ends at 0.0837", "0.0837", r"test loss: .*; (\S+) after epoch 100"),
    Claim("Logistic_Regression", "From about epoch 14 on", "14", r"test loss: +lowest \S+ at epoch (\d+)"),
    Claim("Logistic_Regression", "at 0.979 from epoch 2", "0.979", r"test accuracy: highest (\S+) \("),
    Claim("Logistic_Regression", "from epoch 2 (3 of", "2", r"test accuracy: .*first at epoch (\d+);"),
    Claim("Logistic_Regression", "(3 of the 142 test tumours wrong)", "3", r"test accuracy: highest \S+ \((\d+) of"),
    Claim("Logistic_Regression", "(3 of the 142 test tumours wrong)", "142", r"test accuracy: .* of (\d+) wrong"),
    Claim("Logistic_Regression", "ends at 0.965 (5 wrong)", "0.965", r"test accuracy: .*; (\S+) \(\d+ wrong\) after"),
    Claim("Logistic_Regression", "ends at 0.965 (5 wrong)", "5", r"test accuracy: .*\((\d+) wrong\) after"),
    Claim("Logistic_Regression", "moves the accuracy by 0.007", "0.007", r"test accuracy: .* of (\d+) wrong",
          derive=lambda n: 1 / n),
    # Multiclass_Classification (section 6, the cures)
    Claim("Multiclass_Classification", "trained for up to 200 epochs", "200",
          r"let long = TrainConfig::new\((\d+), 0\.001\)", in_code=True),
    Claim("Multiclass_Classification", "from 0.066 to 0.029 on average", "0.066", r"^no cure +: .*; gap .*, mean (\S+)$"),
    Claim("Multiclass_Classification", "from 0.066 to 0.029 on average", "0.029", r"^weight decay λ = 3 +: .*; gap .*, mean (\S+)$"),
    Claim("Multiclass_Classification", "(smaller on 3 of 3 seeds)", "3", r"a smaller gap on (\d+) of \d+ seeds"),
    Claim("Multiclass_Classification", "(smaller on 3 of 3 seeds)", "3", r"a smaller gap on \d+ of (\d+) seeds"),
    Claim("Multiclass_Classification", "higher on 3 of 3 seeds too", "3", r"a higher test accuracy on (\d+) of \d+ seeds"),
    Claim("Multiclass_Classification", "(mean 0.982 against 0.979 without", "0.982", r"^weight decay λ = 3 +: test accuracy .*?, mean (\S+);"),
    Claim("Multiclass_Classification", "(mean 0.982 against 0.979 without", "0.979", r"^no cure +: test accuracy .*?, mean (\S+);"),
    Claim("Multiclass_Classification", "(0.057 and 0.059)", "0.057", r"^dropout p = 0\.2 +: .*; gap .*, mean (\S+)$"),
    Claim("Multiclass_Classification", "(0.057 and 0.059)", "0.059", r"^early stopping, patience 10 +: .*; gap .*, mean (\S+)$"),
    Claim("Multiclass_Classification", "stopped at epochs 146, 132 and 152 of 200", "146", r"stopped at epochs \[(\d+), \d+, \d+\]"),
    Claim("Multiclass_Classification", "stopped at epochs 146, 132 and 152 of 200", "132", r"stopped at epochs \[\d+, (\d+), \d+\]"),
    Claim("Multiclass_Classification", "stopped at epochs 146, 132 and 152 of 200", "152", r"stopped at epochs \[\d+, \d+, (\d+)\]"),
    Claim("Multiclass_Classification", "stopped at epochs 146, 132 and 152 of 200", "200", r"stopped at epochs \[.*\] of (\d+),"),
    Claim("Multiclass_Classification", "the accuracy of no cure (mean 0.980)", "0.980",
          r"^early stopping, patience 10 +: test accuracy .*?, mean (\S+);"),
    Claim("Multiclass_Classification", "the four means lie within 0.0037 of", "0.0037", r"lie within (\S+) of each other"),
    Claim("Multiclass_Classification", "each other, 1.7 test images", "1.7", r"of each other \((\S+) test images\)"),
    Claim("Multiclass_Classification", "lowest at epoch 149 (0.0598)", "149", r"no cure, seed 0: test cost lowest \S+ at epoch (\d+)"),
    Claim("Multiclass_Classification", "lowest at epoch 149 (0.0598)", "0.0598", r"no cure, seed 0: test cost lowest (\S+) at"),
    Claim("Multiclass_Classification", "and ends at 0.0661", "0.0661", r"no cure, seed 0: .*, (\S+) after epoch"),
    Claim("Multiclass_Classification", "only moves from 0.980 to 0.978", "0.980",
          r"no cure, seed 0: .*at epoch \d+ \(test accuracy (\S+)\)"),
    Claim("Multiclass_Classification", "only moves from 0.980 to 0.978", "0.978",
          r"no cure, seed 0: .*after epoch \d+ \(test accuracy (\S+)\)"),
    # Backpropagation
    Claim("Backpropagation", "agrees to about $10^{-10}$ relative", "10^{-10}", r"largest relative error: (\S+)",
          same_order),
    # Gradient_Descent
    Claim("Gradient_Descent", "averages $0.3^2 = 0.09$", "0.09", r"noisy_line\(100, 2\.0, -1\.0, ([\d.]+), 11\)",
          derive=lambda sd: sd * sd, in_code=True),
    Claim("Gradient_Descent", "costs only 0.063 on them", "0.063", r"at the true \(2, -1\): (\S+)"),
    Claim("Gradient_Descent", "The cost fell from 0.8729 to almost 0", "0.8729", r"cost: (\S+) before, \S+ after"),
    Claim("Gradient_Descent", "The cost fell from 0.8729 to almost 0", "0", r"cost: \S+ before, (\S+) after",
          within(1e-6)),
    Claim("Gradient_Descent", "26 parameters fit three samples", "26", r"after 200 epochs \((\d+) parameters"),
    Claim("Gradient_Descent", "is $w^{(1)}_{31}$, from", "31", r"moved most: w(\d\d)\(1\)", within(0)),
    Claim("Gradient_Descent", "from −0.400 to 1.595", "−0.400", r"moved most: w\d+\(\d\), from (\S+) to"),
    Claim("Gradient_Descent", "from −0.400 to 1.595", "1.595", r"moved most: w\d+\(\d\), from \S+ to (\S+)"),

    # Activations_in_Depth (outputs are blocks such as "He:\n  std of a(l) ...": `after` finds a line in one)
    *[Claim("Activations_in_Depth", phrase, number, regex, in_code=True) for phrase, number, regex in [
        (r"two moons, 200 points", r"200", r"two_moons\((\d+), 0\.15, \d+\)"),
        (r"(data seed 4, as in", r"4", r"two_moons\(\d+, 0\.15, (\d+)\)"),
        (r"starts from weights seed 1, drawn", r"1", r"let sig = deep\(six\[0\]\.1, Init::Auto, (\d+)\)"),
        (r"trains for 100 epochs with learning rate", r"100", r"let config = TrainConfig::new\((\d+), "),
        (r"learning rate $\epsilon = 0.05$, in", r"0.05", r"let config = TrainConfig::new\(\d+, ([\d.]+)\)"),
        (r"in mini-batches of 20 shuffled", r"20", r"let config = .*\.batch_size\((\d+)\)"),
        (r"shuffled with seed 1 (the same order", r"1", r"let config = .*\.seed\((\d+)\);"),
        (r"now with $\epsilon = 0.5$, ten times", r"0.5", r"let fast = TrainConfig::new\(\d+, ([\d.]+)\)"),
        (r"Xavier's weights × 0.1;", r"0.1", r"\"too small \(Xavier × 0\.1\)\", Init::Xavier, ([\d.]+)\)"),
        (r"**too large**: Xavier's weights × 10;", r"10", r"\"too large \(Xavier × 10\)\", Init::Xavier, ([\d.]+)\)"),
    ]],
    *[Claim("Activations_in_Depth", phrase, number, regex, *rest) for phrase, number, regex, *rest in [
        (r"$\delta^{(2)}/\delta^{(10)} = 2.5\cdot10^{-6}$, a factor", r"2.5\cdot10^{-6}", r"^sigmoid +δ\(2\)/δ\(10\) = (\S+):"),
        (r"a factor of 0.200 per layer. The others", r"0.200", r"^sigmoid +δ\(2\)/δ\(10\) = \S+: a factor of (\S+) per"),
        (r"Together that is the 0.200 per layer", r"0.200", r"^measured: (\S+) per layer"),
        (r"(tanh 0.778 per layer,", r"0.778", r"^tanh +δ\(2\)/δ\(10\) = \S+: a factor of (\S+) per"),
        (r"ReLU 0.691); maxout's", r"0.691", r"^ReLU +δ\(2\)/δ\(10\) = \S+: a factor of (\S+) per"),
        (r"\le (1/4)^8 = 1.5\cdot10^{-5}$", r"1.5\cdot10^{-5}", r"the bound: \(1/4\)\^8 = (\S+)"),
        (r"the mean is 0.237, since", r"0.237", r"mean σ'\(z\(l\)\) in the eight sigmoid layers: (\S+)"),
        (r"another factor of 0.84: eight", r"0.84", r"× (\S+) from W\(l\)ᵀ"),
        (r"weights of at most 0.61 in size", r"0.61", r"at most (\S+) in size\)"),
        (r"receive gradients $4\cdot10^{5}$ times smaller", r"4\cdot10^{5}", r"^sigmoid +δ\(2\)/δ\(10\) = (\S+):", rounded,
         lambda ratio: 1 / ratio),
        (r"moved by $5.9\cdot10^{-5}$ of its size", r"5.9\cdot10^{-5}", r"^sigmoid +final loss .*W\(1\) moved by (\S+) of"),
        (r"against 0.17 for ReLU's", r"0.17", r"^ReLU +final loss .*W\(1\) moved by (\S+) of"),
        (r"The deep sigmoid network stalls at 0.6932", r"0.6932", r"^sigmoid +final loss (\S+),"),
        (r"tanh to 0.0256,", r"0.0256", r"^tanh +final loss (\S+),"),
        (r"ReLU to 0.0006,", r"0.0006", r"^ReLU +final loss (\S+),"),
        (r"leaky ReLU to 0.0013,", r"0.0013", r"^leaky ReLU +final loss (\S+),"),
        (r"ELU to 0.0010 and", r"0.0010", r"^ELU +final loss (\S+),"),
        (r"maxout to 0.0002.", r"0.0002", r"^maxout \(k = 2\) +final loss (\S+),"),
        (r"sigmoid network reaches 0.3373,", r"0.3373", r"^sigmoid +final loss by number of hidden layers +1: (\S+)"),
        (r"with two 0.5688,", r"0.5688", r"^sigmoid +final loss by .* 2: (\S+)"),
        (r"with three 0.6869,", r"0.6869", r"^sigmoid +final loss by .* 3: (\S+)"),
        (r"budget: 0.2575 with one hidden layer", r"0.2575", r"^ReLU +final loss by number of hidden layers +1: (\S+)"),
        (r"0.0006 with eight.", r"0.0006", r"^ReLU +final loss by .* 8: (\S+)"),
        (r"about $10^{-6}$ of $\delta^{(10)}$", r"10^{-6}", r"^sigmoid +δ\(2\)/δ\(10\) = (\S+):", same_order),
        (r"**ReLU** lost 28 of its 64", r"28", r"^ReLU +dead (\d+) of"),
        (r"lost 28 of its 64 hidden neurons", r"64", r"^ReLU +dead \d+ of (\d+)"),
        (r"hidden neurons (44%)", r"44", r"^ReLU +dead \d+ of \d+ \((\d+)%\)"),
        (r"ended at a loss of 0.4068", r"0.4068", r"^ReLU +dead .*final loss (\S+)"),
        (r"the same network reached 0.0006.", r"0.0006", r"^ReLU +final loss (\S+),"),
        (r"All 28 dead neurons get", r"28", r"all have dC/dw = 0: (\d+) of"),
        (r"All 28 dead neurons get", r"28", r"all have dC/dw = 0: \d+ of (\d+)"),
        (r"It still has 20 neurons", r"20", r"^leaky ReLU +dead \d+ of \d+ \(\d+%\), off (\d+) of"),
        (r"20 neurons (31%) on", r"31", r"^leaky ReLU +dead .*, off \d+ of \d+ \((\d+)%\)"),
        (r"but there $f'(z) = 0.1$: they", r"0.1", r"^leaky ReLU +dead .*largest f'\(z\) of an off neuron (\S+);"),
        (r"the network trained to 0.0013, as well", r"0.0013", r"^leaky ReLU +dead .*final loss (\S+)"),
        (r"reach $z \approx -1.8\cdot10^{20}$", r"-1.8\cdot10^{20}", r"lowest z\(l\) (\S+);"),
        (r"40 of its 64 neurons (62%)", r"40", r"^ELU +dead \d+ of \d+ \(\d+%\), off (\d+) of"),
        (r"40 of its 64 neurons (62%)", r"64", r"^ELU +dead \d+ of (\d+)"),
        (r"40 of its 64 neurons (62%)", r"62", r"^ELU +dead .*, off \d+ of \d+ \((\d+)%\)"),
        (r"is at most $4.8\cdot10^{-6}$", r"4.8\cdot10^{-6}", r"^ELU +dead .*largest f'\(z\) of an off neuron (\S+);"),
        (r"Its output is 1 for every point", r"1", r"the output a\(10\) lies in \[(\S+),"),
        (r"Its output is 1 for every point", r"1", r"the output a\(10\) lies in \[\S+, (\S+)\]"),
        (r"the loss 13.8155 is half", r"13.8155", r"^ELU +dead .*final loss (\S+)"),
        (r"half the clamped $-\ln 10^{-12}$", r"10^{-12}", r"^ELU +dead .*final loss (\S+)", same_order,
         lambda loss: math.exp(-2 * loss)),
        (r"The cost: 1065 parameters", r"1065", r"maxout \(k = 2\) (\d+) \("),
        (r"parameters against 537 for the dense", r"537", r"parameters: dense network (\d+),"),
        (r"of the same sizes (1.98×)", r"1.98", r"\((\S+)×\)"),
        (r"$k \cdot 8 = 16$ rows instead of 8", r"16", r"W\(1\) of the maxout network: \((\d+), 2\)"),
        (r"$k \cdot 8 = 16$ rows instead of 8", r"8", r"W\(1\) of .*; the dense one: \((\d+), 2\)"),
        (r"shrinks by a factor of 0.054 per layer", r"0.054", after("too small", r"spread per layer .*: × (\S+)")),
        (r"to $4.4\cdot10^{-11}$ at", r"4.4\cdot10^{-11}", after("too small", r"std of a\(l\), +l = 1\.\.10: (?:\S+ +){8}(\S+)")),
        (r"($\delta^{(2)} \approx 1.1\cdot10^{-13}$)", r"1.1\cdot10^{-13}", after("too small", r"mean \|δ\(l\)\|, +l = 2\.\.10: +(\S+)")),
        (r"the loss stays at 0.6931, $\ln 2$", r"0.6931", after("too small", r"final loss after 100 epochs: (\S+)")),
        (r"the spread grows by 5.4 per", r"5.4", after("too large", r"spread per layer .*: × (\S+)")),
        (r"to $4.4\cdot10^{5}$ at", r"4.4\cdot10^{5}", after("too large", r"std of a\(l\), +l = 1\.\.10: (?:\S+ +){8}(\S+)")),
        (r"($\delta^{(2)} \approx 1.7\cdot10^{3}$)", r"1.7\cdot10^{3}", after("too large", r"mean \|δ\(l\)\|, +l = 2\.\.10: +(\S+)")),
        (r"The network ends at 0.6931 too.", r"0.6931", after("too large", r"final loss after 100 epochs: (\S+)")),
        (r"shrinks the spread by 0.539 per layer", r"0.539", after("Xavier", r"spread per layer .*: × (\S+)")),
        (r"trains, slowly: 0.1915 after 100 epochs", r"0.1915", after("Xavier", r"final loss after 100 epochs: (\S+)")),
        (r"(a factor of 0.762 per layer", r"0.762", after("He", r"spread per layer .*: × (\S+)")),
        (r"and the network trains to 0.0014.", r"0.0014", after("He", r"final loss after 100 epochs: (\S+)")),
        (r"$\delta$ shrinks about 5× per layer", r"5", r"^sigmoid +δ\(2\)/δ\(10\) = \S+: a factor of (\S+) per", rounded,
         lambda factor: 1 / factor),
        (r"dying ReLU: 44% of the neurons", r"44", r"^ReLU +dead \d+ of \d+ \((\d+)%\)"),
        (r"left 62% of its neurons", r"62", r"^ELU +dead .*, off \d+ of \d+ \((\d+)%\)"),
        (r"(1065 parameters against 537)", r"1065", r"maxout \(k = 2\) (\d+) \("),
        (r"(1065 parameters against 537)", r"537", r"parameters: dense network (\d+),"),
    ]],
    # Choosing_a_Cost
    Claim("Choosing_a_Cost", "There are 40 points on the line", "40", r"noisy_line\((\d+), 2\.0, 1\.0,", in_code=True),
    Claim("Choosing_a_Cost", "noise of standard deviation 0.3 (`noisy_line`, seed 5)", "0.3",
          r"noisy_line\(\d+, 2\.0, 1\.0, ([\d.]+), 5\)", in_code=True),
    Claim("Choosing_a_Cost", "noise of standard deviation 0.3 (`noisy_line`, seed 5)", "5",
          r"noisy_line\(\d+, 2\.0, 1\.0, [\d.]+, (\d+)\)", in_code=True),
    Claim("Choosing_a_Cost", "each is lowered by 6", "6", r"y_line\[i\] -= ([\d.]+);", in_code=True),
    Claim("Choosing_a_Cost", "A residual of 6 costs 36 under MSE", "36", r"y_line\[i\] -= ([\d.]+);",
          derive=lambda r: r * r, in_code=True),
    Claim("Choosing_a_Cost", "(780 lines for 40 points)", "780", r"LAD tried (\d+) lines"),
    Claim("Choosing_a_Cost", "(780 lines for 40 points)", "40", r"noisy_line\((\d+), 2\.0", in_code=True),
    Claim("Choosing_a_Cost", "MSE and OLS agree to $10^{-9}$", "10^{-9}", r"gap_mse < ([\de.-]+)", in_code=True),
    Claim("Choosing_a_Cost", "Huber and IRLS to $10^{-9}$ too", "10^{-9}", r"gap_hub < ([\de.-]+)", in_code=True),
    Claim("Choosing_a_Cost", "MAE only to $10^{-3}$", "10^{-3}", r"gap_mae < ([\de.-]+)", in_code=True),
    Claim("Choosing_a_Cost", "for 20190 person-years", "20190", r"^(\d+) person-years, 9 features"),
    Claim("Choosing_a_Cost", "learning rate 0.05, for 500 epochs", "0.05",
          r"TrainConfig::new\(\d+, ([\d.]+)\);\s*config\.optimizer = Optimizer::momentum", in_code=True),
    Claim("Choosing_a_Cost", "learning rate 0.05, for 500 epochs", "500", r"^(\d+) epochs in \S+; Poisson cost"),
    Claim("Choosing_a_Cost", "A power of $1 + 10^{-5}$", "10^{-5}", r"\.power\(1\.0 \+ ([\de.-]+)\)", in_code=True),
    Claim("Choosing_a_Cost", "agrees to the asserted $10^{-5}$", "10^{-5}", r"poisson_gap < ([\de.-]+)", in_code=True),
    Claim("Choosing_a_Cost", "printed above is of order $10^{-6}$", "10^{-6}",
          r"largest coefficient gap, neuron vs TweedieRegressor: (\S+)", same_order),
    Claim("Choosing_a_Cost", "a coefficient of 0.23 on `disea`", "0.23", r"^disea +(\S+) "),
    Claim("Choosing_a_Cost", "$e^{0.23} \\approx 1.26$", "1.26", r"disea: exp\(w\) = (\S+)"),
    Claim("Choosing_a_Cost", "a 64-32-10 network", "64", r"Network::new\(&\[(\d+), 32, 10\]", in_code=True),
    Claim("Choosing_a_Cost", "a 64-32-10 network", "32", r"Network::new\(&\[64, (\d+), 10\]", in_code=True),
    Claim("Choosing_a_Cost", "a 64-32-10 network", "10", r"Network::new\(&\[64, 32, (\d+)\]", in_code=True),
    Claim("Choosing_a_Cost", "trained on the 1797 digits", "1797", r"^(\d+) digits; the soft targets"),
    Claim("Choosing_a_Cost", "temperature $T = 4$", "4", r"let temperature = ([\d.]+);", in_code=True),
    Claim("Choosing_a_Cost", "gets 0.449 of the probability", "0.449", r"give their top class (\S+) on average"),
    Claim("Choosing_a_Cost", "and $H(p) = 1.786$", "1.786", r"; H\(p\) = (\S+)"),
    Claim("Choosing_a_Cost", "$\\ln 10 \\approx 2.303$", "2.303", r"CE (\S+) -> \S+$"),
    Claim("Choosing_a_Cost", "(64 inputs, 10 softmax outputs", "64", r"Network::zeroed\(&\[(\d+), 10\], &\[Activation::Softmax",
          in_code=True),
    Claim("Choosing_a_Cost", "(64 inputs, 10 softmax outputs", "10", r"Network::zeroed\(&\[64, (\d+)\], &\[Activation::Softmax",
          in_code=True),
    Claim("Choosing_a_Cost", "both 200 epochs of gradient descent", "200",
          r"let student_config = TrainConfig::new\((\d+), [\d.]+\);", in_code=True),
    Claim("Choosing_a_Cost", "with learning rate 0.5 on the same soft targets", "0.5",
          r"let student_config = TrainConfig::new\(\d+, ([\d.]+)\);", in_code=True),
    Claim("Choosing_a_Cost", "the same weights (the asserted $10^{-9}$)", "10^{-9}", r"w_gap < ([\de.-]+)", in_code=True),
    Claim("Choosing_a_Cost", "the SVM's objective to the asserted relative $10^{-4}$", "10^{-4}", r"j_gap < ([\de.-]+)",
          in_code=True),
    Claim("Choosing_a_Cost", "its coefficients to the asserted 0.002", "0.002", r"hinge_gap < ([\de.-]+)", in_code=True),
    Claim("Choosing_a_Cost", "the 10 points on or inside the margin", "10", r"points with y·ŷ ≤ 1 under the SVM: (\d+)"),
    Claim("Choosing_a_Cost", "| line to below $10^{-12}$ (section 1);", "10^{-12}", r"MSE +vs OLS: +(\S+)", below),
    Claim("Choosing_a_Cost", "| line to $10^{-4}$, the step size", "10^{-4}", r"MAE +vs LAD: +(\S+)", same_order),
    Claim("Choosing_a_Cost", "| line to below $10^{-12}$, rounding", "10^{-12}", r"Huber vs IRLS: +(\S+)", below),
    Claim("Choosing_a_Cost", "| coefficients to $10^{-6}$ (section 2)", "10^{-6}", r"Poisson vs GLM: +(\S+)", same_order),
    Claim("Choosing_a_Cost", "| coefficients to $10^{-3}$, objective", "10^{-3}", r"hinge vs SVM: +(\S+) \(coefficients\)",
          same_order),
    Claim("Choosing_a_Cost", "objective to $10^{-5}$ (section 4)", "10^{-5}", r"hinge vs SVM: +\S+ \(coefficients\), (\S+)",
          same_order),
    Claim("Choosing_a_Cost", "| weights and CE − KL − H(p) to below $10^{-12}$", "10^{-12}", r"KL +vs CE: +(\S+) \(weights\)",
          below),
    Claim("Choosing_a_Cost", "| weights and CE − KL − H(p) to below $10^{-12}$", "10^{-12}",
          r"KL +vs CE: +\S+ \(weights\), (\S+)", below),
    Claim("Choosing_a_Cost", "(\"below $10^{-12}$\": rounding error,", "10^{-12}", r"MSE +vs OLS: +(\S+)", below),

    # Your_Own_Data (the capstone)
    *[Claim("Your_Own_Data", phrase, number, regex, *rest) for phrase, number, regex, *rest in [
        (r"344 penguins and 8 columns", r"344", r"^(\d+) rows, \d+ columns"),
        (r"344 penguins and 8 columns", r"8", r"^\d+ rows, (\d+) columns"),
        (r"19 cells are missing", r"19", r"^(\d+) missing cells"),
        (r"2 in each measurement", r"2", r'\("bill_length_mm", (\d+)\)'),
        (r"2 in each measurement", r"2", r'\("bill_depth_mm", (\d+)\)'),
        (r"2 in each measurement", r"2", r'\("flipper_length_mm", (\d+)\)'),
        (r"2 in each measurement", r"2", r'\("body_mass_g", (\d+)\)'),
        (r"and 11 in `sex`", r"11", r'\("sex", (\d+)\)'),
        (r"`sex` is text with 11 missing cells", r"11", r'\("sex", (\d+)\)'),
        (r"The 2 penguins with gaps", r"2", r"missing measurements, in (\d+) rows"),
        (r"(8 missing cells in 2 rows, below)", r"8", r"^(\d+) missing measurements, in"),
        (r"(8 missing cells in 2 rows, below)", r"2", r"missing measurements, in (\d+) rows"),
        (r"For 2 rows of 344", r"2", r"missing measurements, in (\d+) rows"),
        (r"For 2 rows of 344", r"344", r"^(\d+) rows, \d+ columns"),
        (r"keeps the 9 penguins that only", r"9", r"^drop_missing first: \d+ rows kept \((\d+) fewer\)"),
        (r"a factor of about 400", r"400", r"^largest std / smallest std: (\d+)", within(10)),
        (r"still reaches 0.907 on", r"0.907", r"^unscaled: test accuracy (\S+)"),
        (r"learns nothing: 0.442, what", r"0.442", r"^unscaled, tanh and SGD: test accuracy (\S+)"),
        (r"cost, 1.05, is no lower", r"1.05", r"training set is (\S+), "),
        (r"than the 1.05 of predicting", r"1.05", r"the (\S+) of always predicting the class shares"),
        (r"gets 0.988 on the test part", r"0.988", r"^standardised: test accuracy (\S+)"),
        (r"(1 of 86 penguins wrong)", r"1", r"^standardised: test accuracy \S+ \((\d+) of"),
        (r"(1 of 86 penguins wrong)", r"86", r"^standardised: test accuracy \S+ \(\d+ of (\d+) wrong"),
        (r"regression gets 0.965 (3 wrong)", r"0.965", r"^multinomial logistic \(linfa\) +(\S+)"),
        (r"regression gets 0.965 (3 wrong)", r"3", r"^multinomial logistic \(linfa\) +\S+ +(\d+)"),
        (r"disagree on 2 of its penguins", r"2", r"the two models disagree on (\d+) test penguins"),
        (r"One test part of 86 penguins", r"86", r"^train \d+ / test (\d+) penguins"),
        (r"moves the accuracy by 0.012", r"0.012", r"^train \d+ / test (\d+) penguins", rounded,
         lambda n: 1 / n),
        (r"the network averages 0.992 and", r"0.992", r"-fold mean accuracy: nnlib (\S+) ±"),
        (r"and linfa 0.988, and", r"0.988", r"-fold mean accuracy: .*, linfa (\S+) ±"),
        (r"spread by 0.017 and 0.026", r"0.017", r"-fold mean accuracy: nnlib \S+ ± (\S+),"),
        (r"spread by 0.017 and 0.026", r"0.026", r"-fold mean accuracy: .*, linfa \S+ ± (\S+) "),
        (r"numbers them 0, 1, 2; the", r"2", r"^label (\d+) = Gentoo"),
        (r"the bill alone gives 0.930", r"0.930", r"^bill length and depth only: test accuracy (\S+)"),
    ]],
    *[Claim("Your_Own_Data", phrase, number, regex, in_code=True) for phrase, number, regex in [
        (r"for the test (seed 0)", r"0", r"stratified_train_test_split\(&penguins\.dataset, [\d.]+, (\d+)\)"),
        (r"cut it into 5 folds", r"5", r"^let k = (\d+);"),
        (r"Over the 5 folds", r"5", r"^let k = (\d+);"),
        (r"The 5 scores of each", r"5", r"^let k = (\d+);"),
        (r"bill 50 mm long", r"50", r"let new_penguin = \[([\d.]+), "),
        (r"and 15 mm deep", r"15", r"let new_penguin = \[[\d.]+, ([\d.]+), "),
        (r"flippers of 220 mm", r"220", r"let new_penguin = \[[\d.]+, [\d.]+, ([\d.]+), "),
        (r"220 mm, 5400 g", r"5400", r"let new_penguin = \[[\d.]+, [\d.]+, [\d.]+, ([\d.]+)\]"),
        (r"a bill 39 mm long", r"39", r"arr2\(&\[\[([\d.]+), [\d.]+, [\d.]+, [\d.]+\]\]\)"),
        (r"and 18.5 mm deep", r"18.5", r"arr2\(&\[\[[\d.]+, ([\d.]+), [\d.]+, [\d.]+\]\]\)"),
        (r"flippers of 190 mm", r"190", r"arr2\(&\[\[[\d.]+, [\d.]+, ([\d.]+), [\d.]+\]\]\)"),
        (r"a weight of 3600 g", r"3600", r"arr2\(&\[\[[\d.]+, [\d.]+, [\d.]+, ([\d.]+)\]\]\)"),
    ]],
    Claim("Your_Own_Data", "train on 4 of them", "4", r"^let k = (\d+);", derive=lambda k: k - 1, in_code=True),
]


def parse_number(text: str) -> float:
    """A number as the prose or the outputs write it: "0.0779", "−0.400", "2.5e-6",
    LaTeX's "10^{-10}" and "2.5\\cdot10^{-6}" (or with a space, "1.8\\cdot 10^{12}")."""
    text = text.replace("−", "-")
    power = re.fullmatch(r"(?:(-?[\d.]+)\s*\\cdot\s*)?10\^\{(-?\d+)\}", text)
    if power:
        return float(power.group(1) or 1.0) * 10.0 ** int(power.group(2))
    return float(text)


def normalise(text: str) -> str:
    return " ".join(text.split())


def code_sources(nb: dict) -> list[str]:
    """The code cells, exercise cells left out (the solutions run replaces those)."""
    return [nbcheck.cell_source(c) for _, c in nbcheck.code_cells(nb) if nbcheck.EXERCISE_TAG not in nbcheck.cell_tags(c)]


_EXECUTED: dict[str, dict] = {}


def executed(name: str) -> dict:
    """The notebook as executed by the notebook tests, or executed here when missing or stale."""
    if name in _EXECUTED:
        return _EXECUTED[name]
    source = json.loads((NB_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    for candidate in (f"{name}.ipynb", f"{name}.solutions.ipynb"):
        path = nbrun.OUT_DIR / candidate
        if path.is_file():
            nb = json.loads(path.read_text(encoding="utf-8"))
            if code_sources(nb) == code_sources(source):
                broken = nbcheck.find_errors(nb) + nbcheck.find_panics(nb)
                if broken:
                    pytest.fail(f"{path} stopped with an error, so its prose cannot be checked:\n"
                                + nbcheck.format_report(name, broken, nb), pytrace=False)
                _EXECUTED[name] = nb
                return nb
    result = nbrun.execute(NB_DIR / f"{name}.ipynb", out_path=nbrun.OUT_DIR / f"{name}.ipynb", name=name)
    if not result.ok:
        pytest.fail(f"{name} did not run cleanly, so its prose cannot be checked:\n{result.report()}", pytrace=False)
    _EXECUTED[name] = result.nb
    return result.nb


def markdown(name: str) -> str:
    nb = json.loads((NB_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    return normalise("\n".join(nbcheck.cell_source(c) for c in nb["cells"] if c["cell_type"] == "markdown"))


def outputs(nb: dict) -> str:
    return "\n".join(nbcheck.strip_ansi(nbcheck.all_text(c)) for _, c in nbcheck.code_cells(nb))


@pytest.mark.parametrize("claim", [pytest.param(c, id=c.id) for c in CLAIMS])
def test_prose_number_matches_output(claim: Claim):
    assert claim.number in claim.phrase, f"table error: {claim.number!r} is not in {claim.phrase!r}"
    in_markdown = normalise(claim.phrase) in markdown(claim.notebook)
    assert in_markdown, (
        f"{claim.notebook}: the markdown no longer says {claim.phrase!r}; "
        f"if the prose changed on purpose, update its row in tests/test_prose.py"
    )
    nb = executed(claim.notebook)
    haystack = "\n".join(code_sources(nb)) if claim.in_code else outputs(nb)
    found = re.search(claim.regex, haystack, re.M)
    assert found, f"{claim.notebook}: no {'code' if claim.in_code else 'output'} matches {claim.regex!r}"
    measured = claim.derive(parse_number(found.group(1)))
    claimed = parse_number(claim.number)
    how = (claim.agrees.__doc__ or claim.agrees.__name__).strip().splitlines()[0]
    agrees = claim.agrees(claimed, measured, claim.number)
    assert agrees, (
        f"{claim.notebook}: the prose says {claim.phrase!r}, but the notebook measured {measured:g} "
        f"(from {found.group(0)!r}); the check is: {how}"
    )


def test_table_covers_only_known_notebooks():
    names = {p.stem for p in NB_DIR.glob("*.ipynb")}
    unknown = sorted({c.notebook for c in CLAIMS} - names)
    assert not unknown, f"CLAIMS names notebooks that do not exist: {unknown}"


@pytest.mark.parametrize(
    "text, value",
    [("0.0779", 0.0779), ("−0.400", -0.4), ("442", 442.0), ("2.5e-6", 2.5e-6), ("10^{-10}", 1e-10),
     ("2.5\\cdot10^{-6}", 2.5e-6), ("−1.8\\cdot10^{12}", -1.8e12), ("4.4\\cdot 10^{5}", 4.4e5)],
)
def test_parse_number_reads_plain_and_latex_numbers(text: str, value: float):
    assert math.isclose(parse_number(text), value, rel_tol=1e-12)


def test_parse_number_refuses_what_is_not_a_number():
    for text in ("2.5\\cdot", "cdot10^{-6}", "ln 2"):
        with pytest.raises(ValueError):
            parse_number(text)


def test_rounded_reads_the_digits_of_scientific_prose():
    assert shown_decimals("0.063") == 3 and shown_decimals("2.5\\cdot10^{-6}") == 7
    assert shown_decimals("1.7\\cdot10^{3}") == -2 and shown_decimals("−1.8\\cdot10^{20}") == -19
    assert rounded(2.5e-6, 2.5148e-6, "2.5\\cdot10^{-6}")
    assert not rounded(2.5e-6, 2.56e-6, "2.5\\cdot10^{-6}")
    assert rounded(1.7e3, 1.66e3, "1.7\\cdot10^{3}") and not rounded(1.7e3, 1.6e3, "1.7\\cdot10^{3}")
