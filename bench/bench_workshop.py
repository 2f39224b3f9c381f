"""A room of learners on one JupyterHub: start it, provision, run every notebook at once, measure.

    python bench/bench_workshop.py --learners 3

Starts a real JupyterHub (``workshop/jupyterhub_config.py``, dummy
authenticator, simple spawner) and configurable-http-proxy on 127.0.0.1, on
free ports, in a temporary folder; creates N learners; their servers start and
receive their student copies; then every learner runs every notebook of the
student edition at the same time, through the Jupyter server's REST and
websocket API as JupyterLab does (a session per notebook, one execute request
per code cell, a pause between cells as a person would take). It prints, per
learner and in total, servers started, notebooks run, cells failed, p50/p95
time per notebook, peak memory per learner (server + kernels) and the
machine's peak, and ends with ``N learners, M notebooks, K failed``.

Everything stays on loopback, every loop is bounded in count and time, and
the hub, the proxy and every server are stopped at the end, also on Ctrl-C or
SIGTERM. Needs ``configurable-http-proxy`` on PATH (``npm install
configurable-http-proxy@5``; ``$KLCOURSE_CHP_DIR`` may name its ``.bin``
folder) and the ``workshop`` extra (``pip install -e .[workshop]``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "workshop" / "jupyterhub_config.py"
SKIP_TAGS = {"skip-execution", "nbval-skip"}
MAY_RAISE = {"raises-exception", "nbval-raises-exception"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_proxy() -> str:
    extra = os.environ.get("KLCOURSE_CHP_DIR")
    candidates = [extra] if extra else []
    candidates += [str(ROOT / ".ci" / "node_modules" / ".bin")]
    for folder in candidates:
        if folder and (Path(folder) / "configurable-http-proxy").exists():
            return folder
    found = shutil.which("configurable-http-proxy")
    if found:
        return str(Path(found).parent)
    raise SystemExit("configurable-http-proxy not found: run `npm install "
                     "configurable-http-proxy@5` and put its node_modules/.bin on PATH (or set "
                     "KLCOURSE_CHP_DIR)")


@dataclass
class Learner:
    name: str
    started: bool = False
    start_s: float = 0.0
    notebooks: int = 0
    cells: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    peak_rss: int = 0
    pid: int | None = None


class Hub:
    """A JupyterHub process on 127.0.0.1 in a temporary folder, stopped by :meth:`stop`."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(32)
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = dict(os.environ)
        env.update({
            "KLCOURSE_HUB_URL": self.url,
            "KLCOURSE_HUB_API_URL": f"http://127.0.0.1:{free_port()}",
            "KLCOURSE_PROXY_API_URL": f"http://127.0.0.1:{free_port()}",
            "KLCOURSE_AUTH": "dummy",
            "KLCOURSE_SPAWNER": "simple",
            "KLCOURSE_HOMES": str(self.workdir / "homes"),
            "KLCOURSE_SERVICE_TOKEN": self.token,
            "KLCOURSE_HUB_DB": f"sqlite:///{self.workdir / 'hub.sqlite'}",
            "KLCOURSE_COOKIE_SECRET": str(self.workdir / "cookie_secret"),
            "KLCOURSE_NOTEBOOKS": str(ROOT / "notebooks"),
            "PATH": find_proxy() + os.pathsep + env.get("PATH", ""),
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        })
        hub = shutil.which("jupyterhub") or str(Path(sys.executable).with_name("jupyterhub"))
        log = open(self.workdir / "hub.log", "w")
        self.proc = subprocess.Popen([hub, "-f", str(CONFIG)], cwd=self.workdir, env=env,
                                     stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def stop(self) -> None:
        if self.proc is None:
            return
        shutil.rmtree(f"/tmp/klcourse-runtime-{self.proc.pid}", ignore_errors=True)
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(f"/tmp/klcourse-runtime-{self.proc.pid}", ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        text = (self.workdir / "hub.log").read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


async def api(hub: Hub, method: str, path: str, body: dict | None = None, *,
              base: str | None = None, timeout: float = 60) -> dict:
    req = HTTPRequest((base or hub.url + "/hub/api") + path, method=method,
                      headers={"Authorization": f"token {hub.token}"},
                      body=None if body is None else json.dumps(body),
                      allow_nonstandard_methods=True, request_timeout=timeout)
    resp = await AsyncHTTPClient().fetch(req, raise_error=True)
    return json.loads(resp.body) if resp.body else {}


async def wait_for_hub(hub: Hub, deadline: float) -> None:
    while time.monotonic() < deadline:
        if hub.proc.poll() is not None:
            raise RuntimeError(f"the hub exited (status {hub.proc.returncode}):\n{hub.log_tail()}")
        try:
            await api(hub, "GET", "/", timeout=5)
            return
        except Exception:
            await asyncio.sleep(0.5)
    raise RuntimeError(f"the hub did not answer in time:\n{hub.log_tail()}")


async def start_server(hub: Hub, learner: Learner, deadline: float) -> None:
    t0 = time.monotonic()
    await api(hub, "POST", f"/users/{learner.name}/server", {})
    while time.monotonic() < deadline:
        model = await api(hub, "GET", f"/users/{learner.name}")
        server = model.get("servers", {}).get("")
        if server and server.get("ready"):
            learner.started = True
            learner.start_s = time.monotonic() - t0
            learner.pid = (server.get("state") or {}).get("pid")
            return
        await asyncio.sleep(0.5)
    raise RuntimeError(f"{learner.name}'s server did not become ready in time")


async def run_notebook(hub: Hub, learner: Learner, rel: str, cells: list, rng: random.Random,
                       pause: float, cell_timeout: float) -> None:
    base = f"{hub.url}/user/{learner.name}/api"
    session = await api(hub, "POST", "/sessions", {"path": rel, "type": "notebook",
                                                   "name": Path(rel).name,
                                                   "kernel": {"name": "python3"}}, base=base)
    kernel = session["kernel"]["id"]
    ws_url = (f"{hub.url.replace('http', 'ws', 1)}/user/{learner.name}/api/kernels/{kernel}"
              f"/channels?session_id={uuid.uuid4().hex}")
    conn = await websocket_connect(HTTPRequest(ws_url, headers={
        "Authorization": f"token {hub.token}"}))
    t0 = time.monotonic()
    try:
        for index, cell in cells:
            msg_id = uuid.uuid4().hex
            conn.write_message(json.dumps({
                "header": {"msg_id": msg_id, "username": learner.name, "session": kernel,
                           "msg_type": "execute_request", "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": cell.source, "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False,
                            "stop_on_error": True}}))
            status, idle = None, False
            end = time.monotonic() + cell_timeout
            while (status is None or not idle) and time.monotonic() < end:
                raw = await asyncio.wait_for(conn.read_message(), timeout=end - time.monotonic())
                if raw is None:
                    raise RuntimeError("the kernel's websocket closed")
                msg = decode(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                if kind == "execute_reply":
                    status = msg["content"]["status"]
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
            learner.cells += 1
            tags = set(cell.metadata.get("tags", []))
            if status != "ok" and not (tags & MAY_RAISE):
                learner.failed += 1
                learner.failures.append(f"{rel} cell {index}: {status or 'timed out'}")
                break
            await asyncio.sleep(rng.uniform(0.3, 1.7) * pause)
    finally:
        conn.close()
        learner.times.append(time.monotonic() - t0)
        learner.notebooks += 1
        await api(hub, "DELETE", f"/sessions/{session['id']}", base=base)


def decode(raw: str | bytes) -> dict:
    """A kernel message from the websocket: JSON text, or Jupyter's binary framing with buffers.

    Binary frames (messages with buffers, e.g. a widget's image) start with the
    number of parts and their offsets as big-endian 32-bit integers; the first
    part is the message as JSON.
    """
    if isinstance(raw, str):
        return json.loads(raw)
    n = int.from_bytes(raw[:4], "big")
    offsets = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(n)]
    end = offsets[1] if n > 1 else len(raw)
    return json.loads(raw[offsets[0]:end].decode("utf-8"))


def code_cells(path: Path) -> list:
    nb = nbformat.read(path, as_version=4)
    return [(i, c) for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and not (set(c.metadata.get("tags", [])) & SKIP_TAGS)]


def sample_memory(learners: list[Learner], hub: Hub, stop: threading.Event, peaks: dict) -> None:
    """Every 0.5 s: RSS of each learner's server and its kernels; the machine's used memory."""
    base_used = psutil.virtual_memory().used
    peaks["machine_base"] = base_used
    while not stop.is_set():
        total = 0
        for learner in learners:
            if not learner.pid:
                continue
            try:
                proc = psutil.Process(learner.pid)
                procs = [proc, *proc.children(recursive=True)]
                rss = sum(p.memory_info().rss for p in procs if p.is_running())
            except psutil.Error:
                continue
            learner.peak_rss = max(learner.peak_rss, rss)
            total += rss
        try:
            hub_proc = psutil.Process(hub.proc.pid)
            everything = [hub_proc, *hub_proc.children(recursive=True)]
            all_rss = sum(p.memory_info().rss for p in everything if p.is_running())
        except psutil.Error:
            all_rss = total
        peaks["learners"] = max(peaks.get("learners", 0), total)
        peaks["hub_tree"] = max(peaks.get("hub_tree", 0), all_rss)
        peaks["machine"] = max(peaks.get("machine", 0), psutil.virtual_memory().used)
        stop.wait(0.5)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


async def run(args: argparse.Namespace, hub: Hub) -> int:
    deadline = time.monotonic() + args.timeout
    hub.start()
    await wait_for_hub(hub, deadline)
    learners = [Learner(f"learner{i:02d}") for i in range(1, args.learners + 1)]
    for learner in learners:
        await api(hub, "POST", f"/users/{learner.name}", {})
    t_start = time.monotonic()
    await asyncio.gather(*(start_server(hub, ln, deadline) for ln in learners))
    print(f"{len(learners)} servers ready in {time.monotonic() - t_start:.1f} s", flush=True)
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.notebooks:
        notebooks = [p for p in notebooks if p.name[:2] in set(args.notebooks.split(","))]
    stop = threading.Event()
    peaks: dict = {}
    sampler = threading.Thread(target=sample_memory, args=(learners, hub, stop, peaks),
                               daemon=True)
    sampler.start()

    async def learner_session(learner: Learner, seed: int) -> None:
        rng = random.Random(seed)
        home = Path(hub.workdir / "homes" / learner.name / "klcourse")
        await asyncio.sleep(rng.uniform(0, args.pause * 3))        # people do not start at once
        for nb in notebooks:
            if time.monotonic() > deadline:
                learner.failures.append("time limit reached")
                learner.failed += 1
                return
            try:
                await run_notebook(hub, learner, f"klcourse/{nb.name}", code_cells(home / nb.name),
                                   rng, args.pause, args.cell_timeout)
            except Exception as err:          # a failed notebook is counted, the room goes on
                learner.failed += 1
                learner.failures.append(f"{nb.name}: {type(err).__name__}: {err}")

    t_run = time.monotonic()
    try:
        await asyncio.gather(*(learner_session(ln, i) for i, ln in enumerate(learners)))
    finally:
        stop.set()
        sampler.join(timeout=5)
    wall = time.monotonic() - t_run
    for learner in learners:
        try:
            await api(hub, "DELETE", f"/users/{learner.name}/server", timeout=30)
        except Exception:
            pass

    mb = 1024 ** 2
    print(f"\n{'learner':<10} {'server s':>8} {'notebooks':>9} {'cells':>6} {'failed':>6} "
          f"{'p50 s':>6} {'p95 s':>6} {'peak MB':>8}")
    for ln in learners:
        print(f"{ln.name:<10} {ln.start_s:8.1f} {ln.notebooks:9d} {ln.cells:6d} {ln.failed:6d} "
              f"{pct(ln.times, 0.5):6.1f} {pct(ln.times, 0.95):6.1f} {ln.peak_rss / mb:8.0f}")
        for f in ln.failures[:5]:
            print(f"    failed: {f}")
    times = [t for ln in learners for t in ln.times]
    n_nb = sum(ln.notebooks for ln in learners)
    failed = sum(ln.failed for ln in learners)
    print(f"\nall: {sum(ln.started for ln in learners)} servers started, {n_nb} notebooks run "
          f"in {wall:.0f} s, {failed} failed; per notebook p50 {pct(times, 0.5):.1f} s, "
          f"p95 {pct(times, 0.95):.1f} s")
    per = [ln.peak_rss / mb for ln in learners if ln.peak_rss]
    if per:
        print(f"peak memory per learner (server + kernels): median {statistics.median(per):.0f} MB, "
              f"max {max(per):.0f} MB; all learners together {peaks.get('learners', 0) / mb:.0f} MB; "
              f"hub + proxy + servers {peaks.get('hub_tree', 0) / mb:.0f} MB")
    print(f"machine: {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 1024**3:.1f} GB; "
          f"peak used {peaks.get('machine', 0) / 1024**3:.2f} GB "
          f"(+{(peaks.get('machine', 0) - peaks.get('machine_base', 0)) / 1024**3:.2f} GB during the run)")
    print(f"{len(learners)} learners, {n_nb} notebooks, {failed} failed")
    return 0 if failed == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=3)
    parser.add_argument("--pause", type=float, default=0.5,
                        help="mean seconds a learner pauses between cells (default 0.5)")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds the whole run may take (default 1800)")
    parser.add_argument("--cell-timeout", type=float, default=300)
    parser.add_argument("--notebooks", default="",
                        help="comma-separated notebook numbers to run (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if not 1 <= args.learners <= 200:
        parser.error("--learners must be between 1 and 200")
    workdir = Path(tempfile.mkdtemp(prefix="klcourse-hub-"))
    hub = Hub(workdir)

    def on_signal(signum, frame):
        hub.stop()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        return asyncio.run(run(args, hub))
    finally:
        hub.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
