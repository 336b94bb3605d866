"""Interactions: what happened, with whom, when, and who reached out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from rel.domain.values import clean_text
from rel.domain.vocabulary import KINDS
from rel.errors import BadValue, shown

if TYPE_CHECKING:
    from rel.store.queries import Store

KIND_ALIASES = {
    "phone": "call", "ring": "call",
    "mail": "email", "e-mail": "email",
    "text": "message", "sms": "message", "chat": "message", "dm": "message",
    "breakfast": "coffee", "tea": "coffee", "drinks": "dinner", "drink": "dinner",
    "meet": "meeting", "mixer": "event", "party": "event", "conference": "event",
    "zoom": "video", "videocall": "video", "favor": "help", "favour": "help",
}  # fmt: skip


def parse_kind(text: str) -> str:
    """An interaction kind: call, email, message, coffee, lunch, dinner, meeting, event, video,
    gift, help or note (a few everyday words are understood too: text, zoom, mixer ...)."""
    word = text.strip().lower()
    if word in KINDS:
        return word
    if word in KIND_ALIASES:
        return KIND_ALIASES[word]
    raise BadValue(f"expected a kind of interaction ({', '.join(KINDS)}); got {shown(text)}")


@dataclass(frozen=True)
class Logged:
    interaction_id: int
    on: date
    kind: str
    participants: list[str]


def record_interaction(
    store: Store,
    participants: Sequence[Any],  # anything with an id and a name: a Person, a contact
    kind: str,
    note: str | None,
    *,
    on: date,
    at: time | None = None,
    they_reached_out: bool = False,
    today: date,
    now: datetime,
) -> Logged:
    """Record one interaction with one or more contacts; it resets each one's catch-up
    (`rel log` writes through the standard library's sqlite3)."""
    from rel.store.interactions import NewInteraction, add_interaction

    if on > today:
        raise BadValue(
            f"expected the date of something that happened (today, {today.isoformat()}, or "
            f"before); got {on.isoformat()} — to plan something ahead, use rel remind"
        )
    people = list({c.id: c for c in participants}.values())
    for contact in people:
        assert contact.id is not None
    new = NewInteraction(
        on=on,
        at=at,
        kind=kind,
        note=clean_text(note, "a note"),
        direction="them" if they_reached_out else "me",
        created_at=now,
    )
    interaction_id = add_interaction(store, new, [contact.id for contact in people])
    return Logged(interaction_id, on, kind, [c.name for c in people])


def earlier_same_interaction(
    store: Store, contact_ids: Sequence[int], kind: str, on: date
) -> int | None:
    """The newest interaction of `kind` on `on` with exactly these people, if one was logged
    already."""
    from rel.store.interactions import people_of_interactions_on_day

    wanted = set(contact_ids)
    taking_part = people_of_interactions_on_day(store, kind=kind, on=on)
    same = [number for number, people in taking_part.items() if people == wanted]
    return max(same) if same else None
