"""Smoke test of an installed chainrule (`pip install .` or a wheel), as a notebook would use it.

Run it with the installed environment's Python from a directory outside the source tree, so the
source cannot be imported by accident:

    cd /tmp && /path/to/venv/bin/python /path/to/repo/.ci/smoke.py /path/to/repo

With the source tree's path, every module and every static file in it must also be installed, and
every module the notebooks import (outside a `try` that catches ImportError, as PyTorch's) must be
importable: the notebooks are to run after `pip install .` alone. It imports every module of every package, writes a stepper page, a drawing and a training page,
checks one exercise, and runs the `chainrule` command. Any failure ends it with exit code 1.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import os
import pkgutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

PACKAGES = ("autograd", "nn", "chainrule")


def installed_modules() -> list[str]:
    """Import every module of every package; the names imported."""
    names = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        location = Path(package.__file__).resolve()
        if "site-packages" not in location.parts:
            raise SystemExit(f"smoke: {name} was imported from {location}, not from an installed copy")
        names.append(name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if info.name.endswith(".__main__"):  # importing it runs the command: finding it is enough
                importlib.util.find_spec(info.name)
            else:
                importlib.import_module(info.name)
            names.append(info.name)
    return names


def source_modules(source: Path) -> list[str]:
    """The modules of the source tree's packages, by their dotted names."""
    names = []
    for name in PACKAGES:
        for path in sorted((source / name).rglob("*.py")):
            parts = path.relative_to(source).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def notebook_imports(source: Path) -> dict[str, str]:
    """The top-level modules the notebooks (and their solutions) import, each with the first notebook that does;
    an import inside a `try` that catches ImportError is optional, so it is left out."""
    found: dict[str, str] = {}
    for path in sorted((source / "notebooks").rglob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            lines = [line for line in text.splitlines() if not line.lstrip().startswith(("%", "!"))]  # magics
            tree = ast.parse("\n".join(lines))
            optional = {
                id(node)
                for attempt in ast.walk(tree)
                if isinstance(attempt, ast.Try) and any(_catches_import_error(h) for h in attempt.handlers)
                for statement in attempt.body
                for node in ast.walk(statement)
            }
            for node in ast.walk(tree):
                if id(node) in optional:
                    continue
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], path.relative_to(source).as_posix())
    return found


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(c, ast.Name) and c.id in ("ImportError", "ModuleNotFoundError") for c in caught)


def main(argv: list[str]) -> None:
    modules = installed_modules()
    print(f"smoke: imported {len(modules)} modules from {Path(sys.prefix)}")
    if argv:
        source = Path(argv[0]).resolve()
        if Path.cwd().resolve().is_relative_to(source):
            raise SystemExit(f"smoke: run from outside the source tree {source}, not from {Path.cwd()}")
        missing = sorted(set(source_modules(source)) - set(modules))
        if missing:
            raise SystemExit(f"smoke: modules of the source tree are not installed: {', '.join(missing)}")
        static = []
        for package in ("autograd.show", "nn.watch"):
            folder = source.joinpath(*package.split("."), "static")
            names = sorted(p.name for p in folder.iterdir() if p.is_file())
            shipped = {p.name for p in resources.files(package).joinpath("static").iterdir()}
            if set(names) - shipped:
                raise SystemExit(f"smoke: static files not installed: {', '.join(sorted(set(names) - shipped))}")
            static += names
        print(f"smoke: every module of {source.name} and its static files ({', '.join(static)}) are installed")
        needed = notebook_imports(source)
        for name, notebook in needed.items():
            try:
                importlib.import_module(name)
            except ImportError:
                raise SystemExit(
                    f"smoke: {notebook} imports {name}, which `pip install .` does not install: make it a "
                    "dependency in pyproject.toml, import it in a try that catches ImportError, or do without it"
                ) from None
        print(f"smoke: what the notebooks import is installed: {', '.join(sorted(needed))}")

    import autograd

    # A neuron o = tanh(x w + b) and its pages.
    x, w, b = autograd.Value(2.0, label="x"), autograd.Value(-3.0, label="w"), autograd.Value(6.5, label="b")
    o = (x * w + b).tanh()
    o.label = "o"
    o.backward()
    with tempfile.TemporaryDirectory() as directory:
        page = Path(directory) / "steps.html"
        autograd.Stepper(o).save(page)
        text = page.read_text(encoding="utf-8")
        for needed in ('class="cr-spec"', ".cr-stepper", "JSON.parse"):  # its data, its style, its script
            if needed not in text:
                raise SystemExit(f"smoke: the stepper page lacks {needed!r}: a static file is missing")
        drawing = Path(directory) / "graph.svg"
        autograd.draw(o).save(drawing)
        ET.parse(drawing)
        print(f"smoke: wrote a stepper page ({len(text)} characters) and a drawing ({drawing.stat().st_size} bytes)")

    # A network trained for two epochs and its training page.
    import nn

    X, y = nn.data.make_moons(20, seed=0)
    model = nn.MLP(2, [4, 1], seed=0)
    recorder = nn.Recorder(model, X, y, grid=8)
    nn.fit(model, X, y, epochs=2, callback=recorder)
    with tempfile.TemporaryDirectory() as directory:
        text = nn.write_training_page(recorder, Path(directory) / "training.html").read_text(encoding="utf-8")
        for needed in ('class="cr-film-data"', ".cr-film-panels", "JSON.parse"):  # its data, its style, its script
            if needed not in text:
                raise SystemExit(f"smoke: the training page lacks {needed!r}: a static file is missing")
        print(f"smoke: wrote a training page ({len(text)} characters)")

    # 02.1: f(x, y, z) = x (y² + z) at x = -1, y = 2, z = 0.5; by hand [y² + z, 2xy, x] = [4.5, -4, -1].
    os.environ["CHAINRULE_EXERCISES_STRICT"] = "1"  # a wrong answer raises
    from chainrule.exercises import check, verdict

    check("02.1", [4.5, -4.0, -1.0])
    if verdict("02.1", [4.5, 4.0, -1.0])[0] is not False:
        raise SystemExit("smoke: exercise 02.1 accepted a wrong answer")

    # The console script: d/dx x^-1 = -1/x² = -0.25 at x = -2.
    command = Path(sys.executable).parent / "chainrule"
    result = subprocess.run([str(command), "graph", "x**-1", "x=-2"], capture_output=True, text=True)
    if result.returncode != 0 or result.stdout.split() != ["f", "=", "-0.5", "df/dx", "=", "-0.25"]:
        raise SystemExit(f"smoke: `chainrule graph` failed: {result.stdout}{result.stderr}")
    print("smoke: `chainrule graph x**-1 x=-2` prints f = -0.5, df/dx = -0.25")
    print("smoke: ok")


if __name__ == "__main__":
    main(sys.argv[1:])
