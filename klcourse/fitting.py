"""Fitting a one-parameter model to an observed distribution by minimising KL.

The space-worm example of notebook 05: an observed distribution over the
counts ``0..n`` is approximated by a member of a one-parameter family (a
binomial, a truncated Poisson, a truncated geometric, a two-block step), and
the parameter is chosen to minimise a KL divergence.

* ``direction="forward"`` minimises ``D(observed || model)``: the observation
  plays the truth. This is the usual choice, and its minimiser is the maximum
  likelihood estimate (for the binomial: ``mean / n``).
* ``direction="reverse"`` minimises ``D(model || observed)``: the model plays
  the truth. It is infinite as soon as the model puts mass where the
  observation has none.

Every divergence is computed by :func:`klcourse.kl_divergence` (bits by
default, ``base=`` otherwise). A family is a :class:`Family`: a name, the name
and allowed range of its parameter, the largest count ``n``, and a vectorised
pmf. Build your own with ``Family(...)`` to fit any one-parameter model.

Conventions as in :mod:`klcourse.measures`: nothing is renormalised silently,
nothing is broadcast, and bad input gets a ``ValueError``/``TypeError`` that
names the argument, the problem and the fix.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize_scalar
from scipy.special import gammaln, logsumexp, xlog1py, xlogy

from klcourse._validation import (
    _as_numbers,
    _check_size,
    _check_entries_and_sums,
    _distribution_1d,
    _log_base,
    _where,
)
from klcourse.measures import _kl_terms

__all__ = [
    "DIRECTIONS",
    "Family",
    "KLFit",
    "BinomialFit",
    "binomial_pmf",
    "uniform_pmf",
    "binomial_family",
    "poisson_family",
    "geometric_family",
    "two_block_family",
    "kl_curve",
    "fit_by_kl",
    "fit_binomial",
]

#: The two directions a divergence to a model can be taken in.
DIRECTIONS = ("forward", "reverse")

# fit_by_kl: points of the coarse grid that locates the global minimum before
# the bounded Brent search refines it, and Brent's absolute tolerance.
_GRID_POINTS = 401
_XATOL = 1e-12


# ---------------------------------------------------------------- helpers


def _check_n(n: object, func: str) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{func}: n must be a whole number (the largest count), got {n!r}")
    if n < 0:
        raise ValueError(f"{func}: n must be >= 0 (outcomes are 0..n), got {n}")
    _check_size(int(n) + 1, func, f"the outcomes 0..{n}")
    return int(n)


def _check_direction(direction: object, func: str) -> str:
    if direction not in DIRECTIONS:
        raise ValueError(
            f"{func}: direction must be 'forward' (D(observed || model), the observation "
            f"as the truth) or 'reverse' (D(model || observed)), got {direction!r}"
        )
    return str(direction)


def _check_observed(observed: ArrayLike, func: str) -> NDArray[np.float64]:
    """A validated, read-only 1-D float copy of an observed distribution."""
    arr = _distribution_1d(observed, "observed", func,
                           must_be="a 1-D distribution over the counts 0..n")
    out = np.array(arr, dtype=np.float64)
    out.setflags(write=False)
    return out


def _as_params(values: ArrayLike, name: str, func: str) -> NDArray[np.float64]:
    arr = _as_numbers(values, name, func, what="parameter values")
    if arr.size == 0:
        raise ValueError(f"{func}: {name} is empty; pass at least one parameter value")
    if np.isnan(arr).any():
        raise ValueError(f"{func}: {name} contains NaN; parameter values must be numbers")
    return arr


def _first_bad(arr: NDArray, bad: NDArray) -> str:
    """The first bad value and its index (just the value for a scalar)."""
    return f"{float(arr):g}" if arr.ndim == 0 else _where(arr, bad)


def _check_probability(p: ArrayLike, name: str, func: str) -> NDArray[np.float64]:
    arr = _as_params(p, name, func)
    bad = ~((arr >= 0) & (arr <= 1))
    if bad.any():
        raise ValueError(
            f"{func}: {name} must lie in [0, 1] (a probability), got {_first_bad(arr, bad)}"
        )
    return arr


def _from_log(logq: NDArray) -> NDArray[np.float64]:
    """Normalised probabilities from unnormalised logs along the last axis."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.exp(logq - logsumexp(logq, axis=-1, keepdims=True))


