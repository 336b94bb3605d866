"""rel triage: a cadence for everyone without one, from their observed rhythm (REL_TODAY is
2026-03-01). The interactive walk is driven through a pseudo-terminal, as a person types."""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta

import pytest

from rel.services.triage import human_cadence, median_gap


@pytest.mark.parametrize(
    ("gap", "cadence"),
    [(1, "1w"), (7, "1w"), (9, "1w"), (11, "2w"), (14, "2w"), (25, "1m"), (30, "1m"),
     (38, "6w"), (60, "6w"), (70, "3m"), (91, "3m"), (150, "6m"), (240, "6m"), (270, "1y"),
     (300, "1y"), (365, "1y"), (548, "1y"), (549, None), (2000, None)],
)  # fmt: skip
def test_a_gap_rounds_to_the_nearest_human_cadence(gap: int, cadence: str | None) -> None:
    assert human_cadence(gap) == cadence


def test_the_median_gap_is_over_distinct_days() -> None:
    day = date(2026, 1, 1)
    assert median_gap([]) is None and median_gap([day, day]) is None
    days = [day, day + timedelta(7), day + timedelta(7), day + timedelta(14), day + timedelta(60)]
    assert median_gap(days) == 7.0


@pytest.fixture
def network(rel) -> None:
    """Alice weekly, Bob monthly, Carol once, Dave never; Erin has a cadence already."""
    for name in ("Alice Chen", "Bob Stone", "Carol Diaz", "Dave Eng"):
        rel("add", name, ok=True)
    rel("add", "Erin Cole", "--every", "3m", ok=True)
    start = date(2025, 12, 1)
    for week in range(12):
        rel("log", "alice", "call", "--on", (start + timedelta(7 * week)).isoformat(), ok=True)
    for month in (9, 10, 11, 12):
        rel("log", "bob", "email", "--on", f"2025-{month:02d}-03", ok=True)
    rel("log", "carol", "coffee", "--on", "2026-02-01", ok=True)
    rel("log", "erin", "call", "--on", "2026-02-01", ok=True)


def test_suggest_lists_proposals_most_corresponded_first(rel, network) -> None:
    result = rel("triage", "--suggest", ok=True)
    assert result.stdout.splitlines() == [
        "ID  CONTACT     INTERACTIONS  LAST        MEDIAN GAP  PROPOSED",
        "1   Alice Chen  12            2026-02-16  7d          1w",
        "2   Bob Stone   4             2025-12-03  30d         1m",
        "3   Carol Diaz  1             2026-02-01              none",
        "4   Dave Eng    0                                     none",
    ]


def test_suggest_json(rel_json, network) -> None:
    document = rel_json("triage", "--suggest")
    assert document[0] == {
        "id": 1, "name": "Alice Chen", "interactions": 12, "last": "2026-02-16",
        "median_gap_days": 7.0, "proposed": "1w",
    }  # fmt: skip
    assert [p["proposed"] for p in document] == ["1w", "1m", None, None]


def test_accept_applies_the_proposals_in_bulk_and_says_what_it_set(rel, rel_json, network) -> None:
    result = rel("triage", "--accept", "--min-interactions", "5", ok=True)
    assert result.stdout.splitlines() == ["Alice Chen (#1): every 1w"]
    assert "set 1 cadence; 3 left without one" in result.stderr
    assert rel_json("show", "alice")["cadence"] == "1w"
    assert rel_json("show", "bob")["cadence"] is None
    result = rel("triage", "--accept", "--min-interactions", "3", ok=True)
    assert result.stdout.splitlines() == ["Bob Stone (#2): every 1m"]
    assert [p["name"] for p in rel_json("triage", "--suggest")] == ["Carol Diaz", "Dave Eng"]
    assert "Bob Stone" in rel("due", "--days", "0", ok=True).stdout  # due since 3 January
    assert rel("undo", ok=True).exit_code == 0
    assert rel_json("show", "bob")["cadence"] is None


def test_accept_needs_at_least_two_interactions(rel, network) -> None:
    result = rel("triage", "--accept", "--min-interactions", "1")
    assert result.exit_code == 1 and "expected --min-interactions of 2 or more" in result.stderr


def test_the_walk_is_refused_without_a_terminal_with_a_hint(rel, network) -> None:
    result = rel("triage")
    assert result.exit_code == 1
    assert "needs a terminal" in result.stderr and "rel triage --suggest" in result.stderr


def _spawn(*args: str):
    pexpect = pytest.importorskip("pexpect")
    return pexpect.spawn(
        sys.executable, ["-m", "rel", *args], env={**os.environ, "COLUMNS": "100"},
        encoding="utf-8", timeout=60,
    )  # fmt: skip


def test_the_walk_takes_one_key_per_decision_and_saves_each(rel, rel_json, network) -> None:
    child = _spawn("triage")
    child.expect_exact("[1/4] Alice Chen (#1): 12 interactions, last 2026-02-16 (13 days ago)")
    child.expect_exact("rhythm: every 7 days (median gap); proposed: 1w")
    child.send("a")
    child.expect_exact("Alice Chen: every 1w")
    child.expect_exact("[2/4] Bob Stone")
    child.send("c")
    child.expect_exact("cadence (1w, 2w, 1m, 6w, 3m, 6m, 1y or any DUR)")
    child.sendline("2w")
    child.expect_exact("Bob Stone: every 2w")
    child.expect_exact("[3/4] Carol Diaz")
    child.expect_exact("2026-02-01  coffee")
    child.send("z")  # not a choice: the choices again
    child.expect_exact("[a]ccept")
    child.send("t")
    child.expect_exact("tag")
    child.sendline("friend")
    child.expect_exact("Carol Diaz: tagged friend")
    child.expect_exact("[4/4] Dave Eng")
    child.send("x")
    child.expect_exact("triage: 2 cadences set, 1 tagged, 1 archived, 0 skipped")
    child.expect(pytest.importorskip("pexpect").EOF)
    child.close()
    assert child.exitstatus == 0
    assert rel_json("show", "alice")["cadence"] == "1w"
    assert rel_json("show", "bob")["cadence"] == "2w"
    assert rel_json("show", "carol")["tags"] == ["friend"]
    assert rel_json("show", "dave")["archived"] is True
    rel("undo", ok=True)  # the last decision only
    assert rel_json("show", "dave")["archived"] is False
    assert rel_json("show", "carol")["tags"] == ["friend"]


def test_quitting_keeps_the_decisions_made(rel, rel_json, network) -> None:
    child = _spawn("triage")
    child.expect_exact("[1/4] Alice Chen")
    child.send("s")
    child.expect_exact("skipped")
    child.expect_exact("[2/4] Bob Stone")
    child.send("a")
    child.expect_exact("Bob Stone: every 1m")
    child.expect_exact("[3/4] Carol Diaz")
    child.send("a")  # no rhythm to accept: asked for one
    child.expect_exact("no rhythm to propose: choose one")
    child.sendline("every 2 months")
    child.expect_exact("Carol Diaz: every 2m")
    child.expect_exact("[4/4] Dave Eng")
    child.send("o")
    child.expect_exact("Dave Eng")
    child.expect_exact("[a]ccept")
    child.send("q")
    child.expect_exact("triage: 2 cadences set, 0 tagged, 0 archived, 1 skipped")
    child.expect(pytest.importorskip("pexpect").EOF)
    child.close()
    assert rel_json("show", "bob")["cadence"] == "1m"
    assert rel_json("show", "alice")["cadence"] is None
    assert [p["name"] for p in rel_json("triage", "--suggest")] == ["Alice Chen", "Dave Eng"]
