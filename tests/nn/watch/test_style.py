"""How classes and numbers are shown (style.py): colours by hand, and numbers as the page's script writes
them (toFixed(4), toExponential(2))."""

from __future__ import annotations

from nn.watch.style import CLASS_COLORS, class_color, format_accuracy, format_value, tint


def test_a_tint_is_the_colour_mixed_with_white():
    # #2563eb is (37, 99, 235); 72 % of the way to 255: 37 + 0.72·218 = 193.96, 99 + 0.72·156 = 211.32,
    # 235 + 0.72·20 = 249.4, rounded to (194, 211, 249) = #c2d3f9.
    assert tint("#2563eb") == "#c2d3f9"
    assert tint("#2563eb", 0.0) == "#2563eb" and tint("#2563eb", 1.0) == "#ffffff"
    assert tint("#000000", 0.25) == "#404040"  # 0.25 · 255 = 63.75, rounded to 64


def test_every_class_has_a_colour_of_its_own():
    assert [class_color(k) for k in range(len(CLASS_COLORS))] == list(CLASS_COLORS)
    assert class_color(8) == "hsl(20, 65%, 42%)"  # 8 · 137.508° = 1100.064° = 20.064° past three turns
    assert class_color(9) == "hsl(158, 65%, 42%)"  # 9 · 137.508° = 1237.572° = 157.572° past three turns
    assert len({class_color(k) for k in range(40)}) == 40


def test_losses_and_accuracies_are_written_as_the_page_writes_them():
    written = {
        0.5: "0.5000",
        0.001: "0.0010",
        -2.5: "-2.5000",
        0.0: "0.0000",
        9999.99: "9999.9900",
        0.0009: "9.00e-4",
        10_000.0: "1.00e4",
        123_456.0: "1.23e5",
        -1.5e-7: "-1.50e-7",
        None: "–",
    }
    assert {x: format_value(x) for x in written} == written
    assert (format_accuracy(0.925), format_accuracy(1.0), format_accuracy(0.0), format_accuracy(None)) == (
        "92.5%",
        "100.0%",
        "0.0%",
        "–",
    )
