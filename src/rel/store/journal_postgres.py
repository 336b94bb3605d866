"""The undo journal on PostgreSQL: `rel.store.journal`'s tables, entries and replay, with the
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
commands writing at once on two machines each journal their own changes; entries are
numbered again as they close, and `rel undo` reverts the command that finished last.

Undoing replays the statements newest first with foreign keys checked at commit, as on
SQLite: a cascade is journaled after the row that caused it (a contact, then their handles),
so a removed contact's handles come back before the contact does. The journal makes the
foreign keys of the record's tables deferrable for that (every other statement still has
them checked at once). The replay then computes `last_seen` again for the contacts whose
interactions it touched, whatever order their rows came back in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rel.errors import StoreError
from rel.store.journal_entries import DEPTH, DERIVED_COLUMNS, JOURNALED, Entry, count_changes

SETTING = "rel.undo_entry"

UNDO_TABLES = (
    "CREATE TABLE IF NOT EXISTS undo_entry ("
    " id BIGSERIAL PRIMARY KEY, command TEXT NOT NULL, at TEXT NOT NULL,"
    " recording INTEGER NOT NULL DEFAULT 1,"
    " closed BIGINT)",  # the order commands finished in, which the undo follows
    "CREATE SEQUENCE IF NOT EXISTS undo_entry_closed",
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

_FOREIGN_KEYS = (
    "SELECT conname FROM pg_constraint"
    " WHERE contype = 'f' AND NOT condeferrable AND conrelid = to_regclass(%s)"
)

# the last interaction's day again, for the contacts a replay touched (engine.DERIVED_TRIGGERS)
_LAST_SEEN = r"""UPDATE contact AS c SET last_seen = seen.day
FROM (
  SELECT touched.id, (SELECT max(i."on") FROM interaction AS i
                      JOIN participant AS p ON p.interaction_id = i.id
                      WHERE p.contact_id = touched.id) AS day
  FROM (
    SELECT (regexp_match(row_key, 'contact_id = ''(\d+)'''))[1]::integer AS id
    FROM undo_step WHERE entry_id = %(entry)s AND target = 'participant'
    UNION
    SELECT p.contact_id FROM participant AS p WHERE p.interaction_id IN (
      SELECT (regexp_match(row_key, '^id = ''(\d+)'''))[1]::integer
      FROM undo_step WHERE entry_id = %(entry)s AND target = 'interaction')
  ) AS touched
) AS seen
WHERE c.id = seen.id AND c.last_seen IS DISTINCT FROM seen.day"""

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
    `rel.store.journal.install` is on SQLite. `connection` is a psycopg connection (the driver
    connection of an SQLAlchemy one)."""
    for statement in (*UNDO_TABLES, *FUNCTIONS):
        connection.execute(statement)
    connection.execute("DELETE FROM undo_step")
    connection.execute("DELETE FROM undo_entry")
    for table in JOURNALED:
        keys = [row[0] for row in connection.execute(_PRIMARY_KEY, (table,))]
        if not keys:
            continue  # an older schema without this table: the upgrade will bring it
        for (constraint,) in connection.execute(_FOREIGN_KEYS, (table,)).fetchall():
            connection.execute(
                f"ALTER TABLE {_name(table)} ALTER CONSTRAINT {_name(constraint)}"
                " DEFERRABLE INITIALLY IMMEDIATE"
            )
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
    connection.execute(
        "UPDATE undo_entry SET recording = 0, closed = nextval('undo_entry_closed') WHERE id = %s",
        (entry,),
    )
    changed = connection.execute("SELECT 1 FROM undo_step WHERE entry_id = %s LIMIT 1", (entry,))
    if changed.fetchone():
        oldest_kept = connection.execute(
            "SELECT closed FROM undo_entry WHERE recording = 0"
            " ORDER BY closed DESC LIMIT 1 OFFSET %s",
            (DEPTH - 1,),
        ).fetchone()
        if oldest_kept is not None:
            connection.execute(
                "DELETE FROM undo_entry WHERE closed < %s", (oldest_kept[0],)
            )  # their steps go with them (ON DELETE CASCADE)
    else:
        connection.execute("DELETE FROM undo_entry WHERE id = %s", (entry,))


def entries(connection: Any, *, limit: int | None = None) -> list[Entry]:
    """The commands that can be undone, newest first."""
    rows = connection.execute(
        "SELECT id, at, command FROM undo_entry WHERE recording = 0 ORDER BY closed DESC"
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
    connection.execute("SET CONSTRAINTS ALL DEFERRED")  # until this transaction commits
    statements = connection.execute(
        "SELECT statement FROM undo_step WHERE entry_id = %s ORDER BY id DESC", (entry.number,)
    ).fetchall()
    try:
        for (statement,) in statements:
            connection.execute(statement)
        connection.execute(_LAST_SEEN, {"entry": entry.number})
        connection.execute("DELETE FROM undo_entry WHERE id = %s", (entry.number,))
        connection.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checked here, to say what failed
    except psycopg.errors.IntegrityError as error:
        # only a change made outside rel since can get in the way; the caller rolls back
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise StoreError(
            f"cannot undo {entry.command}: the store was changed outside rel since ({detail}); "
            "nothing was undone"
        ) from error
    return entry
