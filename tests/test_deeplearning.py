"""klcourse.deeplearning against independent computations, identities as properties, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from klcourse.deeplearning import (distillation_loss, kl_estimators, label_smoothing,
                                   log_softmax, softmax, softmax_cross_entropy)
from klcourse.deeplearning.classifier import (expected_calibration_error, make_blobs, one_hot,
                                              train_softmax_regression)
from klcourse.deeplearning.conventions import keras_kl_divergence, torch_kl_div
from klcourse.deeplearning.estimators import estimator_study
from klcourse.deeplearning.students import bell_over_classes, fit_student


def _dist(row):
    return np.asarray(row) / np.sum(row)


def _softmax_by_hand(z):
    """Plain exp / sum, in Python floats (valid for moderate logits)."""
    e = [math.exp(v) for v in z]
    return [v / sum(e) for v in e]


def _kl_by_hand(p, q):
    return sum(a * math.log(a / b) for a, b in zip(p, q) if a > 0)


def _entropy_by_hand(p):
    return -sum(a * math.log(a) for a in p if a > 0)


logit_rows = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 6)),
                    elements=st.floats(-20, 20))
weights = st.floats(0.01, 1.0)


@st.composite
def logits_and_targets(draw):
    z = draw(logit_rows)
    raw = draw(arrays(np.float64, z.shape, elements=weights))
    return z, raw / raw.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------- values and identities

def test_softmax_and_log_softmax_match_a_plain_computation():
    z = np.array([[0.3, -1.2, 2.0], [5.0, 5.0, 5.0]])
    for row, got in zip(z, softmax(z)):
        assert got == pytest.approx(_softmax_by_hand(row), rel=1e-12)
    assert np.exp(log_softmax([[800.0, 0.0]]))[0] == pytest.approx([1.0, math.exp(-800)])


@settings(max_examples=150, deadline=None)
@given(logits_and_targets())
def test_cross_entropy_is_entropy_plus_kl(case):
    z, t = case
    q = softmax(z)
    by_hand = np.mean([_entropy_by_hand(tr) + _kl_by_hand(tr, qr) for tr, qr in zip(t, q)])
    assert softmax_cross_entropy(z, t) == pytest.approx(by_hand, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(logit_rows)
def test_one_hot_cross_entropy_is_the_kl_and_minus_log_q(z):
    labels = np.arange(z.shape[0]) % z.shape[1]
    t = one_hot(labels, z.shape[1])
    q = softmax(z)
    minus_log_q = -np.mean([math.log(q[i, labels[i]]) for i in range(z.shape[0])])
    assert softmax_cross_entropy(z, t) == pytest.approx(minus_log_q, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(logits_and_targets(), st.floats(0, 1))
def test_label_smoothing_formula_and_result_is_a_distribution(case, eps):
    _, t = case
    got = label_smoothing(t, eps)
    k = t.shape[1]
    for row_t, row in zip(t, got):
        assert list(row) == pytest.approx([(1 - eps) * a + eps / k for a in row_t])
    assert got.sum(axis=1) == pytest.approx(np.ones(len(t)))


@settings(max_examples=100, deadline=None)
@given(logits_and_targets(), st.floats(0.25, 10))
def test_distillation_is_t_squared_times_softened_kl(case, temperature):
    z, _ = case
    teacher = z[::-1].copy() if z.shape[0] > 1 else -z
    expected = temperature**2 * np.mean([
        _kl_by_hand(_softmax_by_hand(t / temperature), _softmax_by_hand(s / temperature))
        for s, t in zip(z, teacher)])
    got = distillation_loss(z, teacher, temperature=temperature)
    assert got == pytest.approx(expected, rel=1e-7, abs=1e-10)


def test_distillation_t_squared_keeps_the_gradient_size():
    rng = np.random.default_rng(4)
    s, t = rng.normal(size=(1, 8)), 2 * rng.normal(size=(1, 8))

    def grad_norm(T):
        h = 1e-6
        g = [(distillation_loss(s + h * e, t, temperature=T)
              - distillation_loss(s - h * e, t, temperature=T)) / (2 * h) for e in np.eye(8)[:, None]]
        return np.linalg.norm(g)

    norms = [grad_norm(T) for T in (1, 4, 16)]
    assert max(norms) / min(norms) < 1.6             # with T^2: comparable sizes
    assert norms[2] / 16**2 < norms[0] / 100         # without it the gradient would vanish


# ---------------------------------------------------------------- the k1/k2/k3 estimators

@st.composite
def two_distributions(draw):
    k = draw(st.integers(2, 8))
    a = draw(arrays(np.float64, k, elements=weights))
    b = draw(arrays(np.float64, k, elements=weights))
    return a / a.sum(), b / b.sum()


@settings(max_examples=150, deadline=None)
@given(two_distributions())
def test_k1_and_k3_are_unbiased_exactly_and_k3_never_negative(pair):
    q, p = pair
    x = np.arange(q.size)            # every outcome once; weight by q: the exact expectation
    est = kl_estimators(np.log(q[x]), np.log(p[x]))
    exact = _kl_by_hand(q, p)
    assert float(q @ est["k1"]) == pytest.approx(exact, rel=1e-9, abs=1e-12)
    assert float(q @ est["k3"]) == pytest.approx(exact, rel=1e-9, abs=1e-12)
    assert (est["k3"] >= 0).all() and (est["k2"] >= 0).all()


def test_k3_near_r_equal_one_keeps_its_digits():
    log_r = np.array([1e-9, -1e-9])
    est = kl_estimators(np.zeros(2), log_r)
    assert est["k3"] == pytest.approx(log_r**2 / 2, rel=1e-6)


def test_estimator_study_by_simulation_matches_the_exact_expectations():
    q, p = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    s = estimator_study(q, p, batch=100, batches=400, seed=1)
    for key in ("k1", "k3"):
        se = s[key]["sd_sample"] / math.sqrt(100 * 400)
        assert abs(s[key]["bias"]) < 4 * se, key
    exact_k2 = float(q @ (0.5 * np.log(p / q) ** 2))
    assert s["k2"]["mean"] == pytest.approx(exact_k2, rel=0.05)
    assert s["k1"]["negative_samples"] == pytest.approx(q[p > q].sum(), abs=0.02)
    assert s["k3"]["negative_samples"] == 0


# ---------------------------------------------------------------- classifier, students, conventions

def test_classifier_gradient_matches_finite_differences():
    X, y = make_blobs(4, noise_dims=1, seed=3)
    m0 = train_softmax_regression(X, y, classes=3, steps=1, lr=1e-9)
    t = one_hot(y, 3)
    W = np.random.default_rng(0).normal(size=m0.W.shape)
    loss = lambda W_: softmax_cross_entropy(X @ W_, t)
    g = X.T @ (softmax(X @ W) - t) / len(y)
    h = 1e-6
    fd = np.array([[(loss(W + h * E) - loss(W - h * E)) / (2 * h)
                    for E in np.eye(W.size)[k].reshape(1, *W.shape)] for k in range(W.size)])
    assert g.ravel() == pytest.approx(fd.ravel(), abs=1e-7)


def test_smoothing_floor_is_reached_when_the_model_can_reach_it():
    X = np.eye(3)                    # one point per class, separable: the floor is attainable
    m = train_softmax_regression(X, np.arange(3), classes=3, steps=3000, lr=2.0, smoothing=0.3)
    floor = _entropy_by_hand(label_smoothing(np.eye(3)[:1], 0.3)[0])
    assert m.losses[-1] == pytest.approx(floor, abs=1e-4)
    assert (np.diff(m.losses) <= 1e-12).all()


def test_expected_calibration_error_by_hand():
    probs = np.array([[0.95, 0.05], [0.95, 0.05], [0.6, 0.4], [0.6, 0.4]])
    labels = np.array([0, 1, 0, 0])
    ece, conf, acc, count = expected_calibration_error(probs, labels, bins=10)
    assert ece == pytest.approx(0.5 * abs(0.5 - 0.95) + 0.5 * abs(1.0 - 0.6))
    assert count.sum() == 4


def test_forward_student_covers_both_peaks_reverse_sits_on_one():
    t = 0.5 * bell_over_classes(30, 9, 1.5) + 0.5 * bell_over_classes(30, 20, 1.5)
    grid = dict(centres=np.linspace(0, 29, 117), widths=np.linspace(0.5, 12, 47))
    fwd, rev = fit_student(t, "forward", **grid), fit_student(t, "reverse", **grid)
    assert 13 < fwd.centre < 16 and 4 < fwd.width < 8      # an interior optimum, both peaks
    assert min(abs(rev.centre - 9), abs(rev.centre - 20)) < 0.5 and rev.width < 2.5
    assert rev.divergence == pytest.approx(_kl_by_hand(rev.q, t), rel=1e-9)


def test_torch_and_keras_conventions_follow_their_documented_formulas():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    q = np.array([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])
    kl = np.mean([_kl_by_hand(a, b) for a, b in zip(p, q)])
    assert torch_kl_div(np.log(q), p, reduction="batchmean") == pytest.approx(kl)
    assert torch_kl_div(np.log(q), p) == pytest.approx(kl / 3)
    assert torch_kl_div(np.log(q), p, reduction="sum") == pytest.approx(2 * kl)
    assert torch_kl_div(np.log(q), np.log(p), reduction="batchmean",
                        log_target=True) == pytest.approx(kl)
    assert keras_kl_divergence(p, q) == pytest.approx(kl)
    assert keras_kl_divergence([[1.0, 0.0]], [[0.0, 1.0]]) == pytest.approx(
        math.log(1 / 1e-7) + 1e-7 * math.log(1e-7 / 1), rel=1e-6)


# ---------------------------------------------------------------- bad input

BAD = [
    (lambda: softmax_cross_entropy([1.0, 2.0], [[1.0, 0.0]]), ValueError, r"shape \(batch, classes\)"),
    (lambda: softmax_cross_entropy([[1.0, 2.0]], [[1.0, 0.0, 0.0]]), ValueError, "must match exactly"),
    (lambda: softmax_cross_entropy([[1.0, 2.0]], [[0.6, 0.6]]), ValueError, "sums to 1.2.*never renormalises"),
    (lambda: softmax_cross_entropy([[1.0, 2.0]], [[-0.5, 1.5]]), ValueError, "negative"),
    (lambda: softmax_cross_entropy([[1.0, np.nan]], [[1.0, 0.0]]), ValueError, "finite"),
    (lambda: softmax_cross_entropy([[1.0, np.inf]], [[1.0, 0.0]]), ValueError, "finite"),
    (lambda: softmax_cross_entropy(np.ma.masked_array([[1.0, 2.0]], [[0, 1]]), [[1.0, 0.0]]),
     TypeError, "masked"),
    (lambda: softmax_cross_entropy([["1", "2"]], [[1.0, 0.0]]), TypeError, "real numbers"),
    (lambda: softmax_cross_entropy([[True, False]], [[1.0, 0.0]]), TypeError, "booleans"),
    (lambda: softmax_cross_entropy([[1.0, 2.0], [1.0]], [[1.0, 0.0]]), ValueError, "ragged"),
    (lambda: softmax_cross_entropy(np.zeros((0, 3)), np.zeros((0, 3))), ValueError, "at least one row"),
    (lambda: label_smoothing([[1.0, 0.0]], 1.5), ValueError, r"\[0, 1\]"),
    (lambda: label_smoothing([[1.0, 0.0]], True), TypeError, "number"),
    (lambda: distillation_loss([[1.0, 2.0]], [[1.0, 2.0]], temperature=0), ValueError, "positive"),
    (lambda: distillation_loss([[1.0, 2.0]], [[1.0, 2.0]], temperature=np.inf), ValueError, "positive"),
    (lambda: distillation_loss([[1.0, 2.0]], [[1.0, 2.0, 3.0]], temperature=2), ValueError, "must match"),
    (lambda: kl_estimators([-1.0, -2.0], [-1.0]), ValueError, "must match"),
    (lambda: kl_estimators([[-1.0]], [[-1.0]]), ValueError, "1-D"),
    (lambda: kl_estimators([-1.0, -np.inf], [-1.0, -1.0]), ValueError, "finite"),
    (lambda: torch_kl_div([[0.0]], [[1.0]], reduction="average"), ValueError, "reduction"),
    (lambda: expected_calibration_error([[0.5, 0.5]], [1.7]), ValueError, "whole numbers"),
    (lambda: expected_calibration_error([[0.5, 0.5]], [7]), ValueError, "whole numbers"),
    (lambda: expected_calibration_error([[0.5, 0.5]], [1], bins=0), ValueError, "bins"),
    (lambda: train_softmax_regression([[0.0]], [0], classes=2, lr=np.nan), ValueError, "positive"),
    (lambda: fit_student([0.5, 0.5], "forward", centres=[], widths=[1.0]), ValueError, "at least one"),
]


def test_cross_entropy_of_an_extreme_but_finite_logit_is_exact():
    assert softmax_cross_entropy([[1e308, -1e308]], [[1.0, 0.0]]) == 0.0


@pytest.mark.parametrize("call,error,message", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_input_is_refused_clearly(call, error, message):
    with pytest.raises(error, match=message):
        call()
