"""Fuzz of the expression parser: whatever a student types, the only error is ExpressionError.

Arbitrary Unicode text, then text built from the pieces most likely to break a
parser (brackets, operators, newlines, huge numbers, look-alike letters, Python
syntax we refuse), then very deep nesting. A text that parses must also print
back to an equal tree, evaluate on Tensors, and go through the `graph` command as
status 0 or one line and status 2.
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinygrad_ko.cli import main
from tinygrad_ko.errors import TinygradKoError
from tinygrad_ko.tools.expr import ExpressionError, evaluate, parse, to_source, variables
from tinygrad_ko.tools.viz.expression import expression_graph

PIECES = ["(", ")", "-", "+", "*", "/", "**", "^", "x", "y", "가", "_", "1", "0", "2.5", "1e308", "1e309",
          "9" * 400, "0x1f", "1j", ".", ",", "=", "==", " ", "\n", "\t", "\x00", "sin", "log", "exp(", "sqrt(",
          "relu", "foo(", "lambda", "[", "]", "{", "}", ":", "'a'", "\\", "ｓｉｎ", "²", "（", "@", "not ", "if",
          "\u200b", "\ud800", "x.y", "*x", "...", "True", "#", ";", "f'{x}'", "\u202e"]

TEXT = st.one_of(
    st.text(max_size=60),                                                       # any Unicode
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.lists(st.sampled_from(PIECES), max_size=25).map("".join),                # parser-breaking pieces
    st.builds(lambda n, open_, close: open_ * n + "x" + close * n,               # deep nesting
              st.integers(0, 1200), st.sampled_from(["(", "-", "sin(", "+", "((-"]),
              st.sampled_from([")", "", "))"])),
    st.integers(0, 1000).map(lambda n: "x" + "**x" * n),
    st.integers(0, 1100).map(lambda n: "1" * n),                                # numbers with n digits
)


def check_one(text: str) -> None:
    try:
        tree = parse(text)
    except ExpressionError as error:
        assert isinstance(error, TinygradKoError)
        assert "\n" not in str(error)                                         # one line, always
        return
    assert parse(to_source(tree)) == tree
    values = {name: 0.5 for name in variables(tree)}
    with np.errstate(all="ignore"):
        output, _ = expression_graph(text, values)
    assert output.shape == ()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_parse_raises_only_expression_error(text):
    check_one(text)


@pytest.mark.parametrize("text", ["-x+1", "--x", "--a", "-", "--",
    "(" * 199 + "x" + ")" * 199, "(" * 5000 + "x", "-" * 999 + "x", "sin(" * 300 + "x" + ")" * 300,
    "x" + "**x" * 400, "9" * 999, "1e999", "x\n", "\r", "\u2028", "ｘ", "x²", "x^2", "", " " * 1001,
])
def test_hand_picked_hard_cases(text):
    check_one(text)


@settings(max_examples=60, deadline=None)
@given(TEXT)
def test_the_graph_command_answers_status_0_or_one_line(text):
    import contextlib
    import io

    try:
        at = [f"{name}=0.5" for name in variables(parse(text))]
    except ExpressionError:
        at = []
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(["graph", text, "--mode", "values"] + (["--at", *at] if at else []))
        except SystemExit as exit:     # argparse's own usage errors (text such as "--a" reads as --at)
            status = exit.code
    assert status in (0, 2)
    if status == 2:
        assert len(err.getvalue().splitlines()) == 1, err.getvalue()


def test_evaluate_with_plain_floats_names_every_missing_value():
    with pytest.raises(ExpressionError, match="no value given for y"):
        evaluate(parse("x + y"), {"x": 1.0}, {"add": lambda a, b: a + b})
    assert math.isclose(evaluate(parse("x*x"), {"x": 3.0}, {"mul": lambda a, b: a * b}), 9.0)
