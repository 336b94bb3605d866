"""The words people type for time: WHEN (a date), DUR (a duration), cadences and birthdays.

Every function here is pure: the day to count from is passed in as `today`; nothing reads the
clock. Each parser raises `BadValue` with one line saying what was expected.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from rel.errors import BadValue, RelError, shown

WHEN_EXAMPLES = "2026-11-22, today, yesterday, friday, last friday, 3 days ago, in 2 weeks or dec 5"
DUR_EXAMPLES = "10d, 3w, 2m, 1y, weekly, monthly, quarterly, yearly or every 3 weeks"

WEEKDAYS = {
    name: index
    for index, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}

MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

UNITS = {
    "d": "d", "day": "d", "days": "d",
    "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
    "m": "m", "mo": "m", "mos": "m", "month": "m", "months": "m",
    "y": "y", "yr": "y", "yrs": "y", "year": "y", "years": "y",
}  # fmt: skip
UNIT_NAMES = {"d": "day", "w": "week", "m": "month", "y": "year"}
# Large enough for any real cadence or offset, small enough that date arithmetic cannot overflow.
MAX_COUNT = {"d": 36_500, "w": 5_200, "m": 1_200, "y": 100}
NAMED_DURATIONS = {
    "daily": (1, "d"),
    "weekly": (1, "w"),
    "biweekly": (2, "w"),
    "fortnightly": (2, "w"),
    "monthly": (1, "m"),
    "bimonthly": (2, "m"),
    "quarterly": (3, "m"),
    "yearly": (1, "y"),
    "annually": (1, "y"),
}

# The dates rel accepts, everywhere a date comes in (a WHEN, --today, a birthday, an import):
# two centuries around now leave every computation (an agenda's window, a rule's horizon, a
# calendar's last day) far from Python's year 9999. A birth year may be older: the year only
# counts an age, and an address book keeps the birthdays of grandparents.
FIRST_YEAR = 1900
LAST_YEAR = 2199
FIRST_BIRTH_YEAR = 1800

_NEGATIVE = re.compile(r"(?:(?:every|each|in)\s+)?-\s*\d")  # -3w, every -1 weeks
_COUNT_UNIT = re.compile(r"^(\d+|an?|one|other)\s*([a-z]+)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")


def _words(text: str) -> str:
    return " ".join(text.strip().lower().replace(",", " ").split())


def check_date(day: date, text: str | None = None, *, first_year: int = FIRST_YEAR) -> date:
    """`day`, or BadValue when it is outside the years rel accepts (FIRST_YEAR to LAST_YEAR)."""
    if not first_year <= day.year <= LAST_YEAR:
        raise BadValue(
            f"expected a date in the years {first_year} to {LAST_YEAR}; "
            f"got {shown(text if text is not None else day.isoformat())}"
        )
    return day


def parse_iso_date(text: str) -> date:
    """A date as a file writes it (`2026-03-01`), within the years rel accepts."""
    try:
        day = date.fromisoformat(str(text).strip())
    except ValueError:
        raise BadValue(f"expected a date such as 2026-03-01; got {shown(str(text))}") from None
    return check_date(day, str(text))


# A yearly day whose year is unknown (an anniversary imported as `--06-20`) is kept as a date
# in the year 1604: Apple's "no year", a leap year (so 29 February is kept), and before
# FIRST_YEAR, so no date typed or imported with its year can be taken for one.
NO_YEAR = 1604


def yearly_date(day: Birthday) -> date:
    """The date a life event keeps for this month-day: in its year, or in NO_YEAR."""
    return date(day.year or NO_YEAR, day.month, day.day)


def yearly_day(on: date) -> Birthday:
    """The month-day of a life event's date, with its year unless it is NO_YEAR."""
    return Birthday(on.month, on.day, None if on.year == NO_YEAR else on.year)


def show_event_date(on: date) -> str:
    """An event's date as rel shows and writes it: `2015-06-20`, or `--06-20` without a year."""
    return str(yearly_day(on)) if on.year == NO_YEAR else on.isoformat()


def parse_event_date(text: str) -> date:
    """An event's date as a file writes it: `2015-06-20`, or `--06-20` when the year is
    unknown (kept in NO_YEAR)."""
    if match := re.fullmatch(r"--(\d{2})-(\d{2})", str(text).strip()):
        month, day = int(match.group(1)), int(match.group(2))
        _checked_date(None, month, day, str(text))
        return date(NO_YEAR, month, day)
    return parse_iso_date(text)


