"""One check shared by the sample- and batch-based modules: "is this an array of real numbers?"."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


def real_array(x: Any, name: str, func: str, *, what: str = "every entry must be finite"
               ) -> NDArray[np.float64]:
    """`x` as a float array of finite real numbers, or a TypeError/ValueError that says why.

    Refuses masked arrays, strings and bytes, ragged nested lists, object and
    boolean arrays, NaN and infinities; `what` ends the message about the last two.

    Examples
    --------
    >>> real_array([1, 2], "x", "f").dtype
    dtype('float64')
    >>> real_array([1.0, float("nan")], "x", "f")
    Traceback (most recent call last):
    ...
    ValueError: f: x has nan at index (1,); every entry must be finite
    """
    if isinstance(x, np.ma.MaskedArray):
        raise TypeError(f"{func}: {name} is a masked array; pass a plain array (fill or drop "
                        "the masked entries yourself)")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{func}: {name} must be numbers, got {type(x).__name__} {x!r}")
    try:
        arr = np.asarray(x)
    except ValueError as err:   # ragged nested lists
        raise ValueError(f"{func}: {name} is ragged (rows of different lengths); pass a "
                         "rectangular array") from err
    if arr.dtype == object or arr.dtype.kind not in "iuf":
        raise TypeError(f"{func}: {name} must be real numbers, got dtype {arr.dtype}"
                        + (" (booleans are not numbers here)" if arr.dtype == bool else ""))
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"{func}: {name} has {arr[bad]} at index {bad}; {what}")
    return arr
