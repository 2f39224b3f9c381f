"""Every course notebook in a real JupyterLab and in Notebook 7, in headless Chromium.

For each notebook in ``notebooks/`` (as found when the tests are collected) and each
front-end (``lab``, ``notebook``; ``$KLCOURSE_E2E_FRONTENDS`` picks, e.g. ``lab``),
the notebook is opened once, in one page of the shared server and browser:

* ``test_notebook_runs``: wait for the kernel, Run All Cells from the menu, wait
  until every cell has run; no cell may show an error or be left unrun or stuck;
  a screenshot is saved (full length in JupyterLab).
* ``test_not_marked_modified``: once the kernel has started, the committed
  notebook is not marked modified; after Run All its metadata still equal the
  file's (the failure names each metadata key that differs).
* ``test_explorer_follows_its_slider``: for a notebook with widgets, move a
  slider with the keyboard; the readout must change to the number klcourse
  computes for the new setting (``explorer_checks.py``) and the figure must be
  re-drawn. A few more presses time key-down to new readout and new figure in
  the page; the latencies are printed and summarised (never asserted: a shared
  CI machine's timing is not a test).
* ``test_explorer_keyboard`` (JupyterLab): Tab reaches every slider of the
  explorer, arrows move each, and the readout is text in a live region.

Run them alone with ``python -m pytest tests/e2e -m e2e``; leave them out
with ``-m "not e2e"``. See docs/testing.md.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import e2e_lab
import pytest
from e2e_lab import (
    E2EError,
    ExplorerView,
    NotebookPage,
    explorers_on_page,
    parse_shown_number,
)
from explorer_checks import EXPLORER_CHECKS

pytestmark = pytest.mark.e2e

NOTEBOOK_DIR = e2e_lab.notebook_dir()
NOTEBOOKS = sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb"))
FRONTENDS = [f.strip() for f in os.environ.get("KLCOURSE_E2E_FRONTENDS", "lab,notebook").split(",")
             if f.strip()]
CASES = [(frontend, name) for frontend in FRONTENDS for name in NOTEBOOKS]
TIMED_PRESSES = 4                                                      # per explorer check
TIMED_WAIT = 8.0                                                       # s, for one timed change

OPEN_TIMEOUT = 120.0                                                   # s, page + kernel start
RUN_TIMEOUT = float(os.environ.get("KLCOURSE_E2E_TIMEOUT", "300"))     # s, Run All per notebook
WIDGET_TIMEOUT = 60.0                                                  # s, readout after a key press
SETTLE = 3.0                                                           # s, a finished update stays put
SHOWN_DECIMALS = 4                                                     # Explorer readouts: f"{x:.4f}"


@dataclass
class Ran:
    name: str
    page: NotebookPage
    frontend: str = "lab"
    cells: list = field(default_factory=list)
    error: BaseException | None = None
    screenshot: Path | None = None
    run_all_clicks: int = 0
    dirty_after_start: bool | None = None
    metadata_after_start: list = field(default_factory=list)
    dirty_after_run: bool | None = None
    metadata_after_run: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} in {'JupyterLab' if self.frontend == 'lab' else 'Notebook 7'}"


def _stem(name: str) -> str:
    return Path(name).stem


def _case_id(case) -> str:
    frontend, name = case
    return f"{frontend}-{_stem(name)}"


def _require_frontend(frontend: str) -> None:
    if frontend == "notebook":
        try:
            import notebook  # noqa: F401
        except ImportError:
            msg = ("Notebook 7 is not installed (pip install 'notebook>=7,<8'); "
                   "or set KLCOURSE_E2E_FRONTENDS=lab")
            if e2e_lab.env_flag("CI"):
                pytest.fail(msg, pytrace=False)
            pytest.skip(msg)


@pytest.fixture(scope="module", params=CASES, ids=_case_id)
def ran(request, lab_server, browser, artifacts_dir):
    """The notebook open in its own page of one front-end, after Run All Cells."""
    frontend, name = request.param
    _require_frontend(frontend)
    key = _stem(name) if frontend == "lab" else f"{_stem(name)} (nb7)"
    timings = e2e_lab.TIMINGS.setdefault(key, {})
    page = NotebookPage(lab_server, browser, name, frontend=frontend)
    state = Ran(name, page, frontend)
    try:
        t0 = time.monotonic()
        try:
            page.open(OPEN_TIMEOUT)
            timings["open"] = time.monotonic() - t0
            state.dirty_after_start = page.is_dirty()
            state.metadata_after_start = page.metadata_changes()
            result = page.run_all(RUN_TIMEOUT)
            timings["run"] = result.timings["run"]
            state.cells, state.run_all_clicks = result.cells, result.run_all_clicks
            state.dirty_after_run = page.is_dirty()
            state.metadata_after_run = page.metadata_changes()
        except Exception as err:  # noqa: BLE001 (any failure is reported by the test)
            state.error = err
        t1 = time.monotonic()
        try:
            target = artifacts_dir / (f"{_stem(name)}.png" if frontend == "lab"
                                      else f"{_stem(name)}--notebook7.png")
            if frontend == "lab":
                shots = page.screenshot(target)
            else:  # the first screen only: Notebook 7 scrolls differently, and time counts
                page.page.screenshot(path=str(target))
                shots = [target]
            state.screenshot = shots[0]
            e2e_lab.SCREENSHOTS.setdefault(key, []).extend(shots)
            print(f"[e2e] screenshot of {state.label}: {', '.join(map(str, shots))}")
        except Exception as err:  # noqa: BLE001 (a missing screenshot fails nothing)
            print(f"[e2e] no screenshot of {state.label}: {err}")
        timings["screenshot"] = time.monotonic() - t1
        yield state
    finally:
        page.close()
        lab_server.shutdown_sessions(name)


def _describe(cell) -> str:
    return f"code cell {cell.number} (notebook cell {cell.index}, `{cell.head}`)"


def run_problems(ran) -> list[str]:
    """What is wrong with the run as the page shows it (empty: it ran clean)."""
    problems = []
    for cell in ran.cells:
        for out in cell.outputs:
            if out["output_type"] == "error":
                problems.append(f"{_describe(cell)} shows an error: {out['ename']}: {out['evalue']}")
        for out in cell.rendered:
            if "Error displaying widget" in out["text"]:
                problems.append(f"{_describe(cell)} shows 'Error displaying widget'")
    for _, parent, ename, evalue in ran.page.kernel_errors:
        if parent != "execute_request":  # raised outside any cell, e.g. in a widget callback
            problems.append(f"the kernel raised outside any cell (in reply to {parent or '?'}): "
                            f"{ename}: {evalue}")
    ran_cells = [c for c in ran.cells if c.source.strip()]
    stuck = [c for c in ran_cells if c.prompt == "*"]
    unrun = [c for c in ran_cells if c.prompt != "*" and not c.prompt.isdigit()]
    problems += [f"{_describe(c)} is stuck ([*])" for c in stuck]
    if unrun:
        raised = any(o["output_type"] == "error" for c in ran.cells for o in c.outputs)
        problems.append(f"{len(unrun)} code cell(s) did not run (blank prompt), from "
                        f"{_describe(unrun[0])}" + (f" to code cell {unrun[-1].number}"
                                                    if len(unrun) > 1 else "")
                        + ("" if raised else "; no cell raised, so Run All was partly "
                           "dropped (clicked before the kernel was ready?)"))
    counts = [int(c.prompt) for c in ran_cells if c.prompt.isdigit()]
    if not problems and counts != list(range(1, len(ran_cells) + 1)):
        problems.append(f"cells did not run once each, in order, in a fresh kernel: "
                        f"prompts {counts}")
    return problems


def test_notebook_runs(ran):
    if ran.error is not None:
        raise E2EError(f"{ran.label} did not run to the end: {ran.error}\n"
                       f"screenshot: {ran.screenshot}")
    problems = run_problems(ran)
    for cell in ran.cells:
        if any(o["output_type"] == "stream" and o["name"] == "stderr" for o in cell.outputs):
            print(f"[e2e] note: {_describe(cell)} writes to stderr (shown in red to learners)")
    assert not problems, (f"{ran.label}:\n  " + "\n  ".join(problems)
                          + f"\nscreenshot: {ran.screenshot}")
    print(f"[e2e] {ran.label}: {len([c for c in ran.cells if c.source.strip()])} code cells "
          f"ran clean (Run All clicked {ran.run_all_clicks}x)")


def test_not_marked_modified(ran):
    """Opening a committed notebook must not make it 'modified' (issue 17, item 6)."""
    if ran.dirty_after_start is None:
        raise E2EError(f"cannot check the modified flag of {ran.label}: it did not open "
                       f"({ran.error})")
    problems = []
    if ran.dirty_after_start:
        problems.append("marked modified as soon as the kernel started; metadata that differ "
                        "from the file: " + ("; ".join(ran.metadata_after_start)
                                             or "none (another change of the model)"))
    if ran.metadata_after_run:
        problems.append("after Run All the metadata differ from the file: "
                        + "; ".join(ran.metadata_after_run))
    print(f"[e2e] {ran.label}: modified after kernel start: {ran.dirty_after_start}; after "
          f"Run All: {ran.dirty_after_run} (new outputs mark any run notebook modified)")
    assert not problems, (f"{ran.label}: " + "\n  ".join(problems)
                          + "\n(the committed metadata should be what the kernel reports: "
                          "regenerate writes language_info from the kernel)")


def _matches(shown: float, expected: float) -> bool:
    if math.isinf(expected) or math.isinf(shown):
        return shown == expected
    return abs(shown - expected) <= 0.5 * 10 ** -SHOWN_DECIMALS + 1e-12


def test_explorer_follows_its_slider(ran, lab_server, artifacts_dir):
    stem = _stem(ran.name)
    if ran.error is not None:
        raise E2EError(f"cannot test the widgets of {ran.label}: it did not run ({ran.error})")
    page = ran.page.page
    info = explorers_on_page(page)
    checks = EXPLORER_CHECKS.get(stem, ())
    if info["widgets"] == 0 and info["explorers"] == 0:
        if run_problems(ran):
            raise E2EError(f"{ran.label} shows no widget, but it did not run cleanly either "
                           f"(see test_notebook_runs)")
        if checks:
            raise E2EError(f"tests/e2e/explorer_checks.py has an entry for {stem}, but the "
                           f"page shows no widget: remove the entry or fix the notebook")
        pytest.skip(f"{ran.name} shows no widget")
    assert checks, (
        f"{ran.name} shows {info['widgets']} widget(s) and {info['explorers']} Explorer "
        f"readout(s) (rows: {info['keys']}), but tests/e2e/explorer_checks.py has no entry "
        f"for {stem!r}: the table needs an entry (readout key, slider, and the klcourse "
        f"computation of that key) so the browser test can check the widget")
    t0 = time.monotonic()
    for number, check in enumerate(checks, start=1):
        _check_explorer(ran, check, number, lab_server, artifacts_dir)
        _time_explorer(ran, check)
    key = stem if ran.frontend == "lab" else f"{stem} (nb7)"
    e2e_lab.TIMINGS.setdefault(key, {})["widget"] = time.monotonic() - t0


def _time_explorer(ran, check) -> None:
    """Press the check's slider back and forth; record key-down -> readout / figure in ms."""
    view = ExplorerView(ran.page.page, check.key, check.occurrence)
    back = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight",
            "ArrowUp": "ArrowDown", "ArrowDown": "ArrowUp"}.get(check.press, "ArrowLeft")
    if ran.frontend == "notebook":   # mouse clicks on the track (see _check_explorer)
        actions = ["click:0.3", "click:0.6", "click:0.4", "click:0.65"]
    else:
        actions = [back, check.press] * (TIMED_PRESSES // 2)
    samples = [view.timed_press(check.slider, a, timeout=TIMED_WAIT) for a in actions]
    stem = _stem(ran.name)
    row = e2e_lab.LATENCIES.setdefault((ran.frontend, stem, check.key), [])
    row.extend(samples)
    figure = [s["figure_ms"] for s in samples if s["figure_ms"] is not None]
    readout = [s["readout_ms"] for s in samples if s["readout_ms"] is not None]
    print(f"[e2e] latency {ran.label}, slider {samples[0]['slider']!r}: key -> figure "
          f"{_ms(figure)}; key -> readout {_ms(readout)}")


def _ms(values) -> str:
    if not values:
        return "no change seen"
    values = sorted(values)
    return f"median {values[len(values) // 2]:.0f} ms, worst {values[-1]:.0f} ms (n={len(values)})"


def test_explorer_keyboard(ran):
    """Tab reaches every control of each explorer, arrows move it, the readout is text.

    In JupyterLab only: Notebook 7 (7.6, measured) stops arrow keys before they reach
    a focused widget slider, for any ipywidgets slider, not only the course's; the
    course cannot change that, so it is reported rather than tested there.
    """
    if ran.frontend != "lab":
        pytest.skip("Notebook 7 swallows arrow keys on ipywidgets sliders (a front-end "
                    "limitation); the keyboard walk is checked in JupyterLab")
    if ran.error is not None:
        raise E2EError(f"cannot test the keyboard in {ran.label}: it did not run ({ran.error})")
    checks = EXPLORER_CHECKS.get(_stem(ran.name), ())
    if not checks:
        pytest.skip(f"{ran.name} has no explorer")
    problems = []
    for check in checks:
        view = ExplorerView(ran.page.page, check.key, check.occurrence)
        view.root.scroll_into_view_if_needed()
        problems += [f"explorer {check.key!r}: {p}" for p in view.keyboard_walk()]
        problems += [f"explorer {check.key!r}: {p}" for p in view.readout_is_text()]
    assert not problems, f"{ran.label}:\n  " + "\n  ".join(problems)


def _check_explorer(ran, check, number, lab_server, artifacts_dir):
    page = ran.page.page
    view = ExplorerView(page, check.key, check.occurrence)
    view.root.scroll_into_view_if_needed()

    def shown_and_expected():
        values = view.sliders()
        text = view.row_text()
        number, unit = parse_shown_number(text)
        return values, text, number, unit, float(check.expected(values))

    values0, text0, shown0, _, expected0 = shown_and_expected()
    assert _matches(shown0, expected0), (
        f"{ran.name}: before any interaction, {check.key!r} shows {text0!r} for sliders "
        f"{values0}, but klcourse computes {expected0:.6f}")
    figure0 = view.figure_src()
    log_offset = lab_server.log_path.stat().st_size

    pressed_at = time.monotonic()
    if ran.frontend == "notebook":
        # Notebook 7 swallows arrow keys on widget sliders (they never reach the slider:
        # see test_explorer_keyboard's note); a learner there moves it with the mouse
        label = view.click_track(check.slider, 0.7)
    else:
        label = view.press(check.slider, check.press)
    deadline = time.monotonic() + 5
    while view.sliders() == values0 and time.monotonic() < deadline:
        time.sleep(0.1)
    if view.sliders() == values0:  # at the end of its range: go the other way
        if ran.frontend == "notebook":
            view.click_track(check.slider, 0.3)
        else:
            back = {"ArrowRight": "ArrowLeft", "ArrowUp": "ArrowDown"}.get(check.press,
                                                                          "ArrowLeft")
            view.press(check.slider, back)
    deadline = time.monotonic() + WIDGET_TIMEOUT
    last, ok, timed_out = None, False, False
    seen, seen_since = None, time.monotonic()
    while time.monotonic() < deadline:
        values, text, shown, unit, expected = last = shown_and_expected()
        figure = view.figure_src()
        redrawn = figure0 is None or (figure is not None and figure != figure0)
        if values != values0 and text != text0 and _matches(shown, expected) and redrawn:
            ok = True
            break
        if (values, text, figure) != seen:
            seen, seen_since = (values, text, figure), time.monotonic()
        elif text != text0 and redrawn and time.monotonic() - seen_since > SETTLE:
            break  # the update arrived and has been stable, but shows the wrong number
        if any(t >= pressed_at for t, *_ in ran.page.kernel_errors):
            page.wait_for_timeout(500)  # let the failed update settle, then report it
            values, text, shown, unit, expected = last = shown_and_expected()
            break
        time.sleep(0.2)
    else:
        values, text, shown, unit, expected = last
        timed_out = True
    kernel = [f"{ename}: {evalue} (in reply to {parent or '?'})"
              for t, parent, ename, evalue in ran.page.kernel_errors if t >= pressed_at]
    if kernel or not ok:
        log = lab_server.log_path.read_text(errors="replace")[log_offset:].strip()
        why = []
        if timed_out:
            why.append(f"no correct update within {WIDGET_TIMEOUT:.0f} s")
        if values == values0:
            why.append(f"the slider {label!r} did not move ({values0})")
        if text == text0:
            why.append(f"the readout {check.key!r} stayed at {text0!r}")
        elif not _matches(shown, expected):
            why.append(f"{check.key!r} shows {text!r} but klcourse computes {expected:.6f} "
                       f"for {values}")
        if figure0 is not None and view.figure_src() == figure0:
            why.append("the figure was not re-drawn (same image)")
        raise E2EError(f"{ran.name}: after pressing {check.press} on slider {label!r}: "
                       + ("; ".join(why) or "the readout followed, but the kernel raised")
                       + (f"\nthe kernel reported: {'; '.join(kernel)}" if kernel else "")
                       + (f"\nserver log since the key press:\n{log[-3000:]}" if log else ""))
    if check.unit is not None:
        assert unit == check.unit, f"{check.key!r} shows unit {unit!r}, expected {check.unit!r}"
    shot = artifacts_dir / f"{_stem(ran.name)}--explorer-{number}.png"
    view.root.screenshot(path=str(shot))
    e2e_lab.SCREENSHOTS.setdefault(_stem(ran.name), []).append(shot)
    print(f"[e2e] {ran.name}: slider {label!r} {values0} -> {values}; {check.key!r} "
          f"{text0!r} -> {text!r} (klcourse: {expected:.6f}); figure re-drawn: "
          f"{figure0 is not None}; screenshot {shot}")
