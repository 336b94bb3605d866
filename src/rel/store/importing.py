"""The store's side of an import (rel import vcard|csv|json, rel demo): what matching needs
loaded in a few queries, and batched inserts and updates.

Ten thousand contacts must import in seconds, so these run SQLAlchemy Core statements with
many rows at once (executemany, INSERT ... RETURNING) on the session of an `OrmReader`: the
command opens its store with `ctx.store(write=True, orm=True)`. The derived columns are
written here with what they derive from: a contact's `search_name` with its name,
`cadence_days` of contacts and tags with their cadence (a handle's `search_value` is the key
matching works with, so it comes in with the handle).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from rel.domain.dates import Birthday, cadence_days
from rel.domain.fields import TEXT_FIELDS
from rel.domain.identity import new_uid
from rel.domain.values import fold

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from rel.store.queries import Store

ONE_LINE = tuple(text.name for text in TEXT_FIELDS if text.one_line)  # company, title ...


def _connection(store: Store) -> Connection:
    """The connection of the store's session (an OrmReader's)."""
    session = store.session  # type: ignore[attr-defined]
    session.flush()  # what the session holds is written first
    return session.connection()


def _table(name: str) -> Any:
    from sqlmodel import SQLModel

    import rel.store.models  # noqa: F401  (registers the tables)

    return SQLModel.metadata.tables[name]


def done_writing(store: Store) -> None:
    """The ORM objects of the store's session see what the bulk writes wrote."""
    store.session.expire_all()  # type: ignore[attr-defined]


# --- what matching needs --------------------------------------------------------------------


@dataclass
class KnownContact:
    """A contact of the store as an import matches against it."""

    id: int
    name: str
    texts: dict[str, str | None]  # the one-line texts: company, title ...
    notes: str | None
    birthday: Birthday | None
    cadence: str | None
    uid: str | None = None


@dataclass(frozen=True)
class KnownKey:
    contact_id: int
    kind: str  # email, phone, link, alias
    search_value: str
    position: int


@dataclass(frozen=True)
class KnownNetwork:
    contacts: list[KnownContact]  # by id
    keys: list[KnownKey]  # every handle's
    tags: list[tuple[int, str]]  # (contact id, tag name)


def known_network(store: Store) -> KnownNetwork:
    """Every contact, by id, every handle's key and every contact's tags."""
    from sqlalchemy import select

    connection = _connection(store)
    contact = _table("contact").c
    by_id: dict[int, KnownContact] = {}
    for row in connection.execute(
        select(
            contact.id, contact.name, *(contact[name] for name in ONE_LINE), contact.notes,
            contact.birthday_month, contact.birthday_day, contact.birthday_year,
            contact.cadence, contact.uid,
        ).order_by(contact.id)
    ).mappings():  # fmt: skip
        month, day = row["birthday_month"], row["birthday_day"]
        by_id[row["id"]] = KnownContact(
            row["id"],
            row["name"],
            texts={name: row[name] for name in ONE_LINE},
            notes=row["notes"],
            birthday=Birthday(month, day, row["birthday_year"]) if month and day else None,
            cadence=row["cadence"],
            uid=row["uid"],
        )
    handle = _table("handle").c
    keys = [
        KnownKey(*row)
        for row in connection.execute(
            select(handle.contact_id, handle.kind, handle.search_value, handle.position)
        )
    ]
    link, tag = _table("contact_tag").c, _table("tag")
    tags = [
        (contact_id, name)
        for contact_id, name in connection.execute(
            select(link.contact_id, tag.c.name).join(tag, tag.c.id == link.tag_id)
        )
    ]
    return KnownNetwork(list(by_id.values()), keys, tags)


def store_is_empty(store: Store) -> bool:
    """Nothing in the store a key could name: a restore there keeps the document's ids."""
    from sqlalchemy import select

    connection = _connection(store)
    for name in ("contact", "interaction", "touchpoint", "life_event", "gift"):
        table = _table(name)
        if connection.execute(select(table.c.id).limit(1)).first() is not None:
            return False
    return True


# --- contacts, handles, tags ----------------------------------------------------------------


@dataclass(frozen=True)
class ImportedContact:
    """A contact an import adds; `id` the one to keep (rel's JSON into an empty store), or
    None for the store's next."""

    id: int | None
    name: str
    texts: dict[str, str | None]
    notes: str | None
    birthday: Birthday | None
    cadence: str | None
    archived: bool
    added_on: date
    catch_up_skipped: date | None
    created_at: datetime
    updated_at: datetime
    uid: str | None = None  # the file's own UID, kept; else the store makes one


