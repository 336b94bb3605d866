"""rel due reads an up-to-date SQLite store through the standard library's sqlite3, with SQL
compiled ahead from the same SQLAlchemy expressions: the same agenda, without the import."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rel.services.agenda import agenda
from rel.store.compiled_sql import COMPILED
from rel.store.queries import (
    WITHOUT_DERIVED_COLUMNS,
    OrmReader,
    SqliteReader,
    compile_for_sqlite,
)


def test_the_compiled_sql_is_what_the_expressions_compile_to() -> None:
    assert compile_for_sqlite() == COMPILED, "run: uv run python -m rel.services.queries"


@pytest.fixture
def busy_store(rel, tmp_path: Path) -> Path:
    store = tmp_path / "demo.db"
    rel("demo", "--out", str(store), ok=True)
    on = ["--db", str(store), "--today", "2026-02-26"]
    rel(*on, "tag", "friend", "--every", "3w", ok=True)
    rel(*on, "remind", "alice", "send the report", "--on", "today", "--every", "monthly", ok=True)
    rel(*on, "remind", "priya", "book the restaurant", "--on", "mar 20", "--lead", "4w", ok=True)
    rel(*on, "log", "ben", "help", "intro", "--they", "--follow-up", "friday: thank him", ok=True)
    rel(*on, "event", "marcus", "promotion", "COO", "--on", "yesterday", ok=True)
    rel(*on, "event", "julia", "wedding", "--on", "2019-03-01", ok=True)
    rel(*on, "gift", "noah", "idea", "a vinyl record", ok=True)
    rel(*on, "snooze", "c29", "in 5 days", ok=True)
    return store


@pytest.mark.parametrize(
    ("days", "tags", "limit"),
    [(7, (), None), (30, (), None), (7, ("customer", "friend"), None), (14, (), 5)],
)
def test_both_readers_give_the_same_agenda(busy_store: Path, days, tags, limit) -> None:
    from rel.paths import file_location
    from rel.store.engine import open_store

    today = date(2026, 2, 26)
    store = open_store(file_location(busy_store), write=False)
    try:
        with store.session() as session:
            by_orm = agenda(OrmReader(session), today, days=days, tags=tags, limit=limit)
            # what another engine runs: no derived columns, every contact looked at
            portable = OrmReader(session)
            portable.statements.update(WITHOUT_DERIVED_COLUMNS)
            assert agenda(portable, today, days=days, tags=tags, limit=limit) == by_orm
    finally:
        store.close()
    connection = sqlite3.connect(busy_store)
    try:
        by_sqlite = agenda(SqliteReader(connection), today, days=days, tags=tags, limit=limit)
    finally:
        connection.close()
    assert by_sqlite == by_orm
    kinds = {row.kind for row in by_orm.rows}
    if limit is not None:
        assert len(by_orm.rows) == limit and by_orm.hidden > 0
    elif tags:
        assert kinds >= {"catch-up", "birthday"}
    else:
        assert kinds >= {"catch-up", "birthday", "follow-up", "custom", "congratulate", "gift"}


def imported_by(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rel", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_rel_due_and_help_do_not_import_the_orm_or_rich(busy_store: Path) -> None:
    env = {"REL_DB": str(busy_store), "REL_TODAY": "2026-02-26"}
    due = imported_by("due", env=env)
    assert "sqlalchemy" not in due and "sqlmodel" not in due and "rich" not in due
    assert "apprise" not in due  # only the commands that send import it
    assert "rel.services.agenda" in due  # the agenda did run
    helped = imported_by("--help", env=env)
    assert "sqlalchemy" not in helped and "rich" not in helped and "rel.db" not in helped
    assert "apprise" not in helped


def test_a_store_that_needs_the_full_path_still_works(rel, store_path: Path) -> None:
    # no store yet: the ORM path answers (and creates nothing)
    assert "Your network is empty" in rel("due", ok=True).stdout
    assert not store_path.exists()


def test_rel_log_writes_without_the_orm_or_rich(busy_store: Path) -> None:
    env = {"REL_DB": str(busy_store), "REL_TODAY": "2026-02-26"}
    logged = imported_by("log", "alice", "call", "--follow-up", "2w: send the deck", env=env)
    assert "sqlalchemy" not in logged and "sqlmodel" not in logged and "rich" not in logged
    assert "apprise" not in logged
    assert "rel.services.interactions" in logged  # it did log
    connection = sqlite3.connect(busy_store)
    try:
        [(kind, on)] = connection.execute(
            'SELECT i.kind, i."on" FROM interaction i JOIN touchpoint t'
            " ON t.interaction_id = i.id WHERE t.text = 'send the deck'"
        ).fetchall()
    finally:
        connection.close()
    assert (kind, on) == ("call", "2026-02-26")
    # one-sentence logging reads every name and alias on the same fast path
    logged = imported_by("log", "yesterday: lunch with Priya and Marcus", env=env)
    assert "sqlalchemy" not in logged and "sqlmodel" not in logged and "rich" not in logged
    assert "rel.services.sentence" in logged


def _rows_of(store: Path, table: str) -> list[tuple]:
    connection = sqlite3.connect(store)
    try:
        return connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
    finally:
        connection.close()


def test_both_ways_of_logging_write_the_same_rows(busy_store: Path, tmp_path: Path) -> None:
    """The ORM session and sqlite3 with the compiled statements store values alike (dates,
    times, datetimes as SQLAlchemy writes them), so either can read what the other wrote."""
    import shutil
    from datetime import UTC, datetime, time

    from rel.paths import file_location
    from rel.services.interactions import record_interaction
    from rel.services.touchpoints import schedule_row
    from rel.services.who import find
    from rel.store.engine import open_store

    today = date(2026, 2, 26)
    now = datetime(2026, 2, 26, 9, 30, 15, 123456, tzinfo=UTC)

    def log(reader) -> None:
        people = [
            find(reader, "alice"),
            find(reader, "Marcus.Webb@northwind.example"),
            find(reader, "#3"),
        ]
        logged = record_interaction(
            reader, people, "lunch", "Q3 launch", on=date(2026, 2, 20), at=time(12, 30),
            they_reached_out=True, today=today, now=now,
        )  # fmt: skip
        schedule_row(
            reader, people[0].id, "send the deck", on=date(2026, 3, 12), kind="follow-up",
            now=now, interaction_id=logged.interaction_id,
        )  # fmt: skip

    copy = tmp_path / "copy.db"
    shutil.copy(busy_store, copy)
    store = open_store(file_location(busy_store), write=True)
    try:
        with store.session() as session:
            log(OrmReader(session))
    finally:
        store.close()
    connection = sqlite3.connect(copy, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        log(SqliteReader(connection))
        connection.commit()
    finally:
        connection.close()
    for table in ("interaction", "participant", "touchpoint"):
        assert _rows_of(copy, table) == _rows_of(busy_store, table), table
    [*_, last] = _rows_of(copy, "interaction")
    assert "2026-02-20" in last and "12:30:00.000000" in last
    assert "2026-02-26 09:30:15.123456" in last


@pytest.mark.parametrize(
    "who",
    [
        "alice",
        "Alice Chen",
        "#3",
        "7",
        "a chen",
        "ice",
        "sam",
        "nobody at all",
        "zzz@x.y",
        "ALICE@acmerobotics.example",
        "#9999",
    ],
)
def test_both_readers_find_the_same_contact(busy_store: Path, who: str) -> None:
    from rel.errors import RelError
    from rel.paths import file_location
    from rel.services.who import find
    from rel.store.engine import open_store

    def answer(reader) -> object:
        try:
            return find(reader, who)
        except RelError as problem:
            return problem.message

    store = open_store(file_location(busy_store), write=False)
    try:
        with store.session() as session:
            by_orm = answer(OrmReader(session))
    finally:
        store.close()
    connection = sqlite3.connect(busy_store)
    try:
        by_sqlite = answer(SqliteReader(connection))
    finally:
        connection.close()
    assert by_sqlite == by_orm


@pytest.mark.parametrize(
    "options",
    [{}, {"sort": "next"}, {"sort": "last", "archived": True}, {"overdue": True},
     {"tags": ["customer", "friend"], "sort": "next"}],
)  # fmt: skip
def test_both_readers_list_the_same_contacts(busy_store: Path, options) -> None:
    from rel.paths import file_location
    from rel.services.profiles import list_contacts
    from rel.store.engine import open_store

    today = date(2026, 2, 26)
    store = open_store(file_location(busy_store), write=False)
    try:
        with store.session() as session:
            by_orm = list_contacts(OrmReader(session), today, **options)
            # what another engine runs: no derived columns, the last interaction computed
            portable = OrmReader(session)
            portable.statements.update(WITHOUT_DERIVED_COLUMNS)
            assert list_contacts(portable, today, **options) == by_orm
    finally:
        store.close()
    connection = sqlite3.connect(busy_store)
    try:
        by_sqlite = list_contacts(SqliteReader(connection), today, **options)
    finally:
        connection.close()
    assert by_sqlite == by_orm
    assert by_orm and any(summary.tags for summary in by_orm)


def test_rel_list_reads_without_the_orm(busy_store: Path) -> None:
    env = {"REL_DB": str(busy_store), "REL_TODAY": "2026-02-26"}
    listed = imported_by("list", "--sort", "next", env=env)
    assert "sqlalchemy" not in listed and "sqlmodel" not in listed
    assert "rel.services.profiles" in listed


@pytest.mark.parametrize("who", ["alice", "ben", "julia", "noah", "marcus"])
@pytest.mark.parametrize("timeline", [None, 3])
def test_both_readers_show_the_same_profile(busy_store: Path, who: str, timeline) -> None:
    from rel.paths import file_location
    from rel.services.profiles import load_profile
    from rel.services.who import find
    from rel.store.engine import open_store

    today = date(2026, 2, 26)
    store = open_store(file_location(busy_store), write=False)
    try:
        with store.session() as session:
            by_orm = load_profile(session, find(session, who).id, today, timeline=timeline)
    finally:
        store.close()
    connection = sqlite3.connect(busy_store)
    try:
        reader = SqliteReader(connection)
        by_sqlite = load_profile(reader, find(reader, who).id, today, timeline=timeline)
    finally:
        connection.close()
    assert by_sqlite == by_orm
    assert by_orm.timeline and by_orm.created_at.tzinfo is not None
    if timeline is not None:
        assert len(by_orm.timeline) <= timeline


def test_rel_show_reads_without_the_orm(busy_store: Path) -> None:
    env = {"REL_DB": str(busy_store), "REL_TODAY": "2026-02-26"}
    shown = imported_by("show", "alice", "--json", env=env)
    assert "sqlalchemy" not in shown and "sqlmodel" not in shown
    assert "rel.services.profiles" in shown
