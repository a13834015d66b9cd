"""chainrule's autograd: a reverse-mode (and forward-mode) automatic-differentiation engine.

Build expressions from :class:`Value` objects, call ``backward()`` on the result, and
read ``grad`` on every input. ``rules.py`` is the derivative table; ``grad``,
``jacobian``, ``hessian``, ``jvp`` and friends differentiate whole functions; ``draw``,
``Stepper``, ``trace`` and ``explain`` (the ``show`` package) show the work.
"""

from . import arrays as arrays  # the tables, for reading: rules (elementwise), arrays, fused
from . import fused as fused
from . import rules as rules
from .forward import jacfwd, jvp, tangents
from .functional import grad, gradients, hessian, jacobian, value_and_grad, vjp
from .functions import affine, concatenate, elementwise, maximum, minimum, neuron, stack, sum
from .gradcheck import gradcheck, numerical_grad
from .op import Domain, Linear, Op
from .order import topological_order
from .recording import enable_grad, is_grad_enabled, no_grad
from .show import Explanation, Graph, Stepper, draw, explain, trace
from .value import Value, constant

# exp, log, sqrt, sin, ...: a Value for a Value, a number for a number, an array for an array.
exp = elementwise["exp"]
expm1 = elementwise["expm1"]
log = elementwise["log"]
log1p = elementwise["log1p"]
log2 = elementwise["log2"]
log10 = elementwise["log10"]
sqrt = elementwise["sqrt"]
sin = elementwise["sin"]
cos = elementwise["cos"]
tan = elementwise["tan"]
arcsin = elementwise["arcsin"]
arccos = elementwise["arccos"]
arctan = elementwise["arctan"]
sinh = elementwise["sinh"]
cosh = elementwise["cosh"]
tanh = elementwise["tanh"]
sech2 = elementwise["sech2"]
sigmoid = elementwise["sigmoid"]
softplus = elementwise["softplus"]
relu = elementwise["relu"]
leaky_relu = elementwise["leaky_relu"]
step = elementwise["step"]
del elementwise

__all__ = [
    "Explanation",
    "Domain",
    "Graph",
    "Linear",
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
    "sech2",
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
