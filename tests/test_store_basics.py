"""The store as issue #3 promises it: private, versioned, and refused when newer."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.sqlite_only  # on PostgreSQL: test_postgresql.py
def test_a_new_store_is_private_to_the_user(rel, store_path: Path) -> None:
    rel("add", "Alice", ok=True)
    assert mode(store_path) == 0o600
    assert mode(store_path.parent) == 0o700


def test_db_option_and_env_choose_the_store(rel, tmp_path: Path, monkeypatch) -> None:
    elsewhere = tmp_path / "elsewhere.db"
    rel("--db", str(elsewhere), "add", "Alice", ok=True)
    assert elsewhere.exists()
    monkeypatch.setenv("REL_DB", str(elsewhere))
    assert "Alice" in rel("list", ok=True).stdout


def test_the_default_store_lives_in_the_user_data_dir(rel, monkeypatch, isolated_home) -> None:
    monkeypatch.delenv("REL_DB")
    rel("add", "Alice", ok=True)
    assert (isolated_home / ".local" / "share" / "rel" / "rel.db").exists()


@pytest.mark.sqlite_only  # on PostgreSQL: test_postgresql.py
def test_a_store_written_by_a_newer_version_is_refused_untouched(rel, store_path: Path) -> None:
    rel("add", "Alice", ok=True)
    with sqlite3.connect(store_path) as connection:
        connection.execute(
            "INSERT INTO rel_migration (name, applied_at) VALUES ('0999_future', '2030-01-01')"
        )
    connection.close()
    before = store_path.read_bytes()
    for args in (["due"], ["add", "Bob"], ["log", "alice", "call"]):
        result = rel(*args)
        assert result.exit_code == 1
        assert "written by a newer version of rel" in result.stderr
        assert str(store_path) in result.stderr
        assert store_path.read_bytes() == before


@pytest.mark.sqlite_only  # on PostgreSQL: test_postgresql.py
def test_an_sqlite_file_that_is_not_a_rel_store_is_refused(rel, store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    with sqlite3.connect(store_path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    connection.close()
    before = store_path.read_bytes()
    result = rel("add", "Alice")
    assert result.exit_code == 1
    assert "not a rel store" in result.stderr
    assert store_path.read_bytes() == before
