"""Exercises of notebook 02 (KL as coding inefficiency)."""

import numpy as np

from klcourse.coding import code_lengths, expected_length, huffman_code
from klcourse.data.english import letter_frequencies
from klcourse.course.exercises import register
from klcourse.measures import cross_entropy, kl_divergence

_P = [0.5, 0.25, 0.125, 0.125]
_Q = [0.125, 0.125, 0.25, 0.5]

register(
    "02.cross-entropy",
    answer=lambda: cross_entropy([0.5, 0.25, 0.25], [0.25, 0.25, 0.5]),
    hint="H(p, q) = -sum p(x) log2 q(x): the truth weights, the model's code lengths",
    unit="bits",
)

register(
    "02.wrong-huffman",
    answer=lambda: expected_length(code_lengths(huffman_code(_Q), symbols=range(4)), _P),
    hint="build the code for q, then average its lengths with the weights of p",
    unit="bits",
)

register(
    "02.reverse-cost",
    answer=lambda: kl_divergence(np.full(3, 1 / 3), [0.7, 0.2, 0.1]),
    hint="the data are uniform and the code is built for (0.7, 0.2, 0.1): D(uniform || that)",
    unit="bits",
)

register(
    "02.english-vs-uniform",
    answer=lambda: kl_divergence(letter_frequencies(), np.full(27, 1 / 27)),
    hint="D(english || uniform over 27 symbols); it also equals log2(27) - H(english)",
    unit="bits",
)
