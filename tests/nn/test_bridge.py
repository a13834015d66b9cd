"""The path to PyTorch (bridge.py): to_torch and from_torch give the same numbers, keep activations and
shared layers, and refuse what has no counterpart. Expected values come from PyTorch or closed forms."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd
import nn

from ..helpers import requires_torch, torch


@requires_torch
def test_to_torch_softplus_agrees_above_torchs_default_threshold_of_20():
    layer = nn.Layer(1, 1, "softplus")
    layer.W.data, layer.b.data = np.array([[1.0]]), np.array([0.0])
    x = np.array([[-30.0], [0.5], [20.5], [25.0], [40.0], [40.5], [100.0], [800.0]])
    closed_form = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))  # log(1 + e^x), without overflow
    theirs = layer.to_torch()
    inputs = torch.tensor(x, requires_grad=True)
    out = theirs(inputs)
    out.sum().backward()
    np.testing.assert_allclose(out.detach().numpy(), closed_form, rtol=1e-12, atol=0)
    np.testing.assert_allclose(out.detach().numpy(), nn.predict(layer, x), rtol=1e-12, atol=0)
    np.testing.assert_allclose(inputs.grad.numpy(), 1 / (1 + np.exp(-x)), rtol=1e-12)  # d softplus = sigmoid
    back = nn.Module.from_torch(theirs)
    assert back.layers[0].activation == "softplus" and nn.predict(back, x).tolist() == nn.predict(layer, x).tolist()


@requires_torch
def test_mlp_from_torch_keeps_the_output_activation():
    model = nn.MLP(3, [5, 4, 2], "tanh", output_activation="sigmoid", seed=3)
    back = nn.MLP.from_torch(model.to_torch())
    assert [layer.activation for layer in back.layers] == ["tanh", "tanh", "sigmoid"]
    assert back.config() == model.config()
    X = np.random.default_rng(5).normal(size=(6, 3))
    np.testing.assert_allclose(nn.predict(back, X), model.to_torch()(torch.tensor(X)).detach().numpy(), rtol=1e-12)
    assert np.all((nn.predict(back, X) > 0) & (nn.predict(back, X) < 1))  # the sigmoid is applied


@requires_torch
def test_from_torch_brings_a_torch_network_back():
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(2, 4),
        torch.nn.Tanh(),
        torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU()),
        torch.nn.Linear(3, 1),
    ).double()
    X = np.random.default_rng(2).normal(size=(5, 2))
    back = nn.Module.from_torch(net)
    np.testing.assert_allclose(nn.predict(back, X), net(torch.tensor(X)).detach().numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match="an MLP has one hidden activation"):
        nn.MLP.from_torch(net)
    mlp = nn.MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1)).double())
    assert isinstance(mlp, nn.MLP) and mlp.config()["activation"] == "tanh"
    with pytest.raises(ValueError, match=r"stage 1 is Dropout; expected a Linear layer"):
        nn.Module.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Dropout(), torch.nn.Linear(3, 1)))
    with pytest.raises(ValueError, match="PyTorch has no 'step' activation layer"):
        nn.MLP(2, [2], "relu", output_activation="step").to_torch()
    for empty in (nn.MLP, nn.Module):
        with pytest.raises(ValueError, match="holds no layers"):
            empty.from_torch(torch.nn.Sequential())


@requires_torch
def test_to_torch_keeps_a_shared_layer_shared():
    shared = nn.Layer(3, 3, "tanh", seed=5)
    block = nn.Sequential(nn.Layer(3, 3, seed=7), shared)
    model = nn.Sequential(nn.Layer(2, 3, seed=4), shared, block, nn.MLP(3, [2, 3], seed=6), block)
    theirs = model.to_torch()
    linears = [m for m in theirs if isinstance(m, torch.nn.Linear)]
    assert len(linears) == 8 and len({id(m) for m in linears}) == 5  # shared used 3 times, block's first twice
    assert linears[1] is linears[3] is linears[7] and linears[2] is linears[6]
    assert sum(p.numel() for p in theirs.parameters()) == model.num_parameters()
    X = np.random.default_rng(0).normal(size=(5, 2))
    out = theirs(torch.tensor(X))
    (out**2).sum().backward()
    mine = model(X)
    model.zero_grad()
    (mine * mine).sum().backward()
    np.testing.assert_allclose(np.asarray(mine.data), out.detach().numpy(), rtol=1e-12, atol=1e-15)
    # a weight used three times gets the sum of its three gradients, in both
    np.testing.assert_allclose(shared.W.grad, linears[1].weight.grad.numpy(), rtol=1e-10, atol=1e-14)


@requires_torch
@pytest.mark.parametrize("threshold", [28.0, 40.0, 709.0])
def test_from_torch_takes_a_softplus_that_agrees_to_1e_12_in_outputs_and_gradients(threshold):
    net = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.Softplus(threshold=threshold)).double()
    with torch.no_grad():
        net[0].weight.fill_(1.0)
        net[0].bias.fill_(0.0)
    x = np.array([[-30.0], [0.5], [20.01], [27.9], [28.1], [39.9], [40.1], [100.0], [708.9], [709.5], [800.0]])
    inputs = torch.tensor(x, requires_grad=True)
    out = net(inputs)
    out.sum().backward()
    mine = autograd.Value(x)
    outputs = nn.Module.from_torch(net)(mine)
    outputs.sum().backward()
    np.testing.assert_allclose(np.asarray(outputs.data), out.detach().numpy(), rtol=1e-15, atol=1e-12)
    np.testing.assert_allclose(mine.grad, inputs.grad.numpy(), rtol=0, atol=1e-12)  # σ(x), or 1 above the threshold


@requires_torch
@pytest.mark.parametrize(
    "threshold, problem",
    [
        # torch's default: at x = 20.01 it gives 20.01, softplus 20.01 + log1p(e^-20.01) = 20.01 + 2.0e-9
        (20.0, "returns x itself above 20, where softplus is larger by up to 2e-09"),
        (27.0, "returns x itself above 27, where softplus is larger by up to 2e-12"),
        (710.0, "computes log(1 + e^x) up to its threshold, which is inf above x = 709"),
        (float("nan"), "computes log(1 + e^x) up to its threshold, which is inf above x = 709"),
    ],
)
def test_from_torch_refuses_a_softplus_that_turns_linear_too_soon_or_overflows(threshold, problem):
    net = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.Softplus(threshold=threshold))
    end = re.escape(f"{problem}; build it with a threshold from 28 to 709 so the two agree to 1e-12: ")
    with pytest.raises(ValueError, match=end + re.escape("torch.nn.Softplus(threshold=40), as to_torch makes") + "$"):
        nn.Module.from_torch(net)
