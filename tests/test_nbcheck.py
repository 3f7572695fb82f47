"""Unit tests of the notebook checks, on synthetic executed notebooks (no kernel)."""

from __future__ import annotations

import nbcheck

SVG_HTML = '<div><svg width="10" height="10" xmlns="http://www.w3.org/2000/svg"><rect/></svg></div>'


def code(source, outputs=(), tags=(), **meta):
    metadata = dict(meta)
    if tags:
        metadata["tags"] = list(tags)
    return {"cell_type": "code", "source": source, "metadata": metadata, "outputs": list(outputs), "execution_count": 1}


def md(source):
    return {"cell_type": "markdown", "source": source, "metadata": {}}


def stream(text, name="stdout"):
    return {"output_type": "stream", "name": name, "text": text}


def html(text, output_type="display_data"):
    out = {"output_type": output_type, "data": {"text/html": text}, "metadata": {}}
    if output_type == "execute_result":
        out["execution_count"] = 1
    return out


def error(evalue, ename="Error", traceback=()):
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": list(traceback)}


def notebook(*cells):
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def plot_cell():
    return code("Plot", [html(SVG_HTML, "execute_result")])


def kinds(problems):
    return [p.kind for p in problems]


# ------------------------------------------------------------------ the basic rules


def test_clean_notebook_with_svg_passes():
    nb = notebook(md("# Title"), code(':dep nnlib = { path = "../nnlib" }'), code("1 + 1", [stream("2\n")]), plot_cell())
    assert nbcheck.find_problems(nb) == []


def test_error_output_is_detected_with_cell_source_and_message():
    nb = notebook(
        code(":dep x"),
        code('let x: i32 = "a";', [error("mismatched types\nexpected `i32`, found `&str`", "E0308", ["\x1b[31merror[E0308]\x1b[0m: mismatched types"])]),
        plot_cell(),
    )
    problems = nbcheck.find_problems(nb)
    assert kinds(problems) == ["error"]
    p = problems[0]
    assert p.cell_index == 1
    rendered = p.render(3)
    assert 'let x: i32 = "a";' in rendered
    assert "mismatched types" in rendered and "E0308" in rendered
    assert "cell 2 of 3 (index 1)" in rendered
    assert "\x1b[" not in rendered, "ANSI colour codes are stripped"


def test_several_error_outputs_of_one_cell_are_one_problem():
    nb = notebook(code("let a: i32 = x;", [error("cannot find value `x`"), error("aborting due to 1 previous error")]), plot_cell())
    problems = nbcheck.find_problems(nb)
    assert kinds(problems) == ["error"]
    assert "cannot find value `x`" in problems[0].message and "aborting" in problems[0].message
    assert problems[0].render().count("let a: i32 = x;") == 1


def test_stderr_panic_is_detected():
    panic = "thread '<unnamed>' panicked at src/lib.rs:3:1:\nboom\nnote: run with `RUST_BACKTRACE=1`\n"
    nb = notebook(code('panic!("boom")', [stream(panic, "stderr")]), plot_cell())
    problems = nbcheck.find_problems(nb)
    assert kinds(problems) == ["panic"]
    assert "boom" in problems[0].message and 'panic!("boom")' in problems[0].render()


def test_panic_split_over_several_stream_outputs_is_detected():
    nb = notebook(code("f()", [stream("thread 'main' pan", "stderr"), stream("icked at x.rs:1:1\n", "stderr")]), plot_cell())
    assert kinds(nbcheck.find_problems(nb)) == ["panic"]


def test_stdout_panic_is_detected_too():
    nb = notebook(code("f()", [stream("thread 'main' panicked at x.rs:1:1\n")]), plot_cell())
    assert kinds(nbcheck.find_problems(nb)) == ["panic"]


def test_harmless_stderr_is_not_a_panic():
    nb = notebook(code("eprintln!(\"warning: slow\")", [stream("warning: slow\n", "stderr")]), plot_cell())
    assert nbcheck.find_problems(nb) == []


def test_figure_shown_as_debug_text_is_detected():
    as_text = {"output_type": "execute_result", "execution_count": 1, "metadata": {},
               "data": {"text/plain": "Figure { 640 × 420 px, 5969 bytes of SVG }"}}
    nb = notebook(code("plot::curves(..)?", [as_text]), plot_cell())
    problems = nbcheck.find_problems(nb)
    assert kinds(problems) == ["unrendered-plot"]
    assert problems[0].cell_index == 0 and "plot::curves" in problems[0].source


def test_notebook_without_svg_is_detected():
    nb = notebook(code("1", [html("<b>no plot here</b>", "execute_result"), stream("<svg in stdout does not count>\n")]))
    assert kinds(nbcheck.find_problems(nb)) == ["no-plot"]


def test_svg_mime_and_list_form_sources_count_as_plot():
    nb = notebook(code(["a\n", "b"], [{"output_type": "display_data", "data": {"image/svg+xml": ["<svg>", "</svg>"]}, "metadata": {}}]))
    assert nbcheck.has_plot(nb)
    assert nbcheck.find_problems(nb) == []


