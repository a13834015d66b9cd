"""Toy datasets made with NumPy (nothing is downloaded), and batching.

Every ``make_*`` returns ``(X, y)``: ``X`` a float array of shape (n_samples, 2) and
``y`` an int array of class labels 0, 1, ...
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence

import numpy as np

from autograd import checks


def _check(n_samples, noise, seed, minimum: int = 1, noise_name: str = "noise") -> np.random.Generator:
    checks.count(n_samples, "n_samples", minimum)
    checks.number(noise, noise_name, minimum=0.0)
    return np.random.default_rng(checks.seed(seed))


def _shuffled(rng, X, y):
    order = rng.permutation(len(y))
    return X[order], y[order]


def make_xor(n_samples: int = 4, noise: float = 0.0, seed: int | None = None):
    """The four corners of the unit square, labelled x1 XOR x2, repeated to ``n_samples``.

    With the defaults: exactly the four points (0,0), (0,1), (1,0), (1,1), labels 0, 1, 1, 0.
    """
    rng = _check(n_samples, noise, seed)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    X = corners[np.arange(n_samples) % 4] + rng.normal(0.0, noise, (n_samples, 2)) * (noise > 0)
    y = (np.arange(n_samples) % 4 == 1) | (np.arange(n_samples) % 4 == 2)
    return X, y.astype(int)


def make_moons(n_samples: int = 100, noise: float = 0.1, seed: int | None = None):
    """Two interleaving half circles: the upper one (class 0) and the lower, shifted one (class 1)."""
    rng = _check(n_samples, noise, seed, minimum=2)
    n_upper = n_samples // 2
    n_lower = n_samples - n_upper
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n_lower)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    X = np.vstack([upper, lower]) + rng.normal(0.0, noise, (n_samples, 2))
    y = np.concatenate([np.zeros(n_upper, int), np.ones(n_lower, int)])
    return _shuffled(rng, X, y)


def make_circles(n_samples: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int | None = None):
    """A circle of radius 1 (class 0) around a circle of radius ``factor`` (class 1)."""
    rng = _check(n_samples, noise, seed, minimum=2)
    if not 0 < checks.number(factor, "factor") < 1:
        raise ValueError(f"factor must lie between 0 and 1, got {factor!r}")
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    t_outer = np.linspace(0.0, 2 * np.pi, n_outer, endpoint=False)
    t_inner = np.linspace(0.0, 2 * np.pi, n_inner, endpoint=False)
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = factor * np.column_stack([np.cos(t_inner), np.sin(t_inner)])
    X = np.vstack([outer, inner]) + rng.normal(0.0, noise, (n_samples, 2))
    y = np.concatenate([np.zeros(n_outer, int), np.ones(n_inner, int)])
    return _shuffled(rng, X, y)


def make_spirals(n_samples: int = 150, classes: int = 3, noise: float = 0.2, seed: int | None = None):
    """``classes`` spiral arms winding out from the origin, one class per arm."""
    rng = _check(n_samples, noise, seed)
    checks.count(classes, "classes", minimum=2)
    if n_samples < classes:
        raise ValueError(f"n_samples ({n_samples}) must be at least classes ({classes})")
    y = np.arange(n_samples) % classes
    radius = np.tile(np.linspace(0.05, 1.0, -(-n_samples // classes)), classes)[:n_samples]
    radius = np.sort(radius)
    angle = y * (2 * np.pi / classes) + radius * 4.0 + rng.normal(0.0, noise, n_samples)
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return _shuffled(rng, X, y)


def make_blobs(n_samples: int = 150, centers: int = 3, std: float = 0.5, seed: int | None = None):
    """Gaussian clusters around ``centers`` points spread on a circle of radius 2."""
    rng = _check(n_samples, std, seed, noise_name="std")
    checks.count(centers, "centers")
    y = np.arange(n_samples) % centers
    angles = 2 * np.pi * np.arange(centers) / centers
    middles = 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    X = middles[y] + rng.normal(0.0, std, (n_samples, 2))
    return _shuffled(rng, X, y)


def _array(data, argument: str) -> np.ndarray:
    """An array of real numbers; other element types are a TypeError naming the argument."""
    if data is None or isinstance(data, (str, bytes, dict, set)):
        raise TypeError(f"{argument} must be an array of numbers, got {type(data).__name__}")
    try:
        array = np.asarray(data)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"{argument} must be a rectangular array of numbers: {error}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{argument} must hold real numbers, got dtype {array.dtype}")
    return array


def check_dataset(X, y) -> tuple[np.ndarray, np.ndarray]:
    """Validate a dataset: X of shape (n, features) with finite numbers, y of length n."""
    X, y = _array(X, "X"), _array(y, "y")
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (samples x features), got shape {X.shape}")
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D (one label or target per sample), got shape {y.shape}")
    if len(X) == 0:
        raise ValueError("the dataset is empty; X needs at least one sample")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}; they must match")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise ValueError("X and y must hold finite numbers (no NaN or inf)")
    return X.astype(float), y


def batches(
    X, y, batch_size: int | None = None, shuffle: bool = True, seed: int | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (X_batch, y_batch) covering the data once.

    ``batch_size=None`` gives one batch of everything (batch gradient descent), a
    smaller size gives minibatches, and 1 gives single examples (stochastic gradient
    descent): the three regimes of the lectures.
    """
    X, y = check_dataset(X, y)
    n = len(y)
    batch_size = n if batch_size is None else checks.count(batch_size, "batch_size")
    order = np.random.default_rng(checks.seed(seed)).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        chosen = order[start : start + batch_size]
        yield X[chosen], y[chosen]


