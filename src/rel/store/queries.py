"""The SQL of the daily commands, defined once as SQLAlchemy expressions, and two ways to run it.

`rel due` runs every morning and `rel log` after every call, and importing SQLAlchemy costs
more than either command's work on a large store. So the agenda, WHO lookups and `rel log`
reach the store through a `Reader` (named statements to read, and to write):

- `OrmReader` runs these expressions through an SQLAlchemy session (any engine);
- `SqliteReader` runs the same statements, compiled once for SQLite into
  `rel.store.compiled_sql` (by `python -m rel.store.queries`), on the standard library's
  `sqlite3` driver, with no SQLAlchemy import at all;
- `PostgresReader` runs them compiled once for PostgreSQL (psycopg's parameters, SQLAlchemy's
  casts) into `rel.store.compiled_sql_postgresql`, on a psycopg connection: again no
  SQLAlchemy import.

A test checks that the compiled text is what these expressions compile to today, that both
readers give the same agenda, and that both write the same rows. Values come back as Python
values either way (dates as `date`), and go in as SQLAlchemy would store them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import sqlite3

    import psycopg
    from sqlalchemy.sql import Select
    from sqlmodel import Session


class Reader(Protocol):
    def rows(self, name: str, /, **params: Any) -> list[Any]:
        """Run a named SELECT; its rows, as tuples whose fields are the columns' names."""
        ...

    def mappings(self, name: str, /, **params: Any) -> list[dict[str, Any]]:
        """The rows by column name."""
        ...

    def write(self, name: str, /, **params: Any) -> int:
        """Run a named INSERT; the new row's id."""
        ...

    def change(self, name: str, /, **params: Any) -> int:
        """Run a named UPDATE or DELETE; how many rows it changed."""
        ...


# What a service holds: a handle on one open transaction, which it passes to the typed
# functions of rel.store's modules and never runs a statement on itself (tests/test_architecture).
Store = Reader


def as_reader(source: Any) -> Reader:
    """A `Reader` from a reader or an SQLAlchemy session."""
    if hasattr(source, "rows"):
        return source
    return OrmReader(source)


