"""Exercises and predictions of notebook 06 (minimising KL is maximising likelihood; tests).

Every expected answer, mistake value and quantitative choice is computed here
with klcourse; nothing is typed in.
"""

import math

import numpy as np

from klcourse.course.exercises import Mistake, register, register_prediction
from klcourse.error_exponents import chernoff_information, np_test_errors
from klcourse.fitting import binomial_family, fit_by_kl
from klcourse.likelihood import lr_test_exact, stein_prediction
from klcourse.measures import entropy, kl_divergence, normalize

#: The notebook's three-outcome pair (sections 4 and 5).
MAIN_P, MAIN_Q = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
#: The coins of Exercises 6.3 to 6.5, as (P(tails), P(heads)).
FAIR, BIASED = np.array([0.5, 0.5]), np.array([0.2, 0.8])
#: The target type-II error of Exercises 6.3 and 6.4, as log2.
LOG2_TARGET = -6 * math.log2(10)
#: Largest n searched for the exact smallest sample size.
_N_SEARCH = 400

# ---------------------------------------------------------------- predictions


def _exponent_side() -> str:
    """Where -log2(beta_n)/n stands at n = 100 000 relative to D(p||q) (exact, by FFT)."""
    e = float(np_test_errors(MAIN_P, MAIN_Q, 100_000).exponent[0])
    d = kl_divergence(MAIN_P, MAIN_Q)
    if e > d:
        return "c"
    return "a" if e >= 0.99 * d else "b"


register_prediction(
    "06.exponent-at-1e5",
    kind="choice",
    options={"a": "within 1 % of D(p||q): a hundred thousand samples is plenty",
             "b": "still more than 1 % below D(p||q)",
             "c": "above D(p||q): the limit is approached from above"},
    answer=_exponent_side,
    explain="Holding the type-I error at alpha puts the threshold about z sigma sqrt(n) below "
            "n D, and beta gains that back: the exponent sits below D by about z sigma / "
            "sqrt(n), which shrinks only like one over the square root of n.",
)


def _first_order_n() -> int:
    return math.ceil(-LOG2_TARGET / kl_divergence(FAIR, BIASED))


def _exact_curve(p, q, randomized: bool = True):
    return lr_test_exact(p, q, np.arange(1, _N_SEARCH + 1), alpha=0.05, randomized=randomized)


def _smallest_exact_n(p, q, randomized: bool = True) -> int:
    curve = _exact_curve(p, q, randomized)
    ok = np.flatnonzero(curve.log_beta <= LOG2_TARGET)
    if ok.size == 0:
        raise RuntimeError(f"no n up to {_N_SEARCH} reaches the target")
    return int(curve.n[ok[0]])


def _gap_class() -> str:
    """How many times the target the exact beta is at the first-order n."""
    ratio = 2.0 ** (float(_exact_curve(FAIR, BIASED).log_beta[_first_order_n() - 1])
                    - LOG2_TARGET)
    if ratio < 1:
        return "d"
    return "a" if ratio <= 2 else ("b" if ratio <= 20 else "c")


register_prediction(
    "06.first-order-gap",
    kind="choice",
    options={"a": "about 10^-6 (within a factor 2): the first-order answer is good enough",
             "b": "between 2 and 20 times 10^-6",
             "c": "more than 20 times 10^-6",
             "d": "below 10^-6: the approximation is pessimistic"},
    answer=_gap_class,
    explain="Stein's first-order formula keeps only the slope -n D. At a few dozen flips the "
            "sqrt(n) term of the exponent is still large, so the exact beta is far above "
            "2^(-n D) and many more flips are needed.",
)

# ---------------------------------------------------------------- exercises

#: Exercise 6.1: counts of outcomes a, b, c and the model.
COUNTS_61, MODEL_61 = np.array([6, 3, 1]), np.array([0.5, 0.25, 0.25])


def _p_hat_61():
    return normalize(COUNTS_61)


register(
    "06.avg-loglik",
    kind="number",
    unit="bits",
    answer=lambda: -entropy(_p_hat_61()) - kl_divergence(_p_hat_61(), MODEL_61),
    mistakes=[
        Mistake("total-not-average",
                lambda: COUNTS_61.sum() * (-entropy(_p_hat_61())
                                           - kl_divergence(_p_hat_61(), MODEL_61)),
                "That is the total log-likelihood of all the observations; the question asks "
                "for the average per observation."),
        Mistake("entropy-forgotten", lambda: -kl_divergence(_p_hat_61(), MODEL_61),
                "That is minus the divergence alone: the entropy of the sample is part of the "
                "average log-likelihood too."),
        Mistake("divergence-sign", lambda: -entropy(_p_hat_61()) + kl_divergence(_p_hat_61(),
                                                                                MODEL_61),
                "The divergence enters with a minus sign: a model further from the data gives "
                "a lower likelihood, not a higher one."),
        Mistake("swapped", lambda: -entropy(MODEL_61) - kl_divergence(MODEL_61, _p_hat_61()),
                "That averages over the model's probabilities; a log-likelihood averages over "
                "the observed data, so the empirical distribution weights the terms."),
    ],
    hint="Which two quantities of section 1 add up to minus the average log-likelihood, and "
         "which distribution is the empirical one?",
)


