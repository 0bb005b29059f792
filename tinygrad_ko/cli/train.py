"""``tinygrad-ko train``: train an MLP on a dataset with one of the optimizers, and plot it.

    tinygrad-ko train --optimizer goup --dataset digits --epochs 30 --seed 0

prints the final train/test accuracy and writes, under ``--out``:
``curves.png`` (loss and accuracy), ``gaussian_check.png`` (the GO-UP post's
histogram of αθ − α·∂L/∂θ for one layer at one step, with a fitted Gaussian)
and ``history.json`` (every number behind the plots). The same ``--seed``
gives the same run: weights, batch order, noise and directions.

    tinygrad-ko train --optimizer adam --epochs 20 --checkpoint run.ckpt   # saved after every epoch
    tinygrad-ko train --optimizer adam --epochs 20 --resume run.ckpt       # after an interruption

``--resume`` continues the run from its last saved epoch (and keeps saving
there) to exactly the weights the uninterrupted run reaches; it must be given
the same settings, which the checkpoint records.
"""

from __future__ import annotations

import json
import pathlib

from ..optim.registry import OPTIMIZERS, SETTING_DEFAULTS, build_optimizer, optimizers_taking
from ..validate import integer
from . import UsageError

# The settings that define a run: saved in its checkpoint, and required to be the same on --resume.
RUN_FLAGS = ("optimizer", "dataset", "hidden", "batch_size", "lr", "momentum", "k", "noise_scale",
             "directions", "seed")
def optimizer_flags() -> dict[str, tuple[str, ...]]:
    """{setting: the optimizers that take it}, from the registry. These settings only some
    optimizers have: given with another optimizer, they are refused, not ignored."""
    return {setting: optimizers_taking(setting) for setting in SETTING_DEFAULTS}


def _taken_by(setting: str) -> str:
    """"sgd only" or "goup, goup-fwd": who takes ``setting``, for its flag's help."""
    names = optimizers_taking(setting)
    return f"{names[0]} only" if len(names) == 1 else ", ".join(names)


def add_arguments(parser) -> None:
    defaults = ", ".join(f"{name} {entry.default_lr:g}" for name, entry in OPTIMIZERS.items())
    updates = "; ".join(f"{name}: {entry.update}" for name, entry in OPTIMIZERS.items())
    parser.add_argument("--optimizer", choices=tuple(OPTIMIZERS), default="sgd",
                        help=f"how to update the weights (default: %(default)s). {updates}")
    parser.add_argument("--dataset", default="digits",
                        help="digits (bundled), mnist or fashion-mnist (default: %(default)s)")
    parser.add_argument("--data-root", type=pathlib.Path, default=None,
                        help="folder with the IDX files for mnist / fashion-mnist")
    parser.add_argument("--epochs", type=int, default=20, help="passes over the data (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=32, help="(default: %(default)s)")
    parser.add_argument("--lr", type=float, default=None, help=f"learning rate α; defaults: {defaults}")
    parser.add_argument("--hidden", default="64",
                        help="hidden layer sizes, comma-separated (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="fixes the whole run (default: %(default)s)")
    parser.add_argument("--momentum", type=float, default=None,
                        help=f"{_taken_by('momentum')}: the momentum μ (default: {SETTING_DEFAULTS['momentum']:g})")
    parser.add_argument("--k", type=float, default=None,
                        help=f"{_taken_by('k')}: the mean-reversion rate (default: equal to --lr, as in the post)")
    parser.add_argument("--noise-scale", type=float, default=None,
                        help=f"{_taken_by('noise_scale')}: the noise multiplier σ "
                             f"(default: {SETTING_DEFAULTS['noise_scale']:g})")
    parser.add_argument("--directions", type=int, default=None,
                        help=f"{_taken_by('directions')}: forward-mode passes per step, K "
                             f"(default: {SETTING_DEFAULTS['directions']})")
    parser.add_argument("--histogram-layer", type=int, default=0,
                        help="whose weight the histogram shows: Linear layer 0, 1, … (default: %(default)s)")
    parser.add_argument("--histogram-step", type=int, default=-1,
                        help="at which step; negative counts from the end (default: %(default)s, the last)")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("tinygrad_ko_out/train"),
                        help="folder for the plots and history.json (default: %(default)s)")
    parser.add_argument("--checkpoint", type=pathlib.Path, default=None,
                        help="save the whole run to this file after every epoch (atomically)")
    parser.add_argument("--resume", type=pathlib.Path, default=None,
                        help="continue the run saved in this checkpoint, with the same settings, to --epochs "
                             "in all; it keeps saving there unless --checkpoint names another file")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _hidden_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError(f"--hidden must be comma-separated integers like 64 or 128,64, got {text!r}") from None
    return [integer("--hidden size", size, minimum=1, error=UsageError) for size in sizes]


def _check_flags(args) -> None:
    """The checks that need no data: counts, the seed, flags of another optimizer, --out.

    The optimizer's own settings (--lr, --momentum, --k, ...) and --batch-size
    are checked where they are used, by the optimizer and the DataLoader."""
    integer("--epochs", args.epochs, minimum=1, error=UsageError)
    integer("--seed", args.seed, minimum=0, error=UsageError)
    for name, optimizers in optimizer_flags().items():
        if getattr(args, name) is not None and args.optimizer not in optimizers:
            raise UsageError(f"--{name.replace('_', '-')} is a setting of --optimizer {', '.join(optimizers)}; "
                             f"{args.optimizer} does not use it")
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out} is a file; give a folder for the plots and history.json")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise UsageError(f"--out {args.out}: cannot make this folder ({problem.strerror})") from None
    if args.checkpoint is not None and (args.checkpoint.is_dir() or not args.checkpoint.parent.is_dir()):
        raise UsageError(f"--checkpoint {args.checkpoint} must name a file in an existing folder")


