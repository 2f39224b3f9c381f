"""Exercises and predictions of notebook 03 (Gibbs' inequality; KL is not a distance).

Every expected answer, mistake value and quantitative choice is computed here
with klcourse; nothing is typed in.
"""

import numpy as np

from klcourse.course.exercises import Mistake, register, register_prediction
from klcourse.detour import detour_slack
from klcourse.inequalities import gibbs_steps, random_distributions, triangle_check
from klcourse.measures import kl_divergence

# ---------------------------------------------------------------- predictions


def _smallest_random_divergence() -> float:
    """The smallest D(p||q) over the notebook's 18,000 random pairs (seed 4, 2 to 10 outcomes)."""
    rng = np.random.default_rng(4)
    smallest = np.inf
    for k in range(2, 11):
        p, q = random_distributions(rng, 2000, k), random_distributions(rng, 2000, k)
        smallest = min(smallest, float(np.min(kl_divergence(p, q))))
    return smallest


register_prediction(
    "03.can-be-negative",
    kind="choice",
    options={"a": "Yes: for some pairs a code built for q beats the code built for p on average",
             "b": "No: D(p||q) >= 0 for every pair, and it is 0 only when q = p",
             "c": "No: D(p||q) >= 0, but it is 0 for many pairs with q different from p"},
    answer=lambda: "b" if _smallest_random_divergence() > 0 else "a",
    explain="Gibbs' inequality: the proof's two slacks (the Jensen step and the mass q puts "
            "off the support of p) are never negative and add up to D(p||q); both vanish "
            "only when q = p.",
)

TRIANGLE_COINS = ([0.1, 0.9], [0.5, 0.5], [0.9, 0.1])

register_prediction(
    "03.triangle-coins",
    kind="choice",
    options={"a": "the detour D(p||u) + D(u||q) is longer than D(p||q), as for a distance",
             "b": "the detour is shorter than D(p||q)",
             "c": "they are equal: u sits exactly halfway"},
    answer=lambda: "b" if triangle_check(*TRIANGLE_COINS).violated else "a",
    explain="The detour through the fair coin is shorter: KL breaks the triangle inequality. "
            "Near agreement D behaves like a squared distance, and squares of the two short "
            "legs add up to less than the square of the whole.",
)

# ---------------------------------------------------------------- exercises

#: Exercise 3.1: a pair the notebook never prints.
REVERSE_PAIR = ([0.6, 0.3, 0.1], [0.2, 0.5, 0.3])

register(
    "03.reverse-direction",
    kind="number",
    unit="bits",
    answer=lambda: kl_divergence(REVERSE_PAIR[1], REVERSE_PAIR[0]),
    mistakes=[
        Mistake("swapped", lambda: kl_divergence(*REVERSE_PAIR),
                "That is D(p||q), the other direction: here q is the truth, so q must weight "
                "the log-ratios."),
    ],
    hint="Which distribution does the average run over, and which sits in the denominator?",
)

#: Exercise 3.2: q leaks mass to an outcome p never produces.
JENSEN_PAIR = ([0.5, 0.3, 0.2, 0.0], [0.2, 0.2, 0.3, 0.3])

register(
    "03.jensen-gap",
    kind="number",
    unit="bits",
    answer=lambda: gibbs_steps(*JENSEN_PAIR).jensen_gap,
    mistakes=[
        Mistake("whole-divergence", lambda: kl_divergence(*JENSEN_PAIR),
                "That is the whole divergence: it also contains the support gap, the "
                "probability q wastes on the outcome p never produces."),
        Mistake("support-gap", lambda: gibbs_steps(*JENSEN_PAIR).support_gap,
                "That is the other slack of the proof, the support gap, not the Jensen step."),
        Mistake("swapped", lambda: kl_divergence(JENSEN_PAIR[1], JENSEN_PAIR[0]),
                "That has p and q swapped (and is infinite besides)."),
    ],
    hint="The divergence is the sum of the proof's two slacks. Which of them does the "
         "question ask for, and how large is the other one?",
)

ZEROS_PAIR = ([0.25, 0.25, 0.5], [0.5, 0.5, 0.0])


def _zeros_answer() -> str:
    p, q = (np.asarray(v) for v in ZEROS_PAIR)
    infinite = np.isinf(kl_divergence(p, q))
    # "b" is right when the divergence is infinite *because* p produces an outcome q rules out
    return "b" if infinite and np.any((q == 0) & (p > 0)) else "a"


