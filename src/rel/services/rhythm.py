"""One person's (or one tag's) rhythm: interactions per week or month, against what their
cadence asks for, so a gap shows at a glance (`rel graph`, the rhythm line of `rel show`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rel.domain.dates import add_months

if TYPE_CHECKING:
    from rel.store.queries import Store

BY = ("month", "week")
DAYS_PER_MONTH = 365.25 / 12
SPARKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str  # 2026-03, or the Monday of a week: 2026-03-02
    count: int  # interactions in it


@dataclass(frozen=True)
class Rhythm:
    """Interactions per period, oldest first, and the count the cadence asks for per period."""

    subject: str  # "Alice Chen (#1)" or "tag customer (12 contacts)"
    by: str
    periods: list[Period]
    expected: float | None  # None: no cadence
    cadence: str | None  # what asks for it: "the cadence every 3 weeks", "the cadences of 2"

    @property
    def total(self) -> int:
        return sum(period.count for period in self.periods)


def period_bounds(today: date, months: int, by: str) -> list[tuple[date, date, str]]:
    """The periods of the last `months` months up to `today`, oldest first: whole months, or
    weeks from Monday (the first week holds the day after the one `months` months back)."""
    if by == "month":
        first = add_months(today.replace(day=1), -(months - 1))
        bounds = []
        start = first
        while start <= today:
            following = add_months(start, 1)
            bounds.append((start, following - timedelta(days=1), f"{start:%Y-%m}"))
            start = following
        return bounds
    since = add_months(today, -months) + timedelta(days=1)
    start = since - timedelta(days=since.weekday())
    bounds = []
    while start <= today:
        bounds.append((start, start + timedelta(days=6), start.isoformat()))
        start += timedelta(days=7)
    return bounds


def count_by_period(days: list[date], bounds: list[tuple[date, date, str]]) -> list[Period]:
    """How many of `days` fall in each period (days outside them are not counted)."""
    counts = [0] * len(bounds)
    for day in days:
        for index, (start, end, _label) in enumerate(bounds):
            if start <= day <= end:
                counts[index] += 1
                break
    return [Period(s, e, label, n) for (s, e, label), n in zip(bounds, counts, strict=True)]


def expected_per_period(cadence_days: list[float], by: str) -> float | None:
    """What the cadences ask for in one period: 2 a month on a 2-week cadence; summed over a
    tag's contacts. None when nobody has a cadence."""
    if not cadence_days:
        return None
    length = DAYS_PER_MONTH if by == "month" else 7
    return round(sum(length / days for days in cadence_days), 2)


def sparkline(counts: list[int]) -> str:
    """ "▁▃▅▂▁▁▇▃▁▂▁▁": one block a period, its height the count against the busiest."""
    top = max(counts, default=0)
    if top == 0:
        return SPARKS[0] * len(counts)
    return "".join(SPARKS[round(count / top * (len(SPARKS) - 1))] for count in counts)


def periods_of_contact(
    store: Store, contact_id: int, today: date, *, months: int = 12, by: str = "month"
) -> list[Period]:
    """A contact's interactions per period (`rel show` reads its rhythm line on the standard
    library's sqlite3)."""
    from rel.store.profiles import interaction_days

    bounds = period_bounds(today, months, by)
    return count_by_period(interaction_days(store, contact_id, since=bounds[0][0]), bounds)


def contact_rhythm(store: Store, contact: Any, today: date, *, months: int, by: str) -> Rhythm:
    """`contact`: anything with an id and a name (a Person of rel.services.who)."""
    from rel.services.agenda import catch_up_state

    periods = periods_of_contact(store, contact.id, today, months=months, by=by)
    state = catch_up_state(store, contact.id, today)
    cadence = state.cadence if state is not None else None
    return Rhythm(
        f"{contact.name} (#{contact.id})",
        by,
        periods,
        expected_per_period([cadence.soft.approx_days] if cadence else [], by),
        f"the cadence {state.describe_cadence()}" if state is not None else None,
    )


def tag_rhythm(store: Store, tag: str, today: date, *, months: int, by: str) -> Rhythm:
    """Interactions with anyone of the tag (each interaction once), against the sum of what
    their cadences ask for."""
    from rel.domain.values import clean_tag
    from rel.services.agenda import catch_up, check_tags_exist
    from rel.store import agenda as stored_agenda
    from rel.store import insights as stored

    check_tags_exist(store, [tag])
    tag = clean_tag(tag)
    bounds = period_bounds(today, months, by)
    members = stored.tag_members(store, tag)
    days = stored.interaction_days_of_contacts(
        store, [member.id for member in members], since=bounds[0][0], last=today
    )
    cadences = stored_agenda.tag_cadences(store)
    lengths = []
    for member in members:
        state = catch_up(
            member.cadence, cadences.get(member.id, []), member.added_on, member.last_seen, today
        )
        if state is not None:
            lengths.append(state.cadence.soft.approx_days)
    people = f"{len(members)} contact" + ("" if len(members) == 1 else "s")
    return Rhythm(
        f"tag {tag} ({people})",
        by,
        count_by_period(days, bounds),
        expected_per_period(lengths, by),
        f"the cadences of {len(lengths)} of them" if lengths else None,
    )
