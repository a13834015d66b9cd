"""Re-execute the teaching notebooks and their solution notebooks in place, so their saved outputs match the code.

    python docs/execute_notebooks.py                 # every notebook and every solution notebook
    python docs/execute_notebooks.py 04 08           # the ones whose names start with these

Each notebook runs in a fresh kernel from its own folder, and so does each solution notebook, which
must run on its own; in a solution notebook a wrong answer stops the run. Timing metadata is dropped
so a re-run changes only what the code changed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbclient
import nbformat

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"
SOLUTIONS = FOLDER / "solutions"
STRICT_ENV = "CHAINRULE_EXERCISES_STRICT"  # chainrule.exercises raises on a wrong or missing answer when set to 1


def execute(path: Path, strict: bool = False) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        coalesce_streams=True,  # one output per stream and cell, however the kernel chunked it
        resources={"metadata": {"path": str(path.parent)}},
    )
    before = os.environ.get(STRICT_ENV)
    os.environ[STRICT_ENV] = "1" if strict else "0"  # the kernel inherits it
    try:
        client.execute()
    finally:
        if before is None:
            os.environ.pop(STRICT_ENV)
        else:
            os.environ[STRICT_ENV] = before
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)


def main(prefixes: list[str]) -> None:
    for folder, strict in ((FOLDER, False), (SOLUTIONS, True)):
        for path in sorted(folder.glob("*.ipynb")):
            if prefixes and not path.name.startswith(tuple(prefixes)):
                continue
            print(f"executing {path.relative_to(FOLDER.parent)}", flush=True)
            execute(path, strict)


if __name__ == "__main__":
    main(sys.argv[1:])
