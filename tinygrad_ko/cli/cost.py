"""``tinygrad-ko cost``: forward vs reverse mode, counted, timed and plotted.

Runs the sweep over n and m on the built-in examples (``tools.cost``), prints
the table, writes the plots, and checks the cheap-gradient principle on an MLP.

    tinygrad-ko cost                  # lines n ∈ {1, 10, 100, 1000} at m = 10 and back (~20 s)
    tinygrad-ko cost --quick          # sizes up to 100, timed twice: a few seconds
    tinygrad-ko cost --full           # every (n, m) pair up to 1000: minutes
"""

from __future__ import annotations

import pathlib

from .paths import output_folder

PRESETS = {  # name -> (sizes, whole grid?, timing repeats)
    "quick": ((1, 10, 100), False, 2),
    "default": ((1, 10, 100, 1000), False, 3),
    "full": ((1, 10, 100, 1000), True, 5),
}


def _int_list(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise ValueError(f"expected comma-separated whole numbers such as 1,10,100, not {text!r}") from None
    if any(v < 1 for v in values):
        raise ValueError(f"sizes must be at least 1, got {text!r}")
    return values


def add_arguments(parser) -> None:
    preset = parser.add_mutually_exclusive_group()
    preset.add_argument("--quick", action="store_const", dest="preset", const="quick",
                        help="sizes 1,10,100, timed twice (a few seconds)")
    preset.add_argument("--full", action="store_const", dest="preset", const="full",
                        help="every (n, m) pair of 1,10,100,1000 (several minutes)")
    parser.set_defaults(preset="default")
    parser.add_argument("--examples", default="dense,elementwise,olah",
                        help="built-in functions to sweep (default: %(default)s)")
    parser.add_argument("--sizes", type=str, default=None,
                        help="comma-separated n and m values (overrides the preset's)")
    parser.add_argument("--fixed", type=int, default=10,
                        help="the m held fixed while n varies, and the n while m varies (default: %(default)s)")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("tinygrad_ko_out"),
                        help="folder for the plots (default: %(default)s)")
    parser.add_argument("--format", choices=("png", "svg", "pdf"), default="png", help="plot file format")
    parser.add_argument("--no-vectorized", action="store_true",
                        help="skip the one-pass (vectorised) Jacobians")
    parser.add_argument("--no-mlp", action="store_true", help="skip the cheap-gradient check on the MLP")
    parser.add_argument("--markdown", action="store_true", help="print the table as markdown")
    parser.add_argument("--wide", action="store_true",
                        help="every column (both tapes, vectorised times); the default fits 100 columns")


def run(args) -> int:
    from ..tools.cost import cheap_gradient_check, plot_sweep, run_sweep

    preset_sizes, grid, repeats = PRESETS[args.preset]
    sizes = _int_list(args.sizes) if args.sizes else preset_sizes
    examples = [name.strip() for name in args.examples.split(",") if name.strip()]
    if args.fixed < 1:
        raise ValueError(f"--fixed must be at least 1, got {args.fixed}")
    output_folder(args.out)  # checked before the sweep, not after it
    sweep = run_sweep(examples, sizes, args.fixed, grid=grid, vectorized=not args.no_vectorized,
                      repeats=repeats, progress=True)
    print(f"Jacobian of f: R^n -> R^m: jacfwd takes n forward passes, jacrev m backward passes "
          f"(time: best of {repeats})")
    print(sweep.table(markdown=args.markdown, wide=args.wide))
    if not all(point.comparison.agree for point in sweep.points):
        print("WARNING: some jacfwd and jacrev Jacobians disagree (see the 'agree' column)")
    written = [plot_sweep(sweep, args.out / f"cost_sweep.{args.format}"),
               plot_sweep(sweep, args.out / f"cost_tape.{args.format}", metrics=("tape",))]
    if not args.no_mlp:
        print()
        print(cheap_gradient_check(repeats=repeats).table())
    print()
    for path in written:
        print(f"wrote {path}")
    return 0


def cost_section(out_dir: pathlib.Path) -> None:
    """The tour's part: both modes on a dense layer stack, one small table and one plot."""
    from ..tools.cost import compare_modes, make_example, plot_sweep, run_sweep
    from ..tools.cost.format import format_bytes, format_count, text_table

    print("== 순방향 vs 역방향 비용 / Forward vs reverse mode cost ==")
    rows = []
    for n, m in ((100, 1), (1, 100)):
        example = make_example("dense", n, m)
        comparison = compare_modes(example.function, example.point, repeats=1)
        for method, cost in comparison.costs.items():
            rows.append([f"R^{n} -> R^{m}", method, cost.passes, format_count(cost.flops),
                         format_bytes(cost.tape_peak_bytes)])
    print("Jacobian of a dense tanh stack (n -> 64 -> m):")
    print(text_table(["f", "method", "passes", "FLOPs", "tape peak"], rows))
    sweep = run_sweep(["dense"], sizes=(1, 10, 100), fixed=10, repeats=3)
    path = plot_sweep(sweep, output_folder(out_dir) / "cost_sweep.png")
    print(f"many inputs, one output: reverse mode wins; one input, many outputs: forward mode. "
          f"Plot: {path}  (more: tinygrad-ko cost)")
    print()
