"""The store: one lazily created engine per command, SQLite pragmas, migrations, errors.

A store is created whole or not at all: a new SQLite file is built beside its final name and
renamed into place. The schema is versioned by named migrations recorded in `rel_migration`;
a new store is created at the newest schema and stamped with every name, an older store is
backed up and upgraded step by step, and a store that names a migration this version does not
know (written by a newer rel) or that has no `rel_migration` table (not a rel store) is refused
and left untouched.

A PostgreSQL store (a `postgresql://` URL) follows the same rules: an empty database is given
the newest schema by the first command that writes (in one transaction, so it is made whole or
not at all), a database holding other tables is refused untouched, and the schema is created
or upgraded under an advisory lock, so two rel starting at once do not race.

The daily commands open an up-to-date store without SQLAlchemy (`reader_transaction`):
sqlite3 on an SQLite file, psycopg on a PostgreSQL database, with the statements of
rel.store.queries compiled ahead for each.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rel.errors import StoreError
from rel.paths import StoreLocation

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


# Ordered, named schema changes. A new store is created at the newest schema (from the models)
# and stamped with every name; an existing store runs the steps it has not had, in order.
# "0001_initial" is the baseline: the first released schema, so it has no step of its own.
def _create_tables(*names: str) -> Callable[[Connection], None]:
    """A step that creates these tables as the models define them.

    A later change to one of these tables must be a migration of its own that checks what this
    step made (or this step must then spell out the tables' first version).
    """

    def step(connection: Connection) -> None:
        from sqlmodel import SQLModel

        import rel.store.models  # noqa: F401  (registers the tables)

        tables = [SQLModel.metadata.tables[name] for name in names]
        SQLModel.metadata.create_all(connection, tables=tables)

    return step


def _soft_part(cadence: str) -> str:
    """SQL for the first duration of a stored cadence (`3w` of `3w-6w`): it alone sets
    `cadence_days`."""
    return (
        f"CASE WHEN instr({cadence}, '-') > 0"
        f" THEN substr({cadence}, 1, instr({cadence}, '-') - 1) ELSE {cadence} END"
    )


def _cadence_days_unknown(table: str) -> str:
    """A cadence changed with its `cadence_days` left as it was: not known any more (NULL),
    unless only the part after the dash changed (3w-6w to 3w-8w), which leaves it right."""
    return (
        f"CREATE TRIGGER IF NOT EXISTS cadence_days_unknown_after_{table}_update"
        f" AFTER UPDATE OF cadence ON {table}"
        " WHEN NEW.cadence_days IS OLD.cadence_days AND NEW.cadence_days IS NOT NULL"
        f" AND {_soft_part('NEW.cadence')} IS NOT {_soft_part('OLD.cadence')} BEGIN"
        f" UPDATE {table} SET cadence_days = NULL WHERE id = NEW.id; END"
    )


# The agenda's derived columns (see rel.store.models). `contact.last_seen` is kept by the store
# itself: these triggers recompute it (on the participant index, a handful of rows) whenever a
# participant comes or goes or an interaction changes day, whoever writes: the ORM, the
# compiled sqlite3 path, an import, or a person with the sqlite3 shell. `cadence_days` is set by
# every write of a cadence (rel.domain.dates.cadence_days, which needs Python); a cadence changed by
# anything else leaves it NULL (not known), so that contact is always looked at rather than
# wrongly left out.
_LAST_SEEN_OF = (
    'SELECT max(i."on") FROM interaction AS i JOIN participant AS p'
    " ON p.interaction_id = i.id WHERE p.contact_id = {who}"
)
_DAY_OF_NEW = 'SELECT i."on" FROM interaction AS i WHERE i.id = NEW.interaction_id'
DERIVED_TRIGGERS = (
    # one more interaction: the later of the two days (a contact's whole history is read
    # only when one goes away or changes day)
    "CREATE TRIGGER IF NOT EXISTS last_seen_after_participant_insert"
    " AFTER INSERT ON participant BEGIN"
    f" UPDATE contact SET last_seen = ({_DAY_OF_NEW})"
    f" WHERE id = NEW.contact_id AND ({_DAY_OF_NEW}) > coalesce(last_seen, ''); END",
    "CREATE TRIGGER IF NOT EXISTS last_seen_after_participant_delete"
    " AFTER DELETE ON participant BEGIN"
    f" UPDATE contact SET last_seen = ({_LAST_SEEN_OF.format(who='OLD.contact_id')})"
    " WHERE id = OLD.contact_id; END",
    "CREATE TRIGGER IF NOT EXISTS last_seen_after_participant_update"
    " AFTER UPDATE ON participant BEGIN"
    f" UPDATE contact SET last_seen = ({_LAST_SEEN_OF.format(who='contact.id')})"
    " WHERE id IN (OLD.contact_id, NEW.contact_id); END",
    "CREATE TRIGGER IF NOT EXISTS last_seen_after_interaction_update"
    ' AFTER UPDATE OF "on" ON interaction BEGIN'
    f" UPDATE contact SET last_seen = ({_LAST_SEEN_OF.format(who='contact.id')})"
    " WHERE id IN (SELECT contact_id FROM participant WHERE interaction_id = NEW.id); END",
    # a contact or an interaction put back after its participants (`rel undo` replays a
    # command backwards, with foreign keys checked at the end)
    "CREATE TRIGGER IF NOT EXISTS last_seen_after_interaction_insert"
    " AFTER INSERT ON interaction"
    " WHEN EXISTS (SELECT 1 FROM participant WHERE interaction_id = NEW.id) BEGIN"
    f" UPDATE contact SET last_seen = ({_LAST_SEEN_OF.format(who='contact.id')})"
    " WHERE id IN (SELECT contact_id FROM participant WHERE interaction_id = NEW.id); END",
    "CREATE TRIGGER IF NOT EXISTS last_seen_after_contact_insert AFTER INSERT ON contact"
    f" WHEN NEW.last_seen IS NOT ({_LAST_SEEN_OF.format(who='NEW.id')}) BEGIN"
    f" UPDATE contact SET last_seen = ({_LAST_SEEN_OF.format(who='NEW.id')})"
    " WHERE id = NEW.id; END",
    *(_cadence_days_unknown(table) for table in ("contact", "tag")),
)


# The same derived columns on PostgreSQL, by PL/pgSQL triggers. Two commands logging with one
# contact at once must not leave the older day: the contact's row is locked first, and in READ
# COMMITTED each statement of a function sees what was committed before it began, so the
# recount that follows the lock sees the other command's interaction.
POSTGRESQL_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION rel_keep_last_seen(who integer) RETURNS void AS $$"
    " BEGIN"
    " PERFORM 1 FROM contact WHERE id = who FOR NO KEY UPDATE;"
    f" UPDATE contact SET last_seen = ({_LAST_SEEN_OF.format(who='who')})"
    " WHERE id = who AND last_seen IS DISTINCT FROM"
    f" ({_LAST_SEEN_OF.format(who='who')});"
    " END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION rel_last_seen_of_participant() RETURNS trigger AS $$"
    " BEGIN"
    " IF TG_OP IN ('DELETE', 'UPDATE') THEN PERFORM rel_keep_last_seen(OLD.contact_id); END IF;"
    " IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM rel_keep_last_seen(NEW.contact_id); END IF;"
    " RETURN NULL;"
    " END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION rel_last_seen_of_interaction() RETURNS trigger AS $$"
    " DECLARE who integer;"
    " BEGIN"
    " FOR who IN SELECT contact_id FROM participant WHERE interaction_id = NEW.id"
    " ORDER BY contact_id LOOP PERFORM rel_keep_last_seen(who); END LOOP;"
    " RETURN NULL;"
    " END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION rel_cadence_days_unknown() RETURNS trigger AS $$"
    " BEGIN"
    # as on SQLite: a new first part of the cadence (3w of 3w-6w) with the old days is unknown
    " IF split_part(NEW.cadence, '-', 1) IS DISTINCT FROM split_part(OLD.cadence, '-', 1)"
    " AND NEW.cadence_days IS NOT DISTINCT FROM OLD.cadence_days"
    " AND NEW.cadence_days IS NOT NULL"
    " THEN NEW.cadence_days := NULL; END IF;"
    " RETURN NEW;"
    " END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE TRIGGER last_seen_of_participant"
    " AFTER INSERT OR UPDATE OR DELETE ON participant"
    " FOR EACH ROW EXECUTE FUNCTION rel_last_seen_of_participant()",
    'CREATE OR REPLACE TRIGGER last_seen_of_interaction AFTER UPDATE OF "on" ON interaction'
    " FOR EACH ROW EXECUTE FUNCTION rel_last_seen_of_interaction()",
    *(
        f"CREATE OR REPLACE TRIGGER cadence_days_unknown BEFORE UPDATE OF cadence ON {table}"
        " FOR EACH ROW EXECUTE FUNCTION rel_cadence_days_unknown()"
        for table in ("contact", "tag")
    ),
)


def _add_agenda_columns(connection: Connection) -> None:
    """Migration 0003: the agenda's derived columns, filled in, and the triggers."""
    from sqlalchemy import inspect, text

    from rel.domain.dates import cadence_days

    for table, column, kind in (
        ("contact", "last_seen", "DATE"),
        ("contact", "cadence_days", "INTEGER"),
        ("tag", "cadence_days", "INTEGER"),
    ):
        columns = {found["name"] for found in inspect(connection).get_columns(table)}
        if column not in columns:
            connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    connection.execute(
        text(f"UPDATE contact SET last_seen = ({_LAST_SEEN_OF.format(who='contact.id')})")
    )
    for table in ("contact", "tag"):
        cadences = connection.execute(
            text(f"SELECT DISTINCT cadence FROM {table} WHERE cadence IS NOT NULL")
        ).scalars()
        for cadence in list(cadences):
            connection.execute(
                text(f"UPDATE {table} SET cadence_days = :days WHERE cadence = :cadence"),
                {"days": cadence_days(cadence), "cadence": cadence},
            )
    _create_triggers(connection)


def _write_cadence_days(connection: Connection, *, where: str = "TRUE") -> None:
    """`cadence_days` of the contacts and tags with a cadence (and `where`), as rel writes it."""
    from sqlalchemy import text

    from rel.domain.dates import cadence_days

    for table in ("contact", "tag"):
        cadences = connection.execute(
            text(f"SELECT DISTINCT cadence FROM {table} WHERE cadence IS NOT NULL AND {where}")
        ).scalars()
        for cadence in list(cadences):
            connection.execute(
                text(
                    f"UPDATE {table} SET cadence_days = :days WHERE cadence = :cadence AND {where}"
                ),
                {"days": cadence_days(cadence), "cadence": cadence},
            )


def _agenda_indexes(connection: Connection) -> None:
    """Migration 0012: the indexes the agenda finds who can be due through
    (rel.store.models.AGENDA_INDEXES), and `cadence_days` counting a month as the calendar
    allows (3 months: 89 days, not 84), so fewer contacts are looked at who are not due."""
    from sqlalchemy.schema import CreateIndex

    from rel.store.models import AGENDA_INDEXES

    _write_cadence_days(connection)
    for index in AGENDA_INDEXES:
        connection.execute(CreateIndex(index, if_not_exists=True))


def _fill_cadence_days(connection: Connection) -> None:
    """Migration 0007: `cadence_days` where an import left it unknown (it wrote cadences
    without it before), the trigger that keeps it when only a range's end changes, those that
    keep `last_seen` when a contact or an interaction comes back after its participants, and
    one that reads one day, not a contact's whole history, when an interaction is added."""
    from sqlalchemy import text

    _write_cadence_days(connection, where="cadence_days IS NULL")
    for table in ("contact", "tag"):
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(
                f"DROP TRIGGER IF EXISTS cadence_days_unknown_after_{table}_update"
            )
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS last_seen_after_participant_insert")
    if connection.dialect.name == "sqlite":  # what an undo may have left behind
        connection.execute(
            text(f"UPDATE contact SET last_seen = ({_LAST_SEEN_OF.format(who='contact.id')})")
        )
    _create_triggers(connection)


def _add_catch_up_skipped(connection: Connection) -> None:
    """Migration 0005: the day a skipped catch-up counts from (`rel skip c12`)."""
    from sqlalchemy import inspect

    columns = {found["name"] for found in inspect(connection).get_columns("contact")}
    if "catch_up_skipped" not in columns:
        connection.exec_driver_sql("ALTER TABLE contact ADD COLUMN catch_up_skipped DATE")


UID_TABLES = ("contact", "touchpoint", "life_event", "gift")


def _add_uids(connection: Connection) -> None:
    """Migration 0009: a persisted UID on every contact, touchpoint, life event and gift (new
    random ones for the records there are: their old vCard and calendar UIDs were made of row
    ids, which a restore shifts), unique per table; and the TYPE of a handle (`label`)."""
    from sqlalchemy import inspect, text

    from rel.domain.identity import new_uid

    for table in (*UID_TABLES, "handle"):
        column = "label" if table == "handle" else "uid"
        columns = {found["name"] for found in inspect(connection).get_columns(table)}
        if column not in columns:
            connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} VARCHAR")
    for table in UID_TABLES:
        ids = connection.execute(text(f"SELECT id FROM {table} WHERE uid IS NULL")).scalars()
        rows = [{"id": number, "uid": new_uid()} for number in ids]
        if rows:
            connection.execute(text(f"UPDATE {table} SET uid = :uid WHERE id = :id"), rows)
        connection.exec_driver_sql(
            f"CREATE UNIQUE INDEX IF NOT EXISTS ix_{table}_uid ON {table} (uid)"
        )


