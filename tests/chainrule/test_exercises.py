"""The exercise checker is never unfair: a right answer is right in any numeric type and any natural shape or
spelling, to 3 significant digits; a wrong one gets a nudge, never the answer; the formula comes only when asked.

The generic tests run over every registered exercise, so a notebook's exercises are covered as they arrive.
"""

from __future__ import annotations

import decimal
import fractions
import importlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import autograd
from autograd import Value
from chainrule import exercises

from ..test_notebooks import NAMES, leaks_choice, leaks_number, worth_scanning

ROOT = Path(__file__).resolve().parents[2]
PLACE = re.compile(r"\b(section|cell|above|drawing|plot|figure|table|printout|notebook|lecture)s?\b", re.I)
LISTING = exercises.listing()


def of_kind(*kinds: str) -> list[str]:
    return [key for key, exercise in LISTING.items() if getattr(exercise.checker, "kind", "custom") in kinds]


def three_digits(x: float) -> float:
    """x rounded to 3 significant digits, as a student copies a number off a printout."""
    return float(f"{x:.3g}")


def number_forms(x: float) -> list:
    """One number in every numeric type a student might hand in."""
    forms = [x, np.float64(x), np.float32(x), np.array(x), np.array([x]), np.array([[x]]), [x], (x,)]
    forms += [Value(x), fractions.Fraction(x), decimal.Decimal(repr(x))]
    if x == int(x):
        forms += [int(x), np.int64(x), np.int32(x), np.prod(np.array([int(x)]))]
    return forms


def list_forms(xs: list[float]) -> list:
    """Numbers in order, in every shape and type a student might hand in."""
    row = np.array(xs)
    forms = [xs, tuple(xs), row, row.reshape(1, -1), row.reshape(-1, 1), [[x] for x in xs], [xs], Value(row)]
    forms += [row.astype(np.float32), [np.float64(x) for x in xs], [Value(x) for x in xs]]
    forms += [[fractions.Fraction(x) for x in xs], [decimal.Decimal(repr(x)) for x in xs]]
    if all(x == int(x) for x in xs):
        forms += [[int(x) for x in xs], row.astype(np.int64)]
    return forms


def spellings(option: str) -> list:
    """One option written the ways a student might: any case, with or without spaces, as a list of names."""
    forms = [option, option.upper(), option.lower(), f"  {option.title()} ", option.replace(" ", "")]
    parts = [part.strip() for part in option.split(",")]
    if len(parts) > 1:
        forms += [parts, tuple(parts), " ".join(parts), " → ".join(parts)]
    return forms


def given(answer) -> list[float]:
    """The numbers a student handed in, if it is numbers."""
    try:
        return exercises.as_numbers(answer)
    except TypeError:
        return []


# -- every registered exercise --------------------------------------------------------------------------------
@pytest.mark.parametrize("exercise_id", list(LISTING))
def test_each_solution_is_right_and_each_typical_wrong_answer_is_refused_without_the_answer(exercise_id):
    exercise = LISTING[exercise_id]
    ok, message = exercises.verdict(exercise_id, exercise.solution)
    assert ok is True, message
    for wrong in exercise.wrong:
        ok, message = exercises.verdict(exercise_id, wrong)
        assert ok is False and "Look again:" in message, message
        assert exercise.nudge in message and exercise.hint not in message
        problem = message.split("\n  Look again:")[0]
        for want in [w for w in getattr(exercise.checker, "want", []) if worth_scanning(w)]:
            shown = leaks_number(problem, want)  # the student's own numbers may be quoted back, no others
            assert shown is None or any(exercises.agrees(v, want) for v in given(wrong)), (exercise_id, problem)
        if hasattr(exercise.checker, "correct"):
            correct, options = exercise.checker.correct, exercise.checker.options
            assert leaks_choice("an output", problem, correct, options) is None, problem
    assert exercises.verdict(exercise_id, ...)[0] is None


