"""The fused CUDA kernels (kernels/*.cu) against the device's copy bandwidth and plain CuPy.

    python benchmarks/bench_kernels.py              # n = 2^26 float32; writes the "kernels" section of RESULTS.md
    python benchmarks/bench_kernels.py --size 2^24  # another size (also written to RESULTS.md)
    python benchmarks/bench_kernels.py --quick      # n = 2^20, few repeats; RESULTS.md left unchanged

(--quick is a smoke run: its 4 MiB arrays fit in the GPU's L2 cache, so its bandwidths are
not the memory's.)

It needs CuPy and a CUDA device. Without them it prints one line saying which is missing and
exits with status 0, leaving RESULTS.md alone (this is what CI sees).

Every kernel here does a few arithmetic operations per element it reads or writes, so its
time is the time it takes to move its bytes. For n elements this measures:

1. The device's copy bandwidth: a device-to-device copy of n float32 (cudaMemcpy), counted
   as (bytes read + bytes written) / time. This is the realistic ceiling for the kernels.
2. For every wrapper in tinygrad_ko.backend.kernels (sum_rows on (n // 1024, 1024),
   mean_std, the SGD-momentum, Adam and GO-UP updates, and the Philox normals):
   - its time and its achieved bandwidth = (the least bytes it must move) / time, where the
     least bytes count every input read once and every output written once (least_bytes
     below), as a fraction of the copy bandwidth; the target is at least 70 %;
   - the same computation written as plain CuPy array expressions, one operation at a time
     (the "unfused" path the kernel replaces; for the optimizers, their own non-kernel
     code), its time, and the speed-up = plain time / fused time;
   - a verdict: "kernel pays" when the speed-up is at least 1.10, else "keep plain CuPy"
     (issue 7: where a kernel does not pay for itself, keep the simpler path).

Before anything is timed, each kernel's output is checked against the plain CuPy result
(allclose). A kernel that disagrees is not timed: its row says so instead, and the script
exits with status 1.

Timing: CUDA events around each call, after warm-up calls (the first call compiles the
kernel); the median of the timed calls.

The same pipeline runs on the CPU with the NumPy twins (tinygrad_ko/backend/kernel_reference.py)
in place of the kernels (numpy_platform below): that is how tests/test_benchmarks.py checks
the plain paths, the checks and the table of this script on machines without a GPU.
"""

from __future__ import annotations

import common  # first: pins BLAS/OpenMP to one thread before NumPy loads

import argparse
import functools
import math
import pathlib
import statistics
import sys
import time
from dataclasses import dataclass
from types import ModuleType
from typing import Callable

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tinygrad_ko.backend import kernel_reference, philox  # noqa: E402
from tinygrad_ko.tools.progress import progress_bar  # noqa: E402

DEFAULT_SIZE = 1 << 26   # float32 elements: 256 MiB per array, far larger than any cache
QUICK_SIZE = 1 << 20
BIAS_COLUMNS = 1024      # sum_rows reduces (n // BIAS_COLUMNS, BIAS_COLUMNS) to (BIAS_COLUMNS,)
DTYPE = np.float32
ITEMSIZE = np.dtype(DTYPE).itemsize

TARGET_FRACTION_OF_COPY = 0.70
PAYS_FROM = 1.10         # a kernel is worth its code from this speed-up (plain time / fused time) on

SGD = dict(lr=0.01, momentum=0.9, weight_decay=1e-4)
ADAM = dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, step=10)
GOUP = dict(alpha=0.01, k=0.01, s=1.0)
GIVEN_STD = 1.5          # the spread std(θ − g) handed to the GO-UP update when it is timed alone
NOISE_SEED, NOISE_OFFSET = 7, 0


# ----------------------------------------------------------------- bytes and verdicts
# How many whole arrays of n elements each elementwise kernel must read or write at least
# once (an array updated in place counts twice: read and written).
ELEMENTWISE_PASSES = {
    "copy": 2,                  # reads x; writes the copy
    "sgd_momentum_update": 5,   # reads θ, v, g; writes θ, v
    "adam_update": 7,           # reads θ, m, v, g; writes θ, m, v
    "goup_update": 3,           # reads θ, g; writes θ (ε is made inside the thread, std is given)
    "goup_step": 5,             # std(θ − g) reads θ, g; then the update reads θ, g and writes θ
    "normal": 1,                # writes the normals
}

