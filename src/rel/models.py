"""All tables of the store, as SQLModel classes.

What can be derived (age, next due date, overdue) is computed by the agenda engine, never
stored. The one derived column kept is `Contact.search_name` / `Handle.search_value`: the folded
form (lower case, accents removed) that WHO lookups match against, so the lookup can be an
indexed SQL query instead of a Python scan of every contact.

The tables here must match what the migrations in `rel.db` create; a test checks that.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

KINDS = (
    "call", "email", "message", "coffee", "lunch", "dinner",
    "meeting", "event", "video", "gift", "help", "note",
)  # fmt: skip
HANDLE_KINDS = ("email", "phone", "link", "alias")


def _contact_fk() -> Column:
    return Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=False)


class Contact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
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


class Handle(SQLModel, table=True):
    """An email, phone, link or alias of a contact (several of each)."""

    __table_args__ = (
        Index("ix_handle_kind_search_value", "kind", "search_value"),
        Index("ix_handle_contact", "contact_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=_contact_fk())
    kind: str  # one of HANDLE_KINDS
    value: str
    search_value: str
    position: int = 0


class Tag(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    cadence: str | None = None  # a default cadence for contacts with this tag and none of their own


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
    kind: str  # one of KINDS
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


class Migration(SQLModel, table=True):
    """The named schema changes applied to this store; see `rel.db.MIGRATIONS`."""

    __tablename__ = "rel_migration"

    name: str = Field(primary_key=True)
    applied_at: datetime
