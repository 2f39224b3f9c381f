"""Tests of klcourse.fitting: pmfs, families, KL curves and fits (notebook 05)."""

import math
from dataclasses import FrozenInstanceError

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from klcourse import entropy, kl_divergence
from klcourse.data import SPACE_WORM_TEETH
from klcourse.fitting import (
    Family,
    binomial_family,
    binomial_pmf,
    fit_binomial,
    fit_by_kl,
    geometric_family,
    kl_curve,
    poisson_family,
    two_block_family,
    uniform_pmf,
)

WORMS = SPACE_WORM_TEETH
K10 = np.arange(11)


@st.composite
def distributions(draw, min_n=1, max_n=14, positive=False):
    """A random distribution on 0..n (entries from integer weights, so sums are exact enough)."""
    n = draw(st.integers(min_n, max_n))
    lo = 1 if positive else 0
    weights = draw(st.lists(st.integers(lo, 1000), min_size=n + 1, max_size=n + 1)
                   .filter(lambda w: sum(w) > 0))
    w = np.array(weights, dtype=float)
    return w / w.sum()


# ---------------------------------------------------------------- pmfs


@pytest.mark.parametrize("n", [0, 1, 2, 10, 25])
@pytest.mark.parametrize("p", [0.0, 0.01, 0.3, 0.5, 0.544, 0.99, 1.0])
def test_binomial_pmf_matches_the_formula_and_scipy(n, p):
    mine = binomial_pmf(n, p)
    formula = np.array([math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)])
    assert mine.shape == (n + 1,)
    np.testing.assert_allclose(mine, formula, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(mine, stats.binom.pmf(np.arange(n + 1), n, p), rtol=1e-10, atol=1e-15)
    assert abs(mine.sum() - 1) < 1e-12


def test_binomial_pmf_is_vectorised_over_p():
    p = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    out = binomial_pmf(10, p)
    assert out.shape == (2, 3, 11)
    for idx in np.ndindex(p.shape):
        np.testing.assert_array_equal(out[idx], binomial_pmf(10, float(p[idx])))


def test_binomial_pmf_large_n_does_not_overflow():
    q = binomial_pmf(2000, 0.3)
    assert np.all(np.isfinite(q)) and abs(q.sum() - 1) < 1e-10
    assert int(np.argmax(q)) == 600


@pytest.mark.parametrize("p, match", [(1.2, r"p must lie in \[0, 1\].*1\.2"),
                                      (-0.1, r"p must lie in \[0, 1\]"),
                                      ([0.2, float("nan")], "NaN"),
                                      ([0.5, 2.0], "at index 1")])
def test_binomial_pmf_rejects_bad_p(p, match):
    with pytest.raises(ValueError, match=match):
        binomial_pmf(10, p)


@pytest.mark.parametrize("n, exc", [(-1, ValueError), (2.5, TypeError), (True, TypeError)])
def test_binomial_pmf_rejects_bad_n(n, exc):
    with pytest.raises(exc, match="n must"):
        binomial_pmf(n, 0.5)


def test_uniform_pmf():
    np.testing.assert_allclose(uniform_pmf(10), np.full(11, 1 / 11))
    # The divergence to the uniform is log(n+1) - H(observed): a second way.
    assert kl_divergence(WORMS, uniform_pmf(10)) == pytest.approx(math.log2(11) - entropy(WORMS), abs=1e-12)


# ---------------------------------------------------------------- families


@pytest.mark.parametrize("lam", [0.0, 0.5, 5.44, 12.0])
def test_poisson_family_is_the_truncated_renormalised_poisson(lam):
    q = poisson_family(10).pmf(lam)
    if lam == 0:
        expected = np.eye(11)[0]
    else:
        raw = stats.poisson.pmf(K10, lam)
        expected = raw / stats.poisson.cdf(10, lam)
    np.testing.assert_allclose(q, expected, rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("theta", [0.0, 0.2, 0.7, 1.0])
def test_geometric_family_is_the_truncated_renormalised_geometric(theta):
    q = geometric_family(10).pmf(theta)
    raw = np.array([theta * (1 - theta) ** k for k in range(11)]) if theta > 0 else np.ones(11)
    np.testing.assert_allclose(q, raw / raw.sum(), rtol=1e-12)


def test_two_block_family_values_and_uniform_member():
    fam = two_block_family(10, 6)
    q = fam.pmf(0.3)
    np.testing.assert_allclose(q[:6], 0.7 / 6)
    np.testing.assert_allclose(q[6:], 0.3 / 5)
    np.testing.assert_allclose(fam.pmf(5 / 11), uniform_pmf(10), rtol=1e-14)
    with pytest.raises(ValueError, match="split must be"):
        two_block_family(10, 0)
    with pytest.raises(ValueError, match="split must be"):
        two_block_family(10, 11)


def test_family_checks_its_domain_and_pmf_shape():
    with pytest.raises(ValueError, match=r"lam must lie in \[0, inf\]"):
        poisson_family(10).pmf(-1.0)
    broken = Family("broken", "t", (0.0, 1.0), 3, lambda t: np.ones(3) / 3)
    with pytest.raises(ValueError, match="pmf_func returned shape"):
        broken.pmf(0.5)


# ---------------------------------------------------------------- curves


def test_kl_curve_matches_kl_divergence_pointwise():
    fam = binomial_family(10)
    ps = np.linspace(0.05, 0.95, 7)
    fwd = kl_curve(WORMS, fam, ps)
    rev = kl_curve(WORMS, fam, ps, direction="reverse", base=np.e)
    for p, f, r in zip(ps, fwd, rev):
        q = binomial_pmf(10, p)
        assert f == pytest.approx(kl_divergence(WORMS, q), rel=1e-12)
        assert r == pytest.approx(kl_divergence(q, WORMS, base=np.e), rel=1e-12)
    assert kl_curve(WORMS, fam, 0.5).shape == ()
    assert kl_curve(WORMS, fam, [[0.2, 0.3]]).shape == (1, 2)


def test_forward_curve_matches_the_negative_log_likelihood_formula():
    """Second way: D(o || Bin(n,p)) = -H(o) - sum o_k log2 C(n,k) - n[m log2 p + (1-m) log2(1-p)]."""
    n = 10
    m = float(WORMS @ K10) / n
    ps = np.linspace(0.01, 0.99, 99)
    log_c = np.log2([math.comb(n, k) for k in range(n + 1)])
    closed = -entropy(WORMS) - WORMS @ log_c - n * (m * np.log2(ps) + (1 - m) * np.log2(1 - ps))
    np.testing.assert_allclose(kl_curve(WORMS, binomial_family(n), ps), closed, rtol=1e-10)


def _second_differences(values):
    return values[2:] - 2 * values[1:-1] + values[:-2]


@settings(max_examples=40)
@given(distributions())
def test_forward_curve_is_convex_in_p(obs):
    n = obs.size - 1
    ps = np.linspace(1e-3, 1 - 1e-3, 2001)
    d = kl_curve(obs, binomial_family(n), ps)
    assert np.all(np.isfinite(d))
    second = _second_differences(d)
    # Round-off in D (about 1e-15 relative) divided by nothing: allow a tiny slack.
    assert second.min() >= -1e-9 * max(1.0, float(np.abs(d).max()))


def test_space_worm_forward_curve_is_strictly_convex():
    ps = np.linspace(1e-3, 1 - 1e-3, 2001)
    fwd = kl_curve(WORMS, binomial_family(10), ps)
    assert _second_differences(fwd).min() > 0


def test_reverse_curve_need_not_be_convex_and_the_fit_finds_the_global_minimum():
    """Convexity of D in the pair of distributions does not carry over to the parameter p."""
    u_shaped = np.array([0.3, 0.05, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.02, 0.06, 0.5])
    u_shaped = u_shaped / u_shaped.sum()
    ps = np.linspace(0, 1, 4001)
    rev = kl_curve(u_shaped, binomial_family(10), ps, direction="reverse")
    inner = rev[1:-1]
    local_minima = np.flatnonzero((inner < rev[:-2]) & (inner < rev[2:])) + 1
    assert len(local_minima) == 2
    assert _second_differences(rev).min() < 0
    fit = fit_binomial(u_shaped, direction="reverse")
    assert fit.divergence <= rev.min() + 1e-12
    assert abs(fit.p - ps[int(np.argmin(rev))]) < 1e-3
    # the forward curve of the same observation is still a single bowl
    fwd = kl_curve(u_shaped, binomial_family(10), ps[1:-1])
    assert _second_differences(fwd).min() > 0


# ---------------------------------------------------------------- fits


@settings(max_examples=60)
@given(distributions())
def test_forward_binomial_fit_is_the_mean_over_n(obs):
    n = obs.size - 1
    fit = fit_binomial(obs)
    mle = float(obs @ np.arange(n + 1)) / n
    assert fit.n == n
    assert fit.p == pytest.approx(mle, abs=1e-6)
    # and the divergence reported is the divergence at that p
    assert fit.divergence == pytest.approx(kl_divergence(obs, binomial_pmf(n, mle)), abs=1e-9)


def test_space_worm_forward_fit():
    fit = fit_binomial(WORMS)
    assert fit.p == pytest.approx(float(WORMS @ K10) / 10, abs=1e-7)
    assert fit.divergence == pytest.approx(kl_divergence(WORMS, binomial_pmf(10, fit.p)), rel=1e-12)
    assert fit.direction == "forward" and fit.base == 2
    np.testing.assert_allclose(fit.model, binomial_pmf(10, fit.p))
    # Any other p on a fine grid does no better.
    grid = np.linspace(0, 1, 100001)
    assert fit.divergence <= kl_curve(WORMS, binomial_family(10), grid).min() + 1e-12


def test_units_bits_and_nats_differ_by_ln2():
    bits = fit_binomial(WORMS)
    nats = fit_binomial(WORMS, base=np.e)
    assert nats.p == pytest.approx(bits.p, abs=1e-7)
    assert nats.divergence == pytest.approx(bits.divergence * math.log(2), rel=1e-9)


def test_reverse_fit_differs_and_agrees_with_brute_force_grid():
    fwd = fit_binomial(WORMS)
    rev = fit_binomial(WORMS, direction="reverse")
    grid = np.linspace(0, 1, 200001)
    curve = kl_curve(WORMS, binomial_family(10), grid, direction="reverse")
    i = int(np.argmin(curve))
    assert abs(rev.p - grid[i]) <= 1e-5
    assert rev.divergence <= curve[i] + 1e-12
    assert abs(rev.p - fwd.p) > 0.01
    assert rev.divergence == pytest.approx(kl_divergence(binomial_pmf(10, rev.p), WORMS), rel=1e-12)


@settings(max_examples=30)
@given(distributions(positive=True))
def test_reverse_fit_is_the_global_minimum_on_a_grid(obs):
    n = obs.size - 1
    fit = fit_binomial(obs, direction="reverse")
    grid = np.linspace(0, 1, 20001)
    curve = kl_curve(obs, binomial_family(n), grid, direction="reverse")
    assert fit.divergence <= curve.min() + 1e-10
    assert abs(fit.p - grid[int(np.argmin(curve))]) < 2e-3


def test_reverse_with_zero_observations_only_point_masses_survive():
    obs = np.array([0.1, 0.0, 0.3, 0.3, 0.2, 0.1])  # count 1 never observed
    p = np.linspace(1e-3, 1 - 1e-3, 50)
    assert np.all(np.isinf(kl_curve(obs, binomial_family(5), p, direction="reverse")))
    fit = fit_binomial(obs, direction="reverse")
    # The only finite members are the point masses at 0 (p = 0) and at 5 (p = 1).
    assert fit.p in (0.0, 1.0)
    assert fit.divergence == pytest.approx(min(-math.log2(0.1), -math.log2(0.1)))
    # With both ends unobserved too, nothing is finite: a clear error.
    obs2 = np.array([0.0, 0.2, 0.3, 0.5, 0.0])
    with pytest.raises(ValueError, match="infinite for every p"):
        fit_binomial(obs2, direction="reverse")


@settings(max_examples=40)
@given(distributions(min_n=2))
def test_two_block_forward_fit_is_the_observed_upper_mass(obs):
    n = obs.size - 1
    split = n // 2 + 1
    fit = fit_by_kl(obs, two_block_family(n, split), (0, 1))
    assert fit.param == pytest.approx(float(obs[split:].sum()), abs=1e-6)


def test_truncated_poisson_forward_fit_matches_the_mean():
    """Exponential family: the forward (maximum-likelihood) fit matches the mean."""
    fit = fit_by_kl(WORMS, poisson_family(10), (0, 30))
    assert float(fit.model @ K10) == pytest.approx(float(WORMS @ K10), abs=1e-6)
    assert fit.param > float(WORMS @ K10)  # truncation pulls the mean below lam


def test_geometric_fit_sits_on_the_boundary_at_the_uniform():
    fit = fit_by_kl(WORMS, geometric_family(10), (0, 1))
    assert fit.param == 0.0
    assert fit.divergence == pytest.approx(kl_divergence(WORMS, uniform_pmf(10)), rel=1e-12)


def test_fit_result_is_frozen_and_read_only():
    fit = fit_by_kl(WORMS, binomial_family(10), (0, 1))
    with pytest.raises(FrozenInstanceError):
        fit.param = 0.1  # type: ignore[misc]
    with pytest.raises(ValueError):
        fit.model[0] = 1.0
    assert "p = 0.544000" in str(fit) and "bits" in str(fit)
    assert fit.family == "Binomial(n=10, p)" and fit.param_name == "p"


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("observed, match", [
    ([0.5, 0.6], "observed sums to 1.1"),
    ([0.5, -0.1, 0.6], "observed has a negative entry"),
    ([0.5, float("nan"), 0.5], "observed contains NaN"),
    ([[0.5, 0.5], [0.5, 0.5]], "1-D distribution"),
    (0.5, "single number"),
])
def test_observation_must_be_a_distribution(observed, match):
    with pytest.raises(ValueError, match=match):
        fit_binomial(observed)
    with pytest.raises(ValueError, match=match):
        kl_curve(observed, binomial_family(1), [0.5])


def test_support_mismatch():
    with pytest.raises(ValueError, match="observed has 11 outcomes.*0..9"):
        fit_by_kl(WORMS, binomial_family(9), (0, 1))
    with pytest.raises(ValueError, match="observed has 11 outcomes"):
        kl_curve(WORMS, poisson_family(12), [3.0])
    with pytest.raises(ValueError, match="pass n=10"):
        fit_binomial(WORMS, n=9)
    assert fit_binomial(WORMS, n=10).n == 10


def test_parameter_outside_domain():
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\], got 1.5 at index 1"):
        kl_curve(WORMS, binomial_family(10), [0.5, 1.5])
    with pytest.raises(ValueError, match="leave the domain"):
        fit_by_kl(WORMS, binomial_family(10), (-0.1, 0.5))
    with pytest.raises(ValueError, match="low < high"):
        fit_by_kl(WORMS, binomial_family(10), (0.6, 0.5))
    with pytest.raises(TypeError, match="bounds must be a pair"):
        fit_by_kl(WORMS, binomial_family(10), 0.5)


@pytest.mark.parametrize("direction", ["backward", "Forward", None])
def test_unknown_direction(direction):
    with pytest.raises(ValueError, match="direction must be 'forward'"):
        fit_binomial(WORMS, direction=direction)
    with pytest.raises(ValueError, match="direction must be 'forward'"):
        kl_curve(WORMS, binomial_family(10), [0.5], direction=direction)


def test_family_must_be_a_family_and_base_must_be_valid():
    with pytest.raises(TypeError, match="family must be a klcourse.fitting.Family"):
        fit_by_kl(WORMS, lambda p: binomial_pmf(10, p), (0, 1))
    with pytest.raises(ValueError, match="base must be"):
        fit_binomial(WORMS, base=1)
