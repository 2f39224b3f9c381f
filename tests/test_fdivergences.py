"""Tests of the f-divergence family in klcourse.measures (f_divergence, total
variation, Hellinger, chi-squared), the inequalities notebook 08 teaches
(Pinsker, Hellinger-TV, the 1-bit bound of Jensen-Shannon, the special orders
of Rényi), agreement with scipy, every bad input, and the notebook's plots,
widget and exercises."""

from __future__ import annotations

import contextlib
import io
import math

import numpy as np
import pytest
import scipy.spatial.distance
import scipy.special
import scipy.stats
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from klcourse import js_distance, js_divergence, kl_divergence, normalize, renyi_divergence
from klcourse.measures import (
    F_GENERATORS,
    FGenerator,
    chi2_divergence,
    f_divergence,
    hellinger_distance,
    hellinger_squared,
    total_variation,
)
from strategies import BAD_PAIRS, distributions, pairs, rel_entr_sum

LN2 = math.log(2)
NAMED = [total_variation, hellinger_squared, hellinger_distance, chi2_divergence]

# ---------------------------------------------------------------- strategies


@st.composite
def disjoint_pairs(draw):
    """p and q on complementary, non-empty sets of outcomes."""
    n = draw(st.integers(2, 8))
    mask = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    assume(mask.any() and (~mask).any())
    wp = np.array(draw(st.lists(st.floats(0.01, 10), min_size=n, max_size=n))) * mask
    wq = np.array(draw(st.lists(st.floats(0.01, 10), min_size=n, max_size=n))) * ~mask
    return normalize(wp), normalize(wq)


def random_simplex(rng, shape):
    return rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])


# ---------------------------------------------------------------- KL and friends as f-divergences


@given(pairs(), st.sampled_from([2, math.e, 10]))
def test_kl_and_reverse_kl_recovered(pq, base):
    p, q = pq
    assert f_divergence(p, q, "kl", base=base) == pytest.approx(
        kl_divergence(p, q, base=base), rel=1e-9, abs=1e-12)
    assert f_divergence(p, q, "reverse_kl", base=base) == pytest.approx(
        kl_divergence(q, p, base=base), rel=1e-9, abs=1e-12)
    assert f_divergence(p, q, "jeffreys", base=base) == pytest.approx(
        kl_divergence(p, q, base=base) + kl_divergence(q, p, base=base), rel=1e-9, abs=1e-12)


@given(pairs())
def test_js_recovered(pq):
    p, q = pq
    assert f_divergence(p, q, "js") == pytest.approx(js_divergence(p, q), rel=1e-9, abs=1e-12)


@given(pairs())
def test_generators_match_the_direct_formulas(pq):
    p, q = pq
    assert f_divergence(p, q, "tv") == pytest.approx(total_variation(p, q), abs=1e-12)
    assert f_divergence(p, q, "hellinger_squared") == pytest.approx(hellinger_squared(p, q),
                                                                    abs=1e-12)
    assert f_divergence(p, q, "chi2") == pytest.approx(chi2_divergence(p, q), rel=1e-9, abs=1e-12)
    assert f_divergence(p, q, "neyman_chi2") == pytest.approx(chi2_divergence(q, p), rel=1e-9,
                                                              abs=1e-12)


@given(pairs())
def test_user_generator_equals_builtin(pq):
    p, q = pq
    # A tiny q makes t log t overflow on the generic path: see test_ratio_overflow.
    assume(not np.any((p > 0) & (q > 0) & (q < 1e-290)))
    mine = FGenerator(lambda t: t * np.log(t), logarithmic=True, f_at_zero=0.0,
                      slope_at_infinity=np.inf)
    assert f_divergence(p, q, mine) == pytest.approx(f_divergence(p, q, "kl"), rel=1e-12,
                                                     abs=1e-15)


def test_f_at_zero_is_taken_from_f_when_not_declared():
    # sqrt-based Hellinger is finite at 0, so f(0.0) serves as the limit.
    gen = FGenerator(lambda t: 0.5 * (np.sqrt(t) - 1) ** 2, logarithmic=False,
                     slope_at_infinity=0.5)
    p, q = [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]
    assert f_divergence(p, q, gen) == pytest.approx(hellinger_squared(p, q), abs=1e-15)


