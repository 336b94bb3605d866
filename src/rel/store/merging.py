"""The store's side of `rel dupes` and `rel merge`: what two records of one person hold, and
moving one's rows to the other.

Typed functions over named statements (rel.store.queries: MERGING_STATEMENTS), so they run on
both readers: compiled for the standard library's sqlite3 on an up-to-date SQLite store, or
through an SQLAlchemy session on any engine. Rows come back by their columns' names. A
contact's plain text fields are those of rel.domain.fields, read and written by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
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