@pytest.mark.parametrize("exercise_id", list(LISTING))
def test_each_exercise_has_a_nudge_of_its_own_and_a_hint_that_gives_the_formula(exercise_id):
    exercise = LISTING[exercise_id]
    assert exercise.question.strip() and exercise.explanation.strip()
    assert len(exercise.nudge) >= 40 and len(exercise.hint) >= 40, "write a real nudge and a real hint"
    assert PLACE.search(exercise.nudge), f"{exercise_id}: the nudge should say where to look (a section, a cell, ...)"
    others = [e.nudge for key, e in LISTING.items() if key != exercise_id]
    assert exercise.nudge not in others, f"{exercise_id} shares its nudge with another exercise: say where to look"
    assert exercise.hint != exercise.nudge and exercise.hint not in exercise.nudge
    for text in (exercise.nudge, exercise.hint):  # neither gives the answer away
        for want in [w for w in getattr(exercise.checker, "want", []) if worth_scanning(w)]:
            assert leaks_number(text, want) is None, f"{exercise_id} gives its answer {want:.6g}: {text}"
        if hasattr(exercise.checker, "correct"):
            assert leaks_choice("an output", text, exercise.checker.correct, exercise.checker.options) is None, text


@pytest.mark.parametrize("exercise_id", of_kind("number"))
def test_a_right_number_is_right_in_every_numeric_type_and_rounded_to_three_digits(exercise_id):
    checker = LISTING[exercise_id].checker
    (want,) = checker.want
    rounded = want if checker.whole else three_digits(want)  # a count is exact
    for form in [*number_forms(want), *number_forms(rounded)]:
        ok, message = exercises.verdict(exercise_id, form)
        assert ok is True, (exercise_id, type(form).__name__, form, message)


@pytest.mark.parametrize("exercise_id", of_kind("numbers"))
def test_a_right_list_is_right_in_every_shape_and_numeric_type_and_rounded_to_three_digits(exercise_id):
    checker = LISTING[exercise_id].checker
    want = checker.want
    forms = [*list_forms(want), *list_forms([w if checker.whole else three_digits(w) for w in want])]
    if len(want) == 1:
        forms += number_forms(want[0])
    for form in forms:
        ok, message = exercises.verdict(exercise_id, form)
        assert ok is True, (exercise_id, type(form).__name__, form, message)


@pytest.mark.parametrize("exercise_id", of_kind("function"))
def test_a_right_function_may_return_any_numeric_type(exercise_id):
    solution = LISTING[exercise_id].solution
    for wrap in (np.float64, np.float32, np.array, lambda v: np.array([[v]]), Value, lambda v: [v]):
        ok, message = exercises.verdict(exercise_id, lambda *args, wrap=wrap: wrap(solution(*args)))
        assert ok is True, (exercise_id, wrap, message)


@pytest.mark.parametrize("exercise_id", of_kind("choice"))
def test_a_right_option_is_right_in_any_case_spacing_and_punctuation(exercise_id):
    checker = LISTING[exercise_id].checker
    for form in spellings(checker.correct):
        ok, message = exercises.verdict(exercise_id, form)
        assert ok is True, (exercise_id, form, message)
    for option in checker.options:
        if exercises.name_key(option) != exercises.name_key(checker.correct):
            assert all(exercises.verdict(exercise_id, form)[0] is False for form in spellings(option)), option


@pytest.mark.parametrize("exercise_id", of_kind("op_local"))
def test_a_fixed_op_must_be_an_op(exercise_id):
    solution = LISTING[exercise_id].solution
    assert isinstance(solution, autograd.Op)
    ok, message = exercises.verdict(exercise_id, solution.local)
    assert ok is False and "autograd.Op" in message


def test_each_notebook_has_its_own_module_whose_exercises_are_numbered_from_one():
    by_module: dict[str, list[str]] = {}
    for exercise_id in LISTING:
        by_module.setdefault(exercises._SOURCE[exercise_id].rpartition(".")[2], []).append(exercise_id)
    for module, ids in by_module.items():
        assert module[2:] in NAMES, f"{module}.py is named after no notebook of the sequence"
        number = module[2:4]
        assert ids == [f"{number}.{k}" for k in range(1, len(ids) + 1)], f"{module}.py registers {ids}"


# -- the checkers ------------------------------------------------------------------------------------------------
def test_numpy_numbers_and_arrays_are_numbers():
    count = exercises.number(79510, whole=True)
    assert count(np.int64(79510)) is None and count(np.prod(np.array([7951, 10]))) is None
    assert count(np.float32(79510)) is None and count(np.array(79510)) is None
    assert "whole number" in count(79510.5)
    quarter = exercises.number(0.25)
    for form in (np.float32(0.25), np.array(0.25), np.array([[0.25]]), fractions.Fraction(1, 4)):
        assert quarter(form) is None, form
    assert quarter(decimal.Decimal("0.25")) is None and quarter(Value(0.25)) is None
    double = exercises.function(lambda x: 2 * x, [(1.0,), (3.0,)])
    assert double(lambda x: np.float32(2 * x)) is None and double(lambda x: np.array(2 * x)) is None


