"""Any RULE a person types: accepted and then done, skipped, shown and exported, or refused in
one line — never a hang, never "unexpected", never a damaged store."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SECONDS = 20  # far more than any command needs; a hang is caught, not waited out


@contextmanager
def time_bound(seconds: int = SECONDS) -> Iterator[None]:
    def hang(_signum, _frame):
        raise TimeoutError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


PARTS = st.one_of(
    st.sampled_from(
        [
            *("FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "FREQ=HOURLY"),
            *("FREQ=MINUTELY", "FREQ=SECONDLY", "FREQ=FORTNIGHTLY", "FREQ="),
        ]
    ),
    st.integers(-3, 400).map(lambda n: f"INTERVAL={n}"),
    st.integers(-1, 5).map(lambda n: f"COUNT={n}"),
    st.sampled_from(["UNTIL=20260306", "UNTIL=20200101", "UNTIL=99991231", "UNTIL=2026"]),
    st.tuples(st.integers(-60, 60), st.sampled_from(["MO", "FR", "SU", "XX"])).map(
        lambda t: f"BYDAY={t[0] if t[0] else ''}{t[1]}"
    ),
    st.integers(-40, 40).map(lambda n: f"BYMONTHDAY={n}"),
    st.integers(-2, 14).map(lambda n: f"BYMONTH={n}"),
    st.integers(-400, 400).map(lambda n: f"BYSETPOS={n}"),
    st.integers(-60, 60).map(lambda n: f"BYWEEKNO={n}"),
    st.sampled_from(["", "WKST=MO", "X-NAME=1", "BYHOUR=9", "=", ";"]),
)
RULES = st.lists(PARTS, min_size=1, max_size=5).map(";".join) | st.sampled_from(
    ["monthly", "3w", "every 2 weeks", "monthly on the 31st", "yearly", "0d", "-1w"]
)


def check(result) -> None:
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    assert "unexpected" not in result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 1:
        assert result.stderr.count("\n") == 1, result.stderr


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rule=RULES)
@pytest.mark.sqlite_only  # a file of its own per rule
def test_every_rule_is_accepted_and_usable_or_refused_in_one_line(rel, tmp_path_factory, rule):
    db = tmp_path_factory.mktemp("rules") / "rel.db"
    rel("--db", str(db), "add", "Alice", ok=True)
    with time_bound():
        made = rel("--db", str(db), "remind", "alice", "x", "--on", "2026-03-05", "--every", rule)
        check(made)
        if made.exit_code == 0:
            for command in (
                ["due", "--days", "400", "--json"],
                ["done", "t1"],
                ["skip", "t1"],
                ["--today", "2030-01-01", "due"],
                ["why", "alice"],
                ["export", "ics"],
                ["export", "json"],
            ):
                check(rel("--db", str(db), *command))
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()


HUNG_OR_CRASHED = [
    "FREQ=DAILY;INTERVAL=0",
    "FREQ=DAILY;INTERVAL=-1",
    "FREQ=MONTHLY;BYDAY=+53MO",
    "FREQ=MONTHLY;BYMONTHDAY=0",
    "FREQ=DAILY;FREQ=WEEKLY",
    "FREQ=DAILY;",
    "FREQ=SECONDLY",
    "FREQ=HOURLY",
    "FREQ=MINUTELY",
    "FREQ=DAILY;COUNT=0",
    "FREQ=DAILY;UNTIL=20260301",
]


def test_rules_that_hung_or_crashed_are_refused_in_one_line(rel, store) -> None:
    rel("add", "Alice", ok=True)
    before = store.state()
    for rule in HUNG_OR_CRASHED:
        with time_bound():
            made = rel("remind", "alice", "x", "--on", "2026-03-05", "--every", rule)
        assert made.exit_code == 1, (rule, made.stderr)
        assert made.stderr.startswith("error: ") and made.stderr.count("\n") == 1, made.stderr
    assert store.state() == before


def test_the_installed_rel_refuses_the_rules_that_hung_it(tmp_path: Path) -> None:
    """As a person runs it: a real process, bounded by a timeout (a hang fails the test)."""
    db = tmp_path / "rel.db"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "rel", "--db", str(db), "--today", "2026-03-05", *args],
            capture_output=True,
            text=True,
            timeout=SECONDS,
        )

    assert run("add", "Alice").returncode == 0
    before = db.read_bytes()
    for rule in ("FREQ=DAILY;INTERVAL=0", "FREQ=MONTHLY;BYDAY=+53MO", "FREQ=DAILY;"):
        made = run("remind", "alice", "x", "--on", "2026-03-05", "--every", rule)
        assert made.returncode == 1, (rule, made.stderr)
        assert made.stderr.startswith("error: ") and made.stderr.count("\n") == 1, made.stderr
        assert "unexpected" not in made.stderr
    assert db.read_bytes() == before