register(
    "03.reverse-finite",
    kind="choice",
    answer=_zeros_answer,
    options={
        "a": ("Finite: q is positive on outcomes 0 and 1, which carry half of p's mass, and "
              "the rest does not count",
              "Every outcome p produces counts, weighted by p. Look at the term of the "
              "outcome q rules out: what is its log-ratio?"),
        "b": ("Infinite: p produces outcome 2 half of the time, and a code built for q has "
              "no codeword for it",
              "The term of outcome 2 is p log(p/0) = +infinity, and nothing cancels it: the "
              "first time outcome 2 occurs, the q-code cannot write it down."),
        "c": ("Finite: the term with q(x) = 0 is dropped by the convention 0 log 0 = 0",
              "The convention covers terms with p(x) = 0, outcomes that never happen. Here "
              "q(x) is the zero, and p(x) is not."),
        "d": ("Infinite, because q has a zero entry, whatever p does there",
              "A zero of q alone is harmless: if p(x) = 0 too, the term is 0 log 0 = 0, "
              "and q only wastes the mass it puts elsewhere. What makes the difference?"),
    },
    hint="Which distribution produces the data, and does it ever produce the outcome the "
         "other one rules out?",
)

TRIANGLE_COINS_EX = ([0.2, 0.8], [0.35, 0.65], [0.6, 0.4])


def _d(a, b):
    return kl_divergence(a, b)


register(
    "03.triangle-slack",
    kind="number",
    unit="bits",
    answer=lambda: detour_slack(*TRIANGLE_COINS_EX),
    mistakes=[
        Mistake("detour-only", lambda: _d(*TRIANGLE_COINS_EX[:2]) + _d(*TRIANGLE_COINS_EX[1:]),
                "That is the detour D(p||u) + D(u||q) alone; the slack subtracts D(p||q)."),
        Mistake("direct-swapped",
                lambda: (_d(*TRIANGLE_COINS_EX[:2]) + _d(*TRIANGLE_COINS_EX[1:])
                         - _d(TRIANGLE_COINS_EX[2], TRIANGLE_COINS_EX[0])),
                "The direct term has its arguments swapped: the route runs from p to q, "
                "so it is D(p||q)."),
        Mistake("all-reversed",
                lambda: detour_slack(*TRIANGLE_COINS_EX[::-1]),
                "Every divergence is taken the other way round (the route from q to p)."),
    ],
    hint="Where does u(heads) sit relative to p(heads) and q(heads)? The one-sum rule "
         "gives the slack from the step u - p and the log-ratio log(u/q).",
)

#: Exercise 3.5: which of these u breaks the triangle inequality for p and q?
WHICH_P, WHICH_Q = [0.2, 0.5, 0.3], [0.5, 0.1, 0.4]
WHICH_U = {"a": [0.1, 0.6, 0.3], "b": [0.45, 0.05, 0.5], "c": [0.3, 0.2, 0.5],
           "d": [0.6, 0.05, 0.35]}


def _which_breaks() -> str:
    bad = [k for k, u in WHICH_U.items() if detour_slack(WHICH_P, u, WHICH_Q) < 0]
    if len(bad) != 1:
        raise RuntimeError(f"03.which-triple: exactly one option must break, got {bad}")
    return bad[0]


_POSITIVE = ("For this u the detour is longer than the direct route: add up "
             "(u(x) - p(x)) log(u(x)/q(x)) over the three outcomes and look at the sign.")

register(
    "03.which-triple",
    kind="choice",
    answer=_which_breaks,
    options={
        "a": (f"u = {WHICH_U['a']}", "This u moves away from q, past p: every step u - p "
              "points away from q, so the terms cannot add up to a shortcut. " + _POSITIVE),
        "b": (f"u = {WHICH_U['b']}", "Overshooting q on outcome 1 costs a large log-ratio "
              "where u is tiny. " + _POSITIVE),
        "c": (f"u = {WHICH_U['c']}", "The terms of outcomes 0 and 1, where u lies between "
              "p and q, are negative and outweigh the positive term of outcome 2, where u "
              "overshoots both: a shortcut, although u is not between p and q everywhere."),
        "d": (f"u = {WHICH_U['d']}", "This u goes beyond q on two outcomes. " + _POSITIVE),
    },
    hint="Being near the segment from p to q is not the test; the sign of "
         "sum_x (u(x) - p(x)) log(u(x)/q(x)) is.",
)
