"""check_rule: a correct rule passes for every registry primitive; typical wrong rules
fail with a report that names the input and the mode; a raising rule is reported."""

import numpy as np
import pytest

from tinygrad_ko.exercises import ExerciseError, check_rule
from tinygrad_ko.ops import PRIMITIVES


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_the_registry_rules_pass_for_every_primitive(name):
    op = PRIMITIVES[name]
    report = check_rule(name, vjp=op.vjp, jvp=op.jvp)
    assert report.passed, report.text()
    assert "통과" in str(report) and "passed" in str(report)


def test_rules_written_by_a_student_pass():
    report = check_rule("div", vjp={"x": lambda g, z, x, y: g / y, "y": lambda g, z, x, y: -g * x / (y * y)},
                        jvp=(lambda t, z, x, y: t / y, lambda t, z, x, y: -t * x / (y * y)))
    assert report.passed, report.text()
    assert check_rule("sin", jvp=lambda t, z, x: t * x.cos()).passed


WRONG = {
    # name: (what, rules, the input and the mode the report must name, order)
    "sign error (VJP)": ("div", {"vjp": (lambda g, z, x, y: g / y, lambda g, z, x, y: g * z / y)}, "y", "rev", 1),
    "sign error (JVP)": ("sin", {"jvp": lambda t, z, x: -t * x.cos()}, "x", "fwd", 1),
    "swapped inputs": ("mul", {"vjp": (lambda g, z, x, y: g * x, lambda g, z, x, y: g * y)}, "x", "rev", 1),
    "swapped inputs (JVP)": ("div", {"jvp": (lambda t, z, x, y: -t * z / y, lambda t, z, x, y: t / y)},
                             "x", "fwd", 1),
    "wrong second derivative": ("sin", {"vjp": lambda g, z, x: g * x.cos().detach()}, "x", "rev", 2),
    "wrong second derivative (JVP)": ("exp", {"jvp": lambda t, z, x: t * z.detach()},
                                      "x", "fwd", 2),
}


@pytest.mark.parametrize("case", sorted(WRONG))
def test_a_typical_wrong_rule_fails_naming_the_input_and_the_mode(case):
    name, rules, input_name, mode, order = WRONG[case]
    report = check_rule(name, **rules)
    assert not report.passed
    assert (report.input, report.mode, report.order) == (input_name, mode, order), report.text()
    assert report.got is not None and report.expected is not None and report.hint is not None
    text = report.text()
    assert f"input: {input_name}" in text and ("reverse mode" if mode == "rev" else "forward mode") in text
    assert "counterexample" in text and "반례" in text


def test_the_smallest_counterexample_is_reported_with_its_numbers():
    report = check_rule("div", vjp=(lambda g, z, x, y: g / y, lambda g, z, x, y: g * z / y))
    x, y = float(report.inputs["x"]), float(report.inputs["y"])
    assert np.shape(report.inputs["x"]) == () == np.shape(report.inputs["y"])      # scalars come first
    assert report.expected == pytest.approx(-x / y**2, rel=1e-6)
    assert report.got == pytest.approx(x / y**2, rel=1e-6)
    assert "sign" in report.text("en") and "부호" in report.text("ko")
    assert "swapped" in check_rule("mul", vjp=(lambda g, z, x, y: g * x, lambda g, z, x, y: g * y)).text("en")


def test_a_missing_broadcast_reduction_fails_naming_the_input_and_the_mode():
    # sum over axes (0, 2) of a (2, 3, 4) input: the VJP must put the summed axes back
    # before broadcasting g; the JVP must sum the tangent over them
    backward = check_rule("sum", vjp=lambda g, z, x, axis, keepdims: g.broadcast_to(x.shape))
    forward = check_rule("sum", jvp=lambda t, z, x, axis, keepdims: t)
    for report, mode in ((backward, "rev"), (forward, "fwd")):
        assert not report.passed
        assert (report.input, report.mode) == ("x", mode), report.text()
        assert "shape" in report.text("en") and "keepdims" in report.text("en")


def test_a_rule_that_raises_is_reported_not_raised():
    report = check_rule("sin", vjp=lambda g, z, x: g * cos(x))  # noqa: F821 - the student's mistake
    assert not report.passed and (report.input, report.mode) == ("x", "rev")
    assert "NameError" in report.text() and "Traceback" not in report.text()
    wrong_signature = check_rule("mul", vjp=(lambda g, x: g, lambda g, z, x, y: g * x))
    assert "rule(g, z, x, y)" in wrong_signature.text("en")
    numpy_answer = check_rule("exp", jvp=lambda t, z, x: t.numpy() * z.numpy())
    assert not numpy_answer.passed and "not a Tensor" in numpy_answer.text("en")


def test_the_wrong_number_of_rules_is_a_report_and_a_wrong_name_a_typed_error():
    report = check_rule("mul", vjp=lambda g, z, x, y: g * y)
    assert not report.passed and "2 rule(s)" in report.text("en")
    with pytest.raises(ExerciseError, match="no primitive 'divide'"):
        check_rule("divide", vjp=lambda g, z, x: g)
    with pytest.raises(ExerciseError, match="vjp=..., jvp=..."):
        check_rule("div")


def test_a_rule_that_reduces_broadcasting_itself_is_told_the_engine_does_it():
    report = check_rule("mul", vjp=(lambda g, z, x, y: (g * y).sum(), lambda g, z, x, y: g * x))
    assert not report.passed and (report.input, report.mode) == ("x", "rev")
    assert report.inputs["x"].shape == (2,) and report.inputs["y"].shape == ()    # broadcast against a scalar
    assert "the engine sums it back" in report.text("en")


def test_the_adjoint_identity_catches_a_rule_wrong_in_float32_only():
    # finite differences run in float64; the adjoint identity also in float32, as the registry's test does
    def jvp(t, z, x):
        return t * x.cos() if x.dtype == np.float64 else t * x.sin()

    report = check_rule("sin", jvp=jvp, vjp=lambda g, z, x: g * x.cos())
    assert not report.passed and (report.input, report.mode) == ("x", "adjoint")
    assert "float32" in report.text("en") and "transpose" in report.text("en")
