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


def build(source: pathlib.Path) -> pathlib.Path:
    spec = importlib.util.spec_from_file_location(source.stem, source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, text in module.CELLS:
        text = text.strip("\n")
        cell = nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text)
        notebook.cells.append(cell)
    target = HERE / f"{source.stem}.ipynb"
    nbformat.validate(notebook)
    nbformat.write(notebook, target)
    return target


if __name__ == "__main__":
    for source in sorted((HERE / "sources").glob("[0-9]*.py")):
        print("wrote", build(source))
