"""Self-checks and predictions: feedback on a learner's answer that never gives it away.

Every exercise is registered under a name such as ``"03.reverse-direction"``
by a module of this package (``nb03.py`` for notebook 03). Its expected answer
is a function that *computes* it with klcourse at check time; nothing is typed
in by hand.

In a notebook an exercise is four cells, in this order:

1. markdown: the question (what to compute or choose, and in which unit);
2. the learner's cell, tagged ``answer``: ``answer_3_1 = ...  # your answer here``;
3. ``check("03.reverse-direction", answer_3_1)``;
4. markdown tagged ``solution``: the worked solution inside
   ``<details><summary>Worked solution ...</summary> ... </details>``, its
   fenced code assigning ``answer_3_1``; it is never executed.

So Run All re-runs the learner's cell with whatever they typed, and the
committed outputs show "not yet answered". A prediction is a cell tagged
``prediction`` with ``predict("02.which-larger", guess_2_1)``, the cells that
compute, then ``reveal("02.which-larger")``.

The judging rules (kinds, the printed-precision tolerance, junk, typical
mistakes) are in :mod:`klcourse.course.exercises.judge`; the prediction
messages in :mod:`klcourse.course.exercises.predictions`.
"""

from __future__ import annotations

import difflib
import importlib
import math
import pkgutil
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from klcourse.course.exercises.judge import (KINDS, UNITS, Exercise, Feedback, Mistake,
                                             _quietly, format_value, judge, printed_tolerance)
from klcourse.course.exercises.predictions import (NO_GUESS, PREDICTION_KINDS, Prediction,
                                                   predict_message, reveal_message)

__all__ = ["Exercise", "Feedback", "Mistake", "Prediction", "register", "register_prediction",
           "check", "evaluate", "predict", "reveal", "get", "get_prediction", "all_exercises",
           "all_predictions", "printed_tolerance", "format_value"]

_EXERCISES: dict[str, Exercise] = {}
_PREDICTIONS: dict[str, Prediction] = {}
_GUESSES: dict[str, Any] = {}
_LOADED = False


def _check_name(name: str) -> None:
    if not isinstance(name, str) or "." not in name or not name.strip():
        raise ValueError(f"an exercise name looks like 'NN.short-name', got {name!r}")
    if name in _EXERCISES or name in _PREDICTIONS:
        raise ValueError(f"exercise or prediction {name!r} is registered twice")


def _check_unit(unit: str | None) -> None:
    if unit not in UNITS:
        raise ValueError(f"unit must be 'bits', 'nats' or None, got {unit!r}")


def register(name: str, *, kind: str, answer: Callable[[], Any], unit: str | None = None,
             tol: float | None = None, mistakes: Sequence[Mistake] = (),
             options: Mapping[str, tuple[str, str]] | None = None,
             hint: str = "") -> Exercise:
    """Register an exercise; called at import time by the ``nbNN`` modules.

    Parameters
    ----------
    name : str
        ``"NN.short-name"``, NN the notebook's number; unique.
    answer : callable
        Called with no arguments at check time; returns the expected answer,
        computed with klcourse (for a choice: the right option's key).
    kind : {"number", "integer", "choice", "array"}
        What the learner answers with (there is no bool kind: write a
        True/False question as a choice between explanations).
    unit : {"bits", "nats", None}
        For numbers and arrays: the right quantity in the other unit or with
        base-10 logarithms is then recognised and named.
    tol : float, optional
        Absolute tolerance overriding :func:`printed_tolerance` (say why in a
        comment at the registration).
    mistakes : sequence of Mistake
        Values typical mistakes produce, each with a message naming it.
        Values that coincide with the expected one are ignored.
    options : dict, for kind="choice"
        ``{"a": ("option text", "feedback when chosen"), ...}``, at least 3.
        Feedback on a wrong option says why it fails, never which is right.
    hint : str
        The idea to think about, shown after a wrong answer; never the
        function call, never the answer.

    Returns
    -------
    Exercise

    Raises
    ------
    ValueError
        If the name is taken or malformed, the kind or unit unknown, a choice
        has fewer than 3 options, or options/mistakes/unit do not fit the kind.

    Examples
    --------
    >>> from klcourse.course.exercises import Mistake, evaluate, register
    >>> from klcourse import entropy
    >>> _ = register("doc.fair-coin", kind="number", unit="bits",
    ...              answer=lambda: entropy([0.5, 0.5]),
    ...              mistakes=[Mistake("one-outcome", lambda: entropy([1.0]),
    ...                        "That is the entropy of a coin that always lands heads.")],
    ...              hint="How many yes/no questions does one toss need?")
    >>> evaluate("doc.fair-coin", 0.6931).mistake
    'unit-nats'
    >>> evaluate("doc.fair-coin", 0).message
    'doc.fair-coin: not quite. That is the entropy of a coin that always lands heads.'
    """
    _check_name(name)
    if not callable(answer):
        raise ValueError(f"{name}: answer must be a function computing the expected answer "
                         "(e.g. lambda: entropy(p)), not a typed-in value")
    if kind not in KINDS:
        raise ValueError(f"{name}: kind must be one of {KINDS}, got {kind!r}")
    _check_unit(unit)
    if unit is not None and kind == "choice":
        raise ValueError(f"{name}: a choice has no unit")
    if tol is not None and not (isinstance(tol, (int, float)) and tol > 0 and math.isfinite(tol)):
        raise ValueError(f"{name}: tol must be a positive number, got {tol!r}")
    mistakes = tuple(mistakes)
    if any(not isinstance(m, Mistake) for m in mistakes):
        raise ValueError(f"{name}: mistakes must be Mistake(name, value, message) objects")
    if kind == "choice":
        if mistakes:
            raise ValueError(f"{name}: a choice names mistakes in each option's feedback, "
                             "not with mistakes=")
        if not isinstance(options, Mapping) or len(options) < 3:
            raise ValueError(f"{name}: a choice needs options={{'a': (text, feedback), ...}} "
                             "with at least 3 options")
        for key, value in options.items():
            if not (isinstance(key, str) and key.strip() and isinstance(value, tuple)
                    and len(value) == 2 and all(isinstance(v, str) and v.strip() for v in value)):
                raise ValueError(f"{name}: option {key!r} must map a key to "
                                 "('option text', 'feedback when chosen')")
        if len({k.lower() for k in options}) != len(options):
            raise ValueError(f"{name}: option keys must differ in more than case")
        options = dict(options)
    elif options is not None:
        raise ValueError(f"{name}: options= is only for kind='choice'")
    if not isinstance(hint, str):
        raise ValueError(f"{name}: hint must be a str")
    ex = Exercise(name, answer, kind, unit, tol, mistakes, options, hint)
    _EXERCISES[name] = ex
    return ex