_ANNIVERSARY_LINE = r"^Anniversary: (--\d{2}-\d{2}|\d{4}-\d{2}-\d{2})$"


def _anniversaries_as_events(connection: Connection) -> None:
    """Migration 0010: an anniversary an import kept as a line `Anniversary: 2011-01-13` (or
    `--06-20`) in a contact's notes becomes what `rel event WHO wedding --on DAY` makes: a
    wedding life event (a year-less one dated in NO_YEAR) with its yearly "anniversary"
    touchpoint, and the line leaves the notes. A yearly anniversary touchpoint the contact
    has without an event (`rel import ics` made those) is attached to the event instead of a
    second one being made; an event the contact has on that month and day is kept as it is."""
    import re
    from datetime import date, timedelta

    from sqlalchemy import text

    from rel.domain.dates import parse_birthday, parse_rule, yearly_date
    from rel.domain.identity import new_uid
    from rel.domain.vocabulary import ANNIVERSARY_KINDS
    from rel.errors import BadValue

    def day_of(value: Any) -> date:
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])

    now = _utcnow()
    today = now.date()
    line = re.compile(_ANNIVERSARY_LINE, re.MULTILINE)
    kinds = ", ".join(f"'{kind}'" for kind in ANNIVERSARY_KINDS)
    contacts = connection.execute(
        text("SELECT id, notes FROM contact WHERE notes LIKE '%Anniversary: %' ORDER BY id")
    ).all()
    for contact_id, notes in contacts:
        found = line.findall(notes)
        if not found:
            continue
        known = {
            (day.month, day.day)
            for (on,) in connection.execute(
                text(f'SELECT "on" FROM life_event WHERE contact_id = :c AND kind IN ({kinds})'),
                {"c": contact_id},
            )
            for day in [day_of(on)]
        }
        for value in found:
            try:
                anniversary = parse_birthday(value)
            except BadValue:
                continue  # a line edited by hand into no date stays in the notes
            notes = re.sub(rf"(\n\n)?^Anniversary: {re.escape(value)}$", "", notes, count=1,
                           flags=re.MULTILINE)  # fmt: skip
            if (anniversary.month, anniversary.day) in known:
                continue
            known.add((anniversary.month, anniversary.day))
            on = yearly_date(anniversary)
            event_id = connection.execute(
                text(
                    'INSERT INTO life_event (uid, contact_id, kind, "on", text, created_at)'
                    " VALUES (:uid, :c, 'wedding', :on, NULL, :now) RETURNING id"
                ),
                {"uid": new_uid(), "c": contact_id, "on": on, "now": now},
            ).scalar_one()
            yearly = connection.execute(
                text(
                    "SELECT id, start FROM touchpoint WHERE contact_id = :c"
                    " AND kind = 'anniversary' AND event_id IS NULL AND rule LIKE 'FREQ=YEARLY%'"
                    " ORDER BY id"
                ),
                {"c": contact_id},
            ).all()
            same_day = [
                touchpoint_id
                for touchpoint_id, start in yearly
                if (day_of(start).month, day_of(start).day) == (on.month, on.day)
            ]
            if same_day:
                connection.execute(
                    text("UPDATE touchpoint SET event_id = :e WHERE id = :t"),
                    {"e": event_id, "t": same_day[0]},
                )
                continue
            every_year = parse_rule("yearly", on)
            upcoming = every_year.next_after(max(on, today - timedelta(days=1))) or on
            connection.execute(
                text(
                    "INSERT INTO touchpoint (uid, contact_id, kind, text, due, start, rule,"
                    " state, event_id, created_at) VALUES (:uid, :c, 'anniversary',"
                    " 'wedding anniversary', :due, :start, :rule, 'open', :e, :now)"
                ),
                {
                    "uid": new_uid(), "c": contact_id, "due": upcoming,
                    "start": upcoming if on.year != anniversary.year else on,
                    "rule": every_year.rrule, "e": event_id, "now": now,
                },
            )  # fmt: skip
        connection.execute(
            text("UPDATE contact SET notes = :notes WHERE id = :c"),
            {"notes": notes.strip() or None, "c": contact_id},
        )


