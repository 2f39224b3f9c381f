"""Alternative text for figures, written from what the code drew.

A figure shown in a notebook is a PNG; a screen reader, a reader with images
off and the HTML edition need a sentence saying what it shows. This module
writes that sentence from the figure itself -- each panel's kind of chart, its
title, its axes (with their labels and ranges) and the names in its legend --
so it cannot drift from the picture. A plot function can add what the axes do
not say with :func:`describe`.

When klcourse's plotting package is imported inside IPython,
:func:`install` registers a display hook that attaches :func:`alt_text` to
every figure's PNG as ``metadata["image/png"]["alt"]``; the HTML edition and
the slides turn it into the ``alt`` attribute of the image.
"""

from __future__ import annotations

import re

from matplotlib.axes import Axes
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.contour import ContourSet
from matplotlib.collections import PathCollection, PolyCollection, QuadMesh
from matplotlib.figure import Figure, SubFigure
from matplotlib.image import AxesImage
from matplotlib.patches import Polygon

__all__ = ["alt_text", "describe", "install"]

_MATH_WORDS = {
    r"\|": "‖", r"\mid": "|", r"\cdot": "·", r"\times": "×", r"\leq": "≤", r"\le": "≤",
    r"\geq": "≥", r"\ge": "≥", r"\approx": "≈", r"\infty": "∞", r"\to": "→",
    r"\sum": "Σ", r"\log": "log", r"\ln": "ln", r"\exp": "exp", r"\hat": "", r"\,": " ",
    r"\;": " ", r"\!": "", r"\quad": " ", r"\left": "", r"\right": "", r"\mathrm": "",
    r"\mathbb": "", r"\mathcal": "", r"\text": "", r"\operatorname": "", r"\bar": "",
    r"\tilde": "", r"\%": "%", r"\{": "{", r"\}": "}",
}
_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")


def _plain(label: str) -> str:
    """`label` with matplotlib's mathtext turned into readable text."""
    label = " ".join(label.split())
    if "$" not in label:
        return label

    def words(match: re.Match) -> str:     # \alpha -> alpha, \| -> ‖, \, -> space
        cmd = match.group(0)
        return _MATH_WORDS.get(cmd, cmd[1:])

    text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", label)
    text = _COMMAND.sub(words, text)
    text = text.replace("$", "").replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", text).strip()


def describe(target: Axes | Figure, text: str) -> None:
    """Add a sentence to the alternative text of an Axes or a whole figure.

    Use it for what the axes and legend do not say (a tree's shape, the value
    marked by a line). It is appended to the panel's automatic description.

    Parameters
    ----------
    target : Axes or Figure
        The panel (or the figure) the sentence is about.
    text : str
        One or two plain sentences.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1, 2], [0, 1, 4], label="p")
    >>> describe(ax, "The curve is a parabola.")
    >>> alt_text(fig)
    'Line chart; x from 0 to 2; y from 0 to 4; series: p. The curve is a parabola.'
    >>> plt.close(fig)
    """
    if not isinstance(target, (Axes, Figure, SubFigure)):
        raise TypeError(f"describe: target must be a matplotlib Axes or Figure, "
                        f"got {type(target).__name__}")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("describe: text must be a non-empty string")
    notes = getattr(target, "_klcourse_alt", [])
    target._klcourse_alt = [*notes, text.strip()]


def _kind(ax: Axes) -> str:
    """The kind of chart drawn in `ax`, in words."""
    kinds = []
    if any(isinstance(a, (AxesImage, QuadMesh)) for a in ax.get_children()):
        kinds.append("image")
    if any(isinstance(c, ContourSet) for c in ax.get_children()):
        kinds.append("contour plot")
    if any(isinstance(c, BarContainer) for c in ax.containers):
        kinds.append("bar chart")
    if any(isinstance(c, PathCollection) for c in ax.collections):
        kinds.append("scatter plot")
    lines = [line for line in ax.lines if len(line.get_xdata()) > 2]
    if any(line.get_linestyle() not in ("None", "", " ") for line in lines):
        kinds.append("line chart")
    elif lines:
        kinds.append("points")
    elif any(isinstance(c, PolyCollection) for c in ax.collections) or \
            any(isinstance(p, Polygon) for p in ax.patches):
        kinds.append("area chart")
    if any(isinstance(c, ErrorbarContainer) for c in ax.containers):
        kinds.append("error bars")
    if not kinds:
        return "Diagram"
    text = " with ".join(kinds)
    return text[0].upper() + text[1:]


