"""Exercises of notebook 09 (beyond KL: Jensen-Shannon, Rényi and f-divergences).

All five use the pair ``EXERCISE_P``, ``EXERCISE_Q`` below, which the
notebook imports and prints; every expected answer is computed here with
:mod:`klcourse.measures` (nothing typed in).
"""

import math

import numpy as np

from klcourse.course.exercises import register
from klcourse.inequalities import triangle_check
from klcourse.measures import (
    chi2_divergence,
    js_divergence,
    renyi_divergence,
    total_variation,
)

#: The truth p and the model q of the exercises (four outcomes).
EXERCISE_P = np.array([0.5, 0.3, 0.15, 0.05])
EXERCISE_Q = np.array([0.1, 0.2, 0.3, 0.4])


def _js_triangle_holds() -> bool:
    """Does JS (the divergence, not its root) satisfy the triangle inequality via the mixture?"""
    m = 0.5 * (EXERCISE_P + EXERCISE_Q)
    return not triangle_check(EXERCISE_P, m, EXERCISE_Q, divergence=js_divergence).violated


register(
    "09.js-by-mixture",
    answer=lambda: js_divergence(EXERCISE_P, EXERCISE_Q),
    hint="build the mixture m = (p + q) / 2, then average D(p || m) and D(q || m) "
         "with kl_divergence",
    unit="bits",
)

register(
    "09.renyi-half",
    answer=lambda: renyi_divergence(EXERCISE_P, EXERCISE_Q, 0.5),
    hint="the Bhattacharyya coefficient is BC = sum sqrt(p q); the order-1/2 divergence is "
         "-2 log2(BC)",
    unit="bits",
)

register(
    "09.chi2-from-renyi2",
    answer=lambda: chi2_divergence(EXERCISE_P, EXERCISE_Q),
    hint="D_2 = log2(1 + chi2) in bits; solve for chi2 (it has no unit)",
)

register(
    "09.pinsker-bound",
    answer=lambda: 2 * total_variation(EXERCISE_P, EXERCISE_Q) ** 2 / math.log(2),
    hint="Pinsker in nats reads D >= 2 TV^2; convert the right-hand side to bits",
    unit="bits",
)

register(
    "09.js-triangle",
    answer=_js_triangle_holds,
    hint="compare JS(p, q) with JS(p, m) + JS(m, q); the metric is the square root of JS",
)
