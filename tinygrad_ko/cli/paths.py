"""Output folders of the commands: made when missing, refused in one line when they cannot be."""

from __future__ import annotations

import pathlib

from . import UsageError


def output_folder(path, option: str = "--out") -> pathlib.Path:
    """``path`` as a folder that exists (made with its parents if missing), checked
    before a command starts its long work; UsageError naming ``option`` otherwise."""
    path = pathlib.Path(path)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{option} {path}: is a file; give a folder for the outputs")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UsageError(f"{option} {path}: a part of this path is a file, not a folder") from None
    except PermissionError:
        raise UsageError(f"{option} {path}: no permission to make this folder") from None
    return path
