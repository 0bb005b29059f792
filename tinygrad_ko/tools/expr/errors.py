"""ExpressionError: what is wrong with a typed expression, in one line, with where."""

from __future__ import annotations

from ...errors import TinygradKoError


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
