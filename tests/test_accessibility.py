"""axe-core on every page of the HTML edition and on every slide deck.

axe-core (pinned in :data:`klcourse.course.handouts.assets.PACKAGES`, fetched once
from the npm registry) runs in headless Chromium on each page, offline, after its
widgets and formulas have rendered, with every rule it has (WCAG 2.0-2.2 A/AA and
best practices). A page passes with zero *serious* or *critical* violations; every
page's counts by impact are printed in the terminal summary (moderate and minor ones are
not asserted).

A slide deck is checked twice: as it opens (first slide, controls, slide number), then
with reveal.js's hiding of the other slides lifted, every slide laid out one under the
other in the deck's own styles, so that one run sees every slide. (reveal's print layout,
``?print-pdf``, leaves formulas untypeset; walking the slides with axe on each takes a
minute per deck.)
"""

from __future__ import annotations

import collections
import re

import pytest

from handouts_support import AXE_SUMMARY as SUMMARY, offline_page
from klcourse.course.handouts import assets
from klcourse.course.handouts.html import build_html
from klcourse.course.handouts.slides import build_slides
from klcourse.course.notebook_tools import course_notebooks

pytestmark = pytest.mark.e2e

COURSE = course_notebooks()
BLOCKING = ("critical", "serious")

# Rendered when: the widget manager has replaced every saved view, MathJax is idle.
_RENDERED = """() => {
  const views = document.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"]').length;
  const shown = document.querySelectorAll('.widget-subarea, .jupyter-widgets-view').length;
  const mj = window.MathJax && window.MathJax.Hub;
  const mathDone = !mj || (mj.queue && mj.queue.pending === 0 && mj.queue.running === 0);
  return shown >= views && mathDone;
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    return (assets.fetch("axe-core") / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_html(tmp_path_factory.mktemp("a11y_site"))


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("a11y_decks")
    return {src.stem: build_slides(src, out) for src in COURSE}


# Every slide shown at once, in place, after MathJax has typeset them all.
_ALL_SLIDES = """async () => {
  await new Promise(done => MathJax.Hub.Queue(done));
  const style = document.createElement('style');
  style.textContent = `.reveal .slides section { display: block !important;
      position: relative !important; transform: none !important; opacity: 1 !important;
      visibility: visible !important; top: auto !important; left: auto !important; }
    .reveal, .reveal .slides { overflow: visible !important; height: auto !important; }`;
  document.head.appendChild(style);
  document.querySelectorAll('.reveal .slides section').forEach(s => {
    s.removeAttribute('hidden'); s.removeAttribute('aria-hidden');
    s.classList.remove('past', 'future'); s.classList.add('present');
  });
  return document.querySelectorAll('.reveal .slides section').length;
}"""

_AXE = "async () => await axe.run(document, {resultTypes: ['violations']})"


def axe_violations(browser, path, axe_source: str, *, slides: bool = False) -> list[dict]:
    """Run axe-core on the local page `path` (offline) and return its violations.

    With `slides`, axe runs on the deck as it opens and again on all its slides.
    """
    with offline_page(browser, path) as (page, requested, errors):
        page.wait_for_load_state("load")
        if slides:
            page.wait_for_selector(".reveal.ready", timeout=30_000)
        page.wait_for_function(_RENDERED, timeout=30_000)
        broken = page.locator(".jupyter-widgets-error-widget").count()
        page.add_script_tag(content=axe_source)
        violations = page.evaluate(_AXE)["violations"]
        if slides:
            shown = page.evaluate(_ALL_SLIDES)
            assert shown >= 2, f"{path.name}: only {shown} slides found"
            violations += page.evaluate(_AXE)["violations"]
    assert errors == [], f"{path.name}: JavaScript errors {errors}"
    assert broken == 0, f"{path.name}: {broken} saved widget(s) failed to render"
    return violations


def _report(name: str, violations: list[dict]) -> list[str]:
    """Record every violation of `name` for the summary; return the blocking ones, readable."""
    counts = SUMMARY.setdefault(name, collections.Counter())
    blocking = []
    for v in violations:
        counts[v["impact"]] += len(v["nodes"])
        if v["impact"] in BLOCKING:
            where = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            blocking.append(f"{v['impact']} {v['id']} ({len(v['nodes'])}x): {v['help']} "
                            f"-- e.g. {where}")
    return blocking


def test_axe_finds_what_it_should(browser, axe_source, tmp_path):
    """The harness itself: a page with an unlabelled image and faint text fails."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>bad</title></head><body>'
                    '<main><img src="data:image/png;base64,iVBORw0KGgo=">'
                    '<p style="color:#bbb;background:#fff">faint text</p></main></body></html>')
    found = {v["id"]: v["impact"] for v in axe_violations(browser, page, axe_source)}
    assert found.get("image-alt") == "critical"
    assert found.get("color-contrast") == "serious"


def test_every_html_page_has_no_serious_violation(site, browser, axe_source):
    failures = {}
    for page in site:
        blocking = _report(f"html/{page.name}", axe_violations(browser, page, axe_source))
        if blocking:
            failures[page.name] = blocking
    assert not failures, "axe-core, HTML edition:\n" + "\n".join(
        f"{name}: {line}" for name, lines in failures.items() for line in lines)


def test_every_figure_in_the_html_edition_has_its_alt_text(site):
    """Each figure's alt comes from the notebook (klcourse.plots.alt), not nbconvert's filler."""
    for page in site[1:]:
        text = page.read_text(encoding="utf-8")
        images = re.findall(r"<img[^>]*>", text)
        filler = [i for i in images if "No description has been provided" in i]
        assert not filler, f"{page.name}: {len(filler)} figure(s) without alt text"
        described = [i for i in images if re.search(r'alt="[^"]{20,}"', i)]
        assert len(described) == len(images), page.name


@pytest.mark.parametrize("name", [p.stem for p in COURSE])
def test_every_slide_deck_has_no_serious_violation(name, decks, browser, axe_source):
    violations = axe_violations(browser, decks[name], axe_source, slides=True)
    blocking = _report(f"slides/{decks[name].name}", violations)
    assert not blocking, f"axe-core, {decks[name].name}:\n" + "\n".join(blocking)
