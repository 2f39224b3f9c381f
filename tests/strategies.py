"""Inputs shared by the tests of the measures (test_measures, test_fdivergences).

Hypothesis strategies: random probability vectors, and pairs of them on one
set of outcomes, each normalised by klcourse.normalize from random weights.
:data:`BAD_PAIRS`: invalid ``(p, q)`` and the error every two-distribution
measure must give for them."""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from klcourse import normalize


@st.composite
def distributions(draw, n=None, min_n=1, max_n=8, allow_zeros=True):
    """A probability vector of length `n` (or of a random length in min_n..max_n)."""
    if n is None:
        n = draw(st.integers(min_n, max_n))
    weight = st.floats(0, 10) if allow_zeros else st.floats(0.01, 10)
    w = np.array(draw(st.lists(weight, min_size=n, max_size=n)))
    assume(w.sum() > 1e-3)
    return normalize(w)


@st.composite
def pairs(draw, p_zeros=True, q_zeros=True):
    """``(p, q)`` of one random length 1..8; `p_zeros`/`q_zeros`: may entries be 0."""
    n = draw(st.integers(1, 8))
    return draw(distributions(n, allow_zeros=p_zeros)), draw(distributions(n, allow_zeros=q_zeros))


#: ``(p, q, message)``: invalid pairs and a regex of the ValueError they must raise.
BAD_PAIRS = [
    ([0.5, -0.5, 1.0], [0.3, 0.3, 0.4], r"p has a negative entry \(-0.5 at index 1\)"),
    ([0.3, 0.3, 0.4], [0.5, np.nan, 0.5], r"q contains NaN \(at index 1\)"),
    ([0.3, 0.3, 0.4], [np.inf, 0.0, 0.0], r"q contains an infinite entry"),
    ([0.5, 0.6], [0.5, 0.5], r"p sums to 1.1 along axis -1, not 1.*klcourse.normalize\(p\)"),
    ([0.5, 0.5], [0.2, 0.2], r"q sums to 0.4"),
    ([0.5, 0.5], [0.2, 0.3, 0.5], r"different shapes \(2,\) and \(3,\).*never broadcasts"),
    ([[0.5, 0.5], [0.5, 0.5]], [0.5, 0.5], r"different shapes"),
    ([], [], r"p is empty"),
    (0.5, 0.5, r"p is a single number"),
]


def rel_entr_sum(p, q) -> float:
    """``sum p log(p/q)`` in nats, via scipy where it is exact, else via log(p) - log(q).

    scipy.special.rel_entr forms p/q, which overflows to inf for a subnormal q
    in older scipy releases (1.11) although the divergence is finite; there the
    reference falls back to the difference of logarithms.
    """
    import scipy.special

    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    value = float(scipy.special.rel_entr(p, q).sum())
    if np.isinf(value) and not np.any((p > 0) & (q == 0)):
        s = p > 0
        value = float(np.sum(p[s] * (np.log(p[s]) - np.log(q[s]))))
    return value
