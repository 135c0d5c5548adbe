"""Copy detection weighted by information (issue 13): identical outputs count as
evidence only where they carry information, and only several such matches flag
a pair. The class here is graded on its real per-student hidden inputs with the
reference, the known-mistake variants and common bugs, in-process (60 students
through the sandbox would take minutes); the digest and the bits are the
engine's own. tests/test_grade_inputs.py covers the same through ``dlgrade grade``."""

from __future__ import annotations

from itertools import combinations
from types import SimpleNamespace

import numpy as np
import pytest

from grader.engine import registry
from grader.engine.information import array_bits, output_bits
from grader.engine.judging import output_digest
from grader.engine.mistakes import run_trusted, variant
from grader.engine.seeds import case_seed
from grader.grade.results import StudentResult
from grader.grade.roster import Student
from grader.grade.suspicious import MIN_BITS, MIN_MATCHES, identical_hidden_outputs
from grader.models import CaseResult, ExerciseResult, Verdict

SECRET = b"course-secret"


def test_bits_of_arrays_by_hand() -> None:
    assert array_bits(np.zeros(6, dtype=np.int64)) == 0  # all-equal labels: nothing
    assert array_bits(np.array([0, 1, 0, 1])) == pytest.approx(4.0)  # 4 × H(1/2, 1/2) = 4 × 1 bit
    assert array_bits(np.arange(8.0)) == pytest.approx(24.0)  # 8 distinct values: 8 × log2 8
    assert array_bits(np.array([3])) == 0
    assert output_bits({"a": np.arange(8.0), "b": np.array([0, 1, 0, 1])}) == pytest.approx(28.0)


def _zeros_labels(dists, y_train, k=1):  # type: ignore[no-untyped-def]
    return np.zeros(dists.shape[0], dtype=np.int64)  # a common bug: the vote never written


def _float_labels(dists, y_train, k=1):  # type: ignore[no-untyped-def]
    ref = registry.reference("knn")
    assert ref is not None
    return ref.predict_labels(dists, y_train, k).astype(np.float64)  # CS231n's np.zeros(num_test)


def _hard_coded(X_train, X):  # type: ignore[no-untyped-def]
    # answers typed in once and handed on: the same numbers whatever the inputs
    return np.random.default_rng(7).random((X.shape[0], X_train.shape[0]))


def _implementations() -> list[SimpleNamespace]:
    """The honest class's code: right, each known mistake, and two common bugs."""
    ref = registry.reference("knn")
    assert ref is not None
    ex = registry.load("knn")
    plain = SimpleNamespace(**vars(ref))
    bugs = [SimpleNamespace(**{**vars(ref), "predict_labels": f}) for f in (_zeros_labels, _float_labels)]
    return [plain, *(variant(ref, m) for m in ex.mistakes), *bugs]


def _graded(student: str, code: SimpleNamespace) -> StudentResult:
    ex = registry.load("knn")
    cases = []
    for case in ex.hidden:
        rng = np.random.default_rng(case_seed("knn", case, SECRET, student))
        outputs = run_trusted(code, case.build(rng))
        cases.append(CaseResult(name=case.name, visibility="hidden", points=0, max_points=case.points,
                                verdict=Verdict.WRONG_VALUE, output_digest=output_digest(outputs),
                                output_bits=output_bits(outputs)))
    result = ExerciseResult(exercise="knn", title=ex.title, submission=f"{student}/knn.py", cases=cases)
    return StudentResult(student=Student(id=student), exercises=[result], points={"knn": 0.0},
                         max_points={"knn": 10.0})


@pytest.fixture(scope="module")
def honest_class() -> list[StudentResult]:
    codes = _implementations()
    return [_graded(f"s{n:02d}", codes[n % len(codes)]) for n in range(60)]


def _naive_pairs(results: list[StudentResult]) -> int:
    """Pairs the old rule flagged: any two shared digests, whatever they carry."""
    digests = {r.student.id: {(c.name, c.output_digest) for c in r.exercises[0].cases} for r in results}
    return sum(len(digests[a] & digests[b]) >= 2 for a, b in combinations(sorted(digests), 2))


def test_an_honest_class_sharing_trivial_outputs_is_not_flagged(honest_class: list[StudentResult]) -> None:
    # the class does share trivial outputs (tied votes all give the same labels, the zeros bug
    # gives all-equal labels...): the old count flagged hundreds of honest pairs
    assert _naive_pairs(honest_class) > 100
    assert identical_hidden_outputs(honest_class) == []


def test_a_copied_pair_is_flagged_with_its_evidence(honest_class: list[StudentResult]) -> None:
    ref = registry.reference("knn")
    assert ref is not None
    distances = ("compute_distances_two_loops", "compute_distances_one_loop", "compute_distances_no_loops")
    copied = SimpleNamespace(**{**vars(ref), **dict.fromkeys(distances, _hard_coded)})
    klass = [*honest_class, _graded("copy_a", copied), _graded("copy_b", copied)]
    flagged = identical_hidden_outputs(klass)
    assert [s.students for s in flagged] == [("copy_a", "copy_b")]
    evidence = flagged[0]
    # knn's two hidden distance cases (duplicates, high-dimensional points) carry the copy
    assert len(evidence.matches) >= MIN_MATCHES and all(m.bits >= MIN_BITS for m in evidence.matches)
    assert {m.case for m in evidence.matches} == {"knn/hidden_duplicates", "knn/hidden_two_loops_wide"}
    assert all(m.holders == 2 and m.answered == len(klass) for m in evidence.matches)


def test_one_informative_match_is_not_enough(honest_class: list[StudentResult]) -> None:
    ref = registry.reference("knn")
    assert ref is not None
    once = SimpleNamespace(**{**vars(ref), "compute_distances_no_loops": _hard_coded})  # one hidden case
    klass = [*honest_class, _graded("c", once), _graded("d", once)]
    assert identical_hidden_outputs(klass) == []
