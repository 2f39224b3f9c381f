"""Tests of the self-check machinery in klcourse.course.exercises."""

import math

import numpy as np
import pytest

from klcourse import entropy
from klcourse.course.exercises import check, evaluate, get, register

register("test.number", answer=lambda: entropy([0.25] * 4), hint="four outcomes", unit="bits")
register("test.nats", answer=lambda: math.log(2), hint="", unit="nats")
register("test.array", answer=lambda: np.array([0.25, 0.75]), hint="normalise")
register("test.choice", answer=lambda: "q", hint="which one is the model?")
register("test.bool", answer=lambda: True, hint="think of Gibbs")


def test_correct_and_incorrect_numbers():
    assert evaluate("test.number", 2.0).status == "correct"
    assert evaluate("test.number", 2.0 + 1e-9).status == "correct"
    fb = evaluate("test.number", 2.5)
    assert fb.status == "incorrect"
    assert "too large" in fb.message and "four outcomes" in fb.message
    assert "2.0" not in fb.message  # never reveals the answer
    assert "too small" in evaluate("test.number", 1).message


def test_unit_mistakes_are_named():
    assert "nats" in evaluate("test.number", 2 * math.log(2)).message
    assert "bits" in evaluate("test.nats", 1.0).message


def test_arrays_choices_bools():
    assert evaluate("test.array", [0.25, 0.75]).correct
    assert evaluate("test.array", [0.75, 0.25]).status == "incorrect"
    assert evaluate("test.array", [0.25, 0.75, 0]).status == "invalid"
    assert evaluate("test.choice", " Q ").correct
    assert evaluate("test.choice", "p").status == "incorrect"
    assert evaluate("test.choice", 3).status == "invalid"
    assert evaluate("test.bool", True).correct
    assert evaluate("test.bool", "yes").status == "invalid"


def test_unanswered_and_garbage():
    assert evaluate("test.number", ...).status == "unanswered"
    assert evaluate("test.number", None).status == "unanswered"
    assert evaluate("test.number", "two").status == "invalid"
    assert evaluate("test.number", float("nan")).status == "invalid"


def test_check_prints(capsys):
    check("test.number", 2)
    assert capsys.readouterr().out == "test.number: correct (bits).\n"
    check("test.number", ...)
    assert "not yet answered" in capsys.readouterr().out


def test_unknown_names_suggest_close_ones():
    with pytest.raises(ValueError, match=r"no exercise called 'test.numbr'.*'test.number'"):
        get("test.numbr")


def test_duplicate_registration_is_an_error():
    with pytest.raises(ValueError, match="registered twice"):
        register("test.number", answer=lambda: 1, hint="")
