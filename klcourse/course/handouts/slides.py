"""Slide decks: a notebook as reveal.js slides that work offline.

``python -m klcourse slides NOTEBOOK OUTDIR`` writes ``OUTDIR/NN_name.slides.html``
and ``OUTDIR/_static/`` (reveal.js, require.js, the widget renderer and
MathJax, fetched from the npm registry at build time: see
:mod:`klcourse.course.handouts.assets`).

Where a cell carries Jupyter's slide metadata
(``cell.metadata.slideshow.slide_type``, set in JupyterLab's property
inspector) it is used as is. Every other cell gets a type derived from the
notebook's structure by :func:`derive_slide_type`:

======================================  ===========================================
cell                                    slide type
======================================  ===========================================
tagged ``solution``                     ``skip`` (``fragment`` with ``solutions=True``)
tagged ``klcourse-nav``                 ``skip``
tagged ``notes``                        ``notes`` (speaker notes, key ``S``)
markdown starting with ``#`` or ``##``  ``slide`` (a new slide, left-right)
markdown starting with ``###``          ``subslide`` (a new slide below, up-down)
other markdown                          ``-`` (continues the current slide)
code showing a figure, or longer than   ``subslide`` (gets a slide of its own)
:data:`LONG_CODE` lines
other code                              ``fragment`` (appears on the next click)
======================================  ===========================================

Without ``solutions=True`` the deck is built from the student copy
(:func:`klcourse.course.handouts.student.student_notebook`): no worked solutions and no
stored check results, so exercises can be projected and done in the room.
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import nbformat

from klcourse.course.files import Manifest, guard_outdir, read_notebook
from klcourse.course.handouts import assets
from klcourse.course.handouts import accessible
from klcourse.course.handouts.html import MATHJAX_BLOCK, _write_page, exporter_urls
from klcourse.course.handouts.student import is_solution, student_notebook

__all__ = ["build_slides", "derive_slide_type", "with_slide_types", "LONG_CODE", "LIBRARIES"]

LONG_CODE = 15
"""Code cells with more lines than this get a slide of their own."""

DECK_HEIGHT = 800
"""Height of a slide in CSS pixels (the deck is 1280 x 800, scaled to the screen)."""

_BUDGET = 520
"""Estimated content height (px) after which a derived slide continues on a new sub-slide."""

# Right arrow and space walk every slide in order (sub-slides included), long
# code wraps instead of running off the right edge, and a slide that is still
# taller than the deck scrolls rather than being cut off.
_DECK_CSS = """<style>
.reveal .slides > section, .reveal .slides > section > section {
  max-height: %(h)dpx; overflow-y: auto; overflow-x: hidden; }
.reveal pre, .reveal code, .reveal .jp-OutputArea-output pre {
  white-space: pre-wrap; overflow-wrap: anywhere; }
