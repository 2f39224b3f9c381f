"""Student copies: no worked solutions, nothing given away, still run, never clobber edits."""

from __future__ import annotations

import os
import re
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from klcourse.course.cli import main
from klcourse.course.handouts.student import is_solution, student_notebook, write_student_copies
from klcourse.course.notebook_tools import course_notebooks

CHECK_CALL = re.compile(r"\bcheck\(\s*[\"']")
COURSE = course_notebooks()


def _text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.append(str(out.get("data", {}).get("text/plain", "")))
        parts.extend(out.get("traceback", []))
    return "".join(parts)


# ---------------------------------------------------------------- the transformation

def _exercise_notebook():
    return new_notebook(cells=[
        new_markdown_cell("# Title"),
        new_code_cell("import numpy as np\nh = np.log2(8)", execution_count=1),
        new_code_cell("answer_die = ...   # your answer here", execution_count=2),
        new_code_cell("# worked solution\nanswer_die = np.log2(6)", execution_count=3,
                      metadata={"tags": ["solution"]},
                      outputs=[new_output("stream", text="should vanish")]),
        new_code_cell('check("01.die", answer_die)', execution_count=4,
                      outputs=[new_output("stream", text="01.die: correct.\n")]),
        new_code_cell("print(f'{h:.1f} bits')", execution_count=5,
                      outputs=[new_output("stream", text="3.0 bits\n")]),
        new_markdown_cell("Solution in words", metadata={"tags": ["solution"]}),
        new_code_cell("%time x = answer_die", execution_count=6,
                      outputs=[new_output("stream", text="Wall time: 1 us\n")]),
    ])


def test_solution_cells_removed_and_dependent_outputs_cleared():
    nb = _exercise_notebook()
    s = student_notebook(nb)
    assert not any(is_solution(c) for c in s.cells)
    assert [c.source for c in s.cells] == [
        "# Title", "import numpy as np\nh = np.log2(8)", "answer_die = ...   # your answer here",
        'check("01.die", answer_die)', "print(f'{h:.1f} bits')", "%time x = answer_die"]
    by_source = {c.source: c for c in s.cells}
    check_cell = by_source['check("01.die", answer_die)']
    assert check_cell.outputs == [] and check_cell.execution_count is None
    # a magic cell that reads the solution's name is cleared too (parsed through IPython)
    assert by_source["%time x = answer_die"].outputs == []
    # cells that do not depend on the solution keep their outputs
    assert _text(by_source["print(f'{h:.1f} bits')"]) == "3.0 bits\n"
    assert s.metadata["klcourse"]["edition"] == "student"
    nbformat.validate(s)


def test_original_notebook_is_not_modified():
    nb = _exercise_notebook()
    before = nbformat.writes(nb)
    student_notebook(nb)
    assert nbformat.writes(nb) == before


def test_names_used_before_the_solution_are_not_cleared():
    nb = new_notebook(cells=[
        new_code_cell("print(answer)", outputs=[new_output("stream", text="1\n")]),
        new_code_cell("answer = 2", metadata={"tags": ["solution"]}),
    ])
    assert _text(student_notebook(nb).cells[0]) == "1\n"


# ---------------------------------------------------------------- the course's notebooks

@pytest.fixture(scope="session")
def executed_student_copies(tmp_path_factory):
    """Student copies of every course notebook, each executed once in a fresh kernel.

    Returns {name: (original notebook, student notebook after execution or the exception raised)}.
    """
    from nbclient import NotebookClient

    # Snapshot the course first, so the originals the tests compare with are the ones copied.
    snapshot = tmp_path_factory.mktemp("course")
    originals = []
    for src in COURSE:
        shutil.copyfile(src, snapshot / src.name)
        originals.append(snapshot / src.name)
    out = tmp_path_factory.mktemp("student")
    report = write_student_copies(out, originals)
    assert len(report.written) == len(COURSE)
    saved = os.environ.pop("MPLBACKEND", None)   # the kernel uses the inline backend, as learners do
    results = {}
    try:
        for original in originals:
            nb = nbformat.read(out / original.name, as_version=4)
            before = nbformat.read(original, as_version=4)
            try:
                NotebookClient(nb, timeout=300, kernel_name="python3",
                               resources={"metadata": {"path": str(out)}}).execute()
                results[original.name] = (before, nb)
            except Exception as err:  # reported by the test of that notebook
                results[original.name] = (before, err)
    finally:
        if saved is not None:
            os.environ["MPLBACKEND"] = saved
    return results


