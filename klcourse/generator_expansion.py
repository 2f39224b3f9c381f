"""Near t = 1 every smooth f-divergence generator is a linear term plus a quadratic one.

Taylor's theorem at ``t = 1`` (where ``f(1) = 0``):

    f(t) = f'(1) (t - 1) + (1/2) f''(1) (t - 1)^2 + O((t - 1)^3).

The linear term adds nothing to ``D_f(p || q) = sum_x q(x) f(p(x)/q(x))``,
because ``sum_x q(x) (p(x)/q(x) - 1) = sum_x (p(x) - q(x)) = 0``. So for nearby
distributions ``D_f(p || q) ~ (1/2) f''(1) chi2(p || q)``, whatever ``f'(1)`` is:
KL has ``f'(1) = 1`` and reverse KL ``f'(1) = -1``, yet both are ``chi2 / 2``
to second order.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from klcourse.measures import F_GENERATORS

__all__ = ["Expansion", "generator_expansion"]


class Expansion(NamedTuple):
    """``f'(1)`` and ``f''(1)`` of a generator (nats for logarithmic generators)."""

    slope: float
    curvature: float


def generator_expansion(name: str, *, h: float = 1e-4) -> Expansion:
    """``f'(1)`` and ``f''(1)`` of a built-in generator, by central differences of step `h`.

    Parameters
    ----------
    name : str
        A key of :data:`klcourse.measures.F_GENERATORS`. Total variation is
        refused: ``|t - 1| / 2`` has no derivative at 1.
    h : float, optional
        Step of the central differences (error of order ``h^2`` plus round-off
        ``1e-16 / h^2``), in (0, 0.1].

    Returns
    -------
    Expansion

    Examples
    --------
    >>> from klcourse.generator_expansion import generator_expansion
    >>> e = generator_expansion("kl")            # t ln t: f' = ln t + 1, f'' = 1/t
    >>> round(e.slope, 6), round(e.curvature, 6)
    (1.0, 1.0)
    >>> e = generator_expansion("reverse_kl")    # -ln t
    >>> round(e.slope, 6), round(e.curvature, 6)
    (-1.0, 1.0)
    """
    if name not in F_GENERATORS:
        raise ValueError(f"generator_expansion: unknown generator {name!r}; choose from "
                         f"{list(F_GENERATORS)}")
    if name == "tv":
        raise ValueError("generator_expansion: the total-variation generator |t - 1| / 2 has "
                         "a corner at t = 1, so it has no Taylor expansion there")
    if not (isinstance(h, float) and 0 < h <= 0.1 and math.isfinite(h)):
        raise ValueError(f"generator_expansion: h must be a float in (0, 0.1], got {h!r}")
    f = F_GENERATORS[name].f
    lo, mid, hi = (float(v) for v in f(np.array([1.0 - h, 1.0, 1.0 + h])))
    return Expansion((hi - lo) / (2 * h), (hi - 2 * mid + lo) / h**2)
