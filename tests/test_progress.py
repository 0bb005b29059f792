"""Progress bars only on a terminal; one line per stage in a log."""

import io
import os
import subprocess
import sys

from tinygrad_ko.tools.progress import StageLine, progress_bar


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_in_a_log_a_stage_is_one_line_with_no_carriage_return():
    log = io.StringIO()
    with progress_bar(500, "SGD", file=log) as bar:
        for _ in range(500):
            bar.update()
        bar.set_postfix(loss="0.123")
    assert "\r" not in log.getvalue()
    (line,) = log.getvalue().splitlines()
    assert line.startswith("SGD: 500/500 steps in ") and line.endswith(" s (loss=0.123)")


def test_on_a_terminal_it_is_a_tqdm_bar():
    from tqdm import tqdm

    bar = progress_bar(3, "SGD", file=Terminal())
    assert isinstance(bar, tqdm)
    bar.close()


def test_disabled_writes_nothing():
    log = io.StringIO()
    with progress_bar(3, "SGD", file=log, enabled=False) as bar:
        bar.update()
    assert log.getvalue() == "" and isinstance(bar, StageLine)


def test_training_into_a_log_file_writes_one_line_per_stage(tmp_path):
    """`tinygrad-ko train ... 2> log`: stderr is a file, not a terminal."""
    log = tmp_path / "log.txt"
    with open(log, "w") as stderr:
        run = subprocess.run([sys.executable, "-m", "tinygrad_ko", "train", "--optimizer", "sgd", "--epochs", "2",
                              "--out", str(tmp_path / "out")], stdout=subprocess.DEVNULL, stderr=stderr,
                             env=dict(os.environ, OMP_NUM_THREADS="1"), timeout=300)
    assert run.returncode == 0, log.read_text()
    text = log.read_text()
    assert "\r" not in text
    assert len(text.splitlines()) <= 3, text
