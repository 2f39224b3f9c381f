"""Exercises and predictions of notebook 08 (GANs and the pixel intuition).

The data, generators and images below are the notebook's own; every expected
answer and every mistake value is computed with klcourse when a check runs.
"""

import numpy as np

from klcourse.course.exercises import Mistake, register, register_prediction
from klcourse.generative import pixel_models, pixels
from klcourse.generative.gan import value_at_optimum
from klcourse.generative.objectives import loss_gradients
from klcourse.generative.vi import Mixture1D
from klcourse.measures import js_divergence, kl_divergence, mutual_information

#: The notebook's two-mode data and integration grid.
_DATA = Mixture1D((0.5, 0.5), (-2.0, 2.0), (0.5, 0.5))
_GRID = np.linspace(-16.0, 16.0, 6401)

# Exercise 8.2: two well separated modes of weights 0.7 and 0.3, as two "bins"
_MODES_8_2 = np.array([0.7, 0.3])

# Exercise 8.4: two black-and-white neighbours, uniform, agreeing 90% of the time
_PAIR_8_4 = np.array([[0.45, 0.05], [0.05, 0.45]])
_ROW_8_4 = 32


def _row_saving(n_pairs: int) -> float:
    return n_pairs * mutual_information(_PAIR_8_4)


# ---------------------------------------------------------------- predictions

def _direction_answer() -> str:
    g = loss_gradients(_DATA, 0.7, 1.5, _GRID)
    if abs(g.minimax[0]) < 1e-6 or abs(g.nonsaturating[0]) < 1e-6:
        return "c"
    return "a" if np.sign(g.minimax[0]) == np.sign(g.nonsaturating[0]) else "b"


register_prediction(
    "08.gradient-direction",
    kind="choice",
    options={"a": "both losses move the generator's mean the same way",
             "b": "they move the mean in opposite directions",
             "c": "one of them does not move the mean at all"},
    answer=_direction_answer,
    explain="The minimax loss follows 2 JSD, which here prefers a generator centred between "
            "the modes; the non-saturating loss follows KL(p_g || p_data) - 2 JSD, whose "
            "reverse KL pulls the generator onto the nearer mode.",
)


def _pixel_saving() -> float:
    train = pixels.smooth_images(20, 32, levels=4, smoothness=2.0, seed=0)
    test = pixels.smooth_images(20, 32, levels=4, smoothness=2.0, seed=1)
    ind = pixel_models.fit_pixel_model(train, "independent", levels=4)
    left = pixel_models.fit_pixel_model(train, "left", levels=4)
    return pixel_models.code_length(ind, test) - pixel_models.code_length(left, test)


register_prediction(
    "08.pixel-saving",
    kind="number",
    unit="bits",
    answer=_pixel_saving,
    explain="Nearly the neighbours' mutual information for every pixel that has a left "
            "neighbour (all but the first column), minus a little for fitting the table on "
            "other images.",
)

# ---------------------------------------------------------------- exercises

register(
    "08.disjoint-generator",
    kind="number",
    unit="nats",
    answer=lambda: value_at_optimum([1.0, 0.0], [0.0, 1.0]),
    # the exact answer is 0, where the printed-precision rule (3 significant figures) would
    # demand an exact 0.0: accept anything that prints as 0.0000
    tol=5e-5,
    mistakes=[
        Mistake("perfect-generator", lambda: float(-np.log(4)),
                "That is the value when the generator matches the data (D* = 1/2 "
                "everywhere); here they do not overlap at all."),
        Mistake("jsd-itself", lambda: js_divergence([1.0, 0.0], [0.0, 1.0], base=np.e),
                "That is the Jensen-Shannon divergence itself; the value of the game is "
                "-log 4 + 2 JSD."),
    ],
    hint="Where the data live, what does D* equal, and what is the log of that? And where "
         "the generator's samples live?",
)

register(
    "08.collapsed-jsd",
    kind="number",
    unit="nats",
    answer=lambda: js_divergence(_MODES_8_2, [1.0, 0.0], base=np.e),
    mistakes=[
        Mistake("lighter-mode", lambda: js_divergence(_MODES_8_2, [0.0, 1.0], base=np.e),
                "That is the JSD of a generator that reproduces the lighter mode; the "
                "question has it on the heavier one."),
        Mistake("no-half", lambda: 2 * js_divergence(_MODES_8_2, [1.0, 0.0], base=np.e),
                "You added the two divergences to the midpoint but forgot to halve their sum."),
        Mistake("game-value", lambda: value_at_optimum(_MODES_8_2, [1.0, 0.0]),
                "That is the value of the game, -log 4 + 2 JSD, not the JSD."),
        Mistake("reverse-kl", lambda: kl_divergence([1.0, 0.0], _MODES_8_2, base=np.e),
                "That is KL(p_g || p_data), the reverse KL; the JSD compares both with "
                "their midpoint."),
    ],
    hint="With modes that do not overlap, only the weight of each mode matters: write both "
         "distributions over the two modes, then their midpoint m.",
)


def _mirror_direction() -> str:
    g = loss_gradients(_DATA, -0.7, 1.5, _GRID).nonsaturating[0]
    if abs(g) < 1e-9:
        return "c"
    return "a" if g > 0 else "b"   # descent moves mu against the gradient


register(
    "08.ns-direction",
    kind="choice",
    answer=_mirror_direction,
    options={
        "a": ("The mean decreases, towards the mode at -2.",
              "Right: the mirror image of the computed case; the reverse KL pulls the "
              "generator onto the nearer mode."),
        "b": ("The mean increases, towards the middle at 0.",
              "That is the pull of the minimax loss (the JSD) in the computed case, mirrored; "
              "the non-saturating loss behaves differently."),
        "c": ("The mean does not move: by symmetry the gradient is zero.",
              "The data are symmetric about 0, but a generator at -0.7 is not: the symmetry "
              "maps it to the generator at +0.7, whose gradient the notebook computed and "
              "found far from zero."),
    },
    hint="Reflect the whole picture in x = 0: the data stay the same, the generator at -0.7 "
         "becomes the one the notebook computed.",
)

register(
    "08.row-saving",
    kind="number",
    unit="bits",
    answer=lambda: _row_saving(_ROW_8_4 - 1),
    mistakes=[
        Mistake("every-pixel", lambda: _row_saving(_ROW_8_4),
                "One pixel too many: the first pixel of the row has no left neighbour to "
                "learn from."),
        Mistake("one-pair", lambda: _row_saving(1),
                "That is the saving on one pair of neighbours, not on a whole row."),
        Mistake("cost-not-saving",
                lambda: (_ROW_8_4 - 1) * (1.0 - mutual_information(_PAIR_8_4)) + 1.0,
                "That is what the neighbour model costs for the row, not what it saves "
                "compared with coding every pixel on its own."),
    ],
    hint="Per pixel with a left neighbour, the neighbour model saves a divergence you have "
         "met in this notebook. How many pixels of the row have one?",
)