class Table:
    """A dataset read from a CSV file: features X, class indices y, and the names behind them."""

    def __init__(self, X: np.ndarray, y: np.ndarray, features: list[str], label: str, classes: list[str]) -> None:
        self.X, self.y, self.features, self.label, self.classes = X, y, features, label, classes

    def __repr__(self) -> str:
        return f"Table({len(self.X)} rows, features {self.features}, label {self.label!r}, classes {self.classes})"


def read_csv(path, label: str | None = None) -> Table:
    """Read a classification dataset: a header row, numeric feature columns, one label column.

    The label column is the last one unless ``label`` names another. Labels may be numbers or
    words; they are numbered 0, 1, ... in sorted order: numbers by value, then words
    alphabetically (``Table.classes`` keeps the names). A number is a class by its value,
    so ``1``, ``1.0`` and ``1e0`` are one class, named ``"1"``.
    Empty or non-numeric feature cells, ragged rows, an empty file and a single class are
    errors that name the row and column.
    """
    import csv

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name, got {type(path).__name__} {path!r:.60}")
    if os.path.isdir(path):
        raise IsADirectoryError(f"{str(path)!r} is a directory; give a .csv file")
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        problem = str(error)
        if "field larger than field limit" in problem:
            problem = f"a cell is longer than {csv.field_size_limit():,} characters, too long for a number or a label"
        raise ValueError(f"{str(path)!r} row {reader.line_num}: {problem}") from None
    except FileNotFoundError:
        raise FileNotFoundError(f"data file {str(path)!r} not found") from None
    except UnicodeDecodeError:
        raise ValueError(f"{str(path)!r} is not a text CSV file (it is not UTF-8)") from None
    if not rows:
        raise ValueError(f"{str(path)!r} is empty; it needs a header row and at least two rows of data")
    header = [name.strip() for name in rows[0]]
    if len(header) < 2:
        raise ValueError(f"{str(path)!r} has {len(header)} column; it needs feature columns and a label column")
    if len(set(header)) != len(header):
        raise ValueError(f"{str(path)!r}: the header names a column twice: {header}")
    if label is None:
        label = header[-1]
    elif label not in header:
        raise ValueError(f"label {label!r} is not a column of {str(path)!r}; the columns are {header}")
    where = header.index(label)
    data = rows[1:]
    if len(data) < 2:
        raise ValueError(f"{str(path)!r} has {len(data)} row(s) of data; training needs at least two")
    features = [name for name in header if name != label]
    X = np.empty((len(data), len(features)))
    labels = []
    for r, row in enumerate(data, start=2):  # row numbers as a spreadsheet shows them
        if len(row) != len(header):
            raise ValueError(f"{str(path)!r} row {r} has {len(row)} cells; the header has {len(header)}")
        cells = [cell.strip() for cell in row]
        if not cells[where]:
            raise ValueError(f"{str(path)!r} row {r}: the label ({label!r}) is missing")
        labels.append(_class_name(cells[where]))
        for c, text in enumerate(cells[:where] + cells[where + 1 :]):
            if not text:
                raise ValueError(f"{str(path)!r} row {r}, column {features[c]!r}: the value is missing")
            try:
                X[r - 2, c] = float(text)
            except ValueError:
                raise ValueError(f"{str(path)!r} row {r}, column {features[c]!r}: {text!r} is not a number") from None
            if not np.isfinite(X[r - 2, c]):
                raise ValueError(f"{str(path)!r} row {r}, column {features[c]!r}: {text!r} is not a finite number")
    classes = sorted(set(labels), key=_label_order)
    if len(classes) < 2:
        raise ValueError(f"{str(path)!r}: every row has label {classes[0]!r}; a classifier needs two classes or more")
    index = {name: i for i, name in enumerate(classes)}
    return Table(X, np.array([index[name] for name in labels]), features, label, classes)


