"""Read and write the IDX format of MNIST and Fashion-MNIST.

An IDX file is a header followed by the raw array data, both big-endian::

    bytes 0-1   two zero bytes
    byte  2     type code: 0x08 uint8, 0x09 int8, 0x0B int16,
                           0x0C int32, 0x0D float32, 0x0E float64
    byte  3     number of dimensions, ndim
    4 * ndim    each dimension as an unsigned 32-bit integer
    the rest    the elements in C (row-major) order

Files are often gzip-compressed. ``read_idx`` recognises gzip by its own magic
bytes (``1f 8b``) rather than by the file name; ``write_idx`` compresses when
the name ends in ``.gz``.
"""

import gzip
import math
import struct
import zlib
from pathlib import Path

import numpy as np

from .errors import DatasetError

TYPE_CODES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
GZIP_MAGIC = b"\x1f\x8b"


def read_idx(path):
    """Return the array stored in the IDX file ``path`` (plain or gzip-compressed).

    The result is a writable array in native byte order with the file's dtype
    and shape. A file that is truncated, too long, or does not start with a
    valid IDX header raises ``DatasetError`` naming the file and the problem.
    """
    path = Path(path)
    raw = _read_bytes(path)
    dtype, shape, header_size = _parse_header(path, raw)
    expected = math.prod(shape) * dtype.itemsize
    found = len(raw) - header_size
    if found != expected:
        problem = "truncated IDX data" if found < expected else "extra bytes after the IDX data"
        raise DatasetError(
            f"{path}: {problem}, shape {shape} of {dtype.name} needs {expected} bytes, "
            f"found {found}"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def write_idx(path, array):
    """Write ``array`` to ``path`` in IDX format, gzip-compressed if the name ends in ``.gz``.

    The dtype must be one IDX can hold (uint8, int8, int16, int32, float32,
    float64); cast other arrays first, e.g. ``array.astype(np.int32)``.
    """
    path = Path(path)
    array = np.asarray(array)
    code = _type_code(array.dtype)
    if array.ndim > 255:
        raise DatasetError(f"{path}: IDX holds at most 255 dimensions, the array has {array.ndim}")
    header = struct.pack(f">2xBB{array.ndim}I", code, array.ndim, *array.shape)
    content = header + array.astype(TYPE_CODES[code], copy=False).tobytes(order="C")
    if path.suffix == ".gz":
        content = gzip.compress(content, mtime=0)  # mtime=0: same array, same bytes
    path.write_bytes(content)


def _parse_header(path, raw):
    """Return ``(dtype, shape, header_size)`` read from the start of ``raw``; raise if bad."""
    if len(raw) < 4:
        raise DatasetError(
            f"{path}: truncated IDX file, {len(raw)} bytes, no room for the magic number"
        )
    zeros, code, ndim = raw[:2], raw[2], raw[3]
    if zeros != b"\x00\x00" or code not in TYPE_CODES:
        codes = ", ".join(f"0x{c:02X}" for c in TYPE_CODES)
        raise DatasetError(
            f"{path}: bad IDX magic number {raw[:4].hex(' ')}; expected 00 00, a type code "
            f"({codes}) and the number of dimensions"
        )
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise DatasetError(
            f"{path}: truncated IDX header, {ndim} dimensions need {header_size} bytes, "
            f"found {len(raw)}"
        )
    return TYPE_CODES[code], struct.unpack(f">{ndim}I", raw[4:header_size]), header_size


def _read_bytes(path):
    """Return the content of ``path``, decompressed if it is gzip."""
    raw = path.read_bytes()
    if not raw.startswith(GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as error:
        raise DatasetError(f"{path}: damaged or truncated gzip file ({error})") from None


def _type_code(dtype):
    """Return the IDX type code for ``dtype``, or raise naming the dtypes IDX supports."""
    for code, idx_dtype in TYPE_CODES.items():
        if dtype.kind == idx_dtype.kind and dtype.itemsize == idx_dtype.itemsize:
            return code
    names = ", ".join(d.name for d in TYPE_CODES.values())
    raise DatasetError(f"IDX cannot store dtype {dtype.name}; supported dtypes are {names}")