def _resume_state(args):
    """The run saved in ``--resume``, checked to have been made with the same settings (None without it)."""
    from ..checkpoint import load

    if args.resume is None:
        return None
    state = load(args.resume)
    notes = state.get("notes") if isinstance(state, dict) else None
    if not isinstance(notes, dict):
        raise UsageError(f"--resume {args.resume}: not a checkpoint of `tinygrad-ko train`")
    differences = [f"--{flag.replace('_', '-')} {notes.get(flag)}, not {getattr(args, flag)}"
                   for flag in RUN_FLAGS if notes.get(flag) != getattr(args, flag)]
    if differences:
        raise UsageError(f"--resume {args.resume}: the checkpoint was made with {'; '.join(differences)}; "
                         "give the same settings (or start a new run without --resume)")
    return state


def _optimizer_settings(args) -> dict:
    """The optimizer-specific flags that were given, as ``build_optimizer`` keywords."""
    return {name: getattr(args, name) for name in SETTING_DEFAULTS if getattr(args, name) is not None}


def _histogram_target(args, model, total_steps: int):
    """The weight the histogram shows and the step (0-based) at which to take it."""
    layers = model.linear_layers()
    if not -len(layers) <= args.histogram_layer < len(layers):
        raise UsageError(f"--histogram-layer must be one of the {len(layers)} Linear layers "
                         f"(0..{len(layers) - 1}), got {args.histogram_layer}")
    if not -total_steps <= args.histogram_step < total_steps:
        raise UsageError(f"--histogram-step must be within the run's {total_steps} steps, "
                         f"got {args.histogram_step}")
    return layers[args.histogram_layer].weight, args.histogram_step % total_steps


def run(args) -> int:
    from .. import nn
    from ..data import NUM_CLASSES, DataLoader, load_dataset
    from ..generators import seeded_generator
    from ..train import fit, single_blas_thread, update_parts

    _check_flags(args)
    if args.lr is None:                    # the default, written down: the checkpoint and history.json show it
        args.lr = OPTIMIZERS[args.optimizer].default_lr
    hidden = _hidden_sizes(args.hidden)
    resume = _resume_state(args)
    train_data = load_dataset(args.dataset, "train", root=args.data_root)
    test_data = load_dataset(args.dataset, "test", root=args.data_root)
    steps_per_epoch = len(DataLoader(*train_data, args.batch_size))
    model = nn.MLP([train_data[0].shape[1], *hidden, NUM_CLASSES],
                   rng=seeded_generator("--seed", args.seed, UsageError))
    optimizer, gradient = build_optimizer(args.optimizer, model.parameters(), args.lr, seed=args.seed,
                                          **_optimizer_settings(args))
    weight, histogram_step = _histogram_target(args, model, args.epochs * steps_per_epoch)
    captured = {}

    def capture(step, model):
        if step == histogram_step and optimizer.lr > 0:    # with α = 0, αθ − α·∂L/∂θ is all zeros
            captured["parts"] = update_parts(weight, optimizer.lr)

    print(f"{args.dataset}: {len(train_data[0])} train / {len(test_data[0])} test; "
          f"MLP {model.sizes} ({model.num_parameters():,} parameters); {optimizer!r}"
          + (f" with {gradient!r}" if gradient else ""))
    if resume is not None:
        print(f"resumed from {args.resume} after epoch {resume.get('epoch')} (step {resume.get('step')})")
    with single_blas_thread():
        history = fit(model, optimizer, train_data, test_data, epochs=args.epochs,
                      batch_size=args.batch_size, seed=args.seed, gradient=gradient,
                      progress=not args.no_progress, before_update=capture,
                      checkpoint=args.checkpoint or args.resume, resume=resume,
                      notes={flag: getattr(args, flag) for flag in RUN_FLAGS})
    _report(history)
    _write_files(args, optimizer, history, captured.get("parts"), histogram_step)
    return 0