.reveal .jp-OutputArea-output img { max-height: %(img)dpx; width: auto; }
</style>
""" % {"h": DECK_HEIGHT, "img": DECK_HEIGHT - 160}

LIBRARIES = ("requirejs", "html-manager", "mathjax", "reveal.js", "jquery")

_HEADING = re.compile(r"^\s*(#{1,6})\s+\S")

_TEMPLATE = "{%- extends 'index.html.j2' -%}\n" + MATHJAX_BLOCK + accessible.PNG_ALT_BLOCK


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def derive_slide_type(cell: dict, *, solutions: bool = False) -> str:
    """The slide type of a cell that has no slide metadata (see the module docstring).

    Parameters
    ----------
    cell : dict
        A notebook cell.
    solutions : bool
        Whether worked solutions are shown (as fragments) or skipped.

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_code_cell
    >>> derive_slide_type(new_markdown_cell("## Jensen's inequality"))
    'slide'
    >>> derive_slide_type(new_markdown_cell("### A picture"))
    'subslide'
    >>> derive_slide_type(new_markdown_cell("Some prose."))
    '-'
    >>> derive_slide_type(new_code_cell("x = 1"))
    'fragment'
    >>> derive_slide_type(new_code_cell("answer = 3", metadata={"tags": ["solution"]}))
    'skip'
    """
    tags = _tags(cell)
    if is_solution(cell):
        return "fragment" if solutions else "skip"
    if "klcourse-nav" in tags:
        return "skip"
    if "notes" in tags:
        return "notes"
    if cell.get("cell_type") == "markdown":
        m = _HEADING.match(cell.get("source", ""))
        if m and len(m.group(1)) <= 2:
            return "slide"
        if m and len(m.group(1)) == 3:
            return "subslide"
        return "-"
    if cell.get("cell_type") == "code":
        lines = cell.get("source", "").strip().count("\n") + 1
        figure = any("image/png" in o.get("data", {}) or "image/jpeg" in o.get("data", {})
                     for o in cell.get("outputs", []))
        if figure or lines > LONG_CODE:
            return "subslide"
        return "fragment"
    return "-"


def with_slide_types(nb: nbformat.NotebookNode, *, solutions: bool = False
                     ) -> nbformat.NotebookNode:
    """A copy of `nb` in which every cell has ``metadata.slideshow.slide_type``.

    Cells that already have one keep it.

    Parameters
    ----------
    nb : NotebookNode
        The notebook (left unchanged).
    solutions : bool
        Passed to :func:`derive_slide_type`.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_markdown_cell
    >>> nb = new_notebook(cells=[new_markdown_cell("# Title"), new_markdown_cell("Prose"),
    ...     new_markdown_cell("Said aloud", metadata={"slideshow": {"slide_type": "notes"}})])
    >>> [c.metadata.slideshow.slide_type for c in with_slide_types(nb).cells]
    ['slide', '-', 'notes']
    """
    out = copy.deepcopy(nb)
    used = 0
    for cell in out.cells:
        show = cell.metadata.get("slideshow", {})
        kind = show.get("slide_type")
        if not kind:
            kind = derive_slide_type(cell, solutions=solutions)
            # a long run of prose and code continues on a sub-slide of its own
            if kind in ("-", "fragment") and used and used + _height(cell) > _BUDGET:
                kind = "subslide"
            cell.metadata["slideshow"] = {**show, "slide_type": kind}
        if kind in ("slide", "subslide"):
            used = _height(cell)
        elif kind in ("-", "fragment"):
            used += _height(cell)
    return out


def _height(cell: dict) -> int:
    """A rough height in px of a cell on a slide: lines of text, code and figures."""
    def lines(text: str, width: int) -> int:
        return sum(1 + len(line) // width for line in text.splitlines()) if text else 0

    source = cell.get("source", "")
    if cell.get("cell_type") == "markdown":
        return 28 * lines(source, 90) + 20
    height = 22 * lines(source, 110) + 24
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if "image/png" in data or "image/jpeg" in data:
            height += DECK_HEIGHT - 200
        elif out.get("output_type") == "stream":
            height += 20 * lines("".join(out.get("text", "")), 110)
        elif "text/plain" in data:
            height += 20 * lines("".join(data["text/plain"]), 110)
    return height


def _deck_settings(body: str) -> str:
    """Linear navigation (→ visits every slide) and the deck CSS, put into a rendered deck."""
    if "Reveal.initialize({" not in body:
        raise ValueError("the reveal.js template changed: no Reveal.initialize({ call found")
    body = body.replace("Reveal.initialize({",
                        "Reveal.initialize({\n            navigationMode: \"linear\",", 1)
    return body.replace("</head>", _DECK_CSS + "</head>", 1)


def _exporter():
    import jinja2
    from nbconvert import SlidesExporter

    options = dict(reveal_url_prefix=f"{assets.STATIC}/reveal.js", reveal_theme="white",
                   reveal_transition="none", reveal_scroll=True, reveal_number="c/t",
                   reveal_width="1280", reveal_height="800", **exporter_urls())
    known = SlidesExporter.class_traits()   # reveal_width/height arrived in nbconvert 7.16
    return SlidesExporter(
        extra_loaders=[jinja2.DictLoader({"klcourse_slides.html.j2": _TEMPLATE})],
        template_file="klcourse_slides.html.j2",
        **{k: v for k, v in options.items() if k in known})


def build_slides(notebook: str | os.PathLike, outdir: str | os.PathLike, *,
                 solutions: bool = False, force: bool = False) -> Path:
    """Write the reveal.js deck of `notebook` into `outdir`; returns the deck's path.

    Parameters
    ----------
    notebook : path
        A ``.ipynb`` file.
    outdir : path
        Folder for the deck and its ``_static/`` libraries (created if missing).
    solutions : bool
        Include the worked solutions, each appearing on a click after its
        exercise (default: leave them out, as in the student copies).
    force : bool
        Replace files in `outdir` that no earlier build wrote (the folder's
        ``.klcourse-manifest.json`` records what was written).

    Raises
    ------
    ValueError
        If `notebook` is not an existing ``.ipynb`` file or `outdir` is a file.
    klcourse.course.handouts.assets.AssetError
        If the JavaScript libraries cannot be fetched (e.g. npm missing).

    Examples
    --------
    >>> build_slides("notebooks/99_missing.ipynb", "slides")
    Traceback (most recent call last):
    ...
    ValueError: NOTEBOOK notebooks/99_missing.ipynb does not exist; pass the path of a notebook, e.g. notebooks/00_start_here.ipynb
    """
    from klcourse.course.notebook_tools import notebook_info

    src = Path(notebook)
    if src.suffix != ".ipynb":
        raise ValueError(f"NOTEBOOK must be a .ipynb file, got {src}")
    if not src.is_file():
        raise ValueError(f"NOTEBOOK {src} does not exist; pass the path of a notebook, "
                         "e.g. notebooks/00_start_here.ipynb")
    out = guard_outdir(outdir, "for the deck")
    nb = read_notebook(src)
    if not solutions:
        nb = student_notebook(nb)
    nb = with_slide_types(nb, solutions=solutions)
    deck = out / f"{src.stem}.slides.html"
    manifest = Manifest(out, tool="slides")
    manifest.check([deck.name, assets.STATIC], force=force)
    out.mkdir(parents=True, exist_ok=True)
    assets.install(out, LIBRARIES)
    manifest.record(assets.STATIC)
    _write_page(_exporter(), nb, src, notebook_info(src).title, deck, suffix=".slides.html",
                transform=_deck_settings)
    manifest.record(deck.name)
    manifest.save()
    return deck
