"""DNI for RNNs: the binary-vector tasks, the Bernoulli loss, the Aux head and the grid script."""

import json
import math
import subprocess
import sys
import pathlib

import numpy as np
import pytest

from tinygrad_ko import Tensor, gradcheck
from tinygrad_ko.dni import Curriculum, RecurrentConfig, RecurrentTrainer, TaskError, train_recurrent
from tinygrad_ko.dni.recurrent import bernoulli_cross_entropy

REPO = pathlib.Path(__file__).resolve().parents[1]


def test_bernoulli_cross_entropy_golden_and_stable():
    logits = np.array([[0.0, 2.0], [-3.0, 800.0]])
    targets = np.array([[1.0, 0.0], [0.0, 1.0]])
    expected = -(np.log(0.5) + np.log(1 - 1 / (1 + np.exp(-2.0))) + np.log(1 - 1 / (1 + np.exp(3.0))))
    got = bernoulli_cross_entropy(Tensor(logits), targets).item()
    assert math.isclose(got, expected, rel_tol=1e-12)       # the 800 logit with target 1 adds ~0, no overflow
    assert gradcheck(lambda x: bernoulli_cross_entropy(x, targets[:1]), np.array([[0.3, -1.2]]), order=2)


def test_copy_episode_of_random_bit_vectors():
    from tinygrad_ko.dni import CopyTask

    episode = CopyTask(bits=8).episode(3, 2, np.random.default_rng(1))
    assert episode.inputs.shape == (7, 2, 9) and episode.targets.shape == (7, 2, 8)
    assert episode.mask.tolist() == [False] * 4 + [True] * 3
    np.testing.assert_array_equal(episode.targets[4:], episode.inputs[:3, :, :8])
    assert set(np.unique(episode.inputs[:3, :, :8])) == {0.0, 1.0}
    assert episode.inputs[3, :, 8].tolist() == [1, 1] and episode.inputs[4:].sum() == 0
    assert episode.inputs[:3, :, 8].sum() == 0


def test_repeat_copy_episode_repeats_the_vectors_then_marks_the_end():
    from tinygrad_ko.dni import RepeatCopyTask

    task = RepeatCopyTask(bits=4, max_repeats=3)
    episode = task.episode(2, 3, np.random.default_rng(2))
    repeats = round(episode.inputs[3, 0, 5] * 3)
    assert episode.steps == 2 + 2 + 2 * repeats + 1 and episode.targets.shape[2] == 5
    np.testing.assert_array_equal(episode.targets[4:-1, :, :4], np.tile(episode.inputs[:2, :, :4], (repeats, 1, 1)))
    assert (episode.targets[-1, :, 4] == 1).all() and episode.targets[-1, :, :4].sum() == 0
    assert episode.targets[4:-1, :, 4].sum() == 0
    assert episode.mask[4:].all() and not episode.mask[:4].any()


@pytest.mark.parametrize("settings", [dict(bits=0), dict(bits=2.5), dict(max_repeats=0)])
def test_tasks_refuse_bad_settings(settings):
    from tinygrad_ko.dni import RepeatCopyTask

    with pytest.raises(TaskError, match=next(iter(settings))):
        RepeatCopyTask(**settings)


@pytest.mark.parametrize("setting, value", [("truncation", 0), ("hidden", 1.5), ("lr", float("nan")),
                                            ("method", "cdni"), ("sg_scale", 0)])
def test_recurrent_config_refuses_bad_numbers(setting, value):
    with pytest.raises(TaskError, match=setting if setting != "method" else "unknown method"):
        RecurrentConfig(**{setting: value})


def test_curriculum_trace_records_the_episode_each_level_was_passed():
    curriculum = Curriculum(start=1, threshold=0.15, window=2)
    for bits in (1.0, 0.1, 0.1, 0.5, 0.1, 0.0):
        curriculum.record(bits)
    assert curriculum.passed == [(1, 3), (2, 6)] and curriculum.solved == 2 and curriculum.length == 3


def test_aux_head_learns_from_inside_the_chunk_and_reaches_the_core():
    config = RecurrentConfig(method="dni-aux", truncation=3, hidden=5, batch_size=2, bits=2, clip=0)
    trainer = RecurrentTrainer(config)
    trainer.interface.model.weight.data[...] = np.random.default_rng(0).standard_normal((10, 10)) * 0.1
    before = trainer.model.aux_head.weight.data.copy()
    trainer.train_episode(trainer.task.episode(3, 2, np.random.default_rng(1)))
    assert not np.allclose(trainer.model.aux_head.weight.data, before)


def test_training_reaches_length_one_on_one_bit_copy():
    # one-bit vectors, T covers the whole episode at N = 1: any working learner passes level 1
    result = train_recurrent(RecurrentConfig(method="bptt", truncation=4, hidden=8, batch_size=8, bits=1,
                                             episodes=400, lr=1e-2, seed=0))
    assert result.solved >= 1 and result.passed[0][0] == 1


