"""``check_rule(name, vjp=..., jvp=...)``: a student's rules for a registry primitive, checked.

The checks are the registry's own (``tests/test_adjoint.py``, ``tests/test_gradcheck.py``),
run on the student's rules in a copy of the entry, in this order:

1. **first order, each mode**: the Jacobian from the student's JVP rules
   (forward mode) and from the VJP rules (reverse mode) against central finite
   differences, ``gradcheck(..., modes=(mode,))``;
2. **the adjoint identity** ⟨u, J v⟩ = ⟨Jᵀ u, v⟩ between the two modes
   (float32 and float64), when both modes are given;
3. **second order**: the rules' own derivatives against finite differences
   (``gradcheck(..., order=2)``), which fails for a rule the engine cannot
   differentiate.

Each check runs at the registry's sample inputs (``ops.sample_inputs``, broadcast
shapes included) and, for an elementwise primitive, first at smaller ones made
from them: scalars, then one input a vector of two (broadcast against scalars).
The first failure is reported, so the counterexample is the smallest found.
"""

from __future__ import annotations

import numpy as np

from ..autodiff import GradcheckError, gradcheck, numeric_jacobian
from ..autodiff.adjoint_check import adjoint_gap, input_tensors, with_inputs
from ..errors import TinygradKoError
from ..ops import PRIMITIVES, Kind, Primitive
from ..ops.sample_inputs import SAMPLE_INPUTS
from ..tools.viz.steps import barred, dotted
from . import hints
from .report import ExerciseError, Report, Words
from .student_rules import StudentRuleError, student_primitive

ADJOINT_TOLERANCE = {np.float32: 1e-5, np.float64: 1e-12}
"""The adjoint test's tolerances."""


def check_rule(name: str, *, vjp=None, jvp=None, seed: int = 0) -> Report:
    """Check a student's VJP and/or JVP rules for the registry primitive ``name``.

    ``vjp`` / ``jvp``: one rule per input, as in the registry — a callable (one
    input), a sequence in input order, or a dict by input name (``{"x": ..., "y": ...}``).
    Returns a ``Report``; a rule that raises is reported, never raised."""
    if name not in PRIMITIVES:
        raise ExerciseError(f"no primitive {name!r} in the registry; choose from {', '.join(sorted(PRIMITIVES))}")
    if vjp is None and jvp is None:
        raise ExerciseError(f"check_rule({name!r}) needs the rules to check: vjp=..., jvp=... or both")
    op = PRIMITIVES[name]
    exercise = f"check_rule({name!r})"
    try:
        student, names = student_primitive(op, vjp=vjp, jvp=jvp)
    except ExerciseError as error:
        return Report(exercise, False, Words("규칙의 개수가 맞지 않습니다", "the rules do not fit the primitive"),
                      problem=Words(str(error), str(error)))
    modes = [mode for mode, given in (("fwd", jvp), ("rev", vjp)) if given is not None]
    candidates = sample_points(op, np.random.default_rng(seed))
    checks = [(mode, 1) for mode in modes]
    if len(modes) == 2:
        checks.append(("adjoint", 1))
    checks += [(mode, 2) for mode in modes]
    with np.errstate(all="ignore"):
        for mode, order in checks:
            for arrays, params, positions in candidates:
                failure = _run(student, names, arrays, params, positions, mode, order, seed)
                if failure is not None:
                    failure.exercise = exercise
                    return failure
    both = " + ".join(("JVP" if mode == "fwd" else "VJP") for mode in modes)
    return Report(exercise, True, Words(
        f"통과 ({both}): 유한 차분, " + ("수반 항등식, " if len(modes) == 2 else "")
        + f"2차 미분까지, 입력 {len(candidates)} 벌에서",
        f"passed ({both}): finite differences, " + ("the adjoint identity, " if len(modes) == 2 else "")
        + f"to second order, at {len(candidates)} sets of inputs"))


def sample_points(op: Primitive, rng) -> list[tuple]:
    """Where to check, smallest first: (arrays, params, differentiable positions)."""
    arrays, params, positions = SAMPLE_INPUTS[op.name](rng)
    points = []
    if op.kind is Kind.ELEMENTWISE:
        scalars = [np.asarray(a.reshape(-1)[0]) for a in arrays]
        points.append((scalars, params, positions))
        if len(arrays) > 1:
            for position in positions:
                pair = list(scalars)
                pair[position] = arrays[position].reshape(-1)[:2].copy()
                points.append((pair, params, positions))
    points.append((arrays, params, positions))
    return points


def _run(student, names, arrays, params, positions, mode, order, seed) -> Report | None:
    """One check at one point: None if it passes, else the failure's report."""
    counterexample = {names[i]: a for i, a in enumerate(arrays)}
    try:
        if mode == "adjoint":
            _adjoint(student, arrays, params, positions, seed)
        else:
            f = with_inputs(student, input_tensors(arrays, np.float64), params, positions)
            gradcheck(f, *[arrays[p] for p in positions], modes=(mode,), order=order, seed=seed)
        return None
    except StudentRuleError as error:
        return _raised(student, names, error, order, counterexample, params)
    except _AdjointGap as gap:
        return Report("", False, Words("틀렸습니다", "failed"), input=names[gap.position], mode="adjoint",
                      inputs=counterexample, params=params, hint=hints.ADJOINT,
                      problem=Words(f"⟨u, Jv⟩ 와 ⟨Jᵀu, v⟩ 의 상대 차이가 {gap.gap:.3g} 입니다 ({gap.dtype})",
                                    f"⟨u, Jv⟩ and ⟨Jᵀu, v⟩ differ by {gap.gap:.3g}, relatively ({gap.dtype})"))
    except GradcheckError as error:
        return _wrong_number(student, names, error, arrays, params, positions, counterexample)
    except TinygradKoError as error:   # the engine refused the rule's answer (its shape)
        return Report("", False, Words("틀렸습니다", "failed"), problem=Words(str(error), str(error)),
                      input=_input_in_message(str(error), names, arrays, positions), mode=mode, order=order,
                      inputs=counterexample, params=params, hint=hints.shape_hint(student))


