"""A whole network as one JSON document: the seeds of `rel demo`, and rel's own JSON format.

```json
{"format": "rel", "version": 1,
 "tags": [{"name": "customer", "cadence": "1m"}],
 "contacts": [{"id": 1, "name": "Alice Chen", "tags": ["customer"], "cadence": "3w", ...}],
 "interactions": [{"date": "2026-02-10", "kind": "lunch", "with": [1], ...}]}
```

`dump_network` writes it (rel export json); `load_network` loads it whole into a new store
(rel demo); `rel.core.importing.document` merges it into a store that has people already
(rel import json). Ids in a document are its own: they tie interactions to contacts and are
remapped on loading.
Every value is checked as if a person had typed it; a bad record names its place
(`contacts[3].birthday`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, TypeVar

from rel.core import contacts as c
from rel.core.interactions import parse_kind
from rel.dates import Birthday, parse_birthday, parse_cadence
from rel.errors import BadValue, RelError

if TYPE_CHECKING:
    from sqlmodel import Session

FORMAT = "rel"
VERSION = 1
# The lists of a document, in the order they are written. Each is a list of objects; a contact
# is referred to by its document id. A new kind of record (touchpoints, gifts ...) is a new
# section here, written by `dump_network` and read by the JSON import; a rel that does not know
# a section reports it and leaves it out.
SECTIONS = ("tags", "contacts", "interactions")
T = TypeVar("T")


@dataclass(frozen=True)
class Loaded:
    contacts: int
    interactions: int


def _field(record: dict[str, Any], name: str, place: str, check: Callable[[Any], T]) -> T | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    try:
        return check(value)
    except RelError as error:
        raise BadValue(f"{place}.{name}: {error.message}") from None
    except (TypeError, ValueError, AttributeError):
        raise BadValue(f"{place}.{name}: unexpected value {value!r:.60}") from None


def _strings(
    record: dict[str, Any], name: str, place: str, check: Callable[[str], str]
) -> list[str]:
    values = record.get(name) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise BadValue(f"{place}.{name}: expected a list of strings")
    try:
        return [check(v) for v in values]
    except RelError as error:
        raise BadValue(f"{place}.{name}: {error.message}") from None


def instant(text: str) -> datetime:
    """An ISO date-time; one without a UTC offset is taken as UTC (the store keeps UTC)."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _text(what: str, *, one_line: bool = True) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            raise BadValue(f"expected text for {what}")
        return c.clean_text(value, what, one_line=one_line)

    return check


def load_network(session: Session, document: Any, *, today: date, now: datetime) -> Loaded:
    """Add every contact and interaction of `document` to the store, in the open transaction."""
    from rel.core.interactions import record_interaction
    from rel.models import Contact

    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadValue('expected a rel JSON document (with "format": "rel")')
    if document.get("version") != VERSION:
        raise BadValue(
            f"expected a rel JSON document of version {VERSION}; got {document.get('version')!r}"
        )
    records = document.get("contacts") or []
    if not isinstance(records, list):
        raise BadValue("contacts: expected a list")
    by_document_id: dict[Any, Contact] = {}
    for index, record in enumerate(records):
        place = f"contacts[{index}]"
        if not isinstance(record, dict):
            raise BadValue(f"{place}: expected an object")
        name = _field(record, "name", place, c.clean_name)
        if name is None:
            raise BadValue(f"{place}.name: expected a name")
        details = c.ContactDetails(
            emails=_strings(record, "emails", place, c.clean_email),
            phones=_strings(record, "phones", place, c.clean_phone),
            links=_strings(record, "links", place, c.clean_link),
            aliases=_strings(record, "aliases", place, c.clean_alias),
            tags=_strings(record, "tags", place, c.clean_tag),
            company=_field(record, "company", place, _text("a company")),
            title=_field(record, "title", place, _text("a title")),
            met=_field(record, "met", place, _text("how you met")),
            notes=_field(record, "notes", place, _text("notes", one_line=False)),
            birthday=_field(record, "birthday", place, parse_birthday),
            cadence=_field(record, "cadence", place, parse_cadence),
        )
        added_on = _field(record, "added_on", place, date.fromisoformat) or today
        contact, _ = c.add_contact(session, name, details, today=added_on, now=now)
        contact.archived = bool(record.get("archived", False))
        contact.created_at = _field(record, "created_at", place, instant) or now
        contact.updated_at = _field(record, "updated_at", place, instant) or now
        key = record.get("id", index)
        if key in by_document_id:
            raise BadValue(f"{place}.id: the id {key!r} is used twice")
        by_document_id[key] = contact
    entries = document.get("interactions") or []
    if not isinstance(entries, list):
        raise BadValue("interactions: expected a list")
    for index, entry in enumerate(entries):
        place = f"interactions[{index}]"
        if not isinstance(entry, dict):
            raise BadValue(f"{place}: expected an object")
        people = entry.get("with") or []
        if not isinstance(people, list) or not people:
            raise BadValue(f"{place}.with: expected a list of contact ids")
        missing = [p for p in people if p not in by_document_id]
        if missing:
            raise BadValue(f"{place}.with: no contact has the id {missing[0]!r}")
        on = _field(entry, "date", place, date.fromisoformat)
        kind = _field(entry, "kind", place, parse_kind)
        if on is None or kind is None:
            raise BadValue(f"{place}: expected a date and a kind")
        direction = entry.get("direction", "me")
        if direction not in ("me", "them"):
            raise BadValue(f"{place}.direction: expected me or them; got {direction!r}")
        record_interaction(
            session,
            [by_document_id[p] for p in people],
            kind,
            _field(entry, "note", place, _text("a note", one_line=False)),
            on=on,
            at=_field(entry, "time", place, time.fromisoformat),
            they_reached_out=direction == "them",
            today=date.max,
            now=_field(entry, "created_at", place, instant) or now,
        )
    _load_tag_cadences(session, document.get("tags") or [])
    session.flush()
    return Loaded(len(records), len(entries))


