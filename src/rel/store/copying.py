"""Copying a whole network from one store to another: `rel store copy SRC DEST`, and the SQLite
snapshot `rel backup` writes of a PostgreSQL store.

Every table of the record is copied row for row with its ids, so every key (c12, i42, t3)
means the same thing in both stores; the undo journal is not (it is the history of the
source's commands, not of the copy's). The source is read in one snapshot (one SQLite read
transaction, or PostgreSQL's REPEATABLE READ), the destination written in one transaction:
a copy that fails or is killed leaves the destination as it was (a new SQLite file appears
only whole, a PostgreSQL database keeps no table of a copy that did not finish).

The destination must be empty: a missing SQLite file, a PostgreSQL database with no tables,
or a rel store with nothing in it. Afterwards the derived columns (`last_seen`,
`cadence_days`) are computed again from what they stand for, and PostgreSQL's id sequences
are moved past the copied ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rel.errors import BadValue, StoreError
from rel.paths import StoreLocation

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection

BATCH = 2_000  # rows read and written at a time
_NOT_COPIED = frozenset({"rel_migration"})  # the destination is stamped by its own schema
# the words for each table's rows, in the order the summary lists them
_WORDS: dict[str, tuple[str, str]] = {
    "contact": ("contact", "contacts"),
    "handle": ("contact detail", "contact details"),
    "tag": ("tag", "tags"),
    "interaction": ("interaction", "interactions"),
    "touchpoint": ("reminder", "reminders"),
    "completion": ("completion", "completions"),
    "life_event": ("life event", "life events"),
    "gift": ("gift", "gifts"),
    "snooze": ("snooze", "snoozes"),
    "digest_log": ("digest sent", "digests sent"),
}


@dataclass(frozen=True)
class CopyReport:
    """What a copy wrote: the rows of each table, in the order they were copied."""

    rows: dict[str, int]

    def describe(self) -> str:
        """ "3 contacts, 12 interactions, 2 reminders": the records a person counts (not the
        rows that join them), those with none left out."""
        parts = []
        for table, (one, many) in _WORDS.items():
            count = self.rows.get(table, 0)
            if count or table == "contact":
                parts.append(f"{count:,} {one if count == 1 else many}")
        return ", ".join(parts)


def copied_tables() -> list[Table]:
    """The tables of the record, parents before children."""
    from sqlmodel import SQLModel

    import rel.store.models  # noqa: F401  (registers the tables)

    return [t for t in SQLModel.metadata.sorted_tables if t.name not in _NOT_COPIED]


def copy_store(source: StoreLocation, destination: StoreLocation) -> CopyReport:
    """Copy the whole network at `source` into the empty store at `destination`."""
    from sqlalchemy.exc import DBAPIError

    from rel.store.engine import open_store

    if _same_store(source, destination):
        raise BadValue(
            f"the source and the destination are the same store ({source}); "
            "give another destination"
        )
    if source.path is not None and not source.path.exists():
        raise StoreError(f"there is no store at {source} to copy")
    reader = open_store(source, write=False)  # refuses a damaged, foreign or newer store
    try:
        with reader.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                # one snapshot of the whole network, however long the copy takes
                connection = connection.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
            with connection.begin():
                return _write(destination, lambda target: copy_rows(connection, target))
    except DBAPIError as error:
        lines = str(getattr(error, "orig", error)).strip().splitlines() or [type(error).__name__]
        raise StoreError(
            f"cannot copy {source} to {destination}: {lines[0]}; {destination} was left as it was"
        ) from error
    finally:
        reader.close()


def _write(destination: StoreLocation, fill: Callable[[Connection], dict[str, int]]) -> CopyReport:
    """Run `fill` in one transaction on the empty store at `destination`, made if missing."""
    import os

    from rel.store.engine import Store, create_schema, create_store_file, open_store

    rows: dict[str, int] = {}

    def fill_new(engine: Any) -> None:
        with engine.begin() as connection:
            rows.update(fill(connection))

    if destination.path is not None and not os.path.lexists(destination.path):
        create_store_file(destination.path, fill_new)  # appears whole, or not at all
        return CopyReport(rows)
    if destination.path is None and not _has_tables(destination):
        writer = Store(destination, write=True)
        try:
            with writer.engine.begin() as connection:
                _lock(connection)
                if _table_names(connection):  # made meanwhile
                    raise _not_empty(destination, "tables made meanwhile")
                create_schema(connection)  # with the copy: a failed copy leaves no table
                rows.update(fill(connection))
        finally:
            writer.close()
        return CopyReport(rows)
    writer = open_store(destination, write=True)  # refuses what is not a rel store
    try:
        with writer.engine.begin() as connection:
            _lock(connection)
            held = _rows_held(connection)
            if held is not None:
                raise _not_empty(destination, held)
            _forget_journal(connection)
            rows.update(fill(connection))
    finally:
        writer.close()
    return CopyReport(rows)


def copy_rows(source: Connection, destination: Connection) -> dict[str, int]:
    """Copy every row of every table of the record, ids and all, from `source` into the
    empty `destination` (both in a transaction); then the derived columns and sequences."""
    from sqlalchemy import select

    from rel.store.engine import move_sequences

    rows: dict[str, int] = {}
    for table in copied_tables():
        query = select(table).order_by(*table.primary_key.columns)
        result = source.execute(query.execution_options(yield_per=BATCH))
        count = 0
        for batch in result.partitions():
            destination.execute(table.insert(), [row._asdict() for row in batch])
            count += len(batch)
        rows[table.name] = count
        if destination.dialect.name == "postgresql":
            # statistics for the rows just written, or PostgreSQL plans the foreign key
            # checks of the next tables (and the derived columns) as if this one were empty
            quote = destination.dialect.identifier_preparer.quote
            destination.exec_driver_sql(f"ANALYZE {quote(table.name)}")
    derive_columns(destination)
    move_sequences(destination)
    return rows


def derive_columns(connection: Connection) -> None:
    """Set `last_seen` and `cadence_days` to what they stand for, whatever the source held
    (a store whose engine does not keep them, or a cadence written by hand)."""
    from sqlalchemy import func, select, update

    from rel.store.models import Contact, Interaction, Participant, Tag, cadence_days

    contact = Contact.__table__  # type: ignore[attr-defined]
    interaction = Interaction.__table__  # type: ignore[attr-defined]
    participant = Participant.__table__  # type: ignore[attr-defined]
    last_seen = (
        select(func.max(interaction.c.on))
        .join(participant, participant.c.interaction_id == interaction.c.id)
        .where(participant.c.contact_id == contact.c.id)
        .scalar_subquery()
    )
    connection.execute(
        update(contact)
        .where(contact.c.last_seen.is_distinct_from(last_seen))
        .values(last_seen=last_seen)
    )
    for table in (contact, Tag.__table__):  # type: ignore[attr-defined]
        cadences = connection.execute(select(table.c.cadence).distinct()).scalars().all()
        for cadence in cadences:
            days = cadence_days(cadence)
            same = table.c.cadence.is_(None) if cadence is None else table.c.cadence == cadence
            connection.execute(
                update(table)
                .where(same, table.c.cadence_days.is_distinct_from(days))
                .values(cadence_days=days)
            )


def _same_store(one: StoreLocation, other: StoreLocation) -> bool:
    if one.path is not None or other.path is not None:
        if one.path is None or other.path is None:
            return False
        if one.path.resolve() == other.path.resolve():
            return True
        try:
            return one.path.samefile(other.path)
        except OSError:
            return False
    from sqlalchemy.engine import make_url

    first, second = make_url(one.url), make_url(other.url)
    return (first.host or "", first.port or 5432, first.database) == (
        second.host or "",
        second.port or 5432,
        second.database,
    )


def _lock(connection: Connection) -> None:
    """PostgreSQL: one copy or schema change into a database at a time."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy import text

        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('rel schema'))"))


