"""Exercises and predictions of notebook 05 (fitting a binomial, and other families, by KL).

Every expected answer, mistake value and quantitative choice is computed here
with :mod:`klcourse.fitting` on the space-worm data; nothing is typed in.
"""

import numpy as np

from klcourse.course.exercises import Mistake, register, register_prediction
from klcourse.data import SPACE_WORM_TEETH
from klcourse.fitting import (binomial_family, binomial_pmf, fit_binomial, fit_by_kl,
                              geometric_family, poisson_family, two_block_family, uniform_pmf)
from klcourse.measures import kl_divergence, normalize

TEETH = np.arange(11)
MEAN = float(SPACE_WORM_TEETH @ TEETH)

#: Search interval used for the Poisson rate in the notebook.
POISSON_BOUNDS = (0.0, 30.0)

# ---------------------------------------------------------------- predictions


def _uniform_or_binomial() -> str:
    d_uniform = kl_divergence(SPACE_WORM_TEETH, uniform_pmf(10))
    d_binomial = kl_divergence(SPACE_WORM_TEETH, binomial_pmf(10, MEAN / 10))
    return "a" if d_uniform < d_binomial else "b"


register_prediction(
    "05.uniform-or-binomial",
    kind="choice",
    options={"a": "the uniform loses fewer bits",
             "b": "the binomial with the observed mean loses fewer bits",
             "c": "they lose the same number of bits"},
    answer=_uniform_or_binomial,
    explain="The mean-matched binomial is far narrower than the worms: it gives the "
            "common counts 0-1 and 9-10 almost no probability, and the forward divergence "
            "charges heavily for that. The crude uniform is never badly wrong.",
)

#: The 20 worms of the notebook's small sample (seed 2).
SMALL_SEED, SMALL_SIZE = 2, 20


def _small_sample() -> np.ndarray:
    rng = np.random.default_rng(SMALL_SEED)
    sample = rng.choice(TEETH, size=SMALL_SIZE, p=SPACE_WORM_TEETH)
    return normalize(np.bincount(sample, minlength=11))


def _reverse_on_zeros() -> str:
    try:
        p = fit_binomial(_small_sample(), direction="reverse").p
    except ValueError:
        return "c"
    return "b" if p in (0.0, 1.0) else "a"


register_prediction(
    "05.reverse-zeros",
    kind="choice",
    options={"a": "near the forward fit, a little lower, as with the full data",
             "b": "at an end of the interval, p = 0 or p = 1",
             "c": "nowhere: no binomial has a finite reverse divergence, so the fit fails"},
    answer=_reverse_on_zeros,
    explain="Inside (0, 1) every binomial covers the unseen counts and pays infinity. Only "
            "a point mass at an end avoids them, and here one end, 10 teeth, was observed.",
)

# ---------------------------------------------------------------- exercises


def _poisson_fit():
    return fit_by_kl(SPACE_WORM_TEETH, poisson_family(10), POISSON_BOUNDS)


register(
    "05.poisson-direction",
    kind="choice",
    answer=lambda: "b" if _poisson_fit().param > MEAN else ("c" if _poisson_fit().param < MEAN
                                                             else "a"),
    options={
        "a": ("Equal: a Poisson's mean is its rate, and the forward fit matches the observed "
              "mean, so the rate is the observed mean",
              "The forward fit does match the mean, but the mean of the *model*, a Poisson "
              "cut off at 10 teeth and renormalised. Is that model's mean still its rate?"),
        "b": ("Larger: cutting off the tail above 10 lowers the model's mean below its rate, "
              "so the rate must exceed the observed mean",
              "Cutting off the tail removes only large counts, so the truncated model's "
              "mean sits below its rate, and the fitted rate lies above the observed mean."),
        "c": ("Smaller: the worms' heavy right shoulder is cut off at 10, so the fit settles "
              "on a rate below the observed mean",
              "A heavy right shoulder pulls a mean-matching fit to the right, not the left. "
              "What does renormalising on 0..10 do to the model's mean?"),
    },
    hint="The forward fit of this family makes the model's mean equal the observed mean. "
         "How does the truncated model's mean compare with its rate?",
)

register(
    "05.poisson-lam",
    kind="number",
    answer=lambda: _poisson_fit().param,
    mistakes=[
        Mistake("observed-mean", lambda: MEAN,
                "That is the observed mean itself. The fitted model's mean equals it; its "
                "rate does not, because the model is cut off at 10 teeth."),
        Mistake("divergence", lambda: _poisson_fit().divergence,
                "That is the divergence of the fitted model, not its parameter."),
        Mistake("reverse", lambda: fit_by_kl(SPACE_WORM_TEETH, poisson_family(10),
                                            POISSON_BOUNDS, direction="reverse").param,
                "That is the minimiser of the reverse divergence D(model || observed); the "
                "exercise asks for the forward fit."),
    ],
    hint="Find the rate at which the truncated model's mean equals the observed mean.",
)


