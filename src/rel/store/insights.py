"""The counts behind `rel stats`, `rel drift` and `rel graph --tag`: typed functions over the
named statements of rel.store.queries (INSIGHT_STATEMENTS).

Each function takes the `Store` handle (a Reader of rel.store.queries; an SQLAlchemy session
works too). Archived contacts are left out everywhere; with tags, only the contacts with any
of them count. Counting is done by SQL (GROUP BY over the indexed tables).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from rel.store.queries import MIN_INTERACTIONS_FOR_A_RHYTHM, as_reader

if TYPE_CHECKING:
    from rel.store.queries import Store

__all__ = ["MIN_INTERACTIONS_FOR_A_RHYTHM"]  # and the functions below

# --- the typed functions -----------------------------------------------------------------------


class Counted(NamedTuple):
    """A name (a tag, a kind of interaction) and how many."""

    name: str
    count: int


class ReachOut(NamedTuple):
    """Interactions with a tag's contacts: how many you reached out for (`me`), and they."""

    tag: str
    me: int
    them: int


class InteractionDay(NamedTuple):
    contact_id: int
    name: str
    on: date


class TagMember(NamedTuple):
    id: int
    cadence: str | None
    added_on: date
    last_seen: date | None


def _run(store: Store, name: str, tags: Sequence[str], **params: Any) -> list[Any]:
    if tags:
        return as_reader(store).rows(f"{name}_tagged", tags=list(tags), **params)
    return as_reader(store).rows(name, **params)


def contacts_counted(store: Store, *, tags: Sequence[str] = ()) -> int:
    [(count,)] = _run(store, "stats_contacts", tags)
    return int(count)


def contacts_by_tag(store: Store, *, tags: Sequence[str] = ()) -> list[Counted]:
    """Contacts per tag, the most first."""
    return [Counted(name, int(n)) for name, n in _run(store, "stats_contacts_by_tag", tags)]


def interactions_by_month(
    store: Store, first: date, last: date, *, tags: Sequence[str] = ()
) -> dict[tuple[int, int], int]:
    """Interactions from `first` to `last`, by (year, month)."""
    rows = _run(store, "stats_interactions_by_month", tags, first=first, last=last)
    return {(int(year), int(month)): int(n) for year, month, n in rows}


def reach_out_by_tag(
    store: Store, *, since: date | None, tags: Sequence[str] = ()
) -> list[ReachOut]:
    """For each tag of the contacts counted: interactions you and they reached out for, in no
    particular order."""
    directions: dict[str, list[int]] = {}
    for name, direction, count in _run(store, "stats_reach_out_by_tag", tags, since=since):
        counts = directions.setdefault(name, [0, 0])
        counts[0 if direction == "me" else 1] += int(count)
    return [ReachOut(tag, me, them) for tag, (me, them) in directions.items()]


def favors_by_direction(
    store: Store, *, since: date | None, tags: Sequence[str] = ()
) -> dict[str, int]:
    """Favors (`help` interactions) by direction: `me` you helped them, `them` they did."""
    rows = _run(store, "stats_favors", tags, since=since)
    return {direction: int(count) for direction, count in rows}


def interactions_counted(store: Store, *, since: date | None, tags: Sequence[str] = ()) -> int:
    [(count,)] = _run(store, "stats_interactions", tags, since=since)
    return int(count)


def interactions_by_kind(
    store: Store, *, since: date | None, tags: Sequence[str] = ()
) -> list[Counted]:
    """Interactions by kind, the most used first."""
    rows = _run(store, "stats_kinds", tags, since=since)
    return [Counted(kind, int(count)) for kind, count in rows]


def interaction_days_of_regulars(store: Store, today: date) -> list[InteractionDay]:
    """The days (to `today`) of the interactions of every contact not archived with a rhythm,
    by contact, oldest first."""
    rows = _run(store, "interaction_days_of_regulars", (), today=today)
    return [InteractionDay._make(row) for row in rows]


def tag_members(store: Store, tag: str) -> list[TagMember]:
    """The contacts not archived with this tag."""
    return [TagMember._make(row) for row in _run(store, "tag_members", (), tag=tag)]


def interaction_days_of_contacts(
    store: Store, contact_ids: Sequence[int], *, since: date, last: date
) -> list[date]:
    """The day of each interaction (once) with any of these contacts from `since` to `last`."""
    rows = _run(
        store, "interaction_days_of_contacts", (), ids=list(contact_ids), since=since, last=last
    )
    return [row[1] for row in rows]
