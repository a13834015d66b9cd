"""Exercises for the teaching notebooks, checked with a nudge instead of a bare AssertionError.

In a notebook::

    from chainrule import exercises
    answer = ...                      # replace ... with your answer
    exercises.check("04.2", answer)   # says whether it is right; if not, what is wrong and where to look
    exercises.hint("04.2")            # the formula or method, only when you ask for it

The answers live here, not in the notebooks; `notebooks/solutions/` shows them worked out.
Each notebook's exercises are in a module named after it (``nb04_one_neuron.py`` for
``04_one_neuron.ipynb``), built from the checkers below.

One rule for numbers, everywhere: an answer that agrees with the right value to 3 significant
digits is right (0.508 or 0.507 for 0.50749, 1.43 for 1.4251). Numbers may be given in any numeric
type (int, float, Fraction, Decimal, a NumPy number or array, a Value), and a list of numbers in any
shape that holds them in the right order (a 1×2 matrix or a column for a pair). Names are compared
by their letters and digits only, without regard to case, spaces or punctuation.
"""

from __future__ import annotations

import importlib
import math
import numbers as numeric
import os
import pkgutil
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

import autograd

__all__ = [
    "Exercise", "check", "verdict", "hint", "listing", "number", "numbers", "choice", "function", "op_local",
    "agrees", "as_number", "as_numbers", "name_key", "Unreadable",
]  # fmt: skip

STRICT_ENV = "CHAINRULE_EXERCISES_STRICT"  # set to 1 to make a wrong or missing answer raise (used by the tests)
DIGITS = 3  # significant digits an answer must agree to
MODULE_NAME = re.compile(r"nb\d\d_[a-z0-9_]+")  # nb04_one_neuron: the exercises of notebooks/04_one_neuron.ipynb


@dataclass(frozen=True)
class Exercise:
    """One exercise: `checker(answer)` returns None when the answer is right, else what is wrong.

    ``nudge`` is shown after a wrong answer: where to look, never the formula. ``hint`` is the
    formula or method, shown only when asked for (``exercises.hint(id)``). ``wrong`` holds typical
    wrong answers, each of which the checker must refuse (the tests make sure it does).
    """

    id: str
    question: str
    checker: Callable[[Any], str | None]
    nudge: str
    hint: str
    solution: Any  # an answer the checker accepts (the tests make sure it does)
    wrong: tuple  # typical wrong answers the checker refuses (the tests make sure it does)
    explanation: str = ""  # shown once the answer is right


_REGISTRY: dict[str, Exercise] = {}
_SOURCE: dict[str, str] = {}  # exercise id -> the module that registered it
_LOADED = False


def register(*exercises: Exercise) -> None:
    """Add a notebook's exercises. A module registering again (a reload) replaces its own entries."""
    module = sys._getframe(1).f_globals.get("__name__", "?")  # the module whose import calls register
    for exercise in exercises:
        if not isinstance(exercise, Exercise):
            raise TypeError(f"register takes Exercise objects, got {type(exercise).__name__}")
        if _SOURCE.get(exercise.id, module) != module:
            raise ValueError(
                f"exercise id {exercise.id!r} is registered by {_SOURCE[exercise.id]} and again by {module}: "
                "give each exercise an id of its own notebook"
            )
        if not isinstance(exercise.wrong, tuple) or not exercise.wrong:
            raise TypeError(f"exercise {exercise.id}: wrong must be a tuple of typical wrong answers")
        _REGISTRY[exercise.id] = exercise
        _SOURCE[exercise.id] = module


def _load() -> dict[str, Exercise]:
    """Every notebook's exercises, whichever module was imported first."""
    global _LOADED
    if not _LOADED:
        for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if MODULE_NAME.fullmatch(m.name)):
            importlib.import_module(f"{__name__}.{module}")
        _LOADED = True
    return _REGISTRY


def _order(exercise_id: str) -> list[int]:
    return [int(part) if part.isdigit() else 0 for part in exercise_id.split(".")]


