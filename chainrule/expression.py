"""A safe reader for arithmetic expressions such as ``tanh(x1*w1 + x2*w2 + b)``.

The text is parsed with Python's ``ast`` module and checked against an allowlist:
numbers, names, ``+ - * / **``, unary minus and plus, and calls of the engine's
functions. Anything else (attributes, subscripts, lambdas, comprehensions,
strings, keywords, dunder names, ...) is refused with ``ExpressionError``. Nothing
reaches ``eval`` or ``exec``: the tree is walked here and turned into Values; numbers stay numbers.
"""

from __future__ import annotations

import ast
import math
import re
import warnings

import autograd
from autograd import Value

MAX_LENGTH = 2000
MAX_NODES = 500
MAX_DEPTH = 60

FUNCTIONS = {
    "exp": (1, Value.exp),
    "log": (1, Value.log),
    "sqrt": (1, Value.sqrt),
    "sin": (1, Value.sin),
    "cos": (1, Value.cos),
    "tanh": (1, Value.tanh),
    "sigmoid": (1, Value.sigmoid),
    "softplus": (1, Value.softplus),
    "relu": (1, Value.relu),
    "leaky_relu": (1, Value.leaky_relu),
    "step": (1, Value.step),
    "abs": (1, abs),
    "max": (2, autograd.maximum),
    "min": (2, autograd.minimum),
    "sum": (None, lambda *args: autograd.sum(args)),
}
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ExpressionError(ValueError):
    """The expression or a NAME=VALUE assignment is not acceptable; the message says why."""


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ExpressionError(f"{name!r} is not a valid name: use letters, digits and _, starting with a letter")
    if "__" in name:
        raise ExpressionError(f"names with a double underscore are not allowed: {name!r}")
    if name in FUNCTIONS:
        raise ExpressionError(f"{name!r} is a function name; choose another name for the input")
    return name


def parse_assignments(pairs: list[str]) -> dict[str, float]:
    """``["x=2", "w=-3"]`` -> ``{"x": 2.0, "w": -3.0}``."""
    values: dict[str, float] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep:
            raise ExpressionError(f"expected NAME=VALUE, got {pair!r}")
        name = check_name(name.strip())
        try:
            value = float(text)
        except ValueError:
            raise ExpressionError(f"the value of {name} must be a number, got {text!r}") from None
        if not math.isfinite(value):
            raise ExpressionError(f"the value of {name} must be finite, got {text!r}")
        if name in values:
            raise ExpressionError(f"{name} is given twice")
        values[name] = value
    return values


