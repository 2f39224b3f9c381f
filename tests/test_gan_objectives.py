"""klcourse.generative.objectives: which divergence each GAN generator loss follows at D*."""

import numpy as np
import pytest
from scipy import stats

from klcourse import js_divergence, kl_divergence, normalize
from klcourse.generative import objectives as ob
from klcourse.generative.vi import Mixture1D

DATA = Mixture1D((0.5, 0.5), (-2.0, 2.0), (0.5, 0.5))
GRID = np.linspace(-16, 16, 6401)


def _kl_minus_2jsd(mu, sd):
    d = ob.divergences(DATA, mu, sd, GRID)
    return d.kl_g_data - 2 * d.jsd


@pytest.mark.parametrize("mu, sd", [(0.7, 1.5), (-1.0, 0.8), (2.5, 0.6), (0.0, 2.5)])
def test_nonsaturating_gradient_is_gradient_of_reverse_kl_minus_2jsd(mu, sd):
    # Arjovsky & Bottou (2017), Theorem 2.5: expectation on one side, finite differences of
    # grid integrals on the other.
    g = ob.loss_gradients(DATA, mu, sd, GRID).nonsaturating
    fd = ob.finite_difference_gradient(_kl_minus_2jsd, mu, sd)
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("mu, sd", [(0.7, 1.5), (-1.0, 0.8), (2.5, 0.6)])
def test_minimax_gradient_is_gradient_of_2jsd(mu, sd):
    g = ob.loss_gradients(DATA, mu, sd, GRID).minimax
    fd = ob.finite_difference_gradient(lambda m, s: 2 * ob.divergences(DATA, m, s, GRID).jsd, mu, sd)
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-7)


def test_gradients_by_monte_carlo_reparameterisation():
    # a third way: sample z, differentiate -log D*(mu + sd z) with D* frozen, by finite
    # differences in x of the frozen discriminator, and average
    mu, sd = 0.7, 1.5
    z = np.random.default_rng(0).normal(size=400_000)
    x = mu + sd * z
    pg0 = lambda t: stats.norm.pdf(t, mu, sd)  # noqa: E731  (frozen generator density)
    log_d = lambda t: np.log(DATA.pdf(t) / (DATA.pdf(t) + pg0(t)))  # noqa: E731
    h = 1e-5
    dl = -(log_d(x + h) - log_d(x - h)) / (2 * h)
    per_draw = np.stack([dl, dl * z])
    mc, se = per_draw.mean(axis=1), per_draw.std(axis=1) / np.sqrt(len(z))
    exact = ob.loss_gradients(DATA, mu, sd, GRID).nonsaturating
    assert np.all(np.abs(mc - exact) < 4 * se)


def test_at_the_courses_generator_the_two_losses_pull_the_mean_opposite_ways():
    g = ob.loss_gradients(DATA, 0.7, 1.5, GRID)
    assert g.nonsaturating[0] * g.minimax[0] < 0


def test_divergences_match_discrete_measures_and_closed_form():
    d = ob.divergences(DATA, 0.7, 1.5, GRID)
    p_d, p_g = normalize(DATA.pdf(GRID)), normalize(stats.norm.pdf(GRID, 0.7, 1.5))
    assert d.jsd == pytest.approx(float(js_divergence(p_d, p_g, base=np.e)), rel=1e-6)
    assert d.kl_g_data == pytest.approx(float(kl_divergence(p_g, p_d, base=np.e)), rel=1e-6)
    one = Mixture1D((1.0,), (1.0,), (2.0,))
    from klcourse.gaussian import kl_gaussian
    assert ob.divergences(one, 0.0, 1.0, GRID).kl_g_data == pytest.approx(
        kl_gaussian(0.0, 1.0, 1.0, 2.0, base=np.e), rel=1e-8)


def test_flows_nonsaturating_collapses_onto_one_mode_minimax_straddles():
    ns = ob.gradient_flow(DATA, 0.7, 1.5, GRID, loss="nonsaturating", steps=200)
    mm = ob.gradient_flow(DATA, 0.7, 1.5, GRID, loss="minimax", steps=300)
    np.testing.assert_allclose(ns[-1], [2.0, 0.5], atol=1e-3)
    assert abs(mm[-1, 0]) < 0.05 and mm[-1, 1] > 1.5


@pytest.mark.parametrize("x, message", [
    (np.linspace(-3, 3, 101), "mass outside"),
    (np.linspace(16, -16, 101), "strictly increasing"),
    (np.concatenate([np.linspace(-16, 0, 50), np.linspace(0.5, 16, 60)]), "evenly spaced"),
    (np.array([[0.0, 1.0, 2.0]]), "1-D grid"),
])
def test_bad_grids_are_refused(x, message):
    with pytest.raises(ValueError, match=message):
        ob.loss_gradients(DATA, 0.7, 1.5, x)


@pytest.mark.parametrize("mu, sd, exc", [(0.7, 0.0, ValueError), (0.7, -1.0, ValueError),
                                         (np.nan, 1.0, ValueError), (True, 1.0, TypeError),
                                         ("0.7", 1.0, TypeError)])
def test_bad_generators_are_refused(mu, sd, exc):
    with pytest.raises(exc):
        ob.divergences(DATA, mu, sd, GRID)


def test_flow_refuses_bad_arguments():
    with pytest.raises(ValueError, match="loss"):
        ob.gradient_flow(DATA, 0.7, 1.5, GRID, loss="jsd")
    with pytest.raises(ValueError, match="lr"):
        ob.gradient_flow(DATA, 0.7, 1.5, GRID, loss="minimax", lr=-1.0)
    with pytest.raises(ValueError, match="h must"):
        ob.finite_difference_gradient(lambda m, s: m, 0.0, 1.0, h=2.0)