def _label_value(text: str) -> float | None:
    """A label's number, or None for a word ("nan" and "inf" are words: a class needs a value equal to itself)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _class_name(text: str) -> str:
    """The class a label names: a number by its value (1, 1.0 and 1e0 are class "1"), a word as written."""
    value = _label_value(text)
    if value is None:
        return text
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # also makes -0 "0"
    return repr(value)  # the shortest text that reads back as the same float


def _label_order(name: str):
    """Numeric labels in numeric order (-1 before 1, 2 before 10), then words alphabetically."""
    value = _label_value(name)
    return (1, 0.0, name) if value is None else (0, value, "")


def standardise(X, features: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each column of X scaled to mean 0 and standard deviation 1: ``(Z, mean, scale)``, Z = (X - mean) / scale.

    Any finite column works, from 1e-300 to 1e300: its mean and spread are taken after
    dividing it by a power of two near its largest value (exact, and immune to the
    overflow and underflow of squaring the raw numbers), then multiplied back. A
    constant column keeps scale 1 and becomes 0. A column whose spread is below the
    smallest float (about 5e-324) cannot be scaled and is a ValueError naming it.
    """
    X = _array(X, "X").astype(float)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (samples x features), got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must hold finite numbers (no NaN or inf)")
    names = list(features) if features is not None else [f"column {c}" for c in range(X.shape[1])]
    mean, scale = np.empty(X.shape[1]), np.ones(X.shape[1])
    for c, column in enumerate(X.T):
        if np.all(column == column[0]):
            mean[c] = column[0]  # the value itself, so the column becomes exactly 0
            continue
        exponent = np.frexp(np.max(np.abs(column)))[1]
        u = np.ldexp(column, -exponent)  # |u| < 1
        mean[c], scale[c] = np.ldexp(u.mean(), exponent), np.ldexp(u.std(), exponent)
        if not (np.isfinite(mean[c]) and np.isfinite(scale[c]) and scale[c] > 0):
            where = "below the smallest" if scale[c] == 0 else "beyond the largest"
            raise ValueError(
                f"feature {names[c]!r} cannot be standardised: its standard deviation is {where} float; "
                "multiply that column by a power of ten first"
            )
    return apply_scaling(X, mean, scale), mean, scale


