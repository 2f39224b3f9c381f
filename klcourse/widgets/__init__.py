"""Interactive explorers: sliders over the maths, with a live readout and figure.

Every widget of the course is an :class:`Explorer`: a few controls, a pure
``compute(**values)`` that returns the numbers to show (computed by klcourse),
and an optional ``draw(fig, **values)`` that draws the figure. The readout and
the figure are refreshed whenever a control moves. Because ``compute`` and
``draw`` are plain functions, tests call them (or :meth:`Explorer.update`)
directly, with no browser.

Topic-specific explorers live in the submodules (``klcourse.widgets.coding``,
...), each a one-liner to use from a notebook.

In the page, the readout is an HTML widget with the CSS class
``klcourse-readout`` (one ``<tr data-key="...">`` row per number) and the
figure an Output widget with the class ``klcourse-figure``; browser tests rely
on those names.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

__all__ = ["Explorer", "format_readout", "slider"]

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
        ``draw(fig, **values)``, drawing on an empty matplotlib Figure.
    figsize : tuple, optional
        Size of the figure in inches.

    Examples
    --------
    >>> from klcourse import binary_entropy
    >>> ex = Explorer({"x": slider("bias", 0.5, 0, 1, 0.01)},
    ...               compute=lambda x: {"H": (binary_entropy(x), "bits")})
    >>> ex.update(x=0.11)["H"][0] == binary_entropy(0.11)
    True
    """

    def __init__(self, controls: Mapping[str, widgets.ValueWidget],
                 compute: Callable[..., Readout],
                 draw: Callable[..., None] | None = None,
                 *, figsize: tuple[float, float] = (7.0, 3.2)) -> None:
        self.controls = dict(controls)
        self.compute = compute
        self.draw = draw
        self.figsize = figsize
        self.readout = widgets.HTML()
        self.readout.add_class("klcourse-readout")
        self.output = widgets.Output()
        self.output.add_class("klcourse-figure")
        self.last_readout: dict[str, Any] = {}
        self.last_figure: Figure | None = None
        self.redraws = 0
        self._batch = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        children = [*self.controls.values(), self.readout]
        if draw is not None:
            children.append(self.output)
        self.widget = widgets.VBox(children)
        self.refresh()

    def values(self) -> dict[str, Any]:
        """The current value of every control, by keyword name."""
        return {k: c.value for k, c in self.controls.items()}

    def update(self, **values: Any) -> dict[str, Any]:
        """Set controls (as a learner would) and return the new readout."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this explorer has "
                             f"{sorted(self.controls)}")
        self._batch = True
        try:
            for k, v in values.items():
                self.controls[k].value = v
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
        self.readout.value = format_readout(self.last_readout)
        if self.draw is None:
            return
        fig = plt.figure(figsize=self.figsize)
        try:
            self.draw(fig, **vals)
            if _in_ipython():
                self.output.clear_output(wait=True)
                with self.output:
                    _show(fig)
        finally:
            plt.close(fig)
        self.last_figure = fig
        self.redraws += 1

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _in_ipython() -> bool:
    """True inside an IPython kernel or shell (where widgets and displays work)."""
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.initialized()


def _show(fig: Figure) -> None:
    """Display a figure inside the current output context."""
    from IPython.display import display

    display(fig)
