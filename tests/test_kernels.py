"""Tests of the GPU kernel layer: kernels/*.cu, tinygrad_ko.backend.kernels and its references.

Without a GPU this still checks that every source compiles (nvcc, sm_80 and sm_90), that the
Python wrappers launch kernels that exist with arguments of the declared C types, that the
NumPy references agree with the same math written another way, and that the NumPy Philox
matches Random123's known answers. Tests marked gpu compare each kernel with its reference
and need CuPy and a CUDA device.
"""
from __future__ import annotations

import math
import re
import shutil
import statistics
import subprocess
import sys
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_ko.backend import kernel_reference as ref
from tinygrad_ko.backend import kernels as K
from tinygrad_ko.backend import philox

from gpu import needs_gpu

DTYPES = [np.float32, np.float64]

# --- the sources --------------------------------------------------------------------------

_DECLARATION = re.compile(r'extern "C" __global__ void (\w+)\(([^)]*)\)')


def declared_kernels(file: str) -> dict[str, list[str]]:
    """{kernel name: [C type of each parameter]} of the extern "C" kernels in kernels/<file>."""
    return {
        name: [" ".join(p.split()).rsplit(" ", 1)[0] for p in params.split(",")]
        for name, params in _DECLARATION.findall(K.kernel_source(file))
    }


def test_registry_lists_exactly_the_kernels_in_the_sources():
    assert sorted(p.name for p in K.kernel_dir().glob("*.cu")) == sorted(K.KERNELS)
    for file, names in K.KERNELS.items():
        assert sorted(declared_kernels(file)) == sorted(names), file


def test_sources_use_only_what_nvrtc_provides():
    # CuPy compiles with NVRTC, which has no C/C++ standard headers: no <...> includes and
    # no macros from <math.h> such as INFINITY, NAN or M_PI.
    for file in K.KERNELS:
        text = K.kernel_source(file)
        assert "#include" not in text, f"{file}: an include was not pasted in"
        for macro in ("INFINITY", "NAN", "M_PI", "HUGE_VAL"):
            assert not re.search(rf"\b{macro}\b", text), f"{file} uses {macro}"