def register_prediction(name: str, *, kind: str, answer: Callable[[], Any],
                        options: Mapping[str, str] | None = None, unit: str | None = None,
                        explain: str = "") -> Prediction:
    """Register a prediction the learner commits to before the notebook computes it.

    Parameters
    ----------
    name : str
        ``"NN.short-name"``; unique among exercises and predictions.
    kind : {"choice", "number", "integer"}
        What the learner guesses.
    answer : callable
        Computes the result (for a choice: the right key).
    options : dict, for kind="choice"
        ``{"a": "option text", ...}``, at least 3.
    unit : {"bits", "nats", None}
        Unit of a number.
    explain : str
        One or two sentences shown by :func:`reveal` (no typed-in number).

    Returns
    -------
    Prediction

    Examples
    --------
    >>> from klcourse.course.exercises import register_prediction, predict, reveal
    >>> from klcourse import entropy
    >>> import numpy as np
    >>> _ = register_prediction("doc.die", kind="number", unit="bits",
    ...                         answer=lambda: entropy(np.ones(6) / 6),
    ...                         explain="Six equally likely faces.")
    >>> predict("doc.die", ...)
    doc.die: no prediction yet: replace ... with your guess (a number) and run this cell again.
    >>> reveal("doc.die")
    doc.die: you made no prediction; the result is 2.5850 bits.
    Six equally likely faces.
    """
    _check_name(name)
    if kind not in PREDICTION_KINDS:
        raise ValueError(f"{name}: kind must be one of {PREDICTION_KINDS}, got {kind!r}")
    if not callable(answer):
        raise ValueError(f"{name}: answer must be a function computing the result")
    _check_unit(unit)
    if kind == "choice":
        if not isinstance(options, Mapping) or len(options) < 3 or not all(
                isinstance(k, str) and isinstance(v, str) and v.strip()
                for k, v in options.items()):
            raise ValueError(f"{name}: a choice prediction needs options={{'a': 'text', ...}} "
                             "with at least 3 options")
        if unit is not None:
            raise ValueError(f"{name}: a choice has no unit")
        options = dict(options)
    elif options is not None:
        raise ValueError(f"{name}: options= is only for kind='choice'")
    pred = Prediction(name, kind, answer, options, unit, explain)
    _PREDICTIONS[name] = pred
    return pred


WIDTH = 88
"""Feedback is printed in lines of at most this many characters (readable at a 1280-px window)."""


def _say(message: str) -> None:
    """Print `message` wrapped at :data:`WIDTH`, keeping its own line breaks."""
    print("\n".join(textwrap.fill(line, WIDTH, break_long_words=False, break_on_hyphens=False)
                    if line else "" for line in message.split("\n")))


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    for mod in pkgutil.iter_modules(__path__):
        if mod.name.startswith("nb"):
            importlib.import_module(f"{__name__}.{mod.name}")


def all_exercises() -> dict[str, Exercise]:
    """Every registered exercise, by name (importing the ``nbNN`` modules first).

    Examples
    --------
    >>> from klcourse.course.exercises import all_exercises
    >>> "00.fair-d8" in all_exercises()
    True
    """
    _load()
    return dict(_EXERCISES)


def all_predictions() -> dict[str, Prediction]:
    """Every registered prediction, by name (importing the ``nbNN`` modules first).

    Examples
    --------
    >>> from klcourse.course.exercises import all_predictions
    >>> isinstance(all_predictions(), dict)
    True
    """
    _load()
    return dict(_PREDICTIONS)


