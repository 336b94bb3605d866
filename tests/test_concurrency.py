"""Several rel processes at once, and a rel killed in the middle of a large import."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_installed

pytestmark = [
    pytest.mark.slow,
    pytest.mark.sqlite_only,
]  # SQLite's locks and WAL (PostgreSQL: test_postgresql.py)

# One process running many rel commands, each a whole command with its own store and
# transaction, as a shell loop would (without paying the interpreter's start 50 times).
MANY_COMMANDS = """
import sys
from typer.testing import CliRunner
from rel.cli import app
runner = CliRunner()
failures = 0
count, with_note, args = int(sys.argv[1]), sys.argv[2] == "note", sys.argv[3:]
for n in range(count):
    result = runner.invoke(app, args + ([f"note {n}"] if with_note else []))
    if result.exit_code != 0 or result.stderr.startswith("error"):
        failures += 1
        sys.stderr.write(f"failed: {result.stderr or result.exception!r}\\n")
sys.exit(1 if failures else 0)
"""


def count(store: Path, table: str) -> int:
    with sqlite3.connect(store) as connection:
        (found,) = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
    connection.close()
    return found


def integrity(store: Path) -> str:
    with sqlite3.connect(store) as connection:
        (verdict,) = connection.execute("PRAGMA integrity_check").fetchone()
    connection.close()
    return verdict


def log_while_reading(writers: int, logs_each: int, reads: int, timeout: int) -> None:
    """`writers` processes each log `logs_each` calls with Alice while one more runs `rel due
    --json` `reads` times; every process must end well, with nothing on stderr."""
    logging = [
        subprocess.Popen(
            [sys.executable, "-c", MANY_COMMANDS, str(logs_each), "note", "log", "alice", "call"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(writers)
    ]
    reader = subprocess.Popen(
        [sys.executable, "-c", MANY_COMMANDS, str(reads), "plain", "due", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for process in [*logging, reader]:
        _, err = process.communicate(timeout=timeout)
        assert process.returncode == 0, err
        assert err == ""


def test_eight_processes_logging_fifty_interactions_each_all_land(store_path: Path) -> None:
    assert run_installed("add", "Alice", "--every", "1w").returncode == 0
    log_while_reading(writers=8, logs_each=50, reads=30, timeout=600)
    assert count(store_path, "interaction") == 400
    assert count(store_path, "participant") == 400
    assert integrity(store_path) == "ok"


def add_people_at_once(people: int) -> None:
    """`rel add` in `people` processes started together on one store that does not exist yet;
    each says it added its person, in one line."""
    adders = [
        subprocess.Popen(
            [sys.executable, "-m", "rel", "add", f"Person {n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(people)
    ]
    for process in adders:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert err.startswith("Added Person") and err.count("\n") == 1, err


def test_eight_processes_creating_the_store_at_once_lose_nothing(store_path: Path) -> None:
    add_people_at_once(8)
    assert count(store_path, "contact") == 8
    assert sorted(p.name for p in store_path.parent.iterdir()) == ["rel.db"]


def write_cards(path: Path, number: int) -> None:
    cards = [
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nN:{n};Person;;;\r\n"
        f"EMAIL:person{n}@example.org\r\nTEL:+1 555 {n:07d}\r\nBDAY:1980-01-{n % 28 + 1:02d}\r\n"
        f"CATEGORIES:imported\r\nEND:VCARD\r\n"
        for n in range(number)
    ]
    path.write_text("".join(cards), encoding="utf-8")


@pytest.mark.parametrize("written", [1, 128 * 1024, 512 * 1024])
def test_a_kill_in_the_middle_of_a_large_import_leaves_the_store_as_it_was(
    store_path: Path, tmp_path: Path, written: int
) -> None:
    """Killed once the import's transaction has written `written` bytes to the WAL."""
    assert run_installed("add", "Alice", "--every", "1w").returncode == 0
    assert run_installed("log", "alice", "call").returncode == 0
    before = (count(store_path, "contact"), count(store_path, "interaction"))
    cards = tmp_path / "cards.vcf"
    write_cards(cards, 8000)
    importer = subprocess.Popen(
        [sys.executable, "-m", "rel", "import", "vcard", str(cards)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = Path(f"{store_path}-wal")
    deadline = time.monotonic() + 120
    while not (wal.exists() and wal.stat().st_size >= written):
        assert importer.poll() is None, "the import finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    os.kill(importer.pid, signal.SIGKILL)
    importer.wait(timeout=30)
    assert importer.returncode == -signal.SIGKILL
    assert (count(store_path, "contact"), count(store_path, "interaction")) == before
    assert integrity(store_path) == "ok"
    assert sorted(p.name for p in store_path.parent.glob("*.new-*")) == []
    again = run_installed("due", "--json")
    assert again.returncode == 0 and '"contact": "Alice"' not in again.stderr
