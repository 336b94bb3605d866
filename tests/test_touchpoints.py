"""Scheduled touchpoints, follow-ups and acting on agenda rows (REL_TODAY is Sun 2026-03-01)."""

from __future__ import annotations

import json
import re
from datetime import date, time, timedelta


def rows(rel, *args: str) -> list[dict]:
    document = json.loads(rel("due", "--json", *args, ok=True).stdout)
    return [row for section in ("overdue", "today", "upcoming") for row in document[section]]


def row_for(rel, key: str, *args: str) -> dict | None:
    return next((row for row in rows(rel, *args) if row["key"] == key), None)


def scheduled(rel, who: str) -> dict[str, dict]:
    profile = json.loads(rel("show", who, "--json", ok=True).stdout)
    return {item["key"]: item for item in profile["scheduled"]}


def test_bymonthday_31_skips_30_day_months_and_done_moves_it_on(rel) -> None:
    rel("add", "Alice", ok=True)
    key = rel("remind", "alice", "pay the invoice", "--on", "today",
              "--every", "FREQ=MONTHLY;BYMONTHDAY=31", ok=True).stdout.strip()  # fmt: skip
    assert scheduled(rel, "alice")[key]["due"] == "2026-03-31"
    dues = []
    for today in ("2026-03-31", "2026-05-31", "2026-07-31"):
        assert row_for(rel, key, "--today", today)["section"] == "today"
        rel("--today", today, "done", key, ok=True)
        dues.append(scheduled(rel, "alice")[key]["due"])
    assert dues == ["2026-05-31", "2026-07-31", "2026-08-31"]  # April, June: no 31st


def test_bymonthday_minus_1_is_the_last_day_of_every_month(rel) -> None:
    rel("add", "Alice", ok=True)
    key = rel("remind", "alice", "month-end report", "--on", "today",
              "--every", "FREQ=MONTHLY;BYMONTHDAY=-1", ok=True).stdout.strip()  # fmt: skip
    dues = [scheduled(rel, "alice")[key]["due"]]
    for _ in range(3):
        rel("--today", dues[-1], "done", key, ok=True)
        dues.append(scheduled(rel, "alice")[key]["due"])
    assert dues == ["2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"]