def _create_triggers(connection: Connection) -> None:
    statements = DERIVED_TRIGGERS if connection.dialect.name == "sqlite" else POSTGRESQL_TRIGGERS
    for statement in statements:
        connection.exec_driver_sql(statement)


def _install_journal(connection: Connection) -> None:
    """The undo journal's tables and triggers (rel.store.journal), built from the tables as they
    are; run again after every upgrade, since the triggers name every column."""
    from rel.store import journal

    journal.install(connection.connection.driver_connection)  # sqlite3 or psycopg


MIGRATIONS: list[tuple[str, Callable[[Connection], None] | None]] = [
    ("0001_initial", None),
    (
        "0002_touchpoints",
        _create_tables("life_event", "touchpoint", "completion", "gift", "snooze"),
    ),
    ("0003_agenda_columns", _add_agenda_columns),
    ("0004_undo_journal", _install_journal),
    ("0005_catch_up_skipped", _add_catch_up_skipped),
    ("0006_digest_log", _create_tables("digest_log")),
    ("0007_cadence_days_everywhere", _fill_cadence_days),
    ("0008_harvest", _create_tables("harvested_item", "setting")),
    ("0009_uids", _add_uids),
    ("0010_anniversaries_as_events", _anniversaries_as_events),
    ("0011_vdir_sync", _create_tables("sync_item")),  # journaled (rel.store.sync)
    ("0012_agenda_indexes", _agenda_indexes),
]