def _report(history) -> None:
    if history.diverged_at_step is not None:
        print(f"diverged: the loss stopped being finite at step {history.diverged_at_step}")
    if history.test_accuracy:
        print(f"final accuracy: train {history.train_accuracy[-1]:.2%}, "
              f"test {history.test_accuracy[-1]:.2%} after {len(history.test_accuracy)} epoch(s), "
              f"{history.seconds:.1f} s")
    passes = history.passes
    print(f"passes: {passes['forward']} forward + {passes['backward']} backward (reverse mode), "
          f"{passes['jvp']} forward-mode (JVP)")


def _write_files(args, optimizer, history, parts, histogram_step) -> None:
    from ..train import plot_gaussian_check, plot_history
    from ..train.gaussian_check import describe, update_statistics

    title = f"{args.optimizer} on {args.dataset}, lr {optimizer.lr:g}, seed {args.seed}"
    written = [plot_history(history, args.out / "curves.png", title)]
    if parts is not None:
        label = f"layer {args.histogram_layer} weight, step {histogram_step}"
        written.append(plot_gaussian_check([(label, *parts)], args.out / "gaussian_check.png",
                                           f"αθ − α·∂L/∂θ ({args.optimizer}, α = {optimizer.lr:g})"))
        print("αθ − α·∂L/∂θ: " + describe(update_statistics(*parts)).replace("\n", "; "))
    arguments = {name: str(value) if isinstance(value, pathlib.Path) else value
                 for name, value in vars(args).items() if name != "run"}
    history_path = args.out / "history.json"
    history_path.write_text(json.dumps({"arguments": arguments, "history": history.as_dict()}, indent=1),
                            encoding="utf-8")
    written.append(history_path)
    print("wrote " + ", ".join(str(path) for path in written))


def training_section(out_dir: pathlib.Path) -> None:
    """Tour: an MLP on the digits trained with SGD and with GO-UP, a few seconds each."""
    import numpy as np

    from .. import nn
    from ..data import digits
    from ..train import fit, plot_gaussian_check, single_blas_thread, update_parts

    print("== 학습 / Training: MLP 64-64-10 on the 8x8 digits, SGD vs GO-UP ==")
    train_data, test_data = digits("train"), digits("test")
    epochs, last_step = 10, 10 * 43 - 1
    panels = []
    for name, lr in (("sgd", 0.1), ("goup", 0.03)):
        model = nn.MLP([64, 64, 10], rng=np.random.default_rng(0))
        optimizer, _ = build_optimizer(name, model.parameters(), lr, seed=0)

        def capture(step, model, name=name, lr=lr):
            if step == 0 and not panels:
                panels.append((f"at initialisation (α = {lr:g})", *update_parts(model[0].weight, lr)))
            if step == last_step:
                panels.append((f"after {epochs} epochs of {name} (α = {lr:g})",
                               *update_parts(model[0].weight, lr)))

        with single_blas_thread():
            history = fit(model, optimizer, train_data, test_data, epochs=epochs, seed=0,
                          progress=False, before_update=capture)
        print(f"{name:>4} (lr {lr:g}): test accuracy {history.test_accuracy[-1]:.1%} "
              f"after {epochs} epochs, {history.seconds:.1f} s")
    print("GO-UP with k = lr is θ − lr·g + lr·std(θ − g)·ε: gradient descent plus Gaussian noise.")
    path = plot_gaussian_check(panels, out_dir / "goup_gaussian_check.png",
                               "αθ − α·∂L/∂θ, first layer (the GO-UP post's figure)")
    print(f"wrote {path}  (is αθ − α·∂L/∂θ Gaussian? at init, after SGD, after GO-UP)")
    print()
