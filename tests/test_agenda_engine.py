"""The catch-up engine, called directly: a pure function of the store and the day."""

from __future__ import annotations

from datetime import date, timedelta

from rel.domain.dates import Birthday, parse_cadence
from rel.services.agenda import agenda, catch_up
from tests.conftest import TODAY, add, log


def rows_by_key(result):
    return {row.key: row for row in result.rows}


def test_catch_up_is_due_at_last_interaction_plus_cadence(session) -> None:
    alice = add(session, "Alice", cadence=parse_cadence("2w"))
    log(session, alice, date(2026, 2, 10), "lunch")
    row = rows_by_key(agenda(session, TODAY))[f"c{alice.id}"]
    assert (row.section, row.due, row.days_late, row.fraction) == (
        "overdue",
        date(2026, 2, 24),
        5,
        0.36,  # 5 days late on a 14-day cadence
    )
    assert "last contact 2026-02-10" in row.reason


def test_never_seen_counts_from_the_day_they_were_added(session) -> None:
    bob = add(session, "Bob", cadence=parse_cadence("1m"), today=date(2026, 1, 15))
    row = rows_by_key(agenda(session, TODAY))[f"c{bob.id}"]
    assert row.due == date(2026, 2, 15)
    assert row.days_late == 14
    assert "nothing logged since added on 2026-01-15" in row.reason


def test_any_interaction_resets_the_catch_up_even_in_a_group(session) -> None:
    alice = add(session, "Alice", cadence=parse_cadence("2w"))
    bob = add(session, "Bob", cadence=parse_cadence("2w"))
    log(session, [alice], date(2026, 1, 1))
    log(session, [bob, alice], date(2026, 2, 27), "note")
    result = agenda(session, TODAY)
    assert result.rows == []


def test_overdue_is_ranked_by_the_fraction_of_the_cadence(session) -> None:
    weekly = add(session, "Weekly", cadence=parse_cadence("1w"))
    yearly = add(session, "Yearly", cadence=parse_cadence("1y"))
    log(session, weekly, TODAY - timedelta(days=17))  # 10 days late on 7
    log(session, yearly, date(2025, 2, 19))  # 10 days late on 365
    overdue = agenda(session, TODAY).section("overdue")
    assert [row.contact for row in overdue] == ["Weekly", "Yearly"]
    assert [row.days_late for row in overdue] == [10, 10]
    assert overdue[0].fraction == round(10 / 7, 2)
    assert overdue[1].fraction == round(10 / 365, 2)


def test_sections_today_and_upcoming_within_the_window(session) -> None:
    due_today = add(session, "Due Today", cadence=parse_cadence("1w"))
    in_five = add(session, "In Five", cadence=parse_cadence("1w"))
    in_nine = add(session, "In Nine", cadence=parse_cadence("2w"))
    log(session, due_today, TODAY - timedelta(days=7))
    log(session, in_five, TODAY - timedelta(days=2))
    log(session, in_nine, TODAY - timedelta(days=5))
    result = agenda(session, TODAY)
    assert [r.contact for r in result.section("today")] == ["Due Today"]
    assert [r.contact for r in result.section("upcoming")] == ["In Five"]
    wider = agenda(session, TODAY, days=14)
    assert [r.contact for r in wider.section("upcoming")] == ["In Five", "In Nine"]


def test_birthdays_show_the_age_when_the_year_is_known(session) -> None:
    add(session, "Known", birthday=Birthday(3, 4, 1990))
    add(session, "Unknown", birthday=Birthday(3, 1))
    add(session, "Far", birthday=Birthday(6, 1, 1980))
    result = agenda(session, TODAY)
    rows = {row.contact: row for row in result.rows}
    assert rows["Known"].section == "upcoming"
    assert rows["Known"].age == 36
    assert "turns 36 on Wed Mar 4" in rows["Known"].reason
    assert rows["Unknown"].section == "today"
    assert rows["Unknown"].age is None
    assert rows["Unknown"].reason == "birthday today"
    assert "Far" not in rows


