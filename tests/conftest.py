"""Every test runs in its own home: its own store, its own day, plain output, fixed width."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

TODAY = date(2026, 3, 1)
REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "realworld"


@pytest.fixture(scope="session", autouse=True)
def compiled_rel() -> None:
    """rel and the packages it imports compiled to bytecode once, as an installer such as pip
    or `uv tool install` does: the tests that start rel as a process then pay what a user
    pays. Where PYTHONDONTWRITEBYTECODE is set, Python never writes bytecode itself, and every
    such process would compile SQLAlchemy again (1.3 s). Files already compiled are skipped."""
    import compileall
    import site

    import rel

    for folder in [Path(rel.__file__).parent, *map(Path, site.getsitepackages())]:
        compileall.compile_dir(folder, quiet=2)


# The CLI tests run on both engines: every test that runs rel (through the `rel` fixture, a
# fixture built on it, or as a process) once on an SQLite file and once on a fresh PostgreSQL
# database of a throwaway server. A test about SQLite files (modes, WAL, damage, backups'
# names) is marked sqlite_only.
ENGINES = ("sqlite", "postgresql")
CLI_FIXTURES = {"rel", "rel_json", "installed"}
NO_POSTGRES = "PostgreSQL's programs (initdb) not found"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_engine" not in metafunc.fixturenames:
        return
    runs_rel = bool(CLI_FIXTURES & set(metafunc.fixturenames)) or _calls_run_installed(metafunc)
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
    engines = ENGINES if runs_rel and not sqlite_only else ENGINES[:1]
    if metafunc.definition.get_closest_marker("postgresql_only") is not None:
        engines = ENGINES[1:]
    chosen = os.environ.get("REL_TEST_ENGINES")  # e.g. postgresql: one half only
    if chosen and runs_rel:
        engines = tuple(e for e in engines if e in chosen.split(",")) or engines
    metafunc.parametrize("store_engine", engines, indirect=True)


def _postgres_missing() -> bool:
    from tests.postgres_server import postgres_bin_dir

    return postgres_bin_dir() is None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without PostgreSQL's programs, its half is left out (one line in the summary says so),
    or, where it must run (REL_TEST_REQUIRE_POSTGRES=1, as in .ci/run), the run fails."""
    if not _postgres_missing():
        return
    if os.environ.get("REL_TEST_REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError(
            f"the PostgreSQL half of the tests must run here (REL_TEST_REQUIRE_POSTGRES=1): "
            f"{NO_POSTGRES}"
        )
    on_postgres = [
        item for item in items
        if "postgresql" in getattr(getattr(item, "callspec", None), "params", {}).values()
    ]  # fmt: skip
    if on_postgres:
        config.hook.pytest_deselected(items=on_postgres)
        items[:] = [item for item in items if item not in on_postgres]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _postgres_missing():
        terminalreporter.write_line(
            f"SKIPPED the PostgreSQL half of the tests: {NO_POSTGRES} (install postgresql, "
            "or set REL_TEST_PG_BIN)"
        )


