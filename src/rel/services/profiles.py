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
    source: Any, contact_id: int, today: date, *, timeline: int | None = 20
) -> Profile:
    """Everything about one contact, with their newest `timeline` interactions first (all of
    them with None). `source` is a session or a Reader of rel.store.queries (`rel show` reads
    through the standard library's sqlite3)."""
    from rel.domain.fields import NAMES
    from rel.store.queries import as_reader

    reader = as_reader(source)
    found = reader.rows("contact_profile", id=contact_id)
    if not found:
        raise NotFound(f"no contact has the id {contact_id} (rel list shows the ids)")
    contact = found[0]
    handles: dict[str, list[str]] = {}
    for handle in reader.rows("handles_of_contact", id=contact_id):
        handles.setdefault(handle.kind, []).append(handle.value)
    tags = tuple(tag.name for tag in reader.rows("tags_of", ids=[contact_id]))
    [(count, last_seen)] = reader.rows("interactions_count_and_last", id=contact_id)
    tag_cadences = [(tag.name, tag.cadence) for tag in
                    reader.rows("tag_cadences_of_contact", id=contact_id)]  # fmt: skip
    state = catch_up(
        contact.cadence, tag_cadences, contact.added_on, last_seen, today,
        contact.catch_up_skipped,
    )  # fmt: skip
    if timeline is None:
        interactions = reader.rows("timeline", id=contact_id)
    else:
        interactions = reader.rows("newest_timeline", id=contact_id, limit=timeline)
    others: dict[int, list[str]] = {}
    if interactions:
        ids = [interaction.id for interaction in interactions]
        for other in reader.rows("others_in_interactions", ids=ids, id=contact_id):
            others.setdefault(other.interaction_id, []).append(other.name)
    month, day = contact.birthday_month, contact.birthday_day
    birthday = Birthday(month, day, contact.birthday_year) if month and day else None
    return Profile(
        id=contact_id,
        name=contact.name,
        aliases=handles.get("alias", []),
        texts={name: getattr(contact, name) for name in NAMES},
        emails=handles.get("email", []),
        phones=handles.get("phone", []),
        links=handles.get("link", []),
        tags=tags,
        birthday=birthday,
        next_birthday=birthday.next_on_or_after(today) if birthday else None,
        archived=bool(contact.archived),
        added_on=contact.added_on,
        created_at=contact.created_at,
        updated_at=contact.updated_at,
        catch_up=state,
        last_seen=last_seen,
        interactions=count,
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
            for row in reader.rows("open_touchpoints_of_contact", id=contact_id)
        ],
        gifts=[GiftEntry(*row) for row in reader.rows("gifts_of_contact", id=contact_id)],
        favors=favor_balance(reader, contact_id),
        events=[
            EventEntry(f"e{row.id}", row.kind, row.on, row.text)
            for row in reader.rows("events_of_contact", id=contact_id)
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
    texts: dict[str, str | None]  # the fields of rel.domain.fields that are `listed`
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
    from rel.domain.values import clean_tag
    from rel.services.agenda import tag_cadences_of
    from rel.store.queries import as_reader

    if sort not in SORTS:
        raise BadValue(f"expected a sort order of {', '.join(SORTS)}; got {shown(sort)}")
    reader = as_reader(source)
    names = [clean_tag(tag) for tag in tags]
    from rel.domain.fields import TEXT_FIELDS

    listed = [field.name for field in TEXT_FIELDS if field.listed]
    rows = reader.mappings(
        "contact_summaries_tagged" if names else "contact_summaries",
        with_archived=archived,
        **({"tags": names} if names else {}),
    )
    tag_names: dict[int, list[str]] = {}
    for contact_id, name in reader.rows("every_contact_tag"):
        tag_names.setdefault(contact_id, []).append(name)
    tag_cadences = tag_cadences_of(reader)
    summaries = []
    for row in rows:
        contact_id, seen, is_archived = row["id"], row["last_seen"], row["archived"]
        state = catch_up(
            row["cadence"], tag_cadences.get(contact_id, ()), row["added_on"], seen, today,
            row["catch_up_skipped"],
        )  # fmt: skip
        if overdue and (state is None or state.health != "overdue" or is_archived):
            continue
        summaries.append(
            ContactSummary(
                id=contact_id,
                name=row["name"],
                texts={name: row[name] for name in listed},
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
