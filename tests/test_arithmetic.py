"""Tests of klcourse.arithmetic: exact round trip, near-ideal length, detection of bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klcourse import cross_entropy, entropy, kl_divergence, normalize
from klcourse.arithmetic import (FREQ_BITS, arithmetic_decode, arithmetic_encode,
                                 ideal_code_length, quantize_model)

weights = st.lists(st.integers(0, 1000), min_size=1, max_size=30).filter(lambda w: sum(w) > 0)


@given(weights, st.data())
@settings(max_examples=80)
def test_round_trip_and_length_within_two_bits_of_ideal(w, data):
    q = normalize(np.array(w))
    live = [i for i in range(q.size) if q[i] > 0]
    xs = data.draw(st.lists(st.sampled_from(live), max_size=300))
    bits = arithmetic_encode(xs, q)
    assert arithmetic_decode(bits, q, len(xs)).tolist() == xs
    ideal = ideal_code_length(xs, q)
    # rounding of the model (2**-32 relative) and of the range (2**-24 per symbol)
    slack = 2 + len(xs) * 1e-5
    assert ideal - slack <= len(bits) <= ideal + slack


def test_skewed_model_long_sequence():
    q = normalize(np.array([1, 10**6]))
    rng = np.random.default_rng(1)
    xs = rng.choice(2, size=5000, p=q)
    xs[::1000] = 0   # force the rare symbol in
    bits = arithmetic_encode(xs, q)
    assert np.array_equal(arithmetic_decode(bits, q, xs.size), xs)
    assert abs(len(bits) - ideal_code_length(xs, q)) <= 2.1


@pytest.mark.parametrize("seed", [0, 1])
def test_measured_rate_is_cross_entropy(seed):
    """Coding 10**5 samples of p with model q costs H(p) + D(p||q) bits/symbol, within 0.01."""
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(27))
    q = rng.dirichlet(np.ones(27))
    xs = rng.choice(27, size=10**5, p=p)
    bits = arithmetic_encode(xs, q)
    rate = len(bits) / xs.size
    assert rate == pytest.approx(entropy(p) + kl_divergence(p, q), abs=0.01)
    assert rate == pytest.approx(cross_entropy(p, q), abs=0.01)
    # and the extra bits over coding with p itself are D(p||q)
    own = len(arithmetic_encode(xs, p)) / xs.size
    assert rate - own == pytest.approx(kl_divergence(p, q), abs=0.01)


def test_every_truncation_and_extension_is_detected():
    rng = np.random.default_rng(3)
    q = normalize(np.array([5, 3, 1, 1]))
    xs = rng.choice(4, size=400, p=q)
    bits = arithmetic_encode(xs, q)
    for cut in range(1, len(bits) + 1):
        with pytest.raises(ValueError, match="not the arithmetic code"):
            arithmetic_decode(bits[:-cut], q, xs.size)
    for extra in ("0", "1", "00", "0101"):
        with pytest.raises(ValueError):
            arithmetic_decode(bits + extra, q, xs.size)
    with pytest.raises(ValueError):
        arithmetic_decode(bits, q, xs.size + 1)


def test_flipped_bit_never_decodes_inconsistently():
    """A flip either raises or yields a sequence whose own encoding is exactly the bits."""
    rng = np.random.default_rng(4)
    q = normalize(np.array([5, 3, 1, 1]))
    xs = rng.choice(4, size=200, p=q)
    bits = arithmetic_encode(xs, q)
    caught = 0
    for i in range(0, len(bits), 3):
        bad = bits[:i] + ("1" if bits[i] == "0" else "0") + bits[i + 1:]
        try:
            ys = arithmetic_decode(bad, q, xs.size)
        except ValueError:
            caught += 1
            continue
        assert not np.array_equal(ys, xs)
        assert arithmetic_encode(ys, q) == bad
    assert caught > 0


def test_single_symbol_model_costs_nothing():
    assert arithmetic_encode([0] * 50, [1.0]) == ""
    assert arithmetic_decode("", [1.0], 50).tolist() == [0] * 50
    assert arithmetic_encode([], [0.5, 0.5]) == ""
    assert arithmetic_decode("", [0.5, 0.5], 0).tolist() == []


def test_uniform_dyadic_model_is_plain_binary():
    xs = [3, 0, 2, 1]
    assert arithmetic_encode(xs, [0.25] * 4) == "11001001"


@pytest.mark.parametrize("probs, match", [([0.5, 0.6], "sums to"), ([], "empty"),
                                          ([1.2, -0.2], "negative"), ([[1.0]], "1-D")])
def test_models_that_are_not_distributions(probs, match):
    with pytest.raises(ValueError, match=match):
        arithmetic_encode([0], probs)
    with pytest.raises(ValueError, match=match):
        arithmetic_decode("0", probs, 1)


def test_bad_symbols():
    with pytest.raises(ValueError, match="probability 0"):
        arithmetic_encode([0, 1], [1.0, 0.0])
    with pytest.raises(ValueError, match="outside 0..1"):
        arithmetic_encode([2], [0.5, 0.5])
    with pytest.raises(TypeError, match="integer indices"):
        arithmetic_encode([0.5], [0.5, 0.5])
    with pytest.raises(ValueError, match="probability 0"):
        ideal_code_length([1], [1.0, 0.0])


def test_bad_bits_and_n():
    with pytest.raises(ValueError, match="only '0' and '1'"):
        arithmetic_decode("01a", [0.5, 0.5], 3)
    with pytest.raises(TypeError):
        arithmetic_decode(b"01", [0.5, 0.5], 2)
    with pytest.raises(ValueError, match="non-negative int"):
        arithmetic_decode("01", [0.5, 0.5], -1)


@given(weights)
@settings(max_examples=60)
def test_quantized_model_is_exact_and_keeps_support(w):
    p = normalize(np.array(w))
    freq, cum = quantize_model(p)
    assert sum(freq) == 2 ** FREQ_BITS
    assert [f > 0 for f in freq] == [x > 0 for x in p]
    assert cum == list(np.concatenate([[0], np.cumsum(freq)[:-1]]))


def test_ideal_length_matches_cross_entropy_on_a_perfect_sample():
    # a sequence with exactly the frequencies of p: ideal length / n = H(p, q)
    p = np.array([0.5, 0.25, 0.25])
    q = np.array([0.25, 0.25, 0.5])
    xs = [0, 0, 1, 2]
    assert ideal_code_length(xs, q) / 4 == pytest.approx(cross_entropy(p, q))