# ---------------------------------------------------------------- pmfs


def binomial_pmf(n: int, p: ArrayLike) -> NDArray[np.float64]:
    """Binomial probabilities ``P(K = k) = C(n, k) p^k (1 - p)^(n - k)`` for k = 0..n.

    Vectorised over `p`: the outcomes lie along the last axis.

    Parameters
    ----------
    n : int
        Number of trials (>= 0); the support is ``0..n``.
    p : float or array_like
        Success probability (or probabilities), each in ``[0, 1]``. ``p = 0``
        and ``p = 1`` give the point masses at 0 and at `n`.

    Returns
    -------
    ndarray
        Shape ``(n + 1,)`` for a scalar `p`, else ``p.shape + (n + 1,)``.
        Computed through logarithms (``0 log 0 = 0``), so no overflow for
        large `n`.

    Raises
    ------
    ValueError
        `n` negative, `p` outside ``[0, 1]`` or NaN.
    TypeError
        `n` not a whole number, `p` not numeric.

    Examples
    --------
    >>> binomial_pmf(2, 0.5)
    array([0.25, 0.5 , 0.25])
    >>> binomial_pmf(2, [0.0, 1.0])
    array([[1., 0., 0.],
           [0., 0., 1.]])
    >>> [round(float(x), 4) for x in binomial_pmf(10, 0.544)[4:7]]
    [0.1653, 0.2367, 0.2353]
    """
    func = "binomial_pmf"
    return _binomial_pmf(_check_n(n, func), _check_probability(p, "p", func))


def _binomial_pmf(n: int, p: NDArray[np.float64]) -> NDArray[np.float64]:
    """binomial_pmf for a validated n and p (the family's pmf, called on every fit step)."""
    k = np.arange(n + 1, dtype=np.float64)
    logc = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)
    x = p[..., None]
    with np.errstate(divide="ignore"):
        logq = logc + xlogy(k, x) + xlog1py(n - k, -x)
    return np.exp(logq)


def uniform_pmf(n: int) -> NDArray[np.float64]:
    """The uniform distribution on the counts ``0..n`` (``n + 1`` outcomes).

    Parameters
    ----------
    n : int
        The largest count; the support is ``0..n``.

    Returns
    -------
    ndarray of shape (n + 1,)

    Examples
    --------
    >>> uniform_pmf(3)
    array([0.25, 0.25, 0.25, 0.25])
    """
    n = _check_n(n, "uniform_pmf")
    return np.full(n + 1, 1.0 / (n + 1))


# ---------------------------------------------------------------- families


@dataclass(frozen=True)
class Family:
    """A one-parameter family of distributions on the counts ``0..n``.

    Parameters
    ----------
    name : str
        Shown in results and figures, e.g. ``"Binomial(n=10, p)"``.
    param : str
        Name of the parameter, e.g. ``"p"``.
    domain : (float, float)
        Closed range of allowed parameter values (an end may be infinite).
    n : int
        Largest count; the family's distributions live on ``0..n``.
    pmf_func : callable
        ``pmf_func(theta)`` for a float array `theta` returns an array of
        shape ``theta.shape + (n + 1,)`` whose rows sum to 1. It is only
        called with values already checked against `domain`.

    Examples
    --------
    A family of your own: a coin whose heads probability is the parameter.

    >>> coin = Family("coin", "h", (0.0, 1.0), 1, lambda h: np.stack([1 - h, h], axis=-1))
    >>> coin.pmf(0.25)
    array([0.75, 0.25])
    """

    name: str
    param: str
    domain: tuple[float, float]
    n: int
    pmf_func: Callable[[NDArray[np.float64]], NDArray[np.float64]] = field(repr=False)

    @property
    def support(self) -> NDArray[np.int64]:
        """The counts ``0..n``."""
        return np.arange(self.n + 1)

    def check_params(self, theta: ArrayLike, func: str = "Family.pmf") -> NDArray[np.float64]:
        """`theta` as a float array, or a ValueError if a value is outside the domain."""
        arr = _as_params(theta, self.param, func)
        lo, hi = self.domain
        bad = ~((arr >= lo) & (arr <= hi))
        if bad.any():
            raise ValueError(
                f"{func}: {self.name}: {self.param} must lie in [{lo:g}, {hi:g}], "
                f"got {_first_bad(arr, bad)}"
            )
        return arr

    def pmf(self, theta: ArrayLike, *, func: str = "Family.pmf") -> NDArray[np.float64]:
        """Probabilities of ``0..n`` for each parameter value (outcomes on the last axis)."""
        arr = self.check_params(theta, func)
        q = np.asarray(self.pmf_func(arr), dtype=np.float64)
        if q.shape != arr.shape + (self.n + 1,):
            raise ValueError(
                f"{func}: {self.name}: pmf_func returned shape {q.shape} for parameters of "
                f"shape {arr.shape}; expected {arr.shape + (self.n + 1,)}"
            )
        # A model is a distribution too (NaN at a limit of the domain, say, is refused).
        _check_entries_and_sums(q, f"the {self.name} pmf", func, -1)
        return q


