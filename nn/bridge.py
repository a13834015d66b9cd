"""A path to PyTorch: the same network as a ``torch.nn.Sequential``, and back.

PyTorch is optional: these functions import it when called and say how to install it
when it is missing. Weights are copied as float64, so outputs and gradients agree with
chainrule's to rounding.
"""

from __future__ import annotations

import numpy as np

from autograd import Value

from .modules import MLP, Layer, Module, Sequential

_TORCH_ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "softplus": "Softplus"}
LEAKY_SLOPE = 0.01  # Value.leaky_relu's default slope, which nn's "leaky_relu" layers use
# torch.nn.Softplus returns x itself above its threshold (20 by default, which is 1e-9 off:
# softplus(20) = 20 + 2e-9). Above 40 the difference, e^-40 = 4e-18, is below half an ulp
# of 40, so x is softplus(x) to the last bit; below 40 torch's log1p(exp(x)) is exact to
# rounding. A larger threshold would let exp(x) overflow to inf above 709.
SOFTPLUS_THRESHOLD = 40.0


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError(
            "to_torch and from_torch need PyTorch, which chainrule does not install: pip install torch"
        ) from None
    return torch


def _layers(model: Module) -> list[Layer]:
    if isinstance(model, Layer):
        return [model]
    if isinstance(model, Sequential):
        return [layer for stage in model.layers for layer in _layers(stage)]
    raise TypeError(f"to_torch converts nn.Layer, nn.MLP and nn.Sequential models, not {type(model).__name__}")


def to_torch(model: Module):
    """A ``torch.nn.Sequential`` of ``Linear`` layers and activations holding copies of the weights (float64)."""
    torch = _torch()
    stages = []
    for layer in _layers(model):
        linear = torch.nn.Linear(layer.nin, layer.nout, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.as_tensor(np.asarray(layer.W.data, dtype=float)))
            linear.bias.copy_(torch.as_tensor(np.asarray(layer.b.data, dtype=float)))
        stages.append(linear)
        if layer.activation == "leaky_relu":
            stages.append(torch.nn.LeakyReLU(LEAKY_SLOPE))
        elif layer.activation == "softplus":
            stages.append(torch.nn.Softplus(beta=1.0, threshold=SOFTPLUS_THRESHOLD))
        elif layer.activation in _TORCH_ACTIVATIONS:
            stages.append(getattr(torch.nn, _TORCH_ACTIVATIONS[layer.activation])())
        elif layer.activation != "linear":
            raise ValueError(
                f"to_torch: PyTorch has no {layer.activation!r} activation layer; "
                f"use one of linear, leaky_relu, {', '.join(_TORCH_ACTIVATIONS)}"
            )
    return torch.nn.Sequential(*stages)


def _activation_of(stage, torch) -> str | None:
    """chainrule's name for a torch activation module, or None if ``stage`` is not one."""
    for name, cls in _TORCH_ACTIVATIONS.items():
        if type(stage) is getattr(torch.nn, cls):
            if name == "softplus" and (stage.beta != 1 or stage.threshold < 20):
                raise ValueError(f"from_torch: only Softplus(beta=1) converts, got {stage}")
            return name
    if type(stage) is torch.nn.LeakyReLU:
        if stage.negative_slope != LEAKY_SLOPE:
            raise ValueError(f"from_torch: LeakyReLU converts with negative_slope={LEAKY_SLOPE}, got {stage}")
        return "leaky_relu"
    if type(stage) is torch.nn.Identity:
        return "linear"
    return None


def _flatten(module, torch) -> list:
    if isinstance(module, torch.nn.Sequential):
        return [leaf for stage in module for leaf in _flatten(stage, torch)]
    return [module]


def from_torch(module, as_mlp: bool = False) -> Module:
    """Layers rebuilt from a ``torch.nn.Sequential`` of ``Linear`` layers, each optionally followed by an activation."""
    torch = _torch()
    if not isinstance(module, torch.nn.Module):
        raise TypeError(
            f"module must be a torch.nn.Module (a Sequential of Linear layers), got {type(module).__name__}"
        )
    stages, layers = _flatten(module, torch), []
    k = 0
    while k < len(stages):
        linear = stages[k]
        if type(linear) is not torch.nn.Linear:
            raise ValueError(
                f"from_torch: stage {k} is {type(linear).__name__}; expected a Linear layer "
                "(each Linear may be followed by one of ReLU, LeakyReLU, Tanh, Sigmoid, Softplus, Identity)"
            )
        if linear.bias is None:
            raise ValueError(f"from_torch: stage {k} is a Linear layer without bias; chainrule's layers have one")
        activation = _activation_of(stages[k + 1], torch) if k + 1 < len(stages) else None
        layer = Layer(linear.in_features, linear.out_features, activation or "linear")
        layer.W = Value(linear.weight.detach().to(torch.float64).numpy().copy())
        layer.b = Value(linear.bias.detach().to(torch.float64).numpy().copy())
        layers.append(layer)
        k += 2 if activation is not None else 1
    for before, after in zip(layers, layers[1:]):
        if before.nout != after.nin:
            raise ValueError(f"from_torch: a layer of {before.nout} outputs feeds one of {after.nin} inputs")
    if as_mlp:
        return _as_mlp(layers)
    return Sequential(*layers)


def _as_mlp(layers: list[Layer]) -> MLP:
    hidden = {layer.activation for layer in layers[:-1]}
    if len(hidden) > 1:
        raise ValueError(f"from_torch: an MLP has one hidden activation; this network has {sorted(hidden)}")
    model = MLP(
        layers[0].nin,
        [layer.nout for layer in layers],
        activation=hidden.pop() if hidden else "relu",
        output_activation=layers[-1].activation,
    )
    for mine, theirs in zip(model.layers, layers):
        mine.W.data, mine.b.data = theirs.W.data, theirs.b.data
    return model