def _coin_fits_agree() -> str:
    p_hat = normalize([13, 7])                         # (tails, heads): 7 heads in 20
    family = binomial_family(1)
    forward = fit_by_kl(p_hat, family, (0.0, 1.0)).param
    reverse = fit_by_kl(p_hat, family, (0.0, 1.0), direction="reverse").param
    if abs(forward - reverse) < 1e-4:
        return "a"
    return "c" if abs(reverse - 0.5) < abs(forward - 0.5) else "b"


register(
    "06.reverse-coin",
    kind="choice",
    options={
        "a": ("They agree, at the observed frequency 7/20: the empirical distribution is itself "
              "a Bernoulli distribution, and each divergence is zero only there.",
              "Both divergences vanish only at a model equal to the empirical distribution, "
              "and the Bernoulli family contains it; the directions part ways only when no "
              "member of the family matches the data."),
        "b": ("They differ: only the forward divergence is a log likelihood ratio, so the "
              "reverse fit is never the maximum-likelihood estimate.",
              "Being a likelihood ratio is what makes the forward fit maximum likelihood; it "
              "does not stop the reverse fit from landing on the same point. Ask where each "
              "divergence can reach zero."),
        "c": ("The reverse fit moves towards 1/2, because the reverse divergence makes the "
              "model spread its mass over both outcomes.",
              "Spreading matters when the family cannot match the data, as with the worms; "
              "can a Bernoulli distribution match 7 heads in 20 exactly?"),
        "d": ("The reverse fit does not exist: the reverse divergence is infinite for every "
              "theta strictly between 0 and 1.",
              "The reverse divergence is infinite only where the model puts mass on an outcome "
              "the data never showed; both heads and tails occurred here."),
    },
    answer=_coin_fits_agree,
    hint="In section 3 no binomial could reproduce the worms' histogram. Is that still true "
         "for a coin?",
)

register(
    "06.samples-first-order",
    kind="integer",
    answer=_first_order_n,
    mistakes=[
        Mistake("rounded-down", lambda: _first_order_n() - 1,
                "Rounded down: at that n the approximation is still above the target. The "
                "smallest whole n that reaches it is the next one up."),
        Mistake("target-not-in-bits", lambda: math.ceil(6 / kl_divergence(FAIR, BIASED)),
                "The target is a power of ten, not of two: convert it to bits (one factor of "
                "ten is log2 of ten bits) before dividing by D."),
        Mistake("target-in-nats", lambda: math.ceil(6 * math.log(10)
                                                    / kl_divergence(FAIR, BIASED)),
                "The target was converted with the natural log while D is in bits: both sides "
                "must use the same unit."),
        Mistake("swapped", lambda: math.ceil(-LOG2_TARGET / kl_divergence(BIASED, FAIR)),
                "That uses D(biased || fair). In Stein's lemma the null hypothesis, here the "
                "fair coin, sits on the left."),
    ],
    hint="Write the target as a power of two; how many bits of evidence does each flip add "
         "on average?",
)

register(
    "06.samples-exact",
    kind="integer",
    answer=lambda: _smallest_exact_n(FAIR, BIASED),
    mistakes=[
        Mistake("first-order", _first_order_n,
                "That is Stein's first-order answer, where 2^(-n D) reaches the target; the "
                "exact type-II error is still far above it there."),
        Mistake("not-randomised", lambda: _smallest_exact_n(FAIR, BIASED, randomized=False),
                "That is the smallest n for a test that rejects whole values of the statistic "
                "only; the randomised test, with type-I error exactly 0.05, needs fewer."),
        Mistake("second-order", lambda: int(np.flatnonzero(
                    stein_prediction(FAIR, BIASED, np.arange(1, _N_SEARCH + 1), alpha=0.05)
                    <= LOG2_TARGET)[0] + 1),
                "That is where the normal (square-root) approximation reaches the target; at "
                "this size it over-corrects. The question asks for the exact errors."),
        Mistake("swapped", lambda: _smallest_exact_n(BIASED, FAIR),
                "That tests the biased coin as the null; here the fair coin is the null and "
                "the biased one the alternative."),
    ],
    hint="The exact type-II error can be computed for every n in a range at once; where does "
         "its log2 first drop to the target's?",
)

register(
    "06.swap-roles",
    kind="number",
    unit="bits",
    answer=lambda: kl_divergence(BIASED, FAIR),
    mistakes=[
        Mistake("swapped", lambda: kl_divergence(FAIR, BIASED),
                "That is the exponent with the fair coin as the null, before the swap."),
        Mistake("chernoff", lambda: chernoff_information(BIASED, FAIR).value,
                "That is the exponent of a test that makes both errors small together (the "
                "Chernoff information of notebook 09); here the type-I error is held fixed."),
    ],
    hint="In Stein's lemma, which hypothesis sits on the left of the divergence: the one whose "
         "error is held fixed, or the other?",
)
