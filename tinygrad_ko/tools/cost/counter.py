"""Count what a computation costs: calls and FLOPs per primitive and pass, tape memory, passes.

    with count_ops() as counts:
        J = jacrev(f)(x)
    counts.flops("vjp"), counts.backward_passes, counts.tape_peak_bytes
    print(counts.table())

Every primitive application reaches the counter through the engine's
``observe`` hook, labelled with the work it belongs to:

* ``"primal"`` — evaluating the function itself;
* ``"jvp"``    — forward mode: the JVP rules computing tangents;
* ``"vjp"``    — reverse mode: the backward pass (VJP rules and adding adjoints).

FLOPs of an application come from its registry entry,
``primitive.flops(out, *inputs, **params)``, and so does its category, the
entry's ``kind`` (elementwise, reduction, shape, linear algebra, fused): the
table shows it next to each primitive and ``flops(kind="elementwise")`` adds
up one category. The derivative rules are written
with Tensor operations, so their FLOPs are simply the FLOPs of the primitives
they run: no separate derivative formula exists anywhere.

Passes: ``forward_passes`` counts the dual levels opened (one tangent direction
carried through one evaluation each: ``jvp`` opens one), ``backward_passes``
the backward passes run (``backward()``, each pullback call of ``vjp``).

Everything here is a count, not a measurement: the same program gives the
same numbers on every run.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from ...tensor import graph
from .tape import TapeMeter

PHASES = ("primal", "jvp", "vjp")

NO_KIND = "-"
"""The category shown for a primitive whose entry has no ``kind`` (one made in a test, unregistered)."""


@dataclass
class Tally:
    """How many times a primitive ran, and the FLOPs it did."""

    calls: int = 0
    flops: int = 0


@dataclass
class OpCounts:
    """The counts of one ``count_ops()`` block.

    ``per_primitive[name][phase]`` is a ``Tally``, ``kinds[name]`` the
    primitive's category (its registry ``kind``, "-" for an entry without one);
    the methods add them up."""

    per_primitive: dict[str, dict[str, Tally]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    forward_passes: int = 0
    backward_passes: int = 0
    tape_peak_bytes: int = 0
    tape_bytes_at_exit: int = 0

    def add(self, primitive_name: str, phase: str, flops: int, kind: str = NO_KIND) -> None:
        """Record one application of a primitive (of category ``kind``)."""
        self.kinds[primitive_name] = kind
        by_phase = self.per_primitive.setdefault(primitive_name, {})
        tally = by_phase.setdefault(phase, Tally())
        tally.calls += 1
        tally.flops += flops

    def _tallies(self, phase: str | None, primitive: str | None, kind: str | None):
        if phase is not None and phase not in PHASES:
            raise ValueError(f"unknown phase {phase!r}; use one of {', '.join(PHASES)} or None for all")
        for name, by_phase in self.per_primitive.items():
            if primitive is not None and name != primitive:
                continue
            if kind is not None and self.kinds.get(name) != kind:
                continue
            for tally_phase, tally in by_phase.items():
                if phase is None or tally_phase == phase:
                    yield tally

    def calls(self, phase: str | None = None, primitive: str | None = None, kind: str | None = None) -> int:
        """Primitive applications, in one phase (or all), of one primitive (or all)
        and of one category (or all)."""
        return sum(tally.calls for tally in self._tallies(phase, primitive, kind))

    def flops(self, phase: str | None = None, primitive: str | None = None, kind: str | None = None) -> int:
        """FLOPs, in one phase (or all), of one primitive (or all) and of one category (or all)."""
        return sum(tally.flops for tally in self._tallies(phase, primitive, kind))

    @property
    def total_flops(self) -> int:
        return self.flops()

    @property
    def total_calls(self) -> int:
        return self.calls()

    def table(self) -> str:
        """A plain-text table: calls / FLOPs per primitive (with its kind) and phase, then totals."""
        header = (f"{'primitive':<14}{'kind':<16}"
                  + "".join(f"{p + ' calls':>12}{p + ' FLOPs':>14}" for p in PHASES))
        lines = [header, "-" * len(header)]
        for name in sorted(self.per_primitive):
            cells = "".join(f"{self.calls(p, name):>12,}{self.flops(p, name):>14,}" for p in PHASES)
            lines.append(f"{name:<14}{self.kinds.get(name, NO_KIND):<16}{cells}")
        lines.append("-" * len(header))
        lines.append(f"{'total':<30}" + "".join(f"{self.calls(p):>12,}{self.flops(p):>14,}" for p in PHASES))
        lines.append(f"passes: {self.forward_passes} forward (dual levels), "
                     f"{self.backward_passes} backward;  tape peak: {self.tape_peak_bytes:,} bytes")
        return "\n".join(lines)


@contextlib.contextmanager
def count_ops():
    """Count every primitive application in the block; yields an ``OpCounts``.

    The counts grow as the block runs and are complete when it ends
    (``tape_bytes_at_exit`` is set then). Blocks may nest: each counter sees
    everything run inside it."""
    counts = OpCounts()
    tape = TapeMeter()

    def on_apply(primitive, out, inputs, params, phase):
        flops = primitive.flops(out.data, *[x.data for x in inputs], **params)
        kind = NO_KIND if primitive.kind is None else primitive.kind.value
        counts.add(primitive.name, phase, int(flops), kind)
        if out.node.op is not None:
            tape.record(out)
            counts.tape_peak_bytes = tape.peak_bytes

    levels_before = graph.STATE.levels_made
    backward_before = graph.STATE.backward_passes
    try:
        with graph.observe(on_apply):
            yield counts
    finally:
        counts.forward_passes = graph.STATE.levels_made - levels_before
        counts.backward_passes = graph.STATE.backward_passes - backward_before
        counts.tape_peak_bytes = tape.peak_bytes
        counts.tape_bytes_at_exit = tape.current_bytes
        tape.close()
