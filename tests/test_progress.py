"""The progress data: best and latest, first pass, what still fails, what to try next."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from grader.engine import registry
from grader.models import ExerciseResult, Verdict
from grader.progress.history import build
from grader.progress.records import Attempt
from grader.progress.store import Store
from tests.support.progress_helpers import T0, TIES, case, filled_store, knn_attempts, result


def _attempts(tmp_path: Path, results: list[ExerciseResult]) -> list[Attempt]:
    with Store(tmp_path / "s.sqlite3") as store:
        for n, r in enumerate(results):
            store.record(r, "0.1.0", when=T0 + timedelta(minutes=n))
        return store.attempts()


def test_knn_history_best_latest_and_first_pass(tmp_path: Path) -> None:
    with Store(filled_store(tmp_path / "s.sqlite3")) as store:
        progress = build(store.attempts(), exercises=("knn",))
    knn = progress.exercises[0]
    full = registry.load("knn").points
    assert (knn.best, knn.latest, knn.max_score, knn.attempts) == (full, full, full, 4)
    assert (knn.status, knn.attempts_to_pass, knn.failing) == ("passed", 4, [])
    assert knn.first_pass == T0 + timedelta(minutes=21)  # the fourth attempt, 7 minutes apart
    assert [p.score for p in knn.history] == [a.score for a in knn_attempts()]
    # the quiz keeps its own group; an exercise this grader does not ship still counts
    assert [q.id for q in progress.quizzes] == ["quiz:conv_shapes"]
    assert [e.id for e in progress.exercises] == ["knn", "linear_svm"]
    assert progress.score == full + 5 + 3 and progress.max_score == full + 10 + 4
    assert progress.passed == 1 and progress.attempts == 6


def test_regression_after_a_pass_keeps_best_and_first_pass(tmp_path: Path) -> None:
    stub, partial, _, done = knn_attempts()
    knn = build(_attempts(tmp_path, [stub, done, partial]), exercises=("knn",)).exercises[0]
    assert knn.best == done.score and knn.latest == partial.score < done.score
    assert knn.status == "in_progress" and knn.attempts_to_pass == 2
    assert [f.name for f in knn.failing] == [c.name for c in partial.cases if not c.passed]


def test_running_only_the_stub_is_not_starting(tmp_path: Path) -> None:
    knn = build(_attempts(tmp_path, knn_attempts()[:1]), exercises=("knn",)).exercises[0]
    assert (knn.status, knn.attempts, knn.best) == ("not_started", 1, 0.0)


def test_passing_only_the_public_cases_is_not_a_pass(tmp_path: Path) -> None:
    ex = registry.load("knn")
    public = result("knn", [case(c.name, c.points) for c in ex.public])
    knn = build(_attempts(tmp_path, [public]), exercises=("knn",)).exercises[0]
    if ex.hidden:  # the instructor data is installed: hidden cases make up the rest
        assert knn.status == "in_progress" and knn.best < knn.max_score


def test_next_step_closest_to_done_and_named_mistake_first(tmp_path: Path) -> None:
    far = result("adam_old", [case("a", 5, Verdict.WRONG_VALUE, "m wrong"), case("b", 5)])
    near = result("conv_old", [
        case("hidden_stride", 1, Verdict.EXCEPTION, "IndexError", visibility="hidden"),
        case("small", 1, Verdict.WRONG_SHAPE, "out: expected (2, 3, 4, 4), got (2, 3, 5, 5)"),
        case("flip", 2, Verdict.WRONG_VALUE, "out: rel_error 0.8", TIES),
        case("big", 6)])
    progress = build(_attempts(tmp_path, [far, near]), exercises=("knn",))
    steps = progress.next
    assert [(s.item, s.case) for s in steps] == [("conv_old", "flip"), ("adam_old", "a"), ("knn", None)]
    assert steps[0].diagnosis.startswith(TIES.title) and steps[0].command == "dlgrade check conv_old"
    assert steps[2].command == "dlgrade check knn"  # not started yet: start it


def test_everything_passed_leaves_nothing_to_suggest(tmp_path: Path) -> None:
    progress = build(_attempts(tmp_path, knn_attempts()), exercises=("knn",))
    assert progress.next == [] and progress.completion == 1.0