def apply_scaling(X: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """(X - mean) / scale, computed without overflow where the difference itself would overflow."""
    with np.errstate(over="ignore", invalid="ignore"):
        Z = (X - mean) / scale
        far = ~np.isfinite(Z)
        if np.any(far):  # X - mean beyond 1.8e308: halve both first (exact for such large numbers)
            Z = np.where(far, (X / 2 - mean / 2) / (scale / 2), Z)
    if not np.all(np.isfinite(Z)):
        row, column = np.argwhere(~np.isfinite(Z))[0]
        raise ValueError(
            f"input {column} of example {row}, {X[row, column]:g}, is too far from the training data "
            f"(mean {mean[column]:g}, scale {scale[column]:g}) to be scaled"
        )
    return Z


LOSSES = ("hinge", "bce", "mse", "ce")  # the losses fit and the command line know by name


def check_training_info(info, inputs: int, outputs: int, where: str) -> dict:
    """What a model file says about its training ({"loss", "classes", "features", "label", "source",
    "standardise"}, each optional), checked against the model; anything else is a ValueError naming
    ``where`` (the file) and the field."""
    if not isinstance(info, dict):
        raise ValueError(f'{where}: "training" must be an object, got {type(info).__name__}')
    fields = {"loss", "classes", "features", "label", "source", "standardise"}
    extra = sorted(set(info) - fields)
    if extra:
        raise ValueError(f"{where}: training has unexpected key {extra[0]!r}; it may hold {', '.join(sorted(fields))}")
    loss = info.get("loss")
    if loss is not None and loss not in LOSSES:
        raise ValueError(f"{where}: training.loss must be one of {', '.join(LOSSES)}, got {loss!r:.40}")
    # predict reads the class from the outputs as the loss does: argmax over one output per class for ce,
    # the sign (or 0.5) of the one output otherwise; any other count would be read wrongly or in part.
    if loss == "ce" and outputs < 2:
        raise ValueError(
            f"{where}: training.loss is 'ce', which needs one output per class (2 or more), but the model has "
            f"{outputs}; a model of one output is trained for two classes with 'hinge', 'bce' or 'mse'"
        )
    if loss in ("hinge", "bce", "mse") and outputs != 1:
        raise ValueError(
            f"{where}: training.loss is {loss!r}, which reads one output, but the model has {outputs}; "
            "a model of one output per class is trained with 'ce'"
        )
    for key, count in (("classes", outputs if loss == "ce" else 2), ("features", inputs)):
        names = info.get(key)
        if names is None:
            continue
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError(f"{where}: training.{key} must be a list of names (strings), got {names!r:.60}")
        if loss is not None and len(names) != count:
            raise ValueError(
                f"{where}: training.{key} has {len(names)} name{'s' * (len(names) != 1)}, the model needs {count}"
            )
    for key in ("label", "source"):
        if key in info and not isinstance(info[key], str):
            raise ValueError(f"{where}: training.{key} must be a string, got {info[key]!r:.40}")
    if "standardise" in info:  # predict scales its inputs by it: one number per input
        check_scaling(info["standardise"], inputs, where)
    return info


def check_scaling(scaling, inputs: int, where: str) -> tuple[np.ndarray, np.ndarray]:
    """A saved input scaling, {"mean": [...], "scale": [...]}, as two arrays of ``inputs`` numbers.

    Each mean must be a finite number and each scale a finite number > 0; anything else is a
    ValueError that names ``where`` (the file) and the field.
    """
    field = "training.standardise"
    if not isinstance(scaling, dict) or set(scaling) != {"mean", "scale"}:
        got = f"keys {sorted(scaling)}" if isinstance(scaling, dict) else type(scaling).__name__
        raise ValueError(f'{where}: {field} must be an object with keys "mean" and "scale", got {got}')
    arrays = []
    for key in ("mean", "scale"):
        values = scaling[key]
        if not isinstance(values, list) or len(values) != inputs:
            got = f"a list of {len(values)}" if isinstance(values, list) else type(values).__name__
            raise ValueError(f"{where}: {field}.{key} must be a list of {inputs} number(s), one per input; got {got}")
        need = "a finite number > 0" if key == "scale" else "a finite number"
        for i, v in enumerate(values):
            number = _finite(v)
            if number is None or (key == "scale" and number <= 0):
                raise ValueError(f"{where}: {field}.{key}[{i}] must be {need}, got {v!r:.40}")
        arrays.append(np.array(values, dtype=float))
    return arrays[0], arrays[1]


def _finite(v) -> float | None:
    """v as a float if it is a real number that a float holds finitely, else None."""
    if not checks.is_real(v):
        return None
    try:
        number = float(v)
    except OverflowError:  # an int beyond 1.8e308
        return None
    return number if math.isfinite(number) else None
