"""Drive the course in JupyterLab 4 and Notebook 7 with headless Chromium (helpers for the e2e tests).

Three pieces, used by ``tests/e2e/conftest.py`` and the test module:

* :class:`LabServer` starts ``jupyter lab`` on 127.0.0.1 (free port, random
  token, no browser, news and update checks off, its own throw-away config,
  settings and workspace folders) on a folder, waits until it answers, and
  stops it (and its kernels) again. The same server also serves Notebook 7's
  pages (``/notebooks/...``) when the ``notebook`` package is installed.
* :class:`NotebookPage` is one notebook open in one browser page of one
  front-end (``"lab"`` or ``"notebook"``): wait for the kernel, "Run All
  Cells" from the Run menu (with the retry the race needs), wait until every
  cell ran, read what each cell shows, tell whether the document is marked
  modified and which metadata differ from the file, take a screenshot.
* :class:`ExplorerView` is one Explorer on the page: read its sliders and
  readout, press keys on a slider, time a key press until the readout and the
  figure change, and walk its controls with Tab.

Everything the tests assert on is read off the page (prompts, rendered outputs,
widget text, images). The page's notebook model (``window.jupyterapp``, which
the server is told to expose) is read only to tell an error output from a
stderr stream, which JupyterLab renders identically.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: JupyterLab user settings written for the test server: no news/update
#: pop-ups, and every cell kept in the page (no windowing), so that the DOM
#: holds the whole notebook for checks and screenshots.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
        {"windowingMode": "none"},
}

#: Filled during the run, printed in the terminal summary by conftest.py:
#: notebook -> {phase: seconds}, notebook -> screenshot paths, [artifacts folder].
TIMINGS: dict[str, dict[str, float]] = {}
#: (front-end, notebook stem, readout key) -> timed key presses (see ExplorerView.timed_press).
LATENCIES: dict[tuple[str, str, str], list[dict]] = {}
SCREENSHOTS: dict[str, list[Path]] = {}
ARTIFACTS: list[Path] = []


class E2EError(AssertionError):
    """A check on the page failed (an AssertionError, so pytest shows it as a failure)."""


def env_flag(name: str) -> bool:
    """True when the environment variable is set to something other than '', 0, false, no."""
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def notebook_dir() -> Path:
    """The notebooks under test: $KLCOURSE_E2E_NOTEBOOKS, else the repository's notebooks/."""
    default = Path(__file__).resolve().parents[2] / "notebooks"
    return Path(os.environ.get("KLCOURSE_E2E_NOTEBOOKS") or default)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class LabServer:
    """A JupyterLab server for the tests, on a folder of notebooks.

    Parameters
    ----------
    root_dir : Path
        Folder the server serves (a temporary copy of ``notebooks/``).
    state_dir : Path
        Empty folder for the server's own config, runtime, settings and workspaces.
    log_path : Path
        File receiving the server's (and its kernels') output.
    """

    def __init__(self, root_dir: Path, state_dir: Path, log_path: Path) -> None:
        self.root_dir = Path(root_dir)
        self.state_dir = Path(state_dir)
        self.log_path = Path(log_path)
        self.token = secrets.token_hex(24)
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self._log = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """URL of a page of the server, with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{sep}token={self.token}"

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        # The test process forces matplotlib's Agg backend (tests/conftest.py);
        # a kernel inheriting that would show no inline figures.
        env.pop("MPLBACKEND", None)
        settings = self.state_dir / "settings"
        for rel, values in LAB_SETTINGS.items():
            target = settings / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        env.update(
            JUPYTER_CONFIG_DIR=str(self.state_dir / "config"),
            JUPYTER_RUNTIME_DIR=str(self.state_dir / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(self.state_dir / "workspaces"),
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self, timeout: float = 90.0, attempts: int = 3) -> None:
        """Start the server and wait until its API answers; raise with the log tail if not."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.write_text("")
        env = self._environment()
        last_error = ""
        for _ in range(attempts):  # the port may be taken between picking and binding
            self.port = _free_port()
            self._log = open(self.log_path, "a")  # noqa: SIM115 (open while the server runs)
            cmd = [
                sys.executable, "-m", "jupyterlab",
                "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={self.port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.root_dir}",
                "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--LabApp.expose_app_in_browser=True",
                "--JupyterNotebookApp.expose_app_in_browser=True",
            ]
            self._log.write(f"$ {' '.join(c if 'token' not in c else '--IdentityProvider.token=***' for c in cmd)}\n")
            self._log.flush()
            self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=env, cwd=self.root_dir,
                                         start_new_session=True)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    last_error = f"jupyter lab exited with code {self.proc.returncode}"
                    break
                try:
                    with urllib.request.urlopen(self.url("api/status"), timeout=3) as r:
                        if r.status == 200:
                            return
                except (urllib.error.URLError, OSError) as err:
                    last_error = str(err)
                time.sleep(0.3)
            else:
                last_error = f"no answer from {self.base_url} within {timeout:.0f} s"
            self.stop()
        raise RuntimeError(f"JupyterLab did not start ({last_error}); end of its log "
                           f"{self.log_path}:\n{_tail(self.log_path)}")

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the server's REST API with the token; returns the decoded JSON (or None)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.base_url}/{path.lstrip('/')}", data=data, method=method,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def shutdown_sessions(self, notebook_path: str | None = None) -> None:
        """Shut down the kernel sessions (of one notebook, or all), ignoring errors."""
        try:
            for s in self.api("GET", "api/sessions"):
                if notebook_path is None or s.get("path") == notebook_path:
                    self.api("DELETE", f"api/sessions/{s['id']}")
        except (urllib.error.URLError, OSError, ValueError):
            pass

    def stop(self) -> None:
        """Stop the server: its kernels first, then SIGTERM, then SIGKILL after 15 s."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            self.shutdown_sessions()
            try:
                for k in self.api("GET", "api/kernels"):
                    self.api("DELETE", f"api/kernels/{k['id']}")
            except (urllib.error.URLError, OSError, ValueError):
                pass
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the group this class started
                proc.wait(10)
        if self._log is not None:
            self._log.close()
            self._log = None


# --------------------------------------------------------------------------------------
# One notebook in one page

_PROMPT = re.compile(r"\[(.*?)\]")

_CELLS_JS = """() => {
  const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
  return cells.map((c, i) => {
    const prompt = c.querySelector('.jp-InputArea-prompt');
    const outs = Array.from(c.querySelectorAll('.jp-OutputArea-output')).map(o => ({
      mime: o.getAttribute('data-mime-type'), text: (o.innerText || '').slice(0, 2000)}));
    return {index: i, code: c.classList.contains('jp-CodeCell'),
            prompt: prompt ? prompt.textContent.trim() : '',
            outputs: outs};
  });
}"""

# Output types per cell, from the page's notebook model (stderr and errors render alike).
_MODEL_JS = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.content || !panel.content.model) return null;
  return panel.content.widgets.map(cell => {
    const m = cell.model;
    const src = m.sharedModel.getSource();
    if (m.type !== 'code') return {type: m.type, source: src, count: null, outputs: []};
    return {type: 'code', source: src, count: m.executionCount,
            outputs: m.outputs.toJSON().map(o => ({output_type: o.output_type,
              name: o.name || null, ename: o.ename || null, evalue: o.evalue || null}))};
  });
}"""