@given(pairs(), st.sampled_from(list(F_GENERATORS)))
def test_nonnegative_and_zero_on_the_diagonal(pq, name):
    p, q = pq
    assert f_divergence(p, q, name) >= 0
    assert f_divergence(p, p, name) == pytest.approx(0, abs=1e-12)


@given(pairs(), st.sampled_from(["tv", "hellinger_squared", "js", "jeffreys"]))
def test_symmetric_members(pq, name):
    p, q = pq
    assert f_divergence(p, q, name) == pytest.approx(f_divergence(q, p, name), rel=1e-9, abs=1e-12)


@given(st.integers(2, 6), st.integers(1, 4), st.sampled_from(list(F_GENERATORS)), st.data())
def test_data_processing_inequality(n, m, name, data):
    # Any channel (row-stochastic matrix) can only shrink an f-divergence.
    p = data.draw(distributions(n, allow_zeros=False))
    q = data.draw(distributions(n, allow_zeros=False))
    channel = np.stack([data.draw(distributions(m, allow_zeros=True)) for _ in range(n)])
    before = f_divergence(p, q, name)
    after = f_divergence(normalize(p @ channel), normalize(q @ channel), name)
    assert after <= before * (1 + 1e-9) + 1e-12


def test_base_scales_only_logarithmic_generators():
    p, q = [0.2, 0.3, 0.5], [0.5, 0.25, 0.25]
    for name, gen in F_GENERATORS.items():
        nats = f_divergence(p, q, name, base=math.e)
        bits = f_divergence(p, q, name, base=2)
        if gen.logarithmic:
            assert bits == pytest.approx(nats / LN2, rel=1e-12)
        else:
            assert bits == nats


# ---------------------------------------------------------------- the inequalities of notebook 08


@given(pairs(q_zeros=False))
def test_pinsker(pq):
    p, q = pq
    tv = total_variation(p, q)
    assert kl_divergence(p, q, base=math.e) >= 2 * tv**2 - 1e-12
    assert kl_divergence(p, q) >= 2 * tv**2 / LN2 - 1e-12          # the same in bits


@given(pairs())
def test_hellinger_tv_bounds(pq):
    p, q = pq
    h2 = hellinger_squared(p, q)
    tv = total_variation(p, q)
    assert h2 <= tv + 1e-12
    assert tv <= math.sqrt(h2 * (2 - h2)) + 1e-12
    assert hellinger_distance(p, q) ** 2 == pytest.approx(h2, abs=1e-15)


@given(pairs())
def test_js_at_most_one_bit(pq):
    p, q = pq
    assert 0 <= js_divergence(p, q) <= 1
    assert js_divergence(p, q, base=math.e) <= LN2


@given(disjoint_pairs())
def test_js_one_bit_and_tv_hellinger_one_for_disjoint_supports(pq):
    p, q = pq
    assert js_divergence(p, q) == pytest.approx(1.0, abs=1e-12)
    assert f_divergence(p, q, "js") == pytest.approx(1.0, abs=1e-12)
    assert total_variation(p, q) == pytest.approx(1.0, abs=1e-12)
    assert hellinger_squared(p, q) == pytest.approx(1.0, abs=1e-12)


@given(pairs())
def test_js_below_one_bit_when_supports_overlap(pq):
    p, q = pq
    overlap = float(np.minimum(p, q).sum())
    assume(overlap > 1e-6)
    js = js_divergence(p, q)
    assert js < 1
    # In bits, 1 - JS = sum_x [p log2(1 + q/p) + q log2(1 + p/q)] / 2, and each
    # bracket is at least min(p, q) log2(1 + max/min) >= min(p, q): the bit is
    # short by at least half the overlap sum_x min(p, q).
    assert 1 - js >= 0.5 * overlap - 1e-12


@given(pairs())
def test_renyi_half_is_minus_two_log_bhattacharyya(pq):
    p, q = pq
    bc = float(np.sum(np.sqrt(p * q)))           # the Bhattacharyya coefficient
    expected = math.inf if bc == 0 else -2 * math.log2(bc)
    assert renyi_divergence(p, q, 0.5) == pytest.approx(expected, rel=1e-7, abs=1e-9)