def listing() -> dict[str, Exercise]:
    """Every exercise, by id ("04.2" is notebook 04's second exercise)."""
    return dict(sorted(_load().items(), key=lambda item: _order(item[0])))


def _exercise(exercise_id: str) -> Exercise:
    if not isinstance(exercise_id, str):
        raise TypeError(
            f'exercise_id must be a string such as "02.1", got {type(exercise_id).__name__} {exercise_id!r}'
        )
    exercises = listing()
    if exercise_id not in exercises:
        notebook = exercise_id.split(".")[0]
        same = [key for key in exercises if key.split(".")[0] == notebook]
        known = ", ".join(same or exercises)
        raise ValueError(f"exercise_id {exercise_id!r} is not an exercise; use one of {known}")
    return exercises[exercise_id]


def verdict(exercise_id: str, answer: Any) -> tuple[bool | None, str]:
    """(True, praise), (False, what is wrong and a nudge), or (None, what to do) for an answer not given yet."""
    exercise = _exercise(exercise_id)
    if answer is ...:
        return None, f"{exercise_id}: not answered yet. Replace the ... with your answer and run the cell again."
    if answer is None:
        return None, (
            f"{exercise_id}: the answer is None, so there is nothing to check yet. Set answer to your number, list, "
            "text or function (a function that prints its result instead of returning it gives None)."
        )
    try:
        problem = exercise.checker(answer)
    except Exception as error:  # the student's own function or Op may fail: report it as a wrong answer
        problem = f"checking it raised {type(error).__name__}: {error}"
    if problem is None:
        return True, f"✓ {exercise_id} is right. {exercise.explanation}".rstrip()
    return False, (
        f"✗ {exercise_id} is not right yet: {problem}\n  Look again: {exercise.nudge}\n"
        f'  (exercises.hint("{exercise_id}") gives the formula.)'
    )


def check(exercise_id: str, answer: Any) -> None:
    """Print whether `answer` solves the exercise (``verdict`` returns the same as a value)."""
    ok, message = verdict(exercise_id, answer)
    print(message)
    if ok is not True and os.environ.get(STRICT_ENV) == "1":
        raise RuntimeError(message)


def hint(exercise_id: str) -> None:
    """Print the hint of an exercise, the formula or method, for a student who asks for it."""
    print(f"Hint for {exercise_id}: {_exercise(exercise_id).hint}")


# -- reading answers -------------------------------------------------------------------------------------
class Unreadable(TypeError):
    """An answer that is not what the exercise asks for (not a number, a list of the wrong size, ...)."""


def _plain(answer: Any) -> Any:
    """A Value's data, and anything array-like (a PyTorch tensor, a pandas column) as a NumPy array."""
    if isinstance(answer, autograd.Value):
        return answer.data
    if callable(getattr(answer, "detach", None)):  # a PyTorch tensor that requires grad refuses to be read otherwise
        answer = answer.detach()
    if hasattr(answer, "__array__") and not isinstance(answer, (np.ndarray, np.generic)):
        return np.asarray(answer)
    return answer


def as_number(answer: Any, what: str = "the answer") -> float:
    """One number from any numeric type: int, float, Fraction, Decimal, a NumPy number or an array of one entry, a Value."""
    answer = _plain(answer)
    if isinstance(answer, (bool, np.bool_)):
        raise Unreadable(f"{what} should be a number, not {answer!r}")
    if isinstance(answer, str):
        raise Unreadable(f"{what} should be a number, not the text {answer!r:.40}: write it without quotes")
    if isinstance(answer, (list, tuple, np.ndarray)):
        flat = np.asarray(answer, dtype=object).ravel()
        if flat.size != 1:
            raise Unreadable(f"{what} should be one number, got {flat.size} of them")
        return as_number(flat[0], what)
    if isinstance(answer, numeric.Number):  # NumPy's numbers are registered as numbers too
        try:
            return float(answer)
        except (TypeError, ValueError, OverflowError):
            raise Unreadable(f"{what} should be a real number, got {answer!r:.40}") from None
    raise Unreadable(f"{what} should be a number, got {type(answer).__name__} {answer!r:.40}")


