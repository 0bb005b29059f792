"""Tests of ``tinygrad-ko graph``: good input, every kind of bad input, and no eval."""

import ast
import builtins
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("tinygrad_ko.tools.expr", reason="the expression parser (tools/expr/) is not merged yet")

from tinygrad_ko.cli import main  # noqa: E402

from test_viz import edge_texts, node_texts  # noqa: E402

from system_tools import needs_graphviz as needs_dot  # noqa: E402
ROOT = pathlib.Path(__file__).resolve().parents[1]


def run_graph(capsys, *arguments):
    status = main(["graph", *arguments])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --------------------------------------------------------------- good input

def test_dot_on_stdout_carries_the_olah_numbers(capsys):
    status, out, err = run_graph(capsys, "(a+b)*(b+1)", "--at", "a=2", "b=1", "--wrt", "b", "--mode", "both")
    assert status == 0 and err == ""
    nodes = node_texts(out)
    assert nodes["a = 2"][1:] == ["∂a/∂b = 0", "∂f/∂a = 2"]
    assert nodes["b = 1"][1:] == ["∂b/∂b = 1", "∂f/∂b = 5"]
    assert nodes["v1 = a + b = 3"][1:] == ["∂v1/∂b = 1", "∂f/∂v1 = 2"]
    assert nodes["v2 = b + 1 = 2"][1:] == ["∂v2/∂b = 1", "∂f/∂v2 = 3"]
    assert nodes["f = v1 * v2 = 6"][1:] == ["∂f/∂b = 5", "∂f/∂f = 1"]
    assert [label for _, _, label in edge_texts(out)] == [
        "∂v1/∂a = 1", "∂v1/∂b = 1", "∂v2/∂b = 1", "∂f/∂v1 = v2 = 2", "∂f/∂v2 = v1 = 3"]
    assert 'label="f = (a+b)*(b+1)"' in out


@needs_dot
def test_svg_file_and_the_terminal_summary(capsys, tmp_path):
    target = tmp_path / "e.svg"
    status, out, err = run_graph(capsys, "(a+b)*(b+1)", "--at", "a=2", "b=1", "--wrt", "b",
                                 "--mode", "both", "-o", str(target))
    assert status == 0 and err == ""
    assert out.splitlines() == [
        "f = 6;  순방향 · forward ∂f/∂b = 5;  역방향 · reverse ∂f/∂a = 2, ∂f/∂b = 5",
        f"wrote {target}"]
    svg = target.read_text(encoding="utf-8")
    for text in ("∂f/∂b = 5", "∂f/∂a = 2", "∂f/∂v1 = v2 = 2", "범례 · Legend"):
        assert text in svg


@needs_dot
def test_html_output_is_a_step_through(capsys, tmp_path):
    target = tmp_path / "e.html"
    status, out, _ = run_graph(capsys, "(a+b)*(b+1)", "--at", "a=2", "b=1", "-o", str(target))
    assert status == 0
    page = target.read_text(encoding="utf-8")
    assert page.count('<figure class="tgk-frame"') == 1 + 5 + 5 + 1
    assert "b̄ = v̄1·∂v1/∂b + v̄2·∂v2/∂b = 2·1 + 3·1 = 5" in page


