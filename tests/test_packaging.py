"""The wheel holds every package, the bundled data and the CUDA sources."""

import pathlib
import subprocess
import sys
import tomllib
import zipfile

import pytest

REPO = pathlib.Path(__file__).parents[1]


def test_every_package_directory_is_listed_in_pyproject():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "tinygrad_ko").rglob("__init__.py")}
    assert found | {"tinygrad_ko.kernels"} == listed


@pytest.mark.slow
def test_wheel_contains_kernels_and_data(tmp_path):
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-w", str(tmp_path), str(REPO)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = tmp_path.glob("tinygrad_ko-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for cuda_source in (REPO / "kernels").glob("*.cu*"):
        assert f"tinygrad_ko/kernels/{cuda_source.name}" in names
    assert "tinygrad_ko/data/digits.npz" in names
    assert "tinygrad_ko/ops/primitive.py" in names
