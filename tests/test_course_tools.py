"""The course tools never lose a learner's work, and fail with one clear line (issue 17).

Interrupted writes (a file-size limit, a signal), folders of student copies
protected from nav/regenerate, html/slides refusing files they did not write,
every CLI error path, the open command as root, and the learner's install.
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from klcourse.course.cli import main
from klcourse.course.files import CourseError, Manifest, atomic_write_text, is_half_written
from klcourse.course.notebook_tools import course_notebooks

ROOT = Path(__file__).resolve().parents[1]
COURSE = course_notebooks()
KLCOURSE = [sys.executable, "-m", "klcourse"]


def _cli(*args: str, cwd: Path = ROOT, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*KLCOURSE, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, **kw)


def _assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def _complete_or_absent(folder: Path) -> list[str]:
    """Names of notebooks in `folder` that are present but not complete, valid notebooks."""
    bad = []
    for p in folder.glob("*.ipynb"):
        try:
            nbformat.validate(nbformat.read(p, as_version=4))
        except Exception:
            bad.append(p.name)
    return bad


# -- 1. atomic writes ---------------------------------------------------------------------

def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_text("old")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(CourseError, match="cannot write .*page.html: No space left"):
        atomic_write_text(target, "new" * 1000)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]   # no temporary left


def _limit_file_size(limit: int):
    def preexec():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # the write fails instead of killing
    return preexec


def test_student_under_a_file_size_limit_leaves_no_half_written_notebook(tmp_path):
    out = tmp_path / "handout"
    biggest = max(p.stat().st_size for p in COURSE)
    proc = subprocess.run([*KLCOURSE, "student", str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, preexec_fn=_limit_file_size(biggest // 3))
    _assert_one_line_error(proc, "cannot write", "File too large")
    assert _complete_or_absent(out) == []
    assert not list(out.glob(".*.tmp")), "a temporary file was left behind"
    again = _cli("student", str(out))
    assert again.returncode == 0, again.stderr
    assert "SKIPPED" not in again.stdout
    assert _complete_or_absent(out) == [] and len(list(out.glob("*.ipynb"))) == len(COURSE)


@pytest.mark.parametrize("delay", [0.6, 1.2, 2.0])
def test_student_killed_mid_run_leaves_old_or_new_files_only(tmp_path, delay):
    out = tmp_path / "handout"
    for _ in range(2):   # the second round interrupts a --force run over existing copies
        proc = subprocess.Popen([*KLCOURSE, "student", str(out), "--force"], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        assert _complete_or_absent(out) == []
    final = _cli("student", str(out))
    assert final.returncode == 0 and "SKIPPED" not in final.stdout, final.stdout


def test_a_half_written_copy_from_an_older_run_is_set_aside_and_replaced(tmp_path):
    out = tmp_path / "handout"
    out.mkdir()
    src = COURSE[1]
    (out / src.name).write_text(src.read_text()[:5000])   # cut short, as an old version left it
    assert is_half_written(out / src.name)
    proc = _cli("student", str(out), str(src))
    assert proc.returncode == 0, proc.stderr
    assert "repaired" in proc.stdout and "SKIPPED" not in proc.stdout
    assert (out / (src.name + ".broken")).read_text() == src.read_text()[:5000]
    assert _complete_or_absent(out) == []


def test_a_learners_edit_is_never_overwritten_and_said_so(tmp_path):
    out = tmp_path / "handout"
    assert _cli("student", str(out), str(COURSE[1])).returncode == 0
    nb = nbformat.read(out / COURSE[1].name, as_version=4)
    nb.cells.insert(1, new_markdown_cell("my notes"))
    nbformat.write(nb, out / COURSE[1].name)
    proc = _cli("student", str(out), str(COURSE[1]))
    assert proc.returncode == 0 and "SKIPPED" in proc.stdout
    assert "my notes" in (out / COURSE[1].name).read_text()


def test_two_notebooks_with_one_name_are_refused(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / COURSE[1].name).write_text(COURSE[1].read_text())
    proc = _cli("student", str(tmp_path / "out"), str(COURSE[1]), str(other / COURSE[1].name))
    _assert_one_line_error(proc, "two notebooks are named", COURSE[1].name)
    assert not (tmp_path / "out").exists()


# -- 2. student copies and other folders protected ------------------------------------------

@pytest.fixture(scope="module")
def student_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("students") / "handout"
    assert _cli("student", str(out), str(COURSE[0]), str(COURSE[1])).returncode == 0
    return out


def test_nav_refuses_a_folder_of_student_copies(student_folder):
    before = {p.name: p.read_bytes() for p in student_folder.glob("*.ipynb")}
    _assert_one_line_error(_cli("nav", str(student_folder)), "student copies", "never rewrites")
    _assert_one_line_error(_cli("nav", cwd=student_folder), "student copies")
    assert {p.name: p.read_bytes() for p in student_folder.glob("*.ipynb")} == before


def test_regenerate_refuses_student_copies(student_folder):
    target = student_folder / COURSE[1].name
    before = target.read_bytes()
    _assert_one_line_error(_cli("regenerate", str(target)), "student copies")
    assert target.read_bytes() == before


def test_nav_and_regenerate_refuse_other_folders_unless_told(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    nb = new_notebook(cells=[new_markdown_cell("# Mine"), new_code_cell("print(1)"),
                             new_markdown_cell("", metadata={"tags": ["klcourse-toc"]})])
    nbformat.write(nb, folder / "00_mine.ipynb")
    before = (folder / "00_mine.ipynb").read_bytes()
    _assert_one_line_error(_cli("nav", str(folder)), "not the course's own notebooks/",
                           "--any-folder")
    _assert_one_line_error(_cli("regenerate", str(folder / "00_mine.ipynb")), "--any-folder")
    assert (folder / "00_mine.ipynb").read_bytes() == before
    assert main(["nav", str(folder), "--any-folder"]) == 0
    assert "klcourse-nav" in (folder / "00_mine.ipynb").read_text()


@pytest.mark.parametrize("where", ["notebooks", ".", "notebooks/site"])
def test_html_refuses_the_course_folders(where, capsys):
    assert main(["html", str(ROOT / where)]) == 2
    err = capsys.readouterr().err
    assert "OUTDIR" in err and ("notebooks/" in err or "repository" in err)
    assert not (ROOT / "notebooks" / "site").exists()
    assert not (ROOT / "notebooks" / "_static").exists()


def test_html_and_slides_replace_only_their_own_files(tmp_path, capsys):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>the instructor's own page</p>")
    assert main(["html", str(site), str(COURSE[0])]) == 2
    assert "will not replace files it did not write: index.html" in capsys.readouterr().err
    assert (site / "index.html").read_text() == "<p>the instructor's own page</p>"
    assert not (site / "_static").exists()
    assert main(["html", str(site), str(COURSE[0]), "--force"]) == 0
    assert main(["html", str(site), str(COURSE[0])]) == 0          # its own files: fine
    manifest = json.loads((site / Manifest.NAME).read_text())
    assert set(manifest["files"]) == {"index.html", "_static", "00_start_here.html"}
    (site / "00_start_here.html").write_text("edited by hand")
    assert main(["html", str(site), str(COURSE[0])]) == 2
    assert "00_start_here.html" in capsys.readouterr().err
    deck_dir = tmp_path / "deck"
    deck_dir.mkdir()
    (deck_dir / f"{COURSE[0].stem}.slides.html").write_text("mine")
    assert main(["slides", str(COURSE[0]), str(deck_dir)]) == 2
    assert (deck_dir / f"{COURSE[0].stem}.slides.html").read_text() == "mine"


# -- 3. every CLI error is one line ---------------------------------------------------------

def _not_a_notebook(tmp_path: Path) -> Path:
    p = tmp_path / "01_fake.ipynb"
    p.write_text(json.dumps({"hello": "world"}))
    return p


def _bad_paths(tmp_path: Path) -> dict[str, list[str]]:
    folder_nb = tmp_path / "02_folder.ipynb"
    folder_nb.mkdir()
    latin1 = tmp_path / "03_latin1.ipynb"
    latin1.write_bytes(b'{"cells": [], "caf\xe9": 1}')
    broken = tmp_path / "04_broken.ipynb"
    broken.write_text('{"cells": [')
    fake = _not_a_notebook(tmp_path)
    return {
        "student-json-not-notebook": ["student", str(tmp_path / "o1"), str(fake)],
        "student-folder-as-notebook": ["student", str(tmp_path / "o2"), str(folder_nb)],
        "student-latin1": ["student", str(tmp_path / "o3"), str(latin1)],
        "student-empty-outdir": ["student", "", str(COURSE[0])],
        "html-json-not-notebook": ["html", str(tmp_path / "o4"), str(fake)],
        "slides-folder": ["slides", str(folder_nb), str(tmp_path / "o5")],
        "slides-missing": ["slides", str(tmp_path / "nope.ipynb"), str(tmp_path / "o6")],
        "nav-not-a-folder": ["nav", str(fake)],
        "nav-no-notebooks": ["nav", str(tmp_path / "o1")],
        "regenerate-missing": ["regenerate", str(tmp_path / "nope.ipynb")],
        "regenerate-broken": ["regenerate", str(broken)],
        "regenerate-not-notebook": ["regenerate", str(fake)],
    }


BAD_CASES = ["student-json-not-notebook", "student-folder-as-notebook", "student-latin1",
             "student-empty-outdir", "html-json-not-notebook", "slides-folder", "slides-missing",
             "nav-not-a-folder", "nav-no-notebooks", "regenerate-missing", "regenerate-broken",
             "regenerate-not-notebook"]


@pytest.mark.parametrize("case", BAD_CASES)
def test_every_error_path_is_one_line_naming_the_file(case, tmp_path):
    cases = _bad_paths(tmp_path)
    assert sorted(cases) == sorted(BAD_CASES)
    args = cases[case]
    (tmp_path / "o1").mkdir(exist_ok=True)
    proc = _cli(*args)
    named = [a for a in args[1:] if a.endswith(".ipynb")] or [a for a in args[1:] if a]
    needle = "OUTDIR is empty" if "" in args else Path(named[0]).name
    _assert_one_line_error(proc, needle)


def test_read_only_outdir_is_one_line(tmp_path):
    # root ignores file permissions, so use a place no one can create files in
    target = "/proc/klcourse-handout" if os.geteuid() == 0 else str(tmp_path / "ro" / "x")
    if os.geteuid() != 0:
        (tmp_path / "ro").mkdir()
        os.chmod(tmp_path / "ro", 0o500)
    for cmd in (["student", target, str(COURSE[0])], ["html", target, str(COURSE[0])],
                ["slides", str(COURSE[0]), target]):
        _assert_one_line_error(_cli(*cmd), "klcourse-handout" if os.geteuid() == 0 else "ro")


def test_a_non_utf8_file_in_outdir_is_skipped_and_the_run_goes_on(tmp_path):
    out = tmp_path / "handout"
    out.mkdir()
    (out / COURSE[0].name).write_bytes(b"\xff\xfe\x00garbage")
    proc = _cli("student", str(out), str(COURSE[0]), str(COURSE[1]))
    assert proc.returncode == 0, proc.stderr
    assert f"SKIPPED    {out / COURSE[0].name} (it is not UTF-8" in proc.stdout
    assert (out / COURSE[1].name).exists()


def test_debug_shows_the_traceback(tmp_path):
    proc = _cli("--debug", "nav", str(tmp_path / "missing"))
    assert proc.returncode == 2 and "Traceback" in proc.stderr


# -- 4. the open command, as root or not -----------------------------------------------------

def _readme_command(marker: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(f"<!-- {marker} -->", 1)[1]
    return re.search(r"```bash\n(.+?)\n```", block, re.S).group(1)


def test_open_command_uses_the_launcher():
    assert _readme_command("open-command").endswith("&& python -m klcourse lab")


def test_lab_launcher_opens_notebook_00():
    proc = subprocess.Popen([*KLCOURSE, "lab", "--no-browser"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        header = [proc.stdout.readline() for _ in range(3)]
        url = header[1].strip()
        assert url.startswith("http://localhost:") and "/lab/tree/notebooks/00_start_here.ipynb" in url
        if os.geteuid() == 0:
            assert "as root, with --allow-root" in header[0]
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    status = resp.status
                    break
            except OSError:
                time.sleep(0.5)
        assert status == 200, f"the printed address did not answer; exit {proc.poll()}"
        api = url.split("/lab/")[0] + "/api/contents/notebooks/00_start_here.ipynb?content=0&"
        with urllib.request.urlopen(api + url.split("?")[1], timeout=10) as resp:
            assert json.load(resp)["type"] == "notebook"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


# -- 5. the learner's install holds no test tool ---------------------------------------------

TEST_TOOLS = {"pytest", "hypothesis", "nbval", "playwright", "coverage", "pytest-cov"}


def test_requirements_txt_is_the_course_extra_only():
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines == ["-e .[course]"]
    assert "[course,test,grading]" in _readme_command("test-command")


def test_learner_install_resolves_without_test_tools(tmp_path):
    report = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--quiet",
                           "--ignore-installed", "--report", str(report), "-r",
                           "requirements.txt"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    if proc.returncode != 0 and not os.environ.get("CI"):
        pytest.skip(f"pip could not resolve here: {proc.stderr.strip()[-200:]}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = {item["metadata"]["name"].lower() for item in json.loads(report.read_text())["install"]}
    assert {"jupyterlab", "numpy", "ipywidgets", "klcourse"} <= names
    assert names & TEST_TOOLS == set(), f"the learner's install pulls in {names & TEST_TOOLS}"


# -- 6. regenerate keeps the kernel's language_info (no modified mark on open) ---------------

@pytest.mark.parametrize("src", COURSE, ids=[p.stem for p in COURSE])
def test_committed_language_info_is_what_the_kernel_reports(src):
    info = nbformat.read(src, as_version=4).metadata.get("language_info", {})
    assert info.get("name") == "python" and re.fullmatch(r"3\.\d+\.\d+", info.get("version", "")), (
        f"{src.name}: language_info {info} lacks the kernel's version; run "
        "python -m klcourse regenerate")


# -- 7. downloads say what, how much, and where ----------------------------------------------

def test_first_download_shows_what_where_and_progress(tmp_path, capfd):
    from klcourse.course.handouts import assets

    try:
        assets.fetch("jquery", cache=tmp_path / "cache")
    except assets.AssetError as err:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"the npm registry is not reachable here: {err}")
    err = capfd.readouterr().err
    assert "jquery 3.7.1 is not in the cache yet" in err and str(tmp_path / "cache") in err
    assert "100%" in err
