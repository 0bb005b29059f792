"""Experiment grids that outlive one session: one JSON file, one record per finished cell.

A long grid (the DNI tables, say) is run as cells. Each cell is written to its
JSON file under ``benchmarks/results/`` the moment it finishes, and a rerun skips
the cells already there, so a grid larger than one session completes over
several. Several processes may run cells of the same file at once: every write
takes a lock on ``<file>.lock``, rereads the file, adds the cell and replaces the
file atomically (temporary file + rename), so a crash mid-write never loses the
cells already stored.

    store = ResultsStore("dni_feedforward.json", key=("task", "net", "method", "layers", "seed"))
    for cell in grid:
        if store.has(cell):
            continue
        store.add({**cell, "metric": error, "steps": steps, "cpu_s": cpu})

The file holds ``{"key": [...], "cells": [...]}``, cells sorted by key, so the
same cells give the same bytes (diffs in review show only what changed).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pathlib
import tempfile

RESULTS_DIR = pathlib.Path(__file__).with_name("results")


class ResultsStore:
    """The finished cells of one grid, stored in ``benchmarks/results/<name>``."""

    def __init__(self, name: str, key: tuple[str, ...], directory: pathlib.Path | str | None = None):
        self.path = pathlib.Path(directory or RESULTS_DIR) / name
        self.key = tuple(key)

    def cells(self) -> list[dict]:
        """Every stored cell (an empty list before the first one)."""
        if not self.path.exists():
            return []
        return json.loads(self.path.read_text(encoding="utf-8"))["cells"]

    def has(self, cell: dict) -> bool:
        """Whether a cell with the same key fields is already stored."""
        wanted = self._key_of(cell)
        return any(self._key_of(stored) == wanted for stored in self.cells())

    def add(self, cell: dict) -> None:
        """Store ``cell`` (replacing a stored cell with the same key), atomically."""
        missing = [field for field in self.key if field not in cell]
        if missing:
            raise KeyError(f"the cell lacks its key fields {missing}: {cell}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked():
            wanted = self._key_of(cell)
            cells = [stored for stored in self.cells() if self._key_of(stored) != wanted]
            cells.append(cell)
            cells.sort(key=lambda stored: [str(value) for value in self._key_of(stored)])
            self._write({"key": list(self.key), "cells": cells})

    def _key_of(self, cell: dict) -> tuple:
        return tuple(cell.get(field) for field in self.key)

    @contextlib.contextmanager
    def _locked(self):
        with open(self.path.with_suffix(self.path.suffix + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, content: dict) -> None:
        text = json.dumps(content, indent=1, sort_keys=True) + "\n"
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            os.unlink(temporary)
            raise
