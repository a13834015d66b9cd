"""The notebooks' exercises: every id has a checker, a blank answer, a worked solution, and a solution that passes.

A notebook's exercise cells carry `"exercise": "<id>"` in their metadata; the notebook of the same
name in `notebooks/solutions/` holds a cell with the same id, the answer filled in. The solution
run splices those cells into the notebook and executes it with wrong or missing answers raising.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chainrule import exercises

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = ROOT / "notebooks" / "solutions"


def exercise_cells(path: Path) -> dict[str, dict]:
    cells = {}
    for cell in json.loads(path.read_text())["cells"]:
        exercise_id = cell.get("metadata", {}).get("exercise")
        if exercise_id is not None:
            assert exercise_id not in cells, f"{path.name}: exercise {exercise_id} appears twice"
            cells[exercise_id] = cell
    return cells


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_notebook_has_three_exercises_with_checkers_and_solutions(path):
    shipped = exercise_cells(path)
    number = path.name[:2]
    assert len(shipped) >= 3, f"{path.name} has {len(shipped)} exercise cells"
    registered = {key for key in exercises.listing() if key.split(".")[0] == number}
    assert set(shipped) == registered
    solved = exercise_cells(SOLUTIONS / path.name)
    assert set(solved) == set(shipped)
    for exercise_id, cell in shipped.items():
        source = "".join(cell["source"])
        assert "..." in source and f'check("{exercise_id}"' in source, f"{exercise_id} is not left blank"
        assert f'check("{exercise_id}"' in "".join(solved[exercise_id]["source"])


@pytest.mark.parametrize("exercise_id", list(exercises.listing()))
def test_the_solution_is_right_and_the_tempting_mistake_is_wrong(exercise_id):
    exercise = exercises.listing()[exercise_id]
    ok, message = exercises.verdict(exercise_id, exercise.solution)
    assert ok is True, message
    for wrong in exercise.wrong:
        ok, message = exercises.verdict(exercise_id, wrong)
        assert ok is False and "Look again:" in message, message
    assert exercises.verdict(exercise_id, ...)[0] is None


def test_checkers_say_what_is_wrong_without_raising():
    right, wrong = exercises.number(0.25), exercises.function(lambda x: 2 * x, [(1.0,), (3.0,)])
    assert right(0.25) is None and "sign" in right(-0.25) and "number" in right("a quarter")
    assert wrong(lambda x: 2 * x) is None and "at (3)" in wrong(lambda x: x + 1) and "function" in wrong(2.0)
    pick = exercises.choice("b", "abc")
    assert pick(" b ") is None and "not the right" in pick("a") and "not one of" in pick("z")
    listed = exercises.numbers([1.0, 2.0])
    assert listed([1, 2]) is None and "holds 3" in listed([1, 2, 3]) and "entry 1" in listed([1, 5])


def test_an_answer_that_raises_is_reported_as_wrong(capsys):
    exercise_id = next(iter(exercises.listing()))

    def broken(*args):
        raise ZeroDivisionError("boom")

    ok, message = exercises.verdict(exercise_id, broken)
    assert ok is False and "Look again:" in message


def test_an_unknown_id_is_a_value_error_listing_the_ids():
    with pytest.raises(ValueError, match=r"exercise_id '99\.1' is not an exercise; the ids are"):
        exercises.check("99.1", 1.0)


nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_notebook_runs_with_the_solutions_filled_in(path, monkeypatch):
    notebook = nbformat.read(path, as_version=4)
    solved = exercise_cells(SOLUTIONS / path.name)
    for cell in notebook.cells:
        exercise_id = cell.get("metadata", {}).get("exercise")
        if exercise_id is not None:
            cell.source = "".join(solved[exercise_id]["source"])
    monkeypatch.setenv(exercises.STRICT_ENV, "1")  # a wrong or missing answer raises in the kernel
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    checked = [
        o
        for c in notebook.cells
        if c.get("metadata", {}).get("exercise")
        for o in c.outputs
        if "✓" in o.get("text", "")
    ]
    assert len(checked) >= 3


def three_digits(x: float) -> float:
    """x rounded to 3 significant digits, as a student copies a number off a printout."""
    return float(f"{x:.3g}")


def numeric_forms(x: float) -> list:
    """The same number in every numeric type a student might hand in."""
    import fractions

    import numpy as np

    from autograd import Value

    forms = [x, np.float64(x), np.float32(x), np.array(x), [x], np.array([[x]]), Value(x), fractions.Fraction(x)]
    return forms + ([int(x)] if x == int(x) else [])


def number_exercises() -> list[str]:
    found = []
    for key, exercise in exercises.listing().items():
        try:
            exercises.as_number(exercise.solution)
        except TypeError:
            continue
        found.append(key)
    return found


@pytest.mark.parametrize("exercise_id", number_exercises())
def test_a_right_number_is_right_in_every_numeric_type_and_rounded_to_three_digits(exercise_id):
    solution = exercises.as_number(exercises.listing()[exercise_id].solution)
    for form in [*numeric_forms(solution), three_digits(solution), *numeric_forms(three_digits(solution))]:
        ok, message = exercises.verdict(exercise_id, form)
        assert ok is True, (exercise_id, type(form).__name__, form, message)


def test_three_significant_digits_is_the_one_rule():
    check = exercises.number(0.50749)  # printed 0.5075: 0.508 and 0.507 are both right to 3 digits
    assert check(0.508) is None and check(0.507) is None and check("0.5") is not None
    assert check(0.5059) is not None and check(0.51) is not None and check(0.5084) is None
    assert exercises.number(1.4251)(1.43) is None and exercises.number(1.4251)(1.42) is None
    assert exercises.number(-0.423)(-0.42306) is None and exercises.number(79510.0)(79500) is None
    assert exercises.number(20, whole=True)(20.0) is None and exercises.number(20, whole=True)(20.4) is not None
    assert "should be a number" in exercises.number(1.0)(True) and "one number" in exercises.number(1.0)([1, 2])


def test_lists_in_any_shape_and_names_in_any_case_are_read():
    pair = exercises.numbers([1.5, -2.25])
    import numpy as np

    assert (
        pair([1.5, -2.25]) is None
        and pair(np.array([[1.5, -2.25]])) is None
        and pair(np.array([[1.5], [-2.25]])) is None
    )
    assert pair((1.5, -2.2)) is not None and "holds 3" in pair([1.5, -2.25, 0.0])
    order = exercises.choice("f, q, r, b, a", ["f, q, r, b, a", "a, b, r, q, f"])
    assert order("f,q,r,b,a") is None and order(" F, Q, R, B, A ") is None and order("a,b,r,q,f") is not None
    assert exercises.choice("ReLU", ["ReLU", "tanh"])("relu") is None


def test_the_hint_is_given_only_when_asked_and_a_wrong_answer_gets_a_nudge(capsys):
    exercise_id, exercise = next(iter(exercises.listing().items()))
    ok, message = exercises.verdict(exercise_id, exercise.wrong[0])
    assert ok is False and exercise.nudge in message and exercise.hint not in message
    assert exercises.hint(exercise_id) == exercise.hint and exercise.hint in capsys.readouterr().out


def test_importing_one_notebooks_exercises_first_leaves_the_others_checkable():
    import subprocess
    import sys

    code = (
        "import importlib, pkgutil, chainrule.exercises as e\n"
        "first = next(m.name for m in pkgutil.iter_modules(e.__path__) if m.name.startswith('nb'))\n"
        "importlib.import_module('chainrule.exercises.' + first)\n"
        "last = list(e.listing())[-1]\n"
        "print(e.verdict(last, e.listing()[last].solution)[0])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "True", result.stderr
