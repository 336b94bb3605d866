"""Reading calendar files (ICS): each event's occurrences up to a day, recurrences expanded.

An event's RRULE (evaluated with dateutil.rrule), its RDATEs and EXDATEs make its occurrences;
an instance overridden by a VEVENT with the same UID and a RECURRENCE-ID replaces the one it
names (moved, renamed, with other attendees, or cancelled). Times are compared as the event's
own wall-clock time (an EXDATE given in UTC is first converted to the event's zone), which is
how calendar programs match them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from rel.errors import BadValue

BIRTHDAY = re.compile(
    r"^(?:(?P<a>.+?)(?:'s|’s|s')\s+birthday|birthday(?: of|:|\s+-|\s+–)\s+(?P<b>.+?)"
    r"|(?P<c>.+?)\s+[-–(]\s*birthday\)?)\s*!?$",
    re.I,
)
ANNIVERSARY = re.compile(
    r"^(?:(?P<a>.+?)(?:'s|’s|s')\s+(?:wedding\s+)?anniversary|anniversary(?: of|:)\s+(?P<b>.+?))"
    r"\s*!?$",
    re.I,
)
MAX_OCCURRENCES = 100_000  # of one event, up to the day asked: a daily rule since 1970 fits


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a calendar event."""

    uid: str
    day: date
    at: time | None  # None: an all-day event
    summary: str
    emails: tuple[str, ...]  # attendees (not those who declined) and the organiser, lower case
    organiser: str | None


