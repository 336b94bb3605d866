"""A PostgreSQL database as the store: the URLs rel takes, a database made on the first write,
one clear line when the server, the password or the database is wrong, and several rel
processes on one database at once. (Every CLI test runs on PostgreSQL too: conftest.py.)"""

from __future__ import annotations

import socket

import pytest

from tests.conftest import StoreProbe, run_installed
from tests.test_concurrency import add_people_at_once, log_while_reading

pytestmark = pytest.mark.postgresql_only

SECRET = "hunter2-secret"


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg", "POSTGRESQL"])
def test_every_spelling_of_a_postgresql_url_names_the_same_database(scheme: str) -> None:
    from rel.paths import resolve_store

    location = resolve_store(f"{scheme}://me:{SECRET}@db.example:6543/people")
    assert location.url == f"postgresql+psycopg://me:{SECRET}@db.example:6543/people"
    assert location.path is None
    assert location.engine == "postgresql"
    assert str(location) == "postgresql://me:***@db.example:6543/people"  # as typed, masked
    assert location.server == "database 'people' on db.example:6543"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("postgresql://me@db.example:99999/people", "is not a number from 1 to 65535"),
        ("postgresql://me@db.example:port/people", "is not a number from 1 to 65535"),
        (f"postgresql://me:{SECRET}@db.example:5432/", "names no database"),
        (f"mysql://me:{SECRET}@db.example/people", "give a file path, sqlite:///PATH or"),
    ],
)
def test_a_url_typo_is_one_line_before_any_connection(rel, value: str, expected: str) -> None:
    result = rel("--db", value, "add", "Zed")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert expected in result.stderr
    assert SECRET not in result.stderr


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_server_that_is_not_running_is_one_line_naming_host_and_database(rel) -> None:
    port = _closed_port()
    result = rel("--db", f"postgresql://rel:{SECRET}@127.0.0.1:{port}/people", "add", "Zed")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "cannot reach the PostgreSQL server" in result.stderr
    assert f"database 'people' on 127.0.0.1:{port}" in result.stderr
    assert SECRET not in result.stderr


def test_not_even_debug_shows_the_password(postgres_server) -> None:
    port = _closed_port()
    url = f"postgresql://rel:{SECRET}@127.0.0.1:{port}/people"
    for args in (["due"], ["--debug", "due"]):
        done = run_installed("--db", url, *args)
        assert done.returncode == 1
        assert f"127.0.0.1:{port}" in done.stderr
        assert SECRET not in done.stderr + done.stdout


@pytest.mark.empty_database
def test_a_wrong_password_is_one_line_without_it(rel, postgres_server, store: StoreProbe) -> None:
    url = store.url.replace("://rel@", f"://rel:{SECRET}@")
    result = rel("--db", url, "add", "Zed")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "refused the password" in result.stderr
    assert SECRET not in result.stderr
    assert store.tables() == []  # nothing created


@pytest.mark.empty_database
def test_no_password_at_all_says_where_to_put_it(rel, monkeypatch, store: StoreProbe) -> None:
    monkeypatch.delenv("PGPASSWORD")
    result = rel("add", "Zed")
    assert result.exit_code == 1
    assert "~/.pgpass or PGPASSWORD" in result.stderr
    assert store.tables() == []


def test_the_password_may_come_from_pgpass(rel, monkeypatch, isolated_home, store) -> None:
    from tests.postgres_server import PASSWORD

    monkeypatch.delenv("PGPASSWORD")
    pgpass = isolated_home / ".pgpass"
    pgpass.write_text(f"*:*:*:rel:{PASSWORD}\n")
    pgpass.chmod(0o600)
    rel("add", "Zed", ok=True)
    assert store.rows("SELECT name FROM contact") == [("Zed",)]


def test_a_missing_database_is_one_line(rel, postgres_server) -> None:
    url = postgres_server.url("no_such_people")
    result = rel("--db", url, "add", "Zed")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "there is no database 'no_such_people' on 127.0.0.1:" in result.stderr


@pytest.mark.empty_database
def test_reading_an_empty_database_shows_an_empty_store_and_creates_nothing(
    rel, store: StoreProbe
) -> None:
    assert rel("due", ok=True).stdout == rel("--db", str(store.path), "due", ok=True).stdout
    assert rel("list", ok=True).stdout == ""
    assert store.tables() == []
    rel("add", "Zed", ok=True)  # the first write makes the store
    assert "rel_migration" in store.tables()
    assert "Zed" in rel("list", ok=True).stdout


@pytest.mark.empty_database
def test_a_database_with_other_tables_is_refused_untouched(rel, store: StoreProbe) -> None:
    store.execute("CREATE TABLE invoice (id integer primary key, total integer)")
    for args in (["add", "Zed"], ["due"]):
        result = rel(*args)
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1
        assert "is a database but not a rel store" in result.stderr
    assert store.tables() == ["invoice"]


def test_a_store_of_a_newer_rel_is_refused_untouched(rel, store: StoreProbe) -> None:
    rel("add", "Zed", ok=True)
    store.execute("INSERT INTO rel_migration (name, applied_at) VALUES ('9999_future', now())")
    before = store.state()
    result = rel("log", "zed", "call")
    assert result.exit_code == 1
    assert "written by a newer version of rel" in result.stderr
    assert store.state() == before


@pytest.mark.empty_database
def test_processes_starting_on_one_empty_database_at_once_make_one_schema(
    store: StoreProbe,
) -> None:
    add_people_at_once(4)
    assert store.rows("SELECT count(*) FROM contact") == [(4,)]
    names = store.rows("SELECT name, count(*) FROM rel_migration GROUP BY name")
    assert names and all(n == 1 for _, n in names)


def test_undo_reverts_a_command_on_postgresql_too(rel, rel_json) -> None:
    rel("add", "Zed", ok=True)
    rel("log", "zed", "call", ok=True)
    result = rel("undo", ok=True)
    assert "rel log zed call" in result.stderr
    assert rel_json("show", "zed")["interactions"] == 0


def test_two_devices_logging_while_a_third_reads_lose_nothing(store: StoreProbe) -> None:
    assert run_installed("add", "Alice", "--every", "1w").returncode == 0
    log_while_reading(writers=2, logs_each=50, reads=20, timeout=300)
    assert store.rows("SELECT count(*) FROM interaction") == [(100,)]
    assert store.rows("SELECT count(*) FROM participant") == [(100,)]
    assert store.rows("SELECT last_seen FROM contact") == [("2026-03-01",)]
