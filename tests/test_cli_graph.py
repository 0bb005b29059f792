"""Tests of ``tinygrad-ko graph``: good input, every kind of bad input, and no eval."""

import ast
import builtins
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

pytest.importorskip("tinygrad_ko.tools.expr", reason="the expression parser (tools/expr.py) is not merged yet")

from tinygrad_ko.cli import main  # noqa: E402

from test_viz import edge_texts, node_texts  # noqa: E402

HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz's `dot` is not installed (CI installs it: .ci/run)")
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
    (["(a+b)*(b+1)", "--at", "a=2", "b=1", "-o", "out.txt"], r"cannot save a drawing as 'out.txt'"),
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
