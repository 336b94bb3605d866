"""The agenda's rules across time, moving the day with --today: belated birthdays and
congratulations for a grace period, skipped catch-ups, events ahead, import --every spreading,
done with a note and a kind, and the wording of rows."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from rel.domain.dates import parse_cadence
from rel.services.agenda import GRACE_DAYS, agenda, catch_up
from rel.store.queries import STATEMENTS, OrmReader, SqliteReader


def due(rel, day: str, *args: str) -> dict:
    return json.loads(rel("--today", day, "due", "--json", *args, ok=True).stdout)


def row_for(rel, day: str, key: str, *args: str) -> dict | None:
    document = due(rel, day, *args)
    found = [row for name in ("overdue", "today", "upcoming") for row in document[name]]
    return next((row for row in found if row["key"] == key), None)


def card(name: str, *lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", *lines, "END:VCARD"]) + "\r\n"


# --- 1. a missed birthday stays, belated, for the grace period ------------------------------


def test_a_missed_birthday_stays_belated_for_the_grace_period_then_waits_a_year(rel) -> None:
    rel("--today", "2026-12-01", "add", "Zoe", "--birthday", "12-24", ok=True)
    assert row_for(rel, "2026-12-24", "b1")["section"] == "today"
    belated = row_for(rel, "2026-12-25", "b1")
    assert (belated["section"], belated["days_late"]) == ("overdue", 1)
    assert "belated: 1 day ago" in belated["reason"]
    assert "belated" in belated["suggestion"]
    last_day = row_for(rel, "2026-12-31", "b1")  # day 7: still there
    assert "belated: 7 days ago" in last_day["reason"]
    assert GRACE_DAYS == 7
    assert row_for(rel, "2027-01-01", "b1", "--days", "30") is None  # day 8: gone
    assert row_for(rel, "2027-12-20", "b1")["due"] == "2027-12-24"  # back next year


def test_a_belated_birthday_shows_in_plain_text_and_why_explains_it(rel) -> None:
    rel("--today", "2026-12-01", "add", "Zoe", "--birthday", "1990-12-24", ok=True)
    text = rel("--today", "2026-12-26", "due", ok=True).stdout
    assert "Overdue (1)" in text
    assert "turned 36 on Thu Dec 24 (belated: 2 days ago)" in text
    why = rel("--today", "2026-12-26", "why", "zoe", ok=True).stdout
    assert "b1 birthday (overdue)" in why
    assert "it was 2026-12-24 (2 days ago)" in why
    assert "belated until 2026-12-31 unless done or skipped" in why
    assert "grace period of 7 days" in why


def test_snoozing_a_birthday_on_the_day_brings_it_back_belated_not_next_year(rel) -> None:
    rel("--today", "2026-12-01", "add", "Zoe", "--birthday", "12-24", ok=True)
    rel("--today", "2026-12-24", "snooze", "b1", "in 2 days", ok=True)
    assert row_for(rel, "2026-12-25", "b1") is None
    back = row_for(rel, "2026-12-26", "b1")
    assert back["section"] == "overdue" and "belated: 2 days ago" in back["reason"]


def test_done_on_a_belated_birthday_closes_this_years_only(rel, rel_json) -> None:
    rel("--today", "2026-12-01", "add", "Zoe", "--birthday", "12-24", ok=True)
    done = rel("--today", "2026-12-26", "done", "b1", ok=True)
    assert "logged a message with Zoe" in done.stderr
    for day in ("2026-12-26", "2026-12-27", "2026-12-31"):
        assert row_for(rel, day, "b1") is None
    assert row_for(rel, "2027-12-24", "b1")["section"] == "today"
    profile = rel_json("--today", "2026-12-26", "show", "zoe")
    assert [(e["date"], e["kind"], e["note"]) for e in profile["timeline"]] == [
        ("2026-12-26", "message", "belated birthday wishes")
    ]


def test_done_or_skip_on_the_day_does_not_bring_the_birthday_back_belated(rel) -> None:
    rel("--today", "2026-12-01", "add", "Zoe", "--birthday", "12-24", ok=True)
    rel("--today", "2026-12-01", "add", "Yan", "--birthday", "12-24", ok=True)
    rel("--today", "2026-12-24", "done", "b1", ok=True)
    rel("--today", "2026-12-24", "skip", "b2", ok=True)
    assert due(rel, "2026-12-25")["overdue"] == []


def test_a_missed_congratulation_is_belated_for_the_grace_period_then_gone(rel) -> None:
    rel("--today", "2026-12-01", "add", "Isabel", ok=True)
    rel("--today", "2026-12-01", "event", "isabel", "launch", "--on", "2026-12-10", ok=True)
    belated = row_for(rel, "2026-12-12", "t1")
    assert belated["section"] == "overdue"
    assert "belated: 2 days ago" in belated["reason"]
    assert belated["suggestion"].startswith("belated: ")
    assert row_for(rel, "2026-12-17", "t1") is not None
    assert row_for(rel, "2026-12-18", "t1") is None
    why = rel("--today", "2026-12-18", "why", "isabel", ok=True).stdout
    assert "grace period of 7 days ended on 2026-12-17" in why


def test_a_missed_wedding_anniversary_moves_on_to_next_year_after_the_grace_period(rel) -> None:
    rel("--today", "2026-06-01", "add", "Ann", ok=True)
    rel("--today", "2026-06-01", "event", "ann", "wedding", "--on", "2015-06-10", ok=True)
    (anniversary,) = [
        row for row in due(rel, "2026-06-12")["overdue"] if row["kind"] == "anniversary"
    ]
    assert "11 years" in anniversary["reason"] and "belated: 2 days ago" in anniversary["reason"]
    assert row_for(rel, "2026-06-20", "t1") is None
    nextyear = row_for(rel, "2027-06-05", "t1")
    assert (nextyear["due"], nextyear["section"]) == ("2027-06-10", "upcoming")
    assert "12 years" in nextyear["reason"]
    rel("--today", "2027-06-10", "done", "t1", ok=True)  # the 2027 one, not the missed 2026 one
    assert row_for(rel, "2027-06-11", "t1") is None
    assert row_for(rel, "2028-06-08", "t1")["due"] == "2028-06-10"


# --- 2. skip resets lateness ---------------------------------------------------------------


def test_skipping_a_catch_up_counts_the_next_one_from_the_skipped_occurrence(rel) -> None:
    rel("--today", "2026-12-01", "add", "Jake", "--every", "10d", ok=True)
    skipped = rel("--today", "2026-12-11", "skip", "c1", ok=True)
    assert skipped.stderr.count("2026-12-21") == 1
    assert row_for(rel, "2026-12-11", "c1", "--days", "0") is None
    today = row_for(rel, "2026-12-21", "c1", "--days", "0")
    assert (today["section"], today["days_late"]) == ("today", 0)
    assert "due today" in today["reason"] and "overdue" not in today["reason"]
    late = row_for(rel, "2026-12-23", "c1")
    assert (late["days_late"], late["fraction"]) == (2, 0.2)
    why = rel("--today", "2026-12-21", "why", "jake", ok=True).stdout
    assert "it counts from the skipped occurrence, 2026-12-11" in why
    assert "Catch-up: due 2026-12-21 (today)" in why


def test_a_late_skip_counts_from_the_day_of_the_skip_and_logging_still_resets(rel) -> None:
    rel("--today", "2026-12-01", "add", "Jake", "--every", "10d", ok=True)
    rel("--today", "2026-12-15", "skip", "c1", ok=True)
    assert row_for(rel, "2026-12-25", "c1")["section"] == "today"
    rel("--today", "2026-12-20", "log", "jake", "call", ok=True)  # later than the skip: it wins
    assert row_for(rel, "2026-12-30", "c1")["section"] == "today"


def test_a_skipped_catch_up_is_the_same_in_show_and_list(rel, rel_json) -> None:
    rel("--today", "2026-12-01", "add", "Jake", "--every", "10d", ok=True)
    rel("--today", "2026-12-11", "skip", "c1", ok=True)
    profile = rel_json("--today", "2026-12-21", "show", "jake")
    assert (profile["health"], profile["next_due"], profile["days_late"]) == (
        "due",
        "2026-12-21",
        0,
    )
    (listed,) = rel_json("--today", "2026-12-21", "list")
    assert listed["next_due"] == "2026-12-21"


# --- 3. import --every is never due on the import day ---------------------------------------


@pytest.mark.parametrize(
    ("every", "today"),
    [("1m", "2026-03-01"), ("3m", "2026-03-31"), ("2w", "2026-12-01"), ("3w-6w", "2027-01-31")],
)
def test_import_every_spreads_60_first_dues_from_tomorrow(rel, tmp_path, every, today) -> None:
    path = tmp_path / "people.vcf"
    path.write_text("".join(card(f"Person {i}", f"EMAIL:p{i}@example.com") for i in range(60)))
    rel("--today", today, "import", "vcard", str(path), "--every", every, ok=True)
    day = date.fromisoformat(today)
    agenda_then = due(rel, today, "--days", "0")
    assert agenda_then["overdue"] == [] and agenda_then["today"] == []
    cadence = parse_cadence(every)
    everyone = due(rel, today, "--days", str((cadence.due(day) - day).days))
    dues = sorted(date.fromisoformat(row["due"]) for row in everyone["upcoming"])
    assert len(dues) == 60
    assert dues[0] == day + timedelta(days=1)
    assert dues[-1] <= cadence.due(day)
    per_day = Counter(dues)
    assert max(per_day.values()) - min(per_day.values()) <= 1  # as even as the days allow


@pytest.mark.sqlite_only  # the spread is the import's, before any engine; 60 cards run on both
def test_import_every_spreads_20000_cards_and_nobody_is_due_that_day(rel, tmp_path, store) -> None:
    path = tmp_path / "many.vcf"
    path.write_text("".join(card(f"Person {i}", f"EMAIL:p{i}@example.com") for i in range(20000)))
    rel("--today", "2026-03-01", "import", "vcard", str(path), "--every", "1m", ok=True)
    assert due(rel, "2026-03-01", "--days", "0") == {
        "date": "2026-03-01", "days": 0, "overdue": [], "today": [], "upcoming": [], "hidden": 0,
    }  # fmt: skip
    rows = store.rows("SELECT cadence, added_on FROM contact")
    today = date(2026, 3, 1)
    dues = Counter(
        catch_up(cadence, (), date.fromisoformat(added), None, today).due for cadence, added in rows
    )
    assert sum(dues.values()) == 20000
    assert min(dues) == date(2026, 3, 2) and max(dues) == date(2026, 4, 1)
    assert max(dues.values()) - min(dues.values()) <= 1  # every day that can be due, evenly


# --- 4. done with a note and a kind -----------------------------------------------------------


def test_done_with_a_note_and_kind_on_a_touchpoint_logs_it_and_keeps_the_note(rel, rel_json):
    rel("--today", "2026-12-01", "add", "Isabel", "--every", "1m", ok=True)
    rel("--today", "2026-12-01", "event", "isabel", "launch", "--on", "2026-12-10", ok=True)
    done = rel("--today", "2026-12-10", "done", "t1", "called, she was thrilled", "--kind", "call")
    assert done.exit_code == 0, done.stderr
    assert "logged a call with Isabel" in done.stderr
    profile = rel_json("--today", "2026-12-10", "show", "isabel")
    assert [(e["date"], e["kind"], e["note"]) for e in profile["timeline"]] == [
        ("2026-12-10", "call", "called, she was thrilled")
    ]
    assert (profile["last_interaction"], profile["next_due"]) == ("2026-12-10", "2027-01-10")
    exported = json.loads(rel("export", "json", ok=True).stdout)
    (touchpoint,) = exported["touchpoints"]
    assert [(c["action"], c["note"]) for c in touchpoint["completions"]] == [
        ("done", "called, she was thrilled")
    ]


def test_done_on_a_touchpoint_without_kind_is_a_plain_completion(rel, rel_json) -> None:
    rel("--today", "2026-12-01", "add", "Isabel", ok=True)
    rel("--today", "2026-12-01", "remind", "isabel", "send the deck", "--on", "2026-12-05", ok=True)
    rel("--today", "2026-12-01", "remind", "isabel", "book dinner", "--on", "2026-12-05", ok=True)
    rel("--today", "2026-12-05", "done", "t1", ok=True)
    rel("--today", "2026-12-05", "done", "t2", "booked for friday", ok=True)
    assert rel_json("--today", "2026-12-05", "show", "isabel")["timeline"] == []
    exported = json.loads(rel("export", "json", ok=True).stdout)
    notes = {t["text"]: [c["note"] for c in t["completions"]] for t in exported["touchpoints"]}
    assert notes == {"send the deck": [None], "book dinner": ["booked for friday"]}


def test_done_on_a_catch_up_or_birthday_logs_a_message_unless_a_kind_is_given(rel, rel_json):
    rel("--today", "2026-12-01", "add", "Zoe", "--every", "1w", "--birthday", "12-24", ok=True)
    rel("--today", "2026-12-08", "done", "c1", ok=True)
    rel("--today", "2026-12-24", "done", "b1", "--kind", "call", ok=True)
    timeline = rel_json("--today", "2026-12-24", "show", "zoe")["timeline"]
    assert [(e["date"], e["kind"], e["note"]) for e in timeline] == [
        ("2026-12-24", "call", "birthday wishes"),
        ("2026-12-08", "message", None),
    ]


def test_done_with_a_kind_on_a_gift_idea_is_refused_and_changes_nothing(rel, rel_json) -> None:
    rel("add", "Isabel", ok=True)
    rel("gift", "isabel", "idea", "a book", "--on", "2026-03-05", ok=True)
    refused = rel("done", "g1", "--kind", "call")
    assert refused.exit_code == 1
    assert "--kind does not fit a gift idea" in refused.stderr
    assert "catch-up (c), a birthday (b) or a touchpoint (t)" in refused.stderr
    assert rel_json("show", "isabel")["gifts"][0]["direction"] == "idea"
    rel("done", "g1", "she loved it", ok=True)  # a note goes with what was given
    (gift,) = rel_json("show", "isabel")["gifts"]
    assert (gift["direction"], gift["text"]) == ("gave", "a book — she loved it")


# --- 5. an event ahead ----------------------------------------------------------------------


def test_an_event_ahead_is_kept_and_congratulated_when_it_comes(rel) -> None:
    rel("--today", "2026-12-01", "add", "Isabel", ok=True)
    rel("--today", "2026-12-01", "event", "isabel", "launch", "--on", "2026-12-10", ok=True)
    rel("--today", "2026-12-01", "event", "isabel", "wedding", "--on", "2026-12-12", ok=True)
    assert row_for(rel, "2026-12-01", "t1") is None  # never at once, never overdue
    assert row_for(rel, "2026-12-01", "t1", "--days", "9")["section"] == "upcoming"
    assert row_for(rel, "2026-12-10", "t1")["section"] == "today"
    assert row_for(rel, "2026-12-11", "t1")["section"] == "overdue"
    exported = json.loads(rel("export", "json", ok=True).stdout)
    assert [(e["kind"], e["date"]) for e in exported["events"]] == [
        ("launch", "2026-12-10"),
        ("wedding", "2026-12-12"),
    ]
    anniversary = row_for(rel, "2027-12-10", "t3")
    assert anniversary["due"] == "2027-12-12" and "1 year " in anniversary["reason"]


# --- 6. wording -----------------------------------------------------------------------------


def test_rows_say_today_and_count_days_in_good_english(rel) -> None:
    rel("--today", "2026-12-01", "add", "Jake", "--every", "1w", ok=True)
    rel("--today", "2026-12-01", "log", "jake", "call", ok=True)
    rel("--today", "2026-12-01", "add", "Mia", "--every", "1w", ok=True)
    rel("--today", "2026-12-08", "log", "mia", "call", ok=True)
    text = rel("--today", "2026-12-09", "due", ok=True).stdout
    assert "1 day overdue" in text and "1 days" not in text
    assert "(1 day ago)" in text
    rel("--today", "2026-12-09", "log", "jake", "call", ok=True)
    why = rel("--today", "2026-12-09", "why", "jake", ok=True).stdout
    assert "(today)" in why and "0 days" not in why
    assert "in 7 days" in why


def test_nothing_due_today_says_so_for_days_0(rel) -> None:
    rel("--today", "2026-12-01", "add", "Jake", "--every", "10d", ok=True)
    assert rel("--today", "2026-12-01", "due", "--days", "0", ok=True).stdout == (
        "Nothing due today. Enjoy your day.\n"
    )
    assert "today or tomorrow" in rel("--today", "2026-12-01", "due", "--days", "1").stdout
    assert "in the next 7 days" in rel("--today", "2026-12-01", "due").stdout


# --- both ways of reading give the same agenda -------------------------------------------------


@pytest.mark.sqlite_only  # the compiled statements on sqlite3 against the ORM's
def test_both_readers_apply_the_rules_across_time_alike(rel, store_path: Path) -> None:
    from rel.paths import file_location
    from rel.store.engine import open_store

    on = ["--today", "2026-12-01"]
    rel(*on, "add", "Zoe", "--birthday", "1990-12-24", "--every", "10d", ok=True)
    rel(*on, "add", "Jake", "--every", "10d", ok=True)
    rel(*on, "event", "jake", "launch", "--on", "2026-12-20", ok=True)
    rel(*on, "event", "zoe", "wedding", "--on", "2015-12-22", ok=True)
    rel("--today", "2026-12-11", "skip", "c2", ok=True)
    today = date(2026, 12, 26)
    store = open_store(file_location(store_path), write=False)
    try:
        with store.session() as session:
            by_orm = agenda(OrmReader(session), today)
            portable = OrmReader(session)
            portable.statements = {
                **STATEMENTS,  # every contact with a cadence or a birthday, unfiltered
                "agenda_contacts": STATEMENTS["every_agenda_contact"],
            }
            assert agenda(portable, today) == by_orm
    finally:
        store.close()
    connection = sqlite3.connect(store_path)
    try:
        assert agenda(SqliteReader(connection), today) == by_orm
    finally:
        connection.close()
    late = {row.key: (row.section, row.days_late) for row in by_orm.rows}
    assert late == {
        "b1": ("overdue", 2), "c1": ("overdue", 15), "c2": ("overdue", 5),
        "t1": ("overdue", 6), "t2": ("overdue", 4),
    }  # fmt: skip


def test_show_and_gift_ideas_follow_a_missed_anniversary_to_next_year(rel, rel_json) -> None:
    rel("--today", "2026-06-01", "add", "Ann", ok=True)
    rel("--today", "2026-06-01", "event", "ann", "wedding", "--on", "2015-06-10", ok=True)
    rel("--today", "2026-06-01", "gift", "ann", "idea", "a vase", "--for", "anniversary", ok=True)
    scheduled = rel_json("--today", "2026-07-01", "show", "ann")["scheduled"]
    assert [(s["key"], s["due"]) for s in scheduled] == [("t1", "2027-06-10")]
    assert row_for(rel, "2026-07-01", "g1") is None  # not "buy by" a day long gone
    assert row_for(rel, "2027-06-01", "g1")["due"] == "2027-06-09"


def test_done_with_a_kind_and_no_note_logs_the_touchpoints_text(rel, rel_json) -> None:
    rel("--today", "2026-12-01", "add", "Isabel", ok=True)
    rel("--today", "2026-12-01", "remind", "isabel", "send the deck", "--on", "2026-12-05", ok=True)
    rel("--today", "2026-12-05", "done", "t1", "--kind", "email", ok=True)
    (entry,) = rel_json("--today", "2026-12-05", "show", "isabel")["timeline"]
    assert (entry["kind"], entry["note"]) == ("email", "send the deck")