@pytest.mark.parametrize("src", COURSE, ids=[p.stem for p in COURSE])
def test_student_copy_has_no_solution_and_runs(src, executed_student_copies):
    original, result = executed_student_copies[src.name]
    n_solutions = sum(is_solution(c) for c in original.cells)
    if isinstance(result, Exception):
        pytest.fail(f"the student copy of {src.name} does not run top to bottom:\n{result}")
    nb = result
    assert not any(is_solution(c) for c in nb.cells)
    assert len(nb.cells) == len(original.cells) - n_solutions
    checks = [c for c in nb.cells if c.cell_type == "code" and CHECK_CALL.search(c.source)]
    if n_solutions:
        assert checks, f"{src.name} has solution cells but no check(...) cell"
    for cell in checks:
        text = _text(cell)
        assert "not yet answered" in text, f"{src.name}: check cell printed {text!r}"
    for cell in nb.cells:
        assert ": correct" not in _text(cell), f"{src.name}: a stored result gives an answer away"


# ---------------------------------------------------------------- writing, overwrite protection

@pytest.fixture
def two_notebooks(tmp_path):
    src = tmp_path / "notebooks"
    src.mkdir()
    paths = []
    for i in range(2):
        nb = _exercise_notebook()
        nb.cells[0].source = f"# Notebook {i}"
        path = src / f"0{i}_demo.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    return paths


def test_write_then_rerun_reports_up_to_date(tmp_path, two_notebooks):
    out = tmp_path / "handout"
    first = write_student_copies(out, two_notebooks)
    assert [p.name for p in first.written] == ["00_demo.ipynb", "01_demo.ipynb"]
    second = write_student_copies(out, two_notebooks)
    assert second.written == [] and len(second.unchanged) == 2 and second.skipped == []


def test_edited_copy_is_never_overwritten_without_force(tmp_path, two_notebooks):
    out = tmp_path / "handout"
    write_student_copies(out, two_notebooks)
    edited = out / "01_demo.ipynb"
    nb = nbformat.read(edited, as_version=4)
    nb.cells[2].source = "answer_die = 2.585   # the learner's own work"
    nbformat.write(nb, edited)
    mine = edited.read_bytes()

    report = write_student_copies(out, two_notebooks)
    assert report.skipped == [edited]
    assert [p.name for p in report.unchanged] == ["00_demo.ipynb"]
    assert edited.read_bytes() == mine
    assert any("SKIPPED" in line and "--force" in line for line in report.lines())

    forced = write_student_copies(out, two_notebooks, force=True)
    assert forced.overwritten == [edited]
    assert "learner's own work" not in edited.read_text()


def test_cli_reports_written_and_skipped(tmp_path, two_notebooks, capsys):
    out = tmp_path / "handout"
    assert main(["student", str(out), *map(str, two_notebooks)]) == 0
    first = capsys.readouterr().out
    assert first.count("wrote") == 2 and "2 written, 0 up to date, 0 skipped" in first
    (out / "00_demo.ipynb").write_text("{}", encoding="utf-8")   # something else is there
    assert main(["student", str(out), *map(str, two_notebooks)]) == 0
    second = capsys.readouterr().out
    assert "SKIPPED" in second and "0 written, 1 up to date, 1 skipped" in second
    assert (out / "00_demo.ipynb").read_text() == "{}"


def test_outdir_that_is_a_file_is_refused(tmp_path, two_notebooks, capsys):
    target = tmp_path / "a_file.txt"
    target.write_text("x")
    assert main(["student", str(target), *map(str, two_notebooks)]) == 2
    err = capsys.readouterr().err
    assert "is a file, not a folder" in err
    with pytest.raises(ValueError, match="is a file"):
        write_student_copies(target, two_notebooks)


def test_the_course_folder_itself_is_refused(two_notebooks):
    before = two_notebooks[0].read_bytes()
    with pytest.raises(ValueError, match="delete the worked solutions"):
        write_student_copies(two_notebooks[0].parent, two_notebooks, force=True)
    assert two_notebooks[0].read_bytes() == before


def test_help_describes_the_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["student", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "OUTDIR" in text and "--force" in text and "solution" in text


def test_default_is_every_course_notebook(tmp_path):
    report = write_student_copies(tmp_path / "all")
    assert [p.name for p in report.written] == [p.name for p in COURSE]
