"""The exact slack of KL's triangle inequality, for any number of outcomes.

For distributions p, u, q with ``D(p||q)`` finite, the detour through u is
longer or shorter than the direct route by exactly

    D(p||u) + D(u||q) - D(p||q) = sum_x (u(x) - p(x)) log(u(x) / q(x)).

Derivation: write out the three sums; the ``p log p`` terms cancel, leaving
``sum p log(q/u) + sum u log(u/q)``, which is the sum above. So the triangle
inequality fails exactly when the step ``u - p`` is, on average, negatively
aligned with the log-ratio ``log(u/q)``. Notebook 03 uses the rule to show that
every u strictly between p and q breaks the inequality, and that for coins
these are the only triples that do.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from klcourse._validation import (Result, _check_entries_and_sums, _index, _log_base, _prepare,
                                  _same_shape)

__all__ = ["detour_slack"]


def detour_slack(p: ArrayLike, u: ArrayLike, q: ArrayLike, *, base: float = 2) -> Result:
    r"""The triangle slack ``D(p||u) + D(u||q) - D(p||q)``, from the one-sum rule.

    .. math::

        D(p\|u) + D(u\|q) - D(p\|q) = \sum_x \big(u(x) - p(x)\big)\log\frac{u(x)}{q(x)}

    A negative value means the detour through u is shorter: the triangle
    inequality fails. Outcomes with ``u(x) = p(x) = 0`` contribute 0; an
    outcome with ``u(x) = 0 < p(x)`` makes ``D(p||u)``, hence the slack,
    ``+inf``.

    Parameters
    ----------
    p, u, q : array_like
        Distributions of the same shape (outcomes on the last axis, other
        axes a batch).
    base : float, optional
        Logarithm base, 2 (bits) by default; ``np.e`` for nats.

    Returns
    -------
    float or ndarray
        The slack, one value per distribution in the batch.

    Raises
    ------
    ValueError
        If ``D(p||q)`` is infinite (``q(x) = 0 < p(x)`` somewhere): then the
        detour is infinite too, the inequality holds as ``inf <= inf``, and
        the difference is undefined.

    Examples
    --------
    The middle coin of notebook 03, checked against the three divergences:

    >>> from klcourse import kl_divergence
    >>> p, u, q = [0.1, 0.9], [0.5, 0.5], [0.9, 0.1]
    >>> round(detour_slack(p, u, q), 6)
    -1.26797
    >>> round(kl_divergence(p, u) + kl_divergence(u, q) - kl_divergence(p, q), 6)
    -1.26797
    """
    func = "detour_slack"
    pa, ua, qa = (_prepare(x, name, func, -1) for x, name in ((p, "p"), (u, "u"), (q, "q")))
    _same_shape(pa, ua, func, ("p", "u"))
    _same_shape(pa, qa, func, ("p", "q"))
    for arr, name in ((pa, "p"), (ua, "u"), (qa, "q")):
        _check_entries_and_sums(arr, name, func, -1)
    log_base = _log_base(base, func)
    rules_out = (qa == 0) & (pa > 0)
    if rules_out.any():
        raise ValueError(
            f"{func}: D(p||q) is infinite (q = 0 < p at index {_index(qa, rules_out)}), so the "
            "detour is infinite too and the triangle inequality holds as inf <= inf; "
            "the slack inf - inf is undefined. Use distributions with D(p||q) finite."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = (ua - pa) * np.log(ua / qa)
    terms = np.where((ua == 0) & (pa == 0), 0.0, terms)     # 0 log 0 = 0: nothing moves there
    out = np.sum(terms, axis=-1) / log_base
    return float(out) if np.ndim(out) == 0 else out
