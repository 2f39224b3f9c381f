"""Latency of every notebook's Explorers in a real kernel, as a front-end sees it.

Run:  python bench/bench_explorers.py [--steps N] [NOTEBOOK ...]

For each notebook in ``notebooks/`` that displays an Explorer (a code cell calling
``*_explorer(...)``), a fresh IPython kernel (jupyter_client, the notebook's folder as
working directory, matplotlib's inline backend as in JupyterLab) runs the notebook's code
cells in order up to the explorer's cell, displays the explorer, and then moves every
control of it ``--steps`` times up by one step and as many times back down.

A move is sent exactly as JupyterLab sends it when a learner releases a slider or presses
an arrow key on it: a ``comm_msg`` "update" of the slider model's ``value`` on the shell
channel. The time measured runs from sending that message until the kernel reports
"idle" for it on iopub, i.e. the whole callback -- compute, readout, figure, PNG encode
-- and every message it sends. A move counts only if the readout changed and a new PNG
arrived (as a display_data output or an Image widget's buffer) before idle.

Prints, per explorer: moves, median and worst milliseconds, and the median's ratio to the
target (100 ms median; 250 ms worst). The machine's load average is printed with the
table, since on a shared machine the numbers move with it; so is the kernel's CPU time per
move (median and largest, read with psutil when installed), which waiting for a busy CPU
does not inflate. Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
TARGET_MEDIAN_MS = 100.0
TARGET_WORST_MS = 250.0

# Run in the kernel after the explorer's cell: Out[N] is the Explorer it displayed.
_DESCRIBE = r"""
import json as _kb_json
from klcourse.widgets import Explorer as _KbExplorer
_kb_ex = Out.get(__N__)
assert isinstance(_kb_ex, _KbExplorer), f"the cell's value is {type(_kb_ex)}, not an Explorer"
print(_kb_json.dumps({
    "readout": _kb_ex.readout.model_id,
    "controls": {name: {"id": c.model_id, "value": c.value, "min": c.min, "max": c.max,
                        "step": c.step, "int": isinstance(c.value, int),
                        "description": c.description}
                 for name, c in _kb_ex.controls.items()}}))
