"""rel due reads an up-to-date SQLite store through the standard library's sqlite3, and an
up-to-date PostgreSQL store through psycopg, with SQL compiled ahead from the same SQLAlchemy
expressions: the same agenda, without the import."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rel.services.agenda import agenda
from rel.store import compiled_sql_postgresql
from rel.store.compiled_sql import COMPILED
from rel.store.queries import (
    STATEMENTS,
    OrmReader,
    SqliteReader,
    compile_for_postgresql,
    compile_for_sqlite,
)

from .conftest import copy_sqlite, made_by_rel


def read_both_ways(store_path: Path, read: Callable[[Any], Any]) -> tuple[Any, Any]:
    """What `read` gives through an ORM session and on sqlite3 with the compiled statements."""
    from rel.paths import file_location
    from rel.store.engine import open_store

    store = open_store(file_location(store_path), write=False)
    try:
        with store.session() as session:
            by_orm = read(OrmReader(session))
    finally:
        store.close()
    connection = sqlite3.connect(store_path)
    try:
        return by_orm, read(SqliteReader(connection))
    finally:
        connection.close()


def write_both_ways(store_path: Path, copy: Path, act: Callable[[Any], Any]) -> tuple[Any, Any]:
    """What `act` gives and writes through an ORM session on `store_path`, and on sqlite3 (one
    writing transaction) on `copy`, made of it first: compare the two stores afterwards."""
    import shutil

    from rel.paths import file_location
    from rel.store.engine import open_store

    shutil.copy(store_path, copy)
    store = open_store(file_location(store_path), write=True)
    try:
        with store.session() as session:
            by_orm = act(OrmReader(session))
    finally:
        store.close()
    connection = sqlite3.connect(copy, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        by_sqlite = act(SqliteReader(connection))
        connection.commit()
    finally:
        connection.close()
    return by_orm, by_sqlite


# the compiled statements on the standard library's sqlite3; those on psycopg are marked
# postgresql_only below
pytestmark = pytest.mark.sqlite_only


def test_the_compiled_sql_is_what_the_expressions_compile_to() -> None:
    assert compile_for_sqlite() == COMPILED, "run: uv run python -m rel.store.queries"
    assert compile_for_postgresql() == compiled_sql_postgresql.COMPILED, (
        "run: uv run python -m rel.store.queries"
    )


@pytest.fixture(scope="session")
def busy_store_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network and more (a tag cadence, reminders, a favor with a follow-up, life
    events, a gift idea, a snooze), made once by rel's own commands; busy_store copies it."""
    folder = tmp_path_factory.mktemp("busy")
    store = folder / "demo.db"
    on = ["--db", str(store), "--today", "2026-02-26"]
    return made_by_rel(
        folder,
        store,
        [
            ["demo", "--out", str(store)],
            [*on, "tag", "friend", "--every", "3w"],
            [*on, "remind", "alice", "send the report", "--on", "today", "--every", "monthly"],
            [*on, "remind", "priya", "book the restaurant", "--on", "mar 20", "--lead", "4w"],
            [*on, "log", "ben", "help", "intro", "--they", "--follow-up", "friday: thank him"],
            [*on, "event", "marcus", "promotion", "COO", "--on", "yesterday"],
            [*on, "event", "julia", "wedding", "--on", "2019-03-01"],
            [*on, "gift", "noah", "idea", "a vinyl record"],
            [*on, "snooze", "c29", "in 5 days"],
        ],
    )


@pytest.fixture
def busy_store(busy_store_made: Path, tmp_path: Path) -> Path:
    """A copy of the busy demo store of the test's own."""
    return copy_sqlite(busy_store_made, tmp_path / "demo.db")


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
            # without the filter of the derived columns: every contact looked at
            portable = OrmReader(session)
            portable.statements = {
                **STATEMENTS,
                "agenda_contacts": STATEMENTS["every_agenda_contact"],
                "agenda_contacts_tagged": STATEMENTS["every_agenda_contact_tagged"],
            }
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


def test_a_store_that_needs_the_full_path_still_works(rel, store) -> None:
    # no store yet: the ORM path answers (and creates nothing)
    assert "Your network is empty" in rel("due", ok=True).stdout
    assert not store.exists()


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
    """The table's rows, their UIDs left out (random, so never the same two ways) once checked
    to be there, one each."""
    connection = sqlite3.connect(store)
    try:
        cursor = connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
        return _uids_left_out(table, [column[0] for column in cursor.description], cursor)
    finally:
        connection.close()


def _uids_left_out(table: str, columns: list[str], rows) -> list[tuple]:
    """The rows without their UIDs (random, so never the same two ways), once these are
    checked to be there, one each."""
    rows = list(rows)
    if "uid" not in columns:
        return rows
    at = columns.index("uid")
    uids = [row[at] for row in rows]
    assert None not in uids and len(set(uids)) == len(uids), f"{table}: a UID each"
    return [row[:at] + row[at + 1 :] for row in rows]


def _log(reader) -> None:
    """`rel log` of a lunch with three people and a follow-up, through the services."""
    from datetime import UTC, datetime, time

    from rel.services.interactions import record_interaction
    from rel.services.touchpoints import schedule
    from rel.services.who import find

    today = date(2026, 2, 26)
    now = datetime(2026, 2, 26, 9, 30, 15, 123456, tzinfo=UTC)
    people = [
        find(reader, "alice"),
        find(reader, "Marcus.Webb@northwind.example"),
        find(reader, "#3"),
    ]
    logged = record_interaction(
        reader, people, "lunch", "Q3 launch", on=date(2026, 2, 20), at=time(12, 30),
        they_reached_out=True, today=today, now=now,
    )  # fmt: skip
    schedule(
        reader, people[0].id, "send the deck", on=date(2026, 3, 12), kind="follow-up",
        now=now, interaction_id=logged.interaction_id,
    )  # fmt: skip


