"""How many digits a caption writes, so that the arithmetic it shows holds for the numbers it shows.

A caption rounds every number to 4 significant digits, and rounded numbers need not give the
rounded result: 1.4 · 0.7124 = 0.99736 reads 0.9974, while the engine's 1.4 · 0.712357... is
0.9973; 0.05089 + (−0.06923) = −0.01834, while the engine's sum is −0.018347. So numbers get
more digits, one at a time, until the shown arithmetic holds: the exact result of the numbers
as written is within half a unit of the last digit of the result as written. A tie (0.5 ·
0.5075 = 0.25375, read 0.2537 or 0.2538 by who rounds how) does not hold: another digit decides.
Where no number of digits will do, the row says its numbers are rounded (≈).
"""

from __future__ import annotations

import itertools
from decimal import Context, Decimal, localcontext

from .text import format_number

FEWEST = 4  # what every number is written with unless its arithmetic needs more
MAX_DIGITS = 17  # a double written with 17 significant digits is that double
_EXACT = Context(prec=800)  # enough for a product of many 17-digit numbers, exactly


def written(x: float, digits: int) -> Decimal:
    """The number a reader sees when ``x`` is written with ``digits`` significant digits, exactly."""
    return Decimal(f"{x:.{digits}g}")


def rounds_to(exact: Decimal, result: float, digits: int, margin: Decimal = Decimal(0)) -> bool:
    """Whether ``exact`` rounds to ``result`` as written with ``digits`` digits (a tie does not)."""
    shown = written(result, digits)
    half = Decimal(5).scaleb(shown.as_tuple().exponent - 1)  # of the last digit written: 0.5 means ±0.05
    with localcontext(_EXACT):
        return abs(exact - shown) < half * (1 - margin)


def _evaluate(compute, operands: list[Decimal]) -> tuple[Decimal, Decimal]:
    """``compute`` of the operands and how far from exact it may be: exact for + − · /, a float's error else."""
    with localcontext(_EXACT):
        try:
            value = compute(*operands)  # + − · / and powers of Decimals are exact (to 800 digits)
        except (ArithmeticError, TypeError, ValueError, AttributeError):
            value = None
    if isinstance(value, Decimal):
        return value, Decimal(0)
    return Decimal(float(compute(*[float(x) for x in operands]))), Decimal("1e-9")  # σ, tanh: in floats


def _digit_pairs(first: int = FEWEST):
    """(a, b) from (4, 4) up, the fewer digits in all the sooner."""
    for total in range(2 * first, 2 * MAX_DIGITS + 1):
        for a in range(max(first, total - MAX_DIGITS), min(MAX_DIGITS, total - first) + 1):
            yield a, total - a


def operand_digits(operands: list, result, compute) -> tuple[int, int]:
    """Digits for ``operands`` and for ``result``, so that ``compute`` of the operands as written reads as ``result``."""
    if not all(x.__class__ is float for x in [*operands, result]):
        return FEWEST, FEWEST  # arrays and linear maps are shown by their first entries: no arithmetic to check
    for result_digits, digits in itertools.product(range(FEWEST, MAX_DIGITS + 1), repeat=2):
        try:
            value, margin = _evaluate(compute, [written(x, digits) for x in operands])
            if rounds_to(value, result, result_digits, margin):
                return digits, result_digits
        except (ArithmeticError, ValueError, TypeError):  # the written operands fall outside the op's domain
            return FEWEST, FEWEST
    return FEWEST, FEWEST


def factor_digits(factors: list[float], product: float, product_digits: int) -> int | None:
    """The fewest digits for ``factors`` whose product, exactly, rounds to ``product`` written with ``product_digits``."""
    for digits in range(FEWEST, MAX_DIGITS + 1):
        with localcontext(_EXACT):
            value = Decimal(1)
            for x in factors:
                value *= written(x, digits)
        if rounds_to(value, product, product_digits):
            return digits
    return None


