"""Known mistakes in a release without their code, values or text in the clear.

For a public case, the *canonical form* of some outputs is their values
rounded to 4 significant digits (tiny values relative to the array's scale
count as 0). A mistake is stored as ``lookup -> sealed`` where
``lookup = SHA-256("id:" + canonical(variant outputs))`` and ``sealed`` is the
mistake's id, title and hint (English and Chinese) encrypted with a key stream derived from
``SHA-256("key:" + canonical)``. Only a submission whose outputs *are* the
mistake's finds the entry and can read it; reading the file reveals nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json

import numpy as np

from grader.engine.suite import Mistake, Outputs


def canonical(outputs: Outputs, keys: list[str]) -> bytes | None:
    """The outputs' rounded values as bytes; None if a key is missing."""
    parts = []
    for key in keys:
        if key not in outputs:
            return None
        a = np.asarray(outputs[key])
        parts.append(f"{key}{a.shape}{a.dtype.kind in 'biu'}:".encode())
        if a.dtype.kind in "biu":
            parts.append(a.astype(np.int64).tobytes())
            continue
        a = a.astype(np.float64)
        finite = a[np.isfinite(a)]
        scale = max(1.0, float(np.max(np.abs(finite)))) if finite.size else 1.0
        a = np.where(np.abs(a) < 1e-8 * scale, 0.0, a)
        parts.append(" ".join(f"{v:.3e}" for v in a.ravel()).encode())
    return b"\n".join(parts)


def lookup(form: bytes) -> str:
    """The key a mistake is stored under, from its canonical form."""
    return hashlib.sha256(b"id:" + form).hexdigest()


def _stream(form: bytes, size: int) -> bytes:
    key = hashlib.sha256(b"key:" + form).digest()
    blocks = (hashlib.sha256(key + n.to_bytes(8, "big")).digest() for n in range(size // 32 + 1))
    return b"".join(blocks)[:size]


def seal(mistake: Mistake, form: bytes, zh: tuple[str, str] | None = None) -> str:
    """The mistake's id, title and hint (and their Chinese, ``zh``) sealed with ``form``."""
    fields: dict[str, object] = {"id": mistake.id, "title": mistake.title, "hint": mistake.hint}
    if zh:
        fields["zh"] = list(zh)
    data = json.dumps(fields).encode()
    return base64.b64encode(bytes(a ^ b for a, b in zip(data, _stream(form, len(data)),
                                                           strict=True))).decode()


def unseal(token: str, form: bytes) -> Mistake | None:
    """The mistake sealed in ``token``, or None if ``form`` does not open it."""
    raw = base64.b64decode(token)
    try:
        data = json.loads(bytes(a ^ b for a, b in zip(raw, _stream(form, len(raw)), strict=True)))
        zh = data.get("zh")
        return Mistake(data["id"], data["title"], data["hint"], {},
                       zh=(str(zh[0]), str(zh[1])) if zh else None)
    except (ValueError, KeyError, TypeError, IndexError):
        return None
