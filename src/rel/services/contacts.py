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
from rel.errors import BadValue, NotFound, shown
from rel.services.who import describe, fold, search_value

if TYPE_CHECKING:
    from sqlmodel import Session

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
    company: str | None = None
    title: str | None = None
    met: str | None = None
    notes: str | None = None
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


CLEARABLE = ("cadence", "birthday", "company", "title", "met", "notes")


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# --- writing -----------------------------------------------------------------------------


def add_contact(
    session: Session, name: str, details: ContactDetails, *, today: date, now: datetime
) -> tuple[Contact, list[str]]:
    """Add a contact; returns it and warnings about likely duplicates (it is added anyway)."""
    from rel.store.models import Contact

    name = clean_name(name)
    warnings = likely_duplicates(session, name, details.emails)
    contact = Contact(
        name=name,
        search_name=fold(name),
        added_on=today,
        created_at=now,
        updated_at=now,
    )
    _set_fields(contact, details)
    session.add(contact)
    session.flush()
    _add_handles(session, contact, details)
    _add_tags(session, contact, details.tags)
    return contact, warnings


def likely_duplicates(session: Session, name: str, emails: Sequence[str]) -> list[str]:
    from sqlmodel import col, select

    from rel.store.models import Contact, Handle

    warnings = []
    same_name = session.exec(select(Contact).where(Contact.search_name == fold(name))).all()
    for other in same_name:
        warnings.append(f"{describe(other)} has the same name; is this the same person?")
    for email in emails:
        owners = session.exec(
            select(Contact)
            .join(Handle, col(Handle.contact_id) == col(Contact.id))
            .where(Handle.kind == "email", Handle.search_value == search_value("email", email))
        ).all()
        for other in owners:
            warnings.append(f"{describe(other)} has the email {email} too")
    return warnings


def _set_fields(contact: Contact, details: ContactDetails) -> None:
    for name in ("company", "title", "met", "notes"):
        value = getattr(details, name)
        if value is not None:
            setattr(contact, name, value)
    if details.birthday is not None:
        contact.birthday_month = details.birthday.month
        contact.birthday_day = details.birthday.day
        contact.birthday_year = details.birthday.year
    if details.cadence is not None:
        contact.cadence = str(details.cadence)


def _add_handles(session: Session, contact: Contact, details: ContactDetails) -> None:
    from sqlmodel import col, func, select

    from rel.store.models import Handle

    assert contact.id is not None
    position = session.exec(
        select(func.coalesce(func.max(Handle.position), -1)).where(
            col(Handle.contact_id) == contact.id
        )
    ).one()
    existing = {(h.kind, h.search_value) for h in _handles(session, contact.id)}
    for kind, values in (
        ("email", details.emails),
        ("phone", details.phones),
        ("link", details.links),
        ("alias", details.aliases),
    ):
        for value in values:
            searchable = search_value(kind, value)
            if (kind, searchable) in existing:
                continue
            existing.add((kind, searchable))
            position += 1
            session.add(
                Handle(
                    contact_id=contact.id,
                    kind=kind,
                    value=value,
                    search_value=searchable,
                    position=position,
                )
            )


def _handles(session: Session, contact_id: int) -> list[Any]:
    from sqlmodel import select

    from rel.store.models import Handle

    return list(session.exec(select(Handle).where(Handle.contact_id == contact_id)).all())


def _tag_named(session: Session, name: str, *, create: bool) -> Any:
    from sqlmodel import select

    from rel.store.models import Tag

    tag = session.exec(select(Tag).where(Tag.name == name)).first()
    if tag is None and create:
        tag = Tag(name=name)
        session.add(tag)
        session.flush()
    return tag


def _add_tags(session: Session, contact: Contact, tags: Sequence[str]) -> None:
    from rel.store.models import ContactTag

    for name in dict.fromkeys(tags):
        tag = _tag_named(session, name, create=True)
        if session.get(ContactTag, (contact.id, tag.id)) is None:
            session.add(ContactTag(contact_id=contact.id, tag_id=tag.id))


