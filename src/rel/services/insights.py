"""The network at a glance (`rel stats`) and the relationships cooling fastest (`rel drift`).

Counting is done by SQL (GROUP BY over the indexed tables); Python only applies the calendar
rules of cadences and takes medians of the few gaps of each contact.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rel.services.agenda import catch_up, catch_up_suggestion
from rel.store import agenda as stored_agenda
from rel.store import insights as stored
from rel.store.insights import MIN_INTERACTIONS_FOR_A_RHYTHM

if TYPE_CHECKING:
    from rel.store.queries import Store

__all__ = ["MIN_INTERACTIONS_FOR_A_RHYTHM", "Drift", "Stats", "drifting", "network_stats"]


@dataclass(frozen=True)
class Stats:
    today: date
    since: date | None
    contacts: int
    interactions: int  # with the contacts counted, as of since
    by_tag: list[tuple[str, int]]
    per_month: list[tuple[str, int]]  # YYYY-MM, the last 12 months, oldest first
    health: dict[str, int]  # on time / due / overdue, among contacts with a cadence
    reach_out: list[tuple[str, int, int]]  # tag, you reached out, they did
    favors: dict[str, int]  # given (you helped them), received (they helped you)
    kinds: list[tuple[str, int]]  # most used first


def _months_back(today: date, count: int) -> list[tuple[int, int]]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def network_stats(
    store: Store, today: date, *, tags: Sequence[str] = (), since: date | None = None
) -> Stats:
    """The numbers behind `rel stats` (archived contacts left out)."""
    from rel.domain.values import clean_tag

    names = [clean_tag(tag) for tag in tags]
    contacts = stored.contacts_counted(store, tags=names)
    by_tag = stored.contacts_by_tag(store, tags=names)

    months = _months_back(today, 12)
    first = date(*months[0], 1)
    counted = stored.interactions_by_month(store, first, today, tags=names)
    per_month = [(f"{y:04d}-{m:02d}", counted.get((y, m), 0)) for y, m in months]

    tag_cadences = stored_agenda.tag_cadences(store)
    health = {"on time": 0, "due": 0, "overdue": 0}
    for contact in stored_agenda.every_candidate(store, tags=names):
        state = catch_up(
            contact.cadence, tag_cadences.get(contact.id, ()), contact.added_on,
            contact.last_seen, today, contact.catch_up_skipped,
        )  # fmt: skip
        if state is not None:
            health[state.health] += 1

    reach_out = sorted(
        (
            (row.tag, row.me, row.them)
            for row in stored.reach_out_by_tag(store, since=since, tags=names)
        ),
        key=lambda row: (-(row[1] + row[2]), row[0]),
    )
    favor_counts = stored.favors_by_direction(store, since=since, tags=names)
    total = stored.interactions_counted(store, since=since, tags=names)
    kinds = stored.interactions_by_kind(store, since=since, tags=names)
    return Stats(
        today=today,
        since=since,
        contacts=contacts,
        interactions=total,
        by_tag=[(row.name, row.count) for row in by_tag],
        per_month=per_month,
        health=health,
        reach_out=reach_out,
        favors={"given": favor_counts.get("me", 0), "received": favor_counts.get("them", 0)},
        kinds=[(row.name, row.count) for row in kinds],
    )


@dataclass(frozen=True)
class Drift:
    contact_id: int
    name: str
    tags: tuple[str, ...]
    usual_gap: float  # median days between their interactions
    current_gap: int  # days since the last one
    ratio: float
    last_seen: date
    why: str
    suggestion: str


def drifting(store: Store, today: date, *, limit: int | None = 10) -> list[Drift]:
    """Contacts whose time since the last interaction has grown most against their own rhythm
    (the median gap between their interactions; three interactions at least), cadence or not."""
    dates: dict[int, list[date]] = {}
    names: dict[int, str] = {}
    for row in stored.interaction_days_of_regulars(store, today):
        dates.setdefault(row.contact_id, []).append(row.on)
        names[row.contact_id] = row.name
    found = []
    for contact_id, days in dates.items():
        if len(days) < MIN_INTERACTIONS_FOR_A_RHYTHM:
            continue
        gaps = [(later - earlier).days for earlier, later in itertools.pairwise(days)]
        usual = statistics.median(gaps)
        current = (today - days[-1]).days
        if usual <= 0 or current <= usual:
            continue
        found.append((round(current / usual, 2), contact_id, usual, current, days[-1]))
    found.sort(key=lambda item: (-item[0], names[item[1]].casefold(), item[1]))
    if limit is not None:
        found = found[:limit]
    tag_names = stored_agenda.tags_of(store, [item[1] for item in found])
    result = []
    for ratio, contact_id, usual, current, last in found:
        tags = tag_names.get(contact_id, ())
        result.append(
            Drift(
                contact_id=contact_id,
                name=names[contact_id],
                tags=tags,
                usual_gap=usual,
                current_gap=current,
                ratio=ratio,
                last_seen=last,
                why=(
                    f"usually every {usual:g} days, now {current} days since {last.isoformat()}: "
                    f"{ratio:.1f}×"
                ),
                suggestion=catch_up_suggestion(tags, overdue=True),
            )
        )
    return result
