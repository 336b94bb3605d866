"""The undo journal: every writing command can be reverted as a whole (`rel undo`).

The store records, for each writing command, the statements that put back what it changed.
Triggers on every table of the record write them (the technique of SQLite's "automatic
undo/redo"), so a change is journaled whoever makes it inside a command: the ORM, the
compiled sqlite3 path, an import's bulk insert, a cascade of a delete, a derived column's
trigger. A command opens an entry (`open_entry`) at the start of its transaction and closes it
(`close_entry`) before it commits; the triggers write only while an entry is open, so the
undo itself, a migration, or a person with the sqlite3 shell is not journaled.

Undoing replays the entry's statements newest first with foreign keys checked at commit
(a deleted contact comes back before, not after, the rows that point at it when the
transaction ends) and deletes the entry. The journal keeps the last `DEPTH` commands; a schema
upgrade empties it, as the statements of an older schema may no longer fit.

This module speaks to the standard library's sqlite3 connection (the ORM session's driver
connection, or the fast path's own): it is the store's, and only the store's, SQL. Given a
psycopg connection instead, each function hands over to `rel.store.journal_postgres`, the same
journal in PL/pgSQL.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from typing import Any

from rel.errors import StoreError
from rel.store.journal_entries import (
    DEPTH,
    DERIVED_COLUMNS,
    JOURNALED,
    VERBS,
    Entry,
    count_changes,
)

UNDO_TABLES = (
    "CREATE TABLE IF NOT EXISTS undo_entry ("
    " id INTEGER PRIMARY KEY, command TEXT NOT NULL, at TEXT NOT NULL,"
    " recording INTEGER NOT NULL DEFAULT 1)",
    "CREATE TABLE IF NOT EXISTS undo_step ("
    " id INTEGER PRIMARY KEY,"
    " entry_id INTEGER NOT NULL REFERENCES undo_entry (id) ON DELETE CASCADE,"
    " statement TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_undo_step_entry ON undo_step (entry_id)",
)

_RECORDING = "FROM undo_entry WHERE recording = 1"


def _postgres(connection: Any) -> Any:
    """`rel.store.journal_postgres` when `connection` is not SQLite's, else None."""
    if isinstance(connection, sqlite3.Connection):
        return None
    from rel.store import journal_postgres

    return journal_postgres


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def trigger_statements(table: str, columns: list[str]) -> list[str]:
    """The three triggers that journal the inverse of every change to `table`."""
    quoted = [_name(column) for column in columns]
    values = " || ', ' || ".join(f"quote(OLD.{column})" for column in quoted)
    assignments = " || ', ' || ".join(
        f"'{column.replace(chr(39), chr(39) * 2)} = ' || quote(OLD.{column})" for column in quoted
    )
    compared = [_name(c) for c in columns if c not in DERIVED_COLUMNS] or quoted
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in compared)
    target = _name(table).replace("'", "''")
    column_list = ", ".join(quoted).replace("'", "''")
    return [
        f"CREATE TRIGGER undo_{table}_insert AFTER INSERT ON {_name(table)} BEGIN"
        f" INSERT INTO undo_step (entry_id, statement) SELECT id,"
        f" 'DELETE FROM {target} WHERE rowid = ' || NEW.rowid {_RECORDING}; END",
        f"CREATE TRIGGER undo_{table}_update AFTER UPDATE ON {_name(table)}"
        f" WHEN {changed} OR OLD.rowid IS NOT NEW.rowid BEGIN"
        f" INSERT INTO undo_step (entry_id, statement) SELECT id,"
        f" 'UPDATE {target} SET rowid = ' || OLD.rowid || ', ' || {assignments}"
        f" || ' WHERE rowid = ' || NEW.rowid {_RECORDING}; END",
        f"CREATE TRIGGER undo_{table}_delete BEFORE DELETE ON {_name(table)} BEGIN"
        f" INSERT INTO undo_step (entry_id, statement) SELECT id,"
        f" 'INSERT INTO {target} (rowid, {column_list}) VALUES (' || OLD.rowid || ', ' || {values}"
        f" || ')' {_RECORDING}; END",
    ]


def install(connection: sqlite3.Connection) -> None:
    """Create the journal's tables and (again) its triggers from the tables as they are now.

    Run when a store is created and after every schema upgrade: the triggers name each
    column, so they are rebuilt whenever the columns may have changed, and the journal of
    the older schema is emptied."""
    if postgres := _postgres(connection):
        return postgres.install_journal(connection)
    for statement in UNDO_TABLES:
        connection.execute(statement)
    existing = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master"
            " WHERE type = 'trigger' AND name LIKE 'undo\\_%' ESCAPE '\\'"
        )
    ]
    for trigger in existing:
        connection.execute(f"DROP TRIGGER {_name(trigger)}")
    connection.execute("DELETE FROM undo_step")
    connection.execute("DELETE FROM undo_entry")
    for table in JOURNALED:
        columns = [row[1] for row in connection.execute(f"PRAGMA table_info({_name(table)})")]
        if not columns:
            continue  # an older schema without this table: the upgrade will bring it
        for statement in trigger_statements(table, columns):
            connection.execute(statement)