def _load_one(name: object) -> None:
    """Import only the registrations of the notebook `name` belongs to ("03.x" -> nb03).

    A notebook's first check then costs one module, not all of them; any other
    lookup (and a typo's suggestions) still loads everything.
    """
    number = str(name)[:2]
    if number.isdigit():
        try:
            importlib.import_module(f"{__name__}.nb{number}")
        except ModuleNotFoundError:
            pass


def _lookup(table: dict, name: str, what: str):
    if name not in table:
        _load_one(name)
    if name not in table:
        _load()
    try:
        return table[name]
    except KeyError:
        close = difflib.get_close_matches(str(name), list(table), n=3)
        tip = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"there is no {what} called {name!r}.{tip}") from None


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
    return _lookup(_EXERCISES, name, "exercise")


def get_prediction(name: str) -> Prediction:
    """Look up a prediction by name; a typo gets the closest names as suggestions.

    Parameters
    ----------
    name : str
        The prediction's name.

    Returns
    -------
    Prediction

    Examples
    --------
    >>> from klcourse.course.exercises import get_prediction
    >>> get_prediction("00.loaded-d8").kind
    'choice'
    """
    return _lookup(_PREDICTIONS, name, "prediction")


def evaluate(name: str, answer: Any) -> Feedback:
    """Judge an answer and return the :class:`Feedback` (prints nothing).

    Parameters
    ----------
    name : str
        The exercise's name.
    answer : object
        The learner's answer; ``...`` means not answered yet.

    Returns
    -------
    Feedback
        ``status`` is "correct", "incorrect", "unanswered" or "invalid";
        ``mistake`` names a recognised mistake.

    Examples
    --------
    >>> from klcourse.course.exercises import evaluate, register
    >>> _ = register("doc.quarter", kind="number", answer=lambda: 0.25,
    ...              hint="one outcome of four")
    >>> evaluate("doc.quarter", 0.2500).status
    'correct'
    >>> evaluate("doc.quarter", True).message
    'doc.quarter: answer with a number, e.g. 1.5: True/False is not a number.'
    >>> evaluate("doc.quarter", ...).status
    'unanswered'
    """
    ex = get(name)
    return judge(ex, _quietly(ex.answer) if answer is not Ellipsis else None, answer)


def check(name: str, answer: Any) -> None:
    """Print feedback on `answer` for exercise `name` (never the answer itself).

    Parameters
    ----------
    name : str
        The exercise's name, as given in the notebook.
    answer : object
        The learner's answer; ``...`` (the placeholder) means not answered yet.

    Examples
    --------
    >>> from klcourse.course.exercises import check, register
    >>> _ = register("doc.whole", kind="integer", answer=lambda: 4,
    ...              hint="count the outcomes")
    >>> check("doc.whole", 4)
    doc.whole: correct.
    >>> check("doc.whole", 3)
    doc.whole: not quite. Hint: count the outcomes
    >>> check("doc.whole", 4.5)
    doc.whole: answer with a whole number, e.g. 12: that number has a fractional part.
    """
    _say(evaluate(name, answer).message)


def predict(name: str, guess: Any) -> None:
    """Record the learner's guess for prediction `name` and say so (the result stays hidden).

    ``...`` records nothing (and forgets an earlier guess) and prints
    "no prediction yet".

    Parameters
    ----------
    name : str
        The prediction's name.
    guess : object
        The learner's guess.

    Examples
    --------
    >>> from klcourse.course.exercises import predict, register_prediction
    >>> _ = register_prediction("doc.bigger", kind="choice", answer=lambda: "a",
    ...     options={"a": "the first", "b": "the second", "c": "equal"})
    >>> predict("doc.bigger", "b")
    doc.bigger: prediction recorded: (b) the second. The cells below compute the answer; reveal("doc.bigger") compares.
    """
    pred = get_prediction(name)
    message, value = predict_message(pred, guess)
    if value is NO_GUESS:
        _GUESSES.pop(name, None)
    else:
        _GUESSES[name] = value
    _say(message)


def reveal(name: str) -> None:
    """Print the learner's guess (or that there was none), the computed result and why.

    Parameters
    ----------
    name : str
        The prediction's name.

    Examples
    --------
    >>> from klcourse.course.exercises import predict, register_prediction, reveal
    >>> _ = register_prediction("doc.pick", kind="choice", answer=lambda: "a",
    ...     options={"a": "the first", "b": "the second", "c": "equal"},
    ...     explain="The first weights the rare outcome more.")
    >>> predict("doc.pick", "a")
    doc.pick: prediction recorded: (a) the first. The cells below compute the answer; reveal("doc.pick") compares.
    >>> reveal("doc.pick")
    doc.pick: you predicted (a) the first; the result is (a) the first: your prediction was right.
    The first weights the rare outcome more.
    """
    pred = get_prediction(name)
    _say(reveal_message(pred, _GUESSES.get(name, NO_GUESS)))
