"""Every notebook runs top to bottom on a clean kernel, and makes its key figures."""

import os
import pathlib

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install -e '.[dev]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (pip install -e '.[dev]')")

REPO = pathlib.Path(__file__).parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))

# Outputs each notebook must produce: (cell output type, a piece of it)
KEY_OUTPUTS = {
    "03_higher_order.ipynb": [("text", "f''(2) = 44")],
}


def test_every_notebook_is_built_from_a_source():
    sources = {p.stem for p in (NOTEBOOKS[0].parent / "sources").glob("[0-9]*.py")} if NOTEBOOKS else set()
    assert sources == {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_and_makes_its_figures(path, tmp_path, monkeypatch):
    # the kernel imports the tinygrad_ko of this checkout, whatever is installed
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(path, as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        "commit notebooks without outputs (python notebooks/make_notebooks.py)"
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    texts, images = [], 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", "") + str(output.get("data", {}).get("text/plain", "")))
            data = output.get("data", {})
            images += int("image/png" in data or "image/svg+xml" in data)
    everything = "\n".join(texts)
    for kind, piece in KEY_OUTPUTS.get(path.name, []):
        if kind == "text":
            assert piece in everything, f"{path.name}: expected output containing {piece!r}"
        else:
            assert images >= piece, f"{path.name}: expected at least {piece} figure(s), got {images}"
