"""Tests of klcourse.kraft: counting codeword sequences, checked by brute force and by Kraft."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klcourse.coding import canonical_code, kraft_sum
from klcourse.kraft import sequences_by_length


def _brute_force(lengths, max_bits):
    counts = [0] * (max_bits + 1)
    for n in range(max_bits + 1):
        for seq in itertools.product(lengths, repeat=n):
            if sum(seq) <= max_bits:
                counts[sum(seq)] += 1
    return counts


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.integers(0, 7))
def test_counts_match_brute_force_enumeration(lengths, max_bits):
    assert sequences_by_length(lengths, max_bits) == _brute_force(lengths, max_bits)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=2, max_size=4))
def test_a_prefix_code_gives_each_sequence_its_own_string(lengths):
    if kraft_sum(lengths) > 1:
        return
    code = list(canonical_code(lengths).values())     # exists because Kraft holds
    strings = [set() for _ in range(6)]
    for n in range(6):
        for seq in itertools.product(code, repeat=n):
            bits = "".join(seq)
            if len(bits) <= 5:
                strings[len(bits)].add(bits)
    counts = sequences_by_length(lengths, 5)
    assert [len(s) for s in strings] == counts        # no two sequences share a string
    assert all(c <= 2 ** total for total, c in enumerate(counts))


def test_kraft_sum_above_one_eventually_beats_two_to_the_l():
    counts = sequences_by_length([1, 2, 2, 2], 12)
    over = [total for total, c in enumerate(counts) if c > 2 ** total]
    assert over and over[0] == 4
    assert sequences_by_length([1, 1, 2], 2)[2] > 4


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="whole numbers >= 1"):
        sequences_by_length([1, 0], 3)
    with pytest.raises(ValueError, match="whole numbers >= 1"):
        sequences_by_length([1.5], 3)
    with pytest.raises(ValueError, match="whole numbers >= 1"):
        sequences_by_length([], 3)
    with pytest.raises(ValueError, match="max_bits"):
        sequences_by_length([1, 2], -1)
    with pytest.raises(ValueError, match="max_bits"):
        sequences_by_length([1, 2], True)