def check_past(day: date, today: date, text: str, what: str = "a date") -> date:
    """`day`, or BadValue when it is after today: for what has happened."""
    if day > today:
        raise BadValue(
            f"expected {what} that has come (today, {today.isoformat()}, or before); "
            f"got {shown(text)} ({day.isoformat()})"
        )
    return day


def add_months(start: date, months: int) -> date:
    """Calendar months later (or earlier), the day clamped to the month's last: what
    dateutil's relativedelta does, written out because the agenda does it for every contact."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    month += 1
    day = start.day
    if day > 28:  # only then can the month be too short (calendar.monthrange is slower)
        day = min(day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


# the months' lengths with February at its shortest
_SHORTEST_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@functools.lru_cache(maxsize=64)
def fewest_days_in_months(months: int) -> int:
    """The fewest days `months` calendar months (`add_months`) can span, whatever the start.

    From the last day of a month: its later days are clamped to a shorter month's end (31
    January + 1 month is 28 February: 28 days). Every February counted at 28 days; a leap day
    only makes a span longer (29 February + 12 months is 28 February: 365 days, as from 28
    February in a common year)."""
    years, rest = divmod(months, 12)
    fewest = None
    for first in range(12):
        length = years * 365 + sum(_SHORTEST_MONTH_DAYS[(first + k) % 12] for k in range(rest))
        start_day = _SHORTEST_MONTH_DAYS[first]  # the latest day: the most a clamp takes off
        end_day = min(start_day, _SHORTEST_MONTH_DAYS[(first + rest) % 12])
        span = length + end_day - start_day
        fewest = span if fewest is None else min(fewest, span)
    assert fewest is not None
    return fewest


@dataclass(frozen=True, order=True)
class Duration:
    """A count of days, weeks, months or years; months and years follow the calendar."""

    count: int
    unit: str  # one of d, w, m, y

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"

    def describe(self) -> str:
        name = UNIT_NAMES[self.unit]
        return f"{self.count} {name}" + ("s" if self.count != 1 else "")

    def after(self, start: date) -> date:
        """The day this duration after `start` (31 Jan + 1m = 28/29 Feb; 29 Feb + 1y = 28 Feb)."""
        if self.unit == "d":
            return start + timedelta(days=self.count)
        if self.unit == "w":
            return start + timedelta(weeks=self.count)
        return add_months(start, self.count if self.unit == "m" else 12 * self.count)

    def before(self, end: date) -> date:
        return Duration(-self.count, self.unit).after(end)

    @property
    def approx_days(self) -> int:
        return self.count * {"d": 1, "w": 7, "m": 30, "y": 365}[self.unit]

    @property
    def min_days(self) -> int:
        """The fewest days it can span, whatever the start (3 months: 89, from 1 February)."""
        if self.unit == "d":
            return self.count
        if self.unit == "w":
            return 7 * self.count
        return fewest_days_in_months(self.count if self.unit == "m" else 12 * self.count)


@dataclass(frozen=True)
class Cadence:
    """How often to keep in touch: due at `soft`; a range `3w-6w` is overdue only after `hard`."""

    soft: Duration
    hard: Duration | None = None

    def __str__(self) -> str:
        return f"{self.soft}-{self.hard}" if self.hard else str(self.soft)

    def describe(self) -> str:
        """`every 3 weeks`, `every month`, `every 3 weeks to 6 weeks`."""
        return self._description

    @functools.cached_property
    def _description(self) -> str:  # the agenda describes the same few cadences thousands of times
        soft = self.soft.describe().removeprefix("1 ")
        if self.hard:
            return f"every {soft} to {self.hard.describe()}"
        return f"every {soft}"

    def due(self, since: date) -> date:
        return self.soft.after(since)

    def overdue_after(self, since: date) -> date:
        """The last day that is not yet overdue."""
        return (self.hard or self.soft).after(since)


@dataclass(frozen=True)
class Birthday:
    """A birthday: month and day, with the year when it is known."""

    month: int
    day: int
    year: int | None = None

    def __str__(self) -> str:
        # ISO 8601 / vCard 4.0 write a year-less date as --MM-DD.
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def describe(self) -> str:
        text = f"{calendar.month_abbr[self.month]} {self.day}"
        return f"{text}, {self.year}" if self.year else text

    def in_year(self, year: int) -> date:
        """The day it is celebrated in `year`: 29 February falls on 28 February in common years."""
        if self.month == 2 and self.day == 29 and not calendar.isleap(year):
            return date(year, 2, 28)
        return date(year, self.month, self.day)

    def next_on_or_after(self, today: date) -> date:
        this_year = self.in_year(today.year)
        return this_year if this_year >= today else self.in_year(today.year + 1)

    def check_past(self, today: date, text: str | None = None) -> Birthday:
        """This birthday, or BadValue when its year puts it after `today` (not born yet)."""
        if self.year is not None and self.in_year(self.year) > today:
            raise BadValue(
                f"expected a birthday or anniversary that has come (today, {today.isoformat()}, "
                f"or before); got {shown(text if text is not None else str(self))}"
            )
        return self

    def age_on(self, day: date) -> int | None:
        """The age reached on the birthday celebrated on `day` (None when the year is unknown)."""
        return day.year - self.year if self.year else None


POSITIVE_DURATION = f"a duration of at least one day, such as {DUR_EXAMPLES}"


def parse_duration(text: str) -> Duration:
    """DUR: `10d`, `3w`, `2m`, `1y`, `weekly`, `monthly`, `quarterly`, `yearly`, `every 3 weeks`."""
    return _duration(_words(text), text)


def _duration(words: str, text: str, expected: str | None = None) -> Duration:
    """The duration in `words`; a message echoes `text`, the whole value as typed."""
    if words.startswith("every "):
        words = words[len("every ") :]
    elif words.startswith("each "):
        words = words[len("each ") :]
    if words in NAMED_DURATIONS:
        return Duration(*NAMED_DURATIONS[words])
    if words in UNITS and len(words) > 1:  # "every week", "every month"
        return Duration(1, UNITS[words])
    match = _COUNT_UNIT.match(words)
    if match and match.group(2) in UNITS:
        raw_count, unit = match.group(1), UNITS[match.group(2)]
        count = {"a": 1, "an": 1, "one": 1, "other": 2}.get(raw_count) or int(raw_count[:9])
        if count < 1:
            raise BadValue(f"expected a duration of at least one day; got {shown(text)}")
        if count > MAX_COUNT[unit]:
            raise BadValue(
                f"expected a duration of at most {MAX_COUNT[unit]} {UNIT_NAMES[unit]}s; "
                f"got {shown(text)}"
            )
        return Duration(count, unit)
    if _NEGATIVE.match(words):
        raise BadValue(f"expected {POSITIVE_DURATION}; got {shown(text)}")
    expected = expected or f"a duration such as {DUR_EXAMPLES}"
    raise BadValue(f"expected {expected}; got {shown(text)}")


CADENCE_EXPECTED = f"a cadence such as {DUR_EXAMPLES}, or a range such as 3w-6w"


def parse_cadence(text: str) -> Cadence:
    """A keep-in-touch cadence: a DUR (`3w`, `monthly`) or a range of two (`3w-6w`)."""
    words = _words(text)
    if _NEGATIVE.match(words):  # -3w, every -1 weeks: not a range
        raise BadValue(f"expected {POSITIVE_DURATION}; got {shown(text)}")
    if "-" in words:
        soft_text, _, hard_text = (part.strip() for part in words.partition("-"))
        if not soft_text or "-" in hard_text or not hard_text:
            raise BadValue(
                f"expected {CADENCE_EXPECTED} (two durations at most); got {shown(text)}"
            )
        soft = _duration(soft_text, text, CADENCE_EXPECTED)
        hard = _duration(hard_text, text, CADENCE_EXPECTED)
        if hard.after(date(2000, 1, 1)) <= soft.after(date(2000, 1, 1)):
            raise BadValue(
                "expected a range whose second duration is the longer, such as 3w-6w; "
                f"got {shown(text)}"
            )
        return Cadence(soft, hard)
    if _is_duration_shaped(words.removeprefix("every ")):
        return Cadence(parse_duration(text))
    return Cadence(_duration(words, text, CADENCE_EXPECTED))


@functools.lru_cache(maxsize=256)  # an import writes the same few cadences thousands of times
def cadence_days(cadence: str | None) -> int | None:
    """The fewest days a stored cadence can span (None: no cadence, or not one rel can read).

    The agenda's SQL leaves out contacts whose last interaction plus this many days is past
    its horizon, so every write of a cadence writes this beside it (`cadence_days`)."""
    if not cadence:
        return None
    try:
        return parse_cadence(cadence).soft.min_days
    except RelError:
        return None


def _checked_date(
    year: int | None, month: int, day: int, text: str, *, first_year: int = FIRST_YEAR
) -> date:
    """The date, or BadValue naming what is wrong; without a year, 29 February is allowed."""
    if not 1 <= month <= 12:
        raise BadValue(f"expected a month from 1 to 12; got {shown(text)}")
    if year is not None and not first_year <= year <= LAST_YEAR:
        raise BadValue(f"expected a year from {first_year} to {LAST_YEAR}; got {shown(text)}")
    check_year = 2000 if year is None else year  # 2000 is a leap year
    last_day = calendar.monthrange(check_year, month)[1]
    if not 1 <= day <= last_day:
        month_name = calendar.month_name[month] + ("" if year is None else f" {year}")
        raise BadValue(
            f"{month_name} has no day {day} (expected 1 to {last_day}); got {shown(text)}"
        )
    return date(check_year, month, day)


def _month_day(words: list[str]) -> tuple[int, int, int | None] | None:
    """(month, day, year) from `dec 5`, `5 dec`, `december 5 2026`, `5th dec 2026`."""
    if len(words) not in (2, 3):
        return None
    year: int | None = None
    if len(words) == 3:
        if not re.fullmatch(r"\d{4}", words[2]):
            return None
        year = int(words[2])
    first, second = words[0], words[1]
    if first in MONTHS and (m := _ORDINAL.match(second)):
        return MONTHS[first], int(m.group(1)), year
    if second in MONTHS and (m := _ORDINAL.match(first)):
        return MONTHS[second], int(m.group(1)), year
    return None


def parse_when(text: str, today: date, *, past: bool | None) -> date:
    """WHEN, relative to `today`, within the years FIRST_YEAR to LAST_YEAR.

    A bare weekday or month-day (`friday`, `dec 10`) resolves by the kind of field:
    `past=True` (what happened: `log --on`, `gift gave --on`) gives the most recent one, today
    included; `past=False` (what is to come: `remind --on`, `snooze`, a follow-up) the next
    one, today included (a bare weekday: the coming one); `past=None` (either: `event --on`)
    the nearer of the two. A bare duration (`2w`) counts back for a past or either field and
    forward for a future one.
    """
    words = _words(text)
    bad = BadValue(f"expected a date such as {WHEN_EXAMPLES}; got {shown(text)}")
    if not words:
        raise bad
    try:
        found = _parse_when_words(words, today, past=past, text=text) or _raise(bad)
    except OverflowError:
        found = date.max
    return check_date(found, text)


def _raise(error: Exception) -> date:
    raise error


def _parse_when_words(words: str, today: date, *, past: bool | None, text: str) -> date | None:
    if words in ("today", "now"):
        return today
    if words == "yesterday":
        return today - timedelta(days=1)
    if words == "tomorrow":
        return today + timedelta(days=1)
    if match := _ISO_DATE.match(words):
        year, month, day = (int(part) for part in match.groups())
        return _checked_date(year, month, day, text)
    parts = words.split()
    if parts[-1] in WEEKDAYS and len(parts) <= 2:
        target = WEEKDAYS[parts[-1]]
        back = (today.weekday() - target) % 7
        ahead = (target - today.weekday()) % 7
        if len(parts) == 1:
            if past is None:  # the nearer: today, or the closer of the last and the next
                return today - timedelta(days=back) if back <= ahead else today + timedelta(ahead)
            if past:  # for an interaction's --on, today counts
                return today - timedelta(days=back)
            return today + timedelta(days=ahead or 7)
        which = parts[0]
        if which in ("last", "past", "previous"):
            return today - timedelta(days=back or 7)
        if which in ("next", "this", "coming", "on"):
            return today + timedelta(days=ahead or 7)
        return None
    if parts[0] in ("last", "next") and len(parts) == 2 and parts[1] in UNITS:
        step = Duration(1, UNITS[parts[1]])
        return step.before(today) if parts[0] == "last" else step.after(today)
    if parts[-1] == "ago" and len(parts) >= 2:
        return _offset(" ".join(parts[:-1]), text).before(today)
    if parts[0] == "in" and len(parts) >= 2:
        return _offset(" ".join(parts[1:]), text).after(today)
    if parts[0].startswith("+") and len(parts) == 1:
        return _offset(parts[0][1:], text).after(today)
    if md := _month_day(parts):
        month, day, year = md
        if year is not None:
            return _checked_date(year, month, day, text)
        _checked_date(None, month, day, text)
        return _nearest_month_day(month, day, today, past=past)
    if _is_duration_shaped(words):
        # a bare duration: "2w" is two weeks ago for a past date, in two weeks for a future one
        offset = _offset(words, text)
        return offset.after(today) if past is False else offset.before(today)
    return None


def _offset(words: str, text: str) -> Duration:
    if not _is_duration_shaped(words):
        raise BadValue(f"expected a date such as {WHEN_EXAMPLES}; got {shown(text)}")
    return _duration(_words(words), text)


def _is_duration_shaped(words: str) -> bool:
    """A count and a unit, or a named duration: errors inside it are worth their own message."""
    match = _COUNT_UNIT.match(_words(words))
    return bool(match and match.group(2) in UNITS) or _words(words) in NAMED_DURATIONS


def _nearest_month_day(month: int, day: int, today: date, *, past: bool | None) -> date:
    """The last (past), coming (future) or nearer (None) `month day`, today included;
    29 February only in leap years. Equally near both ways, the past one."""
    if past is None:
        before = _nearest_month_day(month, day, today, past=True)
        after = _nearest_month_day(month, day, today, past=False)
        return before if today - before <= after - today else after
    step = -1 if past else 1
    year = today.year
    for _ in range(9):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if (past and candidate <= today) or (not past and candidate >= today):
                return candidate
        year += step
    raise BadValue(f"no such date near {today.year}: {calendar.month_abbr[month]} {day}")


def parse_time(text: str) -> time:
    """A time of day: `14:30`, `9:05`, `2pm`, `2:30pm`."""
    words = _words(text).replace(" ", "")
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(am|pm)?", words)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3):
            if not 1 <= hour <= 12:
                match = None
            else:
                hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
        if match and hour < 24 and minute < 60 and (match.group(2) or match.group(3)):
            return time(hour, minute)
    raise BadValue(f"expected a time of day such as 14:30 or 2pm; got {shown(text)}")


def parse_birthday(text: str, *, today: date | None = None) -> Birthday:
    """A birthday with or without its year: `03-14`, `--03-14`, `1990-03-14`, `mar 14 1990`.

    A year goes back to FIRST_BIRTH_YEAR; with `today`, a birthday after today is refused.
    """
    words = _words(text)
    bad = BadValue(
        f"expected a birthday such as 03-14, 1990-03-14, mar 14 or 14 march 1990; got {shown(text)}"
    )
    year: int | None = None
    if match := re.fullmatch(r"(?:--)?(\d{1,2})-?(\d{2})", words):
        month, day = int(match.group(1)), int(match.group(2))
        if "-" not in words and len(words) != 6:  # "--0314" only with the dashes in front
            raise bad
    elif match := _ISO_DATE.match(words):
        year, month, day = (int(part) for part in match.groups())
    elif md := _month_day(words.split()):
        month, day, year = md
    else:
        raise bad
    _checked_date(year, month, day, text, first_year=FIRST_BIRTH_YEAR)
    birthday = Birthday(month, day, year)
    return birthday if today is None else birthday.check_past(today, text)


# --- RULE: when a scheduled touchpoint recurs ---------------------------------------------

RULE_EXAMPLES = (
    "3w, monthly, every year, monthly on the 1st, every 2 weeks on friday, "
    "or FREQ=MONTHLY;BYMONTHDAY=-1"
)
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQUENCIES = {"d": "DAILY", "w": "WEEKLY", "m": "MONTHLY", "y": "YEARLY"}
# A rule must have a date within this many years of its start, or it is refused: it would
# otherwise never come up (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30).
RULE_HORIZON_YEARS = 10
# The parts of an RRULE rel evaluates, with the range of each number. Reminders fall on days:
# BYHOUR, BYMINUTE, BYSECOND and the sub-daily frequencies are refused.
RULE_NUMBERS = {
    "INTERVAL": (1, 1000),
    "COUNT": (1, 10_000),
    "BYMONTHDAY": (-31, 31),
    "BYMONTH": (1, 12),
    "BYYEARDAY": (-366, 366),
    "BYWEEKNO": (-53, 53),
    "BYSETPOS": (-366, 366),
}
RULE_PARTS = ("FREQ", "UNTIL", "BYDAY", "WKST", *RULE_NUMBERS)
# Parts RFC 5545 gives no meaning with some frequencies (BYSETPOS with DAILY selects from one
# day: nothing to choose).
RULE_PART_FREQUENCIES = {
    "BYMONTHDAY": ("DAILY", "MONTHLY", "YEARLY"),
    "BYYEARDAY": ("YEARLY",),
    "BYWEEKNO": ("YEARLY",),
    "BYSETPOS": ("WEEKLY", "MONTHLY", "YEARLY"),
}
_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_UNTIL = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?")


def check_rrule(rrule: str, start: date, text: str) -> str:
    """The RRULE, its UNTIL written as a date, or BadValue naming the part that is wrong.

    One check for every way a rule comes in (remind --every, edit, imports): each part known
    and given once, each number in its range, a frequency of at least a day, an end not before
    the start. What passes can be evaluated by dateutil in bounded time.
    """

    def bad(what: str) -> BadValue:
        return BadValue(f"expected {what}; got {shown(text)}")

    parts: dict[str, str] = {}
    for part in rrule.split(";"):
        name, sep, value = part.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise bad("an RRULE of NAME=VALUE parts separated by ; (such as FREQ=MONTHLY)")
        if name not in RULE_PARTS:
            raise bad(f"RRULE parts among {', '.join(RULE_PARTS)} (not {name})")
        if name in parts:
            raise bad(f"each RRULE part once ({name} is given twice)")
        parts[name] = value
    freq = parts.get("FREQ")
    if freq not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        raise bad("FREQ=DAILY, WEEKLY, MONTHLY or YEARLY (a reminder recurs on days at most)")
    for name, (low, high) in RULE_NUMBERS.items():
        for item in parts.get(name, "").split(",") if name in parts else ():
            if not re.fullmatch(r"[+-]?\d{1,6}", item) or not low <= int(item) <= high:
                raise bad(f"{name} from {low} to {high}{' but not 0' if low < 0 else ''}")
            if int(item) == 0:
                raise bad(f"{name} from {low} to {high} but not 0")
    for name, frequencies in RULE_PART_FREQUENCIES.items():
        if name in parts and freq not in frequencies:
            raise bad(f"{name} only with FREQ={' or '.join(frequencies)} (RFC 5545)")
    if "BYSETPOS" in parts and not any(p.startswith("BY") and p != "BYSETPOS" for p in parts):
        raise bad("BYSETPOS with another BY part (BYDAY, BYMONTHDAY ...)")
    if "WKST" in parts and parts["WKST"] not in RRULE_DAYS:
        raise bad(f"WKST one of {', '.join(RRULE_DAYS)}")
    if "BYDAY" in parts:
        within_month = freq == "MONTHLY" or (freq == "YEARLY" and "BYMONTH" in parts)
        for item in parts["BYDAY"].split(","):
            match = _BYDAY.fullmatch(item)
            if not match:
                raise bad("BYDAY days such as MO, FR, 1MO or -1FR")
            if match.group(1) is None:
                continue
            number = int(match.group(1))
            limit = 5 if within_month else 53
            if freq in ("DAILY", "WEEKLY") or "BYWEEKNO" in parts:
                raise bad("BYDAY without a number (1MO) except with FREQ=MONTHLY or YEARLY")
            if number == 0 or abs(number) > limit:
                raise bad(f"a BYDAY number from -{limit} to {limit} but not 0 (1MO, -1FR)")
    if "UNTIL" in parts:
        match = _UNTIL.fullmatch(parts["UNTIL"])
        if not match:
            raise bad("UNTIL as a date such as 20261231")
        year, month, day = (int(group) for group in match.groups())
        until = _checked_date(year, month, day, text)
        if until < start:
            raise bad(f"an UNTIL not before the rule's start ({start.isoformat()})")
        parts["UNTIL"] = until.strftime("%Y%m%d")
    return ";".join(f"{name}={value}" for name, value in parts.items())


@dataclass(frozen=True)
class Rule:
    """A recurrence as an RFC 5545 RRULE (`FREQ=MONTHLY;BYMONTHDAY=31`), from a start day."""

    rrule: str
    start: date

    def __str__(self) -> str:
        return self.rrule

    def _rule(self, until: date, shift: int):  # -> dateutil.rrule.rrule
        """The rule moved `shift` years later, evaluated no further than `until` (moved too)
        nor than its own UNTIL or COUNT."""
        import warnings
        from datetime import datetime

        from dateutil.rrule import rrulestr

        start = datetime.combine(_later(self.start, shift), time())
        rule = rrulestr(self.rrule, dtstart=start)
        bound = datetime.combine(_later(until, shift), time())
        own = rule._until  # type: ignore[attr-defined]
        if own is not None:
            own = datetime.combine(_later(own.date(), shift), time())
        with warnings.catch_warnings():  # COUNT with UNTIL: dateutil warns, then ends at both
            warnings.simplefilter("ignore", DeprecationWarning)
            return rule.replace(until=min(own, bound) if own else bound)

    def _may_come(self, first: date, last: date) -> bool:
        """Whether a daily rule has a day from `first` to `last` that its BY parts let through,
        counted here in a few thousand steps: dateutil would look for one day by day up to
        year 9999 (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30). Other frequencies: True."""
        check_rrule(self.rrule, self.start, self.rrule)  # a stored rule is evaluated bounded too
        parts = dict(part.split("=", 1) for part in self.rrule.split(";"))
        if parts.get("FREQ") != "DAILY":
            return True
        step = int(parts.get("INTERVAL", "1"))
        months = {int(m) for m in parts["BYMONTH"].split(",")} if "BYMONTH" in parts else None
        days = {int(d) for d in parts["BYMONTHDAY"].split(",")} if "BYMONTHDAY" in parts else None
        weekdays = (
            {RRULE_DAYS.index(d) for d in parts["BYDAY"].split(",")} if "BYDAY" in parts else None
        )
        behind = max(0, (first - self.start).days)
        day = self.start + timedelta(days=-(-behind // step) * step)
        while day <= last:
            length = calendar.monthrange(day.year, day.month)[1]
            if (
                (months is None or day.month in months)
                and (days is None or day.day in days or day.day - length - 1 in days)
                and (weekdays is None or day.weekday() in weekdays)
            ):
                return True
            day += timedelta(days=step)
        return False

    @staticmethod
    def _shift(last: date) -> int:
        """How many years to move an evaluation ending on `last` so that it ends near year
        9999: dateutil looks for a next date up to that year even past UNTIL, so a rule whose
        dates have stopped would be searched for thousands of years. The Gregorian calendar
        repeats every 400 years (same weekdays, same leap days), so moving the start and the
        window by a multiple of 400 years gives the same dates, moved."""
        return max(0, (9999 - 1 - last.year) // CALENDAR_CYCLE_YEARS) * CALENDAR_CYCLE_YEARS

    def next_after(self, day: date, *, inclusive: bool = False) -> date | None:
        """The first occurrence after `day` (or on it, if inclusive); None when there is none
        within RULE_HORIZON_YEARS + 4 years."""
        from datetime import datetime

        limit = date(min(day.year + RULE_HORIZON_YEARS + 4, 9998), 12, 31)
        if not self._may_come(day, limit):
            return None
        shift = self._shift(limit)
        after = datetime.combine(_later(day, shift), time())
        found = self._rule(limit, shift).after(after, inc=inclusive)
        return _later(found.date(), -shift) if found else None

    def between(self, start: date, end: date) -> list[date]:
        from datetime import datetime

        if not self._may_come(start, min(end, _years_later(start, RULE_HORIZON_YEARS + 4))):
            return []
        shift = self._shift(end)
        rule = self._rule(end, shift)
        first, last = (datetime.combine(_later(d, shift), time()) for d in (start, end))
        return [_later(d.date(), -shift) for d in rule.between(first, last, inc=True)]


CALENDAR_CYCLE_YEARS = 400


def _years_later(day: date, years: int) -> date:
    return date(min(day.year + years, 9998), 12, 31)


def _later(day: date, years: int) -> date:
    """`day` moved by whole 400-year cycles (29 February stays 29 February)."""
    return day.replace(year=day.year + years) if years else day


def _ordinal_day(word: str) -> int | None:
    if word in ("last", "final"):
        return -1
    names = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
    if word in names:
        return names[word]
    match = _ORDINAL.match(word)
    return int(match.group(1)) if match else None


def _month_end_clamped(day: int) -> str:
    """BYMONTHDAY for a human "every month on the `day`": in a month without that day, its
    last day (30 -> 28, 29 or 30 in February). RFC 5545's BYMONTHDAY=30 alone skips February."""
    if day == 31:
        return "BYMONTHDAY=-1"
    if day >= 29:
        return "BYMONTHDAY=" + ",".join(str(d) for d in range(28, day + 1)) + ";BYSETPOS=-1"
    return f"BYMONTHDAY={day}"


