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
from typing import TYPE_CHECKING, Any

from rel.services.agenda import catch_up, catch_up_suggestion, tag_cadences_of
from rel.store.queries import as_reader

if TYPE_CHECKING:
    from sqlmodel import Session

MIN_INTERACTIONS_FOR_A_RHYTHM = 3


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
    session: Session, today: date, *, tags: Sequence[str] = (), since: date | None = None
) -> Stats:
    """The numbers behind `rel stats` (archived contacts left out)."""
    from sqlalchemy import distinct, extract, func, select

    from rel.services.contacts import clean_tag
    from rel.store.models import Contact, ContactTag, Interaction, Participant, Tag

    names = [clean_tag(tag) for tag in tags]
    tagged = select(ContactTag.contact_id).join(Tag, Tag.id == ContactTag.tag_id)
    tagged = tagged.where(Tag.name.in_(names))

    def people(query: Any) -> Any:
        query = query.where(Contact.archived.is_(False))
        return query.where(Contact.id.in_(tagged)) if names else query

    def interactions(*columns: Any) -> Any:
        """Interactions with the contacts counted, as of --since: a select of `columns`."""
        query = people(
            select(*columns)
            .select_from(Interaction)
            .join(Participant, Participant.interaction_id == Interaction.id)
            .join(Contact, Contact.id == Participant.contact_id)
        )
        return query.where(Interaction.on >= since) if since else query

    contacts = session.execute(people(select(func.count()).select_from(Contact))).scalar_one()
    by_tag = session.execute(
        people(
            select(Tag.name, func.count(distinct(Contact.id)))
            .select_from(Contact)
            .join(ContactTag, ContactTag.contact_id == Contact.id)
            .join(Tag, Tag.id == ContactTag.tag_id)
        )
        .group_by(Tag.name)
        .order_by(func.count(distinct(Contact.id)).desc(), Tag.name)
    ).all()

    months = _months_back(today, 12)
    first = date(*months[0], 1)
    year, month = extract("year", Interaction.on), extract("month", Interaction.on)
    in_the_year = (
        people(
            select(year, month, func.count(distinct(Interaction.id)))
            .select_from(Interaction)
            .join(Participant, Participant.interaction_id == Interaction.id)
            .join(Contact, Contact.id == Participant.contact_id)
        )
        .where(Interaction.on >= first, Interaction.on <= today)
        .group_by(year, month)
    )
    counted = {(int(y), int(m)): n for y, m, n in session.execute(in_the_year)}
    per_month = [(f"{y:04d}-{m:02d}", counted.get((y, m), 0)) for y, m in months]

    reader = as_reader(session)
    tag_cadences = tag_cadences_of(reader)
    health = {"on time": 0, "due": 0, "overdue": 0}
    suffix, bound = ("_tagged", {"tags": names}) if names else ("", {})
    for contact_id, _n, cadence, added_on, *_birthday, seen, skipped in reader.rows(
        "every_agenda_contact" + suffix, **bound
    ):
        state = catch_up(cadence, tag_cadences.get(contact_id, ()), added_on, seen, today, skipped)
        if state is not None:
            health[state.health] += 1

    directions: dict[str, list[int]] = {}
    by_direction = (
        interactions(Tag.name, Interaction.direction, func.count(distinct(Interaction.id)))
        .join(ContactTag, ContactTag.contact_id == Contact.id)
        .join(Tag, Tag.id == ContactTag.tag_id)
        .group_by(Tag.name, Interaction.direction)
    )
    for name, direction, count in session.execute(by_direction):
        counts = directions.setdefault(name, [0, 0])
        counts[0 if direction == "me" else 1] += count
    reach_out = sorted(
        ((tag, me, them) for tag, (me, them) in directions.items()),
        key=lambda row: (-(row[1] + row[2]), row[0]),
    )
    favor_rows = session.execute(
        interactions(Interaction.direction, func.count(distinct(Interaction.id)))
        .where(Interaction.kind == "help")
        .group_by(Interaction.direction)
    ).all()
    favor_counts = dict(favor_rows)
    total = session.execute(interactions(func.count(distinct(Interaction.id)))).scalar_one()
    kinds = session.execute(
        interactions(Interaction.kind, func.count(distinct(Interaction.id)))
        .group_by(Interaction.kind)
        .order_by(func.count(distinct(Interaction.id)).desc(), Interaction.kind)
    ).all()
    return Stats(
        today=today,
        since=since,
        contacts=contacts,
        interactions=total,
        by_tag=[(name, count) for name, count in by_tag],
        per_month=per_month,
        health=health,
        reach_out=reach_out,
        favors={"given": favor_counts.get("me", 0), "received": favor_counts.get("them", 0)},
        kinds=[(kind, count) for kind, count in kinds],
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


def drifting(session: Session, today: date, *, limit: int | None = 10) -> list[Drift]:
    """Contacts whose time since the last interaction has grown most against their own rhythm
    (the median gap between their interactions; three interactions at least), cadence or not."""
    from sqlalchemy import distinct, func, select

    from rel.services.agenda import tags_of
    from rel.store.models import Contact, Interaction, Participant

    regulars = (
        select(Participant.contact_id)
        .join(Interaction, Interaction.id == Participant.interaction_id)
        .group_by(Participant.contact_id)
        .having(func.count(distinct(Interaction.on)) >= MIN_INTERACTIONS_FOR_A_RHYTHM)
    )
    rows = session.execute(
        select(Contact.id, Contact.name, Interaction.on)
        .distinct()
        .join(Participant, Participant.contact_id == Contact.id)
        .join(Interaction, Interaction.id == Participant.interaction_id)
        .where(Contact.archived.is_(False), Contact.id.in_(regulars), Interaction.on <= today)
        .order_by(Contact.id, Interaction.on)
    ).all()
    dates: dict[int, list[date]] = {}
    names: dict[int, str] = {}
    for contact_id, name, on in rows:
        dates.setdefault(contact_id, []).append(on)
        names[contact_id] = name
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
    tag_names = tags_of(as_reader(session), [item[1] for item in found])
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
