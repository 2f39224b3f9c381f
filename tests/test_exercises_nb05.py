"""The notebook-05 exercises: each expected answer agrees with an independent computation."""

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import poisson

from klcourse import kl_divergence
from klcourse.data import SPACE_WORM_TEETH as WORMS
from klcourse.course.exercises import evaluate, get
from klcourse.fitting import binomial_pmf

K = np.arange(11)


def _truncated_poisson_rate():
    """Second way: the forward fit of an exponential family matches the mean."""
    def truncated_mean(lam):
        q = poisson.pmf(K, lam) / poisson.cdf(10, lam)
        return float(q @ K) - float(WORMS @ K)

    return brentq(truncated_mean, 1, 20, xtol=1e-13)


def test_two_block_weight_is_the_observed_mass_of_the_upper_block():
    assert evaluate("05.two-block-w", float(WORMS[6:].sum())).correct
    assert evaluate("05.two-block-w", float(WORMS[:6].sum())).mistake == "lower-block"


def test_poisson_rate_and_saving_match_scipy():
    lam = _truncated_poisson_rate()
    assert evaluate("05.poisson-lam", lam).correct
    assert evaluate("05.poisson-lam", float(WORMS @ K)).mistake == "observed-mean"
    assert evaluate("05.poisson-direction", "b" if lam > float(WORMS @ K) else "c").correct
    q = poisson.pmf(K, lam) / poisson.cdf(10, lam)
    d_binomial = kl_divergence(WORMS, binomial_pmf(10, float(WORMS @ K) / 10))
    saving = 100 * (d_binomial - kl_divergence(WORMS, q))
    assert evaluate("05.poisson-saving", saving).correct
    assert evaluate("05.poisson-saving", saving / 100).mistake == "per-worm"
    assert "nats" in evaluate("05.poisson-saving", saving * np.log(2)).message


def test_geometric_and_best_model():
    # every truncated geometric with theta > 0 has a mean below the flat member's 5
    assert float(np.full(11, 1 / 11) @ K) < float(WORMS @ K)
    assert evaluate("05.geometric-theta", "a").correct
    assert not evaluate("05.geometric-theta", "b").correct
    assert evaluate("05.best-model", "c").correct
    assert not evaluate("05.best-model", "a").correct
    # the binomial is not the best: its least divergence exceeds the uniform's
    best_binomial = kl_divergence(WORMS, binomial_pmf(10, float(WORMS @ K) / 10))
    assert best_binomial > kl_divergence(WORMS, np.full(11, 1 / 11))


@pytest.mark.parametrize("name", ["05.poisson-direction", "05.poisson-lam", "05.poisson-saving",
                                  "05.two-block-w", "05.geometric-theta", "05.best-model"])
def test_unanswered_and_hints(name):
    assert evaluate(name, ...).status == "unanswered"
    assert get(name).hint