# What the least bytes of each kernel count, for the table.
TRAFFIC_COUNTED = {
    "copy": "reads x; writes the copy",
    "sum_rows": "reads a; writes one sum per column",
    "mean_std": "reads x; writes mean, std",
    "sgd_momentum_update": "reads θ, v, g; writes θ, v",
    "adam_update": "reads θ, m, v, g; writes θ, m, v",
    "goup_update": "reads θ, g; writes θ",
    "goup_step": "std(θ − g) reads θ, g; update reads θ, g, writes θ",
    "normal": "writes n normals",
}


def least_bytes(kernel: str, shape: tuple[int, ...], itemsize: int = ITEMSIZE) -> int:
    """The bytes `kernel` cannot avoid moving on an input of `shape`: each input read once,
    each output written once.

    Elementwise kernels on n elements move ELEMENTWISE_PASSES[kernel] · n · itemsize bytes.
    The others, on (rows, columns) inputs, or (n,) for mean_std:
        sum_rows               a + one sum per column       = rows·columns·s + columns·s
        mean_std               x + mean, std                = n·s + 2·s
    """
    n = math.prod(shape)
    if kernel in ELEMENTWISE_PASSES:
        return ELEMENTWISE_PASSES[kernel] * n * itemsize
    if kernel == "mean_std":
        return n * itemsize + 2 * itemsize
    rows, columns = shape
    if kernel == "sum_rows":
        return rows * columns * itemsize + columns * itemsize
    raise KeyError(f"no byte count for {kernel!r}; known: {sorted(TRAFFIC_COUNTED)}")


def speed_up(fused_seconds: float, plain_seconds: float) -> float:
    """How many times faster the kernel is than the plain path: plain time / fused time."""
    return plain_seconds / fused_seconds


def verdict(fused_seconds: float, plain_seconds: float) -> str:
    """"kernel pays" when the kernel is at least PAYS_FROM times faster than plain CuPy;
    otherwise "keep plain CuPy": a kernel that wins by less does not pay for its code."""
    return "kernel pays" if speed_up(fused_seconds, plain_seconds) >= PAYS_FROM else "keep plain CuPy"


def copy_fraction_text(fraction: float) -> str:
    """A bandwidth as a percentage of the copy's, marked when it misses the target."""
    text = f"{100 * fraction:.0f} %"
    if fraction < TARGET_FRACTION_OF_COPY:
        text += f" (below {100 * TARGET_FRACTION_OF_COPY:.0f} %)"
    return text


def shape_text(shape: tuple[int, ...]) -> str:
    return " × ".join(f"{size:,}" for size in shape)


def bytes_text(count: int) -> str:
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= size:
            return f"{count / size:,.1f} {unit}"
    return f"{count} B"


def element_count(text: str) -> int:
    """A --size value: a whole number, or a power of two written 2^k."""
    base, caret, exponent = text.partition("^")
    try:
        count = int(base) ** int(exponent) if caret else int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--size takes a number of elements such as 67108864 or 2^26, not {text!r}")
    if count < BIAS_COLUMNS:
        raise argparse.ArgumentTypeError(f"--size must be at least {BIAS_COLUMNS} elements, got {count}")
    return count


# ---------------------------------------------- the plain paths, one array operation at a time
# Written for any array module xp (cupy on the GPU, numpy in the tests), so the tests can
# check them against the NumPy twins. The optimizer updates are in place, as the kernels are.

def plain_mean_std(xp, x) -> tuple[float, float]:
    return float(x.mean()), float(x.std())


def plain_sgd_momentum(xp, theta, velocity, g, *, lr, momentum, weight_decay) -> None:
    """optim.SGD without its kernel: d = g + wd·θ; v ← momentum·v + d; θ ← θ − lr·v."""
    d = g + weight_decay * theta
    velocity *= momentum
    velocity += d
    theta -= lr * velocity


