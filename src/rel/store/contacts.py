"""A contact's own row, handles and tags in the store: typed functions over the named
statements of rel.store.queries, for `rel add`, `rel edit`, `rel archive` and `rel tag`.

They take a Reader (the compiled statements on sqlite3, or a session on any engine) and the
domain's values, and give dataclasses back; rows are read by column name. The derived columns
are written with what they derive from: `search_name` with the name, `cadence_days` with the
cadence, a handle's `search_value` with its value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rel.domain.dates import Birthday, cadence_days
from rel.domain.fields import NAMES

if TYPE_CHECKING:
    from rel.store.queries import Store


@dataclass(frozen=True)
class NewContact:
    name: str
    texts: Mapping[str, str | None]  # rel.domain.fields: company, title, met, notes ...
    birthday: Birthday | None
    cadence: str | None
    added_on: date
    now: datetime
    uid: str | None = None  # a card's own UID; else the store makes one


@dataclass
class ContactRecord:
    """A contact's row as `rel edit` changes it."""

    id: int
    name: str
    texts: dict[str, str | None]
    birthday: Birthday | None
    cadence: str | None
    archived: bool
    updated_at: datetime


@dataclass(frozen=True)
class StoredHandle:
    id: int
    kind: str  # email, phone, link, alias
    value: str
    search_value: str
    position: int


@dataclass(frozen=True)
class StoredTag:
    id: int
    name: str
    cadence: str | None


@dataclass(frozen=True)
class TagSummary:
    name: str
    contacts: int  # contacts with the tag that are not archived
    cadence: str | None


@dataclass(frozen=True)
class ContactHandles:
    handles: list[StoredHandle] = field(default_factory=list)

    @property
    def keys(self) -> set[tuple[str, str]]:
        return {(h.kind, h.search_value) for h in self.handles}

    @property
    def next_position(self) -> int:
        return max((h.position for h in self.handles), default=-1) + 1


def _columns(
    name: str, texts: Mapping[str, str | None], birthday: Birthday | None, cadence: str | None
) -> dict[str, Any]:
    from rel.domain.values import fold

    return {
        "name": name,
        "search_name": fold(name),
        **{text: texts.get(text) for text in NAMES},
        "birthday_month": birthday.month if birthday else None,
        "birthday_day": birthday.day if birthday else None,
        "birthday_year": birthday.year if birthday else None,
        "cadence": cadence,
        "cadence_days": cadence_days(cadence),
    }


def insert_contact(reader: Any, contact: NewContact) -> int:
    """Add the contact's row; its id."""
    from rel.domain.identity import new_uid

    return reader.write(
        "insert_contact",
        uid=contact.uid or new_uid(),
        **_columns(contact.name, contact.texts, contact.birthday, contact.cadence),
        archived=False,
        added_on=contact.added_on,
        created_at=contact.now,
        updated_at=contact.now,
    )


def contact_record(reader: Any, contact_id: int) -> ContactRecord | None:
    found = reader.mappings("contact_record", id=contact_id)
    if not found:
        return None
    row = found[0]
    birthday = None
    if row["birthday_month"] and row["birthday_day"]:
        birthday = Birthday(row["birthday_month"], row["birthday_day"], row["birthday_year"])
    return ContactRecord(
        id=row["id"],
        name=row["name"],
        texts={text: row[text] for text in NAMES},
        birthday=birthday,
        cadence=row["cadence"],
        archived=bool(row["archived"]),
        updated_at=row["updated_at"],
    )


def update_contact(reader: Any, record: ContactRecord, *, now: datetime) -> None:
    """Write the record back as it is now, changed `now`."""
    reader.change(
        "update_contact",
        row_id=record.id,
        **_columns(record.name, record.texts, record.birthday, record.cadence),
        archived=record.archived,
        updated_at=now,
    )


def contact_handles(reader: Any, contact_id: int) -> ContactHandles:
    return ContactHandles(
        [
            StoredHandle(row["id"], row["kind"], row["value"], row["search_value"], row["position"])
            for row in reader.mappings("handles_of_contact_with_keys", id=contact_id)
        ]
    )