def _has_tables(location: StoreLocation) -> bool:
    from rel.store.engine import Store, describe_store_failure

    store = Store(location, write=False)
    try:
        from sqlalchemy.exc import DBAPIError

        try:
            with store.engine.connect() as connection:
                return bool(_table_names(connection))
        except DBAPIError as error:
            raise describe_store_failure(error, location) from error
    finally:
        store.close()


def _table_names(connection: Connection) -> list[str]:
    from sqlalchemy import inspect

    return inspect(connection).get_table_names()


def _rows_held(connection: Connection) -> str | None:
    """What the store holds, as "3 contacts" (its first table with rows), or None if empty."""
    from sqlalchemy import func, select

    for table in copied_tables():
        count = connection.execute(select(func.count()).select_from(table)).scalar_one()
        if count:
            one, many = _WORDS.get(table.name, ("row", "rows"))
            return f"{count:,} {one if count == 1 else many}"
    return None


def _not_empty(destination: StoreLocation, held: str) -> StoreError:
    return StoreError(
        f"the destination {destination} is not empty (it holds {held}); rel store copy "
        "writes only into a new or empty store; it was left untouched"
    )


def _forget_journal(connection: Connection) -> None:
    """An empty store may still remember undoing what it once held: not after a copy."""
    from sqlalchemy import text

    names = set(_table_names(connection))
    for table in ("undo_step", "undo_entry"):
        if table in names:
            connection.execute(text(f"DELETE FROM {table}"))


def snapshot_base(location: StoreLocation) -> Path:
    """Where the SQLite snapshots of a PostgreSQL store go by default: beside the default
    store, named after the database (`rel backup` dates each one: mydb.backup-…db)."""
    from sqlalchemy.engine import make_url

    from rel.paths import default_store_path

    database = make_url(location.url).database or "postgresql"
    return default_store_path().parent / f"{database}.db"
