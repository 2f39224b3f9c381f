"""Tests of klcourse.gaussian: closed forms against integration and Monte Carlo."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from klcourse.gaussian import kl_gaussian, kl_mvn


def _kl_by_quad(m1, s1, m2, s2):
    """D(N(m1,s1^2) || N(m2,s2^2)) in nats by adaptive quadrature."""
    p, q = stats.norm(m1, s1), stats.norm(m2, s2)
    f = lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x))  # noqa: E731
    val, _ = integrate.quad(f, m1 - 12 * s1, m1 + 12 * s1, limit=200, epsabs=1e-12)
    return val


def test_textbook_value_ln2_minus_quarter():
    assert kl_gaussian(0, 1, 1, 2, base=np.e) == pytest.approx(math.log(2) - 0.25, rel=1e-14)
    assert kl_gaussian(0, 1, 1, 2) == pytest.approx((math.log(2) - 0.25) / math.log(2), rel=1e-14)


@settings(max_examples=40)
@given(st.floats(-3, 3), st.floats(0.2, 3), st.floats(-3, 3), st.floats(0.2, 3))
def test_univariate_matches_numerical_integration(m1, s1, m2, s2):
    assert kl_gaussian(m1, s1, m2, s2, base=np.e) == pytest.approx(
        _kl_by_quad(m1, s1, m2, s2), rel=1e-7, abs=1e-10)


def test_univariate_matches_monte_carlo():
    rng = np.random.default_rng(0)
    x = rng.normal(0.5, 1.5, size=400_000)
    log_ratio = stats.norm(0.5, 1.5).logpdf(x) - stats.norm(-1.0, 2.5).logpdf(x)
    mc, se = log_ratio.mean(), log_ratio.std() / math.sqrt(x.size)
    assert abs(kl_gaussian(0.5, 1.5, -1.0, 2.5, base=np.e) - mc) < 4 * se


def test_vectorised_and_broadcast():
    out = kl_gaussian(np.array([0.0, 1.0, 2.0]), 1.0, 0.0, np.array([1.0, 1.0, 2.0]), base=np.e)
    expected = [kl_gaussian(m, 1.0, 0.0, s, base=np.e) for m, s in [(0, 1), (1, 1), (2, 2)]]
    assert out.shape == (3,)
    np.testing.assert_allclose(out, expected, rtol=1e-14)
    assert isinstance(kl_gaussian(0, 1, 0, 2), float)


def test_asymmetric_and_zero_only_when_equal():
    assert kl_gaussian(0, 1, 0, 1) == 0.0
    assert kl_gaussian(0, 1, 0, 3) != pytest.approx(kl_gaussian(0, 3, 0, 1))
    assert kl_gaussian(0, 1, 1e-4, 1) > 0


@pytest.mark.parametrize("args, match", [
    ((0, 0, 0, 1), "sigma1 must be > 0"),
    ((0, 1, 0, -2), "sigma2 must be > 0"),
    ((0, [1, 1], [0, 0, 0], 1), "do not broadcast"),
    ((np.nan, 1, 0, 1), "mu1 contains nan"),
    ((0, 1, np.inf, 1), "mu2 contains inf"),
])
def test_univariate_errors(args, match):
    with pytest.raises(ValueError, match=match):
        kl_gaussian(*args)


def test_univariate_type_and_base_errors():
    with pytest.raises(TypeError, match="mu1"):
        kl_gaussian("a", 1, 0, 1)
    with pytest.raises(ValueError, match="base"):
        kl_gaussian(0, 1, 0, 1, base=1)


def _random_spd(rng, k):
    a = rng.normal(size=(k, k))
    return a @ a.T + 0.3 * np.eye(k)


def test_mvn_reduces_to_univariate():
    assert kl_mvn([0.0], [[1.0]], [1.0], [[4.0]], base=np.e) == pytest.approx(
        kl_gaussian(0, 1, 1, 2, base=np.e), rel=1e-13)


def test_mvn_against_monte_carlo():
    rng = np.random.default_rng(1)
    k = 3
    m1, m2 = rng.normal(size=k), rng.normal(size=k)
    c1, c2 = _random_spd(rng, k), _random_spd(rng, k)
    x = rng.multivariate_normal(m1, c1, size=300_000)
    lr = stats.multivariate_normal(m1, c1).logpdf(x) - stats.multivariate_normal(m2, c2).logpdf(x)
    mc, se = lr.mean(), lr.std() / math.sqrt(len(x))
    assert abs(kl_mvn(m1, c1, m2, c2, base=np.e) - mc) < 4 * se


def test_mvn_against_2d_integration():
    m1, c1 = np.array([0.3, -0.2]), np.array([[1.0, 0.6], [0.6, 0.8]])
    m2, c2 = np.array([-0.5, 0.4]), np.array([[1.5, -0.3], [-0.3, 1.2]])
    p, q = stats.multivariate_normal(m1, c1), stats.multivariate_normal(m2, c2)
    g = np.linspace(-8, 8, 801)
    xx, yy = np.meshgrid(g, g)
    pts = np.dstack([xx, yy])
    integrand = p.pdf(pts) * (p.logpdf(pts) - q.logpdf(pts))
    val = integrate.simpson(integrate.simpson(integrand, x=g, axis=1), x=g)
    assert kl_mvn(m1, c1, m2, c2, base=np.e) == pytest.approx(val, rel=1e-6)


def test_mvn_against_explicit_formula_and_diagonal_sum():
    rng = np.random.default_rng(2)
    k = 4
    m1, m2 = rng.normal(size=k), rng.normal(size=k)
    c1, c2 = _random_spd(rng, k), _random_spd(rng, k)
    inv2 = np.linalg.inv(c2)
    d = m2 - m1
    explicit = 0.5 * (np.trace(inv2 @ c1) + d @ inv2 @ d - k
                      + np.linalg.slogdet(c2)[1] - np.linalg.slogdet(c1)[1])
    assert kl_mvn(m1, c1, m2, c2, base=np.e) == pytest.approx(explicit, rel=1e-10)
    s1, s2 = rng.uniform(0.5, 2, k), rng.uniform(0.5, 2, k)
    assert kl_mvn(m1, np.diag(s1**2), m2, np.diag(s2**2)) == pytest.approx(
        kl_gaussian(m1, s1, m2, s2).sum(), rel=1e-12)


def test_mvn_ill_conditioned_stays_accurate():
    # Nearly singular but valid: identical arguments give 0, and a tiny mean
    # shift along the thin direction gives d^2 / (2 * smallest eigenvalue).
    c = np.array([[1.0, 1 - 1e-9], [1 - 1e-9, 1.0]])
    val = kl_mvn([0, 0], c, [0, 0], c)
    assert val == pytest.approx(0.0, abs=1e-6)
    w, v = np.linalg.eigh(c)
    d = 1e-6 * v[:, 0]
    assert kl_mvn([0, 0], c, d, c, base=np.e) == pytest.approx(1e-12 / (2 * w[0]), rel=1e-4)


@pytest.mark.parametrize("args, match", [
    (([0, 0], np.eye(2), [0, 0, 0], np.eye(3)), "different lengths"),
    (([0, 0], np.eye(3), [0, 0], np.eye(2)), "cov1 must be a 2x2 matrix"),
    (([0, 0], np.eye(2), [0, 0], [[1, 0.5], [0.4, 1]]), "cov2 is not symmetric"),
    (([0, 0], [[1, 2], [2, 1]], [0, 0], np.eye(2)), "cov1 is not positive definite"),
    (([0, 0], np.eye(2), [0, 0], np.zeros((2, 2))), "cov2 is not positive definite"),
    (([[0, 0]], np.eye(2), [0, 0], np.eye(2)), "mu1 must be a 1-D"),
    (([0, np.nan], np.eye(2), [0, 0], np.eye(2)), "mu1 contains nan"),
])
def test_mvn_errors(args, match):
    with pytest.raises(ValueError, match=match):
        kl_mvn(*args)
