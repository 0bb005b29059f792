"""Build the exercise notebooks, a teacher and a student version of each, from one source.

A source in ``notebooks/exercises/sources/`` is a Python module with a ``CELLS``
list, like the lessons' sources (``notebooks/make_notebooks.py``), with two more
kinds of cell for nbgrader:

* ``("md" | "code", text)`` — an ordinary cell;
* ``("solution", grade_id, text)`` — where the student answers. Its solution lies
  between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers);
* ``("test", grade_id, points, text)`` — a graded, read-only cell of asserts.

``teacher/<name>.ipynb`` keeps the solutions and the markers: it is nbgrader's
*source* version (``nbgrader generate_assignment`` accepts it as it is) and the one
CI runs. ``student/<name>.ipynb`` has each solution replaced the way nbgrader's
ClearSolutions does (``# YOUR CODE HERE`` / ``raise NotImplementedError()``), for a
teacher without nbgrader. Both carry the cell metadata of nbgrader's schema 3.

Run ``python notebooks/exercises/make_exercises.py`` after editing a source.
"""

from __future__ import annotations

import importlib.util
import pathlib
import re

import nbformat

HERE = pathlib.Path(__file__).parent
VERSIONS = ("teacher", "student")

SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n.*?^[ \t]*### END SOLUTION\n?", re.DOTALL | re.MULTILINE)
"""A solution region, with the indentation of its first marker."""


def nbgrader_metadata(kind: str, grade_id: str, points: int | None = None) -> dict:
    """nbgrader's cell metadata (schema 3): an answer cell or a read-only graded test cell."""
    if kind == "solution":
        return {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3,
                "solution": True, "task": False}
    return {"grade": True, "grade_id": grade_id, "locked": True, "points": points, "schema_version": 3,
            "solution": False, "task": False}


def without_solutions(text: str) -> str:
    """``text`` with every solution region replaced by nbgrader's stub."""
    def stub(match):
        indent = match.group(1)
        return f"{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError()\n"
    return SOLUTION.sub(stub, text + "\n").rstrip("\n")


def notebook_from(source: pathlib.Path, version: str) -> nbformat.NotebookNode:
    """The ``version`` ("teacher" or "student") of the notebook ``source`` describes, without outputs."""
    spec = importlib.util.spec_from_file_location(source.stem, source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for index, (kind, *rest) in enumerate(module.CELLS):
        text = rest[-1].strip("\n")
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(text)
        else:
            if kind == "solution" and version == "student":
                text = without_solutions(text)
            cell = nbformat.v4.new_code_cell(text)
            if kind in ("solution", "test"):
                cell.metadata["nbgrader"] = nbgrader_metadata(kind, *rest[:-1])
        cell.id = f"cell-{index:02d}"
        notebook.cells.append(cell)
    nbformat.validate(notebook)
    return notebook


def build(source: pathlib.Path) -> list[pathlib.Path]:
    """Write ``teacher/<name>.ipynb`` and ``student/<name>.ipynb`` from ``source``."""
    targets = []
    for version in VERSIONS:
        target = HERE / version / f"{source.stem}.ipynb"
        target.parent.mkdir(exist_ok=True)
        nbformat.write(notebook_from(source, version), target)
        targets.append(target)
    return targets


if __name__ == "__main__":
    for source in sorted((HERE / "sources").glob("[0-9]*.py")):
        for target in build(source):
            print("wrote", target)
