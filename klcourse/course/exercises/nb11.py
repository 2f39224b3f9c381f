"""Exercises and predictions of notebook 11 (KL in deep-learning practice).

The quantities the questions state (a reported loss, a smoothing weight, the
number of classes) are defined here once and printed by the notebook; every
expected answer is computed with klcourse.
"""

import numpy as np

from klcourse.course.exercises import Mistake, register, register_prediction
from klcourse.deeplearning import label_smoothing, softmax_cross_entropy
from klcourse.measures import entropy

#: Exercise 11.1: a batch of B examples over K classes, and the number that
#: ``F.kl_div(logq, p)`` (default reduction="mean") reported for it.
BATCH, CLASSES, REPORTED_MEAN = 32, 10, 0.0125

#: Exercise 11.2 and the opening prediction: label smoothing over K classes.
SMOOTH_K, SMOOTH_EPS = 5, 0.2


def _smoothed_row(k: int, eps: float) -> np.ndarray:
    return label_smoothing(np.eye(k)[:1], eps)[0]


register_prediction(
    "11.smoothed-floor",
    kind="choice",
    options={"a": "0 nats: the model can match the targets exactly",
             "b": "more than 0 nats: the targets' own entropy, which no model can remove",
             "c": "less than 0: smoothing rewards the model for spreading its bets"},
    answer=lambda: ("a" if entropy(_smoothed_row(SMOOTH_K, SMOOTH_EPS)) == 0 else "b"),
    explain="Cross-entropy is H(target) + KL(target || model). The best model drives the KL to "
            "0 by predicting the smoothed target itself, but H(target) stays: with soft "
            "targets the loss never reaches 0, and two runs with different smoothing cannot be "
            "compared by their losses alone.",
)

register_prediction(
    "11.k1-negative",
    kind="number",
    answer=lambda: 100 * _k1_negative_fraction(),
    explain="The result is a percentage. A single k1 = log q(x) - log p(x) is negative "
            "wherever the sample is more likely under the reference than under the policy, "
            "which happens often when q and p are close; only its expectation, the exact KL, "
            "is guaranteed non-negative, and a small batch's average is not.",
)


def _k1_negative_fraction() -> float:
    from klcourse.deeplearning.estimators import estimator_study

    q, p = rl_pair(0.5)
    return estimator_study(q, p, batch=64, batches=500, seed=11)["k1"]["negative_samples"]


def rl_pair(shift: float, *, tokens: int = 50, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """The policy q = softmax(logits_p + shift * u) and the reference p over `tokens` tokens.

    The reference's logits (standard normal, times 1.5) and the direction u
    (standard normal) are drawn from ``numpy.random.default_rng(seed)``, so the
    same arguments always give the same pair.

    Parameters
    ----------
    shift : float
        How far the policy's logits move from the reference's along u; 0 gives
        ``q == p``, and KL(q || p) grows with ``|shift|``.
    tokens : int, optional
        The vocabulary size, the length of both distributions (default 50).
    seed : int, optional
        Seed of the generator that draws the logits and u (default 7).

    Returns
    -------
    q, p : ndarray, shape (tokens,)
        The policy and the reference, in that order (as in ``KL(q || p)``).

    Examples
    --------
    >>> q, p = rl_pair(0.5, tokens=8)
    >>> q.shape, p.shape, bool(np.isclose(q.sum(), 1) and np.isclose(p.sum(), 1))
    ((8,), (8,), True)
    >>> q0, p0 = rl_pair(0.0)
    >>> bool(np.allclose(q0, p0))
    True
    """
    from klcourse.deeplearning import softmax

    rng = np.random.default_rng(seed)
    logits = rng.normal(size=tokens) * 1.5
    u = rng.normal(size=tokens)
    p = softmax(logits[None, :])[0]
    q = softmax((logits + shift * u)[None, :])[0]
    return q, p


register(
    "11.batchmean",
    kind="number",
    unit="nats",
    answer=lambda: REPORTED_MEAN * CLASSES,
    mistakes=[
        Mistake("times-batch", lambda: REPORTED_MEAN * BATCH,
                "You multiplied by the batch size. reduction='mean' divided the sum by every "
                "element, batch x classes; the KL per example divides by the batch only."),
        Mistake("times-both", lambda: REPORTED_MEAN * BATCH * CLASSES,
                "That is the sum over the whole batch; the KL is an average over examples."),
        Mistake("divided", lambda: REPORTED_MEAN / CLASSES,
                "You divided; the mean over all elements is already smaller than the mean "
                "over examples, so undoing it makes the number larger."),
    ],
    hint="How many numbers did 'mean' average over, and how many should a per-example "
         "average use?",
)

register(
    "11.smoothing-floor",
    kind="number",
    unit="nats",
    answer=lambda: softmax_cross_entropy(
        np.log(_smoothed_row(SMOOTH_K, SMOOTH_EPS))[None, :], _smoothed_row(SMOOTH_K, SMOOTH_EPS)[None, :]),
    mistakes=[
        Mistake("forgot-eps-over-k", lambda: entropy(
            np.r_[1 - SMOOTH_EPS, np.full(SMOOTH_K - 1, SMOOTH_EPS / (SMOOTH_K - 1))], base=np.e),
                "That spreads eps over the other classes only. Smoothing mixes with the "
                "uniform over all K classes, so the true class also gets eps/K."),
        Mistake("zero", lambda: 0.0,
                "The KL part can reach 0, but the loss also carries the entropy of the "
                "smoothed target."),
    ],
    hint="At the best fit the model predicts the smoothed target itself; what is left of "
         "H(target) + KL(target || model)?",
)

register(
    "11.which-estimator",
    kind="choice",
    options={
        "a": ("k1 = -log r, averaged over the batch",
              "Unbiased, yes, but single values are often negative and a small batch's mean "
              "can be negative too: a logged penalty that dips below zero."),
        "b": ("k2 = (log r)^2 / 2",
              "Never negative, but biased: its expectation is not the KL once q and p move "
              "apart."),
        "c": ("k3 = (r - 1) - log r",
              "Right: log r <= r - 1 makes every value non-negative, and E_q[r] = 1 (when "
              "p > 0 only where q > 0, as for softmax policies) makes the mean unbiased."),
    },
    answer=lambda: "c",
    hint="Which estimator adds a term whose expectation under q is zero, and is that term "
         "ever smaller than log r?",
)

register(
    "11.swapped-args",
    kind="choice",
    options={
        "a": ("KL(target || model): the arguments are in the order PyTorch expects",
              "PyTorch expects the model's log-probabilities first; here the target's "
              "log-probabilities come first and the model's probabilities second."),
        "b": ("KL(model || target), the reverse direction, and correct as such",
              "That is the direction, but not the number: what did the default reduction "
              "divide by?"),
        "c": ("Neither: the formula becomes sum model * (log model - log target), i.e. "
              "KL(model || target), but with reduction='mean' it is divided by every element",
              "Right: swapping roles computes the other direction, and 'mean' still divides "
              "by batch x classes."),
        "d": ("It raises an error because the inputs are not log-probabilities",
              "PyTorch does not check its inputs; it computes whatever the formula gives."),
    },
    answer=lambda: "c",
    hint="Write out target * (log target - input) with the two arguments as they were "
         "passed.",
)
