"""How numbers, names and formulas are written in a drawing, a caption or a page's title.

Numbers get four significant digits (an array its first entries) and the minus sign −
(U+2212, the glyph of the formulas' x − y), every node a unique name (its label, else
n1, n2, ...), every op its short symbol for a box, and a formula only the parentheses it
needs. ``text_width`` measures text before anything is drawn, so a box can be made wide
enough for the widest text it will ever show.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from ..op import Linear
from ..value import Value
from .view import is_entry, shown_parents

# Text: Verdana, or DejaVu Sans (same widths) where Verdana is missing. Box widths are
# reserved with these fonts' advance widths, which are wider than Arial or Helvetica, so
# text fits whichever of them the viewer has.
FONT_FAMILY = "Verdana, 'DejaVu Sans', 'Bitstream Vera Sans', sans-serif"
FONT_SIZE = 12.0  # CSS px at 100 % zoom: readable on a projector
SMALL_SIZE = 11.0  # the keys "data" and "grad", the op: still 11 px or more on a 1,280 px screen

_NARROW = dict.fromkeys("ijl.,:;|!'", 0.3) | dict.fromkeys("frt()[] ", 0.4)
_WIDE = dict.fromkeys("mwMW%@…", 1.0) | dict.fromkeys("+=<>#^~−×←→", 0.84)


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Width in px of ``text`` in DejaVu Sans / Verdana (an upper bound for Arial and Helvetica)."""
    em = sum(_NARROW.get(c, _WIDE.get(c, 0.64)) for c in text)
    return em * size * (1.1 if bold else 1.0)


# -- numbers ----------------------------------------------------------------------------------
MINUS = "\u2212"  # −: one glyph for every minus sign shown, numbers included


def _digits(x: float, digits: int) -> str:
    return f"{x + 0.0:.{digits}g}".replace("-", MINUS)  # + 0.0 turns -0.0 into 0.0


def format_number(x, digits: int = 4) -> str:
    """4 significant digits for a float (or ``digits``); the first few samples and the count for a batch."""
    if x is None:
        return "?"
    if isinstance(x, Value):  # a gradient kept as a Value (create_graph): show its number
        x = x.data
    if isinstance(x, float):
        return _digits(x, digits)
    if isinstance(x, Linear):  # the local derivative of a matrix op: a map, applied as its rule says
        return "a linear map"
    array = np.asarray(x, dtype=float)
    shown = ", ".join(_digits(v, 3) for v in array.ravel()[:3])
    more = ", …" if array.size > 3 else ""
    if array.ndim == 1:
        return f"[{shown}{more}] ({array.size})"
    return f"{array.shape} [{shown}{more}]"


def box_text(x) -> str:
    """What a box shows for a number or gradient: the number, or an array's first entries (its shape is in the header)."""
    if isinstance(x, Value):
        x = x.data
    if x is None:
        return "—"  # a constant's gradient, or one not kept: there is none to show
    if isinstance(x, (float, str)):
        return format_number(x) if not isinstance(x, str) else x
    array = np.asarray(x, dtype=float)
    shown = ", ".join(_digits(v, 3) for v in array.ravel()[:3])
    return f"[{shown}{', …' if array.size > 3 else ''}]"


def shape_text(node: Value) -> str:
    """(16, 2) for a Value holding an array, "" for a number."""
    return "" if node.data.__class__ is float else str(tuple(node.data.shape)).replace(",)", ")")


# -- names --------------------------------------------------------------------------------------
def node_names(order: Sequence[Value]) -> dict[int, str]:
    """A unique readable name per node: its label, else n1, n2, ... in the order given.

    Generated names skip every name a label already uses, and a label used twice gets
    a prime (x, x′), so a caption never means two nodes with one name. An unlabelled
    constant number is named by its value, as it is written: 2 · x.
    """
    labels = {node.label for node in order if node.label}
    names: dict[int, str] = {}
    used: set[str] = set()
    counter = itertools.count(1)
    for node in order:
        if not node.label and node.is_constant and node.data.__class__ is float:
            text = format_number(node.data)
            names[id(node)] = f"({text})" if text.startswith(MINUS) else text
            continue
        name = node.label
        while name in used:
            name += "′"
        if not name:
            name = next(f"n{i}" for i in counter if f"n{i}" not in labels and f"n{i}" not in used)
        used.add(name)
        names[id(node)] = name
    return names


_SYMBOLS = {
    "+": "+", "-": "−", "*": "×", "/": "÷", "neg": "−x", "sum": "Σ", "sigmoid": "σ", "**": "xʸ", "@": "@",
    "reduce_sum": "Σ", "reduce_mean": "mean", "reduce_max": "max", "transpose": "ᵀ", "sech²": "sech²", "sum_sq": "Σx²",
    "cross_entropy": "CE", "bce_logits": "BCE", "log_softmax": "log softmax",
}  # fmt: skip


