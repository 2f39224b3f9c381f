"""Self-check exercises: feedback on a learner's answer without giving the answer away.

Every exercise is registered under a name such as ``"01.uniform-die"`` by a
module of this package (``nb01.py`` for notebook 01, ...). Its expected answer
is a function that *computes* the answer with klcourse at check time; no answer
is typed in by hand.

In a notebook an exercise is three cells::

    answer = ...            # the learner's cell: replace ... with an answer
    answer = entropy(...)   # a worked solution, in a cell tagged "solution"
    check("01.uniform-die", answer)

Student copies drop the solution cells, so ``check`` then reports that the
exercise is not yet answered instead of raising.
"""

from __future__ import annotations

import difflib
import importlib
import math
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

__all__ = ["Exercise", "Feedback", "register", "check", "evaluate", "get", "all_exercises"]

Status = Literal["correct", "incorrect", "unanswered", "invalid"]

_LN2 = math.log(2)


@dataclass(frozen=True)
class Exercise:
    """A registered exercise.

    Attributes
    ----------
    name : str
        ``"NN.short-name"``, NN the notebook number.
    answer : callable
        Computes the expected answer (a number, an array of numbers, a bool or
        a short string) with klcourse.
    hint : str
        Shown after a wrong answer; a nudge, never the answer.
    rtol, atol : float
        Tolerances for numeric answers.
    unit : str or None
        ``"bits"`` or ``"nats"`` for answers in those units: an answer off by
        exactly a factor ln 2 is then recognised as the wrong unit.
    """

    name: str
    answer: Callable[[], Any]
    hint: str
    rtol: float = 1e-6
    atol: float = 1e-9
    unit: str | None = None


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: a status and the message shown to the learner."""

    name: str
    status: Status
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __str__(self) -> str:
        return self.message


_REGISTRY: dict[str, Exercise] = {}
_LOADED = False


def register(name: str, *, answer: Callable[[], Any], hint: str, rtol: float = 1e-6,
             atol: float = 1e-9, unit: str | None = None) -> Exercise:
    """Register an exercise; called at import time by the ``nbNN`` modules.

    Parameters
    ----------
    name : str
        ``"NN.short-name"``, NN the notebook's number; unique.
    answer : callable
        Called with no arguments at check time; returns the expected answer,
        computed with klcourse.
    hint : str
        A nudge shown after a wrong answer; it must not give the answer away.
    rtol, atol : float, optional
        Tolerances for numeric answers (``numpy.allclose``).
    unit : {"bits", "nats", None}, optional
        Unit of a numeric answer, so that a wrong unit is recognised.

    Returns
    -------
    Exercise

    Examples
    --------
    >>> from klcourse.course.exercises import register, evaluate
    >>> ex = register("doc.half", answer=lambda: 0.5, hint="one of two")
    >>> evaluate("doc.half", 0.5).correct
    True
    """
    if name in _REGISTRY:
        raise ValueError(f"exercise {name!r} is registered twice")
    if unit not in (None, "bits", "nats"):
        raise ValueError(f"unit must be 'bits', 'nats' or None, got {unit!r}")
    ex = Exercise(name, answer, hint, rtol, atol, unit)
    _REGISTRY[name] = ex
    return ex


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    for mod in pkgutil.iter_modules(__path__):
        if mod.name.startswith("nb"):
            importlib.import_module(f"{__name__}.{mod.name}")
    _LOADED = True


def all_exercises() -> dict[str, Exercise]:
    """Every registered exercise, by name (importing the ``nbNN`` modules first).

    Examples
    --------
    >>> from klcourse.course.exercises import all_exercises
    >>> "00.fair-d8" in all_exercises()
    True
    """
    _load()
    return dict(_REGISTRY)


def get(name: str) -> Exercise:
    """Look up an exercise by name; a typo gets the closest names as suggestions.

    Parameters
    ----------
    name : str
        The exercise's name, e.g. ``"00.fair-d8"``.

    Returns
    -------
    Exercise

    Raises
    ------
    ValueError
        If no exercise has that name (the message suggests close names).

    Examples
    --------
    >>> from klcourse.course.exercises import get
    >>> get("00.fair-d8").unit
    'bits'
    """
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(_REGISTRY), n=3)
        tip = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"there is no exercise called {name!r}.{tip}") from None


def _is_unanswered(answer: Any) -> bool:
    return answer is None or answer is Ellipsis


def _compare(ex: Exercise, expected: Any, answer: Any) -> Feedback:
    name = ex.name
    nudge = f" Hint: {ex.hint}" if ex.hint else ""
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(answer, (bool, np.bool_)):
            return Feedback(name, "invalid", f"{name}: answer True or False (got {answer!r}).")
        ok = bool(answer) == bool(expected)
        return Feedback(name, "correct" if ok else "incorrect",
                        f"{name}: correct." if ok else f"{name}: not quite.{nudge}")
    if isinstance(expected, str):
        if not isinstance(answer, str):
            return Feedback(name, "invalid", f"{name}: answer with a short text (got {answer!r}).")
        ok = answer.strip().lower() == expected.strip().lower()
        return Feedback(name, "correct" if ok else "incorrect",
                        f"{name}: correct." if ok else f"{name}: not quite.{nudge}")

    exp = np.asarray(expected, dtype=float)
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        what = "a number" if exp.ndim == 0 else f"an array of {exp.size} numbers"
        return Feedback(name, "invalid", f"{name}: the answer should be {what}, got {answer!r}.")
    if got.shape != exp.shape:
        what = "a single number" if exp.ndim == 0 else f"an array of shape {exp.shape}"
        return Feedback(name, "invalid",
                        f"{name}: the answer should be {what}, but has shape {got.shape}.")
    if np.isnan(got).any():
        return Feedback(name, "invalid", f"{name}: the answer contains NaN; check the computation.")

    def close(a: np.ndarray) -> bool:
        return bool(np.allclose(a, exp, rtol=ex.rtol, atol=ex.atol, equal_nan=False))

    if close(got):
        unit = f" ({ex.unit})" if ex.unit else ""
        return Feedback(name, "correct", f"{name}: correct{unit}.")
    if ex.unit == "bits" and close(got / _LN2):
        return Feedback(name, "incorrect",
                        f"{name}: this looks like the right quantity in nats; the exercise asks "
                        "for bits (use base=2, or divide by ln 2).")
    if ex.unit == "nats" and close(got * _LN2):
        return Feedback(name, "incorrect",
                        f"{name}: this looks like the right quantity in bits; the exercise asks "
                        "for nats (use base=np.e, or multiply by ln 2).")
    direction = ""
    if exp.ndim == 0 and np.isfinite(exp) and np.isfinite(got):
        direction = " Your answer is too large." if got > exp else " Your answer is too small."
    return Feedback(name, "incorrect", f"{name}: not quite.{direction}{nudge}")


def evaluate(name: str, answer: Any) -> Feedback:
    """Judge an answer and return the :class:`Feedback` (prints nothing).

    Parameters
    ----------
    name : str
        The exercise's name.
    answer : object
        The learner's answer; ``...`` or None means not answered yet.

    Returns
    -------
    Feedback
        ``status`` is "correct", "incorrect", "unanswered" or "invalid".

    Examples
    --------
    >>> from klcourse.course.exercises import evaluate, register
    >>> from klcourse import entropy
    >>> _ = register("doc.fair-coin", answer=lambda: entropy([0.5, 0.5]),
    ...              hint="one fair yes/no question", unit="bits")
    >>> evaluate("doc.fair-coin", 1.0).status
    'correct'
    >>> evaluate("doc.fair-coin", 0.6931471805599453).message
    'doc.fair-coin: this looks like the right quantity in nats; the exercise asks for bits (use base=2, or divide by ln 2).'
    >>> evaluate("doc.fair-coin", ...).status
    'unanswered'
    """
    ex = get(name)
    if _is_unanswered(answer):
        return Feedback(name, "unanswered",
                        f"{name}: not yet answered. Replace the ... with your answer and run the cell again.")
    return _compare(ex, ex.answer(), answer)


def check(name: str, answer: Any) -> None:
    """Print friendly feedback on `answer` for exercise `name` (never the answer itself).

    Parameters
    ----------
    name : str
        The exercise's name, as given in the notebook.
    answer : object
        The learner's answer; ``...`` (the placeholder) means not answered yet.

    Examples
    --------
    >>> from klcourse.course.exercises import check, register
    >>> _ = register("doc.two-bits", answer=lambda: 2.0, hint="four equally likely outcomes")
    >>> check("doc.two-bits", 2)
    doc.two-bits: correct.
    >>> check("doc.two-bits", 3)
    doc.two-bits: not quite. Your answer is too large. Hint: four equally likely outcomes
    """
    print(evaluate(name, answer).message)
