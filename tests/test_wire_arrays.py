"""The raw array wire format (grader.sandbox.arrays): what it carries, and every malformed
blob a hostile child could write refused with a message, never loaded.

The reference for an honest blob is numpy's own writer: ``np.save`` output must read back
equal, so a blob the format accepts is one numpy would have produced.
"""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest

from grader.engine.grading import Options, grade_exercise
from grader.models import Verdict
from grader.sandbox.arrays import DTYPES, MAGIC, BadArray, pack, unpack
from grader.sandbox.limits import MAX_ELEMENTS
from grader.sandbox.outcome import UnsafeOutput, load_untrusted
from grader.sandbox.runner import Sandbox
from grader.submission.source import Source
from tests.support.sandbox_support import REFERENCE, small_knn


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


def _blob(header: str, data: bytes = b"") -> bytes:
    """A blob with this header text (newline added), as a forger would write it."""
    head = header + "\n"
    return MAGIC + struct.pack("<H", len(head)) + head.encode("latin-1") + data


SAMPLES = [np.arange(12.0).reshape(3, 4), np.float64(2.5) * np.ones(()), np.zeros(0, np.int64),
           np.array([True, False]), np.arange(6, dtype=np.uint8).reshape(1, 2, 3),
           np.arange(4, dtype=np.float32), np.arange(6.0).reshape(2, 3).T, np.zeros((2, 0, 3))]


@pytest.mark.parametrize("arr", SAMPLES, ids=lambda a: f"{a.dtype}{a.shape}")
def test_round_trip_and_numpy_compatibility(arr: np.ndarray) -> None:
    for blob in (pack(arr), _npy(arr)):  # ours, and numpy's own writer (Fortran order included)
        got = unpack(blob)
        assert got.dtype == arr.dtype and got.shape == arr.shape and np.array_equal(got, arr)
        assert got.flags.writeable and got.flags.c_contiguous
    assert np.load(io.BytesIO(pack(arr)), allow_pickle=False).tolist() == arr.tolist()  # numpy reads ours


def test_every_whitelisted_dtype_travels_and_byte_order_is_normalised() -> None:
    for name in DTYPES:
        arr = np.arange(3).astype(name)
        assert unpack(pack(arr)).dtype == np.dtype(name)
    swapped = np.arange(3.0).astype(">f8")
    got = unpack(pack(swapped))
    assert got.dtype == np.dtype("float64") and got.tolist() == [0.0, 1.0, 2.0]


HOSTILE = {
    "pickle": (b"\x80\x04\x95" + b"x" * 40, "not an .npy array"),
    "empty": (b"", "not an .npy array"),
    "version 2": (b"\x93NUMPY\x02\x00" + b"\x00" * 40, "not an .npy array"),
    "header length past the end": (MAGIC + struct.pack("<H", 60000) + b"{", "not an .npy array"),
    "code in the descr": (_blob("{'descr': __import__('os').system('x'), 'fortran_order': False, "
                                "'shape': (1,), }"), "not a plain number type"),
    "object dtype": (_npy(np.zeros(1)).replace(b"'<f8'", b"'|O8'"), "not a plain number type"),
    "structured dtype": (_blob("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }",
                               b"\0" * 8), "not a plain number type"),
    "long double": (_blob("{'descr': '<f16', 'fortran_order': False, 'shape': (1,), }", b"\0" * 16),
                    "not a plain number type"),
    "complex": (_blob("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", b"\0" * 16),
                "not a plain number type"),
    "foreign byte order": (_blob("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", b"\0" * 8),
                           "not a plain number type"),
    "unicode": (_npy(np.array(["a"])), "not a plain number type"),
    "negative dim": (_blob("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }"), "not an .npy"),
    "float dim": (_blob("{'descr': '<f8', 'fortran_order': False, 'shape': (1.0,), }"), "not an .npy"),
    "bool dim": (_blob("{'descr': '<f8', 'fortran_order': False, 'shape': (True,), }"), "not an .npy"),
    "leading zero": (_blob("{'descr': '<f8', 'fortran_order': False, 'shape': (01,), }", b"\0" * 8),
                     "not an .npy"),
    "odd spacing": (_blob("{'descr': '<f8', 'fortran_order': False, 'shape': (1 ,), }", b"\0" * 8),
                    "not an .npy"),
    "too many dims": (_blob("{'descr': '<f8', 'fortran_order': False, 'shape': (" + "1, " * 33 + "1), }",
                            b"\0" * 8), "not an .npy"),
    "extra key": (_blob("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1, }", b"\0" * 8),
                  "not an .npy"),
    "too many elements": (_blob("{'descr': '|u1', 'fortran_order': False, "
                                f"'shape': ({MAX_ELEMENTS + 1},), }}"), "too large"),
    "overflowing product": (_blob("{'descr': '<f8', 'fortran_order': False, 'shape': "
                                  "(4294967296, 4294967296, 0), }"), "too large"),
    "overflowing product, no zero": (_blob("{'descr': '<f8', 'fortran_order': False, 'shape': "
                                           "(4294967297, 4294967297), }"), "too large"),
    "one byte short": (_npy(np.zeros(3))[:-1], "does not match its data"),
    "one byte too many": (_npy(np.zeros(3)) + b"\0", "does not match its data"),
    "boolean byte 2": (_npy(np.zeros(3, bool))[:-1] + b"\x02", "booleans other than 0 and 1"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_malformed_blobs_are_refused(name: str) -> None:
    blob, words = HOSTILE[name]
    with pytest.raises(BadArray, match=words):
        unpack(blob)
    with pytest.raises(UnsafeOutput, match=words):
        load_untrusted(blob)


FORGED = ("import os, struct, protocol\n"
          "def compute_distances_one_loop(X_train, X):\n"
          "    blob = protocol.pack(X @ X_train.T) + b'\\0'\n"
          "    frame = protocol.encode({'status': 'ok', 'outputs': {'dists': {'__array__': 0}}, "
          "'invalid': {}}, [blob])\n"
          "    os.write(3, frame)\n    os._exit(0)\n")


def test_a_forged_frame_with_a_trailing_byte_is_an_invalid_output(sandbox: Sandbox) -> None:
    """Through the real sandbox: the right values with one byte too many earn nothing."""
    result = grade_exercise(small_knn(), Source("knn", REFERENCE + "\n" + FORGED, "knn.py"), sandbox,
                            Options(hidden=False))
    cases = {c.name: c for c in result.cases}
    assert cases["one_loop"].verdict is Verdict.INVALID_OUTPUT
    assert "does not match its data" in cases["one_loop"].message
    assert cases["two_loops"].passed