def op_symbol(node: Value) -> str:
    """The short name of the op that made ``node``, as shown in its box ("" for a leaf)."""
    op = node._op
    if op is None or is_entry(node):  # an entry of a parameter is shown as a leaf
        return "const" if node.grad is None else ""
    if op.name.startswith("**") and op.name != "**" and op.text.startswith("{0}"):  # a constant exponent: **2, **-1
        return "x" + op.text[3:]  # x², x⁻¹, x^0.5
    if op.name.startswith("reduce_") and "_" in op.text.split(" ")[0]:  # a reduction along one axis says which
        return f"{_SYMBOLS[op.name]} axis {op.text.split(' ')[0].split('_', 1)[1]}"
    return _SYMBOLS.get(op.name, op.name)


# -- formulas: a text and its precedence, so parentheses appear only where they are needed ------
ATOM, POWER, UNARY, PRODUCT, SUM_ = 5, 4, 3, 2, 1


def precedence(node: Value) -> int:
    """How tightly the op that made ``node`` binds, read from how it is written."""
    text = node._op.text if node._op is not None else ""
    if callable(text):
        return SUM_
    if not text or "({0}" in text or text.startswith("|"):
        return ATOM  # f(x), |x|: already bracketed
    if "{" not in text or " + " in text or " − " in text:
        return SUM_
    if " · " in text or " / " in text or " mod " in text:
        return PRODUCT
    if text.startswith("−"):
        return UNARY
    return POWER  # x², x^y, √x


def atom(text: str) -> tuple[str, int]:
    """A name as a formula argument."""
    return text, ATOM


def number(x, digits: int = 4) -> tuple[str, int]:
    """A number as a formula argument: a negative one binds like a unary minus."""
    text = format_number(x, digits)
    return text, UNARY if text.startswith(MINUS) else ATOM


def formula(node: Value, args: Sequence[tuple[str, int]]) -> tuple[str, int]:
    """``node``'s op written with the given arguments (text, precedence): "x1·w1 + b", "tanh(n)"."""
    op = node._op
    template = op.text if op is not None and op.text else f"{op.name if op else '?'}(" + "{0})"
    mine = precedence(node)
    if callable(template):
        return template([f"({t})" if p < POWER else t for t, p in args]), mine
    texts = []
    for k, (text, theirs) in enumerate(args):
        right_of_minus = k > 0 and mine in (SUM_, PRODUCT) and any(op in template for op in (" − ", " / ", " mod "))
        negative_right = k > 0 and theirs == UNARY and mine in (SUM_, PRODUCT)  # 2 · (-3), not 2 · -3
        needs = theirs < mine or (theirs == mine and (right_of_minus or mine >= UNARY)) or negative_right
        texts.append(f"({text})" if needs and mine != ATOM else text)
    if "{" not in template:  # an n-ary op: the template is the separator
        return template.join(texts), mine
    if "{1}" not in template and len(texts) > 1:
        template = template.replace("{0}", ", ".join(f"{{{i}}}" for i in range(len(texts))))
    return template.format(*texts, out=""), mine


def expression(node: Value, names: Sequence[str]) -> str:
    """``node``'s op written with plain names as its arguments: "x1 · w1", "tanh(n)", "a + b + c"."""
    return formula(node, [atom(name) for name in names])[0]


def heading(root: Value, names: dict[int, str], limit: int = 90) -> str:
    """The output as a formula: written out in full if short, else with labelled parts by name."""
    name = names[id(root)]
    if not shown_parents(root):
        return name
    for inline_labelled in (True, False):
        text = _flat(root, names, inline_labelled, limit)
        if text is not None:
            return f"{name} = {text}"
    return name


def _flat(root: Value, names: dict[int, str], inline_labelled: bool, limit: int) -> str | None:
    """The formula for ``root``, or None if it would be longer than ``limit`` characters."""
    memo: dict[int, tuple[str, int]] = {}

    def expand(node: Value) -> bool:
        return bool(shown_parents(node)) and (inline_labelled or not node.label or node is root)

    stack = [root]
    while stack:  # every node after the nodes it is made from, without recursion
        node = stack[-1]
        pending = [p for p in node.parents if id(p) not in memo and expand(p)]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        if id(node) in memo:
            continue
        memo[id(node)] = formula(node, [memo.get(id(p)) or atom(names[id(p)]) for p in node.parents])
        if len(memo[id(node)][0]) > limit:
            return None
    return memo[id(root)][0]
