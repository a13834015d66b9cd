"""Re-execute the teaching notebooks in place, so their saved outputs match the code.

    python docs/execute_notebooks.py                 # every notebook
    python docs/execute_notebooks.py 04 08           # the ones whose names start with these

Cells run in a fresh kernel from the notebooks' folder; timing metadata is dropped so
a re-run changes only what the code changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbclient
import nbformat

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"


def execute(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)


def main(prefixes: list[str]) -> None:
    for path in sorted(FOLDER.glob("*.ipynb")):  # not solutions/: those cells run inside their notebook
        if ".ipynb_checkpoints" in path.parts or (prefixes and not path.name.startswith(tuple(prefixes))):
            continue
        print(f"executing {path.relative_to(FOLDER.parent)}", flush=True)
        execute(path)


if __name__ == "__main__":
    main(sys.argv[1:])
