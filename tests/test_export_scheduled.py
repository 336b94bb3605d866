"""rel's JSON keeps the scheduled part too: events, touchpoints with their history, gifts,
snoozes; export, import into an empty store, export again gives the same document."""

from __future__ import annotations

import json
from pathlib import Path


def build(rel) -> None:
    rel("add", "Alice", "--birthday", "1990-03-11", "--every", "2w", ok=True)
    rel("add", "Bob", ok=True)
    rel("log", "alice", "lunch", "--with", "bob", "--follow-up", "2w: send the deck", ok=True)
    rel("remind", "bob", "month-end report", "--on", "today", "--every",
        "FREQ=MONTHLY;BYMONTHDAY=-1", "--lead", "3d", ok=True)  # fmt: skip
    rel("--today", "2026-03-31", "done", "t2", "sent", ok=True)
    rel("event", "alice", "wedding", "to Sam", "--on", "2015-03-05", ok=True)
    rel("gift", "alice", "gave", "a scarf", "--on", "2025-03-11", "--cost", "30 EUR", ok=True)
    rel("gift", "alice", "idea", "a book on sailing", "--lead", "14d", ok=True)
    rel("snooze", "t1", "friday", ok=True)
    rel("snooze", "b1", "in 3 days", ok=True)


def test_the_scheduled_part_round_trips_exactly(rel, tmp_path: Path) -> None:
    build(rel)
    exported = rel("export", "json", ok=True).stdout
    document = json.loads(exported)
    kinds = [t["kind"] for t in document["touchpoints"]]  # in the order they start
    assert kinds == ["anniversary", "custom", "follow-up"]
    [report] = [t for t in document["touchpoints"] if t["kind"] == "custom"]
    assert report["due"] == "2026-04-30"
    assert report["completions"] == [
        {"occurrence": "2026-03-31", "date": "2026-03-31", "action": "done", "note": "sent"}
    ]
    assert document["touchpoints"][2]["interaction"] == 1  # the lunch that promised it
    assert document["snoozes"] == [  # the store's own keys: t1 is the follow-up
        {"key": "b1", "until": "2026-03-04"},
        {"key": "t1", "until": "2026-03-06"},
    ]
    path = tmp_path / "network.json"
    path.write_text(exported, encoding="utf-8")
    copy = str(tmp_path / "copy.db")
    imported = rel("--db", copy, "import", "json", str(path), ok=True)
    assert "3 touchpoints added" in imported.stderr and "2 gifts added" in imported.stderr
    assert rel("--db", copy, "export", "json", ok=True).stdout == exported
    again = rel("--db", copy, "import", "json", str(path), ok=True)
    assert "touchpoints added" not in again.stderr and "gifts added" not in again.stderr
    assert rel("--db", copy, "export", "json", ok=True).stdout == exported

    def agenda(*db: str) -> list:  # a restore into an empty store keeps every key
        document = json.loads(rel(*db, "due", "--json", "--days", "60", ok=True).stdout)
        return [row for name in ("overdue", "today", "upcoming") for row in document[name]]

    assert len(agenda()) >= 4
    assert agenda("--db", copy) == agenda()


def test_a_bad_scheduled_record_is_reported_and_skipped(rel, tmp_path: Path) -> None:
    document = {
        "format": "rel",
        "version": 1,
        "contacts": [{"id": 1, "name": "Ann"}],
        "touchpoints": [
            {"id": 1, "contact": 1, "kind": "custom", "text": "ok", "start": "2026-03-01",
             "due": "2026-03-31", "rule": "FREQ=MONTHLY;BYMONTHDAY=-1"},
            {"id": 2, "contact": 1, "kind": "custom", "text": "bad rule", "start": "2026-03-01",
             "due": "2026-03-01", "rule": "FREQ=SOMETIMES"},
            {"id": 3, "contact": 9, "kind": "custom", "text": "nobody", "start": "2026-03-01",
             "due": "2026-03-01"},
        ],
    }  # fmt: skip
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = rel("import", "json", str(path), ok=True)
    assert "1 touchpoints added" in result.stderr
    assert "touchpoints[1]" in result.stderr
    assert "expected FREQ=DAILY, WEEKLY, MONTHLY or YEARLY" in result.stderr
    assert "touchpoints[2]" in result.stderr and "no contact imported has the id 9" in result.stderr


def test_the_calendar_has_the_touchpoints_with_their_rules(rel) -> None:
    from datetime import date, datetime

    from dateutil.rrule import rrulestr
    from icalendar import Calendar

    rel("add", "Bob", ok=True)
    rel("remind", "bob", "month-end report", "--on", "today", "--every",
        "FREQ=MONTHLY;BYMONTHDAY=-1", ok=True)  # fmt: skip
    rel("remind", "bob", "three calls", "--on", "today", "--every",
        "FREQ=WEEKLY;BYDAY=TU;COUNT=3", ok=True)  # fmt: skip
    rel("--today", "2026-03-03", "done", "t2", ok=True)  # one of three done
    calendar = Calendar.from_ical(rel("export", "ics", ok=True).stdout)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    report = events["Bob: month-end report"]
    start = report.decoded("dtstart")
    assert start == date(2026, 3, 31)
    rule = rrulestr(
        report["rrule"].to_ical().decode(), dtstart=datetime.combine(start, datetime.min.time())
    )
    assert [d.date().isoformat() for d in rule[:3]] == ["2026-03-31", "2026-04-30", "2026-05-31"]
    calls = events["Bob: three calls"]
    start = calls.decoded("dtstart")
    rule = rrulestr(
        calls["rrule"].to_ical().decode(), dtstart=datetime.combine(start, datetime.min.time())
    )
    assert [d.date().isoformat() for d in rule] == ["2026-03-10", "2026-03-17"]
