"""Exercises and predictions of notebook 04 (convexity in the pair).

Every expected answer, mistake value and quantitative choice is computed here
with klcourse (and scipy's bounded scalar search where a fit is needed).
"""

import numpy as np
from scipy.optimize import minimize_scalar

from klcourse.course.exercises import Mistake, register, register_prediction
from klcourse.inequalities import (discretized_gaussian, local_minima, log_sum_sides,
                                   mixture_check, random_mixture_check)
from klcourse.measures import kl_divergence, normalize

X = np.arange(21)


def _two_bumps(w1: float) -> np.ndarray:
    """Weight w1 on a narrow bump at 4, the rest on one at 16 (the notebook's target for 0.5)."""
    return w1 * discretized_gaussian(X, 4.0, 1.0) + (1 - w1) * discretized_gaussian(X, 16.0, 1.0)


def _tiled(p: np.ndarray, n: int) -> np.ndarray:
    return np.tile(p, (n, 1))


# ---------------------------------------------------------------- predictions


def _random_mixture_answer() -> str:
    rng = np.random.default_rng(12)                 # the notebook's seed and sizes
    violations = sum(random_mixture_check(rng, 20_000, k).violations for k in [2, 3, 5, 10, 50])
    return "a" if violations == 0 else "b"


register_prediction(
    "04.random-mixtures",
    kind="choice",
    options={"a": "none beyond round-off",
             "b": "a handful, from unlucky pairs the proof does not cover",
             "c": "a few percent of the mixtures"},
    answer=_random_mixture_answer,
    explain="The proof covers every pair and every weight: outcome by outcome, the log-sum "
            "inequality puts the chord's term above the mixture's term.",
)

LOCATION_OPTIONS = {"a": "one bowl in each direction",
                    "b": "forward: one bowl; reverse: two bowls",
                    "c": "forward: two bowls; reverse: one bowl",
                    "d": "two bowls in each direction"}


def _location_bowls() -> str:
    theta = np.linspace(0, 20, 401)                 # the notebook's grid
    bump = discretized_gaussian(X, theta, 2.0)
    p = _tiled(_two_bumps(0.5), len(theta))
    fwd = len(local_minima(kl_divergence(p, bump)))
    rev = len(local_minima(kl_divergence(bump, p)))
    key = {(1, 1): "a", (1, 2): "b", (2, 1): "c", (2, 2): "d"}.get((fwd, rev))
    if key is None:
        raise RuntimeError(f"04.location-bowls: unexpected bowl counts {(fwd, rev)}")
    return key


register_prediction(
    "04.location-bowls",
    kind="choice",
    options=LOCATION_OPTIONS,
    answer=_location_bowls,
    explain="The reverse divergence charges the model for mass where p has little, so a "
            "narrow bump is best sitting on either mode: two bowls. The forward one charges "
            "for missing any of p's mass, and with a Gaussian bump it stays a single bowl.",
)

# ---------------------------------------------------------------- exercises

LOG_SUM_AB = ([1.0, 2.0, 3.0], [2.0, 2.0, 1.0])


def _log_sum_difference(a, b) -> float:
    s = log_sum_sides(a, b)
    return s.lhs - s.rhs


register(
    "04.log-sum-difference",
    kind="number",
    unit="bits",
    answer=lambda: _log_sum_difference(*LOG_SUM_AB),
    mistakes=[
        Mistake("no-total-factor",
                lambda: kl_divergence(normalize(LOG_SUM_AB[0]), normalize(LOG_SUM_AB[1])),
                "That is the divergence of the normalised lists. The difference of the two "
                "sides is that divergence times the total of a."),
        Mistake("swapped", lambda: _log_sum_difference(LOG_SUM_AB[1], LOG_SUM_AB[0]),
                "That has a and b swapped: a is the list in front of the logarithm."),
    ],
    hint="Left side term by term, right side from the two totals. Or: the difference is a "
         "total times a divergence of two normalised lists.",
)

#: The two coin pairs of exercise 04.chord-gap, and the weight of pair 1.
PAIRS = ([0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4])
LAM = 0.25

register(
    "04.chord-gap",
    kind="number",
    unit="bits",
    answer=lambda: mixture_check(*PAIRS, LAM).gap,
    mistakes=[
        Mistake("mixture-only", lambda: mixture_check(*PAIRS, LAM).mixture,
                "That is the divergence of the mixed pair alone; the gap is the chord minus it."),
        Mistake("chord-only", lambda: mixture_check(*PAIRS, LAM).chord,
                "That is the chord alone; subtract the divergence of the mixed pair."),
        Mistake("weights-swapped", lambda: mixture_check(*PAIRS, 1 - LAM).gap,
                "The weights are on the wrong pairs: the given weight belongs to pair 1."),
    ],
    hint="The chord mixes the two divergences; the curve is the divergence of the mixed "
         "pair. Both use the same weight on pair 1.",
)


