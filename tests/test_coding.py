"""Tests of klcourse.coding: Huffman codes, Kraft, Shannon lengths, prefix coding, blocks."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klcourse import entropy, kl_divergence, normalize
from klcourse.coding import (block_probabilities, code_lengths, expected_length, from_blocks,
                             huffman_code, kraft_sum, prefix_decode, prefix_encode,
                             shannon_code_lengths, to_blocks)

# distributions from integer weights (zeros allowed, at least one positive)
weights = st.lists(st.integers(0, 50), min_size=1, max_size=12).filter(lambda w: sum(w) > 0)


def _dist(w):
    return normalize(np.array(w))


def _brute_force_optimum(p):
    """Least expected length over every prefix code (all length vectors with Kraft <= 1)."""
    pos = p[p > 0]
    m = pos.size
    if m == 1:
        return 0.0
    best = np.inf
    for lens in itertools.product(range(1, m), repeat=m):
        if sum(2.0 ** -l for l in lens) <= 1:
            best = min(best, float(pos @ np.array(lens)))
    return best


@given(weights)
@settings(max_examples=60)
def test_huffman_is_prefix_free_complete_and_within_one_bit_of_entropy(w):
    p = _dist(w)
    code = huffman_code(p)
    assert set(code) == {i for i in range(p.size) if p[i] > 0}
    words = sorted(code.values())
    for a, b in zip(words, words[1:]):
        assert not b.startswith(a)
    lens = code_lengths(code, symbols=range(p.size))
    L = expected_length(lens, p)
    H = entropy(p)
    if len(code) >= 2:
        assert kraft_sum(code_lengths(code)) == 1.0
        assert H - 1e-12 <= L < H + 1
    else:
        assert L == 0.0 == H


@given(st.lists(st.integers(1, 30), min_size=2, max_size=5))
@settings(max_examples=40)
def test_huffman_matches_brute_force_optimum(w):
    p = _dist(w)
    L = expected_length(code_lengths(huffman_code(p), symbols=range(p.size)), p)
    assert L == pytest.approx(_brute_force_optimum(p), abs=1e-12)


@given(weights, st.data())
@settings(max_examples=60)
def test_prefix_round_trip(w, data):
    p = _dist(w)
    live = [i for i in range(p.size) if p[i] > 0]
    xs = data.draw(st.lists(st.sampled_from(live), max_size=200))
    code = huffman_code(p)
    bits = prefix_encode(xs, code)
    assert len(bits) == sum(len(code[x]) for x in xs)
    assert prefix_decode(bits, code, n=len(xs)) == xs


def test_long_codewords_use_the_slow_path_correctly():
    p = normalize(2.0 ** -np.arange(1, 22))   # dyadic-ish: codeword lengths up to 20
    code = huffman_code(p)
    assert max(map(len, code.values())) > 16
    xs = list(range(21)) * 3
    assert prefix_decode(prefix_encode(xs, code), code) == xs


def test_dyadic_distribution_gets_lengths_minus_log2_p():
    p = [0.5, 0.25, 0.125, 0.125]
    lens = code_lengths(huffman_code(p))
    assert lens.tolist() == [1, 2, 3, 3]
    assert expected_length(lens, p) == entropy(p) == 1.75


def test_deterministic_tie_breaking():
    p = np.full(4, 0.25)
    assert huffman_code(p) == huffman_code(p.copy()) == {0: "00", 1: "01", 2: "10", 3: "11"}


def test_symbols_labels_and_mismatch():
    assert huffman_code([0.5, 0.5], symbols="ht") == {"h": "0", "t": "1"}
    with pytest.raises(ValueError, match="2 probabilities but 3 symbols"):
        huffman_code([0.5, 0.5], symbols="abc")
    with pytest.raises(ValueError, match="appears twice"):
        huffman_code([0.5, 0.5], symbols="aa")


def test_zero_probability_symbol_has_no_codeword():
    code = huffman_code([0.5, 0.0, 0.5], symbols="abc")
    assert "b" not in code
    with pytest.raises(ValueError, match="'b' has no codeword"):
        prefix_encode("abc", code)


def test_single_symbol_alphabet_costs_zero_bits():
    code = huffman_code([1.0], symbols="a")
    assert code == {"a": ""}
    assert prefix_encode("aaaa", code) == ""
    assert prefix_decode("", code, n=4) == list("aaaa")
    with pytest.raises(ValueError, match="pass n"):
        prefix_decode("", code)


@pytest.mark.parametrize("p, match", [([0.5, 0.6], "sums to"), ([1.5, -0.5], "negative"),
                                      ([], "empty"), ([[0.5, 0.5]], "1-D"),
                                      ([np.nan, 1.0], "NaN")])
def test_bad_distributions(p, match):
    with pytest.raises(ValueError, match=match):
        huffman_code(p)


def test_truncated_or_corrupted_prefix_bits():
    code = huffman_code([0.5, 0.25, 0.25], symbols="abc")
    bits = prefix_encode("abcab", code)
    with pytest.raises(ValueError, match="do not complete a codeword"):
        prefix_decode(bits[:-1], code)
    with pytest.raises(ValueError, match="n=5 were expected"):
        prefix_decode(bits[:-2], code, n=5)     # cut at a codeword boundary
    with pytest.raises(ValueError, match="only '0' and '1'"):
        prefix_decode(bits + "2", code)
    incomplete = {"a": "0", "b": "10"}          # '11' starts no codeword
    with pytest.raises(ValueError, match="do not complete"):
        prefix_decode("011", incomplete)
    with pytest.raises(ValueError, match="prefix"):
        prefix_decode("0", {"a": "0", "b": "01"})
    with pytest.raises(ValueError, match="codeword"):
        prefix_encode("a", {"a": "0x"})


@given(weights, weights)
@settings(max_examples=60)
def test_shannon_lengths_kraft_and_wrong_code_bounds(wp, wq):
    # Cover & Thomas Thm 5.4.3: H(p) + D(p||q) <= E_p[ceil(-log2 q)] < H(p) + D(p||q) + 1
    n = max(len(wp), len(wq))
    p = _dist(wp + [0] * (n - len(wp)))
    q = normalize(np.array(wq + [0] * (n - len(wq))) + 1)   # q > 0 everywhere
    lens = shannon_code_lengths(q)
    assert kraft_sum(lens) <= 1 + 1e-12
    L = expected_length(lens, p)
    bound = entropy(p) + kl_divergence(p, q)
    assert bound - 1e-9 <= L < bound + 1


def test_kraft_sum_input_checks():
    assert kraft_sum([1, 1]) == 1.0
    with pytest.raises(TypeError):
        kraft_sum([0.5, 1])
    with pytest.raises(ValueError, match=">= 0"):
        kraft_sum([-1, 1])


@given(weights, st.integers(1, 3))
@settings(max_examples=30)
def test_block_probabilities_entropy_adds_up(w, k):
    p = _dist(w[:6])
    pb = block_probabilities(p, k)
    assert pb.size == p.size ** k
    assert entropy(pb) == pytest.approx(k * entropy(p), abs=1e-9)


def test_block_huffman_rate_approaches_entropy():
    p = np.array([0.9, 0.1])
    H = entropy(p)
    rates = []
    for k in (1, 2, 3, 4):
        pb = block_probabilities(p, k)
        rate = expected_length(code_lengths(huffman_code(pb), symbols=range(pb.size)), pb) / k
        assert H - 1e-12 <= rate < H + 1 / k
        rates.append(rate)
    assert rates[0] > rates[-1]


@given(st.integers(2, 5), st.integers(1, 4), st.data())
@settings(max_examples=40)
def test_blocks_round_trip(m, k, data):
    xs = data.draw(st.lists(st.integers(0, m - 1), max_size=40).map(lambda v: v[:len(v) - len(v) % k]))
    b = to_blocks(xs, k, m)
    assert from_blocks(b, k, m).tolist() == xs
    if xs:
        pb = block_probabilities(normalize(np.ones(m)), k)
        assert b.max() < pb.size


def test_to_blocks_refuses_ragged_input():
    with pytest.raises(ValueError, match="trim x"):
        to_blocks([0, 1, 0], 2, 2)
    with pytest.raises(ValueError, match="outside 0..1"):
        to_blocks([0, 2], 2, 2)


@given(weights)
@settings(max_examples=60)
def test_canonical_code_has_the_lengths_and_is_prefix_free(w):
    from klcourse.coding import canonical_code
    q = _dist(w)
    if np.count_nonzero(q) < 2:
        return   # a certain symbol needs no bits: lengths all 0 name no code (tested below)
    lens = shannon_code_lengths(q)
    code = canonical_code(lens)
    assert code_lengths(code, symbols=range(q.size)).tolist() == lens.tolist()
    words = sorted(code.values())
    assert all(not b.startswith(a) for a, b in zip(words, words[1:]))
    xs = [i for i in range(q.size) if q[i] > 0] * 3
    assert prefix_decode(prefix_encode(xs, code), code, n=len(xs)) == xs


def test_canonical_code_refuses_lengths_breaking_kraft():
    from klcourse.coding import canonical_code
    with pytest.raises(ValueError, match="Kraft sum"):
        canonical_code([1, 1, 2])
    with pytest.raises(ValueError, match="all lengths are 0"):
        canonical_code([0, 0])
    assert canonical_code([0], symbols="a") == {"a": ""}
