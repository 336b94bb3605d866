"""Store names that cannot hold a store are refused in one line, before anything is created."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("   ", "expected a store for REL_DB: a file path or sqlite:///PATH; got '   '"),
        ("sqlite://", "an in-memory store ('sqlite://') keeps nothing"),
        ("sqlite:///:memory:", "an in-memory store ('sqlite:///:memory:') keeps nothing"),
        (
            "mysql://me:hunter2@db.example/rel",
            "REL_DB is 'mysql://me:***@db.example/rel'",
        ),
        ("postgresql://me:hunter2@db.example:http/rel", "is not a number from 1 to 65535"),
    ],
)
def test_a_store_that_keeps_nothing_or_cannot_be_opened_is_refused(
    rel, monkeypatch, tmp_path: Path, value: str, expected: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("REL_DB", value)
    result = rel("add", "Zed")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert expected in result.stderr
    assert "hunter2" not in result.stderr
    assert list(work.iterdir()) == []  # nothing created, not even a folder


def test_a_blank_db_option_is_refused(rel) -> None:
    result = rel("--db", "", "due")
    assert result.exit_code == 1
    assert "expected a store for --db" in result.stderr


@pytest.mark.parametrize("form", ["sqlite:///{path}", "{path}"])
def test_an_sqlite_url_names_the_same_private_file_as_its_path(
    rel, tmp_path: Path, form: str
) -> None:
    path = tmp_path / "deep" / "er" / "u.db"
    rel("--db", form.format(path=path), "add", "Alice", ok=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    listed = rel("--db", str(path), "list", ok=True).stdout
    assert "Alice" in listed
