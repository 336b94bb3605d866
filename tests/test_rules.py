"""RULE: DURs, phrases and raw RRULEs, evaluated by dateutil.rrule from a start day."""

from __future__ import annotations

from datetime import date

import pytest

from rel.domain.dates import parse_rule
from rel.errors import BadValue

START = date(2026, 3, 1)  # a Sunday


@pytest.mark.parametrize(
    ("text", "rrule", "first_three"),
    [
        ("3w", "FREQ=WEEKLY;INTERVAL=3", ["2026-03-01", "2026-03-22", "2026-04-12"]),
        ("monthly", "FREQ=MONTHLY", ["2026-03-01", "2026-04-01", "2026-05-01"]),
        ("every year", "FREQ=YEARLY", ["2026-03-01", "2027-03-01", "2028-03-01"]),
        ("monthly on the 1st", "FREQ=MONTHLY;BYMONTHDAY=1", ["2026-03-01", "2026-04-01", "2026-05-01"]),
        ("monthly on the 15th", "FREQ=MONTHLY;BYMONTHDAY=15", ["2026-03-15", "2026-04-15", "2026-05-15"]),
        ("monthly on the last day", "FREQ=MONTHLY;BYMONTHDAY=-1", ["2026-03-31", "2026-04-30", "2026-05-31"]),
        ("every 2 weeks on friday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", ["2026-03-13", "2026-03-27", "2026-04-10"]),
        ("every monday", "FREQ=WEEKLY;BYDAY=MO", ["2026-03-02", "2026-03-09", "2026-03-16"]),
        ("every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", ["2026-03-02", "2026-03-03", "2026-03-04"]),
        ("monthly on the last friday", "FREQ=MONTHLY;BYDAY=-1FR", ["2026-03-27", "2026-04-24", "2026-05-29"]),
        ("monthly on the first monday", "FREQ=MONTHLY;BYDAY=1MO", ["2026-03-02", "2026-04-06", "2026-05-04"]),
        # raw RRULEs, as RFC 5545 says
        ("FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=MONTHLY;BYMONTHDAY=31", ["2026-03-31", "2026-05-31", "2026-07-31"]),
        ("freq=monthly;bymonthday=-1", "FREQ=MONTHLY;BYMONTHDAY=-1", ["2026-03-31", "2026-04-30", "2026-05-31"]),
        ("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", ["2028-02-29", "2032-02-29", "2036-02-29"]),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", ["2026-03-31", "2026-04-30", "2026-05-29"]),
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=2", "FREQ=WEEKLY;BYDAY=TU;COUNT=2", ["2026-03-03", "2026-03-10"]),
        ("FREQ=DAILY;UNTIL=20260303", "FREQ=DAILY;UNTIL=20260303", ["2026-03-01", "2026-03-02", "2026-03-03"]),
    ],
)  # fmt: skip
def test_rules_give_the_dates_people_mean(text: str, rrule: str, first_three: list[str]) -> None:
    rule = parse_rule(text, START)
    assert rule.rrule == rrule
    dates = rule.between(START, date(2040, 1, 1))[:3]
    assert [d.isoformat() for d in dates] == first_three


def test_count_and_until_end_a_rule() -> None:
    rule = parse_rule("FREQ=WEEKLY;BYDAY=TU;COUNT=2", START)
    assert rule.next_after(date(2026, 3, 3)) == date(2026, 3, 10)
    assert rule.next_after(date(2026, 3, 10)) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("banana", "expected a rule such as"),
        ("FREQ=BANANA", "expected FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "has no date in the 10 years"),
        ("FREQ=MONTHLY;BYMONTHDAY=40", "expected BYMONTHDAY from -31 to 31"),
        ("DTSTART:20200101\nRRULE:FREQ=DAILY", "expected a rule such as"),
        ("monthly on the 40th", "expected a rule such as"),
    ],
)
def test_a_bad_rule_says_what_was_expected(text: str, says: str) -> None:
    with pytest.raises(BadValue, match=says):
        parse_rule(text, START)


@pytest.mark.parametrize(
    ("text", "start", "rrule", "dates"),
    [
        ("monthly", "2027-01-31", "FREQ=MONTHLY;BYMONTHDAY=-1",
         ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"]),
        ("quarterly", "2026-12-31", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1",
         ["2026-12-31", "2027-03-31", "2027-06-30", "2027-09-30"]),
        ("3m", "2026-11-30", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30;BYSETPOS=-1",
         ["2026-11-30", "2027-02-28", "2027-05-30", "2027-08-30"]),
        ("every 2 months", "2027-12-29", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=28,29;BYSETPOS=-1",
         ["2027-12-29", "2028-02-29", "2028-04-29", "2028-06-29"]),
        ("monthly", "2027-01-30", "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1",
         ["2027-01-30", "2027-02-28", "2027-03-30", "2027-04-30"]),
        ("monthly on the 30th", "2027-01-01", "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1",
         ["2027-01-30", "2027-02-28", "2027-03-30"]),
        ("yearly", "2028-02-29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1",
         ["2028-02-29", "2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"]),
        ("every year", "2028-02-29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1",
         ["2028-02-29", "2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"]),
        # a human cadence from a day every month has is left as it was
        ("monthly", "2027-01-28", "FREQ=MONTHLY", ["2027-01-28", "2027-02-28", "2027-03-28"]),
        # a raw RRULE keeps RFC 5545: no 31st, no occurrence
        ("FREQ=MONTHLY;BYMONTHDAY=31", "2027-01-31", "FREQ=MONTHLY;BYMONTHDAY=31",
         ["2027-01-31", "2027-03-31", "2027-05-31"]),
        ("FREQ=MONTHLY", "2027-01-31", "FREQ=MONTHLY", ["2027-01-31", "2027-03-31", "2027-05-31"]),
    ],
)  # fmt: skip
def test_human_cadences_clamp_to_the_months_end_and_raw_rrules_skip(
    text: str, start: str, rrule: str, dates: list[str]
) -> None:
    rule = parse_rule(text, date.fromisoformat(start))
    assert rule.rrule == rrule
    found = rule.between(date.fromisoformat(start), date(2040, 1, 1))[: len(dates)]
    assert [d.isoformat() for d in found] == dates


def test_until_ends_a_rule_however_far_the_search_looks() -> None:
    rule = parse_rule("FREQ=DAILY;UNTIL=20260306", date(2026, 3, 5))
    assert rule.next_after(date(2026, 3, 5)) == date(2026, 3, 6)
    assert rule.next_after(date(2026, 3, 6)) is None
    assert rule.between(date(2026, 3, 1), date(2030, 1, 1)) == [date(2026, 3, 5), date(2026, 3, 6)]


def test_an_until_with_a_time_is_kept_as_its_date() -> None:
    assert parse_rule("FREQ=WEEKLY;UNTIL=20260401T120000Z", START).rrule == (
        "FREQ=WEEKLY;UNTIL=20260401"
    )