def last_seen_column():
    """The date of a contact's last interaction, as a correlated subquery on the index."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from rel.store.models import Contact, Interaction, Participant

    return (
        select(func.max(Interaction.on))
        .join(Participant, col(Participant.interaction_id) == col(Interaction.id))
        .where(col(Participant.contact_id) == col(Contact.id))
        .correlate(Contact)
        .scalar_subquery()
        .label("last_seen")
    )


# --- the statements --------------------------------------------------------------------------


def _tagged(query: Any) -> Any:
    """Keep the contacts that have any of the tags bound as `tags`."""
    from sqlalchemy import bindparam, select

    from rel.store.models import Contact, ContactTag, Tag

    tagged = (
        select(ContactTag.contact_id)
        .join(Tag, Tag.id == ContactTag.tag_id)
        .where(Tag.name.in_(bindparam("tags", expanding=True)))
    )
    return query.where(Contact.id.in_(tagged))


def _for_one(query: Any) -> Any:
    """Keep the contact whose id is bound as `contact_id` (`rel why` asks the agenda of one)."""
    from sqlalchemy import bindparam

    from rel.store.models import Contact

    return query.where(Contact.id == bindparam("contact_id"))


def agenda_contacts(*, derived_columns: bool = True) -> Select:
    """Contacts who can be due by `horizon`: by their cadence (their own or a tag's) or their
    birthday. The agenda then works out exactly who is.

    With the derived columns (rel.store.models), SQL leaves out whoever cannot be due: a catch-up
    whose last interaction plus the fewest days of the cadence is past the horizon, a birthday
    (month * 100 + day) outside `birthdays_from`..`birthdays_to` and
    `birthdays_from_2`..`birthdays_to_2` (the window, split at the new year). Without them
    (`rel stats` counts everyone), every contact with a cadence or a birthday, their last
    interaction computed."""
    from sqlalchemy import bindparam, case, func, or_, select, union_all

    from rel.store.models import (
        Contact,
        ContactTag,
        Tag,
        birthday_key,
        day_number,
        own_cadence_earliest_due,
    )

    if not derived_columns:
        has_tag_cadence = (
            select(ContactTag.contact_id)
            .join(Tag, Tag.id == ContactTag.tag_id)
            .where(ContactTag.contact_id == Contact.id, Tag.cadence.is_not(None))
            .exists()
        )
        return select(
            Contact.id, Contact.name, Contact.cadence, Contact.added_on, Contact.birthday_month,
            Contact.birthday_day, Contact.birthday_year, last_seen_column(),
            Contact.catch_up_skipped,
        ).where(
            Contact.archived.is_(False),
            or_(Contact.cadence.is_not(None), Contact.birthday_month.is_not(None),
                has_tag_cadence),
        )  # fmt: skip
    tag_days = (
        select(
            ContactTag.contact_id.label("contact_id"),
            func.min(func.coalesce(Tag.cadence_days, 0)).label("days"),
        )
        .join(Tag, Tag.id == ContactTag.tag_id)
        .where(Tag.cadence.is_not(None), ContactTag.tag_id.in_(_tags_with_a_cadence()))
        .group_by(ContactTag.contact_id)
        .subquery("tag_days")
    )
    fewest_days = case(
        (Contact.cadence.is_not(None), func.coalesce(Contact.cadence_days, 0)),
        else_=tag_days.c.days,
    )
    since = func.coalesce(Contact.last_seen, Contact.added_on)
    horizon = bindparam("horizon", type_=_date_type())
    month_day = birthday_key()
    birthdays = month_day.between(bindparam("birthdays_from"), bindparam("birthdays_to"))
    birthdays_2 = month_day.between(bindparam("birthdays_from_2"), bindparam("birthdays_to_2"))
    # found through the indexes (rel.store.models.AGENDA_INDEXES): the cost follows the
    # agenda's size, not the address book's; those with a tag's cadence are read through it
    found = union_all(
        select(Contact.id).where(own_cadence_earliest_due() <= day_number(horizon)),
        select(Contact.id).where(birthdays),
        select(Contact.id).where(birthdays_2),
        select(ContactTag.contact_id).where(ContactTag.tag_id.in_(_tags_with_a_cadence())),
    )
    return select(
        Contact.id, Contact.name, Contact.cadence, Contact.added_on, Contact.birthday_month,
        Contact.birthday_day, Contact.birthday_year, Contact.last_seen, Contact.catch_up_skipped,
    ).outerjoin(tag_days, tag_days.c.contact_id == Contact.id).where(
        Contact.archived.is_(False),
        Contact.id.in_(found),
        or_(fewest_days <= days_between(since, horizon), birthdays, birthdays_2),
    )  # fmt: skip


def days_between(start: Any, end: Any) -> Any:
    """`end - start` in whole days, for dates: julianday() on SQLite, where dates are text,
    date subtraction on PostgreSQL."""
    from rel.store.dialects import dialect_function

    days_between_function = dialect_function(
        "days_between",
        sqlite="julianday({1}) - julianday({0})",
        standard="({1} - {0})",
        type_name="Integer",
    )
    return days_between_function(start, end)


def birthday_window(today: date, horizon: date) -> dict[str, int]:
    """The `birthdays_*` parameters of `agenda_contacts`: month * 100 + day from `today` to a
    day past `horizon` (so 29 February, kept on the 28th in common years, is in), in at most
    two ranges, split at the new year."""
    end = date.fromordinal(horizon.toordinal() + 1)
    start_key, end_key = today.month * 100 + today.day, end.month * 100 + end.day
    if end.toordinal() - today.toordinal() >= 365:
        start_key, end_key, wrapped = 0, 1300, False
    else:
        wrapped = end.year != today.year
    return {
        "birthdays_from": start_key,
        "birthdays_to": 1231 if wrapped else end_key,
        "birthdays_from_2": 101 if wrapped else 0,
        "birthdays_to_2": end_key if wrapped else -1,
    }


def contact_summaries() -> Select:
    """Contacts for `rel list`: archived ones too when `with_archived` is true."""
    from sqlalchemy import Boolean, bindparam, or_, select

    from rel.domain.fields import TEXT_FIELDS
    from rel.store.models import Contact

    with_archived = bindparam("with_archived", type_=Boolean())
    listed = [getattr(Contact, field.name) for field in TEXT_FIELDS if field.listed]
    return select(
        Contact.id, Contact.name, *listed, Contact.cadence, Contact.added_on,
        Contact.archived, Contact.last_seen, Contact.catch_up_skipped,
    ).where(or_(Contact.archived.is_(False), with_archived))  # fmt: skip


def every_contact_tag() -> Select:
    from sqlalchemy import select

    from rel.store.models import ContactTag, Tag

    return (
        select(ContactTag.contact_id, Tag.name)
        .join(Tag, Tag.id == ContactTag.tag_id)
        .order_by(ContactTag.contact_id, Tag.name)
    )


def _tags_with_a_cadence() -> Any:
    """The ids of the (few) tags with a cadence: asked first, so the contacts' tags are read
    through their tag's index, not all of them (SQLite has no statistics to see it alone)."""
    from sqlalchemy import select

    from rel.store.models import Tag

    return select(Tag.id).where(Tag.cadence.is_not(None))


def tag_cadences() -> Select:
    from sqlalchemy import select

    from rel.store.models import ContactTag, Tag

    return (
        select(ContactTag.contact_id, Tag.name, Tag.cadence)
        .join(Tag, Tag.id == ContactTag.tag_id)
        .where(Tag.cadence.is_not(None), ContactTag.tag_id.in_(_tags_with_a_cadence()))
    )


def open_touchpoints() -> Select:
    """Open touchpoints of contacts not archived, due by `horizon` or with a lead time."""
    from sqlalchemy import bindparam, or_, select

    from rel.store.models import Contact, LifeEvent, Touchpoint

    return (
        select(
            Touchpoint.id,
            Touchpoint.contact_id,
            Touchpoint.kind,
            Touchpoint.text,
            Touchpoint.due,
            Touchpoint.rule,
            Touchpoint.lead,
            Contact.name,
            LifeEvent.kind,
            LifeEvent.on,
            Touchpoint.start,
        )
        .join(Contact, Contact.id == Touchpoint.contact_id)
        .outerjoin(LifeEvent, LifeEvent.id == Touchpoint.event_id)
        .where(
            Touchpoint.state == "open",
            Contact.archived.is_(False),
            or_(
                Touchpoint.due <= bindparam("horizon", type_=_date_type()),
                Touchpoint.lead.is_not(None),
            ),
        )
    )


def gift_ideas() -> Select:
    from sqlalchemy import select

    from rel.store.models import Contact, Gift

    return (
        select(
            Gift.id,
            Gift.contact_id,
            Gift.text,
            Gift.occasion,
            Gift.on,
            Gift.lead,
            Contact.name,
            Contact.birthday_month,
            Contact.birthday_day,
        )
        .join(Contact, Contact.id == Gift.contact_id)
        .where(Gift.direction == "idea", Contact.archived.is_(False))
    )


def next_anniversaries() -> Select:
    from sqlalchemy import func, select

    from rel.store.models import Touchpoint

    return (
        select(Touchpoint.contact_id, func.min(Touchpoint.due))
        .where(Touchpoint.kind == "anniversary", Touchpoint.state == "open")
        .group_by(Touchpoint.contact_id)
    )


def snoozes() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import Snooze

    today = bindparam("today", type_=_date_type())
    return select(Snooze.key, Snooze.until).where(Snooze.until > today)


def contact_count() -> Select:
    from sqlalchemy import func, select

    from rel.store.models import Contact

    return select(func.count()).select_from(Contact)


def tags_of() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import ContactTag, Tag

    return (
        select(ContactTag.contact_id, Tag.name)
        .join(Tag, Tag.id == ContactTag.tag_id)
        .where(ContactTag.contact_id.in_(bindparam("ids", expanding=True)))
        .order_by(Tag.name)
    )


def help_given_and_received() -> Select:
    """Favors (interactions of kind help) with the contacts bound as `ids`, oldest first."""
    from sqlalchemy import bindparam, select

    from rel.store.models import Interaction, Participant

    return (
        select(Participant.contact_id, Interaction.on, Interaction.direction)
        .join(Interaction, Interaction.id == Participant.interaction_id)
        .where(
            Interaction.kind == "help",
            Participant.contact_id.in_(bindparam("ids", expanding=True)),
        )
        .order_by(Participant.contact_id, Interaction.on, Interaction.id)
    )


# --- WHO: finding a contact (rel.services.who) --------------------------------------------------


def _person() -> Select:
    from sqlalchemy import select

    from rel.store.models import Contact

    return select(Contact.id, Contact.name, Contact.search_name)


def _person_by_handle(kind: str, match: Any) -> Select:
    from sqlalchemy import select

    from rel.store.models import Contact, Handle

    return (
        select(Contact.id, Contact.name, Contact.search_name, Handle.search_value)
        .join(Handle, Handle.contact_id == Contact.id)
        .where(Handle.kind == kind, match(Handle.search_value))
    )


def _equal_to(name: str) -> Callable[[Any], Any]:
    from sqlalchemy import bindparam

    return lambda column: column == bindparam(name)


def _like(name: str) -> Callable[[Any], Any]:
    from sqlalchemy import bindparam

    return lambda column: column.like(bindparam(name), escape="\\")


def _between(low: str, high: str) -> Callable[[Any], Any]:
    """From `low` up to (not including) `high`, in the order of the bytes, as SQLite compares
    text (its index is read); PostgreSQL compares in its "C" collation for the same order."""
    from sqlalchemy import bindparam

    def match(column: Any) -> Any:
        ordered = byte_order(column)
        return (ordered >= bindparam(low)) & (ordered < bindparam(high))

    return match


def byte_order(text: Any) -> Any:
    """Text compared in the order of its bytes: as it is on SQLite; in the "C" collation on
    PostgreSQL."""
    from rel.store.dialects import dialect_function

    byte_order_function = dialect_function(
        "byte_order", sqlite="{0}", standard='({0} COLLATE "C")', type_name="String"
    )
    return byte_order_function(text)


def people_named_between() -> Select:
    """The contacts whose folded name is from `low` up to `high` (a prefix's range)."""
    from rel.store.models import Contact

    return _person().where(_between("low", "high")(Contact.search_name))


def person_by_id() -> Select:
    from sqlalchemy import bindparam

    from rel.store.models import Contact

    return _person().where(Contact.id == bindparam("id"))


def people_named() -> Select:
    from rel.store.models import Contact

    return _person().where(_equal_to("name")(Contact.search_name))


def people_named_like() -> Select:
    from rel.store.models import Contact

    return _person().where(_like("pattern")(Contact.search_name))


def names_and_aliases_like() -> Select:
    """Every name and alias whose folded form is LIKE `pattern` (escaped with a backslash),
    with the contact it names: what shell completion offers for WHO. An alias comes as it was
    typed (`known_as`), a name as the contact's own."""
    from sqlalchemy import literal, select, union_all

    from rel.store.models import Contact, Handle

    match = _like("pattern")
    names = select(
        Contact.id,
        Contact.name.label("known_as"),
        Contact.name,
        literal(False).label("is_alias"),
        Contact.archived,
    ).where(match(Contact.search_name))
    aliases = (
        select(
            Contact.id,
            Handle.value.label("known_as"),
            Contact.name,
            literal(True).label("is_alias"),
            Contact.archived,
        )
        .join(Handle, Handle.contact_id == Contact.id)
        .where(Handle.kind == "alias", match(Handle.search_value))
    )
    return union_all(names, aliases)


# --- rel show: one contact's profile (rel.services.profiles) ---------------------------------


def _id() -> Any:
    from sqlalchemy import bindparam

    return bindparam("id")


def contact_profile() -> Select:
    from sqlalchemy import select

    from rel.domain.fields import NAMES
    from rel.store.models import Contact

    return select(
        Contact.id, Contact.name, *(getattr(Contact, name) for name in NAMES),
        Contact.birthday_month, Contact.birthday_day, Contact.birthday_year, Contact.cadence,
        Contact.archived, Contact.added_on, Contact.created_at, Contact.updated_at,
        Contact.catch_up_skipped,
    ).where(Contact.id == _id())  # fmt: skip


def handles_of_contact() -> Select:
    from sqlalchemy import select

    from rel.store.models import Handle

    return (
        select(Handle.kind, Handle.value)
        .where(Handle.contact_id == _id())
        .order_by(Handle.position, Handle.id)
    )


def tag_cadences_of_contact() -> Select:
    from rel.store.models import ContactTag

    return tag_cadences().where(ContactTag.contact_id == _id())


def interactions_count_and_last() -> Select:
    from sqlalchemy import func, select

    from rel.store.models import Interaction, Participant

    return (
        select(func.count(), func.max(Interaction.on))
        .join(Participant, Participant.interaction_id == Interaction.id)
        .where(Participant.contact_id == _id())
    )


def timeline() -> Select:
    """A contact's interactions, newest first."""
    from sqlalchemy import select

    from rel.store.models import Interaction, Participant

    return (
        select(
            Interaction.id, Interaction.on, Interaction.at, Interaction.kind, Interaction.note,
            Interaction.direction,
        )
        .join(Participant, Participant.interaction_id == Interaction.id)
        .where(Participant.contact_id == _id())
        .order_by(
            Interaction.on.desc(), Interaction.at.desc().nulls_last(), Interaction.id.desc()
        )  # an interaction without a time last that day, on every engine
    )  # fmt: skip


def interaction_days_of_contact() -> Select:
    """The days of a contact's interactions from `since` on (their rhythm: rel.services.rhythm)."""
    from sqlalchemy import bindparam, select

    from rel.store.models import Interaction, Participant

    return (
        select(Interaction.on)
        .join(Participant, Participant.interaction_id == Interaction.id)
        .where(
            Participant.contact_id == _id(),
            Interaction.on >= bindparam("since", type_=_date_type()),
        )
    )


def others_in_interactions() -> Select:
    """Who else took part in the interactions bound as `ids`."""
    from sqlalchemy import bindparam, select

    from rel.store.models import Contact, Participant

    return (
        select(Participant.interaction_id, Contact.name)
        .join(Contact, Contact.id == Participant.contact_id)
        .where(
            Participant.interaction_id.in_(bindparam("ids", expanding=True)),
            Participant.contact_id != _id(),
        )
        .order_by(Contact.name)
    )


def open_touchpoints_of_contact() -> Select:
    from sqlalchemy import select

    from rel.store.models import Touchpoint

    return (
        select(
            Touchpoint.id, Touchpoint.kind, Touchpoint.text, Touchpoint.due, Touchpoint.rule,
            Touchpoint.lead, Touchpoint.start,
        )
        .where(Touchpoint.contact_id == _id(), Touchpoint.state == "open")
        .order_by(Touchpoint.due, Touchpoint.id)
    )  # fmt: skip


def gifts_of_contact() -> Select:
    from sqlalchemy import select

    from rel.store.models import Gift

    return (
        select(Gift.id, Gift.direction, Gift.text, Gift.occasion, Gift.on, Gift.cost)
        .where(Gift.contact_id == _id())
        .order_by(Gift.on.desc().nulls_last(), Gift.id.desc())  # undated last, as SQLite
    )


def events_of_contact() -> Select:
    """A contact's life events, newest first."""
    from sqlalchemy import select

    from rel.store.models import LifeEvent

    return (
        select(LifeEvent.id, LifeEvent.kind, LifeEvent.on, LifeEvent.text)
        .where(LifeEvent.contact_id == _id())
        .order_by(LifeEvent.on.desc(), LifeEvent.id.desc())
    )


def completions_of_contact() -> Select:
    """The done and skipped occurrences of a contact's touchpoints, newest first."""
    from sqlalchemy import select

    from rel.store.models import Completion, Touchpoint

    return (
        select(
            Completion.touchpoint_id, Touchpoint.kind, Touchpoint.text, Completion.occurrence,
            Completion.on, Completion.action, Completion.note,
        )
        .join(Touchpoint, Touchpoint.id == Completion.touchpoint_id)
        .where(Touchpoint.contact_id == _id())
        .order_by(Completion.on.desc(), Completion.id.desc())
    )  # fmt: skip


def favor_counts() -> Select:
    """How often you helped the contact (`me`) and they helped you (`them`)."""
    from sqlalchemy import func, select

    from rel.store.models import Interaction, Participant

    return (
        select(Interaction.direction, func.count())
        .join(Participant, Participant.interaction_id == Interaction.id)
        .where(Interaction.kind == "help", Participant.contact_id == _id())
        .group_by(Interaction.direction)
    )


# --- rel log: the rows it writes -------------------------------------------------------------


def _insert(table_name: str, *columns: str) -> Any:
    from sqlalchemy import bindparam, insert
    from sqlmodel import SQLModel

    import rel.store.models  # noqa: F401  (registers the tables)

    table = SQLModel.metadata.tables[table_name]
    return insert(table).values(
        {name: bindparam(name, type_=table.c[name].type) for name in columns}
    )


def insert_interaction() -> Any:
    return _insert("interaction", "on", "at", "kind", "note", "direction", "created_at")


def insert_participant() -> Any:
    return _insert("participant", "interaction_id", "contact_id")


def insert_touchpoint() -> Any:
    return _insert(
        "touchpoint", "contact_id", "kind", "text", "due", "start", "rule", "lead", "state",
        "interaction_id", "event_id", "created_at",
    )  # fmt: skip


def participants_of_kind_on_day() -> Select:
    """Who took part in each interaction of `kind` on the day `on` (rel log warns when the
    same people are logged twice)."""
    from sqlalchemy import bindparam, select

    from rel.store.models import Interaction, Participant

    return (
        select(Participant.interaction_id, Participant.contact_id)
        .join(Interaction, Interaction.id == Participant.interaction_id)
        .where(
            Interaction.on == bindparam("on", type_=_date_type()),
            Interaction.kind == bindparam("kind"),
        )
        .order_by(Participant.interaction_id)
    )


# --- rel add, edit, archive, tag: a contact's own row, handles and tags (stored_contacts) ----


def _update(table_name: str, key: str, *columns: str) -> Any:
    """UPDATE `table_name` SET each column to its parameter WHERE its `key` column is the
    parameter `row_id` (a parameter may not bear a column's name in an UPDATE)."""
    from sqlalchemy import bindparam, update
    from sqlmodel import SQLModel

    import rel.store.models  # noqa: F401  (registers the tables)

    table = SQLModel.metadata.tables[table_name]
    return (
        update(table)
        .where(table.c[key] == bindparam("row_id"))
        .values({name: bindparam(name, type_=table.c[name].type) for name in columns})
    )


def _contact_columns() -> tuple[str, ...]:
    """The columns `rel add` writes and `rel edit` rewrites: every one but the id and those
    kept by the store's triggers (last_seen) or written by other commands."""
    from rel.domain.fields import NAMES

    return (
        "name", "search_name", *NAMES, "birthday_month", "birthday_day", "birthday_year",
        "cadence", "cadence_days", "archived", "updated_at",
    )  # fmt: skip


def contact_record() -> Select:
    """Every column of the contact `id`."""
    from sqlalchemy import select
    from sqlmodel import SQLModel

    import rel.store.models  # noqa: F401

    contact = SQLModel.metadata.tables["contact"]
    return select(*contact.c).where(contact.c.id == _id())


def insert_contact() -> Any:
    return _insert("contact", *_contact_columns(), "added_on", "created_at")


def update_contact() -> Any:
    return _update("contact", "id", *_contact_columns())


def handles_of_contact_with_keys() -> Select:
    from sqlalchemy import select

    from rel.store.models import Handle

    return (
        select(Handle.id, Handle.kind, Handle.value, Handle.search_value, Handle.position)
        .where(Handle.contact_id == _id())
        .order_by(Handle.position, Handle.id)
    )


def insert_handle() -> Any:
    return _insert("handle", "contact_id", "kind", "value", "search_value", "position", "label")


def delete_handle() -> Any:
    from sqlalchemy import delete

    from rel.store.models import Handle

    return delete(Handle).where(Handle.id == _id())


def tag_named() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import Tag

    return select(Tag.id, Tag.name, Tag.cadence).where(Tag.name == bindparam("name"))


def insert_tag() -> Any:
    return _insert("tag", "name", "cadence", "cadence_days")


def update_tag_cadence() -> Any:
    return _update("tag", "id", "cadence", "cadence_days")


def insert_contact_tag() -> Any:
    return _insert("contact_tag", "contact_id", "tag_id")


def delete_contact_tag() -> Any:
    from sqlalchemy import bindparam, delete

    from rel.store.models import ContactTag

    return delete(ContactTag).where(
        ContactTag.contact_id == bindparam("contact_id"), ContactTag.tag_id == bindparam("tag_id")
    )


def tag_summaries() -> Select:
    """Every tag with how many contacts not archived carry it, and its default cadence."""
    from sqlalchemy import func, select

    from rel.store.models import Contact, ContactTag, Tag

    counted = (
        select(ContactTag.tag_id, func.count().label("contacts"))
        .join(Contact, Contact.id == ContactTag.contact_id)
        .where(Contact.archived.is_(False))
        .group_by(ContactTag.tag_id)
        .subquery()
    )
    return (
        select(Tag.name, func.coalesce(counted.c.contacts, 0).label("contacts"), Tag.cadence)
        .outerjoin(counted, counted.c.tag_id == Tag.id)
        .order_by(Tag.name)
    )


def _ids_of_contact(table_name: str) -> Select:
    from sqlalchemy import select
    from sqlmodel import SQLModel

    import rel.store.models  # noqa: F401  (registers the tables)

    table = SQLModel.metadata.tables[table_name]
    return select(table.c.id).where(table.c.contact_id == _id()).order_by(table.c.id)


def interactions_of_contact_alone() -> Select:
    """The interactions the contact `id` took part in with nobody else."""
    from sqlalchemy import func, select

    from rel.store.models import Participant

    theirs = select(Participant.interaction_id).where(Participant.contact_id == _id())
    shared = (
        select(Participant.interaction_id)
        .where(Participant.interaction_id.in_(theirs))
        .group_by(Participant.interaction_id)
        .having(func.count() > 1)
    )
    return select(Participant.interaction_id).where(
        Participant.contact_id == _id(), Participant.interaction_id.not_in(shared)
    )


def _delete_in(table_name: str, column: str, name: str) -> Any:
    """DELETE FROM `table_name` WHERE `column` IN (the list bound as `name`)."""
    from sqlalchemy import bindparam, delete
    from sqlmodel import SQLModel

    import rel.store.models  # noqa: F401  (registers the tables)

    table = SQLModel.metadata.tables[table_name]
    return delete(table).where(table.c[column].in_(bindparam(name, expanding=True)))


CONTACT_REMOVAL_STATEMENTS: dict[str, Callable[[], Any]] = {
    "touchpoint_ids_of_contact": lambda: _ids_of_contact("touchpoint"),
    "gift_ids_of_contact": lambda: _ids_of_contact("gift"),
    "interactions_of_contact_alone": interactions_of_contact_alone,
    "delete_snoozes": lambda: _delete_in("snooze", "key", "keys"),
    "delete_interactions": lambda: _delete_in("interaction", "id", "ids"),
    "delete_contact": lambda: _delete_in("contact", "id", "ids"),
}


# --- rel dupes, rel merge: two records of one person (rel.store.merging) ----------------------


def emails_and_phones() -> Select:
    from sqlalchemy import select

    from rel.store.models import Handle

    return select(Handle.contact_id, Handle.kind, Handle.value, Handle.search_value).where(
        Handle.kind.in_(("email", "phone"))  # type: ignore[attr-defined]
    )


def _held_in(table_name: str) -> Select:
    """How many rows of `table_name` each of the contacts bound as `ids` has."""
    from sqlalchemy import bindparam, func, select
    from sqlmodel import SQLModel

    import rel.store.models  # noqa: F401  (registers the tables)

    owner = SQLModel.metadata.tables[table_name].c.contact_id
    return (
        select(owner, func.count().label("count"))
        .where(owner.in_(bindparam("ids", expanding=True)))
        .group_by(owner)
    )


def contact_details() -> Select:
    """The contacts bound as `ids`: name, archived, added on, their text fields (rel.domain.fields),
    birthday month and cadence."""
    from sqlalchemy import bindparam, select

    from rel.domain.fields import NAMES
    from rel.store.models import Contact

    return select(
        Contact.id, Contact.name, Contact.archived, Contact.added_on,
        *(getattr(Contact, name) for name in NAMES), Contact.birthday_month, Contact.cadence,
    ).where(Contact.id.in_(bindparam("ids", expanding=True)))  # fmt: skip


def tags_of_contact_with_ids() -> Select:
    from sqlalchemy import select

    from rel.store.models import ContactTag, Tag

    return (
        select(Tag.id, Tag.name)
        .join(ContactTag, ContactTag.tag_id == Tag.id)
        .where(ContactTag.contact_id == _id())
        .order_by(Tag.name)
    )


def participants_of_interactions_of() -> Select:
    """Everyone taking part in the interactions of any of the contacts bound as `ids`."""
    from sqlalchemy import bindparam, select

    from rel.store.models import Participant

    involved = select(Participant.interaction_id).where(
        Participant.contact_id.in_(bindparam("ids", expanding=True))
    )
    return select(Participant.interaction_id, Participant.contact_id).where(
        Participant.interaction_id.in_(involved)
    )


def interactions_by_ids() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import Interaction

    return select(
        Interaction.id, Interaction.on, Interaction.at, Interaction.kind, Interaction.direction,
        Interaction.note,
    ).where(Interaction.id.in_(bindparam("ids", expanding=True)))  # fmt: skip


def snoozes_of_keys() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import Snooze

    return select(Snooze.key, Snooze.until).where(Snooze.key.in_(bindparam("keys", expanding=True)))


def _participations(verb: str) -> Any:
    """Take the contact `contact_id` out of the interactions bound as `ids` (delete), or put
    `contact_id` in the place of `from_id` in them (move)."""
    from sqlalchemy import bindparam, delete, update

    from rel.store.models import Participant

    table = Participant.__table__  # type: ignore[attr-defined]
    among = table.c.interaction_id.in_(bindparam("ids", expanding=True))
    if verb == "delete":
        return delete(table).where(table.c.contact_id == bindparam("contact_id"), among)
    return (
        update(table)
        .where(table.c.contact_id == bindparam("from_id"), among)
        .values(contact_id=bindparam("contact_id"))
    )


MERGING_STATEMENTS: dict[str, Callable[[], Any]] = {
    "emails_and_phones": emails_and_phones,
    **{
        f"held_in_{table}": (lambda table=table: _held_in(table))
        for table in ("participant", "touchpoint", "life_event", "gift", "handle", "contact_tag")
    },
    "contact_details": contact_details,
    "tags_of_contact_with_ids": tags_of_contact_with_ids,
    "participants_of_interactions_of": participants_of_interactions_of,
    "interactions_by_ids": interactions_by_ids,
    "snoozes_of_keys": snoozes_of_keys,
    "move_handle": lambda: _update("handle", "id", "contact_id", "position"),
    "relink_follow_ups": lambda: _update("touchpoint", "interaction_id", "interaction_id"),
    "delete_participations": lambda: _participations("delete"),
    "move_participations": lambda: _participations("move"),
    **{
        f"move_{table}s": (lambda table=table: _update(table, "contact_id", "contact_id"))
        for table in ("touchpoint", "life_event", "gift")
    },
    "update_contact_origin": lambda: _update("contact", "id", "added_on", "created_at"),
    "delete_handles_of_contact": lambda: _delete_where("handle", "contact_id"),
    "delete_tags_of_contact": lambda: _delete_where("contact_tag", "contact_id"),
}


# --- acting on the agenda; touchpoints, life events, gifts (rel.store.touchpoints) ------


def _touchpoint_columns() -> tuple[Any, ...]:
    from rel.store.models import Touchpoint

    return (
        Touchpoint.id, Touchpoint.contact_id, Touchpoint.kind, Touchpoint.text, Touchpoint.due,
        Touchpoint.start, Touchpoint.rule, Touchpoint.lead, Touchpoint.state,
        Touchpoint.interaction_id, Touchpoint.event_id,
    )  # fmt: skip


def touchpoint_by_id() -> Select:
    from sqlalchemy import select

    from rel.store.models import Touchpoint

    return select(*_touchpoint_columns()).where(Touchpoint.id == _id())


def open_touchpoints_in_full() -> Select:
    """A contact's open touchpoints, every column, soonest first."""
    from sqlalchemy import select

    from rel.store.models import Touchpoint

    return (
        select(*_touchpoint_columns())
        .where(Touchpoint.contact_id == _id(), Touchpoint.state == "open")
        .order_by(Touchpoint.due, Touchpoint.id)
    )


def update_touchpoint() -> Any:
    from sqlalchemy import bindparam, update

    from rel.store.models import Touchpoint

    table = Touchpoint.__table__  # type: ignore[attr-defined]
    columns = ("kind", "text", "due", "start", "rule", "lead", "state")
    return (
        update(table)
        .where(table.c.id == bindparam("touchpoint_id"))
        .values({name: bindparam(name, type_=table.c[name].type) for name in columns})
    )


def agenda_contact() -> Select:
    """What the agenda knows of one contact: cadence, birthday, last interaction, skipped."""
    from sqlalchemy import select

    from rel.store.models import Contact

    return select(
        Contact.id, Contact.name, Contact.cadence, Contact.added_on, Contact.birthday_month,
        Contact.birthday_day, Contact.birthday_year, Contact.archived, Contact.catch_up_skipped,
        last_seen_column(),
    ).where(Contact.id == _id())  # fmt: skip


def set_catch_up_skipped() -> Any:
    from sqlalchemy import bindparam, update

    from rel.store.models import Contact

    table = Contact.__table__  # type: ignore[attr-defined]
    return (
        update(table)
        .where(table.c.id == bindparam("contact_id"))
        .values(catch_up_skipped=bindparam("skipped", type_=_date_type()))
    )


def snooze_of_key() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import Snooze

    return select(Snooze.until).where(Snooze.key == bindparam("key"))


def _snooze_statement(verb: str) -> Any:
    from sqlalchemy import bindparam, delete, insert, update

    from rel.store.models import Snooze

    table = Snooze.__table__  # type: ignore[attr-defined]
    until = bindparam("until", type_=_date_type())
    if verb == "insert":
        return insert(table).values(key=bindparam("key"), until=until)
    if verb == "update":
        return update(table).where(table.c.key == bindparam("snooze_key")).values(until=until)
    return delete(table).where(table.c.key == bindparam("snooze_key"))


def _gift_columns() -> tuple[Any, ...]:
    from rel.store.models import Gift

    return (
        Gift.id, Gift.contact_id, Gift.direction, Gift.text, Gift.occasion, Gift.on, Gift.cost,
        Gift.lead,
    )  # fmt: skip


def gift_by_id() -> Select:
    from sqlalchemy import select

    from rel.store.models import Gift

    return select(*_gift_columns()).where(Gift.id == _id())


def gifts_of_contact_by_direction() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import Gift

    return (
        select(*_gift_columns())
        .where(Gift.contact_id == _id(), Gift.direction == bindparam("direction"))
        .order_by(Gift.id)
    )


def update_gift() -> Any:
    from sqlalchemy import bindparam, update

    from rel.store.models import Gift

    table = Gift.__table__  # type: ignore[attr-defined]
    columns = ("direction", "text", "occasion", "on", "cost", "lead")
    return (
        update(table)
        .where(table.c.id == bindparam("gift_id"))
        .values({name: bindparam(name, type_=table.c[name].type) for name in columns})
    )


TOUCHPOINT_STATEMENTS: dict[str, Callable[[], Any]] = {
    "touchpoint_by_id": touchpoint_by_id,
    "open_touchpoints_in_full": open_touchpoints_in_full,
    "update_touchpoint": update_touchpoint,
    "insert_completion": lambda: _insert(
        "completion", "touchpoint_id", "occurrence", "on", "action", "note"
    ),
    "agenda_contact": agenda_contact,
    "set_catch_up_skipped": set_catch_up_skipped,
    "snooze_of_key": snooze_of_key,
    "insert_snooze": lambda: _snooze_statement("insert"),
    "update_snooze": lambda: _snooze_statement("update"),
    "delete_snooze": lambda: _snooze_statement("delete"),
    "insert_life_event": lambda: _insert(
        "life_event", "contact_id", "kind", "on", "text", "created_at"
    ),
    "gift_by_id": gift_by_id,
    "gifts_of_contact_by_direction": gifts_of_contact_by_direction,
    "insert_gift": lambda: _insert(
        "gift", "contact_id", "direction", "text", "occasion", "on", "cost", "lead", "created_at"
    ),
    "update_gift": update_gift,
}


# --- the records listed by key: rel history, reminders, events, gifts (rel.services.records) ------


def _optional(column: Any, name: str, type_: Any = None) -> Any:
    """`column = :name`, or anything when `name` is bound to None."""
    from sqlalchemy import bindparam, or_

    # typed, so that PostgreSQL knows what `:name IS NULL` compares
    value = bindparam(name, type_=type_ if type_ is not None else column.type)
    return or_(value.is_(None), column == value)


def _history(*, of_contact: bool) -> Select:
    """Interactions of a kind (or any: `kind` None) since a day (or ever: `since` None),
    newest first; of one contact (`contact_id`) or of everyone."""
    from sqlalchemy import bindparam, select

    from rel.store.models import Interaction, Participant

    query = select(
        Interaction.id, Interaction.on, Interaction.at, Interaction.kind, Interaction.direction,
        Interaction.note,
    ).where(
        _optional(Interaction.kind, "kind"),
        _since(Interaction.on),
    )  # fmt: skip
    if of_contact:
        query = query.where(
            Interaction.id.in_(
                select(Participant.interaction_id).where(
                    Participant.contact_id == bindparam("contact_id")
                )
            )
        )
    return query.order_by(
        Interaction.on.desc(), Interaction.at.desc().nulls_last(), Interaction.id.desc()
    )


def _since(column: Any) -> Any:
    from sqlalchemy import bindparam, or_

    since = bindparam("since", type_=_date_type())
    return or_(since.is_(None), column >= since)


def _counted(query: Select) -> Select:
    from sqlalchemy import func, select

    return select(func.count().label("count")).select_from(query.order_by(None).subquery())


def participants_of_interactions() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import Contact, Participant

    return (
        select(Participant.interaction_id, Contact.id, Contact.name)
        .join(Contact, Contact.id == Participant.contact_id)
        .where(Participant.interaction_id.in_(bindparam("ids", expanding=True)))
        .order_by(Contact.name, Contact.id)
    )


def follow_ups_of_interactions() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import Touchpoint

    return (
        select(Touchpoint.id, Touchpoint.interaction_id)
        .where(Touchpoint.interaction_id.in_(bindparam("ids", expanding=True)))
        .order_by(Touchpoint.id)
    )


def listed_touchpoints() -> Select:
    """Touchpoints by their next date: of one contact (`contact_id`, or everyone's: None),
    open ones only unless `closed` is true."""
    from sqlalchemy import Boolean, bindparam, or_, select

    from rel.store.models import Touchpoint

    return (
        select(*_touchpoint_columns())
        .where(
            _optional(Touchpoint.contact_id, "contact_id"),
            or_(Touchpoint.state == "open", bindparam("closed", type_=Boolean())),
        )
        .order_by(Touchpoint.due, Touchpoint.id)
    )


def completions_counted() -> Select:
    from sqlalchemy import bindparam, func, select

    from rel.store.models import Completion

    return (
        select(Completion.touchpoint_id, func.count().label("count"))
        .where(Completion.touchpoint_id.in_(bindparam("ids", expanding=True)))
        .group_by(Completion.touchpoint_id)
    )


def names_of_contacts() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import Contact

    return select(Contact.id, Contact.name).where(Contact.id.in_(bindparam("ids", expanding=True)))


def listed_events() -> Select:
    from sqlalchemy import select

    from rel.store.models import LifeEvent

    return (
        select(LifeEvent.id, LifeEvent.contact_id, LifeEvent.kind, LifeEvent.on, LifeEvent.text)
        .where(_optional(LifeEvent.contact_id, "contact_id"))
        .order_by(LifeEvent.on.desc(), LifeEvent.id.desc())
    )


def touchpoints_of_events() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import Touchpoint

    return (
        select(Touchpoint.id, Touchpoint.event_id)
        .where(Touchpoint.event_id.in_(bindparam("ids", expanding=True)))
        .order_by(Touchpoint.id)
    )


def listed_gifts() -> Select:
    from sqlalchemy import select

    from rel.store.models import Gift

    return (
        select(*_gift_columns())
        .where(_optional(Gift.contact_id, "contact_id"))
        .order_by(Gift.id.desc())
    )


RECORD_STATEMENTS: dict[str, Callable[[], Any]] = {
    "history": lambda: _history(of_contact=False),
    "history_limited": lambda: _history(of_contact=False).limit(_limit()),
    "history_counted": lambda: _counted(_history(of_contact=False)),
    "history_of_contact": lambda: _history(of_contact=True),
    "history_of_contact_limited": lambda: _history(of_contact=True).limit(_limit()),
    "history_of_contact_counted": lambda: _counted(_history(of_contact=True)),
    "participants_of_interactions": participants_of_interactions,
    "follow_ups_of_interactions": follow_ups_of_interactions,
    "listed_touchpoints": listed_touchpoints,
    "completions_counted": completions_counted,
    "names_of_contacts": names_of_contacts,
    "listed_events": listed_events,
    "touchpoints_of_events": touchpoints_of_events,
    "listed_gifts": listed_gifts,
}


# --- rel stats, rel drift, rel graph --tag (rel.store.insights) --------------------------------

# Fewer distinct days than this with a contact make no rhythm to drift from.
MIN_INTERACTIONS_FOR_A_RHYTHM = 3


def _people(query: Any, *, tagged: bool) -> Any:
    """Keep the contacts not archived (with any of the tags bound as `tags`, if `tagged`)."""
    from rel.store.models import Contact

    query = query.where(Contact.archived.is_(False))
    return _tagged(query) if tagged else query


def _interactions(*columns: Any, tagged: bool) -> Any:
    """Interactions with the contacts counted, from `since` on (None: ever): a select of
    `columns`."""
    from sqlalchemy import bindparam, or_, select

    from rel.store.models import Contact, Interaction, Participant

    since = bindparam("since", type_=_date_type())
    query = _people(
        select(*columns)
        .select_from(Interaction)
        .join(Participant, Participant.interaction_id == Interaction.id)
        .join(Contact, Contact.id == Participant.contact_id),
        tagged=tagged,
    )
    return query.where(or_(since.is_(None), Interaction.on >= since))


def _contacts_counted(*, tagged: bool) -> Any:
    from sqlalchemy import func, select

    from rel.store.models import Contact

    return _people(select(func.count()).select_from(Contact), tagged=tagged)


def _contacts_by_tag(*, tagged: bool) -> Any:
    from sqlalchemy import distinct, func, select

    from rel.store.models import Contact, ContactTag, Tag

    return (
        _people(
            select(Tag.name, func.count(distinct(Contact.id)))
            .select_from(Contact)
            .join(ContactTag, ContactTag.contact_id == Contact.id)
            .join(Tag, Tag.id == ContactTag.tag_id),
            tagged=tagged,
        )
        .group_by(Tag.name)
        .order_by(func.count(distinct(Contact.id)).desc(), Tag.name)
    )


def _interactions_by_month(*, tagged: bool) -> Any:
    """Interactions from `first` to `last` by year and month (each interaction once)."""
    from sqlalchemy import bindparam, distinct, extract, func, select

    from rel.store.models import Contact, Interaction, Participant

    year, month = extract("year", Interaction.on), extract("month", Interaction.on)
    return (
        _people(
            select(year, month, func.count(distinct(Interaction.id)))
            .select_from(Interaction)
            .join(Participant, Participant.interaction_id == Interaction.id)
            .join(Contact, Contact.id == Participant.contact_id),
            tagged=tagged,
        )
        .where(
            Interaction.on >= bindparam("first", type_=_date_type()),
            Interaction.on <= bindparam("last", type_=_date_type()),
        )
        .group_by(year, month)
    )


def _reach_out_by_tag(*, tagged: bool) -> Any:
    from sqlalchemy import distinct, func

    from rel.store.models import Contact, ContactTag, Interaction, Tag

    return (
        _interactions(
            Tag.name, Interaction.direction, func.count(distinct(Interaction.id)), tagged=tagged
        )
        .join(ContactTag, ContactTag.contact_id == Contact.id)
        .join(Tag, Tag.id == ContactTag.tag_id)
        .group_by(Tag.name, Interaction.direction)
    )


def _favors_by_direction(*, tagged: bool) -> Any:
    from sqlalchemy import distinct, func

    from rel.store.models import Interaction

    return (
        _interactions(Interaction.direction, func.count(distinct(Interaction.id)), tagged=tagged)
        .where(Interaction.kind == "help")
        .group_by(Interaction.direction)
    )


def _interactions_counted(*, tagged: bool) -> Any:
    from sqlalchemy import distinct, func

    from rel.store.models import Interaction

    return _interactions(func.count(distinct(Interaction.id)), tagged=tagged)


def _interactions_by_kind(*, tagged: bool) -> Any:
    from sqlalchemy import distinct, func

    from rel.store.models import Interaction

    return (
        _interactions(Interaction.kind, func.count(distinct(Interaction.id)), tagged=tagged)
        .group_by(Interaction.kind)
        .order_by(func.count(distinct(Interaction.id)).desc(), Interaction.kind)
    )


def _interaction_days_of_regulars() -> Any:
    """The days of the interactions (to `today`) of every contact not archived with
    interactions on at least MIN_INTERACTIONS_FOR_A_RHYTHM days, by contact and day."""
    from sqlalchemy import bindparam, distinct, func, select

    from rel.store.models import Contact, Interaction, Participant

    regulars = (
        select(Participant.contact_id)
        .join(Interaction, Interaction.id == Participant.interaction_id)
        .group_by(Participant.contact_id)
        .having(func.count(distinct(Interaction.on)) >= MIN_INTERACTIONS_FOR_A_RHYTHM)
    )
    return (
        select(Contact.id, Contact.name, Interaction.on)
        .distinct()
        .join(Participant, Participant.contact_id == Contact.id)
        .join(Interaction, Interaction.id == Participant.interaction_id)
        .where(
            Contact.archived.is_(False),
            Contact.id.in_(regulars),
            Interaction.on <= bindparam("today", type_=_date_type()),
        )
        .order_by(Contact.id, Interaction.on)
    )


def _tag_members() -> Any:
    """The contacts not archived with the tag named `tag`."""
    from sqlalchemy import bindparam, select

    from rel.store.models import Contact, ContactTag, Tag

    return (
        select(Contact.id, Contact.cadence, Contact.added_on, Contact.last_seen)
        .join(ContactTag, ContactTag.contact_id == Contact.id)
        .join(Tag, Tag.id == ContactTag.tag_id)
        .where(Tag.name == bindparam("tag"), Contact.archived.is_(False))
    )


def _interaction_days_of_contacts() -> Any:
    """Each interaction (once) with any of the contacts `ids`, from `since` to `last`."""
    from sqlalchemy import bindparam, select

    from rel.store.models import Interaction, Participant

    return (
        select(Interaction.id, Interaction.on)
        .join(Participant, Participant.interaction_id == Interaction.id)
        .where(
            Participant.contact_id.in_(bindparam("ids", expanding=True)),
            Interaction.on >= bindparam("since", type_=_date_type()),
            Interaction.on <= bindparam("last", type_=_date_type()),
        )
        .distinct()
    )


def _both(name: str, build: Callable[..., Any]) -> dict[str, Callable[[], Any]]:
    return {name: lambda: build(tagged=False), f"{name}_tagged": lambda: build(tagged=True)}


INSIGHT_STATEMENTS: dict[str, Callable[[], Any]] = {
    **_both("stats_contacts", _contacts_counted),
    **_both("stats_contacts_by_tag", _contacts_by_tag),
    **_both("stats_interactions_by_month", _interactions_by_month),
    **_both("stats_reach_out_by_tag", _reach_out_by_tag),
    **_both("stats_favors", _favors_by_direction),
    **_both("stats_interactions", _interactions_counted),
    **_both("stats_kinds", _interactions_by_kind),
    "interaction_days_of_regulars": _interaction_days_of_regulars,
    "tag_members": _tag_members,
    "interaction_days_of_contacts": _interaction_days_of_contacts,
}


# --- the whole network: rel export, rel import json (rel.store.network, rel.store.importing) ----


def _table(name: str) -> Any:
    from sqlmodel import SQLModel

    import rel.store.models  # noqa: F401  (registers the tables)

    return SQLModel.metadata.tables[name]


def _every_row(name: str, *order: str) -> Select:
    """Every column of every row of the table `name`, in `order`."""
    from sqlalchemy import select

    table = _table(name)
    return select(*table.c).order_by(*(table.c[column] for column in order))


def network_contact_tags() -> Select:
    from sqlalchemy import select

    from rel.store.models import ContactTag, Tag

    return (
        select(ContactTag.contact_id, Tag.name)
        .join(Tag, Tag.id == ContactTag.tag_id)
        .order_by(Tag.name)
    )


def catch_up_contacts() -> Select:
    """Every contact not archived, with what their catch-up needs (rel export ics)."""
    from sqlalchemy import select

    from rel.store.models import Contact

    return (
        select(
            Contact.id, Contact.name, Contact.cadence, Contact.added_on, last_seen_column(),
            Contact.catch_up_skipped,
        )
        .where(Contact.archived.is_(False))
        .order_by(Contact.id)
    )  # fmt: skip


def open_touchpoints_with_names() -> Select:
    """Open touchpoints of contacts not archived, with the contact's name (rel export ics)."""
    from sqlalchemy import select

    from rel.store.models import Contact, LifeEvent, Touchpoint

    return (
        select(
            Touchpoint.id, Touchpoint.kind, Touchpoint.text, Touchpoint.due, Touchpoint.start,
            Touchpoint.rule, Contact.name, Touchpoint.uid, LifeEvent.on.label("event_on"),
        )
        .join(Contact, Contact.id == Touchpoint.contact_id)
        .outerjoin(LifeEvent, LifeEvent.id == Touchpoint.event_id)
        .where(Touchpoint.state == "open", Contact.archived.is_(False))
        .order_by(Touchpoint.id)
    )  # fmt: skip


NETWORK_STATEMENTS: dict[str, Callable[[], Any]] = {
    "network_tags": lambda: _every_row("tag", "name"),
    "network_contacts": lambda: _every_row("contact", "id"),
    "network_handles": lambda: _every_row("handle", "contact_id", "position", "id"),
    "network_contact_tags": network_contact_tags,
    "network_participants": lambda: _every_row("participant"),
    "network_interactions": lambda: _every_row("interaction", "on", "id"),
    "network_events": lambda: _every_row("life_event", "on", "id"),
    "network_completions": lambda: _every_row("completion", "touchpoint_id", "occurrence", "id"),
    "network_touchpoints": lambda: _every_row("touchpoint", "start", "id"),
    "network_gifts": lambda: _every_row("gift", "id"),
    "network_snoozes": lambda: _every_row("snooze", "key"),
    "catch_up_contacts": catch_up_contacts,
    "open_touchpoints_with_names": open_touchpoints_with_names,
}


# --- the morning digest's record of what was sent (rel.store.digest) --------------------------


def _digests(*where: Any) -> Select:
    from sqlalchemy import select

    from rel.store.models import DigestLog

    return select(
        DigestLog.id, DigestLog.day, DigestLog.target, DigestLog.label, DigestLog.status,
        DigestLog.claimed_at, DigestLog.sent_at, DigestLog.keys,
    ).where(*where)  # fmt: skip


def _digest_day(name: str = "day") -> Any:
    from sqlalchemy import bindparam

    return bindparam(name, type_=_date_type())


def last_digest_sent_by() -> Select:
    """The last digest sent on or before `day`."""
    from rel.store.models import DigestLog

    return (
        _digests(DigestLog.status == "sent", DigestLog.day <= _digest_day())
        .order_by(DigestLog.day.desc(), DigestLog.sent_at.desc())
        .limit(1)
    )


def last_digest_sent() -> Select:
    """The last digest sent, whatever its day."""
    from rel.store.models import DigestLog

    return _digests(DigestLog.status == "sent").order_by(DigestLog.sent_at.desc()).limit(1)


def digests_sent_on() -> Select:
    from rel.store.models import DigestLog

    return _digests(DigestLog.status == "sent", DigestLog.day == _digest_day()).order_by(
        DigestLog.sent_at
    )


def digests_of_day() -> Select:
    from rel.store.models import DigestLog

    return _digests(DigestLog.day == _digest_day()).order_by(DigestLog.id)


def _digest_change(verb: str) -> Any:
    from sqlalchemy import bindparam, delete, update

    from rel.store.models import DigestLog

    table = DigestLog.__table__  # type: ignore[attr-defined]
    row = table.c.id == bindparam("digest_id")
    if verb == "sent":
        return (
            update(table)
            .where(row)
            .values(
                status="sent",
                sent_at=bindparam("sent_on", type_=table.c.sent_at.type),
                keys=bindparam("sent_keys"),
            )
        )
    if verb == "drop_sending":
        return delete(table).where(row, table.c.status == "sending")
    return delete(table).where(row)


DIGEST_STATEMENTS: dict[str, Callable[[], Any]] = {
    "last_digest_sent_by": last_digest_sent_by,
    "last_digest_sent": last_digest_sent,
    "digests_sent_on": digests_sent_on,
    "digests_of_day": digests_of_day,
    "insert_digest_claim": lambda: _insert(
        "digest_log", "day", "target", "label", "status", "claimed_at", "keys"
    ),
    "mark_digest_sent": lambda: _digest_change("sent"),
    "drop_digest_claim": lambda: _digest_change("drop"),
    "drop_digest_claim_in_flight": lambda: _digest_change("drop_sending"),
}


# --- rel edit KEY, rel rm KEY: a record changed or removed (rel.store.records) --------------


def _interaction_by_id() -> Any:
    from sqlalchemy import select

    from rel.store.models import Interaction as Row

    return select(Row.id, Row.on, Row.at, Row.kind, Row.direction, Row.note).where(Row.id == _id())


def _life_event_by_id() -> Any:
    from sqlalchemy import select

    from rel.store.models import LifeEvent as Row

    return select(Row.id, Row.contact_id, Row.kind, Row.on, Row.text).where(Row.id == _id())


def _touchpoints_of_event() -> Any:
    from sqlalchemy import select

    from rel.store.models import Touchpoint as Row

    return select(*_touchpoint_columns()).where(Row.event_id == _id()).order_by(Row.id)


def _last_occurrence_closed() -> Any:
    from sqlalchemy import func, select

    from rel.store.models import Completion

    return select(func.max(Completion.occurrence).label("occurrence")).where(
        Completion.touchpoint_id == _id()
    )


def _delete_where(table_name: str, column: str) -> Any:
    """DELETE FROM `table_name` WHERE `column` = :id."""
    from sqlalchemy import delete
    from sqlmodel import SQLModel

    import rel.store.models  # noqa: F401  (registers the tables)

    table = SQLModel.metadata.tables[table_name]
    return delete(table).where(table.c[column] == _id())


def _delete_participant() -> Any:
    from sqlalchemy import bindparam, delete

    from rel.store.models import Participant

    return delete(Participant).where(
        Participant.interaction_id == bindparam("interaction_id"),
        Participant.contact_id == bindparam("contact_id"),
    )


def _unlink_follow_ups() -> Any:
    from sqlalchemy import bindparam, null, update

    from rel.store.models import Touchpoint

    table = Touchpoint.__table__  # type: ignore[attr-defined]
    return (
        update(table)
        .where(table.c.interaction_id == bindparam("row_id"))
        .values(interaction_id=null())
    )


RECORD_EDIT_STATEMENTS: dict[str, Callable[[], Any]] = {
    "interaction_by_id": _interaction_by_id,
    "life_event_by_id": _life_event_by_id,
    "touchpoints_of_event": _touchpoints_of_event,
    "last_occurrence_closed": _last_occurrence_closed,
    "update_interaction": lambda: _update(
        "interaction", "id", "on", "at", "kind", "direction", "note"
    ),
    "update_life_event": lambda: _update("life_event", "id", "kind", "on", "text"),
    "delete_participant": _delete_participant,
    "delete_participants_of_interaction": lambda: _delete_where("participant", "interaction_id"),
    "unlink_follow_ups": _unlink_follow_ups,
    "delete_interaction": lambda: _delete_where("interaction", "id"),
    "delete_completions_of_touchpoint": lambda: _delete_where("completion", "touchpoint_id"),
    "delete_touchpoint": lambda: _delete_where("touchpoint", "id"),
    "delete_life_event": lambda: _delete_where("life_event", "id"),
    "delete_gift": lambda: _delete_where("gift", "id"),
}


def _limit() -> Any:
    from sqlalchemy import Integer, bindparam

    return bindparam("limit", type_=Integer())


def _date_type() -> Any:
    from sqlalchemy import Date

    return Date()


def tag_names() -> Select:
    from sqlalchemy import select

    from rel.store.models import Tag

    return select(Tag.name).order_by(Tag.name)


# --- harvesting mail and calendars, rel triage (rel.store.harvest) ---------------------------


def email_handles() -> Select:
    """Every contact's email addresses, as lookups compare them."""
    from sqlalchemy import select

    from rel.store.models import Contact, Handle

    return (
        select(Handle.contact_id, Handle.search_value, Contact.name)
        .join(Contact, Contact.id == Handle.contact_id)
        .where(Handle.kind == "email")
        .order_by(Handle.contact_id, Handle.position)
    )


def harvested_keys() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import HarvestedItem

    return select(HarvestedItem.key).where(HarvestedItem.key.in_(bindparam("keys", expanding=True)))


def some_harvested_item() -> Select:
    from sqlalchemy import select

    from rel.store.models import HarvestedItem

    return select(HarvestedItem.key).limit(1)


def insert_harvested_item() -> Any:
    from sqlalchemy import bindparam, insert

    from rel.store.models import HarvestedItem

    return insert(HarvestedItem.__table__).values(
        key=bindparam("key"), interaction_id=bindparam("interaction_id")
    )


def harvested_interaction() -> Select:
    """A harvested interaction of one kind with a contact on a day in one direction (a newer
    export's messages of that day are folded into it)."""
    from sqlalchemy import bindparam, select

    from rel.store.models import HarvestedItem, Interaction, Participant

    return (
        select(Interaction.id, Interaction.note)
        .join(Participant, Participant.interaction_id == Interaction.id)
        .join(HarvestedItem, HarvestedItem.interaction_id == Interaction.id)
        .where(
            Participant.contact_id == bindparam("contact_id"),
            Interaction.on == bindparam("on", type_=_date_type()),
            Interaction.direction == bindparam("direction"),
            Interaction.kind == bindparam("kind"),
        )
        .order_by(Interaction.id)
        .limit(1)
    )


def update_interaction_note() -> Any:
    from sqlalchemy import bindparam, update

    from rel.store.models import Interaction

    return (
        update(Interaction.__table__)
        .where(Interaction.__table__.c.id == bindparam("row_id"))
        .values(note=bindparam("note"))
    )


def setting_value() -> Select:
    from sqlalchemy import bindparam, select

    from rel.store.models import Setting

    return select(Setting.value).where(Setting.name == bindparam("name"))


def insert_setting() -> Any:
    from sqlalchemy import bindparam, insert

    from rel.store.models import Setting

    return insert(Setting.__table__).values(name=bindparam("name"), value=bindparam("value"))


def update_setting() -> Any:
    from sqlalchemy import bindparam, update

    from rel.store.models import Setting

    table = Setting.__table__
    return update(table).where(table.c.name == bindparam("name")).values(value=bindparam("value"))


def birthday_slots() -> Select:
    """Contacts with their birthday (to fill in those without one)."""
    from sqlalchemy import select

    from rel.store.models import Contact

    return select(Contact.id, Contact.name, Contact.search_name, Contact.birthday_month).order_by(
        Contact.id
    )


def set_birthday() -> Any:
    from sqlalchemy import bindparam, update

    from rel.store.models import Contact

    return (
        update(Contact.__table__)
        .where(Contact.__table__.c.id == bindparam("row_id"))
        .values(
            birthday_month=bindparam("month"),
            birthday_day=bindparam("day"),
            birthday_year=bindparam("year"),
        )
    )


def untriaged_interactions() -> Select:
    """The days of every interaction of the contacts with no cadence of their own who are not
    archived (and each such contact once, without a day, when they have none)."""
    from sqlalchemy import select

    from rel.store.models import Contact, Interaction, Participant

    return (
        select(Contact.id, Contact.name, Interaction.on, Interaction.kind, Interaction.note)
        .outerjoin(Participant, Participant.contact_id == Contact.id)
        .outerjoin(Interaction, Interaction.id == Participant.interaction_id)
        .where(Contact.cadence.is_(None), Contact.archived.is_(False))
        .order_by(Contact.id, Interaction.on)
    )


HARVEST_STATEMENTS: dict[str, Callable[[], Any]] = {
    "email_handles": email_handles,
    "harvested_keys": harvested_keys,
    "some_harvested_item": some_harvested_item,
    "insert_harvested_item": insert_harvested_item,
    "harvested_interaction": harvested_interaction,
    "update_interaction_note": update_interaction_note,
    "setting_value": setting_value,
    "insert_setting": insert_setting,
    "update_setting": update_setting,
    "birthday_slots": birthday_slots,
    "set_birthday": set_birthday,
    "untriaged_interactions": untriaged_interactions,
}

# --- rel sync vdir: the state of each synced card (rel.store.sync) ----------------------------


def sync_items() -> Select:
    """Every card of the vdir `folder` as last synced."""
    from sqlalchemy import bindparam, select

    from rel.store.models import SyncItem

    return (
        select(SyncItem.uid, SyncItem.href, SyncItem.contact_uid, SyncItem.file_hash, SyncItem.base)
        .where(SyncItem.folder == bindparam("folder"))
        .order_by(SyncItem.uid)
    )


def insert_sync_item() -> Any:
    return _insert("sync_item", "folder", "uid", "href", "contact_uid", "file_hash", "base")


def _sync_item_key(statement: Any) -> Any:
    from sqlalchemy import bindparam

    from rel.store.models import SyncItem

    table = SyncItem.__table__  # type: ignore[attr-defined]
    return statement.where(
        table.c.folder == bindparam("key_folder"), table.c.uid == bindparam("key_uid")
    )


def update_sync_item() -> Any:
    from sqlalchemy import bindparam, update

    from rel.store.models import SyncItem

    table = SyncItem.__table__  # type: ignore[attr-defined]
    return _sync_item_key(update(table)).values(
        href=bindparam("href"),
        contact_uid=bindparam("contact_uid"),
        file_hash=bindparam("file_hash"),
        base=bindparam("base"),
    )


def delete_sync_item() -> Any:
    from sqlalchemy import delete

    from rel.store.models import SyncItem

    return _sync_item_key(delete(SyncItem.__table__))  # type: ignore[attr-defined]


def contact_history() -> Select:
    """How many interactions, reminders, life events and gifts the contact `id` has."""
    from sqlalchemy import func, select

    from rel.store.models import Gift, LifeEvent, Participant, Touchpoint

    def count(model: Any) -> Any:
        return (
            select(func.count())
            .select_from(model)
            .where(model.contact_id == _id())
            .scalar_subquery()
        )

    return select(
        (count(Participant) + count(Touchpoint) + count(LifeEvent) + count(Gift)).label("history")
    )


def contact_uid() -> Select:
    from sqlalchemy import select

    from rel.store.models import Contact

    return select(Contact.uid).where(Contact.id == _id())


SYNC_STATEMENTS: dict[str, Callable[[], Any]] = {
    "contact_uid": contact_uid,
    "sync_items": sync_items,
    "insert_sync_item": insert_sync_item,
    "update_sync_item": update_sync_item,
    "delete_sync_item": delete_sync_item,
    "contact_history": contact_history,
}


STATEMENTS: dict[str, Callable[[], Select]] = {
    "tag_names": tag_names,
    "agenda_contacts": agenda_contacts,
    "agenda_contacts_tagged": lambda: _tagged(agenda_contacts()),
    "agenda_contacts_for_one": lambda: _for_one(agenda_contacts()),
    # everyone with a cadence or a birthday, due or not (rel stats counts them all)
    "every_agenda_contact": lambda: agenda_contacts(derived_columns=False),
    "every_agenda_contact_tagged": lambda: _tagged(agenda_contacts(derived_columns=False)),
    "every_agenda_contact_for_one": lambda: _for_one(agenda_contacts(derived_columns=False)),
    "tag_cadences": tag_cadences,
    "contact_summaries": contact_summaries,
    "contact_summaries_tagged": lambda: _tagged(contact_summaries()),
    "every_contact_tag": every_contact_tag,
    "open_touchpoints": open_touchpoints,
    "open_touchpoints_tagged": lambda: _tagged(open_touchpoints()),
    "open_touchpoints_for_one": lambda: _for_one(open_touchpoints()),
    "gift_ideas": gift_ideas,
    "gift_ideas_tagged": lambda: _tagged(gift_ideas()),
    "gift_ideas_for_one": lambda: _for_one(gift_ideas()),
    "next_anniversaries": next_anniversaries,
    "snoozes": snoozes,
    "contact_count": contact_count,
    "tags_of": tags_of,
    "help_given_and_received": help_given_and_received,
    "person_by_id": person_by_id,
    "people_named": people_named,
    "people_named_like": people_named_like,
    "people_by_email": lambda: _person_by_handle("email", _equal_to("value")),
    "people_by_alias": lambda: _person_by_handle("alias", _equal_to("value")),
    "people_by_alias_like": lambda: _person_by_handle("alias", _like("pattern")),
    "all_people": _person,
    "people_named_between": people_named_between,
    "people_by_alias_between": lambda: _person_by_handle("alias", _between("low", "high")),
    "names_and_aliases_like": names_and_aliases_like,
    "contact_profile": contact_profile,
    "handles_of_contact": handles_of_contact,
    "tag_cadences_of_contact": tag_cadences_of_contact,
    "interactions_count_and_last": interactions_count_and_last,
    "timeline": timeline,
    "interaction_days_of_contact": interaction_days_of_contact,
    "newest_timeline": lambda: timeline().limit(_limit()),
    "others_in_interactions": others_in_interactions,
    "open_touchpoints_of_contact": open_touchpoints_of_contact,
    "gifts_of_contact": gifts_of_contact,
    "favor_counts": favor_counts,
    "events_of_contact": events_of_contact,
    "completions_of_contact": completions_of_contact,
    "participants_of_kind_on_day": participants_of_kind_on_day,
    "insert_interaction": insert_interaction,
    "insert_participant": insert_participant,
    "insert_touchpoint": insert_touchpoint,
    "contact_record": contact_record,
    "insert_contact": insert_contact,
    "update_contact": update_contact,
    "handles_of_contact_with_keys": handles_of_contact_with_keys,
    "insert_handle": insert_handle,
    "delete_handle": delete_handle,
    "tag_named": tag_named,
    "insert_tag": insert_tag,
    "update_tag_cadence": update_tag_cadence,
    "insert_contact_tag": insert_contact_tag,
    "delete_contact_tag": delete_contact_tag,
    "tag_summaries": tag_summaries,
    **TOUCHPOINT_STATEMENTS,
    **RECORD_STATEMENTS,
    **INSIGHT_STATEMENTS,
    **NETWORK_STATEMENTS,
    **DIGEST_STATEMENTS,
    **RECORD_EDIT_STATEMENTS,
    **CONTACT_REMOVAL_STATEMENTS,
    **MERGING_STATEMENTS,
    **HARVEST_STATEMENTS,
    **SYNC_STATEMENTS,
}


# --- running them ---------------------------------------------------------------------------


_SHAPES: dict[tuple[str, tuple[str, ...]], type] = {}
# Statements whose rows a store module gives a named tuple class of its own (same fields, in
# the same order): the reader makes them so at once (rel.store.agenda's candidates).
ROW_SHAPES: dict[str, type] = {}


def row_shape(name: str, columns: tuple[str, ...]) -> type:
    """A named tuple for the rows of one statement: fields by column name (`row.last_seen`),
    still a tuple for the callers that take rows apart in order."""
    key = (name, columns)
    shape = _SHAPES.get(key)
    if shape is None:
        registered = ROW_SHAPES.get(name)
        if registered is not None and getattr(registered, "_fields", None) == columns:
            shape = _SHAPES[key] = registered
        else:
            from collections import namedtuple

            shape = _SHAPES[key] = namedtuple(f"{name}_row", columns, rename=True)  # type: ignore[misc]
    return shape


_ROW_MAKERS: dict[tuple[type, tuple[str | None, ...]], Callable[[tuple], Any]] = {}


def row_maker(shape: type, kinds: tuple[str | None, ...]) -> Callable[[tuple], Any]:
    """A function making one row of `shape` from the driver's tuple, each value converted as
    its column's kind says (`date` ...). Written out once per statement and compiled, as
    namedtuple and dataclasses do: `rel due` makes a row for every contact who may be due."""
    key = (shape, kinds)
    maker = _ROW_MAKERS.get(key)
    if maker is None:
        if not any(kind in _CONVERT for kind in kinds):
            maker = shape._make  # type: ignore[attr-defined]
        else:
            scope: dict[str, Any] = {"make": shape.__new__, "shape": shape}
            values = []
            for index, kind in enumerate(kinds):
                if kind in _CONVERT:
                    scope[f"convert_{index}"] = _CONVERT[kind]
                    values.append(
                        f"None if row[{index}] is None else convert_{index}(row[{index}])"
                    )
                else:
                    values.append(f"row[{index}]")
            body = ", ".join(values)
            maker = eval(f"lambda row: make(shape, {body})", scope)
        _ROW_MAKERS[key] = maker
    return maker


class OrmReader:
    """The statements through an SQLAlchemy session: any engine."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.statements = STATEMENTS

    def rows(self, name: str, /, **params: Any) -> list[tuple]:
        result = self.session.execute(self.statements[name](), params)
        shape = row_shape(name, tuple(result.keys()))
        return [shape._make(row) for row in result]

    def mappings(self, name: str, /, **params: Any) -> list[dict[str, Any]]:
        self.session.flush()  # what the session holds is read back too
        return [row._asdict() for row in self.rows(name, **params)]

    def write(self, name: str, /, **params: Any) -> int:
        self.session.flush()  # objects added through the ORM go first
        result = self.session.execute(self.statements[name](), params)
        return int(result.inserted_primary_key[0])

    def change(self, name: str, /, **params: Any) -> int:
        self.session.flush()
        result = self.session.execute(self.statements[name](), params)
        self.session.expire_all()  # objects loaded before must not hide the change
        return int(result.rowcount)


_EXPANDING = re.compile(r"\(__\[POSTCOMPILE_(\w+)\]\)")
_CONVERT: dict[str, Callable[[Any], Any]] = {
    "date": date.fromisoformat,
    "datetime": datetime.fromisoformat,
    "utc_datetime": lambda text: datetime.fromisoformat(text).replace(tzinfo=UTC),
    "time": time.fromisoformat,
    "bool": bool,
}


def to_sqlite(value: Any) -> Any:
    """A value as SQLAlchemy stores it in SQLite (its Date, DateTime, Time and Boolean types)."""
    if type(value) is int or type(value) is str or value is None:  # most values: as they are
        return value
    if isinstance(value, datetime):
        if value.utcoffset() is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


class SqliteReader:
    """The statements as compiled for SQLite, on the standard library's driver."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        from rel.store.compiled_sql import COMPILED

        self.connection = connection
        self.compiled = COMPILED

    def write(self, name: str, /, **params: Any) -> int:
        sql, values = self._bound(name, params)
        cursor = self.connection.execute(sql, values)
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def change(self, name: str, /, **params: Any) -> int:
        sql, values = self._bound(name, params)
        return self.connection.execute(sql, values).rowcount

    def mappings(self, name: str, /, **params: Any) -> list[dict[str, Any]]:
        return [row._asdict() for row in self.rows(name, **params)]

    def rows(self, name: str, /, **params: Any) -> list[Any]:
        """The rows, their values as SQLAlchemy reads them back (dates as `date` ...)."""
        sql, values = self._bound(name, params)
        cursor = self.connection.execute(sql, values)
        shape = row_shape(name, tuple(column[0] for column in cursor.description))
        make = row_maker(shape, self.compiled[name][2])
        return [make(row) for row in cursor]

    def _bound(self, name: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
        """The statement's text, its IN (...) lists expanded, and its values in order."""
        sql, names, _types, literals = self.compiled[name]
        params = {**literals, **params}
        values: list[Any] = []

        def expand(match: re.Match[str]) -> str:
            items = list(params[match.group(1)]) or [None]  # IN (NULL) matches nothing
            values_by_name[match.group(1)] = items
            return "(" + ", ".join("?" * len(items)) + ")"

        values_by_name: dict[str, list[Any]] = {}
        sql = _EXPANDING.sub(expand, sql)
        for param in names:
            if param in values_by_name:
                values.extend(to_sqlite(value) for value in values_by_name[param])
            else:
                values.append(to_sqlite(params[param]))
        return sql, values


def to_postgresql(value: Any) -> Any:
    """A value as SQLAlchemy sends it to PostgreSQL: an aware datetime in UTC (SQLModel's
    UTCDateTime), everything else as it is (psycopg adapts dates, times and booleans)."""
    if isinstance(value, datetime) and value.utcoffset() is not None:
        return value.astimezone(UTC)
    return value


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.utcoffset() is not None else value.replace(tzinfo=UTC)


# psycopg reads dates, times and booleans as Python values already; SQLModel's UTCDateTime
# gives its datetimes in UTC
_CONVERT_POSTGRESQL: dict[str, Callable[[Any], Any]] = {"utc_datetime": _utc}


class PostgresReader:
    """The statements as compiled for PostgreSQL, on a psycopg connection (no SQLAlchemy)."""

    def __init__(self, connection: psycopg.Connection) -> None:
        from rel.store.compiled_sql_postgresql import COMPILED

        self.connection = connection
        self.compiled = COMPILED

    def write(self, name: str, /, **params: Any) -> int:
        sql, values = self._bound(name, params)
        cursor = self.connection.execute(sql, values)
        if cursor.description is None:  # no RETURNING: a key of several columns
            return 0
        row = cursor.fetchone()
        assert row is not None
        return int(row[0])

    def change(self, name: str, /, **params: Any) -> int:
        sql, values = self._bound(name, params)
        return self.connection.execute(sql, values).rowcount

    def mappings(self, name: str, /, **params: Any) -> list[dict[str, Any]]:
        return [row._asdict() for row in self.rows(name, **params)]

    def rows(self, name: str, /, **params: Any) -> list[Any]:
        """The rows, their values as SQLAlchemy reads them back (datetimes in UTC)."""
        sql, values = self._bound(name, params)
        cursor = self.connection.execute(sql, values)
        assert cursor.description is not None
        shape = row_shape(name, tuple(column.name for column in cursor.description))
        types = self.compiled[name][2]
        converting = [
            (i, _CONVERT_POSTGRESQL[kind])
            for i, kind in enumerate(types)
            if kind in _CONVERT_POSTGRESQL
        ]
        if not converting:
            return [shape._make(row) for row in cursor]
        found = []
        for row in cursor:
            converted = list(row)
            for index, convert in converting:
                if converted[index] is not None:
                    converted[index] = convert(converted[index])
            found.append(shape._make(converted))
        return found

    def _bound(self, name: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The statement's text, its IN (...) lists expanded, and its values by name."""
        sql, _names, _types, literals = self.compiled[name]
        values = {key: to_postgresql(value) for key, value in {**literals, **params}.items()}

        def expand(match: re.Match[str]) -> str:
            key = match.group(1)
            items = list(values.pop(key))
            if not items:
                return "(NULL)"  # IN (NULL) matches nothing
            names = []
            for index, item in enumerate(items):
                names.append(f"%({key}__{index})s")
                values[f"{key}__{index}"] = to_postgresql(item)
            return "(" + ", ".join(names) + ")"

        return _EXPANDING.sub(expand, sql), values


# --- compiling them -------------------------------------------------------------------------


def _kind(column_type: Any) -> str | None:
    from sqlalchemy import Boolean, Date, DateTime, Time, TypeDecorator

    if isinstance(column_type, TypeDecorator) and isinstance(column_type.impl_instance, DateTime):
        return "utc_datetime"  # SQLModel's UTCDateTime: stored in UTC, read back aware
    if isinstance(column_type, Time):
        return "time"
    if isinstance(column_type, DateTime):
        return "datetime"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, Boolean):
        return "bool"
    return None


def compile_for_sqlite() -> dict[str, tuple[str, tuple[str, ...], tuple[str | None, ...], dict]]:
    """Each statement's SQLite text, its parameters in order, its columns' kinds, and the
    values of the literals it binds (`state = 'open'`)."""
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect(paramstyle="qmark")
    compiled = {}
    for name, build in STATEMENTS.items():
        statement = build()
        text = statement.compile(dialect=dialect)
        columns = statement.selected_columns if hasattr(statement, "selected_columns") else ()
        kinds = tuple(_kind(column.type) for column in columns)
        literals = {k: v for k, v in text.params.items() if v is not None}
        compiled[name] = (str(text), tuple(text.positiontup or ()), kinds, literals)
    return compiled


def compile_for_postgresql() -> dict[
    str, tuple[str, tuple[str, ...], tuple[str | None, ...], dict]
]:
    """Each statement's PostgreSQL text as SQLAlchemy's psycopg dialect runs it (named
    `%(name)s` parameters, with its casts), its parameters' names, its columns' kinds, and the
    values of the literals it binds."""
    from sqlalchemy.dialects.postgresql import psycopg

    dialect = psycopg.dialect()
    compiled = {}
    for name, build in STATEMENTS.items():
        statement = build()
        text = statement.compile(dialect=dialect)
        columns = statement.selected_columns if hasattr(statement, "selected_columns") else ()
        kinds = tuple(_kind(column.type) for column in columns)
        literals = {k: v for k, v in text.params.items() if v is not None}
        compiled[name] = (str(text), tuple(text.params), kinds, literals)
    return compiled


def render_module(compiled: dict[str, Any], engine: str = "SQLite") -> str:
    lines = [
        f'"""The agenda\'s SQL compiled for {engine}. Written by `python -m rel.store.queries`:',
        'do not edit; a test checks it matches rel.store.queries."""',
        "",
        "COMPILED: dict[str, tuple[str, tuple[str, ...], tuple[str | None, ...], dict]] = {",
    ]
    for name, (sql, params, kinds, literals) in compiled.items():
        lines.append(f"    {name!r}: (")
        lines.append(f"        {sql!r},")
        lines.append(f"        {params!r},")
        lines.append(f"        {kinds!r},")
        lines.append(f"        {literals!r},")
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from pathlib import Path

    for file_name, compile_for, engine in (
        ("compiled_sql.py", compile_for_sqlite, "SQLite"),
        ("compiled_sql_postgresql.py", compile_for_postgresql, "PostgreSQL"),
    ):
        target = Path(__file__).with_name(file_name)
        target.write_text(render_module(compile_for(), engine), encoding="utf-8")
        print(f"wrote {target}")
