"""Read the math expressions students type on the command line, safely.

    >>> tree = parse("(a+b)*(b+1)")
    >>> tree
    Binary(op='*', left=Binary(op='+', left=Var(name='a'), right=Var(name='b')), right=Binary(op='+', left=Var(name='b'), right=Num(value=1.0)))
    >>> to_source(tree)
    '(a + b) * (b + 1)'
    >>> variables(tree)
    ['a', 'b']
    >>> plain_floats = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "const": float}
    >>> evaluate(tree, {"a": 2.0, "b": 1.0}, plain_floats)
    6.0

How it works, in two steps:

1. Python's own parser, ``ast.parse(text, mode="eval")``, turns the text into
   a syntax tree. Parsing only *builds* a tree; it never runs anything. We use
   it instead of a hand-written parser because it already follows the
   precedence rules students know from Python (``-x**2`` is ``-(x**2)``,
   ``2**3**2`` is ``2**(3**2)``), and because it recognises every construct we
   want to refuse, so an error can name it ("comparison is not allowed")
   instead of saying "unexpected token".
2. We walk that tree with a strict whitelist and copy the allowed parts into
   the five small node classes below. Anything else raises ExpressionError.

Characters that only *look* like plain ones are refused, with the plain one to
type instead: full-width letters from an East Asian keyboard (``ｓｉｎ(x)`` →
``sin``), superscripts (``x²`` → ``x**2``), ligatures. Python would silently read
``ｓｉｎ`` as ``sin`` (it normalises names to NFKC); we would rather say so than
draw a graph of something other than what was typed.

This module never calls eval, exec or compile on the text. Running the tree is
up to ``evaluate``, which only calls the functions *you* pass in as ``ops``.
"""

from __future__ import annotations

import ast
import keyword
import math
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import TinygradKoError
from ..ops import PRIMITIVES
from ..tensor.functions import TYPED_COMPOSITES


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

MAX_LENGTH = 1000
"""Longest expression accepted, in characters."""

MAX_DEPTH = 200
"""Deepest nesting accepted. Every function here recurses once per level, so
this cap keeps Python's recursion limit (1000 frames) far away."""

Span = tuple[int, int]
"""Where a node came from: (start, end) character offsets into the text,
0-based, end exclusive, so ``text[start:end]`` is the node's source."""


# --------------------------------------------------------------------------
# The tree
# --------------------------------------------------------------------------
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


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


class ExpressionError(TinygradKoError, ValueError):
    """A problem with an expression (or with ``--at`` values), explained in one line.

    ``str(err)`` is a single line, starting with the column when there is one:
    ``"column 7: unknown function 'foo'; allowed functions: cos, exp, ..."``.
    Columns in messages count from 1, like an editor's; ``err.col`` is the
    same place counted from 0, like a Python index.
    ``err.pointer`` shows the expression with a caret under the problem, for a
    command-line tool to print below the message::

          (a+b)*(b+
                ^
    """

    def __init__(self, message: str, *, text: str | None = None, col: int | None = None):
        if col is not None:
            message = f"column {col + 1}: {message}"
        super().__init__(message)
        self.text = text
        self.col = col

    @property
    def pointer(self) -> str:
        """Two lines: the text, then a caret under column ``col``; "" if either is unknown."""
        if self.text is None or self.col is None:
            return ""
        shown = "".join(char if char.isprintable() else " " for char in self.text)
        return f"  {shown}\n  {' ' * self.col}^"


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------


def parse(text: str) -> Node:
    """Parse ``text`` into a tree of Num, Var, Unary, Binary and Call nodes.

    Raises ExpressionError, with a one-line message, for anything else.
    """
    _check_text(text)
    # Python's parser rejects leading spaces in an expression ("unexpected
    # indent"), so we parse without them and add them back to every column.
    body = text.lstrip(" ")
    indent = len(text) - len(body)
    python_tree = _python_parse(body, text, indent)
    return _Converter(text, indent).convert(python_tree.body, depth=1)


