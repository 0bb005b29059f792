"""``.npz`` files written atomically and read safely: no pickle, one clear line for a damaged file.

``write_arrays`` never leaves a half-written file under the final name: it
writes a temporary file in the same folder, forces it to the disk (fsync) and
only then renames it over the old one (``os.replace``, atomic on POSIX and
Windows), so a crash or a full disk mid-write leaves the previous file whole.

``numpy.load`` reports a truncated archive as ``BadZipFile``, a foreign file as
a remark about pickled data and a damaged entry as a CRC error, from deep
inside ``zipfile``. ``read_arrays`` reads every entry up front (so damage
anywhere shows now, not at first use) and turns each of those into the
caller's typed error, naming the file.
"""

from __future__ import annotations

import os
import pathlib
import tempfile
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


def write_arrays(path, arrays: dict, error: type[Exception]) -> pathlib.Path:
    """Write ``arrays`` (name → NumPy array) to ``path`` as an ``.npz``, atomically; return the path."""
    path = pathlib.Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise error(f"{path}: the folder {folder} does not exist")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as problem:
        raise error(f"{path}: cannot write in {folder} ({problem.strerror or problem})") from None
    try:
        os.chmod(temporary, _new_file_mode(path))     # mkstemp makes it private (0600)
        with os.fdopen(descriptor, "wb") as file:
            np.savez(file, **arrays)
            file.flush()
            os.fsync(file.fileno())           # the bytes are on the disk before the name points at them
        os.replace(temporary, path)
    except BaseException as problem:
        pathlib.Path(temporary).unlink(missing_ok=True)
        if isinstance(problem, OSError):
            raise error(f"{path}: cannot be written ({problem.strerror or problem}); "
                        "the previous file, if any, is unchanged") from None
        raise
    _sync_folder(folder)
    return path


def _new_file_mode(path: pathlib.Path) -> int:
    """The permissions the file would get if written directly: the old file's, or 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: pathlib.Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _one_line(problem: Exception) -> str:
    return " ".join(str(problem).split()) or type(problem).__name__
