"""reveal.js decks: slides from metadata or structure, solutions left out, nothing from the network."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from handouts_support import LOCAL, offline_page, plain

from klcourse.course.cli import main
from klcourse.course.handouts import assets
from klcourse.course.handouts.slides import LONG_CODE, build_slides, derive_slide_type, with_slide_types
from klcourse.course.notebook_tools import course_notebooks

COURSE = course_notebooks()
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


class _Sections(HTMLParser):
    """Counts top-level slides, all sections, fragments and speaker notes."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.top = 0
        self.sections = 0
        self.fragments = 0
        self.notes = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "section":
            self.sections += 1
            if self.depth == 0:
                self.top += 1
            self.depth += 1
        elif tag == "div" and "fragment" in classes:
            self.fragments += 1
        elif tag == "aside" and "notes" in classes:
            self.notes += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1


def _sections(html: str) -> _Sections:
    parser = _Sections()
    parser.feed(html)
    return parser


def _lecture():
    return new_notebook(cells=[
        new_markdown_cell("# Gibbs' inequality\n\nWhy D(p||q) >= 0."),
        new_markdown_cell("## Objectives\n\n- one\n- two"),
        new_code_cell("x = 1\nprint(x)", outputs=[new_output("stream", text="1\n")]),
        new_markdown_cell("### A picture"),
        new_code_cell("show()", outputs=[new_output("display_data", data={"image/png": PNG,
                                                                          "text/plain": "<Figure>"})]),
        new_code_cell("\n".join(f"y{i} = {i}" for i in range(LONG_CODE + 1))),
        new_markdown_cell("Say this aloud: the log is concave.", metadata={"tags": ["notes"]}),
        new_markdown_cell("## Exercises\n\n**Exercise 3.1** ..."),
        new_code_cell("answer = ...   # your answer here"),
        new_code_cell("answer = 42  # SECRET-SOLUTION", metadata={"tags": ["solution"]}),
        new_code_cell('check("03.x", answer)', outputs=[new_output("stream", text="03.x: correct.\n")]),
        new_markdown_cell("Kept as the author said", metadata={"slideshow": {"slide_type": "slide"}}),
        new_markdown_cell("---\n\nNext: ...", metadata={"tags": ["klcourse-nav"]}),
    ])


def test_slide_types_derived_from_structure():
    types = [c.metadata.slideshow.slide_type for c in with_slide_types(_lecture()).cells]
    assert types == ["slide", "slide", "fragment", "subslide", "subslide", "subslide", "notes",
                     "slide", "fragment", "skip", "fragment", "slide", "skip"]


def test_author_metadata_wins_and_solutions_can_be_shown():
    nb = _lecture()
    nb.cells[3].metadata["slideshow"] = {"slide_type": "fragment"}
    types = [c.metadata.slideshow.slide_type for c in with_slide_types(nb, solutions=True).cells]
    assert types[3] == "fragment"      # the author's choice, not "subslide"
    assert types[9] == "fragment"      # the worked solution appears on a click
    assert "slideshow" not in nb.cells[0].metadata   # the input is not modified


def test_derive_slide_type_for_markdown_levels():
    assert derive_slide_type(new_markdown_cell("#### Small heading")) == "-"
    assert derive_slide_type(new_markdown_cell("Text\n## heading later")) == "-"


