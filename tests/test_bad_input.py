"""Bad input: one table of wrong arguments, graph misuse, and model-file fuzzing.

The error contract
------------------
Every public function and constructor checks its arguments when it is called
(a Stepper's ``engine`` at construction, as ``draw`` does) and raises

- ``TypeError`` for a value of the wrong type: None, a str, a list, a complex
  number, a bool where a number or a count is meant, a float where an int (a
  count, a size, a class index) is meant, a non-str where a name (activation,
  init, loss, rankdir) is meant, a path that is not a str or os.PathLike (an int
  is not taken as a file descriptor);
- ``ValueError`` for a value of the right type that is out of range or
  inconsistent: NaN and +-inf, ints too large for a float, empty inputs, counts
  below 1, negative tolerances, class indices outside 0..classes-1, lengths and
  batch shapes that do not match, unknown names (``classify`` and ``accuracy``
  included), a tuple of the wrong length; a learning rate below 0 wherever it
  comes from (a number must be > 0, a schedule such as ``linear_decay`` may
  reach 0 but not go below);
- the documented arithmetic errors: ``ZeroDivisionError`` for x / 0 and
  ``OverflowError`` when a result does not fit a float (``exp`` and ``**`` already
  say so; ``+ - * /`` and batched ops follow the same rule instead of storing inf
  in a Value, since a Value's data is finite by construction);
- ``FileNotFoundError`` for a missing model file or output directory.

The message names what was wrong: the argument (``nin``, ``lr``, ``target``,
...), an element of it (``item 1``, ``nouts[0]``, ``params[1]``, "input" or
"logits" for an element of a model's input or of a logits list), or for an
operator the operand; each row lists a regular expression that the message
must match. AttributeError, IndexError, KeyError, ZeroDivisionError (other than
x / 0) or an exception from NumPy or Python internals never reach the caller.

Model files (``nn.Module.load``) raise ValueError for anything that is not a
model this version wrote: bad JSON, wrong types (``"version": true`` included),
missing or extra keys, NaN, 1e400, wrong sizes. A file that loads describes the
model exactly (its config and state). ``load_state_dict`` raises ValueError (as
documented) and leaves the model untouched when it fails. Loading only parses
JSON: it never runs code from the file.

Graph misuse has defined results (see the docstring of each test below).
"""

from __future__ import annotations

import json
import math
import os
import pickle
import re
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value

NAN, INF = float("nan"), float("inf")
EXAMPLES = int(os.environ.get("CHAINRULE_EXAMPLES", "2000"))


def f(x):
    return x * x


def mlp():
    return nn.MLP(2, [3, 1], seed=0)


def xy():
    return np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1])


def logits2():
    return [Value(1.0), Value(2.0)]


def batched_logits():
    return [Value(np.zeros(3)), Value(np.ones(3))]


def a_graph():
    x = Value(1.0, label="x")
    return x * 2 + x


def step_with(lr):
    opt = nn.SGD(mlp(), lr=lr)
    opt.step()
    return opt


def fit(**kwargs):
    X, y = xy()
    args = dict(model=mlp(), X=X, y=y, epochs=1)
    args.update(kwargs)
    return nn.fit(**args)


def row(name, thunk, error, pattern):
    return pytest.param(thunk, error, pattern, id=name)


MISSING_FILE = "/nonexistent-chainrule-dir/model.json"

