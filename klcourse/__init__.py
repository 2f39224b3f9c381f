"""klcourse: the companion library of a Jupyter course on the Kullback-Leibler divergence.

The information measures are available at the top level::

    >>> import klcourse
    >>> klcourse.kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0

Everything else lives in small modules, one idea each:

* ``klcourse.measures`` / ``klcourse.fdivergences``: entropy, KL, JS, Rényi,
  and the f-divergence family (total variation, Hellinger, chi-squared);
* ``klcourse.coding`` and ``klcourse.arithmetic``: Huffman and arithmetic
  coders that count real bits;
* ``klcourse.inequalities``: Gibbs, log-sum, convexity and triangle checks;
* ``klcourse.fitting``: fitting a model family by minimising KL;
* ``klcourse.likelihood``: log-likelihoods, likelihood ratios and their tests;
* ``klcourse.gaussian`` and ``klcourse.generative``: Gaussian KL, variational
  inference, a small VAE and GAN, and the pixel example;
* ``klcourse.data``: the space-worm teeth and an English text;
* ``klcourse.plots``, ``klcourse.widgets``, ``klcourse.course.exercises``: figures,
  sliders and self-checks for the notebooks.

Units are bits unless ``base=`` says otherwise.
"""

from klcourse._versions import __version__
from klcourse.course.environment import doctor
from klcourse.measures import (
    SUM_TOLERANCE,
    binary_entropy,
    chi2_divergence,
    cross_entropy,
    entropy,
    f_divergence,
    hellinger_distance,
    hellinger_squared,
    js_distance,
    js_divergence,
    kl_divergence,
    mutual_information,
    normalize,
    renyi_divergence,
    total_variation,
)

__all__ = [
    "__version__",
    "doctor",
    "SUM_TOLERANCE",
    "binary_entropy",
    "chi2_divergence",
    "cross_entropy",
    "entropy",
    "f_divergence",
    "hellinger_distance",
    "hellinger_squared",
    "js_distance",
    "js_divergence",
    "kl_divergence",
    "mutual_information",
    "normalize",
    "renyi_divergence",
    "total_variation",
]
