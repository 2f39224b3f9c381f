"""Exercises and predictions of notebook 09 (beyond KL: Jensen-Shannon, Rényi, f-divergences).

The exercises use the pair ``EXERCISE_P``, ``EXERCISE_Q`` below, which the
notebook imports and prints. Every expected answer, mistake value and
quantitative choice is computed here with klcourse; nothing is typed in.
"""

import math

import numpy as np

from klcourse.course.exercises import Mistake, register, register_prediction
from klcourse.error_exponents import chernoff_information
from klcourse.inequalities import triangle_check
from klcourse.measures import (
    chi2_divergence,
    js_divergence,
    kl_divergence,
    renyi_divergence,
    total_variation,
)

#: The truth p and the model q of the exercises (four outcomes).
EXERCISE_P = np.array([0.5, 0.3, 0.15, 0.05])
EXERCISE_Q = np.array([0.1, 0.2, 0.3, 0.4])
#: The coins of the Chernoff section (P(tails), P(heads)), as in notebook 06.
FAIR, BIASED = np.array([0.5, 0.5]), np.array([0.2, 0.8])

# ---------------------------------------------------------------- predictions


def _bayes_exponent_class() -> str:
    c = chernoff_information(FAIR, BIASED).value
    d_pq, d_qp = kl_divergence(FAIR, BIASED), kl_divergence(BIASED, FAIR)
    if math.isclose(c, d_pq, rel_tol=1e-6):
        return "a"
    if math.isclose(c, d_qp, rel_tol=1e-6):
        return "b"
    return "c" if c < min(d_pq, d_qp) else "d"


register_prediction(
    "09.bayes-exponent",
    kind="choice",
    options={"a": "D(p||q), Stein's exponent with p as the null",
             "b": "D(q||p), Stein's exponent with q as the null",
             "c": "a number smaller than both divergences",
             "d": "a number larger than both divergences"},
    answer=_bayes_exponent_class,
    explain="A Bayesian test must make both errors small at once. Stein's exponent D(p||q) "
            "is reached only by letting the other error stay at alpha; asking both to vanish "
            "costs rate, and the best common rate is the Chernoff information, below both "
            "divergences.",
)

# ---------------------------------------------------------------- exercises


def _neg_log2_bc() -> float:
    return float(-np.log2(np.sum(np.sqrt(EXERCISE_P * EXERCISE_Q))))


register(
    "09.chernoff",
    kind="number",
    unit="bits",
    answer=lambda: chernoff_information(EXERCISE_P, EXERCISE_Q).value,
    mistakes=[
        Mistake("order-half-only", _neg_log2_bc,
                "That is (1 - alpha) D_alpha at alpha = 1/2 only (the Bhattacharyya bound); "
                "for this unequal pair the best order is not exactly one half."),
        Mistake("renyi-half", lambda: renyi_divergence(EXERCISE_P, EXERCISE_Q, 0.5),
                "That is D_alpha itself at one half; the exponent weights the divergence by "
                "the factor (1 - alpha)."),
        Mistake("stein-exponent", lambda: kl_divergence(EXERCISE_P, EXERCISE_Q),
                "That is Stein's exponent D(p||q), for a test that holds one error fixed; a "
                "Bayesian test needs both errors small together."),
        Mistake("stein-exponent-reverse", lambda: kl_divergence(EXERCISE_Q, EXERCISE_P),
                "That is Stein's exponent with q as the null; a Bayesian test needs both "
                "errors small together."),
    ],
    hint="The Chernoff information is a maximum over the order alpha between 0 and 1: of which "
         "weighted Rényi divergence?",
)

register(
    "09.chi2-from-renyi2",
    kind="number",
    answer=lambda: chi2_divergence(EXERCISE_P, EXERCISE_Q),
    mistakes=[
        Mistake("forgot-minus-one", lambda: 2 ** renyi_divergence(EXERCISE_P, EXERCISE_Q, 2),
                "Undoing the logarithm gives 1 + chi-squared, not chi-squared itself."),
        Mistake("wrong-log", lambda: math.exp(renyi_divergence(EXERCISE_P, EXERCISE_Q, 2)) - 1,
                "D_2 is printed in bits, so undo a base-2 logarithm, not the natural one."),
        Mistake("d2-itself", lambda: renyi_divergence(EXERCISE_P, EXERCISE_Q, 2),
                "That is D_2 itself; chi-squared is on a different, non-logarithmic scale."),
    ],
    hint="Which table row links the order-2 Rényi divergence to chi-squared, and in which "
         "unit is D_2 given?",
)


def _kl_nats() -> float:
    return kl_divergence(EXERCISE_P, EXERCISE_Q, base=math.e)


