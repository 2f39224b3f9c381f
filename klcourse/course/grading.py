"""``python -m klcourse nbgrader OUTDIR``: the course as an nbgrader course, one assignment per notebook.

nbgrader (``pip install -e .[grading]``) is what many institutions already run
to collect and grade notebooks. This writes an nbgrader *source* folder from
the same course notebooks:

* each exercise's answer cell (tagged ``answer``) becomes a **solution cell**:
  the learner's line ``answer_3_1 = ...`` followed by the worked solution
  between ``### BEGIN SOLUTION`` / ``### END SOLUTION``, which
  ``nbgrader generate_assignment`` strips from the release;
* each ``check("NN.name", answer)`` cell becomes an **autograded test cell**
  (1 point): the learner still sees the check's feedback, and a hidden test
  asserts that :func:`klcourse.course.exercises.evaluate` judges the answer
  correct, i.e. the klcourse-computed answer at the exercise's own tolerance;
* the worked-solution markdown cells and the navigation footer are left out;
  every other cell is copied as it is.

``grade_id`` values are unique per notebook (``answer_NN_k``/``check_NN_name``)
and every nbgrader cell carries ``schema_version`` 3.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from klcourse.course.files import CourseError, atomic_write_text, guard_outdir, read_notebook

__all__ = ["write_nbgrader_course", "nbgrader_notebook", "GradingReport", "SCHEMA_VERSION"]

SCHEMA_VERSION = 3
_CHECK = re.compile(r'^check\(\s*"(?P<name>\d\d\.[a-z0-9-]+)"\s*,\s*(?P<var>\w+)\s*\)\s*$', re.M)
_FENCE = re.compile(r"```python\n(?P<code>.*?)\n```", re.S)
_CONFIG = '''"""nbgrader configuration written by `python -m klcourse nbgrader`."""

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "klcourse"
c.CourseDirectory.root = {root!r}
# the learner's own line (answer = ...) stays; nothing is added in its place
c.ClearSolutions.code_stub = {{"python": ""}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ExecutePreprocessor.timeout = 300
'''


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _nbgrader(cell, *, grade_id: str, solution: bool, grade: bool, points: int = 0) -> None:
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade,
            "locked": not solution, "task": False, "schema_version": SCHEMA_VERSION}
    if grade:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta


def nbgrader_notebook(nb: nbformat.NotebookNode, number: str) -> tuple[nbformat.NotebookNode, int]:
    """The nbgrader source version of one course notebook, and the points it carries.

    Parameters
    ----------
    nb : NotebookNode
        A course notebook (left unchanged).
    number : str
        Its two-digit number, used in the ``grade_id`` values.

    Returns
    -------
    (NotebookNode, int)

    Raises
    ------
    CourseError
        If an answer cell has no check after it or no worked solution.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell
    >>> nb = new_notebook(cells=[
    ...     new_code_cell("answer_0_1 = ...", metadata={"tags": ["answer"]}),
    ...     new_code_cell('check("00.fair-d8", answer_0_1)'),
    ...     new_markdown_cell("<details>\\n\\n```python\\nanswer_0_1 = 3.0\\n```\\n</details>",
    ...                       metadata={"tags": ["solution"]})])
    >>> out, points = nbgrader_notebook(nb, "00")
    >>> points, [c.metadata.nbgrader["grade_id"] for c in out.cells]
    (1, ['answer_00_1', 'check_00_fair-d8'])
    >>> print(out.cells[0].source)
    answer_0_1 = ...
    ### BEGIN SOLUTION
    answer_0_1 = 3.0
    ### END SOLUTION
    """
    cells = list(copy.deepcopy(nb.cells))
    out = []
    points = 0
    k = 0
    for i, cell in enumerate(cells):
        tags = _tags(cell)
        if "solution" in tags or "klcourse-nav" in tags:
            continue
        if "answer" in tags:
            k += 1
            check_at = next((j for j in range(i + 1, len(cells))
                             if cells[j].cell_type == "code" and _CHECK.search(cells[j].source)),
                            None)
            sol_at = next((j for j in range(i + 1, len(cells)) if "solution" in _tags(cells[j])),
                          None)
            if check_at is None or sol_at is None:
                raise CourseError(f"notebook {number}: the answer cell {i} has no check(...) "
                                  "cell and worked solution after it")
            fence = _FENCE.search(cells[sol_at].source)
            if fence is None:
                raise CourseError(f"notebook {number}: the worked solution after cell {i} has no "
                                  "```python block")
            cell.source = (cell.source.rstrip() + "\n### BEGIN SOLUTION\n" + fence["code"].strip()
                           + "\n### END SOLUTION")
            cell.outputs, cell.execution_count = [], None
            _nbgrader(cell, grade_id=f"answer_{number}_{k}", solution=True, grade=False)
        elif cell.cell_type == "code" and _CHECK.search(cell.source):
            m = _CHECK.search(cell.source)
            cell.source = (cell.source.rstrip() + "\n### BEGIN HIDDEN TESTS\n"
                           "from klcourse.course.exercises import evaluate as _evaluate\n"
                           f"assert _evaluate({m['name']!r}, {m['var']}).correct, "
                           f"'{m['name']} is not answered correctly'\n### END HIDDEN TESTS")
            cell.outputs, cell.execution_count = [], None
            _nbgrader(cell, grade_id=f"check_{m['name'].replace('.', '_')}", solution=False,
                      grade=True, points=1)
            points += 1
        out.append(cell)
    result = copy.deepcopy(nb)
    result.cells = out
    result.metadata.pop("widgets", None)
    return result, points


@dataclass
class GradingReport:
    """The assignments written: name -> (notebook path, points)."""

    root: Path
    assignments: dict[str, tuple[Path, int]]

    def lines(self) -> list[str]:
        rows = [f"{name}: {points} points, {path}" for name, (path, points) in
                self.assignments.items()]
        return rows + [f"nbgrader course in {self.root} (nbgrader_config.py); next: cd "
                       f"{self.root} && nbgrader generate_assignment ASSIGNMENT"]


def write_nbgrader_course(outdir: str | os.PathLike, notebooks: list[Path] | None = None, *,
                          force: bool = False) -> GradingReport:
    """Write ``OUTDIR/source/NN_name/NN_name.ipynb`` for every notebook, and ``nbgrader_config.py``.

    Existing files are replaced only with `force` (an instructor may have
    edited a source notebook).

    Parameters
    ----------
    outdir : path-like
        The nbgrader course folder (created if missing); refused if it is the
        repository itself or inside the course's ``notebooks/``.
    notebooks : list of Path, optional
        The course notebooks to convert, each named ``NN_name.ipynb`` (``NN``
        its two-digit number); default every notebook of the course.
    force : bool, optional
        Replace source notebooks and ``nbgrader_config.py`` that already exist
        (default False: an existing source notebook is an error, an existing
        config is kept).

    Returns
    -------
    GradingReport
        The folder and, per assignment ``NN_name``, its source notebook and points.

    Raises
    ------
    CourseError
        If a source notebook exists and `force` is not given (checked before
        anything is written), or a notebook or `outdir` is refused.

    Examples
    --------
    >>> import tempfile
    >>> from nbformat.v4 import new_notebook, new_code_cell
    >>> tmp = Path(tempfile.mkdtemp())
    >>> nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), tmp / "00_demo.ipynb")
    >>> report = write_nbgrader_course(tmp / "course", [tmp / "00_demo.ipynb"])
    >>> report.assignments == {"00_demo": (tmp / "course/source/00_demo/00_demo.ipynb", 0)}
    True
    >>> (tmp / "course" / "nbgrader_config.py").is_file()
    True
    >>> try:
    ...     write_nbgrader_course(tmp / "course", [tmp / "00_demo.ipynb"])
    ... except CourseError as e:
    ...     print("refused:", "pass --force" in str(e))
    refused: True
    """
    from klcourse.course.handouts import _notebook_paths

    out = guard_outdir(outdir, "for the nbgrader course")
    paths = _notebook_paths(notebooks, "convert")
    planned = []
    for path in paths:
        nb, points = nbgrader_notebook(read_notebook(path), path.name[:2])
        target = out / "source" / path.stem / path.name
        if target.exists() and not force:
            raise CourseError(f"{target} exists (an instructor may have edited it); pass --force "
                              "to replace it")
        planned.append((path.stem, target, nb, points))
    assignments = {}
    for name, target, nb, points in planned:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, nbformat.writes(nb) + "\n")
        assignments[name] = (target, points)
    config = out / "nbgrader_config.py"
    if not config.exists() or force:
        atomic_write_text(config, _CONFIG.format(root=str(out.resolve())))
    return GradingReport(out, assignments)