def binomial_family(n: int) -> Family:
    """Binomial(n, p), ``p`` in ``[0, 1]``: :func:`binomial_pmf` as a :class:`Family`.

    Parameters
    ----------
    n : int
        Number of trials; the support is ``0..n``.

    Returns
    -------
    Family
        Parameter ``p`` in ``[0, 1]``, pmf :func:`binomial_pmf`.

    Examples
    --------
    >>> binomial_family(10).name
    'Binomial(n=10, p)'
    """
    n = _check_n(n, "binomial_family")
    return Family(f"Binomial(n={n}, p)", "p", (0.0, 1.0), n, lambda p: _binomial_pmf(n, p))


def poisson_family(n: int) -> Family:
    """Poisson(lam) truncated to ``0..n`` and renormalised on it.

    ``q(k) = (lam^k / k!) / sum_{j=0}^{n} lam^j / j!`` for k = 0..n: the
    Poisson probabilities of ``0..n``, divided by their total ``P(K <= n)``,
    so that the model lives on exactly the observed support (the mass a
    Poisson puts above `n` is not lumped into `n`). ``lam = 0`` is the point
    mass at 0. Its mean is *smaller* than `lam` (the upper tail is cut off).

    Parameters
    ----------
    n : int
        The largest count kept; the support is ``0..n``.

    Returns
    -------
    Family
        Parameter ``lam >= 0``.

    Examples
    --------
    >>> q = poisson_family(10).pmf(5.0)
    >>> round(float(q.sum()), 12), round(float(q[5]), 4)
    (1.0, 0.1779)
    """
    n = _check_n(n, "poisson_family")
    k = np.arange(n + 1, dtype=np.float64)

    def pmf(lam: NDArray) -> NDArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            q = _from_log(xlogy(k, lam[..., None]) - gammaln(k + 1))
        # lam = inf is the limit: all the truncated mass sits on n.
        return np.where(np.isinf(lam)[..., None], k == n, q)

    return Family(f"Poisson(lam) on 0..{n}", "lam", (0.0, math.inf), n, pmf)


def geometric_family(n: int) -> Family:
    """Geometric(theta) truncated to ``0..n`` and renormalised: ``q(k) ∝ (1 - theta)^k``.

    `theta` in ``[0, 1]`` is the success probability of the usual geometric
    distribution of the number of failures before the first success.
    ``theta = 0`` gives the uniform distribution on ``0..n``, ``theta = 1``
    the point mass at 0; in between the probabilities decrease with k.

    Parameters
    ----------
    n : int
        The largest count kept; the support is ``0..n``.

    Returns
    -------
    Family
        Parameter ``theta`` in ``[0, 1]``.

    Examples
    --------
    >>> geometric_family(3).pmf([0.0, 0.5]).round(4)
    array([[0.25  , 0.25  , 0.25  , 0.25  ],
           [0.5333, 0.2667, 0.1333, 0.0667]])
    """
    n = _check_n(n, "geometric_family")
    k = np.arange(n + 1, dtype=np.float64)

    def pmf(theta: NDArray) -> NDArray:
        with np.errstate(divide="ignore"):
            return _from_log(xlog1py(k, -theta[..., None]))

    return Family(f"Geometric(theta) on 0..{n}", "theta", (0.0, 1.0), n, pmf)


