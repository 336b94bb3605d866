"""Interactions: what happened, with whom, when, and who reached out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from rel.core.contacts import clean_text
from rel.errors import BadValue
from rel.models import KINDS

if TYPE_CHECKING:
    from sqlmodel import Session

    from rel.models import Contact

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
    raise BadValue(f"expected a kind of interaction ({', '.join(KINDS)}); got {text!r}")


@dataclass(frozen=True)
class Logged:
    interaction_id: int
    on: date
    kind: str
    participants: list[str]


def record_interaction(
    session: Session,
    participants: Sequence[Contact],
    kind: str,
    note: str | None,
    *,
    on: date,
    at: time | None = None,
    they_reached_out: bool = False,
    today: date,
    now: datetime,
) -> Logged:
    """Record one interaction with one or more contacts; it resets each one's catch-up."""
    from rel.models import Interaction, Participant

    if on > today:
        raise BadValue(
            f"expected the date of something that happened (today, {today.isoformat()}, or "
            f"before); got {on.isoformat()} — to plan something ahead, use rel remind"
        )
    people = list({c.id: c for c in participants}.values())
    interaction = Interaction(
        on=on,
        at=at,
        kind=kind,
        note=clean_text(note, "a note"),
        direction="them" if they_reached_out else "me",
        created_at=now,
    )
    session.add(interaction)
    session.flush()
    assert interaction.id is not None
    for contact in people:
        assert contact.id is not None
        session.add(Participant(interaction_id=interaction.id, contact_id=contact.id))
    session.flush()
    return Logged(interaction.id, on, kind, [c.name for c in people])
