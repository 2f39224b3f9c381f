"""The offline HTML edition: one page per notebook, an index in order, nothing from the network."""

from __future__ import annotations

import re
import shutil
import tarfile
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from handouts_support import LOCAL, offline_page, plain

from klcourse.course.cli import main
from klcourse.course.handouts import assets
from klcourse.course.handouts.html import build_html, page_name
from klcourse.course.notebook_tools import course_notebooks, notebook_info

COURSE = course_notebooks()


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.texts: list[str] = []
        self._in_a = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))
            self.texts.append("")
            self._in_a = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_a = False

    def handle_data(self, data):
        if self._in_a:
            self.texts[-1] += data


def _anchors(html: str) -> _Anchors:
    parser = _Anchors()
    parser.feed(html)
    return parser


def _local_file(page: Path, url: str) -> Path:
    return (page.parent / unquote(urlsplit(url).path)).resolve()


@pytest.fixture(scope="session")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    pages = build_html(out)
    return out, pages


@pytest.fixture(scope="session")
def widget_notebooks(tmp_path_factory):
    """Two small notebooks: one shows a slider (its state saved as `regenerate` does)."""
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("widget_nbs")
    nb = new_notebook(cells=[
        new_markdown_cell("# Widgets offline\n\nOn to [the next page](01_next.ipynb#Next). "
                          r"A formula: $D(p\|q) = \sum_x p(x)\log_2 \frac{p(x)}{q(x)}$."),
        new_code_cell("import ipywidgets as w\n"
                      "w.IntSlider(value=7, min=0, max=10, description='teeth')",
                      metadata={"tags": ["nbval-ignore-output"]}),
        new_code_cell("answer = ...   # your answer here"),
        new_code_cell("answer = 7", metadata={"tags": ["solution"]}),
    ], metadata={"klcourse": {"promise": "See a saved slider.", "minutes": 5}})
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True).execute()
    nbformat.write(nb, folder / "00_widgets.ipynb")
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Next\n\nBack to [start](00_widgets.ipynb).")]),
                   folder / "01_next.ipynb")
    return [folder / "00_widgets.ipynb", folder / "01_next.ipynb"]


@pytest.fixture(scope="session")
def widget_edition(tmp_path_factory, widget_notebooks):
    out = tmp_path_factory.mktemp("widget_site")
    build_html(out, widget_notebooks)
    return out


# ---------------------------------------------------------------- the course's edition

def test_one_page_per_notebook_and_an_index(edition):
    out, pages = edition
    assert pages[0] == out / "index.html"
    assert [p.name for p in pages[1:]] == [page_name(p) for p in COURSE]
    html_files = sorted(p.name for p in out.glob("*.html"))
    assert html_files == sorted(["index.html", *(page_name(p) for p in COURSE)])
    for page in pages:
        assert page.stat().st_size > 500


def test_index_links_every_page_in_order_with_titles(edition):
    out, _ = edition
    index = _anchors((out / "index.html").read_text(encoding="utf-8"))
    assert index.hrefs == [page_name(p) for p in COURSE]
    html = (out / "index.html").read_text(encoding="utf-8")
    for path, text in zip(COURSE, index.texts):
        info = notebook_info(path)
        assert info.title in text
        assert info.promise in unescape(html)


def test_no_page_loads_anything_from_the_network(edition):
    out, pages = edition
    for page in pages:
        external, local = assets.scan_page(page.read_text(encoding="utf-8"))
        assert external == [], f"{page.name} loads from the network: {external}"
        for url in local:
            assert _local_file(page, url).is_file(), f"{page.name} loads a missing file {url}"


def test_notebook_links_point_at_pages(edition):
    out, pages = edition
    for page in pages[1:]:
        for href in _anchors(page.read_text(encoding="utf-8")).hrefs:
            if href and not re.match(r"^[a-z]+:|^#", href):
                assert ".ipynb" not in href, f"{page.name} still links to {href}"
                assert _local_file(page, href).is_file(), f"{page.name}: dead link {href}"


def test_pages_show_figures_and_fold_solutions(edition):
    out, pages = edition
    for path, page in zip(COURSE, pages[1:]):
        nb = nbformat.read(path, as_version=4)
        html = page.read_text(encoding="utf-8")
        tagged = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
        code = sum(c.cell_type == "code" for c in tagged)
        # code solutions are folded by the page template; markdown ones fold themselves
        assert html.count('<details class="klcourse-solution">') == code, page.name
        assert html.count("<details") >= len(tagged), page.name
        # an explorer's static PNG stands in for the widget only where no widget state is
        # saved; with the state, the page renders the live widget instead
        n_png = sum(1 for c in nb.cells for o in c.get("outputs", [])
                    if "image/png" in o.get("data", {})
                    and "application/vnd.jupyter.widget-view+json" not in o.get("data", {}))
        assert html.count("data:image/png;base64,") >= n_png, page.name
        assert 'href="index.html"' in html
        if "widgets" in nb.metadata:
            assert "application/vnd.jupyter.widget-state+json" in html, page.name


