"""Regenerate ``tinygrad_ko/data/digits.npz`` from scikit-learn (one-off tool).

The package ships its own copy of the 8x8 handwritten digits (UCI optdigits, as
bundled in scikit-learn's ``load_digits``: 1,797 images) so that it never needs
scikit-learn at run time. This script is how that copy was made:

* the split is ``train_test_split(X, y, test_size=0.25, random_state=0)``,
  giving 1,347 training and 450 test images;
* images are stored as uint8 of shape (N, 8, 8) with their raw values 0..16,
  labels as uint8; ``tinygrad_ko.data.digits`` scales the pixels by 1/16.

Usage (needs scikit-learn)::

    python benchmarks/tools/make_digits_npz.py [OUTPUT]

OUTPUT defaults to ``tinygrad_ko/data/digits.npz`` next to this repository's
package. The package does not import this file.
"""

import sys
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "tinygrad_ko" / "data" / "digits.npz"


def make_arrays():
    """Return the fixed split as a dict of uint8 arrays, ready for ``np.savez_compressed``."""
    bunch = load_digits()
    images = bunch.images.astype(np.uint8)  # values are whole numbers 0..16
    assert np.array_equal(images, bunch.images), "digits pixels are not integers"
    labels = bunch.target.astype(np.uint8)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=0.25, random_state=0
    )
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def main(argv):
    """Write the .npz file and print its size and the test split's class counts."""
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    arrays = make_arrays()
    np.savez_compressed(output, **arrays)
    print(f"wrote {output} ({output.stat().st_size:,} bytes)")
    for key, value in arrays.items():
        print(f"  {key}: {value.shape} {value.dtype}")
    print("  test class counts:", np.bincount(arrays["y_test"], minlength=10).tolist())
    print("  train class counts:", np.bincount(arrays["y_train"], minlength=10).tolist())


if __name__ == "__main__":
    main(sys.argv)