"""


@dataclass
class Result:
    notebook: str
    explorer: str
    times_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_ms) if self.cpu_ms else float("nan")

    @property
    def cpu_worst(self) -> float:
        return max(self.cpu_ms) if self.cpu_ms else float("nan")

    @property
    def worst(self) -> float:
        return max(self.times_ms) if self.times_ms else float("nan")


class Kernel:
    def __init__(self, cwd: Path) -> None:
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # inline figures, as in JupyterLab
        self.km = KernelManager(kernel_name="python3")
        # the kernel's own stderr (a TCP warning, tracebacks of crashes) goes to a log file
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-kernel-", suffix=".log",
                                               delete=False)
        self.km.start_kernel(cwd=str(cwd), env=env, stderr=self.log)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        try:
            import psutil

            self.proc = psutil.Process(self.km.provisioner.process.pid)
        except (ImportError, AttributeError):
            self.proc = None

    def cpu_seconds(self) -> float:
        """CPU time the kernel process has used so far (nan without psutil)."""
        if self.proc is None:
            return float("nan")
        t = self.proc.cpu_times()
        return t.user + t.system

    def stop(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self.log.close()
        os.unlink(self.log.name)

    def _drain_until_idle(self, msg_id: str, timeout: float) -> list[dict]:
        """iopub messages in reply to `msg_id`, up to and including its 'idle' status."""
        got = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no idle from the kernel within {timeout:.0f} s")
            msg = self.kc.get_iopub_msg(timeout=left)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            got.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return got

    def execute(self, code: str, timeout: float = 300.0) -> list[dict]:
        msg_id = self.kc.execute(code, store_history=True, allow_stdin=False)
        msgs = self._drain_until_idle(msg_id, timeout)
        self.kc.get_shell_msg(timeout=timeout)
        return msgs

    def stdout(self, msgs: list[dict]) -> str:
        errors = [m["content"] for m in msgs if m["msg_type"] == "error"]
        if errors:
            e = errors[0]
            raise RuntimeError(f"{e['ename']}: {e['evalue']}")
        return "".join(m["content"]["text"] for m in msgs
                       if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")

    def set_value(self, model_id: str, value) -> tuple[float, list[dict]]:
        """Send a slider's new value as the front-end does; seconds until idle, messages."""
        content = {"comm_id": model_id,
                   "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}}
        msg = self.kc.session.msg("comm_msg", content)
        t0 = time.perf_counter()
        self.kc.shell_channel.send(msg)
        msgs = self._drain_until_idle(msg["header"]["msg_id"], 60.0)
        return time.perf_counter() - t0, msgs


def _is_explorer_cell(cell) -> bool:
    return cell.cell_type == "code" and "_explorer(" in cell.source


def _sent_png(msgs: list[dict]) -> bool:
    """A PNG was sent: a display_data output, or a widget state update carrying one."""
    for m in msgs:
        data = m["content"].get("data", {})
        if m["msg_type"] in ("display_data", "execute_result") and "image/png" in data:
            return True
        if m["msg_type"] == "comm_msg" and any(bytes(b[:8]) == b"\x89PNG\r\n\x1a\n"
                                               for b in m.get("buffers", [])):
            return True
    return False


def _sent_readout(msgs: list[dict], readout_id: str) -> bool:
    return any(m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == readout_id
               and "value" in m["content"]["data"].get("state", {}) for m in msgs)


def _moves(ctl: dict, steps: int) -> list:
    """`steps` values up from the start, then back down (reversed when at the top)."""
    lo, hi, step, v0 = ctl["min"], ctl["max"], ctl["step"], ctl["value"]
    direction = 1 if v0 + steps * step <= hi + 1e-9 else -1
    if direction == -1 and v0 - steps * step < lo - 1e-9:
        steps = int((hi - lo) / step) // 2
    ups = [v0 + direction * step * i for i in range(1, steps + 1)]
    path = ups + ups[-2::-1] + [v0]
    decimals = max(0, len(f"{step:g}".split(".")[1]) if "." in f"{step:g}" else 0)
    return [int(round(v)) if ctl["int"] else round(v, decimals + 2) for v in path]


def bench_notebook(path: Path, steps: int) -> list[Result]:
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    last = max((i for i, c in enumerate(cells) if _is_explorer_cell(c)), default=None)
    if last is None:
        return []
    kernel = Kernel(path.parent)
    results = []
    try:
        kernel.execute("%matplotlib inline")
        for cell in cells[: last + 1]:
            tags = cell.metadata.get("tags", [])
            if "skip-execution" in tags or "nbval-skip" in tags:
                continue
            msgs = kernel.execute(cell.source)
            if not _is_explorer_cell(cell):
                continue
            errors = [m["content"] for m in msgs if m["msg_type"] == "error"]
            name = cell.source.strip().splitlines()[-1][:44]
            if errors:
                r = Result(path.stem, name)
                r.missing.append(f"the cell raised {errors[0]['ename']}: {errors[0]['evalue']}")
                results.append(r)
                continue
            count = next((m["content"]["execution_count"] for m in msgs
                          if m["msg_type"] == "execute_input"), None)
            try:
                info = json.loads(kernel.stdout(kernel.execute(
                    _DESCRIBE.replace("__N__", str(count)))))
            except RuntimeError as err:
                r = Result(path.stem, name)
                r.missing.append(f"could not find the explorer the cell displayed: {err}")
                results.append(r)
                continue
            result = Result(path.stem, name)
            for cname, ctl in info["controls"].items():
                for value in _moves(ctl, steps):
                    cpu0 = kernel.cpu_seconds()
                    seconds, msgs = kernel.set_value(ctl["id"], value)
                    result.cpu_ms.append(1000 * (kernel.cpu_seconds() - cpu0))
                    errs = [m["content"] for m in msgs if m["msg_type"] == "error"]
                    if errs:
                        result.missing.append(f"{cname}={value}: {errs[0]['ename']}: "
                                              f"{errs[0]['evalue']}")
                        continue
                    if not _sent_readout(msgs, info["readout"]):
                        result.missing.append(f"{cname}={value}: no readout update")
                    elif not _sent_png(msgs):
                        result.missing.append(f"{cname}={value}: no new PNG")
                    result.times_ms.append(1000 * seconds)
            results.append(result)
    finally:
        kernel.stop()
    return results


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4,
                        help="steps up (and as many back) per control (default 4)")
    parser.add_argument("notebooks", nargs="*",
                        help="notebook files or stems (default: every notebook)")
    args = parser.parse_args()
    if args.notebooks:
        paths = [Path(n) if n.endswith(".ipynb") else NOTEBOOKS / f"{n}.ipynb"
                 for n in args.notebooks]
    else:
        paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    print(f"# explorer latency: comm_msg value update -> kernel idle (readout + PNG sent)")
    print(f"# {os.cpu_count()} CPUs, load average at start {_load()}; target median "
          f"{TARGET_MEDIAN_MS:.0f} ms, worst {TARGET_WORST_MS:.0f} ms")
    header = (f"{'notebook':<22}{'explorer':<46}{'moves':>6}{'median':>9}{'worst':>9}"
              f"{'ratio':>7}{'cpu med':>9}{'cpu max':>9}")
    print(header)
    ok = True
    for path in paths:
        for r in bench_notebook(path, args.steps):
            print(f"{r.notebook:<22}{r.explorer:<46}{len(r.times_ms):>6}"
                  f"{r.median:>7.0f}ms{r.worst:>7.0f}ms{r.median / TARGET_MEDIAN_MS:>7.2f}"
                  f"{r.cpu:>7.0f}ms{r.cpu_worst:>7.0f}ms",
                  flush=True)
            for problem in r.missing[:3]:
                print(f"    problem: {problem}")
            if r.missing or not (r.median <= TARGET_MEDIAN_MS and r.worst <= TARGET_WORST_MS):
                ok = False
    print(f"# load average at end {_load()}")
    print("# all explorers within target" if ok else "# some explorer misses the target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
