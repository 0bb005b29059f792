"""The package is a house of floors: a module imports only from its own floor or below.

From the ground up (CONTRIBUTING.md)::

    errors → backend, data → ops → tensor → autodiff, nn → tools, optim → train → dni → cli

The registry (``ops``) works on arrays and on whatever Tensors a rule is
handed, and never imports the Tensor class; the engine (``tensor``) never
imports a function transform, a layer, a drawing or an optimizer; and so on up.
Every import counts, at the top of a file or inside a function. The test reads
each file's imports with ``ast`` (nothing is run) and fails at the first
import that climbs, naming the file, the line and both floors; a second test
fails at any circle of imports between files.
"""

import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "tinygrad_ko"

FLOORS = {
    "errors": 1,
    "backend": 2, "data": 2, "validate": 2, "generators": 2, "npz": 2,
    "ops": 3,
    "tensor": 4,
    "autodiff": 5, "nn": 5, "checkpoint": 5,
    "": 5,   # the package's face, tinygrad_ko/__init__.py: Tensor, the transforms, save/load
    "tools": 6, "optim": 6,
    "train": 7, "exercises": 7, "widgets": 7,   # the classroom reads the tools
    "dni": 8,
    "cli": 9, "__main__": 9,
}
TOP = max(FLOORS.values())
"""A package not placed in FLOORS yet counts as a top floor: it may import anything, and
nothing placed may import it."""


def module_name(path: pathlib.Path) -> str:
    """``tinygrad_ko/tensor/tensor.py`` → ``tinygrad_ko.tensor.tensor``; a package is its ``__init__``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """True when ``name`` (dotted, from ``tinygrad_ko``) is a file or a package of the tree."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(path: pathlib.Path, source: str | None = None):
    """(line, module) for each module of tinygrad_ko that the file imports, relative or absolute.

    ``from .. import ops`` imports the module ``tinygrad_ko.ops``; ``from ..ops import
    PRIMITIVES`` imports ``tinygrad_ko.ops`` too (its ``__init__``)."""
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "tinygrad_ko":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                source_module = ".".join(base + ([node.module] if node.module else []))
            else:
                source_module = node.module or ""
            if source_module.split(".")[0] != "tinygrad_ko":
                continue
            for alias in node.names:
                submodule = f"{source_module}.{alias.name}"
                yield node.lineno, submodule if is_module(submodule) else source_module


def floor_of(module: str) -> tuple[str, int]:
    """The room a module stands in (its top-level package or file under tinygrad_ko) and its floor."""
    parts = module.split(".")
    room = parts[1] if len(parts) > 1 else ""
    return room, FLOORS.get(room, TOP)


def climbing_imports(path: pathlib.Path, source: str | None = None) -> list[str]:
    """Each import of ``path`` from a higher floor, as 'file:line: room (floor) imports room (floor)'."""
    room, floor = floor_of(module_name(path))
    found = []
    for line, module in imported_modules(path, source):
        target, target_floor = floor_of(module)
        if target_floor > floor:
            found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {room or 'tinygrad_ko'} (floor {floor}) "
                         f"imports {module} (floor {target_floor})")
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the modules of tinygrad_ko that importing it runs.

    Importing ``tinygrad_ko.tensor.graph`` runs ``tinygrad_ko/tensor/__init__.py`` first, so
    that package is an edge too, unless the importer stands inside it (then it is running already).
    The face, ``tinygrad_ko/__init__.py``, is an edge only where it is imported by name: it runs
    before every module of the package and imports most of them, and Python lets that be."""
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        importer = module_name(path)
        edges = set()
        for _, module in imported_modules(path):
            edges.add(module)
            parts = module.split(".")
            for length in range(2, len(parts)):   # the packages on the way, below the package's face
                step = ".".join(parts[:length])
                if not (importer == step or importer.startswith(step + ".")):
                    edges.add(step)
        graph[importer] = edges - {importer}
    return graph


def first_circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle (a path that comes back to its start), or None."""
    done: set[str] = set()
    for start in sorted(graph):
        path, on_path, stack = [], set(), [(start, iter(sorted(graph.get(start, ()))))]
        if start in done:
            continue
        path.append(start)
        on_path.add(start)
        while stack:
            module, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                stack.pop()
                on_path.discard(path.pop())
                done.add(module)
            elif target in on_path:
                return path[path.index(target):] + [target]
            elif target not in done:
                path.append(target)
                on_path.add(target)
                stack.append((target, iter(sorted(graph.get(target, ())))))
    return None


def test_no_module_imports_from_a_higher_floor():
    found = [line for path in sorted(PACKAGE.rglob("*.py")) for line in climbing_imports(path)]
    assert found == [], "imports that climb a floor (see the floors in this test's docstring):\n" + "\n".join(found)


def test_no_circle_of_imports():
    circle = first_circle(import_graph())
    assert circle is None, "a circle of imports: " + " → ".join(circle)


def test_the_registry_and_the_backend_never_import_the_engine():
    for folder in ("ops", "backend"):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            engine = [module for _, module in imported_modules(path) if module.startswith("tinygrad_ko.tensor")]
            assert engine == [], f"{path.relative_to(PACKAGE.parent)} imports {engine}"


def test_the_check_catches_a_climb_even_inside_a_function():
    lstm = PACKAGE / "ops" / "lstm.py"
    source = "def join(blocks):\n    from ..tensor.functions import concatenate\n    return concatenate(blocks)\n"
    assert climbing_imports(lstm, source) == [
        "tinygrad_ko/ops/lstm.py:2: ops (floor 3) imports tinygrad_ko.tensor.functions (floor 4)"]
    engine = PACKAGE / "tensor" / "tensor.py"
    assert climbing_imports(engine, "from .. import ops, validate\nfrom ..errors import ShapeError\n") == []
    assert len(climbing_imports(engine, "import tinygrad_ko.autodiff\nfrom ..nn import Linear\n")) == 2


def test_the_check_finds_a_circle():
    assert first_circle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert first_circle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None
