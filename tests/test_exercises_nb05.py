"""The notebook-05 exercises: each expected answer agrees with an independent computation.

(What every exercise must satisfy -- printed precision, junk, mistakes, no
leaked digits -- is tested for all notebooks at once in test_exercises.py.)
"""

import numpy as np
from scipy.optimize import brentq
from scipy.stats import poisson

from klcourse import kl_divergence
from klcourse.data import SPACE_WORM_TEETH as WORMS
from klcourse.course.exercises import evaluate, get, kind_of
from klcourse.fitting import binomial_pmf

K = np.arange(11)


def test_two_block_weight_is_the_observed_mass_of_the_upper_block():
    assert evaluate("05.two-block-w", float(WORMS[6:].sum())).correct


def test_poisson_rate_matches_the_mean_of_the_truncated_poisson():
    """Second way: the forward fit of an exponential family matches the mean."""
    def truncated_mean(lam):
        q = poisson.pmf(K, lam) / poisson.cdf(10, lam)
        return float(q @ K) - float(WORMS @ K)

    lam = brentq(truncated_mean, 1, 20, xtol=1e-13)
    assert evaluate("05.poisson-lam", lam).correct
    q = poisson.pmf(K, lam) / poisson.cdf(10, lam)
    assert evaluate("05.poisson-divergence", kl_divergence(WORMS, q)).correct
    assert "nats" in evaluate("05.poisson-divergence", kl_divergence(WORMS, q, base=np.e)).message


def test_geometric_and_best_model():
    assert evaluate("05.geometric-theta", 0.0).correct
    assert not evaluate("05.geometric-theta", 0.1).correct
    ex = get("05.best-model")
    expected = ex.answer()
    if kind_of(ex, expected) == "choice":
        assert "poisson" in ex.options[expected][0].lower()
    else:  # the old call shape, until nb05.py is migrated
        assert evaluate("05.best-model", "Poisson ").correct
    # the binomial is not the best: its least divergence exceeds the uniform's
    best_binomial = kl_divergence(WORMS, binomial_pmf(10, float(WORMS @ K) / 10))
    assert best_binomial > kl_divergence(WORMS, np.full(11, 1 / 11))