class _AdjointGap(Exception):
    """The adjoint identity failed for input ``position`` in ``dtype`` by a relative ``gap``."""

    def __init__(self, position, gap, dtype):
        super().__init__(f"adjoint gap {gap}")
        self.position, self.gap, self.dtype = position, gap, dtype


def _adjoint(student, arrays, params, positions, seed) -> None:
    """The adjoint test's check, float64 then float32, each input alone; raises _AdjointGap."""
    for dtype in (np.float64, np.float32):
        rng = np.random.default_rng(seed)
        tensors = input_tensors(arrays, dtype)
        for position in positions:
            gap = adjoint_gap(with_inputs(student, tensors, params, [position]), tensors[position], rng)
            if not gap < ADJOINT_TOLERANCE[dtype]:
                raise _AdjointGap(position, gap, np.dtype(dtype).name)


def _input_in_message(message: str, names, arrays, positions) -> str | None:
    """The input an engine's shape message is about ("... for an input of shape (2, 3, 4)")."""
    if len(positions) == 1:
        return names[positions[0]]
    for position in positions:
        if f"input of shape {np.shape(arrays[position])}" in message:
            return names[position]
    return None


def _raised(op, names, error: StudentRuleError, order, counterexample, params) -> Report:
    """The report for a rule that raised or gave something other than a Tensor."""
    kind = "VJP" if error.mode == "rev" else "JVP"
    first = "g" if error.mode == "rev" else "t"
    given = ", ".join(names) + (", **params" if params else "")
    signature = f"rule({first}, z, {given})"
    input_name = names[error.position] if error.position < len(names) else f"xs[{error.position}]"
    if error.error is None:
        kind_of_answer = type(error.answer).__name__
        return Report("", False, Words("틀렸습니다", "failed"), input=input_name, mode=error.mode, order=order,
                      inputs=counterexample, params=params, hint=hints.NOT_A_TENSOR,
                      problem=Words(f"{kind} 규칙이 Tensor 가 아닌 {kind_of_answer} 을(를) 돌려주었습니다",
                                    f"your {kind} rule returned a {kind_of_answer}, not a Tensor"))
    raised = f"{type(error.error).__name__}: {error.error}".splitlines()[0]
    return Report("", False, Words("규칙이 예외를 냈습니다", "your rule raised an exception"),
                  input=input_name, mode=error.mode, order=order, inputs=counterexample, params=params,
                  problem=Words(f"{kind} 규칙이 예외를 냈습니다 — {raised}", f"your {kind} rule raised {raised}"),
                  hint=hints.raised_hint(error.error, signature, op))


def _wrong_number(student, names, error: GradcheckError, arrays, params, positions, counterexample) -> Report:
    """The report for a derivative that disagrees with finite differences: where, the two numbers, a hint."""
    position = positions[error.position]
    name = names[position]
    row, column = error.entry
    out_shape = np.shape(student.forward(*arrays, **params))
    what = _derivative_text(error.order, error.mode, out_shape, row, name, arrays[position].shape, column,
                            [names[p] for p in positions], [np.shape(arrays[p]) for p in positions])
    if error.order == 1:
        others = _others_at(student, names, arrays, params, positions, error)
        hint = hints.numeric_hint(error.analytic, error.numeric, others, what)
    else:
        hint = hints.SECOND_ORDER
    return Report("", False, Words("틀렸습니다", "failed"), input=name, mode=error.mode, order=error.order,
                  inputs=counterexample, params=params, entry=what, got=error.analytic, expected=error.numeric,
                  expected_from=Words("유한 차분", "finite differences"), hint=hint)


def _others_at(student, names, arrays, params, positions, error) -> dict[str, float]:
    """The finite-difference derivative of the other inputs at the same entry (to spot swapped rules)."""
    row, column = error.entry
    f = with_inputs(student, input_tensors(arrays, np.float64), params, positions)
    inputs = [np.array(arrays[p], dtype=np.float64) for p in positions]
    others = {}
    for index, position in enumerate(positions):
        if index == error.position or column >= inputs[index].size:
            continue
        others[names[position]] = float(numeric_jacobian(f, inputs, index, 1e-6)[row, column])
    return others


def _derivative_text(order, mode, out_shape, row, name, in_shape, column, names, shapes) -> str:
    """∂z/∂y, ∂z[1]/∂y[0, 2]; at order 2 the derivative of what the rule gave: ∂ż/∂x for
    forward mode (ż = the JVP's tangent of z), ∂ȳ/∂x for reverse mode (ȳ = the VJP's share of y)."""
    def at(index, shape):
        return "" if not shape else "[" + ", ".join(map(str, np.unravel_index(index, shape))) + "]"
    if order == 1:
        return f"∂z{at(row, out_shape)}/∂{name}{at(column, in_shape)}"
    if mode == "fwd":
        return f"∂{dotted('z')}{at(row, out_shape)}/∂{name}{at(column, in_shape)}"
    for adjoint_of, shape in zip(names, shapes):    # the VJP function gives every share, one after another
        size = int(np.prod(shape))
        if row < size:
            return f"∂{barred(adjoint_of)}{at(row, shape)}/∂{name}{at(column, in_shape)}"
        row -= size
    raise AssertionError("the entry lies outside the VJP's answer")