def as_numbers(answer: Any, what: str = "the answer") -> list[float]:
    """Every number of a list, tuple, NumPy array or Value, of any shape, in row-major order."""
    answer = _plain(answer)
    if isinstance(answer, np.ndarray):
        answer = list(answer.reshape(-1))
    if isinstance(answer, (list, tuple)):
        return [number for item in answer for number in as_numbers(item, what)]
    return [as_number(answer, what)]


def agrees(got: float, want: float, digits: int = DIGITS) -> bool:
    """True if ``got`` agrees with ``want`` to ``digits`` significant digits: within half a unit of the last of
    them, and a tenth more for a number rounded twice (0.508 for 0.50749, printed 0.5075), but not a whole
    unit: 113 is not 114 to 3 digits, nor 0.46 0.45927."""
    if not (math.isfinite(got) and math.isfinite(want)):
        return got == want
    if want == 0.0:
        return abs(got) <= 1e-12
    unit = 10.0 ** (math.floor(math.log10(abs(want))) - (digits - 1))
    return abs(got - want) <= 0.55 * unit * (1 + 1e-9)


def _near(got: float, want: float) -> str | None:
    """What to say of a number that is right to fewer digits than asked for, or None."""
    if agrees(got, want, DIGITS - 1):
        return f"{got:.6g} is close, but not right to {DIGITS} significant digits: keep every digit until the end"
    return None


def name_key(text: Any) -> str:
    """A name as the checker reads it: its letters and digits, lower case ("F, Q, R" and "fqr" are the same).

    A list or tuple of names is read in order, as one name ("f, q, r" and ["f", "q", "r"] are the same).
    """
    if isinstance(text, (list, tuple)):
        text = " ".join(str(part) for part in text)
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


def _facts(checker: Callable, **facts: Any) -> Callable:
    """Keep what a checker wants beside it (its ``kind``, the numbers it ``want``s, the ``correct`` option), so
    the tests can try the answer in every form and look for it where it must not be shown. A notebook's own
    checker may carry the same: ``checker.want = [0.575]`` lets the tests look for 0.575 above the exercise."""
    for name, value in facts.items():
        setattr(checker, name, value)
    return checker


# -- checkers ----------------------------------------------------------------------------------------
def number(want: float, mistakes: dict[float, str] | None = None, whole: bool = False):
    """The answer is one number that agrees with `want` to 3 significant digits (``whole``: a count, exactly).

    ``mistakes`` maps a tempting wrong number to what went wrong ("leaves out the last
    minibatch"); an answer that agrees with one of them is told that instead of a bare "not right".
    """
    want = float(want)

    def checker(answer: Any) -> str | None:
        try:
            got = as_number(answer)
        except Unreadable as error:
            return str(error)
        if whole and math.isfinite(got) and got != round(got):
            return f"{got:g} is not a whole number, and this is a count"
        if got == want or (not whole and agrees(got, want)):
            return None
        for value, reason in (mistakes or {}).items():
            if got == value or (not whole and agrees(got, value)):
                return f"{got:.6g} {reason}"
        if whole:
            return f"{got:.0f} is not the count asked for (a count is exact, not rounded)"
        return _near(got, want) or f"{got:.6g} is not the value asked for"

    return _facts(checker, kind="number", want=[want], whole=whole)


