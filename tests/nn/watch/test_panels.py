"""The training page's drawings (panels.py): round numbers on the axes and bars on a log scale, by hand."""

from __future__ import annotations

import math

import pytest

from nn.watch.panels import _bar, _ticks, tick_label


def test_axes_are_marked_at_round_numbers():
    assert _ticks(0.0, 1.0) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]  # steps of 1, 2, 2.5 or 5 times a power of 10
    assert _ticks(-3.0, 7.0) == [-2.0, 0.0, 2.0, 4.0, 6.0]
    assert _ticks(0.0, 250.0) == [0.0, 50.0, 100.0, 150.0, 200.0, 250.0]
    assert _ticks(0.0, 110.0) == [0.0, 25.0, 50.0, 75.0, 100.0]  # a fifth of 110 is 22: the next round step is 25
    assert _ticks(0.013, 0.087) == [0.02, 0.04, 0.06, 0.08]
    assert _ticks(5.0, 5.0) == [5.0]  # a flat curve: one mark
    assert (tick_label(-0.5), tick_label(2.0), tick_label(250.0)) == ("−0.5", "2", "250")


GEOMETRY = {"lo": -3.0, "hi": 1.0, "top": 10.0, "bottom": 210.0}  # 10⁻³ at y = 210 up to 10¹ at y = 10


@pytest.mark.parametrize(
    "value, top, height, label",
    [
        (0.1, 110.0, 100.0, "0.100"),  # log₁₀ 0.1 = −1 lies halfway from −3 to 1
        (1.0, 60.0, 150.0, "1.00"),  # three quarters of the way up
        (0.01, 160.0, 50.0, "0.0100"),  # a quarter of the way up
        (10.0, 10.0, 200.0, "10.0"),  # above the axis: a full bar
        (123.4, 10.0, 200.0, "123"),
        (1e-5, 210.0, 0.0, "1.00e-5"),  # below the axis: no bar, but its number
        (0.0, 210.0, 0.0, "0"),
        (math.inf, 10.0, 200.0, "inf"),  # an exploded gradient fills the panel
        (math.nan, 10.0, 200.0, "NaN"),
    ],
)
def test_a_bar_stands_on_a_log_axis(value, top, height, label):
    y, h, text = _bar(value, GEOMETRY)
    assert (y, h, text) == (pytest.approx(top, abs=1e-9), pytest.approx(height, abs=1e-9), label)


def test_a_bar_is_labelled_from_the_number_the_page_data_carries():
    # 0.0164501 is 0.0165 to 3 digits, but the page's data carries 4 (0.01645, stored as 0.016449999...),
    # which the script writes 0.0164 (toPrecision(3) of that double): the bar drawn here must say the same.
    assert _bar(0.0164501, GEOMETRY)[2] == "0.0164" == f"{0.01645:#.3g}"
