"""Build the classroom notebooks from the cell lists in ``notebooks/sources/``.

Each source is a Python module with a ``CELLS`` list of ("md" | "code", text).
Writing the notebooks from plain Python keeps them reviewable in diffs; run
``python notebooks/make_notebooks.py`` after editing a source. Outputs are not
stored: CI executes every notebook top to bottom (tests/test_notebooks.py).
"""

from __future__ import annotations

import importlib.util
import pathlib

import nbformat

HERE = pathlib.Path(__file__).parent


def notebook_from(source: pathlib.Path) -> nbformat.NotebookNode:
    """The notebook that ``source`` describes, without outputs.

    Cell ids are numbered ("cell-00", "cell-01", ...) rather than random, so
    building twice gives the same file and a diff shows only real changes."""
    spec = importlib.util.spec_from_file_location(source.stem, source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for index, (kind, text) in enumerate(module.CELLS):
        text = text.strip("\n")
        cell = nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text)
        cell.id = f"cell-{index:02d}"
        notebook.cells.append(cell)
    nbformat.validate(notebook)
    return notebook


def build(source: pathlib.Path) -> pathlib.Path:
    """Write ``notebooks/<source name>.ipynb`` from ``source``."""
    target = HERE / f"{source.stem}.ipynb"
    nbformat.write(notebook_from(source), target)
    return target


if __name__ == "__main__":
    for source in sorted((HERE / "sources").glob("[0-9]*.py")):
        print("wrote", build(source))