@dataclass(frozen=True)
class ContactFilled:
    """What an import filled in on a contact of the store (all of it, as it is now)."""

    id: int
    texts: dict[str, str | None]
    notes: str | None
    birthday: Birthday | None
    cadence: str | None


def _birthday_columns(birthday: Birthday | None) -> dict[str, int | None]:
    return {
        "birthday_month": birthday.month if birthday else None,
        "birthday_day": birthday.day if birthday else None,
        "birthday_year": birthday.year if birthday else None,
    }


def insert_contacts(store: Store, contacts: Sequence[ImportedContact]) -> list[int]:
    """Add the contacts in one statement; their ids, in order."""
    from sqlalchemy import insert

    if not contacts:
        return []
    rows = []
    for contact in contacts:
        row = {
            "uid": contact.uid or new_uid(),
            "name": contact.name,
            "search_name": fold(contact.name),
            **{name: contact.texts.get(name) for name in ONE_LINE},
            "notes": contact.notes,
            **_birthday_columns(contact.birthday),
            "cadence": contact.cadence,
            "cadence_days": cadence_days(contact.cadence),
            "archived": contact.archived,
            "added_on": contact.added_on,
            "catch_up_skipped": contact.catch_up_skipped,
            "created_at": contact.created_at,
            "updated_at": contact.updated_at,
        }
        if contact.id is not None:
            row["id"] = contact.id
        rows.append(row)
    table = _table("contact")
    result = _connection(store).execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    )
    return [new_id for (new_id,) in result.all()]


def update_contacts(store: Store, changes: Sequence[ContactFilled], *, now: datetime) -> None:
    """Write what the import filled in, in one statement."""
    from sqlalchemy import bindparam, update

    if not changes:
        return
    contacts = _table("contact")
    _connection(store).execute(
        update(contacts)
        .where(contacts.c.id == bindparam("contact_id"))
        .values(
            **{name: bindparam(name) for name in ONE_LINE},
            notes=bindparam("notes"),
            birthday_month=bindparam("birthday_month"),
            birthday_day=bindparam("birthday_day"),
            birthday_year=bindparam("birthday_year"),
            cadence=bindparam("cadence"),
            cadence_days=bindparam("cadence_days"),
            updated_at=bindparam("updated_at"),
        ),
        [
            {
                "contact_id": change.id,
                **{name: change.texts.get(name) for name in ONE_LINE},
                "notes": change.notes,
                **_birthday_columns(change.birthday),
                "cadence": change.cadence,
                "cadence_days": cadence_days(change.cadence),
                "updated_at": now,
            }
            for change in changes
        ],
    )


@dataclass(frozen=True)
class NewHandle:
    contact_id: int
    kind: str  # email, phone, link, alias
    value: str
    search_value: str  # rel.domain.values.search_value(kind, value)
    position: int
    label: str | None = None  # the TYPE a card gave it


def insert_handles(store: Store, handles: Sequence[NewHandle]) -> None:
    from sqlalchemy import insert

    if not handles:
        return
    rows = [
        {"contact_id": h.contact_id, "kind": h.kind, "value": h.value,
         "search_value": h.search_value, "position": h.position, "label": h.label}
        for h in handles
    ]  # fmt: skip
    _connection(store).execute(insert(_table("handle")), rows)


def ensure_tags(store: Store, names: Iterable[str]) -> dict[str, int]:
    """The ids of these tags, creating the ones the store does not have."""
    from sqlalchemy import insert, select

    table = _table("tag")
    wanted = set(names)
    if not wanted:
        return {}
    connection = _connection(store)
    known = dict(
        connection.execute(select(table.c.name, table.c.id).where(table.c.name.in_(wanted))).all()
    )
    missing = sorted(wanted - set(known))
    if missing:
        result = connection.execute(
            insert(table).returning(table.c.name, table.c.id, sort_by_parameter_order=True),
            [{"name": name, "cadence": None} for name in missing],
        )
        known.update(dict(result.all()))
    return known


def tag_contacts(store: Store, links: Sequence[tuple[int, int]]) -> None:
    """Give each (contact id, tag id) pair's contact its tag."""
    from sqlalchemy import insert

    if links:
        rows = [{"contact_id": contact_id, "tag_id": tag_id} for contact_id, tag_id in links]
        _connection(store).execute(insert(_table("contact_tag")), rows)


def set_tag_cadences_where_unset(store: Store, cadences: dict[int, str]) -> None:
    """Give each tag (by id) its default cadence, unless it has one already."""
    from sqlalchemy import update

    table = _table("tag")
    connection = _connection(store)
    for tag_id, text in cadences.items():
        connection.execute(
            update(table)
            .where(table.c.id == tag_id, table.c.cadence.is_(None))
            .values(cadence=text, cadence_days=cadence_days(text))
        )