def _rule_phrase(words: str, start: date) -> str | None:
    """An RRULE for the phrases people say: `monthly on the 1st`, `every 2 weeks on friday`,
    `every monday`, `every weekday`, `monthly on the last friday`. A monthly or yearly one
    from a day some months lack (the 29th to the 31st, 29 February) falls on the month's last
    day in those months, as the cadences of the agenda do."""
    base, _, on = words.partition(" on ")
    on = on.removeprefix("the ").strip()
    if base.startswith("every ") and base.split()[-1] in WEEKDAYS and not on:
        base, on = "weekly", base.split(maxsplit=1)[1]
    if base in ("every weekday", "weekdays", "every working day"):
        return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    bare = base.removeprefix("every ").removeprefix("each ")
    if not _is_duration_shaped(bare) and bare not in UNITS:
        return None
    duration = _duration(base, base)
    parts = [f"FREQ={FREQUENCIES[duration.unit]}"]
    if duration.count > 1:
        parts.append(f"INTERVAL={duration.count}")
    if not on:
        if duration.unit == "m" and start.day >= 29:
            parts.append(_month_end_clamped(start.day))
        elif duration.unit == "y" and (start.month, start.day) == (2, 29):
            parts.append("BYMONTH=2;BYMONTHDAY=-1")
        return ";".join(parts)
    tokens = on.replace(" and ", ",").replace(",", " ").split()
    if all(t in WEEKDAYS for t in tokens):
        parts.append("BYDAY=" + ",".join(RRULE_DAYS[WEEKDAYS[t]] for t in tokens))
        return ";".join(parts)
    if len(tokens) == 2 and tokens[1] in WEEKDAYS and (n := _ordinal_day(tokens[0])):
        parts.append(f"BYDAY={n}{RRULE_DAYS[WEEKDAYS[tokens[1]]]}")
        return ";".join(parts)
    if tokens and tokens[-1] == "day":
        tokens = tokens[:-1]
    if len(tokens) == 1 and (n := _ordinal_day(tokens[0])) and -1 <= n <= 31:
        parts.append(_month_end_clamped(n) if duration.unit == "m" else f"BYMONTHDAY={n}")
        return ";".join(parts)
    return None


