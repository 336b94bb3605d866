"""Contacts: adding, changing, archiving and removing them, and reading them back.

Every value a person typed is checked here before anything is written; the caller's session is
one transaction, so a command that fails part-way leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rel.domain.dates import Birthday, Cadence
from rel.domain.fields import NAMES as TEXT_NAMES
from rel.domain.values import (  # noqa: F401  (the checks, as services use them)
    MAX_NAME,
    MAX_TEXT,
    clean_alias,
    clean_email,
    clean_link,
    clean_name,
    clean_phone,
    clean_tag,
    clean_text,
)
from rel.errors import NotFound, shown
from rel.services.who import describe, fold, search_value
from rel.store.contacts import StoredTag, TagSummary

if TYPE_CHECKING:
    from sqlmodel import Session

    from rel.services.who import Person
    from rel.store.models import Contact

# --- the values of a contact --------------------------------------------------------------


@dataclass
class ContactDetails:
    """What `rel add` and `rel edit` can set, already checked."""

    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # rel.domain.fields: company ...
    birthday: Birthday | None = None
    cadence: Cadence | None = None


@dataclass
class ContactChanges(ContactDetails):
    """What `rel edit` changes: the fields of add, plus removals and clearings."""

    rename: str | None = None
    untag: list[str] = field(default_factory=list)
    remove_emails: list[str] = field(default_factory=list)
    remove_phones: list[str] = field(default_factory=list)
    remove_links: list[str] = field(default_factory=list)
    remove_aliases: list[str] = field(default_factory=list)
    clear: set[str] = field(default_factory=set)  # "cadence", "birthday", "company", ...
    note_to_add: str | None = None  # `--add-note`: a dated line appended to the notes


CLEARABLE = ("cadence", "birthday", *TEXT_NAMES)
HANDLE_KINDS = (
    ("email", "emails", "remove_emails"),
    ("phone", "phones", "remove_phones"),
    ("link", "links", "remove_links"),
    ("alias", "aliases", "remove_aliases"),
)


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# --- writing -----------------------------------------------------------------------------
# Through a Reader (rel.store.queries; a session is made into one): on an up-to-date SQLite
# store these run on the standard library's sqlite3, without SQLAlchemy.


def add_contact(
    source: Any, name: str, details: ContactDetails, *, today: date, now: datetime
) -> tuple[Person, list[str]]:
    """Add a contact; returns it and warnings about likely duplicates (it is added anyway)."""
    from rel.services.who import Person
    from rel.store import contacts as stored
    from rel.store.queries import as_reader

    reader = as_reader(source)
    name = clean_name(name)
    warnings = likely_duplicates(reader, name, details.emails)
    contact_id = stored.insert_contact(
        reader,
        stored.NewContact(
            name=name,
            texts=details.texts,
            birthday=details.birthday,
            cadence=str(details.cadence) if details.cadence else None,
            added_on=today,
            now=now,
        ),
    )
    _add_handles(reader, contact_id, details)
    _add_tags(reader, contact_id, details.tags)
    return Person(contact_id, name, fold(name)), warnings


def likely_duplicates(source: Any, name: str, emails: Sequence[str]) -> list[str]:
    from rel.store import contacts as stored
    from rel.store.queries import as_reader

    reader = as_reader(source)
    warnings = []
    for other in stored.contacts_named(reader, fold(name)):
        warnings.append(f"{describe(other)} has the same name; is this the same person?")
    for email in emails:
        for other in stored.contacts_with_email(reader, search_value("email", email)):
            warnings.append(f"{describe(other)} has the email {email} too")
    return warnings


def _add_handles(reader: Any, contact_id: int, details: ContactDetails) -> int:
    """Add the emails, phones, links and aliases the contact has not; how many were new."""
    from rel.store import contacts as stored

    handles = stored.contact_handles(reader, contact_id)
    existing, position = handles.keys, handles.next_position
    added = 0
    for kind, attribute, _removing in HANDLE_KINDS:
        for value in getattr(details, attribute):
            searchable = search_value(kind, value)
            if (kind, searchable) in existing:
                continue
            existing.add((kind, searchable))
            stored.insert_handle(reader, contact_id, kind, value, searchable, position)
            position += 1
            added += 1
    return added


def _add_tags(reader: Any, contact_id: int, tags: Sequence[str]) -> None:
    from rel.store import contacts as stored

    for name in dict.fromkeys(tags):
        tag = stored.tag_named(reader, name) or stored.insert_tag(reader, name)
        stored.tag_contact(reader, contact_id, tag)


def edit_contact(
    source: Any, contact: Person, changes: ContactChanges, *, today: date, now: datetime
) -> tuple[Person, list[str]]:
    """Apply `changes`; returns the contact as now named, and a line per change made (empty:
    nothing changed)."""
    from rel.services.agenda import tags_of
    from rel.services.who import Person
    from rel.store import contacts as stored
    from rel.store.queries import as_reader

    reader = as_reader(source)
    record = stored.contact_record(reader, contact.id)
    if record is None:
        raise NotFound(f"no contact has the id {contact.id} (rel list shows the ids)")
    done: list[str] = []
    known_as = record.name  # errors name the contact as the person knows them
    if changes.rename is not None:
        new_name = clean_name(changes.rename)
        if new_name != record.name:
            done.append(f"renamed from {record.name}")
            record.name = new_name
    for name in CLEARABLE:
        if name not in changes.clear:
            continue
        if name == "birthday":
            if record.birthday is not None:
                done.append("birthday removed")
            record.birthday = None
        elif name == "cadence":
            if record.cadence is not None:
                done.append("cadence removed")
            record.cadence = None
        elif record.texts[name] is not None:
            record.texts[name] = None
            done.append(f"{name} removed")
    if changes.note_to_add is not None:
        from rel.domain.values import with_note_added

        changes.texts["notes"] = with_note_added(record.texts["notes"], changes.note_to_add, today)
    before = {**record.texts, "birthday": record.birthday, "cadence": record.cadence}
    record.texts.update(changes.texts)
    if changes.birthday is not None:
        record.birthday = changes.birthday
    if changes.cadence is not None:
        record.cadence = str(changes.cadence)
    after = {**record.texts, "birthday": record.birthday, "cadence": record.cadence}
    done.extend(f"{name} set" for name, value in after.items() if before[name] != value)
    added = _add_handles(reader, contact.id, changes)
    if added:
        done.append(f"{added} email/phone/link/alias added")
    handles = stored.contact_handles(reader, contact.id).handles
    for kind, _adding, attribute in HANDLE_KINDS:
        for value in getattr(changes, attribute):
            wanted = search_value(kind, value)
            matching = [h for h in handles if h.kind == kind and h.search_value == wanted]
            if not matching:
                raise NotFound(f"{known_as} has no {kind} {shown(value)}")
            for handle in matching:
                stored.delete_handle(reader, handle.id)
            handles = [h for h in handles if h not in matching]
            done.append(f"{kind} {value} removed")
    current_tags = set(tags_of(reader, [contact.id]).get(contact.id, ()))
    new_tags = [t for t in dict.fromkeys(changes.tags) if t not in current_tags]
    _add_tags(reader, contact.id, new_tags)
    done.extend(f"tagged {t}" for t in new_tags)
    for name in changes.untag:
        tag = stored.tag_named(reader, name)
        if tag is None or not stored.untag_contact(reader, contact.id, tag):
            raise NotFound(f"{known_as} has no tag {shown(name)}")
        done.append(f"untagged {name}")
    if done:
        stored.update_contact(reader, record, now=now)
    return Person(contact.id, record.name, fold(record.name)), done


def contact_notes(source: Any, contact: Person) -> str | None:
    """The contact's notes as they are now."""
    from rel.store import contacts as stored
    from rel.store.queries import as_reader

    record = stored.contact_record(as_reader(source), contact.id)
    return record.texts["notes"] if record else None