def test_29_february_yearly_has_no_occurrence_in_common_years(rel) -> None:
    rel("add", "Leapling", "--birthday", "1996-02-29", ok=True)
    key = rel("remind", "leapling", "leap day party", "--on", "2026-01-01",
              "--every", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", ok=True).stdout.strip()  # fmt: skip
    assert scheduled(rel, "leapling")[key]["due"] == "2028-02-29"
    in_2026 = rows(rel, "--today", "2026-02-25")
    assert [r["key"] for r in in_2026] == ["b1"]  # the birthday, on the 28th; no party
    assert in_2026[0]["due"] == "2026-02-28"
    assert row_for(rel, key, "--today", "2028-02-29")["section"] == "today"


def test_a_gift_idea_within_its_lead_time_is_on_the_agenda_as_buy_by(rel) -> None:
    rel("add", "Alice", "--birthday", "1990-03-11", "--tag", "friend", ok=True)
    rel("gift", "alice", "idea", "a book on sailing", "--lead", "14d", ok=True)
    row = row_for(rel, "g1", "--days", "3")  # the birthday itself is 10 days away
    assert row is not None
    assert row["kind"] == "gift"
    assert "buy by" in row["reason"] and "a book on sailing" in row["reason"]
    assert row["due"] == "2026-03-10"
    assert row["suggestion"] == "buy by 2026-03-10: a book on sailing"
    assert row_for(rel, "g1", "--today", "2026-02-20", "--days", "3") is None  # not yet
    rel("done", "g1", ok=True)  # bought and given
    gifts = json.loads(rel("show", "alice", "--json", ok=True).stdout)["gifts"]
    assert [(g["direction"], g["text"], g["date"]) for g in gifts] == [
        ("gave", "a book on sailing", "2026-03-01")
    ]


def test_giving_the_same_gift_twice_is_warned(rel) -> None:
    rel("add", "Alice", ok=True)
    rel("gift", "alice", "gave", "A book on sailing", "--on", "2025-03-11", "--for", "birthday",
        "--cost", "25 EUR", ok=True)  # fmt: skip
    again = rel("gift", "alice", "idea", "a book on Sailing", ok=True)
    assert "warning: you gave Alice 'A book on sailing' already on 2025-03-11" in again.stderr
    assert rel("gift", "alice", "bought", "x").exit_code == 1


def test_a_follow_up_is_due_exactly_when_promised_and_snooze_hides_it(rel) -> None:
    rel("add", "Alice", ok=True)
    logged = rel("log", "alice", "lunch", "Q3 launch", "--follow-up", "in 2 weeks: send the deck",
                 ok=True)  # fmt: skip
    assert "Follow-up t1 due 2026-03-15: send the deck." in logged.stderr
    row = row_for(rel, "t1", "--today", "2026-03-15")
    assert (row["kind"], row["section"], row["due"]) == ("follow-up", "today", "2026-03-15")
    assert row["suggestion"] == "do what you said you would: send the deck"
    rel("--today", "2026-03-15", "snooze", "t1", "friday", ok=True)  # Sunday -> Friday 20th
    for day in ("2026-03-15", "2026-03-17", "2026-03-19"):
        assert row_for(rel, "t1", "--today", day) is None
    back = row_for(rel, "t1", "--today", "2026-03-20")
    assert (back["section"], back["days_late"]) == ("overdue", 5)


def test_follow_up_shorthands(rel) -> None:
    rel("add", "Alice", ok=True)
    rel("log", "alice", "call", "--follow-up", "2w: send the deck", ok=True)
    rel("log", "alice", "call", "--follow-up", "friday", ok=True)
    items = scheduled(rel, "alice")
    assert (items["t1"]["due"], items["t1"]["text"]) == ("2026-03-15", "send the deck")
    assert (items["t2"]["due"], items["t2"]["text"]) == ("2026-03-06", "follow up")
    bad = rel("log", "alice", "call", "--follow-up", "yesterday: too late")
    assert bad.exit_code == 1 and "from today on" in bad.stderr
    assert json.loads(rel("show", "alice", "--json", ok=True).stdout)["interactions"] == 2


def test_skip_moves_a_recurring_item_one_occurrence_and_closes_a_one_off(rel) -> None:
    rel("add", "Alice", ok=True)
    rel("remind", "alice", "team lunch", "--on", "friday", "--every", "every 2 weeks on friday",
        ok=True)  # fmt: skip
    rel("remind", "alice", "call about the renewal", "--on", "tomorrow", ok=True)
    assert scheduled(rel, "alice")["t1"]["due"] == "2026-03-06"
    rel("skip", "t1", ok=True)
    assert scheduled(rel, "alice")["t1"]["due"] == "2026-03-20"
    rel("skip", "t2", ok=True)
    assert "t2" not in scheduled(rel, "alice")
    again = rel("skip", "t2")
    assert again.exit_code == 1 and "t2 is skipped already" in again.stderr


def test_done_on_a_catch_up_logs_an_interaction_and_resets_it(rel) -> None:
    rel("--today", "2026-01-01", "add", "Alice", "--every", "2w", ok=True)
    assert row_for(rel, "c1")["section"] == "overdue"
    result = rel("done", "c1", "Sent a note", "--kind", "email", ok=True)
    assert "c1: logged an email with Alice; next 2026-03-15." in result.stderr
    assert row_for(rel, "c1") is None
    profile = json.loads(rel("show", "alice", "--json", ok=True).stdout)
    assert [(e["kind"], e["note"]) for e in profile["timeline"]] == [("email", "Sent a note")]


def test_snoozing_and_skipping_catch_ups_and_birthdays(rel) -> None:
    rel("--today", "2026-01-01", "add", "Alice", "--every", "2w", "--birthday", "03-03", ok=True)
    rel("snooze", "c1", "in 3 days", ok=True)
    assert row_for(rel, "c1") is None
    assert row_for(rel, "c1", "--today", "2026-03-04")["section"] == "overdue"
    rel("skip", "b1", ok=True)
    assert row_for(rel, "b1") is None
    assert row_for(rel, "b1", "--today", "2027-03-01")["section"] == "upcoming"
    rel("skip", "c1", ok=True)  # counts from today, the day of the (late) skip
    assert row_for(rel, "c1", "--today", "2026-03-14", "--days", "0") is None
    assert row_for(rel, "c1", "--today", "2026-03-14")["section"] == "upcoming"
    assert row_for(rel, "c1", "--today", "2026-03-15")["section"] == "today"


def test_keys_that_are_wrong_or_unknown_are_refused(rel) -> None:
    rel("add", "Alice", ok=True)
    assert "expected an agenda key such as c12" in rel("done", "12").stderr
    assert "no agenda item has the key t9" in rel("done", "t9").stderr
    assert "expected a day after today" in rel("snooze", "c1", "yesterday").stderr


def test_life_events_congratulate_and_weddings_recur_with_the_years(rel) -> None:
    rel("add", "Alice", "--tag", "customer", ok=True)
    rel("event", "alice", "promotion", "VP Sales", "--on", "yesterday", ok=True)
    rel("event", "alice", "wedding", "--on", "2015-03-05", ok=True)
    agenda = {row["key"]: row for row in rows(rel)}
    congratulate = agenda["t1"]  # news of yesterday: congratulated from today, not belated
    assert (congratulate["kind"], congratulate["section"]) == ("congratulate", "today")
    assert "it happened 2026-02-28" in congratulate["reason"]
    assert congratulate["suggestion"] == "call to congratulate"
    anniversary = agenda["t2"]
    assert anniversary["kind"] == "anniversary"
    assert anniversary["due"] == "2026-03-05"
    assert "11 years" in anniversary["reason"]
    rel("--today", "2026-03-05", "done", "t2", ok=True)
    assert scheduled(rel, "alice")["t2"]["due"] == "2027-03-05"
    assert "12 years" in row_for(rel, "t2", "--today", "2027-03-01")["reason"]
    assert "expected a kind of life event" in rel("event", "alice", "party").stderr


def test_an_old_event_gets_its_anniversary_but_no_congratulation(rel) -> None:
    rel("add", "Alice", ok=True)
    rel("event", "alice", "new-job", "Acme", "--on", "2020-06-01", ok=True)
    items = scheduled(rel, "alice")
    assert [(i["kind"], i["due"]) for i in items.values()] == [("anniversary", "2026-06-01")]


def test_they_helped_you_twice_since_you_last_helped_them(rel) -> None:
    rel("--today", "2026-01-01", "add", "Ben", "--every", "1m", "--tag", "partner", ok=True)
    rel("log", "ben", "help", "I reviewed his deck", "--on", "2026-01-02", ok=True)
    rel("log", "ben", "help", "Intro to a customer", "--on", "2026-01-10", "--they", ok=True)
    rel("log", "ben", "help", "Intro to an investor", "--on", "2026-01-20", "--they", ok=True)
    row = row_for(rel, "c1")
    assert "they helped you twice since you last helped them" in row["reason"]
    assert row["suggestion"].startswith("return the favor")
    favors = json.loads(rel("show", "ben", "--json", ok=True).stdout)["favors"]
    assert favors == {"given": 1, "received": 2}


def test_lead_time_shows_a_touchpoint_ahead(rel) -> None:
    rel("add", "Alice", ok=True)
    rel("remind", "alice", "order the anniversary gift", "--on", "2026-03-20", "--kind", "gift",
        "--lead", "3w", ok=True)  # fmt: skip
    row = row_for(rel, "t1")
    assert (row["section"], row["due"]) == ("upcoming", "2026-03-20")
    assert "shown 3 weeks ahead" in row["reason"]
    assert row_for(rel, "t1", "--today", "2026-02-20") is None


def test_ten_equally_overdue_with_limit_3_are_all_shown_over_ten_days(rel) -> None:
    for number in range(10):
        rel("--today", "2026-01-01", "add", f"Person {number}", "--every", "1w", ok=True)
    shown = set()
    for offset in range(10):
        day = (date(2026, 3, 1) + timedelta(days=offset)).isoformat()
        first = rel("due", "--limit", "3", "--today", day, "--json", ok=True).stdout
        assert first == rel("due", "--limit", "3", "--today", day, "--json", ok=True).stdout
        document = json.loads(first)
        assert len(document["overdue"]) == 3 and document["hidden"] == 7
        shown.update(row["contact"] for row in document["overdue"])
    assert shown == {f"Person {number}" for number in range(10)}


def test_tag_cadences_apply_to_contacts_without_their_own(rel) -> None:
    rel("--today", "2026-01-01", "add", "Carol", "--tag", "customer", "--tag", "friend", ok=True)
    assert row_for(rel, "c1") is None
    rel("tag", "customer", "--every", "1m", ok=True)
    rel("tag", "friend", "--every", "3w", ok=True)
    row = row_for(rel, "c1")
    assert row["due"] == "2026-01-22"  # the friend default is the shorter
    why = rel("why", "carol", ok=True).stdout
    assert "the shortest applies, every 3 weeks (from the tag friend)" in why
    tags = json.loads(rel("tags", "--json", ok=True).stdout)
    assert tags == [
        {"name": "customer", "contacts": 1, "cadence": "1m"},
        {"name": "friend", "contacts": 1, "cadence": "3w"},
    ]
    rel("tag", "friend", "--every", "none", ok=True)
    assert row_for(rel, "c1")["due"] == "2026-02-01"


def test_why_explains_someone_who_is_not_due(rel) -> None:
    rel("add", "Dana", "--birthday", "1996-02-29", ok=True)
    why = rel("why", "dana", "--today", "2026-02-01", ok=True).stdout.splitlines()
    assert why[0].startswith("Dana is not on the agenda for 2026-02-01")
    assert any("Cadence: none" in line for line in why)
    assert any("next on 2026-02-28" in line and "turn 30" in line for line in why)
    assert "Born on 29 February: celebrated on 28 February in common years." in why
    rel("archive", "dana", ok=True)
    assert rel("why", "dana", ok=True).stdout.startswith("Dana is archived")


def test_an_imported_anniversary_comes_back_every_year(rel, tmp_path) -> None:
    card = tmp_path / "card.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dana Fox\r\nANNIVERSARY:20110313\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    first = rel("import", "vcard", str(card), ok=True)
    assert "1 wedding anniversaries added" in first.stderr
    again = rel("import", "vcard", str(card), ok=True)
    assert "anniversaries added" not in again.stderr
    [row] = rows(rel, "--today", "2026-03-10")
    assert (row["kind"], row["due"]) == ("anniversary", "2026-03-13")
    assert "15 years" in row["reason"]


def test_monthly_rent_from_the_31st_falls_on_each_months_last_day(rel) -> None:
    rel("add", "Landlord", ok=True)
    key = rel("--today", "2027-01-20", "remind", "landlord", "pay rent", "--on", "2027-01-31",
              "--every", "monthly", ok=True).stdout.strip()  # fmt: skip
    seen = []
    today = "2027-01-31"
    for action in ("done", "skip", "done", "done"):
        row = row_for(rel, key, "--today", today)
        assert (row["section"], row["due"]) == ("today", today)
        rel("--today", today, action, key, ok=True)
        today = scheduled(rel, "landlord")[key]["due"]
        seen.append(today)
    assert seen == ["2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"]


def test_quarterly_from_31_december_and_yearly_from_29_february(rel) -> None:
    rel("add", "Alice", ok=True)
    quarterly = rel("--today", "2026-12-01", "remind", "alice", "quarterly report", "--on",
                    "2026-12-31", "--every", "quarterly", ok=True).stdout.strip()  # fmt: skip
    leap = rel("--today", "2028-02-01", "remind", "alice", "leap day", "--on", "2028-02-29",
               "--every", "yearly", ok=True).stdout.strip()  # fmt: skip
    dues = []
    for today in ("2026-12-31", "2027-03-31"):
        rel("--today", today, "done", quarterly, ok=True)
        dues.append(scheduled(rel, "alice")[quarterly]["due"])
    assert dues == ["2027-03-31", "2027-06-30"]
    rel("--today", "2028-02-29", "done", leap, ok=True)
    assert scheduled(rel, "alice")[leap]["due"] == "2029-02-28"
    assert row_for(rel, leap, "--today", "2029-02-28")["section"] == "today"


def test_the_calendar_export_keeps_the_months_last_day(rel) -> None:
    from datetime import datetime

    from dateutil.rrule import rrulestr
    from icalendar import Calendar

    rel("add", "Landlord", ok=True)
    rel("--today", "2027-01-20", "remind", "landlord", "pay rent", "--on", "2027-01-30",
        "--every", "monthly", ok=True)  # fmt: skip
    calendar = Calendar.from_ical(rel("--today", "2027-01-20", "export", "ics", ok=True).stdout)
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["summary"]) == "Landlord: pay rent"]
    start = event.decoded("dtstart")
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=datetime.combine(start, time()))
    assert [d.date().isoformat() for d in rule[:4]] == [
        "2027-01-30", "2027-02-28", "2027-03-30", "2027-04-30",
    ]  # fmt: skip


