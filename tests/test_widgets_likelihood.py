"""Tests of the notebook-06 explorer: its readout is klcourse's numbers, its figure updates."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

from klcourse import kl_divergence
from klcourse.likelihood import lr_test_exact, stein_prediction
from klcourse.widgets.likelihood import coin_test_readout, lr_test_explorer


@pytest.fixture
def explorer():
    with contextlib.redirect_stdout(io.StringIO()):
        yield lr_test_explorer(n_max=200)


def quiet(ex, **values):
    with contextlib.redirect_stdout(io.StringIO()):
        return ex.update(**values)


def test_readout_matches_the_library(explorer):
    r = quiet(explorer, p_heads=0.3, q_heads=0.6, alpha=0.1)
    p, q = np.array([0.7, 0.3]), np.array([0.4, 0.6])
    assert r["D(p‖q)"][0] == kl_divergence(p, q)
    assert r["D(q‖p)"][0] == kl_divergence(q, p)
    exact = lr_test_exact(p, q, [200], alpha=0.1)
    assert r["log2 β at n=200, exact"][0] == exact.log_beta[0]
    assert r["−log2(β)/n at n=200"][0] == pytest.approx(-exact.log_beta[0] / 200)
    assert r["log2 β at n=200, Stein −nD"][0] == pytest.approx(-200 * kl_divergence(p, q))
    assert r["log2 β at n=200, with √n term"][0] == stein_prediction(p, q, [200], alpha=0.1)[0]


def test_figure_redraws_with_two_panels(explorer):
    before = explorer.redraws
    quiet(explorer, q_heads=0.9)
    assert explorer.redraws > before
    axes = explorer.last_figure.axes
    assert len(axes) == 2 and all(ax.get_xlabel() == "sample size n" for ax in axes)
    assert "0.90" in axes[0].get_title()


def test_equal_coins_cannot_be_told_apart():
    r = coin_test_readout(0.4, 0.4, 0.05, n_max=50)
    assert r["D(p‖q)"][0] == 0.0
    assert 2 ** r["log2 β at n=50, exact"][0] == pytest.approx(0.95)