class Store:
    """An open store: the engine is made on first use; one session is one transaction."""

    def __init__(self, location: StoreLocation, *, write: bool) -> None:
        self.location = location
        self.write = write
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = _make_engine(self.location.url, write=self.write)
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: it all lands, or none of it does."""
        from sqlalchemy.exc import DBAPIError
        from sqlmodel import Session

        try:
            with Session(self.engine, expire_on_commit=False) as session:
                try:
                    yield session
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        except DBAPIError as error:
            raise describe_store_failure(error, self.location) from error

    def close(self) -> None:
        # Closing the last connection folds the WAL back into the file and removes it.
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def open_store(location: StoreLocation, *, write: bool) -> Store:
    """The store at `location`, checked and brought up to the current schema.

    A missing SQLite file is created (0600, in a 0700 folder) only when the command writes;
    a command that only reads sees an empty store and creates nothing. The same holds for an
    empty PostgreSQL database.
    """
    if location.engine == "postgresql":
        return _open_postgresql(location, write=write)
    path = location.path
    if location.url == "sqlite://" or (path is not None and not path.exists() and not write):
        return _empty_store()
    if path is not None:
        if not path.exists():
            create_store_file(path)
        else:
            _check_store_file(path, write=write)
    store = Store(location, write=write)
    try:
        _bring_up_to_date(store)
    except BaseException:
        store.close()
        raise
    return store


def _empty_store() -> Store:
    """An empty store in memory, thrown away: what a reading command sees before the first
    write has made the store."""
    store = Store(StoreLocation("sqlite://", None), write=True)
    _create_schema(store.engine)
    return store


# pg_advisory_xact_lock's key for creating and upgrading the schema ("rel" in ASCII): one
# rel at a time does it; the others wait, then find it done.
SCHEMA_LOCK = 0x72656C


def _open_postgresql(location: StoreLocation, *, write: bool) -> Store:
    from sqlalchemy import inspect
    from sqlalchemy.exc import DBAPIError

    store = Store(location, write=write)
    try:
        try:
            with store.engine.connect() as connection:
                tables = inspect(connection).get_table_names()
        except DBAPIError as error:
            raise describe_store_failure(error, location) from error
        if tables:
            _bring_up_to_date(store)
            return store
        if not write:
            store.close()
            return _empty_store()
        _initialise_postgresql(store)
    except BaseException:
        store.close()
        raise
    return store


def _initialise_postgresql(store: Store) -> None:
    """The newest schema, stamped with every migration, in one transaction under the schema
    lock; a database that another rel initialised meanwhile is left as it is."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import DBAPIError

    try:
        with store.engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
            tables = inspect(connection).get_table_names()
            if "rel_migration" in tables:
                return
            if tables:
                raise _not_a_rel_store(store.location)
            create_schema(connection)
    except DBAPIError as error:
        raise describe_store_failure(error, store.location) from error
    _bring_up_to_date(store)


def _not_a_rel_store(location: StoreLocation) -> StoreError:
    return StoreError(
        f"{location} is a database but not a rel store (it has no "
        "rel_migration table); it was left untouched: point --db or REL_DB elsewhere"
    )


