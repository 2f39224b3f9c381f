"""klcourse.detour: the one-sum rule for KL's triangle slack, checked against the three divergences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klcourse import kl_divergence
from klcourse.detour import detour_slack
from klcourse.inequalities import random_distributions


def _three_divergences(p, u, q, base=2):
    return (kl_divergence(p, u, base=base) + kl_divergence(u, q, base=base)
            - kl_divergence(p, q, base=base))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(2, 12))
def test_rule_equals_the_three_divergences(seed, k):
    rng = np.random.default_rng(seed)
    p, u, q = random_distributions(rng, 3, k)
    assert detour_slack(p, u, q) == pytest.approx(_three_divergences(p, u, q), abs=1e-9)
    assert detour_slack(p, u, q, base=np.e) == pytest.approx(
        _three_divergences(p, u, q, base=np.e), abs=1e-9)


def test_batches_and_zeros():
    rng = np.random.default_rng(0)
    P, U, Q = (random_distributions(rng, 50, 4) for _ in range(3))
    np.testing.assert_allclose(detour_slack(P, U, Q), _three_divergences(P, U, Q), atol=1e-9)
    # an outcome none of p, u uses, and q not either: contributes nothing
    p, u, q = [0.5, 0.5, 0.0], [0.3, 0.7, 0.0], [0.6, 0.4, 0.0]
    assert detour_slack(p, u, q) == pytest.approx(_three_divergences(p, u, q))
    # q has mass where p and u have none: still finite, still the rule
    p, u, q = [0.5, 0.5, 0.0], [0.3, 0.7, 0.0], [0.2, 0.3, 0.5]
    assert detour_slack(p, u, q) == pytest.approx(_three_divergences(p, u, q))


def test_infinite_detour_is_plus_infinity():
    # u rules out an outcome p produces: D(p||u) = inf while D(p||q) is finite
    assert detour_slack([0.5, 0.5], [1.0, 0.0], [0.3, 0.7]) == np.inf
    # q rules out an outcome u produces (p does not): D(u||q) = inf
    assert detour_slack([1.0, 0.0], [0.5, 0.5], [1.0, 0.0]) == np.inf


def test_coins_fail_exactly_between():
    """For coins the rule factorises: slack = (u - p)(logit u - logit q)."""
    rng = np.random.default_rng(1)
    h = rng.uniform(0.01, 0.99, size=(2000, 3))
    coins = [np.stack([h[:, i], 1 - h[:, i]], axis=-1) for i in range(3)]
    s = detour_slack(*coins)
    pu, uu, qu = h.T
    logit = lambda x: np.log(x / (1 - x))                     # noqa: E731
    np.testing.assert_allclose(s, (uu - pu) * (logit(uu) - logit(qu)) / np.log(2), atol=1e-9)
    between = (np.minimum(pu, qu) < uu) & (uu < np.maximum(pu, qu))
    assert np.array_equal(s < 0, between)


def test_errors_say_what_is_wrong():
    with pytest.raises(ValueError, match="D\\(p\\|\\|q\\) is infinite"):
        detour_slack([0.5, 0.5], [0.5, 0.5], [1.0, 0.0])
    with pytest.raises(ValueError, match="different shapes"):
        detour_slack([0.5, 0.5], [0.2, 0.3, 0.5], [0.5, 0.5])
    with pytest.raises(ValueError, match="sum"):
        detour_slack([0.5, 0.6], [0.5, 0.5], [0.5, 0.5])
    with pytest.raises(ValueError):
        detour_slack([0.5, 0.5], [0.5, 0.5], [0.5, 0.5], base=1)
