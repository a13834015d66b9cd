"""The teaching notebooks: all sixteen are there, each runs top to bottom as shipped and with its exercises
solved, each solution notebook runs on its own, and no exercise's answer can be read above it.

A notebook's exercise cells carry `"exercise": "<id>"` in their metadata; the notebook of the same
name in `notebooks/solutions/` holds a cell with the same id, the answer filled in.
"""

from __future__ import annotations

import html
import importlib.metadata
import importlib.util
import json
import math
import re
import sys
from pathlib import Path

import pytest

from chainrule import exercises

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "notebooks"
SOLUTIONS = FOLDER / "solutions"

# The notebook sequence, in order; notebooks/README.md lists the same names.
NAMES = [
    "01_your_own_value", "02_computation_graphs", "03_many_paths", "04_one_neuron", "05_losses",
    "06_backprop_by_hand", "07_layers_and_deltas", "08_softmax_cross_entropy", "09_backprop_in_numpy",
    "10_matrix_form", "11_gradient_checking", "12_training", "13_gradient_descent",
    "14_stepping_through_backprop", "15_vanishing_gradients", "16_beyond_first_order",
]  # fmt: skip

THE_RULE = "an answer right to 3 significant digits is right"


def read(path: Path) -> dict:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing")
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_notebooks_import_only_what_pip_install_installs():
    # The CI smoke test imports these in a `pip install .` environment; here each must be the standard library,
    # chainrule's own, or a dependency pyproject.toml declares (notebook 08 once imported mpmath, a dev extra).
    spec = importlib.util.spec_from_file_location("smoke", ROOT / ".ci" / "smoke.py")
    smoke = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(smoke)
    needed = smoke.notebook_imports(ROOT)
    assert {"numpy", "matplotlib", "nn"} <= set(needed) and "torch" not in needed  # torch's import is in a try
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # read without tomllib, new in Python 3.11
    declared = {
        _name(d) for d in re.findall(r'"([^"]+)"', re.search(r"^dependencies = \[(.*?)\]", project, re.M | re.S)[1])
    }
    provided = importlib.metadata.packages_distributions()
    undeclared = {
        name: notebook
        for name, notebook in needed.items()
        if name not in sys.stdlib_module_names
        and name not in smoke.PACKAGES
        and not {_name(d) for d in provided.get(name, [])} & declared
    }
    assert not undeclared, f"imported by the notebooks but not a dependency in pyproject.toml: {undeclared}"


