"""Shared test settings."""

import os

import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=30, deadline=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# TINYGRAD_KO_TEST_DEVICE=cuda runs the suite with new tensors made on the GPU
# (the op tests — adjoint, gradcheck, Olah, pitfalls — then exercise CuPy).
TEST_DEVICE = os.environ.get("TINYGRAD_KO_TEST_DEVICE", "cpu")
if TEST_DEVICE != "cpu":
    from tinygrad_ko.backend import set_default_device

    set_default_device(TEST_DEVICE)


@pytest.fixture
def rng():
    """A seeded generator, so every test draws the same numbers on every run."""
    return np.random.default_rng(1234)
