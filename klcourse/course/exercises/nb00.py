"""Exercises of notebook 00 (start here)."""

import numpy as np

from klcourse.course.exercises import register
from klcourse.measures import entropy

register(
    "00.fair-d8",
    answer=lambda: entropy(np.full(8, 1 / 8)),
    hint="eight equally likely outcomes; how many yes/no questions pin one down?",
    unit="bits",
)
