"""rel store copy: a whole network moves between stores (SQLite, PostgreSQL) losslessly, keys
and all, into an empty store only, in one transaction; rel backup of a PostgreSQL store
writes an SQLite snapshot."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import copy_sqlite, made_by_rel
from .postgres_server import PASSWORD, PostgresServer, postgres_bin_dir, running_server

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "network.json"
TABLES = (
    "contact", "handle", "tag", "contact_tag", "interaction", "participant", "touchpoint",
    "completion", "life_event", "gift", "snooze", "digest_log",
)  # fmt: skip


@pytest.fixture(scope="module")
def pg_server() -> Iterator[PostgresServer]:
    if postgres_bin_dir() is None:
        pytest.skip("PostgreSQL binaries not found (REL_TEST_PG_BIN names their folder)")
    with running_server() as server:
        yield server


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> Iterator[str]:
    """A new, empty PostgreSQL database, by URL with its password."""
    name = pg_server.create_database("copy")
    yield pg_server.url(name, password=True)
    pg_server.drop_database(name)


def pg_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table of the record (and the tables there are), sorted."""
    import psycopg

    with psycopg.connect(url) as connection:
        names = {
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        }
        found = {"tables": sorted(names)}
        for table in TABLES:
            if table in names:
                found[table] = sorted(
                    connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr
                )
    return found


def sqlite_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the record, sorted, without the derived columns (an import
    leaves `cadence_days` unknown, a copy computes it: tested on its own)."""
    connection = sqlite3.connect(path)
    try:
        found = {}
        for table in TABLES:
            columns = [
                f'"{row[1]}"'
                for row in connection.execute(f'PRAGMA table_info("{table}")')
                if row[1] not in ("last_seen", "cadence_days")
            ]
            rows = connection.execute(f'SELECT {", ".join(columns)} FROM "{table}"').fetchall()
            found[table] = sorted(rows, key=repr)
        return found
    finally:
        connection.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def network_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample network in an SQLite store, with something in every table, made once by
    rel's own commands; `network` copies it."""
    folder = tmp_path_factory.mktemp("network")
    source = folder / "rel.db"
    on = ["--db", str(source)]
    made_by_rel(
        folder,
        source,
        [
            [*on, "import", "json", str(SEEDS)],
            [*on, "remind", "1", "send the deck", "--on", "2026-02-10", "--every", "monthly"],
            [*on, "done", "t1", "sent it"],
            [*on, "event", "2", "promotion", "VP of Sales", "--on", "2026-02-27"],
            [*on, "gift", "3", "idea", "a book about sailing", "--lead", "14d"],
            [*on, "snooze", "c4", "friday"],
            [*on, "tag", "customer", "--every", "3w"],
        ],
    )
    connection = sqlite3.connect(source)
    with connection:  # a digest once sent (rel digest --send needs a target)
        connection.execute(
            "INSERT INTO digest_log (day, target, label, status, claimed_at, sent_at, keys)"
            " VALUES ('2026-03-01', 'ab12', 'ntfy://ntfy.sh/***', 'sent',"
            " '2026-03-01 08:00:00.000000', '2026-03-01 08:00:01.000000', 'c1 b2')"
        )
    connection.close()
    assert all(sqlite_rows(source).values()), "every table has rows"
    return source


@pytest.fixture
def network(network_made: Path, tmp_path: Path) -> Path:
    """A copy of the sample network of the test's own, in tmp_path/source."""
    source = tmp_path / "source" / "rel.db"
    source.parent.mkdir(mode=0o700)
    return copy_sqlite(network_made, source)


def leftovers(folder: Path) -> list[str]:
    """What a copy into `folder` left there (the source's own folder aside)."""
    return sorted(name for name in os.listdir(folder) if name not in ("home", "source", "store"))


def exported(rel, db: str | Path) -> str:
    return rel("--db", str(db), "export", "json", ok=True).stdout


# --- SQLite to SQLite, through the command -------------------------------------------------


