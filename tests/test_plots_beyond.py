"""Tests of the notebook-09 figures added for the Chernoff information and the generator plot."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from klcourse.error_exponents import bayes_error, chernoff_information
from klcourse.measures import F_GENERATORS, kl_divergence, renyi_divergence
from klcourse.plots.beyond import bayes_exponent_plot, chernoff_curve, generator_curves

P, Q = [0.5, 0.5], [0.2, 0.8]


def test_chernoff_curve_draws_weighted_renyi_and_its_maximum():
    ax = chernoff_curve(P, Q, num=51)
    alphas, values = ax.lines[0].get_data()
    inner = slice(1, -1)
    expected = [(1 - a) * renyi_divergence(P, Q, a) for a in alphas[inner]]
    np.testing.assert_allclose(values[inner], expected, rtol=1e-12)
    c = chernoff_information(P, Q)
    assert ax.lines[1].get_xdata()[0] == pytest.approx(c.lam)
    assert ax.lines[1].get_ydata()[0] == pytest.approx(c.value)
    assert values.max() <= c.value + 1e-12
    assert "bits" in ax.get_ylabel() and "_" not in ax.get_ylabel().replace("D_\\alpha", "")
    plt.close("all")


def test_bayes_exponent_plot_draws_the_exact_exponents_and_the_three_rates():
    ns = np.array([10, 100, 1000])
    ax = bayes_exponent_plot(P, Q, ns)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), -bayes_error(P, Q, ns) / ns)
    levels = sorted(float(line.get_ydata()[0]) for line in ax.lines[1:])
    want = sorted([chernoff_information(P, Q).value, kl_divergence(P, Q), kl_divergence(Q, P)])
    np.testing.assert_allclose(levels, want)
    assert ax.get_xscale() == "log" and ax.get_legend() is not None
    plt.close("all")


def test_generator_curves_differ_in_line_style_or_marker():
    ax = generator_curves()
    looks = {(str(line.get_linestyle()), str(line.get_marker()))
             for line in ax.lines[:len(F_GENERATORS)]}
    assert len(looks) == len(F_GENERATORS)
    plt.close("all")
