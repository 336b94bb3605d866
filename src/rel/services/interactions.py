"""Interactions: what happened, with whom, when, and who reached out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from rel.domain.vocabulary import KINDS
from rel.errors import BadValue, shown
from rel.services.contacts import clean_text

if TYPE_CHECKING:
    from rel.services.who import Person
    from rel.store.models import Contact

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
    source: Any,
    participants: Sequence[Contact | Person],
    kind: str,
    note: str | None,
    *,
    on: date,
    at: time | None = None,
    they_reached_out: bool = False,
    today: date,
    now: datetime,
) -> Logged:
    """Record one interaction with one or more contacts; it resets each one's catch-up.

    `source` is a session or a Reader of rel.store.queries (`rel log` writes through the
    standard library's sqlite3)."""
    from rel.store.queries import as_reader

    if on > today:
        raise BadValue(
            f"expected the date of something that happened (today, {today.isoformat()}, or "
            f"before); got {on.isoformat()} — to plan something ahead, use rel remind"
        )
    people = list({c.id: c for c in participants}.values())
    writer = as_reader(source)
    interaction_id = writer.write(
        "insert_interaction",
        on=on,
        at=at,
        kind=kind,
        note=clean_text(note, "a note"),
        direction="them" if they_reached_out else "me",
        created_at=now,
    )
    for contact in people:
        assert contact.id is not None
        writer.write("insert_participant", interaction_id=interaction_id, contact_id=contact.id)
    return Logged(interaction_id, on, kind, [c.name for c in people])
