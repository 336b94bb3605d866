"""rel graph: one person's (or a tag's) interactions per month or week against the cadence
(REL_TODAY is 2026-03-01)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rel.services.rhythm import count_by_period, expected_per_period, period_bounds, sparkline


def test_months_and_weeks_end_where_the_calendar_does() -> None:
    months = period_bounds(date(2026, 3, 1), 3, "month")
    assert [(s.isoformat(), e.isoformat(), label) for s, e, label in months] == [
        ("2026-01-01", "2026-01-31", "2026-01"),
        ("2026-02-01", "2026-02-28", "2026-02"),
        ("2026-03-01", "2026-03-31", "2026-03"),
    ]
    weeks = period_bounds(date(2026, 3, 1), 1, "week")  # a Sunday
    assert weeks[0][0] == date(2026, 2, 2) and weeks[-1][0] == date(2026, 2, 23)
    assert all(start.weekday() == 0 and end - start == timedelta(6) for start, end, _ in weeks)
    leap = period_bounds(date(2028, 3, 15), 2, "month")
    assert leap[0][1] == date(2028, 2, 29)


def test_each_day_counts_in_its_own_period() -> None:
    bounds = period_bounds(date(2026, 3, 1), 2, "month")
    days = [date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 28), date(2025, 12, 31)]
    assert [p.count for p in count_by_period(days, bounds)] == [2, 0]  # February, March


def test_what_a_cadence_asks_for_and_the_sparkline() -> None:
    assert expected_per_period([14], "month") == 2.17
    assert expected_per_period([14], "week") == 0.5
    assert expected_per_period([7, 30], "month") == round(365.25 / 12 / 7 + 365.25 / 12 / 30, 2)
    assert expected_per_period([], "month") is None
    assert sparkline([0, 1, 2, 4, 0]) == "▁▃▅█▁"
    assert sparkline([0, 0]) == "▁▁"


def test_a_person_by_month_with_the_cadence_mark(rel, rel_json) -> None:
    rel("add", "Alice", "--every", "2w", ok=True)
    for day in ("2026-01-05", "2026-01-31", "2026-02-01", "2026-02-27", "2025-02-01"):
        rel("log", "alice", "call", "--on", day, ok=True)
    graph = rel_json("graph", "alice", "--months", "3")
    assert graph["subject"] == "Alice (#1)" and graph["by"] == "month"
    assert graph["cadence"] == "the cadence every 2 weeks"
    assert graph["expected_per_period"] == 2.17
    assert [(p["label"], p["count"]) for p in graph["periods"]] == [
        ("2026-01", 2),
        ("2026-02", 2),
        ("2026-03", 0),
    ]
    assert graph["total"] == 4
    result = rel("graph", "alice", "--months", "3", ok=True)
    assert result.stderr == (
        "Alice (#1): 4 interactions by month; the cadence every 2 weeks: about 2.17 a month"
        " (the mark |).\n"
    )
    assert result.stdout.splitlines() == [
        "month    interactions  n",
        "2026-01  ######## |    2",
        "2026-02  ######## |    2",
        "2026-03           |    0",
    ]


def test_a_tag_counts_each_interaction_once_and_leaves_out_the_archived(rel, rel_json) -> None:
    rel("add", "Alice", "--tag", "customer", "--every", "1w", ok=True)
    rel("add", "Bob", "--tag", "customer", ok=True)
    rel("add", "Cy", "--tag", "customer", "--every", "1w", ok=True)
    rel("log", "alice", "lunch", "--with", "bob", "--on", "2026-02-24", ok=True)
    rel("log", "bob", "call", "--on", "2026-02-25", ok=True)
    rel("log", "cy", "call", "--on", "2026-02-26", ok=True)
    rel("archive", "cy", ok=True)
    graph = rel_json("graph", "--tag", "customer", "--months", "1", "--by", "week")
    assert graph["subject"] == "tag customer (2 contacts)"
    assert graph["expected_per_period"] == 1.0  # Alice's weekly cadence; Bob has none
    assert graph["periods"][-1] == {
        "label": "2026-02-23",
        "start": "2026-02-23",
        "end": "2026-03-01",
        "count": 2,
    }


def test_bad_requests_are_one_line(rel) -> None:
    rel("add", "Alice", ok=True)
    for args, expected in (
        (["graph"], "expected a person (rel graph alice) or a tag"),
        (["graph", "alice", "--tag", "x"], "expected a person (rel graph alice) or a tag"),
        (["graph", "alice", "--by", "day"], "expected --by month or week; got 'day'"),
        (["graph", "alice", "--months", "0"], "expected --months from 1 to 120; got 0"),
        (["graph", "--tag", "nope"], "no tag is named 'nope'"),
        (["graph", "zed"], "no contact matches 'zed'"),
    ):
        result = rel(*args)
        assert result.exit_code == 1, args
        assert expected in result.stderr and result.stderr.count("\n") == 1


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    logs=st.lists(
        st.tuples(st.integers(0, 420), st.sets(st.integers(0, 2), min_size=1)), max_size=8
    ),
    by=st.sampled_from(["month", "week"]),
    months=st.integers(1, 14),
)
def test_the_graph_counts_what_the_export_holds(rel, tmp_path_factory, logs, by, months) -> None:
    db = str(tmp_path_factory.mktemp("graph") / "rel.db")
    names = ["Ann", "Bo", "Cy"]
    for name in names:
        rel("--db", db, "add", name, ok=True)
    for days_ago, people in logs:
        who = [names[i] for i in sorted(people)]
        on = (date(2026, 3, 1) - timedelta(days=days_ago)).isoformat()
        extra = [arg for other in who[1:] for arg in ("--with", other)]
        rel("--db", db, "log", who[0], "call", "--on", on, *extra, ok=True)
    exported = json.loads(rel("--db", db, "export", "json", ok=True).stdout)
    graph = json.loads(
        rel("--db", db, "graph", "ann", "--by", by, "--months", str(months), "--json").stdout
    )
    ann = next(c["id"] for c in exported["contacts"] if c["name"] == "Ann")
    days = [date.fromisoformat(i["date"]) for i in exported["interactions"] if ann in i["with"]]
    for period in graph["periods"]:
        start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
        assert period["count"] == sum(start <= day <= end for day in days)
    first = date.fromisoformat(graph["periods"][0]["start"])
    assert graph["total"] == sum(first <= day for day in days)


def test_show_has_the_rhythm_line_of_the_last_twelve_months(rel, rel_json) -> None:
    rel("add", "Alice", "--every", "2w", ok=True)
    assert "rhythm" not in rel("show", "alice", ok=True).stdout  # nothing logged: no line
    for day in ("2025-04-03", "2025-04-20", "2025-09-09", "2025-09-10", "2025-09-30", "2026-02-27"):
        rel("log", "alice", "call", "--on", day, ok=True)
    rel("log", "alice", "call", "--on", "2025-03-31", ok=True)  # 13 months back: not counted
    shown = rel("show", "alice", ok=True).stdout
    assert "  rhythm   ▆▁▁▁▁█▁▁▁▁▃▁  by month, 2025-04 to 2026-03 (rel graph shows it)" in shown
    rhythm = rel_json("show", "alice")["rhythm"]
    assert [p["count"] for p in rhythm] == [2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1, 0]
    assert rhythm[0]["month"] == "2025-04" and rhythm[-1]["month"] == "2026-03"
    assert rhythm == [
        {"month": p["label"], "count": p["count"]}
        for p in rel_json("graph", "alice", "--months", "12")["periods"]
    ]
