"""``.npz`` files read safely: no pickle, and one clear line for a damaged file.

``numpy.load`` reports a truncated archive as ``BadZipFile``, a foreign file as
a remark about pickled data and a damaged entry as a CRC error, from deep
inside ``zipfile``. ``read_arrays`` reads every entry up front (so damage
anywhere shows now, not at first use) and turns each of those into the
caller's typed error, naming the file.
"""

from __future__ import annotations

import pathlib
import zipfile
import zlib

import numpy as np

ZIP_MAGIC = b"PK\x03\x04"


def read_arrays(path, error: type[Exception]) -> dict[str, np.ndarray]:
    """Every array stored in the ``.npz`` file ``path``, by name, loaded without pickle."""
    path = pathlib.Path(path)
    try:
        with path.open("rb") as file:
            start = file.read(len(ZIP_MAGIC))
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except OSError as problem:
        raise error(f"{path}: cannot be read ({problem.strerror or problem})") from None
    if start != ZIP_MAGIC:
        raise error(f"{path}: not an .npz file (it does not start like a zip archive)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as problem:
        raise error(f"{path}: damaged or truncated .npz file ({_one_line(problem)})") from None


def _one_line(problem: Exception) -> str:
    return " ".join(str(problem).split()) or type(problem).__name__
