"""Exercises and predictions of notebook 07 (variational inference and the VAE).

The models below are the notebook's own; every expected answer and every
mistake value is computed with klcourse when a check runs.
"""

import numpy as np
from scipy import stats

from klcourse.course.exercises import Mistake, register, register_prediction
from klcourse.gaussian import kl_gaussian, kl_mvn
from klcourse.generative.estimators import compare_gradient_estimators
from klcourse.generative.vi import (Mixture1D, forward_kl_factorised, grid_kl, make_regression,
                                    reverse_kl_factorised)


def _regression():
    """The notebook's Bayesian linear regression (inputs with correlation 0.9)."""
    return make_regression(n=30, rho=0.9, seed=0)


#: The arbitrary q of the notebook's ELBO section, used again for the estimators.
_Q_MEAN, _Q_SD = np.array([0.0, 0.5]), np.sqrt([0.3, 0.2])

# Exercise 7.2: unit variances, correlation 0.8
_COV_7_2 = np.array([[1.0, 0.8], [0.8, 1.0]])

# Exercise 7.4: two well separated modes of unequal weight; q sits on the lighter one
_MIX_7_4 = Mixture1D((0.8, 0.2), (-3.0, 3.0), (0.6, 0.6))
_GRID_7_4 = np.linspace(-12.0, 12.0, 4801)


def _lighter_mode(centre: float, direction: str = "reverse") -> float:
    q = stats.norm.pdf(_GRID_7_4, centre, 0.6)
    p = _MIX_7_4.pdf(_GRID_7_4)
    return float(grid_kl(q, p) if direction == "reverse" else grid_kl(p, q))


# ---------------------------------------------------------------- predictions

def _width_answer() -> str:
    mean, cov = _regression().posterior()
    sd_fit = reverse_kl_factorised(mean, cov)[1][0]
    sd_true = np.sqrt(cov[0, 0])
    if np.isclose(sd_fit, sd_true, rtol=1e-3):
        return "b"
    return "a" if sd_fit < sd_true else "c"


register_prediction(
    "07.factorised-width",
    kind="choice",
    options={"a": "narrower than the posterior's own spread of w1",
             "b": "as wide as the posterior's spread of w1",
             "c": "wider than the posterior's spread of w1"},
    answer=_width_answer,
    explain="The reverse divergence averages over q, so q is punished for mass where the "
            "posterior is small; with a correlated posterior, an axis-aligned q can only stay "
            "inside the narrow ridge, which it does by shrinking.",
)


def _variance_answer() -> str:
    c = compare_gradient_estimators(_regression(), _Q_MEAN, _Q_SD, n_draws=100_000, seed=0)
    ratio = c.score_var / c.reparam_var
    if np.all(np.abs(ratio - 1) < 0.1):
        return "c"
    return "a" if np.all(ratio > 1) else "b"


register_prediction(
    "07.estimator-variance",
    kind="choice",
    options={"a": "the score-function estimator varies more from draw to draw",
             "b": "the reparameterisation estimator varies more",
             "c": "about the same (within 10%): both are unbiased, so their spread is similar"},
    answer=_variance_answer,
    explain="The score function multiplies the value of f (tens of nats) by a random factor "
            "with mean zero; the reparameterisation uses how f changes near each draw, which "
            "here hardly varies.",
)

# ---------------------------------------------------------------- exercises

register(
    "07.wide-to-narrow",
    kind="number",
    unit="nats",
    answer=lambda: kl_gaussian(0.0, 2.0, 0.0, 1.0, base=np.e),
    mistakes=[
        Mistake("swapped", lambda: kl_gaussian(0.0, 1.0, 0.0, 2.0, base=np.e),
                "That is the other direction, D(N(0,1) || N(0,2^2)): here the wide Gaussian "
                "is the truth p, so it weights the log-ratio."),
        Mistake("variance-as-sd", lambda: kl_gaussian(0.0, 4.0, 0.0, 1.0, base=np.e),
                "You used the variance 2^2 where the formula wants the standard deviation."),
    ],
    hint="Which of the two Gaussians is p, the one the average runs over, and which is the "
         "model? A shift costs nothing here; only the spreads differ.",
)