def _check_text(text: str) -> None:
    """Refuse text that is too long, empty, or not one line of printable characters."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is too long ({len(text)} characters; the limit is {MAX_LENGTH})")
    if not text.strip():
        raise ExpressionError("empty expression: type one, like (a+b)*(b+1)")
    for col, char in enumerate(text):
        if not char.isprintable():
            raise ExpressionError(
                f"invalid character U+{ord(char):04X}: the expression must be one line of printable text",
                text=text,
                col=col,
            )
        problem = _look_alike(char)
        if problem:
            raise ExpressionError(problem, text=text, col=col)


def _look_alike(char: str) -> str | None:
    """Why ``char`` is refused when it stands for another, plain character (see the
    module docstring); None for a plain character."""
    plain = unicodedata.normalize("NFKC", char)
    if plain == char:
        return None
    what = unicodedata.name(char, f"U+{ord(char):04X}").lower()
    if "superscript" in what:
        return f"{char!r} ({what}) is not allowed: for powers write x**{plain}"
    hint = " (turn off full-width input / 전각 입력을 끄세요)" if "fullwidth" in what else ""
    return f"{char!r} ({what}) is not plain text: type {plain!r} instead{hint}"


def _python_parse(body: str, text: str, indent: int) -> ast.Expression:
    """Run Python's parser on ``body``. It builds a tree and executes nothing."""
    try:
        with warnings.catch_warnings():
            # Python warns about things like "\d" in strings; we refuse strings anyway.
            warnings.simplefilter("ignore")
            return ast.parse(body, mode="eval")
    except SyntaxError as err:
        raise _syntax_error(err, text, indent) from None
    except (RecursionError, MemoryError):
        # Python's parser gives up on very deep nesting such as "-------...x".
        raise ExpressionError(f"expression is nested too deeply (the limit is {MAX_DEPTH} levels)") from None


def _syntax_error(err: SyntaxError, text: str, indent: int) -> ExpressionError:
    """Turn Python's SyntaxError into our one-line message and column."""
    if not err.offset:  # Python reports offset 0 when the text stopped too early
        return ExpressionError("syntax error: the expression ends too early", text=text, col=len(text))
    col = min(indent + err.offset - 1, len(text))  # err.offset counts characters from 1
    # Keep only Python's first sentence: its hints ("Perhaps you forgot a
    # comma?", "Maybe you meant '=='...") suggest syntax that we refuse.
    reason = err.msg.split(". ")[0]
    if text[col:col + 1] == "=":
        message = "'=' is not allowed: type only the expression, like x**2 + 1"
    elif reason == "invalid syntax":
        message = "syntax error"
    else:
        message = f"syntax error: {reason}"
    return ExpressionError(message, text=text, col=col)


_ALLOWED_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_ALLOWED_UNARY = {ast.USub: "-", ast.UAdd: "+"}

_FORBIDDEN_OPERATORS = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
    ast.Invert: "~",
    ast.Not: "not",
}

_FORBIDDEN_SYNTAX = {
    ast.Attribute: "attribute access (x.name)",
    ast.Subscript: "indexing (x[i])",
    ast.Slice: "slicing (a:b)",
    ast.Compare: "comparison (<, ==, ...)",
    ast.BoolOp: "and/or",
    ast.IfExp: "a conditional (... if ... else ...)",
    ast.Lambda: "lambda",
    ast.NamedExpr: "assignment (:=)",
    ast.Tuple: "a tuple (a, b)",
    ast.List: "a list [...]",
    ast.Set: "a set {...}",
    ast.Dict: "a dict {...}",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.JoinedStr: "an f-string",
    ast.FormattedValue: "an f-string",
    ast.Starred: "unpacking (*x)",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
}

_FORBIDDEN_CONSTANTS = {
    str: "a string",
    bytes: "a bytes string",
    bool: "True/False",
    complex: "a complex number",
    type(None): "None",
    type(...): "... (Ellipsis)",
}


