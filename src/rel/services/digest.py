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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rel.services.agenda import SECTIONS, Agenda, agenda

if TYPE_CHECKING:
    from sqlmodel import Session

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


def build_digest(session: Session, today: date, *, days: int, limit: int | None = None) -> Digest:
    """Today's digest: the agenda of `today` for `days` days ahead (with the fair rotation of
    `limit`), its rows marked new against the last digest sent on or before `today`."""
    shown = agenda(session, today, days=days, limit=limit)
    last = last_digest(session, today)
    if last is None:
        return Digest(shown)
    sent_at, keys = last
    return Digest(shown, frozenset(row.key for row in shown.rows if row.key not in keys), sent_at)


def last_digest(session: Session, today: date) -> tuple[datetime, set[str]] | None:
    """When the last digest (sent on or before `today`) went out, and the keys it carried
    (to any target: a row one target had is not new)."""
    from sqlmodel import col, select

    from rel.store.models import DigestLog

    latest = session.exec(
        select(DigestLog)
        .where(DigestLog.status == "sent", col(DigestLog.day) <= today)
        .order_by(col(DigestLog.day).desc(), col(DigestLog.sent_at).desc())
        .limit(1)
    ).first()
    if latest is None or latest.sent_at is None:
        return None
    same_send = session.exec(
        select(DigestLog).where(DigestLog.status == "sent", DigestLog.day == latest.day)
    ).all()
    keys = {key for record in same_send for key in record.keys.split()}
    return latest.sent_at, keys


@dataclass
class Claims:
    """What step 1 found for each target (by fingerprint)."""

    claimed: dict[str, int] = field(default_factory=dict)  # fingerprint -> digest_log id
    sent: dict[str, datetime] = field(default_factory=dict)  # already sent today, at
    busy: dict[str, datetime] = field(default_factory=dict)  # being sent by another rel


def claim_day(
    session: Session,
    day: date,
    targets: Sequence[tuple[str, str]],
    now: datetime,
    *,
    force: bool = False,
) -> Claims:
    """Claim `day`'s digest for each (fingerprint, label) target not yet sent that day (all
    of them with `force`) and not being sent by another rel. Run it in a writing session:
    its write lock is what makes two rels at once claim each target once."""
    from sqlmodel import select

    from rel.store.models import DigestLog

    records = session.exec(select(DigestLog).where(DigestLog.day == day)).all()
    claims = Claims()
    for fingerprint, label in targets:
        mine = [record for record in records if record.target == fingerprint]
        sent = [r.sent_at for r in mine if r.status == "sent" and r.sent_at is not None]
        in_flight = [r for r in mine if r.status == "sending"]
        for stale in [r for r in in_flight if _aware(r.claimed_at) <= now - STALE_CLAIM]:
            session.delete(stale)  # a rel that died while sending: take its claim over
        live = [r.claimed_at for r in in_flight if _aware(r.claimed_at) > now - STALE_CLAIM]
        if live:
            claims.busy[fingerprint] = max(live)
            continue
        if sent and not force:
            claims.sent[fingerprint] = max(sent)
            continue
        record = DigestLog(day=day, target=fingerprint, label=label, status="sending",
                           claimed_at=now)  # fmt: skip
        session.add(record)
        session.flush()
        assert record.id is not None
        claims.claimed[fingerprint] = record.id
    return claims


def _aware(moment: datetime) -> datetime:
    """SQLite gives datetimes back without their zone; rel writes them all in UTC."""
    from datetime import UTC

    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def finish_claims(
    session: Session,
    delivered: Iterable[int],
    failed: Iterable[int],
    keys: Sequence[str],
    sent_at: datetime,
) -> None:
    """Step 3: delivered claims become "sent" with the keys carried; failed ones are dropped,
    so the next run sends to those targets again."""
    from rel.store.models import DigestLog

    for record_id in delivered:
        record = session.get(DigestLog, record_id)
        if record is not None:
            record.status, record.sent_at, record.keys = "sent", sent_at, " ".join(keys)
            session.add(record)
    for record_id in failed:
        record = session.get(DigestLog, record_id)
        if record is not None and record.status == "sending":
            session.delete(record)


def sent_on(session: Session, day: date) -> list[Any]:
    """The digests sent on `day` (one record per target), earliest first."""
    from sqlmodel import col, select

    from rel.store.models import DigestLog

    return list(
        session.exec(
            select(DigestLog)
            .where(DigestLog.day == day, DigestLog.status == "sent")
            .order_by(col(DigestLog.sent_at))
        ).all()
    )


def last_sent(session: Session) -> Any | None:
    """The last digest record sent, whatever the day (for `rel schedule status`)."""
    from sqlmodel import col, select

    from rel.store.models import DigestLog

    return session.exec(
        select(DigestLog)
        .where(DigestLog.status == "sent")
        .order_by(col(DigestLog.sent_at).desc())
        .limit(1)
    ).first()