def _make_engine(url: str, *, write: bool) -> Engine:
    from sqlalchemy import event
    from sqlmodel import create_engine

    # hide_parameters: an error (even with --debug) must never print the notes being written
    if url.startswith("postgresql"):
        # one command, one connection (two at most); UTC, as rel stores its times; a reader
        # sees one snapshot, a writer the rows committed before each statement
        return create_engine(
            url,
            hide_parameters=True,
            pool_size=1,
            max_overflow=1,
            isolation_level="READ COMMITTED" if write else "REPEATABLE READ",
            connect_args={"connect_timeout": 5, "options": "-c timezone=UTC"},
        )
    from sqlalchemy.pool import NullPool, StaticPool

    memory = url == "sqlite://"
    engine = create_engine(
        url,
        hide_parameters=True,
        poolclass=StaticPool if memory else NullPool,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Manage transactions ourselves so a writing command takes the write lock up front
        # (BEGIN IMMEDIATE) instead of failing on a lock upgrade halfway through.
        dbapi_connection.isolation_level = None
        configure_connection(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write and not memory else "BEGIN")

    return engine


def configure_connection(connection: sqlite3.Connection) -> None:
    """Pragmas every connection gets: foreign keys enforced, wait for a busy store."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.close()


def create_store_file(path: Path, fill: Callable[[Engine], None] | None = None) -> None:
    """Build a new store beside `path`, then rename it into place: whole or not at all.

    `fill` writes into the new store before it takes its name (rel store copy, a snapshot of
    a PostgreSQL store); a file that appeared at `path` meanwhile is then an error."""
    try:
        from rel.files import make_private_dirs

        make_private_dirs(path.parent)
        staging = path.with_name(f".{path.name}.new-{os.getpid()}")
        staging.unlink(missing_ok=True)
        fd = os.open(staging, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as error:
        raise StoreError(
            f"cannot create the store {path}: {error.strerror}; "
            "choose another place with --db or REL_DB"
        ) from error
    try:
        with sqlite3.connect(staging) as connection:
            connection.execute("PRAGMA journal_mode = WAL")
        connection.close()
        engine = _make_engine(f"sqlite:///{staging}", write=True)
        try:
            _create_schema(engine)
            if fill is not None:
                fill(engine)
        finally:
            engine.dispose()
        taken = StoreError(f"{path} appeared meanwhile; it was left untouched")
        try:
            # link, not rename: if another rel made the store meanwhile, keep theirs
            os.link(staging, path)
        except FileExistsError:
            if fill is not None:
                raise taken from None
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(staging, path)
            elif fill is not None:
                raise taken from None
        staging.unlink(missing_ok=True)
    except BaseException:
        for leftover in (staging, Path(f"{staging}-wal"), Path(f"{staging}-shm")):
            leftover.unlink(missing_ok=True)
        raise


def _check_store_file(path: Path, *, write: bool) -> None:
    """Refuse, before SQLite writes to it, a file that cannot be a usable store.

    Everything here reads: the file's kind, its header, its size against the size the header
    gives, and a read-only SQLite open (`mode=ro`). A hot journal beside it is rolled back on
    a copy first, so a file whose roll-back would empty it (a copy killed before it finished)
    is refused as it is. Only a file that passes is opened for writing, so "it was left
    untouched" is always true.
    """
    import stat

    try:
        info = os.stat(path)
    except OSError as error:
        raise StoreError(
            f"cannot read the store {path}: {error.strerror}; check its permissions"
        ) from error
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(
            f"the store {path} is a folder, not a file; point --db or REL_DB at a file"
        )
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(
            f"the store {path} is not a regular file (a device, FIFO or socket); "
            "point --db or REL_DB at a file"
        )
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise StoreError(
            f"cannot read the store {path}: {error.strerror}; check its permissions"
        ) from error
    untouched = "it was left untouched: move it aside or restore it from a backup"
    if not header.startswith(SQLITE_HEADER):
        what = "is empty" if not header else "is not an SQLite database"
        raise StoreError(
            f"the store {path} {what}, so it is not a rel store (damaged?); {untouched}"
        )
    if _cut_short(path, header, info.st_size):
        expected = _size_in_header(header)
        raise StoreError(
            f"the store {path} is cut short ({info.st_size:,} of the {expected:,} bytes its "
            f"header gives: an interrupted copy?); {untouched}"
        )
    journal = path.with_name(path.name + "-journal")
    if _is_hot_journal(journal):
        problem = _inspect_copy(path, journal)
        if problem is not None:
            raise StoreError(
                f"the store {path} has an unfinished write ({journal.name}) and, once undone, "
                f"{problem} (a copy that never finished?); both were left untouched: move "
                "them aside or restore the store from a backup"
            )
    else:
        problem = _read_only_probe(path)
        if problem is not None:
            raise StoreError(f"the store {path} cannot be read by SQLite ({problem}); {untouched}")
    if write and not os.access(path, os.W_OK):
        raise StoreError(f"the store {path} is read-only; check its permissions")
    if write and not os.access(path.parent, os.W_OK):
        raise StoreError(
            f"the folder of the store {path} is read-only (SQLite needs to write its journal "
            "there); check its permissions"
        )


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def _cut_short(path: Path, header: bytes, size: int) -> bool:
    """Whether the file is shorter than its header says, and stays so.

    Another rel folding its WAL back into the file (a checkpoint) writes the new header before
    the pages that make the file longer, and then empties the WAL: read in between, a sound
    store looks cut short for a moment. So a shortfall is looked at again, a few times, before
    it is taken for a copy that never finished."""
    import time

    wal = path.with_name(path.name + "-wal")
    for pause in (0.02, 0.05, 0.1, 0.2, 0.0):
        expected = _size_in_header(header)
        if expected is None or size >= expected or _non_empty(wal):
            return False
        if not pause:
            return True
        time.sleep(pause)
        try:
            with path.open("rb") as handle:
                header = handle.read(100)
            size = os.stat(path).st_size
        except OSError:
            return True
    return True


def _non_empty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _size_in_header(header: bytes) -> int | None:
    """The size of the database its header gives, when the header says it is valid."""
    if len(header) < 100:
        return None
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    change_counter = header[24:28]
    valid_for = header[92:96]
    if pages == 0 or change_counter != valid_for or page_size < 512:
        return None
    return pages * page_size


def _is_hot_journal(journal: Path) -> bool:
    try:
        with journal.open("rb") as handle:
            return handle.read(len(JOURNAL_MAGIC)) == JOURNAL_MAGIC
    except OSError:
        return False


def _read_only_probe(path: Path) -> str | None:
    """Why SQLite, opening `path` read-only (so nothing is written), finds it damaged, or None.

    Only damage counts: a busy or locked store, or one whose shared memory this process may not
    open, is left to the ordinary open, which waits for it or says what is wrong."""
    from urllib.parse import quote

    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as error:
        text = str(error)
        damaged = ("not a database", "malformed", "disk image", "corrupt")
        return text if any(word in text.lower() for word in damaged) else None
    finally:
        connection.close()
    return None


def _inspect_copy(path: Path, journal: Path) -> str | None:
    """What is wrong with `path` once its hot `journal` is rolled back, found on a copy of the
    two (the originals are not touched), or None when it is then a rel store."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rel-inspect-") as folder:
        copy = Path(folder) / "store.db"
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(journal, Path(f"{copy}-journal"))
        except OSError as error:
            return f"cannot be inspected ({error.strerror})"
        try:
            connection = sqlite3.connect(copy)
            try:
                found = connection.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rel_migration'"
                ).fetchone()
            finally:
                connection.close()
        except sqlite3.Error as error:
            return f"cannot be read ({error})"
        if copy.stat().st_size == 0:
            return "is empty"
        if found is None:
            return "is not a rel store"
    return None