@pytest.mark.skipif(shutil.which("nvcc") is None, reason="nvcc not found on PATH")
@pytest.mark.parametrize("file", sorted(K.KERNELS))
def test_source_compiles_for_sm80_and_sm90(file, tmp_path):
    # The source exactly as CuPy gets it (headers pasted in), warnings treated as errors.
    source = tmp_path / file
    source.write_text(K.kernel_source(file))
    arches = [f"-gencode=arch=compute_{a},code=sm_{a}" for a in (80, 90)]
    result = subprocess.run(
        ["nvcc", "-std=c++17", "-Werror", "all-warnings", *arches, "-fatbin", "-o", str(tmp_path / "out.fatbin"), str(source)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr


# --- the Python wrappers, without a GPU -----------------------------------------------------

def test_import_needs_no_cupy_and_calls_say_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)  # makes `import cupy` fail
    with pytest.raises(ImportError, match=r"pip install cupy-cuda13x"):
        K.sum_rows(np.zeros((3, 2), np.float32))


def test_unknown_kernel_name_is_a_key_error():
    with pytest.raises(KeyError, match="sum_rows_f16"):
        K.get_kernel("reduce.cu", "sum_rows_f16")


def test_grid_covers_n_within_limits():
    assert K._grid(0) == (1,) and K._grid(1) == (1,) and K._grid(257) == (2,)
    assert K._grid(10**12) == (K.MAX_GRID,)


# C type of a kernel parameter -> the NumPy type the wrapper must pass (scalar or array dtype).
_ARGUMENT_TYPES = {
    "float": np.float32, "double": np.float64, "long long": np.int64, "unsigned long long": np.uint64,
    "float*": np.float32, "double*": np.float64, "long long*": np.int64, "unsigned int*": np.uint32,
}


class RecordingCupy(types.ModuleType):
    """Stands in for cupy: NumPy arrays, and kernels that check and record their launches."""

    ndarray = np.ndarray
    asarray = staticmethod(np.asarray)
    empty = staticmethod(np.empty)
    empty_like = staticmethod(np.empty_like)

    def __init__(self):
        super().__init__("cupy")
        self.launched = set()
        self.cuda = types.SimpleNamespace(runtime=types.SimpleNamespace(getDevice=lambda: 0))
        self.RawModule = self._raw_module

    def _raw_module(self, code, options):
        assert options == ("-std=c++17",)
        declarations = {
            name: [" ".join(p.split()).rsplit(" ", 1)[0] for p in params.split(",")]
            for name, params in _DECLARATION.findall(code)
        }
        return types.SimpleNamespace(get_function=lambda name: self._kernel(name, declarations[name]))

    def _kernel(self, name, c_types):
        def launch(grid, block, args):
            assert all(isinstance(d, int) and d >= 1 for d in grid + block), (name, grid, block)
            threads = math.prod(block)
            assert threads <= 1024 and threads % 32 == 0, (name, block)
            assert len(args) == len(c_types), f"{name}: {len(args)} arguments for {len(c_types)} parameters"
            for i, (arg, c_type) in enumerate(zip(args, c_types)):
                expected = _ARGUMENT_TYPES[c_type.removeprefix("const ")]
                if c_type.endswith("*"):
                    ok = isinstance(arg, np.ndarray) and arg.dtype == expected and arg.flags.c_contiguous
                else:
                    ok = type(arg) is expected
                assert ok, f"{name} argument {i}: {type(arg).__name__} {getattr(arg, 'dtype', '')} for {c_type}"
            self.launched.add(name)
        return launch


@pytest.fixture
def recording_cupy(monkeypatch):
    fake = RecordingCupy()
    monkeypatch.setitem(sys.modules, "cupy", fake)
    K._module.cache_clear()
    K._function.cache_clear()
    yield fake
    K._module.cache_clear()
    K._function.cache_clear()


def test_wrappers_launch_declared_kernels_with_the_declared_argument_types(recording_cupy):
    for dtype in DTYPES:
        x = np.ones((3, 40), dtype)
        K.sum_rows(x)
        K.mean_std(x)
        K.sgd_momentum_update(x.copy(), x.copy(), x, lr=0.1, momentum=0.9, weight_decay=0.0)
        K.adam_update(x.copy(), x.copy(), x.copy(), x, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8, step=1)
        K.goup_update(x.copy(), x, alpha=0.1, k=0.1, s=1.0, std=1.0, seed=1, offset=2)
        K.normal(5, seed=1, offset=2, dtype=dtype)
    K.random_uint32(5, seed=1, offset=2)
    assert recording_cupy.launched == {name for names in K.KERNELS.values() for name in names}


def test_wrappers_reject_bad_inputs(recording_cupy):
    with pytest.raises(TypeError, match="float32 or float64"):
        K.sum_rows(np.ones((2, 3), np.int32))
    with pytest.raises(ValueError, match="in place"):
        K.sgd_momentum_update(np.ones(4)[::2], np.ones(2), np.ones(2), lr=1, momentum=0, weight_decay=0)
    with pytest.raises(ValueError, match="steps count from 1"):
        K.adam_update(*(np.ones(2) for _ in range(4)), lr=1, beta1=0.9, beta2=0.9, eps=1e-8, step=0)


# --- Philox4x32-10 and the normals -----------------------------------------------------------

# Random123 tests/kat_vectors, "philox4x32 10": counter, key, expected output.
KNOWN_ANSWERS = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


@pytest.mark.parametrize("counter, key, expected", KNOWN_ANSWERS)
def test_philox_known_answers(counter, key, expected):
    assert philox.philox4x32_10(np.array(counter, np.uint32), key).tolist() == list(expected)


def philox_one_block(counter, key):
    """Philox4x32-10 on Python ints, one block at a time: the textbook loop."""
    c0, c1, c2, c3 = counter
    k0, k1 = key
    for round_ in range(10):
        if round_:
            k0, k1 = (k0 + 0x9E3779B9) % 2**32, (k1 + 0xBB67AE85) % 2**32
        p0, p1 = 0xD2511F53 * c0, 0xCD9E8D57 * c2
        c0, c1, c2, c3 = (p1 >> 32) ^ c1 ^ k0, p1 % 2**32, (p0 >> 32) ^ c3 ^ k1, p0 % 2**32
    return [c0, c1, c2, c3]


words = st.integers(0, 2**32 - 1)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(words, words, words, words), min_size=1, max_size=5), st.tuples(words, words))
def test_vectorised_philox_equals_one_block_at_a_time(counters, key):
    got = philox.philox4x32_10(np.array(counters, np.uint32), key)
    assert got.tolist() == [philox_one_block(c, key) for c in counters]


