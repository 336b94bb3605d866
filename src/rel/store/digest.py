"""The record of the digests sent (`digest_log`): typed functions over the named statements of
rel.store.queries, for `rel digest` and `rel schedule status`.

A record is a claim ("sending") taken for one target on one day, then "sent" with the agenda
keys it carried, or dropped when its delivery failed. The table is not journaled: `rel undo`
cannot take back a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rel.store.queries import Store


@dataclass(frozen=True)
class DigestRecord:
    id: int
    day: date  # the agenda's day (as --today sets it)
    target: str  # a fingerprint of the target's URL, never the URL
    label: str  # the URL with its secrets masked
    status: str  # "sending" or "sent"
    claimed_at: datetime
    sent_at: datetime | None
    keys: str  # the agenda keys it carried, space-separated


def _records(rows: list[dict[str, Any]]) -> list[DigestRecord]:
    return [
        DigestRecord(
            row["id"], row["day"], row["target"], row["label"], row["status"],
            row["claimed_at"], row["sent_at"], row["keys"] or "",
        )
        for row in rows
    ]  # fmt: skip


def last_sent_by(store: Store, day: date) -> DigestRecord | None:
    """The last digest sent on or before `day`."""
    found = _records(store.mappings("last_digest_sent_by", day=day))
    return found[0] if found else None


def last_sent(store: Store) -> DigestRecord | None:
    """The last digest sent, whatever its day."""
    found = _records(store.mappings("last_digest_sent"))
    return found[0] if found else None


def sent_on(store: Store, day: date) -> list[DigestRecord]:
    """The digests sent on `day`, one per target, earliest first."""
    return _records(store.mappings("digests_sent_on", day=day))


def records_of_day(store: Store, day: date) -> list[DigestRecord]:
    """Every record of `day`, sent or claimed."""
    return _records(store.mappings("digests_of_day", day=day))


def lock_claims(store: Store) -> None:
    """Make claims one at a time until the transaction ends. SQLite's writing transaction
    holds the store's write lock from its start (BEGIN IMMEDIATE) already; PostgreSQL's READ
    COMMITTED would let two rels read no claim at once, and both claim, so there one takes a
    transaction-level advisory lock the other waits on, then sees its claim."""
    from rel.store.queries import PostgresReader

    lock = "SELECT pg_advisory_xact_lock(hashtext('rel digest'))"
    if isinstance(store, PostgresReader):  # psycopg, the statements compiled ahead
        store.connection.execute(lock)
        return
    session = getattr(store, "session", None)
    if session is None:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        from sqlalchemy import text

        connection.execute(text(lock))


def claim(store: Store, day: date, target: str, label: str, now: datetime) -> int:
    """Claim `day`'s digest for the target; the claim's id."""
    return store.write(
        "insert_digest_claim",
        day=day,
        target=target,
        label=label,
        status="sending",
        claimed_at=now,
        keys="",
    )


def mark_sent(store: Store, record_id: int, keys: str, sent_at: datetime) -> None:
    store.change("mark_digest_sent", digest_id=record_id, sent_on=sent_at, sent_keys=keys)


def drop(store: Store, record_id: int, *, only_in_flight: bool = False) -> None:
    """Drop the record (with `only_in_flight`, only while it is still a claim)."""
    name = "drop_digest_claim_in_flight" if only_in_flight else "drop_digest_claim"
    store.change(name, digest_id=record_id)
