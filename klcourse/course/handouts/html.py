"""The offline HTML edition: every notebook as a web page, plus an index.

``python -m klcourse html OUTDIR`` writes ``OUTDIR/index.html`` (the notebooks
in order, with their titles, one-line promises and time estimates), one
``NN_name.html`` per notebook (text, formulas, figures and the widgets' saved
state, rendered by nbconvert's ``lab`` template), and ``OUTDIR/_static/``
with the JavaScript the pages load (see :mod:`klcourse.course.handouts.assets`).
Nothing is loaded from a network when a page is read: open ``index.html``
from disk in any browser.

Links between notebooks (``01_entropy.ipynb``) become links between pages
(``01_entropy.html``). Worked solutions are folded away behind a "Worked
solution" button, so a reader can try an exercise first; ``solutions="omit"``
builds the edition from the student copies instead.
"""

from __future__ import annotations

import html as _html
import os
import re
from pathlib import Path
from typing import Literal

import nbformat

from klcourse.course.files import Manifest, atomic_write_text, guard_outdir, read_notebook
from klcourse.course.handouts import _notebook_paths, accessible, assets
from klcourse.course.handouts.student import SOLUTION_TAG, student_notebook

__all__ = ["build_html", "rewrite_notebook_links", "page_name", "exporter_urls", "LIBRARIES"]

LIBRARIES = ("requirejs", "html-manager", "mathjax")
"""The packages of :data:`klcourse.course.handouts.assets.PACKAGES` the pages load."""

_LINK = re.compile(r'''(href\s*=\s*["'])(?![a-zA-Z][a-zA-Z0-9+.-]*:|//|/)([^"'#?]*?)\.ipynb(?=[#?"'])''')

_STYLE = """
details.klcourse-solution, .jp-RenderedMarkdown details { margin: 0.5em 0 0.5em 0; border-left: 4px solid #1E88E5;
  padding-left: 0.5em; }
details.klcourse-solution > summary, .jp-RenderedMarkdown details > summary { cursor: pointer; font-weight: 600; color: #1565C0;
  padding: 0.3em 0; font-family: var(--jp-ui-font-family); font-size: var(--jp-ui-font-size1); }
.jupyter-widgets, .jupyter-widgets .widget-label, .jupyter-widgets .widget-readout,
.jupyter-widgets .widget-html-content { font-family: var(--jp-ui-font-family); }
nav.klcourse-top { font-family: sans-serif; font-size: 14px; padding: 0.5em 1em;
  border-bottom: 1px solid #ddd; }
nav.klcourse-top .klcourse-note { color: #666; margin-left: 2em; }
"""

