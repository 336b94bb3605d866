"""Contacts: adding, changing, archiving and removing them, and reading them back.

Every value a person typed is checked here before anything is written; the caller's session is
one transaction, so a command that fails part-way leaves the store as it was.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rel.domain.dates import Birthday, Cadence
from rel.domain.fields import NAMES as TEXT_NAMES
from rel.errors import BadValue, NotFound, shown
from rel.services.who import describe, fold, search_value
from rel.store.contacts import StoredTag, TagSummary

if TYPE_CHECKING:
    from sqlmodel import Session

    from rel.services.who import Person
    from rel.store.models import Contact

MAX_NAME = 200
MAX_TEXT = 100_000
# C0 and C1 controls and DEL (U+009B is an 8-bit CSI); tab and newline are checked apart.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The bidirectional embeddings, overrides and isolates: they reorder what follows them on the
# screen ("Trojan Source"). Refused in one-line values; kept in notes, shown escaped there.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Characters that draw nothing: controls, format characters (U+200B ...), unassigned, spaces,
# lone combining marks, and the Hangul and Braille fillers.
_DRAWS_NOTHING = frozenset(("Cc", "Cf", "Cn", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"))
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+$")
_TAG = re.compile(r"^[\w][\w\-/.&+]*$")


# --- checking what people type -------------------------------------------------------------


def _shows_something(text: str) -> bool:
    return any(unicodedata.category(ch) not in _DRAWS_NOTHING and ch not in _FILLERS for ch in text)


def _check_one_line(value: str, text: str, what: str) -> None:
    """Refuse in a one-line value what would hide or disguise it on a screen.

    `text` is checked as typed, before its spaces were folded: U+0085 is a C1 control to
    refuse, not a space. Line ends and tabs are whitespace there, folded into spaces.
    """
    typed = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ").replace("\t", " ")
    if _CONTROL.search(typed) or _BIDI.search(typed):
        raise BadValue(
            f"expected {what} without control characters or bidi overrides; got {shown(text)}"
        )
    if value and not _shows_something(value):
        raise BadValue(f"expected {what} with characters you can see; got {shown(text)}")


def clean_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise BadValue('expected a name, such as "Alice Chen"; got an empty name')
    _check_one_line(name, text, "a name")
    if len(name) > MAX_NAME:
        raise BadValue(f"expected a name of at most {MAX_NAME} characters; got {len(name):,}")
    return name


def clean_text(text: str | None, what: str, *, one_line: bool = False) -> str | None:
    """A text field: one line (company, title, a reminder's text ...) or notes.

    Line ends become `\\n` whatever wrote them (CRLF from Windows or a mail, a lone CR). Notes
    keep tabs, newlines and bidi characters (shown escaped on a terminal); no value keeps a
    control character.
    """
    if text is None:
        return None
    value = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if one_line:
        value = " ".join(value.split())
        _check_one_line(value, text, what)
    elif _CONTROL.search(value.replace("\n", "").replace("\t", "")):
        raise BadValue(f"expected {what} without control characters; got {shown(text)}")
    if len(value) > MAX_TEXT:
        raise BadValue(f"expected {what} of at most {MAX_TEXT:,} characters; got {len(value):,}")
    return value or None


def clean_email(text: str) -> str:
    value = text.strip()
    if not _EMAIL.match(value) or len(value) > 320 or _CONTROL.search(value) or _BIDI.search(value):
        raise BadValue(f"expected an email address such as alice@example.com; got {shown(text)}")
    return value


def clean_phone(text: str) -> str:
    value = " ".join(text.split())
    digits = re.sub(r"\D", "", value)
    if not re.fullmatch(r"[0-9+()./\- ]+(?:\s*(?:x|ext\.?)\s*\d+)?", value) or len(digits) < 3:
        raise BadValue(f"expected a phone number such as +1 555 0100; got {shown(text)}")
    return value


def clean_link(text: str) -> str:
    value = text.strip()
    bad = BadValue(f"expected a link such as https://linkedin.com/in/alice; got {shown(text)}")
    if not value or any(ch.isspace() for ch in value) or _CONTROL.search(value):
        raise bad
    if _BIDI.search(value) or not _shows_something(value):
        raise bad
    if "://" not in value and not value.startswith("mailto:"):
        if "." not in value:
            raise bad
        value = "https://" + value
    return value


def clean_tag(text: str) -> str:
    value = text.strip().lower().lstrip("#")
    if not _TAG.match(value) or len(value) > 60:
        raise BadValue(
            f"expected a tag of letters, digits, -, _ or / (such as customer); got {shown(text)}"
        )
    return value


def clean_alias(text: str) -> str:
    value = " ".join(text.split())
    if not value or len(value) > MAX_NAME:
        raise BadValue(f'expected an alias such as "Ali"; got {shown(text)}')
    _check_one_line(value, text, "an alias")
    if re.fullmatch(r"#?\d+", value):
        raise BadValue(
            f"expected an alias that is not a number (numbers are ids); got {shown(text)}"
        )
    return value


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
    from rel.services import stored_contacts as stored
    from rel.services.who import Person
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
    from rel.services import stored_contacts as stored
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
    from rel.services import stored_contacts as stored

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
    from rel.services import stored_contacts as stored

    for name in dict.fromkeys(tags):
        tag = stored.tag_named(reader, name) or stored.insert_tag(reader, name)
        stored.tag_contact(reader, contact_id, tag)


def edit_contact(
    source: Any, contact: Person, changes: ContactChanges, *, today: date, now: datetime
) -> tuple[Person, list[str]]:
    """Apply `changes`; returns the contact as now named, and a line per change made (empty:
    nothing changed)."""
    from rel.services import stored_contacts as stored
    from rel.services.agenda import tags_of
    from rel.services.who import Person
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
        from rel.services.records import with_note_added

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
    from rel.services import stored_contacts as stored
    from rel.store.queries import as_reader

    record = stored.contact_record(as_reader(source), contact.id)
    return record.texts["notes"] if record else None


def set_archived(source: Any, contact: Person, archived: bool, *, now: datetime) -> bool:
    """Archive or bring back; returns False when it already was so."""
    from rel.services import stored_contacts as stored
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
    from rel.services import stored_contacts as stored
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
    from rel.services import stored_contacts as stored
    from rel.store.queries import as_reader

    return stored.tag_summaries(as_reader(source))