def _name(requirement: str) -> str:
    """A distribution's name as pip compares them: numpy>=1.23 -> numpy, graphviz_pure -> graphviz-pure."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement)[0]).lower()


def exercise_cells(notebook: dict) -> dict[str, dict]:
    cells = {}
    for cell in notebook["cells"]:
        exercise_id = cell.get("metadata", {}).get("exercise")
        if exercise_id is not None:
            assert exercise_id not in cells, f"exercise {exercise_id} appears twice"
            cells[exercise_id] = cell
    return cells


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def output_text(cell: dict) -> str:
    return "".join(source({"source": o.get("text", "")}) for o in cell.get("outputs", []))


def test_every_notebook_of_the_sequence_is_there_with_its_solutions_and_exercises():
    assert sorted(p.stem for p in FOLDER.glob("*.ipynb")) == NAMES
    assert sorted(p.stem for p in SOLUTIONS.glob("*.ipynb")) == NAMES
    modules = sorted(p.stem for p in (ROOT / "chainrule" / "exercises").glob("nb*.py"))
    assert modules == [f"nb{name}" for name in NAMES]
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"({name}.ipynb)" in readme, f"notebooks/README.md does not link {name}.ipynb"


@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_has_three_exercises_left_blank_and_solved(name):
    blank, solved = exercise_cells(read(FOLDER / f"{name}.ipynb")), exercise_cells(read(SOLUTIONS / f"{name}.ipynb"))
    number = name[:2]
    assert len(blank) >= 3, f"{name} has {len(blank)} exercise cells"
    assert set(blank) == {key for key in exercises.listing() if key.split(".")[0] == number}
    assert set(solved) == set(blank)
    for exercise_id, cell in blank.items():
        text = source(cell)
        blank_line = re.search(r"^(\w+) = \.\.\.", text, re.M)  # answer = ..., or a name the task gives
        assert blank_line, f"{exercise_id} is not left blank"
        call = f'exercises.check("{exercise_id}", {blank_line[1]})'
        assert call in text and call in source(solved[exercise_id])


@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_states_the_one_rule_in_its_exercises_section(name):
    cells = read(FOLDER / f"{name}.ipynb")["cells"]
    start = next((k for k, c in enumerate(cells) if re.search(r"^##\s+Exercises", source(c), re.M)), None)
    assert start is not None and cells[start]["cell_type"] == "markdown", f"{name} has no '## Exercises' section"
    end = next((k for k, c in enumerate(cells) if k > start and c.get("metadata", {}).get("exercise")), len(cells))
    section = " ".join(source(c) for c in cells[start:end] if c["cell_type"] == "markdown")
    assert THE_RULE in " ".join(re.sub(r"[*_`]", "", section).lower().split()), f"{name} does not say: {THE_RULE}"


@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_and_its_solutions_are_saved_with_their_outputs(name):
    for folder, says in ((FOLDER, "not answered yet"), (SOLUTIONS, "✓")):
        notebook = read(folder / f"{name}.ipynb")
        unrun = [k for k, c in enumerate(notebook["cells"]) if c["cell_type"] == "code" and not c["execution_count"]]
        assert not unrun, f"{folder.name}/{name}: cells {unrun} were not run (python docs/execute_notebooks.py)"
        for exercise_id, cell in exercise_cells(notebook).items():
            assert says in output_text(cell), f"{folder.name}/{name}: the saved {exercise_id} does not say {says}"


# -- predict before you see: no answer above its exercise ------------------------------------------------------
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d*)?(?:[eE][-+]?\d+)?(?![\w])")
TAG = re.compile(r"<style.*?</style>|<[^>]*>", re.S)
ANSWER_WORDS = re.compile(r"\b(answer|correct|right|valid|best|wins)\b", re.I)


def texts_of(output: dict) -> list[str]:
    """What a result or an error shows a reader: its text, and the words and numbers of its HTML and SVG."""
    if output.get("output_type") == "error":
        return [output.get("evalue", "")]
    found = []
    for kind, data in output.get("data", {}).items():
        if kind in ("text/plain", "text/markdown", "text/latex"):
            found.append(source({"source": data}))
        elif kind in ("text/html", "image/svg+xml"):
            found.append(html.unescape(TAG.sub(" ", source({"source": data}))))
    return found


def shown_above(notebook: dict, exercise_id: str) -> list[tuple[str, str]]:
    """(where, text) for the markdown and the outputs of every cell above the exercise's cell."""
    shown = []
    for k, cell in enumerate(notebook["cells"]):
        if cell.get("metadata", {}).get("exercise") == exercise_id:
            return shown
        if cell["cell_type"] == "markdown":
            shown.append((f"the markdown of cell {k}", source(cell)))
        printed = "".join(source({"source": o["text"]}) for o in cell.get("outputs", []) if "text" in o)
        shown += [(f"an output of cell {k}", printed)] if printed else []  # a stream, however it was chunked
        for output in cell.get("outputs", []):
            if "text" not in output:
                shown += [(f"an output of cell {k}", text) for text in texts_of(output)]
    raise AssertionError(f"no cell of exercise {exercise_id}")


def printed_numbers(text: str) -> list[tuple[float, int, float, str]]:
    """Each number written in a text: (value, significant digits, unit of its last digit, as written).

    Python's ``12.0`` counts as the two digits of 12; ``12.00`` has four. Trailing zeros of a
    whole number are not significant (``79500`` has three digits), and ``79,510`` is one number.
    """
    text = text.replace("−", "-").replace("{,}", ",")
    found = []
    for match in NUMBER.finditer(text):
        written = match.group()
        mantissa, _, exponent = written.lstrip("+-").replace(",", "").partition("e" if "e" in written else "E")
        scale = 10.0 ** int(exponent or 0)
        mantissa = mantissa[:-2] if mantissa.endswith(".0") else mantissa.rstrip(".")
        whole, _, fraction = mantissa.partition(".")
        if fraction:
            digits, unit = len((whole + fraction).lstrip("0")), 10.0 ** -len(fraction)
        else:
            zeros = len(whole) - len(whole.rstrip("0"))
            digits, unit = len(whole.strip("0")), 10.0**zeros
        found.append((float(written.replace(",", "")), digits, unit * scale, written))
    return found


