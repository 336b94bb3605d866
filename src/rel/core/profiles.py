"""Reading contacts back: one contact's profile and timeline, and the list of contacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from rel.core.agenda import CatchUp, catch_up, favor_balance
from rel.core.contacts import handles_of, tag_cadences_by_contact, tags_by_contact
from rel.dates import Birthday
from rel.errors import BadValue

if TYPE_CHECKING:
    from sqlmodel import Session

    from rel.models import Contact

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


@dataclass(frozen=True)
class Scheduled:
    key: str
    kind: str
    text: str
    due: date
    rule: str | None
    lead: str | None


@dataclass(frozen=True)
class GiftEntry:
    id: int
    direction: str  # idea, gave, got
    text: str
    occasion: str | None
    on: date | None
    cost: str | None


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


def _birthday(contact: Contact) -> Birthday | None:
    if contact.birthday_month is None or contact.birthday_day is None:
        return None
    return Birthday(contact.birthday_month, contact.birthday_day, contact.birthday_year)


def load_profile(
    session: Session, contact: Contact, today: date, *, timeline: int | None = 20
) -> Profile:
    """Everything about one contact, with their newest `timeline` interactions first."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from rel.models import Contact as ContactTable
    from rel.models import Interaction, Participant

    assert contact.id is not None
    handles = handles_of([contact.id], session)[contact.id]
    tags = tags_by_contact(session, [contact.id]).get(contact.id, ())
    count, last_seen = session.exec(
        select(func.count(), func.max(Interaction.on))
        .join(Participant, col(Participant.interaction_id) == col(Interaction.id))
        .where(Participant.contact_id == contact.id)
    ).one()
    tag_cadences = tag_cadences_by_contact(session).get(contact.id, [])
    state = catch_up(contact.cadence, tag_cadences, contact.added_on, last_seen, today)
    query = (
        select(Interaction)
        .join(Participant, col(Participant.interaction_id) == col(Interaction.id))
        .where(Participant.contact_id == contact.id)
        .order_by(
            col(Interaction.on).desc(), col(Interaction.at).desc(), col(Interaction.id).desc()
        )
    )
    if timeline is not None:
        query = query.limit(timeline)
    interactions = list(session.exec(query).all())
    others: dict[int, list[str]] = {}
    if interactions:
        rows = session.exec(
            select(Participant.interaction_id, ContactTable.name)
            .join(ContactTable, col(ContactTable.id) == col(Participant.contact_id))
            .where(
                col(Participant.interaction_id).in_([i.id for i in interactions]),
                Participant.contact_id != contact.id,
            )
            .order_by(col(ContactTable.name))
        )
        for interaction_id, name in rows:
            others.setdefault(interaction_id, []).append(name)
    birthday = _birthday(contact)
    scheduled, gifts = _scheduled_and_gifts(session, contact.id)
    return Profile(
        id=contact.id,
        name=contact.name,
        aliases=handles.get("alias", []),
        company=contact.company,
        title=contact.title,
        emails=handles.get("email", []),
        phones=handles.get("phone", []),
        links=handles.get("link", []),
        tags=tags,
        met=contact.met,
        birthday=birthday,
        next_birthday=birthday.next_on_or_after(today) if birthday else None,
        notes=contact.notes,
        archived=contact.archived,
        added_on=contact.added_on,
        created_at=contact.created_at,
        updated_at=contact.updated_at,
        catch_up=state,
        last_seen=last_seen,
        interactions=count,
        timeline=[
            TimelineEntry(
                interaction_id=i.id or 0,
                on=i.on,
                at=i.at,
                kind=i.kind,
                note=i.note,
                direction=i.direction,
                others=tuple(others.get(i.id or 0, ())),
            )
            for i in interactions
        ],
        scheduled=scheduled,
        gifts=gifts,
        favors=favor_balance(session, contact.id),
    )


def _scheduled_and_gifts(
    session: Session, contact_id: int
) -> tuple[list[Scheduled], list[GiftEntry]]:
    from sqlmodel import col, select

    from rel.models import Gift, Touchpoint

    touchpoints = session.exec(
        select(Touchpoint)
        .where(Touchpoint.contact_id == contact_id, Touchpoint.state == "open")
        .order_by(col(Touchpoint.due), col(Touchpoint.id))
    ).all()
    gifts = session.exec(
        select(Gift)
        .where(Gift.contact_id == contact_id)
        .order_by(col(Gift.on).desc(), col(Gift.id).desc())
    ).all()
    return (
        [Scheduled(f"t{t.id}", t.kind, t.text, t.due, t.rule, t.lead) for t in touchpoints],
        [GiftEntry(g.id or 0, g.direction, g.text, g.occasion, g.on, g.cost) for g in gifts],
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
    or a Reader of rel.core.queries (`rel list` reads through the standard library's sqlite3)."""
    from rel.core.agenda import tag_cadences_of
    from rel.core.contacts import clean_tag
    from rel.core.queries import as_reader

    if sort not in SORTS:
        raise BadValue(f"expected a sort order of {', '.join(SORTS)}; got {sort!r}")
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
    for contact_id, name, company, cadence, added_on, is_archived, seen in rows:
        state = catch_up(cadence, tag_cadences.get(contact_id, ()), added_on, seen, today)
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