register(
    "07.factorised-variance",
    kind="number",
    answer=lambda: float(reverse_kl_factorised([0.0, 0.0], _COV_7_2)[1][0] ** 2),
    mistakes=[
        Mistake("forward-fit", lambda: float(forward_kl_factorised([0.0, 0.0], _COV_7_2)[1][0] ** 2),
                "That is the marginal variance, what the forward (moment-matching) fit "
                "would give; the reverse fit is narrower."),
        Mistake("sd", lambda: float(reverse_kl_factorised([0.0, 0.0], _COV_7_2)[1][0]),
                "That is a standard deviation; the question asks for a variance."),
        Mistake("one-minus-rho", lambda: 1.0 - 0.8,
                "Close in spirit, but the conditional variance of a unit-variance pair is not "
                "1 minus the correlation; check which power of rho appears."),
    ],
    hint="The reverse fit's variance of w1 is the variance of w1 when w2 is known: a "
         "diagonal entry of the inverse of which matrix?",
)

register(
    "07.prior-gap",
    kind="number",
    unit="nats",
    answer=lambda: _regression().kl_to_posterior(np.zeros(2), np.eye(2)),
    mistakes=[
        Mistake("swapped", lambda: kl_mvn(*_regression().posterior(), np.zeros(2), np.eye(2),
                                          base=np.e),
                "That is D(posterior || prior), the other direction; the gap of the ELBO "
                "is a divergence *from q*."),
        Mistake("elbo", lambda: _regression().elbo(np.zeros(2), np.eye(2)),
                "That is the ELBO of the prior itself, not its gap below log p(y)."),
        Mistake("evidence", lambda: _regression().log_evidence(),
                "That is log p(y), which does not depend on q at all."),
    ],
    hint="The identity of section 2 holds for every q, including the prior: what is the gap "
         "always equal to?",
)

register(
    "07.lighter-mode",
    kind="number",
    unit="nats",
    answer=lambda: _lighter_mode(3.0),
    mistakes=[
        Mistake("heavier-mode", lambda: _lighter_mode(-3.0),
                "That is the cost of sitting on the heavier mode; the question puts q on "
                "the lighter one."),
        Mistake("equal-weights", lambda: float(np.log(2)),
                "That would be right for two modes of equal weight; here the weights differ."),
        Mistake("forward", lambda: _lighter_mode(3.0, "forward"),
                "That is the forward divergence D(p || q), averaged over p; the question "
                "asks for D(q || p)."),
    ],
    hint="Inside the lighter mode the mixture is that mode's own density times its weight. "
         "What is log(q/p) there, and how much of q lies there?",
)


def _reparam_why() -> str:
    c = compare_gradient_estimators(_regression(), _Q_MEAN, _Q_SD, n_draws=100_000, seed=0)
    unbiased = np.all(np.abs(c.score_mean - c.exact) < 5 * np.sqrt(c.score_var / c.n_draws))
    return "a" if unbiased and np.all(c.score_var > c.reparam_var) else "c"


register(
    "07.reparam-why",
    kind="choice",
    answer=_reparam_why,
    options={
        "a": ("The score function multiplies the large value of log p(y | w) by a factor "
              "(w - m)/s^2 that swings around zero, while the reparameterisation uses the "
              "gradient of log p(y | w), which changes little across the draws.",
              "Yes: the size of f itself enters the score function, only its slope enters "
              "the reparameterisation."),
        "b": ("The reparameterisation estimator averages over more draws.",
              "Both estimators were computed on the very same draws of eps; the number of "
              "draws cannot explain the difference."),
        "c": ("The score-function estimator is biased, and its bias shows up as variance.",
              "The notebook measured both means: each lies within a few standard errors of "
              "the exact gradient. Both are unbiased; bias and variance are different "
              "things."),
        "d": ("The reparameterisation estimator has no variance at all for a Gaussian q.",
              "The notebook measured a non-zero variance for it: its draws spread too, only "
              "far less. It has zero variance only when the gradient of f is constant."),
    },
    hint="Write both estimators for one draw and ask which factor in each changes most from "
         "one draw to the next.",
)
