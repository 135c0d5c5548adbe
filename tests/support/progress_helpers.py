"""Building results and stores for the progress tests (no grading needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from grader.engine import registry
from grader.models import CaseResult, Diagnosis, ExerciseResult, Verdict
from grader.progress.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def case(name: str, max_points: float, verdict: Verdict = Verdict.PASSED, message: str = "",
         mistake: Diagnosis | None = None, visibility: str = "public") -> CaseResult:
    ok = verdict is Verdict.PASSED
    return CaseResult(name=name, points=max_points if ok else 0.0, max_points=max_points, verdict=verdict,
                      message=message, mistake=mistake, visibility=visibility)


def result(exercise: str, cases: list[CaseResult], title: str = "", sha: str = "") -> ExerciseResult:
    return ExerciseResult(exercise=exercise, title=title or exercise, submission=f"exercises/{exercise}.py",
                          cases=cases, submission_sha256=sha)


TIES = Diagnosis(id="tie_first_seen", title="A tied vote goes to the first label seen, not the smallest",
                 hint="np.bincount(closest_y).argmax() returns the smallest label among the tied ones.")
CROSS = Diagnosis(id="cross_term_sign", title="The no-loop expansion adds 2 x.y instead of subtracting it",
                  hint="|x - y|^2 = |x|^2 - 2 x.y + |y|^2: the cross term is subtracted.")


def _knn(failing: dict[str, CaseResult | Verdict]) -> list[CaseResult]:
    """The real knn suite's cases (names, points) with some of them failing."""
    out = []
    for c in registry.load("knn").cases:
        how = failing.get(c.name, failing.get("*", Verdict.PASSED))
        if isinstance(how, CaseResult):
            out.append(how.model_copy(update={"name": c.name, "max_points": c.points,
                                              "visibility": c.visibility}))
        else:
            out.append(case(c.name, c.points, how, "" if how is Verdict.PASSED else
                            ("IndexError" if c.hidden else "still raises NotImplementedError"),
                            visibility=c.visibility))
    return out


def knn_attempts() -> list[ExerciseResult]:
    """A student's knn history: the stub, partly right, one named mistake left, everything passes."""
    ties = case("", 0, Verdict.WRONG_VALUE, "y_pred: rel_error 1 at [0]", TIES)
    stub = _knn({"*": Verdict.NOT_IMPLEMENTED})
    partial = _knn({"no_loops": case("", 0, Verdict.WRONG_VALUE, "dists: rel_error 0.31 at [2, 5]", CROSS),
                    "versions_agree": case("", 0, Verdict.DISAGREE, "two.dists and no.dists differ"),
                    "vote_notes_k3_k5": ties, "hidden_vote_ties": Verdict.EXCEPTION,
                    "hidden_k_all": Verdict.EXCEPTION})
    mistake = _knn({"vote_notes_k3_k5": ties, "hidden_vote_ties": case("", 0, Verdict.WRONG_VALUE,
                                                                        "y_pred: wrong values")})
    done = _knn({})
    return [result("knn", c, "K-nearest neighbours", sha=f"{n:064x}")
            for n, c in enumerate((stub, partial, mistake, done))]


def quiz_attempts() -> list[ExerciseResult]:
    """How issue 8 represents a graded quiz: exercise "quiz:<id>", one case per question."""
    first = [case("q1", 1), case("q2", 1, Verdict.WRONG_VALUE, "the feature map is 3x3, not 4x4"),
             case("q3", 2)]
    return [result("quiz:conv_shapes", first, "Feature-map sizes")]


def filled_store(path: Path, extra: list[ExerciseResult] = ()) -> Path:  # type: ignore[assignment]
    """A store with a knn history (passed on attempt 4), a quiz and an older exercise."""
    old = result("linear_svm", [case("naive", 5, Verdict.WRONG_VALUE, "loss: rel_error 0.5"),
                                case("vectorized", 5)], "Multiclass SVM loss")
    with Store(path) as store:
        for n, r in enumerate([*knn_attempts(), *quiz_attempts(), old, *extra]):
            store.record(r, "0.1.0", when=T0 + timedelta(minutes=7 * n))
    return path
