"""Static checks of every notebook in notebooks/: structure, navigation, exercises.

nbval (run on the same files) checks that the stored outputs are reproduced;
these tests check what a reader relies on without running anything.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from klcourse.course.exercises import all_exercises
from klcourse.course.notebook_tools import NAV_TAG, TOC_TAG, course_notebooks, sync_navigation

NOTEBOOKS = course_notebooks()
CHECK_CALL = re.compile(r"""check\(\s*["'](\d\d\.[\w.-]+)["']""")


def read(path):
    return nbformat.read(path, as_version=4)


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def test_notebooks_are_numbered_without_gaps():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers == list(range(len(numbers))), numbers


def test_navigation_in_sync():
    stale = sync_navigation(NOTEBOOKS[0].parent, check=True)
    assert stale == [], f"stale navigation in {stale}: run `python -m klcourse nav`, then regenerate"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_structure(path):
    nb = read(path)
    nbformat.validate(nb)
    meta = nb.metadata.get("klcourse", {})
    assert meta.get("promise"), "metadata.klcourse.promise (one line for the contents table) is missing"
    assert isinstance(meta.get("minutes"), int), "metadata.klcourse.minutes is missing"
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "first cell must be the title"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    assert "objectives" in text and "summary" in text
    assert NAV_TAG in tags(nb.cells[-1]), "the last cell must be the navigation footer"
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), \
        "outputs were not produced top to bottom in one fresh kernel: run `python -m klcourse regenerate`"
    for c in code:
        assert "sys.path" not in c.source, "import the installed klcourse; no sys.path edits"
        for out in c.outputs:
            assert out.output_type != "error", f"stored error output in cell {c.execution_count}"
            assert "Warning" not in "".join(out.get("text", "")), f"a warning is printed in cell {c.execution_count}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_follow_the_answer_check_solution_pattern(path):
    nb = read(path)
    cells = nb.cells
    registered = all_exercises()
    checked = []
    for i, c in enumerate(cells):
        if c.cell_type != "code":
            continue
        for name in CHECK_CALL.findall(c.source):
            checked.append(name)
            assert name in registered, f"check({name!r}) names no registered exercise"
            assert name.startswith(path.name[:2] + "."), f"{name} belongs to another notebook"
    for i, c in enumerate(cells):
        if "solution" in tags(c):
            # the learner's own cell (tagged answer, with `...`) comes before, the check between
            answers = [x for x in cells[:i] if "answer" in tags(x)]
            assert answers and "..." in answers[-1].source, \
                f"solution cell {i} has no answer cell with `...` before it"
            assert c.cell_type == "markdown", f"solution cell {i} is code: Run All would answer"
    assert len(set(checked)) >= 3, f"{len(set(checked))} exercises; the course asks for at least 3"
    own = {n for n in registered if n.startswith(path.name[:2] + ".")}
    assert own <= set(checked), f"registered but never used in the notebook: {sorted(own - set(checked))}"


def test_table_of_contents_lists_every_notebook():
    nb = read(NOTEBOOKS[0])
    toc = [c for c in nb.cells if TOC_TAG in tags(c)]
    assert len(toc) == 1
    for path in NOTEBOOKS[1:]:
        assert f"]({path.name})" in toc[0].source


def test_every_exercise_answer_is_accepted_and_a_wrong_one_rejected():
    from klcourse.course.exercises import evaluate

    for name, ex in all_exercises().items():
        if not re.match(r"\d\d\.", name):
            continue  # examples registered by doctests
        expected = ex.answer()
        assert evaluate(name, expected).status == "correct", name
        assert evaluate(name, ...).status == "unanswered", name


def test_readme_commands_point_at_real_files():
    import pathlib

    root = NOTEBOOKS[0].parent.parent
    readme = (root / "README.md").read_text()
    open_cmd = readme.split("<!-- open-command -->", 1)[1].split("```")[1]
    assert "python -m klcourse lab" in open_cmd
    from klcourse.course.launch import DEFAULT_NOTEBOOK

    assert (root / DEFAULT_NOTEBOOK).is_file(), f"the launcher opens {DEFAULT_NOTEBOOK}, which does not exist"
    assert pathlib.Path(root / "requirements.txt").is_file()
    test_cmd = readme.split("<!-- test-command -->", 1)[1].split("```")[1]
    assert "python -m pytest" in test_cmd