def test_a_rule_ends_when_its_until_says_and_leaves_the_agenda(rel) -> None:
    rel("add", "Alice", ok=True)
    rel("--today", "2026-03-05", "remind", "alice", "two days", "--on", "today",
        "--every", "FREQ=DAILY;UNTIL=20260306", ok=True)  # fmt: skip
    rel("--today", "2026-03-05", "done", "t1", ok=True)
    assert scheduled(rel, "alice")["t1"]["due"] == "2026-03-06"
    last = rel("--today", "2026-03-06", "done", "t1", ok=True)
    assert "next" not in last.stderr
    assert "t1" not in scheduled(rel, "alice")
    assert row_for(rel, "t1", "--today", "2026-03-07") is None


def test_a_wedding_on_29_february_has_its_anniversary_every_year(rel) -> None:
    rel("add", "Alice", ok=True)
    rel("event", "alice", "wedding", "--on", "2024-02-29", ok=True)
    assert scheduled(rel, "alice")["t1"]["due"] == "2027-02-28"


def test_an_event_ahead_is_recorded_with_its_day(rel) -> None:
    rel("add", "Isabel", ok=True)
    made = rel("--today", "2026-12-01", "event", "isabel", "launch", "--on", "dec 10", ok=True)
    assert "due 2026-12-10" in made.stderr
    assert scheduled(rel, "isabel")["t1"]["due"] == "2026-12-10"
    rel("--today", "2026-12-20", "event", "isabel", "promotion", "--on", "dec 10", ok=True)
    exported = json.loads(rel("export", "json", ok=True).stdout)
    promotion = next(e for e in exported["events"] if e["kind"] == "promotion")
    assert promotion["date"] == "2026-12-10"  # ten days ago, not next year
    # news heard late is congratulated from the day it is heard (docs/agenda.md)
    assert scheduled(rel, "isabel")["t2"]["due"] == "2026-12-20"


