"""Modules: Neuron, Layer, MLP and Sequential, built from autograd Values.

Every module lists its parameters with dotted names (``layers.0.neurons.3.w.1``),
can be saved to and loaded from JSON, and can be a layer of another module.

Initialisation (documented so results can be reproduced): weights are drawn from a
NumPy ``Generator`` made from ``seed`` (or passed as ``rng``); ``init`` chooses

- ``"normal"`` (default): w ~ N(0, 2/nin), He initialisation, which keeps ReLU activations
  at a steady scale from layer to layer;
- ``"uniform"``: w ~ U(-1/sqrt(nin), 1/sqrt(nin)), PyTorch's default for a linear layer;
- ``"unit"``: w ~ U(-1, 1).

Biases start at ``bias`` (0.0 by default; the lectures suggest a small positive value
such as 0.1 for ReLU units so they start active).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable, Sequence

import numpy as np

import autograd
from autograd import Value, checks
from autograd.engine import value_of

ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "linear": lambda x: x,
    "relu": Value.relu,
    "leaky_relu": Value.leaky_relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "softplus": Value.softplus,
    "step": Value.step,
    "abs": abs,
}
INITS = ("uniform", "normal", "unit")
FORMAT = "chainrule.model"
FORMAT_VERSION = 1


def check_activation(name) -> str:
    return checks.choice(name, "activation", tuple(ACTIVATIONS))


def _make_rng(seed, rng) -> np.random.Generator:
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        return rng
    return np.random.default_rng(checks.seed(seed))


def _draw_weights(rng: np.random.Generator, nin: int, count: int, init: str) -> list[float]:
    if init == "uniform":
        bound = 1.0 / math.sqrt(nin)
        return rng.uniform(-bound, bound, count).tolist()
    if init == "normal":
        return rng.normal(0.0, math.sqrt(2.0 / nin), count).tolist()
    if init == "unit":
        return rng.uniform(-1.0, 1.0, count).tolist()
    raise AssertionError(init)  # checked by the constructors


class Module:
    """Base class: parameters, gradients, state dicts and JSON files for any model."""

    def __call__(self, x):
        raise NotImplementedError(f"{type(self).__name__} does not define __call__")

    # -- parameters ---------------------------------------------------------
    def named_parameters(self, prefix: str = "") -> list[tuple[str, Value]]:
        """(dotted name, Value) for every parameter, in a fixed order.

        A Value reachable twice (a layer used twice, a shared weight) is listed once,
        under the first name, so an optimizer updates it once.
        """
        found: list[tuple[str, Value]] = []
        self._collect(prefix, found, set())
        return found

    def _collect(self, prefix: str | None, found: list, seen: set) -> None:
        for name, attribute in vars(self).items():
            if not name.startswith("_"):
                _collect(attribute, None if prefix is None else prefix + name, found, seen)

    def parameters(self) -> list[Value]:
        """Every parameter Value, in the order of ``named_parameters``."""
        found: list[tuple[None, Value]] = []
        self._collect(None, found, set())  # None: no names needed, so none are built
        return [p for _, p in found]

    def num_parameters(self) -> int:
        return len(self.parameters())

    def label_parameters(self) -> None:
        """Label every parameter by its place, so drawings name it: ``layers.1.neurons.0.w.2``
        becomes ``w[1,0,2]`` (layer, neuron, input), ``layers.1.neurons.0.b`` becomes ``b[1,0]``."""
        for name, p in self.named_parameters():
            parts = name.split(".")
            indices = [part for part in parts if part.isdigit()]
            kind = next(part for part in reversed(parts) if not part.isdigit())
            p.label = f"{kind}[{','.join(indices)}]" if indices else kind

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (leaves accumulate across backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    # -- saving and loading -------------------------------------------------
    def config(self) -> dict:
        """The constructor arguments that rebuild this architecture (without its weights)."""
        raise NotImplementedError(f"{type(self).__name__} cannot describe its architecture")

    def state_dict(self) -> dict[str, float]:
        """Parameter values by dotted name."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict) -> None:
        """Copy values into the parameters; on any mismatch raise ValueError and change nothing."""
        if not isinstance(state, dict):
            raise ValueError(f"state must be a dict of parameter name to number, got {type(state).__name__}")
        params = dict(self.named_parameters())
        for name in params:
            if name not in state:
                raise ValueError(f"state is missing parameter {name!r}")
        for name in state:
            if name not in params:
                raise ValueError(f"state has parameter {name!r}, which this model does not have")
        values = {}
        for name in params:
            try:
                values[name] = checks.number(state[name], f"state[{name!r}]")
            except TypeError as error:
                raise ValueError(str(error)) from None
        for name, p in params.items():
            p.data = values[name]

    def to_json(self) -> dict:
        return {"format": FORMAT, "version": FORMAT_VERSION, "model": self.config(), "state": self.state_dict()}

    def save(self, path: str | os.PathLike) -> None:
        """Write architecture and weights as JSON (written to a temporary file, then renamed)."""
        _check_path(path)
        text = json.dumps(self.to_json(), indent=1)
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise FileNotFoundError(f"cannot save model to {str(path)!r}: directory {directory!r} does not exist")
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as f:
                f.write(text)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates private files; a model file is an ordinary one
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike) -> Module:
        """Rebuild a model saved with ``save``. A file that does not describe a model raises ValueError."""
        _check_path(path)
        try:
            with open(path) as f:
                text = f.read()
        except FileNotFoundError:
            raise FileNotFoundError(f"model file {str(path)!r} not found") from None
        return cls.from_json_text(text, source=str(path))

    @classmethod
    def from_json_text(cls, text: str, source: str = "model file") -> Module:
        try:
            document = json.loads(text, parse_constant=_reject_constant)
        except (json.JSONDecodeError, RecursionError) as error:
            raise ValueError(f"{source} is not valid JSON: {error}") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError(f'{source} is not a chainrule model file (expected "format": "{FORMAT}")')
        if type(document.get("version")) is not int or document.get("version") != FORMAT_VERSION:
            raise ValueError(
                f"{source} has version {document.get('version')!r}; this chainrule reads version {FORMAT_VERSION}"
            )
        extra = set(document) - {"format", "version", "model", "state"}
        if extra:
            raise ValueError(f"{source} has unexpected key {sorted(extra)[0]!r}")
        model = build(document.get("model"))
        if cls is not Module and not isinstance(model, cls):
            raise ValueError(f"{source} holds a {type(model).__name__}, not a {cls.__name__}")
        model.load_state_dict(document.get("state"))
        return model

    def __repr__(self) -> str:
        return f"{self._summary()}  # {self.num_parameters()} parameters"

    def _summary(self) -> str:
        return type(self).__name__