def two_block_family(n: int, split: int) -> Family:
    """Two flat blocks: mass ``1 - w`` spread evenly on ``0..split-1``, ``w`` on ``split..n``.

    ``q(k) = (1 - w) / split`` for ``k < split`` and ``w / (n + 1 - split)``
    for ``k >= split``; `w` in ``[0, 1]`` is the total probability of the
    upper block. The uniform distribution is the member with
    ``w = (n + 1 - split) / (n + 1)``. The post's ad hoc model is
    ``two_block_family(10, 6)`` (0-5 teeth versus 6-10 teeth).

    Parameters
    ----------
    n : int
        The largest count; the support is ``0..n``.
    split : int
        First outcome of the upper block, ``1 <= split <= n``.

    Returns
    -------
    Family
        Parameter ``w`` in ``[0, 1]``, the mass of the upper block.

    Examples
    --------
    >>> two_block_family(3, 2).pmf(0.8)
    array([0.1, 0.1, 0.4, 0.4])
    """
    func = "two_block_family"
    n = _check_n(n, func)
    if isinstance(split, bool) or not isinstance(split, numbers.Integral) or not 1 <= split <= n:
        raise ValueError(
            f"{func}: split must be a whole number in 1..n = 1..{n} (the first count of the "
            f"upper block, so that both blocks are non-empty), got {split!r}"
        )
    split = int(split)
    upper = np.arange(n + 1) >= split

    def pmf(w: NDArray) -> NDArray:
        w = w[..., None]
        return np.where(upper, w / (n + 1 - split), (1 - w) / split)

    return Family(f"Two blocks 0..{split - 1} | {split}..{n} (w)", "w", (0.0, 1.0), n, pmf)


# ---------------------------------------------------------------- curves and fits


def _check_family(family: object, observed: NDArray, func: str) -> Family:
    if not isinstance(family, Family):
        raise TypeError(
            f"{func}: family must be a klcourse.fitting.Family such as binomial_family(10) "
            f"(build your own with Family(...)), got {type(family).__name__}"
        )
    if family.n + 1 != observed.shape[0]:
        raise ValueError(
            f"{func}: observed has {observed.shape[0]} outcomes (counts 0..{observed.shape[0] - 1}) "
            f"but {family.name} lives on 0..{family.n} ({family.n + 1} outcomes); "
            "use a family built for the same largest count"
        )
    return family


def _divergences(observed: NDArray, models: NDArray, direction: str, lb: float) -> NDArray:
    """``D(observed || model)`` (forward) or ``D(model || observed)`` for each row of `models`.

    Takes validated arrays (the public functions checked them once); `lb` is ln(base).
    """
    obs = np.broadcast_to(observed, models.shape)  # deliberate: one row per model
    p, q = (obs, models) if direction == "forward" else (models, obs)
    nats = np.maximum(_kl_terms(p, q).sum(axis=-1), 0.0)  # sum p log(p/q); round-off >= 0
    return nats / lb


def kl_curve(observed: ArrayLike, family: Family, params: ArrayLike, *,
             direction: str = "forward", base: float = 2) -> NDArray[np.float64]:
    """The divergence between `observed` and each member ``family(theta)``, theta in `params`.

    Parameters
    ----------
    observed : array_like, shape (n + 1,)
        Observed probabilities of the counts ``0..n``; must sum to 1.
    family : Family
        The model family, e.g. ``binomial_family(n)``.
    params : float or array_like
        Parameter values, each inside ``family.domain``.
    direction : {"forward", "reverse"}
        ``"forward"``: ``D(observed || model)``; ``"reverse"``:
        ``D(model || observed)``.
    base : float
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    ndarray
        One divergence per parameter value, shape ``np.shape(params)``
        (``inf`` where the model misses an outcome it should cover).

    Examples
    --------
    >>> from klcourse.data import SPACE_WORM_TEETH as worms
    >>> fam = binomial_family(10)
    >>> kl_curve(worms, fam, [0.5, 0.544]).round(4)
    array([0.6725, 0.6165])
    >>> kl_curve(worms, fam, [0.0, 0.5], direction="reverse").round(4)
    array([5.6439, 0.3262])
    """
    func = "kl_curve"
    obs = _check_observed(observed, func)
    direction = _check_direction(direction, func)
    lb = _log_base(base, func)
    fam = _check_family(family, obs, func)
    theta = fam.check_params(params, func)
    models = fam.pmf(theta.ravel(), func=func)
    return _divergences(obs, models, direction, lb).reshape(theta.shape)


