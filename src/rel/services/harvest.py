"""Harvesting the history a person already has: mail (mbox, Maildir) and calendars (ICS).

Mail: every message whose From, To or Cc holds a known contact's email becomes part of an
interaction of kind `email` with that contact: one interaction per contact, day and direction,
its note the subjects of that day's messages (none with `subjects=False`). A message from one
of the user's own addresses (`--me`, remembered in the store) is "I reached out"; any other is
"they did". Bulk mail (mailing lists, `Precedence: bulk`, auto-replies, no-reply senders) is
ignored; a message to more than `max_recipients` people counts only for its sender. Each
message is remembered by a digest of its Message-ID, so a second run adds nothing and a newer
export adds only what is new (folded into that day's interaction if there is one).

Everything is written in the command's one transaction: an interrupted harvest writes nothing.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from rel.errors import BadValue

if TYPE_CHECKING:
    from rel.formats.calendar import Yearly
    from rel.formats.mail import MailHeaders
    from rel.store.harvest import BirthdaySlot
    from rel.store.queries import Store

ME_SETTING = "me"
FROM_MAIL_TAG = "from-mail"
SUGGESTED = 15  # correspondents --suggest shows
NOTE_LIMIT = 1000  # characters of subjects kept in one interaction's note
BATCH = 500  # messages looked up in the store at a time


@dataclass
class ContactHarvest:
    """What the harvest found for one contact."""

    contact_id: int
    name: str
    messages: int = 0
    days: set[tuple[date, str]] = field(default_factory=set)
    last: date | None = None


@dataclass
class Correspondent:
    """Someone mailed with who is not in rel."""

    address: str
    name: str | None
    received: int = 0  # messages from them
    sent: int = 0  # messages of the user's to them
    last: date | None = None

    @property
    def total(self) -> int:
        return self.received + self.sent

    @property
    def exchanges(self) -> int:
        """Two-way exchanges: a message each way."""
        return min(self.received, self.sent)

    def add_line(self) -> str:
        name = self.name or self.address
        return f"rel add {shlex.quote(name)} --email {shlex.quote(self.address)}"


@dataclass
class MailReport:
    read: int = 0
    bulk: int = 0
    already: int = 0  # harvested before, or a duplicate in this export
    undated: int = 0  # with a known contact, but no readable Date or Received
    matched: int = 0  # messages that went into interactions
    interactions_added: int = 0
    interactions_extended: int = 0
    me: list[str] = field(default_factory=list)
    contacts: dict[int, ContactHarvest] = field(default_factory=dict)
    correspondents: dict[str, Correspondent] = field(default_factory=dict)
    added_contacts: list[str] = field(default_factory=list)

    def suggestions(self, limit: int = SUGGESTED) -> list[Correspondent]:
        ranked = sorted(
            self.correspondents.values(),
            key=lambda c: (-c.total, -c.exchanges, -(c.last or date.min).toordinal(), c.address),
        )
        return ranked[:limit]

    def summary(self, *, dry_run: bool = False) -> str:
        people = len(self.contacts)
        verb = "to add" if dry_run else "added"
        parts = [
            f"{self.read:,} message{'s' if self.read != 1 else ''} read",
            f"{self.matched:,} with {people:,} contact{'s' if people != 1 else ''}",
            f"{self.interactions_added:,} interaction{'s' if self.interactions_added != 1 else ''}"
            f" {verb}",
        ]
        if self.interactions_extended:
            parts.append(f"{self.interactions_extended:,} extended")
        if self.already:
            parts.append(f"{self.already:,} already harvested")
        if self.bulk:
            parts.append(f"{self.bulk:,} bulk ignored")
        if self.undated:
            parts.append(f"{self.undated:,} without a readable date skipped")
        if self.added_contacts:
            parts.append(f"{len(self.added_contacts):,} contacts {verb}")
        return ", ".join(parts)


def clean_address(text: str) -> str:
    address = text.strip().strip("<>").lower()
    if "@" not in address or " " in address or len(address) > 320:
        raise BadValue(f"expected an email address for --me; got {text!r}")
    return address


def my_addresses(store: Store, given: Iterable[str], *, remember: bool) -> list[str]:
    """The user's own addresses: those remembered, with the ones given now (saved, unless
    `remember` is False, as in a dry run)."""
    from rel.store import harvest as stored

    known = (stored.setting(store, ME_SETTING) or "").split()
    new = [a for a in dict.fromkeys(clean_address(a) for a in given) if a not in known]
    if new and remember:
        stored.save_setting(store, ME_SETTING, " ".join([*known, *new]))
    return [*known, *new]


@dataclass
class _Scan:
    # (contact, day, direction): the (key, subject) of each message; only what is written
    groups: dict[tuple[int, date, str], list[tuple[str, str]]] = field(default_factory=dict)


def harvest_mail(
    store: Store,
    read: Callable[[], Iterable[MailHeaders]],
    *,
    me: Iterable[str] = (),
    subjects: bool = True,
    max_recipients: int = 10,
    add_frequent: int | None = None,
    today: date,
    now: datetime,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> MailReport:
    """Harvest the messages `read()` yields into interactions (see the module's docstring).

    `read` is called once, or twice with `add_frequent` (the contacts it adds are harvested
    on the second reading)."""

    if max_recipients < 1:
        raise BadValue(f"expected --max-recipients of 1 or more; got {max_recipients}")
    if add_frequent is not None and add_frequent < 1:
        raise BadValue(f"expected --add-frequent of 1 or more; got {add_frequent}")
    report = MailReport(me=my_addresses(store, me, remember=not dry_run))
    scan = _scan(store, read(), report, set(report.me), max_recipients, today, progress)
    if add_frequent is not None:
        report.added_contacts = _add_frequent(store, report, add_frequent, today, now, dry_run)
        if report.added_contacts and not dry_run:
            fresh = MailReport(me=report.me, added_contacts=report.added_contacts)
            scan = _scan(store, read(), fresh, set(report.me), max_recipients, today, None)
            report = fresh
    _write(store, scan, report, subjects=subjects, now=now, dry_run=dry_run)
    return report


def _batches(messages: Iterable[MailHeaders], size: int) -> Iterator[list[MailHeaders]]:
    batch: list[MailHeaders] = []
    for message in messages:
        batch.append(message)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _scan(
    store: Store,
    messages: Iterable[MailHeaders],
    report: MailReport,
    me: set[str],
    max_recipients: int,
    today: date,
    progress: Callable[[int], None] | None,
) -> _Scan:
    from rel.store import harvest as stored

    known = stored.known_addresses(store)
    names = {k.contact_id: k.name for k in known.values()}
    scan = _Scan()
    seen: set[str] = set()
    for batch in _batches(messages, BATCH):
        harvested = stored.already_harvested(store, [m.key for m in batch if not m.bulk])
        for message in batch:
            report.read += 1
            if message.bulk:
                report.bulk += 1
                continue
            if message.key in seen or message.key in harvested:
                report.already += 1
                continue
            seen.add(message.key)
            from_me = message.sender in me
            too_many = len(message.recipients) > max_recipients
            day = min(message.day, today) if message.day else None  # a clock ahead
            _count_correspondents(report, message, known, me, from_me, too_many, day)
            everyone = [message.sender] if too_many else [message.sender, *message.recipients]
            contacts = dict.fromkeys(
                known[a].contact_id for a in everyone if a in known and a not in me
            )
            if not contacts:
                continue
            if day is None:
                report.undated += 1
                continue
            report.matched += 1
            direction = "me" if from_me else "them"
            for contact_id in contacts:
                scan.groups.setdefault((contact_id, day, direction), []).append(
                    (message.key, message.subject)
                )
                found = report.contacts.get(contact_id)
                if found is None:
                    found = report.contacts[contact_id] = ContactHarvest(
                        contact_id, names[contact_id]
                    )
                found.messages += 1
                found.days.add((day, direction))
                found.last = max(found.last or day, day)
        if progress is not None:
            progress(report.read)
    return scan


def _count_correspondents(
    report: MailReport,
    message: MailHeaders,
    known: dict[str, object],
    me: set[str],
    from_me: bool,
    too_many: bool,
    day: date | None,
) -> None:
    """Tally the people mailed with who are not contacts (for --suggest, --add-frequent)."""
    from rel.formats.mail import NO_REPLY

    if from_me:
        if too_many:
            return
        addresses, sent = list(message.recipients), True
    elif message.sender is not None:
        addresses, sent = [message.sender], False
    else:
        return
    for address in addresses:
        if address in known or address in me or NO_REPLY.match(address.split("@", 1)[0]):
            continue
        found = report.correspondents.get(address)
        if found is None:
            found = report.correspondents[address] = Correspondent(
                address, message.names.get(address) or None
            )
        elif found.name is None and message.names.get(address):
            found.name = message.names[address]
        if sent:
            found.sent += 1
        else:
            found.received += 1
        if day is not None:
            found.last = max(found.last or day, day)


def _add_frequent(
    store: Store, report: MailReport, least: int, today: date, now: datetime, dry_run: bool
) -> list[str]:
    from rel.services.contacts import ContactDetails, add_contact
    from rel.services.contacts import clean_name as check_name

    added = []
    for person in report.suggestions(limit=len(report.correspondents)):
        if person.exchanges < least:
            continue
        try:
            name = check_name(person.name or person.address)
        except BadValue:
            name = person.address
        if not dry_run:
            add_contact(
                store,
                name,
                ContactDetails(emails=[person.address], tags=[FROM_MAIL_TAG]),
                today=today,
                now=now,
            )
        added.append(name)
    return added


def _note(existing: str | None, messages: list[tuple[str, str]], subjects: bool) -> str | None:
    from rel.formats.mail import plain_subject

    if not subjects:
        return existing
    have = [s for s in (existing or "").split("; ") if s]
    for _key, message_subject in messages:
        subject = plain_subject(message_subject)
        if subject and subject not in have:
            have.append(subject)
    note = "; ".join(have)
    if len(note) > NOTE_LIMIT:
        note = note[: NOTE_LIMIT - 1] + "…"
    return note or None


def _write(
    store: Store, scan: _Scan, report: MailReport, *, subjects: bool, now: datetime, dry_run: bool
) -> None:
    from rel.store import harvest as stored

    remembered: set[str] = set()
    before = stored.harvested_before(store)
    for (contact_id, day, direction), messages in sorted(
        scan.groups.items(), key=lambda item: (item[0][1], item[0][0], item[0][2])
    ):
        existing = (
            stored.harvested_interaction_of(store, contact_id, day, direction, "email")
            if before
            else None
        )
        if existing is not None:
            report.interactions_extended += 1
            if not dry_run:
                note = _note(existing.note, messages, subjects)
                if note != existing.note:
                    stored.set_interaction_note(store, existing.id, note)
            interaction_id = existing.id
        else:
            report.interactions_added += 1
            if dry_run:
                continue
            interaction_id = stored.add_interaction(
                store,
                [contact_id],
                on=day,
                kind="email",
                note=_note(None, messages, subjects),
                direction=direction,
                now=now,
            )
        if dry_run:
            continue
        for key, _subject in messages:
            if key not in remembered:
                remembered.add(key)
                stored.remember_harvested(store, key, interaction_id)


# --- calendars -------------------------------------------------------------------------------


def occurrence_key(uid: str, day: date) -> str:
    """What makes a calendar occurrence the same on a second run: its event's UID and day."""
    import hashlib

    return hashlib.sha256(f"ics\n{uid}\n{day.isoformat()}".encode()).hexdigest()[:32]


@dataclass
class MeetingReport:
    read: int = 0  # occurrences up to today
    already: int = 0
    without_contacts: int = 0
    interactions_added: int = 0
    contacts: dict[int, ContactHarvest] = field(default_factory=dict)

    def summary(self, *, dry_run: bool = False) -> str:
        verb = "to add" if dry_run else "added"
        people = len(self.contacts)
        parts = [
            f"{self.read:,} past meeting{'s' if self.read != 1 else ''} read",
            f"{self.interactions_added:,} interaction{'s' if self.interactions_added != 1 else ''}"
            f" {verb} with {people:,} contact{'s' if people != 1 else ''}",
        ]
        if self.already:
            parts.append(f"{self.already:,} already logged")
        if self.without_contacts:
            parts.append(f"{self.without_contacts:,} without a known attendee")
        return ", ".join(parts)


def harvest_meetings(
    store: Store,
    events: list[object],
    *,
    today: date,
    now: datetime,
    dry_run: bool = False,
) -> MeetingReport:
    """Past meetings (up to today, recurrences expanded) with known attendees or organiser
    become interactions of kind `meeting` with each of them, the summary as note; each
    occurrence once (by UID and day). Started by a contact who organised it, else by you."""
    from rel.formats.calendar import occurrences
    from rel.store import harvest as stored

    known = stored.known_addresses(store)
    me = set((stored.setting(store, ME_SETTING) or "").split())
    report = MeetingReport()
    for batch in _batches(occurrences(events, today), BATCH):  # type: ignore[arg-type]
        keys = {id(o): occurrence_key(o.uid, o.day) for o in batch}
        harvested = stored.already_harvested(store, keys.values())
        for occurrence in batch:
            report.read += 1
            contacts = dict.fromkeys(
                known[a].contact_id for a in occurrence.emails if a in known and a not in me
            )
            if not contacts:
                report.without_contacts += 1
                continue
            key = keys[id(occurrence)]
            if key in harvested:
                report.already += 1
                continue
            harvested.add(key)
            report.interactions_added += 1
            for contact_id in contacts:
                found = report.contacts.get(contact_id)
                if found is None:
                    name = next(k.name for k in known.values() if k.contact_id == contact_id)
                    found = report.contacts[contact_id] = ContactHarvest(contact_id, name)
                found.messages += 1
                found.days.add((occurrence.day, "meeting"))
                found.last = max(found.last or occurrence.day, occurrence.day)
            if dry_run:
                continue
            organised_by_contact = occurrence.organiser in known
            note = occurrence.summary[:NOTE_LIMIT] or None
            interaction_id = stored.add_interaction(
                store,
                contacts,
                on=occurrence.day,
                at=occurrence.at,
                kind="meeting",
                note=note,
                direction="them" if organised_by_contact else "me",
                now=now,
            )
            stored.remember_harvested(store, key, interaction_id)
    return report


@dataclass
class YearlyReport:
    """What `rel import ics` (without --log) did with a calendar's birthdays and anniversaries."""

    set: list[tuple[str, str]] = field(default_factory=list)  # (contact, MM-DD or date)
    kept: list[tuple[str, str]] = field(default_factory=list)  # had a birthday already
    suggestions: list[str] = field(default_factory=list)  # rel add / rel event lines


def _day_text(month: int, day: int, year: int | None) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"


def _anniversary(
    store: Store,
    report: YearlyReport,
    found: Yearly,
    matches: list[BirthdaySlot],
    *,
    today: date,
    now: datetime,
    dry_run: bool,
) -> None:
    """A yearly anniversary reminder for the one contact of that name (a wedding life event
    when the calendar gives the year), unless they have one; else the line that would add it."""
    from rel.domain.dates import Birthday, yearly_date
    from rel.services.touchpoints import record_event
    from rel.store.touchpoints import open_touchpoints_of

    when = _day_text(found.month, found.day, found.year)
    if len(matches) != 1:
        report.suggestions.append(
            f"rel add {shlex.quote(found.name)}, then: rel event {shlex.quote(found.name)} "
            f"wedding --on {when}"
            if found.year
            else f"rel add {shlex.quote(found.name)}, then: rel event {shlex.quote(found.name)} "
            f"wedding --on --{when}"
        )
        return
    slot = matches[0]
    if any(t.kind == "anniversary" for t in open_touchpoints_of(store, slot.id)):
        report.kept.append((f"{slot.name}'s anniversary", when))
        return
    report.set.append((f"{slot.name}'s anniversary", when))
    if dry_run:
        return
    # a wedding, as `rel event` makes it; without its year, the event keeps month and day
    record_event(
        store, slot.id, "wedding", None,
        on=yearly_date(Birthday(found.month, found.day, found.year)), today=today, now=now,
    )  # fmt: skip


def calendar_birthdays(
    store: Store, events: list[object], *, today: date, now: datetime, dry_run: bool
) -> YearlyReport:
    """Birthdays and anniversaries from a calendar (a Google "Contacts' birthdays" calendar,
    or any with "Name's birthday" events) onto the contacts of that name who have none; the
    rest as the rel commands that would add them."""
    from rel.domain.values import fold
    from rel.formats.calendar import yearly_days
    from rel.store import harvest as stored

    by_name: dict[str, list[stored.BirthdaySlot]] = {}
    for slot in stored.birthday_slots_of(store):
        by_name.setdefault(slot.search_name, []).append(slot)
    report = YearlyReport()
    for found in yearly_days(events):  # type: ignore[arg-type]
        when = _day_text(found.month, found.day, found.year)
        matches = by_name.get(fold(found.name), [])
        if found.kind == "anniversary":
            _anniversary(store, report, found, matches, today=today, now=now, dry_run=dry_run)
            continue
        if len(matches) != 1:
            report.suggestions.append(f"rel add {shlex.quote(found.name)} --birthday {when}")
            continue
        slot = matches[0]
        if slot.has_birthday:
            report.kept.append((slot.name, when))
            continue
        if not dry_run:
            stored.set_contact_birthday(store, slot.id, found.month, found.day, found.year)
        report.set.append((slot.name, when))
    return report
