"""Exercises of notebook 03 (Gibbs' inequality; KL is not a distance)."""

from klcourse.course.exercises import register
from klcourse.inequalities import gibbs_steps, triangle_check
from klcourse.measures import kl_divergence

register(
    "03.reverse-direction",
    answer=lambda: kl_divergence([0.3, 0.3, 0.4], [0.7, 0.2, 0.1]),
    hint="swap the roles: the second distribution is now the truth that weights the log-ratios",
    unit="bits",
)

register(
    "03.jensen-gap",
    answer=lambda: gibbs_steps([0.5, 0.5, 0.0], [0.2, 0.3, 0.5]).jensen_gap,
    hint="only the outcomes where p > 0 enter; the gap is log E_p[q/p] minus E_p[log q/p]",
    unit="bits",
)

register(
    "03.reverse-finite",
    answer=lambda: bool(kl_divergence([0.25, 0.25, 0.5], [0.5, 0.5, 0.0]) < float("inf")),
    hint="which distribution plays the truth, and does it ever produce the outcome the other rules out?",
)

register(
    "03.triangle-slack",
    answer=lambda: triangle_check([0.2, 0.8], [0.35, 0.65], [0.6, 0.4]).slack,
    hint="compute D(p||u) + D(u||q) - D(p||q); a negative number means the detour is shorter",
    unit="bits",
)
