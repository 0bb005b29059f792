"""Sweep n and m: where does reverse mode start to win?

For each built-in example, the Jacobian of f: Rⁿ → Rᵐ is compared
(``compare_modes``) along two lines through the (n, m) plane:

* n varies over ``sizes`` with m fixed (``fixed``): forward mode's cost grows
  with n, reverse mode's hardly at all;
* m varies over ``sizes`` with n fixed: the other way round.

The two costs cross near n = m. ``grid=True`` measures every (n, m) pair instead.

    result = run_sweep(["dense"], sizes=(1, 10, 100), fixed=10)
    print(result.table())
    plot_sweep(result, "cost.png")      # tinygrad_ko.tools.cost.plots
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .compare import ModeComparison, compare_modes
from .examples import EXAMPLES, make_example
from .format import format_bytes, format_count, format_seconds, markdown_table, text_table


@dataclass
class SweepPoint:
    """One (example, n, m) and its comparison."""

    example: str
    n: int
    m: int
    comparison: ModeComparison


@dataclass
class Sweep:
    """All the points of a sweep, with the settings that produced them."""

    sizes: tuple[int, ...]
    fixed: int
    points: list[SweepPoint] = field(default_factory=list)

    @property
    def examples(self) -> list[str]:
        return list(dict.fromkeys(point.example for point in self.points))

    def line(self, example: str, vary: str) -> list[SweepPoint]:
        """The points of ``example`` where ``vary`` ("n" or "m") changes and the other is ``fixed``."""
        other = "m" if vary == "n" else "n"
        chosen = [p for p in self.points if p.example == example and getattr(p, other) == self.fixed]
        return sorted(chosen, key=lambda p: getattr(p, vary))

    def rows(self, wide: bool = False) -> tuple[list[str], list[list[str]]]:
        """The summary table's header and rows, one row per point.

        The default columns fit a 100-column terminal (passes, FLOPs, the tape of
        reverse mode, time; forward mode's tape is always 0); ``wide=True`` adds
        both tapes and the vectorised one-pass times."""
        if wide:
            header = ["function", "n", "m", "passes fwd/rev", "FLOPs jacfwd", "FLOPs jacrev",
                      "tape jacfwd", "tape jacrev", "time jacfwd", "time jacrev",
                      "vectorised fwd/rev", "fewer FLOPs", "agree"]
        else:
            header = ["function", "n", "m", "passes f/r", "FLOPs fwd/rev", "tape rev",
                      "time fwd/rev", "fewer FLOPs", "agree"]
        rows = []
        for point in self.points:
            costs = point.comparison.costs
            fwd, rev = costs["jacfwd"], costs["jacrev"]
            agree = "yes" if point.comparison.agree else "NO"
            if not wide:
                rows.append([point.example, point.n, point.m, f"{fwd.passes}/{rev.passes}",
                             f"{format_count(fwd.flops)}/{format_count(rev.flops)}",
                             format_bytes(rev.tape_peak_bytes),
                             f"{format_seconds(fwd.seconds)}/{format_seconds(rev.seconds)}",
                             point.comparison.cheaper_by_flops, agree])
                continue
            vectorised = "—"
            if "jacfwd_vectorized" in costs:
                vectorised = (f"{format_seconds(costs['jacfwd_vectorized'].seconds)} / "
                              f"{format_seconds(costs['jacrev_vectorized'].seconds)}")
            rows.append([point.example, point.n, point.m, f"{fwd.passes} / {rev.passes}",
                         format_count(fwd.flops), format_count(rev.flops),
                         format_bytes(fwd.tape_peak_bytes), format_bytes(rev.tape_peak_bytes),
                         format_seconds(fwd.seconds), format_seconds(rev.seconds), vectorised,
                         point.comparison.cheaper_by_flops, agree])
        return header, rows

    def table(self, markdown: bool = False, wide: bool = False) -> str:
        header, rows = self.rows(wide)
        return markdown_table(header, rows) if markdown else text_table(header, rows)


def sweep_pairs(sizes, fixed: int, grid: bool) -> list[tuple[int, int]]:
    """The (n, m) pairs to measure: two lines through (fixed, fixed), or the whole grid."""
    if grid:
        return [(n, m) for n in sizes for m in sizes]
    pairs = [(n, fixed) for n in sizes] + [(fixed, m) for m in sizes]
    return list(dict.fromkeys(pairs))


def run_sweep(examples=tuple(EXAMPLES), sizes=(1, 10, 100, 1000), fixed: int = 10, *,
              grid: bool = False, vectorized: bool = True, repeats: int = 5,
              dtype=np.float64, progress: bool = False) -> Sweep:
    """Compare jacfwd and jacrev on each example at each (n, m); see the module docstring."""
    sizes = tuple(sorted(set(int(s) for s in sizes)))
    if not sizes or sizes[0] < 1 or fixed < 1:
        raise ValueError(f"sizes and fixed must be positive integers, got sizes={sizes}, fixed={fixed}")
    for name in examples:
        if name not in EXAMPLES:
            raise ValueError(f"unknown example {name!r}; choose from {', '.join(EXAMPLES)}")
    jobs = [(name, n, m) for name in examples for n, m in sweep_pairs(sizes, fixed, grid)]
    result = Sweep(sizes, fixed)
    bar = _progress_bar(len(jobs)) if progress else None
    for name, n, m in jobs:
        if bar is not None:
            bar.set_postfix_str(f"{name} n={n} m={m}")
        example = make_example(name, n, m, dtype=dtype)
        comparison = compare_modes(example.function, example.point, repeats=repeats, vectorized=vectorized)
        result.points.append(SweepPoint(name, n, m, comparison))
        if bar is not None:
            bar.update()
    if bar is not None:
        bar.close()
    return result


def _progress_bar(total: int):
    """A progress bar on a terminal, one line in a log (``tools.progress``)."""
    from ..progress import progress_bar

    return progress_bar(total, "cost sweep", unit="point")
