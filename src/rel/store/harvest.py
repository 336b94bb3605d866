"""The store's side of harvesting mail and calendars and of triage: typed functions over the
named statements below (merged into rel.store.queries.STATEMENTS), taking and returning plain
values and dataclasses.

`harvested_item` remembers what was harvested (a digest of each Message-ID, or of an event's
UID and day) so a second run of the same export adds nothing; `setting` remembers the user's
own addresses (`--me`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Select

# The functions take a Reader of rel.store.queries (typed Any here: queries merges this
# module's statements, and this module does not import it back).
Reader = Any

KEY_BATCH = 500  # keys looked up at a time


# --- the statements --------------------------------------------------------------------------


def _date_type() -> Any:
    from sqlalchemy import Date

    return Date()


def email_handles() -> Select:
    """Every contact's email addresses, as lookups compare them."""
    from sqlalchemy import select

    from rel.store.models import Contact, Handle

    return (
        select(Handle.contact_id, Handle.search_value, Contact.name)
        .join(Contact, Contact.id == Handle.contact_id)
        .where(Handle.kind == "email")
        .order_by(Handle.contact_id, Handle.position)
    )


def harvested_keys() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import HarvestedItem

    return select(HarvestedItem.key).where(HarvestedItem.key.in_(bindparam("keys", expanding=True)))


def some_harvested_item() -> Select:
    from sqlalchemy import select

    from rel.store.models import HarvestedItem

    return select(HarvestedItem.key).limit(1)


def insert_harvested_item() -> Any:
    from sqlalchemy import bindparam, insert

    from rel.store.models import HarvestedItem

    return insert(HarvestedItem.__table__).values(
        key=bindparam("key"), interaction_id=bindparam("interaction_id")
    )


def harvested_interaction() -> Select:
    """A harvested interaction of one kind with a contact on a day in one direction (a newer
    export's messages of that day are folded into it)."""
    from sqlalchemy import bindparam, select

    from rel.store.models import HarvestedItem, Interaction, Participant

    return (
        select(Interaction.id, Interaction.note)
        .join(Participant, Participant.interaction_id == Interaction.id)
        .join(HarvestedItem, HarvestedItem.interaction_id == Interaction.id)
        .where(
            Participant.contact_id == bindparam("contact_id"),
            Interaction.on == bindparam("on", type_=_date_type()),
            Interaction.direction == bindparam("direction"),
            Interaction.kind == bindparam("kind"),
        )
        .order_by(Interaction.id)
        .limit(1)
    )


def update_interaction_note() -> Any:
    from sqlalchemy import bindparam, update

    from rel.store.models import Interaction

    return (
        update(Interaction.__table__)
        .where(Interaction.__table__.c.id == bindparam("row_id"))
        .values(note=bindparam("note"))
    )


def setting_value() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import Setting

    return select(Setting.value).where(Setting.name == bindparam("name"))


def insert_setting() -> Any:
    from sqlalchemy import bindparam, insert

    from rel.store.models import Setting

    return insert(Setting.__table__).values(name=bindparam("name"), value=bindparam("value"))


def update_setting() -> Any:
    from sqlalchemy import bindparam, update

    from rel.store.models import Setting

    table = Setting.__table__
    return update(table).where(table.c.name == bindparam("name")).values(value=bindparam("value"))


def birthday_slots() -> Select:
    """Contacts with their birthday (to fill in those without one)."""
    from sqlalchemy import select

    from rel.store.models import Contact

    return select(Contact.id, Contact.name, Contact.search_name, Contact.birthday_month).order_by(
        Contact.id
    )


def set_birthday() -> Any:
    from sqlalchemy import bindparam, update

    from rel.store.models import Contact

    return (
        update(Contact.__table__)
        .where(Contact.__table__.c.id == bindparam("row_id"))
        .values(
            birthday_month=bindparam("month"),
            birthday_day=bindparam("day"),
            birthday_year=bindparam("year"),
        )
    )


def untriaged_interactions() -> Select:
    """The days of every interaction of the contacts with no cadence of their own who are not
    archived (and each such contact once, without a day, when they have none)."""
    from sqlalchemy import select

    from rel.store.models import Contact, Interaction, Participant

    return (
        select(Contact.id, Contact.name, Interaction.on, Interaction.kind, Interaction.note)
        .outerjoin(Participant, Participant.contact_id == Contact.id)
        .outerjoin(Interaction, Interaction.id == Participant.interaction_id)
        .where(Contact.cadence.is_(None), Contact.archived.is_(False))
        .order_by(Contact.id, Interaction.on)
    )


HARVEST_STATEMENTS: dict[str, Callable[[], Any]] = {
    "email_handles": email_handles,
    "harvested_keys": harvested_keys,
    "some_harvested_item": some_harvested_item,
    "insert_harvested_item": insert_harvested_item,
    "harvested_interaction": harvested_interaction,
    "update_interaction_note": update_interaction_note,
    "setting_value": setting_value,
    "insert_setting": insert_setting,
    "update_setting": update_setting,
    "birthday_slots": birthday_slots,
    "set_birthday": set_birthday,
    "untriaged_interactions": untriaged_interactions,
}


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
