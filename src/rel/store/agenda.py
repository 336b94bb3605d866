"""The agenda's side of the store: who can be due, their tags and cadences, open touchpoints,
gift ideas, snoozes and favors, as typed rows (rel.services.agenda, why, insights, profiles).

Each function takes the `Store` handle (a Reader of rel.store.queries; an SQLAlchemy session
works too) and runs named statements on it: compiled for the standard library's sqlite3 on an
up-to-date SQLite store (`rel due` imports no SQLAlchemy), through a session on any engine.
The rows are named tuples: `rel due` reads one for every contact who may be due, so they are
made as cheaply as the driver gives them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from rel.store.queries import ROW_SHAPES, as_reader, birthday_window

if TYPE_CHECKING:
    from rel.store.queries import Store


class AgendaCandidate(NamedTuple):
    """A contact who may be due: their cadence, birthday, last interaction and the catch-up
    last skipped."""

    id: int
    name: str
    cadence: str | None
    added_on: date
    birthday_month: int | None
    birthday_day: int | None
    birthday_year: int | None
    last_seen: date | None
    catch_up_skipped: date | None


ROW_SHAPES.update(
    dict.fromkeys(
        ("agenda_contacts", "agenda_contacts_tagged", "agenda_contacts_for_one"), AgendaCandidate
    )
)


class OpenTouchpoint(NamedTuple):
    """An open touchpoint the agenda may show, with its contact's name and its life event."""

    id: int
    contact_id: int
    kind: str
    text: str
    due: date
    rule: str | None
    lead: str | None
    contact: str
    event_kind: str | None
    event_on: date | None
    start: date


class GiftIdea(NamedTuple):
    id: int
    contact_id: int
    text: str
    occasion: str | None
    on: date | None
    lead: str | None
    contact: str
    birthday_month: int | None
    birthday_day: int | None


class Favor(NamedTuple):
    """A `help` interaction with a contact: `me` when you helped them, `them` when they did."""

    contact_id: int
    on: date
    direction: str


def _chunks(ids: Iterable[int], size: int = 500) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _variant(tags: Sequence[str], contact_id: int | None = None) -> tuple[str, dict[str, Any]]:
    """The suffix of a statement's variant for these tags (or this one contact), and its
    parameter."""
    if contact_id is not None:
        if tags:
            raise ValueError("the agenda of one contact takes no tags")
        return "_for_one", {"contact_id": contact_id}
    return ("_tagged", {"tags": list(tags)}) if tags else ("", {})


def tag_names(store: Store) -> list[str]:
    """Every tag's name, in order."""
    return [row[0] for row in as_reader(store).rows("tag_names")]


def tag_cadences(store: Store) -> dict[int, list[tuple[str, str]]]:
    """For every contact with a tag that carries a default cadence: (tag, cadence) pairs."""
    found: dict[int, list[tuple[str, str]]] = {}
    for contact_id, name, cadence in as_reader(store).rows("tag_cadences"):
        found.setdefault(contact_id, []).append((name, cadence))
    return found


def tag_cadences_of(store: Store, contact_id: int) -> list[tuple[str, str]]:
    """The (tag, cadence) pairs of one contact's tags that carry a default cadence."""
    rows = as_reader(store).rows("tag_cadences_of_contact", id=contact_id)
    return [(name, cadence) for _id, name, cadence in rows]


def tags_of(store: Store, contact_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The tags of these contacts, by name."""
    reader = as_reader(store)
    found: dict[int, list[str]] = {}
    for chunk in _chunks(contact_ids):
        for contact_id, name in reader.rows("tags_of", ids=chunk):
            found.setdefault(contact_id, []).append(name)
    return {cid: tuple(names) for cid, names in found.items()}


def every_contact_tag(store: Store) -> dict[int, list[str]]:
    """Every contact's tags, by name."""
    found: dict[int, list[str]] = {}
    for contact_id, name in as_reader(store).rows("every_contact_tag"):
        found.setdefault(contact_id, []).append(name)
    return found


def candidates(
    store: Store,
    *,
    horizon: date,
    birthdays_from: date,
    tags: Sequence[str] = (),
    contact_id: int | None = None,
) -> list[AgendaCandidate]:
    """The contacts not archived who can be due by `horizon`: by a cadence, or a birthday from
    `birthdays_from` to `horizon` (of the tags, if any; or this contact)."""
    suffix, tagged = _variant(tags, contact_id)
    window = birthday_window(birthdays_from, horizon)
    rows = as_reader(store).rows("agenda_contacts" + suffix, horizon=horizon, **window, **tagged)
    return [row if type(row) is AgendaCandidate else AgendaCandidate._make(row) for row in rows]


def every_candidate(
    store: Store, *, tags: Sequence[str] = (), contact_id: int | None = None
) -> list[AgendaCandidate]:
    """Every contact not archived with a cadence (theirs or a tag's) or a birthday, due or not."""
    suffix, tagged = _variant(tags, contact_id)
    rows = as_reader(store).rows("every_agenda_contact" + suffix, **tagged)
    make = AgendaCandidate._make
    return [make(row) for row in rows]


def open_touchpoints(
    store: Store, *, horizon: date, tags: Sequence[str] = (), contact_id: int | None = None
) -> list[OpenTouchpoint]:
    """Open touchpoints of contacts not archived, due by `horizon` or with a lead time."""
    suffix, tagged = _variant(tags, contact_id)
    rows = as_reader(store).rows("open_touchpoints" + suffix, horizon=horizon, **tagged)
    return [OpenTouchpoint._make(row) for row in rows]


def gift_ideas(
    store: Store, *, tags: Sequence[str] = (), contact_id: int | None = None
) -> list[GiftIdea]:
    """Gift ideas for contacts not archived."""
    suffix, tagged = _variant(tags, contact_id)
    return [GiftIdea._make(row) for row in as_reader(store).rows("gift_ideas" + suffix, **tagged)]


def next_anniversaries(store: Store) -> dict[int, date]:
    """The day of each contact's soonest open anniversary touchpoint."""
    return {contact_id: day for contact_id, day in as_reader(store).rows("next_anniversaries")}


def snoozes(store: Store, today: date) -> dict[str, date]:
    """Every agenda row key hidden today, with the day it comes back."""
    return {key: until for key, until in as_reader(store).rows("snoozes", today=today)}


def contact_count(store: Store) -> int:
    """How many contacts the store holds (archived ones too)."""
    [(count,)] = as_reader(store).rows("contact_count")
    return int(count)


def favors(store: Store, contact_ids: Iterable[int]) -> list[Favor]:
    """The favors (`help` interactions) with these contacts, by contact, oldest first."""
    reader = as_reader(store)
    found = []
    for chunk in _chunks(contact_ids):
        found += [Favor._make(row) for row in reader.rows("help_given_and_received", ids=chunk)]
    return found


def favor_counts(store: Store, contact_id: int) -> dict[str, int]:
    """How often you helped the contact (`me`) and they helped you (`them`)."""
    return {
        direction: count
        for direction, count in as_reader(store).rows("favor_counts", id=contact_id)
    }
