"""Kraft-McMillan by counting: why codeword lengths must satisfy ``sum 2**-l <= 1``.

A code is *uniquely decodable* when every string of codewords, written one
after another, splits back into codewords in only one way. Then different
sequences of codewords give different bit strings, so among the sequences
whose bits add up to ``L`` there can be at most ``2**L`` (the number of bit
strings of length ``L``). Count those sequences, ``N(L)``, and the rule
follows (McMillan, 1956): when the Kraft sum ``K = sum_x 2**-l(x)`` exceeds
1, ``N(L)`` grows like ``rho**L`` with ``rho > 2``, so for some ``L`` there
are more sequences than strings, and two sequences must share a string.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

__all__ = ["sequences_by_length"]


def sequences_by_length(lengths: Sequence[int], max_bits: int) -> list[int]:
    """How many sequences of codewords have ``L`` bits in total, for ``L = 0 .. max_bits``.

    ``N(0) = 1`` (the empty sequence) and, sorting sequences by their first
    codeword, ``N(L) = sum_x N(L - l(x))`` over the codewords with
    ``l(x) <= L``. A uniquely decodable code needs ``N(L) <= 2**L`` for every
    ``L``; the counts are exact Python integers.

    Parameters
    ----------
    lengths : sequence of int
        The codeword lengths, in bits, one per codeword (each at least 1).
    max_bits : int
        The largest total length to count.

    Returns
    -------
    list of int
        ``[N(0), N(1), ..., N(max_bits)]``.

    Raises
    ------
    ValueError
        If a length is not a whole number >= 1, or `max_bits` is not a
        whole number >= 0.

    Examples
    --------
    The prefix code {0, 10, 11} (Kraft sum 1) against 2**L strings:

    >>> sequences_by_length([1, 2, 2], 5)
    [1, 1, 3, 5, 11, 21]

    Add a fourth codeword, 01 (Kraft sum 1.25): at L = 4 there are 19
    sequences for 16 strings, so two sequences share a string.

    >>> sequences_by_length([1, 2, 2, 2], 5)
    [1, 1, 4, 7, 19, 40]
    """
    func = "sequences_by_length"
    ells = list(lengths) if not isinstance(lengths, (str, bytes)) else None
    if not ells or any(isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1
                       for v in ells):
        raise ValueError(f"{func}: lengths must be a non-empty sequence of whole numbers "
                         f">= 1 (bits per codeword), got {lengths!r}")
    if isinstance(max_bits, bool) or not isinstance(max_bits, numbers.Integral) or max_bits < 0:
        raise ValueError(f"{func}: max_bits must be a whole number >= 0, got {max_bits!r}")
    counts = [1] + [0] * int(max_bits)
    for total in range(1, int(max_bits) + 1):
        counts[total] = sum(counts[total - ell] for ell in ells if ell <= total)
    return counts
