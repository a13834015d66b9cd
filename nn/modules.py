"""Modules: Neuron, Layer, MLP and Sequential, built from autograd Values.

A layer's parameters are a weight matrix ``W`` of shape (outputs, inputs) and a bias
vector ``b``, as in PyTorch's ``Linear``. A layer reads its input three ways:

- **a batch** (a Value or array of shape (rows, inputs)): one matrix node
  ``z = x Wᵀ + b`` for every row at once, then the activation; this is how ``fit`` trains;
- **one example** (a list of numbers or scalar Values): the scalar graph of the
  lectures, one node per neuron ``z = w·x + b`` whose inputs are the entries ``w[l,j,i]``
  of ``W`` (with ``graph="products"``, one node per product ``w_ji x_i`` instead);
- a list of batched Values, one per input feature (the older batched form): the same
  as a batch, with the outputs handed back as one batched Value per output.

Both graphs give the same numbers. Every module lists its parameters with dotted names
(``layers.0.W``), can be saved to and loaded from JSON, and can be a layer of another.
A subclass may define ``forward``, which calling the module runs.

Initialisation (documented so results can be reproduced): weights are drawn row by row
(one output neuron at a time) from a NumPy ``Generator`` made from ``seed`` (or passed
as ``rng``); ``init`` chooses

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
from autograd.functions import neuron_node
from autograd.value import value_of

from .data import check_training_info
from .limits import check_size

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
GRAPHS = ("neuron", "products")
FORMAT = "chainrule.model"
FORMAT_VERSION = 3  # 3: an optional "training" object beside the model


def check_activation(name) -> str:
    return checks.choice(name, "activation", tuple(ACTIVATIONS))


def _make_rng(seed, rng) -> np.random.Generator:
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        return rng
    return np.random.default_rng(checks.seed(seed))


def _draw_weights(rng: np.random.Generator, nin: int, nout: int, init: str) -> np.ndarray:
    """(nout, nin) weights, drawn row by row."""
    if init == "uniform":
        bound = 1.0 / math.sqrt(nin)
        return rng.uniform(-bound, bound, (nout, nin))
    if init == "normal":
        return rng.normal(0.0, math.sqrt(2.0 / nin), (nout, nin))
    if init == "unit":
        return rng.uniform(-1.0, 1.0, (nout, nin))
    raise AssertionError(init)  # checked by the constructors


class Module:
    """Base class: parameters, gradients, state dicts and JSON files for any model.

    Calling a module runs its ``forward`` (define it in a subclass, as in PyTorch).
    """

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def forward(self, x):
        raise NotImplementedError(f"{type(self).__name__} does not define forward(); a Module subclass defines it")

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
        """Every parameter Value (a weight matrix, a bias vector, ...), in the order of ``named_parameters``."""
        found: list[tuple[None, Value]] = []
        self._collect(None, found, set())  # None: no names needed, so none are built
        return [p for _, p in found]

    def num_parameters(self) -> int:
        """How many numbers the parameters hold: every weight and bias."""
        return sum(p.size if p.data.__class__ is not float else 1 for p in self.parameters())

    def label_parameters(self) -> None:
        """Label every parameter and layer by its place, so drawings name them.

        The weights of layer 1 are ``W[1]`` and their entries ``w[1,j,i]`` (output j,
        input i); the pre-activations and activations it computes are ``z[1,j]`` and
        ``h[1,j]`` (``z[1]`` and ``h[1]`` for a whole batch).
        """
        self._place(())

    def _place(self, where: tuple[int, ...]) -> None:
        for name, attribute in vars(self).items():
            if name.startswith("_"):
                continue
            items = attribute if isinstance(attribute, (list, tuple)) else [attribute]
            for k, item in enumerate(items):
                if isinstance(item, Module):
                    item._place(where + ((k,) if isinstance(attribute, (list, tuple)) else ()))

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (leaves accumulate across backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    # -- saving and loading -------------------------------------------------
    def config(self) -> dict:
        """The constructor arguments that rebuild this architecture (without its weights)."""
        raise NotImplementedError(f"{type(self).__name__} cannot describe its architecture")

    def state_dict(self) -> dict[str, object]:
        """Parameter values by dotted name: nested lists for arrays, floats for numbers."""
        return {
            name: (p.data.tolist() if p.data.__class__ is not float else p.data) for name, p in self.named_parameters()
        }

    def load_state_dict(self, state: dict) -> None:
        """Copy values into the parameters; on any mismatch raise ValueError and change nothing."""
        if not isinstance(state, dict):
            raise ValueError(f"state must be a dict of parameter name to numbers, got {type(state).__name__}")
        params = dict(self.named_parameters())
        for name in params:
            if name not in state:
                raise ValueError(f"state is missing parameter {name!r}")
        for name in state:
            if name not in params:
                raise ValueError(f"state has parameter {name!r}, which this model does not have")
        values = {name: _parameter_value(state[name], p, name) for name, p in params.items()}
        for name, p in params.items():
            p.data = values[name]

    def to_json(self) -> dict:
        info = getattr(self, "training_info", None)
        version = FORMAT_VERSION if info else 2  # without training information, readers of version 2 can read it
        document = {"format": FORMAT, "version": version, "model": self.config(), "state": self.state_dict()}
        if info:
            document["training"] = info
        return document

    def save(self, path: str | os.PathLike) -> None:
        """Write architecture and weights as JSON (written to a temporary file, then renamed).

        A ``training_info`` dict set on the model (the loss it was trained with, the class
        names, the scaling of its inputs: ``chainrule train`` sets it) is saved with it and
        comes back from ``load``.
        """
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
        version = document.get("version")
        if type(version) is not int or version not in (1, 2, FORMAT_VERSION):
            raise ValueError(f"{source} has version {version!r}; this chainrule reads versions 1 to {FORMAT_VERSION}")
        extra = set(document) - {"format", "version", "model", "state", "training"}
        if extra:
            raise ValueError(f"{source} has unexpected key {sorted(extra)[0]!r}")
        check_size(document.get("model"), f"{source}: the model description")  # before anything is allocated
        model = build(document.get("model"))
        if cls is not Module and not isinstance(model, cls):
            raise ValueError(f"{source} holds a {type(model).__name__}, not a {cls.__name__}")
        state = document.get("state")
        model.load_state_dict(_upgrade(state, model) if version == 1 else state)
        info = document.get("training")
        if info is not None:
            check_training_info(info, input_size(model), output_size(model), source)
        if info:
            model.training_info = info
        return model

    # -- PyTorch ---------------------------------------------------------------
    def to_torch(self):
        """This network as a ``torch.nn.Sequential`` (float64 copies of the weights); needs PyTorch."""
        from .bridge import to_torch

        return to_torch(self)

    @classmethod
    def from_torch(cls, module) -> Module:
        """A network from a ``torch.nn.Sequential`` of Linear layers and activations (``MLP.from_torch`` gives an MLP)."""
        from .bridge import from_torch

        return from_torch(module, as_mlp=issubclass(cls, MLP))

    def __repr__(self) -> str:
        return f"{self._summary()}  # {self.num_parameters()} parameters"

    def _summary(self) -> str:
        return type(self).__name__


def _parameter_value(value, p: Value, name: str):
    """``value`` checked against parameter ``p``'s shape: a finite number or nested list of them."""
    where = f"state[{name!r}]"
    if p.data.__class__ is float:
        try:
            return checks.number(value, where)
        except TypeError as error:
            raise ValueError(str(error)) from None
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list of numbers of shape {p.shape}, got {type(value).__name__}")
    leaves = np.array(value, dtype=object)
    if leaves.shape != p.shape:
        raise ValueError(f"{where} has shape {leaves.shape}, the parameter {p.shape}; give one number per entry")
    for leaf in leaves.ravel():
        if isinstance(leaf, bool) or not isinstance(leaf, (int, float)):
            raise ValueError(f"{where} must hold numbers, got {type(leaf).__name__} {leaf!r:.40}")
    try:
        array = leaves.astype(float)
    except OverflowError:
        raise ValueError(f"{where} holds a number too large for a float") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{where} must hold finite numbers")
    return array


