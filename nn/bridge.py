"""A path to PyTorch: a model's description as a ``torch.nn.Sequential``, and back.

The bridge speaks chainrule's model-file description, not its classes: ``to_torch`` reads
a model's ``config()`` and ``state_dict()``, and ``from_torch`` gives back the two, which
``Module.from_torch`` builds into a model. A layer used twice (a ``{"type": "Same"}``
stage) becomes one ``Linear`` module used twice, so the weights stay shared.

PyTorch is optional: these functions import it when called and say how to install it
when it is missing. Weights are copied as float64, so outputs and gradients agree with
chainrule's to rounding.
"""

from __future__ import annotations

import math
import sys

import numpy as np

_TORCH_ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "softplus": "Softplus"}
LEAKY_SLOPE = 0.01  # Value.leaky_relu's default slope, which nn's "leaky_relu" layers use
# torch.nn.Softplus returns x itself above its threshold (20 by default, which is 1e-9 off:
# softplus(20) = 20 + 2e-9). Above 40 the difference, e^-40 = 4e-18, is below half an ulp
# of 40, so x is softplus(x) to the last bit; below 40 torch's log1p(exp(x)) is exact to
# rounding. A larger threshold would let exp(x) overflow to inf above 709.
SOFTPLUS_THRESHOLD = 40.0
# from_torch takes a Softplus whose threshold keeps docs/pytorch.md's promise of agreement to 1e-12:
# from 28 (e^-28 = 7e-13) to 709, below which exp(x) is a float (above, torch's log1p(exp(x)) is inf).
SOFTPLUS_THRESHOLDS = (28.0, math.floor(math.log(sys.float_info.max)))  # 709


def import_torch():
    """The torch module, or an ImportError that says how to install it."""
    try:
        import torch
    except ImportError:
        raise ImportError(
            "to_torch and from_torch need PyTorch, which chainrule does not install: pip install torch"
        ) from None
    return torch


# -- chainrule to PyTorch ----------------------------------------------------------------------------
def to_torch(config: dict, state: dict):
    """A ``torch.nn.Sequential`` of ``Linear`` layers and activations for a model's ``config()`` and
    ``state_dict()``, holding copies of the weights (float64)."""
    torch = import_torch()
    return torch.nn.Sequential(*_stages(config, "", {}, state, torch))


def _stages(config: dict, place: str, made: dict[str, list], state: dict, torch) -> list:
    """The torch modules of the stage described by ``config`` at ``place`` (``""``, ``layers.0``, ...).

    ``made`` holds the modules made for each place, so that a ``{"type": "Same", "as": place}``
    stage is the very same modules, not a copy.
    """
    kind = config["type"]
    prefix = f"{place}." if place else ""  # of the stage's parameter names, as state_dict() names them
    if kind == "Same":
        return made[config["as"]]
    if kind in ("Layer", "Neuron"):
        return _linear(prefix, config["activation"], state, torch)
    if kind == "MLP":
        count = len(config["nouts"])
        activations = [config["activation"]] * (count - 1) + [config["output_activation"]]
        return [m for j, act in enumerate(activations) for m in _linear(f"{prefix}layers.{j}.", act, state, torch)]
    if kind == "Sequential":
        stages = []
        for i, stage in enumerate(config["layers"]):
            here = f"{prefix}layers.{i}"
            modules = _stages(stage, here, made, state, torch)
            made.setdefault(here, modules)
            stages += modules
        return stages
    raise TypeError(f"to_torch converts nn.Layer, nn.MLP and nn.Sequential models, not {kind}")


def _linear(prefix: str, activation: str, state: dict, torch) -> list:
    """A ``Linear`` module holding the layer's W and b, then its activation module (none for "linear")."""
    for name in (f"{prefix}W", f"{prefix}b"):
        if name not in state:
            raise ValueError(f"to_torch: the state has no parameter {name!r}, which the model description needs")
    W = np.asarray(state[f"{prefix}W"], dtype=float)
    b = np.asarray(state[f"{prefix}b"], dtype=float)
    linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(torch.as_tensor(W))
        linear.bias.copy_(torch.as_tensor(b))
    if activation == "linear":
        return [linear]
    if activation == "leaky_relu":
        return [linear, torch.nn.LeakyReLU(LEAKY_SLOPE)]
    if activation == "softplus":
        return [linear, torch.nn.Softplus(beta=1.0, threshold=SOFTPLUS_THRESHOLD)]
    if activation in _TORCH_ACTIVATIONS:
        return [linear, getattr(torch.nn, _TORCH_ACTIVATIONS[activation])()]
    raise ValueError(
        f"to_torch: PyTorch has no {activation!r} activation layer; "
        f"use one of linear, leaky_relu, {', '.join(_TORCH_ACTIVATIONS)}"
    )


