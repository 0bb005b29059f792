"""A fresh machine without Graphviz, Chromium or apt: nothing fails, everything says why.

The system programs are hidden with a PATH of links to every program on this
machine's PATH except them (``dot``, ``neato``, ``chromium``, ``apt-get``,
``sudo``), so the same Python, make and shell run as usual.
"""

import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
HIDDEN = {"dot", "neato", "chromium", "chromium-browser", "google-chrome", "chrome", "apt-get", "sudo"}


@pytest.fixture(scope="module")
def bare_path(tmp_path_factory):
    """A PATH with every program of ours except the system packages and the ways to install them."""
    folder = tmp_path_factory.mktemp("bare-bin")
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            source = os.path.join(directory, name)
            if name not in HIDDEN and not (folder / name).exists() and os.access(source, os.X_OK) \
                    and os.path.isfile(source):
                (folder / name).symlink_to(source)
    return str(folder)


def run(command, bare_path, cwd=ROOT, timeout=600):
    environment = dict(os.environ, PATH=bare_path, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
                       PYTHONPATH=str(ROOT))
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=environment, timeout=timeout)


def test_the_path_really_lacks_them(bare_path):
    found = run([sys.executable, "-c", "import shutil; print([shutil.which(n) for n in ('dot', 'chromium', "
                                       "'apt-get', 'make')])"], bare_path)
    assert found.stdout.startswith("[None, None, None, '"), found.stdout


def test_the_system_package_step_says_what_to_install_and_succeeds(bare_path):
    result = run(["sh", "scripts/system_packages.sh"], bare_path)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert "graphviz" in line and "chromium" in line and "install" in line


@pytest.mark.slow
def test_the_tour_writes_what_it_can_and_says_in_one_line_what_to_install(bare_path, tmp_path):
    result = run([sys.executable, "-m", "tinygrad_ko", "--out", str(tmp_path / "out")], bare_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr == ""
    missing = [line for line in result.stdout.splitlines() if "not installed: graphviz" in line]
    assert len(missing) == 1 and "apt-get install" in missing[0]
    written = {path.name for path in (tmp_path / "out").iterdir()}
    assert {"olah_both.dot", "cost_sweep.png", "goup_gaussian_check.png"} <= written
    assert not any(name.endswith((".svg", ".html")) for name in written)


@pytest.mark.slow
def test_the_drawing_tests_skip_with_the_reason_and_none_fail(bare_path):
    """The tests that need dot or Chromium (notebooks 01 and 03 among them) skip and say why."""
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                  "tests/test_viz.py", "tests/test_viz_steps.py", "tests/test_cli_graph.py",
                  "tests/test_notebooks.py", "-k", "not test_notebook_runs or 01_ or 03_"], bare_path)
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout[-3000:]
    assert "failed" not in summary and "error" not in summary and re.search(r"\d+ skipped", summary), summary
    assert "01_computational_graphs.ipynb draws graphs: Graphviz (dot, neato) is not installed" in result.stdout
    assert "03_higher_order.ipynb draws graphs" in result.stdout
    assert "Chromium is not installed" in result.stdout or "Graphviz (dot, neato) is not installed" in result.stdout
