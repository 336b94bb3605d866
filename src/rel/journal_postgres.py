"""The undo journal on PostgreSQL: `rel.journal`'s tables, entries and replay, with the
triggers in PL/pgSQL.

One trigger function serves every table of the record. It reads the row as JSON
(`to_jsonb`), so it names no column and needs no rebuilding when a table gains one, and
writes the statement that puts the row back:

- a row added: `DELETE FROM t WHERE <its primary key>`;
- a row removed: `INSERT INTO t SELECT * FROM jsonb_populate_record(NULL::t, <old row>)`,
  which restores every column with its own type;
- a row changed: `UPDATE t SET (<columns>) = (SELECT <columns> FROM
  jsonb_populate_record(...))` of the old row, unless only derived columns changed.

The open entry is named by a setting local to the transaction (`rel.undo_entry`), so two
commands writing at once on two machines each journal their own changes.

The triggers run AFTER each row, so a cascade (a contact's interactions going with it) is
journaled before the row that caused it; replayed newest first, every statement then finds
the rows it points at, even with foreign keys checked at once (PostgreSQL's are not
deferrable unless declared so; they are deferred where they are).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rel.errors import StoreError
from rel.journal import DEPTH, DERIVED_COLUMNS, JOURNALED, Entry, count_changes

SETTING = "rel.undo_entry"

UNDO_TABLES = (
    "CREATE TABLE IF NOT EXISTS undo_entry ("
    " id BIGSERIAL PRIMARY KEY, command TEXT NOT NULL, at TEXT NOT NULL,"
    " recording INTEGER NOT NULL DEFAULT 1)",
    "CREATE TABLE IF NOT EXISTS undo_step ("
    " id BIGSERIAL PRIMARY KEY,"
    " entry_id BIGINT NOT NULL REFERENCES undo_entry (id) ON DELETE CASCADE,"
    " statement TEXT NOT NULL,"
    " verb TEXT NOT NULL,"  # what the command did to the row: added, changed, removed
    " target TEXT NOT NULL,"  # the table
    " row_key TEXT NOT NULL)",  # the row, by its primary key
    "CREATE INDEX IF NOT EXISTS ix_undo_step_entry ON undo_step (entry_id)",
)

_WITHOUT_DERIVED = "".join(f" - '{column}'" for column in sorted(DERIVED_COLUMNS))

FUNCTIONS = (
    # the row by its primary key, as a condition: "id" = '12' AND ...
    "CREATE OR REPLACE FUNCTION rel_undo_key(keys text[], r jsonb) RETURNS text"
    " LANGUAGE sql IMMUTABLE AS $$"
    " SELECT string_agg(format('%I = %L', k, r ->> k), ' AND ' ORDER BY k) FROM unnest(keys) AS k"
    " $$",
    f"""CREATE OR REPLACE FUNCTION rel_undo_step() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  entry text := current_setting('{SETTING}', true);
  old_row jsonb;
  new_row jsonb;
  row_key text;
  statement text;
  verb text;
  columns text;
BEGIN
  IF entry IS NULL OR entry = '' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    new_row := to_jsonb(NEW);
    row_key := rel_undo_key(TG_ARGV, new_row);
    statement := format('DELETE FROM %I WHERE %s', TG_TABLE_NAME, row_key);
    verb := 'added';
  ELSIF TG_OP = 'DELETE' THEN
    old_row := to_jsonb(OLD);
    row_key := rel_undo_key(TG_ARGV, old_row);
    statement := format('INSERT INTO %I SELECT * FROM jsonb_populate_record(NULL::%I, %L)',
                        TG_TABLE_NAME, TG_TABLE_NAME, old_row);
    verb := 'removed';
  ELSE
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    IF old_row{_WITHOUT_DERIVED} = new_row{_WITHOUT_DERIVED} THEN
      RETURN NULL;  -- only what the store derives changed: undoing its cause puts it back
    END IF;
    row_key := rel_undo_key(TG_ARGV, new_row);
    SELECT string_agg(format('%I', k), ', ') INTO columns FROM jsonb_object_keys(old_row) AS k;
    statement := format(
      'UPDATE %I SET (%s) = (SELECT %s FROM jsonb_populate_record(NULL::%I, %L)) WHERE %s',
      TG_TABLE_NAME, columns, columns, TG_TABLE_NAME, old_row, row_key);
    verb := 'changed';
  END IF;
  INSERT INTO undo_step (entry_id, statement, verb, target, row_key)
  VALUES (entry::bigint, statement, verb, TG_TABLE_NAME, row_key);
  RETURN NULL;
