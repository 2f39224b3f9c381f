"""Exercises and predictions of notebook 00 (start here): the exercise loop, on dice and units."""

import numpy as np

from klcourse.course.exercises import Mistake, register, register_prediction
from klcourse.measures import entropy

#: The loaded eight-sided die of the prediction: one face half the time, the
#: other seven share the other half equally.
LOADED_D8 = np.array([1 / 2] + [1 / 14] * 7)
FAIR_D8 = np.full(8, 1 / 8)

#: The loss (nats per character) a training log reports in Exercise 0.2; the
#: question states it, the learner converts it.
LOSS_NATS = 1.2

register(
    "00.fair-d8",
    kind="number",
    unit="bits",
    answer=lambda: entropy(FAIR_D8),
    mistakes=[
        Mistake("faces", lambda: float(len(FAIR_D8)),
                "That counts the faces. Uncertainty in bits counts yes/no questions, "
                "and each question can halve the faces still possible."),
        Mistake("probability", lambda: float(FAIR_D8[0]),
                "That is the probability of one face, not the uncertainty of the throw."),
    ],
    hint="Each yes/no question can halve the faces still possible; how many halvings "
         "leave one face?",
)

register_prediction(
    "00.loaded-d8",
    kind="choice",
    options={"a": "the loaded die has fewer bits of uncertainty than the fair one",
             "b": "both have the same: they have the same eight faces",
             "c": "the loaded die has more bits: it is less regular"},
    answer=lambda: ("a" if entropy(LOADED_D8) < entropy(FAIR_D8)
                    else "b" if entropy(LOADED_D8) == entropy(FAIR_D8) else "c"),
    explain="Half the time one question (\"is it the loaded face?\") settles the throw, so on "
            "average fewer questions are needed: uncertainty is greatest when every outcome "
            "is equally likely.",
)

register(
    "00.nats-to-bits",
    kind="number",
    unit="bits",
    answer=lambda: LOSS_NATS / np.log(2),
    mistakes=[
        Mistake("multiplied", lambda: LOSS_NATS * np.log(2),
                "You multiplied by ln 2. A nat is more information than a bit (the natural "
                "logarithm grows more slowly than log2), so the value in bits is the larger."),
    ],
    hint="Which is the bigger unit, a nat or a bit? Then the same amount of information is "
         "the larger number in the smaller unit.",
)

register(
    "00.why-refuse",
    kind="choice",
    options={
        "a": ("Quietly rescaling would answer a different question than the one typed, "
              "and hide the typo that made the list sum to more than one.",
              "A list that does not sum to one is usually a mistake (a typo, or counts that "
              "were never normalised); failing loudly shows it where it happened."),
        "b": ("The divergence of two lists that do not sum to one is always negative, so "
              "there would be nothing to report.",
              "Try it: with these lists every term p log(p/q) is zero or positive, so the raw "
              "sum is positive. The trouble lies elsewhere."),
        "c": ("Rescaling would only multiply the divergence by a constant, so it would not "
              "matter either way.",
              "Rescaling p changes both the weights and the ratios p/q inside the logarithm, "
              "so the divergence changes by more than a constant factor, and a silent change "
              "is exactly what you could not spot."),
    },
    answer=lambda: "a",
    hint="What would you want to happen if the 0.6 were a typo for 0.5?",
)
