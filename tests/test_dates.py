"""WHEN, DUR, cadences and birthdays, relative to an injected today (Sunday 2026-03-01)."""

from __future__ import annotations

from datetime import date, time

import pytest

from rel.domain.dates import (
    Birthday,
    Cadence,
    Duration,
    parse_birthday,
    parse_cadence,
    parse_duration,
    parse_time,
    parse_when,
)
from rel.errors import BadValue

SUNDAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("text", "past", "expected"),
    [
        ("today", True, date(2026, 3, 1)),
        ("Today", False, date(2026, 3, 1)),
        ("yesterday", True, date(2026, 2, 28)),
        ("tomorrow", False, date(2026, 3, 2)),
        ("2026-11-22", False, date(2026, 11, 22)),
        ("2026-2-10", True, date(2026, 2, 10)),
        # a weekday: the last one for a past date (today counts), the coming one for a future one
        ("friday", True, date(2026, 2, 27)),
        ("friday", False, date(2026, 3, 6)),
        ("fri", False, date(2026, 3, 6)),
        ("sunday", True, date(2026, 3, 1)),
        ("sunday", False, date(2026, 3, 8)),
        ("last friday", False, date(2026, 2, 27)),
        ("last sunday", True, date(2026, 2, 22)),
        ("next monday", True, date(2026, 3, 2)),
        ("3 days ago", True, date(2026, 2, 26)),
        ("a week ago", True, date(2026, 2, 22)),
        ("in 2 weeks", False, date(2026, 3, 15)),
        ("in 1 month", False, date(2026, 4, 1)),
        ("in 3d", False, date(2026, 3, 4)),
        ("+10d", False, date(2026, 3, 11)),
        ("2w", False, date(2026, 3, 15)),
        ("2w", True, date(2026, 2, 15)),
        ("next week", False, date(2026, 3, 8)),
        ("last month", True, date(2026, 2, 1)),
        # a month and a day: the last one for a past date, the coming one for a future one
        ("dec 5", True, date(2025, 12, 5)),
        ("dec 5", False, date(2026, 12, 5)),
        ("5 dec", False, date(2026, 12, 5)),
        ("December 5th", False, date(2026, 12, 5)),
        ("5 dec 2026", True, date(2026, 12, 5)),
        ("dec 5, 2024", True, date(2024, 12, 5)),
        ("mar 1", True, date(2026, 3, 1)),
        ("feb 29", True, date(2024, 2, 29)),
        ("feb 29", False, date(2028, 2, 29)),
    ],
)
def test_when_is_read_relative_to_today(text: str, past: bool, expected: date) -> None:
    assert parse_when(text, SUNDAY, past=past) == expected


def test_when_follows_the_injected_today_not_the_clock() -> None:
    assert parse_when("yesterday", date(2001, 1, 1), past=True) == date(2000, 12, 31)
    assert parse_when("in 1 month", date(2026, 1, 31), past=False) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("31 feb", "February has no day 31 (expected 1 to 29)"),
        ("2026-02-29", "February 2026 has no day 29"),
        ("2026-13-01", "expected a month from 1 to 12"),
        ("banana", "expected a date such as"),
        ("", "expected a date such as"),
        ("99999-01-01", "expected a date such as"),
        ("in 99999 years", "at most 100 years"),
        ("in 0 days", "at least one day"),
        ("in 2 bananas", "expected a date such as"),
        ("last banana", "expected a date such as"),
    ],
)
def test_a_bad_when_says_what_was_expected(text: str, says: str) -> None:
    with pytest.raises(BadValue, match=says.replace("(", r"\(").replace(")", r"\)")):
        parse_when(text, SUNDAY, past=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10d", Duration(10, "d")),
        ("3w", Duration(3, "w")),
        ("2m", Duration(2, "m")),
        ("1y", Duration(1, "y")),
        ("weekly", Duration(1, "w")),
        ("biweekly", Duration(2, "w")),
        ("monthly", Duration(1, "m")),
        ("quarterly", Duration(3, "m")),
        ("yearly", Duration(1, "y")),
        ("every 3 weeks", Duration(3, "w")),
        ("Every Week", Duration(1, "w")),
        ("every other week", Duration(2, "w")),
        ("6 months", Duration(6, "m")),
    ],
)
def test_durations(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["banana", "", "0d", "3x", "-2w", "101y", "1.5w", "w"])
def test_a_bad_duration_is_refused(text: str) -> None:
    with pytest.raises(BadValue, match="expected a duration"):
        parse_duration(text)


