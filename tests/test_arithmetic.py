"""Tests of klcourse.arithmetic: exact round trip, near-ideal length, detection of bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klcourse import cross_entropy, entropy, kl_divergence, normalize
from klcourse.arithmetic import (CHECKSUM_BITS, FREQ_BITS, arithmetic_decode, arithmetic_encode,
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


# --- integrity: the bare code versus checksum=True -------------------------------------

def _flip(bits: str, i: int) -> str:
    return bits[:i] + ("1" if bits[i] == "0" else "0") + bits[i + 1:]


def _bare_outcome(bad: str, q, xs) -> str:
    """Documented behaviour of the bare decoder on a corrupted string: a ValueError, or
    another message whose own code is exactly the corrupted string. Returns which."""
    try:
        ys = arithmetic_decode(bad, q, len(xs))
    except ValueError as err:
        assert "not the arithmetic code" in str(err)
        return "raised"
    assert ys.tolist() != list(xs)
    assert arithmetic_encode(ys, q) == bad
    return "silent"


def _assert_corrupted(bad: str, q, n: int) -> None:
    with pytest.raises(ValueError, match="the data is corrupted"):
        arithmetic_decode(bad, q, n, checksum=True)


@st.composite
def model_and_message(draw, max_size=40):
    w = draw(weights)
    # a third of the models uniform: there nearly every flip of the bare code is a valid code
    if draw(st.integers(0, 2)) == 0:
        w = [1] * len(w)
    q = normalize(np.array(w))
    live = [i for i in range(q.size) if q[i] > 0]
    xs = draw(st.lists(st.sampled_from(live), max_size=max_size))
    return q, xs


@given(model_and_message(max_size=300))
@settings(max_examples=60, deadline=None)
def test_checksum_round_trip_and_exact_overhead(case):
    q, xs = case
    bare = arithmetic_encode(xs, q)
    checked = arithmetic_encode(xs, q, checksum=True)
    assert arithmetic_decode(checked, q, len(xs), checksum=True).tolist() == xs
    # the checked code is the bare code plus exactly 32 bits; the bare one stays near-ideal
    assert checked[:len(bare)] == bare
    assert len(checked) - len(bare) == CHECKSUM_BITS == 32
    ideal = ideal_code_length(xs, q)
    slack = 2 + len(xs) * 1e-5
    assert ideal - slack <= len(bare) <= ideal + slack
    assert ideal + 32 - slack <= len(checked) <= ideal + 32 + slack


@given(model_and_message())
@settings(max_examples=300, deadline=None)
def test_every_single_bit_flip_raises_with_checksum(case):
    """All flips of the checked code raise; flips of the bare code raise or decode as documented."""
    q, xs = case
    checked = arithmetic_encode(xs, q, checksum=True)
    for i in range(len(checked)):
        _assert_corrupted(_flip(checked, i), q, len(xs))
    bare = arithmetic_encode(xs, q)
    for i in range(len(bare)):
        _bare_outcome(_flip(bare, i), q, xs)


@given(model_and_message(), st.data())
@settings(max_examples=150, deadline=None)
def test_random_multi_bit_and_byte_corruptions_raise_with_checksum(case, data):
    q, xs = case
    checked = arithmetic_encode(xs, q, checksum=True)
    bare = arithmetic_encode(xs, q)
    m = len(checked)
    # several flipped bits anywhere
    where = data.draw(st.sets(st.integers(0, m - 1), min_size=2, max_size=min(m, 12)))
    bad = "".join(("1" if b == "0" else "0") if i in where else b for i, b in enumerate(checked))
    _assert_corrupted(bad, q, len(xs))
    # one aligned byte (the last group may be shorter) replaced by a different value
    start = 8 * data.draw(st.integers(0, (m - 1) // 8))
    width = min(8, m - start)
    old = int(checked[start:start + width], 2)
    new = data.draw(st.integers(0, 2**width - 1).filter(lambda v: v != old))
    bad = checked[:start] + format(new, f"0{width}b") + checked[start + width:]
    _assert_corrupted(bad, q, len(xs))
    if start + width <= len(bare):   # the same byte of the bare code
        _bare_outcome(bare[:start] + format(new, f"0{width}b") + bare[start + width:], q, xs)
    # a burst: a run of bits overwritten with random bits (differing somewhere)
    a = data.draw(st.integers(0, m - 1))
    b = data.draw(st.integers(a + 1, min(m, a + 64)))
    noise = data.draw(st.text("01", min_size=b - a, max_size=b - a)
                      .filter(lambda s: s != checked[a:b]))
    _assert_corrupted(checked[:a] + noise + checked[b:], q, len(xs))


@pytest.mark.parametrize("w, size", [([1] * 4, 12), ([5, 3, 1, 1], 25), ([1] * 27, 6)])
def test_every_byte_corruption_raises_with_checksum(w, size):
    """Exhaustive: every byte position, every one of the other 255 values (or 2**width - 1)."""
    q = normalize(np.array(w))
    xs = np.random.default_rng(size).choice(q.size, size=size, p=q)
    checked = arithmetic_encode(xs, q, checksum=True)
    bare = arithmetic_encode(xs, q)
    silent_bare = 0
    for start in range(0, len(checked), 8):
        width = min(8, len(checked) - start)
        old = int(checked[start:start + width], 2)
        for v in range(2**width):
            if v == old:
                continue
            byte = format(v, f"0{width}b")
            _assert_corrupted(checked[:start] + byte + checked[start + width:], q, xs.size)
            if start + width <= len(bare):
                silent_bare += _bare_outcome(bare[:start] + byte + bare[start + width:], q,
                                             xs.tolist()) == "silent"
    if w == [1] * 4:   # uniform on 4: the bare code is plain binary, so every corruption is silent
        assert silent_bare == 255 * (len(bare) // 8)


def test_the_checksum_is_needed_and_catches_what_the_bare_code_misses():
    """Measured: the bare code lets some flips through as other messages; the checksum none."""
    rng = np.random.default_rng(11)
    for q in (np.full(27, 1 / 27), rng.dirichlet(np.ones(27))):
        xs = rng.choice(27, size=150, p=q)
        bare = arithmetic_encode(xs, q)
        outcomes = [_bare_outcome(_flip(bare, i), q, xs.tolist()) for i in range(len(bare))]
        assert outcomes.count("silent") > 0
        checked = arithmetic_encode(xs, q, checksum=True)
        for i in range(len(checked)):
            _assert_corrupted(_flip(checked, i), q, xs.size)


def test_checksum_truncation_extension_and_mismatched_settings():
    rng = np.random.default_rng(5)
    q = normalize(np.array([5, 3, 1, 1]))
    xs = rng.choice(4, size=100, p=q)
    checked = arithmetic_encode(xs, q, checksum=True)
    bare = arithmetic_encode(xs, q)
    for cut in range(1, len(checked) + 1):
        with pytest.raises(ValueError, match="corrupted"):
            arithmetic_decode(checked[:-cut], q, xs.size, checksum=True)
    for extra in ("0", "1", "00", "0101"):
        for pos in (0, len(bare), len(checked)):   # at the front, before the CRC, at the end
            with pytest.raises(ValueError, match="corrupted"):
                arithmetic_decode(checked[:pos] + extra + checked[pos:], q, xs.size, checksum=True)
    for i in range(len(checked)):   # a deleted bit
        with pytest.raises(ValueError, match="corrupted"):
            arithmetic_decode(checked[:i] + checked[i + 1:], q, xs.size, checksum=True)
    # the flag must match on both ends
    with pytest.raises(ValueError, match="not the arithmetic code"):
        arithmetic_decode(checked, q, xs.size)
    with pytest.raises(ValueError, match="corrupted"):
        arithmetic_decode(bare, q, xs.size, checksum=True)
    # the wrong n or the wrong model
    for n in (xs.size - 1, xs.size + 1):
        with pytest.raises(ValueError, match="corrupted"):
            arithmetic_decode(checked, q, n, checksum=True)
    with pytest.raises(ValueError, match="corrupted"):
        arithmetic_decode(checked, normalize(np.array([5, 3, 1, 2])), xs.size, checksum=True)
    with pytest.raises(ValueError, match="corrupted"):
        arithmetic_decode(checked, normalize(np.array([5, 3, 1, 1, 0])), xs.size, checksum=True)
    with pytest.raises(ValueError, match="fewer than the 32-bit checksum"):
        arithmetic_decode("0101", q, 1, checksum=True)


def test_wrong_model_decoding_silently_without_checksum_is_caught_with_it():
    """A uniform model of another size reads any bare string; the checksum knows the model."""
    xs = [3, 0, 2, 1]
    bits = arithmetic_encode(xs, [0.25] * 4)
    ys = arithmetic_decode(bits, [0.5, 0.5], 8)      # silently "valid": plain binary either way
    assert arithmetic_encode(ys, [0.5, 0.5]) == bits
    checked = arithmetic_encode(xs, [0.25] * 4, checksum=True)
    with pytest.raises(ValueError, match="corrupted"):
        arithmetic_decode(checked, [0.5, 0.5], 8, checksum=True)


@given(model_and_message(max_size=60), st.data())
@settings(max_examples=100, deadline=None)
def test_messages_differing_in_one_symbol_have_different_checksums(case, data):
    """Guaranteed, not probable: each symbol is a 4-byte field and CRC-32 catches every
    burst of up to 32 bits."""
    q, xs = case
    live = [i for i in range(q.size) if q[i] > 0]
    if not xs or len(live) < 2:
        return
    j = data.draw(st.integers(0, len(xs) - 1))
    ys = list(xs)
    ys[j] = data.draw(st.sampled_from(live).filter(lambda s: s != xs[j]))
    def crc(s):
        return arithmetic_encode(s, q, checksum=True)[-CHECKSUM_BITS:]

    assert crc(xs) != crc(ys)


def test_checksum_rate_overhead_on_a_long_sample():
    """32 bits on 10**5 symbols: the measured rate moves by 0.00032 bit/symbol."""
    rng = np.random.default_rng(2)
    p = rng.dirichlet(np.ones(27))
    xs = rng.choice(27, size=10**5, p=p)
    bare, checked = arithmetic_encode(xs, p), arithmetic_encode(xs, p, checksum=True)
    assert len(checked) - len(bare) == 32
    assert np.array_equal(arithmetic_decode(checked, p, xs.size, checksum=True), xs)
    assert len(checked) / xs.size == pytest.approx(entropy(p), abs=0.01)
    assert abs(len(bare) - ideal_code_length(xs, p)) <= 3


def test_checksum_flag_must_be_bool():
    for func, args in ((arithmetic_encode, ([0], [1.0])), (arithmetic_decode, ("", [1.0], 1))):
        for bad in (1, "yes", None):
            with pytest.raises(TypeError, match="checksum must be True or False"):
                func(*args, checksum=bad)
