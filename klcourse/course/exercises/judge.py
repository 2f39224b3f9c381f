"""Judging one answer: kinds, the printed-precision tolerance, junk, typical mistakes.

Everything here is pure: an :class:`Exercise` and an answer go in, a
:class:`Feedback` comes out. The registry and the learner-facing ``check``
live in :mod:`klcourse.course.exercises`.

The rules, in the order :func:`judge` applies them:

1. ``...`` (Ellipsis) means "not answered yet".
2. An answer of the wrong kind (text for a number, a bool, a complex or
   masked value, NaN, a number for a choice, ...) is refused with
   "answer with a number, e.g. 0.25" (or the choice's keys); it is never
   compared with the expected value.
3. Numbers are correct within the precision the notebook prints
   (:func:`printed_tolerance`) unless the exercise sets ``tol``.
4. A wrong number is compared with the values typical mistakes produce:
   the registered :class:`Mistake` values first, then the automatic ones
   (the right quantity in the wrong unit, the wrong sign). The message names
   the mistake and never shows a digit of the expected answer.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

__all__ = ["Mistake", "Exercise", "Feedback", "KINDS", "UNITS", "printed_tolerance", "judge",
           "format_value", "parse_number", "parse_choice"]

Status = Literal["correct", "incorrect", "unanswered", "invalid"]
KINDS = ("number", "integer", "choice", "array")
UNITS = (None, "bits", "nats")

_LN2 = math.log(2)
_LN10 = math.log(10)


@dataclass(frozen=True)
class Mistake:
    """A typical mistake: the value it produces and the message that names it.

    Attributes
    ----------
    name : str
        Short label, e.g. ``"swapped"`` (reported as ``Feedback.mistake``).
    value : callable
        Computes, with klcourse, the value the mistake produces.
    message : str
        Names the mistake; must contain no digit of the expected answer.

    Examples
    --------
    >>> m = Mistake("swapped", lambda: 0.5, "That is the other direction.")
    >>> m.name, m.value()
    ('swapped', 0.5)
    """

    name: str
    value: Callable[[], Any]
    message: str


@dataclass(frozen=True)
class Exercise:
    """A registered exercise (see :func:`klcourse.course.exercises.register`)."""

    name: str
    answer: Callable[[], Any]
    kind: str
    unit: str | None = None
    tol: float | None = None
    mistakes: tuple[Mistake, ...] = ()
    options: Mapping[str, tuple[str, str]] | None = None
    hint: str = ""


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer.

    Attributes
    ----------
    name : str
        The exercise.
    status : {"correct", "incorrect", "unanswered", "invalid"}
        "invalid" is an answer of the wrong kind (nothing was compared).
    message : str
        What the learner is shown.
    mistake : str or None
        The recognised mistake (a :class:`Mistake` name, or ``"unit-nats"``,
        ``"unit-bits"``, ``"unit-log10"``, ``"sign"``; ``"precision"`` for an
        answer within about 1 % that is not precise enough; ``"option-<key>"`` for
        a wrong choice), if any.
    """

    name: str
    status: Status
    message: str
    mistake: str | None = None

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __str__(self) -> str:
        return self.message


def printed_tolerance(expected: float) -> float:
    """The absolute tolerance matching how the notebooks print a value.

    Half a unit of the 4th decimal; for ``0 < |expected| < 0.01`` half a unit
    of the 3rd significant figure (those values are printed with ``.3g``).
    So the expected value rounded as printed is always accepted, and a value
    5 % off never is (except for an expected 0, where 5 % of it is 0).

    Parameters
    ----------
    expected : float
        The expected answer.

    Returns
    -------
    float

    Examples
    --------
    >>> printed_tolerance(2.585)
    5e-05
    >>> printed_tolerance(0.00123)
    5e-06
    """
    a = abs(float(expected))
    if a >= 0.01 or a == 0 or not math.isfinite(a):
        return 5e-05
    return 0.5 * 10.0 ** (math.floor(math.log10(a)) - 2)


