"""Interactive explorers: sliders over the maths, with a live readout and figure.

Every widget of the course is an :class:`Explorer`: a few controls, a pure
``compute(**values)`` that returns the numbers to show (computed by klcourse),
and an optional ``draw(fig, **values)`` that draws the figure. The readout and
the figure are refreshed whenever a control moves. Because ``compute`` and
``draw`` are plain functions, tests call them (or :meth:`Explorer.update`)
directly, with no browser.

Speed (a learner should see the figure follow the slider at once): the figure
is created once and kept; its layout is computed once, for the first picture,
and then frozen; every change is rendered once with Agg at a fixed dpi and sent
as one PNG to an Image widget. An explorer whose figure is costly to draw also
passes ``animate(handles, **values)``: ``draw`` then marks the artists that move
as animated and returns them, and a change only moves those artists and paints
them over the saved picture of the rest (matplotlib's blitting), instead of
drawing everything again. When new axis limits are due, only the axes whose
limits changed are painted again, if the others kept theirs; and the layout
is computed again only when tick labels get wider than they were.

Static face: displayed, an Explorer also carries a picture of its first state
(PNG) and its readout (text and HTML) in the same output, with a caption that
the figure is live only in a running kernel; a notebook opened without its
kernel, on GitHub or nbviewer, or in a front-end without widgets shows those
instead of ``VBox(children=...``.

Topic-specific explorers live in the submodules (``klcourse.widgets.coding``,
...), each a one-liner to use from a notebook.

In the page, the readout is an HTML widget with the CSS class
``klcourse-readout`` (one ``<tr data-key="...">`` row per number) and the
figure an Image widget with the class ``klcourse-figure``; browser tests rely
on those names.
"""

from __future__ import annotations

import base64
import html
import io
import numbers
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from PIL import Image as _PILImage

from klcourse.plots.alt import alt_text

__all__ = ["Explorer", "REPAINT", "fits", "format_readout", "moving", "nice_ceiling",
           "readout_text", "slider", "STATIC_CAPTION"]

Readout = Mapping[str, Any]


def slider(description: str, value: float, lo: float, hi: float, step: float,
           *, readout_format: str = ".2f") -> widgets.FloatSlider:
    """A float slider with the course's layout (wide, continuous_update off).

    Parameters
    ----------
    description : str
        The label shown left of the slider.
    value, lo, hi, step : float
        Initial value, range and step.
    readout_format : str, optional
        Format of the number shown right of the slider.

    Returns
    -------
    ipywidgets.FloatSlider

    Examples
    --------
    >>> s = slider("bias", 0.5, 0.0, 1.0, 0.01)
    >>> s.value, s.continuous_update
    (0.5, False)
    """
    if not lo <= value <= hi:
        raise ValueError(f"slider {description!r}: the starting value {value!r} is outside its "
                         f"range [{lo}, {hi}]; pass a value inside the range")
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                               readout_format=readout_format, **_slider_look())


def _slider_look() -> dict[str, Any]:
    """The course's slider settings: wide, full labels, recomputed on release only.

    A fresh Layout each call (a Layout shared by two widgets would tie them together).
    """
    return {"continuous_update": False, "style": {"description_width": "initial"},
            "layout": widgets.Layout(width="480px")}


def _fmt(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple) and len(value) == 2:
        number, unit = value
        return f"{_fmt(number)} {unit}"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if x == float("inf"):
        return "∞"
    return f"{x:.4f}"


def format_readout(values: Readout) -> str:
    """Render ``{label: value}`` as the readout's HTML table.

    Parameters
    ----------
    values : mapping
        Label -> value; a value may be a number (shown to 4 decimals), a
        ``(number, unit)`` pair or a string.

    Returns
    -------
    str
        HTML with one ``<tr data-key=label>`` row per entry.

    Examples
    --------
    >>> print(format_readout({"H(p)": (1.0, "bits")}))
    <table class="klcourse-readout-table"><tr data-key="H(p)"><th>H(p)</th><td>1.0000 bits</td></tr></table>
    """
    rows = "".join(
        f'<tr data-key="{html.escape(str(k))}"><th>{html.escape(str(k))}</th>'
        f"<td>{html.escape(_fmt(v))}</td></tr>"
        for k, v in values.items()
    )
    return f'<table class="klcourse-readout-table">{rows}</table>'


