"""The other exercise kinds: a hand-computed adjoint table, and the pass counts of each mode."""

import pytest

from tinygrad_ko.exercises import ExerciseError, check_adjoint_table, check_pass_counts

OLAH = {"e": 1, "d": 3, "c": 2, "b": 5, "a": 2}   # by hand: d̄ = c = 3, c̄ = d = 2, b̄ = c̄ + d̄


def test_the_right_olah_table_passes():
    assert check_adjoint_table(OLAH).passed
    assert check_adjoint_table({"e": 1, "d": 5, "c": 3, "b": 8, "a": 3}, a=3, b=2).passed   # c = 5, d = 3
    assert check_adjoint_table({"f": 1, "a": 2, "b": 5}, "(a+b)*(b+1)", a=2, b=1).passed


def test_a_path_left_out_is_named_with_the_sum_rule():
    report = check_adjoint_table(dict(OLAH, b=2))          # only the path through c
    assert not report.passed
    assert (report.entry, report.got, report.expected) == ("∂e/∂b", 2, 5)
    assert "b̄ = c̄·∂c/∂b + d̄·∂d/∂b" in report.text("en") and "did you leave a path out" in report.text("en")


def test_the_wrong_answer_nearest_the_output_comes_first():
    report = check_adjoint_table({"e": 1, "d": 2, "c": 3, "b": 5, "a": 3})   # c̄ and d̄ swapped
    assert report.entry == "∂e/∂d" and len(report.details) == 2


def test_a_table_that_misses_a_node_says_which():
    report = check_adjoint_table({"e": 1, "d": 3, "c": 2, "b": 5})
    assert not report.passed and "missing from the table: a" in report.text("en")
    with pytest.raises(ExerciseError):
        check_adjoint_table({"f": 1}, "(a+b)*(b+1)")


def test_pass_counts_are_the_counted_ones():
    assert check_pass_counts(3, 1, forward=3, reverse=1).passed
    assert check_pass_counts(1, 4, forward=1, reverse=4).passed
    swapped = check_pass_counts(5, 2, forward=2, reverse=5)
    assert not swapped.passed and swapped.mode == "fwd" and (swapped.got, swapped.expected) == (2, 5)
    assert "swapped" in swapped.text("en") and "바뀌었습니다" in swapped.text("ko")
    with pytest.raises(ExerciseError):
        check_pass_counts(0, 2, forward=0, reverse=2)