@given(pairs())
def test_renyi_two_is_log_one_plus_chi2(pq):
    p, q = pq
    chi2 = chi2_divergence(p, q)
    d2 = renyi_divergence(p, q, 2)
    # A subnormal q can push chi2 past the float range (inf) while log2(1 + chi2)
    # is still about 1000 bits: compare only where chi2 is representable.
    assume(math.isfinite(chi2) or math.isinf(d2))
    assert d2 == pytest.approx(math.log2(1 + chi2), rel=1e-9, abs=1e-12)


@given(pairs(), st.floats(2, 1e4))
def test_renyi_infinity_is_log_max_ratio_and_the_limit(pq, alpha):
    p, q = pq
    support = p > 0
    with np.errstate(divide="ignore"):
        log_ratio = np.log2(p[support]) - np.log2(q[support])     # no overflow of p/q
    d_inf = float(np.max(log_ratio))
    assert renyi_divergence(p, q, np.inf) == pytest.approx(d_inf, rel=1e-12, abs=1e-12)
    # Squeeze: D_inf + log2(p(x*)) / (alpha-1) <= D_alpha <= D_inf, x* the argmax of p/q.
    assume(np.isfinite(d_inf))
    star = np.flatnonzero(support)[np.argmax(log_ratio)]
    d_a = renyi_divergence(p, q, alpha)
    assert d_a <= d_inf + 1e-9
    assert d_a >= d_inf + math.log2(p[star]) / (alpha - 1) - 1e-9


@given(pairs())
def test_renyi_zero_is_minus_log_q_mass_on_support(pq):
    p, q = pq
    mass = float(q[p > 0].sum())
    expected = math.inf if mass == 0 else -math.log2(mass)
    # abs=1e-9: a subnormal p(x) carries only a few significant bits into the sum.
    assert renyi_divergence(p, q, 0) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=30)
@given(st.integers(2, 6), st.data())
def test_metrics_satisfy_the_triangle_inequality(n, data):
    p, q, r = (data.draw(distributions(n)) for _ in range(3))
    for d in (total_variation, hellinger_distance, js_distance):
        assert d(p, r) <= d(p, q) + d(q, r) + 1e-12


# ---------------------------------------------------------------- scipy agreement


@given(pairs(q_zeros=False))
def test_agrees_with_scipy(pq):
    p, q = pq
    assert total_variation(p, q) == pytest.approx(
        scipy.spatial.distance.cityblock(p, q) / 2, abs=1e-12)
    assert hellinger_distance(p, q) == pytest.approx(
        scipy.spatial.distance.euclidean(np.sqrt(p), np.sqrt(q)) / math.sqrt(2), abs=1e-12)
    assert chi2_divergence(p, q) == pytest.approx(
        scipy.stats.chisquare(p, q).statistic, rel=1e-9, abs=1e-12)
    assert f_divergence(p, q, "kl", base=math.e) == pytest.approx(
        rel_entr_sum(p, q), rel=1e-9, abs=1e-12)
    assert f_divergence(p, q, "reverse_kl", base=math.e) == pytest.approx(
        rel_entr_sum(q, p), rel=1e-9, abs=1e-12)
    # scipy's jensenshannon takes sqrt of its own round-off (NaN for p = q), so
    # compare with its formula, sum rel_entr(p, m) + rel_entr(q, m), instead.
    m = (p + q) / 2
    js_scipy = 0.5 * (scipy.special.rel_entr(p, m) + scipy.special.rel_entr(q, m)).sum() / LN2
    assert f_divergence(p, q, "js") == pytest.approx(max(js_scipy, 0.0), abs=1e-12)


# ---------------------------------------------------------------- conventions


def test_zero_conventions():
    # p = q = 0 contributes nothing.
    assert f_divergence([0.5, 0.5, 0.0], [0.5, 0.5, 0.0], "chi2") == 0.0
    # q > 0 = p contributes q f(0+): 1/2 for TV, inf for reverse KL.
    assert f_divergence([1.0, 0.0], [0.5, 0.5], "tv") == pytest.approx(0.5)
    assert f_divergence([1.0, 0.0], [0.5, 0.5], "reverse_kl") == math.inf
    # p > 0 = q contributes p lim f(t)/t: inf for KL and chi2, p/2 for TV.
    assert f_divergence([0.5, 0.5], [1.0, 0.0], "kl") == math.inf
    assert f_divergence([0.5, 0.5], [1.0, 0.0], "chi2") == math.inf
    assert chi2_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert f_divergence([0.5, 0.5], [1.0, 0.0], "neyman_chi2") == pytest.approx(1.0)
    assert f_divergence([0.5, 0.5], [1.0, 0.0], "tv") == pytest.approx(0.5)


