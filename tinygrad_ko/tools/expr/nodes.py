"""The tree a parsed expression is made of: five small, frozen node classes.

    Num(2.0)   Var("a")   Unary("-", x)   Binary("+", x, y)   Call("sin", x)

A node can only name an operator or a function of the language (language.py):
``evaluate`` looks those names up on the ``ops`` it is given, so nothing else
may get in, even in a tree built by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .language import BINARY_OPS, FUNCTIONS, UNARY_OPS

Span = tuple[int, int]
"""Where a node came from: (start, end) character offsets into the text,
0-based, end exclusive, so ``text[start:end]`` is the node's source."""

# Spans are left out of == and repr, so parse("a+1") == Binary("+", Var("a"),
# Num(1.0)) holds and trees print compactly. Nodes are frozen: a parsed tree
# can be shared and cached without anyone changing it behind your back.


@dataclass(frozen=True)
class Num:
    """A number written in the expression, such as ``2``, ``0.5`` or ``1e-3``.

    Parsing always stores a finite float that is >= 0: ``-2`` is Unary("-", Num(2.0)).
    """

    value: float
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Var:
    """A variable, such as ``x``; its value is given when evaluating."""

    name: str
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Unary:
    """``-operand`` or ``+operand``."""

    op: str
    operand: Node
    span: Span | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.op not in UNARY_OPS:
            raise ValueError(f"unknown unary operator {self.op!r}")


@dataclass(frozen=True)
class Binary:
    """``left op right`` for op in ``+ - * / **``."""

    op: str
    left: Node
    right: Node
    span: Span | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.op not in BINARY_OPS:
            raise ValueError(f"unknown binary operator {self.op!r}")


@dataclass(frozen=True)
class Call:
    """``func(arg)`` for a function named in FUNCTIONS."""

    func: str
    arg: Node
    span: Span | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # evaluate() looks the name up on `ops`, so only known names may get in.
        if self.func not in FUNCTIONS:
            raise ValueError(f"unknown function {self.func!r}")


Node = Num | Var | Unary | Binary | Call