def test_both_ways_of_logging_write_the_same_rows(busy_store: Path, tmp_path: Path) -> None:
    """The ORM session and sqlite3 with the compiled statements store values alike (dates,
    times, datetimes as SQLAlchemy writes them), so either can read what the other wrote."""
    import shutil

    from rel.paths import file_location
    from rel.store.engine import open_store

    log = _log
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
    from rel.services.who import find

    def answer(reader) -> object:
        try:
            return find(reader, who)
        except RelError as problem:
            return problem.message

    by_orm, by_sqlite = read_both_ways(busy_store, answer)
    assert by_sqlite == by_orm


@pytest.mark.parametrize(
    "options",
    [{}, {"sort": "next"}, {"sort": "last", "archived": True}, {"overdue": True},
     {"tags": ["customer", "friend"], "sort": "next"}],
)  # fmt: skip
def test_both_readers_list_the_same_contacts(busy_store: Path, options) -> None:
    from rel.services.profiles import list_contacts

    today = date(2026, 2, 26)
    by_orm, by_sqlite = read_both_ways(
        busy_store, lambda reader: list_contacts(reader, today, **options)
    )
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


CONTACT_WRITES = [
    ("add", "Zoe Park", "--email", "zoe@park.example", "--tag", "friend", "--tag", "new-tag",
     "--every", "3w", "--birthday", "1990-05-04", "--company", "Park & Co", "--met", "a fair"),
    ("edit", "alice", "--rename", "Alice C. Chen", "--title", "CTO", "--company", "",
     "--tag", "mentor", "--untag", "customer", "--every", "2w-6w", "--alias", "Ali",
     "--add-note", "met at the conference"),
    ("edit", "ben", "--birthday", "none", "--every", "none", "--phone", "+1 555 0199"),
    ("tag", "customer", "--every", "1m"),
    ("tag", "brand-new", "--every", "quarterly"),
    ("tag", "friend", "--every", "none"),
    ("archive", "marcus"),
    ("unarchive", "marcus"),
    ("rm", "ben", "--yes"),  # his favor and its follow-up, his share of group interactions
    ("rm", "29", "--yes"),  # a snoozed catch-up
]  # fmt: skip


@pytest.mark.parametrize("words", [*CONTACT_WRITES, ("tags",), ("tag", "friend")], ids=" ".join)
def test_contact_commands_run_without_the_orm(busy_store: Path, words) -> None:
    env = {"REL_DB": str(busy_store), "REL_TODAY": "2026-02-26"}
    imported = imported_by(*words, env=env)
    for heavy in ("sqlalchemy", "sqlmodel", "pydantic", "rich", "apprise"):
        assert heavy not in imported, heavy
    assert "rel.store.contacts" in imported  # the store was reached


def _export(store: Path) -> dict:
    from rel.paths import file_location
    from rel.services.network import dump_network
    from rel.store.engine import open_store

    opened = open_store(file_location(store), write=False)
    try:
        with opened.session() as session:
            return dump_network(OrmReader(session), store_ids=True)
    finally:
        opened.close()


def test_contact_commands_write_what_the_orm_path_writes(
    rel, busy_store: Path, tmp_path: Path
) -> None:
    """The same commands through an ORM session (what another engine gets) and through
    sqlite3 leave the same rows, derived columns (search names, cadence days) included."""
    import shutil
    from unittest import mock

    by_orm = tmp_path / "orm.db"
    shutil.copy(busy_store, by_orm)
    on = ["--today", "2026-02-26"]
    with mock.patch("rel.store.engine.open_sqlite", return_value=None):  # as if not SQLite
        for words in CONTACT_WRITES:
            rel("--db", str(by_orm), *on, *words, ok=True)
    for words in CONTACT_WRITES:
        rel("--db", str(busy_store), *on, *words, ok=True)
    for table in ("handle", "tag", "contact_tag", "interaction", "participant", "touchpoint",
                  "completion", "life_event", "gift", "snooze"):  # fmt: skip
        assert _rows_of(by_orm, table) == _rows_of(busy_store, table), table

    def contacts(store: Path) -> list[tuple]:  # but the time each command ran
        connection = sqlite3.connect(store)
        try:
            return connection.execute(
                "SELECT id, name, search_name, company, title, met, notes, birthday_month,"
                " birthday_day, birthday_year, cadence, cadence_days, archived, added_on,"
                " last_seen FROM contact ORDER BY id"
            ).fetchall()
        finally:
            connection.close()

    assert contacts(by_orm) == contacts(busy_store)
    connection = sqlite3.connect(busy_store)
    try:
        wrong = connection.execute(
            "SELECT name, cadence, cadence_days FROM contact WHERE cadence IS NOT NULL"
            " UNION ALL SELECT name, cadence, cadence_days FROM tag WHERE cadence IS NOT NULL"
        ).fetchall()
    finally:
        connection.close()
    from rel.domain.dates import cadence_days
    from rel.services.who import fold

    assert wrong and all(days == cadence_days(cadence) for _n, cadence, days in wrong)
    [(name, folded)] = _rows_where(busy_store, "SELECT name, search_name FROM contact WHERE id = 1")
    assert (name, folded) == ("Alice C. Chen", fold("Alice C. Chen"))


