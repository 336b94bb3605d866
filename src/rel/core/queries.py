"""The agenda's SQL, defined once as SQLAlchemy expressions, and two ways to run it.

`rel due` runs every morning, and importing SQLAlchemy costs more than the whole agenda on a
large store. So the agenda reads the store through a `Reader`:

- `OrmReader` runs these expressions through an SQLAlchemy session (any engine);
- `SqliteReader` runs the same statements, compiled once for SQLite into
  `rel.core.compiled_sql` (by `python -m rel.core.queries`), on the standard library's
  `sqlite3` driver, with no SQLAlchemy import at all.

A test checks that the compiled text is what these expressions compile to today, and that both
readers give the same agenda. Values come back as Python values either way (dates as `date`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.sql import Select
    from sqlmodel import Session


class Reader(Protocol):
    def rows(self, name: str, **params: Any) -> list[tuple]: ...


# --- the statements --------------------------------------------------------------------------


def _tagged(query: Any) -> Any:
    """Keep the contacts that have any of the tags bound as `tags`."""
    from sqlalchemy import bindparam, select

    from rel.models import Contact, ContactTag, Tag

    tagged = (
        select(ContactTag.contact_id)
        .join(Tag, Tag.id == ContactTag.tag_id)
        .where(Tag.name.in_(bindparam("tags", expanding=True)))
    )
    return query.where(Contact.id.in_(tagged))


def agenda_contacts() -> Select:
    """Contacts that can be due: a cadence of their own or of a tag, or a birthday."""
    from sqlalchemy import or_, select

    from rel.core.agenda import last_seen_column
    from rel.core.contacts import has_tag_cadence
    from rel.models import Contact

    return select(
        Contact.id, Contact.name, Contact.cadence, Contact.added_on, Contact.birthday_month,
        Contact.birthday_day, Contact.birthday_year, last_seen_column(),
    ).where(
        Contact.archived.is_(False),
        or_(Contact.cadence.is_not(None), Contact.birthday_month.is_not(None), has_tag_cadence()),
    )  # fmt: skip


def tag_cadences() -> Select:
    from sqlalchemy import select

    from rel.models import ContactTag, Tag

    return (
        select(ContactTag.contact_id, Tag.name, Tag.cadence)
        .join(Tag, Tag.id == ContactTag.tag_id)
        .where(Tag.cadence.is_not(None))
    )


def open_touchpoints() -> Select:
    """Open touchpoints of contacts not archived, due by `horizon` or with a lead time."""
    from sqlalchemy import bindparam, or_, select

    from rel.models import Contact, LifeEvent, Touchpoint

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

    from rel.models import Contact, Gift

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

    from rel.models import Touchpoint

    return (
        select(Touchpoint.contact_id, func.min(Touchpoint.due))
        .where(Touchpoint.kind == "anniversary", Touchpoint.state == "open")
        .group_by(Touchpoint.contact_id)
    )


def snoozes() -> Select:
    from sqlalchemy import bindparam, select

    from rel.models import Snooze

    today = bindparam("today", type_=_date_type())
    return select(Snooze.key, Snooze.until).where(Snooze.until > today)


def contact_count() -> Select:
    from sqlalchemy import func, select

    from rel.models import Contact

    return select(func.count()).select_from(Contact)


def tags_of() -> Select:
    from sqlalchemy import bindparam, select

    from rel.models import ContactTag, Tag

    return (
        select(ContactTag.contact_id, Tag.name)
        .join(Tag, Tag.id == ContactTag.tag_id)
        .where(ContactTag.contact_id.in_(bindparam("ids", expanding=True)))
        .order_by(Tag.name)
    )


def help_given_and_received() -> Select:
    """Favors (interactions of kind help) with the contacts bound as `ids`, oldest first."""
    from sqlalchemy import bindparam, select

    from rel.models import Interaction, Participant

    return (
        select(Participant.contact_id, Interaction.on, Interaction.direction)
        .join(Interaction, Interaction.id == Participant.interaction_id)
        .where(
            Interaction.kind == "help",
            Participant.contact_id.in_(bindparam("ids", expanding=True)),
        )
        .order_by(Participant.contact_id, Interaction.on, Interaction.id)
    )


def _date_type() -> Any:
    from sqlalchemy import Date

    return Date()


def tag_names() -> Select:
    from sqlalchemy import select

    from rel.models import Tag

    return select(Tag.name).order_by(Tag.name)


STATEMENTS: dict[str, Callable[[], Select]] = {
    "tag_names": tag_names,
    "agenda_contacts": agenda_contacts,
    "agenda_contacts_tagged": lambda: _tagged(agenda_contacts()),
    "tag_cadences": tag_cadences,
    "open_touchpoints": open_touchpoints,
    "open_touchpoints_tagged": lambda: _tagged(open_touchpoints()),
    "gift_ideas": gift_ideas,
    "gift_ideas_tagged": lambda: _tagged(gift_ideas()),
    "next_anniversaries": next_anniversaries,
    "snoozes": snoozes,
    "contact_count": contact_count,
    "tags_of": tags_of,
    "help_given_and_received": help_given_and_received,
}


# --- running them ---------------------------------------------------------------------------


class OrmReader:
    """The statements through an SQLAlchemy session: any engine."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def rows(self, name: str, **params: Any) -> list[tuple]:
        return [tuple(row) for row in self.session.execute(STATEMENTS[name](), params)]


_EXPANDING = re.compile(r"\(__\[POSTCOMPILE_(\w+)\]\)")
_CONVERT: dict[str, Callable[[Any], Any]] = {
    "date": date.fromisoformat,
    "datetime": datetime.fromisoformat,
    "bool": bool,
}


class SqliteReader:
    """The statements as compiled for SQLite, on the standard library's driver."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        from rel.core.compiled_sql import COMPILED

        self.connection = connection
        self.compiled = COMPILED

    def rows(self, name: str, **params: Any) -> list[tuple]:
        sql, names, types, literals = self.compiled[name]
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
                values.extend(values_by_name[param])
            else:
                value = params[param]
                values.append(value.isoformat() if isinstance(value, date) else value)
        cursor = self.connection.execute(sql, values)
        converting = [(i, _CONVERT[kind]) for i, kind in enumerate(types) if kind in _CONVERT]
        if not converting:
            return cursor.fetchall()
        found = []
        for row in cursor:
            values = list(row)
            for index, convert in converting:
                if values[index] is not None:
                    values[index] = convert(values[index])
            found.append(tuple(values))
        return found


# --- compiling them -------------------------------------------------------------------------


def _kind(column_type: Any) -> str | None:
    from sqlalchemy import Boolean, Date, DateTime

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
        kinds = tuple(_kind(column.type) for column in statement.selected_columns)
        literals = {k: v for k, v in text.params.items() if v is not None}
        compiled[name] = (str(text), tuple(text.positiontup or ()), kinds, literals)
    return compiled


def render_module(compiled: dict[str, Any]) -> str:
    lines = [
        '"""The agenda\'s SQL compiled for SQLite. Written by `python -m rel.core.queries`:',
        'do not edit; a test checks it matches rel.core.queries."""',
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

    target = Path(__file__).with_name("compiled_sql.py")
    target.write_text(render_module(compile_for_sqlite()), encoding="utf-8")
    print(f"wrote {target}")
