"""The benchmark's contenders, each run in a process of its own (see bench.py).

    python benchmarks/contenders.py CONTENDER PROBLEM.npz

reads commands from stdin, one per line, and answers each with one line of JSON:

- ``verify K``: the loss before each of K SGD updates (K + 1 numbers);
- ``step``: the process CPU time of one full training step (forward, backward, update);
- ``collector``: the part of the last step's time that Python's cyclic garbage collector took;
- ``peak``: the largest memory tracemalloc sees during one step, in bytes;
- ``nodes``: the nodes of one step's graph, and ``bytes``: the memory it holds per node
  (graph contenders only);
- ``gc on`` / ``gc off``: switch Python's cyclic garbage collector;
- ``quit``.

The problem file holds the data and the initial weights, so every contender starts from the
same numbers and must produce the same losses. This file imports no contender's library at
the top: HIPS autograd's package is also called ``autograd``, so it runs in its own virtual
environment, where chainrule's packages are not installed.
"""

from __future__ import annotations

import gc
import json
import sys
import time
import tracemalloc

import numpy as np


class Problem:
    """Data and initial weights: X (rows, inputs), y, and W, b per layer; the loss and its settings."""

    def __init__(self, path: str) -> None:
        data = np.load(path)
        self.X = data["X"]
        self.y = data["y"]
        layers = int(data["layers"])
        self.W = [data[f"W{i}"] for i in range(layers)]
        self.b = [data[f"b{i}"] for i in range(layers)]
        self.loss = str(data["loss"])  # "hinge" (y is -1/+1) or "ce" (y holds class indices)
        self.alpha = float(data["alpha"])
        self.lr0 = float(data["lr0"])
        self.lr_decay = float(data["lr_decay"])  # lr(k) = lr0 - lr_decay * k

    def lr(self, k: int) -> float:
        return self.lr0 - self.lr_decay * k


# -- contenders: each has step() -> the loss before the update ---------------------------------
class ChainruleMatrix:
    """chainrule, a matrix node per layer: model(X) on the whole batch, as nn.fit trains."""

    def __init__(self, p: Problem) -> None:
        import nn

        self.nn, self.p, self.k = nn, p, 0
        self.model = nn.MLP(p.X.shape[1], [W.shape[0] for W in p.W], seed=0)
        for layer, W, b in zip(self.model.layers, p.W, p.b):
            layer.W.data, layer.b.data = W.copy(), b.copy()
        self.params = self.model.parameters()
        self.targets = p.y.astype(float) if p.loss == "hinge" else p.y
        nn.keep_freed_memory()  # as nn.fit does, and as the README asks of a loop of one's own

    def step(self) -> float:
        nn, p = self.nn, self.p
        out = self.model(p.X)
        data_loss = nn.hinge_loss(out, self.targets) if p.loss == "hinge" else nn.cross_entropy(out, self.targets)
        loss = data_loss + nn.l2_penalty(self.params, p.alpha)
        for param in self.params:
            param.grad = 0.0
        loss.backward(keep_interior=False)  # as nn.fit does
        lr = p.lr(self.k)
        for param in self.params:
            param.data = param.data - lr * param.grad
        self.k += 1
        return loss.data


class ChainruleScalar(ChainruleMatrix):
    """chainrule, the lectures' scalar graph: one graph per example, a node per neuron."""

    def __init__(self, p: Problem) -> None:
        super().__init__(p)
        self.model.graph = "neuron"  # the fast graph, one node w·x + b per neuron, as nn.fit(batched=False) builds
        self.rows = p.X.tolist()
        self.targets = p.y.astype(float).tolist() if p.loss == "hinge" else p.y.tolist()

    def step(self) -> float:
        nn, p = self.nn, self.p
        scores = [self.model(row) for row in self.rows]
        data_loss = nn.hinge_loss(scores, self.targets) if p.loss == "hinge" else nn.cross_entropy(scores, self.targets)
        loss = data_loss + nn.l2_penalty(self.params, p.alpha)
        for param in self.params:
            param.grad = 0.0
        loss.backward(keep_interior=False)
        lr = p.lr(self.k)
        for param in self.params:
            param.data = param.data - lr * param.grad
        self.k += 1
        return loss.data


class ChainruleFit(ChainruleMatrix):
    """chainrule's scalar graph as nn.fit trains it (batched=False): one epoch of fit per step.

    fit pauses the garbage collector while it trains and measures accuracy after each epoch;
    calling it once per step also repeats its checks of the data every step.
    """

    def __init__(self, p: Problem) -> None:
        super().__init__(p)
        self.optimizer = self.nn.SGD(self.model, lr=p.lr)  # lr(k) of the optimizer's step count k

    def step(self) -> float:
        p = self.p
        history = self.nn.fit(
            self.model, p.X, self.targets, p.loss, self.optimizer, epochs=1, l2=p.alpha, batched=False
        )
        return history["loss"][0]


