"""Every number a user passes is checked here, once, with one clear line.

The API (``Tensor.reshape``, ``optim.SGD(lr=...)``, ``nn.Linear``) and the CLI
(``--lr``, ``--seed``, ``--hidden``) call these helpers instead of writing their
own ``if value <= 0`` tests, so a bad number is always refused the same way:
the message names the setting, the rule and the value, and nothing has been
changed yet when it is raised.

Each helper takes ``error``, the typed error of the caller's layer
(``OptimizerError``, ``UsageError``, ``ShapeError`` ...), so a script that
catches that type keeps working; every one of them derives from
``TinygradKoError``.

    integer("--seed", -1, minimum=0)   ->  InvalidValueError: --seed must be an integer ≥ 0, got -1
    real("lr", float("nan"), minimum=0) ->  InvalidValueError: lr must be a finite number ≥ 0, got nan
"""

from __future__ import annotations

import math
import numbers

from .errors import InvalidValueError


def integer(name: str, value, *, minimum: int | None = None, maximum: int | None = None,
            error: type[Exception] = InvalidValueError) -> int:
    """``value`` as a Python int, or ``error`` unless it is an integer in [minimum, maximum].

    Floats are refused even when whole (``reshape(3.0, 2)``), as are bools:
    a count written as ``3.9`` is a mistake to report, not a number to round.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise error(f"{name} must be an integer{_bounds_text(minimum, maximum)}, got {value!r}")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise error(f"{name} must be an integer{_bounds_text(minimum, maximum)}, got {value}")
    return value


def real(name: str, value, *, minimum: float | None = None, maximum: float | None = None,
         above: float | None = None, below: float | None = None,
         error: type[Exception] = InvalidValueError) -> float:
    """``value`` as a float, or ``error`` unless it is finite and within the bounds.

    ``minimum``/``maximum`` are inclusive (value ≥ minimum), ``above``/``below``
    exclusive (value > above). NaN and ±inf are always refused: a setting of
    NaN would silently turn every weight into NaN.
    """
    rule = "a finite number" + _bounds_text(minimum, maximum, above, below)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise error(f"{name} must be {rule}, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise error(f"{name} must be {rule}, got {value}")
    if ((minimum is not None and value < minimum) or (maximum is not None and value > maximum)
            or (above is not None and value <= above) or (below is not None and value >= below)):
        raise error(f"{name} must be {rule}, got {value:g}")
    return value


def _bounds_text(minimum=None, maximum=None, above=None, below=None) -> str:
    """The bounds in words: ' ≥ 0', ' in [0, 1)', ' > 0' ..."""
    low = f"[{minimum:g}" if minimum is not None else (f"({above:g}" if above is not None else None)
    high = f"{maximum:g}]" if maximum is not None else (f"{below:g})" if below is not None else None)
    if low and high:
        return f" in {low}, {high}"
    if minimum is not None:
        return f" ≥ {minimum:g}"
    if above is not None:
        return f" > {above:g}"
    if maximum is not None:
        return f" ≤ {maximum:g}"
    if below is not None:
        return f" < {below:g}"
    return ""