def _calls_run_installed(metafunc: pytest.Metafunc) -> bool:
    code = getattr(metafunc.function, "__code__", None)
    return code is not None and "run_installed" in code.co_names


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory):
    """A PostgreSQL server for this test process (each xdist worker has its own), stopped at
    the end; skipped (or, with REL_TEST_REQUIRE_POSTGRES=1 as in CI, failed) without one."""
    from tests.postgres_server import postgres_bin_dir, running_server

    if postgres_bin_dir() is None:
        if os.environ.get("REL_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"the PostgreSQL tests must run here: {NO_POSTGRES}")
        pytest.skip(f"the PostgreSQL tests: {NO_POSTGRES}")
    with running_server() as server:
        yield server


@pytest.fixture
def store_engine(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def store_url(store_engine: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """On PostgreSQL, a database of the test's own (REL_DB names it, the password is in
    PGPASSWORD), None on SQLite.

    The database holds rel's schema and no rows, as a store does after its first write: made
    from a template that rel itself initialised, and emptied for the next test afterwards. A
    test about what rel does to a database without its schema (the first write, another
    program's tables) is marked `empty_database` and gets one with nothing in it."""
    if store_engine != "postgresql":
        yield None
        return
    from tests.postgres_server import PASSWORD

    server = request.getfixturevalue("postgres_server")
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    if request.node.get_closest_marker("empty_database") is not None:
        name = _spare_databases.pop() if _spare_databases else server.create_database()
        yield server.url(name)
        if _emptied(server, name):  # cheaper than DROP DATABASE, which waits for a checkpoint
            _spare_databases.append(name)
        else:
            server.drop_database(name)
        return
    template = _rel_template(server)
    name = _ready_databases.pop() if _ready_databases else server.create_database(template=template)
    yield server.url(name)
    if _rows_deleted(server, name):
        _ready_databases.append(name)
    else:
        server.drop_database(name)


_spare_databases: list[str] = []  # empty databases
_ready_databases: list[str] = []  # rel's schema, no rows
_templates: dict[int, tuple[str, Any]] = {}  # server port: (template, its schema's signature)


def _rel_template(server: Any) -> str:
    """A database holding the schema rel makes on a first write, made once per server by rel
    itself (a new store's first `rel add`, in-process), to copy for each test."""
    if server.port not in _templates:
        from rel.paths import resolve_store
        from rel.store.engine import open_store
        from tests.postgres_server import PASSWORD

        name = server.create_database("template")
        store = open_store(resolve_store(server.url(name, password=True)), write=True)
        store.close()
        with server.admin() as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
        with _connect(server, name, PASSWORD) as connection:
            signature = _schema_signature(connection)
        _templates[server.port] = (name, signature)
    return _templates[server.port][0]


def _connect(server: Any, name: str, password: str):
    import psycopg

    from tests.postgres_server import USER

    return psycopg.connect(
        host=server.host, port=server.port, user=USER, password=password, dbname=name,
        autocommit=True,
    )  # fmt: skip


def _schema_signature(connection: Any) -> str:
    """What a test could have changed in the schema, as one digest: tables and columns,
    triggers, functions, indexes, the migrations recorded."""
    [(signature,)] = connection.execute(
        """
        SELECT md5(concat_ws('|',
          (SELECT string_agg(concat_ws(',', c.relname, a.attname,
                                       format_type(a.atttypid, a.atttypmod), a.attnotnull),
                             ';' ORDER BY c.relname, a.attnum)
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
               AND a.attnum > 0 AND NOT a.attisdropped),
          (SELECT string_agg(pg_get_triggerdef(oid), ';' ORDER BY tgrelid::regclass::text, tgname)
             FROM pg_trigger WHERE NOT tgisinternal),
          (SELECT string_agg(proname || md5(prosrc), ';' ORDER BY proname)
             FROM pg_proc WHERE pronamespace = 'public'::regnamespace),
          (SELECT string_agg(indexdef, ';' ORDER BY indexname)
             FROM pg_indexes WHERE schemaname = 'public'),
          (SELECT string_agg(name, ';' ORDER BY name) FROM rel_migration)))
        """
    ).fetchall()
    return signature


# Every row out, triggers (the undo journal's, the foreign keys') off while it goes, and every
# id counting from 1 again: cheaper than TRUNCATE, which makes new files for every table.
_EMPTY_EVERY_TABLE = """
DO $$
DECLARE item record;
BEGIN
  SET LOCAL session_replication_role = replica;
  FOR item IN SELECT tablename FROM pg_tables
              WHERE schemaname = 'public' AND tablename <> 'rel_migration' LOOP
    EXECUTE format('DELETE FROM %I', item.tablename);
  END LOOP;
  FOR item IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER SEQUENCE %I RESTART', item.sequencename);
  END LOOP;
END $$
"""


def _disconnect_everyone(server: Any, name: str) -> None:
    """End every session on the database `name` (a rel a test left connected)."""
    with server.admin() as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )


def _rows_deleted(server: Any, name: str) -> bool:
    """The database as the template made it (every table but the migrations emptied, the ids
    counting from 1 again), or False where the test changed its schema."""
    import psycopg

    from tests.postgres_server import PASSWORD

    try:
        _disconnect_everyone(server, name)
        with _connect(server, name, PASSWORD) as connection:
            if _schema_signature(connection) != _templates[server.port][1]:
                return False
            with connection.transaction():
                connection.execute(_EMPTY_EVERY_TABLE)
        return True
    except psycopg.Error:
        return False


def _emptied(server: Any, name: str) -> bool:
    """The database as new (its public schema dropped and made again), or False."""
    import psycopg

    from tests.postgres_server import PASSWORD

    try:
        _disconnect_everyone(server, name)
        with _connect(server, name, PASSWORD) as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
        return True
    except psycopg.Error:
        return False


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_engine: str, request
) -> Path:
    """A private home, data dir and store for each test; nothing reads the real home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.delenv("PGPASSFILE", raising=False)
    if store_engine == "postgresql":
        monkeypatch.setenv("REL_DB", request.getfixturevalue("store_url"))
    else:
        monkeypatch.setenv("REL_DB", str(tmp_path / "store" / "rel.db"))
    monkeypatch.setenv("REL_TODAY", TODAY.isoformat())
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    for name in ("FORCE_COLOR", "REL_FORCE_TERMINAL", "TERM_PROGRAM"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "rel.db"


class StoreProbe:
    """The test's store as the tests look into it, whichever the engine: rows of a query,
    a statement run beside rel (a person with the sqlite3 shell or psql), and its state."""

    def __init__(self, engine: str, path: Path, url: str | None) -> None:
        self.engine, self.path, self.url = engine, path, url

    def _connect(self):
        if self.engine == "sqlite":
            import sqlite3

            connection = sqlite3.connect(self.path)
            connection.execute("PRAGMA foreign_keys = ON")
            return connection
        import psycopg

        from tests.postgres_server import PASSWORD

        return psycopg.connect(self.url.replace("://rel@", f"://rel:{PASSWORD}@"))

    def rows(self, sql: str, *params: Any, connection: Any = None) -> list[tuple]:
        """Rows of `sql` (? for parameters), with dates as ISO text and booleans as 0/1, as
        SQLite gives them."""
        if self.engine == "sqlite" and not self.path.exists():
            return []
        if connection is not None:
            cursor = connection.execute(self._sql(sql), params)
            return [tuple(map(_as_sqlite_gives, row)) for row in cursor.fetchall()]
        connection = self._connect()
        try:
            return self.rows(sql, *params, connection=connection)
        finally:
            connection.close()

    def execute(self, *statements: str | tuple[str, tuple]) -> None:
        """Run statements (SQL, or SQL and its parameters) in one transaction, as a person
        with a shell on the store would."""
        connection = self._connect()
        try:
            with connection:
                for statement in statements:
                    sql, params = statement if isinstance(statement, tuple) else (statement, ())
                    connection.execute(self._sql(sql), params)
        finally:
            connection.close()

    def exists(self) -> bool:
        """Whether a store was made (a file; tables in the database)."""
        if self.engine == "sqlite":
            return self.path.exists()
        return bool(self.tables())

    def tables(self, connection: Any = None) -> list[str]:
        if self.engine == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        return [name for (name,) in self.rows(sql, connection=connection)]

    def intact(self) -> bool:
        """Whether the engine finds the store whole (SQLite's integrity check)."""
        if self.engine != "sqlite":
            return True  # PostgreSQL checks its pages itself
        return self.rows("PRAGMA integrity_check") == [("ok",)]

    def state(self) -> Any:
        """What the store holds: the file's bytes on SQLite (so even a rewrite of the same
        rows shows), every table's rows on PostgreSQL; None when there is no store."""
        if self.engine == "sqlite":
            return self.path.read_bytes() if self.path.exists() else None
        connection = self._connect()  # one connection: each costs a password exchange
        try:
            tables = self.tables(connection)
            if not tables:
                return None
            return {
                name: sorted(map(repr, self.rows(f'SELECT * FROM "{name}"', connection=connection)))
                for name in tables
            }
        finally:
            connection.close()

    def _sql(self, sql: str) -> str:
        return sql if self.engine == "sqlite" else sql.replace("%", "%%").replace("?", "%s")


def _as_sqlite_gives(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.fixture
def store(store_engine: str, store_path: Path, request: pytest.FixtureRequest) -> StoreProbe:
    """The test's store, looked into whichever the engine (StoreProbe)."""
    url = request.getfixturevalue("store_url") if store_engine == "postgresql" else None
    return StoreProbe(store_engine, store_path, url)


@pytest.fixture
def rel() -> Callable[..., Result]:
    """Run rel through Typer's CliRunner: rel("log", "alice", "lunch")."""
    from rel.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None, ok: bool | None = None) -> Result:
        result = runner.invoke(app, list(args), input=input, prog_name="rel")
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if ok is True:
            assert result.exit_code == 0, result.stderr
        return result

    return run


@pytest.fixture
def rel_json(rel: Callable[..., Result]) -> Callable[..., Any]:
    """Run rel with --json and return the parsed document."""

    def run(*args: str) -> Any:
        result = rel(*args, "--json", ok=True)
        return json.loads(result.stdout)

    return run


def run_installed(*args: str, env: dict[str, str] | None = None, input: str | None = None):
    """Run the installed rel as a subprocess, as a user would (python -m rel)."""
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "rel", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=input,
        timeout=120,
    )


@pytest.fixture
def session():
    """A session on a fresh in-memory store, for testing core functions directly."""
    from rel.paths import StoreLocation
    from rel.store.engine import open_store

    store = open_store(StoreLocation("sqlite://", None), write=True)
    try:
        with store.session() as s:
            yield s
    finally:
        store.close()


NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def add(session, name: str, *, today: date = TODAY, **fields: Any):
    """Add a contact through the core, with fields as rel add takes them (already parsed)."""
    from rel.domain.fields import NAMES
    from rel.services.contacts import ContactDetails, add_contact
    from rel.store.models import Contact
    from rel.store.queries import OrmReader

    texts = {field: fields.pop(field) for field in NAMES if field in fields}
    added, _ = add_contact(
        OrmReader(session), name, ContactDetails(texts=texts, **fields), today=today, now=NOW
    )
    return session.get(Contact, added.id)


def log(session, people, on: date, kind: str = "call", *, they: bool = False):
    from rel.services.interactions import record_interaction

    people = people if isinstance(people, list) else [people]
    return record_interaction(
        session, people, kind, None, on=on, they_reached_out=they, today=TODAY, now=NOW
    )


def copy_sqlite(source: Path, target: Path) -> Path:
    """A whole copy of the SQLite store `source` at `target` (SQLite's backup API: whatever
    its write-ahead log holds), private to the user as rel makes its stores."""
    made, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        made.backup(copy)
    finally:
        made.close()
        copy.close()
    target.chmod(0o600)
    return target


def made_by_rel(folder: Path, store: Path, commands: list[list[str]]) -> Path:
    """`store` made by rel's own commands, run once in `folder` as a home (for a store many
    tests copy: see copy_sqlite); today is TODAY unless a command says otherwise."""
    from rel.cli import app

    env = {"REL_TODAY": TODAY.isoformat(), "NO_COLOR": "1", "HOME": str(folder),
           "XDG_DATA_HOME": str(folder / "data"), "XDG_CONFIG_HOME": str(folder / "config"),
           "REL_DB": str(store), "PGPASSWORD": None}  # fmt: skip
    runner = CliRunner()
    for words in commands:
        result = runner.invoke(app, list(words), env=env, prog_name="rel")
        assert result.exit_code == 0, (words, result.stderr, result.exception)
    return store
