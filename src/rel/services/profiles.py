"""Reading contacts back: one contact's profile and timeline, and the list of contacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from rel.domain.dates import Birthday
from rel.errors import BadValue, NotFound, shown
from rel.services.agenda import CatchUp, catch_up, favor_balance, occasion_due
from rel.services.rhythm import Period, periods_of_contact
from rel.store import agenda as stored_agenda
from rel.store import profiles as stored

if TYPE_CHECKING:
    from rel.store.queries import Store

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
    texts: dict[str, str | None]  # rel.domain.fields: company, title, met, notes ...
    emails: list[str]
    phones: list[str]
    links: list[str]
    tags: tuple[str, ...]
    birthday: Birthday | None
    next_birthday: date | None
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
    store: Store, contact_id: int, today: date, *, timeline: int | None = 20
) -> Profile:
    """Everything about one contact, with their newest `timeline` interactions first (all of
    them with None). `rel show` reads it through the standard library's sqlite3."""
    contact = stored.contact_profile(store, contact_id)
    if contact is None:
        raise NotFound(f"no contact has the id {contact_id} (rel list shows the ids)")
    handles = stored.handles_of(store, contact_id)
    tags = stored_agenda.tags_of(store, [contact_id]).get(contact_id, ())
    tally = stored.interaction_tally(store, contact_id)
    tag_cadences = stored_agenda.tag_cadences_of(store, contact_id)
    state = catch_up(
        contact.cadence, tag_cadences, contact.added_on, tally.last, today,
        contact.catch_up_skipped,
    )  # fmt: skip
    interactions = stored.timeline(store, contact_id, limit=timeline)
    others = stored.others_in(store, [row.id for row in interactions], contact_id)
    month, day = contact.birthday_month, contact.birthday_day
    birthday = Birthday(month, day, contact.birthday_year) if month and day else None
    return Profile(
        id=contact_id,
        name=contact.name,
        aliases=handles.get("alias", []),
        texts=dict(contact.texts),
        emails=handles.get("email", []),
        phones=handles.get("phone", []),
        links=handles.get("link", []),
        tags=tags,
        birthday=birthday,
        next_birthday=birthday.next_on_or_after(today) if birthday else None,
        archived=contact.archived,
        added_on=contact.added_on,
        created_at=contact.created_at,
        updated_at=contact.updated_at,
        catch_up=state,
        last_seen=tally.last,
        interactions=tally.count,
        timeline=[
            TimelineEntry(
                row.id,
                row.on,
                row.at,
                row.kind,
                row.note,
                row.direction,
                tuple(others.get(row.id, ())),
            )
            for row in interactions
        ],
        scheduled=[
            # a yearly anniversary missed beyond its grace period: its next day, as rel due says
            Scheduled(
                f"t{row.id}",
                row.kind,
                row.text,
                occasion_due(row.kind, row.due, row.rule, row.start, today) or row.due,
                row.rule,
                row.lead,
            )
            for row in stored.open_touchpoints_of(store, contact_id)
        ],
        gifts=[
            GiftEntry(row.id, row.direction, row.text, row.occasion, row.on, row.cost)
            for row in stored.gifts_of(store, contact_id)
        ],
        favors=favor_balance(store, contact_id),
        events=[
            EventEntry(f"e{row.id}", row.kind, row.on, row.text)
            for row in stored.events_of(store, contact_id)
        ],
        completions=[
            CompletionEntry(
                f"t{row.touchpoint_id}",
                row.kind,
                row.text,
                row.occurrence,
                row.on,
                row.action,
                row.note,
            )
            for row in stored.completions_of(store, contact_id)
        ],
        rhythm=periods_of_contact(store, contact_id, today),
    )


@dataclass(frozen=True)
class ContactSummary:
    id: int
    name: str
    texts: dict[str, str | None]  # the fields of rel.domain.fields that are `listed`
    tags: tuple[str, ...]
    cadence: str | None
    last_seen: date | None
    next_due: date | None
    health: str | None  # "overdue", "due", "on time"; None without a cadence
    days_late: int | None
    archived: bool


def list_contacts(
    store: Store,
    today: date,
    *,
    tags: Sequence[str] = (),
    overdue: bool = False,
    sort: str = "name",
    archived: bool = False,
) -> list[ContactSummary]:
    """The contacts (archived ones only when asked), filtered and sorted (`rel list` reads
    through the standard library's sqlite3)."""
    from rel.domain.values import clean_tag

    if sort not in SORTS:
        raise BadValue(f"expected a sort order of {', '.join(SORTS)}; got {shown(sort)}")
    names = [clean_tag(tag) for tag in tags]
    rows = stored.contact_summaries(store, tags=names, with_archived=archived)
    tag_names = stored_agenda.every_contact_tag(store)
    tag_cadences = stored_agenda.tag_cadences(store)
    summaries = []
    for row in rows:
        contact_id, seen, is_archived = row.id, row.last_seen, row.archived
        state = catch_up(
            row.cadence, tag_cadences.get(contact_id, ()), row.added_on, seen, today,
            row.catch_up_skipped,
        )  # fmt: skip
        if overdue and (state is None or state.health != "overdue" or is_archived):
            continue
        summaries.append(
            ContactSummary(
                id=contact_id,
                name=row.name,
                texts=dict(row.texts),
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
