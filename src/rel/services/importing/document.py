"""rel's own JSON document brought into a store: contacts merged like any import, tags with
their default cadences, and interactions that are not already there.

The document is described in `rel.services.network`. Importing it into an empty store and
exporting again gives the same document; importing it twice adds nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from rel.domain.dates import (
    Cadence,
    check_past,
    parse_birthday,
    parse_cadence,
    parse_iso_date,
)
from rel.domain.fields import TEXT_FIELDS
from rel.domain.identity import clean_uid
from rel.errors import BadValue, RelError, shown
from rel.formats.records import ParsedContact, Records, Skipped
from rel.services import contacts as c
from rel.services.importing.merging import (
    ImportReport,
    document_key,
    ensure_tags,
    import_contacts,
    keepable,
)
from rel.services.importing.scheduled import import_scheduled
from rel.services.network import FORMAT, SECTIONS, VERSION, _field, _strings, _text, instant

if TYPE_CHECKING:
    from rel.store.queries import Store


def check_document(document: Any) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadValue('expected a rel JSON document (with "format": "rel")')
    if document.get("version") != VERSION:
        raise BadValue(
            f"expected a rel JSON document of version {VERSION}; got {document.get('version')!r}"
        )
    for name in ("contacts", "interactions", "tags"):
        if not isinstance(document.get(name) or [], list):
            raise BadValue(f"{name}: expected a list")


def unknown_sections(document: dict[str, Any]) -> list[str]:
    """Sections this version of rel does not import (written by a newer rel)."""
    return sorted(k for k, v in document.items() if isinstance(v, list) and k not in SECTIONS)


def _contact_records(records: list[Any], today: date) -> Iterator[ParsedContact | Skipped]:
    seen: set[Any] = set()
    for index, record in enumerate(records):
        place = f"contacts[{index}]"
        try:
            yield _contact_record(record, place, index, seen, today)
        except RelError as error:
            yield Skipped(place, error.message.removeprefix(f"{place}."))


def _contact_record(
    record: Any, place: str, index: int, seen: set[Any], today: date
) -> ParsedContact:
    if not isinstance(record, dict):
        raise BadValue(f"{place}: expected an object")
    name = _field(record, "name", place, c.clean_name)
    if name is None:
        raise BadValue(f"{place}.name: expected a name")
    key = record.get("id", index)
    if key in seen:
        raise BadValue(f"{place}.id: the id {key!r} is used twice")
    seen.add(key)
    contact = ParsedContact(
        place,
        name=name,
        emails=_strings(record, "emails", place, c.clean_email),
        phones=_strings(record, "phones", place, c.clean_phone),
        links=_strings(record, "links", place, c.clean_link),
        aliases=_strings(record, "aliases", place, c.clean_alias),
        tags=_strings(record, "tags", place, c.clean_tag),
        texts={
            text.name: value
            for text in TEXT_FIELDS
            if text.one_line
            and (value := _field(record, text.name, place, _text(text.what))) is not None
        },
        notes=_field(record, "notes", place, _text("notes", one_line=False)),
        birthday=_field(record, "birthday", place, lambda t: parse_birthday(t, today=today)),
        cadence=_field(record, "cadence", place, parse_cadence),
        added_on=_field(
            record, "added_on", place, lambda t: check_past(parse_iso_date(t), today, t)
        ),
        catch_up_skipped=_field(record, "catch_up_skipped", place, parse_iso_date),
        archived=_field(record, "archived", place, _boolean),
        created_at=_field(record, "created_at", place, instant),
        updated_at=_field(record, "updated_at", place, instant),
        document_id=key,
        uid=clean_uid(record.get("uid")),
        labels=_labels(record, place),
    )
    return contact


def _labels(record: dict[str, Any], place: str) -> dict[str, str]:
    """`"labels": {"+1 202 555 0100": "CELL"}`: the TYPE of an email or a phone."""
    labels = record.get("labels") or {}
    if not isinstance(labels, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in labels.items()
    ):
        raise BadValue(f"{place}.labels: expected an object of texts by email or phone")
    return {key: _text("a label")(value) or "" for key, value in labels.items() if value.strip()}


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadValue(f"expected true or false; got {shown(str(value))}")
    return value


def import_document(
    store: Store,
    document: Any,
    *,
    today: date,
    now: datetime,
    tags: Sequence[str] = (),
    cadence: Cadence | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a rel JSON document in the caller's transaction (a store opened with the ORM:
    rel.store.importing writes in bulk)."""
    from rel.store import importing as stored

    check_document(document)
    keep_ids = not dry_run and stored.store_is_empty(store)
    contacts = document.get("contacts") or []
    records = Records(len(contacts), _contact_records(contacts, today), "rel JSON")
    report, _index = import_contacts(
        store,
        records,
        today=today,
        now=now,
        tags=tags,
        cadence=cadence,
        dry_run=dry_run,
        progress=progress,
        keep_ids=keep_ids,
    )
    for name in unknown_sections(document):
        report.problems.append(f"{name}: not imported (written by a newer rel?)")
    tag_cadences = _tag_cadences(document.get("tags") or [], report)
    entries = report.entries_by_document_id
    known: dict[tuple, int | None] = dict(stored.interaction_signatures(store))
    rows: list[dict[str, Any]] = []
    people: list[list[int]] = []
    new_document_ids: list[Any] = []
    interaction_ids: dict[Any, int] = {}  # document id -> store id
    for index, entry in enumerate(document.get("interactions") or []):
        place = f"interactions[{index}]"
        try:
            found = _interaction(entry, place, entries)
        except RelError as error:
            report.problems.append(f"{place}: skipped: {error.message.removeprefix(place + '.')}")
            continue
        row, participants = found
        signature = _signature(row, [entries[p].id for p in participants])
        document_id = entry.get("id", index + 1)
        if signature in known:
            report.interactions_known += 1
            if known[signature] is not None:
                interaction_ids[document_id] = known[signature]  # type: ignore[assignment]
            continue
        known[signature] = None
        report.interactions += 1
        new_document_ids.append(document_id)
        rows.append({**row, "created_at": row["created_at"] or now})
        people.append(sorted({entries[p].id for p in participants}))  # type: ignore[misc]
    if dry_run:
        import_scheduled(
            store, document, report, interaction_ids, now=now, dry_run=True, today=today
        )
        return report
    if keep_ids and keepable(new_document_ids):
        for row, document_id in zip(rows, new_document_ids, strict=True):
            row["id"] = document_id
    if rows:
        new_ids = stored.insert_interactions(store, rows, people)
        interaction_ids.update(zip(new_document_ids, new_ids, strict=True))
    if tag_cadences:
        tag_ids = ensure_tags(store, tag_cadences)
        stored.set_tag_cadences_where_unset(
            store,
            {tag_ids[name]: text for name, text in tag_cadences.items() if text is not None},
        )
    ids = import_scheduled(
        store, document, report, interaction_ids, now=now, dry_run=False, keep_ids=keep_ids,
        today=today,
    )  # fmt: skip
    if keep_ids:
        stored.move_sequences(store)  # PostgreSQL: new rows go on after these ids
    ids["#"] = {key: entry.id for key, entry in entries.items()}
    ids["i"] = interaction_ids
    report.renumbered = _renumbered(ids)
    stored.done_writing(store)
    return report


