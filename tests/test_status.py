"""The traffic light of kek_data.status: every expected state worked out by hand."""

from __future__ import annotations

import pytest

from kek_data.status import light


@pytest.mark.parametrize(
    ("actual", "path", "expected"),
    [
        (90.0, 100.0, "gruen"),
        (100.0, 100.0, "gruen"),
        (104.0, 100.0, "gelb"),
        (105.0, 100.0, "gelb"),  # exactly 100 × 1.05
        (105.1, 100.0, "rot"),
        (0.0, 0.0, "gruen"),
        (0.1, 0.0, "rot"),  # no tolerance band around a path of 0
        (-9.6, -10.0, "gelb"),  # band of |−10| × 5 % = 0.5 above −10 → −9.5
        (-9.4, -10.0, "rot"),
        (50.0, None, "ohne Ziel"),
    ],
)
def test_light(actual, path, expected):
    assert light(actual, path) == expected
