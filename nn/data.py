"""Toy datasets made with NumPy (nothing is downloaded), and batching.

Every ``make_*`` returns ``(X, y)``: ``X`` a float array of shape (n_samples, 2) and
``y`` an int array of class labels 0, 1, ...
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


def _check(n_samples, noise, seed, minimum: int = 1) -> np.random.Generator:
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
        raise TypeError(f"n_samples must be an int, got {type(n_samples).__name__} {n_samples!r}")
    if n_samples < minimum:
        raise ValueError(f"n_samples must be at least {minimum}, got {n_samples}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise TypeError(f"seed must be an int or None, got {type(seed).__name__} {seed!r}")
    return np.random.default_rng(seed)


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
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 < factor < 1:
        raise ValueError(f"factor must be a number between 0 and 1, got {factor!r}")
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
    if isinstance(classes, bool) or not isinstance(classes, int) or classes < 2:
        raise ValueError(f"classes must be an int >= 2, got {classes!r}")
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
    rng = _check(n_samples, std, seed)
    if isinstance(centers, bool) or not isinstance(centers, int) or centers < 1:
        raise ValueError(f"centers must be a positive int, got {centers!r}")
    y = np.arange(n_samples) % centers
    angles = 2 * np.pi * np.arange(centers) / centers
    middles = 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    X = middles[y] + rng.normal(0.0, std, (n_samples, 2))
    return _shuffled(rng, X, y)


def check_dataset(X, y) -> tuple[np.ndarray, np.ndarray]:
    """Validate a dataset: X of shape (n, features) with finite numbers, y of length n."""
    X = np.asarray(X) if not isinstance(X, np.ndarray) else X
    y = np.asarray(y) if not isinstance(y, np.ndarray) else y
    if X.dtype.kind not in "iuf" or X.ndim != 2:
        raise ValueError(f"X must be a 2-D array of numbers (samples x features), got shape {X.shape} dtype {X.dtype}")
    if y.dtype.kind not in "iuf" or y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of labels or targets, got shape {y.shape} dtype {y.dtype}")
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
    if batch_size is None:
        batch_size = n
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        chosen = order[start : start + batch_size]
        yield X[chosen], y[chosen]
