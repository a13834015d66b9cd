"""chainrule's nn: neurons, layers, MLPs, losses, optimizers, datasets and a training loop,
built on autograd Values, with the names a PyTorch user already knows."""

from . import data
from .layers import ACTIVATIONS, MLP, Layer, Neuron, Sequential
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    l2_penalty,
    log_softmax,
    mse_loss,
    softmax,
)
from .module import Module
from .optim import SGD, Adam, Optimizer, linear_decay
from .predict import accuracy, classify, predict
from .train import fit, keep_freed_memory
from .watch import LivePlot, Recorder, write_training_page

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "SGD",
    "Adam",
    "Layer",
    "LivePlot",
    "Module",
    "Neuron",
    "Optimizer",
    "Recorder",
    "Sequential",
    "accuracy",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "classify",
    "cross_entropy",
    "data",
    "fit",
    "hinge_loss",
    "keep_freed_memory",
    "l2_penalty",
    "linear_decay",
    "log_softmax",
    "mse_loss",
    "predict",
    "softmax",
    "write_training_page",
]
