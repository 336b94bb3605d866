"""Reading contacts back: one contact's profile and timeline, and the list of contacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from rel.domain.dates import Birthday
from rel.errors import BadValue, NotFound, shown
from rel.services.agenda import CatchUp, catch_up, favor_balance, occasion_due
from rel.services.rhythm import Period, periods_of_contact

SORTS = ("name", "last", "next")


@dataclass(frozen=True)
class TimelineEntry:
    interaction_id: int
    on: date
    at: time | None
    kind: str
    note: str | None
    direction: str
    others: tuple[str, ...]  # the other people who took part

    @property
    def key(self) -> str:
        return f"i{self.interaction_id}"


@dataclass(frozen=True)
class Scheduled:
    key: str
    kind: str
    text: str
    due: date
    rule: str | None
    lead: str | None


@dataclass(frozen=True)
class EventEntry:
    key: str  # e5
    kind: str
    on: date
    text: str | None


@dataclass(frozen=True)
class CompletionEntry:
    key: str  # the touchpoint's: t3
    kind: str
    text: str
    occurrence: date  # the due date it closed
    on: date  # the day it was done or skipped
    action: str  # done or skipped
    note: str | None


@dataclass(frozen=True)
class GiftEntry:
    id: int
    direction: str  # idea, gave, got
    text: str
    occasion: str | None
    on: date | None
    cost: str | None

    @property
    def key(self) -> str:
        return f"g{self.id}"


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    aliases: list[str]
    company: str | None
    title: str | None
    emails: list[str]
    phones: list[str]
    links: list[str]
    tags: tuple[str, ...]
    met: str | None
    birthday: Birthday | None
    next_birthday: date | None
    notes: str | None
    archived: bool
    added_on: date
    created_at: datetime
    updated_at: datetime
    catch_up: CatchUp | None
    last_seen: date | None
    interactions: int
    timeline: list[TimelineEntry]
    scheduled: list[Scheduled]
    gifts: list[GiftEntry]
    favors: dict[str, int]  # given (you helped them) and received (they helped you)
    events: list[EventEntry]
    completions: list[CompletionEntry]  # newest first
    rhythm: list[Period]  # interactions per month over the last 12 months, oldest first


def load_profile(
    source: Any, contact_id: int, today: date, *, timeline: int | None = 20
) -> Profile:
    """Everything about one contact, with their newest `timeline` interactions first (all of
    them with None). `source` is a session or a Reader of rel.store.queries (`rel show` reads
    through the standard library's sqlite3)."""
    from rel.store.queries import as_reader

    reader = as_reader(source)
    found = reader.rows("contact_profile", id=contact_id)
    if not found:
        raise NotFound(f"no contact has the id {contact_id} (rel list shows the ids)")
    (_id, name, company, title, met, b_month, b_day, b_year, cadence, notes, archived,
     added_on, created_at, updated_at, skipped) = found[0]  # fmt: skip
    handles: dict[str, list[str]] = {}
    for kind, value in reader.rows("handles_of_contact", id=contact_id):
        handles.setdefault(kind, []).append(value)
    tags = tuple(name for _cid, name in reader.rows("tags_of", ids=[contact_id]))
    [(count, last_seen)] = reader.rows("interactions_count_and_last", id=contact_id)
    tag_cadences = [(tag, every) for _cid, tag, every in
                    reader.rows("tag_cadences_of_contact", id=contact_id)]  # fmt: skip
    state = catch_up(cadence, tag_cadences, added_on, last_seen, today, skipped)
    if timeline is None:
        interactions = reader.rows("timeline", id=contact_id)
    else:
        interactions = reader.rows("newest_timeline", id=contact_id, limit=timeline)
    others: dict[int, list[str]] = {}
    if interactions:
        ids = [row[0] for row in interactions]
        for interaction_id, other in reader.rows("others_in_interactions", ids=ids, id=contact_id):
            others.setdefault(interaction_id, []).append(other)
    birthday = Birthday(b_month, b_day, b_year) if b_month and b_day else None
    return Profile(
        id=contact_id,
        name=name,
        aliases=handles.get("alias", []),
        company=company,
        title=title,
        emails=handles.get("email", []),
        phones=handles.get("phone", []),
        links=handles.get("link", []),
        tags=tags,
        met=met,
        birthday=birthday,
        next_birthday=birthday.next_on_or_after(today) if birthday else None,
        notes=notes,
        archived=bool(archived),
        added_on=added_on,
        created_at=created_at,
        updated_at=updated_at,
        catch_up=state,
        last_seen=last_seen,
        interactions=count,
        timeline=[
            TimelineEntry(number, on, at, kind, note, direction, tuple(others.get(number, ())))
            for number, on, at, kind, note, direction in interactions
        ],
        scheduled=[
            # a yearly anniversary missed beyond its grace period: its next day, as rel due says
            Scheduled(
                f"t{number}",
                kind,
                text,
                occasion_due(kind, due, rule, start, today) or due,
                rule,
                lead,
            )
            for number, kind, text, due, rule, lead, start in reader.rows(
                "open_touchpoints_of_contact", id=contact_id
            )
        ],
        gifts=[GiftEntry(*row) for row in reader.rows("gifts_of_contact", id=contact_id)],
        favors=favor_balance(reader, contact_id),
        events=[
            EventEntry(f"e{number}", kind, on, text)
            for number, kind, on, text in reader.rows("events_of_contact", id=contact_id)
        ],
        completions=[
            CompletionEntry(f"t{number}", *rest)
            for number, *rest in reader.rows("completions_of_contact", id=contact_id)
        ],
        rhythm=periods_of_contact(reader, contact_id, today),
    )


@dataclass(frozen=True)
class ContactSummary:
    id: int
    name: str
    company: str | None
    tags: tuple[str, ...]
    cadence: str | None
    last_seen: date | None
    next_due: date | None
    health: str | None  # "overdue", "due", "on time"; None without a cadence
    days_late: int | None
    archived: bool


def list_contacts(
    source: Any,
    today: date,
    *,
    tags: Sequence[str] = (),
    overdue: bool = False,
    sort: str = "name",
    archived: bool = False,
) -> list[ContactSummary]:
    """The contacts (archived ones only when asked), filtered and sorted. `source` is a session
    or a Reader of rel.store.queries (`rel list` reads through the standard library's sqlite3)."""
    from rel.services.agenda import tag_cadences_of
    from rel.services.contacts import clean_tag
    from rel.store.queries import as_reader

    if sort not in SORTS:
        raise BadValue(f"expected a sort order of {', '.join(SORTS)}; got {shown(sort)}")
    reader = as_reader(source)
    names = [clean_tag(tag) for tag in tags]
    rows = reader.rows(
        "contact_summaries_tagged" if names else "contact_summaries",
        with_archived=archived,
        **({"tags": names} if names else {}),
    )
    tag_names: dict[int, list[str]] = {}
    for contact_id, name in reader.rows("every_contact_tag"):
        tag_names.setdefault(contact_id, []).append(name)
    tag_cadences = tag_cadences_of(reader)
    summaries = []
    for contact_id, name, company, cadence, added_on, is_archived, seen, skipped in rows:
        state = catch_up(cadence, tag_cadences.get(contact_id, ()), added_on, seen, today, skipped)
        if overdue and (state is None or state.health != "overdue" or is_archived):
            continue
        summaries.append(
            ContactSummary(
                id=contact_id,
                name=name,
                company=company,
                tags=tuple(tag_names.get(contact_id, ())),
                cadence=str(state.cadence) if state else None,
                last_seen=seen,
                next_due=state.due if state else None,
                health=state.health if state else None,
                days_late=state.days_late if state else None,
                archived=bool(is_archived),
            )
        )
    far = date.max
    if sort == "last":  # longest since last contact first; never seen first of all
        summaries.sort(key=lambda s: (s.last_seen or date.min, s.name.casefold()))
    elif sort == "next":
        summaries.sort(key=lambda s: (s.next_due or far, s.name.casefold()))
    else:
        summaries.sort(key=lambda s: (s.name.casefold(), s.id))
    return summaries
