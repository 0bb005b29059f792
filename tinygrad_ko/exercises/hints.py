"""Hints: what a wrong answer most likely got wrong, read off its numbers.

Each hint compares the student's number with the expected one (and, for a rule,
with the expected numbers of the other inputs), most specific first:

* yours = −expected                    → a sign
* yours = the expected of another input → the rules of two inputs swapped
* yours = k · expected (k constant)     → a missing or extra factor
* yours = 0                             → a term or a path left out
"""

from __future__ import annotations

import math

from ..errors import ShapeError
from ..ops import Kind
from .report import Words


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6)


def numeric_hint(got: float, expected: float, others: dict[str, float], what: str) -> Words:
    """A hint for ``got`` where ``expected`` was right; ``others``: input name → the
    expected number of that input's rule at the same place; ``what``: the derivative."""
    if not close(expected, 0.0) and close(got, -expected):
        return Words(f"부호가 반대입니다: {what} 의 부호를 확인하세요",
                     f"the sign is flipped: check the sign of {what}")
    for name, value in others.items():
        if close(got, value) and not close(got, expected):
            return Words(f"이 값은 입력 {name} 의 규칙이 내야 할 값입니다: 두 입력의 규칙이 바뀌지 않았나요?",
                         f"this is what the rule of input {name} should give: are the rules of two inputs swapped?")
    if close(got, 0.0):
        return Words(f"답이 0 입니다: {what} 에서 빠진 항이 없는지 보세요",
                     f"your answer is 0: look for a term missing from {what}")
    if not close(expected, 0.0):
        ratio = got / expected
        if close(ratio, round(ratio)) or close(1 / ratio, round(1 / ratio)):
            factor = f"{ratio:.4g}"
            return Words(f"답이 기대값의 {factor} 배입니다: 빠지거나 남는 인수가 있습니다",
                         f"your answer is {factor} × the expected one: a factor is missing or extra")
    return Words(f"반례의 숫자로 {what} 를 손으로 계산해 보세요",
                 f"work {what} out by hand at the counterexample's numbers")


SECOND_ORDER = Words(
    "1차 미분은 맞고 2차가 틀립니다: 규칙을 입력과 g, z 의 Tensor 연산으로만 쓰세요 "
    "(.numpy(), .item(), .detach(), 계산한 숫자의 Tensor(...) 는 엔진이 미분할 수 없습니다)",
    "the first derivatives are right, the second are not: build the rule from Tensor operations on g, z and "
    "the inputs only (the engine cannot differentiate .numpy(), .item(), .detach() or Tensor(...) of "
    "computed numbers)")

NOT_A_TENSOR = Words(
    "규칙은 Tensor 를 받아 Tensor 를 돌려줍니다: NumPy 가 아니라 Tensor 연산으로 쓰세요 (g * y, x.cos())",
    "a rule gets Tensors and returns a Tensor: write it in Tensor operations, not NumPy (g * y, x.cos())")

REDUCED_AXES = Words(
    "답의 모양이 틀립니다: 축을 없앤 연산(sum, max)의 규칙은 그 축을 되살려야 합니다 "
    "(keepdims 처럼 reshape 한 뒤 broadcast_to)",
    "the answer has the wrong shape: the rule of an operation that removes axes (sum, max) must put them "
    "back (reshape as keepdims would, then broadcast_to)")

BROADCAST = Words(
    "답의 모양이 틀립니다: 원소별 연산의 규칙은 모양을 줄이지 않습니다 — 브로드캐스트된 모양 그대로 돌려주면 "
    "엔진이 입력의 모양으로 한 번에 더해 줄입니다 (직접 .sum() 하지 마세요)",
    "the answer has the wrong shape: an elementwise rule does not reduce — return the share in the broadcast "
    "shape and the engine sums it back to the input's shape, once (no .sum() of your own)")

OTHER_SHAPE = Words("답의 모양이 틀립니다: VJP 는 입력의 모양, JVP 는 출력의 모양으로 답합니다",
                    "the answer has the wrong shape: a VJP answers in the input's shape, a JVP in the output's")


def shape_hint(op) -> Words:
    """What a wrong shape most likely means for this kind of primitive."""
    if op.kind is Kind.ELEMENTWISE:
        return BROADCAST
    if op.kind is Kind.REDUCTION:
        return REDUCED_AXES
    return OTHER_SHAPE


ADJOINT = Words(
    "JVP 와 VJP 가 서로의 전치가 아닙니다: 한 모드만 맞게 고치면 다른 모드와 어긋납니다",
    "your JVP and VJP are not each other's transpose: one of them disagrees with the other")


def raised_hint(error: Exception, signature: str, op) -> Words:
    """A hint for ``op``'s rule that raised ``error``; ``signature``: how the engine calls it."""
    if isinstance(error, ShapeError):
        return shape_hint(op)
    if isinstance(error, TypeError) and "argument" in str(error):
        return Words(f"엔진은 규칙을 {signature} 로 부릅니다", f"the engine calls a rule as {signature}")
    if isinstance(error, AttributeError):
        return Words("규칙은 Tensor 를 받습니다: Tensor 의 메서드를 쓰세요 (x.cos(), x.exp(), x.sum(axis))",
                     "a rule gets Tensors: use Tensor methods (x.cos(), x.exp(), x.sum(axis))")
    return Words("반례의 숫자를 넣어 규칙을 직접 불러 보세요", "call your rule yourself with the counterexample's numbers")
