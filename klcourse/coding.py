"""Prefix codes: Huffman codes, code lengths, Kraft's inequality and block coding.

A *prefix code* maps each symbol to a codeword, a string of ``'0'`` and
``'1'``, such that no codeword is the beginning of another; a concatenation
of codewords can then be split back into symbols without separators. This
module builds such codes and uses them on real sequences, so that the bits
behind ``H(p) <= L < H(p) + 1`` can be counted rather than asserted.

Conventions
-----------
* Bits are Python strings of ``'0'``/``'1'``: ``len(bits)`` *is* the number
  of bits, and a learner can read them.
* Probabilities are validated as in :mod:`klcourse.measures` (finite,
  non-negative, summing to 1 within :data:`klcourse.SUM_TOLERANCE`); nothing is
  renormalised silently.
* Symbols with probability 0 get **no codeword** (a code that wastes no room on
  the impossible); encoding one raises a ``ValueError`` naming it.
* An alphabet with a single possible symbol gets the empty codeword ``''``:
  it carries no information and costs 0 bits, so decoding needs to be told how
  many symbols there were (``n``).

The arithmetic coder, whose lengths are not rounded to whole bits per
symbol, lives in :mod:`klcourse.arithmetic`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse._validation import _check_bits, _check_symbol_count, _distribution_1d

__all__ = [
    "validate_distribution",
    "huffman_code",
    "huffman_merges",
    "Merge",
    "canonical_code",
    "code_lengths",
    "kraft_sum",
    "shannon_code_lengths",
    "expected_length",
    "prefix_encode",
    "prefix_decode",
    "block_probabilities",
    "to_blocks",
    "from_blocks",
]


def validate_distribution(p: ArrayLike, name: str, func: str) -> NDArray[np.float64]:
    """Return `p` as a validated 1-D float array, or raise a clear error.

    The checks are those of :mod:`klcourse.measures`: numbers only, 1-D, not
    empty, finite, non-negative, summing to 1 within
    :data:`klcourse.SUM_TOLERANCE`.

    Parameters
    ----------
    p : array_like
        Candidate distribution.
    name, func : str
        The argument's and the calling function's names, for the error message.

    Examples
    --------
    >>> validate_distribution([0.5, 0.5], "p", "demo")
    array([0.5, 0.5])
    >>> try:
    ...     validate_distribution([0.5, 0.6], "p", "demo")
    ... except ValueError as err:
    ...     print(str(err)[:34])
    demo: p sums to 1.1 along axis -1,
    """
    return _distribution_1d(p, name, func, must_be="1-D (one probability per symbol)")


def _symbol_labels(symbols: Sequence[Hashable] | None, m: int, func: str) -> list[Hashable]:
    if symbols is None:
        return list(range(m))
    labels = list(symbols)
    if len(labels) != m:
        raise ValueError(f"{func}: {m} probabilities but {len(labels)} symbols; "
                         "give one symbol per probability, in the same order")
    if len(set(labels)) != m:
        seen: set = set()
        dup = next(s for s in labels if s in seen or seen.add(s))  # type: ignore[func-returns-value]
        raise ValueError(f"{func}: symbol {dup!r} appears twice; symbols must be distinct")
    return labels


def _huffman_merges(probs: list[float]) -> list[tuple[int, float, int, float]]:
    """Huffman's loop on validated positive probabilities.

    Nodes ``0 .. n-1`` are the leaves; merge ``j`` makes node ``n + j``. Each
    entry is ``(first, p_first, second, p_second)``: the two least likely
    subtrees, the first of which gets the bit ``'0'``. Ties go to the smaller
    node number: leaves in the order given, then merged subtrees in the order
    they were made.

    Two queues instead of a heap: the leaves wait sorted by probability, and
    each merged subtree is at least as likely as the one merged before it, so
    the merged ones queue up sorted too. The two least likely subtrees are
    always at the fronts of the two queues.
    """
    n = len(probs)
    leaves = deque(sorted(zip(probs, range(n))))       # (probability, node)
    merged: deque[tuple[float, int]] = deque()

    def least() -> tuple[float, int]:
        if not merged or (leaves and leaves[0][0] <= merged[0][0]):
            return leaves.popleft()                    # a tie goes to the leaf
        return merged.popleft()

    merges = []
    while len(leaves) + len(merged) > 1:
        p0, first = least()
        p1, second = least()
        merges.append((first, p0, second, p1))
        merged.append((p0 + p1, n + len(merges) - 1))
    return merges


def huffman_code(p: ArrayLike, symbols: Sequence[Hashable] | None = None) -> dict[Hashable, str]:
    """An optimal prefix code for the distribution `p` (Huffman's algorithm).

    Repeatedly merges the two least likely subtrees (:func:`huffman_merges`
    lists the steps); in each merge the first subtree gets the bit ``'0'``,
    the second ``'1'``, so a codeword is the path from the last merge down to
    its symbol. Ties are broken deterministically: among equal probabilities,
    leaves in the order given come first, then merged subtrees in the order
    they were made. The result therefore depends only on `p` (and the order
    of `symbols`). A million symbols take a few seconds.

    Parameters
    ----------
    p : array_like
        1-D probabilities, one per symbol, summing to 1.
    symbols : sequence of hashable, optional
        Labels of the symbols (default ``0, 1, ..., len(p) - 1``).

    Returns
    -------
    dict
        ``{symbol: codeword}``, codewords being strings of ``'0'``/``'1'``.
        Symbols with ``p = 0`` are left out (they never need coding). A single
        possible symbol gets the empty codeword ``''`` (zero bits).

    Raises
    ------
    ValueError
        If `p` is not a distribution or `symbols` does not match it.

    Examples
    --------
    >>> huffman_code([0.5, 0.25, 0.25], symbols="abc")
    {'a': '0', 'b': '10', 'c': '11'}
    >>> huffman_code([0.0, 1.0], symbols="xy")
    {'y': ''}
    """
    func = "huffman_code"
    arr = validate_distribution(p, "p", func)
    labels = _symbol_labels(symbols, arr.size, func)
    live = np.flatnonzero(arr > 0).tolist()
    merges = _huffman_merges(arr[live].tolist())
    # walk down from the last merge (the root): the first subtree appends '0', the second '1'
    word = [""] * (len(live) + len(merges))
    for j in reversed(range(len(merges))):
        first, _, second, _ = merges[j]
        word[first], word[second] = word[len(live) + j] + "0", word[len(live) + j] + "1"
    return {labels[i]: word[leaf] for leaf, i in enumerate(live)}


class Merge(NamedTuple):
    """One step of Huffman's algorithm: two subtrees joined into one.

    The symbols of `first` get the bit ``'0'`` in front of their codewords so
    far, those of `second` the bit ``'1'``; the new subtree has probability
    ``p_first + p_second``.
    """

    first: tuple       #: symbols in the subtree that gets bit '0'
    p_first: float     #: its probability
    second: tuple      #: symbols in the subtree that gets bit '1'
    p_second: float    #: its probability


def huffman_merges(p: ArrayLike, symbols: Sequence[Hashable] | None = None) -> list[Merge]:
    """The steps of Huffman's algorithm for `p`: which two subtrees merge, in order.

    At each step the two least likely subtrees merge (ties as in
    :func:`huffman_code`, which makes exactly these merges). Symbols of
    probability 0 take no part. Meant for small alphabets: each step lists
    the symbols of both subtrees.

    Parameters
    ----------
    p : array_like
        1-D probabilities, one per symbol, summing to 1.
    symbols : sequence of hashable, optional
        Labels of the symbols (default ``0, 1, ..., len(p) - 1``).

    Returns
    -------
    list of Merge
        ``len(live) - 1`` merges, ``live`` being the symbols with ``p > 0``;
        the last one joins everything into the whole tree.

    Examples
    --------
    >>> for m in huffman_merges([0.4, 0.3, 0.2, 0.1], symbols="abcd"):
    ...     print(f"{m.first} ({m.p_first:.1f}) + {m.second} ({m.p_second:.1f})")
    ('d',) (0.1) + ('c',) (0.2)
    ('b',) (0.3) + ('d', 'c') (0.3)
    ('a',) (0.4) + ('b', 'd', 'c') (0.6)

    Read from the last merge down: ``d`` is in the second subtree (``'1'``),
    then the second (``'1'``), then the first (``'0'``):

    >>> huffman_code([0.4, 0.3, 0.2, 0.1], symbols="abcd")
    {'a': '0', 'b': '10', 'c': '111', 'd': '110'}
    """
    func = "huffman_merges"
    arr = validate_distribution(p, "p", func)
    labels = _symbol_labels(symbols, arr.size, func)
    live = np.flatnonzero(arr > 0).tolist()
    members = [(labels[i],) for i in live]        # the symbols under each node
    steps = []
    for first, p0, second, p1 in _huffman_merges(arr[live].tolist()):
        steps.append(Merge(members[first], p0, members[second], p1))
        members.append(members[first] + members[second])
    return steps


def canonical_code(lengths: ArrayLike, symbols: Sequence[Hashable] | None = None
                   ) -> dict[Hashable, str]:
    """A prefix code with the given codeword lengths (the canonical one).

    Symbols are taken in order of (length, position) and given consecutive
    binary numbers, so shorter codewords come first. Possible exactly when
    Kraft's inequality ``sum 2**-l <= 1`` holds. A length of 0 means "no
    codeword" (a symbol of probability 0), unless it is the only symbol.

    Parameters
    ----------
    lengths : array_like of int
        Codeword length of each symbol, in bits.
    symbols : sequence of hashable, optional
        Labels (default ``0, 1, ...``).

    Returns
    -------
    dict
        ``{symbol: codeword}``.

    Raises
    ------
    ValueError
        If the lengths violate Kraft's inequality (no prefix code has them).

    Examples
    --------
    >>> canonical_code([2, 1, 3, 3], symbols="abcd")
    {'b': '0', 'a': '10', 'c': '110', 'd': '111'}
    >>> canonical_code(shannon_code_lengths([0.4, 0.6]))
    {1: '0', 0: '10'}
    """
    func = "canonical_code"
    arr = np.asarray(lengths)
    if arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in "iu":
        raise TypeError(f"{func}: lengths must be a non-empty 1-D array of integers, got {lengths!r}")
    labels = _symbol_labels(symbols, arr.size, func)
    if arr.min() < 0:
        raise ValueError(f"{func}: lengths must be >= 0, got {int(arr.min())}")
    live = [i for i in range(arr.size) if arr[i] > 0]
    if not live:
        if arr.size == 1:
            return {labels[0]: ""}
        raise ValueError(f"{func}: all lengths are 0; give the symbols that occur a length >= 1")
    k = _exact_kraft_sum(arr[live].tolist())
    if k > 1:
        raise ValueError(f"{func}: Kraft sum of the lengths is 1 + {float(k - 1):.3g} > 1 "
                         "(computed exactly), so no prefix code has them; lengthen some "
                         "codewords")
    out: dict[Hashable, str] = {}
    value, prev = 0, 0
    for i in sorted(live, key=lambda i: (int(arr[i]), i)):
        length = int(arr[i])
        value <<= length - prev
        out[labels[i]] = format(value, f"0{length}b")
        value += 1
        prev = length
    return out


def code_lengths(code: Mapping[Hashable, str], symbols: Sequence[Hashable] | None = None
                 ) -> NDArray[np.int64]:
    """Codeword lengths in bits, in the order of `symbols` (default: the code's order).

    A symbol without a codeword (probability 0) is reported with length 0
    only if it is absent from `code` *and* listed in `symbols`; use this with
    :func:`expected_length`, where its probability 0 makes the length irrelevant.

    Parameters
    ----------
    code : mapping
        ``{symbol: codeword}``, e.g. from :func:`huffman_code`.
    symbols : sequence, optional
        The order (and set) of symbols to report.

    Examples
    --------
    >>> code_lengths({'a': '0', 'b': '10', 'c': '11'})
    array([1, 2, 2])
    >>> code_lengths({'b': '1', 'c': '0'}, symbols="abc")
    array([0, 1, 1])
    """
    _check_code(code, "code_lengths")
    keys = list(code) if symbols is None else list(symbols)
    return np.array([len(code.get(s, "")) for s in keys], dtype=np.int64)


def _exact_kraft_sum(lengths: list[int]) -> Fraction:
    """``sum_i 2**-l_i`` as an exact fraction (floats would round 1 + 2**-53 to 1)."""
    top = max(lengths, default=0)
    return Fraction(sum(2 ** (top - length) for length in lengths), 2**top)


def kraft_sum(lengths: ArrayLike) -> float:
    """Kraft's sum ``sum_i 2**-l_i``: at most 1 for every prefix code.

    Equality holds for a *complete* code such as Huffman's (two or more
    symbols); conversely any lengths with a sum <= 1 belong to some prefix code.
    The sum is computed exactly and rounded *up* to a float, so
    ``kraft_sum(lengths) <= 1`` holds exactly when a prefix code with these
    lengths exists (``[1, 1, 53]`` sums to ``1 + 2**-53``, which plain
    floating point would round to 1).

    Parameters
    ----------
    lengths : array_like of int
        Codeword lengths in bits, each >= 0.

    Examples
    --------
    >>> kraft_sum([1, 2, 2])
    1.0
    >>> kraft_sum([1, 1, 2])   # no prefix code has these lengths
    1.25
    >>> kraft_sum([1, 1, 53]) > 1
    True
    """
    arr = np.asarray(lengths)
    if arr.dtype.kind not in "iu" or arr.ndim != 1:
        raise TypeError(f"kraft_sum: lengths must be a 1-D array of integers, got {lengths!r}")
    if arr.size and arr.min() < 0:
        raise ValueError(f"kraft_sum: lengths must be >= 0, got {int(arr.min())}")
    exact = _exact_kraft_sum(arr.tolist())
    rounded = float(exact)
    return rounded if rounded >= exact else math.nextafter(rounded, math.inf)


def shannon_code_lengths(q: ArrayLike) -> NDArray[np.int64]:
    """Shannon's code lengths ``ceil(-log2 q(x))`` for a model `q`.

    They satisfy Kraft's inequality, so a prefix code with these lengths exists;
    on data from `p` its mean length lies in ``[H(p) + D(p||q), H(p) + D(p||q) + 1)``
    (Cover & Thomas, Theorem 5.4.3). Symbols with ``q = 0`` get no codeword and
    are reported with length 0 (their cost on data where they occur is infinite).

    Parameters
    ----------
    q : array_like
        The model distribution the code is built for.

    Examples
    --------
    >>> shannon_code_lengths([0.5, 0.25, 0.125, 0.125])
    array([1, 2, 3, 3])
    >>> shannon_code_lengths([0.4, 0.6])
    array([2, 1])
    >>> q = np.nextafter(0.25, 0)        # just below 1/4: -log2 q > 2, so 3 bits
    >>> shannon_code_lengths([q, 1 - q])
    array([3, 1])
    """
    arr = validate_distribution(q, "q", "shannon_code_lengths")
    out = np.zeros(arr.size, dtype=np.int64)
    pos = arr > 0
    # ceil(-log2 q) exactly: with q = f 2**e, 1/2 <= f < 1, -log2 q lies in (-e, 1 - e],
    # so the ceiling is 1 - e (np.log2 could round q just below 2**-k up to 2**-k)
    _, e = np.frexp(arr[pos])
    out[pos] = 1 - e
    return out


def expected_length(lengths: ArrayLike, p: ArrayLike) -> float:
    """Mean codeword length ``sum_x p(x) l(x)`` in bits per symbol.

    Parameters
    ----------
    lengths : array_like
        Codeword length of each symbol, in bits.
    p : array_like
        Distribution of the symbols being coded (the truth).

    Examples
    --------
    >>> expected_length([1, 2, 2], [0.5, 0.25, 0.25])
    1.5
    """
    func = "expected_length"
    arr = validate_distribution(p, "p", func)
    lens = np.asarray(lengths)
    if lens.dtype.kind not in "iuf" or lens.shape != arr.shape:
        raise ValueError(f"{func}: lengths must be numbers, one per probability; got shape "
                         f"{lens.shape} for p of shape {arr.shape}")
    if not np.all(np.isfinite(lens)) or (lens < 0).any():
        raise ValueError(f"{func}: lengths must be finite and >= 0, got {lens.tolist()!r}")
    return float(arr @ lens.astype(np.float64))


def _check_code(code: Any, func: str) -> None:
    if not isinstance(code, Mapping) or not code:
        raise ValueError(f"{func}: code must be a non-empty mapping symbol -> codeword "
                         f"(e.g. from huffman_code), got {code!r}")
    for s, w in code.items():
        if not isinstance(w, str) or w.strip("01"):
            raise ValueError(f"{func}: the codeword of {s!r} is {w!r}; codewords are strings "
                             "of '0' and '1'")


def prefix_encode(symbols: Iterable[Hashable], code: Mapping[Hashable, str]) -> str:
    """Concatenate the codewords of `symbols`.

    Parameters
    ----------
    symbols : iterable
        The sequence to encode.
    code : mapping
        ``{symbol: codeword}``, a prefix code.

    Raises
    ------
    ValueError
        If a symbol has no codeword (unknown, or of probability 0 when the
        code was built).

    Examples
    --------
    >>> prefix_encode("abca", {'a': '0', 'b': '10', 'c': '11'})
    '010110'
    """
    _check_code(code, "prefix_encode")
    symbols = list(symbols)
    try:
        return "".join([code[s] for s in symbols])
    except (KeyError, TypeError):
        missing = next(s for s in symbols if not _has(code, s))
        raise ValueError(
            f"prefix_encode: symbol {missing!r} has no codeword in this code (known symbols: "
            f"{_short(list(code))}); a symbol of probability 0 under the model cannot be "
            "coded: build the code from a model that gives it positive probability"
        ) from None


def _has(code: Mapping, s: Any) -> bool:
    try:
        return s in code
    except TypeError:
        return False


def _short(items: list, k: int = 8) -> str:
    body = ", ".join(map(repr, items[:k]))
    return f"[{body}{', ...' if len(items) > k else ''}]"


def _check_prefix_free(code: Mapping[Hashable, str], func: str) -> None:
    words = sorted(code.values())
    if len(set(words)) != len(words):
        raise ValueError(f"{func}: two symbols share a codeword; the code cannot be decoded")
    for a, b in zip(words, words[1:]):
        if b.startswith(a):
            raise ValueError(f"{func}: codeword {a!r} is a prefix of {b!r}; not a prefix code")


def prefix_decode(bits: str, code: Mapping[Hashable, str], n: int | None = None) -> list:
    """Split `bits` back into symbols with the prefix code `code`.

    Parameters
    ----------
    bits : str
        The output of :func:`prefix_encode`.
    code : mapping
        The same code used to encode.
    n : int, optional
        The number of symbols expected. If given, a different count is an
        error (this catches bits cut at a codeword boundary). Required when
        the code's only codeword is ``''``.

    Returns
    -------
    list
        The decoded symbols.

    Raises
    ------
    ValueError
        For characters other than 0/1, bits left over that do not complete a
        codeword (a truncated or corrupted string), a bit pattern that is no
        codeword's beginning, or a count different from `n`. A prefix code has
        no redundancy, so a flipped bit inside a *complete* code (Huffman's)
        may decode to another valid sequence; pass `n`, and add a checksum
        when integrity matters.

    Examples
    --------
    >>> code = {'a': '0', 'b': '10', 'c': '11'}
    >>> "".join(prefix_decode('010110', code))
    'abca'
    >>> try:
    ...     prefix_decode('0101', code)
    ... except ValueError as err:
    ...     print(str(err)[:52])
    prefix_decode: the last 1 bit(s) '1' do not complete
    """
    func = "prefix_decode"
    _check_code(code, func)
    _check_bits(bits, func, "prefix_encode")
    _check_prefix_free(code, func)
    if n is not None:
        _check_symbol_count(n, func)
    lookup = {w: s for s, w in code.items()}
    if "" in lookup:
        if n is None:
            raise ValueError(f"{func}: the code has a single symbol with the empty codeword, "
                             "so the bits cannot tell how many there were: pass n")
        if bits:
            raise ValueError(f"{func}: a one-symbol code produces no bits, got {len(bits)}")
        return [lookup[""]] * int(n)
    longest = max(map(len, lookup))
    out: list = []
    start = 0                       # where the codeword being read begins
    for end in range(1, len(bits) + 1):
        word = bits[start:end]
        if word in lookup:          # prefix-free: the first match is the codeword
            out.append(lookup[word])
            start = end
        elif end - start == longest:
            break                   # no codeword begins like this
    if start < len(bits):
        rest = bits[start:]
        shown = rest if len(rest) <= 20 else rest[:20] + "..."
        raise ValueError(
            f"{func}: the last {len(rest)} bit(s) {shown!r} do not complete a codeword "
            f"(after {len(out)} symbols): the bits are truncated or corrupted, or were "
            "made with a different code")
    if n is not None and len(out) != n:
        raise ValueError(f"{func}: decoded {len(out)} symbols but n={n} were expected: the "
                         "bits are truncated or corrupted, or were made with a different code")
    return out


# ---------------------------------------------------------------- blocks


def block_probabilities(p: ArrayLike, k: int) -> NDArray[np.float64]:
    """Distribution of blocks of `k` independent symbols from `p`.

    Block ``(x_1, ..., x_k)`` has index ``x_1 m^(k-1) + ... + x_k`` (``m = len(p)``),
    the order of :func:`to_blocks`, and probability ``p(x_1) ... p(x_k)``. Its
    entropy is ``k H(p)``.

    Parameters
    ----------
    p : array_like
        Distribution of one symbol.
    k : int
        Block length, >= 1; at most ``2**22`` blocks are tabulated.

    Examples
    --------
    >>> block_probabilities([0.75, 0.25], 2)
    array([0.5625, 0.1875, 0.1875, 0.0625])
    """
    func = "block_probabilities"
    arr = validate_distribution(p, "p", func)
    k = _block_length(k, func)
    _check_block_count(arr.size, k, 22, func, "is too many to tabulate")
    if k > 2**22:
        raise ValueError(f"{func}: k={k} is too long a block to tabulate (the limit is 2**22)")
    blocks = np.ones(1)
    for _ in range(k):      # one more symbol: p(x_1 .. x_j) = p(x_1 .. x_(j-1)) p(x_j)
        blocks = np.multiply.outer(blocks, arr).ravel()
    return blocks


def _block_length(k: Any, func: str) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"{func}: k must be an int >= 1 (the block length), got {k!r}")
    return int(k)


def _alphabet_size(m: Any, func: str) -> int:
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"{func}: m must be an int >= 1 (the alphabet size), got {m!r}")
    return int(m)


def _check_block_count(m: int, k: int, bits: int, func: str, why: str) -> None:
    """Refuse ``m**k > 2**bits`` without computing a huge power first."""
    if k * math.log2(m) > bits + 1 or m**k > 2**bits:
        raise ValueError(f"{func}: {m}**{k} blocks {why} (the limit is 2**{bits}); use a "
                         "shorter block length")


def _digits(b: NDArray[np.int64], k: int, m: int) -> NDArray[np.int64]:
    """Block indices to rows of `k` base-`m` digits, most significant first."""
    return (b[:, None] // m ** np.arange(k - 1, -1, -1, dtype=np.int64)) % m


def _indices(x: ArrayLike, m: int, name: str, func: str) -> NDArray[np.int64]:
    arr = np.asarray(x)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        raise TypeError(f"{func}: {name} must be a 1-D sequence of integer symbol indices, "
                        f"got {arr.dtype} with shape {arr.shape}")
    if arr.size and (arr.min() < 0 or arr.max() >= m):
        bad = arr[(arr < 0) | (arr >= m)][0]
        raise ValueError(f"{func}: {name} contains {bad}, outside 0..{m - 1}")
    return arr.astype(np.int64)


def to_blocks(x: ArrayLike, k: int, m: int) -> NDArray[np.int64]:
    """Group symbol indices (each in ``0..m-1``) into blocks of `k`, as block indices.

    Block ``(x_1, ..., x_k)`` gets index ``x_1 m^(k-1) + ... + x_k``. The
    length of `x` must be a multiple of `k` (trim it yourself: nothing is
    dropped silently), and the indices must fit in int64 (``m**k <= 2**63``).

    Parameters
    ----------
    x : array_like of int
        Symbol indices, length a multiple of `k`.
    k : int
        Block length.
    m : int
        Alphabet size.

    Examples
    --------
    >>> to_blocks([0, 1, 1, 1, 1, 0], 2, 2)
    array([1, 3, 2])
    """
    func = "to_blocks"
    k, m = _block_length(k, func), _alphabet_size(m, func)
    _check_block_count(m, k, 63, func, "have indices too large for int64")
    arr = _indices(x, m, "x", func)
    if arr.size % k:
        raise ValueError(f"{func}: {arr.size} symbols do not split into blocks of {k}; "
                         f"trim x to a multiple of {k} first (e.g. x[:len(x) - len(x) % {k}])")
    weights = m ** np.arange(k - 1, -1, -1, dtype=np.int64)    # m^(k-1), ..., m, 1
    return arr.reshape(-1, k) @ weights


def from_blocks(b: ArrayLike, k: int, m: int) -> NDArray[np.int64]:
    """Inverse of :func:`to_blocks`: block indices back to symbol indices.

    Parameters
    ----------
    b : array_like of int
        Block indices in ``0..m**k - 1``.
    k : int
        Block length.
    m : int
        Alphabet size.

    Examples
    --------
    >>> from_blocks([1, 3, 2], 2, 2)
    array([0, 1, 1, 1, 1, 0])
    """
    func = "from_blocks"
    k, m = _block_length(k, func), _alphabet_size(m, func)
    _check_block_count(m, k, 63, func, "have indices too large for int64")
    return _digits(_indices(b, m**k, "b", func), k, m).ravel()
