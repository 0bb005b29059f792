"""The 8x8 handwritten digits, shipped with the package (no download, no scikit-learn).

These are the 1,797 images of UCI optdigits as bundled in scikit-learn's
``load_digits``, split once with ``train_test_split(X, y, test_size=0.25,
random_state=0)`` into 1,347 training and 450 test images. ``digits.npz`` keeps
the raw pixel values 0..16 as uint8; ``benchmarks/tools/make_digits_npz.py``
regenerates it.
"""

from pathlib import Path

import numpy as np

from ..npz import read_arrays
from .errors import DatasetError, check_choice

DIGITS_NPZ = Path(__file__).with_name("digits.npz")
SPLITS = ("train", "test")


def digits(split="train", flatten=True, dtype=np.float32):
    """Return ``(X, y)`` for one split of the 8x8 digits.

    ``X`` holds the pixels scaled to [0, 1] (raw value / 16) in ``dtype``, with
    shape (N, 64), or (N, 8, 8) when ``flatten=False``; ``y`` holds the labels
    0..9 as int64. N is 1,347 for ``split="train"`` and 450 for ``"test"``.
    """
    check_choice("split", split, SPLITS)
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise DatasetError(f"digits needs a floating dtype for pixels in [0, 1], got {dtype.name}")
    images, labels = _stored_split(split)
    X = images.astype(dtype) / dtype.type(16)
    if flatten:
        X = X.reshape(len(X), -1)
    return X, labels.astype(np.int64)


def _stored_split(split):
    """The raw (images, labels) of ``split`` from the bundled file, or one DatasetError line."""
    try:
        stored = read_arrays(DIGITS_NPZ, DatasetError)
    except DatasetError as problem:
        raise DatasetError(f"{problem}; reinstall tinygrad_ko to restore the bundled digits") from None
    images, labels = stored.get(f"x_{split}"), stored.get(f"y_{split}")
    if images is None or labels is None or images.ndim != 3 or labels.shape != images.shape[:1]:
        raise DatasetError(f"{DIGITS_NPZ}: not the bundled digits (no x_{split}/y_{split} arrays of "
                           "matching lengths); reinstall tinygrad_ko to restore it")
    return images, labels
