"""Tests of klcourse.error_exponents: FFT errors against sums over types and brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import binom

from klcourse.error_exponents import (
    bayes_error,
    chernoff_information,
    llr_lattice,
    np_test_errors,
)
from klcourse.likelihood import lr_test_exact
from klcourse.measures import kl_divergence, renyi_divergence

COINS = ([0.5, 0.5], [0.2, 0.8])
THREE = ([0.5, 0.3, 0.2], [0.2, 0.3, 0.5])
LATTICE4 = ([0.4, 0.2, 0.3, 0.1], [0.1, 0.2, 0.3, 0.4])     # ratios 4, 1, 1, 1/4


@pytest.mark.parametrize("pair", [COINS, THREE, LATTICE4, ([0.9, 0.1], [0.6, 0.4])])
@pytest.mark.parametrize("randomized", [True, False])
def test_fft_test_matches_the_sum_over_types(pair, randomized):
    ns = [1, 2, 7, 60, 150]
    fft = np_test_errors(*pair, ns, alpha=0.05, randomized=randomized)
    types = lr_test_exact(*pair, ns, alpha=0.05, randomized=randomized)
    np.testing.assert_allclose(fft.log_beta, types.log_beta, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(fft.alpha, types.alpha, atol=1e-10)


def test_fft_test_at_large_n_matches_binomial_tails():
    # Coin: T is increasing in the number of heads k, so the test accepts k above a cut.
    p1, q1, n, a = 0.5, 0.8, 20_000, 0.05
    k = np.arange(n + 1)
    lp, lq = binom.logpmf(k, n, p1), binom.logpmf(k, n, q1)
    # T = k ln(p1/q1) + (n-k) ln(p0/q0) decreases in k here: reject p for large k.
    cum_from_top = np.cumsum(np.exp(lp[::-1]))[::-1]          # P_p(K >= k)
    cut = int(np.flatnonzero(cum_from_top <= a)[0])           # reject K >= cut wholly
    gamma = (a - cum_from_top[cut]) / math.exp(lp[cut - 1])   # and K = cut-1 with prob gamma
    log_beta = logsumexp(np.concatenate([lq[:cut - 1], [math.log1p(-gamma) + lq[cut - 1]]]))
    fft = np_test_errors([1 - p1, p1], [1 - q1, q1], n, alpha=a)
    assert fft.log_beta[0] == pytest.approx(log_beta / math.log(2), rel=1e-9)
    assert fft.alpha[0] == pytest.approx(a, abs=1e-9)


def test_stein_exponent_approaches_d():
    curve = np_test_errors(*THREE, [1000, 100_000])
    d = kl_divergence(*THREE)
    gaps = d - curve.exponent
    assert (gaps > 0).all() and gaps[1] < gaps[0] / 5


def _brute_bayes(p, q, n):
    p, q = np.asarray(p), np.asarray(q)
    total = 0.0
    for seq in itertools.product(range(p.size), repeat=n):
        total += min(np.prod(p[list(seq)]), np.prod(q[list(seq)]))
    return math.log2(total / 2)


@pytest.mark.parametrize("pair", [COINS, THREE, LATTICE4])
def test_bayes_error_matches_brute_force(pair):
    for n in (1, 2, 5):
        assert bayes_error(*pair, n)[0] == pytest.approx(_brute_bayes(*pair, n), rel=1e-10)


def test_bayes_error_matches_binomial_sum_at_large_n():
    n = 5000
    k = np.arange(n + 1)
    lp, lq = binom.logpmf(k, n, 0.5), binom.logpmf(k, n, 0.8)
    ref = (logsumexp(np.minimum(lp, lq)) - math.log(2)) / math.log(2)
    assert bayes_error(*COINS, n)[0] == pytest.approx(ref, rel=1e-10)


@pytest.mark.parametrize("pair", [COINS, THREE, LATTICE4, ([0.7, 0.2, 0.1], [0.1, 0.1, 0.8])])
def test_chernoff_is_the_best_weighted_renyi_and_symmetric(pair):
    c = chernoff_information(*pair)
    grid = np.linspace(0.001, 0.999, 999)
    best = max((1 - a) * renyi_divergence(*pair, a) for a in grid)
    assert c.value == pytest.approx(best, abs=1e-5) and c.value >= best - 1e-12
    swapped = chernoff_information(pair[1], pair[0])
    assert swapped.value == pytest.approx(c.value, rel=1e-9)
    assert swapped.lam == pytest.approx(1 - c.lam, abs=1e-6)
    assert c.value <= min(kl_divergence(*pair), kl_divergence(pair[1], pair[0]))
    assert chernoff_information(*pair, base=math.e).value == pytest.approx(c.value * math.log(2))


def test_bayes_exponent_tends_to_chernoff():
    c = chernoff_information(*COINS).value
    rate = -bayes_error(*COINS, [100, 10_000, 200_000]) / np.array([100, 10_000, 200_000])
    gaps = rate - c
    assert (gaps > 0).all() and gaps[2] < 1e-4 and gaps[2] < gaps[1] < gaps[0]


def test_lattice_and_refusals():
    lat = llr_lattice(*LATTICE4)
    l_ = np.log(np.array(LATTICE4[0]) / np.array(LATTICE4[1]))
    np.testing.assert_allclose(lat.offset + lat.step * lat.m, l_, atol=1e-12)
    with pytest.raises(ValueError, match="not on a lattice"):
        llr_lattice([0.1, 0.4, 0.3, 0.2], [0.4, 0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="no outcome in common"):
        llr_lattice([1.0, 0.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="infinite"):
        np_test_errors([0.5, 0.5], [1.0, 0.0], 10)
    with pytest.raises(ValueError, match="alpha"):
        np_test_errors(*COINS, 10, alpha=1.0)
    with pytest.raises(ValueError, match="at least 1"):
        np_test_errors(*COINS, [0, 3])
    with pytest.raises(TypeError, match="positive integer"):
        bayes_error(*COINS, 2.5)
    assert chernoff_information([1.0, 0.0], [0.0, 1.0]).value == math.inf


def test_equal_hypotheses():
    curve = np_test_errors([0.3, 0.7], [0.3, 0.7], [5, 50], alpha=0.1)
    np.testing.assert_allclose(2.0 ** curve.log_beta, 0.9)
    assert chernoff_information([0.3, 0.7], [0.3, 0.7]).value == pytest.approx(0.0, abs=1e-15)