def _wall(value: Any, zone: Any) -> datetime:
    """A DATE or DATE-TIME as naive wall-clock time in `zone` (the event's own)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and zone is not None:
            value = value.astimezone(zone)
        return value.replace(tzinfo=None)
    return datetime.combine(value, time())


def _dates(component: Any, name: str) -> list[Any]:
    found = component.get(name)
    if found is None:
        return []
    lists = found if isinstance(found, list) else [found]
    values = []
    for item in lists:
        try:
            values.extend(one.dt for one in item.dts)
        except (AttributeError, ValueError):  # broken as some exporters write it: read it here
            values.extend(_lenient_dates(str(item)))
    return values


def _lenient_dates(text: str) -> list[date | datetime]:
    """`20131210Z` (a Z on a DATE, as Google's birthdays calendar writes it) and the like."""
    from datetime import UTC

    found: list[date | datetime] = []
    for match in re.finditer(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?(Z?)", text):
        year, month, day, hour, minute, second, utc = match.groups()
        try:
            if hour is None:
                found.append(date(int(year), int(month), int(day)))
            else:
                found.append(
                    datetime(
                        int(year),
                        int(month),
                        int(day),
                        int(hour),
                        int(minute),
                        int(second),
                        tzinfo=UTC if utc else None,
                    )
                )
        except ValueError:
            continue
    return found


def _emails(component: Any) -> tuple[tuple[str, ...], str | None]:
    emails = []
    attendees = component.get("ATTENDEE") or []
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        params = getattr(attendee, "params", {})
        if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
            continue
        address = _address(attendee)
        if address:
            emails.append(address)
    organiser = _address(component.get("ORGANIZER")) if component.get("ORGANIZER") else None
    if organiser:
        emails.append(organiser)
    return tuple(dict.fromkeys(emails)), organiser


def _address(value: Any) -> str | None:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().lower()
    return text if "@" in text else None


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _cancelled(component: Any) -> bool:
    return _text(component, "STATUS").upper() == "CANCELLED"


def _occurrence(component: Any, start: datetime, all_day: bool) -> Occurrence:
    emails, organiser = _emails(component)
    return Occurrence(
        uid=_text(component, "UID"),
        day=start.date(),
        at=None if all_day else start.time(),
        summary=_text(component, "SUMMARY"),
        emails=emails,
        organiser=organiser,
    )


def _rule_text(rule: Any) -> str:
    """The RRULE as dateutil reads it: UNTIL without a zone (compared as wall-clock time)."""
    text = rule.to_ical().decode() if hasattr(rule, "to_ical") else str(rule)
    text = text.replace("\\;", ";")  # some exporters escape the separators
    return re.sub(r"(UNTIL=\d{8}(?:T\d{6})?)Z", r"\1", text)


def _expand(master: Any, until: datetime) -> Iterator[tuple[datetime, bool]]:
    """The master's own occurrences (wall-clock start, all-day?) up to `until`."""
    from dateutil.rrule import rruleset, rrulestr

    raw = master.get("DTSTART")
    if raw is None:
        return
    value = raw.dt
    all_day = not isinstance(value, datetime)
    zone = value.tzinfo if isinstance(value, datetime) else None
    start = _wall(value, zone)
    rules = master.get("RRULE")
    rules = rules if isinstance(rules, list) else ([rules] if rules is not None else [])
    dates = rruleset()
    if rules:
        for rule in rules:
            text = _rule_text(rule)
            if "UNTIL=" in text and all_day:  # UNTIL as a DATE-TIME on a DATE event
                text = re.sub(r"UNTIL=(\d{8})T\d{6}", r"UNTIL=\1T235959", text)
            elif "UNTIL=" in text and re.search(r"UNTIL=\d{8}(;|$)", text):
                text = re.sub(r"UNTIL=(\d{8})(;|$)", r"UNTIL=\1T235959\2", text)
            try:
                dates.rrule(rrulestr(text, dtstart=start, ignoretz=True))  # type: ignore[arg-type]
            except (ValueError, TypeError) as problem:
                raise BadValue(
                    f"expected a recurrence rule; got {text!r} in {_text(master, 'UID')}: {problem}"
                ) from None
    else:
        dates.rdate(start)
    for extra in _dates(master, "RDATE"):
        if isinstance(extra, tuple):  # a PERIOD: its start
            extra = extra[0]
        dates.rdate(_wall(extra, zone) if not all_day else _wall(_as_date(extra), None))
    for excluded in _dates(master, "EXDATE"):
        dates.exdate(_wall(excluded, zone) if not all_day else _wall(_as_date(excluded), None))
    for count, when in enumerate(dates):
        if when > until or count >= MAX_OCCURRENCES:
            break
        yield when, all_day


def _as_date(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def read_calendar(data: bytes) -> list[Any]:
    """The VEVENTs of an ICS file."""
    from icalendar import Calendar

    text = data.decode("utf-8-sig", errors="replace")
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except (ValueError, IndexError, KeyError) as problem:
        raise BadValue(f"expected an iCalendar file (BEGIN:VCALENDAR …); {problem}") from None
    return [c for calendar in calendars for c in calendar.walk("VEVENT")]


def occurrences(events: list[Any], until: date) -> Iterator[Occurrence]:
    """Every occurrence up to and including the day `until`, recurrences expanded, each
    overridden instance replaced by its override, cancelled ones left out."""
    end = datetime.combine(until, time.max)
    masters: dict[str, Any] = {}
    overrides: dict[str, list[Any]] = {}
    for event in events:
        uid = _text(event, "UID")
        if event.get("RECURRENCE-ID") is not None:
            overrides.setdefault(uid, []).append(event)
        elif uid not in masters:
            masters[uid] = event
    for uid, master in masters.items():
        replaced: dict[datetime, Any] = {}
        raw = master.get("DTSTART")
        zone = raw.dt.tzinfo if raw is not None and isinstance(raw.dt, datetime) else None
        for override in overrides.pop(uid, []):
            replaced[_wall(override["RECURRENCE-ID"].dt, zone)] = override
        if _cancelled(master):
            continue
        for start, all_day in _expand(master, end):
            override = replaced.pop(start, None)
            if override is None:
                yield _occurrence(master, start, all_day)
            else:  # moved, renamed or cancelled: as the override says
                yield from _standalone(override, end)
        for override in replaced.values():  # naming no occurrence of the rule (an RDATE's)
            yield from _standalone(override, end)
    for orphans in overrides.values():  # overrides whose series is not in the file
        for override in orphans:
            yield from _standalone(override, end)


def _standalone(event: Any, end: datetime) -> Iterator[Occurrence]:
    raw = event.get("DTSTART")
    if raw is None or _cancelled(event):
        return
    value = raw.dt
    all_day = not isinstance(value, datetime)
    start = _wall(value, value.tzinfo if not all_day else None)
    if start <= end:
        yield _occurrence(event, start, all_day)


@dataclass(frozen=True)
class Yearly:
    """A birthday or anniversary read from a calendar: whose (as the summary names them), the
    day, and the year if the calendar gives a real one."""

    kind: str  # birthday, anniversary
    name: str
    month: int
    day: int
    year: int | None


def yearly_days(events: list[Any]) -> list[Yearly]:
    """The birthdays and anniversaries of a calendar (one per person and kind), from their
    summaries ("Alice's birthday", "Birthday: Alice", "Alice - Birthday"). The year is kept
    only from an event that says it is the birth (a yearly rule starting on it)."""
    found: dict[tuple[str, str], Yearly] = {}
    for event in events:
        summary = _text(event, "SUMMARY")
        for kind, pattern in (("birthday", BIRTHDAY), ("anniversary", ANNIVERSARY)):
            match = pattern.match(summary)
            if not match:
                continue
            name = next(g for g in match.groups() if g).strip(" \"'")
            raw = event.get("DTSTART")
            if not name or raw is None:
                break
            day = _as_date(raw.dt)
            rule = str(event.get("RRULE", {}).get("FREQ", [""])[0]) if event.get("RRULE") else ""
            year = day.year if rule.upper() == "YEARLY" and day.year > 1900 else None
            key = (kind, name.casefold())
            earlier = found.get(key)
            if earlier is None or (earlier.year is None and year is not None):
                found[key] = Yearly(kind, name, day.month, day.day, year)
            break
    return sorted(found.values(), key=lambda y: (y.kind, y.name.casefold()))
