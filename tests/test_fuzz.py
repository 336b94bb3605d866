"""Hostile input: whatever is typed, rel answers with exit 0, 1 or 2 and never a traceback,
and the store stays whole."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rel.core.touchpoints import parse_follow_up, parse_key
from rel.dates import (
    parse_birthday,
    parse_cadence,
    parse_duration,
    parse_rule,
    parse_time,
    parse_when,
)
from rel.errors import BadValue

TODAY = date(2026, 3, 1)
# text people (and attackers) type: any unicode, control characters, digits, date-like words
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x20), max_size=10),
    st.from_regex(r"-?\d{1,12}([-/ ]\d{1,12}){0,2}", fullmatch=True),
    st.from_regex(
        r"(in |every |last |next )?\d{0,9} ?(d|w|m|y|days|weeks|months|years|ago)?", fullmatch=True
    ),
    st.from_regex(r"FREQ=[A-Z]{0,8}(;[A-Z]{2,9}=-?[0-9A-Z,]{0,12}){0,4}", fullmatch=True),
    st.sampled_from(["99999-01-01", "0000-00-00", "feb 30", "--0230", "in 1e9 days", "∞", "\x00"]),
)
PARSERS = [
    lambda text: parse_when(text, TODAY, past=True),
    lambda text: parse_when(text, TODAY, past=False),
    parse_duration,
    parse_cadence,
    parse_birthday,
    parse_time,
    parse_key,
    lambda text: parse_rule(text, TODAY),
    lambda text: parse_follow_up(text, TODAY),
]


@settings(max_examples=300, deadline=None)
@given(text=HOSTILE, which=st.integers(min_value=0, max_value=len(PARSERS) - 1))
def test_parsers_accept_or_say_what_was_expected(text: str, which: int) -> None:
    try:
        PARSERS[which](text)
    except BadValue as error:
        assert error.message and "\n" not in error.message


ARGUMENT = st.one_of(HOSTILE, st.sampled_from(["alice", "--on", "--every", "--json", "c1", "t1"]))
COMMANDS = st.sampled_from(
    [
        ["add"], ["log", "alice"], ["log"], ["due"], ["show"], ["edit", "alice"],
        ["remind", "alice"], ["snooze"], ["skip"], ["done"], ["event", "alice"],
        ["gift", "alice"], ["why"], ["list"], ["tag"], ["add", "Bob", "--every"],
        ["add", "Bob", "--birthday"], ["log", "alice", "call", "--on"],
        ["remind", "alice", "x", "--on", "friday", "--every"], ["due", "--days"], ["--today"],
    ]
)  # fmt: skip


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(command=COMMANDS, arguments=st.lists(ARGUMENT, max_size=3))
def test_any_command_line_exits_0_1_or_2_without_a_traceback(
    rel, store_path: Path, command: list[str], arguments: list[str]
) -> None:
    if not store_path.exists():
        rel("add", "Alice Chen", "--every", "2w", "--birthday", "03-14", ok=True)
        rel("remind", "alice", "send the deck", "--on", "friday", ok=True)
    result = rel(*command, *arguments)  # an exception other than SystemExit fails here
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.stderr + result.stdout
    if result.exit_code == 1:
        assert len(result.stderr.strip().splitlines()) == 1
    with sqlite3.connect(store_path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()


@pytest.mark.slow
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
        min_size=1,
        max_size=60,
    ).filter(lambda n: n.strip() and " ".join(n.split()) == n and not n.strip("#").isdigit()),
    note=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
)
def test_names_and_notes_round_trip_unchanged(rel, rel_json, name: str, note: str) -> None:
    result = rel("add", "--", name)  # "--": a name may start with "-", as on any command line
    assert result.exit_code == 0, result.stderr
    contact_id = result.stdout.strip()
    profile = rel_json("show", contact_id)
    assert profile["name"] == name
    logged = rel("log", contact_id, "note", "--", note)
    assert logged.exit_code in (0, 1)  # 1: a control character in the note, said in one line
    if logged.exit_code == 0:
        [entry] = rel_json("show", contact_id)["timeline"]
        assert entry["note"] == (note.strip() or None)
    rel("rm", contact_id, "--yes", ok=True)


def test_a_huge_note_is_refused_in_one_line(rel, store_path: Path) -> None:
    rel("add", "Alice", ok=True)
    before = store_path.read_bytes()
    result = rel("log", "alice", "note", "x" * 1_000_000)
    assert result.exit_code == 1
    assert "at most 100,000 characters" in result.stderr
    assert store_path.read_bytes() == before
