"""Tests of klcourse.generator_expansion against closed-form derivatives and D_f ~ f''(1) chi2 / 2."""

import math

import numpy as np
import pytest

from klcourse.generator_expansion import generator_expansion
from klcourse.measures import F_GENERATORS, chi2_divergence, f_divergence

CLOSED = {"kl": (1.0, 1.0), "reverse_kl": (-1.0, 1.0), "jeffreys": (0.0, 2.0),
          "js": (0.0, 0.25), "hellinger_squared": (0.0, 0.25), "chi2": (0.0, 2.0),
          "neyman_chi2": (0.0, 2.0)}


@pytest.mark.parametrize("name", sorted(CLOSED))
def test_derivatives_match_closed_forms(name):
    e = generator_expansion(name)
    assert e.slope == pytest.approx(CLOSED[name][0], abs=1e-7)
    assert e.curvature == pytest.approx(CLOSED[name][1], rel=1e-5)


@pytest.mark.parametrize("name", sorted(CLOSED))
def test_nearby_divergence_is_half_curvature_times_chi2(name):
    q = np.full(4, 0.25)
    eps = np.array([1.0, -1.0, 2.0, -2.0]) * 1e-3
    p = q + eps
    ratio = f_divergence(p, q, name, base=math.e) / (0.5 * CLOSED[name][1] * chi2_divergence(p, q))
    assert ratio == pytest.approx(1.0, abs=1e-2)


def test_refusals():
    with pytest.raises(ValueError, match="corner"):
        generator_expansion("tv")
    with pytest.raises(ValueError, match="unknown"):
        generator_expansion("nope")
    with pytest.raises(ValueError, match="h must"):
        generator_expansion("kl", h=1.0)
    assert set(CLOSED) | {"tv"} == set(F_GENERATORS)