def test_dot_file_needs_no_graphviz(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    target = tmp_path / "f.dot"
    status, out, _ = run_graph(capsys, "sin(x)**2 + relu(-x)", "--at", "x=0.5", "-o", str(target))
    assert status == 0
    nodes = node_texts(target.read_text(encoding="utf-8"))
    assert "v1 = sin(x) = 0.4794" in nodes and "v3 = -x = -0.5" in nodes and "v4 = relu(v3) = 0" in nodes
    # d/dx (sin² x + relu(−x)) = 2 sin x cos x = sin 2x at x = 0.5
    assert "∂f/∂x = 0.8415" in nodes["x = 0.5"]
    status, _, err = run_graph(capsys, "sin(x)", "--at", "x=1", "-o", str(tmp_path / "f.svg"))
    assert status == 2 and "apt-get install graphviz" in err and len(err.splitlines()) == 1


def test_every_whitelisted_function_draws(capsys):
    expression = "sin(x) + cos(x) + exp(x) + log(x) + sqrt(x) + tanh(x) + sigmoid(x) + relu(x) - x/2"
    status, out, _ = run_graph(capsys, expression, "--at", "x=1")
    assert status == 0
    import math

    derivative = (math.cos(1) - math.sin(1) + math.e + 1 + 0.5 + (1 - math.tanh(1) ** 2)
                  + 0.25 * (1 - math.tanh(0.5) ** 2) + 1 - 0.5)
    assert f"∂f/∂x = {derivative:.4g}" in node_texts(out)["x = 1"]


# ---------------------------------------------------------------- bad input

BAD_INPUTS = [
    # (arguments, what the one line must say)
    (["(a+b)*(b+", "--at", "a=2", "b=1"], r"column 7: syntax error.*in: \(a\+b\)\*▶\(b\+$"),
    (["a +* b", "--at", "a=2", "b=1"], r"syntax error"),
    (["foo(a)", "--at", "a=2"], r"column 1: unknown function 'foo'"),
    (["a.__class__", "--at", "a=2"], r"attribute access"),
    (["__import__('os').system('true')"], r"not allowed|unknown function"),
    (["a[0]", "--at", "a=2"], r"not allowed"),
    (["a if a else 1", "--at", "a=2"], r"not allowed"),
    (["lambda: 1"], r"not allowed"),
    (["a < 1", "--at", "a=2"], r"not allowed"),
    (["'text'"], r"not allowed"),
    (["(a+b)*(b+1)", "--at", "a=2"], r"no value given for b"),
    (["(a+b)*(b+1)", "--at", "a=2", "b=two"], r"bad value 'b=two'"),
    (["(a+b)*(b+1)", "--at", "a=2", "b=1", "c=3"], r"--at gives c, which the expression does not use"),
    (["(a+b)*(b+1)", "--at", "a=2", "b=1", "--wrt", "z"], r"--wrt z: not a variable"),
    (["(a+b)*(b+1)", "--at", "a=2", "b=1", "--mode", "forward"], r"--mode forward needs --wrt, one of: a, b"),
    (["2+3"], r"no variables"),
    (["(a+b)*(b+1)", "--at", "a=2", "b=1", "-o", "out.txt"], r"-o out.txt: cannot write .txt; use one of .svg, .png, .pdf, .dot, .gv, .html, .htm"),
    (["x", "--at", "x=1", "-o", "e.jpg"], r"-o e.jpg: cannot write .jpg"),
    (["log(x)", "--at", "x=-1"], r"undefined: f = log\(x\) is undefined at x = -1: log of a negative number"),
    (["log(x)", "--at", "x=0"], r"undefined: f = log\(x\) is undefined at x = 0: log of zero"),
    (["1/x", "--at", "x=0"], r"undefined: f = 1 / x is undefined at x = 0: division by zero"),
    (["x**100000", "--at", "x=2"], r"f = x \*\* 100000 is undefined at x = 2: overflow: .* too large for float64"),
    (["x*10**400", "--at", "x=1"], r"undefined: a number in the expression is too large for float64"),
    (["sqrt(x)", "--at", "x=0"], r"∂f/∂x, the derivative of f = sqrt\(x\), is undefined at x = 0: it is infinite"),
    (["sin(x)\n+1", "--at", "x=1"], r"invalid character U\+000A.*in: sin\(x\)▶\\n\+1$"),
    (["ｓｉｎ(x)", "--at", "x=1"], r"'ｓ' \(fullwidth latin small letter s\) is not plain text: type 's' instead"),
]


@pytest.mark.parametrize("arguments, message", BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_is_one_clear_line_and_status_2(capsys, tmp_path, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    status, out, err = run_graph(capsys, *arguments)
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("tinygrad-ko graph: error: ")
    assert re.search(message, lines[0]), lines[0]
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_bad_input_exit_status_from_the_real_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tinygrad_ko", "graph", "(a+b)*foo(b)", "--at", "a=2", "b=1"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "tinygrad-ko graph: error: column 7: unknown function 'foo'; allowed functions: cos, exp, log, "
        "relu, sigmoid, sin, sqrt, tanh   in: (a+b)*▶foo(b)"]


# ------------------------------------------------------- nothing is evaluated

def test_nothing_is_evaluated(capsys, tmp_path, monkeypatch):
    """With eval and exec removed and compile limited to building syntax trees,
    a good expression still draws and a malicious one runs nothing."""
    real_compile = builtins.compile

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec must never be called")

    def syntax_trees_only(source, filename, mode, flags=0, *args, **kwargs):
        if not flags & ast.PyCF_ONLY_AST:
            raise AssertionError("compile() to code must never be called")
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(builtins, "compile", syntax_trees_only)
    monkeypatch.chdir(tmp_path)

    status, out, _ = run_graph(capsys, "(a+b)*(b+1)", "--at", "a=2", "b=1")
    assert status == 0 and "f = v1 * v2 = 6" in node_texts(out)

    marker = tmp_path / "pwned"
    for attack in [f"__import__('os').system('touch {marker}')",
                   f"open('{marker}', 'w')",
                   "().__class__.__bases__[0].__subclasses__()",
                   f"exec('open(\"{marker}\", \"w\")')"]:
        status, out, err = run_graph(capsys, attack)
        assert status == 2 and out == "" and len(err.splitlines()) == 1
    assert not marker.exists()


# ------------------------------------------------- undefined points, edges of the command line

@pytest.mark.parametrize("expression, value, names", [
    ("log(x)", "x=-1", ("log", "x = -1", "negative")),
    ("1/x", "x=0", ("1 / x", "x = 0", "division by zero")),
    ("x**100000", "x=2", ("x ** 100000", "overflow")),
    ("x*10**400", "x=1", ("too large for float64",)),
])
def test_undefined_points_are_one_line_no_numpy_warning_and_status_2(expression, value, names):
    result = subprocess.run([sys.executable, "-W", "default", "-m", "tinygrad_ko", "graph", expression,
                             "--at", value, "--mode", "both"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()          # no RuntimeWarning lines, no source paths
    assert all(name in line for name in names), line


def test_the_drawing_shows_no_derivative_as_valid_beside_an_undefined_value():
    from tinygrad_ko.tools.viz import draw
    from tinygrad_ko.tools.viz.dot import UNDEFINED
    from tinygrad_ko.tools.viz.expression import expression_graph

    with np.errstate(invalid="ignore"):                      # the user's own evaluation warns as NumPy does
        output, (x,) = expression_graph("log(x) + x", {"x": -1})
    source = draw(output, "both", wrt=x).source
    nodes = node_texts(source)
    assert nodes["x = -1"][1:] == ["∂x/∂x = 1", f"∂f/∂x = {UNDEFINED}"]       # not 1/x + 1 = 0
    assert nodes[f"v1 = log(x) = {UNDEFINED}"][1:] == [f"∂v1/∂x = {UNDEFINED}", f"∂f/∂v1 = {UNDEFINED}"]
    assert f"⚠ {UNDEFINED}: v1 = log(x) is undefined at x = -1: log of a negative number" in source
    assert "순방향 · forward nan" not in source                                # no agreement line


def test_a_defined_drawing_has_no_undefined_mark():
    from tinygrad_ko.tools.viz import draw
    from tinygrad_ko.tools.viz.dot import UNDEFINED
    from tinygrad_ko.tools.viz.expression import expression_graph

    output, (x,) = expression_graph("log(x)", {"x": 2})
    assert UNDEFINED not in draw(output, "both", wrt=x).source


@pytest.mark.parametrize("arguments", [
    ["-x+1", "--at", "x=2"],
    ["--at", "x=2", "--mode", "reverse", "-x+1"],
    ["-x+1", "--at", "x=2", "--wrt", "x"],
    ["-2*x+1", "--at", "x=2"],
])
def test_an_expression_may_start_with_a_minus(capsys, arguments):
    status, out, err = run_graph(capsys, *arguments)
    assert status == 0 and err == "", err
    assert 'label="f = -' in out and "∂f/∂x = -" in out


def test_negative_values_and_options_still_read_as_before(capsys):
    status, out, err = run_graph(capsys, "x*y", "--at", "x=-1", "y=-2.5", "--mode", "reverse")
    assert status == 0 and err == ""
    assert "∂f/∂x = -2.5" in out


def test_missing_output_folders_are_made_but_only_when_there_is_something_to_write(capsys, tmp_path):
    target = tmp_path / "new" / "sub" / "e.dot"
    status, out, err = run_graph(capsys, "log(x)", "--at", "x=-1", "-o", str(target))
    assert status == 2 and not (tmp_path / "new").exists()
    status, out, err = run_graph(capsys, "x*x", "--at", "x=3", "-o", str(target))
    assert status == 0 and err == "" and target.is_file()


def test_an_output_folder_that_is_a_file_is_one_line(capsys, tmp_path):
    (tmp_path / "file").write_text("")
    status, out, err = run_graph(capsys, "x*x", "--at", "x=3", "-o", str(tmp_path / "file" / "e.dot"))
    assert status == 2 and err.strip().endswith("is a file, not a folder")


def test_the_options_the_leading_minus_rule_knows_are_the_parsers():
    from tinygrad_ko.cli import build_parser
    from tinygrad_ko.cli.graph import OPTIONS

    graph = build_parser()._subparsers._group_actions[0].choices["graph"]
    assert set(OPTIONS) == {option for action in graph._actions for option in action.option_strings}


def test_the_command_offers_exactly_the_drawing_modes():
    # cli/graph.py keeps its own copy of the modes (the parser is built without importing viz).
    from tinygrad_ko.cli import graph
    from tinygrad_ko.tools.viz import MODES

    assert graph.MODES == MODES