def _rows_where(store: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(store)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@pytest.mark.parametrize("words", CONTACT_WRITES, ids=" ".join)
def test_each_contact_command_on_the_fast_path_is_undone(rel, busy_store: Path, words) -> None:
    on = ["--db", str(busy_store), "--today", "2026-02-26"]
    if words[0] == "unarchive":
        rel(*on, "archive", words[1], ok=True)
    before = _export(busy_store)
    rel(*on, *words, ok=True)
    assert _export(busy_store) != before
    rel(*on, "undo", ok=True)
    assert _export(busy_store) == before


# --- acting on the agenda, scheduling, events and gifts: the same fast path ---------------------

ORM = ("sqlalchemy", "sqlmodel", "pydantic")


def _one(store: Path, sql: str) -> int:
    connection = sqlite3.connect(store)
    try:
        [(number,)] = connection.execute(sql).fetchall()
    finally:
        connection.close()
    return number


def _fast_commands(store: Path) -> list[tuple[str, ...]]:
    """One of each command that acts on the agenda or schedules, with keys of `busy_store`."""
    report = _one(store, "SELECT id FROM touchpoint WHERE text = 'send the report'")
    dinner = _one(store, "SELECT id FROM touchpoint WHERE text = 'book the restaurant'")
    thanks = _one(store, "SELECT id FROM touchpoint WHERE text = 'thank him'")
    record = _one(store, "SELECT id FROM gift WHERE text = 'a vinyl record'")
    marcus = _one(store, "SELECT id FROM contact WHERE name = 'Marcus Webb'")  # birthday today
    alice = _one(store, "SELECT id FROM contact WHERE name = 'Alice Chen'")
    return [
        ("remind", "alice", "send the board deck", "--on", "friday", "--every", "monthly"),
        ("remind", "priya", "call back", "--on", "in 3 days", "--kind", "follow-up"),
        ("event", "alice", "new-job", "CTO at Initech", "--on", "yesterday"),
        ("gift", "noah", "gave", "a vinyl record", "--for", "birthday"),
        ("gift", "noah", "idea", "a lamp", "--lead", "3w"),
        ("why", "alice"),
        ("why", "marcus", "--days", "30"),
        ("done", f"t{report}", "sent it", "--kind", "email"),
        ("done", f"t{thanks}"),
        ("done", f"b{marcus}"),
        ("done", f"c{alice}", "lunch", "--kind", "lunch"),
        ("done", f"g{record}", "she loved it"),
        ("snooze", f"t{dinner}", "in 3 days"),
        ("snooze", f"c{alice}", "friday"),
        ("skip", f"c{alice}"),
        ("skip", f"b{marcus}"),
        ("skip", f"t{dinner}"),
    ]


def test_acting_on_the_agenda_and_scheduling_go_without_the_orm(busy_store: Path, rel) -> None:
    """Each command on an up-to-date SQLite store imports neither SQLAlchemy, SQLModel nor
    pydantic; each that writes is one undo entry, and undoing it gives back the store."""
    env = {"REL_DB": str(busy_store), "REL_TODAY": "2026-02-26"}
    on = ["--db", str(busy_store), "--today", "2026-02-26"]
    for command in _fast_commands(busy_store):
        before = rel(*on, "export", "json", ok=True).stdout
        journal = len(json.loads(rel(*on, "undo", "--list", "--json", ok=True).stdout))
        imported = imported_by(*command, env=env)
        assert not [name for name in ORM if name in imported], command
        assert "rich" not in imported and "apprise" not in imported, command
        assert "rel.services.touchpoints" in imported or "rel.services.why" in imported, command
        after = rel(*on, "export", "json", ok=True).stdout
        undo_list = json.loads(rel(*on, "undo", "--list", "--json", ok=True).stdout)
        if command[0] == "why":
            assert after == before and len(undo_list) == journal, command
            continue
        assert after != before, command
        assert len(undo_list) == journal + 1, command
        assert undo_list[0]["command"].startswith(f"rel {command[0]} "), command
        rel(*on, "undo", ok=True)
        assert rel(*on, "export", "json", ok=True).stdout == before, command


def _act(reader, keys: list[str]) -> list[object]:
    """Act on the agenda (done with each of `keys`, snooze, skip), schedule, record an event
    and gifts, and explain, through the services; what each said."""
    from datetime import UTC, datetime

    from rel.domain.dates import parse_duration
    from rel.services import touchpoints
    from rel.services.who import find
    from rel.services.why import explain

    today = date(2026, 2, 26)
    now = datetime(2026, 2, 26, 9, 30, 15, 123456, tzinfo=UTC)
    alice, noah = find(reader, "alice"), find(reader, "noah")
    said: list[object] = [explain(reader, alice.id, today, days=30)]
    said.append(touchpoints.schedule(
        reader, alice.id, "send the deck", on=date(2026, 3, 31), rule="monthly",
        lead=parse_duration("3d"), kind="follow-up", now=now,
    ))  # fmt: skip
    said.append(touchpoints.record_event(
        reader, alice.id, "wedding", "in Lisbon", on=date(2026, 2, 20), today=today, now=now
    ))  # fmt: skip
    said.append(touchpoints.record_gift(
        reader, noah, "gave", "A Vinyl Record", on=today, occasion="birthday", cost="30",
        lead=None, now=now,
    ))  # fmt: skip
    said.append(touchpoints.record_gift(
        reader, noah, "idea", "a vinyl record", on=None, occasion=None, cost=None,
        lead=parse_duration("2w"), now=now,
    ))  # fmt: skip
    for key in keys:
        said.append(touchpoints.mark_done(reader, key, "done", kind=None, today=today, now=now))
    said.append(touchpoints.snooze(reader, f"c{alice.id}", date(2026, 3, 6), today=today))
    said.append(touchpoints.snooze(reader, f"c{alice.id}", date(2026, 3, 6), today=today))
    said.append(touchpoints.skip(reader, f"c{alice.id}", today=today))
    said.append(touchpoints.skip(reader, f"b{find(reader, 'marcus').id}", today=today))
    said.append(explain(reader, alice.id, today, days=30))
    return said


def test_both_readers_act_on_the_agenda_alike(busy_store: Path, tmp_path: Path) -> None:
    """Through an ORM session or on sqlite3, acting on the agenda, scheduling, events and gifts
    say the same and write the same rows, and `rel why` explains the same."""

    keys = [command[1] for command in _fast_commands(busy_store) if command[0] == "done"]

    def act(reader) -> list[object]:
        return _act(reader, keys)

    copy = tmp_path / "copy.db"
    by_orm, by_sqlite = write_both_ways(busy_store, copy, act)
    assert by_sqlite == by_orm
    for table in ("touchpoint", "completion", "snooze", "life_event", "gift", "interaction",
                  "participant", "contact"):  # fmt: skip
        assert _rows_of(copy, table) == _rows_of(busy_store, table), table


def test_the_record_listings_read_without_the_orm(busy_store: Path) -> None:
    env = {"REL_DB": str(busy_store), "REL_TODAY": "2026-02-26"}
    for command in [
        ("history",),
        ("history", "ben", "--kind", "help", "--since", "2 weeks ago", "--json"),
        ("reminders", "--all", "--json"),
        ("events", "julia"),
        ("gifts", "--json"),
    ]:
        imported = imported_by(*command, env=env)
        assert not [name for name in ORM if name in imported], command
        assert "rel.services.records" in imported, command


@pytest.mark.parametrize("who", [None, "alice", "ben", "julia", "noah"])
def test_both_readers_list_the_same_records(busy_store: Path, who: str | None) -> None:
    from rel.services import records
    from rel.services.who import find

    def listed(reader) -> list[object]:
        contact_id = find(reader, who).id if who else None
        return [
            records.history(reader, contact_id=contact_id),
            records.history(reader, contact_id=contact_id, kind="help", limit=2),
            records.history(reader, contact_id=contact_id, since=date(2026, 2, 1), limit=3),
            records.reminders(reader, contact_id=contact_id),
            records.reminders(reader, contact_id=contact_id, closed=True),
            records.events(reader, contact_id=contact_id),
            records.gifts(reader, contact_id=contact_id),
        ]

    by_orm, by_sqlite = read_both_ways(busy_store, listed)
    assert by_sqlite == by_orm
    if who is None:
        assert all(by_orm), "every kind of record was listed"


# --- rel stats, rel drift, rel graph: the same fast path ----------------------------------------


@pytest.mark.parametrize(
    ("command", "service"),
    [
        (("stats",), "rel.services.insights"),
        (("stats", "--tag", "customer", "--since", "jan 1", "--json"), "rel.services.insights"),
        (("drift", "--json"), "rel.services.insights"),
        (("graph", "alice"), "rel.services.rhythm"),
        (("graph", "--tag", "friend", "--by", "week", "--json"), "rel.services.rhythm"),
    ],
)
def test_stats_drift_and_graph_read_without_the_orm(busy_store: Path, command, service) -> None:
    env = {"REL_DB": str(busy_store), "REL_TODAY": "2026-02-26"}
    imported = imported_by(*command, env=env)
    assert not [name for name in ORM if name in imported], command
    assert service in imported, command


def test_both_readers_count_the_same(busy_store: Path) -> None:
    from rel.services.insights import drifting, network_stats
    from rel.services.rhythm import contact_rhythm, tag_rhythm
    from rel.services.who import find

    today = date(2026, 2, 26)

    def counted(reader) -> list[object]:
        return [
            network_stats(reader, today),
            network_stats(reader, today, tags=["customer", "friend"], since=date(2026, 1, 1)),
            drifting(reader, today, limit=None),
            tag_rhythm(reader, "friend", today, months=6, by="week"),
            contact_rhythm(reader, find(reader, "alice"), today, months=12, by="month"),
        ]

    by_orm, by_sqlite = read_both_ways(busy_store, counted)
    assert by_sqlite == by_orm
    everyone, tagged, drift, friends, alice = by_orm
    assert everyone.interactions > tagged.interactions > 0 and everyone.by_tag and drift
    assert friends.total > 0 and alice.total > 0


@pytest.mark.parametrize("kind", ["json", "csv", "vcard", "ics"])
def test_both_readers_export_the_same_network(busy_store: Path, kind: str) -> None:
    """rel export reads the whole network alike on sqlite3 and through an ORM session: every
    table, every value (dates, times, flags, UTC instants), the catch-ups and touchpoints of a
    calendar."""
    from datetime import UTC, datetime

    from rel.services.exports import export

    def exported(reader) -> str:
        return export(kind, reader, today=date(2026, 2, 26), now=datetime(2026, 2, 26, tzinfo=UTC))

    by_orm, by_sqlite = read_both_ways(busy_store, exported)
    assert by_sqlite == by_orm
    if kind == "ics":
        assert "Catch up with" in by_orm and "send the report" in by_orm
    if kind == "json":
        document = json.loads(by_orm)
        assert all(document[section] for section in ("events", "touchpoints", "gifts"))


@pytest.mark.parametrize(
    "words", [("export", "json"), ("export", "ics"), ("digest",), ("undo", "--list")], ids=" ".join
)
def test_export_the_digest_and_the_undo_list_run_without_the_orm(busy_store: Path, words) -> None:
    env = {"REL_DB": str(busy_store), "REL_TODAY": "2026-02-26"}
    imported = imported_by(*words, env=env)
    for heavy in ("sqlalchemy", "sqlmodel", "apprise"):
        assert heavy not in imported, heavy


# --- PostgreSQL: the same statements compiled for it, on psycopg ------------------------------


@pytest.fixture
def busy_postgresql(rel, busy_store: Path, store_url: str) -> str:
    """`busy_store` copied, keys and all, into the test's PostgreSQL database; its URL."""
    rel("store", "copy", str(busy_store), store_url, ok=True)
    return store_url


@pytest.fixture
def second_postgresql(rel, busy_store: Path, postgres_server) -> Iterator[str]:
    """Another database holding `busy_store`, dropped afterwards; its URL."""
    name = postgres_server.create_database()
    url = postgres_server.url(name)
    try:
        rel("store", "copy", str(busy_store), url, ok=True)
        yield url
    finally:
        postgres_server.drop_database(name)


def _postgresql_rows(url: str, table: str) -> list[tuple]:
    import psycopg

    from tests.postgres_server import PASSWORD

    with psycopg.connect(url.replace("://rel@", f"://rel:{PASSWORD}@")) as connection:
        cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY 1, 2')
        assert cursor.description is not None
        return _uids_left_out(table, [column.name for column in cursor.description], cursor)


# each everyday command once, on the PostgreSQL copy of busy_store (writing ones last)
EVERYDAY_ON_POSTGRESQL = [
    ("due",),
    ("due", "--days", "30", "--tag", "friend", "--tag", "customer"),
    ("due", "--json"),
    ("list", "--sort", "next"),
    ("show", "alice", "--json"),
    ("tags",),
    ("why", "alice"),
    ("history", "ben", "--kind", "help", "--since", "2 weeks ago"),
    ("reminders", "--all", "--json"),
    ("gifts",),
    ("log", "alice", "call", "--follow-up", "2w: send the deck"),
    ("log", "yesterday: lunch with Priya and Marcus"),
    ("add", "Zoe Park", "--email", "zoe@park.example", "--tag", "friend", "--every", "3w"),
    ("edit", "alice", "--title", "CTO", "--untag", "customer", "--every", "2w-6w"),
    ("tag", "customer", "--every", "1m"),
    ("remind", "priya", "call back", "--on", "in 3 days", "--kind", "follow-up"),
    ("snooze", "c1", "friday"),
    ("gift", "noah", "idea", "a lamp", "--lead", "3w"),
]
WRITING = ("log", "add", "edit", "tag", "remind", "snooze", "gift")


@pytest.mark.postgresql_only
def test_the_everyday_commands_on_postgresql_import_neither_sqlalchemy_nor_sqlmodel(
    rel, busy_postgresql: str, busy_store: Path, store
) -> None:
    """On an up-to-date PostgreSQL store each command runs the compiled statements on psycopg;
    each that writes is still one undo entry."""
    on_sqlite = ["--db", str(busy_store), "--today", "2026-02-26"]
    on_postgresql = ["--today", "2026-02-26"]  # REL_DB is the PostgreSQL database
    for words in (("due",), ("due", "--days", "30", "--json"), ("list",), ("show", "ben")):
        assert rel(*on_postgresql, *words, ok=True).stdout == rel(*on_sqlite, *words).stdout
    env = {"REL_DB": busy_postgresql, "REL_TODAY": "2026-02-26"}
    for words in EVERYDAY_ON_POSTGRESQL:
        imported = imported_by(*words, env=env)
        assert not [name for name in ORM if name in imported], words
        assert "rich" not in imported and "apprise" not in imported, words
        assert "psycopg" in imported, words  # the store was reached
    [(kind, on)] = store.rows(
        'SELECT i.kind, i."on" FROM interaction i JOIN touchpoint t'
        " ON t.interaction_id = i.id WHERE t.text = 'send the deck'"
    )
    assert (kind, on) == ("call", "2026-02-26")
    assert store.rows("SELECT title, cadence_days FROM contact WHERE name = 'Alice Chen'") == [
        ("CTO", 14)
    ]
    undo_list = json.loads(rel(*on_postgresql, "undo", "--list", "--json", ok=True).stdout)
    written = [words for words in EVERYDAY_ON_POSTGRESQL if words[0] in WRITING]
    assert [entry["command"].split()[1] for entry in undo_list] == [
        words[0] for words in reversed(written)
    ]
    before_gift = store.rows("SELECT count(*) FROM gift")
    rel(*on_postgresql, "undo", ok=True)
    assert store.rows("SELECT count(*) FROM gift") == [(before_gift[0][0] - 1,)]


@pytest.mark.postgresql_only
def test_both_readers_read_the_same_on_postgresql(busy_postgresql: str) -> None:
    """Every reading statement gives the same values through the ORM and on psycopg, down to
    their types (dates as `date`, datetimes in UTC)."""
    from rel.errors import RelError
    from rel.paths import resolve_store
    from rel.services import records
    from rel.services.profiles import list_contacts, load_profile
    from rel.services.who import find
    from rel.store.engine import open_postgresql, open_store
    from rel.store.queries import PostgresReader

    today = date(2026, 2, 26)

    def read(reader) -> list[object]:
        said: list[object] = [
            agenda(reader, today, days=days, tags=tags, limit=limit)
            for days, tags, limit in [(7, (), None), (30, (), None),
                                      (7, ("customer", "friend"), None), (14, (), 5),
                                      (7, ("no-such-tag",), None)]
        ]  # fmt: skip
        for who in ("alice", "a chen", "#3", "ice", "sam", "zzz@x.y", "ALICE@acmerobotics.example"):
            try:
                said.append(find(reader, who))
            except RelError as problem:
                said.append(problem.message)
        for options in ({}, {"sort": "last", "archived": True}, {"tags": ["customer"]}):
            said.append(list_contacts(reader, today, **options))
        for who in ("alice", "ben", "julia", "noah"):
            contact_id = find(reader, who).id
            said.append(load_profile(reader, contact_id, today, timeline=3))
            said.append(records.history(reader, contact_id=contact_id, kind="help", limit=2))
            said.append(records.reminders(reader, contact_id=contact_id, closed=True))
        said.extend([records.history(reader), records.events(reader), records.gifts(reader)])
        return said

    location = resolve_store(busy_postgresql)
    store = open_store(location, write=False)
    try:
        with store.session() as session:
            by_orm = read(OrmReader(session))
    finally:
        store.close()
    connection = open_postgresql(location, write=False)
    assert connection is not None  # up to date: the fast path
    try:
        by_psycopg = read(PostgresReader(connection))
    finally:
        connection.close()
    assert by_psycopg == by_orm
    assert repr(by_psycopg) == repr(by_orm)  # the same types: UTC as datetime.UTC, ...
    assert all(by_orm[:3]) and "alice" in repr(by_orm).lower()


@pytest.mark.postgresql_only
def test_both_readers_write_the_same_rows_on_postgresql(
    busy_store: Path, busy_postgresql: str, second_postgresql: str
) -> None:
    """Logging, acting on the agenda, scheduling, events and gifts through the ORM on one
    database and on psycopg on another say the same and leave the same rows."""
    from rel.paths import resolve_store
    from rel.store.engine import open_postgresql, open_store
    from rel.store.queries import PostgresReader

    keys = [command[1] for command in _fast_commands(busy_store) if command[0] == "done"]
    store = open_store(resolve_store(busy_postgresql), write=True)
    try:
        with store.session() as session:
            _log(OrmReader(session))
            by_orm = _act(OrmReader(session), keys)
    finally:
        store.close()
    connection = open_postgresql(resolve_store(second_postgresql), write=True)
    assert connection is not None
    try:
        reader = PostgresReader(connection)
        _log(reader)
        by_psycopg = _act(reader, keys)
        connection.commit()
    finally:
        connection.close()
    assert by_psycopg == by_orm
    assert repr(by_psycopg) == repr(by_orm)
    for table in ("interaction", "participant", "touchpoint", "completion", "snooze",
                  "life_event", "gift", "contact"):  # fmt: skip
        rows = _postgresql_rows(second_postgresql, table)
        assert rows == _postgresql_rows(busy_postgresql, table), table
    assert "send the deck" in repr(_postgresql_rows(busy_postgresql, "touchpoint"))


@pytest.mark.postgresql_only
def test_each_command_on_psycopg_writes_what_the_orm_path_writes(
    rel, busy_postgresql: str, second_postgresql: str
) -> None:
    """`rel log` and every contact command, one after another on two copies of the busy store,
    through the ORM on one and on psycopg on the other: after each, the same rows, and the
    same entry in the undo journal."""
    from unittest import mock

    on = ["--today", "2026-02-26"]
    timed = {"created_at", "updated_at"}  # the time each command ran
    for words in [("log", "ben", "lunch"), *CONTACT_WRITES]:
        with mock.patch("rel.store.engine.open_postgresql", return_value=None):  # the ORM path
            rel("--db", second_postgresql, *on, *words, ok=True)
        rel("--db", busy_postgresql, *on, *words, ok=True)
        for table in ("handle", "tag", "contact_tag", "participant"):
            assert _postgresql_rows(second_postgresql, table) == _postgresql_rows(
                busy_postgresql, table
            ), (words, table)
        for table in ("contact", "interaction"):
            by_orm = _without(second_postgresql, table, timed)
            assert by_orm == _without(busy_postgresql, table, timed), (words, table)
        newest = json.loads(rel("--db", busy_postgresql, *on, "undo", "--list", "--json").stdout)
        assert newest[0]["command"].startswith(f"rel {words[0]} "), words
    by_orm = json.loads(rel("--db", second_postgresql, *on, "undo", "--list", "--json").stdout)
    by_psycopg = json.loads(rel("--db", busy_postgresql, *on, "undo", "--list", "--json").stdout)
    assert [entry["command"] for entry in by_orm] == [entry["command"] for entry in by_psycopg]


def _without(url: str, table: str, columns: set[str]) -> list[tuple]:
    """The rows of `table` but `columns` (the time each command ran) and the UIDs."""
    import psycopg

    from tests.postgres_server import PASSWORD

    with psycopg.connect(url.replace("://rel@", f"://rel:{PASSWORD}@")) as connection:
        cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        assert cursor.description is not None
        names = [column.name for column in cursor.description]
        keep = [i for i, name in enumerate(names) if name not in columns]
        return _uids_left_out(
            table, [names[i] for i in keep], [tuple(row[i] for i in keep) for row in cursor]
        )


@pytest.mark.postgresql_only
def test_a_postgresql_store_to_upgrade_takes_the_full_path_once(
    rel, busy_postgresql: str, store
) -> None:
    store.execute("DELETE FROM rel_migration WHERE name = '0007_cadence_days_everywhere'")
    env = {"REL_DB": busy_postgresql, "REL_TODAY": "2026-02-26"}
    upgraded = imported_by("due", env=env)
    assert "sqlalchemy" in upgraded  # the ORM path upgraded the store
    assert store.rows(
        "SELECT count(*) FROM rel_migration WHERE name = '0007_cadence_days_everywhere'"
    ) == [(1,)]
    assert "sqlalchemy" not in imported_by("due", env=env)


# --- rel edit KEY and rel rm KEY: the same fast path ---------------------------------------------


def _record_keys(store: Path) -> dict[str, str]:
    """Keys of `busy_store`'s records: ben's favor (with its follow-up), two reminders, a
    promotion (with its congratulation), a wedding (with its anniversary), a gift idea."""
    found = {
        "favor": "i" + "SELECT interaction_id FROM touchpoint WHERE text = 'thank him'",
        "report": "t" + "SELECT id FROM touchpoint WHERE text = 'send the report'",
        "dinner": "t" + "SELECT id FROM touchpoint WHERE text = 'book the restaurant'",
        "promotion": "e" + "SELECT id FROM life_event WHERE text = 'COO'",
        "wedding": "e" + "SELECT id FROM life_event WHERE \"on\" = '2019-03-01'",
        "record": "g" + "SELECT id FROM gift WHERE text = 'a vinyl record'",
    }
    return {name: f"{sql[0]}{_one(store, sql[1:])}" for name, sql in found.items()}


def _record_commands(store: Path) -> list[tuple[str, ...]]:
    key = _record_keys(store)
    return [
        ("edit", key["favor"], "--note", "an intro to Priya", "--at", "9:30", "--kind", "call",
         "--me", "--with", "alice", "--without", "ben", "--on", "2026-02-20"),
        ("edit", key["report"], "--text", "send the Q1 report", "--every", "weekly", "--lead",
         "2d"),
        ("edit", key["dinner"], "--on", "mar 25"),
        ("edit", key["promotion"], "--kind", "new-job", "--text", "COO at Northwind", "--on",
         "2026-02-24"),
        ("edit", key["wedding"], "--kind", "promotion"),
        ("edit", key["record"], "--text", "a turntable", "--for", "birthday", "--cost", "200",
         "--on", "2026-04-01", "--lead", "3w"),
        ("rm", key["favor"], "--yes"),
        ("rm", key["report"], "--yes"),
        ("rm", key["promotion"], "--yes"),
        ("rm", key["wedding"], "--yes"),
        ("rm", key["record"], "--yes"),
    ]  # fmt: skip


def test_editing_and_removing_records_go_without_the_orm(busy_store: Path, rel) -> None:
    """`rel edit KEY` and `rel rm KEY` on an up-to-date SQLite store import neither SQLAlchemy,
    SQLModel nor pydantic; each is one undo entry, and undoing it gives back the store."""
    env = {"REL_DB": str(busy_store), "REL_TODAY": "2026-02-26"}
    on = ["--db", str(busy_store), "--today", "2026-02-26"]
    rel(*on, "done", _record_keys(busy_store)["report"], ok=True)  # a completion to take along
    for command in _record_commands(busy_store):
        before = rel(*on, "export", "json", ok=True).stdout
        journal = len(json.loads(rel(*on, "undo", "--list", "--json", ok=True).stdout))
        imported = imported_by(*command, env=env)
        assert not [name for name in ORM if name in imported], command
        assert "rich" not in imported and "apprise" not in imported, command
        assert "rel.store.records" in imported, command
        assert rel(*on, "export", "json", ok=True).stdout != before, command
        undo_list = json.loads(rel(*on, "undo", "--list", "--json", ok=True).stdout)
        assert len(undo_list) == journal + 1, command
        assert undo_list[0]["command"].startswith(f"rel {command[0]} {command[1]}"), command
        rel(*on, "undo", ok=True)
        assert rel(*on, "export", "json", ok=True).stdout == before, command


def test_both_readers_edit_and_remove_records_alike(busy_store: Path, tmp_path: Path) -> None:
    """Through an ORM session or on sqlite3, `rel edit KEY` and `rel rm KEY` say the same and
    leave the same rows (last_seen, kept by the store's triggers, included)."""
    from datetime import UTC, datetime

    from rel.errors import RelError
    from rel.services import records

    today = date(2026, 2, 26)
    now = datetime(2026, 2, 26, 9, 30, 15, 123456, tzinfo=UTC)
    key = _record_keys(busy_store)
    edits = [
        (key["favor"], {"--note": "an intro", "--at": "9:30", "--kind": "call", "--me": True,
                        "--with": ["alice", "priya"], "--without": ["ben"], "--on": "2026-02-20"}),
        (key["report"], {"--text": "send the Q1 report", "--every": "weekly", "--lead": "2d"}),
        (key["dinner"], {"--on": "mar 25", "--kind": "follow-up"}),
        (key["promotion"], {"--kind": "new-job", "--text": "at Northwind", "--on": "2026-02-24"}),
        (key["wedding"], {"--kind": "promotion"}),
        (key["record"], {"--text": "a turntable", "--for": "birthday", "--cost": "200",
                         "--on": "2026-04-01", "--lead": "3w"}),
        (key["record"], {"--text": "a turntable"}),  # nothing to change
        (key["favor"], {"--without": ["alice", "priya"]}),  # refused: its last participants
    ]  # fmt: skip

    def act(store) -> list[object]:
        said: list[object] = []
        for record, options in edits:
            try:
                said.append(records.edit_record(store, record, options, today=today, now=now))
            except RelError as problem:
                said.append(problem.message)
        for record in (*key.values(), "i99999"):
            try:
                said.append(records.describe_record(store, record))
                said.append(records.remove_record(store, record))
            except RelError as problem:
                said.append(problem.message)
        return said

    copy = tmp_path / "copy.db"
    by_orm, by_sqlite = write_both_ways(busy_store, copy, act)
    assert by_sqlite == by_orm
    assert "cannot lose its last participant" in str(by_orm)
    for table in ("touchpoint", "completion", "snooze", "life_event", "gift", "interaction",
                  "participant", "contact"):  # fmt: skip
        assert _rows_of(copy, table) == _rows_of(busy_store, table), table


def test_both_readers_find_the_same_duplicates_without_the_orm(rel, busy_store: Path) -> None:
    from rel.services.duplicates import find_duplicates

    on = ["--db", str(busy_store), "--today", "2026-02-26"]
    rel(*on, "add", "Dr. Alice Q. Chen", ok=True)
    rel(*on, "add", "M. W.", "--email", "MARCUS.WEBB@northwind.example", ok=True)
    env = {"REL_DB": str(busy_store), "REL_TODAY": "2026-02-26"}
    imported = imported_by("dupes", "--json", env=env)
    assert not [name for name in ORM if name in imported]
    assert "rel.store.merging" in imported
    by_orm, by_sqlite = read_both_ways(busy_store, find_duplicates)
    assert by_sqlite == by_orm
    reasons = {reason for pair in by_orm for reason in pair.reasons}
    assert "same name" in reasons and any(r.startswith("same email") for r in reasons)


def _a_second_alice(rel, store: Path) -> None:
    """Alice Chen again, as an import leaves her: her own handles, tags, notes, history and
    snoozed rows, some of it the same as the first record's."""
    on = ["--db", str(store), "--today", "2026-02-26"]
    rel(*on, "add", "Dr. Alice Q. Chen", "--email", "alice.q@chen.example", "--phone",
        "+1 555 0142", "--tag", "friend", "--tag", "mentor", "--company", "Initech", "--title",
        "CTO", "--note", "Likes sailing.", "--birthday", "1990-05-04", "--every", "3w",
        ok=True)  # fmt: skip
    rel(*on, "log", "Dr. Alice Q. Chen", "lunch", "--with", "priya", "--on", "2026-02-20",
        ok=True)  # fmt: skip
    rel(*on, "log", "alice chen", "call", "--with", "Dr. Alice Q. Chen", "--on", "2026-02-21",
        ok=True)  # fmt: skip
    rel(*on, "remind", "Dr. Alice Q. Chen", "send the deck", "--on", "friday", ok=True)
    rel(*on, "gift", "Dr. Alice Q. Chen", "idea", "a compass", ok=True)
    number = _one(store, "SELECT id FROM contact WHERE name = 'Dr. Alice Q. Chen'")
    rel(*on, "snooze", f"c{number}", "in 5 days", ok=True)


def test_merging_goes_without_the_orm_and_is_undone(rel, busy_store: Path) -> None:
    _a_second_alice(rel, busy_store)
    env = {"REL_DB": str(busy_store), "REL_TODAY": "2026-02-26"}
    on = ["--db", str(busy_store), "--today", "2026-02-26"]
    before = rel(*on, "export", "json", ok=True).stdout
    imported = imported_by("merge", "Alice Chen", "Dr. Alice Q. Chen", "--yes", env=env)
    assert not [name for name in ORM if name in imported]
    assert "rel.store.merging" in imported
    assert rel(*on, "export", "json", ok=True).stdout != before
    rel(*on, "undo", ok=True)
    assert rel(*on, "export", "json", ok=True).stdout == before


def test_both_readers_merge_alike(rel, busy_store: Path, tmp_path: Path) -> None:
    """Through an ORM session or on sqlite3, a merge plans the same and leaves the same rows
    (derived columns included)."""
    from datetime import UTC, datetime

    from rel.services.merge import apply_merge, plan_merge
    from rel.services.who import find

    _a_second_alice(rel, busy_store)
    today = date(2026, 2, 26)
    now = datetime(2026, 2, 26, 9, 30, 15, 123456, tzinfo=UTC)

    def merged(store) -> object:
        keep, other = find(store, "Alice Chen"), find(store, "Dr. Alice Q. Chen")
        plan = plan_merge(store, keep, other, today=today)
        apply_merge(store, keep, other, plan, now=now)
        return plan

    copy = tmp_path / "copy.db"
    by_orm, by_sqlite = write_both_ways(busy_store, copy, merged)
    assert by_sqlite == by_orm
    assert by_orm.handles and by_orm.tags and by_orm.shared and by_orm.conflicts
    assert by_orm.snoozes and by_orm.touchpoints and by_orm.gifts
    for table in ("contact", "handle", "contact_tag", "interaction", "participant",
                  "touchpoint", "gift", "snooze"):  # fmt: skip
        assert _rows_of(copy, table) == _rows_of(busy_store, table), table
