"""Exercises and predictions of notebook 02 (KL as the extra bits of the wrong code).

The distributions below are the notebook's own; every expected answer and
every mistake value is computed with klcourse when a check runs.
"""

import numpy as np

from klcourse.arithmetic import ideal_code_length
from klcourse.coding import code_lengths, expected_length, huffman_code
from klcourse.course.exercises import Mistake, register, register_prediction
from klcourse.data.english import letter_frequencies
from klcourse.measures import cross_entropy, entropy, kl_divergence

# the notebook's five-symbol truth and its uniform model
_P5 = np.array([0.40, 0.25, 0.15, 0.12, 0.08])
_U5 = np.full(5, 1 / 5)
# Exercise 2.1
_P_2_1, _Q_2_1 = np.array([0.5, 0.25, 0.25]), np.array([0.125, 0.375, 0.5])
# Exercise 2.2: a file's symbol counts and the codeword lengths used on it
_COUNTS_2_2 = np.array([4, 8, 12, 16])
_LENGTHS_2_2 = np.array([1, 2, 3, 3])
# Exercise 2.3: uniform data on four symbols, codes built for a wrong model
_U4, _Q_2_3 = np.full(4, 1 / 4), np.array([0.7, 0.1, 0.1, 0.1])
# Exercise 2.4
_U3, _R_2_4 = np.full(3, 1 / 3), np.array([0.7, 0.2, 0.1])


def _implied(lengths: np.ndarray) -> np.ndarray:
    """The model r = 2^-l a complete prefix code with lengths l assumes."""
    return 2.0 ** -lengths


def _coder_extra_option() -> str:
    # what the coder pays with q on data from p, per symbol, through the ideal lengths
    # (the notebook shows the coder is within a couple of bits of them in total)
    x = np.random.default_rng(0).choice(5, size=20_000, p=_P5)
    extra = (ideal_code_length(x, _U5) - ideal_code_length(x, _P5)) / x.size
    candidates = {"a": kl_divergence(_P5, _U5), "b": kl_divergence(_U5, _P5),
                  "c": cross_entropy(_P5, _U5), "d": 1.0}
    return min(candidates, key=lambda k: abs(candidates[k] - extra))


# ---------------------------------------------------------------- predictions

register_prediction(
    "02.coder-extra",
    kind="choice",
    options={
        "a": "about D(p||q), the divergence with the data's distribution first",
        "b": "about D(q||p), the divergence with the model first",
        "c": "about H(p, q), the cross-entropy",
        "d": "about 1 bit per symbol, the price of whole bits",
    },
    answer=_coder_extra_option,
    explain="Per symbol the wrong code costs log2 p(x)/q(x) more than the right one; the data "
            "come from p, so the average of that ratio over the sample tends to D(p||q). "
            "H(p, q) is the whole cost, not the extra, and an arithmetic coder does not round "
            "per symbol.",
)

register_prediction(
    "02.which-larger",
    kind="choice",
    options={
        "a": "coding English letters with the uniform code wastes more",
        "b": "coding uniformly random letters with the English code wastes more",
        "c": "both waste the same: it is the same pair of distributions",
    },
    answer=lambda: ("a" if kl_divergence(letter_frequencies(), np.full(27, 1 / 27))
                    > kl_divergence(np.full(27, 1 / 27), letter_frequencies()) else "b"),
    explain="The English code gives rare letters such as q, x and z long codewords. English "
            "text rarely pays them; random letters hit them one time in 27 each, and those "
            "long codewords dominate the bill.",
)

# ---------------------------------------------------------------- exercises

register(
    "02.cross-entropy",
    kind="number",
    unit="bits",
    answer=lambda: cross_entropy(_P_2_1, _Q_2_1),
    mistakes=[
        Mistake("swapped", lambda: cross_entropy(_Q_2_1, _P_2_1),
                "That is the cross-entropy the other way round: the code lengths come from "
                "the model q and the weights from the data's p."),
        Mistake("entropy-only", lambda: entropy(_P_2_1),
                "That is H(p), what the right code would cost. The code here is built for q."),
        Mistake("divergence-only", lambda: kl_divergence(_P_2_1, _Q_2_1),
                "That is only the penalty D(p||q). The cross-entropy is the whole cost: what "
                "you pay anyway plus the penalty."),
    ],
    hint="Each symbol costs -log2 of the model's probability; how often does each symbol "
         "come up?",
)

