"""Interactions in the store: `rel log` (and `rel done`) writes one and its participants
through named statements, on the standard library's sqlite3 for an up-to-date SQLite store.
A trigger keeps each participant's `last_seen` (rel.store.engine)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from rel.store.queries import as_reader

if TYPE_CHECKING:
    from rel.store.queries import Store


@dataclass(frozen=True)
class NewInteraction:
    on: date
    at: time | None
    kind: str
    note: str | None
    direction: str  # me: I reached out; them: they did
    created_at: datetime


def add_interaction(store: Store, new: NewInteraction, contact_ids: Iterable[int]) -> int:
    """Write the interaction with these contacts taking part; its id."""
    writer = as_reader(store)
    interaction_id = writer.write(
        "insert_interaction", on=new.on, at=new.at, kind=new.kind, note=new.note,
        direction=new.direction, created_at=new.created_at,
    )  # fmt: skip
    for contact_id in contact_ids:
        writer.write("insert_participant", interaction_id=interaction_id, contact_id=contact_id)
    return interaction_id


def people_of_interactions_on_day(store: Store, *, kind: str, on: date) -> dict[int, set[int]]:
    """Who took part in each interaction of `kind` on the day `on`, by interaction."""
    taking_part: dict[int, set[int]] = {}
    for row in store.mappings("participants_of_kind_on_day", on=on, kind=kind):
        taking_part.setdefault(row["interaction_id"], set()).add(row["contact_id"])
    return taking_part