class _Converter:
    """Copies the whitelisted parts of Python's syntax tree into our nodes.

    One method per allowed kind of node; everything else is refused with a
    message that names it and the column where it is.
    """

    def __init__(self, text: str, indent: int):
        self.text = text
        self.indent = indent
        self.body_bytes = text[indent:].encode("utf-8")

    def convert(self, node: ast.expr, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise self.error(f"expression is nested too deeply (the limit is {MAX_DEPTH} levels)", self.start(node))
        match node:
            case ast.Constant():
                return self.number(node)
            case ast.Name():
                return self.variable(node)
            case ast.UnaryOp():
                return self.unary(node, depth)
            case ast.BinOp():
                return self.binary(node, depth)
            case ast.Call():
                return self.call(node, depth)
        # The fallback names syntax that newer Pythons may add.
        what = _FORBIDDEN_SYNTAX.get(type(node), f"this kind of expression ({type(node).__name__})")
        raise self.error(f"{what} is not allowed", self.where(node))

    def number(self, node: ast.Constant) -> Num:
        if type(node.value) not in (int, float):  # `type` on purpose: True is an int too
            what = _FORBIDDEN_CONSTANTS.get(type(node.value), type(node.value).__name__)
            raise self.error(f"{what} is not allowed; only numbers like 2, 0.5 or 1e-3", self.start(node))
        try:
            value = float(node.value)
        except OverflowError:  # an integer with hundreds of digits
            value = math.inf
        if not math.isfinite(value):  # 1e309 reads as infinity
            raise self.error("number is too large for a float (the largest is about 1.8e308)", self.start(node))
        return Num(value, self.span(node))

    def variable(self, node: ast.Name) -> Var:
        # Function names only make sense in calls, which call() handles itself.
        if node.id in FUNCTIONS:
            raise self.error(f"{node.id} is a function, not a variable; call it like {node.id}(x)", self.start(node))
        return Var(node.id, self.span(node))

    def unary(self, node: ast.UnaryOp, depth: int) -> Unary:
        if type(node.op) not in _ALLOWED_UNARY:
            raise self.error(_operator_message(_FORBIDDEN_OPERATORS[type(node.op)]), self.start(node))
        operand = self.convert(node.operand, depth + 1)
        return Unary(_ALLOWED_UNARY[type(node.op)], operand, self.span(node))

    def binary(self, node: ast.BinOp, depth: int) -> Binary:
        if type(node.op) not in _ALLOWED_BINARY:
            raise self.error(_operator_message(_FORBIDDEN_OPERATORS[type(node.op)]), self.after(node.left))
        left = self.convert(node.left, depth + 1)
        right = self.convert(node.right, depth + 1)
        return Binary(_ALLOWED_BINARY[type(node.op)], left, right, self.span(node))

    def call(self, node: ast.Call, depth: int) -> Call:
        if not isinstance(node.func, ast.Name):
            # Convert the callee first: if it holds something forbidden, such as
            # the attribute access in x.sin(y), that is the clearer message.
            self.convert(node.func, depth + 1)
            raise self.error("only named functions can be called, like sin(x)", self.after(node.func))
        name = node.func.id
        if name not in FUNCTIONS:
            allowed = ", ".join(sorted(FUNCTIONS))
            raise self.error(f"unknown function {name!r}; allowed functions: {allowed}", self.start(node))
        if node.keywords:
            raise self.error(f"{name}() takes no keyword arguments", self.start(node.keywords[0]))
        if len(node.args) != FUNCTIONS[name]:
            raise self.error(
                f"{name}() takes exactly {FUNCTIONS[name]} argument, got {len(node.args)}", self.start(node)
            )
        return Call(name, self.convert(node.args[0], depth + 1), self.span(node))

    # -- positions ---------------------------------------------------------

    def col(self, byte_offset: int) -> int:
        """Python's ast counts columns in UTF-8 bytes; we count characters (é is 2 bytes)."""
        return self.indent + len(self.body_bytes[:byte_offset].decode("utf-8"))

    def start(self, node: ast.AST) -> int:
        return self.col(node.col_offset)

    def span(self, node: ast.AST) -> Span:
        return (self.col(node.col_offset), self.col(node.end_col_offset))

    def after(self, node: ast.AST) -> int:
        """Column of the first symbol after ``node``, skipping spaces and ')'.

        For ``a ^ b`` after(a) is the ``^``; for ``x.__class__`` after(x) is the dot.
        """
        col = self.col(node.end_col_offset)
        while self.text[col] in " )":
            col += 1
        return col

    def where(self, node: ast.expr) -> int:
        """Column to point at for a forbidden construct: its operator if it has one, else its start."""
        match node:
            case ast.Compare(left=first) | ast.Attribute(value=first) | ast.Subscript(value=first):
                return self.after(first)
            case ast.BoolOp(values=[first, *_]) | ast.IfExp(body=first):
                return self.after(first)
        return self.start(node)

    def error(self, message: str, col: int) -> ExpressionError:
        return ExpressionError(message, text=self.text, col=col)


def _operator_message(symbol: str) -> str:
    message = f"operator '{symbol}' is not allowed (only {' '.join(BINARY_OPS)} are)"
    if symbol == "^":
        message += "; for powers write x**2, not x^2"
    return message


# --------------------------------------------------------------------------
# Using a tree
# --------------------------------------------------------------------------


def _walk(tree: Node) -> Iterator[Node]:
    """Every node of ``tree``, parents before children, left to right (source order)."""
    yield tree
    match tree:
        case Unary(operand=child) | Call(arg=child):
            yield from _walk(child)
        case Binary(left=left, right=right):
            yield from _walk(left)
            yield from _walk(right)


def variables(tree: Node) -> list[str]:
    """The variable names in ``tree``, each once, in order of first appearance.

    >>> variables(parse("b * (a + b)"))
    ['b', 'a']
    """
    return list(dict.fromkeys(node.name for node in _walk(tree) if isinstance(node, Var)))


_SUM, _PRODUCT, _UNARY, _POWER, _ATOM = range(1, 6)
"""Python's precedence levels for our operators, loosest first."""

_BINARY_PRECEDENCE = {"+": _SUM, "-": _SUM, "*": _PRODUCT, "/": _PRODUCT, "**": _POWER}


def to_source(tree: Node) -> str:
    """Print ``tree`` as text, with only the parentheses Python's rules need.

    ``parse(to_source(tree)) == tree`` for every tree that parse returns.

    >>> to_source(parse("((a - (b - c))) * -(x**2)"))
    '(a - (b - c)) * -x**2'
    """
    match tree:
        case Num(value):
            return _format_number(value)
        case Var(name):
            return name
        case Call(func, arg):
            return f"{func}({to_source(arg)})"
        case Unary(op, operand):
            return op + _operand(operand, _UNARY)
        case Binary("**", left, right):
            # Right-associative, and it binds tighter than unary minus on its
            # left: (-x)**2 needs parentheses, x**-2 and x**y**z do not.
            return f"{_operand(left, _ATOM)}**{_operand(right, _UNARY)}"
        case Binary(op, left, right):
            # Left-associative: a - b - c is (a - b) - c, so only the right side
            # needs parentheses at equal precedence: a - (b - c).
            level = _BINARY_PRECEDENCE[op]
            return f"{_operand(left, level)} {op} {_operand(right, level + 1)}"
    raise TypeError(f"not an expression node: {tree!r}")


def _operand(node: Node, min_level: int) -> str:
    """``node`` as text, in parentheses if it binds more loosely than ``min_level``."""
    text = to_source(node)
    return text if _precedence(node) >= min_level else f"({text})"


def _precedence(node: Node) -> int:
    match node:
        case Binary(op):
            return _BINARY_PRECEDENCE[op]
        case Unary():
            return _UNARY
        case Num(value) if value < 0:  # only in hand-built trees; prints as "-2"
            return _UNARY
    return _ATOM


def _format_number(value: float) -> str:
    """``2.0`` prints as ``2``; other floats as Python's shortest exact form (``0.25``, ``1e-07``)."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def evaluate(tree: Node, values: Mapping[str, Any], ops: Any) -> Any:
    """Compute ``tree`` with the operations in ``ops``.

    ``values`` maps each variable name to its value (a float, a graph node, ...).
    ``ops`` is an object or a mapping providing ``add(a, b)``, ``sub``, ``mul``,
    ``div``, ``pow``, ``neg(a)``, ``const(value)`` (called for each number)
    and one function per name in FUNCTIONS (``sin(a)``, ...). Only the ones the
    tree uses are needed.

    Each variable is looked up once, so every occurrence of ``b`` passes the
    very same object to ``ops``: a graph engine builds ``b`` once and its
    gradient collects the contributions from all the places ``b`` is used.

    Raises ExpressionError if ``values`` lacks a variable of the tree.
    """
    names = variables(tree)
    missing = [name for name in names if name not in values]
    if missing:
        given = ", ".join(map(str, values)) or "none"
        raise ExpressionError(f"no value given for {', '.join(missing)} (values given for: {given})")
    leaves = {name: values[name] for name in names}
    return _evaluate(tree, leaves, ops)


def _evaluate(tree: Node, leaves: dict[str, Any], ops: Any) -> Any:
    match tree:
        case Num(value):
            return _op(ops, "const")(value)
        case Var(name):
            return leaves[name]
        case Unary("+", operand):
            return _evaluate(operand, leaves, ops)
        case Unary("-", operand):
            return _op(ops, PREFIX_OPS["-"])(_evaluate(operand, leaves, ops))
        case Binary(op, left, right):
            return _op(ops, BINARY_OPS[op])(_evaluate(left, leaves, ops), _evaluate(right, leaves, ops))
        case Call(func, arg):
            return _op(ops, func)(_evaluate(arg, leaves, ops))
    raise TypeError(f"not an expression node: {tree!r}")


def _op(ops: Any, name: str) -> Any:
    """``ops[name]`` if ops is a mapping, else ``ops.name``."""
    return ops[name] if isinstance(ops, Mapping) else getattr(ops, name)


# --------------------------------------------------------------------------
# Values from the command line
# --------------------------------------------------------------------------


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
        if _look_alike(char):
            raise bad(_look_alike(char))
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
