"""chainrule's autograd: a reverse-mode (and forward-mode) automatic-differentiation engine.

Build expressions from :class:`Value` objects, call ``backward()`` on the result, and
read ``grad`` on every input. ``rules.py`` is the derivative table; ``grad``,
``jacobian``, ``hessian``, ``jvp`` and friends differentiate whole functions; ``draw``,
``Stepper``, ``trace`` and ``explain`` show the work.
"""

from .engine import (
    Value,
    affine,
    concatenate,
    constant,
    enable_grad,
    functions,
    gradients,
    is_grad_enabled,
    maximum,
    minimum,
    neuron,
    no_grad,
    stack,
    sum,
    tangents,
    topological_order,
)
from .explain import Explanation, explain
from .functional import grad, gradcheck, hessian, jacfwd, jacobian, jvp, numerical_grad, value_and_grad, vjp
from .rules import Op
from .stepper import Stepper, trace
from .viz import Graph, draw

# exp, log, sqrt, sin, ...: a Value for a Value, a number for a number, an array for an array.
exp = functions["exp"]
expm1 = functions["expm1"]
log = functions["log"]
log1p = functions["log1p"]
log2 = functions["log2"]
log10 = functions["log10"]
sqrt = functions["sqrt"]
sin = functions["sin"]
cos = functions["cos"]
tan = functions["tan"]
arcsin = functions["arcsin"]
arccos = functions["arccos"]
arctan = functions["arctan"]
sinh = functions["sinh"]
cosh = functions["cosh"]
tanh = functions["tanh"]
sigmoid = functions["sigmoid"]
softplus = functions["softplus"]
relu = functions["relu"]
leaky_relu = functions["leaky_relu"]
step = functions["step"]
del functions

__all__ = [
    "Explanation",
    "Graph",
    "Op",
    "Stepper",
    "Value",
    "affine",
    "arccos",
    "arcsin",
    "arctan",
    "concatenate",
    "constant",
    "cos",
    "cosh",
    "draw",
    "enable_grad",
    "exp",
    "explain",
    "expm1",
    "grad",
    "gradcheck",
    "gradients",
    "hessian",
    "is_grad_enabled",
    "jacfwd",
    "jacobian",
    "jvp",
    "leaky_relu",
    "log",
    "log10",
    "log1p",
    "log2",
    "maximum",
    "minimum",
    "neuron",
    "no_grad",
    "numerical_grad",
    "relu",
    "sigmoid",
    "sin",
    "sinh",
    "softplus",
    "sqrt",
    "stack",
    "step",
    "sum",
    "tan",
    "tangents",
    "tanh",
    "topological_order",
    "trace",
    "value_and_grad",
    "vjp",
]
