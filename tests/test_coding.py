"""Tests of klcourse.coding: Huffman codes, Kraft, Shannon lengths, prefix coding, blocks."""

import heapq
import itertools
import math
import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klcourse import entropy, kl_divergence, normalize
from klcourse.coding import (Merge, block_probabilities, canonical_code, code_lengths,
                             expected_length, from_blocks, huffman_code, huffman_merges,
                             kraft_sum, prefix_decode, prefix_encode, shannon_code_lengths,
                             to_blocks)

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


def test_long_codewords_decode():
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


# --- issue 16: exact Kraft sums, exact Shannon lengths, blocks that never overflow -------


def _is_prefix_free(words):
    return all(not b.startswith(a) for a, b in itertools.permutations(words, 2))


def test_canonical_code_refuses_lengths_whose_kraft_sum_rounds_to_one():
    """1/2 + 1/2 + 2**-53 rounds to 1.0 in floating point; the old code returned a
    non-prefix-free code for these lengths."""
    for lengths in ([1, 1, 53], [1, 2, 3, 3, 60], [2, 2, 2, 2, 1074], [1, 1, 2000]):
        with pytest.raises(ValueError, match="Kraft sum of the lengths is 1 \\+"):
            canonical_code(lengths)
        assert kraft_sum(lengths) > 1


@given(st.lists(st.integers(0, 70), min_size=1, max_size=8))
@settings(max_examples=200)
def test_canonical_code_exists_exactly_when_the_exact_kraft_sum_is_at_most_one(lengths):
    live = [v for v in lengths if v > 0]
    exact = sum(Fraction(1, 2**v) for v in live)
    if not live and len(lengths) > 1:
        with pytest.raises(ValueError, match="all lengths are 0"):
            canonical_code(lengths)
        return
    if exact > 1:
        with pytest.raises(ValueError, match="Kraft"):
            canonical_code(lengths)
        return
    code = canonical_code(lengths)
    assert code_lengths(code, symbols=range(len(lengths))).tolist() == lengths
    assert _is_prefix_free(list(code.values()))


@given(st.lists(st.integers(0, 1100), min_size=1, max_size=8))
@settings(max_examples=200)
def test_kraft_sum_is_rounded_up_so_the_test_against_one_is_exact(lengths):
    exact = sum(Fraction(1, 2**v) for v in lengths)
    k = kraft_sum(lengths)
    assert Fraction(k) >= exact
    assert (k <= 1) == (exact <= 1)
    assert k == pytest.approx(float(exact), rel=1e-15)


@given(st.floats(min_value=5e-324, max_value=1.0, allow_subnormal=True))
@settings(max_examples=300)
def test_shannon_length_is_the_exact_ceiling_of_minus_log2(q):
    """Independent check with fractions: the least l with 2**-l <= q."""
    if q == 1.0:
        assert shannon_code_lengths([1.0]).tolist() == [0]
        return
    length = int(shannon_code_lengths([q, 1.0 - q] if 1.0 - q > 0 else [q])[0])
    assert Fraction(1, 2**length) <= Fraction(q) < Fraction(1, 2 ** (length - 1))


def test_shannon_lengths_just_below_a_power_of_two():
    """np.ceil(-np.log2(q)) gives 2 for the float just below 1/4; the length must be 3."""
    for k in (2, 3, 10, 40, 1000):
        q = float(np.nextafter(2.0**-k, 0))
        assert shannon_code_lengths([q, 1 - q])[0] == k + 1


def test_from_blocks_refuses_k_zero_instead_of_dropping_the_data():
    for k in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="k must be an int >= 1"):
            from_blocks([0, 0, 1], k, 2)
        with pytest.raises(ValueError, match="k must be an int >= 1"):
            to_blocks([0, 0, 1], k, 2)
        with pytest.raises(ValueError, match="k must be an int >= 1"):
            block_probabilities([0.5, 0.5], k)
    for m in (0, 2.5, None):
        with pytest.raises(ValueError, match="m must be an int >= 1"):
            from_blocks([0], 1, m)
        with pytest.raises(ValueError, match="m must be an int >= 1"):
            to_blocks([0], 1, m)


def test_block_indices_are_exact_up_to_int64_and_refused_beyond():
    """to_blocks([1]*64, 64, 2) returned -1 (int64 overflow)."""
    for m, k in [(2, 63), (3, 39), (27, 13), (10, 18)]:
        x = [m - 1] * k
        assert m**k <= 2**63
        b = to_blocks(x, k, m)
        assert int(b[0]) == m**k - 1                       # Python ints, exact
        assert from_blocks(b, k, m).tolist() == x
    for m, k in [(2, 64), (3, 40), (27, 14), (10, 19), (2, 10**9)]:
        with pytest.raises(ValueError, match="too large for int64"):
            to_blocks([0] * min(k, 100) if k <= 100 else [0], k, m)
        with pytest.raises(ValueError, match="too large for int64"):
            from_blocks([0], k, m)