def test_a_29_february_birthday_is_shown_on_28_february_in_a_common_year(session) -> None:
    add(session, "Leapling", birthday=Birthday(2, 29, 1996))
    row = agenda(session, date(2026, 2, 25)).rows[0]
    assert row.due == date(2026, 2, 28)
    assert row.age == 30
    leap_year = agenda(session, date(2028, 2, 25)).rows[0]
    assert leap_year.due == date(2028, 2, 29)


def test_archived_contacts_are_never_due(session) -> None:
    gone = add(session, "Gone", cadence=parse_cadence("1w"), birthday=Birthday(3, 1))
    gone.archived = True
    session.add(gone)
    session.flush()
    assert agenda(session, TODAY).rows == []


def test_the_tag_filter_keeps_only_those_contacts(session) -> None:
    add(session, "Customer", cadence=parse_cadence("1w"), tags=["customer"], today=date(2026, 1, 1))
    add(session, "Friend", cadence=parse_cadence("1w"), tags=["friend"], today=date(2026, 1, 1))
    result = agenda(session, TODAY, tags=["customer"])
    assert [row.contact for row in result.rows] == ["Customer"]


def test_suggestions_fit_the_relationship(session) -> None:
    long_ago = date(2026, 1, 1)
    add(session, "Prospect", cadence=parse_cadence("1w"), tags=["prospect"], today=long_ago)
    add(session, "Customer", cadence=parse_cadence("1w"), tags=["customer"], today=long_ago)
    add(session, "Mentor", cadence=parse_cadence("1w"), tags=["mentor"], today=long_ago)
    rows = {row.contact: row for row in agenda(session, TODAY).rows}
    assert "share something useful" in rows["Prospect"].suggestion
    assert "gift" not in rows["Prospect"].suggestion
    assert "send a note or a small gift" in rows["Customer"].suggestion
    assert "ask how you can help" in rows["Mentor"].suggestion


def test_a_contact_without_a_cadence_takes_the_shortest_tag_default(session) -> None:
    from rel.store.models import Tag

    add(session, "Both", tags=["customer", "friend"], today=date(2026, 1, 1))
    for tag in session.exec(__import__("sqlmodel").select(Tag)).all():
        tag.cadence = {"customer": "1m", "friend": "3w"}[tag.name]
        session.add(tag)
    session.flush()
    row = agenda(session, TODAY).rows[0]
    assert row.due == date(2026, 1, 22)  # 3 weeks after 1 January: the friend default
    assert "from the tag friend" in row.reason


def test_a_range_is_due_at_the_soft_bound_and_overdue_after_the_hard_one() -> None:
    cadence = "3w-6w"
    since = date(2026, 1, 1)
    soft = catch_up(cadence, [], since, since, date(2026, 1, 25))
    assert soft.section == "today" and soft.health == "due"
    hard = catch_up(cadence, [], since, since, date(2026, 2, 13))
    assert hard.section == "overdue"
    assert hard.days_late == 1  # six weeks after 1 January is 12 February


def test_limit_rotates_fairly_among_equally_urgent_contacts(session) -> None:
    for number in range(10):
        add(session, f"Person {number}", cadence=parse_cadence("1w"), today=date(2026, 1, 1))
    shown: set[str] = set()
    for offset in range(10):
        day = TODAY + timedelta(days=offset)
        first = agenda(session, day, limit=3)
        again = agenda(session, day, limit=3)
        assert [r.key for r in first.rows] == [r.key for r in again.rows]
        assert len(first.rows) == 3 and first.hidden == 7
        shown.update(row.contact for row in first.rows)
    assert shown == {f"Person {number}" for number in range(10)}


def test_limit_keeps_the_most_urgent_first(session) -> None:
    urgent = add(session, "Urgent", cadence=parse_cadence("1w"))
    log(session, urgent, date(2025, 12, 1))
    for number in range(5):
        add(session, f"Mild {number}", cadence=parse_cadence("1y"), today=date(2025, 1, 1))
    result = agenda(session, TODAY, limit=2)
    assert result.rows[0].contact == "Urgent"