def test_months_follow_the_calendar() -> None:
    assert Duration(1, "m").after(date(2026, 1, 31)) == date(2026, 2, 28)
    assert Duration(1, "y").after(date(2024, 2, 29)) == date(2025, 2, 28)
    assert Duration(2, "w").after(date(2026, 2, 10)) == date(2026, 2, 24)


def test_cadences_and_ranges() -> None:
    assert parse_cadence("3w") == Cadence(Duration(3, "w"))
    assert parse_cadence("3w-6w") == Cadence(Duration(3, "w"), Duration(6, "w"))
    assert str(parse_cadence("every 3 weeks")) == "3w"
    assert parse_cadence("monthly").describe() == "every month"
    assert parse_cadence("3w-6w").describe() == "every 3 weeks to 6 weeks"
    with pytest.raises(BadValue, match="second duration is the longer"):
        parse_cadence("6w-3w")
    with pytest.raises(BadValue, match="expected a cadence such as"):
        parse_cadence("banana")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03-14", Birthday(3, 14)),
        ("3-14", Birthday(3, 14)),
        ("--03-14", Birthday(3, 14)),
        ("--0314", Birthday(3, 14)),
        ("1990-03-14", Birthday(3, 14, 1990)),
        ("mar 14", Birthday(3, 14)),
        ("14 march 1990", Birthday(3, 14, 1990)),
        ("02-29", Birthday(2, 29)),
        ("1996-02-29", Birthday(2, 29, 1996)),
    ],
)
def test_birthdays_with_or_without_a_year(text: str, expected: Birthday) -> None:
    assert parse_birthday(text) == expected


@pytest.mark.parametrize("text", ["02-30", "13-01", "1995-02-29", "banana", "", "0314"])
def test_a_bad_birthday_is_refused(text: str) -> None:
    with pytest.raises(BadValue):
        parse_birthday(text)


def test_a_29_february_birthday_falls_on_28_february_in_common_years() -> None:
    leapling = Birthday(2, 29, 1996)
    assert leapling.next_on_or_after(date(2026, 2, 1)) == date(2026, 2, 28)
    assert leapling.next_on_or_after(date(2028, 2, 1)) == date(2028, 2, 29)
    assert leapling.age_on(date(2026, 2, 28)) == 30
    assert Birthday(2, 29).age_on(date(2026, 2, 28)) is None
    assert str(Birthday(3, 14)) == "--03-14"
    assert str(Birthday(3, 14, 1990)) == "1990-03-14"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("14:30", time(14, 30)), ("9:05", time(9, 5)), ("2pm", time(14)), ("12am", time(0))],
)
def test_times_of_day(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "14:61", "13pm", "noon", "14"])
def test_a_bad_time_is_refused(text: str) -> None:
    with pytest.raises(BadValue, match="expected a time of day"):
        parse_time(text)


def test_month_arithmetic_agrees_with_dateutil() -> None:
    from dateutil.relativedelta import relativedelta

    from rel.domain.dates import add_months

    for start in (date(2024, 1, 31), date(2024, 2, 29), date(2025, 12, 31), date(2026, 3, 30)):
        for months in (-25, -13, -1, 1, 2, 11, 12, 13, 48):
            assert add_months(start, months) == start + relativedelta(months=months)


@pytest.mark.parametrize("months", [*range(1, 37), 120])
def test_the_fewest_days_of_months_is_the_shortest_span_the_calendar_has(months: int) -> None:
    """The agenda's SQL leaves out whoever's last interaction plus this many days is past its
    horizon: it must never be more than a real span (or someone due is left out), and no less
    than needed (or the SQL keeps more than it must)."""
    from datetime import timedelta

    from rel.domain.dates import Duration, add_months, fewest_days_in_months

    starts = [date(1999, 1, 1) + timedelta(days=n) for n in range(4018)]  # to 2009
    starts += [date(2095, 1, 1) + timedelta(days=n) for n in range(3652)]  # 2100: no leap day
    spans = [(add_months(start, months) - start).days for start in starts]
    assert min(spans) >= fewest_days_in_months(months)
    if months <= 36:  # longer spans cross a leap day wherever they start (but around 2100)
        assert min(spans) == fewest_days_in_months(months)
    assert Duration(months, "m").min_days == fewest_days_in_months(months)
    assert Duration(2, "y").min_days == 730