TABLE = [
    # -- Value(data, label) -------------------------------------------------------
    row("Value-data-None", lambda: Value(None), TypeError, "data"),
    row("Value-data-str", lambda: Value("1.0"), TypeError, "data"),
    row("Value-data-list", lambda: Value([1.0, 2.0]), TypeError, "data"),
    row("Value-data-complex", lambda: Value(1 + 2j), TypeError, "data"),
    row("Value-data-bool", lambda: Value(True), TypeError, "data"),
    row("Value-data-nan", lambda: Value(NAN), ValueError, "data"),
    row("Value-data-inf", lambda: Value(INF), ValueError, "data"),
    row("Value-data-minus-inf", lambda: Value(-INF), ValueError, "data"),
    row("Value-data-int-beyond-float", lambda: Value(10**400), ValueError, "data"),
    row("Value-data-empty-array", lambda: Value(np.array([])), ValueError, "data"),
    row("Value-data-array-with-nan", lambda: Value(np.array([1.0, NAN])), ValueError, "data"),
    row("Value-data-array-with-inf", lambda: Value(np.array([1.0, -INF])), ValueError, "data"),
    row("Value-data-complex-array", lambda: Value(np.array([1 + 2j])), TypeError, "data"),
    row("Value-data-str-array", lambda: Value(np.array(["a"])), TypeError, "data"),
    row("Value-data-bool-array", lambda: Value(np.array([True])), TypeError, "data"),
    row("Value-data-object-array", lambda: Value(np.array([1.0, None], dtype=object)), TypeError, "data"),
    row("Value-label-int", lambda: Value(1.0, label=3), TypeError, "label"),
    row("Value-label-None", lambda: Value(1.0, label=None), TypeError, "label"),
    row("Value-item-of-batch", lambda: Value(np.ones(2)).item(), ValueError, "item"),
    row("keep_freed_memory-negative", lambda: nn.keep_freed_memory(-1), ValueError, "megabytes"),
    row("keep_freed_memory-float", lambda: nn.keep_freed_memory(2.5), TypeError, "megabytes"),
    row(
        "Recorder-every-zero",
        lambda: nn.Recorder(nn.MLP(2, [1], seed=0), np.zeros((4, 2)), np.array([0, 1, 0, 1]), every=0),
        ValueError,
        r"^every must be at least 1, got 0",
    ),
    row(
        "LivePlot-model-None", lambda: nn.LivePlot(None, np.zeros((4, 2)), np.array([0, 1, 0, 1])), TypeError, "^model"
    ),
    row("write_training_page-None", lambda: nn.write_training_page(None, "page.html"), TypeError, "^recorder"),
    row("read_csv-path-int", lambda: nn.data.read_csv(3), TypeError, "^path must be a file name, got int 3"),
    row("standardise-X-str", lambda: nn.data.standardise("1,2"), TypeError, "^X must be an array of numbers, got str"),
    row("standardise-X-1d", lambda: nn.data.standardise(np.ones(3)), ValueError, r"^X must be 2-D .* got shape \(3,\)"),
    row("standardise-X-nan", lambda: nn.data.standardise([[1.0], [NAN]]), ValueError, "^X must hold finite numbers"),
    row(
        "check_scaling-None",
        lambda: nn.data.check_scaling(None, 2, "m.json"),
        ValueError,
        '^m.json: training.standardise must be an object with keys "mean" and "scale", got NoneType$',
    ),
    row(
        "apply_scaling-far",
        lambda: nn.data.apply_scaling(np.array([[1e300]]), np.array([0.0]), np.array([1e-300])),
        ValueError,
        r"^input 0 of example 0, 1e\+300, is too far from the training data \(mean 0, scale 1e-300\)",
    ),
    row("constant-data-str", lambda: autograd.constant("1.0"), TypeError, "data"),
    row("constant-data-nan", lambda: autograd.constant(NAN), ValueError, "data"),
    row("constant-label-int", lambda: autograd.constant(1.0, label=3), TypeError, "label"),
    row("constant-backward", lambda: autograd.constant(2.0).backward(), ValueError, "constant"),
    row(
        "backward-keep-interior-str", lambda: (Value(1.0) * 2).backward(keep_interior="no"), TypeError, "keep_interior"
    ),
    # -- operators ------------------------------------------------------------------
    row("add-None", lambda: Value(1.0) + None, TypeError, "NoneType"),
    row("add-str", lambda: Value(1.0) + "a", TypeError, "str"),
    row("radd-str", lambda: "a" + Value(1.0), TypeError, "str"),
    row("mul-list", lambda: Value(1.0) * [1, 2], TypeError, "list|sequence"),
    row("mul-complex", lambda: Value(1.0) * 1j, TypeError, "complex"),
    row("sub-bool", lambda: Value(1.0) - True, TypeError, "bool"),
    row("rsub-None", lambda: None - Value(1.0), TypeError, "NoneType"),
    row("add-nan", lambda: Value(1.0) + NAN, ValueError, "operand|finite"),
    row("mul-inf", lambda: Value(1.0) * INF, ValueError, "operand|finite"),
    row("rsub-minus-inf", lambda: -INF - Value(1.0), ValueError, "operand|finite"),
    row("add-int-beyond-float", lambda: Value(1.0) + 10**400, ValueError, "operand"),
    row("add-array-with-nan", lambda: Value(1.0) + np.array([NAN]), ValueError, "operand|finite"),
    row("div-by-zero", lambda: Value(1.0) / 0, ZeroDivisionError, "divisor"),
    row("rdiv-by-zero-Value", lambda: 1 / Value(0.0), ZeroDivisionError, "divisor"),
    row("div-by-batch-with-zero", lambda: Value(np.ones(2)) / np.array([1.0, 0.0]), ZeroDivisionError, "divisor"),
    row("div-nan", lambda: Value(1.0) / NAN, ValueError, "operand|finite"),
    row("pow-None", lambda: Value(2.0) ** None, TypeError, "NoneType"),
    row("pow-str", lambda: Value(2.0) ** "2", TypeError, "str"),
    row("pow-complex", lambda: Value(2.0) ** 1j, TypeError, "complex"),
    row("pow-list", lambda: Value(2.0) ** [2], TypeError, "list"),
    row("pow-nan", lambda: Value(2.0) ** NAN, ValueError, "operand|finite"),
    row("pow-inf", lambda: Value(2.0) ** INF, ValueError, "operand|finite"),
    row("pow-negative-base-fraction", lambda: Value(-8.0) ** 0.5, ValueError, "power"),
    row("pow-zero-negative-exponent", lambda: Value(0.0) ** -1, ValueError, "power"),
    row("pow-zero-fraction-exponent", lambda: Value(0.0) ** 0.5, ValueError, "base"),
    row("pow-Value-exponent-negative-base", lambda: Value(-1.0) ** Value(2.0), ValueError, "base"),
    row("rpow-negative-number-base", lambda: (-2.0) ** Value(0.5), ValueError, "base"),
    row("pow-overflow", lambda: Value(10.0) ** 400, OverflowError, "overflow|too large"),
    row("pow-Value-exponent-overflow", lambda: Value(2.0) ** Value(5000.0), OverflowError, "overflow|too large"),
    row("pow-batched-overflow", lambda: Value(np.array([10.0])) ** 400, OverflowError, "overflow|too large"),
    row("mul-overflow", lambda: Value(1e200) * 1e200, OverflowError, "overflow|too large"),
    row("add-overflow", lambda: Value(1.7e308) + 1.7e308, OverflowError, "overflow|too large"),
    row("div-overflow", lambda: Value(1e300) / 1e-300, OverflowError, "overflow|too large"),
    row("batched-mul-overflow", lambda: Value(np.array([1e200])) * 1e200, OverflowError, "overflow|too large"),
    row("add-batch-shapes", lambda: Value(np.ones(3)) + Value(np.ones(4)), ValueError, "broadcast"),
    row("mul-batch-shapes", lambda: Value(np.ones(3)) * np.ones(2), ValueError, "broadcast"),
    row("div-batch-shapes", lambda: Value(np.ones(3)) / Value(np.ones(2)), ValueError, "broadcast"),
    row("pow-batch-shapes", lambda: Value(np.ones(3)) ** Value(np.ones(2)), ValueError, "broadcast"),
    # -- Value methods ----------------------------------------------------------------
    row("exp-overflow", lambda: Value(710.0).exp(), OverflowError, "exp"),
    row("exp-batched-overflow", lambda: Value(np.array([0.0, 710.0])).exp(), OverflowError, "exp"),
    row("log-zero", lambda: Value(0.0).log(), ValueError, "log"),
    row("log-negative", lambda: Value(-1.0).log(), ValueError, "log"),
    row("log-batched-negative", lambda: Value(np.array([1.0, -1.0])).log(), ValueError, "log"),
    row("sqrt-zero", lambda: Value(0.0).sqrt(), ValueError, "sqrt"),
    row("sqrt-negative", lambda: Value(-4.0).sqrt(), ValueError, "sqrt"),
    row("leaky_relu-slope-None", lambda: Value(1.0).leaky_relu(None), TypeError, "slope"),
    row("leaky_relu-slope-str", lambda: Value(1.0).leaky_relu("0.1"), TypeError, "slope"),
    row("leaky_relu-slope-bool", lambda: Value(1.0).leaky_relu(True), TypeError, "slope"),
    row("leaky_relu-slope-complex", lambda: Value(1.0).leaky_relu(0.1j), TypeError, "slope"),
    row("leaky_relu-slope-nan", lambda: Value(1.0).leaky_relu(NAN), ValueError, "slope"),
    row("leaky_relu-slope-inf", lambda: Value(1.0).leaky_relu(INF), ValueError, "slope"),
    # -- maximum, minimum, sum, topological_order -----------------------------------------
    row("maximum-None", lambda: autograd.maximum(None, 1.0), TypeError, "maximum"),
    row("maximum-str", lambda: autograd.maximum(Value(1.0), "a"), TypeError, "maximum"),
    row("maximum-bool", lambda: autograd.maximum(Value(1.0), True), TypeError, "maximum"),
    row("maximum-nan", lambda: autograd.maximum(Value(1.0), NAN), ValueError, "operand|finite"),
    row("maximum-batch-shapes", lambda: autograd.maximum(Value(np.ones(2)), np.ones(3)), ValueError, "broadcast"),
    row("minimum-list", lambda: autograd.minimum([1.0], Value(1.0)), TypeError, "minimum"),
    row("minimum-inf", lambda: autograd.minimum(Value(1.0), -INF), ValueError, "operand|finite"),
    row("minimum-batch-shapes", lambda: autograd.minimum(np.ones(3), Value(np.ones(2))), ValueError, "broadcast"),
    row("sum-None", lambda: autograd.sum(None), TypeError, "sum"),
    row("sum-str", lambda: autograd.sum("abc"), TypeError, "sum"),
    row("sum-number", lambda: autograd.sum(3.0), TypeError, "sum"),
    row("sum-Value", lambda: autograd.sum(Value(1.0)), TypeError, "sum"),
    row("sum-item-None", lambda: autograd.sum([Value(1.0), None]), TypeError, "item 1"),
    row("sum-item-str", lambda: autograd.sum([Value(1.0), "a"]), TypeError, "item 1"),
    row("sum-item-bool", lambda: autograd.sum([True]), TypeError, "item 0"),
    row("sum-item-complex", lambda: autograd.sum([Value(1.0), 1j]), TypeError, "item 1"),
    row("sum-item-nan", lambda: autograd.sum([Value(1.0), NAN]), ValueError, "item 1"),
    row("sum-batch-shapes", lambda: autograd.sum([Value(np.ones(2)), Value(np.ones(3))]), ValueError, "broadcast"),
    row("topological_order-None", lambda: autograd.topological_order(None), TypeError, "Value"),
    row("topological_order-float", lambda: autograd.topological_order(1.0), TypeError, "Value"),
    # -- grad, value_and_grad, gradcheck, numerical_grad, Op --------------------------------
    row("grad-f-None", lambda: autograd.grad(None)(1.0), TypeError, "function"),
    row("grad-argnums-str", lambda: autograd.grad(f, argnums="0")(1.0), TypeError, "argnums"),
    row("grad-argnums-float", lambda: autograd.grad(f, argnums=0.0)(1.0), TypeError, "argnums"),
    row("grad-argnums-bool", lambda: autograd.grad(f, argnums=True)(1.0), TypeError, "argnums"),
    row("grad-argnums-None", lambda: autograd.grad(f, argnums=None)(1.0), TypeError, "argnums"),
    row("grad-argnums-out-of-range", lambda: autograd.grad(f, argnums=1)(1.0), ValueError, "argnums"),
    row("grad-argnums-negative-out-of-range", lambda: autograd.grad(f, argnums=-2)(1.0), ValueError, "argnums"),
    row("grad-no-arguments", lambda: autograd.grad(f)(), ValueError, "argnums|argument"),
    row("grad-argument-None", lambda: autograd.grad(f)(None), TypeError, "data|argument"),
    row("grad-argument-str", lambda: autograd.grad(f)("1"), TypeError, "data|argument"),
    row("grad-argument-empty-list", lambda: autograd.grad(f)([]), ValueError, "argument 0 is an empty list"),
    row("grad-argument-list-of-str", lambda: autograd.grad(f)([1.0, "2"]), TypeError, r"argument 0\[1\]"),
    row("grad-argument-dict", lambda: autograd.grad(f)({"x": 1.0}), TypeError, "argument 0"),
    row("grad-batched-result", lambda: autograd.grad(lambda x: x * x)(np.ones(2)), ValueError, "jacobian"),
    row("grad-create_graph-str", lambda: autograd.grad(f, create_graph="yes")(1.0), TypeError, "create_graph"),
    row("jacobian-f-None", lambda: autograd.jacobian(None)(1.0), TypeError, "function"),
    row("jacobian-returns-float", lambda: autograd.jacobian(lambda x: 3.0)(1.0), TypeError, "return"),
    row("jacobian-list-of-arrays", lambda: autograd.jacobian(lambda x: [x, x])(np.ones(2)), ValueError, "output 0"),
    row("hessian-argument-str", lambda: autograd.hessian(f)("1"), TypeError, "argument 0"),
    row("hessian-f-None", lambda: autograd.hessian(None)(1.0), TypeError, "function"),
    row("hessian-vector-result", lambda: autograd.hessian(lambda x: x * x)(np.ones(2)), ValueError, "hessian needs"),
    row("jacfwd-argnums-tuple", lambda: autograd.jacfwd(f, argnums=(0,)), TypeError, "one argnums"),
    row("jacfwd-argument-None", lambda: autograd.jacfwd(f)(None), TypeError, "argument 0"),
    row("jvp-primals-float", lambda: autograd.jvp(f, 1.0, (1.0,)), TypeError, "primals"),
    row("jvp-tangents-missing", lambda: autograd.jvp(f, (1.0,), ()), ValueError, "one tangent per primal"),
    row("jvp-tangent-shape", lambda: autograd.jvp(f, (np.ones(2),), (np.ones(3),)), ValueError, "tangent 0"),
    row("jvp-tangent-str", lambda: autograd.jvp(f, (1.0,), ("1",)), TypeError, "tangent 0"),
    row("vjp-f-None", lambda: autograd.vjp(None, 1.0), TypeError, "function"),
    row("vjp-cotangent-shape", lambda: autograd.vjp(lambda x: x * x, np.ones(2))[1](np.ones(3)), ValueError, "shape"),
    row("tangents-None", lambda: autograd.tangents(None, {}), TypeError, "Value"),
    row("exp-str", lambda: autograd.exp("1"), TypeError, "exp"),
    row("exp-overflow", lambda: autograd.exp(1000.0), OverflowError, "exp"),
    row("expm1-overflow", lambda: autograd.expm1(1000.0), OverflowError, "expm1"),
    row("log-negative", lambda: autograd.log(-1.0), ValueError, "log"),
    row("log1p-below-minus-one", lambda: autograd.log1p(-1.0), ValueError, "log1p"),
    row("log2-zero", lambda: autograd.log2(0.0), ValueError, "log2"),
    row("log10-negative", lambda: autograd.log10(-3.0), ValueError, "log10"),
    row("sqrt-zero", lambda: autograd.sqrt(0.0), ValueError, "sqrt"),
    row("sin-None", lambda: autograd.sin(None), TypeError, "sin"),
    row("cos-list", lambda: autograd.cos([1.0]), TypeError, "cos"),
    row("tan-str", lambda: autograd.tan("x"), TypeError, "tan"),
    row("arcsin-one", lambda: autograd.arcsin(1.0), ValueError, "arcsin"),
    row("arccos-two", lambda: autograd.arccos(2.0), ValueError, "arccos"),
    row("arctan-bool", lambda: autograd.arctan(True), TypeError, "arctan"),
    row("sinh-overflow", lambda: autograd.sinh(800.0), OverflowError, "sinh"),
    row("cosh-overflow", lambda: autograd.cosh(-800.0), OverflowError, "cosh"),
    row("tanh-nan", lambda: autograd.tanh(NAN), ValueError, "tanh"),
    row("sech2-str", lambda: autograd.sech2("1"), TypeError, "sech2"),
    row("sigmoid-inf", lambda: autograd.sigmoid(INF), ValueError, "sigmoid"),
    row("softplus-str", lambda: autograd.softplus("1"), TypeError, "softplus"),
    row("relu-None", lambda: autograd.relu(None), TypeError, "relu"),
    row("leaky_relu-slope-str", lambda: autograd.leaky_relu(1.0, "a"), TypeError, "slope"),
    row("leaky_relu-overflow", lambda: Value(-1e10).leaky_relu(1e308), OverflowError, "leaky_relu"),
    row("step-list", lambda: autograd.step([0.0]), TypeError, "step"),
    row("pow-derivative-overflow", lambda: Value(0.5) ** -1023, OverflowError, "derivative"),
    row("pow-zero-base-small-exponent", lambda: Value(0.0) ** Value(0.5), ValueError, "exponent must be 0 or >= 1"),
    row("backward-batch-without-gradient", lambda: Value(np.ones(2)).backward(), ValueError, "gradient="),
    row("backward-gradient-shape", lambda: Value(np.ones(2)).backward(np.ones(3)), ValueError, "shape"),
    row("backward-gradient-str", lambda: Value(1.0).backward("1"), TypeError, "gradient"),
    row("Domain-test-None", lambda: autograd.Domain(None, ValueError, "x > 0"), TypeError, "Domain test"),
    row("Domain-error-str", lambda: autograd.Domain(abs, "ValueError", "x > 0"), TypeError, "Domain error"),
    row("Domain-shows-negative", lambda: autograd.Domain(abs, ValueError, "x > 0", -1), TypeError, "shows"),
    row("Op-domain-str", lambda: autograd.Op("op", abs, lambda out, x: (1.0,), domain="x > 0"), TypeError, "domain"),
    row(
        "Op-domain-refuses",
        lambda: autograd.Op(
            "op", abs, lambda out, x: (1.0,), domain=autograd.Domain(lambda x: x > 0, ValueError, "{name} needs x > 0")
        )(-1.0),
        ValueError,
        r"op: got -1\.0; op needs x > 0",
    ),
    row("Linear-vjp-None", lambda: autograd.Linear(None, abs), TypeError, "Linear needs two functions"),
    row("Op-call-no-inputs", lambda: autograd.Op("op", abs, lambda out, x: (1.0,))(), TypeError, "at least one input"),
    row("Op-call-str", lambda: autograd.Op("op", abs, lambda out, x: (1.0,))("1"), TypeError, "input 0"),
    row(
        "Op-local-not-a-tuple",
        lambda: autograd.Op("sq", lambda x: x * x, lambda out, x: 2 * x)(Value(3.0)).backward(),
        TypeError,
        "tuple of 1",
    ),
    row(
        "Op-local-wrong-count",
        lambda: autograd.Op("sq", lambda x: x * x, lambda out, x: (2 * x, 1.0))(Value(3.0)).backward(),
        ValueError,
        "2 derivative",
    ),
    row(
        "Op-forward-returns-str",
        lambda: autograd.Op("s", lambda x: "a", lambda out, x: (1.0,))(1.0),
        TypeError,
        "forward",
    ),
    row(
        "Op-forward-wrong-shape",
        lambda: autograd.Op("s", lambda x: x[:1], lambda out, x: (1.0,))(np.ones(2)),
        ValueError,
        "shape",
    ),
    row("grad-argument-nan", lambda: autograd.grad(f)(NAN), ValueError, "data|argument"),
    row("grad-returns-float", lambda: autograd.grad(lambda x: 3.0)(1.0), TypeError, "return"),
    row("value_and_grad-f-None", lambda: autograd.value_and_grad(None)(1.0), TypeError, "function"),
    row(
        "value_and_grad-argnums-item-str", lambda: autograd.value_and_grad(f, (0, "1"))(1.0, 2.0), TypeError, "argnums"
    ),
    row("gradcheck-f-None", lambda: autograd.gradcheck(None, 1.0), TypeError, "function"),
    row("gradcheck-no-inputs", lambda: autograd.gradcheck(f), ValueError, "input"),
    row("gradcheck-input-None", lambda: autograd.gradcheck(f, None), TypeError, "input 0"),
    row("gradcheck-input-str", lambda: autograd.gradcheck(f, "1"), TypeError, "input 0"),
    row("gradcheck-input-bool", lambda: autograd.gradcheck(f, True), TypeError, "input 0"),
    row("gradcheck-input-nan", lambda: autograd.gradcheck(f, NAN), ValueError, "input 0"),
    row("gradcheck-input-inf", lambda: autograd.gradcheck(f, 1.0, INF), ValueError, "input 1"),
    row("gradcheck-input-batch", lambda: autograd.gradcheck(f, Value(np.ones(2))), ValueError, "input 0"),
    row("gradcheck-eps-zero", lambda: autograd.gradcheck(f, 1.0, eps=0.0), ValueError, "eps"),
    row("gradcheck-eps-negative", lambda: autograd.gradcheck(f, 1.0, eps=-1e-6), ValueError, "eps"),
    row("gradcheck-eps-str", lambda: autograd.gradcheck(f, 1.0, eps="1e-6"), TypeError, "eps"),
    row("gradcheck-eps-nan", lambda: autograd.gradcheck(f, 1.0, eps=NAN), ValueError, "eps"),
    row("gradcheck-atol-None", lambda: autograd.gradcheck(f, 1.0, atol=None), TypeError, "atol"),
    row("gradcheck-atol-negative", lambda: autograd.gradcheck(f, 1.0, atol=-1.0), ValueError, "atol"),
    row("gradcheck-rtol-negative", lambda: autograd.gradcheck(f, 1.0, rtol=-1.0), ValueError, "rtol"),
    row("numerical_grad-f-None", lambda: autograd.numerical_grad(None, [1.0]), TypeError, r"\bf\b|function"),
    row("numerical_grad-inputs-None", lambda: autograd.numerical_grad(f, None), TypeError, "inputs"),
    row("numerical_grad-inputs-str", lambda: autograd.numerical_grad(lambda x, y: x * y, "12"), TypeError, "inputs"),
    row("numerical_grad-input-None", lambda: autograd.numerical_grad(f, [None]), TypeError, "input"),
    row("numerical_grad-input-bool", lambda: autograd.numerical_grad(f, [True]), TypeError, "input"),
    row("numerical_grad-input-nan", lambda: autograd.numerical_grad(f, [NAN]), ValueError, "input"),
    row("numerical_grad-eps-zero", lambda: autograd.numerical_grad(f, [1.0], eps=0.0), ValueError, "eps"),
    row("numerical_grad-eps-str", lambda: autograd.numerical_grad(f, [1.0], eps="1e-6"), TypeError, "eps"),
    row("Op-name-None", lambda: autograd.Op(None, abs, lambda out, x: (1.0,)), TypeError, "name"),
    row("Op-forward-None", lambda: autograd.Op("op", None, lambda out, x: (1.0,)), TypeError, "forward"),
    row("Op-local-str", lambda: autograd.Op("op", abs, "1.0"), TypeError, "local"),
    # -- draw, trace, Stepper, Graph.save -------------------------------------------------
    row("draw-None", lambda: autograd.draw(None), TypeError, "Value"),
    row("draw-rankdir-unknown", lambda: autograd.draw(a_graph(), rankdir="up"), ValueError, "rankdir"),
    row("draw-rankdir-None", lambda: autograd.draw(a_graph(), rankdir=None), TypeError, "rankdir"),
    row("draw-max_nodes-zero", lambda: autograd.draw(a_graph(), max_nodes=0), ValueError, "max_nodes"),
    row("draw-max_nodes-str", lambda: autograd.draw(a_graph(), max_nodes="5"), TypeError, "max_nodes"),
    row("draw-max_nodes-float", lambda: autograd.draw(a_graph(), max_nodes=2.5), TypeError, "max_nodes"),
    row("draw-too-many-nodes", lambda: autograd.draw(a_graph(), max_nodes=2), ValueError, "max_nodes"),
    row("draw-engine-unknown", lambda: autograd.draw(a_graph(), engine="neato"), ValueError, "engine"),
    row("Graph-save-bad-suffix", lambda: autograd.draw(a_graph()).save("graph.jpg"), ValueError, r"graph\.jpg"),
    row(
        "Graph-save-missing-dir",
        lambda: autograd.draw(a_graph()).save(MISSING_FILE + ".dot"),
        FileNotFoundError,
        "directory",
    ),
    row("trace-None", lambda: autograd.trace(None), TypeError, "Value"),
    row("trace-max_nodes-zero", lambda: autograd.trace(a_graph(), max_nodes=0), ValueError, "max_nodes"),
    row("Stepper-None", lambda: autograd.Stepper(None), TypeError, "Value"),
    row("Stepper-rankdir-unknown", lambda: autograd.Stepper(a_graph(), rankdir="x"), ValueError, "rankdir"),
    row("Stepper-max_nodes-negative", lambda: autograd.Stepper(a_graph(), max_nodes=-1), ValueError, "max_nodes"),
    row("Stepper-engine-unknown", lambda: autograd.Stepper(a_graph(), engine="neato"), ValueError, "engine"),
    row("Stepper-save-bad-suffix", lambda: autograd.Stepper(a_graph()).save("steps.txt"), ValueError, r"steps\.txt"),
    row("Stepper-quiz-str", lambda: autograd.Stepper(a_graph(), quiz="yes"), TypeError, "quiz"),
    row("Stepper-title-int", lambda: autograd.Stepper(a_graph(), title=1), TypeError, "title"),
    row("draw-group-unknown", lambda: autograd.draw(a_graph(), group="neurons"), ValueError, "group"),
    row("draw-paths_to-float", lambda: autograd.draw(a_graph(), paths_to=1.0), TypeError, "x must be a Value"),
    row("explain-None", lambda: autograd.explain(None, Value(1.0)), TypeError, "Value"),
    row("explain-x-float", lambda: autograd.explain(a_graph(), 1.0), TypeError, "x must be a Value"),
    row("explain-x-elsewhere", lambda: autograd.explain(a_graph(), Value(1.0)), ValueError, "not in the graph"),
    row("explain-max_paths-zero", lambda: autograd.explain(a_graph(), a_graph(), max_paths=0), ValueError, "max_paths"),
    row("gradients-None", lambda: autograd.gradients(None, []), TypeError, "Value"),
    row(
        "affine-shapes", lambda: autograd.affine(np.ones((4, 3)), np.ones((2, 2)), np.ones(2)), ValueError, "do not fit"
    ),
    row("affine-x-str", lambda: autograd.affine("x", np.ones((2, 2)), np.ones(2)), TypeError, "affine: x"),
    row("neuron-lengths", lambda: autograd.neuron([1.0], [1.0, 2.0], 0.0), ValueError, "one weight per input"),
    row("neuron-w-float", lambda: autograd.neuron(1.0, [1.0], 0.0), TypeError, "lists"),
    row("neuron-array-input", lambda: autograd.neuron([1.0], [np.ones(2)], 0.0), ValueError, "array"),
    row("stack-empty", lambda: autograd.stack([]), TypeError, "non-empty list"),
    row("stack-shapes", lambda: autograd.stack([np.ones(2), np.ones(3)]), ValueError, r"\(2,\), \(3,\)"),
    row("stack-axis-str", lambda: autograd.stack([np.ones(2)], axis="0"), TypeError, "axis"),
    row("concatenate-axis-out-of-range", lambda: autograd.concatenate([np.ones(2)], axis=3), ValueError, "axis 3"),
    row(
        "matmul-inner-sizes",
        lambda: Value(np.ones((2, 3))) @ Value(np.ones((2, 3))),
        ValueError,
        r"\(2, 3\) and \(2, 3\)",
    ),
    row("matmul-number", lambda: Value(np.ones(2)) @ 2.0, ValueError, "arrays"),
    row("broadcast-mismatch", lambda: Value(np.ones((2, 3))) + np.ones((4,)), ValueError, r"\(2, 3\) and \(4,\)"),
    row("reshape-size", lambda: Value(np.ones(6)).reshape(4, 2), ValueError, "reshape"),
    row("transpose-axes", lambda: Value(np.ones((2, 3))).transpose(0, 0), ValueError, "transpose"),
    row("sum-axis-out-of-range", lambda: Value(np.ones((2, 3))).sum(axis=2), ValueError, "axis 2"),
    row("mean-axis-float", lambda: Value(np.ones((2, 3))).mean(axis=1.0), TypeError, "axis"),
    row("max-axis-out-of-range", lambda: Value(np.ones(3)).max(axis=-2), ValueError, "axis -2"),
    row("index-out-of-range", lambda: Value(np.ones(3))[5], IndexError, "shape"),
    row("index-a-number", lambda: Value(1.0)[0], TypeError, "cannot be indexed"),
    row("index-empty-selection", lambda: Value(np.ones(3))[3:], ValueError, "selects nothing"),
    # -- Neuron, Layer, MLP, Sequential --------------------------------------------------
    row("Neuron-nin-None", lambda: nn.Neuron(None), TypeError, "nin"),
    row("Neuron-nin-str", lambda: nn.Neuron("2"), TypeError, "nin"),
    row("Neuron-nin-float", lambda: nn.Neuron(2.5), TypeError, "nin"),
    row("Neuron-nin-bool", lambda: nn.Neuron(True), TypeError, "nin"),
    row("Neuron-nin-list", lambda: nn.Neuron([2]), TypeError, "nin"),
    row("Neuron-nin-zero", lambda: nn.Neuron(0), ValueError, "nin"),
    row("Neuron-nin-negative", lambda: nn.Neuron(-1), ValueError, "nin"),
    row("Neuron-activation-unknown", lambda: nn.Neuron(2, "swish"), ValueError, "activation"),
    row("Neuron-activation-None", lambda: nn.Neuron(2, None), TypeError, "activation"),
    row("Neuron-activation-list", lambda: nn.Neuron(2, ["relu"]), TypeError, "activation"),
    row("Neuron-activation-int", lambda: nn.Neuron(2, 3), TypeError, "activation"),
    row("Neuron-init-unknown", lambda: nn.Neuron(2, init="xavier"), ValueError, "init"),
    row("Neuron-init-None", lambda: nn.Neuron(2, init=None), TypeError, "init"),
    row("Neuron-init-list", lambda: nn.Neuron(2, init=["normal"]), TypeError, "init"),
    row("Neuron-bias-None", lambda: nn.Neuron(2, bias=None), TypeError, "bias"),
    row("Neuron-bias-str", lambda: nn.Neuron(2, bias="0.1"), TypeError, "bias"),
    row("Neuron-bias-bool", lambda: nn.Neuron(2, bias=True), TypeError, "bias"),
    row("Neuron-bias-nan", lambda: nn.Neuron(2, bias=NAN), ValueError, "bias"),
    row("Neuron-bias-inf", lambda: nn.Neuron(2, bias=INF), ValueError, "bias"),
    row("Neuron-bias-int-beyond-float", lambda: nn.Neuron(2, bias=10**400), ValueError, "bias"),
    row("Neuron-seed-str", lambda: nn.Neuron(2, seed="1"), TypeError, "seed"),
    row("Neuron-seed-float", lambda: nn.Neuron(2, seed=1.5), TypeError, "seed"),
    row("Neuron-seed-negative", lambda: nn.Neuron(2, seed=-1), ValueError, "seed"),
    row("Neuron-rng-str", lambda: nn.Neuron(2, rng="rng"), TypeError, "rng"),
    row("Neuron-rng-RandomState", lambda: nn.Neuron(2, rng=np.random.RandomState(0)), TypeError, "rng"),
    row("Neuron-call-None", lambda: nn.Neuron(2, seed=0)(None), TypeError, "input"),
    row("Neuron-call-str", lambda: nn.Neuron(2, seed=0)("ab"), TypeError, "input"),
    row("Neuron-call-dict", lambda: nn.Neuron(2, seed=0)({"a": 1.0, "b": 2.0}), TypeError, "input"),
    row("Neuron-call-too-few", lambda: nn.Neuron(2, seed=0)([1.0]), ValueError, "input"),
    row("Neuron-call-empty", lambda: nn.Neuron(2, seed=0)([]), ValueError, "input"),
    row("Neuron-call-item-None", lambda: nn.Neuron(2, seed=0)([1.0, None]), TypeError, "input"),
    row("Neuron-call-item-nan", lambda: nn.Neuron(2, seed=0)([1.0, NAN]), ValueError, "input"),
    row("Neuron-call-empty-batch", lambda: nn.Neuron(2, seed=0)(np.zeros((0, 2))), ValueError, "empty"),
    row(
        "Neuron-call-batch-shapes",
        lambda: nn.Neuron(2, seed=0)([Value(np.ones(2)), Value(np.ones(3))]),
        ValueError,
        "do not fit together",
    ),
    row("Layer-nout-zero", lambda: nn.Layer(2, 0), ValueError, "nout"),
    row("Layer-nout-str", lambda: nn.Layer(2, "3"), TypeError, "nout"),
    row("Layer-nout-None", lambda: nn.Layer(2, None), TypeError, "nout"),
    row("Layer-nin-zero", lambda: nn.Layer(0, 1), ValueError, "nin"),
    row("Layer-activation-unknown", lambda: nn.Layer(2, 2, "gelu"), ValueError, "activation"),
    row("Layer-call-too-many", lambda: nn.Layer(2, 2, seed=0)([1.0, 2.0, 3.0]), ValueError, "input"),
    row("MLP-nin-zero", lambda: nn.MLP(0, [1]), ValueError, "nin"),
    row("MLP-nin-None", lambda: nn.MLP(None, [1]), TypeError, "nin"),
    row("MLP-nouts-empty", lambda: nn.MLP(2, []), ValueError, "nouts"),
    row("MLP-nouts-None", lambda: nn.MLP(2, None), TypeError, "nouts"),
    row("MLP-nouts-str", lambda: nn.MLP(2, "3"), TypeError, "nouts"),
    row("MLP-nouts-set", lambda: nn.MLP(2, {3}), TypeError, "nouts"),
    row("MLP-nouts-zero", lambda: nn.MLP(2, 0), ValueError, "nouts"),
    row("MLP-nouts-item-zero", lambda: nn.MLP(2, [3, 0]), ValueError, r"nouts\[1\]"),
    row("MLP-nouts-item-float", lambda: nn.MLP(2, [3, 1.5]), TypeError, r"nouts\[1\]"),
    row("MLP-nouts-item-None", lambda: nn.MLP(2, [None]), TypeError, r"nouts\[0\]"),
    row("MLP-nouts-item-bool", lambda: nn.MLP(2, [True]), TypeError, r"nouts\[0\]"),
    row("MLP-activation-unknown", lambda: nn.MLP(2, [1], activation="swish"), ValueError, "activation"),
    row("MLP-output_activation-unknown", lambda: nn.MLP(2, [1], output_activation="softmax"), ValueError, "activation"),
    row("MLP-output_activation-None", lambda: nn.MLP(2, [1], output_activation=None), TypeError, "activation"),
    row("MLP-init-unknown", lambda: nn.MLP(2, [1], init="he"), ValueError, "init"),
    row("MLP-seed-str", lambda: nn.MLP(2, [1], seed="0"), TypeError, "seed"),
    row("MLP-call-wrong-width", lambda: mlp()([1.0, 2.0, 3.0]), ValueError, "input"),
    row("Sequential-empty", lambda: nn.Sequential(), ValueError, "module"),
    row("Sequential-None", lambda: nn.Sequential(None), TypeError, "stage 0"),
    row("Sequential-class", lambda: nn.Sequential(nn.MLP), TypeError, "stage 0"),
    row("Sequential-list", lambda: nn.Sequential([mlp()]), TypeError, "stage 0"),
    row("Sequential-str-stage", lambda: nn.Sequential(mlp(), "relu"), TypeError, "stage 1"),
    row(
        "Sequential-mismatched-widths",
        lambda: nn.Sequential(nn.MLP(2, [3], seed=0), nn.MLP(4, [1], seed=0))([1.0, 2.0]),
        ValueError,
        "input",
    ),
    # -- state dicts and files ---------------------------------------------------------------
    row("load_state_dict-None", lambda: mlp().load_state_dict(None), ValueError, "state"),
    row("load_state_dict-list", lambda: mlp().load_state_dict([]), ValueError, "state"),
    row("load_state_dict-missing", lambda: mlp().load_state_dict({}), ValueError, "missing"),
    row(
        "load_state_dict-extra",
        lambda: mlp().load_state_dict({**mlp().state_dict(), "extra": 1.0}),
        ValueError,
        "extra",
    ),
    row(
        "load_state_dict-value-nan",
        lambda: mlp().load_state_dict({**mlp().state_dict(), "layers.1.b": [NAN]}),
        ValueError,
        r"layers\.1\.b",
    ),
    row(
        "load_state_dict-value-str",
        lambda: mlp().load_state_dict({**mlp().state_dict(), "layers.1.b": "0.5"}),
        ValueError,
        r"layers\.1\.b",
    ),
    row("Module-load-None", lambda: nn.Module.load(None), TypeError, "path"),
    row("Module-load-int", lambda: nn.Module.load(987654), TypeError, "path"),
    row("Module-load-missing", lambda: nn.Module.load(MISSING_FILE), FileNotFoundError, "not found"),
    row("Module-save-None", lambda: mlp().save(None), TypeError, "path"),
    row("Module-save-missing-dir", lambda: mlp().save(MISSING_FILE), FileNotFoundError, "directory"),
    # -- losses ------------------------------------------------------------------------
    row("mse_loss-pred-None", lambda: nn.mse_loss(None, 1.0), TypeError, "prediction"),
    row("mse_loss-pred-str", lambda: nn.mse_loss("a", "a"), TypeError, "prediction"),
    row("mse_loss-pred-floats", lambda: nn.mse_loss([1.0], [1.0]), TypeError, "prediction 0"),
    row("mse_loss-target-None", lambda: nn.mse_loss(Value(1.0), None), TypeError, "target"),
    row("mse_loss-target-str", lambda: nn.mse_loss(Value(1.0), "1"), TypeError, "target"),
    row("mse_loss-target-complex", lambda: nn.mse_loss(Value(1.0), 1j), TypeError, "target"),
    row("mse_loss-target-bool", lambda: nn.mse_loss(Value(1.0), True), TypeError, "target"),
    row("mse_loss-target-nan", lambda: nn.mse_loss(Value(1.0), NAN), ValueError, "target"),
    row("mse_loss-target-inf", lambda: nn.mse_loss(Value(1.0), INF), ValueError, "target"),
    row("mse_loss-targets-None", lambda: nn.mse_loss([Value(1.0)], None), TypeError, "target"),
    row("mse_loss-lengths", lambda: nn.mse_loss([Value(1.0), Value(2.0)], [1.0]), ValueError, "target"),
    row("mse_loss-empty", lambda: nn.mse_loss([], []), ValueError, "prediction"),
    row("mse_loss-two-outputs-one-number", lambda: nn.mse_loss([[Value(1.0), Value(2.0)]], [1.0]), TypeError, "target"),
    row("mse_loss-batch-shapes", lambda: nn.mse_loss(Value(np.ones(3)), np.ones(4)), ValueError, r"shape \(3,\)"),
    row("mse_loss-target-str-array", lambda: nn.mse_loss(Value(1.0), np.array(["a"])), TypeError, "target"),
    row(
        "mse_loss-target-nan-array", lambda: nn.mse_loss(Value(np.ones(2)), np.array([1.0, NAN])), ValueError, "target"
    ),
    row("bce-p-zero", lambda: nn.binary_cross_entropy(Value(0.0), 1.0), ValueError, r"\bp\b"),
    row("bce-p-one", lambda: nn.binary_cross_entropy(Value(1.0), 0.0), ValueError, r"\bp\b"),
    row("bce-p-above-one", lambda: nn.binary_cross_entropy(Value(1.5), 1.0), ValueError, r"\bp\b"),
    row(
        "bce-p-batched-one",
        lambda: nn.binary_cross_entropy(Value(np.array([0.5, 1.0])), np.array([1, 0])),
        ValueError,
        r"\bp\b",
    ),
    row("bce-label-two", lambda: nn.binary_cross_entropy(Value(0.5), 2.0), ValueError, "label"),
    row("bce-label-negative", lambda: nn.binary_cross_entropy(Value(0.5), -0.1), ValueError, "label"),
    row("bce-label-None", lambda: nn.binary_cross_entropy(Value(0.5), None), TypeError, "target|label"),
    row("bce-pred-None", lambda: nn.binary_cross_entropy(None, 1.0), TypeError, "prediction"),
    row("bce_logits-label-1.5", lambda: nn.binary_cross_entropy_with_logits(Value(0.0), 1.5), ValueError, "label"),
    row(
        "bce_logits-label-nan", lambda: nn.binary_cross_entropy_with_logits(Value(0.0), NAN), ValueError, "target|label"
    ),
    row(
        "bce_logits-label-str", lambda: nn.binary_cross_entropy_with_logits(Value(0.0), "1"), TypeError, "target|label"
    ),
    row("bce_logits-lengths", lambda: nn.binary_cross_entropy_with_logits([Value(0.0)], [0, 1]), ValueError, "target"),
    row("hinge-label-half", lambda: nn.hinge_loss(Value(0.0), 0.5), ValueError, "label"),
    row("hinge-label-two", lambda: nn.hinge_loss(Value(0.0), 2), ValueError, "label"),
    row("hinge-label-None", lambda: nn.hinge_loss(Value(0.0), None), TypeError, "target|label"),
    row("hinge-batched-label-three", lambda: nn.hinge_loss(Value(np.zeros(2)), np.array([1, 3])), ValueError, "label"),
    row("softmax-empty", lambda: nn.softmax([]), ValueError, "logits"),
    row("softmax-None", lambda: nn.softmax(None), TypeError, "logits"),
    row("softmax-Value", lambda: nn.softmax(Value(1.0)), TypeError, "logits"),
    row("softmax-str", lambda: nn.softmax("ab"), TypeError, "logits"),
    row("softmax-item-None", lambda: nn.softmax([1.0, None]), TypeError, "logits"),
    row("softmax-item-str", lambda: nn.softmax(["a"]), TypeError, "logits"),
    row("softmax-item-bool", lambda: nn.softmax([True, False]), TypeError, "logits"),
    row("softmax-item-nan", lambda: nn.softmax([NAN, 1.0]), ValueError, "logits"),
    row("softmax-item-inf", lambda: nn.softmax([INF, 1.0]), ValueError, "logits"),
    row("softmax-batch-shapes", lambda: nn.softmax([Value(np.ones(2)), Value(np.ones(3))]), ValueError, "logits"),
    row("log_softmax-empty", lambda: nn.log_softmax([]), ValueError, "logits"),
    row("log_softmax-None", lambda: nn.log_softmax(None), TypeError, "logits"),
    row("log_softmax-item-nan", lambda: nn.log_softmax([0.0, NAN]), ValueError, "logits"),
    row("cross_entropy-class-too-big", lambda: nn.cross_entropy(logits2(), 2), ValueError, "target"),
    row("cross_entropy-class-negative", lambda: nn.cross_entropy(logits2(), -1), ValueError, "target"),
    row("cross_entropy-class-float", lambda: nn.cross_entropy(logits2(), 1.0), TypeError, "target"),
    row("cross_entropy-class-None", lambda: nn.cross_entropy(logits2(), None), TypeError, "target"),
    row("cross_entropy-class-bool", lambda: nn.cross_entropy(logits2(), True), TypeError, "target"),
    row("cross_entropy-class-str", lambda: nn.cross_entropy(logits2(), "0"), TypeError, "target"),
    row("cross_entropy-logits-empty", lambda: nn.cross_entropy([], 0), ValueError, "logits"),
    row("cross_entropy-logits-None", lambda: nn.cross_entropy(None, 0), TypeError, "logits"),
    row(
        "cross_entropy-lengths",
        lambda: nn.cross_entropy([[1.0, 2.0], [3.0, 4.0]], [0]),
        ValueError,
        "target|class index",
    ),
    row("cross_entropy-targets-None", lambda: nn.cross_entropy([[1.0, 2.0], [3.0, 4.0]], None), TypeError, "target"),
    row("cross_entropy-targets-int", lambda: nn.cross_entropy([[1.0, 2.0], [3.0, 4.0]], 1), TypeError, "target"),
    row(
        "cross_entropy-targets-item-too-big",
        lambda: nn.cross_entropy([[1.0, 2.0], [3.0, 4.0]], [0, 2]),
        ValueError,
        "target",
    ),
    row(
        "cross_entropy-batched-class-too-big",
        lambda: nn.cross_entropy(batched_logits(), np.array([0, 1, 2])),
        ValueError,
        "target",
    ),
    row(
        "cross_entropy-batched-class-negative",
        lambda: nn.cross_entropy(batched_logits(), np.array([0, -1, 1])),
        ValueError,
        "target",
    ),
    row(
        "cross_entropy-batched-shape",
        lambda: nn.cross_entropy(batched_logits(), np.array([0, 1])),
        ValueError,
        "target",
    ),
    row(
        "cross_entropy-batched-float-targets",
        lambda: nn.cross_entropy(batched_logits(), np.array([0.0, 1.0, 1.0])),
        TypeError,
        "target",
    ),
    row("cross_entropy-batched-None", lambda: nn.cross_entropy(batched_logits(), None), TypeError, "target"),
    row("l2_penalty-alpha-negative", lambda: nn.l2_penalty(mlp(), -1.0), ValueError, "alpha"),
    row("l2_penalty-alpha-None", lambda: nn.l2_penalty(mlp(), None), TypeError, "alpha"),
    row("l2_penalty-alpha-str", lambda: nn.l2_penalty(mlp(), "0.1"), TypeError, "alpha"),
    row("l2_penalty-alpha-nan", lambda: nn.l2_penalty(mlp(), NAN), ValueError, "alpha"),
    row("l2_penalty-params-None", lambda: nn.l2_penalty(None, 0.1), TypeError, "params"),
    row("l2_penalty-params-Value", lambda: nn.l2_penalty(Value(1.0), 0.1), TypeError, "params"),
    row("l2_penalty-params-floats", lambda: nn.l2_penalty([1.0], 0.1), TypeError, r"params\[0\]"),
    row("l2_penalty-params-item-None", lambda: nn.l2_penalty([Value(1.0), None], 0.1), TypeError, r"params\[1\]"),
    # -- optimizers ----------------------------------------------------------------------
    row("SGD-params-None", lambda: nn.SGD(None, 0.1), TypeError, "params"),
    row("SGD-params-empty", lambda: nn.SGD([], 0.1), ValueError, "params"),
    row("SGD-params-floats", lambda: nn.SGD([1.0], 0.1), TypeError, "params"),
    row("SGD-params-Value", lambda: nn.SGD(Value(1.0), 0.1), TypeError, "params"),
    row("SGD-params-str", lambda: nn.SGD("abc", 0.1), TypeError, "params"),
    row("SGD-lr-None", lambda: nn.SGD(mlp(), None), TypeError, "lr"),
    row("SGD-lr-str", lambda: nn.SGD(mlp(), "0.1"), TypeError, "lr"),
    row("SGD-lr-bool", lambda: nn.SGD(mlp(), True), TypeError, "lr"),
    row("SGD-lr-zero", lambda: nn.SGD(mlp(), 0.0), ValueError, "lr"),
    row("SGD-lr-negative", lambda: nn.SGD(mlp(), -0.1), ValueError, "lr"),
    row("SGD-lr-nan", lambda: nn.SGD(mlp(), NAN), ValueError, "lr"),
    row("SGD-lr-inf", lambda: nn.SGD(mlp(), INF), ValueError, "lr"),
    row("SGD-momentum-one", lambda: nn.SGD(mlp(), 0.1, momentum=1.0), ValueError, "momentum"),
    row("SGD-momentum-negative", lambda: nn.SGD(mlp(), 0.1, momentum=-0.1), ValueError, "momentum"),
    row("SGD-momentum-str", lambda: nn.SGD(mlp(), 0.1, momentum="0.9"), TypeError, "momentum"),
    row("SGD-momentum-nan", lambda: nn.SGD(mlp(), 0.1, momentum=NAN), ValueError, "momentum"),
    row("SGD-weight_decay-negative", lambda: nn.SGD(mlp(), 0.1, weight_decay=-1.0), ValueError, "weight_decay"),
    row("SGD-weight_decay-None", lambda: nn.SGD(mlp(), 0.1, weight_decay=None), TypeError, "weight_decay"),
    row("SGD-lr-function-nan", lambda: step_with(lambda k: NAN), ValueError, "lr"),
    row("SGD-lr-function-str", lambda: step_with(lambda k: "0.1"), TypeError, "lr"),
    row("SGD-lr-function-negative", lambda: step_with(lambda k: -0.1), ValueError, "lr"),
    row("Adam-lr-zero", lambda: nn.Adam(mlp(), lr=0.0), ValueError, "lr"),
    row("Adam-betas-None", lambda: nn.Adam(mlp(), betas=None), TypeError, "betas"),
    row("Adam-betas-one-item", lambda: nn.Adam(mlp(), betas=(0.9,)), ValueError, "betas"),
    row("Adam-betas-one", lambda: nn.Adam(mlp(), betas=(0.9, 1.0)), ValueError, "betas"),
    row("Adam-betas-negative", lambda: nn.Adam(mlp(), betas=(-0.1, 0.9)), ValueError, "betas"),
    row("Adam-betas-str", lambda: nn.Adam(mlp(), betas=(0.9, "0.999")), TypeError, "betas"),
    row("Adam-betas-nan", lambda: nn.Adam(mlp(), betas=(NAN, 0.999)), ValueError, "betas"),
    row("Adam-eps-zero", lambda: nn.Adam(mlp(), eps=0.0), ValueError, "eps"),
    row("Adam-eps-negative", lambda: nn.Adam(mlp(), eps=-1e-8), ValueError, "eps"),
    row("Adam-eps-None", lambda: nn.Adam(mlp(), eps=None), TypeError, "eps"),
    row("linear_decay-start-None", lambda: nn.linear_decay(None, 0.1, 10), TypeError, "start"),
    row("linear_decay-end-str", lambda: nn.linear_decay(1.0, "0.1", 10), TypeError, "end"),
    row("linear_decay-start-nan", lambda: nn.linear_decay(NAN, 0.1, 10), ValueError, "start"),
    row("linear_decay-start-negative", lambda: nn.linear_decay(-1.0, 0.1, 10), ValueError, "start"),
    row("linear_decay-end-negative", lambda: nn.linear_decay(1.0, -0.1, 10), ValueError, "end"),
    row("linear_decay-steps-zero", lambda: nn.linear_decay(1.0, 0.1, 0), ValueError, "steps"),
    row("linear_decay-steps-str", lambda: nn.linear_decay(1.0, 0.1, "10"), TypeError, "steps"),
    row("linear_decay-steps-float", lambda: nn.linear_decay(1.0, 0.1, 10.0), TypeError, "steps"),
    row("linear_decay-steps-None", lambda: nn.linear_decay(1.0, 0.1, None), TypeError, "steps"),
    # -- datasets and batches -------------------------------------------------------------
    row("make_xor-n_samples-None", lambda: nn.data.make_xor(None), TypeError, "n_samples"),
    row("make_xor-n_samples-str", lambda: nn.data.make_xor("4"), TypeError, "n_samples"),
    row("make_xor-n_samples-float", lambda: nn.data.make_xor(4.0), TypeError, "n_samples"),
    row("make_xor-n_samples-bool", lambda: nn.data.make_xor(True), TypeError, "n_samples"),
    row("make_xor-n_samples-zero", lambda: nn.data.make_xor(0), ValueError, "n_samples"),
    row("make_xor-n_samples-negative", lambda: nn.data.make_xor(-4), ValueError, "n_samples"),
    row("make_xor-noise-negative", lambda: nn.data.make_xor(noise=-0.1), ValueError, "noise"),
    row("make_xor-noise-nan", lambda: nn.data.make_xor(noise=NAN), ValueError, "noise"),
    row("make_xor-noise-inf", lambda: nn.data.make_xor(noise=INF), ValueError, "noise"),
    row("make_xor-noise-str", lambda: nn.data.make_xor(noise="0.1"), TypeError, "noise"),
    row("make_xor-noise-None", lambda: nn.data.make_xor(noise=None), TypeError, "noise"),
    row("make_xor-noise-bool", lambda: nn.data.make_xor(noise=True), TypeError, "noise"),
    row("make_xor-seed-str", lambda: nn.data.make_xor(seed="1"), TypeError, "seed"),
    row("make_xor-seed-negative", lambda: nn.data.make_xor(seed=-1), ValueError, "seed"),
    row("make_moons-n_samples-one", lambda: nn.data.make_moons(1), ValueError, "n_samples"),
    row("make_moons-noise-None", lambda: nn.data.make_moons(noise=None), TypeError, "noise"),
    row("make_circles-factor-one", lambda: nn.data.make_circles(factor=1.0), ValueError, "factor"),
    row("make_circles-factor-zero", lambda: nn.data.make_circles(factor=0.0), ValueError, "factor"),
    row("make_circles-factor-nan", lambda: nn.data.make_circles(factor=NAN), ValueError, "factor"),
    row("make_circles-factor-str", lambda: nn.data.make_circles(factor="0.5"), TypeError, "factor"),
    row("make_spirals-classes-one", lambda: nn.data.make_spirals(classes=1), ValueError, "classes"),
    row("make_spirals-classes-str", lambda: nn.data.make_spirals(classes="3"), TypeError, "classes"),
    row("make_spirals-classes-float", lambda: nn.data.make_spirals(classes=3.0), TypeError, "classes"),
    row("make_spirals-fewer-samples-than-classes", lambda: nn.data.make_spirals(2, classes=3), ValueError, "n_samples"),
    row("make_blobs-centers-zero", lambda: nn.data.make_blobs(centers=0), ValueError, "centers"),
    row("make_blobs-centers-float", lambda: nn.data.make_blobs(centers=2.0), TypeError, "centers"),
    row("make_blobs-centers-None", lambda: nn.data.make_blobs(centers=None), TypeError, "centers"),
    row("make_blobs-std-negative", lambda: nn.data.make_blobs(std=-1.0), ValueError, "std"),
    row("make_blobs-std-nan", lambda: nn.data.make_blobs(std=NAN), ValueError, "std"),
    row("batches-empty-dataset", lambda: list(nn.data.batches(np.zeros((0, 2)), np.zeros(0))), ValueError, "empty"),
    row("batches-X-None", lambda: list(nn.data.batches(None, [0])), TypeError, r"\bX\b"),
    row("batches-X-str", lambda: list(nn.data.batches([["a", "b"]], [0])), TypeError, r"\bX\b"),
    row("batches-X-1d", lambda: list(nn.data.batches(np.zeros(3), np.zeros(3))), ValueError, r"\bX\b"),
    row("batches-lengths", lambda: list(nn.data.batches(np.zeros((3, 2)), np.zeros(2))), ValueError, r"\by\b"),
    row("batches-y-2d", lambda: list(nn.data.batches(np.zeros((3, 2)), np.zeros((3, 1)))), ValueError, r"\by\b"),
    row("batches-X-nan", lambda: list(nn.data.batches(np.array([[0.0, NAN]]), np.zeros(1))), ValueError, r"\bX\b"),
    row("batches-y-inf", lambda: list(nn.data.batches(np.zeros((1, 2)), np.array([INF]))), ValueError, r"\by\b"),
    row("batches-batch_size-zero", lambda: list(nn.data.batches(*xy(), batch_size=0)), ValueError, "batch_size"),
    row("batches-batch_size-str", lambda: list(nn.data.batches(*xy(), batch_size="2")), TypeError, "batch_size"),
    row("batches-batch_size-float", lambda: list(nn.data.batches(*xy(), batch_size=2.5)), TypeError, "batch_size"),
    row("batches-batch_size-bool", lambda: list(nn.data.batches(*xy(), batch_size=True)), TypeError, "batch_size"),
    # -- fit, predict, classify, accuracy --------------------------------------------------
    row("fit-model-None", lambda: fit(model=None), TypeError, "model"),
    row("fit-model-str", lambda: fit(model="mlp"), TypeError, "model"),
    row("fit-loss-unknown", lambda: fit(loss="xent"), ValueError, "loss"),
    row("fit-loss-None", lambda: fit(loss=None), TypeError, "loss"),
    row("fit-loss-list", lambda: fit(loss=["mse"]), TypeError, "loss"),
    row("fit-optimizer-name", lambda: fit(optimizer="adam"), TypeError, "optimizer"),
    row("fit-optimizer-class", lambda: fit(optimizer=nn.SGD), TypeError, "optimizer"),
    row("fit-epochs-zero", lambda: fit(epochs=0), ValueError, "epochs"),
    row("fit-epochs-negative", lambda: fit(epochs=-1), ValueError, "epochs"),
    row("fit-epochs-str", lambda: fit(epochs="5"), TypeError, "epochs"),
    row("fit-epochs-float", lambda: fit(epochs=2.0), TypeError, "epochs"),
    row("fit-epochs-None", lambda: fit(epochs=None), TypeError, "epochs"),
    row("fit-batch_size-zero", lambda: fit(batch_size=0), ValueError, "batch_size"),
    row("fit-l2-negative", lambda: fit(l2=-0.1), ValueError, r"\bl2\b"),
    row("fit-l2-None", lambda: fit(l2=None), TypeError, r"\bl2\b"),
    row("fit-l2-nan", lambda: fit(l2=NAN), ValueError, r"\bl2\b"),
    row("fit-callback-int", lambda: fit(callback=3), TypeError, "callback"),
    row("fit-seed-str", lambda: fit(seed="1", batch_size=2), TypeError, "seed"),
    row("fit-empty-dataset", lambda: fit(X=np.zeros((0, 2)), y=np.zeros(0, dtype=int)), ValueError, "empty"),
    row("fit-lengths", lambda: fit(y=np.array([0, 1])), ValueError, r"\by\b"),
    row("fit-X-None", lambda: fit(X=None), TypeError, r"\bX\b"),
    row("fit-wrong-width", lambda: fit(X=np.zeros((3, 3))), ValueError, "input"),
    row(
        "fit-ce-class-too-big",
        lambda: fit(model=nn.MLP(2, [2], seed=0), y=np.array([0, 1, 5]), loss="ce"),
        ValueError,
        r"^y: class index 5 is outside 0\.\.1",
    ),
    row("fit-hinge-label-two", lambda: fit(y=np.array([0, 1, 2]), loss="hinge"), ValueError, "label"),
    row("fit-bce-label-two", lambda: fit(y=np.array([0, 1, 2]), loss="bce"), ValueError, "label"),
    row("predict-model-None", lambda: nn.predict(None, [[1.0, 2.0]]), TypeError, "model"),
    row("predict-X-None", lambda: nn.predict(mlp(), None), TypeError, r"\bX\b"),
    row("predict-X-str", lambda: nn.predict(mlp(), [["a", "b"]]), TypeError, r"\bX\b"),
    row("predict-wrong-width", lambda: nn.predict(mlp(), [[1.0, 2.0, 3.0]]), ValueError, "input"),
    row("predict-empty", lambda: nn.predict(mlp(), np.zeros((0, 2))), ValueError, "empty"),
    row("predict-X-nan", lambda: nn.predict(mlp(), [[NAN, 1.0]]), ValueError, r"\bX\b"),
    row("classify-outputs-None", lambda: nn.classify(None), TypeError, "outputs"),
    row("classify-outputs-nan", lambda: nn.classify([[NAN]]), ValueError, "outputs"),
    row("classify-loss-unknown", lambda: nn.classify([[0.3]], loss="xent"), ValueError, "loss"),
    row("classify-loss-None", lambda: nn.classify([[0.3]], loss=None), TypeError, "loss"),
    row("accuracy-model-None", lambda: nn.accuracy(None, *xy()), TypeError, "model"),
    row("accuracy-loss-unknown", lambda: nn.accuracy(mlp(), *xy(), loss="xent"), ValueError, "loss"),
    row("accuracy-lengths", lambda: nn.accuracy(mlp(), xy()[0], np.array([0, 1])), ValueError, r"\by\b"),
    row("accuracy-empty", lambda: nn.accuracy(mlp(), np.zeros((0, 2)), np.zeros(0)), ValueError, "empty"),
]


