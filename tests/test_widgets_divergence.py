"""Tests of klcourse.widgets.divergence: readouts after update() equal the library's values."""

import math

import numpy as np
import pytest

from klcourse import kl_divergence
from klcourse.inequalities import mixture_check
from klcourse.widgets.divergence import (
    binary_pair_explorer,
    binary_pair_readout,
    coin,
    mixture_explorer,
    mixture_readout,
)


@pytest.mark.parametrize("p, q", [(0.3, 0.8), (0.9, 0.1), (0.5, 0.5), (0.25, 0.0)])
def test_binary_pair_explorer_readout_and_figure(p, q):
    ex = binary_pair_explorer(base=np.e)
    r = ex.update(p=p, q=q)
    d_pq = kl_divergence([p, 1 - p], [q, 1 - q], base=np.e)
    d_qp = kl_divergence([q, 1 - q], [p, 1 - p], base=np.e)
    assert r["D(p‖q)"] == (d_pq, "nats") and r["D(q‖p)"] == (d_qp, "nats")
    if math.isfinite(d_pq) or math.isfinite(d_qp):
        assert r["D(p‖q) − D(q‖p)"] == (d_pq - d_qp, "nats")
    expected = "neither (equal)" if d_pq == d_qp else ("D(p‖q)" if d_pq > d_qp else "D(q‖p)")
    assert r["larger direction"] == expected
    # the HTML readout shows the same numbers
    assert ("∞" if math.isinf(d_pq) else f"{d_pq:.4f} nats") in ex.readout.value
    # the figure: bars of the two coins, bars of the two directions
    left, right = ex.last_figure.axes
    assert [b.get_height() for b in left.containers[0]] == pytest.approx([p, 1 - p])
    assert [b.get_height() for b in left.containers[1]] == pytest.approx([q, 1 - q])
    heights = [b.get_height() for b in right.containers[0]]
    for h, d in zip(heights, (d_pq, d_qp)):
        if math.isfinite(d):
            assert h == pytest.approx(d)
    assert right.get_ylabel() == "divergence (nats)"


def test_binary_pair_explorer_redraws_and_both_infinite():
    ex = binary_pair_explorer(0.5, 0.5)
    n = ex.redraws
    ex.update(p=0.0, q=1.0)
    assert ex.redraws > n
    assert ex.last_readout["D(p‖q) − D(q‖p)"] == "undefined (both directions are infinite)"
    assert binary_pair_readout(0.2, 0.7)["D(p‖q)"][1] == "bits"
    with pytest.raises(ValueError, match="unknown control"):
        ex.update(r=0.3)


def test_coin_validation():
    assert coin(0.3).sum() == 1.0
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        coin(1.2)


@pytest.mark.parametrize("lam", [0.0, 0.37, 1.0])
def test_mixture_explorer_readout_and_figure(lam):
    pairs = ([0.8, 0.2], [0.1, 0.9], [0.4, 0.6], [0.7, 0.3])
    ex = mixture_explorer(*pairs, n=20)
    r = ex.update(lam=lam)
    m = mixture_check(*pairs, lam)
    assert r["gap"] == (m.gap, "bits")
    assert r["D(mixed p ‖ mixed q)"][0] == m.mixture
    assert r["chord λ D(p1‖q1) + (1−λ) D(p2‖q2)"][0] == pytest.approx(
        lam * kl_divergence(pairs[0], pairs[1]) + (1 - lam) * kl_divergence(pairs[2], pairs[3]))
    assert r["gap"][0] >= -1e-12
    heat, chord = ex.last_figure.axes[:2]      # then the heatmap's colourbar
    star = heat.lines[-1].get_xydata()[0]
    assert star == pytest.approx([lam * 0.8 + (1 - lam) * 0.4, lam * 0.1 + (1 - lam) * 0.7])
    marker = chord.lines[-1]
    assert marker.get_xdata()[0] == lam
    assert marker.get_ydata() == pytest.approx([m.mixture, m.chord])
    assert r == mixture_readout(*pairs, lam)


def test_mixture_explorer_rejects_non_coins():
    with pytest.raises(ValueError, match="p1 must be a coin"):
        mixture_explorer([0.2, 0.3, 0.5])
