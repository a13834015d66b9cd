"""The command line's pictures: a decision boundary over the data, and a training history."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def boundary(model, X, y, loss: str, path: Path, title: str) -> None:
    """The model's decision boundary over a grid around the data, with the data points on it, as a picture."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import nn

    pad = 0.5
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, 200)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, 200)
    gx, gy = np.meshgrid(xs, ys)
    classes = nn.classify(nn.predict(model, np.column_stack([gx.ravel(), gy.ravel()])), loss).reshape(gx.shape)
    fig, ax = plt.subplots(figsize=(5, 4.5), dpi=100)
    ax.contourf(gx, gy, classes, levels=np.arange(classes.max() + 2) - 0.5, cmap="coolwarm", alpha=0.35)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", edgecolors="black", s=25)
    ax.set_title(title)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def history(history: dict, path: Path) -> None:
    """The loss per epoch and, on a scale of its own, the accuracy, as a picture."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.5), dpi=100)
    lines = ax.plot(history["loss"], color="tab:blue", label="loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.grid(alpha=0.3)
    if history["accuracy"][0] is not None:  # a scale of its own: accuracy is a fraction, loss is not
        right = ax.twinx()
        lines += right.plot(history["accuracy"], color="tab:orange", linestyle="--", label="accuracy")
        right.set_ylabel("accuracy")
        right.set_ylim(0, 1.02)
    ax.legend(lines, [line.get_label() for line in lines], loc="center right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