def test_element_i_takes_word_i_mod_4_of_block_i_div_4():
    seed, offset = 2**40 + 3, 2**33 + 7
    key = (seed % 2**32, seed >> 32)
    draw = philox.random_uint32(11, seed, offset)
    for i in range(11):
        counter = (i // 4, 0, offset % 2**32, offset >> 32)
        assert draw[i] == philox_one_block(counter, key)[i % 4]
    assert np.array_equal(philox.random_uint32(5, seed, offset), draw[:5])  # n need not be a multiple of 4
    assert not np.array_equal(philox.random_uint32(11, seed, offset + 1), draw)
    assert not np.array_equal(philox.random_uint32(11, seed + 2**32, offset), draw)  # the key's high word counts


def test_uniforms_are_exact_float32_strictly_inside_0_1():
    w = np.array([0, 511, 512, 2**31, 2**32 - 1], np.uint32)
    u = philox.uniform_open(w)
    assert u[0] == u[1] == 2.0**-24 and u[2] == 3 * 2.0**-24 and u[-1] == 1 - 2.0**-24
    assert np.array_equal(u.astype(np.float32).astype(np.float64), u)


def test_box_muller_pairs_words_0_1_and_2_3():
    w = philox.random_uint32(4, seed=5, offset=6).astype(np.uint32)
    u = philox.uniform_open(w)
    r01, r23 = math.sqrt(-2 * math.log(u[0])), math.sqrt(-2 * math.log(u[2]))
    expected = [r01 * math.cos(2 * math.pi * u[1]), r01 * math.sin(2 * math.pi * u[1]),
                r23 * math.cos(2 * math.pi * u[3]), r23 * math.sin(2 * math.pi * u[3])]
    np.testing.assert_allclose(philox.normal(4, seed=5, offset=6, dtype=np.float64), expected, rtol=1e-15)


def test_normals_look_standard_normal():
    n = 100_000
    x = philox.normal(n, seed=1234, offset=0, dtype=np.float64)
    assert abs(x.mean()) < 4 / math.sqrt(n)
    assert abs(x.std() - 1) < 0.01
    # Kolmogorov-Smirnov: largest gap between the sample CDF and Phi; 1.63 / sqrt(n) is the 1% level.
    phi = 0.5 * (1 + np.frompyfunc(math.erf, 1, 1)(np.sort(x) / math.sqrt(2)).astype(np.float64))
    ks = np.max(np.maximum(np.arange(1, n + 1) / n - phi, phi - np.arange(n) / n))
    assert ks < 1.63 / math.sqrt(n)
    # The two normals of a pair, and neighbouring pairs, are uncorrelated.
    assert abs(np.corrcoef(x[0::2], x[1::2])[0, 1]) < 4 / math.sqrt(n / 2)
    assert abs(np.corrcoef(x[0::4], x[2::4])[0, 1]) < 4 / math.sqrt(n / 4)
    assert np.abs(x).max() <= math.sqrt(48 * math.log(2))


# --- the NumPy references against the same math written another way ------------------------

def test_reduction_references():
    rng = np.random.default_rng(2)
    a = rng.normal(size=(7, 3))
    np.testing.assert_allclose(ref.sum_rows(a), np.ones(7) @ a, rtol=1e-14)
    x = 1e8 + rng.normal(size=1000)  # large mean, small spread
    mean, std = ref.mean_std(x)
    assert mean == pytest.approx(statistics.fmean(x.tolist()), rel=1e-15)
    assert std == pytest.approx(statistics.pstdev(x.tolist()), rel=1e-9)
    mean, std = ref.mean_std(np.arange(4, dtype=np.float32))
    assert mean == 1.5 and std == pytest.approx(math.sqrt(1.25), rel=1e-7)


def test_sgd_momentum_reference_matches_a_hand_loop():
    theta, velocity, g = np.array([1.0, -2.0]), np.array([0.5, 0.0]), np.array([0.3, 0.1])
    expected = []
    for t0, v0, g0 in zip(theta.tolist(), velocity.tolist(), g.tolist()):
        for _ in range(3):
            v0 = 0.9 * v0 + (g0 + 0.01 * t0)
            t0 = t0 - 0.1 * v0
        expected.append(t0)
    for _ in range(3):
        ref.sgd_momentum_update(theta, velocity, g, lr=0.1, momentum=0.9, weight_decay=0.01)
    np.testing.assert_allclose(theta, expected, rtol=1e-15)


def test_adam_reference_matches_a_hand_loop_of_three_steps():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    theta, g = np.array([1.0, -2.0, 0.5]), np.array([0.3, -0.1, 2.0])
    m, v = np.zeros(3), np.zeros(3)
    expected = []
    for t0, g0 in zip(theta.tolist(), g.tolist()):
        m0 = v0 = 0.0
        for t in (1, 2, 3):
            m0 = b1 * m0 + (1 - b1) * g0
            v0 = b2 * v0 + (1 - b2) * g0 * g0
            t0 -= lr * (m0 / (1 - b1**t)) / (math.sqrt(v0 / (1 - b2**t)) + eps)
        expected.append(t0)
    for step in (1, 2, 3):
        ref.adam_update(theta, m, v, g, lr=lr, beta1=b1, beta2=b2, eps=eps, step=step)
    np.testing.assert_allclose(theta, expected, rtol=1e-14)
    # The first bias-corrected step moves every parameter by about lr, whatever the size of g.
    theta = np.zeros(3)
    ref.adam_update(theta, np.zeros(3), np.zeros(3), g, lr=lr, beta1=b1, beta2=b2, eps=eps, step=1)
    np.testing.assert_allclose(theta, -lr * np.sign(g), rtol=1e-6)


def test_goup_reference():
    rng = np.random.default_rng(3)
    theta, g = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    std = ref.mean_std(theta - g)[1]
    eps = philox.normal(15, seed=9, offset=4, dtype=np.float64).reshape(3, 5)
    alpha, s = 0.1, 0.5
    # With k = alpha: (1 - alpha) theta + alpha (theta - g + s std eps) = theta - alpha g + alpha s std eps.
    updated = theta.copy()
    ref.goup_update(updated, g, alpha=alpha, k=alpha, s=s, std=std, seed=9, offset=4)
    np.testing.assert_allclose(updated, theta - alpha * g + alpha * s * std * eps, rtol=1e-13, atol=1e-15)
    # Without noise and k != alpha: theta decays at rate k and takes alpha of theta - g
    # (the same definition as tinygrad_ko.optim.GOUP).
    updated = theta.copy()
    ref.goup_update(updated, g, alpha=0.7, k=0.2, s=0.0, std=std, seed=9, offset=4)
    np.testing.assert_allclose(updated, 0.8 * theta + 0.7 * (theta - g), rtol=1e-14)
    # A new offset draws new noise.
    a, b = theta.copy(), theta.copy()
    ref.goup_update(a, g, alpha=alpha, k=alpha, s=s, std=std, seed=9, offset=4)
    ref.goup_update(b, g, alpha=alpha, k=alpha, s=s, std=std, seed=9, offset=5)
    assert not np.allclose(a, b)


# --- each kernel on the GPU against its reference ---------------------------------------------

@pytest.fixture
def cp():
    import cupy

    return cupy


def assert_matches(got, expected, dtype):
    """A float32 kernel against the float64 reference: float32 accuracy; float64: a few ulps."""
    import cupy

    got = cupy.asnumpy(got) if isinstance(got, cupy.ndarray) else np.asarray(got)
    tolerance = dict(rtol=1e-5, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(got, expected, equal_nan=True, **tolerance)


@needs_gpu
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1, 1), (1, 100), (1000, 1), (257, 33), (4096, 700), (5, 3_000_000)])
def test_gpu_sum_rows(cp, shape, dtype):
    a = np.random.default_rng(12).normal(size=shape).astype(dtype)
    expected = a.astype(np.float64).sum(axis=0)
    scale = np.sqrt(shape[0])  # the rounding error of a float32 sum grows with the number of rows
    got = cp.asnumpy(K.sum_rows(cp.asarray(a)))
    np.testing.assert_allclose(got, expected, atol=(1e-5 if dtype == np.float32 else 1e-12) * scale)


