"""What the HTML edition and the slides add so that every reader can use them.

nbconvert's pages fall short of WCAG 2 AA in a few places that axe-core (the
accessibility engine the tests run on every page) reports as serious or
critical; this module holds the fixes both editions share:

* :data:`PNG_ALT_BLOCK`: a figure's ``alt`` attribute comes from its output's
  ``metadata["image/png"]["alt"]``, which :mod:`klcourse.plots.alt` writes
  from the figure itself when the notebook runs (nbconvert otherwise puts
  "No description has been provided for this image");
* :data:`STYLE`: code colours, prompts and the slide number darkened to a
  contrast of at least 4.5:1 on their backgrounds, and links in running text
  underlined (told apart by more than colour);
* :data:`SCRIPT`: the sliders of saved widgets get the widget's label as
  their accessible name (ipywidgets gives the handle none), and an explorer's
  figure (an Image widget, which has no alt) gets the description its readout
  carries for screen readers, written by the explorer from what it drew.
"""

from __future__ import annotations

__all__ = ["PNG_ALT_BLOCK", "STYLE", "SCRIPT", "add_to_page"]

PNG_ALT_BLOCK = """{% block data_png scoped %}
{%- set alt = output | get_metadata('alt', 'image/png') -%}
{%- if alt -%}
{{ super() | replace('<img src=', '<img alt="' ~ (alt | escape_html) ~ '" src=', 1) }}
{%- else -%}
{{ super() }}
{%- endif -%}
{% endblock data_png %}
"""

# Contrast against the code background #f5f5f5 (and white), WCAG 2 formula:
# numbers #007000 5.8:1, comments #3a7373 5.0:1, operators and meta #8f1fd6 5.8:1,
# keywords and builtins #007000; prompts are drawn fully opaque (#616161 5.7:1)
# instead of at half opacity (#b0b0b0, 2.0:1); the slide number #ffffff on #555 7.5:1.
STYLE = """<style type="text/css">
:root {
  --jp-mirror-editor-number-color: #007000;
  --jp-mirror-editor-keyword-color: #007000;
  --jp-mirror-editor-builtin-color: #007000;
  --jp-mirror-editor-quote-color: #007000;
  --jp-mirror-editor-tag-color: #007000;
  --jp-mirror-editor-comment-color: #3a7373;
  --jp-mirror-editor-operator-color: #8f1fd6;
  --jp-mirror-editor-meta-color: #8f1fd6;
  --jp-mirror-editor-atom-color: #3333bb;
  --jp-mirror-editor-bracket-color: #5c5c3d;
  --jp-mirror-editor-hr-color: #616161;
  --jp-cell-prompt-not-active-opacity: 1;
}
.jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited,
.reveal .slides a:link, .reveal .slides a:visited { text-decoration: underline; }
.reveal .slide-number { background-color: #555555; color: #ffffff; }
</style>
"""

SCRIPT = """<script>
/* klcourse: name each widget slider after its label, and describe each explorer's
   figure, for screen readers. */
(function () {
  function nameSliders() {
    var handles = document.querySelectorAll(
      '[role="slider"]:not([aria-label]):not([aria-labelledby])');
    handles.forEach(function (handle) {
      var box = handle.closest('.widget-slider') || handle.closest('.jupyter-widgets');
      var label = box && box.querySelector('.widget-label');
      var text = label && label.textContent.trim();
      if (text) { handle.setAttribute('aria-label', text); }
    });
  }
  function describeFigures() {
    /* an explorer's figure: its description is the visually hidden text in its readout */
    document.querySelectorAll('img.widget-image:not([alt])').forEach(function (img) {
      var box = img.closest('.klcourse-explorer');
      var desc = box && box.querySelector('.klcourse-figure-description');
      var text = desc && desc.textContent.trim();
      if (text) { img.setAttribute('alt', text); }
    });
  }
  function nameAll() { nameSliders(); describeFigures(); }
  new MutationObserver(nameAll).observe(document.documentElement,
                                            {childList: true, subtree: true});
  window.addEventListener('load', nameAll);
})();
</script>
"""


def add_to_page(body: str) -> str:
    """Put :data:`STYLE` and :data:`SCRIPT` at the end of the page's ``<head>``.

    Parameters
    ----------
    body : str
        A rendered HTML page with one ``</head>``.

    Returns
    -------
    str
        The page with the style and script added.

    Raises
    ------
    ValueError
        If the page has no ``</head>``.

    Examples
    --------
    >>> page = add_to_page("<html><head></head><body></body></html>")
    >>> "--jp-cell-prompt-not-active-opacity: 1" in page, page.count("<script>")
    (True, 1)
    """
    if "</head>" not in body:
        raise ValueError("add_to_page: the page has no </head>; is it a whole HTML page?")
    return body.replace("</head>", STYLE + SCRIPT + "</head>", 1)
