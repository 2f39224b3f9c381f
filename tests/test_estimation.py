"""klcourse.estimation: closed forms within sampling error, coverage of error bars, properties, bad input."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import multivariate_normal, norm

from klcourse import kl_divergence
from klcourse.estimation import (bootstrap_ci, kl_from_counts, kl_knn, kl_monte_carlo,
                                 plugin_bias)
from klcourse.gaussian import kl_gaussian, kl_mvn

counts = arrays(np.int64, st.integers(2, 8), elements=st.integers(0, 50))


# ---------------------------------------------------------------- plug-in from counts

@settings(max_examples=200, deadline=None)
@given(counts, counts, st.sampled_from([0.0, 0.5, 1.0]))
def test_kl_from_counts_is_kl_of_the_normalised_counts(cp, cq, a):
    k = min(len(cp), len(cq))
    cp, cq = cp[:k], cq[:k]
    if cp.sum() == 0 or cq.sum() == 0:
        return
    p = (cp + a) / (cp.sum() + a * k)
    q = (cq + a) / (cq.sum() + a * k)
    expected = sum(pi * math.log2(pi / qi) if qi > 0 else math.inf
                   for pi, qi in zip(p, q) if pi > 0)
    got = kl_from_counts(cp, cq, pseudocount=a)
    if math.isinf(expected):
        assert got == math.inf
    else:
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)
        assert got == pytest.approx(kl_divergence(p, q), rel=1e-12, abs=1e-15)


def test_empty_q_cell_is_infinite_without_smoothing_and_finite_with_it():
    assert kl_from_counts([3, 1], [4, 0]) == math.inf
    assert math.isfinite(kl_from_counts([3, 1], [4, 0], pseudocount=0.5))


def test_plugin_bias_formula_matches_simulation():
    p = np.array([0.4, 0.3, 0.2, 0.1])
    q = np.array([0.25, 0.25, 0.25, 0.25])
    n = m = 400
    rng = np.random.default_rng(5)
    reps = 4000
    est = np.array([kl_from_counts(rng.multinomial(n, p), rng.multinomial(m, q), base=np.e)
                    for _ in range(reps)])
    exact = kl_divergence(p, q, base=np.e)
    se = est.std(ddof=1) / math.sqrt(reps)
    predicted = exact + plugin_bias(p, q, n, m, base=np.e)
    assert abs(est.mean() - predicted) < 4 * se + 1e-4
    assert est.mean() - exact > 5 * se           # the bias is real, and upward here


# ---------------------------------------------------------------- Monte Carlo

def test_monte_carlo_against_closed_form_and_its_error_bar_covers():
    rng = np.random.default_rng(2)
    p, q = norm(0, 1), norm(0.7, 1.3)
    exact = kl_gaussian(0, 1, 0.7, 1.3, base=np.e)
    hits = 0
    reps = 300
    for _ in range(reps):
        r = kl_monte_carlo(p.logpdf, q.logpdf, p.rvs(size=200, random_state=rng), base=np.e)
        hits += abs(r.estimate - exact) <= 1.96 * r.stderr
    assert 0.90 <= hits / reps <= 0.99               # nominal 95 %
    big = kl_monte_carlo(p.logpdf, q.logpdf, p.rvs(size=200_000, random_state=rng))
    assert abs(big.estimate - exact / math.log(2)) < 4 * big.stderr


def test_monte_carlo_infinite_when_q_has_no_density_where_p_has():
    from scipy.stats import uniform
    r = kl_monte_carlo(norm(0, 1).logpdf, uniform(0, 1).logpdf, np.array([-1.0, 0.5, 0.2]))
    assert r.estimate == math.inf


# ---------------------------------------------------------------- k-NN

@pytest.mark.parametrize("d,n,tol", [(1, 20_000, 0.03), (2, 20_000, 0.05), (5, 20_000, 0.15)])
def test_knn_converges_to_the_gaussian_closed_form(d, n, tol):
    rng = np.random.default_rng(d)
    cov_q = np.diag(np.linspace(1.5, 2.5, d))
    x = rng.normal(size=(n, d))
    y = rng.multivariate_normal(np.full(d, 0.5), cov_q, size=n)
    exact = kl_mvn(np.zeros(d), np.eye(d), np.full(d, 0.5), cov_q, base=np.e)
    assert kl_knn(x, y, k=5, base=np.e) == pytest.approx(exact, abs=tol)


def test_knn_one_dimensional_input_and_bits():
    rng = np.random.default_rng(0)
    x, y = rng.normal(0, 1, 5000), rng.normal(1, 1, 5000)
    assert kl_knn(x, y, k=3) == pytest.approx(kl_knn(x[:, None], y[:, None], k=3) , rel=1e-12)
    assert kl_knn(x, y, k=3) == pytest.approx(kl_knn(x, y, k=3, base=np.e) / math.log(2))


@settings(max_examples=40, deadline=None)
@given(st.floats(-100, 100), st.floats(-100, 100), st.floats(0, 2 * math.pi), st.integers(0, 10**6))
def test_knn_invariant_under_a_common_shift_and_rotation(dx, dy, angle, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(300, 2))
    y = rng.normal(size=(200, 2)) * [1.0, 2.0] + [0.3, -0.2]
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    moved = kl_knn(x @ rot.T + [dx, dy], y @ rot.T + [dx, dy], k=2)
    assert moved == pytest.approx(kl_knn(x, y, k=2), rel=1e-6, abs=1e-6)


def test_knn_single_estimates_can_be_negative_but_average_near_truth():
    rng = np.random.default_rng(9)
    est = [kl_knn(rng.normal(size=50), rng.normal(size=50), k=1) for _ in range(200)]
    assert min(est) < 0
    assert abs(np.mean(est)) < 0.1


def test_knn_ties_give_a_finite_estimate_and_a_warning():
    x = np.array([0.0, 0.0, 0.0, 1.0, 2.0, 2.0, 3.0])
    y = np.array([0.5, 0.5, 1.5, 2.5, 3.5])
    with pytest.warns(UserWarning, match="exact repeats"):
        got = kl_knn(x, y, k=1)
    assert math.isfinite(got)
    rng = np.random.default_rng(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kl_knn(rng.normal(size=100), rng.normal(size=100))     # continuous: no warning


# ---------------------------------------------------------------- bootstrap

def test_bootstrap_is_seeded_and_covers_the_truth_by_simulation():
    p = np.array([0.5, 0.3, 0.2])
    q = np.array([0.3, 0.3, 0.4])
    exact = kl_divergence(p, q)
    rng = np.random.default_rng(3)

    def stat(a, b):
        return kl_from_counts(np.bincount(a, minlength=3), np.bincount(b, minlength=3))

    hits = 0
    reps = 60
    for r in range(reps):
        a, b = rng.choice(3, 2000, p=p), rng.choice(3, 2000, p=q)
        ci = bootstrap_ci(stat, a, b, n_resamples=300, level=0.9, seed=r)
        hits += ci.low <= exact <= ci.high
    assert 0.75 <= hits / reps <= 1.0                # nominal 90 %
    a, b = rng.choice(3, 500, p=p), rng.choice(3, 500, p=q)
    assert bootstrap_ci(stat, a, b, n_resamples=200, seed=7) == \
        bootstrap_ci(stat, a, b, n_resamples=200, seed=7)


def test_bootstrap_keeps_rows_of_multivariate_samples_whole():
    x = np.column_stack([np.arange(50.0), np.arange(50.0)])   # rows (i, i)
    ci = bootstrap_ci(lambda a: float(np.mean(a[:, 0] == a[:, 1])), x, n_resamples=50)
    assert ci.low == ci.high == 1.0


# ---------------------------------------------------------------- bad input

BAD = [
    (lambda: kl_from_counts([1, -1], [1, 1]), ValueError, "negative"),
    (lambda: kl_from_counts([0.5, 0.5], [1, 1]), ValueError, "not a whole number"),
    (lambda: kl_from_counts([1, 2, 3], [1, 2]), ValueError, "same cells"),
    (lambda: kl_from_counts([0, 0], [1, 2]), ValueError, "all zeros"),
    (lambda: kl_from_counts([1, np.nan], [1, 2]), ValueError, "NaN"),
    (lambda: kl_from_counts([1, 2], [1, 2], pseudocount=-1), ValueError, "pseudocount"),
    (lambda: kl_from_counts(["1", "2"], [1, 2]), TypeError, "counts"),
    (lambda: kl_knn([0.0, np.nan, 1.0], [0.0, 1.0]), ValueError, "NaN and infinite"),
    (lambda: kl_knn([0.0, np.inf, 1.0], [0.0, 1.0]), ValueError, "NaN and infinite"),
    (lambda: kl_knn(np.zeros((5, 2)), np.zeros((5, 3))), ValueError, "dimension"),
    (lambda: kl_knn([0.0, 1.0], [0.0, 1.0, 2.0], k=2), ValueError, "at least k \\+ 1"),
    (lambda: kl_knn([0.0, 1.0, 2.0], [0.0], k=2), ValueError, "needs at least 2"),
    (lambda: kl_knn([0.0, 1.0, 2.0], [0.0, 1.0], k=0), ValueError, "at least 1"),
    (lambda: kl_knn([0.0, 1.0, 2.0], [0.0, 1.0], k=1.5), TypeError, "whole number"),
    (lambda: kl_knn(np.ma.masked_array([0.0, 1.0, 2.0], [0, 1, 0]), [0.0, 1.0]), TypeError, "masked"),
    (lambda: kl_knn([[0.0, 1.0], [2.0]], [0.0, 1.0]), ValueError, "ragged"),
    (lambda: kl_monte_carlo(norm().logpdf, norm().logpdf, [0.0, np.nan]), ValueError, "NaN"),
    (lambda: kl_monte_carlo(norm().logpdf, lambda x: np.zeros(1), [0.0, 1.0]), ValueError,
     "one log density per sample"),
    (lambda: kl_monte_carlo(norm().logpdf, norm().logpdf, [0.0]), ValueError, "at least 2"),
    (lambda: kl_monte_carlo("norm", norm().logpdf, [0.0, 1.0]), TypeError, "functions"),
    (lambda: bootstrap_ci(lambda a: 0.0, [1.0, 2.0], level=1.5), ValueError, "level"),
    (lambda: bootstrap_ci(lambda a: 0.0, [1.0]), ValueError, "at least 2"),
    (lambda: bootstrap_ci(lambda a: 0.0, [1.0, 2.0], seed=-1), ValueError, "seed"),
    (lambda: bootstrap_ci(lambda a: 0.0, [1.0, 2.0], n_resamples=10**12), ValueError, "n_resamples"),
    (lambda: bootstrap_ci(np.mean, np.ma.masked_array([1.0, 2.0, 1e9], [0, 0, 1])), TypeError,
     "masked"),
    (lambda: bootstrap_ci(lambda a, b: kl_from_counts(np.bincount(a, minlength=2),
                                                      np.bincount(b, minlength=2)),
                          np.array([0, 1, 1, 1]), np.array([0, 0, 0, 1]), n_resamples=50),
     ValueError, "infinite or NaN"),
    (lambda: kl_monte_carlo(norm().logpdf, norm().logpdf,
                            np.ma.masked_array([0.0, 1.0, 1e6], [0, 0, 1])), TypeError, "masked"),
    (lambda: kl_knn([0.0, 1.0, 2.0], [0.0, 1.0], base=1), ValueError, "base"),
    (lambda: kl_knn([0.0, 1.0, 2.0], [0.0, 1.0], base=0), ValueError, "base"),
    (lambda: kl_monte_carlo(norm().logpdf, norm().logpdf, [0.0, 1.0], base=-2), ValueError, "base"),
    (lambda: plugin_bias([0.5, 0.5], [0.5, 0.5], 0, 10), ValueError, "at least 1"),
    (lambda: plugin_bias([0.5, 0.5], [0.5, 0.5], 2.5, 10), TypeError, "whole number"),
]


@pytest.mark.parametrize("call,error,message", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_input_is_refused_clearly(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_multivariate_monte_carlo_matches_kl_mvn():
    rng = np.random.default_rng(1)
    c2 = np.array([[2.0, 0.3], [0.3, 1.0]])
    p, q = multivariate_normal([0, 0], np.eye(2)), multivariate_normal([1, 0], c2)
    r = kl_monte_carlo(p.logpdf, q.logpdf, p.rvs(size=100_000, random_state=rng), base=np.e)
    assert abs(r.estimate - kl_mvn([0, 0], np.eye(2), [1, 0], c2, base=np.e)) < 4 * r.stderr


def test_subsampling_interval_for_knn_covers_the_truth_by_simulation():
    exact = kl_gaussian(0, 1, 1.0, 1.5, base=2)
    rng = np.random.default_rng(12)
    hits, reps = 0, 40
    for r in range(reps):
        x, y = rng.normal(0, 1, 600), rng.normal(1.0, 1.5, 600)
        ci = bootstrap_ci(lambda a, b: kl_knn(a, b, k=5), x, y, n_resamples=80, level=0.9,
                          seed=r, resample="subsample")
        hits += ci.low <= exact <= ci.high
    assert 0.8 <= hits / reps <= 1.0                # nominal 90 %


def test_subsampling_interval_has_the_width_of_the_full_estimate():
    x = np.random.default_rng(4).normal(size=2000)
    ci = bootstrap_ci(lambda a: float(np.mean(a)), x, n_resamples=2000, level=0.9, seed=1,
                      resample="subsample")
    half = (ci.high - ci.low) / 2
    assert half == pytest.approx(1.645 / math.sqrt(2000), rel=0.15)


def test_the_plain_bootstrap_of_knn_is_spoiled_by_repeats():
    rng = np.random.default_rng(0)
    x, y = rng.normal(0, 1, 500), rng.normal(1.0, 1.5, 500)
    with pytest.warns(UserWarning, match="exact repeats"):
        bootstrap_ci(lambda a, b: kl_knn(a, b, k=5), x, y, n_resamples=5, seed=0)


@pytest.mark.parametrize("scale", [1e154, 1e155, 1e-160, 1e-170])
def test_knn_is_scale_invariant_even_at_extreme_scales(scale):
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=400), rng.normal(0.5, 1.2, 400)
    assert kl_knn(x * scale, y * scale, k=3) == pytest.approx(kl_knn(x, y, k=3), rel=1e-9)
