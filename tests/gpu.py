"""Which tests need a GPU, and why they skip without one.

``@needs_gpu`` marks a test ``gpu`` and skips it, giving the reason (no CuPy, no
CUDA device), on machines such as CI that have neither. ``pytest -m gpu`` runs
just those tests on a machine that has both.
"""

import pytest


def gpu_unavailable() -> str | None:
    """None when CuPy and a CUDA device are usable; otherwise the reason they are not."""
    try:
        import cupy
    except ImportError:
        return "CuPy not installed"
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # a CUDA driver or runtime error, whatever CuPy calls it
        return f"no CUDA device ({error})"
    return None if count > 0 else "no CUDA device"


GPU_REASON = gpu_unavailable()


def needs_gpu(test):
    """Mark a test as needing CuPy and a CUDA device; skip it, saying why, when they are absent."""
    return pytest.mark.gpu(pytest.mark.skipif(GPU_REASON is not None, reason=f"needs a GPU: {GPU_REASON}")(test))
