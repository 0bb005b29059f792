"""Every notebook runs top to bottom on a clean kernel, and makes its key figures.

KEY_OUTPUTS lists, per notebook, what its outputs must contain:

* ``("text", piece)`` — printed text (or a displayed value) containing ``piece``:
  the key numbers of the lesson;
* ``("svg", piece)`` — a rendered SVG picture (a graph drawing) whose text
  contains ``piece``, e.g. the label ``∂e/∂b = 5`` on the Olah figure;
* ``("svgs", n)`` / ``("pngs", n)`` — at least n SVG pictures (graph drawings) /
  PNG pictures (Matplotlib plots) were displayed;
* ``("html", piece)`` — an HTML output (a step-through player) containing ``piece``.
"""

import os
import pathlib

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install -e '.[dev]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (pip install -e '.[dev]')")

from system_tools import GRAPHVIZ_REASON, HAS_GRAPHVIZ  # noqa: E402

REPO = pathlib.Path(__file__).parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))

NEEDS_GRAPHVIZ = {"01_computational_graphs.ipynb", "03_higher_order.ipynb"}
"""Notebooks whose lesson is the drawings: without Graphviz they skip, and say why."""

KEY_OUTPUTS = {
    "01_computational_graphs.ipynb": [
        ("text", "∂e/∂d = 3"),
        ("text", "forward mode: ∂e/∂a = 2, ∂e/∂b = 5, forward passes = 2"),
        ("text", "reverse mode: ∂e/∂a = 2, ∂e/∂b = 5, backward passes = 1"),
        ("text", "b→d→e: 1 · 3 = 3"),
        ("text", "layers = 14: paths = 16384, path by path = 65533 visits, factored = 43 visits"),
        ("svg", "∂e/∂c = d = 2"),                                  # edge derivatives drawn
        ("svg", "∂e/∂a = 2"),                                      # forward from a
        ("svg", "∂e/∂b: 순방향 · forward 5, 역방향 · reverse 5"),   # both modes agree
        ("svg", "sin(a * b) + a ** 2"),                            # the student's expression
        ("html", "b̄ = c̄·∂c/∂b + d̄·∂d/∂b = 2·1 + 3·1 = 5"),           # the step-through's frames
        ("svgs", 7), ("pngs", 1),
    ],
    "02_forward_vs_reverse.ipynb": [
        ("text", "jacfwd  100 fwd + 0 bwd  2.62 M"),                # n = 100, m = 1
        ("text", "jacrev  0 fwd + 100 bwd  1.36 M"),                # n = 1, m = 100
        ("text", "dense        vary n (the other = 16): jacfwd → jacrev at n = 16"),
        ("text", "elementwise  vary m (the other = 16): jacrev → jacfwd at m = 64"),
        ("text", "reverse-mode gradient = 2.25 x forward pass (FLOPs)"),
        ("text", "tape per layer: 24,016 bytes = 3 vectors"),
        ("pngs", 2),                                                # the crossover plot, the tape plot
    ],
    "03_higher_order.ipynb": [
        ("text", "f''(2) = 44"),
        ("text", "gx3 = tanh''' = +0.621627"),
        ("text", "graph edges: 28"),                   # the graph of tanh''' is the biggest
        ("svg", "∂gx2/∂x = 0.6216"),                   # tanh'''(1) drawn on the graph of tanh''
        ("text", "[[ 802. -400.]"),                    # the Hessian of Rosenbrock at (1, 1)
        ("svgs", 2),
    ],
    "04_mlp.ipynb": [
        ("text", "parameters: 4,810"),                                     # 64·64 + 64 + 64·10 + 10
        ("text", "gradcheck of the hidden layer, forward and reverse mode: True"),
        ("text", "backward twice without zero_grad gives 2 × the gradient: True"),
        ("text", "steps in one epoch: 43"),                                # 1,347 images, batches of 32
        ("text", "SGD test accuracy ≥ 0.95: True"),
        ("text", "same initial weights as TwoLayerNet: True"),             # nn.MLP = the hand-made module
        ("text", "Adam test accuracy ≥ 0.95: True"),
        ("text", "state_dict round trip gives identical logits: True"),
        ("pngs", 5),                # digits, plot_history, SGD vs Adam, confusion matrix, mistakes
    ],
    "05_goup.ipynb": [
        ("text", "GO-UP step = SGD step + α·std(θ − g)·ε, to float32 rounding"),
        ("text", "max |GO-UP(k = 2α, σ = 0) − SGD(weight_decay = 1)|"),
        ("text", "αθ − α·∂L/∂θ is mostly αθ: the histogram shows the weights, not the gradient"),
        ("text", "T = 215 steps at α = 0.1: std(W₁) grew"),
        ("text", "predicted (1 + α²)^(T/2) = ×2.91"),       # the std growth, predicted ...
        ("text", "predicted √(1 + α²) = ×1.0050"),          # ... and per step
        ("text", "test accuracy after 10 epochs"),          # the small SGD / NoisySGD / GO-UP table
        ("text", "n = 4,810 parameters"),                   # the forward gradient's quality table
        ("text", "goup-fwd: 0 backward passes, 0 VJP rule calls, 4,128 forward-mode passes = 16 per step"),
        ("pngs", 3),                                        # Gaussian check, std growth, accuracy curves
    ],
    "06_dni.ipynb": [
        ("text", "layer 1 waited for  forward lock: 0,  update lock: 3,  backward lock: 3"),   # backprop
        ("text", "F1, B1, U1, F2, B2, U2, F3, B3, U3, F4, B4, U4"),                            # DNI's order
        ("text", "dni: layer 1 waited for nothing"),
        ("text", "ĝ = M(h) at the start: max |ĝ| = 0.0"),                  # M starts at zero
        ("text", "A's gradient = xᵀ (ĝ ⊙ (1 − h²)): True"),                # ĝ seeds A's backward
        ("text", "cDNI: ĝ points like g and A learns"),                     # printed after its asserts
        ("text", "cDNI's top interface keeps pointing like the true gradient"),
        ("text", "random order == in order: True"),
        ("text", "chunks of T = 2 steps: [[0, 1], [2, 3], [4, 5], [6]] → 3 boundaries"),
        ("text", "3 predictions at the boundaries, 3 updates of M, 0 left waiting"),
        ("text", "per episode DNI climbs the curriculum sooner"),
        ("text", "FCN of width 256, 6,000 steps: paper MNIST / CIFAR-10 │ ours Fashion-MNIST"),   # Table 1, JSON
        ("text", "6 layers: No Bprop worst: yes;  cDNI − Bprop"),                  # orderings from the JSON
        ("text", "ordering (both DNI variants above BPTT, seed means) holds in"),  # Table 2 beside the JSON
        ("text", "untruncated BPTT, copy: length"),
        ("text", "PyTorch cells. Test error % (seed means): ours │ PyTorch"),        # the CNN rows again
        ("pngs", 6),    # locks timeline, toy, digits, copy curriculum, stored test-error curves, stored staircases
    ],
    "07_gpu_kernels.ipynb": [
        ("text", "GPU:"),                                              # found, or why not
        ("text", "block 1, thread 0: elements [3, 9]"),                # the grid-stride loop
        ("text", "SGD + momentum                        17             5     3.4"),
        ("text", "Adam                                  37             7     5.3"),
        ("text", "max |GO-UP − (SGD + noise)|"),
        ("text", "GB/s (least bytes / time)"),
        ("pngs", 2),                                                   # traffic bars, Philox histogram
    ],
}


