"""klcourse: the companion library of a Jupyter course on the Kullback-Leibler divergence.

The information measures are available at the top level::

    >>> import klcourse
    >>> klcourse.kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0

Everything else lives in small modules, one idea each: ``klcourse.coding``,
``klcourse.fitting``, ``klcourse.plots``, ``klcourse.widgets``,
``klcourse.exercises`` and so on. Units are bits unless ``base=`` says
otherwise.
"""

from klcourse._versions import __version__
from klcourse.environment import doctor
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
