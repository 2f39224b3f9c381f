"""Tests of klcourse.inequalities: every proof line, both sides, every count, checked a second way."""

import functools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klcourse import cross_entropy, entropy, js_distance, kl_divergence
from klcourse.inequalities import (
    discretized_gaussian,
    gibbs_steps,
    jensen_points,
    joint_convexity_terms,
    lies_between,
    local_minima,
    log_sum_sides,
    mixture_check,
    random_distributions,
    random_mixture_check,
    triangle_check,
    triangle_search,
)

SMALL = settings(max_examples=60, deadline=None)


@st.composite
def dists(draw, k=None, positive=True):
    k = draw(st.integers(2, 6)) if k is None else k
    lo = 0.01 if positive else 0.0
    w = np.array(draw(st.lists(st.floats(lo, 1.0), min_size=k, max_size=k)))
    if w.sum() == 0:
        w[0] = 1.0
    return w / w.sum()


@st.composite
def pairs(draw, positive=True):
    k = draw(st.integers(2, 6))
    return draw(dists(k, positive)), draw(dists(k, positive))


# ---------------------------------------------------------------- Gibbs steps


@SMALL
@given(pairs())
def test_gibbs_lines_hold_and_agree(pq):
    p, q = pq
    s = gibbs_steps(p, q)
    # line 1 (kl_divergence) equals line 2 (the proof's expression) and -(H(p,q) - H(p))
    assert s.neg_divergence == pytest.approx(s.expected_log_ratio, abs=1e-12)
    assert s.expected_log_ratio == pytest.approx(entropy(p) - cross_entropy(p, q), abs=1e-10)
    # the inequalities of the proof
    assert s.expected_log_ratio <= s.log_expected_ratio + 1e-12
    assert s.log_expected_ratio == pytest.approx(s.log_mass_on_support, abs=1e-12)
    assert s.log_mass_on_support <= s.log_total_mass + 1e-12
    assert abs(s.log_total_mass) < 1e-9
    assert s.jensen_gap >= 0 and s.support_gap >= 0
    # the two gaps add up to D(p||q) (up to the round-off in sum q)
    assert s.jensen_gap + s.support_gap == pytest.approx(kl_divergence(p, q), abs=1e-9)


def test_gibbs_equality_only_for_equal_pair():
    p = np.array([0.2, 0.3, 0.5])
    s = gibbs_steps(p, p)
    assert s.jensen_gap == 0 and abs(s.support_gap) < 1e-15 and s.neg_divergence == 0
    # q/p constant on the support of p but q leaks outside it: Jensen tight, support step not
    s = gibbs_steps([0.5, 0.5, 0.0], [0.25, 0.25, 0.5])
    assert s.jensen_gap == pytest.approx(0, abs=1e-15)
    assert s.support_gap == pytest.approx(1.0)          # log2(1) - log2(1/2)
    # same support, different q: Jensen step strict
    s = gibbs_steps([0.5, 0.5], [0.4, 0.6])
    assert s.jensen_gap > 0 and s.support_gap == pytest.approx(0, abs=1e-15)


def test_gibbs_infinite_divergence():
    s = gibbs_steps([0.5, 0.5], [1.0, 0.0])
    assert s.neg_divergence == -math.inf and s.expected_log_ratio == -math.inf
    assert s.jensen_gap == math.inf
    assert s.log_expected_ratio == pytest.approx(0.0)


def test_gibbs_batch_and_units():
    rng = np.random.default_rng(3)
    p, q = random_distributions(rng, 5, 4), random_distributions(rng, 5, 4)
    s = gibbs_steps(p, q, base=np.e)
    assert np.asarray(s.neg_divergence).shape == (5,)
    np.testing.assert_allclose(s.neg_divergence, -kl_divergence(p, q, base=np.e), atol=1e-12)
    np.testing.assert_allclose(s.expected_log_ratio, -(kl_divergence(p, q) * math.log(2)), atol=1e-12)
    for i in range(5):
        one = gibbs_steps(p[i], q[i], base=np.e)
        assert one.jensen_gap == pytest.approx(s.jensen_gap[i], abs=1e-12)


@pytest.mark.parametrize("p, q, match", [
    ([0.5, 0.6], [0.5, 0.5], "sums to"),
    ([0.5, 0.5], [0.5, 0.25, 0.25], "different shapes"),
    ([1.5, -0.5], [0.5, 0.5], "negative"),
    ([np.nan, 1.0], [0.5, 0.5], "NaN"),
])
def test_gibbs_bad_input(p, q, match):
    with pytest.raises(ValueError, match=match) as err:
        gibbs_steps(p, q)
    assert "gibbs_steps" in str(err.value)