def format_value(x: float, unit: str | None = None) -> str:
    """A number as the notebooks print it: 4 decimals, 3 significant figures below 0.01.

    Parameters
    ----------
    x : float
        The value.
    unit : str or None
        Appended after a space if given.

    Returns
    -------
    str

    Examples
    --------
    >>> format_value(2.584962500721156, "bits")
    '2.5850 bits'
    >>> format_value(0.0012345)
    '0.00123'
    """
    x = float(x)
    text = f"{x:.4f}" if (abs(x) >= 0.01 or x == 0 or not math.isfinite(x)) else f"{x:.3g}"
    return f"{text} {unit}" if unit else text


# ----------------------------------------------------------------- kinds of answer

def _example_number(expected: Any) -> str:
    """An example number for the "answer with ..." message, far from the answer."""
    try:
        e = np.abs(np.asarray(expected, dtype=float)).ravel()
    except (TypeError, ValueError):
        e = np.array([])
    for cand in ("0.25", "1.5", "3.75", "0.6"):
        c = float(cand)
        if not np.any(np.abs(e - c) <= np.maximum(0.1 * c, 0.02)):
            return cand
    return "0.6"  # pragma: no cover - the candidates cannot all be close


def _example_integer(expected: Any) -> str:
    for cand in ("12", "7", "40"):
        try:
            if round(float(expected)) != int(cand):
                return cand
        except (TypeError, ValueError):
            return cand
    return "40"  # pragma: no cover


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _kind_of(answer: Any) -> str | None:
    """Why `answer` is not a plain real number (None if it is one)."""
    if isinstance(answer, (bool, np.bool_)):
        return "True/False is not a number"
    if answer is None:
        return "that is None (did the cell compute something without returning it?)"
    if isinstance(answer, (str, np.str_)):
        return "that is text (a str); remove the quotes"
    if isinstance(answer, (bytes, np.bytes_)):
        return "that is bytes, not a number"
    if np.ma.isMaskedArray(answer):
        return "that is a masked value; masks hide entries"
    if isinstance(answer, (complex, np.complexfloating)):
        return "that is a complex number"
    return None


def parse_number(answer: Any) -> tuple[float | None, str | None]:
    """A learner's answer as one real number, or the reason it is not one.

    Parameters
    ----------
    answer : object
        The learner's answer.

    Returns
    -------
    (float or None, str or None)
        The number and None, or None and the reason.

    Examples
    --------
    >>> parse_number(2)
    (2.0, None)
    >>> parse_number("3.0")
    (None, 'that is text (a str); remove the quotes')
    """
    why = _kind_of(answer)
    if why:
        return None, why
    if isinstance(answer, np.ndarray) and answer.ndim == 0 and answer.dtype.kind in "bc":
        return None, _kind_of(answer.item())
    if isinstance(answer, numbers.Real):
        x = float(answer)
    elif isinstance(answer, np.ndarray) and answer.ndim == 0 and answer.dtype.kind in "iuf":
        x = float(answer)
    elif isinstance(answer, (np.ndarray, list, tuple)):
        return None, "that is a sequence; one number is asked for"
    else:
        return None, f"that is {_a(type(answer).__name__)}"
    if math.isnan(x):
        return None, "that is NaN (not a number): something in the computation went wrong"
    return x, None


def _parse_array(answer: Any, shape: tuple[int, ...]) -> tuple[np.ndarray | None, str | None]:
    why = _kind_of(answer)
    if why:
        return None, why
    if answer is None or not isinstance(answer, (list, tuple, np.ndarray)):
        return None, f"that is {_a(type(answer).__name__)}"
    try:
        arr = np.asarray(answer)
    except (TypeError, ValueError):
        return None, "the entries do not form a regular array"
    if arr.dtype.kind == "b":
        return None, "True/False entries are not numbers"
    if arr.dtype.kind == "c":
        return None, "the entries are complex numbers"
    if arr.dtype.kind not in "iuf":
        return None, "some entries are not numbers"
    if arr.shape != shape:
        return None, f"its shape is {arr.shape}, but {shape} is asked for"
    arr = arr.astype(float)
    if np.isnan(arr).any():
        return None, "some entries are NaN (not a number)"
    return arr, None


