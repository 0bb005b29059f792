"""tinygrad_ko.save / load: our own checkpoint format, written atomically, read without
pickle, and one clear error for a truncated, corrupt or foreign file."""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tinygrad_ko
from tinygrad_ko import CheckpointError, nn
from tinygrad_ko.optim import GOUP, Adam


def trained_state():
    model = nn.MLP([4, 3, 2], rng=np.random.default_rng(0))
    optimizer = Adam(model.parameters(), 0.01)
    for p in model.parameters():
        p.grad = tinygrad_ko.Tensor(np.ones(p.shape, dtype=p.dtype))
    optimizer.step()
    return model, optimizer, {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": 1,
                              "note": "한국어 ok", "history": [0.5, float("nan"), None, True]}


def test_round_trip_of_a_model_and_an_optimizer(tmp_path):
    model, optimizer, state = trained_state()
    path = tmp_path / "run.ckpt"
    tinygrad_ko.save(state, path)
    loaded = tinygrad_ko.load(path)
    assert loaded["step"] == 1 and loaded["note"] == "한국어 ok"
    assert loaded["history"][0] == 0.5 and np.isnan(loaded["history"][1]) and loaded["history"][2:] == [None, True]
    assert list(loaded["model"]) == list(state["model"])
    for name, array in state["model"].items():
        assert loaded["model"][name].dtype == array.dtype and np.array_equal(loaded["model"][name], array)
    other = nn.MLP([4, 3, 2], rng=np.random.default_rng(1))
    other.load_state_dict(loaded["model"])
    restored = Adam(other.parameters(), 0.5)
    restored.load_state_dict(loaded["optimizer"])
    assert restored.lr == 0.01 and restored.state[0]["t"] == 1
    assert np.array_equal(restored.state[0]["m"], optimizer.state[0]["m"])


def test_a_generator_state_survives_the_file(tmp_path):
    optimizer = GOUP([nn.Parameter(np.zeros(3))], 0.05, seed=7)
    tinygrad_ko.save({"optimizer": optimizer.state_dict()}, tmp_path / "g.ckpt")
    restored = GOUP([nn.Parameter(np.zeros(3))], 0.05, seed=0)
    restored.load_state_dict(tinygrad_ko.load(tmp_path / "g.ckpt")["optimizer"])
    assert np.array_equal(restored.rng.standard_normal(5), optimizer.rng.standard_normal(5))


def test_the_file_is_an_npz_readable_without_pickle_with_a_versioned_header(tmp_path):
    tinygrad_ko.save({"w": np.arange(3.0)}, tmp_path / "c.ckpt")
    with np.load(tmp_path / "c.ckpt", allow_pickle=False) as archive:
        header = json.loads(archive["checkpoint_header"].tobytes())
    assert header["format"] == "tinygrad_ko checkpoint" and header["version"] == 1


@pytest.mark.parametrize("content, message", [
    ({"f": open}, r"cannot save a builtin_function_or_method at \['f'\]"),
    ({1: 2}, r"keys must be strings, got 1 at \[\]"),
    ({"a": np.array([object()])}, r"cannot save an array of dtype object at \['a'\]"),
    ({"a": {"__array__": "x"}}, r"'__array__' is reserved"),
])
def test_what_cannot_be_saved_is_refused_before_writing(tmp_path, content, message):
    with pytest.raises(CheckpointError, match=message):
        tinygrad_ko.save(content, tmp_path / "c.ckpt")
    assert list(tmp_path.iterdir()) == []


def assert_one_line(error_info, path):
    message = str(error_info.value)
    assert "\n" not in message and str(path) in message
    return message


def test_a_truncated_checkpoint_is_one_clear_error(tmp_path):
    _, _, state = trained_state()
    path = tmp_path / "run.ckpt"
    tinygrad_ko.save(state, path)
    data = path.read_bytes()
    for cut in (len(data) // 2, len(data) - 30, 10):
        path.write_bytes(data[:cut])
        with pytest.raises(CheckpointError) as info:
            tinygrad_ko.load(path)
        assert "damaged or truncated" in assert_one_line(info, path)


def test_a_corrupted_byte_is_caught(tmp_path):
    path = tmp_path / "run.ckpt"
    tinygrad_ko.save({"w": np.arange(1000.0)}, path)
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0xFF                  # inside the stored array: the zip CRC catches it
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError) as info:
        tinygrad_ko.load(path)
    assert_one_line(info, path)


