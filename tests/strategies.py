"""Hypothesis strategies shared by the tests of the measures (test_measures,
test_fdivergences): random probability vectors, and pairs of them on one set
of outcomes. Each is normalised by klcourse.normalize from random weights."""

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
