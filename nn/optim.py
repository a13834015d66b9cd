"""Optimizers: plain or momentum SGD with weight decay, and Adam.

``lr`` is a number or a function of the step number k = 0, 1, 2, ... (see ``linear_decay``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from autograd import Value, checks

from .module import Module


def linear_decay(start: float, end: float, steps: int) -> Callable[[int], float]:
    """lr(k) = start - (start - end) * k / steps, held at ``end`` after ``steps`` steps.

    ``linear_decay(1.0, 0.1, 100)`` is the schedule 1.0 - 0.9 k / 100 of the classic moons demo.
    """
    start = checks.number(start, "linear_decay: start", minimum=0.0)
    end = checks.number(end, "linear_decay: end", minimum=0.0)
    steps = checks.count(steps, "linear_decay: steps")

    def lr(k: int) -> float:
        return start - (start - end) * min(k, steps) / steps

    return lr


class Optimizer:
    """Holds the parameters and the learning rate; subclasses define ``update``."""

    def __init__(self, params: Iterable[Value] | Module, lr: float | Callable[[int], float]) -> None:
        if isinstance(params, Module):
            params = params.parameters()
        if isinstance(params, Value) or not isinstance(params, Iterable):
            raise TypeError(f"params must be a list of Values or a Module, got {type(params).__name__}")
        self.params = list(params)
        if not self.params:
            raise ValueError("params is empty; pass model.parameters()")
        seen: dict[int, int] = {}
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"params[{i}] must be a Value, got {type(p).__name__}")
            if id(p) in seen:
                raise ValueError(
                    f"params[{i}] is params[{seen[id(p)]}] again; pass each parameter once (a shared weight would be updated twice)"
                )
            seen[id(p)] = i
        self.lr = lr if callable(lr) else checks.number(lr, "lr", positive=True)
        self.steps = 0

    def current_lr(self) -> float:
        """The learning rate for the next step."""
        if not callable(self.lr):
            return self.lr
        return checks.number(self.lr(self.steps), f"lr at step {self.steps} (from the lr function)", minimum=0.0)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Move every parameter against its gradient (a whole weight matrix at a time)."""
        lr = self.current_lr()
        for i, p in enumerate(self.params):
            grad = p.grad
            if grad.__class__ is Value:
                raise ValueError(
                    f"parameter {i} holds a gradient with a graph (from create_graph=True); "
                    "set p.grad = p.grad.data, or call backward() without create_graph"
                )
            if grad.__class__ is not float and np.shape(grad) != np.shape(p.data):
                raise ValueError(f"parameter {i} has shape {np.shape(p.data)} but its gradient {np.shape(grad)}")
        for i, p in enumerate(self.params):
            self.update(i, p, lr)
        self.steps += 1

    def update(self, i: int, p: Value, lr: float) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """w <- w - lr * v with v <- momentum * v + (grad + weight_decay * w) (PyTorch's form)."""

    def __init__(
        self, params, lr: float | Callable[[int], float], momentum: float = 0.0, weight_decay: float = 0.0
    ) -> None:
        super().__init__(params, lr)
        self.momentum = checks.number(momentum, "momentum")
        self.weight_decay = checks.number(weight_decay, "weight_decay")
        if not 0.0 <= self.momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {self.momentum}")
        if self.weight_decay < 0.0:
            raise ValueError(f"weight_decay must be >= 0, got {self.weight_decay}")
        self.velocity = [0.0] * len(self.params)

    def update(self, i: int, p: Value, lr: float) -> None:
        g = p.grad + self.weight_decay * p.data
        if self.momentum:
            g = self.velocity[i] = self.momentum * self.velocity[i] + g
        p.data = p.data - lr * g  # a new array: graphs that read the old numbers keep them


class Adam(Optimizer):
    """Adam: steps scaled by running averages of the gradient and its square, bias-corrected."""

    def __init__(
        self,
        params,
        lr: float | Callable[[int], float] = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)):
            raise TypeError(
                f"betas must be a pair of numbers such as (0.9, 0.999), got {type(betas).__name__} {betas!r:.60}"
            )
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair of numbers such as (0.9, 0.999), got {len(betas)} of them")
        self.betas = tuple(checks.number(b, f"betas[{i}]") for i, b in enumerate(betas))
        if not all(0.0 <= b < 1.0 for b in self.betas):
            raise ValueError(f"betas must lie in [0, 1), got {betas!r}")
        self.eps = checks.number(eps, "eps", positive=True)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def update(self, i: int, p: Value, lr: float) -> None:
        beta1, beta2 = self.betas
        t = self.steps + 1
        self.m[i] = beta1 * self.m[i] + (1 - beta1) * p.grad
        self.v[i] = beta2 * self.v[i] + (1 - beta2) * p.grad**2
        m_hat = self.m[i] / (1 - beta1**t)
        v_hat = self.v[i] / (1 - beta2**t)
        p.data = p.data - lr * m_hat / (np.sqrt(v_hat) + self.eps)
