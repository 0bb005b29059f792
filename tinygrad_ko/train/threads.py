"""One BLAS thread for small networks.

The matrices of a digits MLP are tiny: a second BLAS thread only adds
synchronisation, and on a busy two-core machine it made training 2–3× slower.
"""

from __future__ import annotations

import contextlib


def single_blas_thread():
    """A context in which NumPy's BLAS uses one thread (needs threadpoolctl; else no change)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")