def _check_path(path) -> None:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name (str or os.PathLike), got {type(path).__name__} {path!r:.60}")


def _reject_constant(name: str):
    raise ValueError(f"model file holds {name}; every number must be finite")


def _collect(attribute, name: str | None, found: list, seen: set) -> None:
    """Append (dotted name, Value) for every parameter under ``attribute`` not yet seen."""
    if isinstance(attribute, Value):
        if id(attribute) not in seen:
            seen.add(id(attribute))
            found.append((name, attribute))
    elif isinstance(attribute, Module):
        attribute._collect(None if name is None else name + ".", found, seen)
    elif isinstance(attribute, (list, tuple)):
        for i, item in enumerate(attribute):
            _collect(item, None if name is None else f"{name}.{i}", found, seen)


def _as_inputs(x, nin: int, who: str) -> list:
    """One example (a sequence of numbers or Values) or a batch (a list of batched Values)."""
    if isinstance(x, np.ndarray):
        x = list(x) if x.ndim == 1 else [Value(column) for column in x.T]
    if isinstance(x, (Value, int, float)):
        x = [x]
    if not isinstance(x, (list, tuple)):
        raise TypeError(f"{who} input must be a list of {nin} numbers or Values, got {type(x).__name__}")
    if len(x) != nin:
        raise ValueError(f"{who} expects {nin} input(s), got {len(x)}")
    return [value_of(v, f"{who} input {i}") for i, v in enumerate(x)]


class Neuron(Module):
    """activation(w . x + b): one weighted sum, then a nonlinearity."""

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        *,
        init: str = "normal",
        bias: float = 0.0,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        nin = checks.count(nin, "nin")
        self.activation = check_activation(activation)
        checks.choice(init, "init", INITS)
        bias = checks.number(bias, "bias")
        self.w = [Value(w) for w in _draw_weights(_make_rng(seed, rng), nin, nin, init)]
        self.b = Value(bias)
        self.label_parameters()

    def __call__(self, x) -> Value:
        x = _as_inputs(x, len(self.w), "Neuron")
        weighted_sum = autograd.sum([wi * xi for wi, xi in zip(self.w, x)] + [self.b])
        return ACTIVATIONS[self.activation](weighted_sum)

    def config(self) -> dict:
        return {"type": "Neuron", "nin": len(self.w), "activation": self.activation}

    def _summary(self) -> str:
        return f"Neuron({len(self.w)}, {self.activation})"


