"""The browser tests' own helpers that need no browser: reading numbers and kernel errors.

These run in every test run (they are not marked ``e2e``).
"""

from __future__ import annotations

import json
import math
import struct

import pytest
from e2e_lab import E2EError, _errors_in_frame, env_flag, parse_shown_number


@pytest.mark.parametrize("text, number, unit", [
    ("0.8813 bits", 0.8813, "bits"),
    ("1.0000 bits/flip", 1.0, "bits/flip"),
    ("-0.0290 nats", -0.029, "nats"),
    ("\u22120.5000 bits", -0.5, "bits"),       # a typographic minus
    ("0.5440", 0.544, ""),
])
def test_parse_shown_number(text, number, unit):
    assert parse_shown_number(text) == (number, unit)


def test_parse_shown_number_infinity_and_garbage():
    value, unit = parse_shown_number("∞ bits")
    assert math.isinf(value) and value > 0 and unit == "bits"
    with pytest.raises(E2EError, match="cannot read a number"):
        parse_shown_number("undefined (both directions are infinite)")


def _v1_frame(channel: str, header: dict, parent: dict, content: dict) -> bytes:
    """A kernel message in Jupyter's binary websocket protocol v1 (offsets, then parts)."""
    parts = [channel.encode()] + [json.dumps(x).encode() for x in (header, parent, {}, content)]
    n = len(parts)
    offsets, pos = [], 8 * (n + 2)
    for part in parts:
        offsets.append(pos)
        pos += len(part)
    offsets.append(pos)
    return struct.pack(f"<{n + 2}Q", n + 1, *offsets) + b"".join(parts)


def test_kernel_error_read_from_a_binary_frame():
    frame = _v1_frame("iopub", {"msg_type": "error", "msg_id": "a"},
                      {"msg_type": "comm_msg", "msg_id": "b"},
                      {"ename": "ZeroDivisionError", "evalue": "division by zero",
                       "traceback": ["\u001b[31mZeroDivisionError\u001b[39m: {odd} braces"]})
    [(_, parent, ename, evalue)] = _errors_in_frame(frame)
    assert (parent, ename, evalue) == ("comm_msg", "ZeroDivisionError", "division by zero")


def test_kernel_error_read_from_a_json_frame():
    frame = json.dumps({"channel": "iopub", "header": {"msg_type": "error"},
                        "parent_header": {"msg_type": "execute_request"}, "metadata": {},
                        "content": {"ename": "ValueError", "evalue": "bad", "traceback": []}})
    [(_, parent, ename, evalue)] = _errors_in_frame(frame.encode())
    assert (parent, ename, evalue) == ("execute_request", "ValueError", "bad")


def test_other_messages_are_not_errors():
    stream = _v1_frame("iopub", {"msg_type": "stream"}, {"msg_type": "execute_request"},
                       {"name": "stderr", "text": "ename evalue"})
    assert _errors_in_frame(stream) == []


@pytest.mark.parametrize("value, expected", [("", False), ("0", False), ("false", False),
                                             ("no", False), ("true", True), ("1", True)])
def test_env_flag(monkeypatch, value, expected):
    monkeypatch.setenv("KLCOURSE_TEST_FLAG", value)
    assert env_flag("KLCOURSE_TEST_FLAG") is expected


def test_every_explorer_check_names_a_course_notebook():
    from pathlib import Path

    from explorer_checks import EXPLORER_CHECKS

    notebooks = {p.stem for p in (Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb")}
    stale = sorted(set(EXPLORER_CHECKS) - notebooks)
    assert not stale, f"tests/e2e/explorer_checks.py has entries for missing notebooks: {stale}"
