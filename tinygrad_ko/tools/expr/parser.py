"""Text → tree: ``parse`` reads one typed expression, safely.

How it works, in two steps:

1. Python's own parser, ``ast.parse(text, mode="eval")``, turns the text into
   a syntax tree. Parsing only *builds* a tree; it never runs anything. We use
   it instead of a hand-written parser because it already follows the
   precedence rules students know from Python (``-x**2`` is ``-(x**2)``,
   ``2**3**2`` is ``2**(3**2)``), and because it recognises every construct we
   want to refuse, so an error can name it ("comparison is not allowed")
   instead of saying "unexpected token".
2. We walk that tree with a strict whitelist and copy the allowed parts into
   the five small node classes of nodes.py. Anything else raises ExpressionError.

Characters that only *look* like plain ones are refused, with the plain one to
type instead: full-width letters from an East Asian keyboard (``ｓｉｎ(x)`` →
``sin``), superscripts (``x²`` → ``x**2``), ligatures. Python would silently read
``ｓｉｎ`` as ``sin`` (it normalises names to NFKC); we would rather say so than
draw a graph of something other than what was typed.

This module never calls eval, exec or compile on the text.
"""

from __future__ import annotations

import ast
import math
import unicodedata
import warnings

from .errors import ExpressionError
from .language import BINARY_OPS, FUNCTIONS
from .nodes import Binary, Call, Node, Num, Span, Unary, Var

MAX_LENGTH = 1000
"""Longest expression accepted, in characters."""

MAX_DEPTH = 200
"""Deepest nesting accepted. Every function here recurses once per level, so
this cap keeps Python's recursion limit (1000 frames) far away."""


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
        problem = look_alike(char)
        if problem:
            raise ExpressionError(problem, text=text, col=col)


def look_alike(char: str) -> str | None:
    """Why ``char`` is refused when it stands for another, plain character (see the
    module docstring); None for a plain character. The ``--at`` values are read
    with the same check (assignments.py)."""
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