# nbconvert's MathJax set-up, without automatic line breaking: it breaks formulas
# inside table cells after every symbol (notebook 00's notation table).
MATHJAX_BLOCK = """{%- block html_head_js_mathjax -%}
<script src="{{ resources.mathjax_url }}"></script>
<script type="text/x-mathjax-config">
MathJax.Hub.Config({
  TeX: {equationNumbers: {autoNumber: "AMS", useLabelIds: true}},
  tex2jax: {inlineMath: [['$', '$'], ["\\\\(", "\\\\)"]],
            displayMath: [['$$', '$$'], ["\\\\[", "\\\\]"]],
            processEscapes: true, processEnvironments: true},
  displayAlign: 'center', messageStyle: 'none',
  CommonHTML: {linebreaks: {automatic: false}}
});
</script>
{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""

_TEMPLATE = """{%- extends 'index.html.j2' -%}
""" + MATHJAX_BLOCK + accessible.PNG_ALT_BLOCK + """
{% block extra_css %}<style type="text/css">""" + _STYLE + """</style>{% endblock extra_css %}
{%- block body_header -%}{{ super() }}
<nav class="klcourse-top"><a href="index.html">&larr; All notebooks</a>
{%- if "widgets" in nb.metadata %}
<span class="klcourse-note">The widgets on this page show the state saved with the notebook;
to move them and see the numbers change, run the notebook in JupyterLab.</span>
{%- endif %}</nav>
{%- endblock body_header -%}
{% block codecell %}
{%- if '""" + SOLUTION_TAG + """' in cell.metadata.get('tags', []) -%}
<details class="klcourse-solution"><summary>Worked solution (try the exercise first)</summary>
{{ super() }}
</details>
{%- else -%}
{{ super() }}
{%- endif -%}
{% endblock codecell %}
"""


def page_name(notebook: str | os.PathLike) -> str:
    """The file name of a notebook's page.

    Parameters
    ----------
    notebook : path
        The notebook's path.

    Examples
    --------
    >>> page_name("notebooks/03_nonnegativity.ipynb")
    '03_nonnegativity.html'
    """
    return Path(notebook).stem + ".html"


def rewrite_notebook_links(html: str, suffix: str = ".html") -> str:
    """Point relative links to ``.ipynb`` files at the pages (``NAME + suffix``) instead.

    Absolute URLs (``https://...``) are left alone.

    Parameters
    ----------
    html : str
        The rendered page.
    suffix : str
        What replaces ``.ipynb`` (``".slides.html"`` for decks).

    Examples
    --------
    >>> rewrite_notebook_links('<a href="01_entropy.ipynb#Summary">next</a>')
    '<a href="01_entropy.html#Summary">next</a>'
    >>> rewrite_notebook_links('<a href="https://example.org/x.ipynb">x</a>')
    '<a href="https://example.org/x.ipynb">x</a>'
    """
    return _LINK.sub(lambda m: f"{m.group(1)}{m.group(2)}{suffix}", html)


def exporter_urls(static: str = assets.STATIC) -> dict[str, str]:
    """nbconvert settings that point every script at the local copies under `static`.

    Parameters
    ----------
    static : str
        The folder, relative to the pages, holding the libraries.

    Examples
    --------
    >>> exporter_urls()["require_js_url"]
    '_static/requirejs/require.js'
    """
    return {
        "require_js_url": f"{static}/requirejs/require.js",
        "widget_renderer_url": f"{static}/html-manager/dist/embed-amd.js",
        "mathjax_url": f"{static}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
        "jquery_url": f"{static}/jquery/dist/jquery.min.js",
    }


def _exporter():
    import jinja2
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", theme="light",
                        extra_loaders=[jinja2.DictLoader({"klcourse_page.html.j2": _TEMPLATE})],
                        template_file="klcourse_page.html.j2", **exporter_urls())


def _write_page(exporter, nb: nbformat.NotebookNode, source: Path, title: str, page: Path,
                *, suffix: str = ".html", transform=None) -> None:
    """Render `nb` (read from `source`) with `exporter` into `page`, refusing network loads.

    Links to other notebooks are pointed at their pages, ``NAME + suffix``;
    `transform`, if given, rewrites the rendered page first.
    """
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": title, "path": str(source.parent)}})
    if transform is not None:
        body = transform(body)
    body = accessible.add_to_page(body)
    assets.check_offline(body, str(page))
    atomic_write_text(page, rewrite_notebook_links(body, suffix=suffix))


def _index_page(infos: list, version: str) -> str:
    rows = []
    total = 0
    for info in infos:
        minutes = f"{info.minutes} min" if info.minutes else ""
        total += info.minutes or 0
        rows.append(
            f'<li><div class="head"><a href="{_html.escape(page_name(info.path))}">'
            f'<span class="num">{_html.escape(info.number)}</span> {_html.escape(info.title)}</a>'
            f'<span class="time">{minutes}</span></div>'
            f'<div class="promise">{_html.escape(info.promise)}</div></li>')
    hours, mins = divmod(total, 60)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>klcourse: the Kullback-Leibler divergence (offline edition)</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 48em; margin: 2em auto; padding: 0 1em;
       line-height: 1.5; color: #222; }}
ol {{ list-style: none; padding: 0; }}
li {{ margin: 0 0 1em 0; padding: 0.6em 0.8em; border: 1px solid #ddd; border-radius: 6px; }}
li a {{ font-weight: 600; font-size: 1.1em; text-decoration: none; color: #1565C0; }}
.num {{ color: #666; margin-right: 0.3em; }}
.head {{ display: flex; justify-content: space-between; align-items: baseline; gap: 1em; }}
.time {{ color: #666; white-space: nowrap; }}
.promise {{ color: #444; }}
footer {{ color: #666; font-size: 0.9em; margin-top: 2em; }}
</style>
</head>
<body>
<main>
<h1>The Kullback-Leibler divergence, one idea at a time</h1>
<p>The klcourse notebooks as web pages, with their figures and the saved state of their
widgets. This edition works without Jupyter and without a network. To run the code, change
it and use the exercises' self-checks, open the notebooks in JupyterLab.</p>
<ol>
{chr(10).join(rows)}
</ol>
<p>Total: about {hours} h {mins:02d} min at a steady pace.</p>
</main>
<footer>Built by <code>python -m klcourse html</code> (klcourse {_html.escape(version)}).</footer>
</body>
</html>
"""


def build_html(outdir: str | os.PathLike, notebooks: list[Path] | None = None, *,
               solutions: Literal["fold", "omit"] = "fold",
               verbose: bool = False, force: bool = False) -> list[Path]:
    """Write the offline HTML edition into `outdir`; returns the pages written, index first.

    Parameters
    ----------
    outdir : path
        Folder for the pages (created if missing). Pages an earlier build wrote
        are replaced; any other file in the way is refused unless `force`
        (the folder's ``.klcourse-manifest.json`` records what was written).
    notebooks : list of paths, optional
        The notebooks, in order (default: every course notebook).
    solutions : {"fold", "omit"}
        ``"fold"`` keeps worked solutions behind a click; ``"omit"`` renders
        the student copies (no solutions, no stored check results).
    verbose : bool
        Print each page as it is written.
    force : bool
        Replace files in `outdir` that no earlier build wrote.

    Raises
    ------
    ValueError
        If `outdir` is a file, inside ``notebooks/`` or the repository root,
        holds files this command did not write (without `force`), or
        `solutions` is not one of the two options.
    klcourse.course.handouts.assets.AssetError
        If the JavaScript libraries cannot be fetched (e.g. npm missing).

    Examples
    --------
    >>> build_html("site", solutions="hide")
    Traceback (most recent call last):
    ...
    ValueError: solutions must be 'fold' or 'omit', got 'hide'
    """
    from klcourse import __version__
    from klcourse.course.notebook_tools import notebook_info

    if solutions not in ("fold", "omit"):
        raise ValueError(f"solutions must be 'fold' or 'omit', got {solutions!r}")
    out = guard_outdir(outdir, "for the pages")
    paths = _notebook_paths(notebooks, "render")
    notebooks_read = [read_notebook(p) for p in paths]
    manifest = Manifest(out, tool="html")
    names = ["index.html", assets.STATIC, *(page_name(p) for p in paths)]
    manifest.check(names, force=force)
    out.mkdir(parents=True, exist_ok=True)
    assets.install(out, LIBRARIES)
    manifest.record(assets.STATIC)
    exporter = _exporter()
    infos = [notebook_info(p) for p in paths]
    pages = []
    for path, info, nb in zip(paths, infos, notebooks_read):
        if solutions == "omit":
            nb = student_notebook(nb)
        page = out / page_name(path)
        _write_page(exporter, nb, path, info.title, page)
        manifest.record(page.name)
        pages.append(page)
        if verbose:
            print(f"wrote {page}", flush=True)
    index = out / "index.html"
    atomic_write_text(index, _index_page(infos, __version__))
    manifest.record(index.name)
    manifest.save()
    if verbose:
        print(f"wrote {index}")
    return [index, *pages]
