"""Plots of a sweep: cost of jacfwd and jacrev against n (m fixed) and against m (n fixed).

Uses Matplotlib's object API with the Agg canvas (no pyplot, no display
needed), so it works the same in a terminal, in CI and in a notebook, where
the returned ``Figure`` shows itself. Both axes are logarithmic: a cost that
grows like n is a straight line of slope 1, a constant cost a flat line, and
the crossover sits where the lines meet, near n = m.
"""

from __future__ import annotations

import pathlib

from ..figures import figure_style, save
from .sweep import Sweep

# metric -> (label, how to read it from a ModeCost)
METRICS = {
    "flops": ("FLOPs (연산 수)", lambda cost: cost.flops),
    "seconds": ("time (시간) [s]", lambda cost: cost.seconds),
    "tape": ("tape peak (테이프 메모리) [bytes]", lambda cost: cost.tape_peak_bytes),
}

# method -> (legend label, colour, marker, line style)
STYLES = {
    "jacfwd": ("jacfwd (순방향, n passes)", "tab:blue", "o", "-"),
    "jacrev": ("jacrev (역방향, m passes)", "tab:orange", "s", "-"),
    "jacfwd_vectorized": ("jacfwd, one vectorised pass", "tab:blue", "o", ":"),
    "jacrev_vectorized": ("jacrev, one vectorised pass", "tab:orange", "s", ":"),
}


def make_sweep_figure(sweep: Sweep, metrics=("flops", "seconds")):
    """A grid of panels: one row per example; per metric, a column against n and one against m."""
    for metric in metrics:
        if metric not in METRICS:
            raise ValueError(f"unknown metric {metric!r}; choose from {', '.join(METRICS)}")
    examples = sweep.examples
    if not examples:
        raise ValueError("the sweep has no points to plot")
    columns = [(metric, vary) for metric in metrics for vary in ("n", "m")]
    with figure_style() as figures:
        figure = figures.figure(figsize=(4.2 * len(columns), 3.3 * len(examples) + 0.8), layout="constrained")
        axes = figure.subplots(len(examples), len(columns), squeeze=False)
        for row, example in enumerate(examples):
            for column, (metric, vary) in enumerate(columns):
                _draw_panel(axes[row][column], sweep, example, metric, vary)
        handles, labels = axes[0][-1].get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside lower center", ncols=len(labels))
        figure.suptitle("순방향 vs 역방향 모드의 비용 / forward vs reverse mode cost of the Jacobian "
                        "of f: Rⁿ → Rᵐ")
    return figure


def _draw_panel(ax, sweep: Sweep, example: str, metric: str, vary: str) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    label, read = METRICS[metric]
    line = sweep.line(example, vary)
    other = "m" if vary == "n" else "n"
    methods = [method for method in STYLES
               if line and method in line[0].comparison.costs
               and (metric == "seconds" or not method.endswith("vectorized"))]
    for method in methods:
        name, colour, marker, style = STYLES[method]
        xs = [getattr(point, vary) for point in line]
        ys = [read(point.comparison.costs[method]) for point in line]
        shown = [(x, y) for x, y in zip(xs, ys) if y > 0]
        if shown:
            ax.plot(*zip(*shown), color=colour, marker=marker, linestyle=style, label=name)
        elif metric == "tape":
            ax.text(0.03, 0.95, f"{method}: 0 bytes (nothing recorded)", transform=ax.transAxes,
                    va="top", fontsize=8, color=colour)
    ax.axvline(sweep.fixed, color="grey", linestyle="--", linewidth=0.8)
    ax.text(sweep.fixed, 0.02, f" n = m = {sweep.fixed}", transform=ax.get_xaxis_transform(),
            fontsize=8, color="grey")
    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(LogLocator(base=10, numticks=6))
        axis.set_major_formatter(FuncFormatter(_power_of_ten_label))
        axis.set_minor_locator(NullLocator())   # minor ticks: many lines to draw, little to read
    ax.set_xlabel(f"{vary}  ({other} = {sweep.fixed})")
    ax.set_ylabel(label)
    ax.set_title(f"{example}: {label.split(' ')[0]} vs {vary}", fontsize=10)
    ax.grid(True, which="major", alpha=0.3)


def _power_of_ten_label(value: float, position=None) -> str:
    """Plain tick labels (1, 10, 1k, 1M, 1e-3): quicker to draw than mathtext, easier to read."""
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{value / limit:g}{suffix}"
    return f"{value:g}"


def plot_sweep(sweep: Sweep, path, metrics=("flops", "seconds")) -> pathlib.Path:
    """Draw the sweep and save it; the format follows the file name (.png, .svg, .pdf)."""
    return save(make_sweep_figure(sweep, metrics), path, bbox_inches=None)
