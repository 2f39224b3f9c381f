"""klcourse.generative.estimators: score-function versus reparameterisation gradients."""

import numpy as np
import pytest

from klcourse.generative import estimators as es
from klcourse.generative.vi import make_regression

MODEL = make_regression(n=30, rho=0.9, seed=0)


@pytest.mark.parametrize("baseline", [None, -50.0])
def test_both_estimators_are_unbiased(baseline):
    c = es.compare_gradient_estimators(MODEL, [0.0, 0.5], [0.55, 0.45], n_draws=200_000,
                                       baseline=baseline, seed=1)
    for mean, var in ((c.score_mean, c.score_var), (c.reparam_mean, c.reparam_var)):
        assert np.all(np.abs(mean - c.exact) < 4 * np.sqrt(var / c.n_draws))


def test_exact_gradient_matches_the_elbo_gradient_of_vi():
    # d/dm E_q[log p(y|w)] = dELBO/dm + d/dm D(q || prior) = dELBO/dm + m / prior_var
    from klcourse.generative.vi import elbo_gradient
    m = np.array([0.2, -0.1])
    c = es.compare_gradient_estimators(MODEL, m, [0.5, 0.5], n_draws=10)
    g_mean, _ = elbo_gradient(MODEL, m, np.log([0.5, 0.5]))
    np.testing.assert_allclose(c.exact, g_mean + m / MODEL.prior_var, rtol=1e-12)


def test_score_function_variance_matches_its_closed_form_for_a_linear_f():
    # f(w) = w: the estimate (m + s e) e / s has variance m^2 / s^2 + 2
    m, s = 1.5, 0.5
    eps = np.random.default_rng(0).normal(size=(400_000, 1))
    g = es.score_function_estimates(lambda w: w[:, 0], [m], [s], eps)
    assert g.var() == pytest.approx(m**2 / s**2 + 2, rel=0.02)
    r = es.reparameterisation_estimates(np.ones_like, [m], [s], eps)
    assert r.var() == 0.0


def test_score_function_variance_is_far_larger_on_the_regression():
    c = es.compare_gradient_estimators(MODEL, [0.0, 0.5], [0.55, 0.45], n_draws=50_000)
    assert np.all(c.score_var > 20 * c.reparam_var)


@pytest.mark.parametrize("kwargs, message", [
    (dict(mean=[0.0], sd=[1.0, 1.0], eps=np.zeros((3, 1))), "same length"),
    (dict(mean=[0.0], sd=[0.0], eps=np.zeros((3, 1))), "sd must be > 0"),
    (dict(mean=[0.0], sd=[1.0], eps=np.zeros((3, 2))), "eps must have shape"),
    (dict(mean=[np.nan], sd=[1.0], eps=np.zeros((3, 1))), "finite"),
])
def test_bad_inputs_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        es.score_function_estimates(lambda w: w[:, 0], **kwargs)


def test_wrong_shapes_from_f_are_refused():
    with pytest.raises(ValueError, match="f must return"):
        es.score_function_estimates(lambda w: w, [0.0, 0.0], [1.0, 1.0], np.zeros((3, 2)))
    with pytest.raises(ValueError, match="grad_f must return"):
        es.reparameterisation_estimates(lambda w: w[:, 0], [0.0], [1.0], np.zeros((3, 1)))
    with pytest.raises(ValueError, match="n_draws"):
        es.compare_gradient_estimators(MODEL, [0.0, 0.0], [1.0, 1.0], n_draws=1)
