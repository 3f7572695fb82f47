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


def rounded(claimed: float, measured: float, text: str) -> bool:
    """Equal once `measured` is rounded to the digits `text` shows (0.063 vs 0.0630)."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return abs(claimed - measured) <= 0.5 * 10**-decimals * (1 + 1e-9)


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
]


def parse_number(text: str) -> float:
    power = re.fullmatch(r"10\^\{(-?\d+)\}", text)
    return 10.0 ** int(power.group(1)) if power else float(text.replace("−", "-"))


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
