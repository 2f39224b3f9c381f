"""Figures for notebooks 01-02: entropy curves, code lengths, measured versus ideal bits.

Thin layers over :mod:`klcourse.measures`, :mod:`klcourse.coding` and
:mod:`klcourse.arithmetic`. Every function takes ``ax=None``, labels its
title, axes (in bits) and legend, and returns the Axes it drew on.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike

from klcourse.arithmetic import interval_steps
from klcourse.coding import (block_probabilities, code_lengths, expected_length, huffman_code,
                             validate_distribution)
from klcourse.measures import binary_entropy, entropy, kl_divergence
from klcourse.plots import COLORS, new_axes

__all__ = ["plot_binary_entropy", "plot_code_lengths", "block_rates", "plot_block_rates",
           "plot_extra_bits", "plot_code_tree",
           "plot_extra_bits_against_divergence", "plot_interval_narrowing"]


def plot_binary_entropy(mark: float | None = None, *, ax: Axes | None = None,
                        title: str = "Entropy of a coin") -> Axes:
    """The binary entropy curve ``h(x)`` in bits for x in [0, 1], optionally marking one coin.

    Parameters
    ----------
    mark : float, optional
        A coin's probability of heads to mark on the curve.
    ax : Axes, optional
        Where to draw; a new figure when None.
    title : str
        Figure title.

    Examples
    --------
    >>> ax = plot_binary_entropy(mark=0.11)
    >>> ax.get_ylabel(), round(float(ax.lines[1].get_ydata()[0]), 2)
    ('entropy H (bits)', 0.5)
    """
    ax = new_axes(ax)
    x = np.linspace(0, 1, 401)
    ax.plot(x, binary_entropy(x), color=COLORS[0], label="h(x) = -x log2 x - (1-x) log2 (1-x)")
    if mark is not None:
        ax.plot([mark], [binary_entropy(mark)], "o", color=COLORS[1],
                label=f"coin with P(heads) = {mark:.2f}: {binary_entropy(mark):.3f} bits")
    ax.set_xlabel("probability of heads x")
    ax.set_ylabel("entropy H (bits)")
    ax.set_ylim(0, 1.08)
    ax.set_title(title)
    ax.legend(loc="lower center", fontsize="small")
    return ax


def plot_code_lengths(p: ArrayLike, code: Mapping[Hashable, str] | None = None,
                      symbols: Sequence[Hashable] | None = None, *, ax: Axes | None = None,
                      title: str = "Surprisal and codeword length per symbol") -> Axes:
    """Bars of each symbol's surprisal ``-log2 p(x)`` next to its codeword length.

    `code` defaults to :func:`klcourse.coding.huffman_code` of `p`. Symbols of
    probability 0 (no codeword, infinite surprisal) are left empty. The title
    reports ``H(p)`` and the mean length, both in bits.

    Parameters
    ----------
    p : array_like
        Distribution of the symbols.
    code : mapping, optional
        ``{symbol: codeword}``; Huffman's code for `p` by default.
    symbols : sequence, optional
        Symbol labels (default 0, 1, ...).
    ax : Axes, optional
        Where to draw.
    title : str
        First line of the title.

    Examples
    --------
    >>> ax = plot_code_lengths([0.5, 0.25, 0.25], symbols="abc")
    >>> [float(b.get_height()) for b in ax.containers[1]]
    [1.0, 2.0, 2.0]
    """
    arr = validate_distribution(p, "p", "plot_code_lengths")
    labels = list(range(arr.size)) if symbols is None else list(symbols)
    if code is None:
        code = huffman_code(arr, symbols=labels)
    lens = code_lengths(code, symbols=labels).astype(float)
    with np.errstate(divide="ignore"):
        surprisal = -np.log2(arr)
    surprisal[arr == 0] = np.nan
    lens[arr == 0] = np.nan
    ax = new_axes(ax)
    x = np.arange(arr.size)
    ax.bar(x - 0.2, surprisal, width=0.4, color=COLORS[0], label="surprisal -log2 p(x)")
    ax.bar(x + 0.2, lens, width=0.4, color=COLORS[1], hatch="//", edgecolor="white",
           label="codeword length")
    ax.set_xticks(x, [repr(s) if isinstance(s, str) and s.isspace() else str(s) for s in labels])
    ax.set_xlabel("symbol")
    ax.set_ylabel("bits")
    mean = expected_length(np.nan_to_num(lens).astype(np.int64), arr)
    ax.set_title(f"{title}\nH(p) = {entropy(arr):.3f} bits, mean length = {mean:.3f} bits")
    ax.legend(fontsize="small")
    return ax


def block_rates(p: ArrayLike, max_k: int = 4) -> np.ndarray:
    """Expected Huffman bits per *symbol* when coding blocks of k = 1..max_k symbols.

    Parameters
    ----------
    p : array_like
        Distribution of one symbol.
    max_k : int
        Longest block length.

    Examples
    --------
    >>> block_rates([0.9, 0.1], 3).round(3)
    array([1.   , 0.645, 0.533])
    """
    arr = validate_distribution(p, "p", "block_rates")
    out = []
    for k in range(1, int(max_k) + 1):
        pb = block_probabilities(arr, k)
        code = huffman_code(pb)
        out.append(expected_length(code_lengths(code, symbols=range(pb.size)), pb) / k)
    return np.array(out)


def plot_block_rates(p: ArrayLike, max_k: int = 4, *, measured: ArrayLike | None = None,
                     ax: Axes | None = None,
                     title: str = "Coding blocks of k symbols approaches H") -> Axes:
    """Huffman bits/symbol for blocks of k, between the lines ``H`` and ``H + 1/k``.

    `measured` (one rate per k, e.g. from encoding a real sample) is drawn as
    crosses.

    Parameters
    ----------
    p : array_like
        Distribution of one symbol.
    max_k : int
        Longest block length.
    measured : array_like, optional
        Measured bits/symbol for k = 1, 2, ...
    ax : Axes, optional
        Where to draw.
    title : str
        Figure title.

    Examples
    --------
    >>> ax = plot_block_rates([0.9, 0.1], 3)
    >>> ax.get_xlabel(), len(ax.lines)
    ('block length k (symbols)', 2)
    """
    arr = validate_distribution(p, "p", "plot_block_rates")
    ks = np.arange(1, int(max_k) + 1)
    h = entropy(arr)
    ax = new_axes(ax)
    kk = np.linspace(1, max_k, 200)
    ax.fill_between(kk, h, h + 1 / kk, color=COLORS[2], alpha=0.15,
                    label="guaranteed range [H, H + 1/k)")
    ax.axhline(h, color=COLORS[2], lw=1.5, label=f"H(p) = {h:.3f} bits")
    ax.plot(ks, block_rates(arr, max_k), "o-", color=COLORS[0],
            label="Huffman on blocks: expected bits/symbol")
    if measured is not None:
        m = np.asarray(measured, dtype=float)
        ax.plot(ks[:m.size], m, "x", color=COLORS[1], ms=10, mew=2,
                label="measured on a sample")
    ax.set_xticks(ks)
    ax.set_xlabel("block length k (symbols)")
    ax.set_ylabel("bits per symbol")
    ax.set_title(title)
    ax.legend(fontsize="small")
    return ax


def plot_extra_bits(p_heads: float, *, q_mark: float | None = None,
                    measured: tuple[ArrayLike, ArrayLike] | None = None,
                    ax: Axes | None = None) -> Axes:
    """``D(p||q)`` in bits for a coin p, against the model's bias q.

    `q_mark` marks one model; `measured` is ``(q values, measured extra bits
    per symbol)`` drawn as crosses.

    Parameters
    ----------
    p_heads : float
        The true coin's probability of heads.
    q_mark : float, optional
        One model to mark.
    measured : (array_like, array_like), optional
        Models q and measured extra bits per symbol.
    ax : Axes, optional
        Where to draw.

    Examples
    --------
    >>> ax = plot_extra_bits(0.5, q_mark=0.9)
    >>> round(float(ax.lines[1].get_ydata()[0]), 3)
    0.737
    """
    p = np.array([p_heads, 1 - p_heads])
    validate_distribution(p, "p", "plot_extra_bits")
    q = np.linspace(0.005, 0.995, 300)
    qq = np.stack([q, 1 - q], axis=-1)
    d = kl_divergence(np.broadcast_to(p, qq.shape), qq)
    ax = new_axes(ax)
    ax.plot(q, d, color=COLORS[0], label="D(p||q), the formula")
    if q_mark is not None:
        dm = kl_divergence(p, [q_mark, 1 - q_mark])
        ax.plot([q_mark], [dm], "o", color=COLORS[1],
                label=f"model q = {q_mark:.2f}: {dm:.3f} extra bits/symbol")
    if measured is not None:
        mq, mb = (np.asarray(a, dtype=float) for a in measured)
        label = "measured with the coder"
        if mb.size == 1:
            label += f": {float(mb[0]):.3f} extra bits/symbol"
        ax.plot(mq, mb, "x", color=COLORS[2], ms=8, mew=2, label=label)
    ax.set_xlabel("model's probability of heads q")
    ax.set_ylabel("extra bits per symbol")
    ax.set_ylim(0, min(float(np.max(d)) * 1.05, 4.0))
    ax.set_title(f"Cost of coding a coin with P(heads) = {p_heads:.2f} using the model q")
    ax.legend(fontsize="small", loc="upper center")
    return ax


def plot_code_tree(code: Mapping[Hashable, str], p: ArrayLike,
                   symbols: Sequence[Hashable] | None = None, *, ax: Axes | None = None,
                   title: str = "The code as a binary tree") -> Axes:
    """Draw a prefix code as its binary tree: leaves are codewords, 0 = left, 1 = right.

    Each leaf shows its symbol and probability; each inner node the total
    probability below it (for a Huffman code, the probability of the merge
    that made it). Depth is codeword length, so a leaf's height below the root
    is the number of bits its symbol costs.

    Parameters
    ----------
    code : mapping
        ``{symbol: codeword}`` of a prefix code (e.g. :func:`klcourse.coding.huffman_code`).
    p : array_like
        Probabilities of `symbols`, in the same order.
    symbols : sequence, optional
        Symbol labels (default 0, 1, ...); each must be a key of `code` unless
        its probability is 0.
    ax : Axes, optional
        Where to draw.
    title : str
        Figure title.

    Examples
    --------
    >>> ax = plot_code_tree({"a": "0", "b": "10", "c": "11"}, [0.5, 0.25, 0.25], "abc")
    >>> sorted(t.get_text() for t in ax.texts if "\\n" in t.get_text())   # the leaves
    ['a\\n0.50', 'b\\n0.25', 'c\\n0.25']
    >>> [t.get_text() for t in ax.texts if t.get_position()[1] == 0]      # the root
    ['1.00']
    """
    arr = validate_distribution(p, "p", "plot_code_tree")
    labels = list(range(arr.size)) if symbols is None else list(symbols)
    if len(labels) != arr.size:
        raise ValueError(f"plot_code_tree: {len(labels)} symbols for {arr.size} probabilities")
    leaves = {}
    for s, prob in zip(labels, arr):
        if prob > 0:
            if s not in code:
                raise ValueError(f"plot_code_tree: symbol {s!r} has probability {prob:g} "
                                 "but no codeword in the code")
            leaves[code[s]] = (s, float(prob))
    words = sorted(leaves)
    for a in words:
        for b in words:
            if a != b and b.startswith(a):
                raise ValueError(f"plot_code_tree: {a!r} is a prefix of {b!r}; "
                                 "only a prefix code is a tree with codewords at the leaves")
    # every prefix of a codeword is a node; its probability is the sum of the leaves below
    nodes = {w[:i] for w in words for i in range(len(w) + 1)}
    mass = {v: sum(prob for w, (_, prob) in leaves.items() if w.startswith(v)) for v in nodes}
    xpos = {w: float(i) for i, w in enumerate(words)}
    for v in sorted(nodes, key=len, reverse=True):
        if v not in xpos:
            kids = [xpos[v + b] for b in "01" if v + b in nodes]
            xpos[v] = sum(kids) / len(kids)
    ax = new_axes(ax, figsize=(max(4.5, 1.0 * len(words) + 1.5), 3.8))
    box = dict(boxstyle="round,pad=0.25", fc="white", ec="black", lw=0.8)
    for v in nodes:
        for b in "01":
            if v + b in nodes:
                x0, x1, y0, y1 = xpos[v], xpos[v + b], -len(v), -len(v) - 1
                ax.plot([x0, x1], [y0, y1], color="black", lw=1)
                ax.text((x0 + x1) / 2, (y0 + y1) / 2, b, ha="right" if b == "0" else "left",
                        va="bottom", fontsize="small", color="0.3")
        if v in leaves:
            s, prob = leaves[v]
            ax.text(xpos[v], -len(v), f"{s}\n{prob:.2f}", ha="center", va="top", bbox=box,
                    fontsize="small")
        else:
            ax.text(xpos[v], -len(v), f"{mass[v]:.2f}", ha="center", va="center",
                    fontsize="small", bbox=dict(box, fc="0.9"))
    depth = max(len(w) for w in words)
    ax.set_xlim(-0.7, len(words) - 0.3)
    ax.set_ylim(-depth - 0.9, 0.4)
    ax.set_yticks(range(0, -depth - 1, -1), [str(d) for d in range(depth + 1)])
    ax.set_ylabel("codeword length (bits)")
    ax.set_xticks([])
    ax.set_xlabel("leaves: symbol and probability; inner nodes: probability below them")
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    return ax


def plot_extra_bits_against_divergence(labels: Sequence[str], divergence: ArrayLike,
                                       measured: ArrayLike, *, stderr: ArrayLike | None = None,
                                       ax: Axes | None = None,
                                       title: str = "Measured extra bits against D(p||q)"
                                       ) -> Axes:
    """Measured extra bits per symbol against ``D(p||q)``, on log axes, with the line y = x.

    A point on the line means the coder paid exactly the divergence. Log axes
    keep a divergence of a few thousandths of a bit as visible as one of a
    bit; each point is labelled directly. `stderr` (one standard error per
    point) draws ±2 s.e. error bars.

    Parameters
    ----------
    labels : sequence of str
        One label per model.
    divergence, measured : array_like
        ``D(p||q)`` and the measured extra bits per symbol, both in bits and
        positive (a model with ``D = 0`` has no place on a log axis: leave it out).
    stderr : array_like, optional
        Standard error of each measured value, in bits.
    ax : Axes, optional
        Where to draw.
    title : str
        Figure title.

    Examples
    --------
    >>> ax = plot_extra_bits_against_divergence(["a", "b"], [0.01, 0.5], [0.011, 0.49])
    >>> ax.get_xscale(), [float(v) for v in ax.lines[1].get_ydata()]
    ('log', [0.011, 0.49])
    """
    d = np.asarray(divergence, dtype=float)
    m = np.asarray(measured, dtype=float)
    func = "plot_extra_bits_against_divergence"
    if d.shape != (len(labels),) or m.shape != d.shape:
        raise ValueError(f"{func}: need one divergence and one measured value per label; got "
                         f"{len(labels)} labels, shapes {d.shape} and {m.shape}")
    if not (np.all(np.isfinite(d)) and np.all(np.isfinite(m)) and np.all(d > 0) and np.all(m > 0)):
        raise ValueError(f"{func}: divergences and measured extra bits must be finite and "
                         f"positive for log axes; got {d.tolist()} and {m.tolist()} "
                         "(leave out models with D = 0, e.g. q = p)")
    s = None
    if stderr is not None:
        s = np.asarray(stderr, dtype=float)
        if s.shape != d.shape or not np.all(np.isfinite(s)) or np.any(s < 0):
            raise ValueError(f"{func}: stderr needs one finite, non-negative value per label, "
                             f"got {s.tolist()}")
    ax = new_axes(ax, figsize=(6.4, 4.0))
    lo, hi = min(d.min(), m.min()) / 2.5, max(d.max(), m.max()) * 2.5
    ax.plot([lo, hi], [lo, hi], color="black", ls="--", lw=1,
            label="measured = D(p||q)")
    if s is None:
        ax.plot(d, m, "o", color=COLORS[1], ms=7, label="measured with the coder")
    else:
        ax.errorbar(d, m, yerr=2 * s, fmt="o", color=COLORS[1], ms=7, capsize=4,
                    label="measured with the coder (±2 standard errors)")
    for x, y, lab in zip(d, m, labels):
        ax.annotate(f"{lab}\n{y:.4f} bits", (x, y), xytext=(8, -4), textcoords="offset points",
                    ha="left", va="top", fontsize="small")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel("D(p||q), the formula (bits per symbol)")
    ax.set_ylabel("measured extra bits per symbol")
    ax.set_title(title)
    ax.legend(fontsize="small", loc="upper left")
    return ax



def plot_interval_narrowing(message: Sequence[int], q: ArrayLike,
                            symbols: Sequence[str] | None = None, *, ax: Axes | None = None,
                            title: str = "Arithmetic coding narrows an interval") -> Axes:
    """The arithmetic coder's interval, one row per symbol, each row zoomed to full width.

    Row ``i`` shows the interval before symbol ``i`` cut into pieces of
    widths proportional to ``q``; the piece of the symbol that comes (hatched)
    becomes the next row. The last row is the final interval, whose width is
    ``prod_i q(x_i)``: writing it down takes about ``-log2`` of that width, in
    bits. The intervals are the exact ones of
    :func:`klcourse.arithmetic.interval_steps`.

    Parameters
    ----------
    message : sequence of int
        A short message of symbol indices (a handful of symbols is readable).
    q : array_like
        The model the coder uses.
    symbols : sequence of str, optional
        Names of the symbols (default "0", "1", ...).
    ax : Axes, optional
        Where to draw.
    title : str
        Figure title.

    Examples
    --------
    >>> ax = plot_interval_narrowing([0, 1], [0.5, 0.5], symbols="ab")
    >>> ax.texts[-1].get_text()
    'final [0.25, 0.5): width 0.25, -log2 of it = 2.00 bits'
    """
    arr = validate_distribution(q, "q", "plot_interval_narrowing")
    names = [str(i) for i in range(arr.size)] if symbols is None else [str(s) for s in symbols]
    if len(names) != arr.size:
        raise ValueError(f"plot_interval_narrowing: {len(names)} symbol names for "
                         f"{arr.size} probabilities")
    steps = interval_steps(message, arr)
    if not steps:
        raise ValueError("plot_interval_narrowing: the message is empty; give a few symbols")
    n = len(steps)
    cuts = np.concatenate([[0.0], np.cumsum(arr)])
    cuts[-1] = 1.0
    ax = new_axes(ax, figsize=(7.5, 0.8 * n + 1.8))
    h = 0.5
    low, high = 0.0, 1.0
    for i, (sym, new_low, new_high) in enumerate(steps):
        y = -i
        for j in range(arr.size):
            chosen = j == int(sym)
            ax.add_patch(_cell((cuts[j], y - h / 2), cuts[j + 1] - cuts[j], h, chosen))
            if arr[j] >= 0.05:
                ax.text((cuts[j] + cuts[j + 1]) / 2, y, names[j], ha="center", va="center",
                        fontsize="small", fontweight="bold" if chosen else "normal",
                        bbox=dict(fc="white", ec="none", pad=0.5) if chosen else None)
        ax.text(1.02, y, f"[{low:.6g}, {high:.6g})\nwidth {high - low:.4g}", va="center",
                fontsize="small")
        a, b = cuts[int(sym)], cuts[int(sym) + 1]
        ax.plot([a, 0.0], [y - h / 2, y - 1 + h / 2], color="0.4", lw=0.8, ls=":")
        ax.plot([b, 1.0], [y - h / 2, y - 1 + h / 2], color="0.4", lw=0.8, ls=":")
        low, high = float(new_low), float(new_high)
    width = float(steps[-1][2] - steps[-1][1])
    ax.add_patch(_cell((0.0, -n - h / 2), 1.0, h, True))
    ax.text(0.5, -n, f"final [{low:.6g}, {high:.6g}): width {width:.4g}, "
            f"-log2 of it = {-np.log2(width):.2f} bits", ha="center", va="center",
            fontsize="small", bbox=dict(fc="white", ec="none", pad=1.0))
    ax.set_xlim(0, 1.3)
    ax.set_ylim(-n - 0.7, 0.7)
    ax.set_yticks([-i for i in range(n + 1)],
                  [f"symbol {i + 1}: {names[int(s)]}" for i, (s, _, _) in enumerate(steps)]
                  + ["final interval"])
    ax.set_xticks([0, 1.0], ["low", "high"])
    ax.set_xlabel("each row: the current interval, stretched to full width and cut by q")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    return ax


def _cell(xy: tuple[float, float], width: float, height: float, chosen: bool) -> Rectangle:
    """One piece of a row of :func:`plot_interval_narrowing`: hatched when it is the symbol's."""
    return Rectangle(xy, width, height, fc=COLORS[1] if chosen else "white", ec="black",
                     lw=0.8, hatch="//" if chosen else None)
