"""Make the three locks visible: a timeline of who did what, and who waited for whom.

Number the modules 1 … L from input to output (the last one computes the loss). In
one training step each module does a ``forward``, a ``backward`` and an
``update``. Before module i can update, it has waited for

* **forward lock**   – the forward of every module before it (j < i);
* **update lock**    – the forward of every module after it, to the loss (j > i);
* **backward lock**  – the backward of every module after it (j > i).

Backpropagation has all three. With a synthetic gradient after every module,
module i updates right after its own forward and backward: only the forward
lock remains (the paper removes that one too, with synthetic *inputs*).

``Timeline`` records events as a trainer runs; ``waits(i)`` reads off, for the
first step, which events of other modules came between the start of the step
and module i's update, sorted into the three locks.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTIONS = ("forward", "backward", "update")


@dataclass(frozen=True)
class Event:
    step: int
    module: int          # 1 … L, input side first
    action: str          # "forward", "backward" or "update"


class Timeline:
    """Events in the order they happened."""

    def __init__(self, num_modules: int, names=None):
        self.num_modules = int(num_modules)
        self.names = list(names) if names is not None else [f"layer {i}" for i in range(1, num_modules + 1)]
        if len(self.names) != self.num_modules:
            raise ValueError(f"{len(self.names)} names for {self.num_modules} modules")
        self.events: list[Event] = []
        self.step = 0

    def record(self, module: int, action: str) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
        self.events.append(Event(self.step, int(module), action))

    def next_step(self) -> None:
        self.step += 1

    def name(self, module: int) -> str:
        return self.names[module - 1]

    def waits(self, module: int, step: int = 0) -> dict[str, list[str]]:
        """What module ``module`` waited for before its update in ``step``, by lock."""
        events = [e for e in self.events if e.step == step]
        update_at = next((k for k, e in enumerate(events) if e.module == module and e.action == "update"), None)
        if update_at is None:
            return {"forward lock": [], "update lock": [], "backward lock": []}
        waited = {"forward lock": [], "update lock": [], "backward lock": []}
        for event in events[:update_at]:
            if event.module == module:
                continue
            if event.module < module and event.action == "forward":
                waited["forward lock"].append(f"{event.action} {self.name(event.module)}")
            elif event.module > module and event.action == "forward":
                waited["update lock"].append(f"{event.action} {self.name(event.module)}")
            elif event.module > module and event.action == "backward":
                waited["backward lock"].append(f"{event.action} {self.name(event.module)}")
        return waited

    def report(self, step: int = 0) -> str:
        """A short text table: the event order, then each module's waits."""
        order = ", ".join(f"{e.action[0].upper()}{e.module}" for e in self.events if e.step == step)
        lines = [f"order (F=forward, B=backward, U=update; module {self.num_modules} has the loss): {order}"]
        for module in range(1, self.num_modules + 1):
            waited = self.waits(module, step)
            parts = [f"{lock}: {len(items)}" for lock, items in waited.items()]
            lines.append(f"  {self.name(module):>8} waited for  " + ",  ".join(parts))
        return "\n".join(lines)