def _create_schema(engine: Engine) -> None:
    with engine.begin() as connection:
        create_schema(connection)


def create_schema(connection: Connection) -> None:
    """The rel schema at the newest version, on an empty database of either engine, in the
    connection's transaction: the tables, the derived columns' triggers, the undo journal,
    and a stamp for every migration."""
    from sqlmodel import SQLModel

    import rel.store.models as models

    SQLModel.metadata.create_all(connection)
    _create_triggers(connection)
    _install_journal(connection)
    now = _utcnow()
    connection.execute(
        models.Migration.__table__.insert(),  # type: ignore[attr-defined]
        [{"name": name, "applied_at": now} for name, _ in MIGRATIONS],
    )


def move_sequences(connection: Connection) -> None:
    """PostgreSQL: each table's next id after its highest one, once rows were written with
    their own ids (a copy, an import into an empty store keeping the document's keys); on
    SQLite a new row takes the highest id plus one anyway."""
    if connection.dialect.name != "postgresql":
        return
    from sqlalchemy import text
    from sqlmodel import SQLModel

    quote = connection.dialect.identifier_preparer.quote
    for table in SQLModel.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].autoincrement is False or keys[0].type.python_type is not int:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": quote(table.name), "column": keys[0].name},
        ).scalar()
        if sequence is not None:
            column, name = quote(keys[0].name), quote(table.name)
            connection.execute(
                text(
                    f"SELECT setval(:sequence, coalesce((SELECT max({column}) FROM {name}), 0) + 1,"
                    " false)"
                ),
                {"sequence": sequence},
            )


def _bring_up_to_date(store: Store) -> None:
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import DBAPIError

    known = [name for name, _ in MIGRATIONS]
    try:
        with store.engine.connect() as connection:
            if not inspect(connection).has_table("rel_migration"):
                raise _not_a_rel_store(store.location)
            applied = {row[0] for row in connection.execute(text("SELECT name FROM rel_migration"))}
    except DBAPIError as error:
        raise describe_store_failure(error, store.location) from error
    unknown = sorted(applied - set(known))
    if unknown:
        raise StoreError(
            f"the store {store.location} was written by a newer version of rel (it has the "
            f"schema change {unknown[-1]}); it was left untouched: upgrade rel to use it"
        )
    missing = [(name, step) for name, step in MIGRATIONS if name not in applied]
    if missing:
        _migrate(store, missing)


def _migrate(store: Store, steps: list[tuple[str, Callable[[Connection], None] | None]]) -> None:
    from sqlalchemy import text

    if not store.write:  # even a command that only reads upgrades an old store first
        writer = Store(store.location, write=True)
        try:
            _migrate(writer, steps)
        finally:
            writer.close()
        return
    with store.engine.begin() as connection:  # BEGIN IMMEDIATE: one rel upgrades at a time
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        applied = {row[0] for row in connection.execute(text("SELECT name FROM rel_migration"))}
        to_run = [(name, step) for name, step in steps if name not in applied]
        if not to_run:
            return  # another rel upgraded it while this one waited
        if store.location.path is not None:
            backup_store(store.location.path, kind="before-upgrade")
        for name, step in to_run:
            if step is not None:
                step(connection)
            connection.execute(
                text("INSERT INTO rel_migration (name, applied_at) VALUES (:name, :at)"),
                {"name": name, "at": _utcnow()},
            )
        _install_journal(connection)  # the journal of an older schema is not replayed


def backup_name(path: Path, kind: str, when: datetime) -> Path:
    return path.with_name(f"{path.stem}.{kind}-{when:%Y%m%d-%H%M%S}{path.suffix}")