def parse(text: str) -> ast.Expression:
    """Parse and check ``text``; raise ExpressionError for anything outside the allowlist."""
    if not isinstance(text, str):
        raise ExpressionError(f"the expression must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    if not text.strip():
        raise ExpressionError("the expression is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "invalid decimal literal": the error below says enough
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"cannot parse the expression: {error.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("cannot parse the expression: it is nested too deeply or malformed") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExpressionError(f"the expression has {count} parts; the limit is {MAX_NODES}")
    _check(tree.body, 0)
    return tree


def _check(node: ast.AST, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ExpressionError(f"the expression is nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(
                f"only numbers are allowed as constants, not {type(node.value).__name__} {node.value!r:.40}"
            )
    elif isinstance(node, ast.Name):
        if "__" in node.id:
            raise ExpressionError(f"names with a double underscore are not allowed: {node.id!r}")
    elif isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.BitXor):
            raise ExpressionError("^ is not a power here (in Python it is bitwise xor); write x**2 for x squared")
        if type(node.op) not in _OPERATORS:
            symbol = _SYMBOLS.get(type(node.op).__name__, type(node.op).__name__)
            raise ExpressionError(f"the operator {symbol} is not available; use + - * / **")
        _check(node.left, depth + 1)
        _check(node.right, depth + 1)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            symbol = _SYMBOLS.get(type(node.op).__name__, type(node.op).__name__)
            raise ExpressionError(f"the operator {symbol} is not available; only - and + may stand before a value")
        _check(node.operand, depth + 1)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(
                f"only a function name can be called, as in tanh(x); the functions are: {', '.join(FUNCTIONS)}"
            )
        if node.func.id not in FUNCTIONS:
            raise ExpressionError(f"there is no function {node.func.id!r}; the functions are: {', '.join(FUNCTIONS)}")
        if node.keywords:
            raise ExpressionError(f"keyword arguments are not allowed in {node.func.id}(...)")
        arity = FUNCTIONS[node.func.id][0]
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError("starred arguments are not allowed")
        if (arity is not None and len(node.args) != arity) or not node.args:
            expected = f"{arity} argument(s)" if arity is not None else "at least one argument"
            raise ExpressionError(f"{node.func.id} takes {expected}, got {len(node.args)}")
        for arg in node.args:
            _check(arg, depth + 1)
    else:
        raise ExpressionError(
            f"the expression cannot contain {_describe(node)}; use numbers, names, + - * / ** and the functions "
            f"{', '.join(FUNCTIONS)}"
        )


_SYMBOLS = {
    "Mod": "%",
    "FloorDiv": "//",
    "MatMult": "@",
    "LShift": "<<",
    "RShift": ">>",
    "BitOr": "|",
    "BitAnd": "&",
    "Invert": "~",
    "Not": "not",
}


def _describe(node: ast.AST) -> str:
    names = {
        "Attribute": "an attribute (a.b)",
        "Subscript": "indexing (a[i])",
        "Lambda": "a lambda",
        "List": "a list [...]",
        "Tuple": "a tuple (a, b)",
        "Set": "a set {...}",
        "Dict": "a dict {...}",
        "ListComp": "a comprehension",
        "GeneratorExp": "a comprehension",
        "SetComp": "a comprehension",
        "DictComp": "a comprehension",
        "Compare": "a comparison (<, ==, ...)",
        "BoolOp": "and / or",
        "JoinedStr": "a string",
        "IfExp": "a conditional (a if c else b)",
        "NamedExpr": "an assignment (:=)",
        "Starred": "a starred value (*a)",
        "Await": "await",
        "Yield": "yield",
    }
    return names.get(type(node).__name__, f"this kind of expression ({type(node).__name__})")


def names_in(tree: ast.Expression) -> list[str]:
    """Input names in the order they first appear in the text (function names excluded)."""
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and not _is_called(tree, n)]
    seen: list[str] = []
    for node in sorted(names, key=lambda n: (n.lineno, n.col_offset)):
        if node.id not in seen:
            seen.append(node.id)
    return seen


def _is_called(tree: ast.AST, name: ast.Name) -> bool:
    return any(isinstance(n, ast.Call) and n.func is name for n in ast.walk(tree))


def evaluate(tree: ast.Expression, inputs: dict[str, Value]) -> Value:
    """Build the Value graph for a checked tree; undefined names raise ExpressionError.

    Numbers stay numbers: a part of the expression with no input in it (``2``, ``-1``,
    ``2*3``, ``exp(1)``) is worked out as a plain float and meets the Values as a
    constant, as in Python code: ``x**-1`` has the fixed exponent -1.0, and the 2 in
    ``2*x`` is a constant that needs no gradient. An expression with no input at all
    is refused: there is nothing to differentiate.
    """
    try:
        result = _evaluate(tree.body, inputs)
    except ExpressionError:
        raise
    except OverflowError as error:
        raise ExpressionError(f"the value is too large for a float: {error}") from None
    except (ValueError, ZeroDivisionError, TypeError) as error:
        raise ExpressionError(str(error)) from None
    if not isinstance(result, Value):
        raise ExpressionError(
            f"the expression has no input, so there is nothing to differentiate (its value is {result:.17g}); "
            "write it with a name, as in 2*x, and give the name a value, e.g. x=3"
        )
    return result


def _evaluate(node: ast.AST, inputs: dict[str, Value]) -> Value | float:
    """A Value if an input takes part in ``node``, else the plain float it stands for."""
    if isinstance(node, ast.Constant):
        return _number(node.value)
    if isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise ExpressionError(f"{node.id} is a function; call it on a value, as in {node.id}(x)")
        if node.id not in inputs:
            raise ExpressionError(f"undefined name {node.id!r}; give it a value, e.g. {node.id}=1.0")
        return inputs[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, inputs)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left = _evaluate(node.left, inputs)
        right = _evaluate(node.right, inputs)
        symbol = _OPERATORS[type(node.op)]
        if isinstance(left, Value) or isinstance(right, Value):
            return _ARITHMETIC[symbol](left, right)  # the engine's own operators; a number becomes a constant
        return _constant_arithmetic(symbol, left, right)
    assert isinstance(node, ast.Call)
    function = FUNCTIONS[node.func.id][1]
    args = [_evaluate(arg, inputs) for arg in node.args]
    if any(isinstance(a, Value) for a in args):
        return function(*args)
    # A function of numbers only is a number too, computed by the same rule (and its domain checks).
    return function(*[autograd.constant(a) for a in args]).data


_ARITHMETIC = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "/": lambda x, y: x / y,
    "**": lambda x, y: x**y,
}


def _number(literal: int | float) -> float:
    try:
        value = float(literal)
    except OverflowError:
        raise ExpressionError(f"the number {str(literal)[:20]}... is too large for a float") from None
    if not math.isfinite(value):  # Python reads 1e400 as inf
        raise ExpressionError("a number in the expression is too large for a float (the largest is about 1.8e308)")
    return value


def _constant_arithmetic(symbol: str, x: float, y: float) -> float:
    """``x <symbol> y`` as Python computes it on floats, refused where Python's answer is not a finite real number."""
    shown = " ".join((f"{x:g}" if x >= 0 else f"({x:g})", symbol, f"{y:g}" if y >= 0 else f"({y:g})"))
    if symbol == "/" and y == 0.0:
        raise ExpressionError(f"/: division by zero in {shown}; keep the divisor away from 0")
    if symbol == "**" and x == 0.0 and y < 0.0:
        raise ExpressionError(f"**: 0 to the negative power {y:g} is undefined (in {shown})")
    try:
        result = _ARITHMETIC[symbol](x, y)
    except OverflowError:
        raise ExpressionError(f"{symbol}: {shown} is too large for a float") from None
    if isinstance(result, complex):  # Python's (-8.0) ** (1/3) is a complex number
        raise ExpressionError(f"**: a negative number to the non-integer power {y:g} is not real (in {shown})")
    if not math.isfinite(result):
        raise ExpressionError(f"{symbol}: {shown} is too large for a float")
    return result