def insert_handle(
    reader: Any,
    contact_id: int,
    kind: str,
    value: str,
    search_value: str,
    position: int,
    label: str | None = None,
) -> int:
    return reader.write(
        "insert_handle",
        contact_id=contact_id,
        kind=kind,
        value=value,
        search_value=search_value,
        position=position,
        label=label,
    )


def delete_handle(reader: Any, handle_id: int) -> None:
    reader.change("delete_handle", id=handle_id)


def tag_named(reader: Any, name: str) -> StoredTag | None:
    found = reader.mappings("tag_named", name=name)
    if not found:
        return None
    row = found[0]
    return StoredTag(row["id"], row["name"], row["cadence"])


def insert_tag(reader: Any, name: str, cadence: str | None = None) -> StoredTag:
    tag_id = reader.write(
        "insert_tag", name=name, cadence=cadence, cadence_days=cadence_days(cadence)
    )
    return StoredTag(tag_id, name, cadence)


def set_tag_cadence(reader: Any, tag: StoredTag, cadence: str | None) -> StoredTag:
    reader.change(
        "update_tag_cadence", row_id=tag.id, cadence=cadence, cadence_days=cadence_days(cadence)
    )
    return StoredTag(tag.id, tag.name, cadence)


def tags_of_contact(reader: Any, contact_id: int) -> list[str]:
    return [row["name"] for row in reader.mappings("tags_of", ids=[contact_id])]


def tag_contact(reader: Any, contact_id: int, tag: StoredTag) -> None:
    reader.write("insert_contact_tag", contact_id=contact_id, tag_id=tag.id)


def untag_contact(reader: Any, contact_id: int, tag: StoredTag) -> bool:
    """Take the tag off the contact; False when they did not have it."""
    return reader.change("delete_contact_tag", contact_id=contact_id, tag_id=tag.id) > 0


def tag_summaries(reader: Any) -> list[TagSummary]:
    return [
        TagSummary(row["name"], row["contacts"], row["cadence"])
        for row in reader.mappings("tag_summaries")
    ]


@dataclass(frozen=True)
class SameContact:
    id: int
    name: str


def contacts_named(reader: Any, folded_name: str) -> list[SameContact]:
    """The contacts whose folded name is this one (rel.services.who.fold)."""
    return [
        SameContact(row["id"], row["name"])
        for row in reader.mappings("people_named", name=folded_name)
    ]


def contacts_with_email(reader: Any, email_key: str) -> list[SameContact]:
    """The contacts with this email (as rel.services.who.search_value gives it)."""
    return [
        SameContact(row["id"], row["name"])
        for row in reader.mappings("people_by_email", value=email_key)
    ]


def _chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def remove_contact(store: Store, contact_id: int) -> int:
    """Delete the contact with what is theirs alone; how many interactions went with them.

    The snoozes of their agenda rows (c12, b12, their touchpoints' and gifts') go first: SQLite
    gives a new row the id of a deleted last one, and a snooze left behind would hide that
    newcomer's row. Their interactions with nobody else go next; the store's foreign keys take
    the rest along (handles, tags, places in shared interactions, touchpoints, events, gifts)."""
    keys = [f"c{contact_id}", f"b{contact_id}"]
    keys += [f"t{row['id']}" for row in store.mappings("touchpoint_ids_of_contact", id=contact_id)]
    keys += [f"g{row['id']}" for row in store.mappings("gift_ids_of_contact", id=contact_id)]
    for chunk in _chunks(keys):
        store.change("delete_snoozes", keys=chunk)
    only_theirs = [
        row["interaction_id"]
        for row in store.mappings("interactions_of_contact_alone", id=contact_id)
    ]
    for chunk in _chunks(only_theirs):
        store.change("delete_interactions", ids=chunk)
    store.change("delete_contact", ids=[contact_id])
    return len(only_theirs)
