"""Tests of tinygrad_ko.data: bundled digits, IDX files, MNIST folders and the DataLoader."""

import gzip
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tinygrad_ko.data import (
    DataLoader,
    DatasetError,
    digits,
    find_fashion_mnist,
    load_dataset,
    mnist,
    read_idx,
    write_idx,
)
from tinygrad_ko.data.digits import DIGITS_NPZ

# Golden values, computed once from scikit-learn 1.9.1:
# load_digits() split by train_test_split(X, y, test_size=0.25, random_state=0).
DIGITS_TRAIN_CLASS_COUNTS = [141, 139, 133, 138, 143, 134, 129, 131, 126, 133]
DIGITS_TEST_CLASS_COUNTS = [37, 43, 44, 45, 38, 48, 52, 48, 48, 47]
DIGITS_TRAIN_FIRST_LABELS = [2, 8, 9, 7, 2, 1, 4, 9, 3, 2, 6, 2]
DIGITS_TEST_FIRST_LABELS = [2, 8, 2, 6, 6, 7, 1, 9, 8, 5, 2, 8]
DIGITS_RAW_PIXEL_SUM = {"train": 421_740, "test": 139_978}

IDX_DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]
MNIST_FILES = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
]


# --- digits -----------------------------------------------------------------


@pytest.mark.parametrize("split, n", [("train", 1347), ("test", 450)])
def test_digits_shapes_dtypes_and_range(split, n):
    X, y = digits(split)
    assert X.shape == (n, 64) and X.dtype == np.float32
    assert y.shape == (n,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.array_equal(X * 16, np.round(X * 16))  # raw pixels were whole numbers 0..16
    assert set(np.unique(y)) == set(range(10))


def test_digits_unflattened_and_other_dtype():
    X, y = digits("test", flatten=False, dtype=np.float64)
    assert X.shape == (450, 8, 8) and X.dtype == np.float64
    flat, _ = digits("test")
    np.testing.assert_array_equal(X.reshape(450, 64), flat)


@pytest.mark.parametrize(
    "split, counts, first",
    [
        ("train", DIGITS_TRAIN_CLASS_COUNTS, DIGITS_TRAIN_FIRST_LABELS),
        ("test", DIGITS_TEST_CLASS_COUNTS, DIGITS_TEST_FIRST_LABELS),
    ],
)
def test_digits_split_matches_golden_values(split, counts, first):
    X, y = digits(split, dtype=np.float64)
    assert np.bincount(y, minlength=10).tolist() == counts
    assert y[: len(first)].tolist() == first
    assert round(X.sum() * 16) == DIGITS_RAW_PIXEL_SUM[split]


def test_digits_split_equals_sklearn_regenerated():
    pytest.importorskip("sklearn", reason="scikit-learn not installed; the golden values still run")
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    bunch = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        bunch.data, bunch.target, test_size=0.25, random_state=0
    )
    for split, x_ref, y_ref in [("train", x_train, y_train), ("test", x_test, y_test)]:
        X, y = digits(split, dtype=np.float64)
        np.testing.assert_array_equal(X * 16, x_ref)
        np.testing.assert_array_equal(y, y_ref)


def test_digits_bad_split_names_the_choices():
    with pytest.raises(ValueError, match=r"unknown split 'val'.*'train', 'test'"):
        digits("val")


def test_digits_rejects_integer_dtype():
    with pytest.raises(DatasetError, match="floating dtype"):
        digits(dtype=np.int32)


def test_digits_file_is_small():
    assert DIGITS_NPZ.stat().st_size < 100_000


def test_digits_work_without_sklearn():
    code = (
        "import sys; sys.modules['sklearn'] = None\n"  # any import of sklearn now fails
        "from tinygrad_ko.data import digits\n"
        "X, y = digits('test'); assert X.shape == (450, 64)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- load_dataset -----------------------------------------------------------


def test_load_dataset_digits():
    X, y = load_dataset("digits", "test")
    assert X.shape == (450, 64) and y.shape == (450,)


def test_load_dataset_unknown_name_lists_valid_names():
    with pytest.raises(DatasetError) as info:
        load_dataset("cifar10", "train")
    message = str(info.value)
    assert "'cifar10'" in message and "\n" not in message
    for name in ("'digits'", "'mnist'", "'fashion-mnist'"):
        assert name in message
    assert isinstance(info.value, ValueError)


# --- IDX --------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    array=hnp.arrays(
        dtype=st.sampled_from(IDX_DTYPES),
        shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=6),
    ),
    compressed=st.booleans(),
)
def test_idx_round_trip(tmp_path_factory, array, compressed):
    path = tmp_path_factory.mktemp("idx") / ("a.idx.gz" if compressed else "a.idx")
    write_idx(path, array)
    back = read_idx(path)
    assert back.dtype == array.dtype and back.shape == array.shape
    assert back.tobytes() == array.tobytes()  # exact, NaN payloads and -0.0 included
    assert back.flags.writeable