class Micrograd:
    """micrograd 0.1.0 from PyPI, driven the way its own moons demo drives it (hinge loss only)."""

    def __init__(self, p: Problem) -> None:
        from micrograd.engine import Value
        from micrograd.nn import MLP

        self.Value, self.p, self.k = Value, p, 0
        self.model = MLP(p.X.shape[1], [W.shape[0] for W in p.W])
        for layer, W, b in zip(self.model.layers, p.W, p.b):
            for neuron, weights, bias in zip(layer.neurons, W.tolist(), b.tolist()):
                for w, value in zip(neuron.w, weights):
                    w.data = value
                neuron.b.data = bias
        self.rows = p.X.tolist()
        self.labels = p.y.astype(float).tolist()

    def step(self) -> float:
        Value, p = self.Value, self.p
        scores = [self.model([Value(x) for x in row]) for row in self.rows]
        losses = [(1 + -yi * si).relu() for yi, si in zip(self.labels, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        loss = data_loss + (p.alpha / 2) * sum(q * q for q in self.model.parameters())
        self.model.zero_grad()
        loss.backward()
        lr = p.lr(self.k)
        for q in self.model.parameters():
            q.data -= lr * q.grad
        self.k += 1
        return loss.data


class NumpyByHand:
    """The same network and loss as matrix products, forward and backward written out in NumPy."""

    def __init__(self, p: Problem) -> None:
        self.p, self.k = p, 0
        self.W = [W.copy() for W in p.W]
        self.b = [b.copy() for b in p.b]

    def step(self) -> float:
        p, W, b = self.p, self.W, self.b
        activations = [p.X]
        for i in range(len(W)):
            z = activations[-1] @ W[i].T + b[i]
            activations.append(np.maximum(z, 0.0) if i < len(W) - 1 else z)
        out, n = activations[-1], len(p.y)
        squares = sum(float(np.sum(w * w) + np.sum(c * c)) for w, c in zip(W, b))
        if p.loss == "hinge":
            margin = 1.0 - p.y * out[:, 0]
            loss = float(np.mean(np.maximum(margin, 0.0)))
            grad = (np.where(margin > 0.0, -p.y, 0.0) / n)[:, None]
        else:
            shifted = out - out.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            loss = float(-log_probs[np.arange(n), p.y].mean())
            grad = np.exp(log_probs)
            grad[np.arange(n), p.y] -= 1.0
            grad /= n
        loss += p.alpha / 2 * squares
        lr = p.lr(self.k)
        for i in reversed(range(len(W))):
            h = activations[i]
            dW, db = grad.T @ h + p.alpha * W[i], grad.sum(axis=0) + p.alpha * b[i]
            if i > 0:
                grad = (grad @ W[i]) * (h > 0.0)  # h = relu(z) > 0 exactly where z > 0
            W[i] -= lr * dW
            b[i] -= lr * db
        self.k += 1
        return loss


class Torch:
    """PyTorch on the CPU in float64, one thread, with the same update written out."""

    def __init__(self, p: Problem) -> None:
        import torch

        torch.set_num_threads(1)
        self.torch, self.p, self.k = torch, p, 0
        self.W = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in p.W]
        self.b = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in p.b]
        self.X = torch.tensor(p.X, dtype=torch.float64)
        self.y = torch.tensor(p.y, dtype=torch.float64 if p.loss == "hinge" else torch.int64)

    def step(self) -> float:
        torch, p = self.torch, self.p
        h = self.X
        for i, (W, b) in enumerate(zip(self.W, self.b)):
            h = torch.addmm(b, h, W.T)
            if i < len(self.W) - 1:
                h = torch.relu(h)
        if p.loss == "hinge":
            data_loss = torch.relu(1.0 - self.y * h[:, 0]).mean()
        else:
            data_loss = torch.nn.functional.cross_entropy(h, self.y)
        loss = data_loss + p.alpha / 2 * sum((q * q).sum() for q in self.W + self.b)
        for q in self.W + self.b:
            q.grad = None
        loss.backward()
        lr = p.lr(self.k)
        with torch.no_grad():
            for q in self.W + self.b:
                q -= lr * q.grad
        self.k += 1
        return loss.item()


