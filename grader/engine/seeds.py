"""Seeds of case inputs.

Hidden cases can be derived per student from a secret:
``HMAC-SHA256(secret, "exercise/case/student")``, so two students' hidden
inputs differ and neither can compute the other's without the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from grader.engine.suite import Case


def case_seed(exercise: str, case: Case, secret: bytes | None = None,
              student: str | None = None) -> int:
    """The seed of a case's inputs: per student for hidden cases (given secret and student), else fixed."""
    if not (case.hidden and secret and student):
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