def plain_adam(xp, theta, m, v, g, *, lr, beta1, beta2, eps, step) -> None:
    """optim.Adam without its kernel, at step t = step."""
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g * g
    m_hat = m / (1 - beta1**step)
    v_hat = v / (1 - beta2**step)
    theta -= lr * m_hat / (xp.sqrt(v_hat) + eps)


def plain_goup_update(xp, theta, g, noise, *, alpha, k, s, std) -> None:
    """optim.GOUP without its kernel, the spread std given:
    θ ← (1 − k)·θ + α·(θ − g + s·std·ε). `noise` (ε) is scaled in place."""
    target = theta - g
    noise *= s * std
    target += noise
    target *= alpha
    theta *= 1 - k
    theta += target


def plain_goup_step(xp, theta, g, noise, *, alpha, k, s) -> None:
    """The whole GO-UP step without kernels: the spread std(θ − g), then the update."""
    target = theta - g
    noise *= s * target.std()
    target += noise
    target *= alpha
    theta *= 1 - k
    theta += target


# ------------------------------------------------------------------------ inputs
# Made once on the host per (shape, seed) and copied to the platform for every use, so the
# fused and the plain path of a kernel get the very same numbers. Read-only: never updated.

def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@functools.lru_cache(maxsize=None)
def host_normals(shape: tuple[int, ...], seed: int) -> np.ndarray:
    return _read_only(np.random.default_rng(seed).standard_normal(shape, dtype=DTYPE))


