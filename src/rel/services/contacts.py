"""Contacts: adding, changing, archiving and removing them, and reading them back.

Every value a person typed is checked here before anything is written; the caller's store is
one transaction, so a command that fails part-way leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

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
from rel.store import contacts as stored
from rel.store.contacts import StoredTag, TagSummary

if TYPE_CHECKING:
    from rel.services.who import Person
    from rel.store.queries import Store

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


# --- writing -----------------------------------------------------------------------------
# Through the store's typed functions (rel.store.contacts): on an up-to-date SQLite store these
# run on the standard library's sqlite3, without SQLAlchemy.


def add_contact(
    store: Store, name: str, details: ContactDetails, *, today: date, now: datetime
) -> tuple[Person, list[str]]:
    """Add a contact; returns it and warnings about likely duplicates (it is added anyway)."""
    from rel.services.who import Person

    name = clean_name(name)
    warnings = likely_duplicates(store, name, details.emails)
    contact_id = stored.insert_contact(
        store,
        stored.NewContact(
            name=name,
            texts=details.texts,
            birthday=details.birthday,
            cadence=str(details.cadence) if details.cadence else None,
            added_on=today,
            now=now,
        ),
    )
    _add_handles(store, contact_id, details)
    _add_tags(store, contact_id, details.tags)
    return Person(contact_id, name, fold(name)), warnings


def likely_duplicates(store: Store, name: str, emails: Sequence[str]) -> list[str]:
    warnings = []
    for other in stored.contacts_named(store, fold(name)):
        warnings.append(f"{describe(other)} has the same name; is this the same person?")
    for email in emails:
        for other in stored.contacts_with_email(store, search_value("email", email)):
            warnings.append(f"{describe(other)} has the email {email} too")
    return warnings


def _add_handles(store: Store, contact_id: int, details: ContactDetails) -> int:
    """Add the emails, phones, links and aliases the contact has not; how many were new."""
    handles = stored.contact_handles(store, contact_id)
    existing, position = handles.keys, handles.next_position
    added = 0
    for kind, attribute, _removing in HANDLE_KINDS:
        for value in getattr(details, attribute):
            searchable = search_value(kind, value)
            if (kind, searchable) in existing:
                continue
            existing.add((kind, searchable))
            stored.insert_handle(store, contact_id, kind, value, searchable, position)
            position += 1
            added += 1
    return added


def _add_tags(store: Store, contact_id: int, tags: Sequence[str]) -> None:
    for name in dict.fromkeys(tags):
        tag = stored.tag_named(store, name) or stored.insert_tag(store, name)
        stored.tag_contact(store, contact_id, tag)


def edit_contact(
    store: Store, contact: Person, changes: ContactChanges, *, today: date, now: datetime
) -> tuple[Person, list[str]]:
    """Apply `changes`; returns the contact as now named, and a line per change made (empty:
    nothing changed)."""
    from rel.services.agenda import tags_of
    from rel.services.who import Person

    record = stored.contact_record(store, contact.id)
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
    added = _add_handles(store, contact.id, changes)
    if added:
        done.append(f"{added} email/phone/link/alias added")
    handles = stored.contact_handles(store, contact.id).handles
    for kind, _adding, attribute in HANDLE_KINDS:
        for value in getattr(changes, attribute):
            wanted = search_value(kind, value)
            matching = [h for h in handles if h.kind == kind and h.search_value == wanted]
            if not matching:
                raise NotFound(f"{known_as} has no {kind} {shown(value)}")
            for handle in matching:
                stored.delete_handle(store, handle.id)
            handles = [h for h in handles if h not in matching]
            done.append(f"{kind} {value} removed")
    current_tags = set(tags_of(store, [contact.id]).get(contact.id, ()))
    new_tags = [t for t in dict.fromkeys(changes.tags) if t not in current_tags]
    _add_tags(store, contact.id, new_tags)
    done.extend(f"tagged {t}" for t in new_tags)
    for name in changes.untag:
        tag = stored.tag_named(store, name)
        if tag is None or not stored.untag_contact(store, contact.id, tag):
            raise NotFound(f"{known_as} has no tag {shown(name)}")
        done.append(f"untagged {name}")
    if done:
        stored.update_contact(store, record, now=now)
    return Person(contact.id, record.name, fold(record.name)), done


def contact_notes(store: Store, contact: Person) -> str | None:
    """The contact's notes as they are now."""
    record = stored.contact_record(store, contact.id)
    return record.texts["notes"] if record else None


def set_archived(store: Store, contact: Person, archived: bool, *, now: datetime) -> bool:
    """Archive or bring back; returns False when it already was so."""
    record = stored.contact_record(store, contact.id)
    if record is None:
        raise NotFound(f"no contact has the id {contact.id} (rel list shows the ids)")
    if record.archived == archived:
        return False
    record.archived = archived
    stored.update_contact(store, record, now=now)
    return True


def remove_contact(store: Store, contact: Person) -> int:
    """Delete a contact with their history; returns how many interactions went with them.

    An interaction they shared with others stays for the others, without them; the snoozes of
    their agenda rows go too (a new row may be given a deleted one's id, and a snooze left
    behind would hide it)."""
    return stored.remove_contact(store, contact.id)


# --- tags ------------------------------------------------------------------------------------


def set_tag_cadence(store: Store, name: str, cadence: Cadence | None) -> StoredTag:
    """Give a tag a default cadence (None clears it); the tag is made if it is new."""
    name = clean_tag(name)
    every = str(cadence) if cadence else None
    tag = stored.tag_named(store, name)
    if tag is None:
        return stored.insert_tag(store, name, every)
    return stored.set_tag_cadence(store, tag, every)


def list_tags(store: Store) -> list[TagSummary]:
    """Every tag with how many (unarchived) contacts carry it and its default cadence."""
    return stored.tag_summaries(store)