def _axis(ax: Axes, which: str) -> str:
    """'x: <label>, from a to b' for one axis of `ax` (empty if the axis is hidden)."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    if not axis.get_visible() or not ax.axison:
        return ""
    label = _plain(axis.get_label_text())
    lo, hi = sorted(ax.get_xlim() if which == "x" else ax.get_ylim())
    ticks = sorted(t for t in axis.get_majorticklocs() if lo <= t <= hi)
    lo, hi = (ticks[0], ticks[-1]) if len(ticks) >= 2 else (lo, hi)
    span = f"from {lo:.3g} to {hi:.3g}"
    return f"{which} {label}, {span}" if label else f"{which} {span}"


def _series(ax: Axes) -> list[str]:
    """The names a reader sees in the legend of `ax` (or the labelled artists)."""
    legend = ax.get_legend()
    if legend is not None:
        return [_plain(t.get_text()) for t in legend.get_texts() if t.get_text()]
    _, labels = ax.get_legend_handles_labels()
    return [_plain(label) for label in labels]


def _bar_values(bars: BarContainer) -> str:
    """'heights of <label>: 0.3, 0.7' for a bar group of at most 12 bars (else empty)."""
    if not 0 < len(bars.patches) <= 12:
        return ""
    name = _plain(bars.get_label()) if not bars.get_label().startswith("_") else "the bars"
    values = ", ".join(f"{p.get_height():.3g}" for p in bars.patches)
    return f"heights of {name}: {values}"


def _panel(ax: Axes) -> str:
    """One sentence (or a few) for one panel."""
    parts = [_kind(ax)]
    title = _plain(ax.get_title() or ax.get_title("left") or ax.get_title("right"))
    if title:
        parts[0] += f" titled '{title}'"
    parts += [s for s in (_axis(ax, "x"), _axis(ax, "y")) if s]
    names = _series(ax)
    if names:
        parts.append("series: " + ", ".join(names))
    bars = [_bar_values(c) for c in ax.containers if isinstance(c, BarContainer)]
    parts += [b for b in bars if b]
    text = "; ".join(parts) + "."
    notes = getattr(ax, "_klcourse_alt", [])
    return " ".join([text, *notes])


def alt_text(fig: Figure) -> str:
    """A plain-text description of `fig`: one sentence per panel, in reading order.

    Parameters
    ----------
    fig : Figure
        A drawn matplotlib figure.

    Returns
    -------
    str
        The figure's title (if any), then each panel (colourbars excluded):
        kind of chart, title, axes with labels and ranges, legend names, and
        any sentences added with :func:`describe`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.bar([0, 1], [0.3, 0.7], label="q")
    >>> _ = ax.set(title="A coin", xlabel="outcome", ylabel="probability")
    >>> alt_text(fig).split("; ")
    ["Bar chart titled 'A coin'", 'x outcome, from -0.25 to 1.25',
     'y probability, from 0 to 0.7', 'series: q', 'heights of q: 0.3, 0.7.']
    >>> plt.close(fig)
    """
    if not isinstance(fig, (Figure, SubFigure)):
        raise TypeError(f"alt_text: expected a matplotlib Figure, got {type(fig).__name__}")
    panels = [ax for ax in fig.axes if ax.get_visible() and not hasattr(ax, "_colorbar")]
    panels.sort(key=lambda ax: (-round(ax.get_position().y1, 2), ax.get_position().x0))
    sentences = []
    if fig.get_suptitle():
        sentences.append(f"Figure titled '{_plain(fig.get_suptitle())}'.")
    if len(panels) > 1:
        sentences.append(f"{len(panels)} panels.")
    for number, ax in enumerate(panels, start=1):
        prefix = f"Panel {number}: " if len(panels) > 1 else ""
        sentences.append(prefix + _panel(ax))
    sentences += getattr(fig, "_klcourse_alt", [])
    return " ".join(sentences) if sentences else "An empty figure."


def _alt_metadata(fig: Figure) -> tuple[dict, dict]:
    """IPython mimebundle hook: no data (the PNG formatter makes it), only the alt text."""
    return {}, {"image/png": {"alt": alt_text(fig)}}


def install() -> bool:
    """Attach :func:`alt_text` to every matplotlib figure IPython displays.

    Registers a mime-bundle formatter for :class:`~matplotlib.figure.Figure`
    that adds ``{"image/png": {"alt": ...}}`` to the display metadata; the
    inline backend's PNG formatter still makes the image. Does nothing
    outside IPython.

    Returns
    -------
    bool
        True if the hook is installed (an IPython shell is running).

    Examples
    --------
    >>> install()          # plain Python, no IPython shell
    False
    """
    try:
        from IPython import get_ipython
    except ImportError:            # pragma: no cover - IPython comes with Jupyter
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.display_formatter.mimebundle_formatter.for_type(Figure, _alt_metadata)
    return True