def test_no_warnings_for_infinite_values(recwarn):
    f_divergence([0.5, 0.5], [1.0, 0.0], "kl")
    f_divergence([1.0, 0.0], [0.5, 0.5], "reverse_kl")
    chi2_divergence([0.5, 0.5], [1.0, 0.0])
    assert len(recwarn) == 0


def test_batches_and_axis():
    rng = np.random.default_rng(3)
    p, q = random_simplex(rng, (5, 4)), random_simplex(rng, (5, 4))
    for func in [*NAMED, lambda a, b, **kw: f_divergence(a, b, "js", **kw)]:
        batch = func(p, q)
        assert batch.shape == (5,)
        np.testing.assert_allclose(batch, [func(a, b) for a, b in zip(p, q)], rtol=1e-12)
        np.testing.assert_allclose(func(p.T, q.T, axis=0), batch, rtol=1e-12)


def test_returns_float_for_1d():
    for func in NAMED:
        assert type(func([0.5, 0.5], [0.9, 0.1])) is float
    assert type(f_divergence([0.5, 0.5], [0.9, 0.1], "kl")) is float


def test_inputs_are_never_modified():
    p = np.array([0.2, 0.0, 0.8])
    q = np.array([0.0, 0.5, 0.5])
    p0, q0 = p.copy(), q.copy()
    for func in NAMED:
        func(p, q)
    for name in F_GENERATORS:
        f_divergence(p, q, name)
    np.testing.assert_array_equal(p, p0)
    np.testing.assert_array_equal(q, q0)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("func, name", [
    (total_variation, "total_variation"), (hellinger_squared, "hellinger_squared"),
    (hellinger_distance, "hellinger_distance"), (chi2_divergence, "chi2_divergence"),
    (lambda p, q: f_divergence(p, q, "kl"), "f_divergence"),
])
@pytest.mark.parametrize("p, q, message", BAD_PAIRS)
def test_bad_distributions(func, name, p, q, message):
    with pytest.raises(ValueError, match=rf"{name}: .*{message}"):
        func(p, q)


@pytest.mark.parametrize("func", NAMED)
def test_non_numeric_and_bad_axis(func):
    with pytest.raises(TypeError, match=r"p holds booleans"):
        func([True, False], [0.5, 0.5])
    with pytest.raises(TypeError, match=r"q holds strings"):
        func([0.5, 0.5], ["a", "b"])
    with pytest.raises(ValueError, match=r"axis 3 is out of range"):
        func([0.5, 0.5], [0.5, 0.5], axis=3)


@pytest.mark.parametrize("func", NAMED)
def test_log_free_members_take_no_base(func):
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'base'"):
        func([0.5, 0.5], [0.5, 0.5], base=2)


@pytest.mark.parametrize("base, exc, message", [
    (1, ValueError, r"base must be a finite number > 0 and != 1"),
    (-2, ValueError, r"base must be"),
    ("2", TypeError, r"base must be a real number"),
])
def test_bad_base(base, exc, message):
    for name in ("kl", "tv"):   # checked even where it cannot change the value
        with pytest.raises(exc, match=rf"f_divergence: {message}"):
            f_divergence([0.5, 0.5], [0.5, 0.5], name, base=base)


def _math_log_kl(t):
    return t * math.log(t)