def backup_store(path: Path, target: Path | None = None, *, kind: str = "backup") -> Path:
    """A consistent copy of the SQLite store at `path`, made with SQLite's online backup API
    (safe while other commands write), private to the user (0600).

    The copy is written under a temporary name beside the target (created 0600 with O_EXCL),
    fsynced, and only then linked to its name: a backup that is listed is a whole one, and a
    backup killed halfway leaves no file that looks like one."""
    from rel.files import make_private_dirs, sync_folder

    if target is None:
        target = backup_name(path, kind, _utcnow())
        serial = 1
        while os.path.lexists(target):  # two backups in one second
            serial += 1
            target = backup_name(path, f"{kind}{serial}", _utcnow())
    if os.path.lexists(target):
        raise StoreError(f"{target} exists already; choose another name")
    staging = target.with_name(f".{target.name}.tmp-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        make_private_dirs(target.parent)
        fd = os.open(staging, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as error:
        raise StoreError(f"cannot write the backup {target}: {error.strerror}") from error
    try:
        source = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            destination = sqlite3.connect(staging)
            try:
                with destination:
                    source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
        fd = os.open(staging, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(staging, target)  # never replaces: a file that appeared meanwhile stays
        except FileExistsError:
            raise StoreError(f"{target} exists already; choose another name") from None
        except OSError:  # a file system without hard links
            if os.path.lexists(target):
                raise StoreError(f"{target} exists already; choose another name") from None
            os.replace(staging, target)
        sync_folder(target.parent)
    except sqlite3.Error as error:
        raise StoreError(f"cannot back up the store {path}: {error}") from error
    except OSError as error:
        raise StoreError(f"cannot write the backup {target}: {error.strerror}") from error
    finally:
        for leftover in (staging, *(Path(f"{staging}{s}") for s in ("-journal", "-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
    return target


def list_backups(path: Path) -> list[Path]:
    """The backups next to the store, oldest first."""
    found = [
        candidate
        for candidate in path.parent.glob(f"{path.stem}.*{path.suffix}")
        if candidate.name.startswith((f"{path.stem}.backup", f"{path.stem}.before-upgrade"))
    ]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def describe_store_failure(error: Exception, location: StoreLocation) -> StoreError:
    """One line naming the store and what to do, for a failure the database driver reported."""
    detail = str(getattr(error, "orig", error)).strip()
    if location.engine == "postgresql":
        return _describe_postgresql_failure(detail, location)
    lowered = detail.lower()
    if "locked" in lowered or "busy" in lowered:
        advice = "another rel is using it; try again in a moment"
    elif "readonly" in lowered or "read-only" in lowered:
        advice = "it is read-only; check the permissions of the file and its folder"
    elif "disk is full" in lowered or "full" in lowered:
        advice = "the disk is full; free some space and try again (nothing was written)"
    elif "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        advice = "it is damaged; restore it from a backup"
    elif "no such table" in lowered or "no such column" in lowered:
        advice = "its tables are not what rel expects; restore it from a backup"
    else:
        advice = "nothing was written"
    return StoreError(f"cannot use the store {location}: {detail} ({advice})")


def _describe_postgresql_failure(detail: str, location: StoreLocation) -> StoreError:
    """One line naming the server and the database, never the password."""
    import re
    from urllib.parse import unquote, urlsplit

    from rel.paths import masked

    password = urlsplit(location.url).password
    lines = [line.strip() for line in masked(detail).splitlines() if line.strip()]
    if password:
        lines = [line.replace(password, "***").replace(unquote(password), "***") for line in lines]
    first = lines[0] if lines else "no answer"
    first = first.removeprefix("connection failed: ")
    lowered = " ".join(lines).lower()
    where = location.server
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return StoreError(
            f"the PostgreSQL server refused the password for {where} (wrong or missing): put "
            "it in ~/.pgpass or PGPASSWORD, or in the URL; nothing was written"
        )
    if re.search(r'database "[^"]*" does not exist', lowered):
        return StoreError(
            f"there is no {where} (create it first, e.g. createdb); nothing was written"
        )
    if any(
        word in lowered
        for word in (
            "connection refused",
            "could not connect",
            "timeout expired",
            "failed to resolve host",
            "could not translate host name",
            "name or service not known",
            "no route to host",
            "network is unreachable",
            "connection to server",
            "server closed the connection",
            "terminating connection",
        )
    ):
        return StoreError(
            f"cannot reach the PostgreSQL server for {where} ({first}); is it running and "
            "is the URL right? nothing was written"
        )
    return StoreError(f"cannot use the store {where}: {first} (nothing was written)")


def _utcnow() -> datetime:
    return datetime.now(UTC)


def open_sqlite(location: StoreLocation, *, write: bool) -> sqlite3.Connection | None:
    """A plain sqlite3 connection to an up-to-date SQLite store, for the daily commands to read
    and write fast without SQLAlchemy; None when the store needs the full path (missing, to be
    upgraded, not SQLite, or anything odd: `open_store` then says what is wrong).

    The connection manages its own transactions (`isolation_level=None`): the caller begins
    one, BEGIN IMMEDIATE to write, as the engine of `open_store` does."""
    path = location.path
    if path is None or not path.is_file():
        return None
    _check_store_file(path, write=write)
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        configure_connection(connection)
        applied = {row[0] for row in connection.execute("SELECT name FROM rel_migration")}
    except sqlite3.Error:
        connection.close()
        return None
    if applied != {name for name, _ in MIGRATIONS}:
        connection.close()
        return None
    return connection


def open_postgresql(location: StoreLocation, *, write: bool) -> Any:
    """A psycopg connection to an up-to-date PostgreSQL store, in a transaction begun as the
    ORM path begins one (READ COMMITTED to write, one snapshot to read), for the daily
    commands to run the statements compiled ahead without SQLAlchemy; None when the store
    needs the full path (empty, to be upgraded, not a rel store: `open_store` then makes,
    upgrades or refuses it). A server that cannot be reached is one line, as on that path."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    import psycopg

    parts = urlsplit(location.url)
    arguments: dict[str, Any] = dict(parse_qsl(parts.query))
    for key, value in (
        ("host", parts.hostname),
        ("port", parts.port),
        ("user", unquote(parts.username) if parts.username else None),
        ("password", unquote(parts.password) if parts.password else None),
        ("dbname", unquote(parts.path.lstrip("/")) or None),
    ):
        if value is not None:
            arguments[key] = value
    # as _make_engine's engine: UTC, as rel stores its times; five seconds to connect
    arguments = {"connect_timeout": 5, "options": "-c timezone=UTC", **arguments}
    try:
        connection = psycopg.connect(**arguments)
    except psycopg.Error as error:
        raise describe_store_failure(error, location) from error
    connection.isolation_level = (
        psycopg.IsolationLevel.READ_COMMITTED if write else psycopg.IsolationLevel.REPEATABLE_READ
    )
    try:
        applied = {row[0] for row in connection.execute("SELECT name FROM rel_migration")}
    except psycopg.Error:
        connection.close()  # no rel_migration table (or no answer): the full path says why
        return None
    if applied != {name for name, _ in MIGRATIONS}:
        connection.close()
        return None
    return connection


@contextmanager
def reader_transaction(
    location: StoreLocation, *, write: bool, journal: tuple[str, datetime] | None
) -> Iterator[Any]:
    """One transaction through a Reader of rel.store.queries (named statements, to read and to
    write): on an up-to-date SQLite file, the standard library's sqlite3 with SQL compiled
    ahead, on an up-to-date PostgreSQL store psycopg with SQL compiled ahead (no SQLAlchemy
    import either way); otherwise an ORM session. With `journal` (the command as typed, and
    when), the changes are one entry of the undo journal."""
    if location.engine == "postgresql":
        with _postgresql_transaction(location, write=write, journal=journal) as reader:
            yield reader
        return
    connection = open_sqlite(location, write=write)
    if connection is None:
        from rel.store.queries import OrmReader

        with session_transaction(location, write=write, journal=journal) as session:
            yield OrmReader(session)
        return
    from rel.store.queries import SqliteReader

    try:
        # one consistent snapshot; a writer takes the write lock up front
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        with _journaled(connection, journal if write else None):
            yield SqliteReader(connection)
        if write:
            connection.commit()
    except sqlite3.Error as error:
        raise describe_store_failure(error, location) from error
    finally:
        if connection.in_transaction:
            connection.rollback()
        connection.close()


@contextmanager
def quick_reader(location: StoreLocation) -> Iterator[Any]:
    """A Reader on an up-to-date store, for one read without SQLAlchemy (shell completion),
    or None: a store that is missing, damaged, to be upgraded or unreachable is neither
    created, nor upgraded, nor reported; whatever goes wrong while reading gives None too."""
    connection: Any = None
    try:
        if location.engine == "postgresql":
            connection = open_postgresql(location, write=False)
        else:
            connection = open_sqlite(location, write=False)
            if connection is not None:
                connection.execute("BEGIN")
    except Exception:  # completion says nothing rather than an error
        connection = None
    if connection is None:
        yield None
        return
    try:
        if location.engine == "postgresql":
            from rel.store.queries import PostgresReader

            yield PostgresReader(connection)
        else:
            from rel.store.queries import SqliteReader

            yield SqliteReader(connection)
    finally:
        if getattr(connection, "in_transaction", False):
            connection.rollback()
        connection.close()


@contextmanager
def _postgresql_transaction(
    location: StoreLocation, *, write: bool, journal: tuple[str, datetime] | None
) -> Iterator[Any]:
    connection = open_postgresql(location, write=write)
    if connection is None:
        from rel.store.queries import OrmReader

        with session_transaction(location, write=write, journal=journal) as session:
            yield OrmReader(session)
        return
    import psycopg

    from rel.store.queries import PostgresReader

    try:
        with _journaled(connection, journal if write else None):
            yield PostgresReader(connection)
        connection.commit()
    except psycopg.Error as error:
        raise describe_store_failure(error, location) from error
    finally:
        connection.close()  # what was not committed is rolled back


@contextmanager
def session_transaction(
    location: StoreLocation, *, write: bool, journal: tuple[str, datetime] | None
) -> Iterator[Session]:
    """One transaction through an ORM session on any engine, the store closed (and SQLite's
    WAL folded in) when done; with `journal`, the changes are one entry of the undo journal."""
    store = open_store(location, write=write)
    try:
        with store.session() as session:
            if write and journal is not None and store.location.url != "sqlite://":
                driver = session.connection().connection.driver_connection
                with _journaled(driver, journal, before_close=session.flush):
                    yield session
            else:
                yield session
    finally:
        store.close()


@contextmanager
def _journaled(
    connection: Any, journal: tuple[str, datetime] | None, before_close: Any = None
) -> Iterator[None]:
    """Record the changes made inside as one undoable command (rel.store.journal)."""
    if journal is None:
        yield
        return
    from rel.store import journal as undo_journal

    command, at = journal
    entry = undo_journal.open_entry(connection, command, at)
    yield
    if before_close is not None:
        before_close()  # the ORM's pending changes are written, and journaled, first
    undo_journal.close_entry(connection, entry)
