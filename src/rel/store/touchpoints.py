"""The store's side of touchpoints, snoozes, life events and gifts: typed functions over a
Reader (rel.store.queries), taking and returning dataclasses.

The services (touchpoints, why, records) call these and never names a
statement or unpacks a row. Rows come back by their columns' names. Each function runs the
same statements on both readers: compiled for the standard library's sqlite3 on an
up-to-date SQLite store, or through an SQLAlchemy session on any engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from rel.domain.identity import new_uid

if TYPE_CHECKING:
    from rel.store.queries import Reader


def _made(kind: type, row: dict[str, Any]) -> Any:
    return kind(**{f.name: row[f.name] for f in fields(kind)})


# --- a contact as the agenda sees it -----------------------------------------------------------


@dataclass(frozen=True)
class AgendaContact:
    """What the agenda rules need of a contact: their cadence, birthday, last interaction and
    the catch-up last skipped."""

    id: int
    name: str
    cadence: str | None
    added_on: date
    birthday_month: int | None
    birthday_day: int | None
    birthday_year: int | None
    archived: bool
    catch_up_skipped: date | None
    last_seen: date | None


def agenda_contact(reader: Reader, contact_id: int) -> AgendaContact | None:
    found = reader.mappings("agenda_contact", id=contact_id)
    return _made(AgendaContact, found[0]) if found else None


def tag_cadences(reader: Reader, contact_id: int) -> list[tuple[str, str]]:
    """The (tag, cadence) pairs of the contact's tags that carry a default cadence."""
    return [
        (row["name"], row["cadence"])
        for row in reader.mappings("tag_cadences_of_contact", id=contact_id)
    ]


def set_catch_up_skipped(reader: Reader, contact_id: int, day: date | None) -> None:
    reader.change("set_catch_up_skipped", contact_id=contact_id, skipped=day)


# --- touchpoints -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewTouchpoint:
    """A touchpoint to schedule (its columns as rel.services.touchpoints.touchpoint_values makes
    them)."""

    contact_id: int
    kind: str
    text: str
    due: date
    start: date
    rule: str | None
    lead: str | None
    state: str
    interaction_id: int | None
    event_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class Touchpoint:
    """A scheduled touchpoint: `due` is its open occurrence (the next, for a recurring one)."""

    id: int
    contact_id: int
    kind: str
    text: str
    due: date
    start: date
    rule: str | None
    lead: str | None
    state: str  # open, done, skipped
    interaction_id: int | None
    event_id: int | None


def add_touchpoint(reader: Reader, new: NewTouchpoint) -> Touchpoint:
    values = {f.name: getattr(new, f.name) for f in fields(NewTouchpoint)}
    number = reader.write("insert_touchpoint", **values, uid=new_uid())
    del values["created_at"]
    return Touchpoint(id=number, **values)


def touchpoint(reader: Reader, number: int) -> Touchpoint | None:
    found = reader.mappings("touchpoint_by_id", id=number)
    return _made(Touchpoint, found[0]) if found else None


def open_touchpoints_of(reader: Reader, contact_id: int) -> list[Touchpoint]:
    """A contact's open touchpoints, soonest first."""
    return [
        _made(Touchpoint, row) for row in reader.mappings("open_touchpoints_in_full", id=contact_id)
    ]


def save_touchpoint(reader: Reader, changed: Touchpoint) -> None:
    """Write a touchpoint's kind, text, dates, rule, lead time and state as they are now."""
    reader.change(
        "update_touchpoint", touchpoint_id=changed.id, kind=changed.kind, text=changed.text,
        due=changed.due, start=changed.start, rule=changed.rule, lead=changed.lead,
        state=changed.state,
    )  # fmt: skip


def add_completion(
    reader: Reader, touchpoint_id: int, *, occurrence: date, on: date, action: str,
    note: str | None,
) -> None:  # fmt: skip
    """An occurrence of a touchpoint done or skipped."""
    reader.write(
        "insert_completion", touchpoint_id=touchpoint_id, occurrence=occurrence, on=on,
        action=action, note=note,
    )  # fmt: skip


# --- snoozes -------------------------------------------------------------------------------------


def snoozed_until(reader: Reader, key: str) -> date | None:
    found = reader.mappings("snooze_of_key", key=key)
    return found[0]["until"] if found else None


def set_snooze(reader: Reader, key: str, until: date | None) -> None:
    """Hide the agenda row `key` until a day; None: show it again. Setting what is already
    set writes nothing (so a command that changes nothing leaves no undo entry)."""
    found = reader.mappings("snooze_of_key", key=key)
    if until is None:
        if found:
            reader.change("delete_snooze", snooze_key=key)
    elif not found:
        reader.change("insert_snooze", key=key, until=until)
    elif found[0]["until"] != until:
        reader.change("update_snooze", snooze_key=key, until=until)


# --- life events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LifeEvent:
    id: int
    contact_id: int
    kind: str
    on: date
    text: str | None


def add_life_event(
    reader: Reader, contact_id: int, kind: str, *, on: date, text: str | None, now: datetime
) -> LifeEvent:
    number = reader.write(
        "insert_life_event",
        uid=new_uid(),
        contact_id=contact_id,
        kind=kind,
        on=on,
        text=text,
        created_at=now,
    )
    return LifeEvent(number, contact_id, kind, on, text)


