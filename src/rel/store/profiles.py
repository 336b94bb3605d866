"""Reading contacts back from the store: one contact's profile and timeline (`rel show`), the
list of contacts (`rel list`), and the days of a contact's interactions (their rhythm).

Each function takes the `Store` handle (a Reader of rel.store.queries; an SQLAlchemy session
works too) and runs named statements on it: on the standard library's sqlite3 for an
up-to-date SQLite store, so `rel show` and `rel list` import no SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, NamedTuple

from rel.store.queries import as_reader

if TYPE_CHECKING:
    from rel.store.queries import Store


@dataclass(frozen=True)
class ContactProfile:
    """A contact's own row, as `rel show` shows it."""

    id: int
    name: str
    texts: dict[str, str | None]  # rel.domain.fields: company, title, met, notes ...
    birthday_month: int | None
    birthday_day: int | None
    birthday_year: int | None
    cadence: str | None
    archived: bool
    added_on: date
    created_at: datetime
    updated_at: datetime
    catch_up_skipped: date | None


class InteractionTally(NamedTuple):
    count: int
    last: date | None


class TimelineRow(NamedTuple):
    id: int
    on: date
    at: time | None
    kind: str
    note: str | None
    direction: str


class ScheduledRow(NamedTuple):
    id: int
    kind: str
    text: str
    due: date
    rule: str | None
    lead: str | None
    start: date


class GiftRow(NamedTuple):
    id: int
    direction: str
    text: str
    occasion: str | None
    on: date | None
    cost: str | None


class EventRow(NamedTuple):
    id: int
    kind: str
    on: date
    text: str | None


class CompletionRow(NamedTuple):
    touchpoint_id: int
    kind: str
    text: str
    occurrence: date
    on: date
    action: str
    note: str | None


@dataclass(frozen=True)
class SummaryRow:
    """A contact as `rel list` lists them."""

    id: int
    name: str
    texts: dict[str, str | None]  # the fields of rel.domain.fields that are `listed`
    cadence: str | None
    added_on: date
    archived: bool
    last_seen: date | None
    catch_up_skipped: date | None


def contact_profile(store: Store, contact_id: int) -> ContactProfile | None:
    from rel.domain.fields import NAMES

    found = as_reader(store).rows("contact_profile", id=contact_id)
    if not found:
        return None
    row = found[0]
    return ContactProfile(
        id=row.id,
        name=row.name,
        texts={name: getattr(row, name) for name in NAMES},
        birthday_month=row.birthday_month,
        birthday_day=row.birthday_day,
        birthday_year=row.birthday_year,
        cadence=row.cadence,
        archived=bool(row.archived),
        added_on=row.added_on,
        created_at=row.created_at,
        updated_at=row.updated_at,
        catch_up_skipped=row.catch_up_skipped,
    )


def handles_of(store: Store, contact_id: int) -> dict[str, list[str]]:
    """A contact's handles by kind (email, phone, link, alias), in their order."""
    found: dict[str, list[str]] = {}
    for kind, value in as_reader(store).rows("handles_of_contact", id=contact_id):
        found.setdefault(kind, []).append(value)
    return found


def interaction_tally(store: Store, contact_id: int) -> InteractionTally:
    """How many interactions the contact took part in, and the day of the last one."""
    [(count, last)] = as_reader(store).rows("interactions_count_and_last", id=contact_id)
    return InteractionTally(int(count), last)


def timeline(store: Store, contact_id: int, *, limit: int | None) -> list[TimelineRow]:
    """A contact's interactions, newest first: at most `limit` (all with None)."""
    reader = as_reader(store)
    if limit is None:
        rows = reader.rows("timeline", id=contact_id)
    else:
        rows = reader.rows("newest_timeline", id=contact_id, limit=limit)
    return [TimelineRow._make(row) for row in rows]


def others_in(
    store: Store, interaction_ids: Sequence[int], contact_id: int
) -> dict[int, list[str]]:
    """Who else than the contact took part in each of these interactions, by name."""
    found: dict[int, list[str]] = {}
    if not interaction_ids:
        return found
    rows = as_reader(store).rows("others_in_interactions", ids=list(interaction_ids), id=contact_id)
    for interaction_id, name in rows:
        found.setdefault(interaction_id, []).append(name)
    return found


def open_touchpoints_of(store: Store, contact_id: int) -> list[ScheduledRow]:
    """A contact's open touchpoints, soonest first."""
    rows = as_reader(store).rows("open_touchpoints_of_contact", id=contact_id)
    return [ScheduledRow._make(row) for row in rows]


def gifts_of(store: Store, contact_id: int) -> list[GiftRow]:
    """A contact's gifts, ideas and given and received, the newest dated first."""
    return [GiftRow._make(row) for row in as_reader(store).rows("gifts_of_contact", id=contact_id)]


def events_of(store: Store, contact_id: int) -> list[EventRow]:
    """A contact's life events, newest first."""
    rows = as_reader(store).rows("events_of_contact", id=contact_id)
    return [EventRow._make(row) for row in rows]


def completions_of(store: Store, contact_id: int) -> list[CompletionRow]:
    """The done and skipped occurrences of a contact's touchpoints, newest first."""
    rows = as_reader(store).rows("completions_of_contact", id=contact_id)
    return [CompletionRow._make(row) for row in rows]


def interaction_days(store: Store, contact_id: int, *, since: date) -> list[date]:
    """The day of each of a contact's interactions from `since` on."""
    rows = as_reader(store).rows("interaction_days_of_contact", id=contact_id, since=since)
    return [row[0] for row in rows]


def contact_summaries(
    store: Store, *, tags: Sequence[str] = (), with_archived: bool = False
) -> list[SummaryRow]:
    """The contacts not archived (all of them `with_archived`), of any of the tags if any."""
    from rel.domain.fields import TEXT_FIELDS

    listed = [field.name for field in TEXT_FIELDS if field.listed]
    reader = as_reader(store)
    if tags:
        rows = reader.mappings(
            "contact_summaries_tagged", with_archived=with_archived, tags=list(tags)
        )
    else:
        rows = reader.mappings("contact_summaries", with_archived=with_archived)
    return [
        SummaryRow(
            id=row["id"],
            name=row["name"],
            texts={name: row[name] for name in listed},
            cadence=row["cadence"],
            added_on=row["added_on"],
            archived=bool(row["archived"]),
            last_seen=row["last_seen"],
            catch_up_skipped=row["catch_up_skipped"],
        )
        for row in rows
    ]