def _upgrade(state, model: Module) -> dict:
    """A version-1 state (one number per weight, named ``...neurons.J.w.I``) as this version's matrices."""
    if not isinstance(state, dict):
        raise ValueError(f"state must be a dict of parameter name to number, got {type(state).__name__}")
    upgraded, used = {}, set()
    for name, p in model.named_parameters():
        owner, kind = name.rsplit(".", 1) if "." in name else ("", name)
        prefix = f"{owner}." if owner else ""
        one = isinstance(model_of(model, owner), Neuron)  # version 1 named a Neuron's weights w.I and b

        def old(j: int, i: int | None = None, prefix: str = prefix, one: bool = one) -> str:
            base = prefix if one else f"{prefix}neurons.{j}."
            return f"{base}b" if i is None else f"{base}w.{i}"

        keys = (
            [[old(j, i) for i in range(p.shape[1])] for j in range(p.shape[0])]
            if kind == "W"
            else [old(j) for j in range(p.shape[0])]
        )
        for key in (k for row in keys for k in (row if kind == "W" else [row])):
            if key not in state:
                raise ValueError(f"state is missing parameter {key!r}")
            used.add(key)
        upgraded[name] = [[state[k] for k in row] for row in keys] if kind == "W" else [state[k] for k in keys]
    for key in state:
        if key not in used:
            raise ValueError(f"state has parameter {key!r}, which this model does not have")
    return upgraded


