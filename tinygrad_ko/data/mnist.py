"""MNIST and Fashion-MNIST from a local folder of IDX files, and a downloader to fill one.

Both datasets use the same four file names, plain or ``.gz``::

    train-images-idx3-ubyte   60,000 x 28 x 28 uint8
    train-labels-idx1-ubyte   60,000 uint8 labels 0..9
    t10k-images-idx3-ubyte    10,000 x 28 x 28
    t10k-labels-idx1-ubyte    10,000

Offline, Debian ships Fashion-MNIST as the package ``dataset-fashion-mnist``;
``find_fashion_mnist`` locates its folder. The original MNIST has to be
downloaded once with ``download_mnist``.
"""

import hashlib
import os
import urllib.request
from pathlib import Path

import numpy as np

from .errors import DatasetError, check_choice
from .idx import read_idx

SPLIT_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
KINDS = ("mnist", "fashion")
NUM_CLASSES = 10   # both datasets (and the digits): labels 0..9
MIRRORS = {
    "mnist": (
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
    "fashion": (
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    ),
}
# MD5 of the published .gz files (the same ones torchvision checks). Debian's
# repacked Fashion-MNIST has other checksums (its gzip headers differ).
CHECKSUMS = {
    "mnist": {
        "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
    },
    "fashion": {
        "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
    },
}


def mnist(root=None, split="train", kind="mnist"):
    """Return ``(X, y)`` for one split of MNIST (``kind="mnist"``) or Fashion-MNIST (``"fashion"``).

    ``root`` is the folder holding the IDX files. For Fashion-MNIST it may be
    left as None to use Debian's installed copy (see ``find_fashion_mnist``).
    ``X`` is float32 of shape (N, 784) with pixels / 255 in [0, 1]; ``y`` is
    int64. A missing folder or file raises ``DatasetError`` saying how to get it.
    """
    check_choice("split", split, tuple(SPLIT_FILES))
    check_choice("kind", kind, KINDS)
    if root is None and kind == "fashion":
        root = find_fashion_mnist()
    if root is None:
        raise DatasetError(f"{kind}: no data folder given (root=None); {_how_to_get(kind, 'ROOT')}")
    root = Path(root)
    image_name, label_name = SPLIT_FILES[split]
    image_file, label_file = _find_file(root, image_name, kind), _find_file(root, label_name, kind)
    images, labels = read_idx(image_file), read_idx(label_file)
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise DatasetError(
            f"{root}: {split} images of shape {images.shape} do not match labels of shape "
            f"{labels.shape}; expected (N, height, width) and (N,)"
        )
    if len(images) == 0:
        raise DatasetError(f"{image_file}: holds no images (shape {images.shape}); the file is empty or damaged")
    _check_labels(label_file, labels)
    X = images.reshape(len(images), -1).astype(np.float32) / np.float32(255)
    return X, labels.astype(np.int64)


def _check_labels(path, labels):
    """DatasetError naming the first label outside 0..NUM_CLASSES−1, if there is one."""
    outside = np.flatnonzero((labels < 0) | (labels >= NUM_CLASSES))
    if outside.size:
        first = outside[0]
        raise DatasetError(f"{path}: label {labels[first]} at index {first} is outside the "
                           f"{NUM_CLASSES} classes 0..{NUM_CLASSES - 1} ({outside.size} such labels)")


def find_fashion_mnist(search_root="/usr/share"):
    """Return the folder of Debian's ``dataset-fashion-mnist`` IDX files, or None if absent.

    Looks first where the package puts them (``/usr/share/datasets/fashion-mnist``),
    then in any folder under ``search_root`` whose name contains "fashion".
    """
    usual = Path(search_root, "datasets", "fashion-mnist")
    if usual.is_dir() and _holds_all_files(os.listdir(usual)):
        return usual
    for folder, _, filenames in os.walk(search_root):
        if "fashion" in Path(folder).name.lower() and _holds_all_files(filenames):
            return Path(folder)
    return None


def download_mnist(root, kind="mnist"):
    """Download the four ``.gz`` IDX files of ``kind`` into ``root``; return the folder.

    Tries each mirror in turn and keeps a file only if its MD5 matches the
    published one. Files already present with the right MD5 are not fetched
    again. Needs network; raises ``DatasetError`` listing every failed URL.
    """
    check_choice("kind", kind, KINDS)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for name, md5 in CHECKSUMS[kind].items():
        target = root / name
        if not (target.is_file() and _md5(target.read_bytes()) == md5):
            target.write_bytes(_fetch(name, md5, MIRRORS[kind]))
    return root


def _find_file(root, name, kind):
    """Return ``root/name`` or ``root/name.gz``, or raise saying which file is missing."""
    if not root.is_dir():
        raise DatasetError(f"{kind}: folder {root} does not exist; {_how_to_get(kind, str(root))}")
    for candidate in (root / name, root / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    raise DatasetError(
        f"{kind}: missing file {name} (or {name}.gz) in {root}; {_how_to_get(kind, str(root))}"
    )


def _how_to_get(kind, root):
    """One sentence on how to obtain the files of ``kind`` into ``root``."""
    download = f"tinygrad_ko.data.download_mnist({root!r}, kind={kind!r})"
    if kind == "fashion":
        return (
            "on Debian run `apt-get install dataset-fashion-mnist` and pass the folder that "
            f"`dpkg -L dataset-fashion-mnist` lists, or with network run {download}"
        )
    return f"with network run {download}"


def _holds_all_files(filenames):
    """True if ``filenames`` include all four IDX files, each plain or ``.gz``."""
    stems = {name.removesuffix(".gz") for name in filenames}
    return all(stem in stems for pair in SPLIT_FILES.values() for stem in pair)


def _fetch(name, md5, mirrors):
    """Return the content of ``name`` from the first mirror that serves it with the right MD5."""
    failures = []
    for mirror in mirrors:
        url = mirror + name
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                content = response.read()
        except OSError as error:  # URLError, HTTPError and timeouts are all OSErrors
            failures.append(f"{url} ({error})")
            continue
        if _md5(content) == md5:
            return content
        failures.append(f"{url} (MD5 {_md5(content)}, expected {md5})")
    raise DatasetError(f"could not download {name}: " + "; ".join(failures))


def _md5(content):
    """Hex MD5 of ``content`` (a checksum, not a security measure)."""
    return hashlib.md5(content, usedforsecurity=False).hexdigest()