END
$$""",
)

_PRIMARY_KEY = (
    "SELECT a.attname FROM pg_index AS i"
    " JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
    " WHERE i.indrelid = to_regclass(%s) AND i.indisprimary ORDER BY a.attnum"
)


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def install_journal(connection: Any) -> None:
    """Create the journal's tables, its trigger functions and (again) a trigger on every
    table of the record, in the connection's transaction; the journal is emptied.

    Run when the rel schema is created on PostgreSQL and after every schema upgrade, as
    `rel.journal.install` is on SQLite. `connection` is a psycopg connection (the driver
    connection of an SQLAlchemy one)."""
    for statement in (*UNDO_TABLES, *FUNCTIONS):
        connection.execute(statement)
    connection.execute("DELETE FROM undo_step")
    connection.execute("DELETE FROM undo_entry")
    for table in JOURNALED:
        keys = [row[0] for row in connection.execute(_PRIMARY_KEY, (table,))]
        if not keys:
            continue  # an older schema without this table: the upgrade will bring it
        trigger = _name(f"undo_{table}")
        connection.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {_name(table)}")
        connection.execute(
            f"CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE ON {_name(table)}"
            " FOR EACH ROW EXECUTE FUNCTION rel_undo_step"
            f"({', '.join(_literal(key) for key in keys)})"
        )


def open_entry(connection: Any, command: str, at: datetime) -> int:
    """Start journaling the current transaction's changes as one undoable command."""
    row = connection.execute(
        "INSERT INTO undo_entry (command, at, recording) VALUES (%s, %s, 1) RETURNING id",
        (command, at.isoformat(timespec="seconds")),
    ).fetchone()
    entry = int(row[0])
    connection.execute("SELECT set_config(%s, %s, true)", (SETTING, str(entry)))
    return entry


def close_entry(connection: Any, entry: int) -> None:
    """Stop journaling; forget the entry if the command changed nothing; keep the last DEPTH."""
    connection.execute("SELECT set_config(%s, '', true)", (SETTING,))
    connection.execute("UPDATE undo_entry SET recording = 0 WHERE id = %s", (entry,))
    changed = connection.execute("SELECT 1 FROM undo_step WHERE entry_id = %s LIMIT 1", (entry,))
    if changed.fetchone():
        oldest_kept = connection.execute(
            "SELECT id FROM undo_entry WHERE recording = 0 ORDER BY id DESC LIMIT 1 OFFSET %s",
            (DEPTH - 1,),
        ).fetchone()
        if oldest_kept is not None:
            connection.execute(
                "DELETE FROM undo_entry WHERE id < %s AND recording = 0", (oldest_kept[0],)
            )  # their steps go with them (ON DELETE CASCADE)
    else:
        connection.execute("DELETE FROM undo_entry WHERE id = %s", (entry,))


def entries(connection: Any, *, limit: int | None = None) -> list[Entry]:
    """The commands that can be undone, newest first."""
    rows = connection.execute(
        "SELECT id, at, command FROM undo_entry WHERE recording = 0 ORDER BY id DESC"
        + (" LIMIT %s" if limit is not None else ""),
        (limit,) if limit is not None else (),
    ).fetchall()
    found = []
    for number, at, command in rows:
        steps = connection.execute(
            "SELECT verb, target, row_key FROM undo_step WHERE entry_id = %s ORDER BY id",
            (number,),
        ).fetchall()
        found.append(Entry(int(number), at, command, count_changes(steps)))
    return found


def undo_last(connection: Any) -> Entry | None:
    """Revert the newest journaled command as a whole; None when there is none.

    Two undos at once take turns (an advisory lock for the transaction), so the second
    reverts the command before the one the first reverted, not the same one again."""
    import psycopg

    connection.execute("SELECT pg_advisory_xact_lock(hashtext('rel undo'))")
    newest = entries(connection, limit=1)
    if not newest:
        return None
    entry = newest[0]
    connection.execute("SET CONSTRAINTS ALL DEFERRED")  # those declared deferrable
    statements = connection.execute(
        "SELECT statement FROM undo_step WHERE entry_id = %s ORDER BY id DESC", (entry.number,)
    ).fetchall()
    try:
        for (statement,) in statements:
            connection.execute(statement)
        connection.execute("DELETE FROM undo_entry WHERE id = %s", (entry.number,))
    except psycopg.errors.IntegrityError as error:
        # only a change made outside rel since can get in the way; the caller rolls back
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise StoreError(
            f"cannot undo {entry.command}: the store was changed outside rel since ({detail}); "
            "nothing was undone"
        ) from error
    return entry