@pytest.fixture(scope="session")
def lecture_deck(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lecture")
    nbformat.write(_lecture(), folder / "03_lecture.ipynb")
    return build_slides(folder / "03_lecture.ipynb", folder / "slides")


def test_deck_structure_and_no_solution(lecture_deck):
    html = lecture_deck.read_text(encoding="utf-8")
    s = _sections(html)
    assert s.top == 4            # title, Objectives, Exercises, the author's slide
    assert s.sections == 4 + 4 + 3   # each slide wraps its sub-slides; 3 extra sub-slides
    assert s.fragments == 3 and s.notes == 1
    assert "SECRET-SOLUTION" not in html
    assert "03.x: correct." not in html      # check outputs cleared as in student copies
    assert "Next: ..." not in html           # the navigation footer is skipped


def test_deck_with_solutions(tmp_path):
    nbformat.write(_lecture(), tmp_path / "03_lecture.ipynb")
    deck = build_slides(tmp_path / "03_lecture.ipynb", tmp_path / "out", solutions=True)
    html = deck.read_text(encoding="utf-8")
    assert "SECRET" in html and "03.x: correct." in html


def _assert_offline(deck: Path):
    html = deck.read_text(encoding="utf-8")
    external, local = assets.scan_page(html)
    assert external == [], f"{deck.name} loads from the network: {external}"
    for url in local:
        path = (deck.parent / unquote(urlsplit(url).path))
        assert path.is_file(), f"{deck.name} loads a missing file {url}"
    assert any(u.endswith("reveal.js/dist/reveal.js") for u in local)
    assert any(u.endswith("plugin/notes/notes.js") for u in local)


def test_deck_is_offline(lecture_deck):
    _assert_offline(lecture_deck)


@pytest.fixture(scope="module")
def course_decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("decks")
    return {src.name: (nbformat.read(src, as_version=4), build_slides(src, out)) for src in COURSE}


@pytest.mark.parametrize("src", COURSE, ids=[p.stem for p in COURSE])
def test_course_notebook_deck(src, course_decks):
    nb, deck = course_decks[src.name]
    assert deck.name == f"{src.stem}.slides.html"
    html = deck.read_text(encoding="utf-8")
    expected = sum(1 for c in with_slide_types(nb).cells
                   if c.metadata.slideshow.slide_type == "slide")
    assert _sections(html).top == expected >= 2
    shown = plain(html)
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            assert plain(cell.source) not in shown, f"{src.name}: a worked solution is on a slide"
    _assert_offline(deck)


def test_plain_text_sees_highlighted_code(tmp_path):
    nbformat.write(_lecture(), tmp_path / "03_lecture.ipynb")
    deck = build_slides(tmp_path / "03_lecture.ipynb", tmp_path / "out", solutions=True)
    assert plain("answer = 42  # SECRET-SOLUTION") in plain(deck.read_text(encoding="utf-8"))


def test_cli_and_errors(tmp_path, capsys):
    nbformat.write(_lecture(), tmp_path / "03_lecture.ipynb")
    assert main(["slides", str(tmp_path / "03_lecture.ipynb"), str(tmp_path / "deck")]) == 0
    assert "03_lecture.slides.html" in capsys.readouterr().out
    assert main(["slides", str(tmp_path / "missing.ipynb"), str(tmp_path / "deck")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["slides", str(tmp_path / "notes.txt"), str(tmp_path / "deck")]) == 2
    assert "must be a .ipynb file" in capsys.readouterr().err
    (tmp_path / "afile").write_text("x")
    assert main(["slides", str(tmp_path / "03_lecture.ipynb"), str(tmp_path / "afile")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["slides", "--help"])
    assert exc.value.code == 0
    assert "NOTEBOOK" in capsys.readouterr().out


@pytest.mark.e2e
def test_deck_runs_in_a_browser_with_network_blocked(lecture_deck, browser):
    with offline_page(browser, lecture_deck) as (page, requested, errors):
        page.wait_for_selector(".reveal.ready", timeout=20_000)
        first = page.locator("section.present h1").first.inner_text()
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
        second = page.locator("section.present h2").first.inner_text()
    assert first.lower().startswith("gibbs") and second.lower().startswith("objectives")
    assert errors == []
    assert [u for u in requested if not u.startswith(LOCAL)] == []


_WALK = """async () => {
  const Reveal = await new Promise(ok => require(["_static/reveal.js/dist/reveal.js"], ok));
  const seen = [];
  const total = Reveal.getTotalSlides();
  Reveal.slide(0, 0);
  for (let step = 0; step < 20 * total + 50; step++) {
    const el = Reveal.getCurrentSlide();
    const pres = [...el.querySelectorAll("pre")].filter(p => p.offsetParent !== null);
    seen.push({index: Reveal.getSlidePastCount(), height: el.offsetHeight,
               content: el.scrollHeight,
               clipped: pres.filter(p => p.scrollWidth > p.clientWidth + 1).length});
    if (Reveal.isLastSlide()) break;
    Reveal.next();
  }
  return {total, seen, mode: Reveal.getConfig().navigationMode};
}"""


@pytest.mark.e2e
@pytest.mark.parametrize("src", COURSE, ids=[p.stem for p in COURSE])
def test_right_arrow_walks_every_slide_and_each_fits(src, course_decks, browser):
    _, deck = course_decks[src.name]
    with offline_page(browser, deck) as (page, requested, errors):
        page.wait_for_selector(".reveal.ready", timeout=20_000)
        result = page.evaluate(_WALK)
        page.keyboard.press("Home")
        before = page.evaluate("document.querySelector('section.present') !== null")
        page.keyboard.press("ArrowRight")   # the key itself, once: linear mode moves one slide
    assert result["mode"] == "linear" and before
    indices = [s["index"] for s in result["seen"]]   # fragments repeat a slide's index
    steps = {b - a for a, b in zip(indices, indices[1:])}
    assert steps <= {0, 1} and sorted(set(indices)) == list(range(result["total"])), (
        f"{src.name}: next() visited slides {sorted(set(indices))} of {result['total']}")
    tall = [(s["index"], s["height"]) for s in result["seen"] if s["height"] > 800]
    assert tall == [], f"{src.name}: slides taller than the 800 px deck: {tall}"
    clipped = [s["index"] for s in result["seen"] if s["clipped"]]
    assert clipped == [], f"{src.name}: code clipped at the right edge on slides {clipped}"
    scrolls = sum(1 for s in result["seen"] if s["content"] > 800)
    print(f"\n{src.name}: {result['total']} slides, {scrolls} scroll within the deck height")
    assert errors == []
