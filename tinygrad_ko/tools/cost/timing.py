"""Wall-clock timing that is fair to both modes.

* The best of a few runs: the minimum is the run least disturbed by other work
  on the machine (the advice of Python's ``timeit``).
* One BLAS thread while measuring (``backend.threads.single_blas_thread``, used
  by the callers around counting and timing alike): a matrix product split over
  threads on a busy machine can take 100× longer than on one thread, which would
  swamp the difference between the modes.
"""

from __future__ import annotations

import time
from typing import Callable


def best_seconds(run: Callable[[], object], repeats: int, budget: float = 0.3) -> float:
    """The fastest wall-clock time of up to ``repeats`` calls of ``run()``.

    Repeating stops early once ``budget`` seconds have been spent, so slow runs
    are timed once or twice. Returns NaN for ``repeats`` < 1."""
    if repeats < 1:
        return float("nan")
    best, spent = float("inf"), 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
        spent += elapsed
        if spent > budget:
            break
    return best
