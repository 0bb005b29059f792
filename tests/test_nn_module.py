"""Module: registration, parameters, modes, state_dict, functional_call; initialisers."""

import math

import numpy as np
import pytest

from tinygrad_ko import Tensor, nn
from tinygrad_ko.errors import ShapeError
from tinygrad_ko.nn import Module, ModuleError, Parameter


class Block(Module):
    def __init__(self):
        super().__init__()
        self.inner = nn.Linear(3, 2, rng=np.random.default_rng(0))
        self.scale = Parameter(2.0)
        self.norm = nn.BatchNorm1d(2)

    def forward(self, x):
        return self.norm(self.inner(x)) * self.scale


def test_parameters_are_registered_in_assignment_order_with_dotted_names():
    block = Block()
    names = [name for name, _ in block.named_parameters()]
    assert names == ["scale", "inner.weight", "inner.bias", "norm.weight", "norm.bias"]
    assert [p.shape for p in block.parameters()] == [(), (3, 2), (2,), (2,), (2,)]
    assert block.num_parameters() == 1 + 6 + 2 + 2 + 2


def test_a_shared_parameter_is_listed_once():
    first = nn.Linear(2, 2)
    model = nn.Sequential(first, nn.ReLU(), first)
    assert len(model.parameters()) == 2


def test_reassigning_an_attribute_replaces_the_registration():
    block = Block()
    block.scale = 3.0                      # a plain number: no longer a parameter
    assert "scale" not in dict(block.named_parameters())
    assert block.scale == 3.0


def test_forgetting_super_init_gives_a_teaching_error():
    class Broken(Module):
        def __init__(self):
            self.weight = Parameter(1.0)

    with pytest.raises(ModuleError, match=r"super\(\).__init__\(\)"):
        Broken()


def test_zero_grad_clears_every_gradient():
    block = Block()
    block(Tensor(np.ones((4, 3)))).sum().backward()
    assert all(p.grad is not None for p in block.parameters())
    block.zero_grad()
    assert all(p.grad is None for p in block.parameters())


def test_train_and_eval_reach_every_submodule():
    block = Block()
    assert block.eval() is block
    assert [m.training for _, m in block.named_modules()] == [False, False, False]
    block.train()
    assert all(m.training for _, m in block.named_modules())


def test_state_dict_round_trip_is_a_copy_and_loads_in_place():
    block, other = Block(), Block()
    other.inner.weight.data[...] = 7.0
    other.norm.running_mean[...] = 0.5
    state = other.state_dict()
    assert list(state) == ["scale", "inner.weight", "inner.bias", "norm.weight", "norm.bias",
                           "norm.running_mean", "norm.running_var"]
    weight_array = block.inner.weight.data
    block.load_state_dict(state)
    assert block.inner.weight.data is weight_array          # in place
    assert np.all(block.inner.weight.data == 7.0)
    assert np.all(block.norm.running_mean == 0.5)
    state["inner.weight"][...] = -1.0                      # the state is a copy
    assert np.all(other.inner.weight.data == 7.0)


def test_buffers_stay_registered_when_updated_in_place_by_training():
    block = Block()
    block(Tensor(np.random.default_rng(0).standard_normal((4, 3))))
    state = block.state_dict()
    assert "norm.running_mean" in state and "norm.running_var" in state
    assert not np.all(state["norm.running_mean"] == 0)
    block.norm.running_var = np.full(2, 4.0)          # assigning a new array keeps it a buffer
    assert np.all(block.state_dict()["norm.running_var"] == 4.0)


def test_load_state_dict_names_missing_keys_and_wrong_shapes():
    block = Block()
    state = block.state_dict()
    del state["scale"]
    with pytest.raises(ModuleError, match="missing keys \\['scale'\\]"):
        block.load_state_dict(state)
    state = block.state_dict()
    state["inner.bias"] = np.zeros(5)
    with pytest.raises(ShapeError, match="inner.bias has shape \\(5,\\)"):
        block.load_state_dict(state)


def snapshot(module):
    return {name: array.copy() for name, array in module.state_dict().items()}


