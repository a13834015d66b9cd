"""Layers: Neuron, Layer, MLP and Sequential, built from autograd Values.

A layer's parameters are a weight matrix ``W`` of shape (outputs, inputs) and a bias
vector ``b``, as in PyTorch's ``Linear``. A layer reads its input three ways:

- **a batch** (a Value or array of shape (rows, inputs)): one matrix node
  ``z = x Wᵀ + b`` for every row at once, then the activation; this is how ``fit`` trains;
- **one example** (a list of numbers or scalar Values): the scalar graph of the
  lectures. With ``graph="products"`` (the default) it is the graph the lectures draw: a
  node ``wx[l,j,i]`` per product of a weight entry ``w[l,j,i]`` (read out of ``W``) and an
  input, their sum with the bias entry ``b[l,j]`` as ``z[l,j]``, the activation as ``h[l,j]``;
  plain numbers given as the example are the constant inputs ``x1``, ``x2``, ... With
  ``graph="neuron"`` a neuron is one node ``z = w·x + b``, which is several times faster
  to build and to differentiate; ``nn.fit(batched=False)`` trains on that graph whatever a
  layer's setting says (``one_example_graph``);
- a list of batched Values, one per input feature (the older batched form): the same
  as a batch, with the outputs handed back as one batched Value per output.

Both graphs give the same numbers. What every module shares (parameters, saving,
loading) is in ``nn/module.py``.

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

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np

import autograd
from autograd import Value, checks
from autograd.functions import neuron_node
from autograd.value import value_of

from .module import Module

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

# The graph every layer builds for one example while it is set, whatever its own ``graph``
# says (None: each layer's own). A context variable, so a thread or task training with
# nn.fit(batched=False) does not change the graph another one draws.
_graph_for_one_example: ContextVar[str | None] = ContextVar("graph_for_one_example", default=None)


@contextmanager
def one_example_graph(graph: str) -> Iterator[None]:
    """Inside the block, every layer builds ``graph`` ("neuron" or "products") for one example.

    ``nn.fit(batched=False)`` trains inside ``one_example_graph("neuron")``: one node
    ``w·x + b`` per neuron is the fast graph (an epoch of the two moons on a 2-16-16-1
    network: 25 ms, against 150 ms with a node per product), and the products graph, which
    draws as the lectures do, gives the same numbers.
    """
    token = _graph_for_one_example.set(checks.choice(graph, "graph", GRAPHS))
    try:
        yield
    finally:
        _graph_for_one_example.reset(token)


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


class Layer(Module, kind="Layer", config_keys=("nin", "nout", "activation")):
    """``nout`` neurons reading the same ``nin`` inputs: W of shape (nout, nin) and b of shape (nout,).

    ``graph`` chooses the scalar graph for one example: ``"products"`` (a node per product
    ``w_ji x_i`` and their sum with the bias: the lectures' graph) or ``"neuron"`` (one node
    ``w·x + b`` per neuron: fast, what ``nn.fit(batched=False)`` builds).
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
        graph: str = "products",
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

    def _entry_labels(self) -> tuple[list[list[str]], list[str], list[str], list[str], list[list[str]]]:
        """The labels w[l,j,i], b[l,j], z[l,j], h[l,j] and wx[l,j,i] of the scalar graph, made once per place and shape."""
        nout, nin = self.W.shape
        if self._labels is None or self._labels[0] != (nout, nin):
            w, wx = ([[self._label(kind, j, i) for i in range(nin)] for j in range(nout)] for kind in ("w", "wx"))
            b, z, h = ([self._label(kind, j) for j in range(nout)] for kind in "bzh")
            self._labels = ((nout, nin), w, b, z, h, wx)
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
        one_node = (_graph_for_one_example.get() or self.graph) == "neuron"
        outs = []
        _, _, z_labels, h_labels, wx_labels = self._entry_labels()
        for j, (row, b, (w_data, b_data)) in enumerate(zip(weights, biases, numbers)):
            # one node w·x + b from the numbers this layer holds (autograd.functions.neuron_node), or the products
            z = neuron_node((*row, *x, b), w_data, x_data, b_data) if one_node else _products(row, x, b, wx_labels[j])
            z.label = z_labels[j]
            if activate is not None:
                z = activate(z)
                z.label = h_labels[j]
            outs.append(z)
        return outs[0] if self.nout == 1 else outs

    def _numbers(self, x: Sequence) -> list[Value]:
        """The example as Values; a plain number becomes the constant input x1, x2, ... (a Value keeps its label)."""
        values = [value_of(v, f"{type(self).__name__} input {i}") for i, v in enumerate(x)]
        for i, (v, given) in enumerate(zip(values, x)):
            if v is not given and v.label == "":
                v.label = f"x{i + 1}"
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
        w_labels, b_labels, *_ = self._entry_labels()
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


def _products(row: list[Value], x: list[Value], b: Value, labels: list[str]) -> Value:
    """The lectures' graph of one neuron: a node wx[l,j,i] per product w_ji x_i, and their sum with b."""
    products = [w * xi for w, xi in zip(row, x)]
    for product, label in zip(products, labels):
        product.label = label
    return autograd.sum([*products, b])


class Neuron(Layer, kind="Neuron", config_keys=("nin", "activation")):
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
        graph: str = "products",
    ) -> None:
        super().__init__(nin, 1, activation, init=init, bias=bias, seed=seed, rng=rng, graph=graph)

    def config(self) -> dict:
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation}

    def _summary(self) -> str:
        return f"Neuron({self.nin}, {self.activation})"


class Sequential(Module, kind="Sequential", config_keys=("layers",)):
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
        return self.layers[0].graph if isinstance(self.layers[0], (Layer, Sequential)) else "products"

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


class MLP(Sequential, kind="MLP", config_keys=("nin", "nouts", "activation", "output_activation")):
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
        graph: str = "products",
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
