"""One BLAS thread for small matrices and for fair timing.

The matrices of a digits MLP or of a cost sweep are tiny: a second BLAS thread
only adds synchronisation, and on a busy two-core machine a matrix product split
over threads took 2–3× (sometimes 100×) longer than on one thread. Training,
counting and timing all run inside ``single_blas_thread()``.
``threadpoolctl`` (a dependency) sets the limit for whichever BLAS NumPy uses.
"""

from __future__ import annotations

import contextlib


def single_blas_thread():
    """A context in which NumPy's BLAS uses one thread (no change without threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")