@needs_gpu
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [1, 1000, 1025, 3_000_001])
def test_gpu_mean_std(cp, n, dtype):
    x = (1e3 + np.random.default_rng(13).normal(size=n)).astype(dtype)
    assert_matches(np.array(K.mean_std(cp.asarray(x))), np.array(ref.mean_std(x)), dtype)


@needs_gpu
@pytest.mark.parametrize("dtype", DTYPES)
def test_gpu_optimizers(cp, dtype):
    rng = np.random.default_rng(14)
    n = 100_003
    theta, g, velocity, m = (rng.normal(size=n).astype(dtype) for _ in range(4))
    v = rng.random(n).astype(dtype)
    gpu_buffers = [cp.asarray(a) for a in (theta, velocity, g)]
    cpu_buffers = [a.copy() for a in (theta, velocity, g)]
    for _ in range(3):
        K.sgd_momentum_update(*gpu_buffers, lr=0.1, momentum=0.9, weight_decay=0.01)
        ref.sgd_momentum_update(*cpu_buffers, lr=0.1, momentum=0.9, weight_decay=0.01)
    for got, expected in zip(gpu_buffers, cpu_buffers):
        assert_matches(got, expected, dtype)

    gpu_buffers = [cp.asarray(a) for a in (theta, m, v)]
    cpu_buffers = [a.copy() for a in (theta, m, v)]
    for step in (1, 2, 3):
        K.adam_update(*gpu_buffers, cp.asarray(g), lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8, step=step)
        ref.adam_update(*cpu_buffers, g, lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8, step=step)
    for got, expected in zip(gpu_buffers, cpu_buffers):
        assert_matches(got, expected, dtype)


