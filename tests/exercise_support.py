"""Shared helpers for the exercise tests: the "does this text give the answer away" rule,
and finding the exercise cells of a notebook.

The fair rule for "a text contains the expected value's digits"
----------------------------------------------------------------
A text leaks an expected value v when it contains a number token t (a run of
digits, optionally with a decimal part, not glued to a letter or underscore as
in ``log2`` or ``answer_3_1``) such that either

* t has k >= 2 decimals and t and |v|, both rounded to min(k, 4) decimals, are
  the same, unless that rounded value is 0, 1 or 2 (they appear in ordinary
  text: "0.00", "1.00", "2.00") or keeps fewer than 2 significant digits of v
  ("0.01" for v = 0.0086 says almost nothing) -- so "0.7370", "0.737" and
  "0.74" all leak v = 0.73697, but "0.7" does not; or
* t is a whole number, v is a whole number (within 1e-9) and t == |v|, with
  |v| >= `min_integer` (3 for feedback messages, whose text is short; 10 for
  notebook outputs, full of small counts and indices).

In notebook outputs a token that is
also typed in the code of the cell that printed it (an input such as
``eps = 0.05``) does not count: the learner sees it in the code anyway.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

_TOKEN = re.compile(r"(?<![A-Za-z_\d.])(\d+)(?:\.(\d+))?(?![\d])")


def _values(expected: Any) -> list[float]:
    try:
        arr = np.asarray(expected, dtype=float).ravel()
    except (TypeError, ValueError):
        return []
    return [abs(float(v)) for v in arr if math.isfinite(v)]


def leaks(text: str, expected: Any, *, min_integer: int = 3) -> list[str]:
    """The number tokens of `text` that give `expected` away (see the module docstring)."""
    found = []
    values = _values(expected)
    for m in _TOKEN.finditer(text):
        whole, frac = m.group(1), m.group(2)
        token = m.group(0)
        for v in values:
            if frac is None:
                if abs(v - round(v)) <= 1e-9 * max(1, v) and v >= min_integer \
                        and int(whole) == round(v):
                    found.append(token)
            elif len(frac) >= 2:
                k = min(len(frac), 4)
                rv = f"{v:.{k}f}"
                rt = f"{float(token):.{k}f}"
                if rv == rt and float(rv) not in (0.0, 1.0, 2.0) and v >= 10.0 ** (1 - k):
                    found.append(token)
    return found


@dataclass
class ExerciseCells:
    """The cells of one exercise in a notebook (indices into nb.cells)."""

    name: str
    variable: str
    answer: int | None
    check: int
    solution: int | None
    solution_code: str | None


_CHECK = re.compile(r"""\bcheck\(\s*["']([^"']+)["']\s*,\s*([A-Za-z_]\w*)\s*\)""")
_PREDICT = re.compile(r"""\bpredict\(\s*["']([^"']+)["']""")
_REVEAL = re.compile(r"""\breveal\(\s*["']([^"']+)["']""")
_FENCE = re.compile(r"```(?:python|py)?\s*\n(.*?)```", re.S)
_ASSIGN = re.compile(r"^\s*([A-Za-z_]\w*)\s*=", re.M)


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def exercises_in(nb) -> list[ExerciseCells]:
    """Every check("NN.name", var) cell of `nb`, with its answer and solution cells."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for m in _CHECK.finditer(cell.source):
            name, var = m.group(1), m.group(2)
            answer = None
            for j in range(i, -1, -1):
                c = nb.cells[j]
                if (c.cell_type == "code" and "answer" in tags(c)
                        and var in _ASSIGN.findall(c.source)):
                    answer = j
                    break
            solution = code = None
            for j in range(i + 1, len(nb.cells)):
                c = nb.cells[j]
                if c.cell_type == "code":
                    break
                if "solution" in tags(c):
                    solution = j
                    fence = _FENCE.search(c.source)
                    code = fence.group(1) if fence else None
                    break
            found.append(ExerciseCells(name, var, answer, i, solution, code))
    return found


def predictions_in(nb) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(name, cell index) of every predict(...) and every reveal(...) call in `nb`."""
    predicts, reveals = [], []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            predicts += [(m.group(1), i) for m in _PREDICT.finditer(cell.source)]
            reveals += [(m.group(1), i) for m in _REVEAL.finditer(cell.source)]
    return predicts, reveals


def output_text(cell) -> str:
    """The text of a code cell's stored outputs (stdout/stderr and text-like data)."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append("".join(out.get("text", "")))
        elif out.get("output_type") == "error":
            parts.append("\n".join(out.get("traceback", [])))
        for mime, value in out.get("data", {}).items():
            if mime.startswith("text/") or mime.endswith("json"):
                text = (value if isinstance(value, str) else
                        "".join(value) if isinstance(value, list) else str(value))
                # embedded images (the explorers' static face) are base64, not text a
                # learner reads; their letters and digits can match an answer by chance
                parts.append(re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+", "data:", text))
    return "\n".join(parts)