def open_entry(connection: sqlite3.Connection, command: str, at: datetime) -> int:
    """Start journaling the current transaction's changes as one undoable command (the
    entry is closed in the same transaction, so no other entry is ever left recording)."""
    if postgres := _postgres(connection):
        return postgres.open_entry(connection, command, at)
    cursor = connection.execute(
        "INSERT INTO undo_entry (command, at, recording) VALUES (?, ?, 1)",
        (command, at.isoformat(timespec="seconds")),
    )
    return int(cursor.lastrowid or 0)


def close_entry(connection: sqlite3.Connection, entry: int) -> None:
    """Stop journaling; forget the entry if the command changed nothing; keep the last DEPTH."""
    if postgres := _postgres(connection):
        return postgres.close_entry(connection, entry)
    connection.execute("UPDATE undo_entry SET recording = 0 WHERE id = ?", (entry,))
    changed = connection.execute("SELECT 1 FROM undo_step WHERE entry_id = ? LIMIT 1", (entry,))
    if changed.fetchone():
        oldest_kept = connection.execute(
            "SELECT id FROM undo_entry ORDER BY id DESC LIMIT 1 OFFSET ?", (DEPTH - 1,)
        ).fetchone()
        if oldest_kept is not None:
            connection.execute("DELETE FROM undo_step WHERE entry_id < ?", (oldest_kept[0],))
            connection.execute("DELETE FROM undo_entry WHERE id < ?", (oldest_kept[0],))
    else:
        connection.execute("DELETE FROM undo_entry WHERE id = ?", (entry,))


_STEP = re.compile(
    r'^(?:(DELETE FROM) "([^"]+)" WHERE rowid = (-?\d+)'
    r'|(UPDATE) "([^"]+)" SET .* WHERE rowid = (-?\d+)'
    r'|(INSERT INTO) "([^"]+)" \(rowid, .*?\) VALUES \((-?\d+),)',
    re.DOTALL,
)


def _changes(statements: list[str]) -> tuple[tuple[str, str, int], ...]:
    """What the command did, by kind of record, from the statements that revert it: each row
    counted once, as added (if it was), else removed (if it was), else changed."""
    steps = []
    for statement in statements:
        match = _STEP.match(statement)
        if match is None:
            continue
        groups = [group for group in match.groups() if group is not None]
        steps.append((VERBS[groups[0]], groups[1], groups[2]))
    return count_changes(steps)


def entries(connection: sqlite3.Connection, *, limit: int | None = None) -> list[Entry]:
    """The commands that can be undone, newest first."""
    if postgres := _postgres(connection):
        return postgres.entries(connection, limit=limit)
    rows = connection.execute(
        "SELECT id, at, command FROM undo_entry WHERE recording = 0 ORDER BY id DESC"
        + (" LIMIT ?" if limit is not None else ""),
        (limit,) if limit is not None else (),
    ).fetchall()
    found = []
    for number, at, command in rows:
        statements = [
            row[0]
            for row in connection.execute(
                "SELECT statement FROM undo_step WHERE entry_id = ? ORDER BY id", (number,)
            )
        ]
        found.append(Entry(number, at, command, _changes(statements)))
    return found


def undoable_commands(store: Any, *, limit: int | None = None) -> list[Entry]:
    """The commands that can be undone, newest first, read through a `Store` (the sqlite3
    connection of a SqliteReader, or the driver's under an OrmReader's session)."""
    return entries(driver_connection(store), limit=limit)


def driver_connection(store: Any) -> Any:
    """The database driver's connection a `Store` runs on."""
    connection = getattr(store, "connection", None)
    if connection is not None:
        return connection
    return store.session.connection().connection.driver_connection


def undo_newest(store: Any) -> Entry | None:
    """Revert the newest journaled command as a whole, through a `Store` in a writing
    transaction; None when there is none."""
    return undo_last(driver_connection(store))


def undo_last(connection: sqlite3.Connection) -> Entry | None:
    """Revert the newest journaled command as a whole; None when there is none."""
    if postgres := _postgres(connection):
        return postgres.undo_last(connection)
    newest = entries(connection, limit=1)
    if not newest:
        return None
    entry = newest[0]
    connection.execute("PRAGMA defer_foreign_keys = ON")  # until this transaction commits
    statements = connection.execute(
        "SELECT statement FROM undo_step WHERE entry_id = ? ORDER BY id DESC", (entry.number,)
    ).fetchall()
    try:
        for (statement,) in statements:
            connection.execute(statement)
        connection.execute("DELETE FROM undo_step WHERE entry_id = ?", (entry.number,))
        connection.execute("DELETE FROM undo_entry WHERE id = ?", (entry.number,))
    except sqlite3.IntegrityError as error:
        # only a change made outside rel since can get in the way; the caller rolls back
        raise StoreError(
            f"cannot undo {entry.command}: the store was changed outside rel since ({error}); "
            "nothing was undone"
        ) from error
    return entry