def test_idx_bytes_follow_the_format(tmp_path):
    write_idx(tmp_path / "u8", np.array([[1, 2, 3], [4, 5, 6]], dtype=np.uint8))
    assert (tmp_path / "u8").read_bytes() == bytes(
        [0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]
    )
    write_idx(tmp_path / "i16", np.array([1, -2], dtype="<i2"))
    assert (tmp_path / "i16").read_bytes() == bytes.fromhex("00000b01 00000002 0001 fffe")


def test_idx_reads_big_endian_input_and_gzip_without_gz_name(tmp_path):
    array = np.arange(12, dtype=">f8").reshape(3, 4)
    plain = tmp_path / "plain"
    write_idx(plain, array)
    disguised = tmp_path / "compressed-but-no-suffix"
    disguised.write_bytes(gzip.compress(plain.read_bytes()))
    back = read_idx(disguised)
    assert back.dtype == np.float64 and back.dtype.isnative
    np.testing.assert_array_equal(back, array)


def test_idx_write_is_deterministic_for_gz(tmp_path):
    array = np.arange(100, dtype=np.int32)
    write_idx(tmp_path / "a.gz", array)
    write_idx(tmp_path / "b.gz", array)  # no time stamp or file name inside
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "truncated IDX file"),
        (b"\x00\x00\x08", "truncated IDX file"),
        (b"\x00\x00\x08\x02\x00\x00\x00\x02", "truncated IDX header"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x05\x01\x02", "truncated IDX data"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x01\x01\x02", "extra bytes after the IDX data"),
        (b"\x01\x00\x08\x01\x00\x00\x00\x01\x07", "bad IDX magic number 01 00 08 01"),
        (b"\x00\x00\x0a\x01\x00\x00\x00\x01\x07", "bad IDX magic number"),
    ],
)
def test_idx_bad_file_names_file_and_problem(tmp_path, content, message):
    path = tmp_path / "broken-idx3-ubyte"
    path.write_bytes(content)
    with pytest.raises(DatasetError, match=message) as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_idx_truncated_gzip(tmp_path):
    path = tmp_path / "x.gz"
    write_idx(path, np.arange(1000, dtype=np.int32))
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(DatasetError, match="gzip") as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_idx_write_unsupported_dtype_says_what_to_use(tmp_path):
    with pytest.raises(DatasetError, match="int64.*int32"):
        write_idx(tmp_path / "x", np.arange(3, dtype=np.int64))


# --- MNIST folders ----------------------------------------------------------


