"""rel import ics: past meetings with known attendees as interactions (--log), and birthdays
from a birthdays calendar (REL_TODAY is 2026-03-01). Samples: tests/data/harvest/README.md."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rel.formats.calendar import occurrences, read_calendar, yearly_days
from tests.conftest import REALWORLD

DATA = Path(__file__).parent / "data" / "harvest"
GOOGLE = DATA / "google-meetings.ics"
OUTLOOK = DATA / "outlook-meetings.ics"
BIRTHDAYS = REALWORLD / "google-calendar-birthdays.ics"


@pytest.fixture
def contacts(rel) -> None:
    rel("add", "Alice Chen", "--email", "alice@example.com", ok=True)
    rel("add", "José García", "--email", "jose@example.org", ok=True)
    rel("add", "John Doe", "--email", "john.doe@contoso.com", ok=True)
    rel("add", "Bob Stone", "--email", "bob@example.net", ok=True)


def meetings(rel_json) -> list[tuple[str, str | None, str, str, str | None]]:
    return sorted(
        (r["date"], r["time"], ", ".join(w["name"] for w in r["with"]), r["direction"], r["note"])
        for r in rel_json("history")
        if r["kind"] == "meeting"
    )


def test_google_recurring_meetings_are_expanded_with_their_exceptions(
    rel, rel_json, contacts
) -> None:
    result = rel("import", "ics", str(GOOGLE), "--log", ok=True)
    alice = [(d, t, n) for d, t, w, _, n in meetings(rel_json) if w == "Alice Chen"]
    assert alice == [
        ("2026-01-06", "10:00:00", "1:1 Alice"),
        ("2026-01-13", "10:00:00", "1:1 Alice"),
        # 20 January: EXDATE (given in UTC, 09:00Z = 10:00 in Paris)
        ("2026-01-23", "15:00:00", "1:1 Alice"),  # RDATE
        ("2026-01-27", "10:00:00", "1:1 Alice"),
        ("2026-02-04", "11:00:00", "1:1 Alice (moved to Wednesday)"),  # RECURRENCE-ID
        ("2026-02-10", "10:00:00", "1:1 Alice"),
        ("2026-02-17", "10:00:00", "1:1 Alice"),
        ("2026-02-24", "10:00:00", "1:1 Alice"),
    ]  # 3 March and the April review are still to come
    # Bob declined the kickoff; the stranger is no contact
    assert ("2026-02-12", "14:00:00", "José García", "me", "Project kickoff") in meetings(rel_json)
    assert result.stderr.strip() == (
        "logged google-meetings.ics: 10 past meetings read, 9 interactions added with "
        "2 contacts, 1 without a known attendee"
    )


def test_outlook_fortnightly_meetings_with_a_cancelled_and_a_moved_one(
    rel, rel_json, contacts
) -> None:
    rel("import", "ics", str(OUTLOOK), "--log", ok=True)
    assert meetings(rel_json) == [
        ("2026-01-08", "14:00:00", "John Doe", "them", "Account review"),
        ("2026-02-06", "09:00:00", "John Doe", "them", "Account review (moved to Friday)"),
        ("2026-02-16", None, "Alice Chen, John Doe", "me", "Offsite"),
        ("2026-02-19", "14:00:00", "John Doe", "them", "Account review"),
    ]  # 22 January cancelled (EXDATE); 5 March after UNTIL


def test_logging_meetings_again_adds_nothing(rel, rel_json, contacts) -> None:
    rel("import", "ics", str(OUTLOOK), "--log", ok=True)
    again = rel("import", "ics", str(OUTLOOK), "--log", ok=True)
    assert "0 interactions added with 0 contacts, 4 already logged" in again.stderr
    assert len(meetings(rel_json)) == 4
    rel("import", "ics", str(GOOGLE), "--log", ok=True)
    later = rel("--today", "2026-03-31", "import", "ics", str(GOOGLE), "--log", ok=True)
    assert "5 interactions added" in later.stderr  # 3 to 31 March: new
    rel("--today", "2026-03-31", "import", "ics", str(GOOGLE), "--log", ok=True)
    assert len(meetings(rel_json)) == 4 + 9 + 5


def test_dry_run_counts_meetings_per_contact(rel, rel_json, contacts) -> None:
    result = rel("import", "ics", str(GOOGLE), "--log", "--dry-run", ok=True)
    assert result.stdout.splitlines() == [
        "CONTACT      MEETINGS  LAST",
        "Alice Chen   8         2026-02-24",
        "José García  1         2026-02-12",
    ]
    assert meetings(rel_json) == []


def test_birthdays_calendar_sets_birthdays_and_suggests_the_rest(rel, rel_json) -> None:
    rel("add", "PErson #2", ok=True)
    result = rel("import", "ics", str(BIRTHDAYS), ok=True)
    assert "set the birthday of PErson #2: 12-10" in result.stderr
    assert rel_json("show", "person #2")["birthday"] == "--12-10"
    again = rel("import", "ics", str(BIRTHDAYS), ok=True)
    assert "kept the birthday PErson #2 has" in again.stderr


def test_birthdays_of_people_not_in_rel_are_suggested(rel, rel_json, tmp_path: Path) -> None:
    result = rel("import", "ics", str(BIRTHDAYS), ok=True)
    assert result.stdout.splitlines() == ["rel add 'PErson #2' --birthday 12-10"]
    assert rel_json("list") == []
    calendar = tmp_path / "family.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//y//EN\n"
        "BEGIN:VEVENT\nUID:1\nDTSTART;VALUE=DATE:19880704\nRRULE:FREQ=YEARLY\n"
        "SUMMARY:Birthday: Grace Hopper\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:2\nDTSTART;VALUE=DATE:20150912\nRRULE:FREQ=YEARLY\n"
        "SUMMARY:Sam's anniversary\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    rel("add", "Grace Hopper", ok=True)
    rel("add", "Sam", ok=True)
    rel("add", "Kim Lee", ok=True)
    calendar.write_text(
        calendar.read_text().replace(
            "END:VCALENDAR",
            "BEGIN:VEVENT\nUID:3\nDTSTART;VALUE=DATE:20251102\nRRULE:FREQ=DAILY;COUNT=1\n"
            "SUMMARY:Kim Lee's anniversary\nEND:VEVENT\nEND:VCALENDAR",
        )
    )
    lines = rel("import", "ics", str(calendar), ok=True)
    assert rel_json("show", "grace")["birthday"] == "1988-07-04"
    assert "added Sam's anniversary: 2015-09-12, every year" in lines.stderr
    assert "added Kim Lee's anniversary: 11-02, every year" in lines.stderr
    reminders = {(r["contact"], r["kind"], r["next"]) for r in rel_json("reminders")}
    assert ("Sam", "anniversary", "2026-09-12") in reminders
    assert ("Kim Lee", "anniversary", "2026-11-02") in reminders
    again = rel("import", "ics", str(calendar), ok=True)
    assert "kept Sam's anniversary already scheduled" in again.stderr
    assert len(rel_json("reminders")) == len(reminders)


def test_a_calendar_that_is_not_one_is_exit_1(rel, tmp_path: Path) -> None:
    junk = tmp_path / "junk.ics"
    junk.write_text("hello\n")
    result = rel("import", "ics", str(junk), "--log")
    assert result.exit_code == 1 and result.stderr.startswith("error: expected an iCalendar")


@pytest.mark.parametrize(
    "name",
    ["sunbird-us-holidays-yearly.ics", "yearly-feb29-start-2011.ics",
     "dimex-rrule-escaped-semicolon.ics", "google-calendar-birthdays.ics"],
)  # fmt: skip
def test_real_world_calendars_expand_without_error(name: str) -> None:
    events = read_calendar((REALWORLD / name).read_bytes())
    found = list(occurrences(events, date(2026, 3, 1)))
    assert found and all(o.day <= date(2026, 3, 1) for o in found)


def test_a_yearly_feb_29_rule_only_falls_on_leap_days() -> None:
    events = read_calendar((REALWORLD / "yearly-feb29-start-2011.ics").read_bytes())
    days = [o.day for o in occurrences(events, date(2026, 3, 1))]
    assert days[:3] == [date(2012, 2, 29), date(2016, 2, 29), date(2020, 2, 29)]


def test_birthday_summaries_in_the_shapes_calendars_write() -> None:
    events = read_calendar(BIRTHDAYS.read_bytes())
    [found] = yearly_days(events)
    assert (found.name, found.month, found.day, found.year) == ("PErson #2", 12, 10, None)
