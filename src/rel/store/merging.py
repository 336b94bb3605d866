"""The store's side of `rel dupes` and `rel merge`: what two records of one person hold, and
moving one's rows to the other.

Typed functions over named statements (rel.store.queries: MERGING_STATEMENTS), so they run on
both readers: compiled for the standard library's sqlite3 on an up-to-date SQLite store, or
through an SQLAlchemy session on any engine. Rows come back by their columns' names. A
contact's plain text fields are those of rel.domain.fields, read and written by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rel.domain.fields import NAMES

if TYPE_CHECKING:
    from rel.store.queries import Store

# the tables whose rows belong to a contact, each row counting towards how much a record holds
HELD = ("participant", "touchpoint", "life_event", "gift", "handle", "contact_tag")


def _chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


# --- rel dupes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedContact:
    id: int
    name: str


@dataclass(frozen=True)
class ContactHandle:
    contact_id: int
    kind: str  # email or phone
    value: str
    search_value: str


@dataclass(frozen=True)
class Holding:
    """A contact with how much the record holds: its rows (interactions, touchpoints, events,
    gifts, handles, tags) and its details (the text fields, birthday and cadence)."""

    id: int
    name: str
    archived: bool
    added_on: date
    rows: int
    details: tuple[Any, ...]  # the text fields of rel.domain.fields, birthday month, cadence


def everyone(store: Store) -> list[NamedContact]:
    return [NamedContact(row["id"], row["name"]) for row in store.mappings("all_people")]


def emails_and_phones(store: Store) -> list[ContactHandle]:
    return [
        ContactHandle(row["contact_id"], row["kind"], row["value"], row["search_value"])
        for row in store.mappings("emails_and_phones")
    ]


def holdings(store: Store, contact_ids: list[int]) -> dict[int, Holding]:
    """The contacts `contact_ids` with how much each record holds."""
    found: dict[int, Holding] = {}
    for chunk in _chunks(contact_ids):
        rows: dict[int, int] = dict.fromkeys(chunk, 0)
        for table in HELD:
            for row in store.mappings(f"held_in_{table}", ids=chunk):
                rows[row["contact_id"]] += int(row["count"])
        for row in store.mappings("contact_details", ids=chunk):
            details = (*(row[name] for name in NAMES), row["birthday_month"], row["cadence"])
            found[row["id"]] = Holding(
                row["id"], row["name"], bool(row["archived"]), row["added_on"], rows[row["id"]],
                details,
            )  # fmt: skip
    return found


# --- rel merge: what each record holds ----------------------------------------------------------


@dataclass(frozen=True)
class MergingContact:
    """A contact's own row as a merge compares it."""

    id: int
    name: str
    texts: dict[str, str | None]  # rel.domain.fields: company, title, met, notes ...
    birthday: tuple[int, int, int | None] | None  # month, day, year
    cadence: str | None
    archived: bool
    added_on: date
    created_at: datetime


def merging_contact(store: Store, contact_id: int) -> MergingContact | None:
    found = store.mappings("contact_record", id=contact_id)
    if not found:
        return None
    row = found[0]
    birthday = None
    if row["birthday_month"] and row["birthday_day"]:
        birthday = (row["birthday_month"], row["birthday_day"], row["birthday_year"])
    return MergingContact(
        id=row["id"], name=row["name"], texts={name: row[name] for name in NAMES},
        birthday=birthday, cadence=row["cadence"], archived=bool(row["archived"]),
        added_on=row["added_on"], created_at=row["created_at"],
    )  # fmt: skip


def tags_with_ids(store: Store, contact_id: int) -> dict[int, str]:
    """The contact's tags, by their id, in the order of their names."""
    rows = store.mappings("tags_of_contact_with_ids", id=contact_id)
    return {row["id"]: row["name"] for row in rows}


def interactions_of(store: Store, contact_ids: list[int]) -> tuple[dict[int, set[int]], dict]:
    """Everyone taking part in each interaction any of these contacts took part in, and the
    interactions themselves (rel.store.records.Interaction), by id."""
    from rel.store.records import Interaction

    people: dict[int, set[int]] = {}
    for row in store.mappings("participants_of_interactions_of", ids=contact_ids):
        people.setdefault(row["interaction_id"], set()).add(row["contact_id"])
    interactions: dict[int, Interaction] = {}
    for chunk in _chunks(sorted(people)):
        for row in store.mappings("interactions_by_ids", ids=chunk):
            interactions[row["id"]] = Interaction(
                row["id"], row["on"], row["at"], row["kind"], row["direction"], row["note"]
            )
    return people, interactions


def counted(store: Store, table: str, contact_id: int) -> int:
    """How many rows of `table` (touchpoint, life_event, gift ...) the contact has."""
    rows = store.mappings(f"held_in_{table}", ids=[contact_id])
    return int(rows[0]["count"]) if rows else 0


def snoozes_of(store: Store, keys: list[str]) -> dict[str, date]:
    """The snoozed agenda rows among `keys`, with the day each is hidden until."""
    return {row["key"]: row["until"] for row in store.mappings("snoozes_of_keys", keys=keys)}


# --- rel merge: carrying it out -----------------------------------------------------------------


def move_handle(store: Store, handle_id: int, contact_id: int, position: int) -> None:
    store.change("move_handle", row_id=handle_id, contact_id=contact_id, position=position)


def add_tag(store: Store, contact_id: int, tag_id: int) -> None:
    store.write("insert_contact_tag", contact_id=contact_id, tag_id=tag_id)


def fold_interaction(store: Store, dropped: int, kept: int) -> None:
    """Drop an interaction identical to another: its follow-ups now hang off the kept one."""
    store.change("relink_follow_ups", row_id=dropped, interaction_id=kept)
    store.change("delete_interaction", id=dropped)


def drop_participation(store: Store, contact_id: int, interaction_ids: list[int]) -> None:
    """Take the contact out of these interactions."""
    for chunk in _chunks(interaction_ids):
        store.change("delete_participations", contact_id=contact_id, ids=chunk)


def move_participation(store: Store, from_id: int, to_id: int, interaction_ids: list[int]) -> None:
    """Put `to_id` in `from_id`'s place in these interactions."""
    for chunk in _chunks(interaction_ids):
        store.change("move_participations", from_id=from_id, contact_id=to_id, ids=chunk)


def move_records(store: Store, from_id: int, to_id: int) -> None:
    """Move the touchpoints, life events and gifts of one contact to another (ids kept)."""
    for table in ("touchpoint", "life_event", "gift"):
        store.change(f"move_{table}s", row_id=from_id, contact_id=to_id)


def set_origin(store: Store, contact_id: int, *, added_on: date, created_at: datetime) -> None:
    """The day the contact was added, and when their record was made."""
    store.change("update_contact_origin", row_id=contact_id, added_on=added_on,
                 created_at=created_at)  # fmt: skip


def remove_merged(store: Store, contact_id: int) -> None:
    """Delete what is left of a contact merged into another: their handles and tags (the
    other has them too) explicitly, then the contact."""
    store.change("delete_handles_of_contact", id=contact_id)
    store.change("delete_tags_of_contact", id=contact_id)
    store.change("delete_contact", ids=[contact_id])