@pytest.fixture
def fake_mnist(tmp_path):
    """A folder shaped like MNIST: 5 train and 3 test 28x28 images, some files gzipped."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (8, 28, 28), dtype=np.uint8)
    arrays = {
        "train": (images[:5], np.array([3, 1, 4, 1, 5], np.uint8)),
        "test": (images[5:], np.array([9, 2, 6], np.uint8)),
    }
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", arrays["train"][0])
    write_idx(tmp_path / "train-labels-idx1-ubyte", arrays["train"][1])
    write_idx(tmp_path / "t10k-images-idx3-ubyte", arrays["test"][0])
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", arrays["test"][1])
    return tmp_path, arrays


@pytest.mark.parametrize("split, n", [("train", 5), ("test", 3)])
def test_mnist_reads_a_folder(fake_mnist, split, n):
    root, arrays = fake_mnist
    images, labels = arrays[split]
    X, y = mnist(root, split)
    assert X.shape == (n, 784) and X.dtype == np.float32
    assert y.dtype == np.int64
    np.testing.assert_allclose(X, images.reshape(n, 784) / 255, rtol=1e-6)
    np.testing.assert_array_equal(y, labels)
    X2, y2 = load_dataset("fashion-mnist", split, root=root)
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)


def test_mnist_missing_file_says_which_and_how(fake_mnist):
    root, _ = fake_mnist
    (root / "train-labels-idx1-ubyte").unlink()
    with pytest.raises(DatasetError, match="train-labels-idx1-ubyte") as info:
        mnist(root, "train")
    assert "download_mnist" in str(info.value)
    mnist(root, "test")  # the other split is still there


def test_mnist_missing_folder(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(DatasetError, match="does not exist") as info:
        load_dataset("mnist", "train", root=missing)
    assert str(missing) in str(info.value)


def test_fashion_missing_file_points_to_debian_package(tmp_path):
    with pytest.raises(DatasetError) as info:
        mnist(tmp_path, "test", kind="fashion")
    message = str(info.value)
    assert "t10k-images-idx3-ubyte" in message
    assert "apt-get install dataset-fashion-mnist" in message
    assert "dpkg -L dataset-fashion-mnist" in message


def test_mnist_without_root_asks_for_one():
    with pytest.raises(DatasetError, match="no data folder"):
        mnist(None, "train", kind="mnist")


def test_mnist_bad_kind_and_mismatched_files(fake_mnist):
    root, _ = fake_mnist
    with pytest.raises(DatasetError, match="'mnist', 'fashion'"):
        mnist(root, kind="kmnist")
    write_idx(root / "train-labels-idx1-ubyte", np.zeros(4, np.uint8))
    with pytest.raises(DatasetError, match="do not match"):
        mnist(root, "train")


def test_find_fashion_mnist(tmp_path):
    def fill(folder):
        folder.mkdir(parents=True)
        for name in MNIST_FILES:
            (folder / f"{name}.gz").touch()
        return folder

    assert find_fashion_mnist(tmp_path) is None
    fill(tmp_path / "share" / "mnist")  # all four files, but not in a fashion folder
    assert find_fashion_mnist(tmp_path / "share") is None
    nested = fill(tmp_path / "share" / "somewhere" / "Fashion-data")
    assert find_fashion_mnist(tmp_path / "share") == nested
    usual = fill(tmp_path / "share" / "datasets" / "fashion-mnist")
    assert find_fashion_mnist(tmp_path / "share") == usual


REAL_FASHION = find_fashion_mnist()


@pytest.mark.skipif(
    REAL_FASHION is None,
    reason="Debian package dataset-fashion-mnist is not installed "
    "(apt-get install dataset-fashion-mnist)",
)
@pytest.mark.parametrize(
    "split, n, first",
    [
        ("train", 60_000, [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]),
        ("test", 10_000, [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]),
    ],
)
def test_real_fashion_mnist(split, n, first):
    X, y = load_dataset("fashion-mnist", split)  # root=None finds Debian's copy
    assert X.shape == (n, 784) and X.dtype == np.float32
    assert 0.0 <= X.min() and X.max() == 1.0
    assert np.bincount(y).tolist() == [n // 10] * 10  # Fashion-MNIST is balanced
    assert y[:10].tolist() == first


# --- DataLoader -------------------------------------------------------------


def epoch(loader):
    """Concatenate one epoch's batches back into (xs, ys, batch sizes)."""
    batches = list(loader)
    xs = np.concatenate([xb for xb, _ in batches]) if batches else np.array([], int)
    ys = np.concatenate([yb for _, yb in batches]) if batches else np.array([], int)
    return xs, ys, [len(xb) for xb, _ in batches]


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 40),
    batch_size=st.integers(1, 50),
    shuffle=st.booleans(),
    drop_last=st.booleans(),
)
def test_loader_covers_each_sample_once(n, batch_size, shuffle, drop_last):
    X, y = np.arange(n), 10 * np.arange(n)
    loader = DataLoader(X, y, batch_size, shuffle=shuffle, seed=0, drop_last=drop_last)
    xs, ys, sizes = epoch(loader)
    assert len(sizes) == len(loader)
    np.testing.assert_array_equal(ys, 10 * xs)  # pairs stay together
    if drop_last:
        assert sizes == [batch_size] * (n // batch_size)
        assert len(np.unique(xs)) == len(xs) == n - n % batch_size
    else:
        assert sorted(xs.tolist()) == list(range(n))
        assert all(size == batch_size for size in sizes[:-1])
        assert sum(sizes) == n
    if not shuffle:
        np.testing.assert_array_equal(xs, np.arange(len(xs)))


def test_loader_batch_sizes_and_len():
    X, y = np.zeros((23, 4)), np.zeros(23)
    assert [len(xb) for xb, _ in DataLoader(X, y, 5)] == [5, 5, 5, 5, 3]
    assert len(DataLoader(X, y, 5)) == 5
    assert len(DataLoader(X, y, 5, drop_last=True)) == 4
    assert len(DataLoader(X, y, 30, drop_last=True)) == 0
    xb, yb = next(iter(DataLoader(X, y, 5)))
    assert xb.shape == (5, 4) and yb.shape == (5,)


def test_loader_is_deterministic_given_a_seed():
    X = np.arange(100)
    a, b = DataLoader(X, X, 7, seed=42), DataLoader(X, X, 7, seed=42)
    for _ in range(3):
        np.testing.assert_array_equal(epoch(a)[0], epoch(b)[0])
    other = DataLoader(X, X, 7, seed=43)
    assert not np.array_equal(epoch(DataLoader(X, X, 7, seed=42))[0], epoch(other)[0])


def test_loader_reshuffles_every_epoch():
    loader = DataLoader(np.arange(100), np.arange(100), 10, seed=0)
    first, second = epoch(loader)[0], epoch(loader)[0]
    assert sorted(first) == sorted(second)
    assert not np.array_equal(first, second)


def test_loader_rejects_bad_arguments():
    with pytest.raises(DatasetError, match="10 samples but y has 9"):
        DataLoader(np.zeros(10), np.zeros(9), 2)
    with pytest.raises(DatasetError, match="batch_size must be an integer ≥ 1"):
        DataLoader(np.zeros(10), np.zeros(10), 0)
