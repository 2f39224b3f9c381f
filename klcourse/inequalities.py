"""The inequalities behind KL: Gibbs via Jensen, the log-sum inequality, triangle and convexity checks.

Each function evaluates one step of a proof, or one side of an inequality,
as numbers, so that a notebook can show every line hold on a concrete
example (Cover & Thomas, *Elements of Information Theory*, 2nd ed., Theorems
2.6.3, 2.7.1 and 2.7.2). Every divergence is computed by
:mod:`klcourse.measures`; this module only arranges the pieces.

* :func:`gibbs_steps` -- the proof of ``D(p||q) >= 0``, line by line.
* :func:`jensen_points` -- ``E[log X]`` against ``log E[X]`` (the picture).
* :func:`log_sum_sides` -- both sides of the log-sum inequality.
* :func:`triangle_check` / :func:`triangle_search` -- does
  ``d(p, q) <= d(p, u) + d(u, q)`` hold, on given or random triples?
* :func:`lies_between` -- for two outcomes, is ``u`` strictly between ``p`` and ``q``?
* :func:`mixture_check` / :func:`random_mixture_check` / :func:`joint_convexity_terms`
  -- joint convexity of ``D`` in the pair ``(p, q)``.
* :func:`discretized_gaussian`, :func:`discretized_cauchy`, :func:`local_minima`
  -- location families whose divergence curves need not be convex.

Conventions are those of :mod:`klcourse.measures`: bits by default
(``base=``), distributions along the last axis, the other axes a batch, no
broadcasting between distributions, no silent renormalising, clear errors.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse._validation import (
    _as_numbers,
    _check_size,
    _check_entries_and_sums,
    _entry_problem,
    _log_base,
    _pair,
    _prepare,
    _same_shape,
)
from klcourse.measures import kl_divergence, normalize

__all__ = [
    "GibbsSteps",
    "gibbs_steps",
    "JensenPoints",
    "jensen_points",
    "LogSum",
    "log_sum_sides",
    "TriangleCheck",
    "triangle_check",
    "TriangleSearch",
    "triangle_search",
    "lies_between",
    "random_distributions",
    "MixtureCheck",
    "mixture_check",
    "random_mixture_check",
    "joint_convexity_terms",
    "discretized_gaussian",
    "discretized_cauchy",
    "local_minima",
]

Divergence = Callable[[NDArray, NDArray], "float | NDArray"]


def _out(x: NDArray) -> float | NDArray:
    x = np.asarray(x, dtype=np.float64)
    return float(x) if x.ndim == 0 else x


# ---------------------------------------------------------------- Gibbs / Jensen


@dataclass(frozen=True)
class GibbsSteps:
    """The lines of the proof of Gibbs' inequality, each evaluated as a number.

    With ``A = {x : p(x) > 0}`` the support of ``p`` (Cover & Thomas, Thm 2.6.3)::

        -D(p||q) = sum_A p log(q/p)          neg_divergence == expected_log_ratio
                 <= log sum_A p (q/p)        Jensen (log is concave): jensen_gap >= 0
                  = log sum_A q              log_mass_on_support
                 <= log sum_x q = log 1 = 0  support_gap >= 0

    All values are in the units of ``base``; arrays for batched input.

    Attributes
    ----------
    neg_divergence
        ``-D(p||q)`` from :func:`klcourse.kl_divergence` (line 1).
    expected_log_ratio
        ``E_p[log q(X)/p(X)]``, the proof's expression evaluated as written
        (line 2; equal to line 1 up to round-off).
    log_expected_ratio
        ``log E_p[q(X)/p(X)] = log sum_A p (q/p)`` (line 3).
    log_mass_on_support
        ``log sum_A q`` (line 4; equal to line 3 up to round-off).
    log_total_mass
        ``log sum_x q``, zero up to round-off (line 5).
    jensen_gap
        ``line 3 - line 2 >= 0``; zero iff ``q/p`` is constant on ``A``.
    support_gap
        ``line 5 - line 4 >= 0``; zero iff ``q`` puts all its mass on ``A``.
    """

    neg_divergence: float | NDArray
    expected_log_ratio: float | NDArray
    log_expected_ratio: float | NDArray
    log_mass_on_support: float | NDArray
    log_total_mass: float | NDArray
    jensen_gap: float | NDArray
    support_gap: float | NDArray

    def lines(self) -> list[tuple[str, float | NDArray]]:
        """The proof as ``(text, value)`` pairs, in order, ready to print."""
        return [
            ("-D(p||q)", self.neg_divergence),
            ("= sum_A p log(q/p)", self.expected_log_ratio),
            ("<= log sum_A p (q/p)   [Jensen]", self.log_expected_ratio),
            ("= log sum_A q", self.log_mass_on_support),
            ("<= log sum_x q", self.log_total_mass),
            ("= log 1", 0.0),
        ]


def gibbs_steps(p: ArrayLike, q: ArrayLike, *, base: float = 2) -> GibbsSteps:
    """Evaluate every line of the Jensen proof that ``D(p||q) >= 0``.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape; the last axis holds the outcomes and
        any others are a batch.
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    GibbsSteps
        One value per line of the proof (see :class:`GibbsSteps`). If some
        ``q(x) = 0 < p(x)``, lines 1 and 2 are ``-inf``: the inequalities still
        hold, and the divergence is infinite.

    Examples
    --------
    >>> s = gibbs_steps([0.5, 0.25, 0.25], [0.25, 0.25, 0.5])
    >>> [round(v, 4) for _, v in s.lines()]
    [-0.25, -0.25, 0.0, 0.0, 0.0, 0.0]
    >>> s = gibbs_steps([0.5, 0.5, 0.0], [0.25, 0.25, 0.5])
    >>> round(s.jensen_gap, 4), round(s.support_gap, 4)   # q/p constant on A; q leaks off A
    (0.0, 1.0)
    """
    func = "gibbs_steps"
    lb = _log_base(base, func)
    pa, qa = _pair(p, q, func)
    support = pa > 0
    safe_p = np.where(support, pa, 1.0)
    with np.errstate(divide="ignore"):
        log_ratio = np.where(support, np.log(qa) - np.log(safe_p), 0.0)
    line2 = np.sum(np.where(support, pa * log_ratio, 0.0), axis=-1) / lb
    mass_a = np.sum(np.where(support, qa, 0.0), axis=-1)
    line3 = _log_or_neg_inf(np.sum(np.where(support, pa * (qa / safe_p), 0.0), axis=-1)) / lb
    line4 = _log_or_neg_inf(mass_a) / lb
    line5 = np.log(np.sum(qa, axis=-1)) / lb
    line1 = -np.asarray(kl_divergence(pa, qa, base=base))
    with np.errstate(invalid="ignore"):
        # q = 0 somewhere on A: line 2 is -inf and the Jensen step has an infinite gap.
        jensen = np.where(np.isneginf(line2), np.inf, line3 - line2)
        support_gap = np.where(np.isneginf(line4), np.inf, line5 - line4)
    return GibbsSteps(_out(line1), _out(line2), _out(line3), _out(line4), _out(line5),
                      _out(np.maximum(jensen, 0.0)), _out(np.maximum(support_gap, 0.0)))


def _log_or_neg_inf(x: NDArray) -> NDArray:
    with np.errstate(divide="ignore"):
        return np.log(x)


@dataclass(frozen=True)
class JensenPoints:
    """Jensen's inequality for the concave log, as the three numbers of the picture.

    Attributes
    ----------
    mean
        ``E[X]``.
    mean_of_log
        ``E[log X]``: the height of the chord (the weighted average of the
        points on the curve) above ``E[X]``.
    log_of_mean
        ``log E[X]``: the height of the curve above ``E[X]``.
    gap
        ``log E[X] - E[log X] >= 0``, zero iff X is constant where its
        weights are positive.
    """

    mean: float
    mean_of_log: float
    log_of_mean: float
    gap: float


def jensen_points(x: ArrayLike, weights: ArrayLike, *, base: float = 2) -> JensenPoints:
    """``E[log X]`` and ``log E[X]`` for a random variable with values `x`.

    In the Gibbs proof ``X = q(x)/p(x)`` with weights ``p(x)``.

    Parameters
    ----------
    x : array_like, 1-D
        Positive values of X.
    weights : array_like, 1-D
        Their probabilities (a distribution of the same length).
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    JensenPoints

    Examples
    --------
    >>> j = jensen_points([1.0, 4.0], [0.5, 0.5])
    >>> j.mean, j.mean_of_log, round(j.log_of_mean, 4), round(j.gap, 4)
    (2.5, 1.0, 1.3219, 0.3219)
    """
    func = "jensen_points"
    lb = _log_base(base, func)
    w = _prepare(weights, "weights", func, -1)
    xa = _as_numbers(x, "x", func, what="values of X")
    if w.ndim != 1 or xa.shape != w.shape:
        raise ValueError(f"{func}: x and weights must be 1-D arrays of the same length, got shapes "
                         f"{xa.shape} and {w.shape}")
    _check_entries_and_sums(w, "weights", func, -1)
    if not np.all(np.isfinite(xa)) or not np.all(xa[w > 0] > 0):
        raise ValueError(f"{func}: x must be finite and > 0 wherever its weight is positive "
                         "(the log of 0 or of a negative number is not finite)")
    pos = w > 0
    mean = float(np.sum(w[pos] * xa[pos]))
    mean_log = float(np.sum(w[pos] * np.log(xa[pos])) / lb)
    log_mean = math.log(mean) / lb
    return JensenPoints(mean, mean_log, log_mean, max(log_mean - mean_log, 0.0))


# ---------------------------------------------------------------- log-sum inequality


@dataclass(frozen=True)
class LogSum:
    """Both sides of the log-sum inequality ``sum a log(a/b) >= (sum a) log(sum a / sum b)``.

    Attributes
    ----------
    lhs
        ``sum_i a_i log(a_i / b_i)`` evaluated term by term (``0 log(0/b) = 0``,
        ``a log(a/0) = inf`` for ``a > 0``).
    rhs
        ``(sum a) log(sum a / sum b)``.
    gap
        ``lhs - rhs`` computed the other way, as ``(sum a) D(a/sum a || b/sum b)``
        with :func:`klcourse.kl_divergence`: the identity that proves the
        inequality. Equal to ``lhs - rhs`` up to round-off.
    """

    lhs: float | NDArray
    rhs: float | NDArray
    gap: float | NDArray


def _nonneg(x: ArrayLike, name: str, func: str) -> NDArray:
    arr = _prepare(x, name, func, -1)
    problem = _entry_problem(arr, name, func, entries="entries")
    if problem is not None:
        raise problem
    if not np.all(arr.sum(axis=-1) > 0):
        raise ValueError(f"{func}: {name} sums to 0 along the last axis; "
                         "the log-sum inequality needs a positive total")
    return arr


def log_sum_sides(a: ArrayLike, b: ArrayLike, *, base: float = 2) -> LogSum:
    """Both sides of the log-sum inequality (Cover & Thomas, Thm 2.7.1).

    For non-negative numbers ``a_1..a_n`` and ``b_1..b_n`` (not necessarily
    summing to 1)::

        sum_i a_i log(a_i / b_i)  >=  (sum_i a_i) log(sum_i a_i / sum_i b_i),

    with equality iff ``a_i / b_i`` is constant.

    Parameters
    ----------
    a, b : array_like
        Non-negative finite numbers of the same shape, the terms along the last
        axis (other axes a batch); each row needs a positive total.
    base : float, optional
        Logarithm base, 2 by default.

    Returns
    -------
    LogSum

    Examples
    --------
    >>> s = log_sum_sides([1, 2, 3], [2, 2, 1])
    >>> round(s.lhs, 4), round(s.rhs, 4), round(s.gap, 4)
    (3.7549, 1.5782, 2.1767)
    >>> s = log_sum_sides([1, 2], [2, 4])           # a/b constant: equality
    >>> round(s.lhs - s.rhs, 12), round(s.gap, 12)
    (0.0, 0.0)
    """
    func = "log_sum_sides"
    lb = _log_base(base, func)
    aa = _nonneg(a, "a", func)
    ba = _nonneg(b, "b", func)
    _same_shape(aa, ba, func, ("a", "b"))
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = aa * (np.log(aa) - np.log(ba))
    terms = np.where(aa == 0, 0.0, terms)
    lhs = terms.sum(axis=-1) / lb
    sa, sb = aa.sum(axis=-1), ba.sum(axis=-1)
    rhs = sa * (np.log(sa) - np.log(sb)) / lb
    gap = sa * np.asarray(kl_divergence(normalize(aa), normalize(ba), base=base))
    return LogSum(_out(lhs), _out(rhs), _out(gap))


# ---------------------------------------------------------------- triangle inequality


@dataclass(frozen=True)
class TriangleCheck:
    """``d(p, q)`` against ``d(p, u) + d(u, q)``.

    Attributes
    ----------
    direct
        ``d(p, q)``.
    via_u
        ``d(p, u) + d(u, q)``.
    slack
        ``via_u - direct``: negative exactly when the triangle inequality
        fails. ``nan`` only when both sides are infinite (``inf <= inf``
        holds, the difference is undefined).
    violated
        ``direct - via_u > tol * (1 + direct)`` (a bool, or a bool array for
        batches): the detour is shorter by more than round-off. ``inf`` against
        ``inf`` is not a violation.
    """

    d_pu: float | NDArray
    d_uq: float | NDArray
    direct: float | NDArray
    via_u: float | NDArray
    slack: float | NDArray
    violated: bool | NDArray


def triangle_check(p: ArrayLike, u: ArrayLike, q: ArrayLike, *,
                   divergence: Divergence = kl_divergence, tol: float = 1e-12) -> TriangleCheck:
    """Test the triangle inequality ``d(p, q) <= d(p, u) + d(u, q)``.

    Parameters
    ----------
    p, u, q : array_like
        Distributions of the same shape (last axis outcomes, others a batch).
    divergence : callable, optional
        ``divergence(x, y)`` for batches of distributions, e.g.
        :func:`klcourse.kl_divergence` (the default, in bits),
        :func:`klcourse.js_distance`, or ``functools.partial(kl_divergence, base=np.e)``.

    Returns
    -------
    TriangleCheck

    Examples
    --------
    The middle coin ``u`` breaks the inequality for KL but not for the
    Jensen-Shannon distance:

    >>> from klcourse import js_distance
    >>> p, u, q = [0.1, 0.9], [0.5, 0.5], [0.9, 0.1]
    >>> t = triangle_check(p, u, q)
    >>> round(t.direct, 4), round(t.via_u, 4), t.violated
    (2.5359, 1.268, True)
    >>> triangle_check(p, u, q, divergence=js_distance).violated
    False
    """
    func = "triangle_check"
    pa = _prepare(p, "p", func, -1)
    ua = _prepare(u, "u", func, -1)
    qa = _prepare(q, "q", func, -1)
    _same_shape(pa, ua, func, ("p", "u"))
    _same_shape(pa, qa, func, ("p", "q"))
    for a, name in ((pa, "p"), (ua, "u"), (qa, "q")):
        _check_entries_and_sums(a, name, func, -1)  # so errors name triangle_check
    if not callable(divergence):
        raise TypeError(f"{func}: divergence must be a function d(p, q), got {divergence!r}")
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not tol >= 0:
        raise ValueError(f"{func}: tol must be a number >= 0, got {tol!r}")
    d_pu = np.asarray(divergence(pa, ua), dtype=np.float64)
    d_uq = np.asarray(divergence(ua, qa), dtype=np.float64)
    d_pq = np.asarray(divergence(pa, qa), dtype=np.float64)
    via = d_pu + d_uq
    with np.errstate(invalid="ignore"):
        slack = via - d_pq
    with np.errstate(invalid="ignore"):
        violated = (d_pq > via) & (np.isinf(d_pq) | (d_pq - via > tol * (1 + d_pq)))
    return TriangleCheck(_out(d_pu), _out(d_uq), _out(d_pq), _out(via), _out(slack),
                         bool(violated) if violated.ndim == 0 else violated)


def _rng(rng: np.random.Generator, func: str) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{func}: rng must be a numpy Generator, e.g. np.random.default_rng(0), "
                        f"got {rng!r}")
    return rng


def _count(n: int, name: str, func: str, minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{func}: {name} must be an int, got {n!r}")
    if n < minimum:
        raise ValueError(f"{func}: {name} must be >= {minimum}, got {n}")
    return int(n)


def random_distributions(rng: np.random.Generator, size: int | tuple[int, ...], k: int, *,
                         concentration: float = 1.0) -> NDArray[np.float64]:
    """Random distributions on `k` outcomes, drawn from a symmetric Dirichlet.

    ``concentration = 1`` is uniform over the simplex. In exact arithmetic
    every entry is positive, so every divergence is finite; with small
    concentrations (well below 1) an entry can underflow to exactly 0 in
    floating point, and a divergence can then be infinite.

    Parameters
    ----------
    rng : numpy.random.Generator
        The source of randomness (seeded by the caller).
    size : int or tuple of int
        Batch shape.
    k : int
        Number of outcomes (>= 2).
    concentration : float, optional
        Dirichlet parameter of every outcome (> 0).

    Returns
    -------
    ndarray, shape ``size + (k,)``

    Examples
    --------
    >>> d = random_distributions(np.random.default_rng(0), 4, 3)
    >>> d.shape, bool(np.allclose(d.sum(axis=-1), 1))
    ((4, 3), True)
    """
    func = "random_distributions"
    _rng(rng, func)
    k = _count(k, "k", func, 2)
    if isinstance(concentration, bool) or not isinstance(concentration, numbers.Real) \
            or not (concentration > 0) or math.isinf(concentration):
        raise ValueError(f"{func}: concentration must be a finite number > 0, got {concentration!r}")
    shape = (size,) if isinstance(size, numbers.Integral) else tuple(size)
    shape = tuple(_count(s, "size", func, 0) for s in shape)
    _check_size(math.prod(shape) * k, func, f"{shape} distributions on {k} outcomes")
    return rng.dirichlet(np.full(k, float(concentration)), size=shape)


@dataclass(frozen=True)
class TriangleSearch:
    """Result of :func:`triangle_search`.

    Attributes
    ----------
    p, u, q : ndarray, shape (n, k)
        The random triples.
    violated : dict of str to bool ndarray, shape (n,)
        For each divergence, which triples break the triangle inequality.
    counts : dict of str to int
        Number of violations per divergence.
    worst : dict of str to int or None
        Index of the triple with the most negative slack (None if none fails).
    checks : dict of str to TriangleCheck
    """

    p: NDArray
    u: NDArray
    q: NDArray
    violated: dict[str, NDArray]
    counts: dict[str, int]
    worst: dict[str, int | None]
    checks: dict[str, TriangleCheck]

    @property
    def n(self) -> int:
        return int(self.p.shape[0])


def triangle_search(rng: np.random.Generator, n: int, k: int = 2,
                    divergences: Mapping[str, Divergence] | None = None, *,
                    concentration: float = 1.0, tol: float = 1e-12) -> TriangleSearch:
    """Test the triangle inequality on `n` random triples ``(p, u, q)``.

    The same triples are tested with every divergence, so the counts can be
    compared directly. Each triple is tested in the order drawn,
    ``d(p, q) <= d(p, u) + d(u, q)``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Seeded by the caller.
    n : int
        Number of triples.
    k : int, optional
        Outcomes per distribution (2 by default).
    divergences : mapping of str to callable, optional
        Name -> ``d(x, y)``; default ``{"KL": kl_divergence}``.
    concentration : float, optional
        Dirichlet parameter (see :func:`random_distributions`).
    tol : float, optional
        Round-off allowance, as in :func:`triangle_check`.

    Returns
    -------
    TriangleSearch

    Examples
    --------
    >>> from klcourse import js_distance
    >>> s = triangle_search(np.random.default_rng(1), 2000, 2,
    ...                     {"KL": kl_divergence, "JS distance": js_distance})
    >>> s.counts["KL"] > 0, s.counts["JS distance"]
    (True, 0)
    """
    func = "triangle_search"
    _rng(rng, func)
    n = _count(n, "n", func)
    divergences = {"KL": kl_divergence} if divergences is None else dict(divergences)
    if not divergences:
        raise ValueError(f"{func}: divergences is empty; pass e.g. {{'KL': kl_divergence}}")
    _check_size(3 * n * k, func, f"{n} random triples on {k} outcomes")
    trip = random_distributions(rng, (3, n), k, concentration=concentration)
    p, u, q = trip[0], trip[1], trip[2]
    violated, counts, worst, checks = {}, {}, {}, {}
    for name, d in divergences.items():
        t = triangle_check(p, u, q, divergence=d, tol=tol)
        v = np.asarray(t.violated, dtype=bool)
        checks[name] = t
        violated[name] = v
        counts[name] = int(v.sum())
        worst[name] = int(np.nanargmin(np.where(v, t.slack, np.inf))) if v.any() else None
    return TriangleSearch(p, u, q, violated, counts, worst, checks)


def lies_between(p: ArrayLike, u: ArrayLike, q: ArrayLike) -> bool | NDArray:
    """For distributions on two outcomes: is ``u(0)`` strictly between ``p(0)`` and ``q(0)``?

    For two outcomes the KL triangle inequality fails exactly for these
    triples (when the divergences are finite): ``D(p||.)`` grows as the second
    argument moves away from ``p``, ``D(.||q)`` as the first moves away from
    ``q``, so a ``u`` outside the interval can only lengthen the detour, and
    every ``u`` strictly inside it makes the detour shorter.

    Parameters
    ----------
    p, u, q : array_like
        Coins: distributions with last axis of length 2 (other axes a batch),
        all of the same shape.

    Returns
    -------
    bool or ndarray of bool
        ``min(p(0), q(0)) < u(0) < max(p(0), q(0))``.

    Examples
    --------
    >>> lies_between([0.1, 0.9], [0.5, 0.5], [0.9, 0.1])
    True
    >>> lies_between([[0.1, 0.9]], [[0.95, 0.05]], [[0.9, 0.1]])
    array([False])
    """
    func = "lies_between"
    arrs = []
    for name, x in (("p", p), ("u", u), ("q", q)):
        a = _prepare(x, name, func, -1)
        if a.shape[-1] != 2:
            raise ValueError(f"{func}: {name} must hold distributions on two outcomes "
                             f"(last axis of length 2), got shape {a.shape}")
        _check_entries_and_sums(a, name, func, -1)
        arrs.append(a)
    _same_shape(arrs[0], arrs[1], func, ("p", "u"))
    _same_shape(arrs[0], arrs[2], func, ("p", "q"))
    a, b, c = (x[..., 0] for x in arrs)
    out = (np.minimum(a, c) < b) & (b < np.maximum(a, c))
    return bool(out) if out.ndim == 0 else out


# ---------------------------------------------------------------- joint convexity


@dataclass(frozen=True)
class MixtureCheck:
    """Joint convexity of ``D`` on one (or a batch of) mixtures of two pairs.

    With ``p = lam p1 + (1-lam) p2`` and ``q = lam q1 + (1-lam) q2``:

    Attributes
    ----------
    chord
        ``lam D(p1||q1) + (1-lam) D(p2||q2)``.
    mixture
        ``D(p||q)``.
    gap
        ``chord - mixture``, ``>= 0`` by Thm 2.7.2 (``nan`` if both are infinite).
    """

    chord: float | NDArray
    mixture: float | NDArray
    gap: float | NDArray


def _lam(lam: ArrayLike, batch: tuple[int, ...], func: str) -> NDArray:
    la = _as_numbers(lam, "lam", func, what="mixture weights")
    if la.shape not in ((), batch):
        raise ValueError(f"{func}: lam must be a number or have the batch shape {batch}, "
                         f"got shape {la.shape}")
    if not np.all((la >= 0) & (la <= 1)):
        raise ValueError(f"{func}: lam must lie in [0, 1] (a mixture weight), got {lam!r}")
    return la


def mixture_check(p1: ArrayLike, q1: ArrayLike, p2: ArrayLike, q2: ArrayLike, lam: ArrayLike, *,
                  base: float = 2) -> MixtureCheck:
    """Compare ``D`` of a mixture of two pairs with the chord (Thm 2.7.2).

    Parameters
    ----------
    p1, q1, p2, q2 : array_like
        Distributions of one shape (last axis outcomes, others a batch).
    lam : float or array_like
        Mixture weight(s) in ``[0, 1]``: a number, or one per batch element.
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    MixtureCheck

    Examples
    --------
    >>> m = mixture_check([0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4], 0.5)
    >>> round(m.chord, 4), round(m.mixture, 4), m.gap > 0
    (0.959, 0.117, True)
    """
    func = "mixture_check"
    _log_base(base, func)
    arrs = [_prepare(x, n, func, -1) for x, n in ((p1, "p1"), (q1, "q1"), (p2, "p2"), (q2, "q2"))]
    for a, n in zip(arrs[1:], ("q1", "p2", "q2")):
        _same_shape(arrs[0], a, func, ("p1", n))
    for a, n in zip(arrs, ("p1", "q1", "p2", "q2")):
        _check_entries_and_sums(a, n, func, -1)  # so errors name mixture_check
    la = _lam(lam, arrs[0].shape[:-1], func)
    lw = la[..., None]
    d1 = np.asarray(kl_divergence(arrs[0], arrs[1], base=base))
    d2 = np.asarray(kl_divergence(arrs[2], arrs[3], base=base))
    pm = lw * arrs[0] + (1 - lw) * arrs[2]
    qm = lw * arrs[1] + (1 - lw) * arrs[3]
    # 0 * inf = 0: a pair with weight 0 does not contribute.
    with np.errstate(invalid="ignore"):
        chord = np.where(la == 0, 0.0, la * d1) + np.where(la == 1, 0.0, (1 - la) * d2)
        mix = np.asarray(kl_divergence(pm, qm, base=base))
        gap = chord - mix
    return MixtureCheck(_out(chord), _out(mix), _out(gap))


@dataclass(frozen=True)
class MixtureSearch:
    """Result of :func:`random_mixture_check`.

    Attributes
    ----------
    checks : MixtureCheck
        Arrays of chord, mixture and gap, one per random case.
    lam : ndarray
        The mixture weights.
    violations : int
        Cases with ``gap < -tol`` (the theorem says zero).
    min_gap : float
        The smallest gap seen (tiny negative numbers are round-off).
    tol : float
        The round-off allowance used.
    """

    checks: MixtureCheck
    lam: NDArray
    violations: int
    min_gap: float
    tol: float


def random_mixture_check(rng: np.random.Generator, n: int, k: int = 2, *, base: float = 2,
                         concentration: float = 1.0, tol: float = 1e-12) -> MixtureSearch:
    """Joint convexity on `n` random mixtures of random pairs, counting violations.

    Draws ``p1, q1, p2, q2`` from a Dirichlet (see :func:`random_distributions`)
    and ``lam`` uniformly on [0, 1], and counts the cases where the chord lies
    below the divergence of the mixture by more than ``tol`` (times
    ``1 + chord``, to allow for round-off in larger numbers).

    Parameters
    ----------
    rng : numpy.random.Generator
        Seeded by the caller.
    n : int
        Number of random cases.
    k : int, optional
        Outcomes per distribution (2 by default).
    base : float, optional
        Logarithm base, 2 (bits) by default.
    concentration : float, optional
        Dirichlet parameter (see :func:`random_distributions`).
    tol : float, optional
        Relative round-off allowance.

    Returns
    -------
    MixtureSearch

    Examples
    --------
    >>> r = random_mixture_check(np.random.default_rng(0), 1000, 3)
    >>> r.violations, r.min_gap >= -r.tol
    (0, True)
    """
    func = "random_mixture_check"
    _rng(rng, func)
    n = _count(n, "n", func)
    _check_size(4 * n * k, func, f"{n} random quadruples on {k} outcomes")
    d = random_distributions(rng, (4, n), k, concentration=concentration)
    lam = rng.uniform(0.0, 1.0, size=n)
    c = mixture_check(d[0], d[1], d[2], d[3], lam, base=base)
    gap = np.asarray(c.gap)
    bad = gap < -tol * (1 + np.asarray(c.chord))
    return MixtureSearch(c, lam, int(bad.sum()), float(gap.min()), tol)


@dataclass(frozen=True)
class ConvexityTerms:
    """The per-outcome terms of the proof of Thm 2.7.2 (see :func:`joint_convexity_terms`)."""

    lhs: NDArray
    rhs: NDArray
    chord: float
    mixture: float


def joint_convexity_terms(p1: ArrayLike, q1: ArrayLike, p2: ArrayLike, q2: ArrayLike,
                          lam: float, *, base: float = 2) -> ConvexityTerms:
    """The proof of joint convexity, outcome by outcome, through the log-sum inequality.

    For each outcome x, the log-sum inequality with ``a = (lam p1(x), (1-lam) p2(x))``
    and ``b = (lam q1(x), (1-lam) q2(x))`` gives ``lhs[x] >= rhs[x]``. Summed
    over x, ``sum(lhs)`` is the chord ``lam D(p1||q1) + (1-lam) D(p2||q2)`` and
    ``sum(rhs)`` is ``D(lam p1 + (1-lam) p2 || lam q1 + (1-lam) q2)``; the
    attributes ``chord`` and ``mixture`` hold those two from
    :func:`mixture_check`, so the sums can be compared with them.

    Parameters
    ----------
    p1, q1, p2, q2 : array_like, 1-D
        Distributions on the same outcomes, with ``q1, q2 > 0`` where
        ``p1, p2 > 0`` (finite divergences).
    lam : float
        Mixture weight in (0, 1).
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Examples
    --------
    >>> t = joint_convexity_terms([0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4], 0.5)
    >>> bool(np.all(t.lhs >= t.rhs))
    True
    >>> round(float(t.lhs.sum()), 4) == round(t.chord, 4)
    True
    """
    func = "joint_convexity_terms"
    la = float(_lam(lam, (), func))
    if not 0 < la < 1:
        raise ValueError(f"{func}: lam must lie strictly between 0 and 1, got {lam!r}")
    c = mixture_check(p1, q1, p2, q2, la, base=base)
    arrs = [_prepare(x, n, func, -1) for x, n in ((p1, "p1"), (q1, "q1"), (p2, "p2"), (q2, "q2"))]
    if arrs[0].ndim != 1:
        raise ValueError(f"{func}: pass single distributions (1-D), got shape {arrs[0].shape}")
    if not np.isfinite(c.chord):
        raise ValueError(f"{func}: D(p1||q1) or D(p2||q2) is infinite; the per-outcome terms "
                         "need q1 > 0 where p1 > 0 and q2 > 0 where p2 > 0")
    a = np.stack([la * arrs[0], (1 - la) * arrs[2]], axis=-1)
    b = np.stack([la * arrs[1], (1 - la) * arrs[3]], axis=-1)
    keep = a.sum(axis=-1) > 0          # outcomes with a = (0, 0) contribute 0 = 0
    lhs = np.zeros(a.shape[0])
    rhs = np.zeros(a.shape[0])
    if keep.any():
        s = log_sum_sides(a[keep], b[keep], base=base)
        lhs[keep] = s.lhs
        rhs[keep] = s.rhs
    return ConvexityTerms(lhs, rhs, float(c.chord), float(c.mixture))


# ---------------------------------------------------------------- a non-convex family


def _location_args(outcomes: ArrayLike, loc: ArrayLike, scale: float,
                   func: str) -> tuple[NDArray, NDArray]:
    x = _as_numbers(outcomes, "outcomes", func, finite=True)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"{func}: outcomes must be a non-empty 1-D array of finite numbers")
    m = _as_numbers(loc, "loc", func, finite=True)
    if m.size == 0:
        raise ValueError(f"{func}: loc is empty; pass a centre or an array of centres")
    if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or not scale > 0 \
            or math.isinf(scale):
        raise ValueError(f"{func}: scale must be a finite number > 0, got {scale!r}")
    with np.errstate(over="ignore"):
        d = np.abs(x - m[..., None])  # distance of each outcome from the centre
    if not np.all(np.isfinite(d)):
        raise ValueError(f"{func}: some outcome lies more than the largest float away from "
                         "loc; shift the outcomes and loc together")
    return d, d.min(axis=-1, keepdims=True)


def discretized_gaussian(outcomes: ArrayLike, loc: ArrayLike, scale: float) -> NDArray[np.float64]:
    """A bell-shaped distribution on the given outcomes, centred at `loc`.

    ``q(x) ∝ exp(-(x - loc)^2 / (2 scale^2))`` over the outcomes, normalised
    with :func:`klcourse.normalize`. Vectorised over `loc`: the result has
    shape ``np.shape(loc) + (len(outcomes),)``. A *location family*: the
    parameter moves the bump without changing its shape.

    Parameters
    ----------
    outcomes : array_like, 1-D
        The values x of the outcomes (finite numbers).
    loc : float or array_like
        Centre(s) of the bump.
    scale : float
        Width (> 0), in the units of the outcomes.

    Returns
    -------
    ndarray, shape ``np.shape(loc) + (len(outcomes),)``

    Examples
    --------
    >>> discretized_gaussian([0, 1, 2], 1.0, 1.0).round(3)
    array([0.274, 0.452, 0.274])
    >>> discretized_gaussian(np.arange(5), [1.0, 3.0], 0.5).shape
    (2, 5)
    """
    d, d_min = _location_args(outcomes, loc, scale, "discretized_gaussian")
    # exp(-z^2/2) relative to the nearest outcome, z = d/scale: z^2 - z_min^2 =
    # ((d - d_min)/scale)((d + d_min)/scale), so a tiny scale gives the limit (all
    # mass on the nearest outcome) instead of 0/0.
    with np.errstate(over="ignore"):
        excess = np.where(d == d_min, 0.0, ((d - d_min) / scale) * ((d + d_min) / scale))
    return normalize(np.exp(-0.5 * excess))


def discretized_cauchy(outcomes: ArrayLike, loc: ArrayLike, scale: float) -> NDArray[np.float64]:
    """A heavy-tailed bump on the given outcomes: ``q(x) ∝ 1 / (1 + ((x - loc) / scale)^2)``.

    Another location family, vectorised over `loc` like
    :func:`discretized_gaussian`. Its log, ``-log(1 + z^2)``, is *not* concave
    in the location, so even ``D(p || q_loc)`` can have several local minima.

    Parameters
    ----------
    outcomes : array_like, 1-D
        The values x of the outcomes (finite numbers).
    loc : float or array_like
        Centre(s) of the bump.
    scale : float
        Half-width at half-height (> 0), in the units of the outcomes.

    Returns
    -------
    ndarray, shape ``np.shape(loc) + (len(outcomes),)``

    Examples
    --------
    >>> discretized_cauchy([0, 1, 2], 1.0, 1.0).round(3)
    array([0.25, 0.5 , 0.25])
    """
    d, _ = _location_args(outcomes, loc, scale, "discretized_cauchy")
    with np.errstate(divide="ignore"):
        log_z = np.log(d) - math.log(scale)          # -inf at d = 0
    log_w = -np.logaddexp(0.0, 2.0 * log_z)          # log(1/(1 + z^2)), no overflow of z^2
    return normalize(np.exp(log_w - log_w.max(axis=-1, keepdims=True)))


def local_minima(values: ArrayLike) -> NDArray[np.intp]:
    """Indices of the strict interior local minima of a sampled curve.

    A convex curve sampled on a grid has at most one (a single bowl; a flat
    bottom counts as none); two or more prove the curve is not convex.

    Parameters
    ----------
    values : array_like, 1-D
        The curve's values on an increasing grid (at least 3, no NaN).

    Returns
    -------
    ndarray of int
        Indices i with ``values[i-1] > values[i] < values[i+1]``.

    Examples
    --------
    >>> local_minima([3, 1, 2, 0.5, 4]).tolist()
    [1, 3]
    >>> local_minima([3, 2, 1, 2, 3]).tolist()
    [2]
    """
    y = _as_numbers(values, "values", "local_minima")
    if y.ndim != 1 or y.size < 3:
        raise ValueError(f"local_minima: values must be a 1-D array of at least 3 numbers, "
                         f"got shape {y.shape}")
    if np.isnan(y).any():
        raise ValueError("local_minima: values contain NaN; remove or fix them first")
    inner = (y[1:-1] < y[:-2]) & (y[1:-1] < y[2:])
    return np.flatnonzero(inner) + 1