class Layer(Module):
    """``nout`` neurons reading the same inputs."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        *,
        init: str = "normal",
        bias: float = 0.0,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        nin, nout = checks.count(nin, "nin"), checks.count(nout, "nout")
        check_activation(activation)
        checks.choice(init, "init", INITS)
        rng = _make_rng(seed, rng)
        self.neurons = [Neuron(nin, activation, init=init, bias=bias, rng=rng) for _ in range(nout)]
        self.label_parameters()

    @property
    def nin(self) -> int:
        return len(self.neurons[0].w)

    @property
    def nout(self) -> int:
        return len(self.neurons)

    @property
    def activation(self) -> str:
        return self.neurons[0].activation

    def __call__(self, x) -> list[Value]:
        x = _as_inputs(x, self.nin, "Layer")
        return [neuron(x) for neuron in self.neurons]

    def config(self) -> dict:
        return {"type": "Layer", "nin": self.nin, "nout": self.nout, "activation": self.activation}

    def _summary(self) -> str:
        return f"Layer({self.nin} -> {self.nout}, {self.activation})"


class Sequential(Module):
    """Modules applied one after another; any module, an MLP included, can be a stage."""

    def __init__(self, *modules: Module) -> None:
        if not modules:
            raise ValueError("Sequential needs at least one module")
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential stage {i} must be a Module, got {type(m).__name__}")
        self.layers = list(modules)
        self.label_parameters()

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def config(self) -> dict:
        return {"type": "Sequential", "layers": [m.config() for m in self.layers]}

    def _summary(self) -> str:
        lines = [f"  ({i}): " + m._summary().replace("\n", "\n  ") for i, m in enumerate(self.layers)]
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


class MLP(Sequential):
    """A multilayer perceptron: Layers of sizes ``nouts`` after ``nin`` inputs.

    ``MLP(2, [16, 16, 1])`` has two hidden ReLU layers of 16 units and one linear output.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        *,
        init: str = "normal",
        bias: float = 0.0,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        nin = checks.count(nin, "nin")
        if isinstance(nouts, (int, np.integer)) and not isinstance(nouts, bool):
            nouts = [nouts]
        if not isinstance(nouts, (list, tuple)):
            raise TypeError(
                f"nouts must be a list of layer sizes such as [16, 1], got {type(nouts).__name__} {nouts!r:.60}"
            )
        if not nouts:
            raise ValueError("nouts is empty; give at least one layer size, e.g. [1]")
        nouts = [checks.count(n, f"nouts[{i}]") for i, n in enumerate(nouts)]
        check_activation(activation)
        checks.choice(output_activation, "output_activation", tuple(ACTIVATIONS))
        checks.choice(init, "init", INITS)
        rng = _make_rng(seed, rng)
        self._activation = activation
        sizes = [nin, *nouts]
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                activation if i < len(nouts) - 1 else output_activation,
                init=init,
                bias=bias,
                rng=rng,
            )
            for i in range(len(nouts))
        ]
        self.label_parameters()

    def config(self) -> dict:
        return {
            "type": "MLP",
            "nin": self.layers[0].nin,
            "nouts": [layer.nout for layer in self.layers],
            "activation": self._activation,
            "output_activation": self.layers[-1].activation,
        }


_TYPES = {"Neuron": Neuron, "Layer": Layer, "MLP": MLP, "Sequential": Sequential}
_CONFIG_KEYS = {
    "Neuron": {"nin", "activation"},
    "Layer": {"nin", "nout", "activation"},
    "MLP": {"nin", "nouts", "activation", "output_activation"},
    "Sequential": {"layers"},
}


def build(config, depth: int = 0) -> Module:
    """A fresh module from ``config()`` output; malformed configs raise ValueError."""
    if depth > 32:
        raise ValueError("model description is nested too deeply")
    if depth == 0 and _weights_in(config) > MAX_WEIGHTS:
        raise ValueError(
            f"model description asks for about {_weights_in(config):,} weights; the limit is {MAX_WEIGHTS:,}"
        )
    if not isinstance(config, dict) or not isinstance(config.get("type"), str) or config["type"] not in _TYPES:
        raise ValueError(f'model description must have "type" one of {sorted(_TYPES)}, got {config!r:.80}')
    kind = config["type"]
    keys = set(config) - {"type"}
    if keys != _CONFIG_KEYS[kind]:
        problem = sorted(keys ^ _CONFIG_KEYS[kind])[0]
        raise ValueError(f"{kind} description has a missing or unexpected key {problem!r}")
    args = {k: config[k] for k in keys}
    try:
        if kind == "Sequential":
            if not isinstance(args["layers"], list):
                raise ValueError('Sequential "layers" must be a list')
            return Sequential(*[build(c, depth + 1) for c in args["layers"]])
        if kind == "MLP" and isinstance(args["nouts"], list) and len(args["nouts"]) > 10_000:
            raise ValueError("MLP has too many layers")
        return _TYPES[kind](**args)
    except TypeError as error:
        raise ValueError(f"{kind} description is invalid: {error}") from None


MAX_WEIGHTS = 10_000_000


def _weights_in(config) -> int:
    """Weights a model description asks for (0 for parts the constructors will reject anyway)."""
    if not isinstance(config, dict):
        return 0
    if config.get("type") == "Sequential" and isinstance(config.get("layers"), list):
        return sum(_weights_in(c) for c in config["layers"][:10_000])
    sizes = [config.get("nin", 1)] + (config.get("nouts") if isinstance(config.get("nouts"), list) else [])
    sizes.append(config.get("nout", 1))
    if not all(type(n) is int for n in sizes[:10_000]):
        return 0
    return sum(a * b for a, b in zip(sizes, sizes[1:]))
