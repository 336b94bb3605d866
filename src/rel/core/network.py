"""A whole network as one JSON document: the seeds of `rel demo`, and rel's own JSON format.

```json
{"format": "rel", "version": 1,
 "contacts": [{"id": 1, "name": "Alice Chen", "tags": ["customer"], "cadence": "3w", ...}],
 "interactions": [{"date": "2026-02-10", "kind": "lunch", "with": [1], ...}]}
```

Ids in a document are its own: they tie interactions to contacts and are remapped on loading.
Every value is checked as if a person had typed it; a bad record names its place
(`contacts[3].birthday`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, TypeVar

from rel.core import contacts as c
from rel.core.interactions import parse_kind
from rel.dates import parse_birthday, parse_cadence
from rel.errors import BadValue, RelError

if TYPE_CHECKING:
    from sqlmodel import Session

FORMAT = "rel"
VERSION = 1
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
        contact.created_at = _field(record, "created_at", place, datetime.fromisoformat) or now
        contact.updated_at = _field(record, "updated_at", place, datetime.fromisoformat) or now
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
            now=_field(entry, "created_at", place, datetime.fromisoformat) or now,
        )
    session.flush()
    return Loaded(len(records), len(entries))
