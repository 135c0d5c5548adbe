"""Arrays on the wire: a strict subset of ``.npy`` 1.0, written and read without ``np.save``/``np.load``.

A blob is the ``.npy`` magic, a version 1.0 header in the exact form numpy
writes (``{'descr': '<f8', 'fortran_order': False, 'shape': (4, 10), }`` and
space padding) and the raw bytes of the elements. ``unpack`` trusts nothing in
it: the header is matched by a regular expression (never evaluated), the dtype
must be one of ``DTYPES`` (booleans, integers and floats of this machine's byte
order, nothing else), the shape a tuple of at most ``MAX_DIMS`` non-negative
integers written as Python writes them, at most ``MAX_ELEMENTS`` elements, and
the data exactly as long as the header says; booleans must be bytes 0 or 1.

Imported by the zygote (standard library and numpy only) and by the grader,
which reads the child's outputs with it: one decoder for both directions.
"""

from __future__ import annotations

import re
import struct
import sys

import numpy as np

try:  # in the zygote this file is loaded by name, beside limits.py
    from grader.sandbox.limits import MAX_ELEMENTS
except ImportError:  # pragma: no cover - the child's side
    from limits import MAX_ELEMENTS  # type: ignore[no-redef]

MAGIC = b"\x93NUMPY\x01\x00"
ORDER = "<" if sys.byteorder == "little" else ">"
DTYPES = {f"|{k}1" for k in "biu"} | {f"{ORDER}{k}{n}" for k in "iu" for n in (2, 4, 8)} \
    | {f"{ORDER}f{n}" for n in (2, 4, 8)}
MAX_DIMS = 32
MAX_HEADER = 4096
HEADER = re.compile(r"\{'descr': (?P<descr>.{1,200}?), 'fortran_order': (?P<fortran>True|False), "
                    r"'shape': \((?P<shape>[0-9, ]{0,400})\), \} *\n", re.ASCII | re.DOTALL)


class BadArray(ValueError):
    """A blob that is not an array of the wire format; the message says what is wrong."""


def pack(arr: np.ndarray) -> bytes:
    """An array as a blob (C order; a byte-swapped dtype is stored in this machine's order)."""
    if arr.dtype.byteorder not in "=|" + ORDER:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    if not arr.flags.c_contiguous:
        arr = arr.copy(order="C")  # not np.ascontiguousarray: it makes a 0-d array 1-d
    shape = repr(tuple(int(n) for n in arr.shape))
    head = f"{{'descr': '{arr.dtype.str}', 'fortran_order': False, 'shape': {shape}, }}"
    head += " " * (63 - (len(MAGIC) + 2 + len(head)) % 64) + "\n"  # 64-byte aligned, as numpy does
    return MAGIC + struct.pack("<H", len(head)) + head.encode("latin-1") + arr.tobytes()


def _shape(text: str) -> tuple[int, ...]:
    """The shape written as Python writes a tuple of ints; anything else is refused."""
    parts = text[:-1].split(", ") if text.endswith(",") else text.split(", ") if text else []
    if len(parts) > MAX_DIMS or any(not p.isdigit() or len(p) > 12 or (p[0] == "0" and p != "0")
                                    for p in parts):
        raise BadArray(f"not an .npy array (shape ({text}))")
    shape = tuple(int(p) for p in parts)
    if repr(shape)[1:-1] != text:
        raise BadArray(f"not an .npy array (shape ({text}))")
    return shape


def unpack(blob: bytes) -> np.ndarray:
    """The array in ``blob`` (a fresh, writable copy), after checking everything about it.

    Raises:
        BadArray: Not the wire format, a dtype outside ``DTYPES``, too many elements,
            or data of the wrong length.
    """
    if len(blob) < len(MAGIC) + 2 or not blob.startswith(MAGIC):
        raise BadArray("not an .npy array (no version 1.0 magic)")
    (size,) = struct.unpack_from("<H", blob, len(MAGIC))
    start = len(MAGIC) + 2 + size
    if size > MAX_HEADER or len(blob) < start:
        raise BadArray("not an .npy array (header too long or cut)")
    match = HEADER.fullmatch(blob[len(MAGIC) + 2:start].decode("latin-1"))
    if match is None:
        raise BadArray("not an .npy array (header not in numpy's own form)")
    descr = match["descr"]
    if descr[:1] != "'" or descr[-1:] != "'" or descr[1:-1] not in DTYPES:
        raise BadArray(f"dtype {descr} is not a plain number type")
    shape = _shape(match["shape"])
    count = 1
    for n in shape:
        count *= n
    if count > MAX_ELEMENTS or any(n > MAX_ELEMENTS for n in shape):  # also (2**32, 2**32, 0)
        raise BadArray(f"array of shape {shape} is too large")
    dtype = np.dtype(descr[1:-1])
    if len(blob) - start != count * dtype.itemsize:
        raise BadArray("array header does not match its data")
    data = np.frombuffer(blob, dtype=np.uint8, offset=start)
    if dtype.kind == "b" and count and int(data.max()) > 1:
        raise BadArray("array header does not match its data (booleans other than 0 and 1)")
    arr: np.ndarray = data.view(dtype).reshape(shape, order="F" if match["fortran"] == "True" else "C")
    return arr.copy(order="C")
