"""f-divergences: ``D_f(p || q) = sum_x q(x) f(p(x) / q(x))`` for a convex f with f(1) = 0.

KL, reverse KL, Jeffreys, Jensen-Shannon, total variation, squared Hellinger,
Pearson and Neyman chi-squared are all members of this family. The functions
here follow the conventions of :mod:`klcourse.measures` (which re-exports
them): distributions along `axis`, no broadcasting or renormalising, the same
error messages.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse._validation import (
    Result,
    _finish,
    _index,
    _log_base,
    _pair,
)

# ---------------------------------------------------------------- f-divergences
#
# D_f(p || q) = sum_x q(x) f(p(x) / q(x)) for a convex f with f(1) = 0.
# Units: a generator written with natural logarithms (KL, Jensen-Shannon, ...)
# gives nats, converted to `base` like every other measure here. A generator
# without a logarithm (total variation, Hellinger, chi-squared) gives a pure
# number that is the same in every base, so `base` cannot change it; the
# named members of that kind therefore take no `base` argument at all.


@dataclass(frozen=True)
class FGenerator:
    """The generator ``f`` of an f-divergence, with its two boundary limits.

    ``D_f(p || q) = sum_x q(x) f(p(x) / q(x))`` needs ``f`` only at ratios
    ``t = p/q > 0``. The outcomes where ``p`` or ``q`` vanishes use limits:

    * ``q(x) > 0 = p(x)`` contributes ``q(x) * f(0+)`` (`f_at_zero`);
    * ``p(x) > 0 = q(x)`` contributes ``p(x) * lim_{t->inf} f(t)/t``
      (`slope_at_infinity`), the limit of ``q f(p/q)`` as ``q -> 0``;
    * ``p(x) = q(x) = 0`` contributes 0 (the outcome is impossible under both).

    Parameters
    ----------
    f : callable
        Convex on ``t > 0`` with ``f(1) = 0``, vectorised: called with a float64
        array of ratios, it returns an array of the same shape (use ``np.log``,
        not ``math.log``).
    logarithmic : bool
        True when `f` is written with natural logarithms: the divergence is
        then in nats and ``base=`` converts it. False for a log-free generator:
        the divergence is a pure number, the same in every base.
    f_at_zero : float or None, optional
        ``lim_{t->0+} f(t)``, possibly ``inf``. None: use ``f(0.0)`` (which
        must then be the limit, not NaN).
    slope_at_infinity : float or None, optional
        ``lim_{t->inf} f(t)/t``, possibly ``inf``. None: unknown, and an input
        with ``p(x) > 0 = q(x)`` is refused instead of guessed.
    name : str, optional
        Used in error messages.
    term : callable or None, optional
        ``term(p, q)``: ``q f(p/q)`` for arrays with ``p, q > 0``, computed
        without forming ``p/q`` (e.g. ``p * (log p - log q)`` for KL). Optional;
        it keeps full accuracy when ``q`` is so small (subnormal) that ``p/q``
        overflows. Without it such an input is refused unless
        `slope_at_infinity` is finite.

    Examples
    --------
    The KL generator ``t log t``, declared by hand (it is also built in as
    ``F_GENERATORS["kl"]``):

    >>> import numpy as np
    >>> from klcourse.measures import FGenerator, f_divergence
    >>> g = FGenerator(lambda t: t * np.log(t), logarithmic=True, f_at_zero=0.0,
    ...                slope_at_infinity=np.inf, name="t log t")
    >>> round(f_divergence([0.5, 0.5], [0.9, 0.1], g), 4)
    0.737
    """

    f: Callable[[NDArray[np.float64]], Any]
    logarithmic: bool
    f_at_zero: float | None = None
    slope_at_infinity: float | None = None
    name: str = "f"
    term: Callable[[NDArray[np.float64], NDArray[np.float64]], Any] | None = None


# klcourse/__init__ imports measures first, which defines _log_ratio (log(p/q),
# exact for nearly equal p and q) before it imports this module.
from klcourse.measures import _log_ratio  # noqa: E402


def _kl_gen(t: NDArray) -> NDArray:
    return t * np.log(t)


def _reverse_kl_gen(t: NDArray) -> NDArray:
    return -np.log(t)


def _jeffreys_gen(t: NDArray) -> NDArray:
    return (t - 1.0) * np.log(t)


def _js_gen(t: NDArray) -> NDArray:
    # JS(p, q) = sum q f(p/q) with f(t) = (t log(2t/(1+t)) + log(2/(1+t))) / 2.
    return 0.5 * (t * np.log(2.0 * t / (1.0 + t)) + np.log(2.0 / (1.0 + t)))


def _tv_gen(t: NDArray) -> NDArray:
    return 0.5 * np.abs(t - 1.0)


def _hellinger_gen(t: NDArray) -> NDArray:
    return 0.5 * (np.sqrt(t) - 1.0) ** 2


def _chi2_gen(t: NDArray) -> NDArray:
    return (t - 1.0) ** 2


def _neyman_chi2_gen(t: NDArray) -> NDArray:
    return (t - 1.0) ** 2 / t


_LOG2 = math.log(2)

#: The built-in generators, by name. Each passes ``f_divergence`` the limits
#: ``f(0+)`` and ``lim f(t)/t``, so zeros in `p` or `q` are handled exactly.
F_GENERATORS: dict[str, FGenerator] = {
    "kl": FGenerator(_kl_gen, True, 0.0, math.inf, "kl: t log t",
                     lambda p, q: p * _log_ratio(p, q)),
    "reverse_kl": FGenerator(_reverse_kl_gen, True, math.inf, 0.0, "reverse_kl: -log t",
                             lambda p, q: q * _log_ratio(q, p)),
    "jeffreys": FGenerator(_jeffreys_gen, True, math.inf, math.inf, "jeffreys: (t-1) log t",
                           lambda p, q: (p - q) * _log_ratio(p, q)),
    "js": FGenerator(_js_gen, True, 0.5 * _LOG2, 0.5 * _LOG2,
                     "js: (t log(2t/(1+t)) + log(2/(1+t))) / 2",
                     lambda p, q: 0.5 * (p * _log_ratio(2 * p, p + q, p - q)
                                         + q * _log_ratio(2 * q, p + q, q - p))),
    "tv": FGenerator(_tv_gen, False, 0.5, 0.5, "tv: |t-1| / 2",
                     lambda p, q: 0.5 * np.abs(p - q)),
    "hellinger_squared": FGenerator(_hellinger_gen, False, 0.5, 0.5,
                                    "hellinger_squared: (sqrt(t)-1)^2 / 2",
                                    lambda p, q: 0.5 * (np.sqrt(p) - np.sqrt(q)) ** 2),
    "chi2": FGenerator(_chi2_gen, False, 1.0, math.inf, "chi2: (t-1)^2",
                       lambda p, q: (p - q) ** 2 / q),
    "neyman_chi2": FGenerator(_neyman_chi2_gen, False, math.inf, 1.0, "neyman_chi2: (t-1)^2 / t",
                              lambda p, q: (p - q) ** 2 / p),
}

# Ratios at which a generator is spot-checked for f(1) = 0 and convexity.
_CONVEXITY_GRID = np.unique(np.concatenate([np.geomspace(1e-3, 1e3, 48), [1.0]]))


def _call_generator(gen: FGenerator, t: NDArray, func: str) -> NDArray[np.float64]:
    """Evaluate gen.f on an array of ratios, refusing non-vectorised or NaN output."""
    try:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = np.asarray(gen.f(t), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{func}: calling the generator {gen.name!r} on an array of ratios failed ({exc}); "
            "f must be vectorised: use numpy functions such as np.log and np.abs, "
            "not math.log or if/else on t"
        ) from exc
    if out.shape != t.shape:
        raise TypeError(
            f"{func}: the generator {gen.name!r} returned shape {out.shape} for ratios of "
            f"shape {t.shape}; f must be vectorised (elementwise on an array)"
        )
    return out


def _call_term(gen: FGenerator, p: NDArray, q: NDArray, func: str) -> NDArray[np.float64]:
    """Evaluate gen.term(p, q) (p, q > 0), refusing NaN or a wrong shape."""
    out = np.asarray(gen.term(p, q), dtype=np.float64)  # type: ignore[misc]
    if out.shape != p.shape:
        raise TypeError(f"{func}: term of the generator {gen.name!r} returned shape {out.shape} "
                        f"for inputs of shape {p.shape}; it must be elementwise")
    if np.isnan(out).any():
        raise ValueError(f"{func}: term of the generator {gen.name!r} returned NaN; "
                         "it must be defined for every p, q > 0")
    return out


def _resolve_generator(f: Any, func: str) -> FGenerator:
    if isinstance(f, FGenerator):
        return f
    if isinstance(f, str):
        try:
            return F_GENERATORS[f]
        except KeyError:
            close = difflib.get_close_matches(f, list(F_GENERATORS), n=2)
            tip = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ValueError(
                f"{func}: unknown generator {f!r}; the built-in ones are "
                f"{', '.join(map(repr, F_GENERATORS))}, or pass an FGenerator.{tip}"
            ) from None
    if callable(f):
        raise TypeError(
            f"{func}: a plain function does not say whether it is written with a logarithm, "
            "so base= cannot be applied safely; wrap it: FGenerator(f, logarithmic=True) "
            "(natural logs; the result is converted from nats to base) or "
            "FGenerator(f, logarithmic=False) (no logarithm; base has no effect), "
            "adding slope_at_infinity=lim f(t)/t if q has zeros where p does not"
        )
    raise TypeError(f"{func}: f must be a generator name such as 'kl' or an FGenerator, "
                    f"got {f!r}")


def _check_generator(gen: FGenerator, func: str) -> float:
    """Spot-check f(1) = 0 and convexity on a grid; return f(0+)."""
    t = _CONVEXITY_GRID
    vals = _call_generator(gen, t, func)
    f1 = float(vals[np.searchsorted(t, 1.0)])
    if not abs(f1) <= 1e-12:
        raise ValueError(
            f"{func}: the generator {gen.name!r} has f(1) = {f1:g}, not 0; "
            "subtract the constant (use f(t) - f(1)) so that D_f(p || p) = 0"
        )
    if not np.all(np.isfinite(vals)):
        bad = t[~np.isfinite(vals)][0]
        raise ValueError(f"{func}: the generator {gen.name!r} is not finite at t = {bad:g}; "
                         "f must be finite for every ratio t > 0")
    slopes = np.diff(vals) / np.diff(t)
    dips = np.diff(slopes) < -1e-8 * (1.0 + np.abs(slopes[:-1]) + np.abs(slopes[1:]))
    if dips.any():
        where = float(t[1:-1][dips][0])
        raise ValueError(
            f"{func}: the generator {gen.name!r} is not convex (its slope decreases near "
            f"t = {where:g}); an f-divergence needs a convex f, otherwise the sum can be "
            "negative and is not a divergence"
        )
    if gen.f_at_zero is not None:
        f0 = float(gen.f_at_zero)
    else:
        f0 = float(_call_generator(gen, np.zeros(1), func)[0])
    if math.isnan(f0) or f0 == -math.inf:
        raise ValueError(
            f"{func}: the generator {gen.name!r} gives f(0) = {f0}; give the limit of f(t) "
            "as t -> 0+ with FGenerator(..., f_at_zero=...) (it may be inf)"
        )
    if gen.slope_at_infinity is not None and math.isnan(float(gen.slope_at_infinity)):
        raise ValueError(f"{func}: slope_at_infinity of {gen.name!r} is NaN; give "
                         "lim f(t)/t as t -> inf (it may be inf) or None if unknown")
    return f0


def f_divergence(p: ArrayLike, q: ArrayLike, f: str | FGenerator, *, base: float = 2,
                 axis: int = -1) -> Result:
    """The f-divergence ``D_f(p || q) = sum_x q(x) f(p(x) / q(x))``.

    For a convex generator ``f`` with ``f(1) = 0``, Jensen's inequality gives
    ``D_f(p || q) >= 0`` with equality when ``p = q``. Different generators
    give KL (``t log t``), reverse KL (``-log t``), Jensen-Shannon, total
    variation (``|t - 1| / 2``), squared Hellinger (``(sqrt(t) - 1)^2 / 2``) and
    Pearson's chi-squared (``(t - 1)^2``); see :data:`F_GENERATORS`.

    Conventions where a probability vanishes (the limits of ``q f(p/q)``):

    * ``p(x) = q(x) = 0``: contributes 0 (``0 f(0/0) = 0``);
    * ``q(x) > 0 = p(x)``: contributes ``q(x) f(0+)``, ``inf`` if ``f(0+)`` is
      (reverse KL of a `p` that misses part of `q`'s support);
    * ``p(x) > 0 = q(x)``: contributes ``p(x) lim_{t->inf} f(t)/t``, ``inf``
      for KL and chi-squared, ``p(x)/2`` for total variation and Hellinger.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`, validated as everywhere
        in :mod:`klcourse.measures` (never broadcast or renormalised).
    f : str or FGenerator
        A name from :data:`F_GENERATORS` (``"kl"``, ``"reverse_kl"``,
        ``"jeffreys"``, ``"js"``, ``"tv"``, ``"hellinger_squared"``, ``"chi2"``,
        ``"neyman_chi2"``) or an :class:`FGenerator`. A plain function is
        refused: it does not say whether it contains a logarithm, which decides
        what `base` means.
    base : float, optional
        For a logarithmic generator (natural logs inside ``f``), the base of the
        result's unit: 2 (bits, the default) or ``np.e`` (nats). A generator
        without a logarithm gives a pure number, identical for every base.
    axis : int, optional
        Axis holding the distributions; other axes are a batch.

    Returns
    -------
    float or ndarray
        ``D_f(p || q) >= 0``, possibly ``inf``.

    Raises
    ------
    ValueError
        Invalid distributions; a generator with ``f(1) != 0``, non-convex on a
        spot-check grid, NaN at 0; ``p(x) > 0 = q(x)`` with an unknown
        ``slope_at_infinity``; ``q f(p/q)`` overflowing for a tiny ``q`` with a
        generator that has neither a ``term`` nor a finite slope at infinity.
    TypeError
        Non-numeric input, a plain function or a non-vectorised generator.

    Examples
    --------
    >>> from klcourse.measures import f_divergence, kl_divergence, total_variation
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> round(f_divergence(p, q, "kl"), 12) == round(kl_divergence(p, q), 12)
    True
    >>> round(f_divergence(p, q, "tv"), 4), round(total_variation(p, q), 4)
    (0.4, 0.4)
    >>> f_divergence([0.5, 0.5], [1.0, 0.0], "kl")
    inf
    >>> f_divergence([1.0, 0.0], [0.0, 1.0], "js")
    1.0
    """
    func = "f_divergence"
    lb = _log_base(base, func)
    gen = _resolve_generator(f, func)
    pa, qa = _pair(p, q, func, axis)
    f0 = _check_generator(gen, func)

    both = (pa > 0) & (qa > 0)
    only_q = (pa == 0) & (qa > 0)
    only_p = (pa > 0) & (qa == 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if gen.term is not None:
            terms = _call_term(gen, np.where(both, pa, 1.0), np.where(both, qa, 1.0), func)
            terms = np.where(both, terms, 0.0)
        else:
            t = np.where(both, pa / np.where(qa > 0, qa, 1.0), 1.0)
            vals = _call_generator(gen, t, func)
            if np.isnan(vals[both]).any():
                bad = float(t[both][np.isnan(vals[both])][0])
                raise ValueError(f"{func}: the generator {gen.name!r} returned NaN at the ratio "
                                 f"t = p/q = {bad:g}; f must be defined for every t > 0")
            terms = np.where(both, qa * vals, 0.0)
            # f is finite for t > 0, so an infinite ratio or value is an overflow
            # (q tiny): then q f(p/q) = p f(t)/t with t near the float range.
            overflow = both & (np.isinf(t) | np.isinf(vals))
            if overflow.any():
                s_inf = gen.slope_at_infinity
                if s_inf is None or math.isinf(float(s_inf)):
                    raise ValueError(
                        f"{func}: q f(p/q) overflows in floating point (q = "
                        f"{float(qa[overflow][0]):g} at index {_index(qa, overflow)}) and the "
                        f"generator {gen.name!r} has no finite slope_at_infinity to take the "
                        "limit; give FGenerator(..., term=...) computing q f(p/q) without "
                        "the ratio"
                    )
                terms = np.where(overflow, pa * float(s_inf), terms)
        if only_q.any():
            terms = np.where(only_q, qa * f0 if f0 != math.inf else math.inf, terms)
        if only_p.any():
            if gen.slope_at_infinity is None:
                raise ValueError(
                    f"{func}: q is 0 where p > 0 (q at index {_index(qa, only_p)}); the term "
                    "there is p * lim f(t)/t as t -> inf, which the generator "
                    f"{gen.name!r} does not declare: pass FGenerator(..., "
                    "slope_at_infinity=...) (inf for KL-like generators)"
                )
            s = float(gen.slope_at_infinity)
            terms = np.where(only_p, pa * s if s != math.inf else math.inf, terms)
        out = terms.sum(axis=-1)
    _check_not_negative(out, terms, pa, qa, gen, func)
    return _finish(out, lb if gen.logarithmic else 1.0)  # tiny round-off below 0 -> 0


#: Round-off allowed below 0 before a negative D_f counts as a non-convex f,
#: in units of the float epsilon times the size of the terms (see below).
ROUND_OFF_ULPS = 64


def _check_not_negative(out: NDArray, terms: NDArray, p: NDArray, q: NDArray,
                        gen: FGenerator, func: str) -> None:
    """Refuse a genuinely negative D_f; round-off just below 0 is not an error.

    Jensen gives ``D_f >= f(sum p / sum q) sum q``, 0 only when both sums are
    exactly 1, so the allowance is ``|f'(1)|`` times their (validated, tiny)
    difference, plus ``ROUND_OFF_ULPS * eps * sum_x (p + q + |q f(p/q)|)``:
    each term is a difference of numbers of size about ``p + q``, and nearly
    equal distributions give terms that cancel down to ~1e-20. Only a sum
    further below 0 than that is reported.
    """
    eps = np.finfo(float).eps
    h = 1e-4
    near_one = _call_generator(gen, np.array([1.0 - h, 1.0 + h]), func)
    slope_at_one = float(np.max(np.abs(near_one))) / h
    scale = np.abs(terms).sum(axis=-1)
    size = (p + q).sum(axis=-1) + np.where(np.isfinite(scale), scale, 0.0)
    sum_gap = np.abs(p.sum(axis=-1) - q.sum(axis=-1))
    allowance = slope_at_one * sum_gap + ROUND_OFF_ULPS * eps * size
    if np.any(out < -allowance):
        worst = float(np.min(out + allowance))
        raise ValueError(f"{func}: the generator {gen.name!r} gave a negative divergence "
                         f"({worst:.3g} beyond round-off); it cannot be convex with f(1) = 0")


def _hellinger_squared(pa: NDArray, qa: NDArray) -> Result:
    """``sum (sqrt(p) - sqrt(q))^2 / 2`` over the last axis, clipped to [0, 1]; inputs validated."""
    return _finish(0.5 * ((np.sqrt(pa) - np.sqrt(qa)) ** 2).sum(axis=-1), 1.0, upper=1.0)


def total_variation(p: ArrayLike, q: ArrayLike, *, axis: int = -1) -> Result:
    """Total variation distance ``TV(p, q) = sum_x |p(x) - q(x)| / 2 = max_A |P(A) - Q(A)|``.

    The largest difference in probability the two distributions give any
    event; a metric with values in ``[0, 1]`` (1 exactly for disjoint
    supports). It is the f-divergence of ``f(t) = |t - 1| / 2``. There is no
    logarithm, so the value has no unit and there is no `base` argument.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`.
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``0 <= TV(p, q) <= 1``.

    Examples
    --------
    >>> from klcourse.measures import total_variation
    >>> round(total_variation([0.5, 0.5], [0.9, 0.1]), 4)
    0.4
    >>> total_variation([1.0, 0.0], [0.0, 1.0])
    1.0
    """
    pa, qa = _pair(p, q, "total_variation", axis)
    return _finish(0.5 * np.abs(pa - qa).sum(axis=-1), 1.0, upper=1.0)


def hellinger_squared(p: ArrayLike, q: ArrayLike, *, axis: int = -1) -> Result:
    """Squared Hellinger distance ``H^2(p, q) = 1 - sum_x sqrt(p(x) q(x))``.

    Normalised to lie in ``[0, 1]``: ``H^2 = sum_x (sqrt(p) - sqrt(q))^2 / 2 =
    1 - BC(p, q)``, with ``BC`` the Bhattacharyya coefficient (some texts drop
    the 1/2 and get values in ``[0, 2]``). The f-divergence of
    ``f(t) = (sqrt(t) - 1)^2 / 2``. Computed as the sum of squares, which stays
    accurate when `p` and `q` are close (``1 - BC`` would cancel). No logarithm,
    so no `base` argument.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`.
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``0 <= H^2 <= 1`` (1 exactly for disjoint supports).

    Examples
    --------
    >>> from klcourse.measures import hellinger_squared
    >>> round(hellinger_squared([0.5, 0.5], [0.9, 0.1]), 4)
    0.1056
    >>> hellinger_squared([1.0, 0.0], [0.0, 1.0])
    1.0
    """
    return _hellinger_squared(*_pair(p, q, "hellinger_squared", axis))


def hellinger_distance(p: ArrayLike, q: ArrayLike, *, axis: int = -1) -> Result:
    """Hellinger distance ``H(p, q) = sqrt(1 - sum_x sqrt(p(x) q(x)))``, a metric in ``[0, 1]``.

    The square root of :func:`hellinger_squared` (same normalisation: the
    Euclidean distance between ``sqrt(p)`` and ``sqrt(q)`` divided by
    ``sqrt(2)``). No logarithm, so no `base` argument.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`.
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``0 <= H <= 1``.

    Examples
    --------
    >>> from klcourse.measures import hellinger_distance
    >>> round(hellinger_distance([0.5, 0.5], [0.9, 0.1]), 4)
    0.325
    """
    h2 = np.asarray(_hellinger_squared(*_pair(p, q, "hellinger_distance", axis)))
    return float(np.sqrt(h2)) if h2.ndim == 0 else np.sqrt(h2)


def chi2_divergence(p: ArrayLike, q: ArrayLike, *, axis: int = -1) -> Result:
    """Pearson's chi-squared divergence ``chi^2(p || q) = sum_x (p(x) - q(x))^2 / q(x)``.

    The f-divergence of ``f(t) = (t - 1)^2``; equal to ``sum p^2/q - 1``.
    Infinite where ``q(x) = 0 < p(x)``; outcomes with ``p(x) = q(x) = 0``
    contribute 0. Related to Rényi's order 2:
    ``D_2(p || q) = log(1 + chi^2(p || q))``. No logarithm, so no `base`
    argument.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis` (`q` the reference).
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``chi^2(p || q) >= 0``, possibly ``inf``.

    Examples
    --------
    >>> from klcourse.measures import chi2_divergence
    >>> round(chi2_divergence([0.5, 0.5], [0.9, 0.1]), 4)
    1.7778
    >>> chi2_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    """
    pa, qa = _pair(p, q, "chi2_divergence", axis)
    # A tiny (subnormal) q can make a term overflow: the value is then inf, honestly.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        terms = np.where(qa > 0, (pa - qa) ** 2 / np.where(qa > 0, qa, 1.0),
                         np.where(pa > 0, np.inf, 0.0))
    return _finish(terms.sum(axis=-1), 1.0)
