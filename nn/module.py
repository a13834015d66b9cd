"""The Module base class: parameters, gradients, state dicts and JSON model files, for any model.

Every module lists its parameters with dotted names (``layers.0.W``), can be saved to and
loaded from JSON, and can be a stage of another. A subclass may define ``forward``, which
calling the module runs.

A model file holds the architecture (``model.config()``) and the numbers
(``model.state_dict()``). ``build`` reads the architecture back without knowing the layer
classes: each class a model file may name registers itself by its ``"type"`` and the keys
of its description when it is defined (``class Layer(Module, kind="Layer", config_keys=...)``),
and ``build`` finds it in ``Module.kinds``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from typing import ClassVar

import numpy as np

from autograd import Value, checks

from . import bridge
from .data import check_training_info
from .limits import check_size

FORMAT = "chainrule.model"
FORMAT_VERSION = 3  # 3: an optional "training" object beside the model


class Module:
    """Base class: parameters, gradients, state dicts and JSON files for any model.

    Calling a module runs its ``forward`` (define it in a subclass, as in PyTorch).
    """

    kinds: ClassVar[dict[str, type[Module]]] = {}  # a model file's "type" -> the class that builds it
    config_keys: ClassVar[frozenset[str]] = frozenset()  # the keys of its description, besides "type"

    def __init_subclass__(cls, kind: str | None = None, config_keys: Iterable[str] = (), **kwargs) -> None:
        """A subclass given ``kind`` is one that model files may name: ``build`` makes it from its keys."""
        super().__init_subclass__(**kwargs)
        if kind is not None:
            cls.config_keys = frozenset(config_keys)
            Module.kinds[kind] = cls

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
        _check_names(state, params)
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
        config, state = document.get("model"), document.get("state")
        check_size(config, f"{source}: the model description")  # before anything is allocated
        # The parameters are read from the description, so a state that lacks one or has it in another
        # shape is refused before any weight is allocated (a 165-byte file could ask for 9 million).
        layers = _layers_of(config)
        if layers is not None:
            _check_kind(Module.kinds[config["type"]], cls, source)
            state = _upgrade(state, layers) if version == 1 else state
            _check_state_fits(state, layers)
        model = build(config)
        _check_kind(type(model), cls, source)
        if version == 1 and layers is None:  # a kind registered outside nn: its layers are read from the model
            state = _upgrade(state, _layers_in(model))
        model.load_state_dict(state)
        info = document.get("training")
        if info is not None:
            check_training_info(info, *_inputs_and_outputs(model), source)
        if info:
            model.training_info = info
        return model

    # -- PyTorch ---------------------------------------------------------------
    def to_torch(self):
        """This network as a ``torch.nn.Sequential`` (float64 copies of the weights); needs PyTorch.

        A layer used twice becomes one ``torch.nn.Linear`` used twice, so its weights stay shared.
        """
        bridge.import_torch()  # first: without PyTorch, say how to install it
        _check_convertible(self)
        return bridge.to_torch(self.config(), self.state_dict())

    @classmethod
    def from_torch(cls, module) -> Module:
        """A network from a ``torch.nn.Sequential`` of Linear layers and activations (``MLP.from_torch`` gives an MLP)."""
        config, state = bridge.from_torch(module, as_mlp=issubclass(cls, Module.kinds["MLP"]))
        model = build(config)
        model.load_state_dict(state)
        return model

    def __repr__(self) -> str:
        return f"{self._summary()}  # {self.num_parameters()} parameters"

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


def _upgrade(state, layers: list[tuple[str, int, int, bool]]) -> dict:
    """A version-1 state (one number per weight, named ``...neurons.J.w.I``) as this version's matrices.

    Each old name is made as it is looked up, so a state that lacks one is refused at the first,
    not after a string has been made for every weight the description asks for.
    """
    if not isinstance(state, dict):
        raise ValueError(f"state must be a dict of parameter name to number, got {type(state).__name__}")

    def old(prefix: str, neuron: bool, j: int, i: int | None = None) -> str:
        base = prefix if neuron else f"{prefix}neurons.{j}."  # version 1 named a Neuron's weights w.I and b
        return f"{base}b" if i is None else f"{base}w.{i}"

    def value(key: str):
        if key not in state:
            raise ValueError(f"state is missing parameter {key!r}")
        return state[key]

    upgraded = {}
    for prefix, nin, nout, neuron in layers:
        upgraded[f"{prefix}W"] = [[value(old(prefix, neuron, j, i)) for i in range(nin)] for j in range(nout)]
        upgraded[f"{prefix}b"] = [value(old(prefix, neuron, j)) for j in range(nout)]
    if len(state) != sum(nout * (nin + 1) for _, nin, nout, _ in layers):  # every old name is there, and more
        known = {
            old(p, neuron, j, i) for p, nin, nout, neuron in layers for j in range(nout) for i in [*range(nin), None]
        }
        extra = next(key for key in state if key not in known)
        raise ValueError(f"state has parameter {extra!r}, which this model does not have")
    return upgraded


def _layers_of(config) -> list[tuple[str, int, int, bool]] | None:
    """(parameter-name prefix, nin, nout, is a Neuron) for each layer of a description, in the order of
    ``named_parameters``, read without building anything; None for a description ``build`` must judge
    (one it may refuse, or of a kind registered outside nn)."""
    layers: list[tuple[str, int, int, bool]] = []
    places: set[str] = set()  # the places a "Same" stage may name: stages of a Sequential already read

    def read(part, prefix: str, depth: int) -> bool:
        if not isinstance(part, dict) or depth > 32:
            return False
        kind = part.get("type")
        if kind == "Same":  # the stage at that place, whose parameters are listed there
            return set(part) == {"type", "as"} and part["as"] in places
        if (
            kind not in ("Layer", "Neuron", "MLP", "Sequential")
            or set(part) - {"type"} != Module.kinds[kind].config_keys
        ):
            return False
        if kind == "Sequential":
            stages = part["layers"]
            if not isinstance(stages, list) or not stages:
                return False
            for i, stage in enumerate(stages):
                if not read(stage, f"{prefix}layers.{i}.", depth + 1):
                    return False
                places.add(f"{prefix}layers.{i}")
            return True
        nouts = part["nouts"] if kind == "MLP" else [1 if kind == "Neuron" else part["nout"]]
        if not isinstance(nouts, list) or not 0 < len(nouts) <= 10_000:
            return False
        sizes = [part["nin"], *nouts]
        if not all(type(n) is int and n > 0 for n in sizes):
            return False
        for j, (nin, nout) in enumerate(zip(sizes, sizes[1:])):
            layers.append((f"{prefix}layers.{j}." if kind == "MLP" else prefix, nin, nout, kind == "Neuron"))
        return True

    return layers if read(config, "", 0) else None


def _layers_in(model: Module) -> list[tuple[str, int, int, bool]]:
    """The same list, read from a built model."""
    neuron = Module.kinds["Neuron"]
    return [
        (name[:-1], p.shape[1], p.shape[0], isinstance(model_of(model, name[:-2]), neuron))
        for name, p in model.named_parameters()
        if name.rsplit(".", 1)[-1] == "W"
    ]


def _check_names(state: dict, expected) -> None:
    """The state names exactly the parameters ``expected`` names."""
    for name in expected:
        if name not in state:
            raise ValueError(f"state is missing parameter {name!r}")
    for name in state:
        if name not in expected:
            raise ValueError(f"state has parameter {name!r}, which this model does not have")


def _check_state_fits(state, layers: list[tuple[str, int, int, bool]]) -> None:
    """The names in ``state`` and the length of each list are those of the layers (the numbers in the
    lists are checked as they are loaded), with the messages of ``load_state_dict``."""
    if not isinstance(state, dict):
        raise ValueError(f"state must be a dict of parameter name to numbers, got {type(state).__name__}")
    shapes = {}
    for prefix, nin, nout, _ in layers:
        shapes[f"{prefix}W"], shapes[f"{prefix}b"] = (nout, nin), (nout,)
    _check_names(state, shapes)
    for name, shape in shapes.items():
        value = state[name]
        if not isinstance(value, list):
            continue  # load_state_dict says what it must be
        got = (len(value), len(value[0])) if value and isinstance(value[0], list) else (len(value),)
        if len(got) == len(shape) and got != shape:
            raise ValueError(f"state[{name!r}] has shape {got}, the parameter {shape}; give one number per entry")


def _check_kind(kind: type, cls: type, source: str) -> None:
    if cls is not Module and not issubclass(kind, cls):
        raise ValueError(f"{source} holds a {kind.__name__}, not a {cls.__name__}")


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
    if not isinstance(config, dict) or not isinstance(config.get("type"), str) or config["type"] not in Module.kinds:
        raise ValueError(f'model description must have "type" one of {sorted(Module.kinds)}, got {config!r:.80}')
    kind = config["type"]
    cls = Module.kinds[kind]
    keys = set(config) - {"type"}
    if keys != cls.config_keys:
        problem = sorted(keys ^ cls.config_keys)[0]
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
            return cls(*stages)
        if kind == "MLP" and isinstance(args["nouts"], list) and len(args["nouts"]) > 10_000:
            raise ValueError("MLP has too many layers")
        return cls(**args)
    except TypeError as error:
        raise ValueError(f"{kind} description is invalid: {error}") from None


def _inputs_and_outputs(model: Module) -> tuple[int, int]:
    """How many inputs a built model reads and how many outputs it gives (a Sequential's first and last stage say)."""
    sequential = Module.kinds["Sequential"]
    first = last = model
    while isinstance(first, sequential):
        first = first.layers[0]
    while isinstance(last, sequential):
        last = last.layers[-1]
    return first.nin, last.nout


def _check_convertible(model: Module) -> None:
    """to_torch converts Layers and Sequentials of them (MLPs included): name the first stage that is something else."""
    layer, sequential = Module.kinds["Layer"], Module.kinds["Sequential"]
    stack = [model]
    while stack:  # left to right, without recursion
        stage = stack.pop()
        if isinstance(stage, sequential):
            stack.extend(reversed(stage.layers))
        elif not isinstance(stage, layer):
            raise TypeError(f"to_torch converts nn.Layer, nn.MLP and nn.Sequential models, not {type(stage).__name__}")
