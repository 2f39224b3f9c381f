"""Exercises and predictions of notebook 01 (entropy).

The distributions below are the notebook's own; every expected answer and
every mistake value is computed with klcourse when a check runs.
"""

import numpy as np
from scipy.optimize import brentq

from klcourse.coding import (code_lengths, expected_length, huffman_code, kraft_sum,
                             shannon_code_lengths)
from klcourse.course.exercises import Mistake, register, register_prediction
from klcourse.measures import binary_entropy, entropy

# the loaded die of the notebook's first sections
_LOADED_DIE = np.array([0.35, 0.25, 0.15, 0.1, 0.1, 0.05])
# the dyadic example the notebook codes with Huffman (every probability a power of 1/2)
_DYADIC = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8])
# Exercise 1.2's die and Exercise 1.3's source
_DIE_1_2 = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 32])
_P_1_3 = np.array([0.4, 0.3, 0.2, 0.1])
# Exercise 1.5's lengths
_LENGTHS_1_5 = [1, 1, 2]


def _huffman_mean(p: np.ndarray) -> float:
    return expected_length(code_lengths(huffman_code(p), symbols=range(p.size)), p)


# ---------------------------------------------------------------- predictions

register_prediction(
    "01.die-entropy",
    kind="number",
    unit="bits",
    answer=lambda: entropy(_LOADED_DIE),
    explain="The common faces have small surprisals and carry most of the weight, so the "
            "average sits below the fair die's log2 6 bits, but well above 0: no face is "
            "close to certain.",
)

register_prediction(
    "01.dyadic-gap",
    kind="choice",
    options={
        "a": "exactly 0 bits: Huffman reaches H",
        "b": "a small but positive fraction of a bit",
        "c": "close to a whole bit",
    },
    answer=lambda: ("a" if np.isclose(_huffman_mean(_DYADIC), entropy(_DYADIC), rtol=0,
                                      atol=1e-12)
                    else "b" if _huffman_mean(_DYADIC) - entropy(_DYADIC) < 0.5 else "c"),
    explain="Every surprisal -log2 p(x) is already a whole number, so Huffman can give each "
            "outcome exactly its surprisal as codeword length: nothing is lost to rounding.",
)

# ---------------------------------------------------------------- exercises

register(
    "01.double-six",
    kind="number",
    unit="bits",
    answer=lambda: float(-np.log2(1 / 36)),
    mistakes=[
        Mistake("one-die", lambda: float(-np.log2(1 / 6)),
                "That is the surprisal of a six on one die. Two independent dice: what "
                "happens to probabilities, and so to surprisals?"),
        Mistake("probability", lambda: 1 / 36,
                "That is the probability of the outcome, not its surprisal."),
    ],
    hint="Independent events: probabilities multiply, so surprisals do what?",
)

register(
    "01.loaded-die",
    kind="number",
    unit="bits",
    answer=lambda: entropy(_DIE_1_2),
    mistakes=[
        Mistake("unweighted", lambda: float(np.mean(-np.log2(_DIE_1_2))),
                "That is the plain average of the six surprisals. Entropy weights each "
                "surprisal by how often it happens."),
        Mistake("fair-die", lambda: float(np.log2(6)),
                "That is the entropy of a fair die; this one is loaded."),
        Mistake("sum-of-surprisals", lambda: float(np.sum(-np.log2(_DIE_1_2))),
                "That is the sum of the surprisals, each counted once. Weight them by "
                "their probabilities."),
    ],
    hint="Each face contributes its probability times its surprisal; here every surprisal "
         "is a whole number of bits.",
)

register(
    "01.huffman-mean",
    kind="number",
    unit="bits",
    answer=lambda: _huffman_mean(_P_1_3),
    mistakes=[
        Mistake("entropy", lambda: entropy(_P_1_3),
                "That is the entropy, the floor. A Huffman code's lengths are whole numbers, "
                "so it pays more here."),
        Mistake("unweighted-lengths",
                lambda: float(np.mean(code_lengths(huffman_code(_P_1_3), symbols=range(4)))),
                "That is the plain average of the codeword lengths. Weight each length by "
                "the probability of its symbol."),
        Mistake("shannon-lengths", lambda: expected_length(shannon_code_lengths(_P_1_3), _P_1_3),
                "Those are the lengths you get by rounding each surprisal up. Huffman "
                "merges the two least likely subtrees instead, and does better."),
    ],
    hint="Merge the two smallest probabilities, again and again; each merge adds one bit "
         "to every symbol below it.",
)

register(
    "01.half-bit-coin",
    kind="number",
    # the question asks for three decimals, so half a unit of the third decimal
    tol=5e-4,
    answer=lambda: brentq(lambda x: binary_entropy(x) - 0.5, 1e-12, 0.5),
    mistakes=[
        Mistake("other-side", lambda: 1 - brentq(lambda x: binary_entropy(x) - 0.5, 1e-12, 0.5),
                "That coin has the right entropy, but its probability of heads is above "
                "one half; the question asks for the one below."),
        Mistake("entropy-not-x", lambda: 0.5,
                "That is the entropy the coin should have, not its probability of heads."),
    ],
    hint="Below one half the entropy of a coin only increases; halve the interval where it "
         "crosses half a bit until three decimals are settled.",
)

register(
    "01.kraft-lengths",
    kind="choice",
    options={
        "a": ("Yes, as long as the code is not a prefix code: unique decodability is a "
              "weaker demand, so it allows shorter codewords.",
              "Kraft-McMillan says otherwise: every uniquely decodable code, prefix or not, "
              "obeys the same budget sum 2^-l <= 1. Add up the budget these lengths use."),
        "b": ("No: these lengths use more than the whole budget sum 2^-l <= 1, and by "
              "McMillan no uniquely decodable code can.",
              "Two one-bit codewords already use the whole budget; a third codeword "
              "makes some strings of codewords readable in two ways."),
        "c": ("Yes: any lengths work if the decoder is clever enough.",
              "Count the strings: with two one-bit codewords, both 0 and 1 are taken, so "
              "what could the third codeword start with?"),
    },
    answer=lambda: "b" if kraft_sum(_LENGTHS_1_5) > 1 else "a",
    hint="Each codeword of length l uses up 2^-l of a budget of 1.",
)