_STATUS_JS = """() => {
  const items = Array.from(document.querySelectorAll('.jp-StatusBar-TextItem'))
    .map(e => e.textContent.trim()).filter(t => / \\| /.test(t));
  return items.length ? items[0] : '';
}"""


@dataclass
class CellState:
    index: int            # position in the notebook (all cells, 0-based)
    number: int           # 1-based number among the code cells
    source: str
    prompt: str           # what the prompt shows: '1', '*', '' ...
    outputs: list[dict]   # model outputs: output_type, name, ename, evalue
    rendered: list[dict]  # DOM outputs: mime, text

    @property
    def head(self) -> str:
        first = self.source.strip().splitlines()[0] if self.source.strip() else ""
        return first[:70]


@dataclass
class RunResult:
    cells: list[CellState] = field(default_factory=list)
    run_all_clicks: int = 0
    timings: dict[str, float] = field(default_factory=dict)


#: The front-ends a notebook is opened in: name -> URL path of a notebook.
FRONTENDS = {"lab": "doc/tree/{}", "notebook": "notebooks/{}"}

# Kernel status and dirty flag from the page's application (Notebook 7 has no status bar).
_SESSION_JS = """() => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  const ctx = w && w.sessionContext;
  const kernel = ctx && ctx.session && ctx.session.kernel;
  return {status: kernel ? kernel.status : 'no kernel',
          dirty: !!(w && w.context && w.context.model && w.context.model.dirty)};
}"""

