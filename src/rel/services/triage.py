"""Triage: a cadence for everyone who has none, proposed from their observed rhythm.

The proposal is the median gap between the days of a contact's interactions, rounded to the
nearest human cadence (1w, 2w, 1m, 6w, 3m, 6m, 1y, compared on a logarithmic scale: 10 days is
nearer a week than a fortnight); fewer than two days of interactions, or a median gap of more
than 18 months, propose none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from statistics import median
from typing import TYPE_CHECKING

from rel.errors import BadValue

if TYPE_CHECKING:
    from rel.store.harvest import PastInteraction
    from rel.store.queries import Store

HUMAN_CADENCES: tuple[tuple[int, str], ...] = (
    (7, "1w"),
    (14, "2w"),
    (30, "1m"),
    (42, "6w"),
    (91, "3m"),
    (182, "6m"),
    (365, "1y"),
)
LONGEST_GAP = 548  # days: a median gap beyond 18 months is no rhythm
RECENT_SHOWN = 3


def human_cadence(gap_days: float) -> str | None:
    """The human cadence nearest a gap (in days), or None beyond LONGEST_GAP."""
    if gap_days > LONGEST_GAP:
        return None
    gap = max(gap_days, 1)
    return min(HUMAN_CADENCES, key=lambda c: abs(math.log(gap / c[0])))[1]


def median_gap(days: list[date]) -> float | None:
    distinct = sorted(set(days))
    if len(distinct) < 2:
        return None
    return float(median((b - a).days for a, b in pairwise(distinct)))


@dataclass(frozen=True)
class Proposal:
    contact_id: int
    name: str
    interactions: int
    last: date | None
    median_gap: float | None
    cadence: str | None  # None: no steady rhythm to propose
    recent: tuple[PastInteraction, ...]  # newest first

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.contact_id,
            "name": self.name,
            "interactions": self.interactions,
            "last": self.last.isoformat() if self.last else None,
            "median_gap_days": self.median_gap,
            "proposed": self.cadence,
        }


def proposals(store: Store) -> list[Proposal]:
    """Everyone not archived with no cadence of their own, most-corresponded first."""
    from rel.store import harvest as stored

    found = []
    for person in stored.untriaged(store):
        days = [i.on for i in person.interactions]
        gap = median_gap(days)
        found.append(
            Proposal(
                contact_id=person.id,
                name=person.name,
                interactions=len(person.interactions),
                last=max(days) if days else None,
                median_gap=gap,
                cadence=human_cadence(gap) if gap is not None else None,
                recent=tuple(reversed(person.interactions[-RECENT_SHOWN:])),
            )
        )
    found.sort(
        key=lambda p: (-p.interactions, -(p.last or date.min).toordinal(), p.name.casefold())
    )
    return found


def _person(proposal: Proposal):  # type: ignore[no-untyped-def]
    from rel.services.who import Person, fold

    return Person(proposal.contact_id, proposal.name, fold(proposal.name))


def set_cadence(
    store: Store, proposal: Proposal, cadence: str, *, today: date, now: datetime
) -> str:
    """Give the contact this cadence (any DUR or range rel add takes); the cadence as stored."""
    from rel.domain.dates import parse_cadence
    from rel.services.contacts import ContactChanges, edit_contact

    parsed = parse_cadence(cadence)
    edit_contact(store, _person(proposal), ContactChanges(cadence=parsed), today=today, now=now)
    return str(parsed)


def tag(store: Store, proposal: Proposal, name: str, *, today: date, now: datetime) -> str:
    from rel.services.contacts import ContactChanges, clean_tag, edit_contact

    cleaned = clean_tag(name)
    edit_contact(store, _person(proposal), ContactChanges(tags=[cleaned]), today=today, now=now)
    return cleaned


def archive(store: Store, proposal: Proposal, *, now: datetime) -> None:
    from rel.services.contacts import set_archived

    set_archived(store, _person(proposal), True, now=now)


def accept(
    store: Store, min_interactions: int, *, today: date, now: datetime
) -> tuple[list[tuple[Proposal, str]], int]:
    """Set the proposed cadence of everyone with at least `min_interactions` interactions and
    a steady rhythm; what was set, and how many were left without one."""
    if min_interactions < 2:
        raise BadValue(
            f"expected --min-interactions of 2 or more (a rhythm needs two); got {min_interactions}"
        )
    done, left = [], 0
    for proposal in proposals(store):
        if proposal.cadence is None or proposal.interactions < min_interactions:
            left += 1
            continue
        done.append(
            (proposal, set_cadence(store, proposal, proposal.cadence, today=today, now=now))
        )
    return done, left
