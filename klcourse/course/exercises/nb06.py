"""Exercises of notebook 06 (minimising KL is maximising likelihood; likelihood-ratio tests)."""

import math

import numpy as np

from klcourse.course.exercises import register
from klcourse.fitting import binomial_family, fit_by_kl
from klcourse.likelihood import lr_test_exact
from klcourse.measures import entropy, kl_divergence, normalize

FAIR, BIASED = np.array([0.5, 0.5]), np.array([0.2, 0.8])   # P(tails), P(heads)


def _avg_loglik() -> float:
    p_hat = normalize([6, 3, 1])
    return -entropy(p_hat) - kl_divergence(p_hat, [0.5, 0.25, 0.25])


register(
    "06.avg-loglik",
    answer=_avg_loglik,
    hint="the average log-likelihood is minus the entropy of the empirical distribution "
         "minus its divergence from the model; both are negative contributions",
    unit="bits",
)

register(
    "06.coin-mle",
    answer=lambda: fit_by_kl(normalize([13, 7]), binomial_family(1), (0.0, 1.0)).param,
    hint="minimise D(p_hat || Bernoulli(theta)) over theta; outcome 1 is heads",
    rtol=1e-6,
)

register(
    "06.samples-needed",
    answer=lambda: math.ceil(6 * math.log2(10) / kl_divergence(FAIR, BIASED)),
    hint="solve 2^(-n D) <= 10^-6 for the smallest whole n, with D = D(fair || biased) in bits",
    rtol=0, atol=0.5,
)

register(
    "06.exact-beta",
    answer=lambda: float(lr_test_exact(FAIR, BIASED, 100, alpha=0.05).beta[0]),
    hint="lr_test_exact(p, q, n, alpha=...) returns an ErrorCurve; read its .beta",
    rtol=1e-6, atol=0,
)

register(
    "06.swap-roles",
    answer=lambda: kl_divergence(BIASED, FAIR),
    hint="in Stein's lemma the null hypothesis sits on the left of the divergence",
    unit="bits",
)