def model_of(model: Module, dotted: str) -> Module:
    """The submodule at a dotted path such as ``layers.1``."""
    for part in dotted.split(".") if dotted else []:
        model = model[int(part)] if isinstance(model, list) else getattr(model, part)
    return model


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


# -- what a layer is given -------------------------------------------------------------------------
def _is_number(x) -> bool:
    return (isinstance(x, Value) and x.data.__class__ is float) or (
        isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))
    )


def _columns(x) -> bool:
    """A list of batched Values, one per input feature (the older batched form)."""
    return isinstance(x, (list, tuple)) and bool(x) and all(isinstance(v, Value) and v.ndim == 1 for v in x)


def _as_batch(x, nin: int, who: str) -> Value:
    """Rows as one Value of shape (rows, nin), or one example of shape (nin,)."""
    if _columns(x):
        if len(x) != nin:
            raise ValueError(f"{who} expects {nin} input(s), got {len(x)}")
        try:
            return autograd.stack(list(x), axis=1)
        except ValueError as error:
            raise ValueError(f"{who}: the input columns do not fit together: {error}") from None
    if not isinstance(x, Value):  # data: a constant, named as the lectures name the inputs
        x = value_of(x, f"{who} input")
        x.label = "X" if x.ndim == 2 else "x"
    if x.ndim not in (1, 2) or x.shape[-1] != nin:
        raise ValueError(f"{who} expects rows of {nin} input(s), got shape {x.shape}")
    return x


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs: W of shape (nout, nin) and b of shape (nout,).

    ``graph`` chooses the scalar graph for one example: ``"neuron"`` (one node
    ``w·x + b`` per neuron) or ``"products"`` (a node per product ``w_ji x_i`` and a sum).
    """

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
        graph: str = "neuron",
    ) -> None:
        nin, nout = checks.count(nin, "nin"), checks.count(nout, "nout")
        self.activation = check_activation(activation)
        checks.choice(init, "init", INITS)
        bias = checks.number(bias, "bias")
        self.graph = checks.choice(graph, "graph", GRAPHS)
        self.W = Value(_draw_weights(_make_rng(seed, rng), nin, nout, init))
        self.b = Value(np.full(nout, bias))
        self._views: tuple | None = None
        self._name(())

    @property
    def nin(self) -> int:
        return self.W.shape[1]

    @property
    def nout(self) -> int:
        return self.W.shape[0]

    def _place(self, where: tuple[int, ...]) -> None:
        self._name(where)

    def _name(self, where: tuple[int, ...]) -> None:
        """Labels for this layer's parameters, from its place in a model.

        The labels of single entries (``w[1,0,2]``, ``z[1,0]``, ...) are made when the scalar
        graph first needs them (``_entry_labels``), not here: a large layer that is only
        loaded, or only run on batches, never builds a string per weight.
        """
        self._where = ",".join(map(str, where))
        self.W.label = self._label("W")
        self.b.label = self._label("b")
        self._labels = None
        self._views = None

    def _entry_labels(self) -> tuple[list[list[str]], list[str], list[str], list[str]]:
        """The labels w[l,j,i], b[l,j], z[l,j] and h[l,j] of the scalar graph, made once per place and shape."""
        nout, nin = self.W.shape
        if self._labels is None or self._labels[0] != (nout, nin):
            w = [[self._label("w", j, i) for i in range(nin)] for j in range(nout)]
            b, z, h = ([self._label(kind, j) for j in range(nout)] for kind in "bzh")
            self._labels = ((nout, nin), w, b, z, h)
        return self._labels[1:]

    def _label(self, kind: str, *indices: int) -> str:
        parts = [self._where] * bool(self._where) + [str(i) for i in indices]
        return f"{kind}[{','.join(parts)}]" if parts else kind

    def forward(self, x):
        """A batch gives a batch (rows × nout); one example gives its nout Values (one Value if nout is 1)."""
        if isinstance(x, np.ndarray) and x.ndim == 1:
            x = list(x)  # one example as an array of numbers
        if isinstance(x, (list, tuple)) and not _columns(x):
            return self._one_example(x)
        if _is_number(x) and self.nin == 1:
            return self._one_example([x])
        batch = _as_batch(x, self.nin, type(self).__name__)
        out = self._batch(batch)
        if _columns(x):  # hand the older batched form back as it came: one batched Value per output
            columns = [out[:, j] for j in range(self.nout)]
            return columns[0] if self.nout == 1 else columns
        return out

    def _batch(self, x: Value) -> Value:
        z = autograd.affine(x, self.W, self.b)
        z.label = self._label("z")
        if self.activation == "linear":
            return z
        h = ACTIVATIONS[self.activation](z)
        h.label = self._label("h")
        return h

    def _one_example(self, x: Sequence):
        if len(x) != self.nin:
            raise ValueError(f"{type(self).__name__} expects {self.nin} input(s), got {len(x)}")
        if not all(v.__class__ is Value and v.data.__class__ is float for v in x):
            x = self._numbers(x)  # only inputs that are not yet scalar Values are converted (and checked)
        weights, biases, numbers = self._entries()
        activate = None if self.activation == "linear" else ACTIVATIONS[self.activation]
        x = tuple(x)
        x_data = [v.data for v in x]
        one_node = self.graph == "neuron"
        outs = []
        _, _, z_labels, h_labels = self._entry_labels()
        for row, b, (w_data, b_data), z_label, h_label in zip(weights, biases, numbers, z_labels, h_labels):
            # one node w·x + b from the numbers this layer holds (see autograd.functions.neuron_node)
            z = neuron_node((*row, *x, b), w_data, x_data, b_data) if one_node else _products(row, x, b)
            z.label = z_label
            if activate is not None:
                z = activate(z)
                z.label = h_label
            outs.append(z)
        return outs[0] if self.nout == 1 else outs

    def _numbers(self, x: Sequence) -> list[Value]:
        values = [value_of(v, f"{type(self).__name__} input {i}") for i, v in enumerate(x)]
        for i, v in enumerate(values):
            if v.data.__class__ is not float:
                raise ValueError(
                    f"{type(self).__name__} input {i} holds an array; give one example as numbers, "
                    "or a batch as one array of shape (rows, inputs)"
                )
        return values

    def _entries(self) -> tuple[list[list[Value]], list[Value], list[tuple[list[float], float]]]:
        """The entries of W and b as scalar Values (w[l,j,i], b[l,j]) for the scalar graph, and
        each neuron's weights and bias as plain numbers.

        Made once and reused for as long as W and b hold the same numbers, so a hundred
        examples share one set; a change to the parameters (an optimizer step, an
        edit in place) makes a fresh set. Entries made while recording is off are
        not kept: they are not connected to W.
        """
        W, b, cached = self.W, self.b, self._views
        if (
            cached is not None
            and cached[0] is W.data
            and cached[1] is b.data
            and cached[2] == W.data.tobytes()  # bit for bit: several times cheaper than array_equal
            and cached[3] == b.data.tobytes()
        ):
            return cached[4]
        weights = W.entries()
        biases = b.entries()
        w_labels, b_labels, _, _ = self._entry_labels()
        for row, labels in zip(weights, w_labels):
            for w, label in zip(row, labels):
                w.label = label
        for bias, label in zip(biases, b_labels):
            bias.label = label
        entries = (weights, biases, list(zip(W.data.tolist(), b.data.tolist())))
        if autograd.is_grad_enabled():
            self._views = (W.data, b.data, W.data.tobytes(), b.data.tobytes(), entries)
        return entries

    def config(self) -> dict:
        return {"type": "Layer", "nin": self.nin, "nout": self.nout, "activation": self.activation}

    def _summary(self) -> str:
        return f"Layer({self.nin} -> {self.nout}, {self.activation})"


def _products(row: list[Value], x: list[Value], b: Value) -> Value:
    """The teaching graph of one neuron: a node per product w_i x_i, and their sum with b."""
    return autograd.sum([w * xi for w, xi in zip(row, x)] + [b])


class Neuron(Layer):
    """activation(w · x + b): one weighted sum, then a nonlinearity (a Layer with one output)."""

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        *,
        init: str = "normal",
        bias: float = 0.0,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
        graph: str = "neuron",
    ) -> None:
        super().__init__(nin, 1, activation, init=init, bias=bias, seed=seed, rng=rng, graph=graph)

    def config(self) -> dict:
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation}

    def _summary(self) -> str:
        return f"Neuron({self.nin}, {self.activation})"


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

    def forward(self, x):
        columns = _columns(x)
        if columns:  # the older batched form: one matrix through every stage, split at the end
            x = _as_batch(x, input_size(self), type(self).__name__)
        for layer in self.layers:
            x = layer(x)
        if columns:
            outputs = [x[:, j] for j in range(x.shape[1])]
            return outputs[0] if len(outputs) == 1 else outputs
        return x

    @property
    def graph(self) -> str:
        return self.layers[0].graph if isinstance(self.layers[0], (Layer, Sequential)) else "neuron"

    @graph.setter
    def graph(self, graph: str) -> None:
        checks.choice(graph, "graph", GRAPHS)
        for layer in self.layers:
            if isinstance(layer, (Layer, Sequential)):
                layer.graph = graph

    def config(self, _seen: dict | None = None, _path: str = "") -> dict:
        """Each stage's description; a stage used again is {"type": "Same", "as": <its first place>}."""
        seen = {id(self): _path} if _seen is None else _seen
        layers = []
        for i, stage in enumerate(self.layers):
            place = f"{_path}layers.{i}"
            if id(stage) in seen:
                layers.append({"type": "Same", "as": seen[id(stage)]})
                continue
            seen[id(stage)] = place
            layers.append(stage.config(seen, place + ".") if type(stage) is Sequential else stage.config())
        return {"type": "Sequential", "layers": layers}

    def _summary(self) -> str:
        lines = [f"  ({i}): " + m._summary().replace("\n", "\n  ") for i, m in enumerate(self.layers)]
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


