"""Course tooling, kept apart from the mathematics.

* :func:`check`, :func:`predict`, :func:`reveal` (and the rest of
  :mod:`klcourse.course.exercises`): the self-checks and predictions the
  notebooks call;
* :mod:`klcourse.course.environment`: ``doctor()``, the set-up check;
* :mod:`klcourse.course.notebook_tools`: regenerate outputs, navigation;
* :mod:`klcourse.course.handouts`: student copies, the HTML edition, slides;
* :mod:`klcourse.course.cli`: ``python -m klcourse COMMAND``.

Nothing here computes a divergence: the maths lives in ``klcourse`` itself.
"""

from klcourse.course.environment import doctor
from klcourse.course.exercises import check, predict, reveal

__all__ = ["check", "predict", "reveal", "doctor"]
