"""The layout of the source: no import circles between files, no file too long to read, and tests that
mirror the files.

DESIGN.md: one file answers one question and stays under about 500 lines, and the files
import each other in one direction only, except the op table calling back to make a node.
The tests follow the same map: the tests of autograd/show/svg.py are in tests/autograd/show/test_svg.py.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("autograd", "nn", "chainrule")

# The one allowed circle: Op.__call__ (autograd/op.py) imports autograd.value at call time to make
# a node, while value.py imports the op table. Every other import points one way.
CALLS_BACK = {("autograd.op", "autograd.value")}

MAX_LINES = 500

# Sources whose tests sit beside the source: every module of autograd/ and nn/, and the command's modules.
MIRRORED = (
    "autograd",
    "nn",
    "chainrule/arguments.py",
    "chainrule/cli.py",
    "chainrule/expression.py",
    "chainrule/plots.py",
)
# Modules tested through others rather than by a file of their own: a package's __init__.py only gathers
# the names its files define, and each of those files has its tests.
TESTED_THROUGH_OTHERS = {"autograd/__init__.py", "autograd/show/__init__.py", "nn/__init__.py", "nn/watch/__init__.py"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the three packages, by its dotted name."""
    return {module_name(path): path for name in PACKAGES for path in sorted((ROOT / name).rglob("*.py"))}


def imports(name: str, path: Path, known: dict[str, Path]) -> dict[str, bool]:
    """The modules of the three packages that ``name`` imports: True if at the top, False if only inside a function.

    ``from P import n`` imports P.n if that is a module, and P with the packages above it, unless
    they are above ``name`` too (a package is always set up before the files inside it).
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    above = {".".join(name.split(".")[:k]) for k in range(1, name.count(".") + 2)}  # name and its packages
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    inside = {id(n) for f in ast.walk(tree) if isinstance(f, functions) for n in ast.walk(f)}
    found: dict[str, bool] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            sources, names = [alias.name for alias in node.names], []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                sources = [".".join(base + ([node.module] if node.module else []))]
            else:
                sources = [node.module]
            names = [f"{sources[0]}.{alias.name}" for alias in node.names]
        else:
            continue
        for source in sources:  # import a.b.c sets up a, a.b and a.b.c
            names += [".".join(source.split(".")[:k]) for k in range(1, source.count(".") + 2)]
        for module in set(names) - above:
            if module in known:
                found[module] = found.get(module, False) or id(node) not in inside
    return found


def import_graph() -> dict[str, dict[str, bool]]:
    """Each module: the modules it imports, each with True if imported at the top of the file."""
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, round in a circle (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]  # without recursion
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_the_checker_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle():
    graph = import_graph()
    assert graph["autograd.show"]["autograd.show.drawing"]  # the checker reads relative imports of a package
    assert "autograd.value" in graph["autograd.op"], "op.py no longer calls back: drop it from CALLS_BACK"
    edges = {name: set(imported) for name, imported in graph.items()}
    for importer, imported in CALLS_BACK:  # closed at call time, never at import
        if imported in graph[importer]:
            assert not graph[importer][imported], f"{importer} imports {imported} at the top: a circle at import"
            edges[importer].discard(imported)
    assert circles(edges) == []


def test_no_file_over_500_lines():
    """Every .py file of autograd/ and nn/ but the known ones: a file that grows past the limit opens a new one."""
    too_long = {}
    for name in ("autograd", "nn"):
        for path in sorted((ROOT / name).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                too_long[path.relative_to(ROOT).as_posix()] = lines
    assert not too_long, f"split these files (one question each): {too_long}"


def test_tests_mirror_the_layout():
    """Each mirrored module has tests/<its package path>/test_<module>.py with tests in it, in a test package."""
    sources = []
    for name in MIRRORED:
        path = ROOT / name
        sources += [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))
    assert all((ROOT / name).exists() for name in TESTED_THROUGH_OTHERS), "drop modules that are gone from the list"
    missing, empty, not_packages = [], [], set()
    for path in sources:
        source = path.relative_to(ROOT)
        if source.as_posix() in TESTED_THROUGH_OTHERS:
            continue
        test = ROOT / "tests" / source.parent / f"test_{source.stem}.py"
        if not test.exists():
            missing.append(f"{source.as_posix()} -> {test.relative_to(ROOT).as_posix()}")
        elif not re.search(r"^def test_", test.read_text(encoding="utf-8"), re.M):
            empty.append(test.relative_to(ROOT).as_posix())
        for folder in [test.parent, *test.parent.parents]:  # tests/autograd/show/__init__.py, tests/autograd/...
            if folder == ROOT:
                break
            if not (folder / "__init__.py").exists():
                not_packages.add(folder.relative_to(ROOT).as_posix())
    assert not missing, f"write these test files (or list a module in TESTED_THROUGH_OTHERS, saying why): {missing}"
    assert not empty, f"these test files hold no test: {empty}"
    assert not not_packages, f"add an __init__.py to {sorted(not_packages)}"


# The reading path the README gives: the Value class down to the function that makes a node, the
# backward pass, and the elementwise derivative table.
READING_PATH = (("autograd/rules.py", None), ("autograd/value.py", "\ndef power("), ("autograd/chain.py", None))
READING_WORDS = 3_000


def reading_path_words() -> int:
    words = 0
    for name, end in READING_PATH:
        text = (ROOT / name).read_text(encoding="utf-8")
        words += len((text[: text.index(end)] if end else text).split())
    return words


def test_the_reading_path_reads_in_ten_minutes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _ in READING_PATH:
        assert f"`{name}`" in readme, f"the README's reading path does not name {name}"
    assert reading_path_words() <= READING_WORDS, f"the reading path is {reading_path_words():,} words"


def test_the_readme_is_a_front_page_and_its_links_lead_somewhere():
    readme = ROOT / "README.md"
    assert len(readme.read_text(encoding="utf-8").splitlines()) <= 150
    for page in [readme, *sorted((ROOT / "docs").glob("*.md")), ROOT / "notebooks" / "README.md"]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to {target}, which is missing"
