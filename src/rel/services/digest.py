"""The morning digest: the agenda of a day, what is new in it, and the record of what was sent.

A digest is the agenda (overdue, today and the next few days) with each row marked new when
the last digest sent did not carry it. Sending is exactly once a day per target, by a claim in
the store (`digest_log`):

1. in one short transaction under the store's write lock (BEGIN IMMEDIATE), each target not
   yet sent today, and not being sent by another rel right now, is claimed ("sending");
2. the messages go out with no lock held (a slow mail server must not block `rel log`);
3. in a second short transaction each claim becomes "sent" (with the keys it carried), or is
   dropped when its delivery failed, so the next run tries that target again.

A timer that fires twice, or two rels started at once, are serialised by the lock at step 1:
the second finds the first's claims and sends nothing. A claim left by a rel that died while
sending is taken over after `STALE_CLAIM`, so a crash costs at most a late digest (or, if it
died between the delivery and step 3, one repeated digest), never a lost day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol, TypeVar

from rel.services.agenda import SECTIONS, Agenda, agenda

if TYPE_CHECKING:
    from rel.store.digest import DigestRecord
    from rel.store.queries import Store

STALE_CLAIM = timedelta(minutes=15)
SECTION_WORDS = {"overdue": "overdue", "today": "today", "upcoming": "coming up"}


@dataclass(frozen=True)
class Digest:
    """The agenda of a day for a digest, and which of its rows the last digest did not have."""

    agenda: Agenda
    new: frozenset[str] = frozenset()
    last_sent: datetime | None = None  # when the digest it is compared with was sent

    @property
    def keys(self) -> list[str]:
        return [row.key for row in self.agenda.rows]

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(self.agenda.section(name)) for name in SECTIONS}

    @property
    def empty(self) -> bool:
        return not self.agenda.rows

    @property
    def title(self) -> str:
        """A short subject line: `rel: 3 overdue, 2 today (1 new)`."""
        counts = self.counts
        parts = [f"{n} {SECTION_WORDS[name]}" for name, n in counts.items() if n]
        if not parts:
            return f"rel: nothing due {self.agenda.today:%a %b} {self.agenda.today.day}"
        hidden = f", {self.agenda.hidden} more" if self.agenda.hidden else ""
        new = f" ({len(self.new)} new)" if self.new else ""
        return "rel: " + ", ".join(parts) + hidden + new


def build_digest(store: Store, today: date, *, days: int, limit: int | None = None) -> Digest:
    """Today's digest: the agenda of `today` for `days` days ahead (with the fair rotation of
    `limit`), its rows marked new against the last digest sent on or before `today`."""
    shown = agenda(store, today, days=days, limit=limit)
    last = last_digest(store, today)
    if last is None:
        return Digest(shown)
    sent_at, keys = last
    return Digest(shown, frozenset(row.key for row in shown.rows if row.key not in keys), sent_at)


def last_digest(store: Store, today: date) -> tuple[datetime, set[str]] | None:
    """When the last digest (sent on or before `today`) went out, and the keys it carried
    (to any target: a row one target had is not new)."""
    from rel.store import digest as stored

    latest = stored.last_sent_by(store, today)
    if latest is None or latest.sent_at is None:
        return None
    same_send = stored.sent_on(store, latest.day)
    keys = {key for record in same_send for key in record.keys.split()}
    return latest.sent_at, keys


@dataclass
class Claims:
    """What step 1 found for each target (by fingerprint)."""

    claimed: dict[str, int] = field(default_factory=dict)  # fingerprint -> digest_log id
    sent: dict[str, datetime] = field(default_factory=dict)  # already sent today, at
    busy: dict[str, datetime] = field(default_factory=dict)  # being sent by another rel


def claim_day(
    store: Store,
    day: date,
    targets: Sequence[tuple[str, str]],
    now: datetime,
    *,
    force: bool = False,
) -> Claims:
    """Claim `day`'s digest for each (fingerprint, label) target not yet sent that day (all
    of them with `force`) and not being sent by another rel. Run it in a writing transaction:
    its write lock is what makes two rels at once claim each target once."""
    from rel.store import digest as stored

    stored.lock_claims(store)
    records = stored.records_of_day(store, day)
    claims = Claims()
    for fingerprint, label in targets:
        mine = [record for record in records if record.target == fingerprint]
        sent = [r.sent_at for r in mine if r.status == "sent" and r.sent_at is not None]
        in_flight = [r for r in mine if r.status == "sending"]
        for stale in [r for r in in_flight if _aware(r.claimed_at) <= now - STALE_CLAIM]:
            stored.drop(store, stale.id)  # a rel that died while sending: take its claim over
        live = [r.claimed_at for r in in_flight if _aware(r.claimed_at) > now - STALE_CLAIM]
        if live:
            claims.busy[fingerprint] = max(live)
            continue
        if sent and not force:
            claims.sent[fingerprint] = max(sent)
            continue
        claims.claimed[fingerprint] = stored.claim(store, day, fingerprint, label, now)
    return claims


def _aware(moment: datetime) -> datetime:
    """SQLite gives datetimes back without their zone; rel writes them all in UTC."""
    from datetime import UTC

    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def finish_claims(
    store: Store,
    delivered: Iterable[int],
    failed: Iterable[int],
    keys: Sequence[str],
    sent_at: datetime,
) -> None:
    """Step 3: delivered claims become "sent" with the keys carried; failed ones are dropped,
    so the next run sends to those targets again."""
    from rel.store import digest as stored

    for record_id in delivered:
        stored.mark_sent(store, record_id, " ".join(keys), sent_at)
    for record_id in failed:
        stored.drop(store, record_id, only_in_flight=True)


def sent_on(store: Store, day: date) -> list[DigestRecord]:
    """The digests sent on `day` (one record per target), earliest first."""
    from rel.store import digest as stored

    return stored.sent_on(store, day)


def last_sent(store: Store) -> DigestRecord | None:
    """The last digest record sent, whatever the day (for `rel schedule status`)."""
    from rel.store import digest as stored

    return stored.last_sent(store)


# --- sending: the three steps -----------------------------------------------------------------


class Target(Protocol):
    """A delivery target as rel.notify gives it: known by a fingerprint, shown by a label."""

    @property
    def fingerprint(self) -> str: ...

    @property
    def label(self) -> str: ...


T = TypeVar("T", bound=Target)


@dataclass(frozen=True)
class Sending:
    """What `send_digest` did: the digest, what step 1 found (None when nothing was due and
    nothing was sent), and the targets whose delivery failed."""

    digest: Digest
    claims: Claims | None
    failed: Sequence[Target] = ()


def send_digest(
    open_store: Callable[[], AbstractContextManager[Store]],
    today: date,
    targets: Sequence[T],
    *,
    days: int,
    limit: int | None,
    force: bool,
    always: bool,
    now: datetime,
    clock: Callable[[], datetime],
    claimed: Callable[[Claims], None],
    deliver: Callable[[list[T], Digest], list[T]],
) -> Sending:
    """Send today's digest to each target once (see the module's doc for the three steps).

    `open_store` opens one short writing transaction (not journaled) each time it is called;
    `claimed` hears what step 1 found before anything is delivered; `deliver` sends the digest
    to the targets claimed, with no transaction open, and returns those that failed; `clock`
    says when they went out. A delivery interrupted drops every claim, so the next run sends
    them (not only after STALE_CLAIM)."""
    # Step 1, under the write lock: build the digest and claim today's targets.
    with open_store() as store:
        result = build_digest(store, today, days=days, limit=limit)
        if result.empty and not always:
            return Sending(result, None)
        claims = claim_day(
            store, today, [(t.fingerprint, t.label) for t in targets], now, force=force
        )
    claimed(claims)
    to_send = [t for t in targets if t.fingerprint in claims.claimed]
    if not to_send:
        return Sending(result, claims)
    # Step 2, no lock held: deliver.
    try:
        failed = deliver(to_send, result)
    except BaseException:
        with open_store() as store:
            finish_claims(store, [], list(claims.claimed.values()), [], now)
        raise
    # Step 3: record what went out; drop the failed claims so the next run retries them.
    with open_store() as store:
        finish_claims(
            store,
            [claims.claimed[t.fingerprint] for t in to_send if t not in failed],
            [claims.claimed[t.fingerprint] for t in failed],
            result.keys,
            clock(),
        )
    return Sending(result, claims, failed)
