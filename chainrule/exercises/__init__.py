"""Exercises for the teaching notebooks, checked with a hint instead of a bare AssertionError.

In a notebook::

    from chainrule import exercises
    answer = ...                      # replace ... with your answer
    exercises.check("03.2", answer)   # prints whether it is right, and a hint when it is not

The answers live here, not in the notebooks; `notebooks/solutions/` shows them worked out.
Each notebook's exercises are in a module of their own (`nb03.py` for notebook 03), built
from the checkers below.
"""

from __future__ import annotations

import importlib
import math
import os
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["Exercise", "check", "verdict", "hint", "listing", "number", "numbers", "choice", "function"]

STRICT_ENV = "CHAINRULE_EXERCISES_STRICT"  # set to 1 to make a wrong or missing answer raise (used by the tests)


@dataclass(frozen=True)
class Exercise:
    """One exercise: `checker(answer)` returns None when the answer is right, else what is wrong."""

    id: str
    question: str
    checker: Callable[[Any], str | None]
    hint: str
    solution: Any  # an answer the checker accepts (the tests make sure it does)
    wrong: Any  # a tempting wrong answer the checker refuses (the tests make sure it does)
    explanation: str = ""  # shown once the answer is right


_REGISTRY: dict[str, Exercise] = {}


def register(*exercises: Exercise) -> None:
    for exercise in exercises:
        if exercise.id in _REGISTRY:
            raise ValueError(f"exercise id {exercise.id!r} is registered twice")
        _REGISTRY[exercise.id] = exercise


def _load() -> dict[str, Exercise]:
    if not _REGISTRY:
        for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("nb")):
            importlib.import_module(f"{__name__}.{module}")
    return _REGISTRY


def listing() -> dict[str, Exercise]:
    """Every exercise, by id ("03.2" is notebook 03's second exercise)."""
    return dict(sorted(_load().items(), key=lambda item: [int(part) for part in item[0].split(".")]))


def _exercise(exercise_id: str) -> Exercise:
    exercises = _load()
    if not isinstance(exercise_id, str) or exercise_id not in exercises:
        notebook = str(exercise_id).split(".")[0]
        same = [key for key in listing() if key.split(".")[0] == notebook]
        known = ", ".join(same or listing())
        raise ValueError(f"exercise_id {exercise_id!r} is not an exercise; the ids are {known}")
    return exercises[exercise_id]


def verdict(exercise_id: str, answer: Any) -> tuple[bool | None, str]:
    """(True, praise), (False, what is wrong and a hint), or (None, "not answered yet") for `...`."""
    exercise = _exercise(exercise_id)
    if answer is ... or answer is None:
        return None, f"{exercise_id}: not answered yet. Replace the ... with your answer and run the cell again."
    try:
        problem = exercise.checker(answer)
    except Exception as error:  # the student's own function may fail: report it as a wrong answer
        problem = f"checking it raised {type(error).__name__}: {error}"
    if problem is None:
        return True, f"✓ {exercise_id} is right. {exercise.explanation}".rstrip()
    return False, f"✗ {exercise_id} is not right yet: {problem}\n  Hint: {exercise.hint}"


def check(exercise_id: str, answer: Any) -> None:
    """Print whether `answer` solves the exercise (``verdict`` returns the same as a value)."""
    ok, message = verdict(exercise_id, answer)
    print(message)
    if ok is not True and os.environ.get(STRICT_ENV) == "1":
        raise RuntimeError(message)


def hint(exercise_id: str) -> str:
    """The hint of an exercise, for a student who wants it before answering."""
    return _exercise(exercise_id).hint


# -- checkers ----------------------------------------------------------------------------------------
def _as_number(answer: Any, what: str = "the answer") -> float:
    if hasattr(answer, "data") and not isinstance(answer, (int, float)):  # a Value: compare its number
        answer = answer.data
    if isinstance(answer, bool):
        raise TypeError(f"{what} should be a number, not {answer!r}")
    try:
        number = float(answer)
    except (TypeError, ValueError):
        raise TypeError(f"{what} should be a number, got {type(answer).__name__} {answer!r}") from None
    return number


def _close(got: float, want: float, rel: float, abs_: float) -> bool:
    return math.isclose(got, want, rel_tol=rel, abs_tol=abs_)


def number(want: float, rel: float = 1e-6, abs_: float = 1e-9, mistakes: dict[float, str] | None = None):
    """The answer is one number, equal to `want` within the tolerances.

    ``mistakes`` maps a tempting wrong number to what went wrong ("leaves out the last
    minibatch"); an answer equal to one of them is told that instead of a bare "wrong".
    """

    def checker(answer: Any) -> str | None:
        try:
            got = _as_number(answer)
        except TypeError as error:
            return str(error)
        if _close(got, want, rel, abs_):
            return None
        for value, reason in (mistakes or {}).items():
            if _close(got, value, rel, abs_):
                return f"{got:g} {reason}"
        return f"{got:.6g} is not the expected value" + (
            " (the sign is wrong)" if _close(-got, want, rel, abs_) else ""
        )

    return checker


def numbers(want: Iterable[float], rel: float = 1e-6, abs_: float = 1e-9) -> Callable[[Any], str | None]:
    """The answer is a list of numbers in a given order, each equal to its `want` within the tolerances."""
    want = [float(w) for w in want]

    def checker(answer: Any) -> str | None:
        if hasattr(answer, "tolist"):
            answer = answer.tolist()
        if not isinstance(answer, (list, tuple)):
            return f"the answer should be a list of {len(want)} numbers, got {type(answer).__name__}"
        if len(answer) != len(want):
            return f"the answer should hold {len(want)} numbers, it holds {len(answer)}"
        for position, (got, expected) in enumerate(zip(answer, want)):
            try:
                got = _as_number(got, f"entry {position}")
            except TypeError as error:
                return str(error)
            if not _close(got, expected, rel, abs_):
                return f"entry {position} ({got:.6g}) is not the expected value"
        return None

    return checker


def choice(correct: Any, options: Iterable[Any]) -> Callable[[Any], str | None]:
    """The answer is one of `options`; only `correct` is right."""
    options = list(options)

    def checker(answer: Any) -> str | None:
        if isinstance(answer, str):
            answer = answer.strip()
        if answer not in options:
            return f"{answer!r} is not one of the options {options}"
        return None if answer == correct else f"{answer!r} is not the right option"

    return checker


def function(reference: Callable[..., float], points: Iterable[tuple], rel: float = 1e-6, abs_: float = 1e-9):
    """The answer is a Python function; it must agree with `reference` at every point (a tuple of arguments)."""
    points = [tuple(p) for p in points]

    def checker(answer: Any) -> str | None:
        if not callable(answer):
            return f"the answer should be a function (def or lambda), got {type(answer).__name__}"
        for args in points:
            want = reference(*args)
            got = _as_number(answer(*args), f"your function's result at {args}")
            if not _close(got, want, rel, abs_):
                at = ", ".join(f"{a:g}" for a in args)
                return f"at ({at}) your function gives {got:.6g}, which is not the expected value"
        return None

    return checker
