"""Tests of klcourse.measures: the theorems the course teaches, agreement with
scipy, the conventions, and every bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.spatial.distance
import scipy.special
import scipy.stats
from hypothesis import assume, given
from hypothesis import strategies as st

from klcourse import (
    SUM_TOLERANCE,
    binary_entropy,
    cross_entropy,
    entropy,
    js_distance,
    js_divergence,
    kl_divergence,
    mutual_information,
    normalize,
    renyi_divergence,
)
from klcourse import measures
from strategies import BAD_PAIRS, distributions, pairs, rel_entr_sum

LN2 = math.log(2)

# ---------------------------------------------------------------- strategies


@st.composite
def triples(draw):
    n = draw(st.integers(1, 6))
    return tuple(draw(distributions(n=n, allow_zeros=False)) for _ in range(3))


def random_simplex(rng, shape):
    x = rng.random(shape)
    return x / x.sum(axis=-1, keepdims=True)


# ---------------------------------------------------------------- theorems


@given(pairs(q_zeros=False))
def test_gibbs_inequality(pq):
    p, q = pq
    d = kl_divergence(p, q)
    assert d >= 0
    if np.allclose(p, q, atol=1e-12):
        assert d == pytest.approx(0, abs=1e-12)


@given(pairs(q_zeros=False))
def test_equality_only_when_equal(pq):
    p, q = pq
    assume(np.abs(p - q).max() > 1e-3)
    assert kl_divergence(p, q) > 0


@given(pairs(q_zeros=False), st.sampled_from([2, math.e, 10, 0.5]))
def test_cross_entropy_decomposition(pq, base):
    p, q = pq
    assert cross_entropy(p, q, base=base) == pytest.approx(
        entropy(p, base=base) + kl_divergence(p, q, base=base), rel=1e-10, abs=1e-12)


@given(st.integers(2, 4), st.integers(2, 4), st.data())
def test_chain_rule(nx, ny, data):
    # D(p(x,y) || q(x,y)) = D(p(x) || q(x)) + sum_x p(x) D(p(y|x) || q(y|x))
    p = data.draw(distributions(n=nx * ny, allow_zeros=False)).reshape(nx, ny)
    q = data.draw(distributions(n=nx * ny, allow_zeros=False)).reshape(nx, ny)
    px, qx = p.sum(1), q.sum(1)
    conditional = kl_divergence(p / px[:, None], q / qx[:, None])  # batch over x
    lhs = kl_divergence(p.ravel(), q.ravel())
    rhs = kl_divergence(px, qx) + float(px @ conditional)
    assert lhs == pytest.approx(rhs, rel=1e-9, abs=1e-12)


@given(st.integers(1, 8), st.floats(0, 1), st.data())
def test_joint_convexity(n, lam, data):
    p1, p2 = data.draw(distributions(n=n)), data.draw(distributions(n=n))
    q1, q2 = (data.draw(distributions(n=n, allow_zeros=False)) for _ in range(2))
    p = normalize(lam * p1 + (1 - lam) * p2)
    q = normalize(lam * q1 + (1 - lam) * q2)
    lhs = kl_divergence(p, q)
    rhs = lam * kl_divergence(p1, q1) + (1 - lam) * kl_divergence(p2, q2)
    assert lhs <= rhs + 1e-10


@given(st.integers(2, 5), st.integers(2, 5), st.data())
def test_data_processing_inequality(n, m, data):
    p = data.draw(distributions(n=n))
    q = data.draw(distributions(n=n, allow_zeros=False))
    rows = [data.draw(distributions(n=m)) for _ in range(n)]
    channel = np.array(rows)  # a random stochastic matrix, rows sum to 1
    assert kl_divergence(normalize(p @ channel), normalize(q @ channel)) <= kl_divergence(p, q) + 1e-10


@given(pairs(q_zeros=False))
def test_pinsker(pq):
    p, q = pq
    tv = 0.5 * np.abs(p - q).sum()
    assert kl_divergence(p, q, base=math.e) >= 2 * tv**2 - 1e-12


@given(pairs())
def test_js_symmetric_and_bounded(pq):
    p, q = pq
    a, b = js_divergence(p, q), js_divergence(q, p)
    assert a == pytest.approx(b, abs=1e-12)
    assert 0 <= a <= 1
    assert js_divergence(p, q, base=math.e) <= LN2


def test_js_with_the_smallest_subnormal():
    # Halving 5e-324 underflows to 0; a mixture-based formula then reports 1 bit.
    p, q = [0.0, 1.0, 0.0], [5e-324, 1.0, 0.0]
    assert js_divergence(p, q) == pytest.approx(0.0, abs=1e-300)
    assert js_divergence(q, p) == pytest.approx(0.0, abs=1e-300)


def test_js_one_bit_exactly_for_disjoint_supports():
    assert js_divergence([0.5, 0.5, 0, 0], [0, 0, 0.3, 0.7]) == 1.0
    assert js_divergence([0.5, 0.5, 0, 0], [0, 0.1, 0.2, 0.7]) < 1.0


@given(triples())
def test_js_distance_triangle_inequality(pqr):
    p, q, r = pqr
    assert js_distance(p, r) <= js_distance(p, q) + js_distance(q, r) + 1e-12


@given(pairs(q_zeros=False), st.floats(0, 5), st.floats(0, 5))
def test_renyi_non_decreasing(pq, a, b):
    p, q = pq
    lo, hi = sorted((a, b))
    assert renyi_divergence(p, q, lo) <= renyi_divergence(p, q, hi) * (1 + 1e-9) + 1e-12
    assert renyi_divergence(p, q, hi) <= renyi_divergence(p, q, np.inf) * (1 + 1e-9) + 1e-12


@given(pairs(q_zeros=False), st.floats(1e-9, 1e-4), st.sampled_from([-1, 1]))
def test_renyi_continuous_at_one(pq, eps, sign):
    p, q = pq
    kl = kl_divergence(p, q)
    assert renyi_divergence(p, q, 1 + sign * eps) == pytest.approx(kl, rel=1e-3, abs=1e-9)


def test_renyi_closed_forms():
    rng = np.random.default_rng(1)
    p, q = random_simplex(rng, 5), random_simplex(rng, 5)
    for a in (0.3, 0.5, 2.0, 3.7):
        direct = np.log2(np.sum(p**a * q ** (1 - a))) / (a - 1)
        assert renyi_divergence(p, q, a) == pytest.approx(direct, rel=1e-12)
    assert renyi_divergence(p, q, np.inf) == pytest.approx(np.log2(np.max(p / q)), rel=1e-12)
    # alpha = 0: minus the log of the q-mass on supp(p)
    p0 = normalize([1, 0, 2, 0, 1])
    assert renyi_divergence(p0, q, 0) == pytest.approx(-np.log2(q[[0, 2, 4]].sum()), rel=1e-12)
    # alpha = 1/2 is -2 log of the Bhattacharyya coefficient; alpha = 2 is log(1 + chi2)
    assert renyi_divergence(p, q, 0.5) == pytest.approx(-2 * np.log2(np.sum(np.sqrt(p * q))), rel=1e-12)
    assert renyi_divergence(p, q, 2) == pytest.approx(np.log2(1 + np.sum((p - q) ** 2 / q)), rel=1e-12)


def test_renyi_large_alpha_does_not_overflow():
    p, q = [0.9, 0.1], [0.1, 0.9]
    value = renyi_divergence(p, q, 5000.0)
    assert np.isfinite(value)
    assert value == pytest.approx(np.log2(9) + np.log2(0.9) / 4999, rel=1e-9)


def test_renyi_subnormal_probability_with_a_huge_ratio():
    # p(0) is the smallest subnormal: the term p(0)^alpha q(0)^(1-alpha) has a
    # huge exponent, which must not push the other term below the float range
    # (hypothesis found D_0 = log2(3/2) here instead of -log2(Q(supp p)) = 0).
    p, q = np.array([5e-324, 1.0]), np.array([2 / 3, 1 / 3])
    assert renyi_divergence(p, q, 0) == pytest.approx(-np.log2(q[p > 0].sum()), abs=1e-12)
    for a in (0.5, 2.0):
        direct = np.log2(np.sum(p ** a * q ** (1 - a))) / (a - 1)
        assert renyi_divergence(p, q, a) == pytest.approx(direct, rel=1e-12)


def test_renyi_infinite_cases():
    p, q = [0.5, 0.5], [1.0, 0.0]
    assert renyi_divergence(p, q, 0.5) == pytest.approx(-2 * np.log2(np.sqrt(0.5)))
    assert renyi_divergence(p, q, 1) == np.inf
    assert renyi_divergence(p, q, 2) == np.inf
    assert renyi_divergence(p, q, np.inf) == np.inf
    # q puts no mass on supp(p): infinite for every order
    assert renyi_divergence([1.0, 0.0], [0.0, 1.0], 0.5) == np.inf
    assert renyi_divergence([1.0, 0.0], [0.0, 1.0], 0) == np.inf


# ---------------------------------------------------------------- scipy agreement


@pytest.mark.parametrize("n", [1, 2, 7, 1000, 100_000])
@pytest.mark.parametrize("base", [2, math.e, 10])
def test_agrees_with_scipy(n, base):
    rng = np.random.default_rng(n)
    p, q = random_simplex(rng, n), random_simplex(rng, n)
    assert entropy(p, base=base) == pytest.approx(scipy.stats.entropy(p, base=base), rel=1e-12, abs=1e-15)
    assert kl_divergence(p, q, base=base) == pytest.approx(
        scipy.special.rel_entr(p, q).sum() / math.log(base), rel=1e-12, abs=1e-15)
    assert kl_divergence(p, q, base=base) == pytest.approx(
        scipy.stats.entropy(p, q, base=base), rel=1e-12, abs=1e-15)
    assert js_distance(p, q, base=base) == pytest.approx(
        scipy.spatial.distance.jensenshannon(p, q, base=base), rel=1e-12, abs=1e-15)


@given(pairs())
def test_agrees_with_scipy_with_zeros(pq):
    p, q = pq
    expected = rel_entr_sum(p, q) / LN2
    got = kl_divergence(p, q)
    if np.isinf(expected):
        assert got == np.inf
    else:
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-14)


def test_batches_match_row_by_row():
    rng = np.random.default_rng(3)
    p, q = random_simplex(rng, (4, 3, 6)), random_simplex(rng, (4, 3, 6))
    for func in (kl_divergence, cross_entropy, js_divergence, js_distance):
        batch = func(p, q)
        assert batch.shape == (4, 3)
        rows = np.array([[func(p[i, j], q[i, j]) for j in range(3)] for i in range(4)])
        np.testing.assert_allclose(batch, rows, rtol=1e-12)
    np.testing.assert_allclose(renyi_divergence(p, q, 0.7),
                               [[renyi_divergence(p[i, j], q[i, j], 0.7) for j in range(3)] for i in range(4)],
                               rtol=1e-12)
    np.testing.assert_allclose(entropy(p), [[entropy(r) for r in m] for m in p], rtol=1e-12)


def test_axis_argument():
    rng = np.random.default_rng(4)
    p, q = random_simplex(rng, (5, 3)), random_simplex(rng, (5, 3))
    np.testing.assert_allclose(kl_divergence(p.T, q.T, axis=0), kl_divergence(p, q), rtol=1e-12)
    np.testing.assert_allclose(entropy(p.T, axis=0), entropy(p), rtol=1e-12)
    np.testing.assert_allclose(normalize(p.T * 7, axis=0), p.T, rtol=1e-12)


def test_long_input_matches_direct_sum():
    # A long input with zeros in p and a q = 0 < p case.
    rng = np.random.default_rng(5)
    n = 100_017
    p = rng.random(n)
    p[rng.random(n) < 0.1] = 0
    p /= p.sum()
    q = random_simplex(rng, n)
    direct = np.sum(scipy.special.rel_entr(p, q)) / LN2
    assert kl_divergence(p, q) == pytest.approx(direct, rel=1e-12)
    assert entropy(p) == pytest.approx(scipy.stats.entropy(p, base=2), rel=1e-12)
    q2 = q.copy()
    q2[np.flatnonzero(p)[-1]] = 0
    q2 /= q2.sum()
    assert kl_divergence(p, q2) == np.inf


def test_subnormal_q_does_not_overflow_to_inf():
    p = np.array([0.5, 0.5])
    q = np.array([1 - 5e-324, 5e-324])
    expected = 0.5 * (math.log(0.5 / q[0]) + (math.log(0.5) - math.log(5e-324))) / LN2
    assert kl_divergence(p, q) == pytest.approx(expected, rel=1e-12)
    assert kl_divergence(np.stack([p, p]), np.stack([q, q]))[1] == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------- conventions


def test_zero_conventions():
    assert kl_divergence([0.0, 1.0], [0.5, 0.5]) == pytest.approx(1.0)  # 0 log 0/q = 0
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf            # p > 0 = q
    assert kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0                # 0 log 0/0 = 0
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert entropy([1.0, 0.0, 0.0]) == 0.0


def test_no_warnings_for_infinite_divergence(recwarn):
    kl_divergence([0.5, 0.5], [1.0, 0.0])
    kl_divergence(np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]]))
    assert len(recwarn) == 0


def test_never_negative_from_round_off():
    rng = np.random.default_rng(6)
    p = random_simplex(rng, (1000, 3))
    assert (kl_divergence(p, p) >= 0).all()
    assert (js_divergence(p, p) >= 0).all()
    assert (renyi_divergence(p, p, 0.5) >= 0).all()
    assert (renyi_divergence(p, p, 1 + 1e-8) >= 0).all()


def test_units():
    assert entropy(np.full(8, 1 / 8)) == pytest.approx(3.0)
    assert entropy(np.full(8, 1 / 8), base=math.e) == pytest.approx(math.log(8))
    assert entropy(np.full(8, 1 / 8), base=8) == pytest.approx(1.0)
    assert entropy([0.5, 0.5], base=0.5) == pytest.approx(-1.0)  # base < 1: negative logs
    assert kl_divergence([0.5, 0.5], [0.9, 0.1], base=math.e) == pytest.approx(
        kl_divergence([0.5, 0.5], [0.9, 0.1]) * LN2)


def test_returns_float_for_1d():
    assert type(entropy([0.5, 0.5])) is float
    assert type(kl_divergence([0.5, 0.5], [0.4, 0.6])) is float
    assert type(js_distance([0.5, 0.5], [0.4, 0.6])) is float
    assert type(binary_entropy(0.3)) is float
    assert type(mutual_information([[0.5, 0], [0, 0.5]])) is float


def test_binary_entropy_vectorised():
    x = np.linspace(0, 1, 101)
    expected = [entropy([v, 1 - v]) for v in x]
    np.testing.assert_allclose(binary_entropy(x), expected, atol=1e-15)
    assert binary_entropy(x.reshape(101, 1)).shape == (101, 1)
    assert binary_entropy(0.5, base=math.e) == pytest.approx(LN2)


@given(st.integers(2, 4), st.integers(2, 4), st.data())
def test_mutual_information_is_a_kl(nx, ny, data):
    joint = data.draw(distributions(n=nx * ny)).reshape(nx, ny)
    px, py = joint.sum(1), joint.sum(0)
    hx, hy, hxy = entropy(px), entropy(py), entropy(joint.ravel())
    mi = mutual_information(joint)
    assert mi == pytest.approx(hx + hy - hxy, abs=1e-10)
    assert mi >= 0
    independent = np.outer(px, py)
    assert mutual_information(independent / independent.sum()) == pytest.approx(0, abs=1e-10)


def test_normalize_large_integers_do_not_overflow():
    big = np.array([2**62, 2**62, 2**62, 2**62], dtype=np.int64)  # int64 sum overflows
    np.testing.assert_allclose(normalize(big), 0.25)
    np.testing.assert_allclose(normalize(np.array([2**63, 2**63], dtype=np.uint64)), 0.5)
    huge = [10**400, 3 * 10**400]                      # beyond float64
    np.testing.assert_allclose(normalize(huge), [0.25, 0.75])
    np.testing.assert_allclose(normalize([[1, 3], [10**30, 10**30]]), [[0.25, 0.75], [0.5, 0.5]])
    np.testing.assert_allclose(normalize([1e308, 1e308]), [0.5, 0.5])   # float total overflows


# ---------------------------------------------------------------- bad input


ALL_PAIR_FUNCS = [kl_divergence, cross_entropy, js_divergence, js_distance,
                  lambda p, q, **kw: renyi_divergence(p, q, 0.5, **kw)]


@pytest.mark.parametrize("func", ALL_PAIR_FUNCS)
@pytest.mark.parametrize("p, q, message", BAD_PAIRS)
def test_bad_distributions(func, p, q, message):
    with pytest.raises(ValueError, match=message):
        func(p, q)


@pytest.mark.parametrize("p, message", [
    ([0.5, -0.5, 1.0], r"entropy: p has a negative entry"),
    ([0.5, np.nan, 0.5], r"entropy: p contains NaN"),
    ([0.3, 0.3], r"entropy: p sums to 0.6"),
    ([[1.0, 0.0], [0.3, 0.3]], r"p sums to 0.6 along axis -1 \(batch index \(1,\)\)"),
])
def test_bad_entropy_input(p, message):
    with pytest.raises(ValueError, match=message):
        entropy(p)


def test_long_input_errors_are_found_anywhere():
    n = 65_541
    p = np.full(n, 1 / n)
    p[-1] = -p[-1]
    with pytest.raises(ValueError, match=rf"negative entry .* at index {n - 1}"):
        entropy(p)
    q = np.full(n, 1 / n)
    q[32_771] = np.nan
    with pytest.raises(ValueError, match=r"q contains NaN \(at index 32771\)"):
        kl_divergence(np.full(n, 1 / n), q)
    with pytest.raises(ValueError, match=r"p sums to 2"):
        kl_divergence(np.full(n, 2 / n), np.full(n, 1 / n))


@pytest.mark.parametrize("bad", [["a", "b"], [True, False], [1 + 1j, 0], [None, 1.0]])
def test_non_numeric_is_type_error(bad):
    with pytest.raises(TypeError, match=r"kl_divergence: p .*"):
        kl_divergence(bad, [0.5, 0.5])


@pytest.mark.parametrize("base, exc, message", [
    (1, ValueError, r"base must be a finite number > 0 and != 1"),
    (0, ValueError, r"base must be"),
    (-2, ValueError, r"base must be"),
    (np.inf, ValueError, r"base must be"),
    (np.nan, ValueError, r"base must be"),
    ("2", TypeError, r"base must be a real number"),
])
def test_bad_base(base, exc, message):
    for call in (lambda: entropy([0.5, 0.5], base=base),
                 lambda: kl_divergence([0.5, 0.5], [0.5, 0.5], base=base),
                 lambda: binary_entropy(0.5, base=base),
                 lambda: mutual_information([[0.5, 0], [0, 0.5]], base=base)):
        with pytest.raises(exc, match=message):
            call()


@pytest.mark.parametrize("alpha, exc, message", [
    (-0.5, ValueError, r"alpha must be in \[0, inf\]"),
    (np.nan, ValueError, r"alpha must be in \[0, inf\]"),
    ("2", TypeError, r"alpha must be a real number"),
    ([1, 2], TypeError, r"alpha must be a real number"),
])
def test_bad_alpha(alpha, exc, message):
    with pytest.raises(exc, match=message):
        renyi_divergence([0.5, 0.5], [0.5, 0.5], alpha)


def test_sum_tolerance_is_documented_and_enforced():
    p = np.array([0.5, 0.5 + SUM_TOLERANCE / 2])
    entropy(p)  # inside the tolerance
    with pytest.raises(ValueError, match="tolerance"):
        entropy(np.array([0.5, 0.5 + 3 * SUM_TOLERANCE]))


@pytest.mark.parametrize("x, message", [
    (1.5, r"x must lie in \[0, 1\]"), (-0.1, r"x must lie in \[0, 1\]"),
    (np.nan, r"x must lie in \[0, 1\]"), ([], r"x is empty"),
])
def test_bad_binary_entropy(x, message):
    with pytest.raises(ValueError, match=message):
        binary_entropy(x)


def test_bad_mutual_information():
    with pytest.raises(ValueError, match=r"joint must be a 2-D table"):
        mutual_information([0.5, 0.5])
    with pytest.raises(ValueError, match=r"joint sums to 0.8"):
        mutual_information([[0.4, 0.0], [0.0, 0.4]])
    with pytest.raises(ValueError, match=r"joint has a negative entry"):
        mutual_information([[0.6, -0.1], [0.0, 0.5]])


@pytest.mark.parametrize("counts, exc, message", [
    ([0, 0, 0], ValueError, r"counts along axis -1 sum to 0"),
    ([1, -1, 2], ValueError, r"counts has a negative entry \(-1 at index 1\)"),
    ([1.0, np.nan], ValueError, r"counts contains NaN"),
    ([1.0, np.inf], ValueError, r"counts contains an infinite entry"),
    ([], ValueError, r"counts is empty"),
    ([10**400, -1], ValueError, r"counts has a negative entry"),
    (["a", "b"], TypeError, r"normalize: counts holds strings"),
    ([True, False], TypeError, r"booleans"),
])
def test_bad_counts(counts, exc, message):
    with pytest.raises(exc, match=message):
        normalize(counts)


def test_inputs_are_never_modified():
    p = np.array([0.2, 0.0, 0.8])
    q = np.array([0.1, 0.1, 0.8])
    p0, q0 = p.copy(), q.copy()
    for func in (kl_divergence, cross_entropy, js_divergence):
        func(p, q)
    entropy(p)
    renyi_divergence(p, q, 3)
    np.testing.assert_array_equal(p, p0)
    np.testing.assert_array_equal(q, q0)
