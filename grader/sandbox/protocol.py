"""Wire format between the grader and the sandbox: frames of JSON + array blobs.

This module is imported by the zygote, so it uses only the standard library
and numpy. A frame is ``len(header) len(blob_0) ... header blob_0 ...``: the
header is JSON; arrays inside it are ``{"__array__": i}`` pointing at blob i,
earlier call results are ``{"__ref__": [call, index]}``. Array blobs are the
strict ``.npy`` subset of ``arrays.py``, packed and checked without ``np.save``/``np.load``.
"""

from __future__ import annotations

import json
import struct
from typing import IO, Any

import numpy as np

try:  # in the zygote this file is loaded by name, beside limits.py
    from grader.sandbox.arrays import pack, unpack
    from grader.sandbox.limits import MAX_BLOBS, MAX_FRAME
except ImportError:  # pragma: no cover - the child's side
    from arrays import pack, unpack  # type: ignore[no-redef]
    from limits import MAX_BLOBS, MAX_FRAME  # type: ignore[no-redef]


def _encode_value(value: Any, blobs: list[bytes]) -> Any:
    if isinstance(value, np.ndarray):
        blobs.append(pack(value))
        return {"__array__": len(blobs) - 1}
    if isinstance(value, dict):
        return {str(k): _encode_value(v, blobs) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode_value(v, blobs) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if type(value).__name__ == "Ref":  # grader.engine.suite.Ref, not imported here
        return {"__ref__": [value.call, value.index]}
    return value


def encode(header: dict[str, Any], blobs: list[bytes] | None = None) -> bytes:
    """Frame a header whose arrays are moved out into .npy blobs."""
    blobs = [] if blobs is None else blobs
    body = json.dumps(_encode_value(header, blobs)).encode()
    sizes = struct.pack(f"<{len(blobs) + 2}Q", len(blobs), len(body), *map(len, blobs))
    return sizes + body + b"".join(blobs)


def read_frame(stream: IO[bytes]) -> tuple[dict[str, Any], list[bytes]] | None:
    """Read one frame; None at a clean end of stream."""
    head = _read_exact(stream, 16)
    if head is None:
        return None
    count, body_len = struct.unpack("<2Q", head)
    if count > MAX_BLOBS or body_len > MAX_FRAME:
        raise ValueError("frame too large")
    sizes_raw = _read_exact(stream, 8 * count) if count else b""
    if sizes_raw is None:
        raise ValueError("truncated frame")
    sizes = struct.unpack(f"<{count}Q", sizes_raw)
    if body_len + sum(sizes) > MAX_FRAME:
        raise ValueError("frame too large")
    body = _read_exact(stream, body_len)
    blobs = [_read_exact(stream, n) for n in sizes]
    if body is None or any(b is None for b in blobs):
        raise ValueError("truncated frame")
    return json.loads(body), [b for b in blobs if b is not None]


def _read_exact(stream: IO[bytes], n: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < n:
        chunk = stream.read(n - len(chunks))
        if not chunk:
            if chunks:
                raise ValueError("truncated frame")
            return None
        chunks += chunk
    return bytes(chunks)


def decode_value(value: Any, blobs: list[bytes], load: Any) -> Any:
    """Rebuild a header value; ``load`` turns a blob into an array."""
    if isinstance(value, dict):
        if "__array__" in value:
            return load(blobs[value["__array__"]])
        return {k: decode_value(v, blobs, load) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_value(v, blobs, load) for v in value]
    return value


def trusted_load(blob: bytes) -> np.ndarray:
    """Load an array the grader itself wrote (inputs going into the child), checked all the same."""
    return unpack(blob)