def test_a_pytorch_number_is_a_number():
    torch = pytest.importorskip("torch")
    assert exercises.number(0.25)(torch.tensor(0.25)) is None
    assert exercises.numbers([1.5, -2.25])(torch.tensor([[1.5], [-2.25]])) is None
    tracked = torch.tensor([1.5, -2.25], dtype=torch.float64, requires_grad=True)
    assert exercises.numbers([1.5, -2.25])(tracked * 1) is None and exercises.number(1.5)(tracked[0]) is None


def test_three_significant_digits_is_the_one_rule():
    check = exercises.number(0.50749)  # printed 0.5075: 0.508 and 0.507 are both right to 3 digits
    assert check(0.508) is None and check(0.507) is None and check(0.50751) is None
    assert check(0.5059) is not None and check(0.51) is not None
    assert "close, but not right to 3 significant digits" in check(0.5084)  # 0.508 claimed, 9 in the 4th digit off
    assert exercises.number(1.4251)(1.43) is None and exercises.number(1.4251)(1.42) is None
    assert exercises.number(-0.423)(-0.42306) is None and exercises.number(79510.0)(79500) is None
    assert exercises.number(-0.423)(0.423) is not None and exercises.number(20, whole=True)(20.4) is not None
    assert exercises.number(0.0)(1e-15) is None and exercises.number(0.0)(1e-3) is not None
    # A whole unit of the third digit off is wrong: 113 is not 114, and 0.46 (two digits) is not 0.45927.
    assert "entry 1: 113 is close" in exercises.numbers([6, 114])([6, 113])
    assert exercises.numbers([6, 114])([6, 114.4]) is None
    assert "close" in exercises.number(0.45927)(0.46) and exercises.number(0.45927)(0.459) is None


def test_a_count_is_exact():
    count = exercises.number(79510, mistakes={79500: "leaves out the output biases"}, whole=True)
    assert count(79510) is None and count(79510.0) is None and count(np.int64(79510)) is None
    assert count(79500) == "79500 leaves out the output biases"
    assert "a count is exact" in count(79511) and "a count is exact" in count(79400)
    pair = exercises.numbers([3, 1000], whole=True)
    assert pair([3, 1000]) is None and "entry 1 (1001) is not the count" in pair([3, 1001])
    assert exercises.verdict("07.1", 79500)[0] is False and exercises.verdict("07.1", 79410)[0] is False


def test_what_is_not_a_number_is_said_plainly():
    check = exercises.number(1.0)
    assert "without quotes" in check("1.0") and "should be a number" in check(True)
    assert "one number" in check([1, 2]) and "real number" in check(1 + 2j) and "got dict" in check({})
    pair = exercises.numbers([1.5, -2.25])
    assert "list of 2 numbers" in pair("1.5, -2.25") and "holds 3" in pair([1.5, -2.25, 0.0])


def test_a_wrong_number_is_told_so_without_its_sign_or_its_value():
    message = exercises.number(0.25)(-0.25)
    assert "-0.25" in message and "sign" not in message and message.count("0.25") == 1
    mistaken = exercises.number(20, mistakes={15: "leaves out the last minibatch"})
    assert mistaken(15) == "15 leaves out the last minibatch" and "20" not in mistaken(16)


def test_lists_in_any_shape_are_read_in_order():
    pair = exercises.numbers([1.5, -2.25])
    for form in ([1.5, -2.25], np.array([[1.5, -2.25]]), np.array([[1.5], [-2.25]]), Value(np.array([1.5, -2.25]))):
        assert pair(form) is None, form
    assert "entry 1" in pair((1.5, -2.2)) and "entry 0" in pair([-2.25, 1.5])