@pytest.mark.parametrize(("thunk", "error", "pattern"), TABLE)
def test_bad_input_raises_documented_error_naming_the_argument(thunk, error, pattern):
    try:
        thunk()
    except Exception as raised:  # the type is checked below
        actual = raised
    else:
        pytest.fail(f"no error raised; expected {error.__name__} matching {pattern!r}")
    assert isinstance(actual, error), f"expected {error.__name__}, got {type(actual).__name__}: {actual}"
    assert re.search(pattern, str(actual)), f"{type(actual).__name__} message does not match {pattern!r}: {actual}"


def test_the_table_covers_every_public_name():
    """Every public callable of autograd and nn (and nn.data's generators) has at least one row."""
    ids = " ".join(p.id for p in TABLE)
    skip = ("no_grad", "enable_grad", "is_grad_enabled", "Graph", "Explanation")  # no arguments to get wrong
    names = [n for n in autograd.__all__ if n not in skip]
    names += [n for n in nn.__all__ if n not in ("ACTIVATIONS", "Module", "Optimizer", "data")]
    names += [
        "make_xor",
        "make_moons",
        "make_circles",
        "make_spirals",
        "make_blobs",
        "batches",
        "read_csv",
        "standardise",
        "check_scaling",
        "apply_scaling",
        "load",
        "save",
    ]
    missing = [n for n in names if not re.search(rf"(^|[\s-]){n}-", ids)]
    aliases = {
        "binary_cross_entropy": "bce-",
        "binary_cross_entropy_with_logits": "bce_logits-",
        "hinge_loss": "hinge-",
    }
    missing = [n for n in missing if not (n in aliases and aliases[n] in ids)]
    assert not missing, missing