# ---------------------------------------------------------------- widgets, options, errors

def test_widget_page_refers_to_the_local_renderer(widget_edition):
    html = (widget_edition / "00_widgets.html").read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" in html
    assert "application/vnd.jupyter.widget-view+json" in html
    _, local = assets.scan_page(html)
    assert "_static/html-manager/dist/embed-amd.js" in local
    assert (widget_edition / "_static/html-manager/dist/embed-amd.js").stat().st_size > 100_000
    assert 'href="01_next.html#Next"' in html


def test_no_solutions_edition_leaves_them_out(tmp_path, widget_notebooks, widget_edition):
    folded = (widget_edition / "00_widgets.html").read_text(encoding="utf-8")
    assert "answer = 7" in plain(folded)          # the default edition has it, folded
    build_html(tmp_path, widget_notebooks, solutions="omit")
    html = (tmp_path / "00_widgets.html").read_text(encoding="utf-8")
    assert '<details class="klcourse-solution">' not in html
    assert "answer = 7" not in plain(html)


def test_cli_builds_and_explains(tmp_path, widget_notebooks, capsys):
    assert main(["html", str(tmp_path / "site"), *map(str, widget_notebooks)]) == 0
    out = capsys.readouterr().out
    assert "index.html" in out and "2 notebook pages" in out
    with pytest.raises(SystemExit) as exc:
        main(["html", "--help"])
    assert exc.value.code == 0
    assert "npm" in capsys.readouterr().out


def test_outdir_that_is_a_file_is_refused(tmp_path, widget_notebooks, capsys):
    target = tmp_path / "file.html"
    target.write_text("x")
    assert main(["html", str(target), *map(str, widget_notebooks)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_missing_npm_gives_the_command_to_fix_it(tmp_path, monkeypatch):
    monkeypatch.setenv("KLCOURSE_NPM_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("PATH", str(tmp_path))   # no npm on it
    with pytest.raises(assets.AssetError, match=r"apt-get install -y npm"):
        assets.fetch("requirejs")


def test_a_tarball_with_the_wrong_hash_is_rejected_and_deleted(tmp_path):
    pkg = assets.PACKAGES["requirejs"]
    fake = tmp_path / "package"
    fake.mkdir()
    (fake / "require.js").write_text("var evil = 1;")
    with tarfile.open(tmp_path / pkg.tarball, "w:gz") as tar:
        tar.add(fake, arcname="package")
    shutil.rmtree(fake)
    with pytest.raises(assets.AssetError, match="differs from the pinned"):
        assets.fetch("requirejs", cache=tmp_path)
    assert not (tmp_path / pkg.tarball).exists()


def test_cached_packages_need_no_npm(tmp_path, monkeypatch, edition):
    # `edition` filled the cache; a rebuild must work with npm out of reach.
    monkeypatch.setenv("PATH", str(tmp_path))
    pages = build_html(tmp_path / "again", COURSE[:1])
    assert [p.name for p in pages] == ["index.html", page_name(COURSE[0])]


# ---------------------------------------------------------------- a real browser, offline

@pytest.mark.e2e
def test_widgets_and_formulas_render_from_disk_with_network_blocked(widget_edition, browser):
    with offline_page(browser, widget_edition / "00_widgets.html") as (page, requested, errors):
        page.wait_for_selector(".widget-slider", timeout=20_000)
        readout = page.locator(".widget-readout").first.inner_text()
        label = page.locator(".widget-label").first.inner_text()
        page.wait_for_selector(".MathJax_CHTML", timeout=20_000)
        details = page.locator("details.klcourse-solution")
        assert details.count() == 1 and not details.first.evaluate("d => d.open")
    assert readout.strip() == "7" and label.strip() == "teeth"
    assert errors == []
    external = [u for u in requested if not u.startswith(LOCAL)]
    assert external == [], f"the page tried the network: {external}"
    assert any(u.endswith("embed-amd.js") for u in requested)


def test_unpacking_refuses_paths_outside_the_cache(tmp_path, monkeypatch):
    import io

    from klcourse.course.handouts.assets import _extract

    tgz = tmp_path / "evil.tgz"
    with tarfile.open(tgz, "w:gz") as tar:
        data = b"x"
        info = tarfile.TarInfo("../outside.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    monkeypatch.delattr(tarfile, "data_filter", raising=False)   # the pre-3.11.4 path
    with pytest.raises(assets.AssetError, match="refusing to unpack"):
        _extract(tgz, tmp_path / "dest")
    assert not (tmp_path / "outside.txt").exists()


def test_widget_pages_say_the_widgets_are_frozen(widget_edition):
    with_widgets = (widget_edition / "00_widgets.html").read_text(encoding="utf-8")
    without = (widget_edition / "01_next.html").read_text(encoding="utf-8")
    assert 'class="klcourse-note"' in with_widgets and "JupyterLab" in with_widgets
    assert 'class="klcourse-note"' not in without