def _load_tag_cadences(session: Session, tags: Any) -> None:
    from sqlmodel import select

    from rel.models import Tag

    if not isinstance(tags, list):
        raise BadValue("tags: expected a list")
    for index, record in enumerate(tags):
        place = f"tags[{index}]"
        if not isinstance(record, dict):
            raise BadValue(f"{place}: expected an object")
        name = _field(record, "name", place, c.clean_tag)
        if name is None:
            raise BadValue(f"{place}.name: expected a name")
        cadence = _field(record, "cadence", place, parse_cadence)
        tag = session.exec(select(Tag).where(Tag.name == name)).first() or Tag(name=name)
        tag.cadence = str(cadence) if cadence else tag.cadence
        session.add(tag)


def dump_network(session: Session, *, store_ids: bool = False) -> dict[str, Any]:
    """The whole store as one document: what `load_network` and `rel import json` read.

    Contacts get document ids 1, 2, 3 ... in the order of their store ids, so the same data
    gives the same document whatever ids its store happened to give (`store_ids` keeps the
    store's own ids, for exports whose identifiers must stay stable, such as calendar UIDs).
    """
    from sqlalchemy import select

    from rel.models import Contact, ContactTag, Handle, Interaction, Participant, Tag

    session.flush()  # what this session added is part of the store it dumps
    connection = session.connection()
    tag = Tag.__table__.c  # type: ignore[attr-defined]
    tags = [
        {"name": name, "cadence": cadence}
        for name, cadence in connection.execute(select(tag.name, tag.cadence).order_by(tag.name))
    ]
    contact = Contact.__table__.c  # type: ignore[attr-defined]
    rows = connection.execute(select(Contact.__table__).order_by(contact.id)).mappings().all()
    document_id = {
        row["id"]: row["id"] if store_ids else position
        for position, row in enumerate(rows, start=1)
    }
    handles: dict[int, dict[str, list[str]]] = {}
    handle = Handle.__table__.c  # type: ignore[attr-defined]
    for contact_id, kind, value in connection.execute(
        select(handle.contact_id, handle.kind, handle.value).order_by(
            handle.contact_id, handle.position, handle.id
        )
    ):
        handles.setdefault(contact_id, {}).setdefault(kind, []).append(value)
    tags_of: dict[int, list[str]] = {}
    link = ContactTag.__table__.c  # type: ignore[attr-defined]
    for contact_id, name in connection.execute(
        select(link.contact_id, tag.name)
        .join(Tag.__table__, tag.id == link.tag_id)
        .order_by(tag.name)
    ):
        tags_of.setdefault(contact_id, []).append(name)
    contacts = []
    for row in rows:
        own = handles.get(row["id"], {})
        birthday = None
        if row["birthday_month"] and row["birthday_day"]:
            birthday = str(
                Birthday(row["birthday_month"], row["birthday_day"], row["birthday_year"])
            )
        contacts.append(
            {
                "id": document_id[row["id"]],
                "name": row["name"],
                "aliases": own.get("alias", []),
                "company": row["company"],
                "title": row["title"],
                "emails": own.get("email", []),
                "phones": own.get("phone", []),
                "links": own.get("link", []),
                "tags": tags_of.get(row["id"], []),
                "met": row["met"],
                "birthday": birthday,
                "cadence": row["cadence"],
                "notes": row["notes"],
                "archived": bool(row["archived"]),
                "added_on": row["added_on"].isoformat(),
                "created_at": _iso(row["created_at"]),
                "updated_at": _iso(row["updated_at"]),
            }
        )
    people: dict[int, list[int]] = {}
    participant = Participant.__table__.c  # type: ignore[attr-defined]
    for interaction_id, contact_id in connection.execute(
        select(participant.interaction_id, participant.contact_id)
    ):
        people.setdefault(interaction_id, []).append(document_id[contact_id])
    interaction = Interaction.__table__.c  # type: ignore[attr-defined]
    interactions = [
        {
            "date": row["on"].isoformat(),
            "time": _iso(row["at"]),
            "kind": row["kind"],
            "with": sorted(people.get(row["id"], [])),
            "note": row["note"],
            "direction": row["direction"],
            "created_at": _iso(row["created_at"]),
        }
        for row in connection.execute(
            select(Interaction.__table__).order_by(interaction.on, interaction.id)
        ).mappings()
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "tags": tags,
        "contacts": contacts,
        "interactions": interactions,
    }


def _iso(value: date | datetime | time | None) -> str | None:
    return value.isoformat() if value is not None else None
