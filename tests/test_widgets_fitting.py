"""Tests of klcourse.widgets.fitting: the notebook-05 slider computes what klcourse computes."""

import numpy as np
import pytest

from klcourse import kl_divergence
from klcourse.data import SPACE_WORM_TEETH as WORMS
from klcourse.fitting import binomial_pmf
from klcourse.widgets.fitting import binomial_explorer


@pytest.mark.parametrize("p", [0.0, 0.2, 0.544, 0.8, 1.0])
def test_readout_follows_the_slider(p):
    ex = binomial_explorer()
    readout = ex.update(p=p)
    q = binomial_pmf(10, p)
    d_fwd, unit_fwd = readout["D(observed || Binomial)"]
    d_rev, unit_rev = readout["D(Binomial || observed)"]
    assert unit_fwd == unit_rev == "bits"
    assert d_fwd == pytest.approx(kl_divergence(WORMS, q), rel=1e-12)
    assert d_rev == pytest.approx(kl_divergence(q, WORMS), rel=1e-12)
    assert readout["forward minimiser p* = mean / n"] == pytest.approx(float(WORMS @ np.arange(11)) / 10, abs=1e-7)


def test_figure_shows_the_bars_and_the_current_point():
    ex = binomial_explorer(p=0.5)
    before = ex.redraws
    ex.update(p=0.3)
    assert ex.redraws == before + 1
    left, right = ex.last_figure.axes
    np.testing.assert_allclose([b.get_height() for b in left.containers[1]], binomial_pmf(10, 0.3))
    np.testing.assert_allclose([b.get_height() for b in left.containers[0]], WORMS)
    assert "0.30" in left.get_title()
    assert right.get_ylabel() == "divergence (bits)"
    # The reverse point is on the chart; the forward one (2.47 bits) is above it: a triangle at the top.
    forward, reverse = (line for line in right.lines if line.get_animated())
    top = right.get_ylim()[1]
    assert forward.get_ydata()[0] == pytest.approx(top) and forward.get_marker() == "^"
    assert reverse.get_ydata()[0] == pytest.approx(kl_divergence(binomial_pmf(10, 0.3), WORMS))
    assert reverse.get_marker() == "o" and reverse.get_xdata()[0] == 0.3


def test_nats_and_bad_observation():
    ex = binomial_explorer(base=np.e, p=0.5)
    assert ex.last_readout["D(observed || Binomial)"][1] == "nats"
    with pytest.raises(ValueError, match="observed sums to"):
        binomial_explorer([0.5, 0.6])
