"""Exercises of notebook 05 (fitting a binomial, and other families, by minimising KL).

Every expected answer is computed here with :mod:`klcourse.fitting` on the
space-worm data; nothing is typed in.
"""

from klcourse.data import SPACE_WORM_TEETH
from klcourse.course.exercises import register
from klcourse.fitting import (
    binomial_family,
    fit_by_kl,
    geometric_family,
    poisson_family,
    two_block_family,
    uniform_pmf,
)
from klcourse.measures import kl_divergence

#: Search interval used for the Poisson rate in the notebook.
POISSON_BOUNDS = (0.0, 30.0)


def _poisson_fit():
    return fit_by_kl(SPACE_WORM_TEETH, poisson_family(10), POISSON_BOUNDS)


def _forward_divergences() -> dict[str, float]:
    """The least forward divergence (bits) each model of the notebook achieves."""
    return {
        "uniform": kl_divergence(SPACE_WORM_TEETH, uniform_pmf(10)),
        "binomial": fit_by_kl(SPACE_WORM_TEETH, binomial_family(10), (0, 1)).divergence,
        "poisson": _poisson_fit().divergence,
        "two-block": fit_by_kl(SPACE_WORM_TEETH, two_block_family(10, 6), (0, 1)).divergence,
    }


register(
    "05.poisson-lam",
    answer=lambda: _poisson_fit().param,
    hint="fit_by_kl(worms, poisson_family(10), (0, 30)); the truncated Poisson's mean is below lam",
    rtol=1e-5,
)

register(
    "05.poisson-divergence",
    answer=lambda: _poisson_fit().divergence,
    hint="the divergence D(observed || fitted Poisson) reported by the fit, in bits",
    rtol=1e-5,
    unit="bits",
)

register(
    "05.two-block-w",
    answer=lambda: fit_by_kl(SPACE_WORM_TEETH, two_block_family(10, 6), (0, 1)).param,
    hint="in the forward direction, a block model must give each block the probability the "
         "observation gives it",
    rtol=1e-5,
)

register(
    "05.geometric-theta",
    answer=lambda: fit_by_kl(SPACE_WORM_TEETH, geometric_family(10), (0, 1)).param,
    hint="every truncated geometric with theta > 0 has a mean below 5; what is the mean of "
         "the member with theta = 0?",
    atol=1e-6,
)

register(
    "05.best-model",
    answer=lambda: min(_forward_divergences().items(), key=lambda kv: kv[1])[0],
    hint="compare the least D(observed || model) of 'uniform', 'binomial', 'poisson' and "
         "'two-block'; answer with one of those words",
)