def _renumbered(ids: dict[str, dict[Any, Any]]) -> list[str]:
    """`t1 is now t5` for every document id (a key a person may have noted) the store could
    not keep."""
    changed = []
    for prefix in ("#", "t", "g", "i", "e"):
        for key, new in sorted(
            ((k, v) for k, v in ids.get(prefix, {}).items() if document_key(k) is not None),
            key=lambda item: item[0],
        ):
            if new is not None and new != key:
                changed.append(f"{prefix}{key} is now {prefix}{new}")
    return changed


def _tag_cadences(tags: list[Any], report: ImportReport) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for index, record in enumerate(tags):
        place = f"tags[{index}]"
        try:
            if not isinstance(record, dict):
                raise BadValue("expected an object")
            name = _field(record, "name", place, c.clean_tag)
            if name is None:
                raise BadValue("expected a name")
            cadence = _field(record, "cadence", place, parse_cadence)
        except RelError as error:
            report.problems.append(f"{place}: skipped: {error.message}")
            continue
        found[name] = str(cadence) if cadence else None
    return found


def _interaction(
    entry: Any, place: str, entries: dict[Any, Any]
) -> tuple[dict[str, Any], list[Any]]:
    from rel.services.interactions import parse_kind

    if not isinstance(entry, dict):
        raise BadValue(f"{place}: expected an object")
    people = entry.get("with") or []
    if not isinstance(people, list) or not people:
        raise BadValue(f"{place}.with: expected a list of contact ids")
    missing = [p for p in people if p not in entries]
    if missing:
        raise BadValue(f"{place}.with: no contact imported has the id {missing[0]!r}")
    on = _field(entry, "date", place, parse_iso_date)
    kind = _field(entry, "kind", place, parse_kind)
    if on is None or kind is None:
        raise BadValue(f"{place}: expected a date and a kind")
    direction = entry.get("direction", "me")
    if direction not in ("me", "them"):
        raise BadValue(f"{place}.direction: expected me or them; got {direction!r}")
    row = {
        "on": on,
        "at": _field(entry, "time", place, time.fromisoformat),
        "kind": kind,
        "note": _field(entry, "note", place, _text("a note", one_line=False)),
        "direction": direction,
        "created_at": _field(entry, "created_at", place, instant),
    }
    return row, people


def _signature(row: dict[str, Any], contact_ids: list[Any]) -> tuple:
    return (row["on"], row["at"], row["kind"], row["note"] or None, row["direction"],
            frozenset(contact_ids))  # fmt: skip
