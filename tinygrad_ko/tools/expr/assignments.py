"""Values from the command line: ``--at a=2 b=-1.5e3`` → ``{"a": 2.0, "b": -1500.0}``."""

from __future__ import annotations

import keyword
import math
from collections.abc import Iterable

from .errors import ExpressionError
from .language import FUNCTIONS
from .parser import look_alike


def parse_assignments(items: Iterable[str]) -> dict[str, float]:
    """Read variable values written as ``name=value``, as in ``--at a=2 b=-1.5e3``.

    >>> parse_assignments(["a=2", "b=-1.5e3"])
    {'a': 2.0, 'b': -1500.0}
    """
    values: dict[str, float] = {}
    for item in items:
        name, value = _parse_assignment(item)
        if name in values:
            raise ExpressionError(f"bad value {item!r}: {name} is given twice")
        values[name] = value
    return values


def _parse_assignment(item: str) -> tuple[str, float]:
    """``"a=2"`` -> ``("a", 2.0)``, or ExpressionError saying what is wrong with it."""
    name, equals, text = (part.strip() for part in item.partition("="))

    def bad(problem: str) -> ExpressionError:
        return ExpressionError(f"bad value {item!r}: {problem}")

    if not equals:
        raise bad("expected name=value, like a=2")
    if not name:
        raise bad("the variable name before '=' is missing")
    if not text:
        raise bad(f"the number after '{name}=' is missing")
    for char in name:
        if look_alike(char):
            raise bad(look_alike(char))
    if not name.isidentifier() or keyword.iskeyword(name):
        raise bad(f"{name!r} is not a variable name (use letters, digits and _, not starting with a digit)")
    if name in FUNCTIONS:
        raise bad(f"{name} is a function, not a variable")
    try:
        value = float(text)
    except ValueError:
        raise bad(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise bad("the value must be a finite number")
    return name, value
