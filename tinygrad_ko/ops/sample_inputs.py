"""Sample inputs for every registry entry: where the registry's own checks evaluate it.

``SAMPLE_INPUTS[name](rng)`` returns ``(arrays, params, positions)``: the input
arrays (drawn from ``rng``, broadcast shapes included, inside the primitive's
domain: ``log`` gets positive numbers, ``div`` a divisor away from zero), the
parameters, and the positions of the inputs that are differentiable.

The adjoint test (``tests/test_adjoint.py``), the gradcheck test and the
classroom's ``exercises.check_rule`` all read this one table, so a student's
rule is checked exactly where the registry's own rules are. It must name every
registry entry (``test_every_primitive_has_a_case``).
"""

from __future__ import annotations

import numpy as np

from ..backend import default_device


def positive(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


def away_from_zero(rng, shape):
    return rng.uniform(0.2, 1.0, shape) * rng.choice([-1, 1], shape)


def normal(rng, shape):
    return rng.standard_normal(shape)


SAMPLE_INPUTS = {
    "add": lambda r: ([normal(r, (3, 1, 4)), normal(r, (2, 4))], {}, [0, 1]),
    "sub": lambda r: ([normal(r, (2, 3)), normal(r, (3,))], {}, [0, 1]),
    "mul": lambda r: ([normal(r, (4, 1)), normal(r, (1, 5))], {}, [0, 1]),
    "div": lambda r: ([normal(r, (2, 3)), away_from_zero(r, (2, 1))], {}, [0, 1]),
    "pow": lambda r: ([positive(r, (2, 3)), normal(r, (3,))], {}, [0, 1]),
    "neg": lambda r: ([normal(r, (3, 2))], {}, [0]),
    "exp": lambda r: ([normal(r, (3, 2))], {}, [0]),
    "log": lambda r: ([positive(r, (3, 2))], {}, [0]),
    "log1p": lambda r: ([positive(r, (3, 2)) - 0.4], {}, [0]),
    "sin": lambda r: ([normal(r, (5,))], {}, [0]),
    "cos": lambda r: ([normal(r, (5,))], {}, [0]),
    "sqrt": lambda r: ([positive(r, (2, 2))], {}, [0]),
    "tanh": lambda r: ([normal(r, (2, 3))], {}, [0]),
    "relu": lambda r: ([away_from_zero(r, (4, 3))], {}, [0]),
    "where": lambda r: ([r.random((3, 4)) > 0.5, normal(r, (3, 4)), normal(r, (4,))], {}, [1, 2]),
    "cast": lambda r: ([normal(r, (3,))], {"dtype": np.dtype(np.float64)}, [0]),
    "identity": lambda r: ([normal(r, (2, 2))], {}, [0]),
    "to_device": lambda r: ([normal(r, (2, 2))], {"device": default_device()}, [0]),
    "sum": lambda r: ([normal(r, (2, 3, 4))], {"axis": (0, 2), "keepdims": False}, [0]),
    "max": lambda r: ([normal(r, (3, 5))], {"axis": (1,), "keepdims": True}, [0]),
    "log_softmax": lambda r: ([normal(r, (3, 5))], {"axis": 1}, [0]),
    "softmax_cross_entropy": lambda r: ([normal(r, (4, 5)) * 3], {"labels": np.array([0, 3, 3, 1])}, [0]),
    "reshape": lambda r: ([normal(r, (2, 6))], {"shape": (3, 4)}, [0]),
    "transpose": lambda r: ([normal(r, (2, 3, 4))], {"axes": (2, 0, 1)}, [0]),
    "broadcast_to": lambda r: ([normal(r, (3, 1))], {"shape": (2, 3, 4)}, [0]),
    "getitem": lambda r: ([normal(r, (5, 3))], {"index": (np.array([0, 2, 2, 4]), slice(1, None))}, [0]),
    "scatter": lambda r: ([normal(r, (4, 2))], {"shape": (5, 3), "index": (np.array([0, 2, 2, 4]), slice(1, None))}, [0]),
    "concatenate": lambda r: ([normal(r, (2, 3)), normal(r, (2, 1)), normal(r, (2, 2))], {"axis": 1}, [0, 1, 2]),
    "matmul": lambda r: ([normal(r, (2, 3, 4)), normal(r, (4, 5))], {}, [0, 1]),
    "lstm_cell": lambda r: ([normal(r, (3, 8)), normal(r, (3, 2))], {}, [0, 1]),
    "im2col": lambda r: ([normal(r, (2, 2, 5, 4))], {"kernel": (3, 2), "stride": (2, 1), "padding": (1, 0)}, [0]),
    "col2im": lambda r: ([normal(r, (2, 2, 3, 2, 3, 3))],
                         {"shape": (2, 2, 5, 4), "kernel": (3, 2), "stride": (2, 1), "padding": (1, 0)}, [0]),
    "conv2d": lambda r: ([normal(r, (2, 2, 5, 4)), normal(r, (3, 2, 3, 2))], {"stride": (2, 1), "padding": (1, 0)}, [0, 1]),
    "max_pool2d": lambda r: ([normal(r, (2, 2, 5, 5))], {"kernel": (3, 3), "stride": (2, 2), "padding": (1, 1)}, [0]),
    "avg_pool2d": lambda r: ([normal(r, (2, 1, 4, 5))], {"kernel": (2, 3), "stride": (1, 2), "padding": (1, 1)}, [0]),
}