@pytest.mark.parametrize("f, exc, message", [
    ("kll", ValueError, r"unknown generator 'kll'.*Did you mean 'kl'"),
    (lambda t: t * np.log(t), TypeError,
     r"a plain function does not say whether it is written with a logarithm.*FGenerator"),
    (3, TypeError, r"f must be a generator name such as 'kl' or an FGenerator"),
    (FGenerator(_math_log_kl, True, 0.0, np.inf, "math-log"), TypeError,
     r"generator 'math-log' on an array of ratios failed.*vectorised"),
    (FGenerator(lambda t: 1.0, False, name="scalar"), TypeError,
     r"'scalar' returned shape \(\).*vectorised"),
    (FGenerator(lambda t: t * np.log(t) + 1, True, 1.0, np.inf, "shifted"), ValueError,
     r"'shifted' has f\(1\) = 1, not 0.*f\(t\) - f\(1\)"),
    (FGenerator(lambda t: np.sqrt(t) - 1, False, -1.0, 0.0, "concave"), ValueError,
     r"'concave' is not convex"),
    (FGenerator(lambda t: t * np.log(t), True, slope_at_infinity=np.inf, name="no-f0"),
     ValueError, r"'no-f0' gives f\(0\) = nan.*f_at_zero"),
    (FGenerator(lambda t: np.where(t > 50, np.nan, (t - 1) ** 2), False, 1.0, np.inf, "holes"),
     ValueError, r"'holes' is not finite at t = "),
    (FGenerator(lambda t: (t - 1) ** 2, False, 1.0, np.nan, "nan-slope"), ValueError,
     r"slope_at_infinity of 'nan-slope' is NaN"),
])
def test_bad_generators(f, exc, message):
    with pytest.raises(exc, match=rf"f_divergence: .*{message}"):
        f_divergence([0.2, 0.3, 0.5], [0.5, 0.25, 0.25], f)


def test_unknown_slope_is_refused_only_when_needed():
    gen = FGenerator(lambda t: (t - 1) ** 2, logarithmic=False, f_at_zero=1.0, name="chi2-ish")
    p, q = [0.5, 0.5], [0.9, 0.1]
    assert f_divergence(p, q, gen) == pytest.approx(chi2_divergence(p, q))
    with pytest.raises(ValueError, match=r"f_divergence: q is 0 where p > 0 \(q at index 1\).*"
                                         r"'chi2-ish' does not declare.*slope_at_infinity"):
        f_divergence([0.5, 0.5], [1.0, 0.0], gen)


def test_ratio_overflow():
    # q subnormal: p/q overflows. Built-ins compute q f(p/q) without the ratio.
    p, q = np.array([1.0, 0.0]), np.array([1e-310, 1.0])
    assert f_divergence(p, q, "kl") == pytest.approx(kl_divergence(p, q), rel=1e-12)
    assert math.isfinite(f_divergence(p, q, "kl"))
    assert f_divergence(p, q, "js") == pytest.approx(js_divergence(p, q), rel=1e-12)
    # A user generator with a finite slope takes the limit p * slope ...
    tv = FGenerator(lambda t: 0.5 * np.abs(t - 1), False, 0.5, 0.5, "my-tv")
    assert f_divergence(p, q, tv) == pytest.approx(total_variation(p, q), rel=1e-12)
    # ... and one with an infinite slope is refused rather than given inf.
    kl = FGenerator(lambda t: t * np.log(t), True, 0.0, np.inf, "my-kl")
    with pytest.raises(ValueError, match=r"q f\(p/q\) overflows in floating point \(q = 1e-310 at "
                                         r"index 0\).*'my-kl' has no finite slope_at_infinity"
                                         r".*term="):
        f_divergence(p, q, kl)
    # The ratio itself may be finite while f(ratio) overflows: refused the same way.
    with pytest.raises(ValueError, match=r"overflows in floating point \(q = 1e-307"):
        f_divergence([1.0, 0.0], [1e-307, 1.0], kl)
    assert math.isfinite(f_divergence([1.0, 0.0], [1e-307, 1.0], "kl"))


@given(st.floats(1e-3, 1e3), st.floats(1e-3, 1e3))
def test_builtin_terms_agree_with_their_generators(a, b):
    p, q = np.array([a]), np.array([b])
    for gen in F_GENERATORS.values():
        assert gen.term(p, q)[0] == pytest.approx(b * gen.f(p / q)[0], rel=1e-9, abs=1e-12)


def test_nan_at_a_data_ratio_is_refused():
    # Finite on the spot-check grid, NaN at the one ratio the data needs.
    gen = FGenerator(lambda t: np.where(np.isclose(t, 4.0), np.nan, (t - 1) ** 2), False, 1.0,
                     np.inf, "hole-at-4")
    with pytest.raises(ValueError, match=r"'hole-at-4' returned NaN at the ratio t = p/q = 4"):
        f_divergence([0.8, 0.2], [0.2, 0.8], gen)


