"""A student's rules as a registry entry, guarded so that a broken rule is reported, not raised.

A student writes the rules of a primitive exactly as the registry does
(``ops/primitive.py``): one rule per input,

    VJP  rule(g, z, x, y, **params) -> g · ∂z/∂x          (reverse mode)
    JVP  rule(t, z, x, y, **params) -> ∂z/∂x · t          (forward mode)

in Tensor operations. ``student_primitive`` puts them into a copy of the
registry entry named ``"<name> (your rules)"`` (where a mode's rules are not
given, the registry's own stay), each wrapped so that an exception inside it, or an answer that is not a Tensor,
comes out as ``StudentRuleError`` naming the mode and the input.
"""

from __future__ import annotations

import dataclasses
import inspect

from ..ops import PerInput, Primitive
from ..tensor import Tensor
from .report import ExerciseError


class StudentRuleError(Exception):
    """A student's rule raised, or gave something that is not a Tensor (caught by ``check_rule``)."""

    def __init__(self, mode: str, position: int, error: Exception | None, answer=None):
        super().__init__(f"{mode} rule of input {position}")
        self.mode, self.position, self.error, self.answer = mode, position, error, answer


def input_names(op: Primitive, count: int) -> list[str]:
    """What the inputs of ``op`` are called: the names of its partials (x, y),
    else those of its registry VJP rule (after g and z), else xs[0], xs[1], …"""
    if op.partials:
        return list(op.partials)
    if isinstance(op.vjp, PerInput):
        return [f"xs[{i}]" for i in range(count)]
    rule = next(rule for rule in op.vjp if rule is not None)
    names = [p.name for p in inspect.signature(rule).parameters.values()
             if p.kind is p.POSITIONAL_OR_KEYWORD][2:]
    return names[:count] if len(names) >= count else [f"input {i}" for i in range(count)]


def as_rules(op: Primitive, given, mode: str, names: list[str]):
    """The student's rules for ``mode`` as the registry holds them: a tuple (one per
    input, None for none) or a PerInput. ``given`` may be one callable (a primitive
    with one input, or one with any number: concatenate), a sequence in input
    order, or a dict by input name. Raises ExerciseError when the count is off."""
    kind = "vjp" if mode == "rev" else "jvp"
    if isinstance(op.vjp, PerInput):
        if isinstance(given, PerInput):
            return given
        if callable(given):
            return PerInput(given)
        raise ExerciseError(f"{op.name} takes any number of inputs: give {kind}= one rule "
                            f"rule(position, g, z, *xs, **params)")
    if callable(given):
        given = (given,)
    if isinstance(given, dict):
        unknown = [name for name in given if name not in names]
        if unknown:
            raise ExerciseError(f"{op.name} has no input {unknown[0]!r}; its inputs are {', '.join(names)}")
        given = tuple(given.get(name) for name in names)
    given = tuple(given)
    if len(given) != op.arity:
        raise ExerciseError(f"{op.name} has {op.arity} input(s) ({', '.join(names)}): give {kind}= "
                            f"{op.arity} rule(s) in that order, not {len(given)}")
    return given


def guarded(rule, mode: str, position: int | None):
    """``rule``, turning an exception or a non-Tensor answer into StudentRuleError.

    ``position`` None: a PerInput rule, whose first argument is the position."""
    def guarded_rule(*args, **params):
        where = args[0] if position is None else position
        try:
            answer = rule(*args, **params)
        except Exception as error:   # a student's rule may raise anything: it is reported
            raise StudentRuleError(mode, where, error) from None
        if not isinstance(answer, Tensor):
            raise StudentRuleError(mode, where, None, answer)
        return answer
    return guarded_rule


def student_primitive(op: Primitive, vjp=None, jvp=None) -> tuple[Primitive, list[str]]:
    """A copy of registry entry ``op`` with the student's guarded rules, and its input names."""
    count = op.arity if op.arity is not None else 3
    names = input_names(op, count)
    changes = {}
    for mode, given, field in (("rev", vjp, "vjp"), ("fwd", jvp, "jvp")):
        if given is None:
            continue
        rules = as_rules(op, given, mode, names)
        if isinstance(rules, PerInput):
            changes[field] = PerInput(guarded(rules.rule, mode, None))
        else:
            changes[field] = tuple(None if rule is None else guarded(rule, mode, i) for i, rule in enumerate(rules))
    # a student writes Tensor methods (x.cos()), so the engine hands these rules Tensors, never raw arrays
    return dataclasses.replace(op, name=f"{op.name} (your rules)", on_arrays=False, **changes), names