def parse_rule(text: str, start: date) -> Rule:
    """RULE: a DUR (`3w`, `monthly`), a phrase (`monthly on the 1st`, `every year`,
    `every 2 weeks on friday`) or a raw RRULE (`FREQ=MONTHLY;BYMONTHDAY=-1`), from `start`.

    A DUR or a phrase keeps to the month's last day when the day is missing (monthly from the
    31st: 28 February, 31 March, 30 April); a raw RRULE keeps RFC 5545's meaning (BYMONTHDAY=31
    skips the short months). Every rule passes `check_rrule`; COUNT, UNTIL, BYDAY, BYMONTHDAY,
    BYMONTH, BYSETPOS ... are evaluated by dateutil.rrule.
    """
    raw = text.strip()
    bad = BadValue(f"expected a rule such as {RULE_EXAMPLES}; got {shown(text)}")
    if raw.upper().startswith(("FREQ=", "RRULE:")):
        rrule = raw.upper().removeprefix("RRULE:")
        if "DTSTART" in rrule or "\n" in rrule or "\r" in rrule:
            raise bad
    else:
        words = _words(raw)
        if words in ("every year", "each year", "annual"):
            words = "yearly"
        if not words:
            raise bad
        try:
            found = _rule_phrase(words, start)
        except BadValue as error:  # a duration out of range: its own message, the whole text
            raise BadValue(error.message.rsplit("; got ", 1)[0] + f"; got {shown(text)}") from None
        if found is None:
            raise bad
        rrule = found
    rule = Rule(check_rrule(rrule, start, text), start)
    try:
        first = rule.next_after(start, inclusive=True)
    except (ValueError, TypeError, OverflowError, IndexError) as error:
        raise BadValue(f"expected a valid RRULE ({error}); got {shown(text)}") from None
    if first is None or first.year > start.year + RULE_HORIZON_YEARS:
        raise BadValue(
            f"the rule {shown(text)} has no date in the {RULE_HORIZON_YEARS} years from "
            f"{start.isoformat()}; expected a rule that comes up"
        )
    return rule
