"""Explorers for notebooks 01-02: entropy with live code lengths, and the extra bits of a wrong model.

Each function returns a :class:`klcourse.widgets.Explorer`; display it by
leaving it as the last expression of a cell. The readouts come from
:mod:`klcourse.measures`, :mod:`klcourse.coding` and :mod:`klcourse.arithmetic`;
tests call ``explorer.update(...)`` and compare with those functions.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from klcourse.arithmetic import arithmetic_encode
from klcourse.coding import code_lengths, expected_length, huffman_code
from klcourse.measures import binary_entropy, entropy, kl_divergence, normalize
from klcourse.plots.coding import block_rates, plot_binary_entropy
from klcourse.plots import COLORS
from klcourse.widgets import REPAINT, Explorer, _slider_look, fits, moving, nice_ceiling, slider

def _move_band(band, x, low, high) -> None:
    """Move a ``fill_between`` band in place (``set_data`` is matplotlib >= 3.10 only)."""
    if hasattr(band, "set_data"):
        band.set_data(x, low, high)
    else:                          # a PolyCollection: its outline, low edge then high edge back
        band.set_verts([np.column_stack([np.r_[x, x[::-1]], np.r_[low, high[::-1]]])])


__all__ = ["coin_entropy_explorer", "die_entropy_explorer", "wrong_model_explorer"]


def _int_slider(description: str, value: int, lo: int, hi: int) -> widgets.IntSlider:
    return widgets.IntSlider(value=value, min=lo, max=hi, step=1, description=description,
                             **_slider_look())


def coin_entropy_explorer(heads: float = 0.2, k: int = 1, *, max_k: int = 6) -> Explorer:
    """A coin's bias and a block length: entropy and Huffman bits/symbol update live.

    Readout: ``H`` of the coin, the expected Huffman bits per flip when blocks
    of `k` flips are coded together, and the guarantee ``H + 1/k``.
    Figure: the binary entropy curve with the coin marked; the block rates.

    Parameters
    ----------
    heads : float
        Starting probability of heads.
    k : int
        Starting block length.
    max_k : int, optional
        Largest block length on the slider.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside Jupyter, widgets print codes
    ...     r = coin_entropy_explorer().update(heads=0.1, k=2)
    >>> r["H(coin)"][0] == binary_entropy(0.1)
    True
    >>> round(r["Huffman, blocks of k"][0], 4)
    0.645
    """
    def compute(heads: float, k: int) -> dict:
        h = binary_entropy(heads)
        rate = float(block_rates([heads, 1 - heads], k)[-1])
        return {"H(coin)": (h, "bits"),
                "Huffman, blocks of k": (rate, "bits/flip"),
                "guarantee H + 1/k": (h + 1 / k, "bits/flip"),
                "rate − H": (rate - h, "bits/flip")}

    ks = np.arange(1, max_k + 1)
    kk = np.linspace(1, max_k, 200)

    def draw(fig, heads: float, k: int) -> dict:
        a1, a2 = fig.subplots(1, 2)
        plot_binary_entropy(ax=a1)                       # the curve does not move
        h = {"dot": moving(a1.plot([], [], "o", color=COLORS[1], zorder=3)[0]),
             "note": moving(a1.text(0.5, 0.12, "", transform=a1.transAxes, ha="center",
                                    fontsize="small",
                                    bbox={"fc": "white", "ec": "0.6", "alpha": 0.9}))}
        # the block rates of this coin: as plot_block_rates, with artists that move
        h["band"] = moving(a2.fill_between(kk, 0 * kk, 1 / kk, color=COLORS[2], alpha=0.15,
                                           label="guaranteed range [H, H + 1/k)"))
        h["H"] = moving(a2.axhline(0, color=COLORS[2], lw=1.5, label="H(p), the entropy"))
        h["rates"] = moving(a2.plot(ks, 0 * ks, "o-", color=COLORS[0],
                                    label="Huffman on blocks: expected bits/symbol")[0])
        h["k"] = moving(a2.axvline(k, color="grey", ls=":", lw=1))
        h["title"] = moving(a2.title)
        a2.set_xticks(ks)
        a2.set_xlim(0.8, max_k + 0.2)
        a2.set_ylim(0, 2.05)        # H + 1/k <= 2 bits for every coin and k
        a2.set_xlabel("block length k (symbols)")
        a2.set_ylabel("bits per symbol")
        a2.legend(fontsize="small", loc="upper right")
        animate(h, heads, k)
        return h

    def animate(h: dict, heads: float, k: int) -> bool:
        ent = binary_entropy(heads)
        h["dot"].set_data([heads], [ent])
        h["note"].set_text(f"P(heads) = {heads:.2f}: H = {ent:.3f} bits")
        _move_band(h["band"], kk, ent + 0 * kk, ent + 1 / kk)
        h["H"].set_ydata([ent, ent])
        h["rates"].set_ydata(block_rates([heads, 1 - heads], max_k))
        h["k"].set_xdata([k, k])
        h["title"].set_text(f"Blocks of flips (now k = {k})")
        return True

    def alt(heads: float, k: int) -> str:
        return (f"Left: the binary entropy curve with a dot at P(heads) = {heads:.2f}. Right: "
                f"expected Huffman bits per flip for blocks of 1 to {max_k} flips, inside the "
                f"band from H to H + 1/k; a dotted line at k = {k}.")

    return Explorer({"heads": slider("P(heads)", heads, 0.0, 1.0, 0.01),
                     "k": _int_slider("block length k", k, 1, max_k)},
                    compute, draw, animate=animate, figsize=(10.0, 3.6), alt=alt)


def die_readout(weights: tuple[float, ...]) -> dict:
    """The die explorer's readout for face weights (normalised on purpose, not silently).

    Parameters
    ----------
    weights : tuple of float
        Non-negative weights of faces 1..6.

    Examples
    --------
    >>> r = die_readout((1, 1, 1, 1, 1, 1))
    >>> round(r["H(die)"][0], 4), round(r["Huffman mean length"][0], 4)
    (2.585, 2.6667)
    """
    w = np.asarray(weights, dtype=float)
    if w.sum() == 0:
        return {"H(die)": "undefined: move at least one slider above 0"}
    p = normalize(w)   # the sliders are weights; turning them into probabilities is the point
    code = huffman_code(p, symbols=range(1, p.size + 1))
    mean = expected_length(code_lengths(code, symbols=range(1, p.size + 1)), p)
    h = entropy(p)
    return {"H(die)": (h, "bits"), "maximum log2 6": (float(np.log2(p.size)), "bits"),
            "Huffman mean length": (mean, "bits"), "mean length − H": (mean - h, "bits"),
            "codewords": ", ".join(f"{s}:{w or '(none)'}" for s, w in code.items())}


def die_entropy_explorer(weights: tuple[float, ...] = (1, 1, 1, 1, 1, 1)) -> Explorer:
    """Six sliders for the weights of a die's faces; entropy and Huffman code update live.

    Figure: each face's surprisal next to its codeword length.

    Parameters
    ----------
    weights : tuple of float
        Starting weights of faces 1..6.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside Jupyter, widgets print codes
    ...     r = die_entropy_explorer().update(w1=1, w2=0, w3=0, w4=0, w5=0, w6=0)
    >>> r["H(die)"][0]
    0.0
    """
    names = [f"w{i}" for i in range(1, 7)]

    def compute(**vals: float) -> dict:
        return die_readout(tuple(vals[n] for n in names))

    faces = np.arange(1, 7)

    def draw(fig, **vals: float) -> dict | None:
        w = np.array([vals[n] for n in names], dtype=float)
        ax = fig.subplots()
        if w.sum() == 0:
            ax.set_title("All weights are 0: no distribution to draw")
            ax.set_axis_off()
            return None
        # as plot_code_lengths draws it, with bars that move
        h = {"ax": ax,
             "surprisal": list(ax.bar(faces - 0.2, 0 * faces, width=0.4, color=COLORS[0],
                                      label="surprisal -log2 p(x)")),
             "length": list(ax.bar(faces + 0.2, 0 * faces, width=0.4, color=COLORS[1],
                                   hatch="//", label="codeword length")),
             "title": ax.title}
        ax.set_xticks(faces, [str(f) for f in faces])
        ax.set_xlabel("face")
        ax.set_ylabel("bits")
        ax.legend(fontsize="small", loc="upper left")
        moving(*h["surprisal"], *h["length"], ax.title)
        animate(h, **vals)
        return h

    def animate(h: dict | None, **vals: float):
        w = np.array([vals[n] for n in names], dtype=float)
        if h is None or w.sum() == 0:
            return False
        p = normalize(w)
        code = huffman_code(p, symbols=range(1, 7))
        lens = code_lengths(code, symbols=range(1, 7)).astype(float)
        with np.errstate(divide="ignore"):
            surprisal = np.where(p > 0, -np.log2(np.where(p > 0, p, 1.0)), 0.0)
        for bar, v in zip(h["surprisal"], surprisal):
            bar.set_height(v)
        for bar, v in zip(h["length"], np.where(p > 0, lens, 0.0)):
            bar.set_height(v)
        mean = expected_length(code_lengths(code, symbols=range(1, 7)), p)
        h["title"].set_text(f"Die: surprisal and Huffman codeword length per face\n"
                            f"H(p) = {entropy(p):.3f} bits, mean length = {mean:.3f} bits")
        high = max(float(max(surprisal.max(), lens[p > 0].max())), 1.0)  # 1 bit at least
        if fits(h["ax"].get_ylim(), 0.0, high):
            return True
        h["ax"].set_ylim(0, nice_ceiling(1.15 * high))
        return REPAINT

    def alt(**vals: float) -> str:
        return ("Bars per face of the die: its surprisal −log2 p in bits next to the length of "
                "its Huffman codeword; a face of weight 0 has no bar.")

    controls = {n: slider(f"weight of face {i}", float(v), 0.0, 5.0, 0.1)
                for i, (n, v) in enumerate(zip(names, weights), start=1)}
    return Explorer(controls, compute, draw, animate=animate, figsize=(7.0, 3.6), alt=alt)


def wrong_model_readout(p: float, q: float, flips: np.ndarray) -> dict:
    """Readout of :func:`wrong_model_explorer` for truth `p`, model `q` and a fixed sample.

    `flips` are uniform(0, 1) draws; flip i is heads (symbol 0) when it is
    below `p`, so moving `p` changes the sample consistently.

    Parameters
    ----------
    p, q : float
        Probabilities of heads of the truth and of the model.
    flips : ndarray
        Uniform(0, 1) draws defining the sample.

    Examples
    --------
    >>> u = np.random.default_rng(0).random(4000)
    >>> r = wrong_model_readout(0.5, 0.5, u)
    >>> r["D(p‖q), formula"][0]
    0.0
    """
    pp, qq = np.array([p, 1 - p]), np.array([q, 1 - q])
    xs = (np.asarray(flips) >= p).astype(np.int64)
    n = xs.size
    out = {"H(p)": (entropy(pp), "bits"), "D(p‖q), formula": (kl_divergence(pp, qq), "bits")}
    out["H(p) + D(p‖q)"] = (out["H(p)"][0] + out["D(p‖q), formula"][0], "bits/flip")
    try:
        with_q = len(arithmetic_encode(xs, qq)) / n
        with_p = len(arithmetic_encode(xs, pp)) / n
    except ValueError:
        out["measured with q"] = "impossible: a flip has probability 0 under the model"
        return out
    out["measured with q"] = (with_q, "bits/flip")
    out["measured with p"] = (with_p, "bits/flip")
    out["measured extra"] = (with_q - with_p, "bits/flip")
    return out


def wrong_model_explorer(p: float = 0.8, q: float = 0.5, *, n: int = 4000,
                         seed: int = 0) -> Explorer:
    """Sliders for the true coin p and the model q; formula and arithmetic coder side by side.

    A fixed sample of `n` flips from p is arithmetic-coded with q and with p;
    the readout shows the formula ``D(p||q)`` next to the measured extra bits
    per flip. The figure shows ``D(p||q)`` as a function of q.

    Parameters
    ----------
    p, q : float
        Starting probabilities of heads of the truth and the model.
    n : int, optional
        Number of flips in the coded sample.
    seed : int, optional
        Seed of the sample.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside Jupyter, widgets print codes
    ...     r = wrong_model_explorer().update(p=0.8, q=0.3)
    >>> abs(r["measured extra"][0] - r["D(p‖q), formula"][0]) < 0.05
    True
    """
    flips = np.random.default_rng(seed).random(n)

    last: dict = {}

    def readout(p: float, q: float) -> dict:
        """wrong_model_readout, kept for the last (p, q): the figure shows it too."""
        if last.get("key") != (p, q):
            last.update(key=(p, q), value=wrong_model_readout(p, q, flips))
        return last["value"]

    def compute(p: float, q: float) -> dict:
        return readout(p, q)

    grid = np.linspace(0.005, 0.995, 300)
    models = np.stack([grid, 1 - grid], axis=-1)
    cap = 4.0    # bits: the curve shoots up at the edges; show the middle

    def curve(p: float) -> np.ndarray:
        return kl_divergence(np.broadcast_to([p, 1 - p], models.shape), models)

    def draw(fig, p: float, q: float) -> dict:
        ax = fig.subplots()   # as plot_extra_bits draws it, with artists that move
        h = {"ax": ax,
             "curve": ax.plot(grid, 0 * grid, color=COLORS[0], label="D(p||q), the formula")[0],
             "model": ax.plot([], [], "o", color=COLORS[1], label="the model q")[0],
             "measured": ax.plot([], [], "x", color=COLORS[2], ms=8, mew=2,
                                 label="measured with the coder")[0],
             "title": ax.title}
        ax.set_xlabel("model's probability of heads q")
        ax.set_ylabel("extra bits per symbol")
        ax.set_xlim(0, 1)
        ax.legend(fontsize="small", loc="upper center")
        moving(h["curve"], h["model"], h["measured"], ax.title)
        animate(h, p, q)
        return h

    def animate(h: dict, p: float, q: float):
        d = curve(p)
        h["curve"].set_ydata(d)
        r = readout(p, q)
        h["model"].set_data([q], [r["D(p‖q), formula"][0]])
        extra = r.get("measured extra")
        h["measured"].set_data(([q], [extra[0]]) if isinstance(extra, tuple) else ([], []))
        h["title"].set_text(f"Cost of coding a coin with P(heads) = {p:.2f} using the model q")
        high = min(float(d.max()), cap)
        if fits(h["ax"].get_ylim(), 0.0, high, fill=0.4):
            return True
        h["ax"].set_ylim(0, min(nice_ceiling(1.05 * high), cap))
        return REPAINT

    def alt(p: float, q: float) -> str:
        return (f"The extra bits per symbol D(p‖q) of coding a coin with P(heads) = {p:.2f} "
                f"using a model q, against q; a dot at the model q = {q:.2f} and a cross at the "
                f"extra bits measured with the arithmetic coder.")

    return Explorer({"p": slider("true P(heads) p", p, 0.01, 0.99, 0.01),
                     "q": slider("model P(heads) q", q, 0.01, 0.99, 0.01)},
                    compute, draw, animate=animate, figsize=(7.0, 3.6), alt=alt)
