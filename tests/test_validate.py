"""The one validation helper: every rule refuses what it must and names the setting."""

import math

import numpy as np
import pytest

from tinygrad_ko import validate
from tinygrad_ko.errors import InvalidValueError, TinygradKoError


class CallerError(TinygradKoError, ValueError):
    pass


@pytest.mark.parametrize("value", [3.9, 3.0, "3", None, True, np.float64(2.0)])
def test_integer_refuses_non_integers(value):
    with pytest.raises(InvalidValueError, match=r"^n must be an integer"):
        validate.integer("n", value)


def test_integer_accepts_numpy_integers_and_checks_bounds():
    assert validate.integer("n", np.int64(4), minimum=1) == 4
    assert type(validate.integer("n", np.int32(4))) is int
    with pytest.raises(InvalidValueError, match=r"--seed must be an integer ≥ 0, got -1"):
        validate.integer("--seed", -1, minimum=0)
    with pytest.raises(InvalidValueError, match=r"in \[1, 10\], got 11"):
        validate.integer("k", 11, minimum=1, maximum=10)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "0.1", None, False])
def test_real_refuses_non_finite_and_non_numbers(value):
    with pytest.raises(InvalidValueError, match=r"^lr must be a finite number"):
        validate.real("lr", value)


def test_real_bounds_inclusive_and_exclusive():
    assert validate.real("lr", 0, minimum=0) == 0.0
    with pytest.raises(InvalidValueError, match=r"lr must be a finite number > 0, got 0"):
        validate.real("lr", 0, above=0)
    with pytest.raises(InvalidValueError, match=r"in \[0, 1\), got 1"):
        validate.real("momentum", 1.0, minimum=0, below=1)
    assert validate.real("momentum", 0.9, minimum=0, below=1) == 0.9


def test_caller_error_type_is_kept():
    with pytest.raises(CallerError):
        validate.real("x", math.nan, error=CallerError)