def _reverse_mixture_convex() -> str:
    a, b = discretized_gaussian(X, 4.0, 1.0), discretized_gaussian(X, 16.0, 1.0)
    w = np.linspace(0, 1, 401)[:, None]
    curve = kl_divergence(w * a + (1 - w) * b, _tiled(_two_bumps(0.5), len(w)))
    return "a" if np.min(np.diff(curve, 2)) >= -1e-12 else "b"


register(
    "04.reverse-mixture-convex",
    kind="choice",
    answer=_reverse_mixture_convex,
    options={
        "a": ("Yes: q_w moves along a straight segment of distributions, and D is convex in "
              "its first argument (joint convexity with the second argument held fixed)",
              "The weight mixes two fixed distributions, so the reverse divergence inherits "
              "convexity along that segment, whatever p looks like."),
        "b": ("No: the reverse divergence is mode seeking, so it has one bowl per bump of p, "
              "as the Gaussian bump had in section 5",
              "Section 5's two bowls came from *moving* a bump, a curved path through the "
              "distributions. What path does a mixture weight trace, and what does joint "
              "convexity say along it?"),
        "c": ("Yes, but only because a and b are the target's own bumps",
              "Taking the target's own bumps makes the lowest value zero; it is not what makes "
              "the curve convex. Would two other fixed components change the argument?"),
        "d": ("It cannot be decided without plotting the curve",
              "Here a theorem decides it: look at how q_w depends on w."),
    },
    hint="How does q_w depend on w, and which of notebook 04's results applies along such "
         "a path?",
)

#: Exercise 04.forward-mean: an unequal two-bump target, a Gaussian bump of width 2.
ASYM_W1, BUMP_WIDTH = 0.7, 2.0


def _fit(direction: str, bounds=(0.0, 20.0)) -> float:
    p = _two_bumps(ASYM_W1)

    def objective(theta: float) -> float:
        q = discretized_gaussian(X, theta, BUMP_WIDTH)
        return kl_divergence(p, q) if direction == "forward" else kl_divergence(q, p)

    res = minimize_scalar(objective, bounds=bounds, method="bounded",
                          options={"xatol": 1e-10})
    return float(res.x)


def _model_mean(theta: float) -> float:
    return float(discretized_gaussian(X, theta, BUMP_WIDTH) @ X)


register(
    "04.forward-mean",
    kind="number",
    answer=lambda: _model_mean(_fit("forward")),
    mistakes=[
        Mistake("location", lambda: _fit("forward"),
                "That is the fitted location theta; the question asks for the mean of the "
                "fitted bump, which the cut-off at the edges moves slightly."),
        Mistake("mode", lambda: 4.0,
                "That is where p has its larger bump. The forward fit has to cover both bumps."),
        Mistake("midpoint", lambda: 10.0,
                "That is halfway between the bumps; it ignores their unequal weights."),
        Mistake("reverse", lambda: _model_mean(_fit("reverse", (0.0, 10.0))),
                "That is the mean of the reverse fit, which sits on one bump."),
    ],
    hint="Set the derivative of D(p||q_theta) in theta to zero, using the form of "
         "log q_theta in section 5: which two averages must agree?",
)

#: Two pairs with the same likelihood ratios p/q = (2, 1/2, 1) at every outcome.
SAME_RATIO = ([0.4, 0.2, 0.4], [0.2, 0.4, 0.4], [0.2, 0.1, 0.7], [0.1, 0.2, 0.7])


def _equality_case() -> str:
    gaps = [mixture_check(*SAME_RATIO, lam).gap for lam in np.linspace(0, 1, 11)]
    p1, q1, p2, _ = (np.asarray(v) for v in SAME_RATIO)
    differ = not np.allclose(p1, q1) and not np.allclose(p1, p2)
    return "b" if differ and max(abs(g) for g in gaps) < 1e-12 else "c"


register(
    "04.equality-case",
    kind="choice",
    answer=_equality_case,
    options={
        "a": ("Whenever p1 = p2",
              "Then D is convex in q alone, and the gap is usually positive: keep p1 = p2, "
              "take two different q's and compute the gap at one weight."),
        "b": ("Exactly when p1(x)/q1(x) = p2(x)/q2(x) at every outcome: the two pairs have "
              "the same likelihood ratios",
              "The proof applies the log-sum inequality to two terms per outcome, and it is "
              "tight exactly when those terms are proportional: the same ratio p/q in both "
              "pairs, outcome by outcome."),
        "c": ("Only when both pairs agree, p1 = q1 and p2 = q2",
              "That does give equality (both sides are 0), but it is not the only way: when "
              "exactly is the log-sum inequality tight?"),
        "d": ("Whenever D(p1||q1) = D(p2||q2)",
              "Equal end values make the chord flat; the divergence of the mixture below it "
              "can still dip below it."),
    },
    hint="Go back to the proof: when is the log-sum inequality an equality?",
)
