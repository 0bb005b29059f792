"""The language a student types, read from the registry: its functions and operators.

Every table here is computed from ``ops.PRIMITIVES`` each time it is read, so
a primitive registered later (a test's toy primitive) can be typed at once and
no list of names is kept by hand: a primitive whose entry says ``typed="sin"``
is a function, one with ``typed="+"`` an operator.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...ops import PRIMITIVES
from ...tensor.functions import TYPED_COMPOSITES


class _RegistryTable(Mapping):
    """A read-only table computed from the registry each time it is read, so a
    primitive registered later (a test's toy primitive) can be typed at once."""

    def __init__(self, build):
        self._build = build

    def __getitem__(self, key):
        return self._build()[key]

    def __iter__(self):
        return iter(self._build())

    def __len__(self) -> int:
        return len(self._build())

    def __repr__(self) -> str:
        return repr(self._build())


def _typed_functions() -> dict[str, int]:
    functions = {op.typed: op.arity for op in PRIMITIVES.values() if op.typed == op.name}
    functions.update((name, 1) for name in TYPED_COMPOSITES)
    return functions


def _typed_operators(arity: int) -> dict[str, str]:
    return {op.typed: op.name for op in PRIMITIVES.values()
            if op.typed is not None and op.typed == op.symbol and op.arity == arity}


FUNCTIONS: Mapping[str, int] = _RegistryTable(_typed_functions)
"""The functions an expression may call: name -> number of arguments.

Read from the registry: every primitive whose entry says a student types it
by its name (``typed="sin"``), and the composites of
``tensor.functions.TYPED_COMPOSITES`` (``sigmoid``). ``evaluate`` calls
``ops.<name>(x)`` for each of them, so a graph engine that wants to support
the whole language implements exactly these names. All of them take one
argument, which is why a Call node holds one ``arg``.
"""

BINARY_OPS: Mapping[str, str] = _RegistryTable(lambda: _typed_operators(2))
"""Binary operator symbol -> name of the ``ops`` function (the primitive) that
computes it: the registry entries typed by a symbol between two inputs
(``typed="+"`` on ``add``)."""

PREFIX_OPS: Mapping[str, str] = _RegistryTable(lambda: _typed_operators(1))
"""Unary operator symbol -> name of the primitive ``-x`` calls (``neg``)."""

UNARY_OPS = ("-", "+")
"""Unary operators. ``-x`` calls ``ops.neg(x)`` (see PREFIX_OPS); ``+x`` is just ``x``."""
