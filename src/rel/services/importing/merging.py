"""Bringing parsed records into the store: matching, merging and writing in bulk.

A record is the same person as a contact already in the store (or met earlier in the same
file) when they share an email, a phone number (of 7 digits or more, with no conflicting
email), or the same name (compared as WHO compares names) with no conflicting email: both have
emails and none in common. A match is updated, never duplicated, and never overwritten: the
store is the person's own truth, so an import only fills what is empty and adds emails, phones,
links, aliases and tags it does not have yet.

Everything is matched in memory against indexes of the store's names, emails and phones loaded
with a few queries, then written with batched inserts and updates, so importing ten thousand
contacts takes seconds, not the tens of thousands of queries `add_contact` would need.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rel.domain.dates import Birthday, Cadence
from rel.domain.fields import TEXT_FIELDS
from rel.domain.values import MAX_TEXT, fold, search_value
from rel.domain.vocabulary import counted
from rel.formats.records import ParsedContact, Records, Skipped
from rel.store.importing import ensure_tags

if TYPE_CHECKING:
    from rel.store.queries import Store

MIN_PHONE_DIGITS_TO_MATCH = 7
SHOWN_KEYS = 5  # changed keys named in an import's summary
HANDLE_FIELDS = (("email", "emails"), ("phone", "phones"), ("link", "links"), ("alias", "aliases"))
ONE_LINE = tuple(text.name for text in TEXT_FIELDS if text.one_line)  # company, title ...


# --- what happened to each record ---------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    action: str  # "add", "merge", "same" (matched, nothing new) or "skip"
    place: str
    name: str
    into: str = ""  # merge / same: the contact it matched ("Alice Chen (#12)")
    details: tuple[str, ...] = ()  # merge: what it adds; skip: why


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # values left out: "line 3: phone ..."
    interactions: int = 0
    interactions_known: int = 0
    # rel's JSON: events, touchpoints, gifts and snoozes added, by section
    scheduled: dict[str, int] = field(default_factory=dict)
    # rel's JSON: keys the import could not keep ("t1 is now t5"): the store had data
    renumbered: list[str] = field(default_factory=list)
    # rel's JSON: the entry each document id became (its .id is set once written)
    entries_by_document_id: dict[Any, Entry] = field(default_factory=dict, repr=False)

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        parts = [
            f"{self.count('add')} {verb}added",
            f"{self.count('merge')} {verb}merged",
            f"{self.count('same')} already known",
            f"{self.count('skip')} skipped",
        ]
        reasons: dict[str, int] = {}
        for outcome in self.outcomes:
            if outcome.action == "skip":
                reason = outcome.details[0] if outcome.details else "unreadable"
                reason = "same name as several contacts" if "same name" in reason else reason
                reasons[reason] = reasons.get(reason, 0) + 1
        text = ", ".join(parts)
        if reasons:
            text += " (" + "; ".join(f"{why}: {n}" for why, n in reasons.items()) + ")"
        if self.interactions or self.interactions_known:
            text += f"; {counted(self.interactions, 'interaction')} {verb}added"
            if self.interactions_known:
                text += f", {self.interactions_known} already there"
        for section, count in self.scheduled.items():
            text += f"; {count} {section} {verb}added"
        if self.renumbered:
            shown = ", ".join(self.renumbered[:SHOWN_KEYS])
            more = len(self.renumbered) - SHOWN_KEYS
            text += (
                f"; keys changed, the store already had data: {shown}"
                + (f" and {more} more" if more > 0 else "")
                + " (rel due and rel show give the new ones)"
            )
        return text


# --- the contacts as the import sees them ---------------------------------------------------


@dataclass(eq=False)
class Entry:
    """A contact of the store, or one this import adds, with what matching needs."""

    id: int | None
    name: str
    place: str = ""  # for a new one: where in the file it came from
    texts: dict[str, str | None] = field(default_factory=dict)  # one-line: company, title ...
    notes: str | None = None
    birthday: Birthday | None = None
    cadence: str | None = None
    archived: bool = False
    added_on: date | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    catch_up_skipped: date | None = None
    keys: set[tuple[str, str]] = field(default_factory=set)  # (kind, search value)
    emails: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    new_handles: list[tuple[str, str, str]] = field(default_factory=list)  # kind, value, key
    new_tags: list[str] = field(default_factory=list)
    next_position: int = 0
    anniversaries: set[tuple[int, int]] = field(default_factory=set)  # (month, day)
    new_anniversaries: list[Birthday] = field(default_factory=list)  # to become life events
    changed: bool = False
    wanted_id: int | None = None  # rel's JSON: the id the document gives, kept when it can be
    uid: str | None = None  # the store's UID; for a new one, the file's when it can be kept
    labels: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, value): TYPE

    def label(self) -> str:
        return f"{self.name} (#{self.id})" if self.id is not None else f"{self.name} ({self.place})"


class Index:
    """The store's contacts by email, phone and folded name, plus the ones being added."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.by_email: dict[str, list[Entry]] = {}
        self.by_phone: dict[str, list[Entry]] = {}
        self.by_name: dict[str, list[Entry]] = {}
        self.by_uid: dict[str, Entry] = {}
        self.problems: list[str] = []  # what a merge left out, and why

    @classmethod
    def load(cls, store: Store) -> Index:
        from rel.store.importing import anniversary_days, known_network

        index = cls()
        network = known_network(store)
        anniversaries = anniversary_days(store)
        by_id: dict[int, Entry] = {}
        for known in network.contacts:
            entry = Entry(
                known.id,
                known.name,
                texts=known.texts,
                notes=known.notes,
                birthday=known.birthday,
                cadence=known.cadence,
                uid=known.uid,
            )
            entry.anniversaries = anniversaries.get(known.id, set())
            by_id[known.id] = entry
            index._add(entry)
        for key in network.keys:
            entry = by_id.get(key.contact_id)
            if entry is not None:
                index._add_key(entry, key.kind, key.search_value)
                entry.next_position = max(entry.next_position, key.position + 1)
        for contact_id, name in network.tags:
            if contact_id in by_id:
                by_id[contact_id].tags.add(name)
        return index

    def _add(self, entry: Entry) -> None:
        self.entries.append(entry)
        self.by_name.setdefault(fold(entry.name), []).append(entry)
        if entry.uid is not None:
            self.by_uid.setdefault(entry.uid, entry)

    def _add_key(self, entry: Entry, kind: str, key: str) -> None:
        entry.keys.add((kind, key))
        if kind == "email":
            entry.emails.add(key)
            self.by_email.setdefault(key, []).append(entry)
        elif kind == "phone" and _matchable_phone(key):
            self.by_phone.setdefault(key, []).append(entry)

    def find(self, record: ParsedContact) -> tuple[Entry | None, str | None]:
        """The entry this record is, or (None, None) for someone new, or (None, why not).

        The same UID is the same person, whatever their name or handles are now (a card
        exported by rel, edited elsewhere and imported again); then an email, a phone, the
        name."""
        if record.uid is not None and record.uid in self.by_uid:
            return self.by_uid[record.uid], None
        emails = {search_value("email", e) for e in record.emails}
        for key in emails:
            if key in self.by_email:
                return self.by_email[key][0], None
        for phone in record.phones:
            key = search_value("phone", phone)
            for entry in self.by_phone.get(key, []):
                if not _conflicting(entry.emails, emails):
                    return entry, None
        assert record.name is not None
        same_name = [
            entry
            for entry in self.by_name.get(fold(record.name), [])
            if not _conflicting(entry.emails, emails)
        ]
        if len(same_name) > 1:
            shown = ", ".join(entry.label() for entry in same_name[:3])
            return None, f"same name as {len(same_name)} contacts ({shown}); not merged"
        return (same_name[0] if same_name else None), None

    def add_new(self, record: ParsedContact) -> Entry:
        assert record.name is not None
        entry = Entry(
            None,
            record.name,
            record.place,
            dict(record.texts),
            record.notes,
            record.birthday,
            str(record.cadence) if record.cadence else None,
            bool(record.archived),
            record.added_on,
            record.created_at,
            record.updated_at,
            record.catch_up_skipped,
        )
        entry.wanted_id = document_key(record.document_id)
        if record.uid is not None and record.uid not in self.by_uid:
            entry.uid = record.uid
        self._add(entry)
        self.merge(entry, record)
        return entry

    def merge(self, entry: Entry, record: ParsedContact) -> list[str]:
        """Fill what `entry` lacks from `record`; returns what was added."""
        added: list[str] = []
        for name in ONE_LINE:
            value = record.texts.get(name)
            if value is not None and entry.texts.get(name) is None:
                entry.texts[name] = value
                added.append(name)
        if record.birthday is not None and entry.birthday is None:
            entry.birthday = record.birthday
            added.append("birthday")
        if record.cadence is not None and entry.cadence is None:
            entry.cadence = str(record.cadence)
            added.append("cadence")
        if record.notes and record.notes not in (entry.notes or ""):
            joined = f"{entry.notes}\n\n{record.notes}" if entry.notes else record.notes
            if len(joined) > MAX_TEXT:
                self.problems.append(
                    f"{record.place}: notes left out: with those of {entry.label()} they would "
                    f"be {len(joined):,} characters, more than the {MAX_TEXT:,} a text may have"
                )
            else:
                entry.notes = joined
                added.append("notes")
        anniversary = record.anniversary
        if anniversary is not None and (anniversary.month, anniversary.day) not in (
            entry.anniversaries
        ):  # one the contact has (with or without its year) is not made again
            entry.anniversaries.add((anniversary.month, anniversary.day))
            entry.new_anniversaries.append(anniversary)
            added.append("anniversary")
        for kind, attribute in HANDLE_FIELDS:
            for value in getattr(record, attribute):
                key = search_value(kind, value)
                if (kind, key) in entry.keys:
                    continue
                self._add_key(entry, kind, key)
                entry.new_handles.append((kind, value, key))
                if value in record.labels:
                    entry.labels[(kind, value)] = record.labels[value]
                added.append(f"{kind} {value}")
        for tag in record.tags:
            if tag not in entry.tags:
                entry.tags.add(tag)
                entry.new_tags.append(tag)
                added.append(f"tag {tag}")
        if added and entry.id is not None:
            entry.changed = True
        return added


