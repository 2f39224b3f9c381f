"""The self-check machinery (klcourse.course.exercises), on made-up exercises and on
every exercise and prediction the course registers.

The generic tests at the bottom run over every registered course exercise
(names ``NN.something``), so they cover what each notebook's ``nbNN.py``
registers. The rule for "a message gives the answer's digits away" is in
``tests/exercise_support.py``.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import klcourse
from exercise_support import leaks
from klcourse import entropy
from klcourse.course import check as course_check
from klcourse.course import predict as course_predict
from klcourse.course import reveal as course_reveal
from klcourse.course.exercises import (Mistake, all_exercises, all_predictions, check,
                                       evaluate, format_value, get, get_prediction, predict,
                                       printed_tolerance, register, register_prediction,
                                       reveal)
from klcourse.course.exercises.predictions import NO_GUESS, predict_message, reveal_message

LN2 = math.log(2)

# ------------------------------------------------------------ made-up exercises

register("test.number", kind="number", unit="bits", answer=lambda: entropy([0.25] * 4),
         hint="four outcomes",
         mistakes=[Mistake("one-half", lambda: 0.5, "That is one outcome's share of two.")])
register("test.nats", kind="number", unit="nats", answer=lambda: math.log(3), hint="")
register("test.small", kind="number", answer=lambda: 0.00123456, hint="small")
register("test.zero", kind="number", answer=lambda: 0.0, hint="nothing")
register("test.tol", kind="number", answer=lambda: 1.0, tol=0.1,  # a deliberately coarse one
         hint="about one")
register("test.coincide", kind="number", answer=lambda: 0.5,
         mistakes=[Mistake("same", lambda: 0.5, "never shown: it equals the answer")])
register("test.integer", kind="integer", answer=lambda: 61, hint="round up",
         mistakes=[Mistake("floor", lambda: 60, "You rounded down; a part sample is a sample.")])
register("test.array", kind="array", unit="bits", answer=lambda: np.array([0.25, 0.75]),
         hint="normalise",
         mistakes=[Mistake("counts", lambda: np.array([1.0, 3.0]), "Those are the counts.")])
register("test.choice", kind="choice", answer=lambda: "b", hint="which one is the model?",
         options={"a": ("p", "p is the truth here."),
                  "b": ("q", "q is what we use instead."),
                  "c": ("neither", "One of them is the model.")})
register_prediction("test.die", kind="number", unit="bits",
                    answer=lambda: entropy(np.ones(6) / 6), explain="Six equal faces.")
register_prediction("test.which", kind="choice", answer=lambda: "a",
                    options={"a": "the first", "b": "the second", "c": "equal"},
                    explain="The first weights the rare outcome.")
register_prediction("test.count", kind="integer", answer=lambda: 7)


def test_the_learner_facing_import():
    assert course_check is check and course_predict is predict and course_reveal is reveal
    from klcourse.course import doctor  # noqa: F401  (re-exported too)


def test_printed_tolerance_follows_the_printed_precision():
    assert printed_tolerance(2.585) == 5e-05
    assert printed_tolerance(-0.5) == 5e-05
    assert printed_tolerance(0.00123) == pytest.approx(5e-06)
    assert printed_tolerance(0.0000987) == pytest.approx(5e-08)
    assert printed_tolerance(0.0) == 5e-05
    assert format_value(0.00123456) == "0.00123" and format_value(2 / 3, "bits") == "0.6667 bits"


@pytest.mark.parametrize("value", [2.0, 2, np.float32(2.0), np.int64(2), np.array(2.0),
                                   1.99996, 2.00004])
def test_right_numbers_in_any_numeric_type_pass(value):
    assert evaluate("test.number", value).status == "correct"


def test_tolerance_boundaries():
    assert not evaluate("test.number", 2.0001).correct
    assert not evaluate("test.number", 1.9999).correct
    assert evaluate("test.small", 0.00123).correct            # printed with .3g
    assert not evaluate("test.small", 0.00124).correct
    assert not evaluate("test.small", 0.00123456 * 1.05).correct
    assert evaluate("test.zero", 0.0).correct and evaluate("test.zero", -0.00004).correct
    assert not evaluate("test.zero", 0.0001).correct
    assert evaluate("test.tol", 1.09).correct and not evaluate("test.tol", 1.11).correct


def test_wrong_numbers_say_too_large_or_small_and_give_the_hint():
    fb = evaluate("test.number", 2.5)
    assert fb.status == "incorrect" and fb.mistake is None
    assert "too large" in fb.message and "Hint: four outcomes" in fb.message
    assert "too small" in evaluate("test.number", 1.5).message


def test_a_value_rounded_too_coarsely_is_told_to_keep_digits():
    fb = evaluate("test.nats", 1.1)          # ln 3 = 1.0986...: right to 2 decimals only
    assert fb.status == "incorrect" and fb.mistake == "precision" and "more digits" in fb.message
    assert not leaks(fb.message, math.log(3))
    assert evaluate("test.nats", math.log(3) * 1.05).mistake is None   # 5 % off is just wrong


def test_unit_and_sign_mistakes_are_named():
    nats = evaluate("test.number", 2 * LN2)
    assert nats.mistake == "unit-nats" and "nats" in nats.message and "bits" in nats.message
    assert evaluate("test.number", round(2 * LN2 / math.log(10), 4)).mistake == "unit-log10"
    assert evaluate("test.nats", math.log2(3)).mistake == "unit-bits"
    assert evaluate("test.nats", math.log10(3)).mistake == "unit-log10"
    sign = evaluate("test.number", -2.0)
    assert sign.mistake == "sign" and "sign" in sign.message
    assert evaluate("test.array", [-0.25, -0.75]).mistake == "sign"
    assert evaluate("test.array", np.array([0.25, 0.75]) * LN2).mistake == "unit-nats"


def test_registered_mistakes_are_named_and_coinciding_ones_ignored():
    fb = evaluate("test.number", 0.5)
    assert fb.mistake == "one-half" and "one outcome's share" in fb.message
    assert evaluate("test.coincide", 0.5).correct
    assert evaluate("test.array", [1, 3]).mistake == "counts"
    assert evaluate("test.integer", 60).mistake == "floor"


def test_integers_need_whole_numbers_and_never_bracket():
    assert evaluate("test.integer", 61).correct and evaluate("test.integer", 61.0).correct
    assert evaluate("test.integer", np.int32(61)).correct
    half = evaluate("test.integer", 61.5)
    assert half.status == "invalid" and "whole number" in half.message
    for wrong in (59, 62, 100):
        msg = evaluate("test.integer", wrong).message
        assert "too" not in msg and "small" not in msg and "large" not in msg


def test_arrays():
    assert evaluate("test.array", [0.25, 0.75]).correct
    assert evaluate("test.array", (0.25, 0.75)).correct
    assert evaluate("test.array", [0.75, 0.25]).status == "incorrect"
    wrong_shape = evaluate("test.array", [0.25, 0.75, 0])
    assert wrong_shape.status == "invalid" and "shape" in wrong_shape.message


def test_choices_give_feedback_per_option_without_the_right_one():
    assert evaluate("test.choice", " (B) ").correct
    fb = evaluate("test.choice", "a")
    assert fb.status == "incorrect" and "p is the truth here" in fb.message
    assert "q is what we use" not in fb.message and "'b'" not in fb.message
    assert evaluate("test.choice", "d").status == "invalid"


NUMBER_JUNK = ["3.0", b"3", 3 + 0j, np.complex128(2.0), np.ma.masked,
               np.ma.masked_array([2.0], mask=[True]), np.ma.masked_array(2.0, mask=False),
               float("nan"), np.float64("nan"), None, object(), True, False, np.True_,
               np.array(True), np.array(2 + 0j), [2.0], "2.0"]


@pytest.mark.parametrize("junk", NUMBER_JUNK, ids=repr)
def test_number_junk_is_refused(junk):
    fb = evaluate("test.number", junk)
    assert fb.status == "invalid" and "answer with a number, e.g." in fb.message


@pytest.mark.parametrize("junk", [0, 1, 2.0, True, None, b"a", object(), float("nan")], ids=repr)
def test_choice_junk_is_refused(junk):
    fb = evaluate("test.choice", junk)
    assert fb.status == "invalid" and "answer with one of 'a', 'b' or 'c'" in fb.message


@pytest.mark.parametrize("junk", ["0.25, 0.75", [0.25, None], [True, False], [0.25 + 0j, 0.75],
                                  np.ma.masked_array([0.25, 0.75], mask=[0, 1]),
                                  [0.25, float("nan")], None, 0.25, object(), [[0.25, 0.75]]],
                         ids=repr)
def test_array_junk_is_refused(junk):
    fb = evaluate("test.array", junk)
    assert fb.status == "invalid" and "answer with a list of" in fb.message


def test_example_in_the_junk_message_is_never_the_answer():
    register("test.quarter", kind="number", answer=lambda: 0.25, hint="")
    msg = evaluate("test.quarter", "0.25").message
    assert "answer with a number, e.g." in msg and not leaks(msg, 0.25)
    register("test.twelve", kind="integer", answer=lambda: 12, hint="")
    assert not leaks(evaluate("test.twelve", 12.5).message, 12)


def test_unanswered():
    fb = evaluate("test.number", ...)
    assert fb.status == "unanswered" and "not yet answered" in fb.message


def test_check_prints(capsys):
    check("test.number", 2)
    assert capsys.readouterr().out == "test.number: correct (bits).\n"
    check("test.number", ...)
    assert "not yet answered" in capsys.readouterr().out


def test_unknown_names_suggest_close_ones():
    with pytest.raises(ValueError, match=r"no exercise called 'test.numbr'.*'test.number'"):
        get("test.numbr")
    with pytest.raises(ValueError, match=r"no prediction called 'test.dei'.*'test.die'"):
        get_prediction("test.dei")


@pytest.mark.parametrize("kwargs, match", [
    (dict(kind="number", answer=lambda: 1), "registered twice"),
])
def test_duplicates_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        register("test.number", **kwargs)


@pytest.mark.parametrize("kwargs, match", [
    (dict(kind="bool", answer=lambda: True), "kind must be one of"),
    (dict(kind=None, answer=lambda: 2.0), "kind must be one of"),   # the old call shape
    (dict(kind="number", answer=2.0), "must be a function"),
    (dict(kind="number", answer=lambda: 1, unit="bans"), "unit must be"),
    (dict(kind="choice", answer=lambda: "a", options={"a": ("x", "y"), "b": ("z", "w")}),
     "at least 3 options"),
    (dict(kind="choice", answer=lambda: "a", options={"a": "x", "b": "y", "c": "z"}),
     "must map a key"),
    (dict(kind="number", answer=lambda: 1, options={"a": ("x", "y")}), "only for kind='choice'"),
    (dict(kind="number", answer=lambda: 1, tol=-1), "tol must be a positive"),
    (dict(kind="number", answer=lambda: 1, mistakes=[(1, "x")]), "Mistake"),
])
def test_bad_registrations_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        register("test.bad", **kwargs)


def test_author_errors_surface_at_check_time():
    register("test.bad-integer", kind="integer", answer=lambda: 2.5)
    with pytest.raises(ValueError, match="not a whole number"):
        evaluate("test.bad-integer", 2)
    register("test.bad-key", kind="choice", answer=lambda: "z",
             options={"a": ("x", "y"), "b": ("z", "w"), "c": ("u", "v")})
    with pytest.raises(ValueError, match="not one of the option keys"):
        evaluate("test.bad-key", "a")


def test_predict_then_reveal(capsys):
    predict("test.die", ...)
    assert "no prediction yet" in capsys.readouterr().out
    reveal("test.die")
    out = capsys.readouterr().out
    assert "you made no prediction" in out and "2.5850 bits" in out and "Six equal faces." in out
    predict("test.die", 3)
    out = capsys.readouterr().out
    assert "prediction recorded: 3 bits" in out and "2.58" not in out   # result stays hidden
    reveal("test.die")
    assert "16.1% too high" in capsys.readouterr().out
    predict("test.die", "3")                       # junk: refused, recorded guess forgotten
    assert "predict with a number" in capsys.readouterr().out
    reveal("test.die")
    assert "you made no prediction" in capsys.readouterr().out
    predict("test.which", "B")
    capsys.readouterr()
    reveal("test.which")
    out = capsys.readouterr().out
    assert "you predicted (b) the second" in out and "(a) the first" in out
    assert "was not" in out
    predict("test.count", 7.5)
    assert "whole number" in capsys.readouterr().out
    predict("test.count", 7)
    capsys.readouterr()
    reveal("test.count")
    assert "spot on" in capsys.readouterr().out


# ----------------------------------------------- every exercise the course registers

COURSE = re.compile(r"^\d\d\.")
EXERCISES = {n: ex for n, ex in all_exercises().items() if COURSE.match(n)}
PREDICTIONS = {n: p for n, p in all_predictions().items() if COURSE.match(n)}


def _printed(v: float) -> float:
    """The value as a notebook prints it (4 decimals; 3 significant figures below 0.01)."""
    return float(format_value(v))


def _expected(name):
    ex = EXERCISES[name]
    with np.errstate(all="ignore"):
        e = ex.answer()
    return ex, e, ex.kind


@pytest.fixture(params=sorted(EXERCISES), scope="module")
def exercise(request):
    return _expected(request.param)


def _wrong_answers(ex, e, kind):
    """Wrong answers whose feedback is shown: 5 % off both ways, or the other options."""
    if kind == "choice":
        return [k for k in ex.options if k != e]
    if kind == "integer":
        return [round(e) + 1, round(e) - 1, round(e) * 2 + 3]
    arr = np.asarray(e, dtype=float)
    return [arr * 1.05, arr * 0.95, arr + 1.0] if kind == "array" else \
        [float(e) * 1.05, float(e) * 0.95, float(e) + 1.0]


def _junk(e, kind):
    if kind == "choice":
        return [0, 1, 2.5, True, False, None, b"a", object(), float("nan")]
    if kind == "array":
        arr = np.asarray(e, dtype=float)
        return [str(arr.tolist()), arr.tobytes(), arr.astype(complex), None, object(),
                np.ma.masked_array(arr, mask=np.ones(arr.shape, bool)), np.full(arr.shape, np.nan),
                np.ones(arr.shape, bool), float(arr.ravel()[0]), np.ma.masked]
    return ["3.0", str(e), b"3", 3 + 0j, complex(float(e), 0), np.ma.masked,
            np.ma.masked_array([float(e)], mask=[True]), np.ma.masked_array(float(e)),
            float("nan"), None, object(), True, False, [float(e)]]


def test_printed_answer_passes(exercise):
    ex, e, kind = exercise
    if kind == "choice":
        answers = [e, f" {e.upper()} "]
    elif kind == "integer":
        answers = [round(e), float(round(e))]
    elif kind == "array":
        answers = [np.vectorize(_printed)(np.asarray(e, dtype=float)).tolist()]
    elif kind == "number":
        answers = [_printed(e), e]
    for a in answers:
        fb = evaluate(ex.name, a)
        assert fb.correct, f"{ex.name}: the answer {a!r} (as printed) got: {fb.message}"


def test_five_percent_off_fails(exercise):
    ex, e, kind = exercise
    if kind in ("number", "array") and not np.any(np.asarray(e, dtype=float) != 0):
        pytest.skip("expected 0: 5 % of it is 0 (the 0.0001 miss is tested by the machinery)")
    for a in _wrong_answers(ex, e, kind)[:2]:
        fb = evaluate(ex.name, a)
        assert fb.status == "incorrect", f"{ex.name}: the wrong answer {a!r} got: {fb.message}"


def test_junk_is_refused(exercise):
    ex, e, kind = exercise
    want = {"choice": "answer with one of", "array": "answer with a list of",
            "integer": "answer with a whole number", "number": "answer with a number"}[kind]
    for junk in _junk(e, kind):
        fb = evaluate(ex.name, junk)
        assert fb.status == "invalid" and want in fb.message, \
            f"{ex.name}: the junk answer {junk!r} got: {fb.message}"


def test_integers_refuse_halves(exercise):
    ex, e, kind = exercise
    if kind != "integer":
        pytest.skip("not an integer exercise")
    fb = evaluate(ex.name, round(e) + 0.5)
    assert fb.status == "invalid" and "whole number" in fb.message, fb.message


def _messages(ex, e, kind) -> dict[str, str]:
    """Every feedback text a learner can see, by what produced it."""
    shown = {"hint": ex.hint, "unanswered": evaluate(ex.name, ...).message}
    for a in _wrong_answers(ex, e, kind):
        shown[f"wrong answer {a!r}"] = evaluate(ex.name, a).message
    for junk in _junk(e, kind):
        shown[f"junk {junk!r}"] = evaluate(ex.name, junk).message
    for m in ex.mistakes:
        with np.errstate(all="ignore"):
            shown[f"mistake {m.name!r}"] = evaluate(ex.name, m.value()).message
    if kind in ("number", "array"):
        arr = np.asarray(e, dtype=float)
        for label, v in [("in nats", arr * LN2), ("in bits", arr / LN2),
                         ("log10", arr / math.log(10)), ("sign", -arr)]:
            shown[f"automatic mistake {label}"] = evaluate(ex.name, v).message
    return shown


def test_no_message_gives_the_answer_away(exercise):
    ex, e, kind = exercise
    bad = {}
    for label, text in _messages(ex, e, kind).items():
        if kind == "choice":
            right_text, right_feedback = ex.options[e]
            wrong = label.startswith("wrong answer") or label == "hint"
            if wrong and (right_text in text or right_feedback in text
                          or re.search(rf"(['\"(]{re.escape(e)}['\")])|option {re.escape(e)}\b",
                                       text)):
                bad[label] = text
        elif leaks(text, e):
            bad[label] = f"{text!r} (contains {leaks(text, e)})"
    assert not bad, f"{ex.name}: feedback gives the answer away:\n" + \
        "\n".join(f"  {k}: {v}" for k, v in bad.items())


def test_every_registered_mistake_is_recognised_and_named(exercise):
    ex, e, kind = exercise
    if kind == "choice":
        assert not ex.mistakes
        return
    for m in ex.mistakes:
        with np.errstate(all="ignore"):
            v = m.value()
        a = round(float(v)) if kind == "integer" else (
            np.vectorize(_printed)(np.asarray(v, dtype=float)) if kind == "array" else _printed(v))
        fb = evaluate(ex.name, a)
        assert fb.status != "correct", (
            f"{ex.name}: mistake {m.name!r} gives the right answer, so it can never be "
            "recognised: drop it or change the exercise")
        assert fb.mistake == m.name, (
            f"{ex.name}: the value of mistake {m.name!r} (printed) got {fb.mistake!r}: "
            f"{fb.message} (another mistake with the same value comes first?)")
        assert m.message in fb.message


def test_automatic_unit_mistakes(exercise):
    ex, e, kind = exercise
    if kind not in ("number", "array") or ex.unit is None or not np.any(np.asarray(e) != 0):
        pytest.skip("no unit, or expected 0")
    arr = np.asarray(e, dtype=float)
    other = arr * LN2 if ex.unit == "bits" else arr / LN2
    fb = evaluate(ex.name, other)
    registered = {m.name for m in ex.mistakes}
    assert fb.mistake in {"unit-nats", "unit-bits"} | registered, fb.message


def test_choices_have_three_options_and_feedback_for_each(exercise):
    ex, e, kind = exercise
    if kind != "choice":
        pytest.skip("not a choice")
    assert len(ex.options) >= 3
    assert e in ex.options
    for key, (text, feedback) in ex.options.items():
        fb = evaluate(ex.name, key)
        assert feedback in fb.message
        assert fb.correct == (key == e)


_CALLS = sorted({n for n in dir(klcourse) if not n.startswith("_")
                 and callable(getattr(klcourse, n))} | {"fit_by_kl", "huffman_code", "np"},
                key=len, reverse=True)


def test_hints_point_at_the_idea_not_the_call(exercise):
    ex, e, kind = exercise
    called = [n for n in _CALLS if re.search(rf"\b{re.escape(n)}\s*[(.]", ex.hint)]
    assert not called, f"{ex.name}: the hint names the call {called}: {ex.hint!r}"


@pytest.fixture(params=sorted(PREDICTIONS) or [None], scope="module")
def prediction(request):
    if request.param is None:
        pytest.skip("no course predictions registered yet")
    return PREDICTIONS[request.param]


def test_predictions_compute_a_result_and_never_leak_it_when_recorded(prediction):
    result = prediction.answer()
    if prediction.kind == "choice":
        assert len(prediction.options) >= 3 and result in prediction.options
        guesses = [k for k in prediction.options if k != result]
        message = predict_message(prediction, guesses[0])[0]
        assert prediction.options[result] not in message
    else:
        assert math.isfinite(float(result))
        message = predict_message(prediction, float(result) * 1.3 + 1)[0]
        assert not leaks(message, result)
    assert "no prediction yet" in predict_message(prediction, ...)[0]
    junk_message, recorded = predict_message(prediction, object())
    assert recorded is NO_GUESS and "predict with" in junk_message
    assert "you made no prediction" in reveal_message(prediction, NO_GUESS)
