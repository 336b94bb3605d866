"""Hostile dates, durations and rules: each is refused in one line (exit 1, the store as it
was) or read as the command means, on every path it can come in (REL_TODAY is 2026-03-01)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest


def refused(result, *echo: str) -> str:
    """One line on stderr, exit 1; the message echoes what was typed."""
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    for text in echo:
        assert repr(text) in result.stderr, result.stderr
    return result.stderr


def scheduled(rel, who: str) -> dict[str, dict]:
    profile = json.loads(rel("show", who, "--json", ok=True).stdout)
    return {item["key"]: item for item in profile["scheduled"]}


def agenda(rel, *args: str) -> list[dict]:
    document = json.loads(rel(*args, "due", "--json", ok=True).stdout)
    return [row for section in ("overdue", "today", "upcoming") for row in document[section]]


def write_json(tmp_path: Path, **sections) -> str:
    path = tmp_path / "in.json"
    document = {"format": "rel", "version": 1, "contacts": [{"id": 1, "name": "Ann"}]}
    path.write_text(json.dumps({**document, **sections}), encoding="utf-8")
    return str(path)


# --- rules ---------------------------------------------------------------------------------

BAD_RULES = [
    ("FREQ=HOURLY", "FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
    ("FREQ=MINUTELY", "FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
    ("FREQ=SECONDLY", "FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
    ("FREQ=DAILY;COUNT=0", "COUNT from 1"),
    ("FREQ=DAILY;INTERVAL=0", "INTERVAL from 1"),
    ("FREQ=DAILY;INTERVAL=-1", "INTERVAL from 1"),
    ("FREQ=DAILY;UNTIL=20260228", "UNTIL not before the rule's start (2026-03-01)"),
    ("FREQ=MONTHLY;BYDAY=+53MO", "BYDAY number from -5 to 5"),
    ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY from -31 to 31 but not 0"),
    ("FREQ=DAILY;FREQ=WEEKLY", "each RRULE part once (FREQ is given twice)"),
    ("FREQ=DAILY;", "NAME=VALUE parts"),
    ("FREQ=DAILY;BYFOO=1", "RRULE parts among"),
    ("FREQ=DAILY;BYHOUR=9", "RRULE parts among"),
    ("FREQ=WEEKLY;BYDAY=2MO", "BYDAY without a number"),
    ("FREQ=DAILY;UNTIL=99991231", "a year from 1900 to 2199"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "has no date in the 10 years"),
]


@pytest.mark.parametrize(("rule", "says"), BAD_RULES)
def test_a_rule_that_cannot_be_kept_is_refused_by_remind(rel, rule: str, says: str) -> None:
    rel("add", "Alice", ok=True)
    message = refused(rel("remind", "alice", "x", "--on", "today", "--every", rule), rule)
    assert says in message
    assert scheduled(rel, "alice") == {}


@pytest.mark.parametrize(("rule", "says"), BAD_RULES[:11])
def test_the_same_rules_are_refused_by_a_json_import(rel, tmp_path, rule: str, says: str) -> None:
    touchpoint = {"id": 1, "contact": 1, "kind": "custom", "text": "x", "start": "2026-03-01",
                  "due": "2026-03-01", "rule": rule}  # fmt: skip
    result = rel("import", "json", write_json(tmp_path, touchpoints=[touchpoint]), ok=True)
    assert "touchpoints[0]: skipped" in result.stderr and says in result.stderr
    assert scheduled(rel, "ann") == {}


def test_a_rule_with_a_count_that_never_comes_up_is_refused_quickly(rel) -> None:
    rel("add", "Alice", ok=True)
    started = time.monotonic()
    result = rel("remind", "alice", "x", "--on", "today",
                 "--every", "FREQ=DAILY;COUNT=5;BYMONTH=2;BYMONTHDAY=30")  # fmt: skip
    assert "has no date in the 10 years" in refused(result)
    assert time.monotonic() - started < 10


def test_a_stored_rule_an_older_rel_accepted_is_closed_not_spun_on(rel, store) -> None:
    rel("add", "Alice", ok=True)
    rel("remind", "alice", "x", "--on", "today", "--every", "daily", ok=True)
    store.execute("UPDATE touchpoint SET rule = 'FREQ=DAILY;INTERVAL=0'")
    started = time.monotonic()
    rel("done", "t1", ok=True)
    assert time.monotonic() - started < 10
    assert scheduled(rel, "alice") == {}


def test_until_ends_a_reminder_after_its_last_day(rel) -> None:
    rel("add", "Alice", ok=True)
    rel("--today", "2026-03-05", "remind", "alice", "x", "--on", "today",
        "--every", "FREQ=DAILY;UNTIL=20260306", ok=True)  # fmt: skip
    rel("--today", "2026-03-05", "skip", "t1", ok=True)
    rel("--today", "2026-03-06", "done", "t1", ok=True)
    assert scheduled(rel, "alice") == {}
    assert all(row["key"] != "t1" for row in agenda(rel, "--today", "2026-03-07"))


# --- the range of dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("add", "Bob", "--birthday", "9999-12-31"),
        ("add", "Bob", "--birthday", "1799-12-31"),
        ("remind", "alice", "x", "--on", "9999-12-31"),
        ("--today", "2150-01-01", "remind", "alice", "x", "--on", "in 100 years"),
        ("log", "alice", "call", "--on", "1899-12-31"),
        ("snooze", "c1", "9999-12-31"),
        ("event", "alice", "move", "--on", "0001-01-01"),
        ("--today", "9999-12-30", "due"),
        ("--today", "0001-01-01", "stats"),
        ("--today", "2200-01-01", "drift"),
    ],
)
def test_dates_outside_the_years_rel_accepts_are_refused(rel, args) -> None:
    rel("add", "Alice", "--every", "1w", ok=True)
    before = rel("export", "json", ok=True).stdout
    message = refused(rel(*args))
    assert "1900 to 2199" in message or "1800 to 2199" in message
    assert rel("export", "json", ok=True).stdout == before


def test_rel_today_from_the_environment_is_checked_too(rel, monkeypatch) -> None:
    monkeypatch.setenv("REL_TODAY", "9999-12-30")
    assert "'9999-12-30'" in refused(rel("due"))


def test_imported_dates_outside_the_range_are_left_out_and_the_calendar_still_exports(
    rel, tmp_path
) -> None:
    cards = tmp_path / "far.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Far Future\r\nBDAY:9999-12-31\r\n"
        "ANNIVERSARY:9999-12-31\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    result = rel("import", "vcard", str(cards), ok=True)
    assert "birthday left out" in result.stderr and "1800 to 2199" in result.stderr
    people = tmp_path / "people.csv"
    people.write_text("Name,Birthday\nOld Timer,1700-01-01\n", encoding="utf-8")
    assert "1800 to 2199" in rel("import", "csv", str(people), ok=True).stderr
    interaction = {"with": [1], "date": "9999-12-31", "kind": "call"}
    touchpoint = {"id": 1, "contact": 1, "kind": "custom", "text": "x", "start": "2026-03-01",
                  "due": "9999-12-31"}  # fmt: skip
    gift = {"contact": 1, "direction": "idea", "text": "x", "date": "9999-12-31"}
    path = write_json(tmp_path, interactions=[interaction], touchpoints=[touchpoint], gifts=[gift])
    result = rel("import", "json", path, ok=True)
    for place in ("interactions[0]", "touchpoints[0]", "gifts[0]"):
        assert f"{place}: skipped" in result.stderr
    assert json.loads(rel("show", "ann", "--json", ok=True).stdout)["interactions"] == 0
    assert "BEGIN:VCALENDAR" in rel("export", "ics", ok=True).stdout
    rel("why", "far future", ok=True)


@pytest.mark.parametrize("today", ["1900-01-01", "2199-12-31"])
def test_every_computation_works_at_the_edges_of_the_range(rel, today: str) -> None:
    on = ("--today", today)
    rel(*on, "add", "Alice", "--every", "3w-6w", "--birthday", "12-31", "--tag", "friend", ok=True)
    rel(*on, "add", "Leap", "--birthday", "02-29", ok=True)
    rel(*on, "log", "alice", "call", ok=True)
    rel(*on, "remind", "alice", "x", "--on", "today", "--every", "monthly", "--lead", "1y",
        ok=True)  # fmt: skip
    rel(*on, "event", "alice", "wedding", ok=True)
    rel(*on, "gift", "alice", "idea", "a book", "--lead", "100d", ok=True)
    for command in (("due",), ("due", "--days", "3660"), ("why", "alice"), ("stats",),
                    ("drift",), ("show", "alice"), ("list",), ("export", "ics"),
                    ("export", "json"), ("done", "t1"), ("skip", "t2")):  # fmt: skip
        rel(*on, *command, ok=True)


# --- the past stays past -------------------------------------------------------------------


def test_a_birthday_after_today_is_refused(rel) -> None:
    assert "'2030-01-01'" in refused(rel("add", "Baby", "--birthday", "2030-01-01"))
    assert "'mar 2 2026'" in refused(rel("add", "Baby", "--birthday", "mar 2 2026"))
    rel("add", "Baby", "--birthday", "2026-03-01", ok=True)  # born today
    refused(rel("edit", "baby", "--birthday", "2027-01-01"))


@pytest.mark.parametrize("direction", ["gave", "got"])
def test_a_gift_given_or_received_cannot_be_in_the_future(rel, direction: str) -> None:
    rel("add", "Alice", ok=True)
    assert "'tomorrow'" in refused(rel("gift", "alice", direction, "a book", "--on", "tomorrow"))
    assert json.loads(rel("show", "alice", "--json", ok=True).stdout)["gifts"] == []
    rel("gift", "alice", "idea", "a book", "--on", "tomorrow", ok=True)


def test_a_linkedin_connection_dated_in_the_future_keeps_the_person_not_the_date(
    rel, tmp_path
) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Maren,Okafor,https://www.linkedin.com/in/maren,,Northwind,PM,09 Oct 2099\n"
        "Tomas,Ferreira,https://www.linkedin.com/in/tomas,,Contoso,Head,03 Jan 2022\n",
        encoding="utf-8",
    )
    result = rel("import", "linkedin", str(path), ok=True)
    assert "connected-on date 2099-10-09 left out: after today (2026-03-01)" in result.stderr
    maren = json.loads(rel("show", "maren", "--json", ok=True).stdout)
    assert maren["added_on"] <= "2026-03-01" and "2099" not in json.dumps(maren)
    tomas = json.loads(rel("show", "tomas", "--json", ok=True).stdout)
    assert tomas["added_on"] == "2022-01-03"


def test_a_json_contact_added_in_the_future_is_refused_by_its_place(rel, tmp_path) -> None:
    contacts = [{"id": 1, "name": "Ann", "added_on": "2099-01-01"},
                {"id": 2, "name": "Bea", "birthday": "2099-01-01"},
                {"id": 3, "name": "Cy", "added_on": "2025-01-01"}]  # fmt: skip
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": "rel", "version": 1, "contacts": contacts}))
    result = rel("import", "json", str(path), ok=True)
    assert "contacts[0]" in result.stderr and "'2099-01-01'" in result.stderr
    assert "contacts[1]" in result.stderr
    names = [c["name"] for c in json.loads(rel("list", "--json", ok=True).stdout)]
    assert names == ["Cy"]


def test_a_vcard_birthday_after_today_is_left_out_with_a_note(rel, tmp_path) -> None:
    cards = tmp_path / "soon.vcf"
    cards.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Not Born\r\nBDAY:2099-05-01\r\n"
                     "END:VCARD\r\n", encoding="utf-8")  # fmt: skip
    result = rel("import", "vcard", str(cards), ok=True)
    assert "birthday 2099-05-01 left out: after today" in result.stderr
    assert json.loads(rel("show", "not born", "--json", ok=True).stdout)["birthday"] is None


# --- a month-day without a year ------------------------------------------------------------


def test_a_month_day_resolves_by_what_the_field_means(rel) -> None:
    on = ("--today", "2026-12-01")
    rel(*on, "add", "Alice", ok=True)
    rel(*on, "log", "alice", "call", "--on", "dec 10", ok=True)  # happened: last December
    rel(*on, "gift", "alice", "gave", "a scarf", "--on", "dec 10", ok=True)
    rel(*on, "gift", "alice", "idea", "a book", "--on", "dec 10", ok=True)
    rel(*on, "remind", "alice", "call", "--on", "dec 10", ok=True)
    rel(*on, "event", "alice", "launch", "--on", "dec 10", ok=True)  # the nearer: ahead
    rel(*on, "event", "alice", "move", "--on", "nov 28", ok=True)  # the nearer: behind
    profile = json.loads(rel(*on, "show", "alice", "--json", ok=True).stdout)
    assert [i["date"] for i in profile["timeline"]] == ["2025-12-10"]
    assert sorted((g["direction"], g["date"]) for g in profile["gifts"]) == [
        ("gave", "2025-12-10"), ("idea", "2026-12-10"),
    ]  # fmt: skip
    dues = sorted(item["due"] for item in profile["scheduled"])
    # the move's congratulation counts from the day it is heard of (docs/agenda.md)
    assert dues == ["2026-12-01", "2026-12-10", "2026-12-10"]
    events = json.loads(rel(*on, "export", "json", ok=True).stdout)["events"]
    assert sorted((e["kind"], e["date"]) for e in events) == [
        ("launch", "2026-12-10"), ("move", "2026-11-28"),
    ]  # fmt: skip
    snoozed = rel(*on, "snooze", "t1", "dec 10", ok=True)
    assert "Thu Dec 10." in snoozed.stderr


# --- messages echo the whole value; empty is not none -------------------------------------


@pytest.mark.parametrize(
    ("args", "echo"),
    [
        (("add", "Bob", "--every", "-3w"), "-3w"),
        (("add", "Bob", "--every", "every -1 weeks"), "every -1 weeks"),
        (("add", "Bob", "--every", "3w-6w-9w"), "3w-6w-9w"),
        (("add", "Bob", "--every", "3w-"), "3w-"),
        (("add", "Bob", "--every", "3w-banana"), "3w-banana"),
        (("log", "alice", "call", "--follow-up", ": text"), ": text"),
        (("log", "alice", "call", "--follow-up", "banana: text"), "banana: text"),
        (("remind", "alice", "x", "--on", "today", "--every", ""), ""),
        (("remind", "alice", "x", "--on", "today", "--every", "every -2 weeks"), "every -2 weeks"),
        (("remind", "alice", "x", "--on", "today", "--lead", ""), ""),
        (("log", "alice", "call", "--at", ""), ""),
        (("edit", "alice", "--every", ""), ""),
        (("edit", "alice", "--birthday", ""), ""),
        (("tag", "friend", "--every", ""), ""),
    ],
)
def test_a_bad_value_is_echoed_whole_with_what_was_expected(rel, args, echo: str) -> None:
    rel("add", "Alice", "--every", "2w", "--birthday", "03-14", "--tag", "friend", ok=True)
    before = rel("export", "json", ok=True).stdout
    assert "expected" in refused(rel(*args), echo)
    assert rel("export", "json", ok=True).stdout == before


def test_none_still_clears_a_cadence_and_a_birthday(rel) -> None:
    rel("add", "Alice", "--every", "2w", "--birthday", "03-14", ok=True)
    rel("edit", "alice", "--every", "none", "--birthday", "none", ok=True)
    profile = json.loads(rel("show", "alice", "--json", ok=True).stdout)
    assert (profile["cadence"], profile["birthday"]) == (None, None)


def test_a_range_typed_with_spaces_is_still_a_range(rel) -> None:
    added = rel("add", "Bob", "--every", "3w - 6w", ok=True)
    assert "every 3 weeks to 6 weeks" in added.stderr


def test_a_json_gift_given_after_today_is_skipped_by_its_place(rel, tmp_path) -> None:
    gifts = [{"contact": 1, "direction": "gave", "text": "a scarf", "date": "2026-03-02"},
             {"contact": 1, "direction": "idea", "text": "a book", "date": "2026-12-24"},
             {"contact": 1, "direction": "got", "text": "a pen", "date": "2026-03-01"}]  # fmt: skip
    result = rel("import", "json", write_json(tmp_path, gifts=gifts), ok=True)
    assert "gifts[0]: skipped: expected the day of a gift given or received" in result.stderr
    kept = json.loads(rel("show", "ann", "--json", ok=True).stdout)["gifts"]
    assert sorted(g["text"] for g in kept) == ["a book", "a pen"]
