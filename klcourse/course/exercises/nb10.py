"""Exercises and predictions of notebook 10 (KL from data).

The distributions the notebook samples from, and the pilot numbers Exercise
10.2 states, are defined here once; every expected answer is computed with
klcourse.
"""

import numpy as np

from klcourse.course.exercises import Mistake, register, register_prediction
from klcourse.estimation import kl_from_counts, plugin_bias
from klcourse.measures import kl_divergence

#: The four-cell pair of the bias study and of Exercise 10.1.
P = np.array([0.4, 0.3, 0.2, 0.1])
Q = np.array([0.1, 0.2, 0.3, 0.4])

#: A ten-cell pair with small cells, for zeros and smoothing.
P_WIDE = np.array([0.3, 0.2, 0.15, 0.1, 0.08, 0.06, 0.05, 0.03, 0.02, 0.01])
Q_WIDE = P_WIDE[::-1].copy()

#: Exercise 10.2: a Monte Carlo pilot run.
PILOT_N, PILOT_SE = 2000, 0.0136

register_prediction(
    "10.plugin-bias",
    kind="choice",
    options={"a": "equal to the true D(p || q): it is an average of unbiased frequencies",
             "b": "larger than the true value, by an amount that shrinks like 1/n",
             "c": "smaller than the true value, by an amount that shrinks like 1/n"},
    answer=lambda: "b" if plugin_bias(P, Q, 100, 100) > 0 else "c",
    explain="The frequencies are unbiased, but the KL is a non-linear (convex) function of them: "
            "by Jensen's inequality the average of D(p̂ || q̂) lies above D of the averages. "
            "The first-order bias is (K_p - 1)/(2n) + (sum p/q - 1)/(2m) nats.",
)

register(
    "10.bias-200",
    kind="number",
    unit="nats",
    answer=lambda: plugin_bias(P, Q, 200, 200, base=np.e),
    mistakes=[
        Mistake("first-term-only", lambda: (len(P) - 1) / (2 * 200),
                "That is only the entropy part, (K - 1)/(2n). The estimate of q is noisy too, "
                "which adds a second term with m."),
        Mistake("second-term-only", lambda: ((P / Q).sum() - 1) / (2 * 200),
                "That is only the part from estimating q; p̂ is also estimated from n samples."),
        Mistake("no-half", lambda: 2 * plugin_bias(P, Q, 200, 200, base=np.e),
                "Both terms carry a factor 1/2 (from the second-order Taylor term)."),
    ],
    hint="Two estimated distributions, two terms: one from p̂'s entropy, one from log q̂.",
)

register(
    "10.samples-for-se",
    kind="integer",
    answer=lambda: int(np.ceil(PILOT_N * (PILOT_SE / 0.002) ** 2)),
    mistakes=[
        Mistake("linear", lambda: int(np.ceil(PILOT_N * PILOT_SE / 0.002)),
                "That scales n by the ratio of standard errors; the standard error falls like "
                "1/sqrt(n), so n scales with the square of the ratio."),
        Mistake("truncated", lambda: int(PILOT_N * (PILOT_SE / 0.002) ** 2),
                "Rounded down: int() truncates. Round up (np.ceil), or the target is just missed."),
    ],
    hint="How does a standard error change when n is multiplied by 4?",
)

register(
    "10.negative-estimates",
    kind="choice",
    options={
        "a": ("Nothing: a divergence cannot be negative, so the sign is noise to be removed",
              "The sign is noise, but removing only the negative half of the noise moves the "
              "average: the remaining positive errors are kept."),
        "b": ("The absolute value turns noise into a positive bias; average the signed "
              "estimates and report an interval",
              "Right: the signed estimates scatter around the true value; folding them makes "
              "every average too large, most of all when the truth is near 0."),
        "c": ("Negative estimates mean p and q were swapped; the absolute value undoes the swap",
              "Swapping p and q gives D(q || p), a different number, not the negative of "
              "D(p || q); a negative estimate is noise around a small value."),
    },
    answer=lambda: "b",
    hint="What does folding the negative half of a noisy, centred cloud of numbers do to "
         "its mean?",
)

register(
    "10.pseudocount-one",
    kind="number",
    unit="bits",
    answer=lambda: kl_from_counts([5, 3, 0, 2], [4, 4, 2, 0], pseudocount=1),
    mistakes=[
        Mistake("swapped", lambda: kl_from_counts([4, 4, 2, 0], [5, 3, 0, 2], pseudocount=1),
                "That is the other direction: the counts of p weight the log-ratios."),
        Mistake("only-q-smoothed", lambda: kl_divergence(np.array([5, 3, 0, 2]) / 10,
                                                         np.array([5, 5, 3, 1]) / 14),
                "The pseudocount goes into every cell of both histograms, p's too."),
    ],
    hint="Add one to every cell of both histograms, normalise each, then take the KL.",
)