# -- graph misuse -----------------------------------------------------------------------
def test_backward_on_a_leaf_seeds_it_and_accumulates():
    """backward() on a leaf sets d(leaf)/d(leaf) = 1; a second call adds another 1 (leaves accumulate)."""
    x = Value(3.0)
    x.backward()
    assert x.grad == 1.0
    x.backward()
    assert x.grad == 2.0
    batch = Value(np.array([1.0, -2.0]))
    batch.backward(gradient=np.array([1.0, 1.0]))  # a batch needs its seed, as in PyTorch
    assert np.array_equal(batch.grad, [1.0, 1.0])


def test_backward_twice_accumulates_on_leaves_and_recomputes_interior_nodes():
    """f = x*y + x at (2, 5): leaves get 2 * (y + 1, x) after two calls; x*y holds 1, not 2."""
    x, y = Value(2.0), Value(5.0)
    xy_ = x * y
    out = xy_ + x
    out.backward()
    out.backward()
    assert (x.grad, y.grad) == (2 * (5.0 + 1.0), 2 * 2.0)
    assert xy_.grad == 1.0 and out.grad == 1.0


def test_backward_from_a_value_made_under_no_grad():
    """A Value made under no_grad() is a leaf: backward() gives it grad 1 and leaves its inputs alone.

    Used outside no_grad, it acts as a constant: d(y * x)/dx = y.data.
    """
    x = Value(3.0)
    with autograd.no_grad():
        y = x * x + 1.0
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()
    assert y.is_leaf and y.op == "" and y.data == 10.0
    y.backward()
    assert y.grad == 1.0 and x.grad == 0.0
    z = y * x
    z.backward()
    assert x.grad == 10.0  # y is the constant 10 here
    with autograd.no_grad(), autograd.no_grad():
        pass
    assert autograd.is_grad_enabled()