def edit_contact(
    session: Session, contact: Contact, changes: ContactChanges, *, now: datetime
) -> list[str]:
    """Apply `changes`; returns a line per change made (empty: nothing changed)."""
    from rel.store.models import ContactTag

    assert contact.id is not None
    done: list[str] = []
    known_as = contact.name  # errors name the contact as the person knows them
    if changes.rename is not None:
        new_name = clean_name(changes.rename)
        if new_name != contact.name:
            done.append(f"renamed from {contact.name}")
            contact.name, contact.search_name = new_name, fold(new_name)
    for name in CLEARABLE:
        if name in changes.clear:
            if name == "birthday":
                if contact.birthday_month is not None:
                    done.append("birthday removed")
                contact.birthday_month = contact.birthday_day = contact.birthday_year = None
            elif getattr(contact, name) is not None:
                setattr(contact, name, None)
                done.append(f"{name} removed")
    before = _snapshot(contact)
    _set_fields(contact, changes)
    done.extend(
        f"{name} set" for name, value in _snapshot(contact).items() if before[name] != value
    )
    before_handles = len(_handles(session, contact.id))
    _add_handles(session, contact, changes)
    session.flush()
    added = len(_handles(session, contact.id)) - before_handles
    if added:
        done.append(f"{added} email/phone/link/alias added")
    for kind, values in (
        ("email", changes.remove_emails),
        ("phone", changes.remove_phones),
        ("link", changes.remove_links),
        ("alias", changes.remove_aliases),
    ):
        for value in values:
            wanted = search_value(kind, value)
            matching = [
                h
                for h in _handles(session, contact.id)
                if h.kind == kind and h.search_value == wanted
            ]
            if not matching:
                raise NotFound(f"{known_as} has no {kind} {shown(value)}")
            for handle in matching:
                session.delete(handle)
            done.append(f"{kind} {value} removed")
    from rel.services.agenda import tags_of

    current_tags = set(tags_of(session, [contact.id]).get(contact.id, ()))
    new_tags = [t for t in dict.fromkeys(changes.tags) if t not in current_tags]
    _add_tags(session, contact, new_tags)
    done.extend(f"tagged {t}" for t in new_tags)
    for name in changes.untag:
        tag = _tag_named(session, name, create=False)
        link = session.get(ContactTag, (contact.id, tag.id)) if tag else None
        if link is None:
            raise NotFound(f"{known_as} has no tag {shown(name)}")
        session.delete(link)
        done.append(f"untagged {name}")
    if done:
        contact.updated_at = now
        session.add(contact)
    return done


def _snapshot(contact: Contact) -> dict[str, Any]:
    return {
        "company": contact.company,
        "title": contact.title,
        "met": contact.met,
        "notes": contact.notes,
        "birthday": (contact.birthday_month, contact.birthday_day, contact.birthday_year),
        "cadence": contact.cadence,
    }


def set_archived(session: Session, contact: Contact, archived: bool, *, now: datetime) -> bool:
    """Archive or bring back; returns False when it already was so."""
    if contact.archived == archived:
        return False
    contact.archived = archived
    contact.updated_at = now
    session.add(contact)
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


@dataclass(frozen=True)
class TagSummary:
    name: str
    contacts: int  # contacts with the tag that are not archived
    cadence: str | None


def set_tag_cadence(session: Session, name: str, cadence: Cadence | None) -> Any:
    """Give a tag a default cadence (None clears it); the tag is made if it is new."""
    tag = _tag_named(session, clean_tag(name), create=True)
    tag.cadence = str(cadence) if cadence else None
    session.add(tag)
    session.flush()
    return tag


def list_tags(session: Session) -> list[TagSummary]:
    """Every tag with how many (unarchived) contacts carry it and its default cadence."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from rel.store.models import Contact, ContactTag, Tag

    counted = (
        select(ContactTag.tag_id, func.count().label("contacts"))
        .join(Contact, col(Contact.id) == col(ContactTag.contact_id))
        .where(col(Contact.archived).is_(False))
        .group_by(col(ContactTag.tag_id))
        .subquery()
    )
    rows = session.exec(
        select(Tag.name, func.coalesce(counted.c.contacts, 0), Tag.cadence)
        .outerjoin(counted, counted.c.tag_id == col(Tag.id))
        .order_by(col(Tag.name))
    ).all()
    return [TagSummary(name, count, cadence) for name, count, cadence in rows]