@dataclass(frozen=True)
class KLFit:
    """The result of :func:`fit_by_kl`.

    Attributes
    ----------
    family : str
        Name of the fitted family.
    param_name : str
        Name of its parameter.
    param : float
        The minimising parameter value.
    divergence : float
        The divergence at `param`, in units of `base`.
    direction : str
        ``"forward"`` (``D(observed || model)``) or ``"reverse"``.
    base : float
        Logarithm base of `divergence` (2: bits).
    model : ndarray
        The fitted distribution on ``0..n`` (read-only).
    bounds : (float, float)
        The interval searched.
    """

    family: str
    param_name: str
    param: float
    divergence: float
    direction: str
    base: float
    model: NDArray[np.float64] = field(compare=False, repr=False)
    bounds: tuple[float, float] = (0.0, 1.0)

    def __str__(self) -> str:
        arrow = "observed || model" if self.direction == "forward" else "model || observed"
        unit = "bits" if self.base == 2 else ("nats" if math.isclose(self.base, math.e) else
                                               f"log-{self.base:g} units")
        return (f"{self.family}: {self.param_name} = {self.param:.6f}, "
                f"D({arrow}) = {self.divergence:.6f} {unit}")


def _check_bounds(bounds: object, fam: Family, func: str) -> tuple[float, float]:
    try:
        lo, hi = bounds  # type: ignore[misc]
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        raise TypeError(f"{func}: bounds must be a pair (low, high) of numbers, got {bounds!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"{func}: bounds must be finite with low < high, got {bounds!r}")
    dlo, dhi = fam.domain
    if lo < dlo or hi > dhi:
        raise ValueError(
            f"{func}: bounds {bounds!r} leave the domain of {fam.name}: {fam.param} must lie "
            f"in [{dlo:g}, {dhi:g}]"
        )
    return lo, hi


def fit_by_kl(observed: ArrayLike, family: Family, bounds: tuple[float, float], *,
              direction: str = "forward", base: float = 2) -> KLFit:
    """The member of `family` closest to `observed` in KL divergence, within `bounds`.

    The global minimum on ``[low, high]`` is located on a grid of 401 evenly
    spaced values (both ends included, so a minimum at an end of the
    interval is found exactly), then refined by a bounded Brent search
    (:func:`scipy.optimize.minimize_scalar`) between the grid neighbours of
    the best grid value. The parameter is accurate to about 1e-8 of the
    interval's scale for a smooth minimum.

    Parameters
    ----------
    observed : array_like, shape (n + 1,)
        Observed probabilities of the counts ``0..n``; must sum to 1.
    family : Family
        E.g. ``binomial_family(n)``, ``poisson_family(n)``.
    bounds : (float, float)
        Search interval, inside ``family.domain`` (finite).
    direction : {"forward", "reverse"}
        Minimise ``D(observed || model)`` (forward, the maximum-likelihood
        fit) or ``D(model || observed)`` (reverse).
    base : float
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    KLFit
        ``param``, ``divergence``, ``model`` and what was fitted.

    Raises
    ------
    ValueError
        `observed` not a distribution, support mismatch, bounds outside the
        family's domain, unknown direction, or a divergence that is infinite
        for every parameter in `bounds`.

    Examples
    --------
    >>> from klcourse.data import SPACE_WORM_TEETH as worms
    >>> fit = fit_by_kl(worms, two_block_family(10, 6), (0, 1))
    >>> round(fit.param, 6), round(fit.divergence, 4)
    (0.45, 0.1971)
    """
    func = "fit_by_kl"
    obs = _check_observed(observed, func)
    direction = _check_direction(direction, func)
    lb = _log_base(base, func)
    fam = _check_family(family, obs, func)
    lo, hi = _check_bounds(bounds, fam, func)
    return _fit(obs, fam, lo, hi, direction, lb, base, func)


def _fit(obs: NDArray, fam: Family, lo: float, hi: float, direction: str, lb: float,
         base: float, func: str) -> KLFit:
    """Grid search then Brent on validated inputs; `func` names the public caller in errors."""

    def curve(theta: NDArray) -> NDArray:
        return _divergences(obs, fam.pmf(theta, func=func), direction, lb)

    grid = np.linspace(lo, hi, _GRID_POINTS)
    values = curve(grid)
    if not np.isfinite(values).any():
        side = ("the model gives zero probability to a count the observation has"
                if direction == "forward" else
                "every model puts probability on a count the observation has never seen "
                "(observed probability 0)")
        raise ValueError(
            f"{func}: D is infinite for every {fam.param} in [{lo:g}, {hi:g}] "
            f"({direction} direction): {side}; no finite minimiser exists"
        )
    i = int(np.argmin(values))
    best_theta, best_value = float(grid[i]), float(values[i])
    a, b = float(grid[max(i - 1, 0)]), float(grid[min(i + 1, grid.size - 1)])

    def objective(t: float) -> float:
        v = float(curve(np.array([t]))[0])
        return v if math.isfinite(v) else 1e300  # steer Brent away from infinite values

    res = minimize_scalar(objective, bounds=(a, b), method="bounded",
                          options={"xatol": _XATOL * max(1.0, abs(hi - lo))})
    if res.fun <= best_value:
        best_theta, best_value = float(res.x), float(res.fun)
    model = fam.pmf(best_theta, func=func).copy()
    model.setflags(write=False)
    return KLFit(fam.name, fam.param, best_theta, best_value, direction, float(base), model,
                 (lo, hi))


@dataclass(frozen=True)
class BinomialFit:
    """The result of :func:`fit_binomial`: Binomial(n, p) fitted by KL.

    Attributes
    ----------
    p : float
        The fitted success probability.
    n : int
        Number of trials (the largest count).
    divergence : float
        The minimal divergence, in units of `base`.
    direction : str
        ``"forward"`` or ``"reverse"``.
    base : float
        Logarithm base (2: bits).
    model : ndarray
        ``binomial_pmf(n, p)`` (read-only).
    """

    p: float
    n: int
    divergence: float
    direction: str
    base: float
    model: NDArray[np.float64] = field(compare=False, repr=False)

    def __str__(self) -> str:
        arrow = "observed || Binomial" if self.direction == "forward" else "Binomial || observed"
        unit = "bits" if self.base == 2 else ("nats" if math.isclose(self.base, math.e) else
                                               f"log-{self.base:g} units")
        return (f"Binomial(n={self.n}, p={self.p:.6f}): D({arrow}) = "
                f"{self.divergence:.6f} {unit}")


def fit_binomial(observed: ArrayLike, *, n: int | None = None, direction: str = "forward",
                 base: float = 2) -> BinomialFit:
    """Fit Binomial(n, p) to an observed distribution of counts ``0..n`` by minimising KL.

    Built on :func:`fit_by_kl` over ``p`` in ``[0, 1]``. In the forward
    direction the minimiser is the maximum-likelihood value ``mean / n``.

    Parameters
    ----------
    observed : array_like, shape (n + 1,)
        Observed probabilities of ``0..n``; must sum to 1.
    n : int, optional
        Number of trials. Defaults to ``len(observed) - 1``; if given, it
        must agree with that.
    direction : {"forward", "reverse"}
        ``D(observed || binomial)`` or ``D(binomial || observed)``.
    base : float
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    BinomialFit
        With ``p``, ``n``, ``divergence``, ``direction``, ``base``, ``model``.

    Examples
    --------
    >>> import numpy as np
    >>> from klcourse.data import SPACE_WORM_TEETH as worms
    >>> fit = fit_binomial(worms)
    >>> round(fit.p, 6), round(float(worms @ np.arange(11)) / 10, 6)
    (0.544, 0.544)
    >>> print(fit)
    Binomial(n=10, p=0.544000): D(observed || Binomial) = 0.616535 bits
    >>> round(fit_binomial(worms, direction="reverse").p, 4)
    0.4883
    """
    func = "fit_binomial"
    obs = _check_observed(observed, func)
    direction = _check_direction(direction, func)
    lb = _log_base(base, func)
    if n is None:
        n = obs.shape[0] - 1
    n = _check_n(n, func)
    if n + 1 != obs.shape[0]:
        raise ValueError(
            f"{func}: n = {n} means counts 0..{n} ({n + 1} outcomes), but observed has "
            f"{obs.shape[0]} outcomes; pass n={obs.shape[0] - 1} or leave n out"
        )
    fit = _fit(obs, binomial_family(n), 0.0, 1.0, direction, lb, base, func)
    return BinomialFit(fit.param, n, fit.divergence, fit.direction, fit.base, fit.model)
