"""Progress bars on a terminal, and one line per stage everywhere else.

A tqdm bar redraws itself with carriage returns many times a second: right on a
terminal, hundreds of garbled updates in a log file, a CI log or a pipe. So
``progress_bar`` gives a tqdm bar only when its stream is a terminal; otherwise
a quiet stand-in with the same methods that writes one line when the stage
ends (``cost sweep: 24/24 points in 3.1 s (dense n=100 m=10)``).

Every long loop in the package (training, the cost sweep, the DNI runs) uses it.
"""

from __future__ import annotations

import sys
import time


def progress_bar(total: int | None = None, description: str = "", *, unit: str = "step",
                 enabled: bool = True, file=None):
    """A progress bar for a loop of ``total`` steps (None: unknown), used as a context
    manager or closed with ``close()``; it has tqdm's ``update``, ``set_postfix`` and
    ``set_postfix_str``. ``enabled=False`` shows nothing at all."""
    file = sys.stderr if file is None else file
    if enabled and _is_terminal(file):
        from tqdm import tqdm

        return tqdm(total=total, desc=description, unit=unit, leave=False, file=file)
    return StageLine(total, description, unit, file if enabled else None)


def _is_terminal(file) -> bool:
    try:
        return file.isatty()
    except (AttributeError, ValueError):   # no isatty, or already closed
        return False


class StageLine:
    """Counts like a tqdm bar and writes one line when closed (nothing if ``file`` is None)."""

    def __init__(self, total: int | None, description: str, unit: str, file):
        self.total, self.description, self.unit, self.file = total, description, unit, file
        self.count = 0
        self.postfix = ""
        self.start = time.perf_counter()
        self.closed = False

    def update(self, n: int = 1) -> None:
        self.count += n

    def set_postfix(self, **values) -> None:
        self.postfix = ", ".join(f"{name}={value}" for name, value in values.items())

    def set_postfix_str(self, text: str) -> None:
        self.postfix = text

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.file is None:
            return
        done = f"{self.count}/{self.total}" if self.total is not None else f"{self.count}"
        line = f"{self.description}: {done} {self.unit}s in {time.perf_counter() - self.start:.1f} s"
        print(line + (f" ({self.postfix})" if self.postfix else ""), file=self.file, flush=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
