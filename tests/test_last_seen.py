"""`contact.last_seen` is derived state kept by the store's triggers: whatever writes, through
whichever path, it is always the day of the contact's last interaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

COMPUTED = (
    'SELECT c.id, c.last_seen, (SELECT max(i."on") FROM interaction i JOIN participant p'
    " ON p.interaction_id = i.id WHERE p.contact_id = c.id) FROM contact c ORDER BY c.id"
)


def kept_and_computed(store: Path) -> list[tuple]:
    connection = sqlite3.connect(store)
    try:
        return connection.execute(COMPUTED).fetchall()
    finally:
        connection.close()


def assert_kept(store: Path) -> list[tuple]:
    rows = kept_and_computed(store)
    assert rows, "no contacts"
    assert [(cid, kept) for cid, kept, _ in rows] == [(cid, seen) for cid, _, seen in rows]
    return rows


def test_every_way_of_writing_keeps_the_last_interaction(rel, store_path: Path) -> None:
    rel("add", "Ann Lee", "--every", "2w", ok=True)
    rel("add", "Bo Chen", "--every", "1m", ok=True)
    rel("add", "Cy Diaz", ok=True)
    rel("log", "ann", "call", "--on", "2026-02-01", ok=True)  # sqlite3 path
    rel("log", "bo", "lunch", "--with", "ann", "--on", "2026-02-20", ok=True)
    rel("log", "ann", "email", "--on", "2026-01-15", ok=True)  # an older one changes nothing
    rel("done", "c2", "--today", "2026-02-27", ok=True)  # the ORM path
    rows = assert_kept(store_path)
    assert [seen for _, seen, _ in rows] == ["2026-02-20", "2026-02-27", None]

    connection = sqlite3.connect(store_path)
    with connection:  # a person with the sqlite3 shell
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM interaction WHERE \"on\" = '2026-02-20'")
        connection.execute("UPDATE interaction SET \"on\" = '2026-02-25' WHERE kind = 'email'")
        connection.execute("UPDATE participant SET contact_id = 3 WHERE contact_id = 2")
    connection.close()
    rows = assert_kept(store_path)
    assert [seen for _, seen, _ in rows] == ["2026-02-25", None, "2026-02-27"]


def test_an_imported_network_and_the_demo_keep_it(rel, tmp_path: Path) -> None:
    demo = tmp_path / "demo.db"
    rel("demo", "--out", str(demo), ok=True)
    rows = assert_kept(demo)
    assert sum(1 for _, seen, _ in rows if seen) > 10
    exported = tmp_path / "network.json"
    rel("--db", str(demo), "export", "json", "--output", str(exported), ok=True)
    copy = tmp_path / "copy.db"
    rel("--db", str(copy), "import", "json", str(exported), ok=True)
    assert [seen for _, seen, _ in assert_kept(copy)] == [seen for _, seen, _ in rows]