def test_every_notebook_is_built_from_a_source():
    sources = {p.stem for p in (NOTEBOOKS[0].parent / "sources").glob("[0-9]*.py")} if NOTEBOOKS else set()
    assert sources == {p.stem for p in NOTEBOOKS}


def test_every_notebook_is_up_to_date_with_its_source():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_notebooks", REPO / "notebooks" / "make_notebooks.py")
    make_notebooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_notebooks)
    for path in NOTEBOOKS:
        fresh = nbformat.writes(make_notebooks.notebook_from(path.parent / "sources" / f"{path.stem}.py"))
        assert path.read_text(encoding="utf-8").rstrip("\n") == fresh.rstrip("\n"), \
            f"{path.name} differs from its source: run python notebooks/make_notebooks.py"


def test_every_notebook_has_its_key_outputs_listed():
    assert set(KEY_OUTPUTS) == {p.name for p in NOTEBOOKS}


def test_the_notebooks_that_draw_are_the_ones_marked_as_needing_graphviz():
    drawing = {path.name for path in NOTEBOOKS
               if any(word in path.read_text(encoding="utf-8") for word in ("draw(", "step_through("))}
    assert drawing == NEEDS_GRAPHVIZ


def test_notebook_06_quotes_results_md_word_for_word():
    """Notebook 6 quotes the digits table and the commands; when RESULTS.md is regenerated, the quotes
    must follow (its Fashion-MNIST and recurrent tables it computes from benchmarks/results/*.json)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("dni_source", REPO / "notebooks" / "sources" / "06_dni.py")
    source = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(source)
    results = (REPO / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")
    for name in ("DIGITS_COMMAND", "DIGITS_TABLE", "FASHION_COMMAND", "CNN_COMMAND", "COPY_COMMAND"):
        quoted = getattr(source, name).strip()
        assert quoted in results, f"06_dni.py's {name} is no longer in benchmarks/RESULTS.md: quote it again"


def collect_outputs(notebook):
    """(printed texts, SVG pictures, count of PNG pictures, HTML outputs) of an executed notebook."""
    texts, svgs, pngs, htmls = [], [], 0, []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"a code cell did not run:\n{cell.source[:200]}"
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"a cell failed: {output.get('ename')}: {output.get('evalue')}"
            data = output.get("data", {})
            texts.append(output.get("text", "") + str(data.get("text/plain", "")))
            if "image/svg+xml" in data:
                svgs.append(data["image/svg+xml"])
            pngs += int("image/png" in data)
            if "text/html" in data:
                htmls.append(data["text/html"])
    return "\n".join(texts), svgs, pngs, htmls


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_and_makes_its_figures(path, tmp_path, monkeypatch):
    if path.name in NEEDS_GRAPHVIZ and not HAS_GRAPHVIZ:
        pytest.skip(f"{path.name} draws graphs: {GRAPHVIZ_REASON}")
    # the kernel imports the tinygrad_ko of this checkout, whatever is installed
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("MPLBACKEND", "Agg")   # notebooks that plot ask for %matplotlib inline
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.setenv(variable, "1")      # small matrices: a second BLAS thread only slows CI down
    notebook = nbformat.read(path, as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        "commit notebooks without outputs (python notebooks/make_notebooks.py)"
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    texts, svgs, pngs, htmls = collect_outputs(notebook)
    for kind, expected in KEY_OUTPUTS[path.name]:
        if kind == "text":
            assert expected in texts, f"{path.name}: expected output containing {expected!r}"
        elif kind == "svg":
            assert any(expected in svg for svg in svgs), f"{path.name}: no drawing shows {expected!r}"
        elif kind == "svgs":
            assert len(svgs) >= expected, f"{path.name}: expected {expected} drawing(s), got {len(svgs)}"
        elif kind == "html":
            assert any(expected in html for html in htmls), f"{path.name}: no HTML output shows {expected!r}"
        elif kind == "pngs":
            assert pngs >= expected, f"{path.name}: expected {expected} plot(s), got {pngs}"
        else:
            raise ValueError(f"unknown KEY_OUTPUTS kind {kind!r}")