@functools.lru_cache(maxsize=None)
def host_small_integers(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Whole numbers in [-8, 8] as float32: for the reductions. Every partial sum is a whole
    number far below 2^24, so float32 adds them exactly and any summation order gives the
    same sum: the kernel and plain CuPy must agree exactly."""
    return _read_only(np.random.default_rng(seed).integers(-8, 9, shape).astype(DTYPE))


@functools.lru_cache(maxsize=None)
def twin_normals(n: int, seed: int, offset: int) -> np.ndarray:
    """The Philox normals of (seed, offset) from the NumPy twin, philox.py."""
    return _read_only(philox.normal(n, seed, offset, dtype=DTYPE))


# ------------------------------------------------------------------------ platforms
@dataclass(frozen=True)
class Platform:
    """Where the benchmark runs: the GPU (CuPy and the CUDA kernels) or, for the tests, the
    CPU (NumPy and the kernels' NumPy twins)."""
    xp: ModuleType                                    # cupy or numpy
    kernels: ModuleType                               # tinygrad_ko.backend.kernels or kernel_reference
    seconds: Callable[[Callable[[], object]], float]  # the time of one call of run() (median)
    draw_normals: Callable[[int], object]             # n float32 normals from the library's generator
    copy: Callable[[object, object], None]            # copy(destination, source)

    def array(self, host: np.ndarray):
        """A fresh, writable copy of a host array on this platform."""
        return self.xp.array(host, copy=True)


def gpu_unavailable() -> str | None:
    """None when CuPy and a CUDA device are usable; otherwise why not, in a few words."""
    try:
        import cupy
    except ImportError:
        return "CuPy is not installed (pip install cupy-cuda13x)"
    except Exception as error:  # installed, but its CUDA libraries do not load
        return f"CuPy does not import ({error})"
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # a CUDA driver or runtime error, whatever CuPy calls it
        return f"no CUDA device ({error})"
    return None if count > 0 else "no CUDA device"


def cuda_platform(warmup: int, repeats: int) -> Platform:
    """CuPy and the CUDA kernels, timed with CUDA events on the current stream."""
    import cupy

    from tinygrad_ko.backend import kernels

    def seconds(run: Callable[[], object]) -> float:
        """Median of `repeats` calls, each between two events, after `warmup` calls."""
        for _ in range(warmup):
            run()
        cupy.cuda.Device().synchronize()
        start, stop = cupy.cuda.Event(), cupy.cuda.Event()
        samples = []
        for _ in range(repeats):
            start.record()
            run()
            stop.record()
            stop.synchronize()
            samples.append(cupy.cuda.get_elapsed_time(start, stop) / 1e3)  # milliseconds -> s
        return statistics.median(samples)

    def copy(destination, source) -> None:
        """Device-to-device cudaMemcpy on the current stream."""
        destination.data.copy_from_device_async(source.data, source.nbytes)

    return Platform(cupy, kernels, seconds, lambda n: cupy.random.standard_normal(n, dtype=DTYPE), copy)


def numpy_platform(repeats: int = 3) -> Platform:
    """NumPy and the kernels' NumPy twins, timed with perf_counter: the tests run the
    benchmark's checks and table on this, where no GPU is at hand."""
    generator = np.random.default_rng(0)

    def seconds(run: Callable[[], object]) -> float:
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            run()
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    return Platform(np, kernel_reference, seconds,
                    lambda n: generator.standard_normal(n, dtype=DTYPE), np.copyto)


def device_line() -> str:
    """The device, CuPy and CUDA versions, and the theoretical memory bandwidth where CUDA gives it."""
    import cupy

    properties = cupy.cuda.runtime.getDeviceProperties(cupy.cuda.runtime.getDevice())
    name = properties["name"]
    name = name.decode() if isinstance(name, bytes) else str(name)
    runtime, driver = cupy.cuda.runtime.runtimeGetVersion(), cupy.cuda.runtime.driverGetVersion()
    line = (f"{name}, CuPy {cupy.__version__}, CUDA runtime {runtime // 1000}.{runtime % 1000 // 10}, "
            f"driver {driver // 1000}.{driver % 1000 // 10}")
    clock_khz, bus_bits = properties.get("memoryClockRate"), properties.get("memoryBusWidth")
    if clock_khz and bus_bits:  # double data rate: two transfers per clock
        line += f" (memory clock × bus width × 2: {2 * clock_khz * 1e3 * bus_bits / 8 / 1e9:,.0f} GB/s)"
    return line


# ------------------------------------------------------------------------ the cases
@dataclass(frozen=True)
class Case:
    """One kernel wrapper, its inputs, its plain-CuPy counterpart and how it is checked."""
    name: str                                   # the table's row
    kernel: str                                 # the wrapper (or "goup_step"): key of least_bytes
    shape: tuple[int, ...]
    make_inputs: Callable[[Platform], dict]     # fresh input arrays, the same numbers every call
    fused: Callable[[Platform, dict], tuple]    # runs the kernel(s); returns the outputs
    plain: Callable[[Platform, dict], tuple]    # the same computation in plain array expressions
    plain_text: str                             # what the plain path runs, for the notes
    expected: Callable[[Platform, dict], tuple] | None = None  # what the kernel is checked against,
    checked_against: str = "plain CuPy"                         # when the plain path differs (noise)
    tolerance: tuple[float, float] = (1e-5, 1e-5)               # (rtol, atol) of the check


def reduction_cases(n: int, columns: int) -> list[Case]:
    rows = n // columns
    return [
        Case("sum_rows (bias gradient)", "sum_rows", (rows, columns),
             lambda p: {"a": p.array(host_small_integers((rows, columns), 5))},
             fused=lambda p, a: (p.kernels.sum_rows(a["a"]),),
             plain=lambda p, a: (a["a"].sum(axis=0),),
             plain_text="`a.sum(axis=0)` (sum_rows sums over the rows: (R, C) -> (C,))",
             tolerance=(1e-6, 1e-6)),
        Case("mean_std", "mean_std", (n,),
             lambda p: {"x": p.array(host_small_integers((n,), 6))},
             fused=lambda p, a: p.kernels.mean_std(a["x"]),
             plain=lambda p, a: plain_mean_std(p.xp, a["x"]),
             plain_text="`float(x.mean())`, `float(x.std())`",
             tolerance=(1e-4, 1e-6)),
    ]


def optimizer_cases(n: int) -> list[Case]:
    def sgd_inputs(p: Platform) -> dict:
        return {"theta": p.array(host_normals((n,), 0)), "velocity": 0.1 * p.array(host_normals((n,), 1)),
                "g": p.array(host_normals((n,), 2))}

    def adam_inputs(p: Platform) -> dict:
        return {"theta": p.array(host_normals((n,), 0)), "m": 0.1 * p.array(host_normals((n,), 1)),
                "v": 0.01 * p.array(host_normals((n,), 3)) ** 2, "g": p.array(host_normals((n,), 2))}

    def goup_inputs(p: Platform) -> dict:
        return {"theta": p.array(host_normals((n,), 0)), "g": p.array(host_normals((n,), 2))}

    def fused_sgd(p: Platform, a: dict) -> tuple:
        p.kernels.sgd_momentum_update(a["theta"], a["velocity"], a["g"], **SGD)
        return a["theta"], a["velocity"]

    def plain_sgd(p: Platform, a: dict) -> tuple:
        plain_sgd_momentum(p.xp, a["theta"], a["velocity"], a["g"], **SGD)
        return a["theta"], a["velocity"]

    def fused_adam(p: Platform, a: dict) -> tuple:
        p.kernels.adam_update(a["theta"], a["m"], a["v"], a["g"], **ADAM)
        return a["theta"], a["m"], a["v"]

    def plain_adam_step(p: Platform, a: dict) -> tuple:
        plain_adam(p.xp, a["theta"], a["m"], a["v"], a["g"], **ADAM)
        return a["theta"], a["m"], a["v"]

    def fused_goup_update(p: Platform, a: dict) -> tuple:
        p.kernels.goup_update(a["theta"], a["g"], std=GIVEN_STD, seed=NOISE_SEED, offset=NOISE_OFFSET, **GOUP)
        return (a["theta"],)

    def fused_goup_step(p: Platform, a: dict) -> tuple:
        """What optim.GOUP runs on the GPU: the spread by mean_std, then the update kernel."""
        _, spread = p.kernels.mean_std(a["theta"] - a["g"])
        p.kernels.goup_update(a["theta"], a["g"], std=spread, seed=NOISE_SEED, offset=NOISE_OFFSET, **GOUP)
        return (a["theta"],)

    # The plain GO-UP paths draw their noise from the library's generator when timed, and the
    # kernel's Philox noise (from the NumPy twin) when checked, so that the numbers can agree.
    def goup_update_with(noise):
        def run(p: Platform, a: dict) -> tuple:
            plain_goup_update(p.xp, a["theta"], a["g"], noise(p), std=GIVEN_STD, **GOUP)
            return (a["theta"],)
        return run

    def goup_step_with(noise):
        def run(p: Platform, a: dict) -> tuple:
            plain_goup_step(p.xp, a["theta"], a["g"], noise(p), **GOUP)
            return (a["theta"],)
        return run

    def library_noise(p: Platform):
        return p.draw_normals(n)

    def philox_noise(p: Platform):
        return p.array(twin_normals(n, NOISE_SEED, NOISE_OFFSET))

    same_noise = "plain CuPy with the kernel's Philox noise"
    return [
        Case("SGD momentum", "sgd_momentum_update", (n,), sgd_inputs,
             fused=fused_sgd, plain=plain_sgd,
             plain_text="optim.SGD's own update: `d = g + wd * θ`, `v *= μ`, `v += d`, `θ -= lr * v`"),
        Case("Adam", "adam_update", (n,), adam_inputs,
             fused=fused_adam, plain=plain_adam_step,
             plain_text="optim.Adam's own update: m and v in place, `θ -= lr * m̂ / (sqrt(v̂) + ε)`"),
        Case("GO-UP update (std given)", "goup_update", (n,), goup_inputs,
             fused=fused_goup_update, plain=goup_update_with(library_noise),
             expected=goup_update_with(philox_noise), checked_against=same_noise,
             plain_text="optim.GOUP's own update, std given: noise from `cupy.random.standard_normal`, "
                        "`target = θ - g + s * std * ε`, `θ = (1 - k) * θ + α * target`"),
        Case("GO-UP step (std, then update)", "goup_step", (n,), goup_inputs,
             fused=fused_goup_step, plain=goup_step_with(library_noise),
             expected=goup_step_with(philox_noise), checked_against=same_noise,
             plain_text="as the update, with `std = (θ - g).std()` first; the fused step is what "
                        "optim.GOUP runs: `mean_std(θ - g)` (which writes θ - g, then reads it twice), "
                        "then `goup_update`"),
    ]


def random_cases(n: int) -> list[Case]:
    return [
        Case("normal (Philox)", "normal", (n,), lambda p: {},
             fused=lambda p, a: (p.kernels.normal(n, NOISE_SEED, NOISE_OFFSET, DTYPE),),
             plain=lambda p, a: (p.draw_normals(n),),
             expected=lambda p, a: (p.array(twin_normals(n, NOISE_SEED, NOISE_OFFSET)),),
             checked_against="the NumPy twin philox.py",
             plain_text="`cupy.random.standard_normal(n, dtype=float32)` (cuRAND: other numbers, so "
                        "the kernel is checked against the NumPy twin of its generator instead)"),
    ]


def benchmark_cases(n: int, columns: int = BIAS_COLUMNS) -> list[Case]:
    return reduction_cases(n, columns) + optimizer_cases(n) + random_cases(n)


# ------------------------------------------------------------------ check and measure
def disagreement(xp, got: tuple, expected: tuple, rtol: float, atol: float) -> str | None:
    """None when every output is allclose to the expected one; otherwise what differs."""
    if len(got) != len(expected):
        return f"{len(got)} outputs, expected {len(expected)}"
    for index, (a, b) in enumerate(zip(got, expected)):
        a, b = xp.asarray(a), xp.asarray(b)
        if a.shape != b.shape:
            return f"output {index} has shape {a.shape}, expected {b.shape}"
        if not bool(xp.allclose(a, b, rtol=rtol, atol=atol)):
            gap = float(xp.max(xp.abs(a.astype(np.float64) - b.astype(np.float64))))
            return f"output {index}: largest gap {gap:.3g} (rtol {rtol:g}, atol {atol:g})"
    return None


@dataclass(frozen=True)
class Result:
    case: Case
    disagreement: str | None = None     # set when the check failed: then nothing was timed
    fused_seconds: float | None = None
    plain_seconds: float | None = None


def measure(case: Case, platform: Platform) -> Result:
    """Check the kernel against its expected outputs, then time it and its plain path."""
    got = case.fused(platform, case.make_inputs(platform))
    expected = (case.expected or case.plain)(platform, case.make_inputs(platform))
    problem = disagreement(platform.xp, got, expected, *case.tolerance)
    if problem is not None:
        return Result(case, disagreement=problem)
    fused_inputs = case.make_inputs(platform)
    fused_seconds = platform.seconds(lambda: case.fused(platform, fused_inputs))
    del fused_inputs
    plain_inputs = case.make_inputs(platform)
    plain_seconds = platform.seconds(lambda: case.plain(platform, plain_inputs))
    return Result(case, fused_seconds=fused_seconds, plain_seconds=plain_seconds)


def copy_bandwidth(platform: Platform, n: int) -> float:
    """GB/s of a copy of n float32: (read + written bytes) / time."""
    source = platform.array(host_normals((n,), 0))
    destination = platform.xp.empty_like(source)
    seconds = platform.seconds(lambda: platform.copy(destination, source))
    return least_bytes("copy", (n,)) / seconds / 1e9


# ------------------------------------------------------------------------ report
TABLE_HEADER = ["kernel", "shape", "least bytes: what is counted", "least bytes", "fused, ms", "GB/s",
                "of copy", "plain CuPy, ms", "speed-up (plain ÷ fused)", "verdict"]


def table_row(result: Result, copy_gbps: float) -> list[str]:
    case = result.case
    moved = least_bytes(case.kernel, case.shape)
    head = [case.name, shape_text(case.shape), TRAFFIC_COUNTED[case.kernel], bytes_text(moved)]
    if result.disagreement is not None:
        return head + ["—"] * 5 + [f"not reported: differs from {case.checked_against} ({result.disagreement})"]
    gbps = moved / result.fused_seconds / 1e9
    return head + [f"{result.fused_seconds * 1e3:.3g}", f"{gbps:,.0f}", copy_fraction_text(gbps / copy_gbps),
                   f"{result.plain_seconds * 1e3:.3g}",
                   f"{speed_up(result.fused_seconds, result.plain_seconds):.2f}×",
                   verdict(result.fused_seconds, result.plain_seconds)]


def report(results: list[Result], copy_gbps: float, n: int, command: str, device: str, timing: str) -> str:
    """The markdown section: header, table, the plain paths, and the verdicts in one line."""
    table = common.markdown_table(TABLE_HEADER, [table_row(result, copy_gbps) for result in results])
    plain_paths, seen = [], set()
    for result in results:
        if result.case.kernel not in seen:
            seen.add(result.case.kernel)
            plain_paths.append(f"- `{result.case.kernel}`: {result.case.plain_text}")
    plain_paths = "\n".join(plain_paths)
    timed = [r for r in results if r.disagreement is None]
    pays = [r.case.name for r in timed if verdict(r.fused_seconds, r.plain_seconds) == "kernel pays"]
    keep = [r.case.name for r in timed if verdict(r.fused_seconds, r.plain_seconds) != "kernel pays"]
    refused = [r.case.name for r in results if r.disagreement is not None]
    checked = ("Every kernel's output was first checked against plain CuPy (allclose; the GO-UP rows "
               "with the kernel's own Philox noise, the normals against the NumPy twin philox.py)")
    checked += (": all agree." if not refused else
                f"; these disagree and are not reported: {', '.join(refused)}.")
    return f"""## GPU kernels: fused CUDA kernels against the copy bandwidth and plain CuPy

`{command}` — {device}.
n = {n:,} float32 elements ({bytes_text(n * ITEMSIZE)} per array). {timing}

Copy bandwidth (device-to-device `cudaMemcpy` of n float32, read + written bytes / time): **{copy_gbps:,.0f} GB/s**.
{checked}

{table}

- **least bytes**: what the kernel cannot avoid moving, every input read once and every output
  written once (`least_bytes` in the script); **GB/s** = least bytes / fused time, so a kernel that
  reads an array twice shows less than the traffic it really makes. **of copy**: GB/s ÷ the copy's;
  the target is at least {100 * TARGET_FRACTION_OF_COPY:.0f} %.
- **speed-up** = plain CuPy time ÷ fused time. **verdict**: "kernel pays" from {PAYS_FROM:.2f}× on,
  otherwise "keep plain CuPy" (issue 7: where a kernel does not pay for itself, keep the simpler path).

Kernels that pay: {', '.join(pays) or 'none'}.
Keep plain CuPy: {', '.join(keep) or 'none'}.

What each plain CuPy path runs, one array operation at a time (float32 throughout):

{plain_paths}
"""


# ------------------------------------------------------------------------ main
def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"n = 2^{QUICK_SIZE.bit_length() - 1}, few repeats, for a smoke test; "
                             "RESULTS.md is left unchanged")
    parser.add_argument("--size", type=element_count, default=None,
                        help=f"float32 elements per array (e.g. 2^24); default 2^{DEFAULT_SIZE.bit_length() - 1}")
    parser.add_argument("--repeats", type=int, default=None, help="timed calls per measurement (default 20; quick 5)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed calls before timing (default 3)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    reason = gpu_unavailable()
    if reason is not None:
        print(f"bench_kernels: not run, {reason}; benchmarks/RESULTS.md left unchanged")
        return 0

    n = args.size or (QUICK_SIZE if args.quick else DEFAULT_SIZE)
    repeats = args.repeats or (5 if args.quick else 20)
    platform = cuda_platform(args.warmup, repeats)
    device = device_line()
    command = " ".join(["python benchmarks/bench_kernels.py", *(argv if argv is not None else sys.argv[1:])])
    print(f"{device}; n = {n:,}", file=sys.stderr)

    copy_gbps = copy_bandwidth(platform, n)
    cases = benchmark_cases(n)
    with progress_bar(len(cases), "kernels", unit="kernel") as bar:
        results = []
        for case in cases:
            results.append(measure(case, platform))
            bar.update()
    timing = (f"CUDA events around each call; median of {repeats} timed calls after {args.warmup} "
              "warm-up calls (the first call compiles the kernel).")
    text = report(results, copy_gbps, n, command, device, timing)
    print(text)
    if args.quick:
        print("(quick run: benchmarks/RESULTS.md left unchanged)")
    else:
        common.update_results_section("kernels", text)
        print(f"wrote the 'kernels' section of {common.RESULTS}")
    refused = [r for r in results if r.disagreement is not None]
    if refused:
        print("KERNEL CHECK FAILED: " + "; ".join(f"{r.case.name}: {r.disagreement}" for r in refused))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