def test_grid_script_smoke_stores_cells_and_skips_them_on_rerun(tmp_path):
    command = [sys.executable, str(REPO / "benchmarks" / "dni_recurrent.py"), "--smoke", "--truncations", "2",
               "--results-dir", str(tmp_path), "--no-write"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=REPO)
    assert first.returncode == 0, first.stderr
    stored = json.loads((tmp_path / "dni_recurrent.json").read_text())
    assert stored["key"] == ["task", "method", "T", "seed", "setup"]
    cells = stored["cells"]
    assert {(c["task"], c["method"]) for c in cells} == {(t, m) for t in ("copy", "repeat-copy")
                                                        for m in ("bptt", "dni", "dni-aux")}
    for cell in cells:
        assert {"metric", "steps", "cpu_s", "trace"} <= set(cell) and cell["steps"] == 4 and cell["T"] == 2
    assert "| copy | BPTT | 7 / 0 | 8 / — |" in first.stdout       # paper / ours, side by side
    second = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=REPO)
    assert second.returncode == 0 and "stored" not in second.stdout      # every cell was skipped


@pytest.mark.parametrize("arguments, message", [(["--tasks", "copy,sort"], "--tasks: unknown sort"),
                                                (["--truncations", "2,x"], "--truncations must be integers"),
                                                (["--seeds", "0"], "--seeds must be an integer ≥ 1")])
def test_grid_script_refuses_bad_arguments_in_one_line(tmp_path, arguments, message):
    command = [sys.executable, str(REPO / "benchmarks" / "dni_recurrent.py"), *arguments,
               "--results-dir", str(tmp_path), "--no-write"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=REPO)
    assert run.returncode == 2 and message in run.stderr.splitlines()[-1]
    assert not (tmp_path / "dni_recurrent.json").exists()


def test_state_carried_across_chunks_equals_the_untruncated_forward():
    # truncation cuts the gradient, never the forward: chunk by chunk from the carried state,
    # every step's state is the one a single pass over the whole episode computes
    config = RecurrentConfig(method="bptt", truncation=2, hidden=6, batch_size=3, bits=3)
    trainer = RecurrentTrainer(config)
    episode = trainer.task.episode(3, 3, np.random.default_rng(4))
    whole, state = [], trainer.zero_state(3)
    for t in range(episode.steps):
        state = trainer.model.step(Tensor(episode.inputs[t]), state)
        whole.append(state.data.copy())
    state = trainer.zero_state(3)
    for start in range(0, episode.steps, 2):
        state, _, inside, _, _ = trainer._run_chunk(episode, start, min(start + 2, episode.steps), state)
        for offset, inner in enumerate(inside + [state]):
            np.testing.assert_allclose(inner.data, whole[start + offset], rtol=1e-6, atol=1e-7)
        state = state.detach()


def test_truncation_longer_than_the_episode_is_full_bptt():
    # T ≥ episode length: one chunk, so the update is the gradient of the whole episode's loss
    config = RecurrentConfig(method="bptt", truncation=50, hidden=5, batch_size=2, bits=2, clip=0)
    trainer = RecurrentTrainer(config)
    episode = trainer.task.episode(3, 2, np.random.default_rng(5))
    state, total = trainer.zero_state(2), None
    for t in range(episode.steps):
        state = trainer.model.step(Tensor(episode.inputs[t]), state)
        if episode.mask[t]:
            step_loss = bernoulli_cross_entropy(trainer.model.logits(state), episode.targets[t])
            total = step_loss if total is None else total + step_loss
    total.backward()
    expected = [p.grad.data.copy() for p in trainer.model.parameters()]
    trainer.optimizer.zero_grad()
    seen = []
    trainer.optimizer.step = lambda: seen.extend(p.grad.data.copy() for p in trainer.model.parameters())
    trainer.train_episode(episode)
    assert len(seen) == len(expected)
    for got, want in zip(seen, expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_copy_targets_are_the_inputs_delayed_by_length_plus_one():
    # the first output comes the step after the delimiter: x_i is the target at step N + 1 + i
    from tinygrad_ko.dni import CopyTask

    n = 4
    episode = CopyTask(bits=3).episode(n, 2, np.random.default_rng(6))
    for i in range(n):
        np.testing.assert_array_equal(episode.targets[n + 1 + i], episode.inputs[i, :, :3])
    assert np.flatnonzero(episode.mask).tolist() == list(range(n + 1, 2 * n + 1))
    assert np.flatnonzero(episode.inputs[:, 0, 3]).tolist() == [n]          # the delimiter, once


def test_grid_script_keeps_the_cells_of_each_setup_apart(tmp_path):
    # a cell of setup v1 never stands in for the same cell of v2: both are stored, each table shows its own
    base = [sys.executable, str(REPO / "benchmarks" / "dni_recurrent.py"), "--smoke", "--tasks", "copy",
            "--truncations", "2", "--methods", "bptt", "--results-dir", str(tmp_path), "--no-write"]
    for setup in ("v1", "v2"):
        run = subprocess.run(base + ["--setup", setup], capture_output=True, text=True, timeout=300, cwd=REPO)
        assert run.returncode == 0 and "stored" in run.stdout, run.stderr
        assert f"setup `{setup}`: 1 grid cells" in run.stdout
    cells = json.loads((tmp_path / "dni_recurrent.json").read_text())["cells"]
    assert sorted((c["setup"], c["lr"]) for c in cells) == [("v1", 1e-3), ("v2", 3e-3)]
