"""Seeds of case inputs.

Hidden cases can be derived per student from a secret:
``HMAC-SHA256(secret, "exercise/case/student")``, so two students' hidden
inputs differ and neither can compute the other's without the secret. When
grading for credit (``dlgrade grade``, the platform runners) public cases are
drawn per student too (``vary_public``): their published inputs and outputs
(the release's fixtures) are then worth nothing as a lookup table, while a
local ``dlgrade check`` keeps the fixed public inputs the fixtures hold.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from grader.engine.suite import Case


def case_seed(exercise: str, case: Case, secret: bytes | None = None,
              student: str | None = None, vary_public: bool = False) -> int:
    """The seed of ``case``'s inputs: fixed, or with a secret and a student, their own."""
    if not ((case.hidden or vary_public) and secret and student):
        return case.seed
    msg = f"{exercise}/{case.name}/{student}".encode()
    return int.from_bytes(hmac.new(secret, msg, hashlib.sha256).digest()[:8], "little")


SECRET_ENV = "DLGRADE_SECRET"


def secret_from_env() -> bytes | None:
    """The course secret for per-student hidden cases, from ``$DLGRADE_SECRET``.

    Never a flag: command lines are visible to other users of the machine.
    """
    value = os.environ.get(SECRET_ENV, "")
    return value.encode() if value else None
