"""The exercises and predictions as a learner meets them in the notebooks.

* Run All (a fresh kernel, top to bottom, as committed) never prints "correct"
  for an exercise nobody answered, and the committed outputs show the
  unanswered state; the same for every student copy.
* Each worked solution, put in place of its answer cell, makes its check say
  correct, and the answer survives the rest of Run All.
* No stored output or saved widget state shows an exercise's answer before its
  check (the "gives the answer away" rule is in tests/exercise_support.py).
* Every notebook has at least 3 exercises; from 01 on, at least one
  prediction with a reveal after it.

Each notebook is executed at most twice per session (as committed, and with
its solutions substituted); the results are shared by the tests.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from exercise_support import exercises_in, leaks, output_text, predictions_in, tags
from klcourse.course.exercises import all_exercises, all_predictions, get, get_prediction
from klcourse.course.handouts.student import write_student_copies
from klcourse.course.notebook_tools import course_notebooks

NOTEBOOKS = course_notebooks()
IDS = [p.stem for p in NOTEBOOKS]
PROBE = "EXERCISE-PROBE"


def _number(path: Path) -> int:
    return int(path.name[:2])


def _execute(nb: nbformat.NotebookNode, folder: Path) -> nbformat.NotebookNode:
    """Run `nb` top to bottom in a fresh kernel (errors are kept as outputs, not raised)."""
    from nbclient import NotebookClient

    nb = copy.deepcopy(nb)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.pop("MPLBACKEND", None)
    NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder.resolve())}},
                   record_timing=False).execute()
    return nb


def _errors(nb) -> list[str]:
    return [f"cell {i} ({c.source.splitlines()[0][:60] if c.source else ''!r}): "
            f"{o.get('ename')}: {o.get('evalue')}"
            for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "error"]


_CACHE: dict[tuple[str, str], object] = {}


@pytest.fixture(scope="session")
def runs():
    """runs(path, variant) -> executed notebook, cached for the session."""

    def get_run(path: Path, variant: str):
        key = (path.name, variant)
        if key not in _CACHE:
            nb = nbformat.read(path, as_version=4)
            if variant == "solutions":
                nb = _with_solutions(nb)
            _CACHE[key] = _execute(nb, path.parent)
        return _CACHE[key]

    return get_run


def _committed(path: Path):
    return nbformat.read(path, as_version=4)


# ------------------------------------------------------------------ structure

@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_exercise_cells_follow_the_contract(path):
    """Question, answer cell tagged `answer` (only `answer_N_k = ...`), check, solution."""
    nb = _committed(path)
    registered = all_exercises()
    problems = []
    for ex in exercises_in(nb):
        where = f"{ex.name} (check in cell {ex.check})"
        if ex.name not in registered:
            problems.append(f"{where}: not registered in klcourse/course/exercises/nb"
                            f"{path.name[:2]}.py")
        elif not ex.name.startswith(path.name[:2] + "."):
            problems.append(f"{where}: the name should start with {path.name[:2]}.")
        if ex.answer is None:
            problems.append(f"{where}: no code cell tagged 'answer' assigns {ex.variable} "
                            "before the check")
        else:
            tree = ast.parse(nb.cells[ex.answer].source)
            ok = (len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign)
                  and isinstance(tree.body[0].value, ast.Constant)
                  and tree.body[0].value.value is Ellipsis)
            if not ok:
                problems.append(f"{where}: the answer cell {ex.answer} must be only "
                                f"'{ex.variable} = ...  # your answer here' as committed")
            if not re.fullmatch(rf"answer_{_number(path)}_\d+", ex.variable):
                problems.append(f"{where}: the answer variable {ex.variable} should be named "
                                f"answer_{_number(path)}_<k>")
        if ex.solution is None:
            problems.append(f"{where}: no markdown cell tagged 'solution' right after the check")
        else:
            src = nb.cells[ex.solution].source
            if "<details>" not in src:
                problems.append(f"{where}: the solution (cell {ex.solution}) is not folded in "
                                "<details><summary>...</summary>")
            if ex.solution_code is None:
                problems.append(f"{where}: the solution has no ```python fenced code")
            elif not re.search(rf"^\s*{ex.variable}\s*=", ex.solution_code, re.M):
                problems.append(f"{where}: the solution's code does not assign {ex.variable}")
    for i, cell in enumerate(nb.cells):
        if "solution" in tags(cell) and cell.cell_type == "code":
            problems.append(f"cell {i}: a code cell tagged 'solution' (Run All would execute "
                            "it and answer for the learner): make it a folded markdown cell")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_enough_exercises_and_predictions(path):
    nb = _committed(path)
    names = {ex.name for ex in exercises_in(nb)}
    problems = []
    if len(names) < 3:
        problems.append(f"{len(names)} exercises ({sorted(names)}); at least 3 are needed")
    predicts, reveals = predictions_in(nb)
    registered = all_predictions()
    for name, i in predicts:
        if name not in registered:
            problems.append(f"predict({name!r}) in cell {i} is not registered")
        if not any(r == name and j > i for r, j in reveals):
            problems.append(f"predict({name!r}) in cell {i} has no reveal({name!r}) after it")
    for name, j in reveals:
        if not any(p == name and i < j for p, i in predicts):
            problems.append(f"reveal({name!r}) in cell {j} has no predict({name!r}) before it")
    if _number(path) >= 1 and not any(any(r == n and j > i for r, j in reveals)
                                      for n, i in predicts):
        problems.append("no prediction (predict(...) then reveal(...)); notebooks from 01 on "
                        "need at least one")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


# ------------------------------------------------------------------ Run All

def _unanswered_problems(nb, label: str) -> list[str]:
    problems = [f"{label}: error in {e}" for e in _errors(nb)]
    for ex in exercises_in(nb):
        text = output_text(nb.cells[ex.check])
        if "not yet answered" not in text:
            problems.append(f"{label}: {ex.name} (cell {ex.check}) shows {text.strip()!r}, "
                            "not 'not yet answered'")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and re.search(r":\s*correct\b", output_text(cell)):
            problems.append(f"{label}: cell {i} prints 'correct' although nothing was answered")
    predicts, reveals = predictions_in(nb)
    for name, i in predicts:
        if "no prediction yet" not in output_text(nb.cells[i]):
            problems.append(f"{label}: predict({name!r}) in cell {i} did not say "
                            "'no prediction yet'")
    for name, j in reveals:
        if "you made no prediction" not in output_text(nb.cells[j]):
            problems.append(f"{label}: reveal({name!r}) in cell {j} did not say "
                            "'you made no prediction'")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_outputs_show_the_unanswered_state(path):
    problems = _unanswered_problems(_committed(path), "committed outputs")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_run_all_never_answers_for_the_learner(path, runs):
    problems = _unanswered_problems(runs(path, "committed"), "Run All")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


def _code(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_student_copy_run_all_never_answers_for_the_learner(path, runs, tmp_path):
    write_student_copies(tmp_path, [path])
    copy_path = tmp_path / path.name
    student = nbformat.read(copy_path, as_version=4)
    problems = _unanswered_problems(student, "student copy as written")
    if _code(student) == _code(_committed(path)):
        # Same code cells in the same order: Run All of the copy is Run All of the
        # course notebook (markdown does not run), so reuse that execution.
        executed = runs(path, "committed")
    else:
        executed = _execute(student, path.parent)
    problems += _unanswered_problems(executed, "student copy, Run All")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


# --------------------------------------------------------- worked solutions

def _with_solutions(nb):
    """`nb` with every answer cell replaced by its solution's code, a probe printing the
    answer's repr after it, and a last cell printing every answer's repr."""
    nb = copy.deepcopy(nb)
    found = [ex for ex in exercises_in(nb) if ex.answer is not None and ex.solution_code]
    variables = sorted({ex.variable for ex in found})
    inserts = {}
    for ex in found:
        nb.cells[ex.answer].source = ex.solution_code
        inserts[ex.answer] = nbformat.v4.new_code_cell(
            f"print({PROBE!r}, {ex.variable!r}, repr({ex.variable}))")
    cells = []
    for i, cell in enumerate(nb.cells):
        cells.append(cell)
        if i in inserts:
            cells.append(inserts[i])
    final = "import json as _json\nprint(" + repr(PROBE + "-END") + ", _json.dumps({" + \
        ", ".join(f"{v!r}: repr({v})" for v in variables) + "}))"
    cells.append(nbformat.v4.new_code_cell(final))
    nb.cells = cells
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_worked_solutions_are_correct_and_answers_survive_run_all(path, runs):
    committed = _committed(path)
    expected = [ex for ex in exercises_in(committed)
                if ex.answer is not None and ex.solution_code]
    if not expected:
        pytest.fail(f"{path.name}: no exercise with an answer cell and a solution to run")
    nb = runs(path, "solutions")
    problems = [f"error in {e}" for e in _errors(nb)]
    probes, final = {}, {}
    for cell in nb.cells:
        text = output_text(cell)
        for line in text.splitlines():
            if line.startswith(PROBE + "-END "):
                final = json.loads(line[len(PROBE) + 5:])
            elif line.startswith(PROBE + " "):
                _, var, value = line.split(" ", 2)
                probes[var.strip("'")] = value
    checks = {ex.name: output_text(c) for ex in exercises_in(nb)
              for c in [nb.cells[ex.check]]}
    for ex in expected:
        verdict = checks.get(ex.name, "").strip()
        if not verdict.startswith(f"{ex.name}: correct"):
            problems.append(f"{ex.name}: with the worked solution in place of the answer cell, "
                            f"check says {verdict!r}")
        if ex.variable not in probes:
            problems.append(f"{ex.name}: the answer cell did not run")
        elif final.get(ex.variable) != probes[ex.variable]:
            problems.append(f"{ex.name}: {ex.variable} was {probes[ex.variable]} after the answer "
                            f"cell but {final.get(ex.variable)} at the end of Run All (a later "
                            "cell overwrote the learner's answer)")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


# ----------------------------------------------------- answers never shown early

def _displayed_models(cell) -> list[str]:
    ids = []
    for out in cell.get("outputs", []):
        view = out.get("data", {}).get("application/vnd.jupyter.widget-view+json")
        if view and "model_id" in view:
            ids.append(view["model_id"])
    return ids


def _widget_text(nb, model_ids: list[str]) -> str:
    """The saved state of the given widget models and every model they refer to."""
    state = nb.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    seen, todo, parts = set(), list(model_ids), []
    while todo:
        mid = todo.pop()
        if mid in seen or mid not in state:
            continue
        seen.add(mid)
        text = json.dumps(state[mid])
        todo += re.findall(r"IPY_MODEL_([0-9a-f]+)", text)
        parts.append(_readable(text))
    return "\n".join(parts)


def _readable(text: str) -> str:
    """What a person could read in saved text: no model ids, no base64 image data.

    Model ids are random hex and base64 is random letters and digits; either can contain
    an answer's digits by chance ("/95h9" in a PNG once read as the answer 95).
    """
    text = re.sub(r"IPY_MODEL_[0-9a-f]+", "IPY_MODEL", text)
    text = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\\n]+", "data:", text)
    return re.sub(r"[A-Za-z0-9+/=]{200,}", "", text)


def _shown_before(nb, index: int) -> list[tuple[str, str, str]]:
    """(where, text, source) of every stored output and widget state of the cells before
    `index`; the source is the code that printed it (numbers typed there are inputs)."""
    shown, models = [], []
    for i, cell in enumerate(nb.cells[:index]):
        if cell.cell_type == "code":
            shown.append((f"output of cell {i}", output_text(cell), cell.source))
            models += _displayed_models(cell)
    shown.append(("saved widget state of the cells above", _widget_text(nb, models), ""))
    return shown


def _numeric(value) -> bool:
    try:
        np.asarray(value, dtype=float)
        return not isinstance(value, (str, bool, np.bool_))
    except (TypeError, ValueError):
        return False


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_answer_is_shown_before_its_check(path):
    nb = _committed(path)
    problems = []
    targets = []
    for ex in exercises_in(nb):
        try:
            exercise = get(ex.name)
        except ValueError:
            continue   # reported by test_exercise_cells_follow_the_contract
        with np.errstate(all="ignore"):
            value = exercise.answer()
        if exercise.kind in ("number", "integer", "array"):
            targets.append((f"exercise {ex.name}", value, ex.check))
    for name, i in predictions_in(nb)[0]:
        try:
            pred = get_prediction(name)
        except ValueError:
            continue
        if pred.kind != "choice":
            with np.errstate(all="ignore"):
                targets.append((f"prediction {name}", pred.answer(), i))
    for label, value, index in targets:
        if not _numeric(value):
            continue
        for where, text, source in _shown_before(nb, index):
            # A number typed in the cell's own code (e.g. eps = 0.05) is an input the
            # learner sees anyway, not a computed answer: it does not count.
            found = [t for t in leaks(text, value, min_integer=10)
                     if not re.search(rf"(?<![\d.]){re.escape(t)}(?![\d])", source)]
            if found:
                problems.append(f"{label} (asked in cell {index}): its answer appears in the "
                                f"{where} as {sorted(set(found))}")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


# ------------------------------------------ a learner's session in notebook 00

def test_notebook_00_as_a_learner_uses_it_twice_run_all():
    """Type answers (one in the wrong unit, one rounded as printed, one wrong option),
    Run All, Run All again in the same kernel: the answers stay and each check says the
    right thing both times."""
    from nbclient import NotebookClient

    from klcourse.course.exercises import format_value

    path = NOTEBOOKS[0]
    nb = _committed(path)
    typed = {"00.fair-d8": repr(float(f"{get('00.fair-d8').answer() * np.log(2):.4f}")),
             "00.nats-to-bits": format_value(get("00.nats-to-bits").answer()),
             "00.why-refuse": '"b"'}
    cells = {ex.name: ex for ex in exercises_in(nb)}
    assert set(typed) <= set(cells), f"notebook 00 lacks {set(typed) - set(cells)}"
    for name, value in typed.items():
        nb.cells[cells[name].answer].source = f"{cells[name].variable} = {value}"
    os.environ.pop("MPLBACKEND", None)
    client = NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    with client.setup_kernel():
        for _ in range(2):
            for i, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    cell.outputs = []
                    client.execute_cell(cell, i)
            said = {name: output_text(nb.cells[ex.check]) for name, ex in cells.items()}
            assert "right quantity in nats" in said["00.fair-d8"], said
            assert said["00.nats-to-bits"].startswith("00.nats-to-bits: correct"), said
            assert "not quite" in said["00.why-refuse"], said
            flat = " ".join(said["00.why-refuse"].split())   # feedback is wrapped at 88
            assert " ".join(get("00.why-refuse").options["b"][1].split()) in flat, said
    assert not _errors(nb)