def test_backward_inside_no_grad_still_differentiates_an_existing_graph():
    """no_grad() stops graphs from being recorded; backward() on a graph built before still works."""
    x = Value(1.5)
    y = x * x * x
    with autograd.no_grad():
        y.backward()
    assert x.grad == 3 * 1.5**2


def test_a_layer_used_twice_is_one_set_of_parameters():
    """Sequential(layer, layer) ties weights: each parameter is listed once (as in PyTorch),
    gets the sum of the gradients of both uses, and an optimizer step moves it once.

    y = w (w x + b) + b with w = 0.5, b = 0.25, x = 2: dy/dw = (w x + b) + w x = 2.25, dy/db = w + 1 = 1.5.
    """
    layer = nn.Layer(1, 1, "linear", seed=0)
    layer.load_state_dict({"W": [[0.5]], "b": [0.25]})
    tied = nn.Sequential(layer, layer)
    for x in ([2.0], np.array([[2.0]])):  # one example (a node per neuron) and a batch (a matrix node per layer)
        tied.zero_grad()
        out = tied(x)
        assert np.ravel(out.data)[0] == 0.5 * (0.5 * 2 + 0.25) + 0.25
        (out if out.data.__class__ is float else out.sum()).backward()
        assert (layer.W.grad[0, 0], layer.b.grad[0]) == (2.25, 1.5)
    assert [id(p) for p in tied.parameters()] == [id(layer.W), id(layer.b)]
    assert tied.num_parameters() == 2
    nn.SGD(tied, lr=0.1).step()
    assert layer.W.data[0, 0] == pytest.approx(0.5 - 0.1 * 2.25, rel=1e-15)
    assert layer.b.data[0] == pytest.approx(0.25 - 0.1 * 1.5, rel=1e-15)


