"""Tests of klcourse.likelihood: the likelihood/KL identity, MLE = argmin KL, the law of
large numbers for the log likelihood ratio, the Neyman-Pearson test's exact errors
(against brute force) and the Chernoff-Stein exponent, and every bad input."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.optimize
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from klcourse import entropy, kl_divergence, normalize
from klcourse.fitting import Family, binomial_family, fit_by_kl
from klcourse.likelihood import (
    draw_samples,
    empirical_distribution,
    llr_variance,
    log_likelihood,
    log_likelihood_ratio,
    lr_test_exact,
    lr_test_simulate,
    stein_prediction,
)

Z95 = float(scipy.stats.norm.ppf(0.95))


# ---------------------------------------------------------------- the identity


@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 12), n=st.integers(1, 3000),
       base=st.sampled_from([2, math.e, 10]))
def test_average_log_likelihood_is_minus_entropy_minus_divergence(seed, k, n, base):
    rng = np.random.default_rng(seed)
    q = normalize(rng.random(k) + 1e-3)
    x = rng.integers(0, k, size=n)
    p_hat = empirical_distribution(x, np.arange(k))
    lhs = log_likelihood(x, q, base=base) / n
    # Second way: the average of log q over the samples, term by term.
    direct = float(np.mean(np.log(q[x]))) / math.log(base)
    rhs = -entropy(p_hat, base=base) - kl_divergence(p_hat, q, base=base)
    assert lhs == pytest.approx(rhs, abs=1e-12)
    assert direct == pytest.approx(rhs, abs=1e-12)


def test_empirical_distribution_counts_labels():
    p_hat = empirical_distribution(["b", "a", "b", "c", "b"], support=["c", "b", "a"])
    np.testing.assert_array_equal(p_hat, [0.2, 0.6, 0.2])
    assert empirical_distribution([3, 3], [1, 2, 3]).tolist() == [0, 0, 1]


def test_log_likelihood_rows_and_zero_probability():
    x = np.array([[0, 1, 1], [1, 1, 1]])
    np.testing.assert_allclose(log_likelihood(x, [0.5, 0.5]), [-3.0, -3.0])
    assert log_likelihood([0, 1], [1.0, 0.0]) == -math.inf


# ---------------------------------------------------------------- MLE = argmin KL


def tail_closed_family(name, param, domain, m, pmf, sf):
    """A family on 0..m plus one extra outcome, 'more than m', holding the tail mass.

    With an empirical distribution on 0..m (zero on the extra outcome),
    D(p_hat || q_theta) is then the exact divergence to the untruncated model.
    """
    k = np.arange(m + 1)
    return Family(name, param, domain, m + 1,
                  lambda t: np.concatenate([pmf(k, t[..., None]), sf(m, t[..., None])], axis=-1))


def samples_and_observed(x, m):
    """Empirical distribution over 0..m plus a zero for the tail outcome."""
    return np.append(empirical_distribution(x, np.arange(m + 1)), 0.0)


def numerical_mle(x, neg_loglik, bounds):
    res = scipy.optimize.minimize_scalar(neg_loglik, bounds=bounds, method="bounded",
                                         options={"xatol": 1e-12})
    return res.x


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bernoulli_and_binomial_kl_minimiser_is_the_mle(seed):
    rng = np.random.default_rng(seed)
    for trials in (1, 10):
        x = rng.binomial(trials, 0.37, size=200)
        closed = x.mean() / trials
        fit = fit_by_kl(empirical_distribution(x, np.arange(trials + 1)),
                        binomial_family(trials), (0.0, 1.0))
        numeric = numerical_mle(
            x, lambda t: -scipy.stats.binom.logpmf(x, trials, t).sum(), (1e-9, 1 - 1e-9))
        assert fit.param == pytest.approx(closed, abs=1e-7)
        assert numeric == pytest.approx(closed, abs=1e-6)


@pytest.mark.parametrize("seed", [0, 1])
def test_poisson_kl_minimiser_is_the_sample_mean(seed):
    x = np.random.default_rng(seed).poisson(3.3, size=300)
    m = int(x.max())
    fam = tail_closed_family("Poisson", "lam", (0.0, math.inf), m,
                             lambda k, t: scipy.stats.poisson.pmf(k, t),
                             lambda m_, t: scipy.stats.poisson.sf(m_, t))
    fit = fit_by_kl(samples_and_observed(x, m), fam, (0.01, 20.0))
    numeric = numerical_mle(x, lambda t: -scipy.stats.poisson.logpmf(x, t).sum(), (0.01, 20.0))
    assert fit.param == pytest.approx(x.mean(), abs=1e-6)
    assert numeric == pytest.approx(x.mean(), abs=1e-6)


@pytest.mark.parametrize("seed", [0, 1])
def test_geometric_kl_minimiser_is_one_over_one_plus_mean(seed):
    # Failures before the first success: P(k) = theta (1 - theta)^k, MLE 1 / (1 + mean).
    x = np.random.default_rng(seed).geometric(0.3, size=300) - 1
    m = int(x.max())
    fam = tail_closed_family("Geometric", "theta", (0.0, 1.0), m,
                             lambda k, t: scipy.stats.geom.pmf(k + 1, t),
                             lambda m_, t: scipy.stats.geom.sf(m_ + 1, t))
    fit = fit_by_kl(samples_and_observed(x, m), fam, (0.01, 0.99))
    numeric = numerical_mle(x, lambda t: -scipy.stats.geom.logpmf(x + 1, t).sum(), (0.01, 0.99))
    assert fit.param == pytest.approx(1 / (1 + x.mean()), abs=1e-6)
    assert numeric == pytest.approx(1 / (1 + x.mean()), abs=1e-6)


def test_kl_and_negative_average_loglik_differ_by_the_empirical_entropy():
    x = np.random.default_rng(5).binomial(10, 0.6, size=80)
    p_hat = empirical_distribution(x, np.arange(11))
    fam = binomial_family(10)
    for theta in np.linspace(0.05, 0.95, 19):
        q = fam.pmf(theta)
        gap = -log_likelihood(x, q) / x.size - kl_divergence(p_hat, q)
        assert gap == pytest.approx(entropy(p_hat), abs=1e-12)


# ---------------------------------------------------------------- law of large numbers


P3, Q3 = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])


def test_llr_running_mean_converges_to_divergence():
    n = 200_000
    x = draw_samples(P3, n, seed=11)
    r = log_likelihood_ratio(x, P3, Q3)
    d, v = kl_divergence(P3, Q3), llr_variance(P3, Q3)
    # Tolerance: 4 standard errors of the mean of n i.i.d. terms.
    assert abs(r.running_mean[-1] - d) < 4 * math.sqrt(v / n)
    assert r.running_mean[99] == pytest.approx(r.values[:100].mean())


def test_llr_spread_over_seeds_matches_the_clt():
    x = draw_samples(P3, 2000, trials=400, seed=12)
    means = log_likelihood_ratio(x, P3, Q3).running_mean[:, -1]
    sd = math.sqrt(llr_variance(P3, Q3) / 2000)
    assert abs(means.mean() - kl_divergence(P3, Q3)) < 4 * sd / math.sqrt(400)
    assert means.std(ddof=1) == pytest.approx(sd, rel=0.15)


def test_llr_under_q_goes_to_minus_reverse_divergence():
    x = draw_samples(Q3, 100_000, seed=13)
    r = log_likelihood_ratio(x, P3, Q3, base=math.e)
    assert r.running_mean[-1] == pytest.approx(-kl_divergence(Q3, P3, base=math.e), abs=0.02)


def test_llr_variance_second_way():
    x = draw_samples(P3, 400_000, seed=14)
    vals = log_likelihood_ratio(x, P3, Q3).values
    assert vals.var() == pytest.approx(llr_variance(P3, Q3), rel=0.02)


def test_draw_samples_is_seeded_and_has_the_right_frequencies():
    a = draw_samples(P3, 50_000, seed=3)
    np.testing.assert_array_equal(a, draw_samples(P3, 50_000, seed=3))
    assert not np.array_equal(a, draw_samples(P3, 50_000, seed=4))
    np.testing.assert_allclose(empirical_distribution(a, [0, 1, 2]), P3, atol=0.01)


# ---------------------------------------------------------------- exact Neyman-Pearson


def brute_force_np(p, q, n, alpha, randomized):
    """Both errors of the Neyman-Pearson test by listing every sequence of length n."""
    seqs = np.array(list(itertools.product(range(len(p)), repeat=n)))
    with np.errstate(divide="ignore"):
        t = np.log(p[seqs]).sum(1) - np.log(q[seqs]).sum(1)
    pp, pq = p[seqs].prod(1), q[seqs].prod(1)
    keep = pp > 0
    t, pp, pq = t[keep], pp[keep], pq[keep]
    cum = 0.0
    for v in np.unique(np.round(t, 9)):
        atom = np.isclose(t, v, rtol=0, atol=1e-7)  # equal infinities count as one atom
        a_atom = pp[atom].sum()
        if cum + a_atom >= alpha * (1 + 1e-12):
            gamma = (alpha - cum) / a_atom if randomized else 0.0
            return cum + gamma * a_atom, (1 - gamma) * pq[atom].sum() + pq[t > v + 1e-7].sum()
        cum += a_atom
    return cum, 0.0


@pytest.mark.parametrize("p,q", [
    ([0.5, 0.3, 0.2], [0.2, 0.3, 0.5]),
    ([0.5, 0.25, 0.25], [0.25, 0.5, 0.25]),     # many ties in the statistic
    ([0.6, 0.4, 0.0], [0.3, 0.3, 0.4]),          # outcome impossible under p
    ([0.5, 0.3, 0.2], [0.5, 0.5, 0.0]),          # q misses an outcome: D = inf
])
@pytest.mark.parametrize("randomized", [True, False])
def test_exact_errors_match_brute_force(p, q, randomized):
    p, q = np.array(p), np.array(q)
    for n in (1, 2, 5, 7):
        for alpha in (0.05, 0.3):
            a_bf, b_bf = brute_force_np(p, q, n, alpha, randomized)
            curve = lr_test_exact(p, q, n, alpha=alpha, randomized=randomized, base=math.e)
            assert curve.alpha[0] == pytest.approx(a_bf, abs=1e-12)
            assert curve.beta[0] == pytest.approx(b_bf, rel=1e-9, abs=1e-300)
            if randomized:
                assert curve.alpha[0] == pytest.approx(alpha, abs=1e-12)
            else:
                assert curve.alpha[0] <= alpha + 1e-12


def test_randomising_helps_and_beta_decreases_with_n():
    ns = np.arange(1, 200, 7)
    rnd = lr_test_exact([0.5, 0.5], [0.8, 0.2], ns)
    det = lr_test_exact([0.5, 0.5], [0.8, 0.2], ns, randomized=False)
    assert np.all(rnd.log_beta <= det.log_beta + 1e-12)
    assert np.all(np.diff(rnd.log_beta) < 0)


def test_binary_exact_against_binomial_tail():
    # Second way for a coin: T increases with the number of ones, so the
    # non-randomised test rejects p when the ones fall below a binomial quantile.
    p, q, n, alpha = np.array([0.5, 0.5]), np.array([0.8, 0.2]), 60, 0.05
    curve = lr_test_exact(p, q, n, alpha=alpha, randomized=False, base=math.e)
    cdf_p = scipy.stats.binom.cdf(np.arange(n + 1), n, p[1])
    c = int(np.searchsorted(cdf_p, alpha, side="right"))   # reject p when ones < c
    assert curve.alpha[0] == pytest.approx(scipy.stats.binom.cdf(c - 1, n, p[1]), rel=1e-9)
    assert curve.beta[0] == pytest.approx(scipy.stats.binom.sf(c - 1, n, q[1]), rel=1e-9)


# ---------------------------------------------------------------- Chernoff-Stein


def test_exponent_approaches_divergence():
    """Stated tolerance: the exact exponent is within 0.006 bits of D(p||q) = 0.322 bits at
    n = 10^5, the gap shrinks as n grows, and it matches the second-order prediction
    D - sqrt(V/n) z_{0.95} to within log2(n)/n bits per sample."""
    p, q = [0.5, 0.5], [0.8, 0.2]
    d = kl_divergence(p, q)
    ns = np.array([100, 1000, 10_000, 100_000])
    curve = lr_test_exact(p, q, ns, alpha=0.05)
    gaps = d - curve.exponent
    assert np.all(gaps > 0) and np.all(np.diff(gaps) < 0)
    assert gaps[-1] < 0.006
    second = -stein_prediction(p, q, ns, alpha=0.05) / ns
    assert np.all(np.abs(curve.exponent - second) < np.log2(ns) / ns)


def test_exponent_three_outcomes():
    ns = np.array([200, 800])
    curve = lr_test_exact(P3, Q3, ns, alpha=0.1)
    d = kl_divergence(P3, Q3)
    second = -stein_prediction(P3, Q3, ns, alpha=0.1) / ns
    assert np.all(curve.exponent < d)
    assert np.all(np.abs(curve.exponent - second) < np.log2(ns) / ns)


def test_importance_sampling_agrees_with_exact_where_naive_sees_nothing():
    p, q = [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]
    ns = [20, 100, 300]
    exact = lr_test_exact(p, q, ns)
    sim = lr_test_simulate(p, q, ns, trials=20_000, seed=1, naive=True)
    # Threshold noise adds a little on top of the sampling error: 4 standard errors + 0.15 bit.
    assert np.all(np.abs(sim.log_beta - exact.log_beta) < 4 * sim.stderr + 0.15)
    assert np.all(np.abs(sim.alpha - 0.05) < 0.01)
    assert exact.beta[-1] < 1e-20 and sim.naive_beta[-1] == 0.0
    assert sim.naive_beta[0] == pytest.approx(exact.beta[0], abs=0.02)


def test_simulation_is_seeded():
    a = lr_test_simulate(P3, Q3, [10, 50], trials=2000, seed=7)
    b = lr_test_simulate(P3, Q3, [10, 50], trials=2000, seed=7)
    np.testing.assert_array_equal(a.log_beta, b.log_beta)


def test_equal_hypotheses_and_infinite_divergence():
    same = lr_test_exact([0.3, 0.7], [0.3, 0.7], [1, 10, 100])
    np.testing.assert_allclose(same.beta, 0.95, rtol=1e-9)
    # q never shows outcome 2, p shows it with probability 0.2: beta is 0 for large n.
    inf = lr_test_exact([0.5, 0.3, 0.2], [0.5, 0.5, 0.0], [50])
    assert inf.log_beta[0] == -math.inf
    sim = lr_test_simulate([0.5, 0.3, 0.2], [0.5, 0.5, 0.0], [50], trials=2000)
    assert sim.log_beta[0] == -math.inf


def test_stein_prediction_orders():
    p, q = [0.5, 0.5], [0.8, 0.2]
    n = np.array([10, 100])
    first = stein_prediction(p, q, n, order=1)
    np.testing.assert_allclose(first, -n * kl_divergence(p, q))
    second = stein_prediction(p, q, n, order=2, base=math.e)
    expected = -n * kl_divergence(p, q, base=math.e) + np.sqrt(
        n * llr_variance(p, q, base=math.e)) * Z95
    np.testing.assert_allclose(second, expected)


# ---------------------------------------------------------------- bad input


def test_samples_outside_the_support():
    with pytest.raises(ValueError, match=r"sample value 3 is outside the support 0..2"):
        log_likelihood([0, 3], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match=r"sample value 'd' is not in the support"):
        empirical_distribution(["a", "d"], ["a", "b"])
    with pytest.raises(ValueError, match=r"outside the support"):
        log_likelihood_ratio([-1], P3, Q3)
    with pytest.raises(TypeError, match=r"integer outcome indices"):
        log_likelihood([0.0, 1.0], [0.5, 0.5])
    with pytest.raises(ValueError, match=r"more than once"):
        empirical_distribution([1], [1, 1])
    with pytest.raises(ValueError, match=r"support has 3 outcomes but the model has 2"):
        log_likelihood([1], [0.5, 0.5], support=[0, 1, 2])
    with pytest.raises(ValueError, match=r"empty"):
        empirical_distribution([], [0, 1])


def test_models_that_are_not_distributions():
    with pytest.raises(ValueError, match=r"model_pmf sums to 1.1"):
        log_likelihood([0], [0.5, 0.6])
    with pytest.raises(ValueError, match=r"model_pmf has a negative entry"):
        log_likelihood([0], [1.5, -0.5])
    with pytest.raises(ValueError, match=r"q contains NaN"):
        log_likelihood_ratio([0], [0.5, 0.5], [np.nan, 1.0])
    with pytest.raises(ValueError, match=r"1-D probability vector"):
        log_likelihood([0], [[0.5, 0.5]])
    with pytest.raises(ValueError, match=r"p and q have 2 and 3 outcomes"):
        lr_test_exact([0.5, 0.5], [0.2, 0.3, 0.5], 5)
    with pytest.raises(ValueError, match=r"probability 0 under both p and q"):
        log_likelihood_ratio([2], [0.5, 0.5, 0.0], [0.5, 0.5, 0.0])


def test_bad_sample_sizes_and_levels():
    with pytest.raises(ValueError, match=r"sample sizes must be positive integers, got 0"):
        lr_test_exact(P3, Q3, [0, 5])
    with pytest.raises(ValueError, match=r"positive integer"):
        draw_samples(P3, -1)
    with pytest.raises(TypeError, match=r"n must hold integers"):
        lr_test_simulate(P3, Q3, [2.5])
    with pytest.raises(ValueError, match=r"alpha .* strictly between 0 and 1"):
        lr_test_exact(P3, Q3, 5, alpha=1.0)
    with pytest.raises(ValueError, match=r"trials=10 is too few"):
        lr_test_simulate(P3, Q3, 5, trials=10, alpha=0.05)
    with pytest.raises(ValueError, match=r"types .* use lr_test_simulate"):
        lr_test_exact(normalize(np.ones(6)), normalize(np.arange(1, 7)), 500)
    with pytest.raises(ValueError, match=r"order must be 1"):
        stein_prediction(P3, Q3, 5, order=3)
