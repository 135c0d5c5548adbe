"""The outcomes of a batch of cases from what the sandbox's child sent.

Each answer frame is parsed and its arrays checked (``outcome.load_untrusted``)
before anything of it is used.

Shared by the zygote-based ``Sandbox`` and the portable level.
"""

from __future__ import annotations

import io
import itertools

from grader.sandbox.disguise import KEEP_INVALID, restore
from grader.sandbox.handoff import Answers
from grader.sandbox.limits import SETUP_FAILED
from grader.sandbox.outcome import ChildOutcome, load_untrusted

KEY_LIMIT = 100  # characters of an output name the submission chose
MAX_INVALID = 1000  # outputs of the wrong kind read per case (as execute.MAX_INVALID)
MALFORMED = ("malformed answer: the code wrote something else than the sandbox's result "
             "to its result pipe")


def outcomes_from_answers(answers: Answers, tables: list[dict[str, str | None]]) -> list[ChildOutcome]:
    """The outcomes of a batch's cases from what its child sent, in order.

    ``tables[i]`` maps case i's opaque output keys back to the suite's (``disguise``).
    Cases the zygote saw answered (a tick each) get their frames. The case after them
    is the one the child ended in: a timeout, or its frame if one came without a tick,
    or what the exit says. Later cases are left out: the caller sends them again.
    """
    reply, frames = answers.reply, answers.frames
    done = min(len(frames), int(reply.get("ticks", 0)), len(tables))
    outcomes = [outcome_from_frame(frames[i], answers.outs[i], tables[i], answers.walls[i])
                for i in range(done)]
    if done == len(tables):
        return outcomes
    stdout, code, cpu = answers.outs[done], int(reply["exit_code"]), float(reply.get("cpu", 0.0))
    if reply["timed_out"]:
        ending = ChildOutcome("timeout", stdout=stdout, exit_code=code, cpu=cpu)
    elif done < len(frames):  # answered, then the child ended before saying so
        ending = outcome_from_frame(frames[done], stdout, tables[done], answers.walls[done])
    elif answers.too_large:
        ending = ChildOutcome("invalid", stdout=stdout, message="the outputs are larger than 64 MB")
    elif code == SETUP_FAILED:
        ending = ChildOutcome("crash", exit_code=code, message="the sandbox could not set up the case")
    elif answers.rest and code >= 0:  # killed mid-write is a crash
        ending = ChildOutcome("invalid", stdout=stdout, message=MALFORMED)
    else:
        ending = ChildOutcome("crash", stdout=stdout, exit_code=code, cpu=cpu)
    return [*outcomes, ending]


def outcome_from_frame(frame: bytes, stdout: str, table: dict[str, str | None],
                       wall: float = 0.0) -> ChildOutcome:
    """The outcome of one case from its whole answer frame (parsed and checked here)."""
    import numpy as np

    from grader.sandbox import protocol

    try:
        parsed = protocol.read_frame(io.BytesIO(frame))
    except (ValueError, UnicodeDecodeError, RecursionError):
        parsed = None
    if parsed is None:
        return ChildOutcome("invalid", stdout=stdout, message=MALFORMED)
    answer, arrays = parsed
    if not isinstance(answer, dict) or answer.get("status") not in (
            "ok", "exception", "syntax_error", "bad_return"):
        return ChildOutcome("invalid", stdout=stdout, message="malformed answer")
    if answer["status"] != "ok":
        return ChildOutcome(answer["status"], exc_type=str(answer.get("exc_type", ""))[:100],
                            message=str(answer.get("message", ""))[:500],
                            where=str(answer.get("where", ""))[:50], stdout=stdout, wall=wall)
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
    return ChildOutcome("ok", outputs=outputs, invalid=invalid, stdout=stdout, mutated=mutated, wall=wall)
