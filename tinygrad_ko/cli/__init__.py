"""The command line: ``tinygrad-ko`` (or ``python -m tinygrad_ko``).

Each subcommand lives in its own module with two functions,
``add_arguments(parser)`` and ``run(args) -> int``, listed in ``COMMANDS``.
Errors a user can cause print one line to stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import TinygradKoError

# subcommand name -> (module inside tinygrad_ko.cli, one-line help)
COMMANDS = {
    "tour": ("tour", "a short tour on embedded data (the default)"),
    "graph": ("graph", "draw the computational graph of an expression: values, forward, reverse"),
    "cost": ("cost", "forward vs reverse mode cost: counted, timed and plotted"),
    "dni": ("dni", "train with synthetic gradients (DNI, cDNI) beside backprop: digits, copy, repeat-copy"),
    "train": ("train", "train an MLP with SGD, Adam, GO-UP or backprop-free GO-UP, and plot it"),
}


class UsageError(TinygradKoError):
    """A command-line argument is wrong; printed as one line."""


class _OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr, exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="tinygrad-ko",
        description="tinygrad_ko: forward and reverse mode autodiff on one computational graph.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND",
                                       parser_class=_OneLineParser)
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(f"{__name__}.{module_name}")
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv=None) -> int:
    """Parse ``argv`` and run the chosen subcommand; the tour when none is given."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["tour"] + argv  # `tinygrad-ko --out DIR` is the tour with options
    if argv[0] == "graph":
        from .graph import expression_first

        argv = ["graph"] + expression_first(argv[1:])  # `graph "-x+1"`: an expression, not an option
    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except (TinygradKoError, ValueError, OSError) as error:
        print(f"tinygrad-ko {args.command}: error: {error}", file=sys.stderr)
        return 2
