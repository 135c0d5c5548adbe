"""One case's outcome from the sandbox's reply.

The answer frame is parsed and its arrays checked (``outcome.load_untrusted``)
before anything of it is used.

Shared by the zygote-based ``Sandbox`` and the portable level.
"""

from __future__ import annotations

import io
import itertools
from typing import Any

from grader.sandbox.disguise import KEEP_INVALID, restore
from grader.sandbox.limits import SETUP_FAILED
from grader.sandbox.outcome import ChildOutcome, load_untrusted

KEY_LIMIT = 100  # characters of an output name the submission chose
MAX_INVALID = 1000  # outputs of the wrong kind read per case (as execute.MAX_INVALID)


def outcome_from_reply(reply: dict[str, Any], blobs: list[bytes],
                       table: dict[str, str | None]) -> ChildOutcome:
    """The outcome of one case from the zygote's (or portable worker's) reply and the answer frame.

    ``table`` maps the child's opaque output keys back to the suite's (``disguise``).
    """
    import numpy as np

    from grader.sandbox import protocol

    stdout, code, cpu = reply["stdout"], reply["exit_code"], float(reply.get("cpu", 0.0))
    if reply["timed_out"]:
        return ChildOutcome("timeout", stdout=stdout, exit_code=code, cpu=cpu)
    if reply.get("too_large"):
        return ChildOutcome("invalid", stdout=stdout, message="the outputs are larger than 64 MB")
    if code == SETUP_FAILED:
        return ChildOutcome("crash", exit_code=code, message="the sandbox could not set up the case")
    try:
        parsed = protocol.read_frame(io.BytesIO(blobs[0]))
    except (ValueError, UnicodeDecodeError, RecursionError):
        parsed = None
    if parsed is None and blobs[0] and code >= 0:  # killed mid-write is a crash
        return ChildOutcome("invalid", stdout=stdout, message="malformed answer: the code wrote "
                            "something else than the sandbox's result to its result pipe")
    if parsed is None:
        return ChildOutcome("crash", stdout=stdout, exit_code=code, cpu=cpu)
    answer, arrays = parsed
    if not isinstance(answer, dict) or answer.get("status") not in (
            "ok", "exception", "syntax_error", "bad_return"):
        return ChildOutcome("invalid", stdout=stdout, message="malformed answer")
    if answer["status"] != "ok":
        return ChildOutcome(answer["status"], exc_type=str(answer.get("exc_type", ""))[:100],
                            message=str(answer.get("message", ""))[:500],
                            where=str(answer.get("where", ""))[:50], stdout=stdout)
    try:
        outputs = protocol.decode_value(answer.get("outputs", {}), arrays, load_untrusted)
        invalid = dict(itertools.islice(((str(k)[:KEY_LIMIT], str(v)[:KEY_LIMIT]) for k, v in
                                         dict(answer.get("invalid", {})).items()), MAX_INVALID))
        mutated = tuple(str(m) for m in answer.get("mutated", []))[:20]
    except (IndexError, KeyError, TypeError, ValueError, RecursionError) as exc:  # UnsafeOutput too
        return ChildOutcome("invalid", stdout=stdout, message=str(exc)[:500])
    if not isinstance(outputs, dict):
        return ChildOutcome("invalid", stdout=stdout, message="malformed outputs")
    outputs, invalid = restore(outputs, invalid, table)
    for key in [k for k, v in outputs.items() if not isinstance(v, np.ndarray)]:
        if len(invalid) < KEEP_INVALID:
            invalid[key[:KEY_LIMIT]] = "nested value"
        del outputs[key]
    return ChildOutcome("ok", outputs=outputs, invalid=invalid, stdout=stdout, cpu=cpu,
                        mutated=mutated)
