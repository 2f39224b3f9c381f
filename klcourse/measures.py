"""Information measures: entropy, cross-entropy, KL, Jensen-Shannon, Rényi, f-divergences.

One set of conventions holds for every function in this module.

* **Units.** ``base=2`` (bits) is the default. Any base ``> 0`` other than 1 is
  accepted; ``base=np.e`` gives nats. Measures without a logarithm (total
  variation, Hellinger, chi-squared) are plain numbers and take no ``base``.
* **Shapes.** The distribution lies along ``axis`` (the last one by default);
  the other axes are a batch, and the result has the batch shape. A 1-D input
  gives a Python ``float``. ``p`` and ``q`` must have exactly the same shape:
  nothing is ever broadcast.
* **Zeros.** ``0 * log(0 / q) = 0``; ``p > 0`` where ``q = 0`` gives ``inf``
  (no warning).
* **Validation.** Entries must be finite and non-negative and each distribution
  must sum to 1 within :data:`SUM_TOLERANCE`. Nothing is silently
  renormalised, dropped or broadcast: counts go through :func:`normalize`
  first. This is deliberate, because ``scipy.stats.entropy`` renormalises its
  inputs and ``scipy.special.rel_entr`` broadcasts them, which hides mistakes.
* **Round-off.** KL, Jensen-Shannon and Rényi divergences never come back
  negative, and Jensen-Shannon never exceeds ``log(2)`` in the chosen base.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import logsumexp

__all__ = [
    "SUM_TOLERANCE",
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "js_divergence",
    "js_distance",
    "renyi_divergence",
    "binary_entropy",
    "mutual_information",
    "normalize",
    "FGenerator",
    "F_GENERATORS",
    "f_divergence",
    "total_variation",
    "hellinger_squared",
    "hellinger_distance",
    "chi2_divergence",
]


from klcourse._validation import (
    SUM_TOLERANCE,
    Result,
    _as_float_array,
    _as_numbers,
    _check_entries_and_sums,
    _entry_problem,
    _finish,
    _log_base,
    _pair,
    _prepare,
)

# ---------------------------------------------------------------- the two careful pieces
# Both take arrays already validated by a public function (distributions on
# the last axis) and work in nats.


def _log_ratio(p: NDArray, q: NDArray, p_minus_q: NDArray | None = None) -> NDArray:
    """``log(p / q)`` elementwise for validated ``p > 0``, ``q >= 0`` (``inf`` where ``q = 0``).

    `p_minus_q` passes the difference when the caller has it more exactly than
    ``p - q`` (JS: ``2p - (p + q)`` is ``p - q``, but ``p + q`` was rounded).
    """
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        # log(p/q) = ±log1p(|p - q| / min(p, q)), + when p > q: when p and q agree
        # to many digits, p - q is exact and log1p keeps them all, where log(p/q)
        # keeps only what survives rounding p/q to a float near 1 (a KL of 1e-17
        # instead of 1e-20); far apart, it is as accurate as log(p/q).
        d = p - q if p_minus_q is None else p_minus_q
        out = np.minimum(p, q, out=np.empty(np.shape(d)))  # one buffer, steps in place
        np.divide(d, out, out=out)      # (p - q) / min(p, q)
        np.abs(out, out=out)
        np.log1p(out, out=out)          # log(max(p, q) / min(p, q))
        np.copysign(out, d, out=out)    # log(p/q)
        # p/q beyond the largest float (q subnormal; or any p, q > 0 far apart,
        # such as standard deviations 1e200 and 1e-200): log p - log q is finite.
        inf = np.isinf(out)
        if inf.any():
            out = np.where(inf & (q > 0), np.log(p) - np.log(q), out)
    return out


def _kl_terms(p: NDArray, q: NDArray) -> NDArray:
    """The terms ``p log(p/q) - (p - q)`` of ``D(p || q)`` in nats (``q`` where ``p = 0``).

    The ``-(p - q)`` sum to 0 for two distributions, so the sum is the KL
    divergence; they make every term ``>= 0`` (``log t >= 1 - 1/t``, the proof
    of Gibbs' inequality), so nearly equal distributions give a sum that does
    not cancel to round-off, and the last-digit difference between ``sum p``
    and ``sum q`` (1e-16) cannot swamp a divergence of 1e-20.
    """
    d = p - q
    terms = _log_ratio(p, q, d)
    with np.errstate(invalid="ignore"):
        terms *= p
        terms -= d                 # p log(p/q) - (p - q), in place
    zero = p == 0
    if zero.any():
        terms[zero] = q[zero]      # 0 log(0/q) = 0, so the term is q
    return terms


# ---------------------------------------------------------------- public API


def entropy(p: ArrayLike, *, base: float = 2, axis: int = -1) -> Result:
    """Shannon entropy ``H(p) = -sum_x p(x) log p(x)``.

    Parameters
    ----------
    p : array_like
        Probabilities along `axis`, each distribution summing to 1.
    base : float, optional
        Logarithm base: 2 (bits, the default), ``np.e`` (nats), ...
    axis : int, optional
        Axis holding the distribution; other axes are a batch.

    Returns
    -------
    float or ndarray
        Entropy in units of `base`: a float for 1-D `p`, otherwise an array
        with the batch shape.

    Raises
    ------
    ValueError
        For empty input, NaN, infinite or negative entries, or a distribution
        that does not sum to 1 (use :func:`normalize` on counts).
    TypeError
        For non-numeric input.

    Examples
    --------
    A fair coin carries one bit; a fair die log2(6) bits:

    >>> from klcourse import entropy
    >>> entropy([0.5, 0.5])
    1.0
    >>> round(entropy([1/6] * 6), 4)
    2.585
    >>> entropy([[1.0, 0.0], [0.5, 0.5]], base=2)
    array([0., 1.])
    """
    func = "entropy"
    lb = _log_base(base, func)
    p = _prepare(p, "p", func, axis)               # distributions on the last axis
    _check_entries_and_sums(p, "p", func, axis)    # validated once, here
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log(p), 0.0)  # 0 log 0 = 0
    return _finish(terms.sum(axis=-1), lb)         # nats / ln(base)


def cross_entropy(p: ArrayLike, q: ArrayLike, *, base: float = 2, axis: int = -1) -> Result:
    """Cross-entropy ``H(p, q) = -sum_x p(x) log q(x) = H(p) + D(p || q)``.

    The average code length (in units of `base`) when outcomes come from `p`
    but the code was built for `q`. Infinite where ``q(x) = 0 < p(x)``.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis` (`p` the truth, `q` the
        model).
    base : float, optional
        Logarithm base, 2 (bits) by default.
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``H(p, q)``; a float for 1-D input.

    Examples
    --------
    >>> from klcourse import cross_entropy
    >>> cross_entropy([0.5, 0.5], [0.5, 0.5])
    1.0
    >>> round(cross_entropy([0.5, 0.5], [0.9, 0.1]), 4)
    1.737
    """
    func = "cross_entropy"
    lb = _log_base(base, func)
    p, q = _pair(p, q, func, axis)     # validated once: same shape, entries >= 0, sums 1
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log(q), 0.0)  # 0 log q = 0; p > 0 = q gives inf
    return _finish(terms.sum(axis=-1), lb)            # nats / ln(base)


def kl_divergence(p: ArrayLike, q: ArrayLike, *, base: float = 2, axis: int = -1) -> Result:
    """Kullback-Leibler divergence ``D(p || q) = sum_x p(x) log(p(x) / q(x))``.

    The expected extra code length per symbol paid for coding data from `p`
    with a code built for `q`; also ``E_p[log p(X)/q(X)]``. Not symmetric.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis` (`p` the truth, `q` the
        model). Never broadcast or renormalised.
    base : float, optional
        Logarithm base, 2 (bits) by default; ``np.e`` for nats.
    axis : int, optional
        Axis holding the distributions; other axes are a batch.

    Returns
    -------
    float or ndarray
        ``D(p || q) >= 0``; ``inf`` where some ``q(x) = 0 < p(x)``.

    Raises
    ------
    ValueError
        Different shapes, empty input, NaN/inf/negative entries, sums off 1.
    TypeError
        Non-numeric input.

    Examples
    --------
    >>> from klcourse import kl_divergence
    >>> kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    >>> round(kl_divergence([0.5, 0.5], [0.9, 0.1]), 4)
    0.737
    >>> round(kl_divergence([0.9, 0.1], [0.5, 0.5]), 4)
    0.531
    >>> kl_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    """
    func = "kl_divergence"
    lb = _log_base(base, func)
    p, q = _pair(p, q, func, axis)  # validated once: same shape, entries >= 0, sums 1
    # sum_x p(x) log(p(x)/q(x)), 0 log 0 = 0; each term also carries -(p - q),
    # which sums to 0 and keeps every term >= 0 (see _kl_terms just above).
    nats = _kl_terms(p, q).sum(axis=-1)
    return _finish(nats, lb)        # nats / ln(base)


def js_divergence(p: ArrayLike, q: ArrayLike, *, base: float = 2, axis: int = -1) -> Result:
    """Jensen-Shannon divergence ``JS(p, q) = (D(p||m) + D(q||m)) / 2``, ``m = (p + q) / 2``.

    Symmetric, always finite, and at most 1 bit (``log(2)`` in general); equal
    to 1 bit exactly when `p` and `q` have disjoint supports. This is the
    divergence itself; its square root, a metric, is :func:`js_distance`.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`.
    base : float, optional
        Logarithm base, 2 (bits) by default.
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``0 <= JS(p, q) <= log_base(2)``.

    Examples
    --------
    >>> from klcourse import js_divergence
    >>> js_divergence([1.0, 0.0], [0.0, 1.0])
    1.0
    >>> round(js_divergence([0.5, 0.5], [0.9, 0.1]), 4)
    0.1468
    """
    func = "js_divergence"
    lb = _log_base(base, func)
    p, q = _pair(p, q, func, axis)  # validated once: same shape, entries >= 0, sums 1
    # D(p || m) + D(q || m) with m = (p + q)/2, written with s = p + q (= 2m, which
    # cannot underflow to 0 where p > 0, as halving a subnormal can).
    s = p + q
    with np.errstate(invalid="ignore"):
        terms = (np.where(p > 0, p * _log_ratio(2 * p, s, p - q), 0.0)    # p log(p/m)
                 + np.where(q > 0, q * _log_ratio(2 * q, s, q - p), 0.0))  # q log(q/m)
    return _finish(0.5 * terms.sum(axis=-1), lb, upper=math.log(2))  # nats / ln(base)


def js_distance(p: ArrayLike, q: ArrayLike, *, base: float = 2, axis: int = -1) -> Result:
    """Jensen-Shannon distance ``sqrt(JS(p, q))``: a true metric.

    Same as ``scipy.spatial.distance.jensenshannon`` (which calls this the
    distance, too), but without its silent renormalisation.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`.
    base : float, optional
        Base of the logarithm inside the divergence, 2 by default (then the
        distance lies in [0, 1]).
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``sqrt(js_divergence(p, q, base=base))``.

    Examples
    --------
    >>> from klcourse import js_distance
    >>> js_distance([1.0, 0.0], [0.0, 1.0])
    1.0
    >>> round(js_distance([0.5, 0.5], [0.9, 0.1]), 4)
    0.3831
    """
    func = "js_distance"
    _log_base(base, func, above_one=True)  # base < 1: negative divergence, no square root
    p, q = _pair(p, q, func, axis)         # validated here, so errors name js_distance
    js = js_divergence(p, q, base=base)
    return math.sqrt(js) if isinstance(js, float) else np.sqrt(js)


def renyi_divergence(p: ArrayLike, q: ArrayLike, alpha: float, *, base: float = 2,
                     axis: int = -1) -> Result:
    """Rényi divergence of order `alpha`, ``1/(alpha-1) log sum_x p(x)^alpha q(x)^(1-alpha)``.

    Defined for every ``alpha`` in ``[0, inf]`` through its limits:

    * ``alpha = 0``: ``-log Q(p > 0)``, minus the log of the mass `q` puts on
      the support of `p`;
    * ``alpha = 1``: the KL divergence ``D(p || q)``;
    * ``alpha = inf``: ``log max_{p(x) > 0} p(x) / q(x)``.

    Non-decreasing in `alpha`, and continuous at 1: the sum is evaluated as
    ``log1p(sum p * expm1((alpha-1) log(p/q))) / (alpha-1)``, which keeps full
    precision as alpha approaches 1.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`.
    alpha : float
        Order, a number in ``[0, inf]`` (``np.inf`` allowed).
    base : float, optional
        Logarithm base, 2 (bits) by default.
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``D_alpha(p || q) >= 0`` (may be ``inf``).

    Examples
    --------
    >>> from klcourse import renyi_divergence, kl_divergence
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> round(renyi_divergence(p, q, 1), 4) == round(kl_divergence(p, q), 4)
    True
    >>> [round(renyi_divergence(p, q, a), 4) for a in (0, 0.5, 2, float("inf"))]
    [0.0, 0.3219, 1.4739, 2.3219]
    """
    func = "renyi_divergence"
    lb = _log_base(base, func)
    a = _order(alpha, func)
    p, q = _pair(p, q, func, axis)  # validated once: same shape, entries >= 0, sums 1
    if a == 1:
        return _finish(_kl_terms(p, q).sum(axis=-1), lb)  # the KL divergence
    support = p > 0
    # r = log(p/q) on the support of p (inf where q = 0); the sum is sum_p p e^{t r}
    r = np.where(support, _log_ratio(np.where(support, p, 1.0), q), 0.0)
    if a == math.inf:
        return _finish(np.max(np.where(support, r, -np.inf), axis=-1), lb)
    t = a - 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # Near alpha = 1 (|t r| <= 1): log sum p e^{t r} = log1p(sum p expm1(t r)),
        # which keeps every digit as alpha -> 1. The terms -t (p - q) sum to 0;
        # they cancel the first-order part, so nearly equal p and q keep theirs.
        tr = np.where(support, t * r, 0.0)
        near = np.all(np.abs(tr) <= 1.0, axis=-1)
        s = np.sum(np.where(support, p * np.expm1(tr), 0.0) - t * (p - q), axis=-1)
        near_one = np.log1p(s) / t
        # Elsewhere: factor out the extreme ratio c (the largest r for alpha > 1,
        # the smallest for alpha < 1) so that no exponent is positive, even for a
        # huge alpha: D = c + log(sum p e^{t (r - c)}) / t, which tends to D_inf.
        c = (np.max if t > 0 else np.min)(np.where(support, r, -t * np.inf), axis=-1)
        shifted = np.where(support, np.log(np.where(support, p, 1.0)) + t * (r - c[..., None]),
                           -np.inf)
        far = c + logsumexp(shifted, axis=-1) / t
        out = np.where(near, near_one, np.where(np.isinf(c), np.inf, far))
    return _finish(out, lb)


def _order(alpha: object, func: str) -> float:
    """The Rényi order as a float in [0, inf] (an int beyond the float range is inf)."""
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"{func}: alpha must be a real number in [0, inf], got {alpha!r}")
    try:
        a = float(alpha)
    except OverflowError:  # e.g. 10**400: beyond every float, D_alpha = D_inf to float precision
        a = math.inf if alpha > 0 else -math.inf
    if math.isnan(a) or a < 0:
        raise ValueError(f"{func}: alpha must be in [0, inf] (np.inf allowed), got {alpha!r}")
    return a


def binary_entropy(x: ArrayLike, *, base: float = 2) -> Result:
    """Entropy of a coin with bias `x`: ``h(x) = -x log x - (1-x) log(1-x)``.

    Vectorised over `x`; ``h(0) = h(1) = 0`` and ``h(1/2) = 1`` bit.

    Parameters
    ----------
    x : array_like
        Probability (or probabilities) of heads, each in ``[0, 1]``.
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    float or ndarray
        A float for scalar `x`, else an array of the same shape.

    Examples
    --------
    >>> from klcourse import binary_entropy
    >>> binary_entropy(0.5)
    1.0
    >>> binary_entropy([0.0, 0.11, 1.0]).round(3).tolist()
    [0.0, 0.5, 0.0]
    """
    func = "binary_entropy"
    lb = _log_base(base, func)
    arr = _as_numbers(x, "x", func, what="probabilities")
    if arr.size == 0:
        raise ValueError(f"{func}: x is empty")
    bad = ~((arr >= 0) & (arr <= 1))
    if bad.any():
        raise ValueError(
            f"{func}: x must lie in [0, 1] (a probability), got {arr[bad].ravel()[0]!r}"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -(arr * np.log(arr) + (1 - arr) * np.log1p(-arr))
    h = np.where((arr == 0) | (arr == 1), 0.0, h)
    return _finish(h, lb)


def mutual_information(joint: ArrayLike, *, base: float = 2) -> float:
    """Mutual information ``I(X; Y)`` of a 2-D joint probability table.

    Mutual information is a KL divergence: ``I(X; Y) = D(P_XY || P_X P_Y)``,
    the extra bits paid by a model that treats X and Y as independent. It is
    computed exactly that way.

    Parameters
    ----------
    joint : array_like, shape (nx, ny)
        ``joint[i, j] = P(X = i, Y = j)``; all entries sum to 1.
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    float
        ``I(X; Y) >= 0``, zero exactly when X and Y are independent.

    Examples
    --------
    Two copies of one fair bit share one bit:

    >>> from klcourse import mutual_information
    >>> mutual_information([[0.5, 0.0], [0.0, 0.5]])
    1.0
    >>> mutual_information([[0.25, 0.25], [0.25, 0.25]])
    0.0
    """
    func = "mutual_information"
    lb = _log_base(base, func)
    arr = _as_float_array(joint, "joint", func)
    if arr.ndim != 2:
        raise ValueError(
            f"{func}: joint must be a 2-D table P(X=i, Y=j), got {arr.ndim} dimension(s) "
            f"with shape {arr.shape}"
        )
    flat = arr.ravel()
    _check_entries_and_sums(flat, "joint", func, -1)
    # D(P_XY || P_X P_Y) summed over the support of the joint. In log space,
    # so that a product of tiny marginals cannot underflow to 0 (which would
    # turn the divergence into a spurious inf).
    px, py = arr.sum(axis=1), arr.sum(axis=0)
    i, j = np.nonzero(arr)
    pxy = arr[i, j]
    mi = float(np.sum(pxy * (np.log(pxy) - np.log(px[i]) - np.log(py[j]))))
    return float(_finish(mi, lb))


def normalize(counts: ArrayLike, *, axis: int = -1) -> NDArray[np.float64]:
    """Turn non-negative counts (or weights) into probabilities along `axis`.

    Integer counts of any size are divided exactly (no overflow, even beyond
    64 bits). This is the only function in klcourse that rescales anything.

    Parameters
    ----------
    counts : array_like
        Non-negative, finite counts or weights; each slice along `axis` must
        have a positive total.
    axis : int, optional
        Axis along which each distribution lies.

    Returns
    -------
    ndarray of float64
        Same shape as `counts`, summing to 1 along `axis`.

    Examples
    --------
    >>> from klcourse import normalize
    >>> normalize([1, 1, 2])
    array([0.25, 0.25, 0.5 ])
    >>> normalize([[3, 1], [0, 5]])
    array([[0.75, 0.25],
           [0.  , 1.  ]])
    """
    func = "normalize"
    if type(counts) in (list, tuple) or (type(counts) is np.ndarray and counts.dtype.kind == "O"):
        try:
            obj = np.asarray(counts)
        except ValueError:  # ragged: _as_numbers below says so
            obj = None
        if obj is not None and obj.dtype.kind == "O":  # e.g. Python ints beyond 64 bits
            return _normalize_python_ints(obj, axis, func)
    arr = _as_numbers(counts, "counts", func, what="counts")
    if arr.dtype.kind in "iu":
        # Convert before summing: an int64 total can overflow.
        arr = arr.astype(np.float64)
    farr = _prepare(arr, "counts", func, axis)
    problem = _entry_problem(farr, "counts", func, entries="counts")
    if problem is not None:
        raise problem
    with np.errstate(over="ignore"):
        totals = farr.sum(axis=-1, keepdims=True)
    if not np.all(totals > 0):
        raise ValueError(
            f"{func}: counts along axis {axis} sum to 0 "
            "(all zero); there is no distribution to normalise"
        )
    if not np.all(np.isfinite(totals)):
        scale = farr.max(axis=-1, keepdims=True)
        out = (farr / scale) / (farr / scale).sum(axis=-1, keepdims=True)
    else:
        out = farr / totals
    return np.moveaxis(out, -1, axis) if axis not in (-1, out.ndim - 1) else out


def _normalize_python_ints(arr: NDArray, axis: int, func: str) -> NDArray[np.float64]:
    """Exact normalisation of arbitrarily large Python integers."""
    if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in arr.flat):
        return normalize(_as_numbers(arr, "counts", func, what="counts"), axis=axis)
    if arr.ndim == 0 or arr.size == 0:
        _as_float_array(arr.astype(np.float64) if arr.size else np.array([]), "counts", func)
    moved = np.moveaxis(arr, axis, -1)
    out = np.empty(moved.shape, dtype=np.float64)
    for idx in np.ndindex(moved.shape[:-1]):
        row = [int(v) for v in moved[idx]]
        if any(v < 0 for v in row):
            raise ValueError(f"{func}: counts has a negative entry; counts must be >= 0")
        total = sum(row)
        if total == 0:
            raise ValueError(f"{func}: counts along axis {axis} sum to 0 (all zero); "
                             "there is no distribution to normalise")
        out[idx] = [v / total for v in row]  # int / int is correctly rounded
    return np.moveaxis(out, -1, axis)


# The f-divergence family lives in its own module; it is part of the measures.
from klcourse.fdivergences import (  # noqa: E402
    F_GENERATORS,
    FGenerator,
    chi2_divergence,
    f_divergence,
    hellinger_distance,
    hellinger_squared,
    total_variation,
)