def readout_text(values: Readout) -> str:
    """The readout as plain text, one ``label: value`` line per entry.

    Parameters
    ----------
    values : mapping
        Label -> value, as for :func:`format_readout`.

    Returns
    -------
    str

    Examples
    --------
    >>> print(readout_text({"H(p)": (1.0, "bits"), "note": "fair"}))
    H(p): 1.0000 bits
    note: fair
    """
    return "\n".join(f"{k}: {_fmt(v)}" for k, v in values.items())


#: Caption of an Explorer's static face (what shows without a running kernel).
STATIC_CAPTION = ("Static picture of the explorer's starting values: the sliders and the figure "
                  "are live only when the notebook runs in a Jupyter kernel with widgets.")

#: What `animate` returns after changing the figure's fixed parts (e.g. axis limits).
REPAINT = "repaint"

#: Resolution of the explorers' figures (dots per inch), as JupyterLab's inline figures.
DPI = 100


class Explorer:
    """Controls + a readout computed by klcourse + a figure, kept in sync.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
        Keyword name -> control. ``compute`` and ``draw`` receive the values
        under these names.
    compute : callable
        ``compute(**values) -> {label: value}``, the numbers to show.
    draw : callable, optional
        ``draw(fig, **values)``, drawing the whole figure on an empty
        matplotlib Figure. With `animate`, it returns handles (any object) to
        the artists that move, which it has marked ``set_animated(True)``.
    animate : callable, optional
        ``animate(handles, **values)``: move the animated artists to the new
        values in place (``set_data``, ``set_height``, ``set_text``...) and
        return True; return :data:`REPAINT` after also changing the axis
        limits, so that the rest is painted again from the same artists (only
        the axes whose limits changed, when others kept theirs); return False
        to have `draw` draw everything anew (after changing other fixed parts).
    figsize : tuple, optional
        Size of the figure in inches (shown at :data:`DPI` dots per inch).
    alt : str or callable, optional
        Alternative text of the figure (what it shows, for a screen reader):
        a string, or ``alt(**values) -> str``.

    Examples
    --------
    >>> from klcourse import binary_entropy
    >>> ex = Explorer({"x": slider("bias", 0.5, 0, 1, 0.01)},
    ...               compute=lambda x: {"H": (binary_entropy(x), "bits")})
    >>> ex.update(x=0.11)["H"][0] == binary_entropy(0.11)
    True
    >>> ex.update(x=1.5)
    Traceback (most recent call last):
    ...
    ValueError: control 'x' (bias): 1.5 is outside its range [0.0, 1.0]; choose a value in the range
    """

    def __init__(self, controls: Mapping[str, widgets.ValueWidget],
                 compute: Callable[..., Readout],
                 draw: Callable[..., Any] | None = None,
                 *, animate: Callable[..., bool] | None = None,
                 figsize: tuple[float, float] = (7.0, 3.2),
                 alt: str | Callable[..., str] | None = None) -> None:
        if animate is not None and draw is None:
            raise ValueError("Explorer: `animate` moves what `draw` drew; pass `draw` too")
        self.controls = dict(controls)
        self.compute = compute
        self.draw = draw
        self.animate = animate
        self.figsize = figsize
        self.alt = alt
        self.readout = widgets.HTML()
        self.readout.add_class("klcourse-readout")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.image.add_class("klcourse-figure")
        self.last_readout: dict[str, Any] = {}
        self.last_figure: Figure | None = None
        self.last_png: bytes = b""
        self.redraws = 0          # pictures rendered (one per change)
        self.full_draws = 0       # of which drawn from scratch by `draw`
        self.layouts = 0          # layout passes (the first picture, wider tick labels)
        self.axes_repaints = 0    # repaints of only the axes whose limits changed
        self._fig: Figure | None = None
        self._handles: Any = None
        self._background: Any = None
        self._positions: list | None = None
        self._movers: list = []
        self._tick_widths: tuple = ()
        self._views: list = []            # each axes' limits when last painted
        self._cells: list | None = None   # each axes' pixels (x0, y0, x1, y1), if apart
        self._batch = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        children = [*self.controls.values(), self.readout]
        if draw is not None:
            children.append(self.image)
        self.widget = widgets.VBox(children)
        self.widget.add_class("klcourse-explorer")
        self.refresh()
        self.initial_readout = dict(self.last_readout)
        self.initial_png = self.last_png
        self.initial_alt = self.alt_text() if draw is not None else ""

    def values(self) -> dict[str, Any]:
        """The current value of every control, by keyword name."""
        return {k: c.value for k, c in self.controls.items()}

    def update(self, **values: Any) -> dict[str, Any]:
        """Set controls (as a learner would) and return the new readout.

        A value outside a control's range is refused (a slider would clamp it
        silently and the readout would show another value).
        """
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this explorer has "
                             f"{sorted(self.controls)}")
        for k, v in values.items():
            _check_in_range(k, self.controls[k], v)
        self._batch = True
        try:
            for k, v in values.items():
                c = self.controls[k]
                if isinstance(v, numbers.Real) and hasattr(c, "min"):
                    v = min(max(v, c.min), c.max)  # only round-off is left to remove here
                c.value = v
        finally:
            self._batch = False
        self.refresh()
        return self.last_readout

    def _on_change(self, _change: Any) -> None:
        if not self._batch:
            self.refresh()

    def refresh(self) -> None:
        """Recompute the readout and redraw the figure from the current values."""
        vals = self.values()
        self.last_readout = dict(self.compute(**vals))
        if self.draw is None:
            self.readout.value = _readout_html(self.last_readout)
            return
        moved = self._fig is not None and self.animate is not None and \
            self.animate(self._handles, **vals)
        if moved is True:
            self._paint_animated(restore=True)
        elif moved == REPAINT:
            if not self._paint_changed_axes():
                self._paint_all()
        else:
            self._draw_all(vals)
        self.last_png = _encode_png(self._fig)
        # the Image widget has no alt attribute: the figure's description goes with the
        # readout, as text a screen reader reads (and announces when it changes); the
        # HTML edition copies it into the image's alt. (Not the widget's tooltip: with
        # no description to hold, ipywidgets 8's Image view fails to render one.)
        self.readout.value = _readout_html(self.last_readout, figure=self.alt_text())
        self.image.value = self.last_png
        self.last_figure = self._fig
        self.redraws += 1

    def alt_text(self) -> str:
        """What the figure shows now, in words (the figure's alternative text)."""
        if self.alt is None:
            return alt_text(self._fig) if self._fig is not None else "Figure of the explorer"
        return self.alt(**self.values()) if callable(self.alt) else str(self.alt)

    # -- drawing ----------------------------------------------------------------------
    def _draw_all(self, vals: Mapping[str, Any]) -> None:
        """Draw the whole figure with `draw`, then paint it."""
        if self._fig is None:
            self._fig = Figure(figsize=self.figsize, dpi=DPI)
            FigureCanvasAgg(self._fig)
        self._fig.clear()
        self._cells = None        # new artists: measured again at the next layout
        self._handles = self.draw(self._fig, **vals)
        self._paint_all()
        self.full_draws += 1

    def _paint_all(self) -> None:
        """Paint the whole figure and keep the picture; lay it out first if needed.

        The (constrained) layout pass costs as much as the painting, so it runs
        only for the first picture and when some tick labels get wider than
        they were at the last layout (new axis limits): narrower labels keep
        the positions, with room to spare. A new drawing keeps them too.
        """
        fig = self._fig
        widths = _tick_label_widths(fig)
        if self._needs_layout(widths):
            fig.set_layout_engine("constrained", w_pad=0.08, h_pad=0.06)
            fig.canvas.draw()      # the layout pass; painted without the animated artists
            fig.set_layout_engine("none")
            # the layout's boxes (original=True): a colourbar's locator and a fixed aspect
            # shrink the drawn box from these at every draw, so they are what is restored
            self._positions = [ax.get_position(original=True) for ax in fig.axes]
            self._tick_widths = widths
            self.layouts += 1
            self._cells = _axes_cells(fig) if self.animate else None
        else:
            fig.set_layout_engine("none")    # a `draw` may set one (for a colourbar)
            for ax, pos in zip(fig.axes, self._positions):
                ax.set_position(pos)
                ax.set_in_layout(True)   # set_position takes it out of later layouts
            fig.canvas.draw()      # everything but the animated artists
        self._background = fig.canvas.copy_from_bbox(fig.bbox) if self.animate else None
        self._views = [_view(ax) for ax in fig.axes]
        self._paint_animated(restore=False)

    def _needs_layout(self, widths: tuple) -> bool:
        return (self._positions is None or len(self._positions) != len(self._fig.axes)
                or len(widths) != len(self._tick_widths)
                or any(w > old for w, old in zip(widths, self._tick_widths)))

    def _paint_changed_axes(self) -> bool:
        """Paint again only the axes with new limits, over the saved rest (or False).

        Unfit: every axes (or none) changed, a new layout is due, or the axes'
        pixels are not apart (see :func:`_axes_cells`). Each changed axes'
        cell is cleared to the figure's colour and the axes drawn into it, as
        a whole drawing would draw it there.
        """
        fig = self._fig
        views = [_view(ax) for ax in fig.axes]
        if self._cells is None or len(views) != len(self._views):
            return False
        changed = [i for i, (v, old) in enumerate(zip(views, self._views)) if v != old]
        if not changed or len(changed) == len(views) or \
                self._needs_layout(_tick_label_widths(fig)):
            return False
        pixels = np.asarray(fig.canvas.buffer_rgba())
        if not pixels.flags.writeable:
            return False
        fig.canvas.restore_region(self._background)
        face = np.round(255 * np.asarray(to_rgba(fig.get_facecolor()))).astype(np.uint8)
        height = pixels.shape[0]
        for i in changed:
            x0, y0, x1, y1 = self._cells[i]
            pixels[height - y1:height - y0, x0:x1] = face
            fig.draw_artist(fig.axes[i])    # its fixed parts (animated ones skipped)
        self._background = fig.canvas.copy_from_bbox(fig.bbox)
        self._views = views
        self.axes_repaints += 1
        self._paint_animated(restore=False, find=False)
        return True

    def _paint_animated(self, *, restore: bool, find: bool = True) -> None:
        if self.animate is None:
            return
        fig = self._fig
        if restore:
            fig.canvas.restore_region(self._background)
        elif find:   # after painting everything: find the movers once (a costly search)
            self._movers = sorted(fig.findobj(lambda a: a.get_animated()),
                                  key=lambda a: a.get_zorder())
        for artist in self._movers:
            if artist.get_visible():
                fig.draw_artist(artist)

    # -- display ------------------------------------------------------------------------
    def _repr_mimebundle_(self, include: Any = None,
                          exclude: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
        """The live widget, plus its static face: the first picture and readout, captioned.

        Returns the mime bundle and its metadata (the first picture's alternative text).
        """
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle.update(self.static_face())
        return bundle, ({"image/png": {"alt": self.initial_alt}} if self.initial_png else {})

    def static_face(self) -> dict[str, Any]:
        """Mime data showing the explorer's starting state without a kernel.

        ``text/plain`` (the readout as text), ``text/html`` (the readout table
        and the figure with its alternative text) and ``image/png``; each says
        that the explorer is live only in a running kernel.
        """
        text = readout_text(self.initial_readout)
        out = {"text/plain": f"{text}\n[{STATIC_CAPTION}]"}
        parts = [_readout_html(self.initial_readout)]
        if self.initial_png:
            src = base64.b64encode(self.initial_png).decode("ascii")
            alt = html.escape(self.initial_alt, quote=True)
            parts.append(f'<img src="data:image/png;base64,{src}" alt="{alt}" '
                         f'style="max-width: 100%">')
            out["image/png"] = src
        parts.append(f"<p><em>{html.escape(STATIC_CAPTION)}</em></p>")
        out["text/html"] = ('<div class="klcourse-explorer-static">' + "".join(parts) + "</div>")
        return out


def moving(*artists: Any) -> Any:
    """Mark artists as animated (redrawn on every change over the saved rest); returns the first.

    Parameters
    ----------
    *artists : matplotlib.artist.Artist
        The artists that change with the controls.

    Returns
    -------
    Artist or None

    Examples
    --------
    >>> fig = Figure(); ax = fig.add_subplot()
    >>> moving(ax.plot([0], [0], "o")[0]).get_animated()
    True
    """
    for a in artists:
        a.set_animated(True)
    return artists[0] if artists else None


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is >= x (x > 0).

    Axis limits picked from this ladder change only when the data crosses a
    rung, so a slider step rarely forces the whole figure to be painted again.

    Parameters
    ----------
    x : float
        A positive, finite number.

    Returns
    -------
    float

    Examples
    --------
    >>> nice_ceiling(0.37), nice_ceiling(2.0), nice_ceiling(2.01), nice_ceiling(640)
    (0.5, 2.0, 5.0, 1000.0)
    """
    if not x > 0 or not np.isfinite(x):
        raise ValueError(f"nice_ceiling: need a positive finite number, got {x!r}")
    power = 10.0 ** np.floor(np.log10(x))
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * power >= x * (1 - 1e-12):
            return float(m * power)
    return float(10 * power)  # pragma: no cover (the loop always returns)


def fits(limits: tuple[float, float], low: float, high: float, *, fill: float = 0.3) -> bool:
    """True if ``[low, high]`` lies within `limits` and fills at least `fill` of them.

    Parameters
    ----------
    limits : (float, float)
        Current axis limits.
    low, high : float
        Range of the data to show.
    fill : float, optional
        Smallest share of the axis the data must fill (else the axis is too roomy).

    Returns
    -------
    bool

    Examples
    --------
    >>> fits((0, 2), 0, 1.5), fits((0, 2), 0, 2.5), fits((0, 10), 0, 1)
    (True, False, False)
    """
    lo, hi = limits
    return lo <= low and high <= hi and (high - low) >= fill * (hi - lo)


#: Inline style hiding text from the eye but not from a screen reader (the usual
#: "visually hidden" recipe; the page may not load the course's CSS).
_VISUALLY_HIDDEN = ("position:absolute;width:1px;height:1px;padding:0;margin:-1px;"
                    "overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0")


def _readout_html(values: Readout, figure: str = "") -> str:
    """The readout table in a live region, so a screen reader reads each change.

    `figure`, the figure's description, follows the region, visually hidden (the
    figure beside it says the same to the eye), so that it is read with the page
    but not announced again on every change.
    """
    desc = (f'<p class="klcourse-figure-description" style="{_VISUALLY_HIDDEN}">'
            f"{html.escape(figure)}</p>" if figure else "")
    return f'<div aria-live="polite">{format_readout(values)}</div>{desc}'


def _tick_label_widths(fig: Figure) -> tuple:
    """Characters in the longest tick label of each axis (text only: nothing is rendered)."""
    out = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            locs = [x for x in axis.get_majorticklocs() if lo <= x <= hi]
            labels = axis.get_major_formatter().format_ticks(locs) if locs else []
            out.append(max((len(t) for t in labels), default=0))
    return tuple(out)


def _view(ax: Any) -> tuple:
    return tuple(ax.get_xlim()), tuple(ax.get_ylim())


def _axes_cells(fig: Figure, pad: int = 4) -> list | None:
    """Each axes' pixels with its labels, legend and title, if apart; else None.

    The boxes (:meth:`~matplotlib.axes.Axes.get_tightbbox` at the layout,
    when the tick labels are the widest since, grown by `pad` pixels) must
    not overlap, the figure must draw nothing of its own (titles, texts,
    legends) and no axes may keep a fixed aspect (its box moves with its
    limits); then an axes can be painted again alone.
    """
    own = (fig.texts, fig.legends, fig.lines, fig.patches, fig.images, fig.artists,
           fig.subfigs)
    if any(own) or any(getattr(fig, name, None) is not None
                       for name in ("_suptitle", "_supxlabel", "_supylabel")):
        return None
    if any(ax.get_aspect() != "auto" for ax in fig.axes):
        return None
    renderer = fig.canvas.get_renderer()
    width, height = fig.canvas.get_width_height()
    cells = []
    for ax in fig.axes:
        box = ax.get_tightbbox(renderer)
        cells.append((max(0, int(np.floor(box.x0)) - pad),
                      max(0, int(np.floor(box.y0)) - pad),
                      min(width, int(np.ceil(box.x1)) + pad),
                      min(height, int(np.ceil(box.y1)) + pad)))
    for i, a in enumerate(cells):
        for b in cells[i + 1:]:
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                return None
    return cells


def _check_in_range(name: str, control: widgets.ValueWidget, value: Any) -> None:
    lo, hi = getattr(control, "min", None), getattr(control, "max", None)
    if lo is None or hi is None or not isinstance(value, numbers.Real):
        return
    slack = 1e-9 * (hi - lo)   # round-off of `start + k * step`, not a different value
    if not lo - slack <= value <= hi + slack:
        raise ValueError(f"control {name!r} ({control.description}): {value!r} is outside its "
                         f"range [{lo}, {hi}]; choose a value in the range")


def _encode_png(fig: Figure) -> bytes:
    """The figure's Agg buffer as PNG (RGB, fast zlib level: encoded once per change)."""
    rgba = np.asarray(fig.canvas.buffer_rgba())
    buf = io.BytesIO()
    _PILImage.fromarray(np.ascontiguousarray(rgba[..., :3])).save(buf, format="png",
                                                                   compress_level=1)
    return buf.getvalue()
