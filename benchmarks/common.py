"""Shared benchmark plumbing: one thread everywhere, CPU-time medians, RESULTS.md sections.

Import this module FIRST in a benchmark script (before NumPy or torch): it pins
BLAS and OpenMP to one thread, as the reference measurements did — with two
threads on a busy two-core machine, timings swing by more than 10x.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                  "NUMEXPR_NUM_THREADS", "XLA_FLAGS"):
    os.environ.setdefault(_variable, "1" if _variable != "XLA_FLAGS" else
                          "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import pathlib
import platform
import statistics
import time
from typing import Callable

RESULTS = pathlib.Path(__file__).with_name("RESULTS.md")


def cpu_time_median(step: Callable[[], object], repeats: int = 20, warmup: int = 3,
                    inner: int = 1) -> float:
    """Median process CPU time of ``step()`` in seconds (``inner`` calls per sample)."""
    for _ in range(warmup):
        step()
    samples = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(inner):
            step()
        samples.append((time.process_time() - start) / inner)
    return statistics.median(samples)


def machine_line() -> str:
    """One line naming the machine and library versions, for the results header."""
    import numpy

    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"NumPy {numpy.__version__}, one thread")


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    """A GitHub-flavoured markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def mean_std(values) -> str:
    """"12.3 ± 0.4" over seeds ("12.3" for one value, "—" for none)."""
    import numpy

    if not len(values):
        return "—"
    return f"{numpy.mean(values):.1f}" + (f" ± {numpy.std(values):.1f}" if len(values) > 1 else "")


def update_results_section(name: str, markdown: str) -> None:
    """Replace (or append) the section ``name`` of benchmarks/RESULTS.md.

    Sections are delimited by HTML comments, so each benchmark script owns its
    own part of the file and reruns replace only that part."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else (
        "# Benchmark results\n\nWritten by the scripts in `benchmarks/`; rerun one to refresh its section.\n")
    block = f"{start}\n{markdown.strip()}\n{end}"
    if start in text and end in text:
        before = text[:text.index(start)]
        after = text[text.index(end) + len(end):]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")