def test_a_layer_used_twice_has_one_state_entry_per_parameter():
    """A Value reachable twice is named once, under its first place (``named_parameters``), so the
    state of Sequential(layer, layer) holds layers.0.W and layers.0.b only. Loading that state
    sets the shared Values; a state that also names the second place is refused with ValueError
    (the key is not a parameter of this model) and changes nothing.
    """
    layer = nn.Layer(1, 1, "linear", seed=0)
    tied = nn.Sequential(layer, layer)
    assert [(name, id(p)) for name, p in tied.named_parameters()] == [
        ("layers.0.W", id(layer.W)),
        ("layers.0.b", id(layer.b)),
    ]
    assert sorted(tied.state_dict()) == ["layers.0.W", "layers.0.b"]
    tied.load_state_dict({"layers.0.W": [[0.5]], "layers.0.b": [0.25]})
    assert (layer.W.data.tolist(), layer.b.data.tolist()) == ([[0.5]], [0.25])
    both_places = {"layers.0.W": [[0.7]], "layers.0.b": [0.1], "layers.1.W": [[0.9]], "layers.1.b": [0.3]}
    with pytest.raises(ValueError, match=r"^state has parameter 'layers\.1\.W', which this model does not have$"):
        tied.load_state_dict(both_places)
    assert (layer.W.data.tolist(), layer.b.data.tolist()) == ([[0.5]], [0.25])


