"""Tests of klcourse.plots.likelihood: the figures draw the numbers klcourse computes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from klcourse import entropy, kl_divergence
from klcourse.fitting import binomial_family
from klcourse.likelihood import (
    draw_samples,
    empirical_distribution,
    log_likelihood_ratio,
    lr_test_exact,
    lr_test_simulate,
)
from klcourse.plots.likelihood import (
    plot_error_curves,
    plot_exponent,
    plot_ml_and_kl,
    plot_running_llr,
)

P, Q = [0.5, 0.5], [0.8, 0.2]


def test_ml_and_kl_curves_differ_by_entropy_and_share_the_minimiser():
    x = np.random.default_rng(0).binomial(10, 0.3, size=60)
    grid = np.linspace(0.01, 0.99, 99)
    ax = plot_ml_and_kl(x, binomial_family(10), grid)
    nll, div, ml, kl = ax.get_lines()[:4]
    gap = nll.get_ydata() - div.get_ydata()
    h = entropy(empirical_distribution(x, np.arange(11)))
    np.testing.assert_allclose(gap, h, atol=1e-12)
    assert ml.get_xdata()[0] == kl.get_xdata()[0]
    assert abs(ml.get_xdata()[0] - x.mean() / 10) <= 0.005 + 1e-12
    assert "bits" in ax.get_ylabel() and ax.get_title() and ax.get_legend() is not None


def test_running_llr_figure():
    r = log_likelihood_ratio(draw_samples(P, 300, trials=12, seed=1), P, Q, base=math.e)
    ax = plot_running_llr(r.running_mean, P, Q, base=math.e, show=3)
    d = kl_divergence(P, Q, base=math.e)
    assert any(np.allclose(line.get_ydata(), d) for line in ax.get_lines())
    assert "nats" in ax.get_ylabel() and ax.get_xscale() == "log"
    assert len(ax.collections) == 1    # the 10%-90% band


def test_error_curves_draw_exact_values_and_stein_slope():
    ns = np.arange(1, 150, 7)
    exact = lr_test_exact(P, Q, ns)
    sim = lr_test_simulate(P, Q, ns[::4], trials=2000, seed=0, naive=True)
    ax = plot_error_curves(P, Q, exact=exact, simulated=sim)
    lines = {line.get_label(): line for line in ax.get_lines()}
    exact_line = lines["exact (sum over types)"]
    np.testing.assert_array_equal(exact_line.get_ydata(), exact.log_beta)
    stein = next(v for k, v in lines.items() if k.startswith("Stein"))
    slope = np.polyfit(stein.get_xdata(), stein.get_ydata(), 1)[0]
    assert slope == pytest.approx(-kl_divergence(P, Q))
    assert "bits" in ax.get_ylabel() and ax.get_title()
    with pytest.raises(ValueError, match="pass exact="):
        plot_error_curves(P, Q)


def test_exponent_plot():
    curve = lr_test_exact(P, Q, [10, 100, 1000])
    ax = plot_exponent(P, Q, curve)
    assert ax.get_xscale() == "log" and "bits per sample" in ax.get_ylabel()
    d_lines = [line for line in ax.get_lines() if line.get_label().startswith("D(p‖q)")]
    assert d_lines and np.allclose(d_lines[0].get_ydata(), kl_divergence(P, Q))


def test_error_bars_use_the_spread_over_runs_when_given():
    from klcourse.replication import replicate_lr_simulation

    ns = [50, 200]
    rep = replicate_lr_simulation(P, Q, ns, trials=2000, runs=4, seed=0)
    sim = lr_test_simulate(P, Q, ns, trials=2000, seed=9)
    ax = plot_error_curves(P, Q, simulated=sim, spread=rep.spread)
    bars = ax.containers[0]
    segments = bars.lines[2][0].get_segments()
    half = np.array([abs(seg[1][1] - seg[0][1]) / 2 for seg in segments])
    np.testing.assert_allclose(half, 2 * rep.spread)
    assert any("independent runs" in t.get_text() for t in ax.get_legend().get_texts())
    with pytest.raises(ValueError, match="one value"):
        plot_error_curves(P, Q, simulated=sim, spread=[1.0])
    ax2 = plot_exponent(P, Q, [lr_test_exact(P, Q, [10, 100]), rep.run(0)],
                        error_label="±2 sd over runs")
    assert any("±2 sd over runs" in t.get_text() for t in ax2.get_legend().get_texts())


def test_error_bar_check_draws_the_differences_and_counts_coverage():
    from klcourse.plots.likelihood import plot_error_bar_check

    ax = plot_error_bar_check([10, 100, 1000], [1.0, 2.0, 3.0], [1.1, 2.0, 2.0],
                              [0.01, 0.1, 0.1], [0.1, 0.1, 0.1])
    np.testing.assert_allclose(ax.containers[0].lines[0].get_ydata(), [-0.1, 0.0, 1.0])
    assert "inside 1 of 3 reported bars and 2 of 3 honest bars" in ax.get_title()
    assert "bits" in ax.get_ylabel() and ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="one length"):
        plot_error_bar_check([10], [1.0, 2.0], [1.0], [0.1], [0.1])
