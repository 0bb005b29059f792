"""Typed errors that say what went wrong and what to do about it.

Every error a user can cause derives from ``TinygradKoError``, so a teaching
script can catch them all in one place and a test can check the exact type.
"""


class TinygradKoError(Exception):
    """Base class of every error tinygrad_ko raises on purpose."""


class ShapeError(TinygradKoError, ValueError):
    """Two shapes do not fit an operation; the message names the op and both shapes."""


class DTypeError(TinygradKoError, TypeError):
    """A value has a dtype the operation cannot use."""


class GradError(TinygradKoError, RuntimeError):
    """A derivative was asked for in a way that cannot work (non-scalar grad, no graph, ...)."""


class GraphFreedError(GradError):
    """backward() ran through a graph whose saved values were already released."""


class StaleGraphError(GradError):
    """backward() reached a value that was changed in place after an operation saved it."""


class DeviceError(TinygradKoError, RuntimeError):
    """A device is unavailable, or one operation mixes tensors from two devices."""


class InvalidValueError(TinygradKoError, ValueError):
    """A number a user passed is out of range or of the wrong kind (see ``tinygrad_ko.validate``)."""