# The document's metadata as the page holds it, without the (large) widget state.
_METADATA_JS = """() => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  if (!w || !w.context || !w.context.model) return null;
  const meta = Object.assign({}, w.context.model.toJSON().metadata);
  delete meta.widgets;
  return meta;
}"""


def metadata_differences(on_disk: Any, in_page: Any, path: str = "metadata") -> list[str]:
    """Where two metadata trees differ, as 'path: file has X, the page has Y' lines.

    Examples
    --------
    >>> metadata_differences({"language_info": {"name": "python"}},
    ...                      {"language_info": {"name": "python", "version": "3.11.7"}})
    ["metadata.language_info.version: the file has no such key, the page has '3.11.7'"]
    """
    if isinstance(on_disk, dict) and isinstance(in_page, dict):
        out = []
        for key in sorted(set(on_disk) | set(in_page)):
            where = f"{path}.{key}"
            if key not in on_disk:
                out.append(f"{where}: the file has no such key, the page has {in_page[key]!r}")
            elif key not in in_page:
                out.append(f"{where}: the file has {on_disk[key]!r}, the page has no such key")
            else:
                out += metadata_differences(on_disk[key], in_page[key], where)
        return out
    if on_disk != in_page:
        return [f"{path}: the file has {on_disk!r}, the page has {in_page!r}"]
    return []


