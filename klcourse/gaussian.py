"""KL divergence between Gaussian distributions, in closed form.

Two functions, one idea: for normal distributions the integral
``D(p || q) = E_p[log p(X) / q(X)]`` has a closed form, so no grid and no
sampling are needed.

* :func:`kl_gaussian` for univariate normals ``N(mu, sigma^2)`` (vectorised
  over parameter arrays);
* :func:`kl_mvn` for multivariate normals ``N(mu, cov)``, computed through
  Cholesky factors (no explicit matrix inverse).

Units follow :mod:`klcourse.measures`: ``base=2`` (bits) is the default and
``base=np.e`` gives nats, the unit in which Gaussian results are usually
quoted. Parameters are standard deviations ``sigma`` for :func:`kl_gaussian`
(as in ``scipy.stats.norm(loc, scale)``) and covariance matrices for
:func:`kl_mvn`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

import math

from klcourse._validation import Result, _as_numbers, _log_base
from klcourse.measures import _log_ratio

__all__ = ["kl_gaussian", "kl_mvn", "SYMMETRY_TOLERANCE"]

#: Largest accepted ``|cov - cov.T|``, relative to the largest entry of ``|cov|``.
SYMMETRY_TOLERANCE = 1e-10


def _as_real(x: ArrayLike, name: str, func: str) -> NDArray[np.float64]:
    """A float64 array of finite real numbers, or a clear TypeError/ValueError."""
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{func}: {name} must be a real number or array of real numbers, got {x!r}")
    arr = _as_numbers(x, name, func, what="real numbers")
    if arr.size == 0:
        raise ValueError(f"{func}: {name} is empty")
    if not np.all(np.isfinite(arr)):
        bad = float(arr[~np.isfinite(arr)].ravel()[0])
        raise ValueError(f"{func}: {name} contains {bad}; Gaussian parameters must be finite")
    return arr


def kl_gaussian(mu1: ArrayLike, sigma1: ArrayLike, mu2: ArrayLike, sigma2: ArrayLike,
                *, base: float = 2) -> Result:
    """KL divergence ``D(N(mu1, sigma1^2) || N(mu2, sigma2^2))`` between univariate normals.

    ``D = log(sigma2 / sigma1) + (sigma1^2 + (mu1 - mu2)^2) / (2 sigma2^2) - 1/2``
    nats, divided by ``ln(base)``.

    Parameters
    ----------
    mu1, sigma1 : array_like
        Mean and standard deviation (not variance) of the first normal, `p`.
    mu2, sigma2 : array_like
        Mean and standard deviation of the second normal, `q`.
    base : float, optional
        Logarithm base: 2 (bits, the default) or ``np.e`` (nats, the usual
        unit for Gaussians).

    Returns
    -------
    float or ndarray
        The divergence, ``>= 0``. A float when every parameter is a scalar;
        otherwise an array of the broadcast shape of the four parameters
        (parameters are numbers, one per distribution, so they broadcast as
        in ``scipy.stats.norm``; shapes that do not broadcast are an error).

    Raises
    ------
    ValueError
        A standard deviation ``<= 0``, a non-finite parameter, or parameter
        shapes that do not broadcast together.
    TypeError
        Non-numeric parameters.

    Examples
    --------
    ``D(N(0, 1) || N(1, 2^2)) = ln 2 - 1/4`` nats:

    >>> import math
    >>> import numpy as np
    >>> from klcourse.gaussian import kl_gaussian
    >>> round(kl_gaussian(0, 1, 1, 2, base=np.e), 6), round(math.log(2) - 0.25, 6)
    (0.443147, 0.443147)
    >>> kl_gaussian(0.0, 1.0, 0.0, 1.0)
    0.0
    >>> kl_gaussian([0, 1, 2], 1, 0, 1, base=np.e)  # (mu1 - mu2)^2 / 2 nats
    array([0. , 0.5, 2. ])
    """
    func = "kl_gaussian"
    lb = _log_base(base, func)
    m1 = _as_real(mu1, "mu1", func)
    s1 = _as_real(sigma1, "sigma1", func)
    m2 = _as_real(mu2, "mu2", func)
    s2 = _as_real(sigma2, "sigma2", func)
    for s, name in ((s1, "sigma1"), (s2, "sigma2")):
        if np.any(s <= 0):
            bad = s[s <= 0].ravel()[0]
            raise ValueError(f"{func}: {name} must be > 0 (a standard deviation, not a variance), "
                             f"got {bad:g}")
    try:
        m1, s1, m2, s2 = np.broadcast_arrays(m1, s1, m2, s2)
    except ValueError:
        raise ValueError(
            f"{func}: parameter shapes {np.shape(mu1)}, {np.shape(sigma1)}, {np.shape(mu2)}, "
            f"{np.shape(sigma2)} (mu1, sigma1, mu2, sigma2) do not broadcast together; "
            "pass scalars or arrays of matching shapes") from None
    # log(sigma2/sigma1) without forming the ratio where it would overflow or
    # underflow (sigma1 = 1e-200, sigma2 = 1e200 is 920.53 nats, not inf), and
    # exact when the two are nearly equal.
    log_ratio = _log_ratio(s2, s1)
    with np.errstate(over="ignore", invalid="ignore"):
        gap = m1 - m2
        # (mu1 - mu2)/sigma2, from the halves where mu1 - mu2 passes the largest float
        z = np.where(np.isinf(gap), (m1 / 2 - m2 / 2) / s2 * 2, gap / s2)
        nats = (log_ratio
                + 0.5 * np.expm1(-2.0 * log_ratio)  # (sigma1^2 / sigma2^2 - 1) / 2
                + 0.5 * z * z)                      # (mu1 - mu2)^2 / (2 sigma2^2)
    _check_representable(nats, func)
    out = np.maximum(nats, 0.0) / lb  # round-off below 0 when p = q
    return float(out) if out.ndim == 0 else out


def _check_representable(nats: NDArray, func: str) -> None:
    """A divergence beyond the float range is refused, not returned as inf."""
    if np.any(np.isinf(nats)):
        raise ValueError(
            f"{func}: the divergence exceeds the largest float (about 1.8e308 nats): the "
            "standard deviations or means differ by more than a factor of about 1e154; "
            "rescale the problem (D is unchanged by x -> a x + b) or compare log-parameters")


def _check_cov(cov: NDArray, name: str, k: int, func: str) -> NDArray:
    """Validate a covariance matrix and return its lower Cholesky factor."""
    if cov.shape != (k, k):
        raise ValueError(f"{func}: {name} must be a {k}x{k} matrix to match the mean's "
                         f"dimension {k}, got shape {cov.shape}")
    scale = float(np.max(np.abs(cov)))
    asym = float(np.max(np.abs(cov - cov.T)))
    if asym > SYMMETRY_TOLERANCE * max(scale, 1e-300):
        raise ValueError(f"{func}: {name} is not symmetric (largest |{name} - {name}.T| = {asym:.3g}); "
                         "a covariance matrix must equal its transpose: symmetrise it with "
                         f"({name} + {name}.T) / 2 if the asymmetry is round-off")
    try:
        chol = np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        smallest = float(np.linalg.eigvalsh(cov)[0])
        raise ValueError(f"{func}: {name} is not positive definite (smallest eigenvalue "
                         f"{smallest:.3g}); a covariance matrix needs all eigenvalues > 0") from None
    if np.any(np.diag(chol) <= 0) or not np.all(np.isfinite(chol)):
        raise ValueError(f"{func}: {name} is not positive definite (Cholesky factor has a "
                         "zero pivot); a covariance matrix needs all eigenvalues > 0")
    return chol


def kl_mvn(mu1: ArrayLike, cov1: ArrayLike, mu2: ArrayLike, cov2: ArrayLike,
           *, base: float = 2) -> float:
    """KL divergence ``D(N(mu1, cov1) || N(mu2, cov2))`` between multivariate normals.

    In nats, with ``k`` the dimension,
    ``D = (tr(cov2^-1 cov1) + d^T cov2^-1 d - k + log det cov2 - log det cov1) / 2``,
    ``d = mu2 - mu1``. With Cholesky factors ``cov = L L^T`` every term is a
    triangular solve: ``tr(cov2^-1 cov1) = ||L2^-1 L1||_F^2``,
    ``d^T cov2^-1 d = ||L2^-1 d||^2`` and ``log det cov = 2 sum log diag L``.
    No inverse is formed.

    Parameters
    ----------
    mu1, cov1 : array_like, shapes (k,) and (k, k)
        Mean and covariance matrix of the first normal, `p`.
    mu2, cov2 : array_like, shapes (k,) and (k, k)
        Mean and covariance matrix of the second normal, `q`.
    base : float, optional
        Logarithm base: 2 (bits, the default) or ``np.e`` (nats).

    Returns
    -------
    float
        The divergence, ``>= 0``.

    Raises
    ------
    ValueError
        Means of different lengths or not 1-D, covariances of the wrong shape,
        not symmetric, or not positive definite; non-finite entries.
    TypeError
        Non-numeric input.

    Examples
    --------
    >>> import numpy as np
    >>> from klcourse.gaussian import kl_mvn, kl_gaussian
    >>> kl_mvn([0, 0], np.eye(2), [0, 0], np.eye(2))
    0.0

    With diagonal covariances it is a sum of univariate divergences:

    >>> a = kl_mvn([0, 1], np.diag([1.0, 4.0]), [1, 0], np.diag([4.0, 1.0]), base=np.e)
    >>> b = kl_gaussian([0, 1], [1, 2], [1, 0], [2, 1], base=np.e).sum()
    >>> bool(abs(a - b) < 1e-12)
    True
    """
    func = "kl_mvn"
    lb = _log_base(base, func)
    m1 = _as_real(mu1, "mu1", func)
    m2 = _as_real(mu2, "mu2", func)
    c1 = _as_real(cov1, "cov1", func)
    c2 = _as_real(cov2, "cov2", func)
    for m, name in ((m1, "mu1"), (m2, "mu2")):
        if m.ndim != 1:
            raise ValueError(f"{func}: {name} must be a 1-D mean vector, got shape {m.shape}")
    if m1.shape != m2.shape:
        raise ValueError(f"{func}: mu1 and mu2 have different lengths {m1.shape[0]} and "
                         f"{m2.shape[0]}; both normals must live in the same dimension")
    k = m1.shape[0]
    l1 = _check_cov(c1, "cov1", k, func)
    l2 = _check_cov(c2, "cov2", k, func)
    # Solves with the triangular factor L2 (never an inverse). numpy's solver
    # is used rather than scipy.linalg.solve_triangular: for the small
    # matrices of this course the latter's threaded BLAS call was measured
    # 30-1000x slower on a busy two-core machine, the former is not.
    with np.errstate(over="ignore", invalid="ignore"):
        a = np.linalg.solve(l2, l1)        # L2^-1 L1
        b = np.linalg.solve(l2, m2 - m1)   # L2^-1 d
        trace = float(np.sum(a * a))
        mahal = float(b @ b)
    logdet_ratio = 2.0 * float(np.sum(np.log(np.diag(l2))) - np.sum(np.log(np.diag(l1))))
    nats = 0.5 * (trace + mahal - k + logdet_ratio)
    if not math.isfinite(nats):
        _check_representable(np.array([math.inf]), func)
    return max(nats, 0.0) / lb