@needs_gpu
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [1, 7, 100_003])
def test_gpu_goup_draws_the_reference_noise(cp, n, dtype):
    rng = np.random.default_rng(15)
    theta, g = rng.normal(size=n).astype(dtype), rng.normal(size=n).astype(dtype)
    std = K.mean_std(cp.asarray(theta - g))[1]
    assert std == pytest.approx(ref.mean_std(theta - g)[1], rel=1e-5)
    on_gpu, on_cpu = cp.asarray(theta), theta.copy()
    for offset in (0, 1):
        K.goup_update(on_gpu, cp.asarray(g), alpha=0.1, k=0.05, s=0.5, std=std, seed=2**40 + 1, offset=offset)
        ref.goup_update(on_cpu, g, alpha=0.1, k=0.05, s=0.5, std=std, seed=2**40 + 1, offset=offset)
    assert_matches(on_gpu, on_cpu, dtype)


@needs_gpu
@pytest.mark.parametrize("n", [1, 5, 1_000_003])
def test_gpu_philox_is_bit_exact_and_normals_match(cp, n):
    seed, offset = 2**63 + 11, 2**32 + 3
    np.testing.assert_array_equal(cp.asnumpy(K.random_uint32(n, seed, offset)), ref.random_uint32(n, seed, offset))
    for dtype in DTYPES:
        assert_matches(K.normal(n, seed, offset, dtype), ref.normal(n, seed, offset, np.float64), dtype)