register(
    "09.pinsker-guarantee",
    kind="number",
    answer=lambda: math.sqrt(_kl_nats() / 2),
    mistakes=[
        Mistake("bits-not-nats", lambda: math.sqrt(kl_divergence(EXERCISE_P, EXERCISE_Q) / 2),
                "Pinsker's D >= 2 TV^2 holds with D in nats; the divergence was given in bits."),
        Mistake("actual-tv", lambda: total_variation(EXERCISE_P, EXERCISE_Q),
                "That is the pair's actual total variation; the question asks what Pinsker "
                "guarantees from the divergence alone."),
        Mistake("no-square-root", lambda: _kl_nats() / 2,
                "That bounds TV squared; the largest disagreement about an event is TV itself."),
        Mistake("factor-two-wrong-side", lambda: math.sqrt(2 * _kl_nats()),
                "The 2 multiplies TV squared in Pinsker's inequality, so it divides the "
                "divergence when you solve for TV."),
    ],
    hint="Solve Pinsker's inequality for the total variation, in the unit the inequality "
         "holds in.",
)


def _minus_linear_kl(t):
    """t ln t - (t - 1): KL's generator with its linear term at t = 1 removed."""
    return t * np.log(t) - (t - 1.0)


def _linear_term_class() -> str:
    t = EXERCISE_P / EXERCISE_Q                      # both positive everywhere
    d_g = float(np.sum(EXERCISE_Q * _minus_linear_kl(t)))
    kl = kl_divergence(EXERCISE_P, EXERCISE_Q, base=math.e)
    if math.isclose(d_g, kl, rel_tol=1e-9, abs_tol=1e-12):
        return "a"
    if math.isclose(d_g, kl - 1, rel_tol=1e-9):
        return "b"
    return "d" if math.isclose(d_g, chi2_divergence(EXERCISE_P, EXERCISE_Q) / 2) else "c"


register(
    "09.linear-term",
    kind="choice",
    options={
        "a": ("Exactly D(p||q) in nats: the added term averages to sum_x (p(x) - q(x)), "
              "which is zero.",
              "The linear part c (t - 1) of any generator averages to c sum_x (p(x) - q(x)) = 0 "
              "under q, so only t ln t is left."),
        "b": ("D(p||q) minus 1 nat: the average of t - 1 under q is 1.",
              "Compute sum_x q(x) (p(x)/q(x) - 1) for this pair: it is not 1."),
        "c": ("Not a divergence at all: g is not the KL generator, so D_g can come out "
              "negative.",
              "g(t) = t ln t - t + 1 is convex with g(1) = 0, so Jensen's argument applies to it "
              "as to any generator; D_g cannot be negative."),
        "d": ("Half of chi-squared(p||q): near t = 1, g looks like (t - 1)^2 / 2.",
              "That describes g only near t = 1; this pair's ratios p/q are far from 1, so the "
              "whole of g matters."),
    },
    answer=_linear_term_class,
    hint="What does a generator's linear part c (t - 1) contribute to sum_x q(x) f(p(x)/q(x))?",
)


def _js_triangle_key() -> str:
    m = 0.5 * (EXERCISE_P + EXERCISE_Q)
    broken = triangle_check(EXERCISE_P, m, EXERCISE_Q, divergence=js_divergence).violated
    return "c" if broken else "e"


register(
    "09.js-triangle",
    kind="choice",
    options={
        "a": ("Yes, because JS is symmetric and bounded, and that makes it a metric.",
              "Symmetry and a bound are not the triangle inequality: the squared distance "
              "between points of a short segment is symmetric and bounded too."),
        "b": ("Yes, because JS is the square of a metric, and squares of metrics obey the "
              "triangle inequality.",
              "Squaring does not keep the triangle inequality: points 0, 1 and 2 on a line "
              "have squared distances 1, 1 and 4."),
        "c": ("No: stopping at the midpoint, each half costs much less than half of the whole, "
              "as for a squared distance, so the two halves add up to less than JS(p, q).",
              "Near agreement JS behaves like a squared distance, and squared lengths of two "
              "halves add up to half the square of the whole; its square root is the metric."),
        "d": ("No, because JS is infinite when the supports differ, and infinite values break "
              "the inequality.",
              "JS is never infinite: the mixture is positive wherever either distribution is."),
        "e": ("Yes, for this triple: the detour through the midpoint is at least as long as "
              "the direct route.",
              "Compare the two sides for this triple with your own numbers."),
    },
    answer=_js_triangle_key,
    hint="Compute both sides for this triple, then pick the explanation that fits the numbers "
         "you got.",
)
