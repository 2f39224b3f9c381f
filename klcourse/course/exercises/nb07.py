"""Exercises of notebook 07 (KL inside generative models)."""

import numpy as np

from klcourse.course.exercises import register
from klcourse.gaussian import kl_gaussian
from klcourse.generative.gan import value_at_optimum
from klcourse.generative.vi import reverse_kl_factorised
from klcourse.measures import mutual_information

register(
    "07.wide-to-narrow",
    answer=lambda: kl_gaussian(0.0, 2.0, 0.0, 1.0, base=np.e),
    hint="the first argument pair is p = N(0, 2^2); use kl_gaussian with base=np.e",
    unit="nats",
)

register(
    "07.factorised-variance",
    answer=lambda: float(reverse_kl_factorised([0.0, 0.0], [[1.0, 0.8], [0.8, 1.0]])[1][0] ** 2),
    hint="the reverse-KL fit uses 1 / (precision)_11, the variance of w1 when w2 is known",
    rtol=1e-6,
)

register(
    "07.disjoint-generator",
    answer=lambda: value_at_optimum([1.0, 0.0], [0.0, 1.0]),
    hint="with no overlap, D* is 1 on the data and 0 on the fakes; what are log 1 and log(1 - 0)?",
    atol=1e-9,
)

register(
    "07.pixel-pair",
    answer=lambda: mutual_information([[0.45, 0.05], [0.05, 0.45]]),
    hint="the penalty of the independent model is D(P_AB || P_A P_B), a mutual information",
    unit="bits",
)
