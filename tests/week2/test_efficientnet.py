"""EfficientNet's compound scaling: the formula by hand, Keras' B0-B7, and the docs' figures and tables."""

import math

import pytest

from course_cnn.week2 import Scaling, efficientnet_scaling, efficientnet_table
from course_cnn.week2 import _mobile_figures as figures
from course_cnn.week2.efficientnet import EFFICIENTNET_VARIANTS


def test_scaling_by_hand():
    s = efficientnet_scaling(2)
    assert isinstance(s, Scaling)
    # d = 1.2^2, w = 1.1^2, r = 1.15^2; FLOPs x (1.2 * 1.1^2 * 1.15^2)^2
    assert (s.depth, s.width, s.resolution) == pytest.approx((1.44, 1.21, 1.3225))
    assert s.constraint == pytest.approx(1.2 * 1.21 * 1.3225) == pytest.approx(1.920270)
    assert s.flops == pytest.approx(s.depth * s.width**2 * s.resolution**2)  # linear in d, quadratic in w and r
    assert abs(s.constraint - 2) < 0.1  # the paper's constraint: close to 2


def test_phi_zero_is_the_baseline_and_phi_adds_up():
    assert efficientnet_scaling(0)[:4] == (1.0, 1.0, 1.0, 1.0)
    a, b, ab = efficientnet_scaling(1.5), efficientnet_scaling(2.5), efficientnet_scaling(4.0)
    assert ab.depth == pytest.approx(a.depth * b.depth)  # alpha^(p + q) = alpha^p alpha^q
    assert math.log(ab.flops, 2) == pytest.approx(4 * math.log2(ab.constraint))


def test_custom_factors():
    s = efficientnet_scaling(3, alpha=2.0, beta=1.0, gamma=1.0)  # depth only: FLOPs follow depth
    assert (s.depth, s.width, s.resolution, s.flops, s.constraint) == (8.0, 1.0, 1.0, 8.0, 2.0)


def test_table_b0():
    (row,) = efficientnet_table([0])
    assert row["name"] == "EfficientNetB0" and row["params"] == 5_330_571 and row["resolution"] == 224
    assert row["formula_resolution"] == 224.0 and row["formula_flops"] == 1.0


@pytest.mark.slow
def test_table_all_variants():
    rows = efficientnet_table()
    assert [r["resolution"] for r in rows] == [v[2] for v in EFFICIENTNET_VARIANTS.values()]
    params = [r["params"] for r in rows]
    assert params == sorted(params) and params[0] == 5_330_571 and params[-1] == 66_658_687
    # the released sides follow 224 * 1.15^phi within 15% (B1-B3 are smaller, B5-B7 within 2%)
    assert all(abs(r["resolution"] / r["formula_resolution"] - 1) < 0.15 for r in rows)


def test_efficientnet_figure_and_table(tmp_path):
    rows = [{"name": f"EfficientNetB{k}", "phi": k, "params": 5_000_000 * (k + 1), "resolution": 224 + 16 * k,
             "width_coefficient": 1.0, "depth_coefficient": 1.0, "formula_width": 1.1**k, "formula_depth": 1.2**k,
             "formula_resolution": 224 * 1.15**k, "formula_flops": 1.92**k} for k in range(3)]
    path = figures.efficientnet_figure(tmp_path / "e.png", rows)
    assert path.stat().st_size > 1000
    table = figures.efficientnet_markdown(rows)
    assert "| EfficientNetB2 | 2 | 15,000,000 | 256 |" in table


def test_cost_rows_and_figure(tmp_path):
    lecture = figures.layer_costs(**figures.LECTURE)
    assert (lecture["normal"], lecture["depthwise"], lecture["pointwise"]) == (2160, 432, 240)
    strided = figures.layer_costs(56, 3, 64, 128, stride=2, name="conv_dw_2")  # MobileNet v1: 112x112x64 -> 56x56x128
    assert strided["normal"] == 56 * 56 * 128 * 9 * 64 and strided["ratio"] == pytest.approx(1 / 128 + 1 / 9)
    path = figures.cost_figure(tmp_path / "c.png", [strided])
    assert path.stat().st_size > 1000
    assert "| **all 13** | | | **231,211,008** |" in figures.cost_markdown([strided])


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: efficientnet_scaling(-1), ValueError, r"^`phi` must be a real number in \[0, 100\]; got -1\.0\.$"),
        (lambda: efficientnet_scaling(1, alpha=0.9), ValueError, r"^`alpha` must be a real number in \[1, 10\]; got 0\.9\.$"),
        (lambda: efficientnet_scaling(float("nan")), ValueError, r"^`phi` must"),
        (lambda: efficientnet_scaling("1"), TypeError, r"^`phi` must"),
        (lambda: efficientnet_table(3), TypeError, r"^`variants` must be a sequence of ints in 0-7; got 3\.$"),
        (lambda: efficientnet_table([8]), ValueError, r"^`variants` must be an int in \[0, 7\]; got 8\.$"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