class NotebookPage:
    """One notebook of the served folder, open in its own page of one front-end."""

    def __init__(self, server: LabServer, browser: Any, name: str,
                 viewport: tuple[int, int] = (1280, 900), frontend: str = "lab") -> None:
        if frontend not in FRONTENDS:
            raise ValueError(f"unknown front-end {frontend!r}; choose one of {sorted(FRONTENDS)}")
        self.frontend = frontend
        self.server = server
        self.name = name
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.console_errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.console_errors.append(f"page error: {exc}"))
        #: Errors the kernel reported over the page's websocket, cell or not:
        #: (time.monotonic(), parent msg_type, ename, evalue).
        self.kernel_errors: list[tuple[float, str, str, str]] = []
        self.page.on("websocket", self._watch_websocket)

    def _watch_websocket(self, ws: Any) -> None:
        def on_frame(payload: Any) -> None:
            data = payload if isinstance(payload, bytes) else str(payload).encode()
            if b'"ename"' not in data:
                return
            self.kernel_errors.extend(_errors_in_frame(data))
        ws.on("framereceived", on_frame)

    # -- status -------------------------------------------------------------------
    def kernel_status(self) -> str:
        """JupyterLab: the status bar's kernel item, e.g. 'Python 3 (ipykernel) | Idle';
        Notebook 7 (no status bar): the kernel's status from the page's session."""
        if self.frontend == "lab":
            return self.page.evaluate(_STATUS_JS)
        return self.page.evaluate(_SESSION_JS)["status"]

    def kernel_idle(self) -> bool:
        status = self.kernel_status()
        if self.frontend != "lab":
            return status == "idle"
        # Before the kernel exists the page already says "Idle" in places, with
        # "No Kernel" in the status bar: that state drops "Run All".
        return status.endswith("| Idle") and not status.startswith("No Kernel")

    def is_dirty(self) -> bool:
        """Whether the front-end marks the document modified (unsaved changes)."""
        return bool(self.page.evaluate(_SESSION_JS)["dirty"])

    def metadata_changes(self) -> list[str]:
        """How the page's notebook metadata differs from the file's (widget state left out)."""
        on_disk = json.loads((self.server.root_dir / self.name).read_text(encoding="utf-8"))
        meta = dict(on_disk.get("metadata", {}))
        meta.pop("widgets", None)
        in_page = self.page.evaluate(_METADATA_JS)
        if in_page is None:
            return ["the page's notebook model could not be read"]
        return metadata_differences(meta, in_page)

    def wait_kernel_idle(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.kernel_idle():
                return
            time.sleep(0.2)
        raise E2EError(f"{self.name}: the kernel did not become Idle within {timeout:.0f} s "
                       f"(status bar: {self.kernel_status()!r})")

    def prompts(self) -> list[str]:
        """Prompt text of every code cell, e.g. ['1', '2', '*', '']."""
        raw = self.page.evaluate(
            "() => Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell "
            ".jp-InputArea-prompt')).map(e => e.textContent.trim())")
        return [(m.group(1).strip() if (m := _PROMPT.search(p)) else p) for p in raw]

    # -- actions ------------------------------------------------------------------
    def open(self, timeout: float) -> None:
        """Open the notebook (single-document view) and wait for its kernel to be Idle."""
        path = FRONTENDS[self.frontend].format(urllib.parse.quote(self.name))
        self.page.goto(self.server.url(path))
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout * 1000)
        self.wait_kernel_idle(timeout)

    def click_run_all(self) -> None:
        """Run > Run All Cells, through the menu, as a learner would."""
        self.page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        self.page.click(".lm-Menu-item[data-command='runmenu:run-all']")

    def run_all(self, timeout: float, confirm_timeout: float = 20.0) -> RunResult:
        """Run all cells, retrying once if the first code cell does not show [1]."""
        result = RunResult()
        model = self.page.evaluate(_MODEL_JS) or []
        code = [c for c in model if c["type"] == "code"]
        # the first code cell with code: an empty one is never given a number
        first_at = next((i for i, c in enumerate(code) if c["source"].strip()), None)
        t0 = time.monotonic()
        for attempt in (1, 2):
            self.click_run_all()
            result.run_all_clicks = attempt
            deadline = time.monotonic() + confirm_timeout
            first = ""
            while time.monotonic() < deadline:
                prompts = self.prompts()
                # no code to run: nothing to confirm
                first = prompts[first_at] if first_at is not None and first_at < len(prompts) else "1"
                if first == "1":
                    break
                time.sleep(0.2)
            if first == "1":
                break
            if first not in ("", " "):  # running ('*') or numbered otherwise: do not run twice
                if first == "*":
                    break
                raise E2EError(f"{self.name}: after Run All the first code cell shows "
                               f"[{first}], expected [1] (a kernel that was not fresh?)")
            self.wait_kernel_idle(timeout)
        else:
            raise E2EError(f"{self.name}: Run All Cells was clicked twice and the first code "
                           f"cell still shows [{first}], not [1]: the run was dropped")
        self._wait_finished(timeout)
        result.timings["run"] = time.monotonic() - t0
        result.cells = self.cells()
        return result

    def _wait_finished(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        quiet_since = None
        while time.monotonic() < deadline:
            busy = "*" in self.prompts()
            if not busy and self.kernel_idle():
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= 1.0:  # idle and no queued cell for 1 s
                    return
            else:
                quiet_since = None
            time.sleep(0.25)
        stuck = [i + 1 for i, p in enumerate(self.prompts()) if p == "*"]
        raise E2EError(f"{self.name}: not finished after {timeout:.0f} s; code cells still "
                       f"running or queued ([*]): {stuck}; kernel: {self.kernel_status()!r}")

    def cells(self) -> list[CellState]:
        dom = self.page.evaluate(_CELLS_JS)
        model = self.page.evaluate(_MODEL_JS)
        if model is None or len(model) != len(dom):
            raise E2EError(f"{self.name}: could not read the notebook model from the page "
                           f"({'no model' if model is None else f'{len(model)} vs {len(dom)} cells'})")
        out, number = [], 0
        for d, m in zip(dom, model):
            if not d["code"]:
                continue
            number += 1
            m_prompt = _PROMPT.search(d["prompt"])
            out.append(CellState(index=d["index"], number=number, source=m["source"],
                                 prompt=m_prompt.group(1).strip() if m_prompt else d["prompt"],
                                 outputs=m["outputs"], rendered=d["outputs"]))
        return out

    def screenshot(self, path: Path, max_height: int = 15000) -> list[Path]:
        """Save the whole notebook (not just the window) as PNG: one file, or parts if long.

        The notebook scrolls inside the page, so the window is made as tall as
        the notebook's cells (up to `max_height` pixels); a longer notebook is
        saved as ``name.png``, ``name-part2.png``, ... one window at a time.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        vp = self.page.viewport_size
        # [scrollTop, height of the cells (without the blank space JupyterLab
        # leaves below the last one), visible height] of the notebook's scroller
        measure = """() => { const s = document.querySelector('.jp-WindowedPanel-outer');
            if (!s) return [0, 0, 0];
            const cells = s.querySelectorAll('.jp-Cell');
            const last = cells.length ? cells[cells.length - 1] : s;
            const bottom = last.getBoundingClientRect().bottom - s.getBoundingClientRect().top
                           + s.scrollTop;
            return [s.scrollTop, Math.min(s.scrollHeight, bottom + 24), s.clientHeight]; }"""
        _, content, visible = self.page.evaluate(measure)
        height = int(min(max_height, vp["height"] + max(0, content - visible)))
        shots = []
        self.page.set_viewport_size({"width": vp["width"], "height": height})
        try:
            top, part = 0, 1
            while True:
                self.page.evaluate("(top) => { const s = document.querySelector("
                                   "'.jp-WindowedPanel-outer'); if (s) s.scrollTop = top; }", top)
                self.page.wait_for_timeout(400)  # let layout and images settle
                target = path if part == 1 else path.with_name(f"{path.stem}-part{part}{path.suffix}")
                self.page.screenshot(path=str(target))
                shots.append(target)
                now, content, visible = self.page.evaluate(measure)
                if now + visible >= content - 2 or visible <= 100:
                    break
                top, part = now + visible - 80, part + 1  # 80 px overlap between parts
        finally:
            self.page.set_viewport_size(vp)
        return shots

    def close(self) -> None:
        try:
            self.context.close()
        except Exception:  # noqa: BLE001, S110 (the browser may already be gone)
            pass


def _errors_in_frame(data: bytes) -> list[tuple[float, str, str, str]]:
    """Kernel ``error`` messages in one websocket frame (JSON, or the binary v1 protocol).

    The v1 frame is offsets followed by JSON parts (channel, header, parent
    header, metadata, content); rather than depend on the layout, every JSON
    object in the frame that looks like a header or an error content is read.
    """
    text = data.decode("utf-8", errors="replace")
    found, decoder, i = [], json.JSONDecoder(), 0
    objects = []
    while True:
        i = text.find("{", i)
        if i < 0:
            break
        try:
            obj, end = decoder.raw_decode(text, i)
        except ValueError:
            i += 1
            continue
        objects.append(obj)
        i = end
    msg_type = parent = None
    for obj in objects:
        if not isinstance(obj, dict):
            continue
        if "header" in obj and isinstance(obj["header"], dict):  # JSON protocol: one message
            if obj["header"].get("msg_type") == "error":
                c = obj.get("content", {})
                found.append((time.monotonic(), obj.get("parent_header", {}).get("msg_type", ""),
                              c.get("ename", ""), c.get("evalue", "")))
            continue
        if "msg_type" in obj:  # v1 protocol: header, then parent header
            if msg_type is None:
                msg_type = obj["msg_type"]
            elif parent is None:
                parent = obj["msg_type"]
        elif "ename" in obj and msg_type == "error":
            found.append((time.monotonic(), parent or "", obj.get("ename", ""), obj.get("evalue", "")))
    return found


# --------------------------------------------------------------------------------------
# Explorers in the page

_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|-?∞|-?inf|nan)\s*(.*?)\s*$")


def parse_shown_number(text: str) -> tuple[float, str]:
    """'0.8813 bits' -> (0.8813, 'bits'); '∞ bits' -> (inf, 'bits')."""
    m = _NUMBER.match(text.replace("\u2212", "-"))
    if not m:
        raise E2EError(f"cannot read a number from {text!r}")
    num = m.group(1).replace("∞", "inf")
    return float(num), m.group(2)


def explorers_on_page(page: Any) -> dict:
    """How many Explorers (klcourse readouts) and widgets of any kind the page shows."""
    return page.evaluate("""() => ({
        explorers: document.querySelectorAll('.klcourse-readout').length,
        widgets: Array.from(document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets'))
                   .filter(w => !w.parentElement.closest('.jupyter-widgets')).length,
        keys: Array.from(document.querySelectorAll('.klcourse-readout tr[data-key]'))
                   .map(r => r.getAttribute('data-key')),
        widget_errors: Array.from(document.querySelectorAll('.jp-OutputArea-output'))
                   .map(o => o.innerText || '').filter(t => /Error displaying widget|model not found/i.test(t))
                   .map(t => t.slice(0, 200)),
    })""")


class ExplorerView:
    """The Explorer (VBox of sliders, readout, figure) whose readout has a given key."""

    def __init__(self, page: Any, key: str, occurrence: int = 0) -> None:
        self.page = page
        self.key = key
        tag = f"e2e-{secrets.token_hex(4)}"
        found = page.evaluate("""([key, occurrence, tag]) => {
            const rows = Array.from(document.querySelectorAll('.klcourse-readout tr[data-key]'))
                .filter(r => r.getAttribute('data-key') === key);
            if (rows.length <= occurrence) return rows.length;
            const box = rows[occurrence].closest('.klcourse-readout').parentElement;
            box.setAttribute('data-e2e', tag);
            return -1; }""", [key, occurrence, tag])
        if found != -1:
            raise E2EError(f"no Explorer readout row with data-key={key!r} (occurrence "
                           f"{occurrence}) on the page; rows with that key: {found}")
        self.root = page.locator(f"[data-e2e='{tag}']")

    def sliders(self) -> dict[str, float]:
        """Description -> value of each slider, read off the page.

        The value is the handle's ``aria-valuetext`` (the number the slider
        sends to the kernel), checked against the rounded readout next to it.
        """
        rows = self.root.locator(".widget-slider").evaluate_all("""els => els.map(e => ({
            label: (e.querySelector('.widget-label') || {}).textContent || '',
            aria: e.querySelector('.noUi-handle').getAttribute('aria-valuetext'),
            shown: (e.querySelector('.widget-readout') || {}).textContent || ''}))""")
        values = {}
        for r in rows:
            label = r["label"].strip()
            try:
                value = float(r["aria"])
            except (TypeError, ValueError):
                value = float(r["shown"])
            shown = r["shown"].strip()
            if shown:
                decimals = len(shown.split(".")[1]) if "." in shown else 0
                if abs(value - float(shown)) > 0.51 * 10 ** -decimals:
                    raise E2EError(f"slider {label!r}: handle says {value}, readout says {shown}")
            values[label] = value
        return values

    def row_text(self) -> str:
        """The value cell of the readout row ``key`` (matched in JS: keys are not CSS-safe)."""
        text = self.root.evaluate("""(el, key) => {
            const row = Array.from(el.querySelectorAll('.klcourse-readout tr[data-key]'))
                .find(r => r.getAttribute('data-key') === key);
            const td = row && row.querySelector('td');
            return td ? td.innerText : null; }""", self.key)
        if text is None:
            raise E2EError(f"the Explorer no longer shows a readout row {self.key!r}")
        return text.strip()

    def readout_text(self) -> str:
        return self.root.locator(".klcourse-readout").first.inner_text()

    def figure_src(self) -> str | None:
        """The figure's image source (an Image widget with the class klcourse-figure)."""
        imgs = self.root.locator("img.klcourse-figure, .klcourse-figure img")
        if imgs.count() == 0:
            return None
        return imgs.first.get_attribute("src")

    def handles(self) -> Any:
        return self.root.locator(".widget-slider .noUi-handle")

    def _handle(self, slider: str | None) -> tuple[Any, str]:
        sliders = self.root.locator(".widget-slider")
        labels = [t.strip() for t in sliders.locator(".widget-label").all_inner_texts()]
        if not labels:
            raise E2EError(f"the Explorer with readout key {self.key!r} shows no slider")
        if slider is None:
            index = 0
        elif slider in labels:
            index = labels.index(slider)
        else:
            raise E2EError(f"the Explorer with readout key {self.key!r} has no slider "
                           f"{slider!r}; its sliders: {labels}")
        return sliders.nth(index).locator(".noUi-handle"), labels[index]

    def click_track(self, slider: str | None, fraction: float) -> str:
        """Click a slider's track at `fraction` of its length (0 = left end), as with a mouse."""
        handle, label = self._handle(slider)
        track = handle.locator("xpath=ancestor::*[contains(@class, 'noUi-target')][1]")
        box = track.bounding_box()
        track.click(position={"x": box["width"] * fraction, "y": box["height"] / 2})
        return label

    def timed_press(self, slider: str | None, key: str, timeout: float = 30.0) -> dict:
        """Press `key` on a slider; milliseconds from the key down to the readout's and
        the figure's change (measured in the page with a MutationObserver).

        `key` may also be ``"click:0.3"``: a mouse click on the track at 30 % of
        its length, timed from the mouse down.

        Returns ``{"slider", "readout_ms", "figure_ms"}``; a value is None if that part
        did not change within `timeout` seconds (e.g. the slider was at its end).
        """
        handle, label = self._handle(slider)
        start_event = "mousedown" if key.startswith("click:") else "keydown"
        self.root.evaluate("""(el) => {
            const rec = {t0: null, readout: null, figure: null};
            el.__klLatency = rec;
            const img = el.querySelector('img.klcourse-figure, .klcourse-figure img');
            const ro = el.querySelector('.klcourse-readout');
            el.addEventListener(START, () => { if (rec.t0 === null) rec.t0 = performance.now(); },
                                {capture: true, once: true});
            const obs = new MutationObserver(muts => {
                const now = performance.now();
                for (const m of muts) {
                    if (img && m.target === img && m.type === 'attributes') {
                        if (rec.figure === null) rec.figure = now;
                    } else if (ro && ro.contains(m.target) && m.type !== 'attributes') {
                        if (rec.readout === null) rec.readout = now;
                    }
                }
                if ((rec.figure !== null || !img) && rec.readout !== null) obs.disconnect();
            });
            obs.observe(el, {subtree: true, childList: true, characterData: true,
                             attributes: true, attributeFilter: ['src']});
            rec.obs = obs; }""".replace("START", repr(start_event)))
        if key.startswith("click:"):
            self.click_track(slider, float(key.split(":", 1)[1]))
        else:
            handle.focus()
            handle.press(key)
        deadline = time.monotonic() + timeout
        rec = {}
        while time.monotonic() < deadline:
            rec = self.root.evaluate("""(el) => { const r = el.__klLatency;
                return {t0: r.t0, readout: r.readout, figure: r.figure,
                        has_img: !!el.querySelector('img.klcourse-figure, .klcourse-figure img')}; }""")
            if rec["t0"] is not None and rec["readout"] is not None and \
                    (rec["figure"] is not None or not rec["has_img"]):
                break
            time.sleep(0.05)
        self.root.evaluate("(el) => el.__klLatency.obs.disconnect()")

        def since(t):
            return None if t is None or rec.get("t0") is None else t - rec["t0"]

        return {"slider": label, "readout_ms": since(rec.get("readout")),
                "figure_ms": since(rec.get("figure"))}

    def keyboard_walk(self, max_tabs: int = 4) -> list[str]:
        """Problems reaching and moving each slider with the keyboard alone (empty: none).

        From the first slider's handle, Tab must reach every next handle (within
        `max_tabs` presses: a slider's editable number sits between two handles),
        and on each handle ArrowRight or ArrowLeft must move the value (restored
        after with the opposite arrow).
        """
        problems = []
        handles = self.handles()
        n = handles.count()
        labels = [t.strip() for t in
                  self.root.locator(".widget-slider .widget-label").all_inner_texts()]
        handles.nth(0).focus()
        for i in range(n):
            if i > 0:
                for _ in range(max_tabs):
                    self.page.keyboard.press("Tab")
                    if handles.nth(i).evaluate("h => document.activeElement === h"):
                        break
                else:
                    problems.append(f"Tab from slider {labels[i - 1]!r} did not reach slider "
                                    f"{labels[i]!r} within {max_tabs} presses")
                    handles.nth(i).focus()
            handle = handles.nth(i)
            before = handle.get_attribute("aria-valuetext")
            moved = None
            for key, back in (("ArrowRight", "ArrowLeft"), ("ArrowLeft", "ArrowRight")):
                self.page.keyboard.press(key)
                self.page.wait_for_timeout(150)
                if handle.get_attribute("aria-valuetext") != before:
                    moved = back
                    break
            if moved is None:
                problems.append(f"neither arrow moved slider {labels[i]!r} (value {before})")
            else:
                self.page.keyboard.press(moved)
                self.page.wait_for_timeout(150)
        return problems

    def readout_is_text(self) -> list[str]:
        """Problems with the readout as text for a screen reader (empty: none)."""
        info = self.root.evaluate("""(el) => { const ro = el.querySelector('.klcourse-readout');
            return {text: ro ? ro.innerText : '',
                    live: !!(ro && ro.querySelector('[aria-live]'))}; }""")
        problems = []
        if self.key not in info["text"]:
            problems.append(f"the readout's text does not contain {self.key!r}: {info['text'][:200]!r}")
        if not info["live"]:
            problems.append("the readout is not in an aria-live region (changes go unannounced)")
        return problems

    def press(self, slider: str | None, key: str) -> str:
        """Focus a slider's handle (by exact description, or the first) and press a key."""
        handle, label = self._handle(slider)
        handle.focus()
        handle.press(key)
        return label