@pytest.mark.parametrize("bad_value, error, message", [
    (np.array(["a", "b"]), ModuleError, r"norm.running_var: .*numbers.*<U1"),
    (np.array([1.0, np.nan]), ModuleError, r"norm.running_var: 1 of its 2 numbers are not finite"),
    (np.array([1 + 2j, 3j]), ModuleError, r"norm.running_var: .*complex128 .* cannot become float32"),
    (np.zeros((1, 2)), ShapeError, r"norm.running_var has shape \(1, 2\)"),
    (object(), ModuleError, r"norm.running_var: .*numbers"),
])
def test_a_bad_last_entry_leaves_every_parameter_and_buffer_untouched(bad_value, error, message):
    block, source = Block(), Block()
    for parameter in source.parameters():
        parameter.data[...] = 5.0
    before = snapshot(block)
    state = source.state_dict()
    assert list(state)[-1] == "norm.running_var"
    state["norm.running_var"] = bad_value                   # the very last key is the bad one
    with pytest.raises(error, match=message):
        block.load_state_dict(state)
    after = snapshot(block)
    assert all(np.array_equal(before[name], after[name]) for name in before)


def test_load_state_dict_takes_tensors_lists_and_other_float_widths():
    block, source = Block(), Block()
    source.inner.weight.data[...] = 3.0
    state = source.state_dict()
    state["inner.weight"] = Tensor(state["inner.weight"])
    state["inner.bias"] = [0.5, 0.25]
    state["scale"] = np.float64(4.0)
    block.load_state_dict(state)
    assert np.all(block.inner.weight.numpy() == 3.0)
    assert block.inner.bias.numpy().tolist() == [0.5, 0.25] and block.scale.item() == 4.0
    assert block.inner.bias.dtype == np.float32                # the module keeps its dtype


def test_load_state_dict_needs_a_mapping():
    with pytest.raises(ModuleError, match="needs a dict"):
        Block().load_state_dict([("scale", 1.0)])


def test_functional_call_substitutes_and_always_restores():
    model = nn.Linear(2, 1, bias=False)
    original = model.weight
    out = nn.functional_call(model, {"weight": Tensor([[1.0], [10.0]])}, Tensor([[1.0, 2.0]]))
    assert out.item() == 21.0
    assert model.weight is original
    with pytest.raises(ShapeError):
        nn.functional_call(model, {"weight": Tensor([[1.0, 2.0]])}, Tensor([[1.0, 2.0]]))
    with pytest.raises(ModuleError, match="no parameter 'bias'"):
        nn.functional_call(model, {"bias": Tensor([1.0])}, Tensor([[1.0, 2.0]]))
    assert model.weight is original


def test_repr_shows_the_tree():
    assert repr(nn.MLP([4, 3, 2])) == (
        "MLP(\n  (0): Linear(4, 3, bias=True)\n  (1): ReLU()\n  (2): Linear(3, 2, bias=True)\n)")


def test_manual_seed_makes_networks_repeatable():
    nn.manual_seed(5)
    first = nn.MLP([8, 4, 2]).state_dict()
    nn.manual_seed(5)
    second = nn.MLP([8, 4, 2]).state_dict()
    third = nn.MLP([8, 4, 2]).state_dict()
    assert all(np.array_equal(first[k], second[k]) for k in first)
    assert not np.array_equal(first["0.weight"], third["0.weight"])


@pytest.mark.parametrize("name, variance", [
    ("xavier", 2 / (400 + 100)), ("xavier_normal", 2 / (400 + 100)),
    ("he", 2 / 400), ("he_normal", 2 / 400)])
def test_initialisers_have_the_variance_their_formula_says(name, variance):
    weight = nn.init.initial_weight(name, (400, 100), rng=np.random.default_rng(0))
    assert weight.dtype == np.float32
    assert weight.var() == pytest.approx(variance, rel=0.03)
    if name in ("xavier", "he"):                          # uniform: bounded by √(3·Var)
        assert np.abs(weight).max() <= math.sqrt(3 * variance)


def test_unknown_initialiser_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown initialiser 'glorot'"):
        nn.Linear(2, 2, init="glorot")


def test_module_list_registers_its_layers_where_a_plain_list_does_not():
    class Tower(nn.Module):
        def __init__(self, registered: bool):
            super().__init__()
            layers = [nn.Linear(4, 4, rng=np.random.default_rng(k)) for k in range(3)]
            self.layers = nn.ModuleList(layers) if registered else layers

        def forward(self, x):
            for layer in self.layers:
                x = layer(x).tanh()
            return x

    assert Tower(registered=False).parameters() == []
    tower = Tower(registered=True)
    assert [name for name, _ in tower.named_parameters()] == [
        f"layers.{k}.{p}" for k in range(3) for p in ("weight", "bias")]
    assert len(tower.layers) == 3 and tower.layers[-1] is list(tower.layers)[2]
    with pytest.raises(nn.ModuleError, match="ModuleList holds modules, not list"):
        tower.layers.append([nn.Linear(4, 4)])
    sequential = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    assert isinstance(sequential, nn.ModuleList) and [n for n, _ in sequential.named_parameters()] == ["0.weight", "0.bias"]