def sum_digits(parts: list[float], total: float) -> tuple[int, int] | None:
    """The fewest digits for every part and for the total, so that the parts as written add up to the total."""
    for total_digits, digits in itertools.product(range(FEWEST, MAX_DIGITS + 1), repeat=2):
        with localcontext(_EXACT):
            value = sum((written(x, digits) for x in parts), Decimal(0))
        if rounds_to(value, total, total_digits):
            return digits, total_digits
    return None


def backward_texts(step) -> tuple[str, list[dict]]:
    """A backward step's upstream gradient and, per edge, its local derivative, contribution, gradient before and after.

    Written so that on every row local × upstream = added and before + added = after hold at
    the digits shown. The upstream gradient is shared by the rows: it gets as many digits as the
    most demanding row needs. A row marked ``rounded`` holds only approximately, at any digits.
    """
    numbers = [step.grad, *(x for e in step.edges for x in (e.local, e.contribution, e.parent_grad_after))]
    if not all(x.__class__ is float for x in numbers):
        return format_number(step.grad), [_row_texts(e, dict.fromkeys(_FIELDS, FEWEST)) for e in step.edges]
    tried = []
    for upstream_digits in range(FEWEST, MAX_DIGITS + 1):
        rows = [_row_digits(edge, written(step.grad, upstream_digits)) for edge in step.edges]
        if all(rows):
            return format_number(step.grad, upstream_digits), [_row_texts(e, d) for e, d in zip(step.edges, rows)]
        tried.append(rows)
    # No digits make every row hold (a tie; a subnormal the engine rounded): the digits that make the most rows hold, the rest marked ≈.
    best = max(range(len(tried)), key=lambda k: sum(map(bool, tried[k])))
    texts = [
        _row_texts(e, d) if d else _row_texts(e, dict.fromkeys(_FIELDS, FEWEST), True)
        for e, d in zip(step.edges, tried[best])
    ]
    return format_number(step.grad, FEWEST + best), texts


_FIELDS = ("local", "added", "before", "after")


def _row_texts(edge, digits: dict, rounded: bool = False) -> dict:
    before = edge.parent_grad_before if edge.parent_grad_before is not None else 0.0
    numbers = {"local": edge.local, "added": edge.contribution, "before": before, "after": edge.parent_grad_after}
    return {**{k: format_number(numbers[k], digits[k]) for k in _FIELDS}, "rounded": rounded}


def _row_digits(edge, upstream: Decimal) -> dict | None:
    """Digits for a row's numbers for which both its product and its sum hold, or None."""
    before = edge.parent_grad_before if edge.parent_grad_before is not None else 0.0
    # The product depends on the digits of the contribution only. If the exact local derivative
    # does not give it, fewer of its digits will not: this upstream gradient has too few digits.
    feasible: dict[int, bool] = {}
    local_for: dict[int, int] = {}
    for after_digits in range(FEWEST, MAX_DIGITS + 1):
        for added_digits, before_digits in _digit_pairs():
            if added_digits not in feasible:
                feasible[added_digits] = _product_holds(edge, MAX_DIGITS, upstream, added_digits)
                if len(feasible) == MAX_DIGITS - FEWEST + 1 and not any(feasible.values()):
                    return None
            if not feasible[added_digits]:
                continue
            with localcontext(_EXACT):
                total = written(before, before_digits) + written(edge.contribution, added_digits)
            if not rounds_to(total, edge.parent_grad_after, after_digits):
                continue
            if added_digits not in local_for:
                local_for[added_digits] = next(
                    d for d in range(FEWEST, MAX_DIGITS + 1) if _product_holds(edge, d, upstream, added_digits)
                )
            digits = (local_for[added_digits], added_digits, before_digits, after_digits)
            return dict(zip(_FIELDS, digits))
    return None


def _product_holds(edge, local_digits: int, upstream: Decimal, added_digits: int) -> bool:
    with localcontext(_EXACT):
        product = written(edge.local, local_digits) * upstream
    return rounds_to(product, edge.contribution, added_digits)