def test_copy_makes_a_new_store_with_the_same_network_and_keys(rel, network, tmp_path) -> None:
    copy = tmp_path / "copy.db"
    result = rel("store", "copy", str(network), str(copy), ok=True)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Copied 44 contacts, ")
    assert f"from {network} to {copy}." in result.stderr
    assert exported(rel, str(copy)) == exported(rel, network)
    assert sqlite_rows(copy) == sqlite_rows(network)  # ids, times, digests: all
    assert rel("--db", str(copy), "due", ok=True).stdout == (
        rel("--db", str(network), "due", ok=True).stdout
    )
    assert (copy.stat().st_mode & 0o777) == 0o600


def test_copy_leaves_the_undo_journal_behind(rel, network, tmp_path) -> None:
    copy = tmp_path / "copy.db"
    rel("store", "copy", f"sqlite:///{network}", f"sqlite:///{copy}", ok=True)
    result = rel("--db", str(copy), "undo")
    assert result.exit_code == 1
    assert "nothing to undo" in result.stderr
    rel("--db", str(copy), "add", "Quentin New", ok=True)
    shown = json.loads(rel("--db", str(copy), "show", "quentin", "--json", ok=True).stdout)
    assert shown["id"] == 45  # ids go on after the copied ones


def test_derived_columns_are_right_in_the_copy_whatever_the_source_held(
    rel, network, tmp_path
) -> None:
    connection = sqlite3.connect(network)
    with connection:  # a store written by hand: derived columns wrong or unknown
        connection.execute("UPDATE contact SET cadence_days = NULL, last_seen = '1999-01-01'")
        connection.execute("UPDATE tag SET cadence_days = 1")
    connection.close()
    copy = tmp_path / "copy.db"
    rel("store", "copy", str(network), str(copy), ok=True)
    from .test_derived_columns import assert_kept

    assert_kept(copy)
    tags = sqlite3.connect(copy).execute("SELECT name, cadence_days FROM tag").fetchall()
    assert ("customer", 21) in tags


def test_a_destination_with_anything_in_it_is_refused_untouched(rel, network, tmp_path) -> None:
    other = tmp_path / "other.db"
    rel("--db", str(other), "add", "Someone Else", ok=True)
    before = digest(other)
    result = rel("store", "copy", str(network), str(other))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: the destination {other} is not empty (it holds 1 contact); rel store copy "
        "writes only into a new or empty store; it was left untouched\n"
    )
    assert digest(other) == before


def test_an_empty_rel_store_can_be_the_destination(rel, network, tmp_path) -> None:
    empty = tmp_path / "empty.db"
    rel("--db", str(empty), "add", "Passing Through", ok=True)
    rel("--db", str(empty), "rm", "passing", "--yes", ok=True)
    rel("store", "copy", str(network), str(empty), ok=True)
    assert exported(rel, str(empty)) == exported(rel, network)
    assert "nothing to undo" in rel("--db", str(empty), "undo").stderr