def _extra_bits(per: int) -> float:
    d_binomial = fit_binomial(SPACE_WORM_TEETH).divergence
    return per * (d_binomial - _poisson_fit().divergence)


register(
    "05.poisson-saving",
    kind="number",
    unit="bits",
    answer=lambda: _extra_bits(100),
    mistakes=[
        Mistake("per-worm", lambda: _extra_bits(1),
                "That is the saving per worm; the question asks for all 100 worms."),
        Mistake("poisson-only", lambda: 100 * _poisson_fit().divergence,
                "That is what the Poisson code wastes on 100 worms against the best possible "
                "code, not what it saves against the binomial code."),
        Mistake("binomial-only", lambda: 100 * fit_binomial(SPACE_WORM_TEETH).divergence,
                "That is what the binomial code wastes on 100 worms against the best "
                "possible code; subtract what the Poisson code still wastes."),
    ],
    hint="Each code costs H(o) + D(o || model) bits per worm. What is left of the "
         "difference once H(o) cancels, and how many worms are there?",
)


def _two_block_fit():
    return fit_by_kl(SPACE_WORM_TEETH, two_block_family(10, 6), (0, 1))


register(
    "05.two-block-w",
    kind="number",
    answer=lambda: _two_block_fit().param,
    mistakes=[
        Mistake("lower-block", lambda: 1 - _two_block_fit().param,
                "That is the share of the lower block, 0-5 teeth; w is the upper block's."),
        Mistake("uniform-share", lambda: 5 / 11,
                "That is the share the uniform gives to 6-10 teeth, not the best share."),
        Mistake("counts", lambda: 100 * _two_block_fit().param,
                "That is a number of worms out of the 100, a count; w is a probability, the "
                "upper block's share."),
        Mistake("per-count", lambda: _two_block_fit().param / 5,
                "That is the probability of one count in the upper block; w is the block's "
                "total."),
    ],
    hint="Inside each block the model is flat, so only the two block totals are free. "
         "What total does the forward fit give a block?",
)


def _geometric_choice() -> str:
    theta = fit_by_kl(SPACE_WORM_TEETH, geometric_family(10), (0, 1)).param
    if theta <= 1e-6:
        return "a"
    return "d" if theta >= 1 - 1e-6 else "b"


register(
    "05.geometric-theta",
    kind="choice",
    answer=_geometric_choice,
    options={
        "a": ("theta = 0, the flat member: every theta > 0 lowers the model's mean, and even "
              "the flat member's mean is below the worms'",
              "The model's mean falls as theta grows, so the closest member is the "
              "one with the largest mean, the uniform, at the edge of the family."),
        "b": ("the theta whose model mean equals the observed mean, since the forward fit of "
              "this family matches means",
              "Mean matching needs a member whose mean is as large as the worms'. Compute "
              "the mean of the flattest member: is any member's mean large enough?"),
        "c": ("a theta between 0.05 and 0.2, where the geometric's decay looks most like the "
              "worms' right shoulder",
              "Sketch a few members next to the worms' bars: which way does each tilt, "
              "and which way do the worms lean?"),
        "d": ("theta = 1, the point mass at 0 teeth, the most concentrated member",
              "The point mass at 0 gives probability zero to counts the worms have: an "
              "infinite forward divergence."),
    },
    hint="Compare the mean of the flattest member of the family with the observed mean.",
)


def _forward_divergences() -> dict[str, float]:
    """The least forward divergence (bits) each model of the notebook achieves."""
    return {
        "a": kl_divergence(SPACE_WORM_TEETH, uniform_pmf(10)),
        "b": fit_by_kl(SPACE_WORM_TEETH, binomial_family(10), (0, 1)).divergence,
        "c": _poisson_fit().divergence,
        "d": _two_block_fit().divergence,
    }


register(
    "05.best-model",
    kind="choice",
    answer=lambda: min(_forward_divergences().items(), key=lambda kv: kv[1])[0],
    options={
        "a": ("the uniform", "The uniform has no parameter to tune, and another model here "
              "contains it as a special case."),
        "b": ("the binomial with its best p", "No binomial on 0..10 can be as spread out as "
              "the worms: its variance is at most a quarter of 10."),
        "c": ("the truncated Poisson with its best rate", "Its variance can grow with "
              "its rate, so it can be nearly as spread out as the worms, and it still "
              "follows the hump."),
        "d": ("the two-block model with its best w", "Two flat blocks can match the worms' "
              "mass on 0-5 and 6-10, but not the hump inside each block."),
    },
    hint="Compare the least forward divergence D(observed || model) of each family.",
)