def set_archived(source: Any, contact: Person, archived: bool, *, now: datetime) -> bool:
    """Archive or bring back; returns False when it already was so."""
    from rel.store import contacts as stored
    from rel.store.queries import as_reader

    reader = as_reader(source)
    record = stored.contact_record(reader, contact.id)
    if record is None:
        raise NotFound(f"no contact has the id {contact.id} (rel list shows the ids)")
    if record.archived == archived:
        return False
    record.archived = archived
    stored.update_contact(reader, record, now=now)
    return True


def remove_contact(session: Session, contact: Contact) -> int:
    """Delete a contact with their history; returns how many interactions went with them.

    An interaction they shared with others stays for the others, without them.
    """
    from sqlalchemy import delete, func
    from sqlmodel import col, select

    from rel.store.models import Gift, Interaction, Participant, Snooze, Touchpoint

    # their agenda rows' snoozes go too: SQLite gives a new row the id of a deleted last one,
    # and a snooze left behind would hide that newcomer's row
    keys = [f"c{contact.id}", f"b{contact.id}"]
    keys += [
        f"t{n}"
        for n in session.exec(select(Touchpoint.id).where(Touchpoint.contact_id == contact.id))
    ]
    keys += [f"g{n}" for n in session.exec(select(Gift.id).where(Gift.contact_id == contact.id))]
    for chunk in _chunks(keys):
        session.exec(delete(Snooze).where(col(Snooze.key).in_(chunk)))  # type: ignore[call-overload]
    mine = select(Participant.interaction_id).where(Participant.contact_id == contact.id)
    shared = (
        select(Participant.interaction_id)
        .where(col(Participant.interaction_id).in_(mine))
        .group_by(col(Participant.interaction_id))
        .having(func.count() > 1)
    )
    only_mine = list(
        session.exec(
            select(Participant.interaction_id).where(
                Participant.contact_id == contact.id,
                col(Participant.interaction_id).not_in(shared),
            )
        ).all()
    )
    for chunk in _chunks(only_mine):
        session.exec(delete(Interaction).where(col(Interaction.id).in_(chunk)))  # type: ignore[call-overload]
    session.delete(contact)
    session.flush()
    return len(only_mine)


# --- tags ------------------------------------------------------------------------------------


def set_tag_cadence(source: Any, name: str, cadence: Cadence | None) -> StoredTag:
    """Give a tag a default cadence (None clears it); the tag is made if it is new."""
    from rel.store import contacts as stored
    from rel.store.queries import as_reader

    reader = as_reader(source)
    name = clean_tag(name)
    every = str(cadence) if cadence else None
    tag = stored.tag_named(reader, name)
    if tag is None:
        return stored.insert_tag(reader, name, every)
    return stored.set_tag_cadence(reader, tag, every)


def list_tags(source: Any) -> list[TagSummary]:
    """Every tag with how many (unarchived) contacts carry it and its default cadence."""
    from rel.store import contacts as stored
    from rel.store.queries import as_reader

    return stored.tag_summaries(as_reader(source))