def leaks_number(text: str, want: float) -> str | None:
    """A number of the text, written to 3 or more significant digits, that is ``want`` to its last digit."""
    for value, digits, unit, written in printed_numbers(text):
        if digits >= 3 and math.isfinite(value) and abs(value - want) <= max(unit, 1e-9 * abs(want)):
            return written
    return None


def worth_scanning(want: float) -> bool:
    """An answer of fewer than 3 significant digits (4, -0.5, 12) is too common a number to tell from a
    coincidence; 6.75 or 0.901 is not."""
    return want != 0.0 and math.isfinite(want) and float(f"{want:.2g}") != want


def leaks_choice(where: str, text: str, correct: str, options: list) -> str | None:
    """A line of an output, or a sentence of markdown, that names the right option and no other one.

    The exercise's own statement names every option, so it never counts. A one-word option (tanh,
    forward) is ordinary prose, so a sentence of markdown counts only with a word such as "answer" or
    "valid" in it; an option of several parts (an order such as "f, w, v") counts wherever it stands alone.
    """
    keys = [exercises.name_key(option) for option in options]
    right = exercises.name_key(correct)
    units = text.splitlines()
    if where.startswith("the markdown"):
        units = re.split(r"(?<=[.!?])\s+|\n", text)
        if len(re.findall(r"[^\W_]+", str(correct))) < 2:
            units = [unit for unit in units if ANSWER_WORDS.search(unit)]
    for unit in units:
        key = exercises.name_key(unit)
        if right in key and not any(other in key for other in keys if other != right):
            return unit.strip()
    return None


def leaks(notebook: dict) -> list[str]:
    """Every exercise of the notebook whose answer is shown above it, and where."""
    found = []
    for exercise_id in exercise_cells(notebook):
        if exercise_id not in exercises.listing():
            found.append(f"{exercise_id}: no such exercise is registered")
            continue
        checker = exercises.listing()[exercise_id].checker
        for where, text in shown_above(notebook, exercise_id):
            for want in [w for w in getattr(checker, "want", []) if worth_scanning(w)]:
                written = leaks_number(text, want)
                if written:
                    found.append(f"{exercise_id}: {where} shows {written}, which is its answer {want:.6g}")
            if hasattr(checker, "correct"):
                unit = leaks_choice(where, text, checker.correct, checker.options)
                if unit:
                    found.append(f"{exercise_id}: {where} names its answer {checker.correct!r}: {unit!r}")
    return found


@pytest.mark.parametrize("name", NAMES)
def test_no_exercise_answer_is_shown_above_it(name):
    assert leaks(read(FOLDER / f"{name}.ipynb")) == []


def test_the_leak_detector_reads_numbers_as_they_are_printed():
    assert [(v, d) for v, d, _, _ in printed_numbers("θ1 = -0.802184, 12.0 and 12.00, 79,510 or 79500")] == [
        (-0.802184, 6),
        (12.0, 2),
        (12.0, 4),
        (79510.0, 4),
        (79500.0, 3),
    ]
    assert [v for v, *_ in printed_numbers("x2 −6.7500 1.5e-3 $0.575$ [ 0.9011  0.5022]")] == [
        -6.75,
        0.0015,
        0.575,
        0.9011,
        0.5022,
    ]
    assert leaks_number("θ1 after the step: [0.9011 0.5022 0.3989]", 0.9010919) == "0.9011"
    assert leaks_number("p = 0.90", 0.9010919) is None  # two digits
    assert leaks_number("p = 0.9025", 0.9010919) is None  # three digits agree, the fourth does not
    assert leaks_number("d = -0.9011", 0.9010919) is None  # another number: the sign differs
    assert leaks_number("79,500 parameters", 79510) == "79,500"
    assert not worth_scanning(4.0) and not worth_scanning(-0.5) and worth_scanning(6.75) and worth_scanning(0.901)