def test_names_are_read_by_their_letters_and_digits():
    order = exercises.choice("f, q, r, b, a", ["f, q, r, b, a", "a, b, r, q, f"])
    for form in ("f,q,r,b,a", " F, Q, R, B, A ", "fqrba", ["f", "q", "r", "b", "a"], "f → q → r → b → a"):
        assert order(form) is None, form
    assert "not the right one" in order("a,b,r,q,f") and "not one of" in order("f, q")
    assert exercises.choice("ReLU", ["ReLU", "tanh"])("relu") is None
    assert exercises.choice("forward", ["forward", "reverse"])("Forward") is None
    with pytest.raises(ValueError, match="read the same"):
        exercises.choice("a b", ["a b", "ab"])
    with pytest.raises(ValueError, match="not one of the options"):
        exercises.choice("c", ["a", "b"])


def test_a_fixed_op_is_checked_by_its_own_local():
    def div(local):
        return autograd.Op("div", forward=lambda x, y: x / y, local=local)

    check = exercises.op_local(lambda x, y: (1 / y, -x / y**2), [(3.0, -2.0), (1.0, 4.0)], forward=lambda x, y: x / y)
    assert check(div(lambda out, x, y: (1 / y, -x / y**2))) is None
    assert "local derivative 1" in check(div(lambda out, x, y: (1 / y, x / y**2)))
    assert "autograd.Op" in check(lambda x, y: -x / y**2)
    assert "tuple of 2" in check(div(lambda out, x, y: -x / y**2))
    changed = autograd.Op("div", forward=lambda x, y: y / x, local=lambda out, x, y: (1 / y, -x / y**2))
    assert "forward value changed" in check(changed)


def test_an_answer_that_raises_is_reported_as_wrong():
    def broken(*args):
        raise ZeroDivisionError("boom")

    ok, message = exercises.verdict(of_kind("function")[0], broken)
    assert ok is False and "ZeroDivisionError: boom" in message and "Look again:" in message


def test_an_answer_not_given_yet_is_neither_right_nor_wrong(monkeypatch, capsys):
    exercise_id = next(iter(LISTING))
    ok, message = exercises.verdict(exercise_id, ...)
    assert ok is None and "not answered yet" in message and "Replace the ..." in message
    ok, message = exercises.verdict(exercise_id, None)
    assert ok is None and "None" in message and "return" in message
    exercises.check(exercise_id, ...)
    assert "not answered yet" in capsys.readouterr().out
    monkeypatch.setenv(exercises.STRICT_ENV, "1")
    with pytest.raises(RuntimeError, match="not answered yet"):
        exercises.check(exercise_id, ...)


def test_an_unknown_id_is_a_value_error_and_a_number_a_type_error():
    with pytest.raises(ValueError, match=r"exercise_id '99\.1' is not an exercise; use one of"):
        exercises.check("99.1", 1.0)
    with pytest.raises(TypeError, match=r'exercise_id must be a string such as "02.1", got float 2.1'):
        exercises.hint(2.1)


def test_the_hint_is_given_only_when_asked_and_a_wrong_answer_gets_a_nudge(capsys):
    exercise_id, exercise = next(iter(LISTING.items()))
    ok, message = exercises.verdict(exercise_id, exercise.wrong[0])
    assert ok is False and exercise.nudge in message and exercise.hint not in message
    assert f'exercises.hint("{exercise_id}")' in message
    assert exercises.hint(exercise_id) is None
    assert capsys.readouterr().out == f"Hint for {exercise_id}: {exercise.hint}\n"


def test_importing_one_notebooks_exercises_first_leaves_the_others_checkable():
    code = (
        "import importlib, pkgutil, chainrule.exercises as e\n"
        "first = next(m.name for m in pkgutil.iter_modules(e.__path__) if e.MODULE_NAME.fullmatch(m.name))\n"
        "importlib.import_module('chainrule.exercises.' + first)\n"
        "every = e.listing()\n"
        "print(len({k.split('.')[0] for k in every}), all(e.verdict(k, x.solution)[0] for k, x in every.items()))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    modules = sum(
        1 for p in (ROOT / "chainrule" / "exercises").glob("nb*.py") if exercises.MODULE_NAME.fullmatch(p.stem)
    )
    assert result.stdout.split() == [str(modules), "True"], result.stderr


def test_reloading_a_module_replaces_its_exercises_and_an_id_taken_by_another_module_is_refused():
    module = importlib.import_module(exercises._SOURCE[next(iter(LISTING))])
    importlib.reload(module)  # as Jupyter's autoreload does
    assert exercises.listing().keys() == LISTING.keys()
    taken = next(iter(LISTING.values()))
    with pytest.raises(ValueError, match=f"exercise id '{taken.id}' is registered by"):
        exercises.register(taken)
