"""Fixtures of the browser tests: one JupyterLab server and one Chromium per session.

* ``lab_server``: JupyterLab 4 (and Notebook 7's pages, same server) on 127.0.0.1, a free port, a random token, serving
  a temporary COPY of ``notebooks/`` (running cells never touches the repository;
  ``$KLCOURSE_E2E_NOTEBOOKS`` names another folder, e.g. a deliberately broken copy).
* ``browser`` and ``chromium_path`` come from the repository's root conftest.py
  (one Chromium per session, shared with the handout tests).
* ``artifacts_dir``: where screenshots and the server log go:
  ``$KLCOURSE_E2E_ARTIFACTS`` or ``artifacts/screenshots/`` in the repository.

Without Playwright or Chromium the tests are skipped with the reason, except when
``CI`` is set: there they fail, so CI cannot pass without having run them.
Both processes are stopped at the end of the session, also after failures.
At the end of the run the terminal summary lists per-notebook timings and the
screenshot folder (so a CI log names where to look).
"""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import e2e_lab
import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = e2e_lab.notebook_dir()

TIMINGS = e2e_lab.TIMINGS
SCREENSHOTS = e2e_lab.SCREENSHOTS
_ARTIFACTS = e2e_lab.ARTIFACTS


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    import os

    default = REPO / "artifacts" / "screenshots"
    folder = Path(os.environ.get("KLCOURSE_E2E_ARTIFACTS") or default)
    folder.mkdir(parents=True, exist_ok=True)
    if folder == default:  # ours alone: drop the last run's pictures (a renamed notebook's...)
        for old in [*folder.glob("*.png"), folder / "jupyter-server.log"]:
            old.unlink(missing_ok=True)
    _ARTIFACTS[:] = [folder]
    print(f"\n[e2e] screenshots and logs go to {folder}")
    return folder


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"terminated by signal {signum}")  # pytest stops and tears down


@pytest.fixture(scope="session")
def lab_server(chromium_path, artifacts_dir, tmp_path_factory):
    """JupyterLab on a temporary copy of notebooks/; always stopped at the end.

    The server runs in its own process group, so a SIGTERM to pytest (a CI
    timeout) would leave it behind: while it runs, SIGTERM unwinds pytest like
    Ctrl-C does, through this fixture's clean-up.
    """
    base = tmp_path_factory.mktemp("e2e-lab")
    root = base / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    server = e2e_lab.LabServer(root, base / "state", artifacts_dir / "jupyter-server.log")
    previous = signal.getsignal(signal.SIGTERM)
    if previous == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if previous == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, previous)


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS and not _ARTIFACTS:
        return
    tr = terminalreporter
    tr.section("browser tests (JupyterLab + headless Chromium)")
    if TIMINGS:
        phases = ["open", "run", "screenshot", "widget"]
        tr.write_line(f"{'notebook':<32}" + "".join(f"{p:>12}" for p in phases) + f"{'total':>10}")
        for name, t in TIMINGS.items():
            cells = "".join(f"{t[p]:>11.1f}s" if p in t else f"{'-':>12}" for p in phases)
            tr.write_line(f"{name:<32}{cells}{sum(t.values()):>9.1f}s")
    if e2e_lab.LATENCIES:
        tr.write_line("explorer latency, key down -> new figure / new readout, in the page "
                      "(printed, not asserted):")
        tr.write_line(f"{'front-end':<10}{'notebook':<26}{'readout row':<26}"
                      f"{'figure med':>11}{'worst':>8}{'readout med':>12}{'worst':>8}")
        for (frontend, stem, key), samples in e2e_lab.LATENCIES.items():
            cols = ""
            for part in ("figure_ms", "readout_ms"):
                vals = sorted(s[part] for s in samples if s[part] is not None)
                cols += (f"{vals[len(vals) // 2]:>9.0f}ms{vals[-1]:>6.0f}ms" if vals
                         else f"{'-':>11}{'-':>8}")
            tr.write_line(f"{frontend:<10}{stem[:25]:<26}{key[:25]:<26}{cols}")
    for name, shots in SCREENSHOTS.items():
        for shot in shots:
            tr.write_line(f"screenshot {name}: {shot}")
    if _ARTIFACTS:
        tr.write_line(f"screenshots and jupyter-server.log in: {_ARTIFACTS[0]}")