def test_a_parameter_shared_by_two_models():
    """Two models holding the same Value: the gradient sums both uses; an optimizer given the
    shared Value twice refuses it with ValueError naming params (it would move it twice per step).

    Model A: a = w x, model B: b = w x + c with x = 3, w = 2: d(a + b)/dw = 2x = 6.
    """
    a = nn.Neuron(1, "linear", seed=0)
    b = nn.Neuron(1, "linear", seed=1)
    b.W = a.W  # share the weights
    a.W.data = np.array([[2.0]])
    b.b.data = np.array([0.5])
    a.b.data = np.array([0.0])
    total = a([3.0]) + b([3.0])
    total.backward()
    assert a.W.grad[0, 0] == 6.0 and b.b.grad[0] == 1.0 and a.b.grad[0] == 1.0
    with pytest.raises(ValueError, match=r"params\[2\] is params\[0\] again"):
        nn.SGD(a.parameters() + b.parameters(), lr=0.1)
    model = nn.Sequential(a, b)  # a model lists the shared Value once
    nn.SGD(model, lr=0.1).step()
    assert a.W.data[0, 0] == pytest.approx(2.0 - 0.1 * 6.0, rel=1e-15)


def test_data_changed_after_backward():
    """Changing a leaf's data does not recompute the graph: outputs keep their data, and a second
    backward() evaluates each local derivative from the data now in the graph (documented on
    Value.backward). Redoing the forward pass gives the derivative at the new point.
    """
    x = Value(2.0)
    y = x * x
    e = x.exp()
    y.backward()
    assert x.grad == 4.0
    x.data = 3.0
    assert y.data == 4.0 and e.data == math.exp(2.0)
    x.grad = 0.0
    y.backward()
    assert x.grad == 6.0  # mul's local derivatives are the inputs' data: 3 + 3
    x.grad = 0.0
    e.backward()
    assert x.grad == math.exp(2.0)  # exp's local derivative is its stored output
    x.grad = 0.0
    fresh = x * x
    fresh.backward()
    assert fresh.data == 9.0 and x.grad == 6.0


# -- model files -------------------------------------------------------------------------
def base_model():
    return nn.Sequential(nn.MLP(2, [3, 2], activation="tanh", seed=1), nn.Neuron(2, "sigmoid", seed=2))


def base_document() -> dict:
    return json.loads(json.dumps(base_model().to_json()))


def mlp_document() -> dict:
    return json.loads(json.dumps(nn.MLP(2, [3, 1], seed=0).to_json()))


def edited(edit, document=base_document):
    def make():
        doc = document()
        edit(doc)
        return json.dumps(doc)

    return make


def _set(path, value):
    def edit(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _delete(path):
    def edit(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return edit


def _replace_text(old, new, document=mlp_document):
    def make():
        text = json.dumps(document())
        assert old in text
        return text.replace(old, new, 1)

    return make


def _nested_sequential(depth):
    config = {"type": "Neuron", "nin": 1, "activation": "linear"}
    for _ in range(depth):
        config = {"type": "Sequential", "layers": [config]}
    return json.dumps({"format": "chainrule.model", "version": 1, "model": config, "state": {}})


MLP_BIAS = "layers.1.b"
FILE_VARIANTS = {
    "empty": lambda: "",
    "whitespace": lambda: "  \n ",
    "not-json": lambda: "hello",
    "python-literal": lambda: "{'format': 'chainrule.model'}",
    "null": lambda: "null",
    "list": lambda: "[]",
    "number": lambda: "3",
    "string": lambda: '"chainrule.model"',
    "trailing-garbage": lambda: json.dumps(mlp_document()) + "x",
    "two-documents": lambda: json.dumps(mlp_document()) * 2,
    "deep-arrays": lambda: "[" * 100_000 + "]" * 100_000,
    "format-other": edited(_set(["format"], "other.model")),
    "format-missing": edited(_delete(["format"])),
    "format-null": edited(_set(["format"], None)),
    "version-missing": edited(_delete(["version"])),
    "version-4": edited(_set(["version"], 4)),
    "version-0": edited(_set(["version"], 0)),
    "version-str": edited(_set(["version"], "1")),
    "version-true": edited(_set(["version"], True)),
    "version-1.5": edited(_set(["version"], 1.5)),
    "extra-top-key": edited(_set(["comment"], "hi")),
    "model-missing": edited(_delete(["model"])),
    "model-null": edited(_set(["model"], None)),
    "model-list": edited(_set(["model"], [])),
    "type-unknown": edited(_set(["model", "type"], "Conv2d")),
    "type-Module": edited(_set(["model", "type"], "Module")),
    "type-callable-name": edited(_set(["model", "type"], "os.system")),
    "type-list": edited(_set(["model", "type"], ["MLP"])),
    "type-dict": edited(_set(["model", "type"], {"MLP": 1})),
    "type-number": edited(_set(["model", "type"], 3)),
    "model-extra-key": edited(_set(["model", "extra"], 1), mlp_document),
    "model-missing-key": edited(_delete(["model", "activation"]), mlp_document),
    "nin-str": edited(_set(["model", "nin"], "2"), mlp_document),
    "nin-float": edited(_set(["model", "nin"], 2.0), mlp_document),
    "nin-bool": edited(_set(["model", "nin"], True), mlp_document),
    "nin-zero": edited(_set(["model", "nin"], 0), mlp_document),
    "nin-negative": edited(_set(["model", "nin"], -2), mlp_document),
    "nin-1e400": _replace_text('"nin": 2', '"nin": 1e400'),
    "nin-huge": edited(_set(["model", "nin"], 10**9), mlp_document),
    "nin-list": edited(_set(["model", "nin"], [2]), mlp_document),
    "nouts-str": edited(_set(["model", "nouts"], "3"), mlp_document),
    "nouts-empty": edited(_set(["model", "nouts"], []), mlp_document),
    "nouts-zero": edited(_set(["model", "nouts"], [3, 0]), mlp_document),
    "nouts-null-item": edited(_set(["model", "nouts"], [3, None]), mlp_document),
    "nouts-float-item": edited(_set(["model", "nouts"], [3.0, 1]), mlp_document),
    "nouts-huge": edited(_set(["model", "nouts"], [100_000, 100_000]), mlp_document),
    "nouts-too-many": edited(_set(["model", "nouts"], [1] * 20_000), mlp_document),
    "nouts-dict": edited(_set(["model", "nouts"], {"a": 3}), mlp_document),
    "activation-unknown": edited(_set(["model", "activation"], "swish"), mlp_document),
    "activation-number": edited(_set(["model", "activation"], 5), mlp_document),
    "activation-list": edited(_set(["model", "activation"], ["relu"]), mlp_document),
    "activation-null": edited(_set(["model", "activation"], None), mlp_document),
    "output_activation-dict": edited(_set(["model", "output_activation"], {"a": 1}), mlp_document),
    "sequential-layers-not-list": edited(_set(["model", "layers"], {"0": 1})),
    "sequential-layers-empty": edited(_set(["model", "layers"], [])),
    "sequential-layer-null": edited(_set(["model", "layers", 1], None)),
    "nested-too-deep": lambda: _nested_sequential(40),
    "state-missing": edited(_delete(["state"])),
    "state-null": edited(_set(["state"], None)),
    "state-list": edited(_set(["state"], [1.0, 2.0])),
    "state-missing-key": edited(_delete(["state", MLP_BIAS]), mlp_document),
    "state-extra-key": edited(_set(["state", "layers.9.b"], [0.0]), mlp_document),
    "state-value-str": edited(_set(["state", MLP_BIAS], ["0.5"]), mlp_document),
    "state-value-null": edited(_set(["state", MLP_BIAS], None), mlp_document),
    "state-value-bool": edited(_set(["state", MLP_BIAS], [True]), mlp_document),
    "state-value-number": edited(_set(["state", MLP_BIAS], 0.5), mlp_document),
    "state-value-too-long": edited(_set(["state", MLP_BIAS], [0.5, 0.5]), mlp_document),
    "state-value-ragged": edited(_set(["state", "layers.1.W"], [[0.5, 0.5], [0.5]]), mlp_document),
    "state-value-nested": edited(_set(["state", MLP_BIAS], [[0.5]]), mlp_document),
    "state-value-dict": edited(_set(["state", MLP_BIAS], [{"v": 0.5}]), mlp_document),
    "state-value-bare-dict": edited(_set(["state", MLP_BIAS], {"v": 0.5}), mlp_document),
    "state-value-NaN": _replace_text(f'"{MLP_BIAS}": [0.0]', f'"{MLP_BIAS}": [NaN]'),
    "state-value-Infinity": _replace_text(f'"{MLP_BIAS}": [0.0]', f'"{MLP_BIAS}": [Infinity]'),
    "state-value-minus-Infinity": _replace_text(f'"{MLP_BIAS}": [0.0]', f'"{MLP_BIAS}": [-Infinity]'),
    "state-value-1e400": _replace_text(f'"{MLP_BIAS}": [0.0]', f'"{MLP_BIAS}": [1e400]'),
    "state-value-minus-1e400": _replace_text(f'"{MLP_BIAS}": [0.0]', f'"{MLP_BIAS}": [-1e400]'),
    "state-for-other-sizes": lambda: json.dumps(
        {**mlp_document(), "model": {**mlp_document()["model"], "nouts": [4, 1]}}
    ),
    "state-for-other-nin": lambda: json.dumps({**mlp_document(), "model": {**mlp_document()["model"], "nin": 3}}),
    "training-loss-number": lambda: _with_training(loss=5),
    "training-loss-unknown": lambda: _with_training(loss="l1"),
    "training-classes-dict": lambda: _with_training(classes={"0": "a", "1": "b"}),
    "training-classes-three-for-hinge": lambda: _with_training(classes=["a", "b", "c"]),
    "training-classes-numbers": lambda: _with_training(classes=[0, 1]),
    "training-features-one-for-two-inputs": lambda: _with_training(features=["x1"]),
    "training-label-list": lambda: _with_training(label=["y"]),
    "training-unknown-key": lambda: _with_training(epochs=3),
    "stages-20000-large": lambda: _stages([BIG_LAYER] * 20_000),
    "stages-large-after-10000-small": lambda: _stages([SMALL_NEURON] * 10_000 + [BIG_LAYER] * 11),
    "stages-large-nested-after-10000-small": lambda: _stages(
        [SMALL_NEURON] * 10_000
        + [{"type": "Sequential", "layers": [SMALL_NEURON, {"type": "Sequential", "layers": [BIG_LAYER] * 11}]}]
    ),
    "stages-large-mlp-after-10000-small": lambda: _stages(
        [SMALL_NEURON] * 10_000
        + [{"type": "MLP", "nin": 1000, "nouts": [1000] * 11, "activation": "relu", "output_activation": "linear"}]
    ),
    "scaling-too-short": lambda: _with_scaling({"mean": [0.0], "scale": [1.0, 1.0]}),
    "scaling-too-long": lambda: _with_scaling({"mean": [0.0, 0.0, 0.0], "scale": [1.0, 1.0]}),
    "scaling-str": lambda: _with_scaling({"mean": [0.0, "1"], "scale": [1.0, 1.0]}),
    "scaling-nested": lambda: _with_scaling({"mean": [0.0, [1.0]], "scale": [1.0, 1.0]}),
    "scaling-null": lambda: _with_scaling(None),
    "scaling-scale-null": lambda: _with_scaling({"mean": [0.0, 0.0], "scale": None}),
    "scaling-scale-zero": lambda: _with_scaling({"mean": [0.0, 0.0], "scale": [1.0, 0.0]}),
    "scaling-scale-negative": lambda: _with_scaling({"mean": [0.0, 0.0], "scale": [-1.0, 1.0]}),
    "scaling-scale-1e400": lambda: _with_scaling({"mean": [0.0, 0.0], "scale": [1.0, 1.0]}).replace("1.0]", "1e400]"),
}


BIG_LAYER = {"type": "Layer", "nin": 1000, "nout": 1000, "activation": "linear"}  # a million weights
SMALL_NEURON = {"type": "Neuron", "nin": 1, "activation": "linear"}


def _stages(stages: list) -> str:
    """A small file describing a Sequential of these stages (the state is never reached)."""
    return json.dumps(
        {"format": "chainrule.model", "version": 2, "model": {"type": "Sequential", "layers": stages}, "state": {}}
    )


def _with_scaling(standardise) -> str:
    """The MLP document as ``chainrule train --data`` writes it, with this input scaling."""
    return _with_training(standardise=standardise)


def _with_training(**changes) -> str:
    """The MLP document as ``chainrule train --data`` writes it, with these fields of "training" changed."""
    document = {**mlp_document(), "version": 3}
    training = {"loss": "hinge", "classes": ["a", "b"], "features": ["x1", "x2"], "label": "y", "source": "my.csv"}
    document["training"] = {**training, **changes}
    return json.dumps(document)


# The check a variant is meant to reach, where an earlier check could also refuse the file.
FILE_MESSAGES = {
    "training-loss-number": r"model\.json: training\.loss must be one of hinge, bce, mse, ce, got 5",
    "training-loss-unknown": r"model\.json: training\.loss must be one of .*, got 'l1'",
    "training-classes-dict": r"model\.json: training\.classes must be a list of names",
    "training-classes-three-for-hinge": r"model\.json: training\.classes has 3 names, the model needs 2",
    "training-classes-numbers": r"model\.json: training\.classes must be a list of names \(strings\)",
    "training-features-one-for-two-inputs": r"model\.json: training\.features has 1 name, the model needs 2",
    "training-label-list": r"model\.json: training\.label must be a string",
    "training-unknown-key": r"model\.json: training has unexpected key 'epochs'",
    # A dict where a number belongs: the bias is a list of the right shape, so only the
    # check on each entry can refuse it.
    "state-value-dict": r"^state\['layers\.1\.b'\] must hold numbers, got dict ",
    # A dict where the list belongs: refused before its entries are looked at.
    "state-value-bare-dict": r"^state\['layers\.1\.b'\] must be a list of numbers of shape \(1,\), got dict$",
    # Every stage counts, however many come before it: refused before any layer is built.
    **{
        name: r"model\.json: the model description asks for at least 1[01],0\d\d,\d{3} weights and biases; the limit is 10,000,000$"
        for name in (
            "stages-20000-large",
            "stages-large-after-10000-small",
            "stages-large-nested-after-10000-small",
            "stages-large-mlp-after-10000-small",
        )
    },
    # The model and state are sound; only the saved input scaling is wrong, and the message names its field.
    "scaling-too-short": r"model\.json: training\.standardise\.mean must be a list of 2 number\(s\), one per input",
    "scaling-too-long": r"model\.json: training\.standardise\.mean must be a list of 2 number\(s\)",
    "scaling-str": r"model\.json: training\.standardise\.mean\[1\] must be a finite number, got '1'",
    "scaling-nested": r"model\.json: training\.standardise\.mean\[1\] must be a finite number, got \[1\.0\]",
    "scaling-null": r"model\.json: training\.standardise must be an object",
    "scaling-scale-null": r"model\.json: training\.standardise\.scale must be a list of 2 number\(s\)",
    "scaling-scale-zero": r"model\.json: training\.standardise\.scale\[1\] must be a finite number > 0, got 0\.0",
    "scaling-scale-negative": r"model\.json: training\.standardise\.scale\[0\] must be a finite number > 0",
    "scaling-scale-1e400": r"model\.json: training\.standardise\.scale\[1\] must be a finite number > 0, got inf",
}


@pytest.mark.parametrize("variant", sorted(FILE_VARIANTS))
def test_bad_model_file_raises_value_error(tmp_path, variant):
    path = tmp_path / "model.json"
    path.write_text(FILE_VARIANTS[variant]())
    with pytest.raises(ValueError, match=FILE_MESSAGES.get(variant)):
        nn.Module.load(path)


def test_an_oversized_model_file_is_refused_before_any_stage_is_built(tmp_path):
    """20,000 stages of a million weights each, hidden after 10,000 small ones: the file is 2 MB,
    the model would be 160 GB. It is refused having allocated little more than the parsed JSON."""
    path = tmp_path / "model.json"
    path.write_text(_stages([SMALL_NEURON] * 10_000 + [BIG_LAYER] * 20_000))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"asks for at least 10,0\d\d,\d{3} weights and biases; the limit"):
            nn.Module.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20  # one Layer(1000, 1000) alone would hold 8 MB of weights and its labels far more


def test_file_messages_name_existing_variants():
    assert set(FILE_MESSAGES) <= set(FILE_VARIANTS)


def test_every_truncation_of_a_model_file_raises_value_error(tmp_path):
    text = json.dumps(base_model().to_json(), indent=1)
    path = tmp_path / "model.json"
    for cut in range(len(text)):
        path.write_text(text[:cut])
        with pytest.raises(ValueError):
            nn.Module.load(path)
    path.write_text(text)
    assert nn.Module.load(path).state_dict() == base_model().state_dict()


@pytest.mark.parametrize(
    ("cls", "document"),
    [(nn.MLP, base_document), (nn.Layer, mlp_document), (nn.Neuron, mlp_document)],
    ids=["MLP-from-Sequential", "Layer-from-MLP", "Neuron-from-MLP"],
)
def test_loading_through_a_subclass_checks_the_kind(tmp_path, cls, document):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document()))
    with pytest.raises(ValueError):
        cls.load(path)


