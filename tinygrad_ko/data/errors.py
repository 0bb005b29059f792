"""The one error type of ``tinygrad_ko.data``, and the check that raises it most often."""

from ..errors import TinygradKoError


class DatasetError(TinygradKoError, ValueError):
    """A dataset cannot be given as asked.

    Raised for an unknown dataset name, split or kind, a missing or malformed
    file, or arrays that do not fit together. The message is one line that says
    what was wrong and, where there is one, what to do about it.
    """


def check_choice(what, value, choices):
    """Raise ``DatasetError`` unless ``value`` is one of ``choices``; name them all if not."""
    if value not in choices:
        valid = ", ".join(repr(choice) for choice in choices)
        raise DatasetError(f"unknown {what} {value!r}; valid choices are {valid}")