def parse_choice(answer: Any, keys: list[str]) -> tuple[str | None, str | None]:
    """A learner's choice as one of `keys` (case, spaces and brackets ignored).

    Parameters
    ----------
    answer : object
        The learner's answer, e.g. ``"b"`` or ``" (B) "``.
    keys : list of str
        The option keys.

    Returns
    -------
    (str or None, str or None)
        The key and None, or None and the reason.

    Examples
    --------
    >>> parse_choice(" (B) ", ["a", "b", "c"])
    ('b', None)
    >>> parse_choice(2, ["a", "b", "c"])
    (None, 'that is an int, not a letter')
    """
    if not isinstance(answer, str):
        return None, f"that is {_a(type(answer).__name__)}, not a letter"
    norm = answer.strip().strip("()").strip().lower()
    for key in keys:
        if key.lower() == norm:
            return key, None
    return None, "that is not one of the options"


def _choice_keys_text(keys: list[str]) -> str:
    quoted = [repr(k) for k in keys]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


# --------------------------------------------------------------------- judging

def _close(x: np.ndarray | float, e: np.ndarray | float, tol: np.ndarray | float) -> bool:
    x, e = np.asarray(x, dtype=float), np.asarray(e, dtype=float)
    same_inf = np.isinf(e) & (x == e)
    with np.errstate(invalid="ignore"):
        slack = np.asarray(tol) * (1 + 1e-9) + 4 * np.finfo(float).eps * np.abs(e)
        near = np.abs(x - e) <= slack
    return bool(np.all(np.where(np.isinf(e), same_inf, near)))


def _tol(ex: Exercise, e: np.ndarray) -> np.ndarray | float:
    if ex.tol is not None:
        return ex.tol
    if np.ndim(e):
        return np.vectorize(printed_tolerance, otypes=[float])(e)
    return printed_tolerance(e)


def _automatic_mistakes(ex: Exercise, e: np.ndarray) -> list[tuple[str, np.ndarray, str]]:
    """Values produced by the wrong unit and by the wrong sign."""
    auto: list[tuple[str, np.ndarray, str]] = []
    if ex.unit == "bits":
        auto += [("unit-nats", e * _LN2, "This is the right quantity in nats, but the "
                  "exercise asks for bits (logarithms to base two)."),
                 ("unit-log10", e * _LN2 / _LN10, "This is the right quantity with common "
                  "(base ten) logarithms, but the exercise asks for bits (base two).")]
    elif ex.unit == "nats":
        auto += [("unit-bits", e / _LN2, "This is the right quantity in bits, but the "
                  "exercise asks for nats (natural logarithms)."),
                 ("unit-log10", e / _LN10, "This is the right quantity with common "
                  "(base ten) logarithms, but the exercise asks for nats (natural logarithms).")]
    sign = "The size is right but the sign is wrong"
    sign += (": check which way round the ratio inside the logarithm goes." if ex.unit
             else ".")
    auto.append(("sign", -e, sign))
    return auto


def _incorrect(ex: Exercise, text: str, mistake: str | None = None) -> Feedback:
    parts = [f"{ex.name}: not quite.", text.strip()]
    if ex.hint and mistake is None:
        parts.append(f"Hint: {ex.hint}")
    return Feedback(ex.name, "incorrect", " ".join(p for p in parts if p), mistake)


