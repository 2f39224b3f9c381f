"""Exercises of notebook 01 (entropy)."""

import numpy as np
from scipy.optimize import brentq

from klcourse.coding import code_lengths, expected_length, huffman_code
from klcourse.course.exercises import register
from klcourse.measures import binary_entropy, entropy

register(
    "01.surprisal-eighth",
    answer=lambda: float(-np.log2(1 / 8)),
    hint="surprisal is -log2 of the probability; how many halvings make 1/8?",
    unit="bits",
)

register(
    "01.loaded-die",
    answer=lambda: entropy([1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 32]),
    hint="use entropy(p) with the six probabilities; it is below log2(6)",
    unit="bits",
)

register(
    "01.huffman-mean",
    answer=lambda: expected_length(code_lengths(huffman_code([0.4, 0.3, 0.2, 0.1])),
                                   [0.4, 0.3, 0.2, 0.1]),
    hint="build huffman_code(p), take code_lengths, then expected_length(lengths, p)",
    unit="bits",
)

register(
    "01.half-bit-coin",
    answer=lambda: brentq(lambda x: binary_entropy(x) - 0.5, 1e-9, 0.5),
    hint="find x in (0, 1/2) with binary_entropy(x) = 0.5, e.g. with scipy.optimize.brentq",
    atol=1e-3,
)
