"""The notebook-03 and -04 exercises: each expected answer agrees with an independent computation."""

import numpy as np
from scipy.special import rel_entr

from klcourse.course.exercises import evaluate
from klcourse.course.exercises.nb03 import WHICH_P, WHICH_Q, WHICH_U
from klcourse.inequalities import discretized_gaussian

LN2 = np.log(2)


def kl_bits(p, q):
    return float(np.sum(rel_entr(p, q)) / LN2)


def test_03_answers_by_plain_numpy():
    assert evaluate("03.reverse-direction", kl_bits([0.2, 0.5, 0.3], [0.6, 0.3, 0.1])).correct
    assert evaluate("03.reverse-direction",
                    kl_bits([0.6, 0.3, 0.1], [0.2, 0.5, 0.3])).mistake == "swapped"
    pa, qa = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.2, 0.3])
    gap = np.log2(np.sum(qa)) - np.sum(pa * np.log2(qa / pa))
    assert evaluate("03.jensen-gap", gap).correct
    assert evaluate("03.jensen-gap", gap - np.log2(np.sum(qa))).mistake == "whole-divergence"
    p, u, q = [0.2, 0.8], [0.35, 0.65], [0.6, 0.4]
    slack = kl_bits(p, u) + kl_bits(u, q) - kl_bits(p, q)
    assert evaluate("03.triangle-slack", round(slack, 4)).correct       # as printed
    assert not evaluate("03.triangle-slack", slack * 1.05).correct
    assert evaluate("03.reverse-finite", "b").correct
    assert evaluate("03.reverse-finite", "d").status == "incorrect"


def test_03_exactly_one_triple_breaks_the_inequality():
    slacks = {k: kl_bits(WHICH_P, u) + kl_bits(u, WHICH_Q) - kl_bits(WHICH_P, WHICH_Q)
              for k, u in WHICH_U.items()}
    broken = [k for k, s in slacks.items() if s < 0]
    assert len(broken) == 1
    assert evaluate("03.which-triple", broken[0]).correct
    # the breaking u is not between p and q at every outcome: the rule, not the box, decides
    u = np.array(WHICH_U[broken[0]])
    lo, hi = np.minimum(WHICH_P, WHICH_Q), np.maximum(WHICH_P, WHICH_Q)
    assert not np.all((lo <= u) & (u <= hi))


def test_04_answers_by_plain_numpy():
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 1.0])
    diff = np.sum(a * np.log2(a / b)) - a.sum() * np.log2(a.sum() / b.sum())
    assert evaluate("04.log-sum-difference", diff).correct
    assert evaluate("04.log-sum-difference", diff / a.sum()).mistake == "no-total-factor"
    p1, q1, p2, q2 = map(np.array, ([0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4]))
    chord = 0.25 * kl_bits(p1, q1) + 0.75 * kl_bits(p2, q2)
    mixed = kl_bits(0.25 * p1 + 0.75 * p2, 0.25 * q1 + 0.75 * q2)
    assert evaluate("04.chord-gap", chord - mixed).correct
    assert evaluate("04.chord-gap", mixed).mistake == "mixture-only"


def test_04_forward_mean_is_moment_matching():
    x = np.arange(21)
    p = 0.7 * discretized_gaussian(x, 4.0, 1.0) + 0.3 * discretized_gaussian(x, 16.0, 1.0)
    assert evaluate("04.forward-mean", float(x @ p)).correct
    assert evaluate("04.forward-mean", 4.0).mistake == "mode"
    # a brute-force grid fit lands on the same mean (to the grid's resolution)
    theta = np.linspace(7.0, 8.2, 12001)
    q = discretized_gaussian(x, theta, 2.0)
    d = np.sum(rel_entr(np.tile(p, (len(theta), 1)), q), axis=1)
    assert abs(float(q[np.argmin(d)] @ x) - float(x @ p)) < 1e-3


def test_04_choices():
    assert evaluate("04.reverse-mixture-convex", "a").correct
    assert evaluate("04.reverse-mixture-convex", "b").status == "incorrect"
    assert evaluate("04.equality-case", "b").correct
    assert evaluate("04.equality-case", "c").status == "incorrect"
