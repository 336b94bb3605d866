"""All tables of the store, as SQLModel classes.

What can be derived (age, next due date, overdue) is computed by the agenda engine, never
stored. Derived columns are kept only where a query must not scan everything:

- `Contact.search_name` / `Handle.search_value`: the folded form (lower case, accents
  removed) that WHO lookups match against, so a lookup is an indexed query;
- `Contact.last_seen`: the day of the contact's last interaction, kept by the store's own
  triggers (`engine.DERIVED_TRIGGERS`), and `cadence_days` of contacts and tags: the fewest
  days their cadence can span, set from `cadence_days()` by every write of a cadence (the
  ORM's event, an import's bulk writes); NULL: not known, so the contact is always looked
  at. With them the agenda's SQL leaves out the contacts who cannot be due (migrations
  0003_agenda_columns, 0007_cadence_days_everywhere), read through the indexes of
  `AGENDA_INDEXES` (0012_agenda_indexes).

The tables here must match what the migrations in `rel.store.engine` create; a test checks that.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, event
from sqlmodel import Field, SQLModel

from rel.domain.dates import cadence_days
from rel.domain.identity import new_uid


def _contact_fk() -> Column:
    return Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=False)


def _uid() -> Any:
    """A record's persisted UID (migration 0009_uids): a UUID made by rel, or the imported
    card's own UID. vCard and ICS items carry it, so it survives export and import, `store
    copy` and merge, where ids do not."""
    return Field(default_factory=new_uid, index=True, unique=True, nullable=True)


class Contact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = _uid()
    name: str
    search_name: str = Field(index=True)
    company: str | None = None
    title: str | None = None
    met: str | None = None
    birthday_month: int | None = None
    birthday_day: int | None = None
    birthday_year: int | None = None
    cadence: str | None = None
    notes: str | None = None
    archived: bool = Field(default=False)
    added_on: date
    created_at: datetime
    updated_at: datetime
    # `rel skip c12`: the skipped occurrence, from which the catch-up counts when it is later
    # than the last interaction (so a skipped catch-up is not owed, nor late, again)
    catch_up_skipped: date | None = None
    # derived (see the module's docstring): the last interaction's day, kept by triggers in
    # the store whoever writes (rel never sets it); the fewest days the cadence can span
    last_seen: date | None = None
    cadence_days: int | None = None


# --- the agenda's indexes (migration 0012_agenda_indexes) ------------------------------------
# The agenda's SQL (rel.store.queries.agenda_contacts) finds who can be due through these, so
# its cost follows the agenda's size, not the address book's. A query uses an index on an
# expression only when it writes the same expression: both are made by these functions.


def day_number(day: Any) -> Any:
    """A date as a number of days to add days to and compare: julianday() on SQLite, where
    dates are text; the date itself on PostgreSQL (date + integer is a date)."""
    from rel.store.dialects import dialect_function

    day_number_function = dialect_function(
        "day_number", sqlite="julianday({0})", standard="{0}", type_name="Float"
    )
    return day_number_function(day)


def own_cadence_earliest_due() -> Any:
    """The earliest day a contact's own cadence can make them due (their last interaction, or
    the day added, plus the fewest days of the cadence), as `day_number` gives it; NULL
    without a cadence of their own."""
    from sqlalchemy import case, func, literal_column, null

    fewest = case(
        (Contact.cadence.is_(None), null()),  # type: ignore[union-attr]
        else_=func.coalesce(Contact.cadence_days, literal_column("0")),
    )
    return day_number(func.coalesce(Contact.last_seen, Contact.added_on)) + fewest


def birthday_key() -> Any:
    """A contact's birthday as month * 100 + day (1231: 31 December)."""
    from sqlalchemy import literal_column

    return Contact.birthday_month * literal_column("100") + Contact.birthday_day  # type: ignore[operator]


AGENDA_INDEXES = (
    Index("ix_contact_own_cadence_due", own_cadence_earliest_due()),
    Index("ix_contact_birthday_key", birthday_key()),
)


class Handle(SQLModel, table=True):
    """An email, phone, link or alias of a contact (several of each)."""

    __table_args__ = (
        Index("ix_handle_kind_search_value", "kind", "search_value"),
        Index("ix_handle_contact", "contact_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=_contact_fk())
    kind: str  # one of rel.domain.vocabulary.HANDLE_KINDS
    value: str
    search_value: str
    position: int = 0
    # the TYPE a card gave it (CELL, WORK, "HOME,VOICE"), written back as it came (0009_uids)
    label: str | None = None


class Tag(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    cadence: str | None = None  # a default cadence for contacts with this tag and none of their own
    cadence_days: int | None = None  # derived: the fewest days that cadence can span


class ContactTag(SQLModel, table=True):
    __tablename__ = "contact_tag"
    __table_args__ = (Index("ix_contact_tag_tag_id", "tag_id"),)

    contact_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    )
    tag_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True)
    )


class Interaction(SQLModel, table=True):
    __table_args__ = (Index("ix_interaction_on", "on"),)

    id: int | None = Field(default=None, primary_key=True)
    on: date
    at: time | None = None
    kind: str  # one of rel.domain.vocabulary.KINDS
    note: str | None = None
    direction: str = "me"  # "me": I reached out; "them": they did
    created_at: datetime


class Participant(SQLModel, table=True):
    """Who took part in an interaction: one row per contact."""

    # contact first: "last interaction per contact" walks this index
    __table_args__ = (Index("ix_participant_contact", "contact_id", "interaction_id"),)

    interaction_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True
        )
    )
    contact_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    )


def _set_cadence_days(_mapper: Any, _connection: Any, target: Contact | Tag) -> None:
    target.cadence_days = cadence_days(target.cadence)


for _model in (Contact, Tag):
    event.listen(_model, "before_insert", _set_cadence_days)
    event.listen(_model, "before_update", _set_cadence_days)


class Migration(SQLModel, table=True):
    """The named schema changes applied to this store; see `rel.store.engine.MIGRATIONS`."""

    __tablename__ = "rel_migration"

    name: str = Field(primary_key=True)
    applied_at: datetime


# --- scheduled touchpoints, life events, gifts (migration 0002_touchpoints) ----------------


class Touchpoint(SQLModel, table=True):
    """Something scheduled with a contact: once, or recurring by an RRULE.

    `due` is the open occurrence: for a recurring touchpoint, done or skipped moves it to the
    next occurrence of `rule` (counted from `start`); that position is state, not derivable.
    """

    __table_args__ = (Index("ix_touchpoint_state_due", "state", "due"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = _uid()
    contact_id: int = Field(sa_column=_contact_fk())
    kind: str  # one of rel.domain.vocabulary.TOUCHPOINT_KINDS
    text: str
    due: date
    start: date
    rule: str | None = None  # an RRULE such as FREQ=MONTHLY;BYMONTHDAY=-1
    lead: str | None = None  # a DUR: shown that long before it is due
    state: str = "open"  # open, done, skipped (recurring ones stay open)
    interaction_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("interaction.id", ondelete="SET NULL")),
    )  # the interaction whose --follow-up made it
    event_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("life_event.id", ondelete="CASCADE")),
    )
    created_at: datetime


class Completion(SQLModel, table=True):
    """The history of a touchpoint: each occurrence done or skipped."""

    id: int | None = Field(default=None, primary_key=True)
    touchpoint_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("touchpoint.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    occurrence: date  # the due date it closed
    on: date  # the day it was done or skipped
    action: str  # done or skipped
    note: str | None = None


class LifeEvent(SQLModel, table=True):
    __tablename__ = "life_event"

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = _uid()
    contact_id: int = Field(sa_column=_contact_fk())
    kind: str  # one of rel.domain.vocabulary.EVENT_KINDS
    on: date
    text: str | None = None
    created_at: datetime


class Gift(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = _uid()
    contact_id: int = Field(sa_column=_contact_fk())
    direction: str  # idea, gave, got
    text: str
    occasion: str | None = None  # birthday, anniversary, christmas, thanks ...
    on: date | None = None  # given / received; for an idea, the occasion's date if known
    cost: str | None = None
    lead: str | None = None  # an idea: shown this long before its occasion (default 14d)
    created_at: datetime


class Snooze(SQLModel, table=True):
    """An agenda row hidden until a day: the row's key (c12, b12, t7, g3) and that day."""

    key: str = Field(primary_key=True)
    until: date


class DigestLog(SQLModel, table=True):
    """A digest claimed for, then delivered to, one target on one day (`rel digest --send`).

    It makes the digest go out once a day per target, lets a failed target be retried alone,
    and keeps the keys sent, so the next digest can say what is new. It is not journaled:
    `rel undo` cannot take back a message, and must not make rel send it again."""

    __tablename__ = "digest_log"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)  # the agenda's day (as --today sets it)
    target: str  # a fingerprint of the target's URL, never the URL: it holds secrets
    label: str  # the URL with its secrets masked, for people
    status: str  # "sending" (claimed, in flight) or "sent"
    claimed_at: datetime
    sent_at: datetime | None = None
    keys: str = ""  # the agenda keys it carried, space-separated


# --- mail and calendar harvest (migration 0008_harvest) ---------------------------------------


class HarvestedItem(SQLModel, table=True):
    """A message or a calendar occurrence already harvested (`rel import mbox|maildir|ics`):
    a second run of the same export adds nothing. `key` is a digest of the Message-ID (or of
    an event's UID and day), never the message; `interaction_id` the interaction it went into
    (several when it had several contacts: one row for the first)."""

    __tablename__ = "harvested_item"

    key: str = Field(primary_key=True)
    interaction_id: int | None = Field(default=None, index=True)


class Setting(SQLModel, table=True):
    """A remembered choice of the user's: `me` holds their own email addresses (`--me`)."""

    name: str = Field(primary_key=True)
    value: str


# --- two-way sync with a vdir (migration 0011_vdir_sync) -------------------------------------


class SyncItem(SQLModel, table=True):
    """A card of a vdir (`rel sync vdir DIR`) as it was when last synced: the status vdirsyncer
    keeps per item, in the store, so it lands or rolls back with the changes it describes.

    `folder` is the vdir's resolved path, `uid` the card's UID, `href` its file name there,
    `contact_uid` the UID of the contact it is (not a foreign key: a contact deleted in rel must
    leave its row behind, or the next sync could not tell a deletion from a card never synced;
    not the row id, which SQLite may give again to the next contact added), `file_hash`
    the SHA-256 of the file's bytes as last read or written, `base` rel's managed content of
    the card then (JSON): the common ancestor of a three-way merge."""

    __tablename__ = "sync_item"

    folder: str = Field(primary_key=True)
    uid: str = Field(primary_key=True)
    href: str
    contact_uid: str | None = None
    file_hash: str
    base: str