register(
    "02.implied-model",
    kind="number",
    unit="bits",
    answer=lambda: kl_divergence(_COUNTS_2_2 / _COUNTS_2_2.sum(), _implied(_LENGTHS_2_2)),
    mistakes=[
        Mistake("swapped",
                lambda: kl_divergence(_implied(_LENGTHS_2_2), _COUNTS_2_2 / _COUNTS_2_2.sum()),
                "That is the divergence with the code's model first. The file is the data: "
                "its frequencies weight the average."),
        Mistake("whole-cost",
                lambda: expected_length(_LENGTHS_2_2, _COUNTS_2_2 / _COUNTS_2_2.sum()),
                "That is the whole cost per symbol. The question asks only for what is paid "
                "above the file's own entropy."),
        Mistake("whole-file",
                lambda: float(_COUNTS_2_2.sum()) * kl_divergence(
                    _COUNTS_2_2 / _COUNTS_2_2.sum(), _implied(_LENGTHS_2_2)),
                "That is the total over the whole file. The question asks per symbol."),
        Mistake("counts-not-normalised",
                lambda: float(np.sum(_COUNTS_2_2 * np.log2(_COUNTS_2_2
                                                           / _implied(_LENGTHS_2_2)))),
                "The counts were used as if they were probabilities. Turn them into "
                "frequencies first."),
    ],
    hint="Which distribution does a code with these lengths implicitly assume? Then: what "
         "does coding data with the wrong model cost above their entropy?",
)

register(
    "02.which-code",
    kind="choice",
    options={
        "a": ("The arithmetic coder using q: it follows -log2 q exactly, with no rounding "
              "loss.",
              "Following q exactly is exactly what costs here: q is the wrong model, and the "
              "arithmetic coder pays H(p) + D(p||q) in full. Compare that with the Huffman "
              "code's expected length on uniform data."),
        "b": ("The Huffman code built for q: its whole-bit lengths imply a model 2^-l that "
              "is closer to the uniform truth than q is.",
              "Its cost is H(p) + D(p||r) with r = 2^-l, and r is nearer the truth than q."),
        "c": ("They cost the same on average: both are built from the same q.",
              "Being built from the same q does not give the same lengths. Work out the "
              "expected length of each under uniform data."),
    },
    answer=lambda: ("b" if expected_length(
        code_lengths(huffman_code(_Q_2_3), symbols=range(4)), _U4)
        < cross_entropy(_U4, _Q_2_3) else "a"),
    hint="Write down Huffman's lengths for q, and the ideal lengths -log2 q; average each "
         "under the data's distribution.",
)

register(
    "02.reverse-cost",
    kind="number",
    unit="bits",
    answer=lambda: kl_divergence(_U3, _R_2_4),
    mistakes=[
        Mistake("swapped", lambda: kl_divergence(_R_2_4, _U3),
                "That is the other direction: here the data are uniform, so the uniform "
                "distribution weights the log-ratios."),
        Mistake("whole-cost", lambda: cross_entropy(_U3, _R_2_4),
                "That is the whole cost per symbol; the question asks for the extra bits "
                "above what the right code would pay."),
    ],
    hint="Which distribution produces the data, and so weights the average?",
)

register(
    "02.uniform-code",
    kind="choice",
    options={
        "a": ("H(p) + D(p||u) plus sampling noise that shrinks like one over the square "
              "root of n.",
              "The formula is right on average, but look at what the uniform code charges "
              "each symbol: is there anything left for the sample to vary?"),
        "b": ("Exactly log2 k per symbol for every sample, because every symbol costs the "
              "same under the uniform model.",
              "Every symbol costs -log2(1/k) whatever it is, so the total is n log2 k for "
              "any data: an identity, not a measurement."),
        "c": ("H(p) per symbol, because the data still come from p.",
              "H(p) is what a code built for p would cost; this code is built for the "
              "uniform model."),
    },
    answer=lambda: "b" if np.isclose(ideal_code_length([0, 0, 0, 1], np.full(4, 0.25)) / 4,
                                     np.log2(4), rtol=0, atol=1e-12) else "a",
    hint="What does an ideal code for the uniform model charge for each symbol?",
)