# --- gifts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gift:
    id: int
    contact_id: int
    direction: str  # idea, gave, got
    text: str
    occasion: str | None
    on: date | None
    cost: str | None
    lead: str | None


def add_gift(
    reader: Reader, contact_id: int, direction: str, text: str, *, occasion: str | None,
    on: date | None, cost: str | None, lead: str | None, now: datetime,
) -> Gift:  # fmt: skip
    values = {
        "contact_id": contact_id, "direction": direction, "text": text, "occasion": occasion,
        "on": on, "cost": cost, "lead": lead,
    }  # fmt: skip
    number = reader.write("insert_gift", **values, created_at=now, uid=new_uid())
    return Gift(id=number, **values)


def gift(reader: Reader, number: int) -> Gift | None:
    found = reader.mappings("gift_by_id", id=number)
    return _made(Gift, found[0]) if found else None


def gifts_of(reader: Reader, contact_id: int, direction: str) -> list[Gift]:
    """A contact's gift ideas (`idea`), or gifts given (`gave`) or received (`got`)."""
    rows = reader.mappings("gifts_of_contact_by_direction", id=contact_id, direction=direction)
    return [_made(Gift, row) for row in rows]


def save_gift(reader: Reader, changed: Gift) -> None:
    """Write a gift's direction, text, occasion, day, cost and lead time as they are now."""
    reader.change(
        "update_gift", gift_id=changed.id, direction=changed.direction, text=changed.text,
        occasion=changed.occasion, on=changed.on, cost=changed.cost, lead=changed.lead,
    )  # fmt: skip


# --- the records listed by key (rel history, reminders, events, gifts) ----------------------------


@dataclass(frozen=True)
class Party:
    """A contact named in a record."""

    id: int
    name: str


@dataclass(frozen=True)
class Interaction:
    id: int
    on: date
    at: time | None
    kind: str
    direction: str  # me: I reached out; them: they did
    note: str | None


def _chunks(ids: Iterable[int], size: int = 500) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def interactions(
    reader: Reader, *, contact_id: int | None, kind: str | None, since: date | None,
    limit: int | None,
) -> tuple[list[Interaction], int]:  # fmt: skip
    """Interactions newest first (of one contact, of one kind, since a day), at most `limit`,
    and how many match in all."""
    name = "history" if contact_id is None else "history_of_contact"
    where = {"kind": kind, "since": since}
    if contact_id is not None:
        where["contact_id"] = contact_id
    if limit is None:
        rows = reader.mappings(name, **where)
    else:
        rows = reader.mappings(f"{name}_limited", **where, limit=limit)
    [counted] = reader.mappings(f"{name}_counted", **where)
    return [_made(Interaction, row) for row in rows], int(counted["count"])


def participants(reader: Reader, interaction_ids: Iterable[int]) -> dict[int, list[Party]]:
    """Who took part in each of these interactions, by name."""
    found: dict[int, list[Party]] = {}
    for chunk in _chunks(interaction_ids):
        for row in reader.mappings("participants_of_interactions", ids=chunk):
            found.setdefault(row["interaction_id"], []).append(Party(row["id"], row["name"]))
    return found


def follow_ups(reader: Reader, interaction_ids: Iterable[int]) -> dict[int, list[int]]:
    """The touchpoints each of these interactions' --follow-up made."""
    found: dict[int, list[int]] = {}
    for chunk in _chunks(interaction_ids):
        for row in reader.mappings("follow_ups_of_interactions", ids=chunk):
            found.setdefault(row["interaction_id"], []).append(row["id"])
    return found


def parties(reader: Reader, contact_ids: Iterable[int]) -> dict[int, Party]:
    found: dict[int, Party] = {}
    for chunk in _chunks(contact_ids):
        for row in reader.mappings("names_of_contacts", ids=chunk):
            found[row["id"]] = Party(row["id"], row["name"])
    return found


def touchpoints(reader: Reader, *, contact_id: int | None, closed: bool) -> list[Touchpoint]:
    """Touchpoints by their next date, open ones (with `closed`, done and skipped ones too)."""
    rows = reader.mappings("listed_touchpoints", contact_id=contact_id, closed=closed)
    return [_made(Touchpoint, row) for row in rows]


def completions_counted(reader: Reader, touchpoint_ids: Iterable[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for chunk in _chunks(touchpoint_ids):
        for row in reader.mappings("completions_counted", ids=chunk):
            found[row["touchpoint_id"]] = int(row["count"])
    return found


def life_events(reader: Reader, *, contact_id: int | None) -> list[LifeEvent]:
    """Life events, newest first."""
    rows = reader.mappings("listed_events", contact_id=contact_id)
    return [_made(LifeEvent, row) for row in rows]


def touchpoints_made_by_events(reader: Reader, event_ids: Iterable[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for chunk in _chunks(event_ids):
        for row in reader.mappings("touchpoints_of_events", ids=chunk):
            found.setdefault(row["event_id"], []).append(row["id"])
    return found


def gifts(reader: Reader, *, contact_id: int | None) -> list[Gift]:
    """Gifts, the newest added first."""
    return [_made(Gift, row) for row in reader.mappings("listed_gifts", contact_id=contact_id)]