def document_key(value: Any) -> int | None:
    """A document id that can be kept as a store id: a positive integer."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return value
    return None


def keepable(values: Sequence[Any]) -> bool:
    """Whether these document ids can all be kept: every one a positive integer, none twice."""
    keys = [document_key(value) for value in values]
    return None not in keys and len(set(keys)) == len(keys)


def _matchable_phone(key: str) -> bool:
    return len(key.lstrip("+")) >= MIN_PHONE_DIGITS_TO_MATCH


def _conflicting(known: set[str], emails: set[str]) -> bool:
    return bool(known and emails and not known & emails)


# --- the import ---------------------------------------------------------------------------


def import_contacts(
    store: Store,
    records: Records,
    *,
    today: date,
    now: datetime,
    tags: Sequence[str] = (),
    cadence: Cadence | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    keep_ids: bool = False,
) -> tuple[ImportReport, Index]:
    """Match, merge and (unless `dry_run`) write every record, in the caller's transaction.

    With `cadence` (`rel import --every`), each contact added gets it, and their first due
    dates are spread evenly across one cadence from tomorrow (`spread_first_due_dates`).
    """
    report = ImportReport(records.kind, dry_run)
    index = Index.load(store)
    new: list[Entry] = []
    by_document_id = report.entries_by_document_id
    for position, item in enumerate(records.items, start=1):
        if progress is not None:
            progress(position, records.total)
        if isinstance(item, Skipped):
            report.outcomes.append(Outcome("skip", item.place, "", details=(item.reason,)))
            continue
        item.keep_past(today)
        report.problems.extend(f"{item.place}: {problem}" for problem in item.problems)
        for tag in tags:
            if tag not in item.tags:
                item.tags.append(tag)
        entry, why_not = index.find(item)
        if why_not:
            report.outcomes.append(Outcome("skip", item.place, item.name or "", details=(why_not,)))
            continue
        if entry is None:
            entry = index.add_new(item)
            new.append(entry)
            report.outcomes.append(Outcome("add", item.place, entry.name))
        else:
            added = index.merge(entry, item)
            action = "merge" if added else "same"
            report.outcomes.append(
                Outcome(action, item.place, item.name or "", entry.label(), tuple(added))
            )
        if item.document_id is not None:
            by_document_id[item.document_id] = entry
    report.problems.extend(index.problems)
    if cadence is not None:
        spread_first_due_dates(new, cadence, today)
    if dry_run:
        return report, index
    _write(store, index, new, today=today, now=now, keep_ids=keep_ids)
    anniversaries = [(e, day) for e in index.entries for day in e.new_anniversaries]
    added = _schedule_anniversaries(store, anniversaries, today=today, now=now)
    if added:
        report.scheduled["wedding anniversaries"] = added
    return report, index


def _schedule_anniversaries(
    store: Store, found: list[tuple[Entry, Birthday]], *, today: date, now: datetime
) -> int:
    """An anniversary a file brings (vCard ANNIVERSARY: "the date of marriage, or
    equivalent") becomes a wedding with its yearly anniversary on the agenda, as
    `rel event WHO wedding --on DATE` would make it; without its year, the event keeps the
    month and day (rel.domain.dates.NO_YEAR). Index.merge left out those the contact had."""
    from rel.domain.dates import yearly_date
    from rel.services.touchpoints import record_event
    from rel.store.importing import contact_exists

    made = 0
    for entry, anniversary in found:
        assert entry.id is not None
        day = yearly_date(anniversary)
        if contact_exists(store, entry.id) and day <= today:
            record_event(store, entry.id, "wedding", None, on=day, today=today, now=now)
            made += 1
        entry.new_anniversaries.remove(anniversary)
    return made


def spread_first_due_dates(entries: Sequence[Entry], cadence: Cadence, today: date) -> None:
    """Give each new contact `cadence` and an added-on day so their first due dates fall
    evenly over one cadence starting tomorrow, in file order: the first due tomorrow, the last
    a whole cadence from today; none due today, none overdue.

    The agenda counts a contact never seen from the day they were added (due at added on +
    cadence). Months are not all the same length (31 January + 1 month is 28 February, and no
    day + 1 month is 30 March), so the due dates an added-on day can give are listed first, and
    the contacts spread evenly over those."""
    last = cadence.due(today)
    reachable: dict[date, date] = {}  # due date -> the latest added-on day giving it
    day = cadence.soft.before(today) - timedelta(days=3)
    while day <= today:
        due = cadence.due(day)
        if today < due <= last:
            reachable[due] = day
        day += timedelta(days=1)
    dues = sorted(reachable)
    count = len(entries)
    for position, entry in enumerate(entries):
        entry.cadence = str(cadence)
        entry.added_on = reachable[dues[position * len(dues) // count]]


def _write(
    store: Store,
    index: Index,
    new: list[Entry],
    *,
    today: date,
    now: datetime,
    keep_ids: bool = False,
) -> None:
    from rel.store.importing import (
        ContactFilled,
        ImportedContact,
        NewHandle,
        done_writing,
        insert_contacts,
        insert_handles,
        tag_contacts,
        update_contacts,
    )

    if new:
        keep = keep_ids and keepable([e.wanted_id for e in new])
        new_ids = insert_contacts(
            store,
            [
                ImportedContact(
                    id=e.wanted_id if keep else None,
                    name=e.name,
                    texts={name: e.texts.get(name) for name in ONE_LINE},
                    notes=e.notes,
                    birthday=e.birthday,
                    cadence=e.cadence,
                    archived=e.archived,
                    added_on=e.added_on or today,
                    catch_up_skipped=e.catch_up_skipped,
                    created_at=e.created_at or now,
                    updated_at=e.updated_at or now,
                    uid=e.uid,
                )
                for e in new
            ],
        )
        for entry, new_id in zip(new, new_ids, strict=True):
            entry.id = new_id
    update_contacts(
        store,
        [
            ContactFilled(e.id, e.texts, e.notes, e.birthday, e.cadence)  # type: ignore[arg-type]
            for e in index.entries
            if e.changed
        ],
        now=now,
    )
    handles = []
    for entry in index.entries:
        for kind, value, key in entry.new_handles:
            label = entry.labels.get((kind, value))
            handles.append(NewHandle(entry.id, kind, value, key, entry.next_position, label))  # type: ignore[arg-type]
            entry.next_position += 1
        entry.new_handles.clear()
    insert_handles(store, handles)
    wanted = {tag for entry in index.entries for tag in entry.new_tags}
    tag_ids = ensure_tags(store, wanted)
    links = [(entry.id, tag_ids[tag]) for entry in index.entries for tag in entry.new_tags]
    for entry in index.entries:
        entry.new_tags.clear()
        entry.changed = False
    tag_contacts(store, links)  # type: ignore[arg-type]
    done_writing(store)