# ---------------------------------------------------------------- plots, widget, exercises


def test_plots_label_and_carry_the_computed_numbers():
    import matplotlib.pyplot as plt

    from klcourse.plots import beyond

    p, q = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    ax = beyond.renyi_curve(p, q, highlight=3.0)
    alphas, values = ax.lines[0].get_data()
    np.testing.assert_allclose(values, [renyi_divergence(p, q, a) for a in alphas], rtol=1e-12)
    assert np.all(np.diff(values) >= -1e-12)
    assert ax.get_title() and "bits" in ax.get_ylabel() and ax.get_legend() is not None
    plt.close("all")

    rng = np.random.default_rng(0)
    P, Q = random_simplex(rng, (60, 3)), random_simplex(rng, (60, 3))
    ax = beyond.pinsker_scatter(P, Q)
    pts = ax.collections[0].get_offsets()
    np.testing.assert_allclose(pts[:, 0], total_variation(P, Q))
    np.testing.assert_allclose(pts[:, 1], kl_divergence(P, Q))
    tv, bound = ax.lines[0].get_data()
    np.testing.assert_allclose(bound, 2 * tv**2 / LN2)
    plt.close("all")

    ax = beyond.generator_curves()
    assert len(ax.lines) >= len(F_GENERATORS)
    for line in ax.lines[:len(F_GENERATORS)]:
        t, y = line.get_data()
        assert np.interp(1.0, t, y) == pytest.approx(0, abs=0.02)
    plt.close("all")

    ax = beyond.triangle_panel([1.0, 0.5, 3.0], [2.0, 1.0, 1.0], name="KL", unit="bits")
    assert ax.get_title().startswith("KL: 1 of 3 triples")
    plt.close("all")

    with pytest.raises(ValueError, match="alpha_max must be > 2"):
        beyond.renyi_curve(p, q, alpha_max=1)
    with pytest.raises(ValueError, match="unknown generator"):
        beyond.generator_curves(["nope"])
    with pytest.raises(ValueError, match="pinsker_scatter: p and q must be 2-D"):
        beyond.pinsker_scatter(p, q)


def test_renyi_explorer_readout_follows_the_slider():
    import matplotlib.pyplot as plt

    from klcourse.widgets.beyond import renyi_explorer

    p, q = [0.6, 0.3, 0.1], [0.2, 0.3, 0.5]
    with contextlib.redirect_stdout(io.StringIO()):
        ex = renyi_explorer(p, q)
        for alpha in (0.0, 0.5, 1.0, 2.0, 7.5):
            out = ex.update(alpha=alpha)
            assert out["D_α(p || q)"][0] == pytest.approx(renyi_divergence(p, q, alpha))
            assert out["D_α(q || p)"][0] == pytest.approx(renyi_divergence(q, p, alpha))
            assert out["D_α(p || q)"][1] == "bits"
        redraws = ex.redraws
        out = ex.update(alpha=1.0)
    assert out["D_α(p || q)"][0] == pytest.approx(kl_divergence(p, q), rel=1e-12)
    assert ex.redraws > redraws
    assert ex.last_figure is not None and ex.last_figure.axes[0].get_title()
    with pytest.raises(ValueError, match=r"q sums to 1.5"):
        renyi_explorer(p, [0.5, 0.5, 0.5])
    plt.close("all")


def test_notebook_08_exercises_are_registered_and_computed():
    from klcourse.course.exercises import all_exercises, evaluate

    mine = {k: v for k, v in all_exercises().items() if k.startswith("09.")}
    assert 3 <= len(mine) <= 5
    for name, ex in mine.items():
        expected = ex.answer()
        assert evaluate(name, expected).correct
        assert evaluate(name, ...).status == "unanswered"
        if isinstance(expected, (bool, np.bool_)):
            assert not evaluate(name, not expected).correct
        elif isinstance(expected, str):  # a multiple-choice letter
            assert not evaluate(name, next(c for c in "abcd" if c != expected)).correct
        else:
            assert not evaluate(name, np.asarray(expected, dtype=float) * 1.1 + 0.01).correct
