"""The store's side of harvesting mail and calendars and of triage: typed functions over the
named statements of rel.store.queries (its harvest section), taking and returning plain
values and dataclasses.

`harvested_item` remembers what was harvested (a digest of each Message-ID, or of an event's
UID and day) so a second run of the same export adds nothing; `setting` remembers the user's
own addresses (`--me`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

# The functions take a Reader of rel.store.queries (typed Any here: queries merges this
# module's statements, and this module does not import it back).
Reader = Any

KEY_BATCH = 500  # keys looked up at a time


# --- the typed functions ---------------------------------------------------------------------


@dataclass(frozen=True)
class KnownAddress:
    contact_id: int
    name: str


def known_addresses(reader: Reader) -> dict[str, KnownAddress]:
    """Every contact's email (lower case) and who has it (the first contact, if shared)."""
    found: dict[str, KnownAddress] = {}
    for row in reader.mappings("email_handles"):
        found.setdefault(row["search_value"], KnownAddress(row["contact_id"], row["name"]))
    return found


def already_harvested(reader: Reader, keys: Iterable[str]) -> set[str]:
    """Which of these keys were harvested before."""
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), KEY_BATCH):
        batch = keys[start : start + KEY_BATCH]
        found.update(row["key"] for row in reader.mappings("harvested_keys", keys=batch))
    return found


def harvested_before(reader: Reader) -> bool:
    """Whether anything was ever harvested into this store (else no interaction of a harvest
    can be there to fold new messages into)."""
    return bool(reader.mappings("some_harvested_item"))


def remember_harvested(reader: Reader, key: str, interaction_id: int | None) -> None:
    reader.change("insert_harvested_item", key=key, interaction_id=interaction_id)


@dataclass(frozen=True)
class HarvestedInteraction:
    id: int
    note: str | None


def harvested_interaction_of(
    reader: Reader, contact_id: int, on: date, direction: str, kind: str
) -> HarvestedInteraction | None:
    found = reader.mappings(
        "harvested_interaction", contact_id=contact_id, on=on, direction=direction, kind=kind
    )
    return HarvestedInteraction(found[0]["id"], found[0]["note"]) if found else None


def add_interaction(
    reader: Reader,
    contact_ids: Iterable[int],
    *,
    on: date,
    kind: str,
    note: str | None,
    direction: str,
    now: datetime,
    at: time | None = None,
) -> int:
    interaction_id = reader.write(
        "insert_interaction",
        on=on,
        at=at,
        kind=kind,
        note=note,
        direction=direction,
        created_at=now,
    )
    for contact_id in dict.fromkeys(contact_ids):
        reader.write("insert_participant", interaction_id=interaction_id, contact_id=contact_id)
    return interaction_id


def set_interaction_note(reader: Reader, interaction_id: int, note: str | None) -> None:
    reader.change("update_interaction_note", row_id=interaction_id, note=note)


def setting(reader: Reader, name: str) -> str | None:
    found = reader.mappings("setting_value", name=name)
    return found[0]["value"] if found else None


def save_setting(reader: Reader, name: str, value: str) -> None:
    if setting(reader, name) is None:
        reader.change("insert_setting", name=name, value=value)
    else:
        reader.change("update_setting", name=name, value=value)


@dataclass(frozen=True)
class BirthdaySlot:
    id: int
    name: str
    search_name: str
    has_birthday: bool


def birthday_slots_of(reader: Reader) -> list[BirthdaySlot]:
    return [
        BirthdaySlot(r["id"], r["name"], r["search_name"], r["birthday_month"] is not None)
        for r in reader.mappings("birthday_slots")
    ]


def set_contact_birthday(
    reader: Reader, contact_id: int, month: int, day: int, year: int | None
) -> None:
    reader.change("set_birthday", row_id=contact_id, month=month, day=day, year=year)


@dataclass(frozen=True)
class PastInteraction:
    on: date
    kind: str
    note: str | None


@dataclass
class Untriaged:
    """A contact with no cadence of their own, and their interactions, oldest first."""

    id: int
    name: str
    interactions: list[PastInteraction]


def untriaged(reader: Reader) -> list[Untriaged]:
    people: dict[int, Untriaged] = {}
    for row in reader.mappings("untriaged_interactions"):
        person = people.get(row["id"])
        if person is None:
            person = people[row["id"]] = Untriaged(row["id"], row["name"], [])
        if row["on"] is not None:
            person.interactions.append(PastInteraction(row["on"], row["kind"], row["note"]))
    return list(people.values())
