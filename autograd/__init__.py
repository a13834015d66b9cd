"""chainrule's autograd: a scalar reverse-mode automatic-differentiation engine.

Build expressions from :class:`Value` objects, call ``backward()`` on the result,
and read ``grad`` on every input. See ``rules.py`` for the derivative table.
"""

from .engine import Value, gradients, is_grad_enabled, maximum, minimum, no_grad, sum, topological_order
from .explain import Explanation, explain
from .functional import grad, gradcheck, numerical_grad, value_and_grad
from .rules import Op
from .stepper import Stepper, trace
from .viz import Graph, draw

__all__ = [
    "Explanation",
    "Graph",
    "Op",
    "Stepper",
    "Value",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "maximum",
    "minimum",
    "no_grad",
    "numerical_grad",
    "sum",
    "topological_order",
    "trace",
    "draw",
    "explain",
    "gradients",
    "value_and_grad",
]