# ---------------------------------------------------------------- Jensen picture


@SMALL
@given(st.lists(st.floats(0.05, 20.0), min_size=2, max_size=5), st.data())
def test_jensen_points(x, data):
    w = data.draw(dists(len(x)))
    j = jensen_points(x, w)
    assert j.mean == pytest.approx(float(np.dot(w, x)))
    assert j.log_of_mean == pytest.approx(math.log2(j.mean))
    assert j.mean_of_log == pytest.approx(float(np.dot(w, np.log2(x))))
    assert j.mean_of_log <= j.log_of_mean + 1e-12
    assert j.gap == pytest.approx(max(j.log_of_mean - j.mean_of_log, 0.0), abs=1e-15)


def test_jensen_points_equal_values_no_gap_and_errors():
    assert jensen_points([3.0, 3.0], [0.3, 0.7]).gap == pytest.approx(0, abs=1e-15)
    # in the Gibbs proof X = q/p with weights p: the gap is the Jensen gap of gibbs_steps
    p, q = np.array([0.2, 0.8]), np.array([0.6, 0.4])
    assert jensen_points(q / p, p).gap == pytest.approx(gibbs_steps(p, q).jensen_gap)
    with pytest.raises(ValueError, match="> 0"):
        jensen_points([0.0, 1.0], [0.5, 0.5])
    with pytest.raises(ValueError, match="same length"):
        jensen_points([1.0, 2.0, 3.0], [0.5, 0.5])


# ---------------------------------------------------------------- log-sum inequality


@SMALL
@given(st.integers(1, 6).flatmap(lambda k: st.tuples(
    st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 10.0)), min_size=k, max_size=k),
    st.lists(st.floats(0.01, 10.0), min_size=k, max_size=k))))
