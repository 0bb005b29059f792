"""README.md runs as written: every Python block, the quick command lines, the two Quick start commands.

Each Python block runs on its own in a fresh interpreter in an empty folder, so a
block that needs a name from an earlier one fails here as it would when pasted.
GPU blocks skip without CuPy and a GPU, blocks that render pictures without
Graphviz, each with the reason. Every ``tinygrad-ko`` line of the README must
parse with the real argument parser; the quick ones (``graph``, ``cost --quick``)
also run.
"""

import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from system_tools import GRAPHVIZ_REASON, HAS_GRAPHVIZ

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, re.MULTILINE | re.DOTALL)


def has_gpu() -> bool:
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:   # no CuPy, no driver, no device: all mean "no GPU here"
        return False


def needs(block: str) -> str | None:
    """Why ``block`` cannot run on this machine, or None."""
    if '"cuda"' in block and not has_gpu():
        return "a GPU block: needs CuPy and a CUDA GPU (pip install -e '.[gpu]')"
    renders = re.search(r"\.save\(\"[^\"]+\.(svg|png|pdf|html)\"\)|-o \S+\.(svg|png|pdf|html)|\| dot ", block)
    if renders and not HAS_GRAPHVIZ:
        return f"renders a picture: {GRAPHVIZ_REASON}"
    return None


def environment() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg", OMP_NUM_THREADS="1",
                OPENBLAS_NUM_THREADS="1")


PYTHON_BLOCKS = blocks("python")


def test_the_readme_has_python_blocks():
    assert len(PYTHON_BLOCKS) >= 6


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[f"python-{i + 1}" for i in range(len(PYTHON_BLOCKS))])
def test_python_block_runs_on_its_own(block, tmp_path):
    reason = needs(block)
    if reason:
        pytest.skip(reason)
    run = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, env=environment(),
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"this README block fails when pasted:\n{block}\n{run.stderr[-2000:]}"
    assert "Warning" not in run.stderr, run.stderr[-2000:]


def command_lines() -> list[str]:
    """Every ``tinygrad-ko ...`` line of the bash blocks and of the command table; where the
    table lists alternatives (``sgd\\|adam``) the first one is taken."""
    lines = [line.split("  #")[0].strip() for block in blocks("bash") for line in block.splitlines()]
    lines += re.findall(r"^\| `(tinygrad-ko [^`]+)` \|", README, re.MULTILINE)
    lines = [re.sub(r"(\w[\w-]*)(\\\|[\w-]+)+", r"\1", line) for line in lines]
    return [line for line in dict.fromkeys(lines) if line.startswith("tinygrad-ko")]


COMMANDS = command_lines()


def test_every_command_line_parses():
    from tinygrad_ko.cli import build_parser

    assert len(COMMANDS) >= 10
    parser = build_parser()
    for line in COMMANDS:
        words = shlex.split(line.split(" | ")[0])
        parser.parse_args(words[1:])   # exits (status 2) on an option that does not exist


QUICK = [line for line in COMMANDS if line.startswith("tinygrad-ko graph") or "--quick" in line]


@pytest.mark.parametrize("line", QUICK)
def test_quick_command_line_runs(line, tmp_path):
    reason = needs(line)
    if reason:
        pytest.skip(reason)
    command = line.replace("tinygrad-ko", f"{shlex.quote(sys.executable)} -m tinygrad_ko", 1)
    run = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, env=environment(),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"{line}\n{run.stderr[-2000:]}"


def test_quick_start_is_exactly_two_commands_and_ci_runs_the_second():
    start = README.index("## 빠른 시작 / Quick start")
    block = blocks("bash")[0]
    assert README.index(block) > start
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make tour", "make test"]
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert "make test" in ci
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^tour:", makefile, re.MULTILINE) and re.search(r"^test:", makefile, re.MULTILINE)


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_knows_both_targets_without_running_them():
    for target in ("tour", "test"):
        dry = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert dry.returncode == 0, dry.stderr
        assert "system_packages.sh" in dry.stdout
