"""rel undo: every writing command is reverted as a whole, newest first, and says what it was."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def exported(rel) -> str:
    return rel("export", "json", ok=True).stdout


def test_each_command_is_undone_as_a_whole_newest_first(rel, rel_json) -> None:
    states = [exported(rel)]
    commands = [
        ["add", "Alice Chen", "--email", "alice@acme.example", "--tag", "customer"],
        ["add", "Bob Stone", "--birthday", "1980-03-04", "--every", "1m"],
        ["log", "alice", "lunch", "Q3 launch", "--with", "bob", "--follow-up", "2w: send the deck"],
        ["edit", "alice", "--company", "Acme", "--untag", "customer", "--tag", "partner"],
        ["remind", "bob", "pay rent", "--on", "2026-03-10", "--every", "monthly"],
        ["event", "alice", "promotion", "VP", "--on", "2026-02-27"],
        ["gift", "bob", "idea", "a book", "--lead", "14d"],
        ["done", "b2", "happy birthday", "--kind", "call"],
        ["skip", "t1"],
        ["snooze", "c1", "friday"],
        ["archive", "bob"],
        ["tag", "partner", "--every", "3w"],
        ["rm", "alice", "--yes"],
    ]
    for command in commands:
        rel(*command, ok=True)
        states.append(exported(rel))
    assert len(set(states)) == len(states), "every command changed the store"

    listed = rel_json("undo", "--list")
    assert [entry["command"] for entry in listed][:2] == [
        "rel rm alice --yes",
        "rel tag partner --every 3w",
    ]
    assert len(listed) == len(commands)

    for expected in reversed(states[:-1]):
        result = rel("undo", ok=True)
        assert result.stderr.startswith("Undid rel ")
        assert exported(rel) == expected
    result = rel("undo")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: nothing to undo: no command that changed the store is in the journal"
    )


def test_undo_says_what_it_reverted(rel) -> None:
    rel("add", "Alice", ok=True)
    rel("log", "alice", "call", "talked about the launch", ok=True)
    result = rel("undo", ok=True)
    assert result.stdout == ""
    assert "Undid rel log alice call 'talked about the launch'" in result.stderr
    assert "it had added 1 interaction." in result.stderr
    assert rel("show", "alice", "--json", ok=True).stdout.count('"kind": "call"') == 0


@pytest.mark.sqlite_only  # reads the file with sqlite3
def test_undo_keeps_the_last_interaction_day_right(rel, store_path: Path) -> None:
    from .test_derived_columns import assert_kept

    rel("add", "Ann", "--every", "2w", ok=True)
    rel("add", "Bo", ok=True)
    rel("log", "ann", "call", "--on", "2026-02-01", ok=True)
    rel("log", "bo", "lunch", "--with", "ann", "--on", "2026-02-20", ok=True)
    assert [seen for _, seen, _ in assert_kept(store_path)] == ["2026-02-20", "2026-02-20"]
    rel("rm", "bo", "--yes", ok=True)
    rel("undo", ok=True)
    assert [seen for _, seen, _ in assert_kept(store_path)] == ["2026-02-20", "2026-02-20"]
    rel("undo", ok=True)
    assert [seen for _, seen, _ in assert_kept(store_path)] == ["2026-02-01", None]


def test_undo_of_a_removed_contact_brings_back_their_whole_history(rel, rel_json) -> None:
    rel("add", "Alice", "--email", "a@x.example", "--every", "2w", "--tag", "friend", ok=True)
    rel("add", "Bob", ok=True)
    rel("log", "alice", "lunch", "--with", "bob", "--on", "2026-02-20", ok=True)
    rel("remind", "alice", "send the deck", "--on", "2026-03-05", ok=True)
    rel("gift", "alice", "idea", "a book", ok=True)
    before = exported(rel)
    profile = rel_json("show", "alice")
    rel("rm", "alice", "--yes", ok=True)
    assert "removed 1 contact" in rel("undo", ok=True).stderr
    assert exported(rel) == before
    assert rel_json("show", "alice") == profile


def test_undo_of_a_merge_restores_both_people_exactly(rel, rel_json) -> None:
    rel("add", "Zoë A. Van der Berg Jr.", "--email", "zoe@x.example", "--every", "3w", ok=True)
    rel("add", "Zoe Van der Berg", "--phone", "+1 555 0100", "--tag", "friend", ok=True)
    rel("add", "Bob", ok=True)
    rel("log", "zoë a", "lunch", "--with", "bob", "--on", "2026-02-10", ok=True)
    rel("log", "zoe van der berg", "lunch", "--with", "bob", "--on", "2026-02-10", ok=True)
    rel("remind", "zoe van der berg", "send the photos", "--on", "2026-03-05", ok=True)
    rel("gift", "2", "idea", "a book", ok=True)
    before = exported(rel)
    profiles = [rel_json("show", "1"), rel_json("show", "2")]
    rel("merge", "1", "2", "--yes", ok=True)
    assert exported(rel) != before
    result = rel("undo", ok=True)
    assert "Undid rel merge 1 2 --yes" in result.stderr and "removed 1 contact" in result.stderr
    assert exported(rel) == before
    assert [rel_json("show", "1"), rel_json("show", "2")] == profiles


def test_undo_of_an_import_removes_what_it_added_and_restores_what_it_merged(
    rel, tmp_path: Path
) -> None:
    rel("add", "Alice Chen", "--email", "alice@acme.example", ok=True)
    before = exported(rel)
    cards = "".join(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n" + body + "END:VCARD\r\n"
        for body in (
            "FN:Alice Chen\r\nEMAIL:alice@acme.example\r\nTEL:+1 555 0100\r\nORG:Acme\r\n",
            "FN:Dan Kim\r\nEMAIL:dan@example.org\r\nBDAY:1990-07-04\r\n",
            "FN:Eve Ruiz\r\nNOTE:met at the fair\r\n",
        )
    )
    path = tmp_path / "cards.vcf"
    path.write_text(cards, encoding="utf-8")
    rel("import", "vcard", str(path), "--tag", "imported", "--every", "3m", ok=True)
    assert exported(rel) != before
    result = rel("undo", ok=True)
    assert "added 2 contacts" in result.stderr and "changed 1 contact" in result.stderr
    assert exported(rel) == before


def test_a_failed_command_leaves_no_entry(rel, rel_json) -> None:
    rel("add", "Alice", ok=True)
    assert rel("log", "alice", "lnch").exit_code == 1
    assert rel("edit", "alice", "--every", "banana").exit_code == 1
    assert [entry["command"] for entry in rel_json("undo", "--list")] == ["rel add Alice"]


def test_commands_that_change_nothing_are_not_journaled(rel, rel_json) -> None:
    rel("add", "Alice", ok=True)
    rel("due", ok=True)
    rel("list", ok=True)
    rel("show", "alice", ok=True)
    rel("export", "json", ok=True)
    rel("archive", "alice", ok=True)
    rel("archive", "alice", ok=True)  # already archived: nothing changes
    assert [entry["command"] for entry in rel_json("undo", "--list")] == [
        "rel archive alice",
        "rel add Alice",
    ]


def test_the_journal_keeps_the_last_50_commands(rel, rel_json) -> None:
    for number in range(53):
        rel("add", f"Person {number}", ok=True)
    listed = rel_json("undo", "--list")
    assert len(listed) == 50
    assert listed[0]["command"] == "rel add 'Person 52'"
    assert listed[-1]["command"] == "rel add 'Person 3'"
    assert listed[0]["changes"] == [{"action": "added", "record": "contact", "count": 1}]


def test_undo_list_on_an_empty_or_missing_store(rel, store_path: Path) -> None:
    result = rel("undo", "--list", ok=True)
    assert result.stderr.strip() == "Nothing to undo."
    assert not store_path.exists()
    assert rel("undo").exit_code == 1
    assert rel("undo", "--json").exit_code == 1


@pytest.mark.sqlite_only  # writes with the sqlite3 shell
def test_changes_made_outside_a_command_are_not_journaled(rel, rel_json, store_path) -> None:
    rel("add", "Alice", ok=True)
    with sqlite3.connect(store_path) as connection:
        connection.execute("UPDATE contact SET company = 'Acme'")
    connection.close()
    assert len(rel_json("undo", "--list")) == 1
    rel("undo", ok=True)
    assert json.loads(exported(rel))["contacts"] == []


def test_an_upgraded_store_gets_the_journal(rel, rel_json, tmp_path: Path) -> None:
    import shutil

    old = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "data" / "store-0001.db", old)
    before = rel("--db", str(old), "export", "json", ok=True).stdout
    rel("--db", str(old), "add", "Newcomer", ok=True)
    assert [e["command"] for e in rel_json("--db", str(old), "undo", "--list")] == [
        "rel add Newcomer"
    ]
    rel("--db", str(old), "undo", ok=True)
    assert rel("--db", str(old), "export", "json", ok=True).stdout == before


# --- any sequence of commands, then as many undos, gives back the store it started from ------

NAMES = ["Alice Chen", "Bob Stone", "Carol Diaz"]
WHO = ["alice", "bob", "carol"]


def _step(draw_kind: str, target: int, number: int) -> list[str]:
    who = WHO[target]
    return {
        "add": ["add", f"Extra {number}", "--every", "3w"],
        "log": ["log", who, "lunch", f"note {number}", "--with", WHO[(target + 1) % 3]],
        "edit": ["edit", who, "--company", f"Co {number}", "--tag", f"t{number}"],
        "note": ["edit", who, "--note", f"line {number}\nsecond line"],
        "done": ["done", f"c{target + 1}", f"done {number}", "--kind", "call"],
        "skip": ["skip", f"c{target + 1}"],
        "remind": ["remind", who, f"task {number}", "--on", "2026-03-04", "--every", "weekly"],
        "archive": ["archive", who],
        "rm": ["rm", who, "--yes"],
        "merge": ["merge", who, WHO[(target + 1) % 3], "--yes"],
    }[draw_kind]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["add", "log", "edit", "note", "done", "skip", "remind", "archive", "rm", "merge"]
            ),
            st.integers(0, 2),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_sequence_then_as_many_undos_restores_the_store(rel, tmp_path_factory, steps):
    db = str(tmp_path_factory.mktemp("undo") / "rel.db")
    for name in NAMES:
        rel("--db", db, "add", name, "--every", "2w", ok=True)
    start = rel("--db", db, "export", "json", ok=True).stdout

    def journaled() -> int:
        return len(json.loads(rel("--db", db, "undo", "--list", "--json", ok=True).stdout))

    for number, (kind, target) in enumerate(steps):
        result = rel("--db", db, *_step(kind, target, number))
        assert result.exit_code in (0, 1), result.stderr  # 1: e.g. a removed contact's key
    for _ in range(journaled() - len(NAMES)):
        rel("--db", db, "undo", ok=True)
    assert rel("--db", db, "export", "json", ok=True).stdout == start


@pytest.mark.parametrize("words", [["undo", "--list", "--json"], ["undo", "--list"]])
@pytest.mark.sqlite_only  # compares the file's bytes
def test_listing_the_journal_changes_nothing(rel, store_path: Path, words) -> None:
    rel("add", "Alice", ok=True)
    before = store_path.read_bytes()
    rel(*words, ok=True)
    assert store_path.read_bytes() == before


@pytest.mark.sqlite_only  # the sqlite3 shell; tests/test_journal_postgres.py has PostgreSQL's
def test_undo_that_a_change_outside_rel_gets_in_the_way_of_is_refused_whole(
    rel, store_path: Path
) -> None:
    rel("add", "Alice", ok=True)
    rel("add", "Bob", "--email", "bob@x.example", ok=True)
    rel("rm", "bob", "--yes", ok=True)
    with sqlite3.connect(store_path) as connection:  # someone with the sqlite3 shell
        connection.execute(
            "INSERT INTO contact (id, name, search_name, archived, added_on, created_at,"
            " updated_at) VALUES (2, 'Intruder', 'intruder', 0, '2026-03-01', '2026-03-01',"
            " '2026-03-01')"
        )
    connection.close()
    before = store_path.read_bytes()
    result = rel("undo")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot undo rel rm bob --yes: the store was changed")
    assert store_path.read_bytes() == before