class HipsAutograd:
    """HIPS autograd (a pure-Python tracer over NumPy), the same network as a function of its parameters."""

    def __init__(self, p: Problem) -> None:
        import autograd.numpy as anp  # HIPS autograd: this process runs in its own virtual environment

        from autograd import value_and_grad

        self.anp, self.p, self.k = anp, p, 0
        self.params = [W.copy() for W in p.W] + [b.copy() for b in p.b]
        layers = len(p.W)

        def loss(params):
            W, b = params[:layers], params[layers:]
            h = p.X
            for i in range(layers):
                h = anp.dot(h, W[i].T) + b[i]
                if i < layers - 1:
                    h = anp.maximum(h, 0.0)
            n = p.X.shape[0]
            if p.loss == "hinge":
                data_loss = anp.mean(anp.maximum(1.0 - p.y * h[:, 0], 0.0))
            else:
                shifted = h - anp.max(h, axis=1, keepdims=True)
                log_probs = shifted - anp.log(anp.sum(anp.exp(shifted), axis=1, keepdims=True))
                data_loss = -anp.mean(log_probs[np.arange(n), p.y])
            return data_loss + p.alpha / 2 * sum(anp.sum(q * q) for q in params)

        self.value_and_grad = value_and_grad(loss)

    def step(self) -> float:
        value, grads = self.value_and_grad(self.params)
        lr = self.p.lr(self.k)
        self.params = [q - lr * g for q, g in zip(self.params, grads)]
        self.k += 1
        return float(value)


# -- equal graphs: the same builder (graphs.py) with each engine's Value ---------------------------
def _micrograd_value():
    """micrograd's Value, given the tanh it lacks, written the way its own ops are (a closure per node)."""
    import math

    from micrograd.engine import Value

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out

    Value.tanh = tanh
    return Value


class Graph:
    """One of graphs.py's graphs, built and differentiated once per step by one engine."""

    ENGINES = ("reference", "micrograd", "chainrule")

    def __init__(self, engine: str, path: str) -> None:
        import graphs

        data = np.load(path)
        self.kind, self.size = str(data["kind"]), int(data["size"])
        if engine == "reference":
            self.Value, self.parents = graphs.Reference, "_prev"
        elif engine == "micrograd":
            self.Value, self.parents = _micrograd_value(), "_prev"
            sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * self.size + 1000))  # its sort recurses per node
        else:
            from autograd import Value

            self.Value, self.parents = Value, "parents"
        if self.kind == "moons":
            weights = [(data[f"W{i}"].tolist(), data[f"b{i}"].tolist()) for i in range(int(data["layers"]))]
            self.build = lambda: graphs.moons_graph(self.Value, data["X"].tolist(), data["y"].tolist(), weights)
        elif self.kind == "chain":
            self.build = lambda: graphs.chain_graph(self.Value, self.size)
        else:
            self.build = lambda: graphs.dag_graph(self.Value, self.size)

    def step(self) -> float:
        out, _ = self.build()
        out.backward()
        return out.data

    def verify(self) -> list[float]:
        out, watched = self.build()
        out.backward()
        return [out.data] + [w.grad for w in watched]

    def nodes(self, out=None) -> int:
        out = self.build()[0] if out is None else out
        seen, stack = {id(out)}, [out]
        while stack:
            for parent in getattr(stack.pop(), self.parents):
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append(parent)
        return len(seen)

    def bytes_per_node(self) -> float:
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        out, _ = self.build()
        held = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        return held / self.nodes(out)


CONTENDERS = {
    "chainrule-matrix": ChainruleMatrix,
    "chainrule-scalar": ChainruleScalar,
    "chainrule-fit": ChainruleFit,
    "micrograd": Micrograd,
    "numpy": NumpyByHand,
    "torch": Torch,
    "hips-autograd": HipsAutograd,
}


class CollectorClock:
    """Process CPU time spent in Python's cyclic garbage collector, timed from gc.callbacks."""

    def __init__(self) -> None:
        self.total = 0.0
        self._started = 0.0
        gc.callbacks.append(self._note)

    def _note(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.total += time.process_time() - self._started


def serve(name: str, problem_path: str) -> None:
    if name.startswith("graph-"):
        contender = Graph(name.removeprefix("graph-"), problem_path)
    else:
        contender = CONTENDERS[name](Problem(problem_path))
    clock, collector = CollectorClock(), 0.0
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] == "quit":
            break
        if command[0] == "verify":
            if isinstance(contender, Graph):
                answer = contender.verify()
            else:
                answer = [contender.step() for _ in range(int(command[1]) + 1)]
        elif command[0] == "step":
            before, start = clock.total, time.process_time()
            contender.step()
            answer = time.process_time() - start
            collector = clock.total - before
            if not gc.isenabled():
                gc.collect()  # untimed: without the collector, graphs with reference cycles would pile up
        elif command[0] == "collector":
            answer = collector
        elif command[0] == "nodes":
            answer = contender.nodes()
        elif command[0] == "bytes":
            answer = contender.bytes_per_node()
        elif command[0] == "peak":
            gc.collect()
            tracemalloc.start()
            tracemalloc.reset_peak()
            contender.step()
            answer = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        elif command[0] == "gc":
            gc.enable() if command[1] == "on" else gc.disable()
            answer = gc.isenabled()
        else:
            answer = f"unknown command {command[0]!r}"
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