def test_a_file_that_is_not_a_store_is_refused_untouched(rel, network, tmp_path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    result = rel("store", "copy", str(network), str(notes))
    assert result.exit_code == 1
    assert "not a rel store" in result.stderr
    assert notes.read_text() == "my notes\n"


def test_a_missing_source_is_refused_and_nothing_is_made(rel, tmp_path) -> None:
    result = rel("store", "copy", str(tmp_path / "nowhere.db"), str(tmp_path / "copy.db"))
    assert result.exit_code == 1
    assert result.stderr == f"error: there is no store at {tmp_path / 'nowhere.db'} to copy\n"
    assert not (tmp_path / "copy.db").exists()


def test_a_store_is_not_copied_onto_itself(rel, network) -> None:
    for destination in (str(network), f"sqlite:///{network}"):
        result = rel("store", "copy", str(network), destination)
        assert result.exit_code == 1
        assert result.stderr == (
            f"error: the source and the destination are the same store ({network}); "
            "give another destination\n"
        )


def test_a_copy_that_fails_halfway_leaves_no_file(rel, network, tmp_path) -> None:
    connection = sqlite3.connect(network)  # foreign keys off: a participant of no one
    with connection:
        connection.execute("INSERT INTO participant (interaction_id, contact_id) VALUES (1, 999)")
    connection.close()
    copy = tmp_path / "copy.db"
    result = rel("store", "copy", str(network), str(copy))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot copy {network} to {copy}: ")
    assert result.stderr.endswith(f"{copy} was left as it was\n")
    assert result.stderr.count("\n") == 1
    assert leftovers(tmp_path) == []


def test_an_interrupted_copy_leaves_no_file(rel, network, tmp_path, monkeypatch) -> None:
    import rel.store.copying as copying

    def interrupted(connection) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(copying, "derive_columns", interrupted)  # after every row was written
    result = rel("store", "copy", str(network), str(tmp_path / "copy.db"))
    assert result.exit_code == 130
    assert leftovers(tmp_path) == []


def test_store_without_a_command_shows_its_help(rel) -> None:
    result = rel("store")
    assert "copy" in result.output
    assert "Copy a whole network into a new or empty store" in rel("store", "copy", "--help").stdout


# --- PostgreSQL, at the core level (engines) -------------------------------------------------


def copy(source: str | Path, destination: str | Path):
    from rel.paths import store_named
    from rel.store.copying import copy_store

    return copy_store(store_named(str(source)), store_named(str(destination)))


def test_sqlite_to_postgresql_to_sqlite_gives_the_same_export(
    rel, network, pg_url, tmp_path
) -> None:
    report = copy(network, pg_url)
    assert report.rows["contact"] == 44
    on_pg = pg_rows(pg_url)
    for table in TABLES:
        assert len(on_pg[table]) == len(sqlite_rows(network)[table]), table
    back = tmp_path / "back.db"
    copy(pg_url, back)
    assert exported(rel, str(back)) == exported(rel, network)
    assert sqlite_rows(back) == sqlite_rows(network)


def test_postgresql_ids_continue_after_the_copied_ones(network, pg_url) -> None:
    import psycopg

    copy(network, pg_url)
    with psycopg.connect(pg_url) as connection:
        new_id = connection.execute(
            "INSERT INTO contact (name, search_name, archived, added_on, created_at, updated_at)"
            " VALUES ('Zoe', 'zoe', false, '2026-03-01', now(), now()) RETURNING id"
        ).fetchone()[0]
        interaction = connection.execute(
            'INSERT INTO interaction ("on", kind, direction, created_at)'
            " VALUES ('2026-03-01', 'call', 'me', now()) RETURNING id"
        ).fetchone()[0]
        connection.rollback()
    assert new_id == 45
    assert interaction == 1 + max(row[0] for row in sqlite_rows(network)["interaction"])


def test_postgresql_derived_columns_are_right_after_a_copy(network, pg_url) -> None:
    import psycopg

    copy(network, pg_url)
    with psycopg.connect(pg_url) as connection:
        wrong = connection.execute(
            'SELECT c.id FROM contact AS c WHERE c.last_seen IS DISTINCT FROM (SELECT max(i."on")'
            " FROM interaction AS i JOIN participant AS p ON p.interaction_id = i.id"
            " WHERE p.contact_id = c.id)"
        ).fetchall()
        cadences = connection.execute(
            "SELECT DISTINCT cadence, cadence_days FROM contact WHERE cadence IS NOT NULL"
        ).fetchall()
    assert wrong == []
    assert cadences and all(days is not None for _, days in cadences)


def test_a_postgresql_database_with_a_network_is_refused_untouched(network, pg_url) -> None:
    from rel.errors import StoreError

    copy(network, pg_url)
    before = pg_rows(pg_url)
    with pytest.raises(StoreError) as refused:
        copy(network, pg_url)
    assert "is not empty (it holds 44 contacts)" in refused.value.message
    assert PASSWORD not in refused.value.message
    assert "rel:***@" in refused.value.message
    assert pg_rows(pg_url) == before


def test_a_postgresql_database_of_something_else_is_refused_untouched(network, pg_url) -> None:
    import psycopg

    from rel.errors import StoreError

    with psycopg.connect(pg_url) as connection:
        connection.execute("CREATE TABLE invoices (id integer PRIMARY KEY)")
    with pytest.raises(StoreError) as refused:
        copy(network, pg_url)
    assert "not a rel store" in refused.value.message
    assert pg_rows(pg_url) == {"tables": ["invoices"]}


def test_a_copy_into_postgresql_that_fails_halfway_leaves_the_database_empty(
    network, pg_url
) -> None:
    from rel.errors import StoreError

    connection = sqlite3.connect(network)
    with connection:
        connection.execute("INSERT INTO participant (interaction_id, contact_id) VALUES (1, 999)")
    connection.close()
    with pytest.raises(StoreError) as failed:
        copy(network, pg_url)
    assert "was left as it was" in failed.value.message
    assert PASSWORD not in failed.value.message
    assert pg_rows(pg_url) == {"tables": []}


def test_an_interrupted_copy_into_postgresql_leaves_the_database_empty(
    network, pg_url, monkeypatch
) -> None:
    import rel.store.copying as copying

    def interrupted(connection) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(copying, "derive_columns", interrupted)
    with pytest.raises(KeyboardInterrupt):
        copy(network, pg_url)
    assert pg_rows(pg_url) == {"tables": []}


def test_an_unreachable_postgresql_is_one_line_without_the_password(network, tmp_path) -> None:
    from rel.errors import StoreError

    url = f"postgresql://rel:{PASSWORD}@127.0.0.1:1/nowhere"
    with pytest.raises(StoreError) as failed:
        copy(network, url)
    assert PASSWORD not in failed.value.message
    assert "127.0.0.1" in failed.value.message and "nowhere" in failed.value.message
    with pytest.raises(StoreError) as failed:
        copy(url, tmp_path / "copy.db")
    assert PASSWORD not in failed.value.message
    assert not (tmp_path / "copy.db").exists()


def test_the_same_postgresql_database_is_not_copied_onto_itself(pg_url) -> None:
    from rel.errors import BadValue

    other_spelling = pg_url.replace(f":{PASSWORD}@", "@").replace("postgresql:", "postgres:")
    with pytest.raises(BadValue) as refused:
        copy(pg_url, other_spelling)
    assert "the same store" in refused.value.message
    assert PASSWORD not in refused.value.message


def test_a_snapshot_of_postgresql_is_a_store_of_its_own(rel, network, pg_url, tmp_path) -> None:
    copy(network, pg_url)
    snapshot = tmp_path / "snapshot.db"
    copy(pg_url, snapshot)
    assert exported(rel, str(snapshot)) == exported(rel, network)
    rel("--db", str(snapshot), "log", "1", "call", ok=True)  # a normal store: it takes writes


# --- PostgreSQL through the command line (needs --db postgresql://) --------------------------


def cli_url(url: str) -> str:
    """`url`, once --db takes PostgreSQL URLs; else the test is skipped."""
    from rel.errors import BadValue
    from rel.paths import resolve_store

    try:
        resolve_store(url)
    except BadValue:
        pytest.skip("needs postgresql URLs (pg-engine)")
    return url


def test_store_copy_round_trip_through_postgresql_on_the_command_line(
    rel, network, pg_url, tmp_path
) -> None:
    url = cli_url(pg_url)
    result = rel("store", "copy", str(network), url, ok=True)
    assert PASSWORD not in result.stderr
    assert exported(rel, url) == exported(rel, network)
    assert rel("--db", url, "due", ok=True).stdout == (
        rel("--db", str(network), "due", ok=True).stdout
    )
    back = tmp_path / "back.db"
    rel("store", "copy", url, str(back), ok=True)
    assert exported(rel, str(back)) == exported(rel, network)


def test_backup_of_postgresql_writes_an_sqlite_snapshot(rel, network, pg_url, tmp_path) -> None:
    url = cli_url(pg_url)
    copy(network, url)
    target = tmp_path / "snap.db"
    result = rel("--db", url, "backup", str(target), ok=True)
    shown = url.replace(f":{PASSWORD}@", ":***@")
    assert result.stderr == f"Wrote a SQLite snapshot of {shown} to {target}.\n"
    assert result.stdout == f"{target}\n"
    assert exported(rel, str(target)) == exported(rel, network)
    listed = rel("--db", url, "backup", ok=True).stdout.strip()
    assert Path(listed).name.endswith(".db") and ".backup-" in Path(listed).name
    assert str(listed) in rel("--db", url, "backup", "--list", ok=True).stdout