def test_plot_rule_can_be_switched_off_and_is_skipped_when_execution_stopped():
    nb = notebook(code("1"))
    assert nbcheck.find_problems(nb, require_plot=False) == []
    assert nbcheck.find_problems(nb, completed=False) == []


def test_several_problems_are_reported_in_cell_order():
    nb = notebook(
        code("a", [stream("thread 'main' panicked at a\n", "stderr")]),
        code("b", [error("boom")]),
    )
    problems = nbcheck.find_problems(nb)
    assert kinds(problems) == ["panic", "error", "no-plot"]
    report = nbcheck.format_report("bad", problems, nb)
    assert report.splitlines()[0] == "bad: 3 problem(s): panic in cell 1, error in cell 2, no-plot"


# ------------------------------------------------------------------ nnlib's training warnings

WARNED = "nnlib warning: training ended worse than guessing: the final MSE ...\n"


def test_a_training_warning_fails_the_notebook():
    nb = notebook(code("train", [stream("loss 0.1\n" + WARNED)]), plot_cell())
    problems = nbcheck.find_problems(nb)
    assert kinds(problems) == ["warning"] and problems[0].cell_index == 0
    assert "worse than guessing" in problems[0].message


def test_a_cell_tagged_shows_warning_must_show_one():
    meant = code("train badly", [stream(WARNED)], tags=["shows-warning"])
    assert nbcheck.find_problems(notebook(meant, plot_cell())) == []
    silent = code("train badly", [stream("loss 0.1\n")], tags=["shows-warning"])
    assert kinds(nbcheck.find_problems(notebook(silent, plot_cell()))) == ["warning"]
    # A notebook that stopped early never ran the cell: only its cause is reported.
    assert nbcheck.find_problems(notebook(silent), completed=False) == []


def test_the_marker_is_nnlibs():
    """nbcheck looks for the string every nnlib warning starts with (warnings::MARKER)."""
    source = (nbcheck_repo() / "nnlib" / "src" / "train" / "warnings.rs").read_text(encoding="utf-8")
    assert f'pub const MARKER: &str = "{nbcheck.WARNING_MARKER}";' in source


def nbcheck_repo():
    from pathlib import Path

    return Path(nbcheck.__file__).resolve().parent.parent


# ------------------------------------------------------------------ exercises / solutions


def exercise(stub, solution):
    return code(stub, tags=["exercise"], nnlib={"solution": solution})


def check(printed):
    return code("check(relu)", [stream(printed)], tags=["check"])


def test_apply_solutions_substitutes_exercise_sources_only():
    nb = notebook(code("setup"), exercise("fn relu(x: f64) -> f64 { 0.0 }", "fn relu(x: f64) -> f64 { x.max(0.0) }"), check(""))
    solved, problems = nbcheck.apply_solutions(nb)
    assert problems == []
    assert [nbcheck.cell_source(c) for c in solved["cells"]] == ["setup", "fn relu(x: f64) -> f64 { x.max(0.0) }", "check(relu)"]
    assert nbcheck.cell_source(nb["cells"][1]) == "fn relu(x: f64) -> f64 { 0.0 }", "the original is untouched"


def test_solution_given_as_list_of_lines():
    nb = notebook(exercise("stub", ["line 1\n", "line 2"]))
    solved, _ = nbcheck.apply_solutions(nb)
    assert nbcheck.cell_source(solved["cells"][0]) == "line 1\nline 2"


def test_exercise_without_solution_is_a_problem():
    nb = notebook(code("stub", tags=["exercise"]))
    _, problems = nbcheck.apply_solutions(nb)
    assert kinds(problems) == ["solution-missing"] and problems[0].cell_index == 0


def test_has_exercises():
    assert nbcheck.has_exercises(notebook(exercise("a", "b")))
    assert not nbcheck.has_exercises(notebook(code("a", tags=["check"]), md("exercise")))


def test_normal_mode_tolerates_not_yet():
    nb = notebook(exercise("stub", "sol"), check("❌ not yet: relu(-1.0) should be 0\n"), plot_cell())
    assert nbcheck.find_problems(nb, solutions=False) == []


def test_solutions_mode_requires_every_check_to_pass():
    good = notebook(exercise("stub", "sol"), check("✅ correct\n"), plot_cell())
    assert nbcheck.find_problems(good, solutions=True) == []

    failing = notebook(exercise("stub", "sol"), check("❌ not yet\n"), plot_cell())
    problems = nbcheck.find_problems(failing, solutions=True)
    assert kinds(problems) == ["check"] and "❌ not yet" in problems[0].message

    silent = notebook(exercise("stub", "sol"), check(""), plot_cell())
    problems = nbcheck.find_problems(silent, solutions=True)
    assert kinds(problems) == ["check"] and "did not print ✅" in problems[0].message

    mixed = notebook(check("✅ correct\n❌ but this part not\n"), plot_cell())
    assert kinds(nbcheck.find_problems(mixed, solutions=True)) == ["check"]


def test_check_mark_in_rich_output_counts():
    nb = notebook(code("check()", [html("<p>✅ correct</p>", "execute_result")], tags=["check"]), plot_cell())
    assert nbcheck.find_problems(nb, solutions=True) == []
