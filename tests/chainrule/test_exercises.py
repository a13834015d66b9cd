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
    ok, message = exercises.verdict(exercise_id, exercise.wrong)
    assert ok is False and "Hint:" in message, message
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
    assert ok is False and "Hint:" in message


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