class _Payload:
    """Unpickling this would create the marker file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_loading_never_executes_code(tmp_path, monkeypatch):
    """Payloads that would run code if evaluated or unpickled raise ValueError and run nothing;
    a good file loads without eval or pickle."""
    import builtins

    good = tmp_path / "good.json"
    good.write_text(json.dumps(base_document()))
    nn.Module.load(good)  # first load outside the patch, so lazy imports are done
    calls = []

    def forbidden(name):
        def record(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"model loading called {name}")

        return record

    for module, name in ((builtins, "eval"), (pickle, "loads"), (pickle, "load")):
        monkeypatch.setattr(module, name, forbidden(name))
    assert nn.Module.load(good).state_dict() == base_model().state_dict()
    marker = tmp_path / "executed"
    payloads = [
        pickle.dumps(_Payload(str(marker))),
        f"__import__('pathlib').Path({str(marker)!r}).touch()".encode(),
        b"!!python/object/apply:os.system ['touch " + str(marker).encode() + b"']",
        json.dumps({**mlp_document(), "model": {"type": "__import__", "name": "os"}}).encode(),
    ]
    for i, payload in enumerate(payloads):
        path = tmp_path / f"model{i}.json"
        path.write_bytes(payload)
        with pytest.raises(ValueError):
            nn.Module.load(path)
        assert not marker.exists(), i
    assert calls == []


# -- fuzzing -----------------------------------------------------------------------------
FUZZ_SETTINGS = settings(
    max_examples=max(50, EXAMPLES // 10), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from(["", "MLP", "Layer", "Neuron", "Sequential", "relu", "linear", "chainrule.model"]),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


def _check_load(text, tmp_path):
    """Loading either raises ValueError or returns exactly the model the document describes."""
    path = tmp_path / "fuzz.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    try:
        model = nn.Module.load(path)
    except ValueError:
        return
    document = json.loads(text)
    assert type(document["version"]) is int
    assert model.config() == document["model"]
    state = model.state_dict()
    assert state.keys() == document["state"].keys()
    for name, value in document["state"].items():
        assert np.array_equal(np.array(state[name]), np.array(value, dtype=float))
        assert all(type(v) in (int, float) for v in np.ravel(np.array(value, dtype=object)))


@FUZZ_SETTINGS
@given(data=st.data())
def test_fuzzed_model_documents_load_exactly_or_raise_value_error(tmp_path, data):
    document = data.draw(st.sampled_from([base_document, mlp_document]))()
    path = data.draw(st.sampled_from(list(_paths(document))))
    replacement = data.draw(json_values)
    if path:
        _set(list(path), replacement)(document)
    else:
        document = replacement
    _check_load(json.dumps(document), tmp_path)


@FUZZ_SETTINGS
@given(data=st.data())
def test_fuzzed_model_bytes_load_exactly_or_raise_value_error(tmp_path, data):
    text = bytearray(json.dumps(mlp_document()).encode())
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(text) - 1))
        action = data.draw(st.sampled_from(["delete", "insert", "replace"]))
        byte = data.draw(st.sampled_from(list(b'{}[]",:0123456789.-eE tnfNIa\x00\xff')))
        if action == "delete":
            del text[position]
        elif action == "insert":
            text.insert(position, byte)
        else:
            text[position] = byte
    _check_load(bytes(text), tmp_path)


# -- load_state_dict: all or nothing ------------------------------------------------------------
def _snapshot(model):
    return [(name, id(p), p.data, p.grad) for name, p in model.named_parameters()]


LAST = "layers.1.b"  # the last parameter in order: a one-by-one copy would have changed all others
STATE_VARIANTS = {
    "None": lambda s: None,
    "list": lambda s: list(s.values()),
    "missing-last": lambda s: {k: v for k, v in s.items() if k != LAST},
    "extra": lambda s: {**s, "layers.2.b": [1.0]},
    "last-nan": lambda s: {**s, LAST: [NAN]},
    "last-inf": lambda s: {**s, LAST: [-INF]},
    "last-str": lambda s: {**s, LAST: ["1.0"]},
    "last-None": lambda s: {**s, LAST: None},
    "last-bool": lambda s: {**s, LAST: [False]},
    "last-number": lambda s: {**s, LAST: 1.0},
    "last-too-long": lambda s: {**s, LAST: [1.0, 2.0]},
    "last-int-beyond-float": lambda s: {**s, LAST: [10**400]},
    "first-nan": lambda s: {**s, "layers.0.W": [[NAN, 0.0]] * 3},
    "other-sizes": lambda s: nn.MLP(2, [4, 1], seed=9).state_dict(),
    "renamed": lambda s: {"x" + k: v for k, v in s.items()},
}


@pytest.mark.parametrize("variant", sorted(STATE_VARIANTS))
def test_failed_load_state_dict_changes_nothing(variant):
    model = nn.MLP(2, [3, 1], seed=0)
    model([1.0, -1.0]).backward()
    before = _snapshot(model)
    good = {k: (np.array(v) + 1.0).tolist() for k, v in model.state_dict().items()}
    with pytest.raises(ValueError):
        model.load_state_dict(STATE_VARIANTS[variant](good))
    assert _snapshot(model) == before