# -- PyTorch to chainrule ----------------------------------------------------------------------------
def _activation_of(stage, torch) -> str | None:
    """chainrule's name for a torch activation module, or None if ``stage`` is not one."""
    for name, cls in _TORCH_ACTIVATIONS.items():
        if type(stage) is getattr(torch.nn, cls):
            if name == "softplus":
                _check_softplus(stage)
            return name
    if type(stage) is torch.nn.LeakyReLU:
        if stage.negative_slope != LEAKY_SLOPE:
            raise ValueError(f"from_torch: LeakyReLU converts with negative_slope={LEAKY_SLOPE}, got {stage}")
        return "leaky_relu"
    if type(stage) is torch.nn.Identity:
        return "linear"
    return None


def _check_softplus(stage) -> None:
    """torch's Softplus is x itself above its threshold: only one close enough to softplus there converts."""
    low, high = SOFTPLUS_THRESHOLDS
    if stage.beta != 1:
        raise ValueError(
            f"from_torch: only Softplus(beta=1) converts, got {stage}; chainrule's softplus is log(1 + e^x)"
        )
    if not low <= stage.threshold <= high:
        if stage.threshold < low:
            problem = f"returns x itself above {stage.threshold:g}, where softplus is larger by up to {math.exp(-stage.threshold):.0e}"
        else:  # a NaN threshold too: torch then always computes log1p(exp(x))
            problem = f"computes log(1 + e^x) up to its threshold, which is inf above x = {high:.0f}"
        raise ValueError(
            f"from_torch: {stage} {problem}; build it with a threshold from {low:g} to {high:.0f} so the two agree "
            "to 1e-12: torch.nn.Softplus(threshold=40), as to_torch makes"
        )


def _flatten(module, torch) -> list:
    if isinstance(module, torch.nn.Sequential):
        return [leaf for stage in module for leaf in _flatten(stage, torch)]
    return [module]


def from_torch(module, as_mlp: bool = False) -> tuple[dict, dict]:
    """The description and state (``config()``, ``state_dict()``) of the layers of a ``torch.nn.Sequential``
    of ``Linear`` layers, each optionally followed by an activation: a Sequential of Layers, or an MLP."""
    torch = import_torch()
    if not isinstance(module, torch.nn.Module):
        raise TypeError(
            f"module must be a torch.nn.Module (a Sequential of Linear layers), got {type(module).__name__}"
        )
    stages, layers, state = _flatten(module, torch), [], {}
    if not stages:
        raise ValueError("from_torch: the torch module holds no layers; give a Sequential of Linear layers")
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
        place = f"layers.{len(layers)}."  # a Sequential's layers and an MLP's have the same parameter names
        state[f"{place}W"] = linear.weight.detach().to(torch.float64).numpy().tolist()
        state[f"{place}b"] = linear.bias.detach().to(torch.float64).numpy().tolist()
        layers.append(
            {
                "type": "Layer",
                "nin": linear.in_features,
                "nout": linear.out_features,
                "activation": activation or "linear",
            }
        )
        k += 2 if activation is not None else 1
    for before, after in zip(layers, layers[1:]):
        if before["nout"] != after["nin"]:
            raise ValueError(f"from_torch: a layer of {before['nout']} outputs feeds one of {after['nin']} inputs")
    return (_as_mlp(layers) if as_mlp else {"type": "Sequential", "layers": layers}), state


def _as_mlp(layers: list[dict]) -> dict:
    """The description of the MLP that these layers make."""
    hidden = {layer["activation"] for layer in layers[:-1]}
    if len(hidden) > 1:
        raise ValueError(f"from_torch: an MLP has one hidden activation; this network has {sorted(hidden)}")
    return {
        "type": "MLP",
        "nin": layers[0]["nin"],
        "nouts": [layer["nout"] for layer in layers],
        "activation": hidden.pop() if hidden else "relu",
        "output_activation": layers[-1]["activation"],
    }