def input_size(model: Module) -> int:
    while isinstance(model, Sequential):
        model = model.layers[0]
    return model.nin


def output_size(model: Module) -> int:
    while isinstance(model, Sequential):
        model = model.layers[-1]
    return model.nout


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
        graph: str = "neuron",
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
                graph=graph,
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


def build(config, depth: int = 0, _made: dict | None = None, _path: str = "") -> Module:
    """A fresh module from ``config()`` output; malformed configs raise ValueError.

    A stage described as {"type": "Same", "as": "layers.0"} is the module built at that
    place before it, so a model that uses one layer twice comes back sharing it.
    """
    made = {} if _made is None else _made
    if depth > 32:
        raise ValueError("model description is nested too deeply")
    if depth == 0:
        check_size(config)
    if isinstance(config, dict) and config.get("type") == "Same":
        if set(config) != {"type", "as"} or not isinstance(config["as"], str):
            raise ValueError('a "Same" stage is described by exactly {"type": "Same", "as": "<place of the stage>"}')
        if config["as"] not in made:
            raise ValueError(f"Same refers to {config['as']!r:.60}, which is not a stage described before it")
        return made[config["as"]]
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
            stages = []
            for i, stage in enumerate(args["layers"]):
                place = f"{_path}layers.{i}"
                stages.append(build(stage, depth + 1, made, place + "."))
                made.setdefault(place, stages[-1])
            return Sequential(*stages)
        if kind == "MLP" and isinstance(args["nouts"], list) and len(args["nouts"]) > 10_000:
            raise ValueError("MLP has too many layers")
        return _TYPES[kind](**args)
    except TypeError as error:
        raise ValueError(f"{kind} description is invalid: {error}") from None
