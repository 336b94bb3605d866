"""The whole network as the store holds it, for rel export (every format) and for a restore to
check itself against: typed functions over the named statements of rel.store.queries.

Every table comes back whole, each row a dict by column name with Python values (dates as
`date`), in a stable order (by store id, or by day then id), on either reader: the compiled
statements on sqlite3, or an SQLAlchemy session on any engine. rel.services.network turns them
into rel's JSON document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rel.store.queries import Store

Row = dict[str, Any]


@dataclass(frozen=True)
class NetworkRows:
    """Every row of the network's tables, by column name."""

    tags: list[Row]  # by name
    contacts: list[Row]  # by id
    handles: list[Row]  # by contact, position, id
    contact_tags: list[Row]  # contact_id, name: by tag name
    participants: list[Row]  # interaction_id, contact_id
    interactions: list[Row]  # by day, id
    events: list[Row]  # by day, id
    completions: list[Row]  # by touchpoint, occurrence, id
    touchpoints: list[Row]  # by start, id
    gifts: list[Row]  # by id
    snoozes: list[Row]  # by key


def network_rows(store: Store) -> NetworkRows:
    """The whole network, in one transaction's view of it."""
    return NetworkRows(
        tags=store.mappings("network_tags"),
        contacts=store.mappings("network_contacts"),
        handles=store.mappings("network_handles"),
        contact_tags=store.mappings("network_contact_tags"),
        participants=store.mappings("network_participants"),
        interactions=store.mappings("network_interactions"),
        events=store.mappings("network_events"),
        completions=store.mappings("network_completions"),
        touchpoints=store.mappings("network_touchpoints"),
        gifts=store.mappings("network_gifts"),
        snoozes=store.mappings("network_snoozes"),
    )


@dataclass(frozen=True)
class CatchUpContact:
    """A contact not archived, with what their catch-up needs."""

    id: int
    name: str
    cadence: str | None
    added_on: date
    last_seen: date | None
    catch_up_skipped: date | None


def catch_up_contacts(store: Store) -> list[CatchUpContact]:
    """Every contact not archived, by id, their last interaction computed."""
    return [
        CatchUpContact(
            row["id"], row["name"], row["cadence"], row["added_on"], row["last_seen"],
            row["catch_up_skipped"],
        )
        for row in store.mappings("catch_up_contacts")
    ]  # fmt: skip


def tag_cadences(store: Store) -> dict[int, list[tuple[str, str]]]:
    """For every contact with a tag that carries a default cadence: (tag, cadence) pairs."""
    found: dict[int, list[tuple[str, str]]] = {}
    for row in store.mappings("tag_cadences"):
        found.setdefault(row["contact_id"], []).append((row["name"], row["cadence"]))
    return found


@dataclass(frozen=True)
class OpenTouchpoint:
    """An open touchpoint of a contact not archived, with the contact's name."""

    id: int
    kind: str
    text: str
    due: date
    start: date
    rule: str | None
    name: str
    uid: str | None = None  # the touchpoint's own (calendars know it by that)
    event_on: date | None = None  # the day of the life event that made it


def open_touchpoints(store: Store) -> list[OpenTouchpoint]:
    """By id."""
    return [
        OpenTouchpoint(
            row["id"],
            row["kind"],
            row["text"],
            row["due"],
            row["start"],
            row["rule"],
            row["name"],
            row["uid"],
            row["event_on"],
        )
        for row in store.mappings("open_touchpoints_with_names")
    ]