def numbers(want: Iterable[float], whole: bool = False) -> Callable[[Any], str | None]:
    """The answer is numbers in a given order, in any shape (a list, a 1×n or n×1 array), each right to 3 digits
    (``whole``: counts, each exactly)."""
    want = [float(w) for w in np.asarray(list(want), dtype=float).ravel()]

    def checker(answer: Any) -> str | None:
        try:
            got = as_numbers(answer, "each entry")
        except Unreadable as error:
            return f"the answer should be a list of {len(want)} numbers, and {error}"
        if len(got) != len(want):
            return f"the answer should hold {len(want)} numbers, it holds {len(got)}"
        for position, (value, expected) in enumerate(zip(got, want)):
            if value == expected or (not whole and agrees(value, expected)):
                continue
            if whole:
                return f"entry {position} ({value:.6g}) is not the count asked for (a count is exact, not rounded)"
            near = _near(value, expected)
            return f"entry {position}: {near}" if near else f"entry {position} ({value:.6g}) is not right"
        return None

    return _facts(checker, kind="numbers", want=want, whole=whole)


def choice(correct: Any, options: Iterable[Any]) -> Callable[[Any], str | None]:
    """The answer is one of `options`; only `correct` is right. Names are read by `name_key`."""
    options = list(options)
    keys = {name_key(option): option for option in options}
    if len(keys) != len(options):
        raise ValueError(f"choice options {options} read the same once case, spaces and punctuation are dropped")
    if name_key(correct) not in keys:
        raise ValueError(f"choice correct={correct!r} is not one of the options {options}")

    def checker(answer: Any) -> str | None:
        found = keys.get(name_key(answer))
        if found is None:
            return f"{answer!r:.60} is not one of the options {options}"
        return None if name_key(found) == name_key(correct) else f"{answer!r:.60} is not the right one"

    return _facts(checker, kind="choice", correct=correct, options=options)


def function(reference: Callable[..., float], points: Iterable[tuple], rel: float = 1e-6, abs_: float = 1e-9):
    """The answer is a Python function; at every point (a tuple of arguments) it must agree with `reference`.

    A function computes its result rather than rounding it by hand, so it must agree to 1e-6 relative.
    """
    points = [tuple(p) for p in points]

    def checker(answer: Any) -> str | None:
        if not callable(answer) or isinstance(answer, autograd.Value):
            return f"the answer should be a function (def or lambda), got {type(answer).__name__}"
        for args in points:
            want = reference(*args)
            try:
                got = as_number(answer(*args), f"your function's result at {args}")
            except Unreadable as error:
                return str(error)
            if not math.isclose(got, want, rel_tol=rel, abs_tol=abs_):
                at = ", ".join(f"{a:g}" for a in args)
                return f"at ({at}) your function gives {got:.6g}, which is not right"
        return None

    return _facts(checker, kind="function", points=points)


def op_local(
    reference: Callable[..., tuple],
    points: Iterable[tuple],
    forward: Callable[..., float] | None = None,
    rel: float = 1e-9,
    abs_: float = 1e-12,
):
    """The answer is an ``autograd.Op``; its own ``local`` (called directly, on numbers) must give
    ``reference``'s local derivatives at every point: fixing the op itself, not replacing it.
    With ``forward``, the op's forward value must stay that function's."""
    points = [tuple(p) for p in points]

    def checker(answer: Any) -> str | None:
        if not isinstance(answer, autograd.Op):
            return f"the answer should be an autograd.Op (the corrected op), got {type(answer).__name__}"
        for args in points:
            at = ", ".join(f"{a:g}" for a in args)
            out = answer.forward(*args)
            if forward is not None and not math.isclose(as_number(out), forward(*args), rel_tol=rel, abs_tol=abs_):
                return f"at ({at}) its forward value changed: fix its local derivative and leave forward as it was"
            found = answer.local(out, *args)
            if not isinstance(found, tuple) or len(found) != len(args):
                return f"its local should return a tuple of {len(args)} derivative(s), got {found!r:.60}"
            for k, (got, want) in enumerate(zip(found, reference(*args))):
                try:
                    got = as_number(got, f"its local derivative {k}")
                except Unreadable as error:
                    return str(error)
                if not math.isclose(got, want, rel_tol=rel, abs_tol=abs_):
                    return f"at ({at}) its local derivative {k} is {got:.6g}, which is not the op's slope there"
        return None

    return _facts(checker, kind="op_local", points=points)
