"""Data shipped with the course (no network at run time).

``SPACE_WORM_TEETH``
    The observed distribution of the number of teeth (0 to 10) of the space
    worms in Will Kurt's post "Kullback-Leibler Divergence Explained" (Count
    Bayesie, 2017), as its bar chart is commonly read and reproduced in public
    notebooks. The post quotes a few numbers (a mean of 5.7, its divergences)
    that this reading does not reproduce exactly; notebook 05 computes
    everything from the values below and says where they differ.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SPACE_WORM_TEETH"]

#: P(teeth = k) for k = 0..10; sums to 1 exactly in decimal.
SPACE_WORM_TEETH: np.ndarray = np.array(
    [0.02, 0.03, 0.05, 0.14, 0.16, 0.15, 0.12, 0.08, 0.10, 0.08, 0.07])
SPACE_WORM_TEETH.setflags(write=False)
from klcourse.data.english import english_letters, letter_frequencies  # noqa: E402,F401