def _quietly(value: Callable[[], Any]) -> Any:
    """Call an answer or mistake function without letting its warnings reach the learner.

    A mistake's value may be infinite (e.g. p and q swapped when q misses an
    outcome); numpy's divide-by-zero warning would print under the check cell.
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return value()


def _judge_numeric(ex: Exercise, kind: str, expected: Any, answer: Any) -> Feedback:
    name = ex.name
    if kind == "array":
        e = np.asarray(expected, dtype=float)
        x, why = _parse_array(answer, e.shape)
        if why:
            n = e.size
            return Feedback(name, "invalid", f"{name}: answer with a list of {n} numbers "
                            f"(e.g. [{_example_number(e)}, ...]): {why}.")
    else:
        e = np.asarray(float(expected))
        x, why = parse_number(answer)
        if kind == "integer":
            if not why and math.isfinite(x) and x != round(x):
                why = "that number has a fractional part"
            if why:
                return Feedback(name, "invalid", f"{name}: answer with a whole number, e.g. "
                                f"{_example_integer(e)}: {why}.")
        elif why:
            return Feedback(name, "invalid", f"{name}: answer with a number, e.g. "
                            f"{_example_number(e)}: {why}.")

    if kind == "integer":
        target = round(float(e))
        if abs(target - float(e)) > 1e-9 * max(1.0, abs(float(e))):
            raise ValueError(f"exercise {name!r} has kind='integer' but its expected answer "
                             f"is not a whole number; use kind='number' or round it")
        if x == target:
            return Feedback(name, "correct", f"{name}: correct.")
    else:
        tol = _tol(ex, e)
        if _close(x, e, tol):
            unit = f" ({ex.unit})" if ex.unit else ""
            return Feedback(name, "correct", f"{name}: correct{unit}.")

    candidates = [(m.name, np.asarray(_quietly(m.value), dtype=float), m.message)
                  for m in ex.mistakes]
    if kind != "integer":
        candidates += _automatic_mistakes(ex, e)
    for mname, v, message in candidates:
        if v.shape != e.shape:
            raise ValueError(f"mistake {mname!r} of exercise {name!r} has shape {v.shape}, "
                             f"the answer {e.shape}")
        if kind == "integer":
            if not abs(float(v) - float(e)) > 0.5:  # coincides with the answer (or NaN)
                continue
            if abs(x - float(v)) <= 0.5:
                return _incorrect(ex, message, mname)
            continue
        if _close(v, e, _tol(ex, e)) or np.isnan(v).any():
            continue
        if _close(x, v, _tol(ex, v)):
            return _incorrect(ex, message, mname)

    if kind != "integer" and np.all(np.isfinite(e)) and np.all(np.isfinite(x)) and np.all(
            np.abs(x - e) <= np.maximum(0.0051, 0.01 * np.abs(e))):
        return _incorrect(ex, "Close, but not to the precision the notebook prints: keep "
                          "more digits, or compute the value instead of rounding it.",
                          "precision")
    direction = ""
    if kind == "number" and math.isfinite(float(e)) and math.isfinite(float(x)):
        direction = "Your answer is too large." if x > e else "Your answer is too small."
    return _incorrect(ex, direction)


def _judge_choice(ex: Exercise, expected: Any, answer: Any) -> Feedback:
    name = ex.name
    keys = list(ex.options)
    if expected not in ex.options:
        raise ValueError(f"exercise {name!r}: its answer function returned {expected!r}, "
                         f"which is not one of the option keys {keys}")
    key, why = parse_choice(answer, keys)
    if why:
        return Feedback(name, "invalid",
                        f"{name}: answer with one of {_choice_keys_text(keys)}: {why}.")
    feedback = ex.options[key][1]
    if key == expected:
        return Feedback(name, "correct", f"{name}: correct. {feedback}".rstrip())
    return _incorrect(ex, feedback, mistake=f"option-{key}")


def judge(ex: Exercise, expected: Any, answer: Any) -> Feedback:
    """The verdict on `answer` for `ex`, whose expected answer is `expected`.

    Parameters
    ----------
    ex : Exercise
        The exercise.
    expected : object
        Its expected answer (``ex.answer()``).
    answer : object
        The learner's answer; ``...`` means not yet answered.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> ex = Exercise("x.half", lambda: 0.5, "number", unit="bits")
    >>> judge(ex, 0.5, 0.5).status
    'correct'
    >>> judge(ex, 0.5, -0.5).mistake
    'sign'
    >>> judge(ex, 0.5, "0.5").message
    'x.half: answer with a number, e.g. 0.25: that is text (a str); remove the quotes.'
    """
    if answer is Ellipsis:
        return Feedback(ex.name, "unanswered", f"{ex.name}: not yet answered. Replace the ... "
                        "with your answer and run the cell again.")
    if ex.kind == "choice":
        return _judge_choice(ex, expected, answer)
    return _judge_numeric(ex, ex.kind, expected, answer)
