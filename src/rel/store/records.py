"""The store's side of `rel edit KEY` and `rel rm KEY`: a record by its key, changed or removed.

Typed functions over named statements (rel.store.queries: RECORD_EDIT_STATEMENTS), so
they run on both readers: compiled for the standard library's sqlite3 on an up-to-date SQLite
store, or through an SQLAlchemy session on any engine. Rows come back by their columns' names.
What a record takes along when it goes (an interaction's participants, a touchpoint's
completions) is deleted explicitly, in the order the store's triggers expect (the participants
first: last_seen follows them).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import TYPE_CHECKING, Any

from rel.store.touchpoints import Interaction, LifeEvent, Party, Touchpoint

if TYPE_CHECKING:
    from rel.store.queries import Store


def _made(kind: type, row: dict[str, Any]) -> Any:
    return kind(**{f.name: row[f.name] for f in fields(kind)})


# --- the records --------------------------------------------------------------------------------


def interaction(store: Store, number: int) -> Interaction | None:
    found = store.mappings("interaction_by_id", id=number)
    return _made(Interaction, found[0]) if found else None


def life_event(store: Store, number: int) -> LifeEvent | None:
    found = store.mappings("life_event_by_id", id=number)
    return _made(LifeEvent, found[0]) if found else None


def contact_name(store: Store, contact_id: int) -> str | None:
    found = store.mappings("names_of_contacts", ids=[contact_id])
    return found[0]["name"] if found else None


def participants_of(store: Store, interaction_id: int) -> list[Party]:
    """Who took part in the interaction, by name."""
    rows = store.mappings("participants_of_interactions", ids=[interaction_id])
    return [Party(row["id"], row["name"]) for row in rows]


def follow_ups_of(store: Store, interaction_id: int) -> list[int]:
    """The touchpoints the interaction's --follow-up made, by id."""
    return [row["id"] for row in store.mappings("follow_ups_of_interactions", ids=[interaction_id])]


def touchpoints_of_event(store: Store, event_id: int) -> list[Touchpoint]:
    """The congratulation and anniversary a life event made, in the order they were made."""
    return [_made(Touchpoint, row) for row in store.mappings("touchpoints_of_event", id=event_id)]


def last_occurrence_closed(store: Store, touchpoint_id: int) -> date | None:
    """The latest occurrence of the touchpoint done or skipped."""
    [row] = store.mappings("last_occurrence_closed", id=touchpoint_id)
    return row["occurrence"]


# --- changing them ------------------------------------------------------------------------------


def save_interaction(store: Store, changed: Interaction) -> None:
    """Write an interaction's day, time, kind, direction and note as they are now."""
    store.change(
        "update_interaction", row_id=changed.id, on=changed.on, at=changed.at, kind=changed.kind,
        direction=changed.direction, note=changed.note,
    )  # fmt: skip


def add_participant(store: Store, interaction_id: int, contact_id: int) -> None:
    store.write("insert_participant", interaction_id=interaction_id, contact_id=contact_id)


def remove_participant(store: Store, interaction_id: int, contact_id: int) -> None:
    store.change("delete_participant", interaction_id=interaction_id, contact_id=contact_id)


def save_life_event(store: Store, changed: LifeEvent) -> None:
    """Write a life event's kind, day and text as they are now."""
    store.change(
        "update_life_event", row_id=changed.id, kind=changed.kind, on=changed.on,
        text=changed.text,
    )  # fmt: skip


# --- removing them ------------------------------------------------------------------------------


def remove_interaction(store: Store, interaction_id: int) -> None:
    """Delete an interaction: its participants first (so everyone's last interaction follows),
    then its follow-ups' link to it, then the interaction."""
    store.change("delete_participants_of_interaction", id=interaction_id)
    store.change("unlink_follow_ups", row_id=interaction_id)
    store.change("delete_interaction", id=interaction_id)


def remove_touchpoint(store: Store, touchpoint_id: int) -> int:
    """Delete a touchpoint with its completions and its snooze; how many completions went."""
    completions = store.change("delete_completions_of_touchpoint", id=touchpoint_id)
    store.change("delete_snooze", snooze_key=f"t{touchpoint_id}")
    store.change("delete_touchpoint", id=touchpoint_id)
    return completions


def remove_life_event(store: Store, event_id: int) -> None:
    """Delete a life event (its touchpoints are removed first, by remove_touchpoint)."""
    store.change("delete_life_event", id=event_id)


def remove_gift(store: Store, gift_id: int) -> None:
    """Delete a gift with the snooze of its agenda row."""
    store.change("delete_snooze", snooze_key=f"g{gift_id}")
    store.change("delete_gift", id=gift_id)
