"""Checkpoints: ``tinygrad_ko.save(obj, path)`` and ``tinygrad_ko.load(path)``.

Save what a run needs to continue, as PyTorch users do::

    tinygrad_ko.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                      "epoch": 3}, "run.ckpt")
    state = tinygrad_ko.load("run.ckpt")
    model.load_state_dict(state["model"]); optimizer.load_state_dict(state["optimizer"])

``obj`` may nest dicts (string keys), lists, tuples (loaded as lists), None,
bools, numbers, strings and arrays of numbers (NumPy or CuPy, loaded as
NumPy; Tensors are saved as their arrays).

**The format.** An ``.npz`` archive (a zip of ``.npy`` files) holding the
arrays as ``a0``, ``a1``, … and one entry ``checkpoint_header``: UTF-8 JSON
``{"format": "tinygrad_ko checkpoint", "version": 1, "content": ...}`` where
``content`` is ``obj`` with each array replaced by ``{"__array__": "a0"}``.
It is read with ``allow_pickle=False``: loading a checkpoint can never run
code, unlike a pickle. The file is written atomically (``npz.write_arrays``),
so a crash mid-save leaves the previous checkpoint whole; a truncated,
corrupt or foreign file, or another format version, is one ``CheckpointError``.
"""

from __future__ import annotations

import json
import numbers
import pathlib

import numpy as np

from .backend import move
from .errors import TinygradKoError
from .npz import read_arrays, write_arrays

FORMAT = "tinygrad_ko checkpoint"
VERSION = 1
HEADER = "checkpoint_header"
ARRAY_KEY = "__array__"


class CheckpointError(TinygradKoError, ValueError):
    """A checkpoint cannot be written or read: what, which file, and why, in one line."""


def save(obj, path) -> pathlib.Path:
    """Write ``obj`` to ``path`` as a checkpoint (atomically); return the path."""
    arrays: dict[str, np.ndarray] = {}
    content = _encode(obj, arrays, [])
    header = json.dumps({"format": FORMAT, "version": VERSION, "content": content}, ensure_ascii=False)
    arrays[HEADER] = np.frombuffer(header.encode("utf-8"), dtype=np.uint8)
    return write_arrays(path, arrays, CheckpointError)


def load(path):
    """The object saved in the checkpoint ``path``, with NumPy arrays in place of the arrays."""
    arrays = read_arrays(path, CheckpointError)
    if HEADER not in arrays:
        raise CheckpointError(f"{path}: not a tinygrad_ko checkpoint (an .npz without a {HEADER} entry)")
    try:
        header = json.loads(arrays.pop(HEADER).tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise CheckpointError(f"{path}: damaged checkpoint header ({problem})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a tinygrad_ko checkpoint (its header names no {FORMAT!r} format)")
    if header.get("version") != VERSION:
        raise CheckpointError(f"{path}: checkpoint format version {header.get('version')}; "
                              f"this tinygrad_ko reads version {VERSION} (use the version that wrote it)")
    return _decode(header.get("content"), arrays, path)


def _encode(value, arrays: dict, where: list):
    """``value`` as JSON data, its arrays moved to ``arrays`` (host copies) and replaced by references."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return value.item()
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, dict):
        if ARRAY_KEY in value:
            raise CheckpointError(f"cannot save the key {ARRAY_KEY!r} at {where}: {ARRAY_KEY!r} is reserved "
                                  "for the file's array references")
        for key in value:
            if not isinstance(key, str):
                raise CheckpointError(f"cannot save {type(value).__name__} keys: keys must be strings, "
                                      f"got {key!r} at {where}")
        return {key: _encode(item, arrays, where + [key]) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(item, arrays, where + [position]) for position, item in enumerate(value)]
    array = _as_host_array(value)
    if array is None:
        raise CheckpointError(f"cannot save a {type(value).__name__} at {where}; a checkpoint holds dicts, "
                              "lists, numbers, strings, None and arrays of numbers")
    if array.dtype.kind not in "biufc":
        raise CheckpointError(f"cannot save an array of dtype {array.dtype} at {where}; "
                              "only arrays of numbers (no objects, no pickles)")
    name = f"a{len(arrays)}"
    arrays[name] = array
    return {ARRAY_KEY: name}


def _as_host_array(value) -> np.ndarray | None:
    """A NumPy array of ``value`` if it is a NumPy or CuPy array or a Tensor, else None."""
    from .tensor import Tensor

    if isinstance(value, Tensor):
        value = value.data
    if isinstance(value, np.ndarray) or type(value).__module__.startswith("cupy"):
        return np.ascontiguousarray(move(value, "cpu"))
    return None


def _decode(value, arrays: dict, path):
    """The saved object, each ``{"__array__": name}`` replaced by its array."""
    if isinstance(value, dict):
        if set(value) == {ARRAY_KEY}:
            name = value[ARRAY_KEY]
            if name not in arrays:
                raise CheckpointError(f"{path}: damaged checkpoint; the header refers to array {name!r}, "
                                      "which the file does not hold")
            return arrays[name]
        return {key: _decode(item, arrays, path) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item, arrays, path) for item in value]
    return value
