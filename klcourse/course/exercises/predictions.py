"""Predictions: the learner commits to a guess, the notebook computes, reveal compares.

Pure message functions over a :class:`Prediction`; the registry and the
learner's recorded guesses live in :mod:`klcourse.course.exercises`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from klcourse.course.exercises.judge import (format_value, parse_choice, parse_number,
                                             printed_tolerance, _choice_keys_text, _quietly,
                                             _example_integer, _example_number)

__all__ = ["Prediction", "PREDICTION_KINDS", "parse_guess", "predict_message",
           "reveal_message", "NO_GUESS"]

PREDICTION_KINDS = ("choice", "number", "integer")


class _NoGuess:
    def __repr__(self) -> str:
        return "NO_GUESS"


#: Marks "the learner made no prediction".
NO_GUESS: Any = _NoGuess()


@dataclass(frozen=True)
class Prediction:
    """A registered prediction (see :func:`klcourse.course.exercises.register_prediction`)."""

    name: str
    kind: str
    answer: Callable[[], Any]
    options: Mapping[str, str] | None = None
    unit: str | None = None
    explain: str = ""


def parse_guess(pred: Prediction, guess: Any) -> tuple[Any, str | None]:
    """A guess as a value of the prediction's kind, or the "answer with ..." message.

    Parameters
    ----------
    pred : Prediction
        The prediction.
    guess : object
        The learner's guess (not ``...``).

    Returns
    -------
    (object, str or None)
        The value and None, or None and the message.

    Examples
    --------
    >>> p = Prediction("x.d6", "number", lambda: 2.585, unit="bits")
    >>> parse_guess(p, 3)
    (3.0, None)
    >>> parse_guess(p, "3")[1]
    'x.d6: predict with a number, e.g. 0.25: that is text (a str); remove the quotes.'
    """
    name = pred.name
    if pred.kind == "choice":
        keys = list(pred.options)
        key, why = parse_choice(guess, keys)
        if why:
            return None, f"{name}: predict with one of {_choice_keys_text(keys)}: {why}."
        return key, None
    x, why = parse_number(guess)
    if pred.kind == "integer":
        if not why and math.isfinite(x) and x != round(x):
            why = "that number has a fractional part"
        if why:
            return None, (f"{name}: predict with a whole number, e.g. "
                          f"{_example_integer(None)}: {why}.")
        return x, None
    if why:
        return None, f"{name}: predict with a number, e.g. {_example_number(None)}: {why}."
    return x, None


def predict_message(pred: Prediction, guess: Any) -> tuple[str, Any]:
    """What ``predict`` prints, and the value to record (:data:`NO_GUESS` if none).

    Parameters
    ----------
    pred : Prediction
        The prediction.
    guess : object
        The learner's guess; ``...`` means none yet.

    Returns
    -------
    (str, object)

    Examples
    --------
    >>> p = Prediction("x.coin", "choice", lambda: "a",
    ...                options={"a": "heads", "b": "tails", "c": "either"})
    >>> predict_message(p, ...)[0]
    'x.coin: no prediction yet: replace ... with your guess ("a", "b" or "c") and run this cell again.'
    >>> predict_message(p, "B")
    ('x.coin: prediction recorded: (b) tails. The cells below compute the answer; reveal("x.coin") compares.', 'b')
    """
    name = pred.name
    if guess is Ellipsis:
        if pred.kind == "choice":
            keys = [f'"{k}"' for k in pred.options]
            what = ", ".join(keys[:-1]) + " or " + keys[-1]
        else:
            what = "a number" if pred.kind == "number" else "a whole number"
        return (f"{name}: no prediction yet: replace ... with your guess ({what}) and run "
                "this cell again.", NO_GUESS)
    value, why = parse_guess(pred, guess)
    if why:
        return why, NO_GUESS
    shown = _show(pred, value)
    return (f"{name}: prediction recorded: {shown}. The cells below compute the answer; "
            f'reveal("{name}") compares.', value)


def _show(pred: Prediction, value: Any) -> str:
    if pred.kind == "choice":
        return f"({value}) {pred.options[value]}"
    if pred.kind == "integer":
        return f"{int(value)}" + (f" {pred.unit}" if pred.unit else "")
    return f"{value:g}" + (f" {pred.unit}" if pred.unit else "")


def reveal_message(pred: Prediction, guess: Any) -> str:
    """What ``reveal`` prints: the guess, the computed result, how far off, the explanation.

    Parameters
    ----------
    pred : Prediction
        The prediction.
    guess : object
        The recorded guess, or :data:`NO_GUESS`.

    Returns
    -------
    str

    Examples
    --------
    >>> p = Prediction("x.d6", "number", lambda: 2.584962500721156, unit="bits",
    ...                explain="Six equally likely faces: log2 of six.")
    >>> print(reveal_message(p, 3.0))
    x.d6: you predicted 3 bits; the result is 2.5850 bits: your guess is 16.1% too high.
    Six equally likely faces: log2 of six.
    >>> print(reveal_message(p, NO_GUESS).splitlines()[0])
    x.d6: you made no prediction; the result is 2.5850 bits.
    """
    name = pred.name
    result = _quietly(pred.answer)
    if pred.kind == "choice":
        if result not in pred.options:
            raise ValueError(f"prediction {name!r}: its answer function returned {result!r}, "
                             f"not one of the option keys {list(pred.options)}")
        shown_result = f"({result}) {pred.options[result]}"
    elif pred.kind == "integer":
        shown_result = f"{round(float(result))}" + (f" {pred.unit}" if pred.unit else "")
    else:
        shown_result = format_value(result, pred.unit)

    if guess is NO_GUESS:
        head = f"{name}: you made no prediction; the result is {shown_result}."
    else:
        head = f"{name}: you predicted {_show(pred, guess)}; the result is {shown_result}"
        if pred.kind == "choice":
            head += ": your prediction was right." if guess == result else \
                ": your prediction was not."
        else:
            r = float(result)
            if abs(guess - r) <= printed_tolerance(r) * (1 + 1e-9):
                head += ": spot on."
            elif r != 0 and math.isfinite(r):
                pct = abs(guess - r) / abs(r) * 100
                head += f": your guess is {pct:.1f}% too {'high' if guess > r else 'low'}."
            else:
                head += f": your guess is off by {format_value(abs(guess - r), pred.unit)}."
    return head + (f"\n{pred.explain}" if pred.explain else "")