def planted(notebook: dict, exercise_id: str, cell: dict) -> dict:
    """The notebook with one more cell just above the exercise's statement."""
    cells = notebook["cells"]
    at = next(k for k, c in enumerate(cells) if c.get("metadata", {}).get("exercise") == exercise_id)
    while at > 0 and cells[at - 1]["cell_type"] == "markdown":
        at -= 1
    return {**notebook, "cells": cells[:at] + [cell] + cells[at:]}


def printout(text: str) -> dict:
    return {"cell_type": "code", "metadata": {}, "source": "", "outputs": [{"output_type": "stream", "text": text}]}


def markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def test_the_leak_detector_catches_a_planted_answer_and_nothing_else():
    notebook = read(FOLDER / "03_many_paths.ipynb")
    assert leaks(notebook) == []
    step = exercises.listing()["03.4"].checker.want  # [0.9011, 0.5022, 0.3989]
    drawing = {"image/svg+xml": f'<svg><text class="cr-data">{step[1]:.4g}</text></svg>'}
    for exercise_id, cell in [
        ("03.4", printout(f"theta after one step: {step[0]:.3f}\n")),
        ("03.4", markdown(f"The new $\\theta_1$ is $({step[0]:.4f}, \\dots)$.")),
        ("03.4", {"cell_type": "code", "metadata": {}, "source": "", "outputs": [{"output_type": "display_data", "data": drawing}]}),
        ("03.2", printout("a backward order: f, w, v, u, x\n")),
        ("03.2", markdown("So the valid order is F W V U X.")),
        ("03.2", markdown("Here w is done before v: f, w, v, u, x.")),
    ]:  # fmt: skip
        assert leaks(planted(notebook, exercise_id, cell)), cell
    for exercise_id, cell in [
        ("03.4", printout(f"theta after one step: {step[0]:.2f}, {-step[0]:.4f}, {step[0] + 0.003:.4f}\n")),
        ("03.2", printout("orders to try: f, w, v, u, x or f, v, w, u, x\n")),
        ("03.2", markdown("The forward pass computes x, u, v, w and then f.")),
    ]:
        assert not leaks(planted(notebook, exercise_id, cell)), cell
    options = ["forward", "reverse"]
    assert leaks_choice("the markdown of cell 3", "Forward mode is cheaper. The answer is forward.", "forward", options)
    assert not leaks_choice("the markdown of cell 3", "The forward pass computes values.", "forward", options)
    assert leaks_choice("an output of cell 3", "use: forward\n", "forward", options)


# -- running them ------------------------------------------------------------------------------------------
nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")


def execute(notebook, folder: Path) -> None:
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        coalesce_streams=True,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails


@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_runs_as_shipped_and_shows_no_answer(name):
    path = FOLDER / f"{name}.ipynb"
    read(path)
    notebook = nbformat.read(path, as_version=4)
    execute(notebook, FOLDER)
    for exercise_id, cell in exercise_cells(notebook).items():  # unanswered, each says so instead of failing
        assert "not answered yet" in output_text(cell), exercise_id
    assert leaks(json.loads(nbformat.writes(notebook))) == []


@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_runs_with_its_solutions_filled_in(name, monkeypatch):
    path = FOLDER / f"{name}.ipynb"
    read(path)
    notebook = nbformat.read(path, as_version=4)
    solved = exercise_cells(read(SOLUTIONS / f"{name}.ipynb"))
    for cell in notebook.cells:
        exercise_id = cell.get("metadata", {}).get("exercise")
        if exercise_id is not None:
            cell.source = source(solved[exercise_id])
    monkeypatch.setenv(exercises.STRICT_ENV, "1")  # a wrong or missing answer raises in the kernel
    execute(notebook, FOLDER)
    for exercise_id, cell in exercise_cells(notebook).items():
        assert "✓" in output_text(cell), exercise_id


@pytest.mark.parametrize("name", NAMES)
def test_each_solution_notebook_runs_on_its_own(name, monkeypatch):
    path = SOLUTIONS / f"{name}.ipynb"
    read(path)
    notebook = nbformat.read(path, as_version=4)
    monkeypatch.setenv(exercises.STRICT_ENV, "1")
    execute(notebook, SOLUTIONS)  # a fresh kernel: nothing of the blank notebook is defined
    solved = exercise_cells(notebook)
    assert solved, f"solutions/{name} has no exercise cells"
    for exercise_id, cell in solved.items():
        assert "✓" in output_text(cell), exercise_id
