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

from rel.core.agenda import agenda
from rel.core.compiled_sql import COMPILED
from rel.core.queries import OrmReader, SqliteReader, compile_for_sqlite


def test_the_compiled_sql_is_what_the_expressions_compile_to() -> None:
    assert compile_for_sqlite() == COMPILED, "run: uv run python -m rel.core.queries"


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
    from rel.db import open_store
    from rel.paths import file_location

    today = date(2026, 2, 26)
    store = open_store(file_location(busy_store), write=False)
    try:
        with store.session() as session:
            by_orm = agenda(OrmReader(session), today, days=days, tags=tags, limit=limit)
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
    assert "rel.core.agenda" in due  # the agenda did run
    helped = imported_by("--help", env=env)
    assert "sqlalchemy" not in helped and "rich" not in helped and "rel.db" not in helped


def test_a_store_that_needs_the_full_path_still_works(rel, store_path: Path) -> None:
    # no store yet: the ORM path answers (and creates nothing)
    assert "Your network is empty" in rel("due", ok=True).stdout
    assert not store_path.exists()