def test_block_probabilities_refuse_huge_blocks_before_allocating():
    start = time.perf_counter()
    for k in (np.int64(64), 23, 10**9, 2**70):
        with pytest.raises(ValueError, match="too many to tabulate"):
            block_probabilities([0.5, 0.5], k)
    with pytest.raises(ValueError, match="too long a block"):
        block_probabilities([1.0], 10**9)
    assert time.perf_counter() - start < 1.0
    assert block_probabilities([1.0], 5).tolist() == [1.0]
    assert block_probabilities([0.5, 0.5], 22).size == 2**22


def test_block_probabilities_are_the_products():
    p = np.array([0.5, 0.3, 0.2])
    pb = block_probabilities(p, 3)
    for x in itertools.product(range(3), repeat=3):
        b = int(to_blocks(list(x), 3, 3)[0])
        assert pb[b] == pytest.approx(p[x[0]] * p[x[1]] * p[x[2]], rel=1e-15)


# --- Huffman, step by step ------------------------------------------------------------


def _reference_huffman_lengths(p):
    """Textbook heap Huffman on (probability, tie, leaves), written independently."""
    live = [i for i in range(len(p)) if p[i] > 0]
    if len(live) == 1:
        return {live[0]: 0}
    heap = [(p[i], k, [i]) for k, i in enumerate(live)]
    heapq.heapify(heap)
    depth = dict.fromkeys(live, 0)
    k = len(live)
    while len(heap) > 1:
        a, b = heapq.heappop(heap), heapq.heappop(heap)
        for i in a[2] + b[2]:
            depth[i] += 1
        heapq.heappush(heap, (a[0] + b[0], k, a[2] + b[2]))
        k += 1
    return depth


@given(weights)
@settings(max_examples=150)
def test_huffman_code_matches_an_independent_heap_huffman(w):
    p = _dist(w)
    code = huffman_code(p)
    assert {s: len(c) for s, c in code.items()} == _reference_huffman_lengths(p.tolist())


@given(weights)
@settings(max_examples=150)
def test_huffman_merges_replay_to_the_code(w):
    p = _dist(w)
    merges = huffman_merges(p)
    live = [i for i in range(p.size) if p[i] > 0]
    assert len(merges) == len(live) - 1
    # replay: each merge puts '0' before the first subtree's words and '1' before the second's
    words = {i: "" for i in live}
    forest = {(i,): float(p[i]) for i in live}
    for m in merges:
        assert isinstance(m, Merge)
        assert forest.pop(m.first) == m.p_first and forest.pop(m.second) == m.p_second
        # the two merged are the two least likely of the forest before the merge
        assert all(v >= max(m.p_first, m.p_second) for v in forest.values())
        for s in m.first:
            words[s] = "0" + words[s]
        for s in m.second:
            words[s] = "1" + words[s]
        forest[m.first + m.second] = m.p_first + m.p_second
    assert words == huffman_code(p)
    # a classical identity: the merged probabilities add up to the expected length
    L = expected_length(code_lengths(huffman_code(p), symbols=range(p.size)), p)
    assert sum(m.p_first + m.p_second for m in merges) == pytest.approx(L, abs=1e-12)


def test_huffman_merges_example_by_hand():
    steps = huffman_merges([0.5, 0.25, 0.25], symbols="abc")
    assert steps == [Merge(("b",), 0.25, ("c",), 0.25), Merge(("a",), 0.5, ("b", "c"), 0.5)]
    assert huffman_merges([1.0, 0.0], symbols="xy") == []


def test_huffman_on_many_symbols_is_fast():
    """10**6 symbols took 46 s with the old quadratic merging; 2 * 10**5 now take well
    under a second on an idle core (the limit is generous for a shared machine)."""
    w = np.random.default_rng(0).random(200_000)
    start = time.perf_counter()
    code = huffman_code(w / w.sum())
    assert time.perf_counter() - start < 10
    assert len(code) == w.size


def test_prefix_decode_reads_long_and_short_codewords_alike():
    for n_symbols in (3, 30):   # longest codeword 2 and 29 bits
        p = normalize(2.0 ** -np.arange(1, n_symbols + 1))
        code = huffman_code(p)
        xs = list(range(n_symbols)) * 4
        bits = prefix_encode(xs, code)
        assert prefix_decode(bits, code, n=len(xs)) == xs
        with pytest.raises(ValueError, match="do not complete"):
            prefix_decode(bits[:-1], code)


def test_expected_length_refuses_nan_lengths():
    with pytest.raises(ValueError, match="finite"):
        expected_length([1.0, np.nan], [0.5, 0.5])
    assert math.isclose(expected_length([1, 2], [0.25, 0.75]), 1.75)
