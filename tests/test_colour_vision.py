"""Every figure of the course reads in every common colour vision (issue #18).

What is checked, and how (rules and thresholds in tests/colour_vision_support.py):
each notebook's code cells run once in a kernel where a small collector records
every figure the kernel displays and every explorer it shows (the figures'
artists, not their pictures); every explorer of klcourse.widgets is also built
here with its defaults. In each Axes, every two series that look different
(lines, bars, patches, scatter and fill collections) must stay apart with normal
vision, protanopia, deuteranopia and tritanopia (Machado 2009 at full severity,
via colorspacious): CAM02-UCS Delta E' >= 10, or another line style, marker,
hatch or kind of mark, or a direct text label next to each. Colour-mapped
images need a colormap monotone in lightness and a colourbar.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import pkgutil
import re
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pytest
from matplotlib.colors import to_rgb

import klcourse.widgets
from colour_vision_support import (MIN_DELTA_E, VISIONS, axes_problems, delta_e,
                                   describe_figure, figure_problems)
from klcourse.plots import COLORS
from klcourse.plots.generative import _EXTRA

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
_EXPLORER_CALL = re.compile(r"\b\w+_explorer\(")

#: Explorers whose drawing code (klcourse/widgets, not edited here) still needs a
#: colour or style change, with the change; the case is xfail until it is made.
PENDING_IN_WIDGETS: dict[str, str] = {}


def _code(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells
            if c.cell_type == "code"]


async def _run(path: Path, out: Path, gate: asyncio.Semaphore) -> dict:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    setup = nbformat.v4.new_code_cell(
        f"import sys; sys.path.insert(0, {str(TESTS)!r})\n"
        f"import colour_vision_support as _cvs; _cvs.install({str(out)!r})")
    nb.cells.insert(0, setup)
    nb.cells.append(nbformat.v4.new_code_cell("_cvs.sweep()"))
    cells: list = []               # the course notebook's cell index of each record

    def count(cell, cell_index, **_):
        lines = out.read_text(encoding="utf-8").count("\n") if out.exists() else 0
        last = cell_index == len(nb.cells) - 1        # the sweep of the explorers
        where = "after the last" if last else cell_index - 1
        cells.extend([where] * (lines - len(cells)))

    client = NotebookClient(nb, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            on_cell_executed=count)
    async with gate:
        await client.async_execute()
    records = []
    if out.exists():
        for line, cell in zip(out.read_text(encoding="utf-8").splitlines(), cells,
                              strict=True):
            records.append({**json.loads(line), "cell": cell})
    return {"path": path, "records": records}


@pytest.fixture(scope="module")
def shown(tmp_path_factory) -> dict[str, list[dict]]:
    """What every notebook displays: one record per figure or explorer, by notebook."""
    folder = tmp_path_factory.mktemp("colour_vision")

    async def run_all():
        gate = asyncio.Semaphore(2)        # two kernels at a time, on 2 cores
        return await asyncio.gather(*(_run(p, folder / f"{p.stem}.jsonl", gate)
                                      for p in NOTEBOOKS))

    # In a thread of its own: the session's browser (Playwright's sync API) may already
    # run an event loop in this one, and asyncio.run refuses to start a second there.
    with ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(asyncio.run, run_all()).result()
    return {r["path"].name: r["records"] for r in results}


def _report(name: str, records: list[dict]) -> list[str]:
    return [f"{name} cell {r['cell']} ({r['what']}): {p}"
            for r in records for p in figure_problems(r)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_every_figure_a_notebook_shows_reads_in_every_colour_vision(path, shown):
    figures = [r for r in shown[path.name] if r["what"] == "figure"]
    # the collector saw at least one figure per cell that shows one
    showing = sum("plt.show()" in src for src in _code(path))
    assert len(figures) >= showing, (path.name, len(figures), showing)
    problems = _report(path.name, figures)
    assert not problems, "\n".join(problems)


def _notebook_case(path: Path):
    code = "\n".join(_code(path))
    pending = [n for n in PENDING_IN_WIDGETS if f"{n.split('.')[1]}(" in code]
    marks = [pytest.mark.xfail(reason="colour fix pending in widgets", strict=True)] \
        if pending else []
    return pytest.param(path, id=path.stem[:2], marks=marks)


_WITH_EXPLORERS = [_notebook_case(p) for p in NOTEBOOKS
                   if any(_EXPLORER_CALL.search(s) for s in _code(p))]


@pytest.mark.parametrize("path", _WITH_EXPLORERS)
def test_every_explorer_a_notebook_shows_reads_in_every_colour_vision(path, shown):
    explorers = [r for r in shown[path.name] if r["what"].startswith("explorer")]
    assert explorers, f"{path.name} calls an explorer but none was displayed"
    problems = _report(path.name, explorers)
    assert not problems, "\n".join(problems)


def _explorer_factories() -> list[tuple[str, object]]:
    found = []
    for info in pkgutil.iter_modules(klcourse.widgets.__path__):
        module = importlib.import_module(f"klcourse.widgets.{info.name}")
        for name, fn in vars(module).items():
            if name.endswith("_explorer") and inspect.isfunction(fn) and \
                    fn.__module__ == module.__name__:
                found.append((f"{info.name}.{name}", fn))
    return sorted(found, key=lambda t: t[0])


def _needs_arguments(fn: object) -> bool:
    return any(p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in inspect.signature(fn).parameters.values())


def test_every_explorer_is_checked_here_or_in_a_notebook():
    """An explorer that needs arguments is checked as a notebook shows it."""
    code = "\n".join(s for p in NOTEBOOKS for s in _code(p))
    unchecked = [n for n, f in _explorer_factories()
                 if _needs_arguments(f) and f"{n.split('.')[1]}(" not in code]
    assert _explorer_factories() and not unchecked, unchecked


def _explorer_case(name: str, fn: object):
    marks = [pytest.mark.xfail(reason="colour fix pending in widgets", strict=True)] \
        if name in PENDING_IN_WIDGETS else []
    return pytest.param(fn, id=name, marks=marks)


@pytest.mark.parametrize("factory", [_explorer_case(n, f)
                                     for n, f in _explorer_factories()
                                     if not _needs_arguments(f)])
def test_every_explorer_with_its_defaults_reads_in_every_colour_vision(factory):
    explorer = factory()
    assert explorer.last_figure is not None and explorer.last_figure.axes
    problems = figure_problems(describe_figure(explorer.last_figure))
    ranged = {k: c for k, c in explorer.controls.items() if hasattr(c, "max")}
    for end in ("max", "min"):        # series that show only for some settings, too
        explorer.update(**{k: getattr(c, end) for k, c in ranged.items()})
        problems += [f"controls at {end}: {p}"
                     for p in figure_problems(describe_figure(explorer.last_figure))]
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------- the check can fail
def _two_lines(c1: str, c2: str, **second) -> dict:
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color=c1, label="p")
    ax.plot([0, 1], [1, 0.2], color=c2, label="q", **second)
    ax.legend()
    return describe_figure(fig)


def test_two_colours_a_red_green_colour_blind_reader_confuses_fail():
    problems = figure_problems(_two_lines("#ff7f0e", "#2ca02c"))   # tab10 orange, green
    assert len(problems) == 1 and problems[0].endswith("with protanopia 1.6")
    assert f"< {MIN_DELTA_E:g}" in problems[0]


def test_the_same_colours_pass_with_another_line_style_or_marker():
    assert not figure_problems(_two_lines("#ff7f0e", "#2ca02c", ls="--"))
    assert not figure_problems(_two_lines("#ff7f0e", "#2ca02c", marker="o"))


def test_colours_apart_in_every_vision_pass_and_a_near_pair_fails_normal_vision():
    assert not figure_problems(_two_lines("#0072B2", "#E69F00"))  # Okabe-Ito's
    problems = figure_problems(_two_lines("#0072B2", "#0a78b8"))
    assert problems and "with normal" in problems[0]


def test_two_series_alike_in_every_way_but_their_legend_fail():
    assert figure_problems(_two_lines("k", "k"))


def test_direct_labels_next_to_each_line_tell_them_apart():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color="#ff7f0e")
    ax.plot([0, 1], [1, 0.2], color="#2ca02c")
    record = describe_figure(fig)
    ax.text(0.95, 0.95, "p", color="#ff7f0e")       # in each line's colour
    ax.text(0.95, 0.25, "q", color="#2ca02c")
    assert axes_problems(record["axes"][0])           # no labels yet: a problem
    assert not figure_problems(describe_figure(fig))
    for t in ax.texts:
        t.set_color("black")
    assert figure_problems(describe_figure(fig))      # black text names neither line
    for t, line in zip(ax.texts, ax.lines):
        line.set_label(t.get_text())                  # ... unless it is the line's name
    assert not figure_problems(describe_figure(fig))
    far = describe_figure(fig)
    for t in far["axes"][0]["texts"]:                 # the same labels, far away
        t["box"] = [[0.4, 0.5], [0.45, 0.55]]
    assert figure_problems(far)


def test_a_rainbow_colormap_or_a_missing_colourbar_fail():
    fig, (a, b, c) = plt.subplots(1, 3)
    fig.colorbar(a.imshow([[0, 1], [2, 3]], cmap="jet"), ax=a)
    b.imshow([[0, 1], [2, 3]], cmap="viridis")
    fig.colorbar(c.imshow([[0, 1], [2, 5]], cmap="cividis"), ax=c)
    problems = figure_problems(describe_figure(fig))
    assert len(problems) == 2, problems
    assert "colormap jet" in problems[0] and "no colourbar" in problems[1]


def test_bars_are_one_series_per_container_with_their_hatch():
    fig, ax = plt.subplots()
    ax.bar([0, 1], [1, 2], color="#0072B2", hatch="//", label="p")
    s = describe_figure(fig)["axes"][0]["series"]
    assert [x["kind"] for x in s] == ["bar"] and s[0]["hatch"] == "//"


def test_the_course_palette_is_apart_in_every_colour_vision():
    """COLORS and the colours after them: any two pass without other cues."""
    close = [(a, b, v) for a, b in combinations((*COLORS, *_EXTRA), 2) for v in VISIONS
             if delta_e(to_rgb(a), to_rgb(b), v) < MIN_DELTA_E]
    assert not close, close
    tab10 = ("#1f77b4", "#ff7f0e", "#2ca02c")     # the palette this one replaced fails
    assert delta_e(to_rgb(tab10[1]), to_rgb(tab10[2]), "protanopia") < MIN_DELTA_E
