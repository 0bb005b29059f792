"""The exercise notebooks: built from their sources, the teacher version runs and passes its
own checks, the student version holds no solution, and the cells carry nbgrader's metadata."""

import importlib.util
import os
import pathlib
import re

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install -e '.[dev]')")

from system_tools import GRAPHVIZ_REASON, HAS_GRAPHVIZ  # noqa: E402

REPO = pathlib.Path(__file__).parents[1]
EXERCISES = REPO / "notebooks" / "exercises"
SOURCES = sorted((EXERCISES / "sources").glob("[0-9]*.py"))

KEY_OUTPUTS = {
    "01_autodiff_exercises": [
        "✗ check_rule('div')",                     # the wrong example, reported ...
        "input: y;  모드 · mode: 역방향 모드 (VJP) · reverse mode (VJP)",   # ... with its input and mode
        "✓ check_rule('div')",
        "✓ check_rule('sin')",
        "✓ check_adjoint_table(e)",
        "✓ check_pass_counts(n=50, m=1)",
        "✓ check_pass_counts(n=1, m=30)",
    ],
}

NBGRADER_KEYS = {"schema_version", "grade", "locked", "solution", "task", "grade_id", "points"}
"""The keys of nbgrader's cell metadata schema 3 that a source notebook may carry."""


def load_builder():
    spec = importlib.util.spec_from_file_location("make_exercises", EXERCISES / "make_exercises.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    return builder


def read(version, source):
    return nbformat.read(EXERCISES / version / f"{source.stem}.ipynb", as_version=4)


def test_every_source_has_its_key_outputs_listed():
    assert {source.stem for source in SOURCES} == set(KEY_OUTPUTS)


@pytest.mark.parametrize("version", ["teacher", "student"])
def test_both_versions_are_up_to_date_with_their_source(version):
    builder = load_builder()
    for source in SOURCES:
        committed = (EXERCISES / version / f"{source.stem}.ipynb").read_text(encoding="utf-8")
        fresh = nbformat.writes(builder.notebook_from(source, version))
        assert committed.rstrip("\n") == fresh.rstrip("\n"), \
            f"{version}/{source.stem}.ipynb differs from its source: run python notebooks/exercises/make_exercises.py"


def solution_lines(source):
    """Every line inside a solution region of the source (the answers)."""
    text = source.read_text(encoding="utf-8")
    regions = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", text, re.DOTALL)
    return [line.strip() for region in regions for line in region.splitlines() if line.strip()]


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_the_student_version_contains_no_solution(source):
    answers = solution_lines(source)
    assert answers, "a source without solutions"
    student = read("student", source)
    text = "\n".join(cell.source for cell in student.cells)
    assert "SOLUTION" not in text
    for answer in answers:
        assert answer not in text, f"the student version gives away {answer!r}"
    for cell in student.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            assert "raise NotImplementedError()" in cell.source
    teacher_text = "\n".join(cell.source for cell in read("teacher", source).cells)
    assert all(answer in teacher_text for answer in answers)     # the teacher keeps them


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_cells_carry_nbgrader_metadata(source):
    for version in ("teacher", "student"):
        cells = [cell.metadata["nbgrader"] for cell in read(version, source).cells if "nbgrader" in cell.metadata]
        assert any(meta["solution"] for meta in cells) and any(meta["grade"] for meta in cells)
        ids = [meta["grade_id"] for meta in cells]
        assert len(ids) == len(set(ids)), "grade_ids must be unique"
        for meta in cells:
            assert set(meta) <= NBGRADER_KEYS and meta["schema_version"] == 3
            assert re.fullmatch(r"[a-zA-Z0-9_\-]+", meta["grade_id"])
            assert ("points" in meta) == meta["grade"]                       # points only on graded cells
            if meta["grade"]:
                assert meta["locked"] and not meta["solution"] and meta["points"] > 0   # a read-only test cell
            else:
                assert meta["solution"] and not meta["locked"]                        # an answer cell


def executed(version, source, tmp_path, monkeypatch, *, allow_errors=False):
    """The ``version`` notebook of ``source`` run top to bottom on a clean kernel of this checkout,
    and everything its cells printed. Without allow_errors the first failing cell raises."""
    nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (pip install -e '.[dev]')")
    if not HAS_GRAPHVIZ:
        pytest.skip(GRAPHVIZ_REASON)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    notebook = read(version, source)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed = "\n".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                        for output in cell.get("outputs", []))
    return notebook, printed


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_the_teacher_version_runs_and_passes_its_checks(source, tmp_path, monkeypatch):
    _, printed = executed("teacher", source, tmp_path, monkeypatch)   # a failed assert raises here
    for piece in KEY_OUTPUTS[source.stem]:
        assert piece in printed, f"{source.stem}: expected output containing {piece!r}"


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_the_student_version_fails_only_in_its_graded_cells(source, tmp_path, monkeypatch):
    """Run as handed out: an answer cell may raise nbgrader's NotImplementedError, the graded ones
    fail their asserts, every other cell runs, and the checker reports the unanswered rules (they
    raise NotImplementedError when called) instead of crashing."""
    notebook, printed = executed("student", source, tmp_path, monkeypatch, allow_errors=True)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        errors = [output for output in cell.outputs if output.output_type == "error"]
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            assert {error.ename for error in errors} <= {"NotImplementedError"}, cell.source
        elif meta.get("grade"):
            assert errors, f"a graded cell passed without an answer:\n{cell.source}"
            assert {error.ename for error in errors} <= {"AssertionError", "NameError"}, cell.source
        else:
            assert not errors, f"an ungraded cell failed: {errors[0].ename}: {errors[0].evalue}\n{cell.source}"
    assert "your VJP rule raised NotImplementedError" in printed