def test_log_sum_inequality(ab):
    a, b = map(np.array, ab)
    if a.sum() == 0:
        a[0] = 1.0
    s = log_sum_sides(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = np.where(a > 0, a * np.log2(a / b), 0.0).sum()
    assert s.lhs == pytest.approx(direct, rel=1e-12, abs=1e-12)
    assert s.rhs == pytest.approx(a.sum() * math.log2(a.sum() / b.sum()), rel=1e-12, abs=1e-12)
    assert s.lhs >= s.rhs - 1e-9
    assert s.gap == pytest.approx(s.lhs - s.rhs, rel=1e-7, abs=1e-9)


def test_log_sum_equality_case_zero_b_and_errors():
    s = log_sum_sides([1.0, 2.0, 0.5], [3.0, 6.0, 1.5])
    assert s.gap == pytest.approx(0, abs=1e-12) and s.lhs == pytest.approx(s.rhs)
    assert log_sum_sides([1.0, 1.0], [1.0, 0.0]).lhs == math.inf
    with pytest.raises(ValueError, match="negative"):
        log_sum_sides([1.0, -1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="sums to 0"):
        log_sum_sides([0.0, 0.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="different shapes"):
        log_sum_sides([1.0, 2.0], [1.0, 2.0, 3.0])


# ---------------------------------------------------------------- triangle inequality


def test_triangle_counterexample_values():
    p, u, q = [0.1, 0.9], [0.5, 0.5], [0.9, 0.1]
    t = triangle_check(p, u, q)
    assert t.d_pu == pytest.approx(kl_divergence(p, u))
    assert t.d_uq == pytest.approx(kl_divergence(u, q))
    assert t.direct == pytest.approx(kl_divergence(p, q))
    # a second way: closed form of binary KL in bits
    d = lambda a, b: a * math.log2(a / b) + (1 - a) * math.log2((1 - a) / (1 - b))
    assert t.direct == pytest.approx(d(0.1, 0.9)) and t.via_u == pytest.approx(d(0.1, 0.5) + d(0.5, 0.9))
    assert t.violated and t.slack < 0
    assert not triangle_check(p, u, q, divergence=js_distance).violated


def test_triangle_infinite_both_sides_is_not_a_violation():
    t = triangle_check([0.5, 0.5], [0.5, 0.5], [1.0, 0.0])
    assert t.direct == math.inf and t.via_u == math.inf and not t.violated


@SMALL
@given(pairs(), st.floats(0.01, 0.99))
def test_every_u_on_the_segment_breaks_kl_triangle(pq, t):
    """For p != q, u = t p + (1-t) q with 0 < t < 1 always gives a violation (convexity in t)."""
    p, q = pq
    if np.abs(p - q).max() < 1e-3:
        return
    u = t * p + (1 - t) * q
    u = u / u.sum()
    assert triangle_check(p, u, q).violated


def test_triangle_search_counts_and_binary_characterisation():
    s = triangle_search(np.random.default_rng(7), 3000, 2, {"KL": kl_divergence, "JS": js_distance})
    assert s.n == 3000
    # the counts are what triangle_check says on the same triples
    t = triangle_check(s.p, s.u, s.q)
    assert s.counts["KL"] == int(np.sum(t.violated)) > 0
    assert s.counts["JS"] == 0
    # two outcomes: violated exactly when u lies strictly between p and q
    np.testing.assert_array_equal(s.violated["KL"], lies_between(s.p, s.u, s.q))
    # about a third of uniform triples have u in the middle
    assert 0.28 < s.counts["KL"] / s.n < 0.39
    w = s.worst["KL"]
    assert s.checks["KL"].slack[w] == np.min(s.checks["KL"].slack)
    assert s.worst["JS"] is None


def test_triangle_search_reproducible_and_kwargs():
    a = triangle_search(np.random.default_rng(5), 200, 4)
    b = triangle_search(np.random.default_rng(5), 200, 4)
    np.testing.assert_array_equal(a.p, b.p)
    assert a.counts == b.counts
    nats = triangle_search(np.random.default_rng(5), 200, 4,
                           {"KL nats": functools.partial(kl_divergence, base=np.e)})
    assert nats.counts["KL nats"] == a.counts["KL"]     # a change of unit changes no verdict
    with pytest.raises(TypeError, match="Generator"):
        triangle_search(5, 10)
    with pytest.raises(ValueError, match="n must be >= 1"):
        triangle_search(np.random.default_rng(0), 0)


def test_lies_between_errors():
    with pytest.raises(ValueError, match="two outcomes"):
        lies_between([0.2, 0.3, 0.5], [0.2, 0.3, 0.5], [0.2, 0.3, 0.5])


# ---------------------------------------------------------------- joint convexity


@SMALL
@given(st.integers(2, 5).flatmap(lambda k: st.tuples(*[dists(k)] * 4)), st.floats(0.0, 1.0))
def test_mixture_check_against_direct(pqs, lam):
    p1, q1, p2, q2 = pqs
    m = mixture_check(p1, q1, p2, q2, lam)
    pm, qm = lam * p1 + (1 - lam) * p2, lam * q1 + (1 - lam) * q2
    assert m.mixture == pytest.approx(kl_divergence(pm / pm.sum(), qm / qm.sum()), abs=1e-9)
    assert m.chord == pytest.approx(lam * kl_divergence(p1, q1) + (1 - lam) * kl_divergence(p2, q2))
    assert m.gap >= -1e-12


def test_mixture_check_endpoints_and_infinite_pair():
    p1, q1, p2, q2 = [0.9, 0.1], [0.2, 0.8], [0.5, 0.5], [1.0, 0.0]
    m = mixture_check(p1, q1, p2, q2, 1.0)        # weight 0 on the infinite pair
    assert m.chord == pytest.approx(kl_divergence(p1, q1)) and m.gap == pytest.approx(0, abs=1e-12)
    assert mixture_check(p1, q1, p2, q2, 0.5).chord == math.inf
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        mixture_check(p1, q1, p1, q1, 1.5)
    with pytest.raises(ValueError, match="batch shape"):
        mixture_check(p1, q1, p1, q1, [0.5, 0.5])


def test_random_mixture_check_counts_no_violation():
    r = random_mixture_check(np.random.default_rng(11), 5000, 4)
    assert r.violations == 0
    gap = np.asarray(r.checks.gap)
    assert gap.shape == (5000,) and r.min_gap == gap.min() and r.min_gap > -1e-12
    # the count is not vacuous: a concave function would fail it
    assert np.mean(gap > 1e-6) > 0.9


@SMALL
@given(st.integers(2, 5).flatmap(lambda k: st.tuples(*[dists(k)] * 4)), st.floats(0.05, 0.95))
def test_joint_convexity_terms_sum_to_both_sides(pqs, lam):
    t = joint_convexity_terms(*pqs, lam)
    assert np.all(t.lhs >= t.rhs - 1e-12)
    assert t.lhs.sum() == pytest.approx(t.chord, abs=1e-9)
    assert t.rhs.sum() == pytest.approx(t.mixture, abs=1e-9)


def test_joint_convexity_terms_errors():
    with pytest.raises(ValueError, match="strictly between"):
        joint_convexity_terms([0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5], 0.0)
    with pytest.raises(ValueError, match="infinite"):
        joint_convexity_terms([0.5, 0.5], [1.0, 0.0], [0.5, 0.5], [0.5, 0.5], 0.5)


# ---------------------------------------------------------------- location family


def test_discretized_gaussian_and_non_convex_reverse_curve():
    x = np.arange(21)
    q = discretized_gaussian(x, np.array([4.0, 10.0]), 2.0)
    np.testing.assert_allclose(q.sum(axis=-1), 1.0)
    assert q[0].argmax() == 4 and q[1].argmax() == 10
    w = np.exp(-0.5 * ((x - 10.0) / 2.0) ** 2)
    np.testing.assert_allclose(q[1], w / w.sum())
    p = 0.5 * discretized_gaussian(x, 5.0, 1.5) + 0.5 * discretized_gaussian(x, 15.0, 1.5)
    theta = np.linspace(0, 20, 201)
    fam = discretized_gaussian(x, theta, 1.5)
    reverse = kl_divergence(fam, np.broadcast_to(p, fam.shape).copy())
    assert len(local_minima(reverse)) == 2
    assert np.min(np.diff(reverse, 2)) < 0          # a negative second difference: not convex
    # an affine family (a mixture weight) inherits convexity: one bowl, no negative curvature
    w = np.linspace(0, 1, 101)[:, None]
    mix = w * discretized_gaussian(x, 5.0, 2.0) + (1 - w) * discretized_gaussian(x, 12.0, 2.0)
    curve = kl_divergence(np.broadcast_to(p, mix.shape).copy(), mix / mix.sum(axis=-1, keepdims=True))
    assert len(local_minima(curve)) <= 1 and np.min(np.diff(curve, 2)) > -1e-12


def test_local_minima_and_errors():
    assert local_minima([1.0, 2.0, 3.0]).tolist() == []
    with pytest.raises(ValueError, match="at least 3"):
        local_minima([1.0, 2.0])
    with pytest.raises(ValueError, match="scale"):
        discretized_gaussian([0, 1], 0.0, 0.0)


def test_triangle_tolerance_metric_equality_is_not_a_violation():
    from klcourse.measures import total_variation
    s = triangle_search(np.random.default_rng(6), 5000, 2, {"TV": total_variation})
    assert s.counts["TV"] == 0
    # without an allowance, round-off on the equality cases shows up as "violations"
    raw = triangle_search(np.random.default_rng(6), 5000, 2, {"TV": total_variation}, tol=0.0)
    assert raw.counts["TV"] > 0
    assert np.max(-np.asarray(raw.checks["TV"].slack)) < 1e-14
    # an infinite direct value against a finite detour is a violation whatever the tolerance
    weird = lambda a, b: np.where(np.all(a == b, axis=-1), 0.0,
                                  np.where((a[..., 0] > 0.9) & (b[..., 0] < 0.3), np.inf, 1.0))
    assert triangle_check([0.95, 0.05], [0.5, 0.5], [0.2, 0.8], divergence=weird, tol=1.0).violated
    with pytest.raises(ValueError, match="tol"):
        triangle_check([0.5, 0.5], [0.5, 0.5], [0.5, 0.5], tol=-1.0)


def test_discretized_cauchy_forward_curve_has_two_bowls():
    from klcourse.inequalities import discretized_cauchy
    x = np.arange(21)
    q = discretized_cauchy(x, 7.0, 2.0)
    w = 1 / (1 + ((x - 7.0) / 2.0) ** 2)
    np.testing.assert_allclose(q, w / w.sum())
    p = 0.5 * discretized_gaussian(x, 4.0, 1.0) + 0.5 * discretized_gaussian(x, 16.0, 1.0)
    theta = np.linspace(0, 20, 401)
    fam = discretized_cauchy(x, theta, 2.0)
    forward = kl_divergence(np.tile(p, (len(theta), 1)), fam)
    minima = theta[local_minima(forward)]
    assert len(minima) == 2 and minima[0] < 10 < minima[1]
    # symmetric target: the two bowls are mirror images, equally deep
    assert forward[local_minima(forward)][0] == pytest.approx(forward[local_minima(forward)][1])
    with pytest.raises(ValueError, match="loc"):
        discretized_cauchy(x, np.nan, 1.0)
