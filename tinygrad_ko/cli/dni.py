"""``tinygrad-ko dni``: train with synthetic gradients (DNI) and compare with backprop (Bprop).

    tinygrad-ko dni --task digits --layers 4 --steps 3000
    tinygrad-ko dni --task digits --locks                  # who waited for what, one step
    tinygrad-ko dni --task copy --truncation 3 --cpu-seconds 60

digits (or mnist, with ``--dataset mnist --data-root DIR``): an FCN of
``--layers`` layers counted the paper's way (layers − 1 hidden layers + the
output layer) with a synthetic-gradient interface after every hidden layer,
trained with each of ``--methods`` (no-bprop, bprop, dni, cdni); prints the
test errors and writes ``digits_{layers}layers.png`` (loss, test error,
cos(ĝ, true ∂L/∂h) per layer).

copy / repeat-copy: an LSTM trained by truncated BPTT with chunks of T steps,
with each of ``--methods`` (bptt, dni, dni-aux), under a curriculum on the
sequence length; prints the longest length solved and writes ``{task}_T{T}.png``.
"""

from __future__ import annotations

import json
import pathlib

from ..validate import integer, real
from . import UsageError

FEEDFORWARD_TASKS = ("digits",)
RECURRENT_TASKS = ("copy", "repeat-copy")


def add_arguments(parser) -> None:
    parser.add_argument("--task", choices=FEEDFORWARD_TASKS + RECURRENT_TASKS, default="digits",
                        help="(default: %(default)s)")
    parser.add_argument("--methods", default=None,
                        help="comma-separated; digits: no-bprop,bprop,dni,cdni (default all four); "
                             "copy tasks: bptt,dni,dni-aux (default all three)")
    parser.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("tinygrad_ko_out/dni"),
                        help="folder for the plots and the numbers behind them, as JSON (default: %(default)s)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    digits = parser.add_argument_group("digits")
    digits.add_argument("--dataset", default="digits", help="digits (bundled) or mnist (default: %(default)s)")
    digits.add_argument("--data-root", type=pathlib.Path, default=None, help="folder of MNIST's IDX files")
    digits.add_argument("--layers", type=int, default=4,
                        help="layers counted the paper's way: layers − 1 hidden layers of --width units "
                             "+ the output layer (default: %(default)s)")
    digits.add_argument("--width", type=int, default=256, help="units per hidden layer (default: %(default)s)")
    digits.add_argument("--steps", type=int, default=3000, help="(default: %(default)s)")
    digits.add_argument("--predictor", choices=("linear", "mlp"), default="linear", help="(default: %(default)s)")
    digits.add_argument("--update-probability", type=float, default=1.0,
                        help="each layer updates at a step with this probability (default: %(default)s)")
    digits.add_argument("--random-order", action="store_true",
                        help="DNI: update the layers in a random order each step")
    digits.add_argument("--locks", action="store_true",
                        help="only show, for one step, which module waited for what, then stop")
    copy = parser.add_argument_group("copy, repeat-copy")
    copy.add_argument("--truncation", type=int, default=3, help="T, steps per BPTT chunk (default: %(default)s)")
    copy.add_argument("--hidden", type=int, default=64, help="LSTM units (default: %(default)s)")
    copy.add_argument("--episodes", type=int, default=100000, help="at most this many (default: %(default)s)")
    copy.add_argument("--cpu-seconds", type=float, default=60.0,
                      help="CPU-time budget per method (default: %(default)s)")


def _methods(args) -> list[str]:
    from ..dni import METHODS, RECURRENT_METHODS

    allowed = METHODS if args.task in FEEDFORWARD_TASKS else RECURRENT_METHODS
    if args.methods is None:
        return list(allowed)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in allowed]
    if unknown or not methods:
        raise UsageError(f"--methods for {args.task} must be among {','.join(allowed)}, got {args.methods!r}")
    return methods


def _progress(total: int, description: str, enabled: bool):
    from ..tools.progress import progress_bar

    return progress_bar(total, description, enabled=enabled)


def _check_numbers(args) -> None:
    integer("--seed", args.seed, minimum=0, error=UsageError)
    if args.task in FEEDFORWARD_TASKS:
        integer("--layers", args.layers, minimum=2, error=UsageError)
        for flag in ("width", "steps"):
            integer(f"--{flag}", getattr(args, flag), minimum=1, error=UsageError)
        real("--update-probability", args.update_probability, above=0, maximum=1, error=UsageError)
    else:
        for flag in ("truncation", "hidden", "episodes"):
            integer(f"--{flag}", getattr(args, flag), minimum=1, error=UsageError)
        real("--cpu-seconds", args.cpu_seconds, above=0, error=UsageError)


def run(args) -> int:
    from ..train import single_blas_thread

    _check_numbers(args)
    methods = _methods(args)
    with single_blas_thread():
        if args.task in FEEDFORWARD_TASKS:
            return _run_feedforward(args, methods)
        return _run_recurrent(args, methods)