@pytest.mark.parametrize("write, message", [
    (lambda p: p.write_text("hello"), "not an .npz file"),
    (lambda p: np.savez(p.open("wb"), weights=np.zeros(3)), "not a tinygrad_ko checkpoint"),
    (lambda p: np.save(p.open("wb"), np.zeros(3)), "not an .npz file"),
])
def test_a_foreign_file_is_one_clear_error(tmp_path, write, message):
    path = tmp_path / "foreign.ckpt"
    write(path)
    with pytest.raises(CheckpointError, match=message) as info:
        tinygrad_ko.load(path)
    assert_one_line(info, path)


def write_with_header(path, header):
    np.savez(path.open("wb"), checkpoint_header=np.frombuffer(json.dumps(header).encode(), np.uint8))


def test_another_format_version_is_refused_naming_both(tmp_path):
    path = tmp_path / "future.ckpt"
    write_with_header(path, {"format": "tinygrad_ko checkpoint", "version": 2, "content": {}})
    with pytest.raises(CheckpointError, match="format version 2; this tinygrad_ko reads version 1") as info:
        tinygrad_ko.load(path)
    assert_one_line(info, path)


def test_a_header_naming_a_missing_array_is_refused(tmp_path):
    path = tmp_path / "bad.ckpt"
    write_with_header(path, {"format": "tinygrad_ko checkpoint", "version": 1,
                             "content": {"w": {"__array__": "a0"}}})
    with pytest.raises(CheckpointError, match="refers to array 'a0', which the file does not hold"):
        tinygrad_ko.load(path)


def test_a_missing_file_is_one_clear_error(tmp_path):
    with pytest.raises(CheckpointError, match="no such file"):
        tinygrad_ko.load(tmp_path / "nothing.ckpt")


def test_a_failed_write_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "run.ckpt"
    tinygrad_ko.save({"step": 1, "w": np.zeros(3)}, path)

    def failing_savez(file, **arrays):
        file.write(b"PK\x03\x04 half an archive")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(np, "savez", failing_savez)
    with pytest.raises(CheckpointError, match="No space left on device"):
        tinygrad_ko.save({"step": 2, "w": np.ones(3)}, path)
    monkeypatch.undo()
    assert tinygrad_ko.load(path)["step"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["run.ckpt"]      # no temporary file left behind


def test_a_crash_mid_write_keeps_the_previous_checkpoint(tmp_path):
    """A process killed after writing part of the new file (before the rename)."""
    path = tmp_path / "run.ckpt"
    tinygrad_ko.save({"step": 1}, path)
    crash = textwrap.dedent(f"""
        import os
        import numpy as np
        import tinygrad_ko

        def write_then_die(file, **arrays):
            file.write(b"PK\\x03\\x04" + b"x" * 1000)
            file.flush()
            os._exit(9)                       # no cleanup, no exception handlers: a crash
        np.savez = write_then_die
        tinygrad_ko.save({{"step": 2, "w": np.ones(10 ** 5)}}, {str(path)!r})
    """)
    result = subprocess.run([sys.executable, "-c", crash], capture_output=True)
    assert result.returncode == 9, result.stderr
    assert tinygrad_ko.load(path)["step"] == 1
    leftovers = [p for p in tmp_path.iterdir() if p.name != "run.ckpt"]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(".run.ckpt.")    # the dead write's temp file
    tinygrad_ko.save({"step": 3}, path)                                          # and saving still works
    assert tinygrad_ko.load(path)["step"] == 3


def test_saving_into_a_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        tinygrad_ko.save({"step": 1}, tmp_path / "nowhere" / "run.ckpt")