def test_a_snooze_into_another_year_says_the_year(rel) -> None:
    rel("add", "Alice", "--every", "1w", ok=True)
    far = rel("snooze", "c1", "2150-12-31", ok=True)
    assert "snoozed until Thu Dec 31 2150" in far.stderr
    near = rel("snooze", "c1", "friday", ok=True)
    assert "snoozed until Fri Mar 6." in near.stderr


def test_an_anniversary_whose_year_is_unknown_comes_back_without_a_count(rel) -> None:
    rel("add", "Ann Lee", ok=True)
    made = rel("event", "ann", "anniversary", "--on", "--06-20", ok=True)
    assert "scheduled t1 anniversary due 2026-06-20" in made.stderr  # no congratulation
    [row] = rows(rel, "--today", "2026-06-18")
    assert (row["key"], row["due"]) == ("t1", "2026-06-20")
    assert "years" not in row["reason"] and "since" not in row["reason"]
    edited = rel("edit", "e1", "--on", "--07-01", ok=True)
    assert "date --06-20 → --07-01" in edited.stderr and "t1 due 2026-07-01" in edited.stderr
    [event] = json.loads(rel("events", "--json", ok=True).stdout)
    assert (event["kind"], event["date"]) == ("anniversary", "--07-01")
    assert event["touchpoints"] == ["t1"]
    exported = re.sub(r'"uid": "[^"]*"', "", rel("export", "json", ok=True).stdout)
    assert "1604" not in exported  # rel's JSON writes --07-01 (a random UID may hold 1604)
    assert rel("event", "ann", "wedding", "--on", "--02-30").exit_code == 1
