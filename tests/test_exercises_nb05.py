"""The notebook-05 exercises: each expected answer agrees with an independent computation.

(What every exercise must satisfy -- printed precision, junk, mistakes, no
leaked digits -- is tested for all notebooks at once in test_exercises.py.)
"""

import numpy as np
from scipy.optimize import brentq
from scipy.stats import binom, poisson

from klcourse import kl_divergence
from klcourse.course.exercises import evaluate, get
from klcourse.data import SPACE_WORM_TEETH as WORMS

K = np.arange(11)
MEAN = float(WORMS @ K)


def _truncated_poisson_rate() -> float:
    """Second way: the forward fit of an exponential family matches the mean."""
    def gap(lam):
        q = poisson.pmf(K, lam) / poisson.cdf(10, lam)
        return float(q @ K) - MEAN

    return brentq(gap, 1, 20, xtol=1e-13)


def test_poisson_rate_matches_the_mean_of_the_truncated_poisson():
    assert evaluate("05.poisson-lam", _truncated_poisson_rate()).correct


def test_poisson_saving_per_hundred_worms():
    lam = _truncated_poisson_rate()
    q = poisson.pmf(K, lam) / poisson.cdf(10, lam)
    saving = 100 * (kl_divergence(WORMS, binom.pmf(K, 10, MEAN / 10)) - kl_divergence(WORMS, q))
    assert evaluate("05.poisson-saving", saving).correct


def test_two_block_weight_is_the_observed_mass_of_the_upper_block():
    assert evaluate("05.two-block-w", float(WORMS[6:].sum())).correct


def test_geometric_fit_sits_at_theta_zero():
    """On a grid, every truncated geometric with theta > 0 is further from the worms than
    the flat member theta = 0 (its mean is below 5, the observed mean is above)."""
    thetas = np.linspace(0, 0.9, 91)
    pmfs = [(1 - t) ** K / ((1 - t) ** K).sum() for t in thetas]
    d = [kl_divergence(WORMS, q) for q in pmfs]
    assert int(np.argmin(d)) == 0 and MEAN > 5
    assert get("05.geometric-theta").answer() == "a"


def test_best_model_is_the_poisson():
    ex = get("05.best-model")
    assert "poisson" in ex.options[ex.answer()][0].lower()
    # the binomial is not the best: its least divergence exceeds the uniform's
    best_binomial = kl_divergence(WORMS, binom.pmf(K, 10, MEAN / 10))
    assert best_binomial > kl_divergence(WORMS, np.full(11, 1 / 11))
