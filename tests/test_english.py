"""Tests of klcourse.data.english: the shipped text, its letter mapping and frequencies."""

import hashlib
from importlib import resources

import numpy as np
import pytest

from klcourse import entropy
from klcourse.data import english_letters as reexported
from klcourse.data.english import (ALPHABET, english_letters, english_text, letter_counts,
                                   letter_frequencies, letter_indices, to_letters)


def test_shipped_file_is_the_one_the_readme_names():
    raw = resources.files("klcourse.data").joinpath("alice_in_wonderland.txt").read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    readme = resources.files("klcourse.data").joinpath("README.md").read_text()
    assert digest in readme
    assert len(raw) < 400_000
    assert "Gutenberg" not in english_text()   # no PG header or licence boilerplate


def test_letter_sequence_is_over_the_27_symbols():
    s = english_letters()
    assert reexported() == s
    assert len(s) > 100_000
    assert set(s) == set(ALPHABET)
    assert "  " not in s and s[0] != " " and s[-1] != " "


def test_mapping_rules():
    assert to_letters("  Hello,\r\nWORLD -- it's 1865!  ") == "hello world it s"
    assert to_letters("") == ""
    with pytest.raises(TypeError):
        to_letters(b"abc")


def test_indices_and_counts_agree():
    s = english_letters()
    idx = letter_indices(s)
    assert idx.min() == 0 and idx.max() == 26
    assert "".join(ALPHABET[i] for i in idx[:200]) == s[:200]
    counts = letter_counts(s)
    assert counts.sum() == len(s)
    assert counts[ALPHABET.index("e")] == s.count("e")
    with pytest.raises(ValueError, match="to_letters"):
        letter_indices("Abc")


def test_frequencies_look_like_english():
    f = letter_frequencies()
    assert f.sum() == pytest.approx(1.0)
    letters = f[:26]
    assert ALPHABET[int(np.argmax(letters))] == "e"
    assert f[26] > letters.max()            # the space is the most common symbol
    h = entropy(f)
    assert 3.9 < h < np.log2(27)            # English letters are far from uniform
    with pytest.raises(ValueError, match="no letters"):
        letter_frequencies("")