def anniversary_days(store: Store) -> dict[int, set[tuple[int, int]]]:
    """The (month, day) of every anniversary of the store (its life events of a kind in
    ANNIVERSARY_KINDS), by contact: what an import compares a file's anniversaries with."""
    from sqlalchemy import select

    from rel.domain.vocabulary import ANNIVERSARY_KINDS

    table = _table("life_event")
    found: dict[int, set[tuple[int, int]]] = {}
    rows = _connection(store).execute(
        select(table.c.contact_id, table.c.on).where(table.c.kind.in_(ANNIVERSARY_KINDS))
    )
    for contact_id, on in rows:
        day = on if isinstance(on, date) else date.fromisoformat(str(on))
        found.setdefault(contact_id, set()).add((day.month, day.day))
    return found


def contact_exists(store: Store, contact_id: int) -> bool:
    from sqlalchemy import select

    table = _table("contact")
    found = _connection(store).execute(select(table.c.id).where(table.c.id == contact_id))
    return found.first() is not None


# --- interactions ---------------------------------------------------------------------------

# an interaction as a document import compares it: on, at, kind, note, direction, and who
Signature = tuple[date, time | None, str, str | None, str, frozenset[int]]


def interaction_signatures(store: Store) -> dict[Signature, int]:
    """Every interaction of the store by what it is, so importing a document twice adds
    nothing."""
    from sqlalchemy import select

    table, link = _table("interaction").c, _table("participant").c
    connection = _connection(store)
    rows: dict[int, tuple] = {}
    people: dict[int, set[int]] = {}
    for row in connection.execute(
        select(table.id, table.on, table.at, table.kind, table.note, table.direction)
    ):
        rows[row[0]] = tuple(row[1:])
    for interaction_id, contact_id in connection.execute(
        select(link.interaction_id, link.contact_id)
    ):
        people.setdefault(interaction_id, set()).add(contact_id)
    return {(*values, frozenset(people.get(key, ()))): key for key, values in rows.items()}  # type: ignore[misc]


def insert_interactions(
    store: Store, rows: Sequence[dict[str, Any]], people: Sequence[Sequence[int]]
) -> list[int]:
    """Add the interactions (rows by column: on, at, kind, note, direction, created_at, and an
    id to keep) with their participants (the contacts' ids, one list per row); their ids."""
    from sqlalchemy import insert

    if not rows:
        return []
    table = _table("interaction")
    connection = _connection(store)
    result = connection.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), list(rows)
    )
    new_ids = [interaction_id for (interaction_id,) in result.all()]
    links = [
        {"interaction_id": interaction_id, "contact_id": contact_id}
        for interaction_id, ids in zip(new_ids, people, strict=True)
        for contact_id in ids
    ]
    connection.execute(insert(_table("participant")), links)
    return new_ids


# --- events, touchpoints, completions, gifts, snoozes ----------------------------------------


def record_signatures(store: Store, table_name: str, columns: Sequence[str]) -> dict[tuple, int]:
    """The ids of the rows of `table_name` (life_event, touchpoint, gift) by the values of
    these columns."""
    from sqlalchemy import select

    table = _table(table_name)
    query = select(table.c.id, *(table.c[name] for name in columns))
    return {tuple(row[1:]): row[0] for row in _connection(store).execute(query)}


def record_uids(store: Store, table_name: str) -> dict[str, int]:
    """The ids of the rows of `table_name` (life_event, touchpoint, gift) by their UID."""
    from sqlalchemy import select

    table = _table(table_name)
    query = select(table.c.uid, table.c.id).where(table.c.uid.is_not(None))
    return {uid: number for uid, number in _connection(store).execute(query)}


def insert_record(store: Store, table_name: str, values: dict[str, Any]) -> int | None:
    """Add one row of `table_name` (life_event, touchpoint, completion, gift, snooze) by its
    columns' values; its id (None for a snooze: it is known by its key)."""
    from sqlalchemy import insert

    table = _table(table_name)
    connection = _connection(store)
    if "id" not in table.c:
        connection.execute(insert(table), values)
        return None
    return connection.execute(insert(table).returning(table.c.id), values).scalar_one()


def snooze_keys(store: Store) -> set[str]:
    from sqlalchemy import select

    return {row[0] for row in _connection(store).execute(select(_table("snooze").c.key))}


def move_sequences(store: Store) -> None:
    """PostgreSQL: new rows go on after the ids an import kept."""
    from rel.store.engine import move_sequences as move

    move(_connection(store))
