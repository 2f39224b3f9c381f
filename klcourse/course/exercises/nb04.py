"""Exercises of notebook 04 (convexity in the pair)."""

import numpy as np

from klcourse.course.exercises import register
from klcourse.inequalities import discretized_gaussian, local_minima, log_sum_sides, mixture_check
from klcourse.measures import kl_divergence

#: The two coin pairs of exercises 04.mixture-divergence and 04.chord-gap.
PAIRS = ([0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4])


def _log_sum_difference() -> float:
    s = log_sum_sides([1, 2, 3], [2, 2, 1])
    return s.lhs - s.rhs


def _reverse_minima() -> int:
    x = np.arange(21)
    p = 0.5 * discretized_gaussian(x, 4.0, 1.0) + 0.5 * discretized_gaussian(x, 16.0, 1.0)
    theta = np.linspace(0, 20, 401)
    fam = discretized_gaussian(x, theta, 1.0)
    return int(len(local_minima(kl_divergence(fam, np.tile(p, (len(theta), 1))))))


def _affine_family_convex() -> bool:
    x = np.arange(21)
    p = 0.5 * discretized_gaussian(x, 4.0, 1.0) + 0.5 * discretized_gaussian(x, 16.0, 1.0)
    a, b = discretized_gaussian(x, 6.0, 2.0), discretized_gaussian(x, 12.0, 2.0)
    w = np.linspace(0, 1, 401)[:, None]
    curve = kl_divergence(np.tile(p, (len(w), 1)), w * a + (1 - w) * b)
    return bool(np.min(np.diff(curve, 2)) >= -1e-12)


register(
    "04.log-sum-difference",
    answer=_log_sum_difference,
    hint="left side: sum of a*log2(a/b) term by term; right side: (sum a)*log2(sum a / sum b)",
    unit="bits",
)

register(
    "04.mixture-divergence",
    answer=lambda: mixture_check(*PAIRS, 0.25).mixture,
    hint="mix p1 with p2 and q1 with q2 using the same weight 0.25 on pair 1, then take D",
    unit="bits",
)

register(
    "04.chord-gap",
    answer=lambda: mixture_check(*PAIRS, 0.25).gap,
    hint="the chord is 0.25*D(p1||q1) + 0.75*D(p2||q2); subtract D of the mixed pair",
    unit="bits",
)

register(
    "04.affine-family-convex",
    answer=_affine_family_convex,
    hint="the mixture w*a + (1-w)*b is an affine function of w; what does convexity in q give you?",
)

register(
    "04.reverse-minima",
    answer=_reverse_minima,
    hint="evaluate D(q_theta || p) on the grid and count the strict local minima",
)
