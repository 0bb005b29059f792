"""Datasets and mini-batches for tinygrad_ko, in pure NumPy.

* ``digits()``: the 8x8 handwritten digits, bundled (1,347 train / 450 test).
* ``mnist(root, split, kind)``: MNIST or Fashion-MNIST from local IDX files;
  ``download_mnist`` fetches them, ``find_fashion_mnist`` finds Debian's copy.
* ``read_idx`` / ``write_idx``: the IDX file format, plain or gzip.
* ``DataLoader``: seeded, reshuffled-every-epoch mini-batches.
* ``load_dataset(name, split)``: any of the above by name.

Every deliberate error is a ``DatasetError`` (a ``ValueError``).
"""

from .digits import digits
from .errors import DatasetError, check_choice
from .idx import read_idx, write_idx
from .loader import DataLoader
from .mnist import NUM_CLASSES, download_mnist, find_fashion_mnist, mnist   # 10 in every dataset here

DATASETS = ("digits", "mnist", "fashion-mnist")

__all__ = [
    "DATASETS",
    "NUM_CLASSES",
    "DataLoader",
    "DatasetError",
    "digits",
    "download_mnist",
    "find_fashion_mnist",
    "load_dataset",
    "mnist",
    "read_idx",
    "write_idx",
]


def load_dataset(name, split="train", root=None):
    """Return ``(X, y)`` for dataset ``name`` ("digits", "mnist" or "fashion-mnist") and ``split``.

    ``X`` is float32 with pixels in [0, 1], one flattened image per row; ``y`` is
    int64. ``root`` is the folder of IDX files for MNIST and Fashion-MNIST (the
    digits are bundled and need none; Fashion-MNIST defaults to Debian's copy).
    """
    check_choice("dataset", name, DATASETS)
    if name == "digits":
        return digits(split)
    return mnist(root, split, kind="mnist" if name == "mnist" else "fashion")