def _run_feedforward(args, methods) -> int:
    from ..data import load_dataset
    from ..dni import FeedForwardConfig, FeedForwardTrainer, Timeline, train_feedforward
    from ..dni.plots import plot_feedforward

    X_train, y_train = load_dataset(args.dataset, "train", root=args.data_root)
    X_test, y_test = load_dataset(args.dataset, "test", root=args.data_root)
    if args.locks:
        _show_locks(args, X_train, y_train, FeedForwardConfig, FeedForwardTrainer, Timeline)
        return 0
    results = []
    for method in methods:
        config = FeedForwardConfig(method=method, layers=args.layers, width=args.width, steps=args.steps,
                                   predictor=args.predictor, update_probability=args.update_probability,
                                   random_order=args.random_order, seed=args.seed,
                                   eval_every=max(args.steps // 12, 1), probe_every=max(args.steps // 30, 1))
        with _progress(args.steps, f"{method} {args.layers} layers", not args.no_progress) as bar:
            def advance(step, loss, bar=bar):
                bar.update(1)
                if step % 50 == 0:
                    bar.set_postfix(loss=f"{loss:.3f}")
            result = train_feedforward(config, (X_train, y_train, X_test, y_test), progress=advance)
        results.append(result)
        print(f"{method:>8}  {args.layers} layers  test error {result.final_test_error:5.2f} %   "
              f"train error {result.train_error[-1]:5.2f} %   ({result.cpu_seconds:.0f} s CPU)")
    name = f"{args.dataset}_{args.layers}layers"
    figure = plot_feedforward(results, args.out / f"{name}.png",
                              title=f"{args.dataset}, {args.layers} layers ({args.layers - 1} hidden × {args.width})")
    _write_json(args.out / f"{name}.json", results)
    print(f"figure: {figure}")
    return 0


def _show_locks(args, X, y, FeedForwardConfig, FeedForwardTrainer, Timeline) -> None:
    names = [f"layer {i}" for i in range(1, args.layers)] + ["output"]
    for method in ("bprop", "dni"):
        trainer = FeedForwardTrainer(FeedForwardConfig(method=method, layers=args.layers,
                                                       width=args.width, seed=args.seed),
                                     X.shape[1], int(y.max()) + 1)
        timeline = Timeline(args.layers, names)
        trainer.step(X[:64], y[:64], timeline)
        print(f"== {method} ==")
        print(timeline.report())
        detail = timeline.waits(1)
        print("  layer 1, before its update, waited for: "
              + ("; ".join(f"{lock}: {', '.join(items)}" for lock, items in detail.items() if items) or "nothing"))


def _run_recurrent(args, methods) -> int:
    from ..dni import RecurrentConfig, train_recurrent
    from ..dni.plots import plot_recurrent

    results = []
    for method in methods:
        config = RecurrentConfig(task=args.task, method=method, truncation=args.truncation, hidden=args.hidden,
                                 episodes=args.episodes, cpu_seconds=args.cpu_seconds, seed=args.seed,
                                 probe_every=50)
        with _progress(None, f"{method} T={args.truncation}", not args.no_progress) as bar:
            def advance(episode, length, bits, bar=bar):
                bar.update(1)
                bar.set_postfix(length=length, bits=f"{bits:.2f}")
            result = train_recurrent(config, progress=advance)
        results.append(result)
        print(f"{method:>8}  T={args.truncation}  longest length solved {result.solved:3d}   "
              f"({result.episodes_run} episodes, {result.cpu_seconds:.0f} s CPU)")
    figure = plot_recurrent(results, args.out / f"{args.task}_T{args.truncation}.png",
                            title=f"{args.task}, truncation T = {args.truncation}")
    _write_json(args.out / f"{args.task}_T{args.truncation}.json", results)
    print(f"figure: {figure}")
    return 0


def _write_json(path: pathlib.Path, results) -> None:
    from dataclasses import asdict

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(result) for result in results]), encoding="utf-8")


def dni_section(out_dir: pathlib.Path) -> None:
    """Tour: the locks of one Bprop step and one DNI step, then a short cDNI run beside Bprop."""
    from ..data import digits
    from ..dni import FeedForwardConfig, FeedForwardTrainer, Timeline, train_feedforward

    print("== DNI: 합성 기울기 / synthetic gradients (Jaderberg et al. 2016) ==")
    X, y = digits("train")
    X_test, y_test = digits("test")
    names = ["layer 1", "layer 2", "layer 3", "output"]
    for method in ("bprop", "cdni"):
        trainer = FeedForwardTrainer(FeedForwardConfig(method=method, layers=4, width=32), 64, 10)
        timeline = Timeline(4, names)
        trainer.step(X[:64], y[:64], timeline)
        waits = timeline.waits(1)
        print(f"{method:>8}: " + ", ".join(f"{e.action[0].upper()}{e.module}" for e in timeline.events)
              + f"   → layer 1 waited for {len(waits['update lock'])} forwards and "
                f"{len(waits['backward lock'])} backwards after it")
    for method in ("bprop", "cdni"):
        config = FeedForwardConfig(method=method, layers=4, width=64, steps=300, lr=1e-3,
                                   predictor_lr=3e-3, eval_every=300)
        result = train_feedforward(config, (X, y, X_test, y_test))
        print(f"{method:>8}: 300 steps, test error {result.final_test_error:.1f} %")
    print("(tinygrad-ko dni --help for the full experiments)")
    print()
