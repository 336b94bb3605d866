"""The undo journal on PostgreSQL (rel.store.journal_postgres): the same commands undone as a whole,
newest first, back to the same rows, and described in the same words, as on SQLite.

Driven through the core functions and the ORM on engines of both kinds: the command line
reaches PostgreSQL once --db takes its URLs."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from rel.store.queries import OrmReader

from .postgres_server import PostgresServer, postgres_bin_dir, running_server

TODAY = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "network.json"
JOURNALED = (
    "contact", "handle", "tag", "contact_tag", "interaction", "participant", "touchpoint",
    "completion", "life_event", "gift", "snooze", "harvested_item", "setting", "sync_item",
)  # fmt: skip


@pytest.fixture(scope="module")
def pg_server() -> Iterator[PostgresServer]:
    if postgres_bin_dir() is None:
        pytest.skip("PostgreSQL binaries not found (REL_TEST_PG_BIN names their folder)")
    with running_server() as server:
        yield server


def _postgres_engine(server: PostgresServer) -> Iterator[object]:
    from rel.paths import store_named
    from rel.store.engine import Store, create_schema

    name = server.create_database("undo")
    store = Store(store_named(server.url(name, password=True)), write=True)
    with store.engine.begin() as connection:
        create_schema(connection)
    try:
        yield store.engine
    finally:
        store.close()
        server.drop_database(name)


def _sqlite_engine(tmp_path: Path) -> Iterator[object]:
    from rel.paths import file_location
    from rel.store.engine import open_store

    store = open_store(file_location(tmp_path / "undo.db"), write=True)
    try:
        yield store.engine
    finally:
        store.close()


@pytest.fixture
def pg_engine(pg_server: PostgresServer) -> Iterator[object]:
    yield from _postgres_engine(pg_server)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    if request.param == "sqlite":
        yield from _sqlite_engine(tmp_path)
    else:
        yield from _postgres_engine(request.getfixturevalue("pg_server"))


def driver(session) -> object:
    return session.connection().connection.driver_connection


@contextmanager
def command(engine, words: str) -> Iterator[object]:
    """One writing command: a session journaled as one entry, as rel's commands are."""
    from sqlmodel import Session

    from rel.store import journal

    with Session(engine, expire_on_commit=False) as session:
        entry = journal.open_entry(driver(session), words, NOW)
        yield session
        session.flush()
        journal.close_entry(driver(session), entry)
        session.commit()


def undo(engine):
    from sqlmodel import Session

    from rel.store import journal

    with Session(engine) as session:
        reverted = journal.undo_last(driver(session))
        session.commit()
    return reverted


def listed(engine):
    from sqlmodel import Session

    from rel.store import journal

    with Session(engine) as session:
        return journal.entries(driver(session))


def dump(engine) -> dict[str, list[str]]:
    """Every row of every table of the record, as the ORM reads it (the same on both engines).

    Without `last_seen`: undoing a `rel rm` can leave it stale on SQLite (see
    test_sqlite_undo_of_rm_keeps_the_last_interaction_day), and until PostgreSQL keeps it by
    triggers of its own, an undo there sets it right where the rest is left as it was
    (test_undo_on_postgresql_puts_the_last_interaction_day_right)."""
    from sqlalchemy import select
    from sqlmodel import SQLModel

    import rel.store.models  # noqa: F401

    found = {}
    with engine.connect() as connection:
        for name in JOURNALED:
            table = SQLModel.metadata.tables[name]
            rows = connection.execute(select(table)).mappings().all()
            found[name] = sorted(
                json.dumps(_without_last_seen(dict(row)), default=str, sort_keys=True)
                for row in rows
            )
    return found


def _without_last_seen(row: dict) -> dict:
    row.pop("last_seen", None)
    return row


def contact(session, number: int):
    from rel.store.models import Contact

    return session.get(Contact, number)


def commands() -> list[tuple[str, Callable]]:
    """Writing commands of every kind, through the core functions and the ORM."""
    from rel.domain.dates import parse_cadence
    from rel.services.contacts import (
        ContactChanges,
        ContactDetails,
        add_contact,
        edit_contact,
        remove_contact,
        set_tag_cadence,
    )
    from rel.services.importing.document import import_document
    from rel.services.interactions import record_interaction
    from rel.services.touchpoints import mark_done, record_event, record_gift, schedule, snooze
    from rel.store.models import Interaction

    def imported(s):
        document = json.loads(SEEDS.read_text(encoding="utf-8"))
        import_document(OrmReader(s), document, today=TODAY, now=NOW)

    def added(s):
        details = ContactDetails(emails=["liam@o-brien.example"], tags=["customer"])
        add_contact(OrmReader(s), "Liam O'Brien", details, today=TODAY, now=NOW)

    def logged(s):
        liam = contact(s, 45)
        done = record_interaction(
            s, [liam, contact(s, 1)], "lunch", "Q3 launch: 50% off, 'maybe'",
            on=date(2026, 2, 27), today=TODAY, now=NOW,
        )  # fmt: skip
        schedule(OrmReader(s), liam.id, "send the deck", on=date(2026, 3, 14), kind="follow-up",
                 interaction_id=done.interaction_id, now=NOW)  # fmt: skip

    def edited(s):
        changes = ContactChanges(texts={"company": "Acme"}, untag=["customer"], tags=["partner"])
        edit_contact(OrmReader(s), contact(s, 45), changes, today=TODAY, now=NOW)

    def reminded(s):
        schedule(OrmReader(s), 2, "pay rent", on=date(2026, 2, 10), rule="FREQ=MONTHLY", now=NOW)

    def event(s):
        record_event(OrmReader(s), 45, "promotion", "VP", on=date(2026, 2, 27), today=TODAY,
                     now=NOW)  # fmt: skip

    def gift(s):
        record_gift(OrmReader(s), contact(s, 3), "idea", "a book", on=None, occasion=None,
                    cost=None, lead=None, now=NOW)  # fmt: skip

    def done(s):
        from sqlalchemy import func, select

        from rel.store.models import Touchpoint

        newest = s.exec(select(func.max(Touchpoint.id))).one()[0]
        mark_done(OrmReader(s), f"t{newest}", "paid", kind="call", today=TODAY, now=NOW)

    def snoozed(s):
        snooze(OrmReader(s), "c4", date(2026, 3, 6), today=TODAY)

    def tag_cadence(s):
        set_tag_cadence(OrmReader(s), "partner", parse_cadence("3w"))

    def interaction_gone(s):  # its participants cascade, the follow-up keeps no link to it
        from sqlmodel import select

        first = s.exec(select(Interaction).where(Interaction.kind == "lunch")).first()
        s.delete(first)

    def removed(s):
        remove_contact(OrmReader(s), contact(s, 45))

    def removed_shared(s):
        remove_contact(OrmReader(s), contact(s, 1))

    return [
        ("rel import json seeds/network.json", imported),
        ("rel add 'Liam O'\"'\"'Brien'", added),
        ("rel log liam lunch --with alice", logged),
        ("rel edit liam", edited),
        ("rel remind 2 'pay rent'", reminded),
        ("rel event liam promotion", event),
        ("rel gift 3 idea", gift),
        ("rel done t2", done),
        ("rel snooze c4", snoozed),
        ("rel tag partner --every 3w", tag_cadence),
        ("rm interaction", interaction_gone),
        ("rel rm liam", removed),
        ("rel rm alice", removed_shared),
    ]


def test_each_command_is_undone_as_a_whole_newest_first(engine) -> None:
    states = [dump(engine)]
    for words, run in commands():
        with command(engine, words) as session:
            run(session)
        states.append(dump(engine))
    assert all(before != after for before, after in itertools.pairwise(states))
    assert [entry.command for entry in listed(engine)] == [w for w, _ in reversed(commands())]
    for expected, (words, _) in zip(reversed(states[:-1]), reversed(commands()), strict=True):
        reverted = undo(engine)
        assert reverted is not None and reverted.command == words
        now = dump(engine)
        for table in JOURNALED:
            assert set(now[table]) - set(expected[table]) == set(), (words, "extra")
            assert set(expected[table]) - set(now[table]) == set(), (words, "missing")
    assert undo(engine) is None
    assert listed(engine) == []


def test_postgresql_describes_each_command_as_sqlite_does(pg_engine, tmp_path) -> None:
    described = []
    for engine in (next(_sqlite_engine(tmp_path)), pg_engine):
        for words, run in commands():
            with command(engine, words) as session:
                run(session)
        described.append([(e.command, e.describe_changes()) for e in listed(engine)])
    assert described[0] == described[1]
    assert (
        "rel rm alice",
        "removed 1 contact; removed 3 contact details; removed 18 interactions",
    ) in described[1]
    assert ("rel log liam lunch --with alice", "added 1 interaction; added 1 reminder") in (
        described[1]
    )


def test_a_command_that_changes_nothing_is_not_kept(engine) -> None:
    with command(engine, "rel add someone"):
        pass
    assert listed(engine) == []


def test_the_journal_keeps_the_last_fifty_commands(pg_engine) -> None:
    from rel.services.contacts import ContactDetails, add_contact

    for number in range(52):
        with command(pg_engine, f"rel add 'Person {number}'") as session:
            add_contact(
                OrmReader(session), f"Person {number}", ContactDetails(), today=TODAY, now=NOW
            )
    kept = listed(pg_engine)
    assert len(kept) == 50
    assert kept[0].command == "rel add 'Person 51'"
    assert kept[-1].command == "rel add 'Person 2'"


def test_two_commands_at_once_each_journal_their_own_changes(pg_engine) -> None:
    from sqlmodel import Session

    from rel.services.contacts import ContactDetails, add_contact
    from rel.store import journal

    with Session(pg_engine) as first, Session(pg_engine) as second:
        one = journal.open_entry(driver(first), "rel add One", NOW)
        two = journal.open_entry(driver(second), "rel add Two", NOW)
        add_contact(
            OrmReader(first), "One", ContactDetails(emails=["one@x.example"]), today=TODAY, now=NOW
        )
        add_contact(OrmReader(second), "Two", ContactDetails(), today=TODAY, now=NOW)
        first.flush()
        second.flush()
        journal.close_entry(driver(second), two)
        second.commit()
        journal.close_entry(driver(first), one)
        first.commit()
    entries = {entry.command: entry.describe_changes() for entry in listed(pg_engine)}
    assert entries == {
        "rel add One": "added 1 contact; added 1 contact detail",
        "rel add Two": "added 1 contact",
    }
    undo(pg_engine)  # the last to finish: One, whose entry was opened first
    assert [c["name"] for c in map(json.loads, dump(pg_engine)["contact"])] == ["Two"]


def test_undo_in_the_way_of_a_change_made_outside_rel_undoes_nothing(pg_engine) -> None:
    import psycopg

    from rel.errors import StoreError
    from rel.services.contacts import ContactDetails, add_contact, remove_contact

    with command(pg_engine, "rel add Ann") as session:
        add_contact(OrmReader(session), "Ann", ContactDetails(), today=TODAY, now=NOW)
    with command(pg_engine, "rel rm ann") as session:
        remove_contact(OrmReader(session), contact(session, 1))
    url = pg_engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as outside:  # someone else's contact 1
        outside.execute(
            "INSERT INTO contact (id, name, search_name, archived, added_on, created_at,"
            " updated_at) VALUES (1, 'Bea', 'bea', false, '2026-03-01', now(), now())"
        )
    before = dump(pg_engine)
    with pytest.raises(StoreError) as refused:
        undo(pg_engine)
    assert refused.value.message.startswith(
        "cannot undo rel rm ann: the store was changed outside rel since ("
    )
    assert refused.value.message.endswith("); nothing was undone")
    assert dump(pg_engine) == before
    assert [entry.command for entry in listed(pg_engine)] == ["rel rm ann", "rel add Ann"]


def test_installing_again_keeps_one_trigger_per_table_and_empties_the_journal(pg_engine) -> None:
    from sqlmodel import Session

    from rel.services.contacts import ContactDetails, add_contact
    from rel.store.journal_postgres import install_journal

    with command(pg_engine, "rel add Ann") as session:
        add_contact(OrmReader(session), "Ann", ContactDetails(), today=TODAY, now=NOW)
    with Session(pg_engine) as session:
        install_journal(driver(session))
        triggers = (
            driver(session)
            .execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'undo\\_%'")
            .fetchone()[0]
        )
        session.commit()
    assert triggers == len(JOURNALED)
    assert listed(pg_engine) == []


def test_sqlite_undo_of_rm_keeps_the_last_interaction_day(tmp_path) -> None:
    import sqlite3

    engine = next(_sqlite_engine(tmp_path))
    for words, run in commands()[:-1]:
        with command(engine, words) as session:
            run(session)
    truth = (
        'SELECT c.last_seen, (SELECT max(i."on") FROM interaction AS i JOIN participant AS p'
        " ON p.interaction_id = i.id WHERE p.contact_id = c.id) FROM contact AS c WHERE id = 45"
    )
    undo(engine)  # rel rm liam: his own call and his share of a lunch come back
    seen, computed = sqlite3.connect(tmp_path / "undo.db").execute(truth).fetchone()
    assert seen == computed


def test_undo_on_postgresql_puts_the_last_interaction_day_right(pg_engine) -> None:
    from sqlmodel import Session

    from rel.services.contacts import ContactDetails, add_contact, remove_contact
    from rel.services.interactions import record_interaction

    with command(pg_engine, "rel add Ann; rel add Bo") as session:
        add_contact(OrmReader(session), "Ann", ContactDetails(), today=TODAY, now=NOW)
        add_contact(OrmReader(session), "Bo", ContactDetails(), today=TODAY, now=NOW)
    with command(pg_engine, "rel log ann call; rel log ann lunch --with bo") as session:
        ann, bo = contact(session, 1), contact(session, 2)
        for people, day in (([ann], date(2026, 2, 1)), ([ann, bo], date(2026, 2, 20))):
            record_interaction(session, people, "call", None, on=day, today=TODAY, now=NOW)
    for number in (1, 2):
        with command(pg_engine, f"rel rm {number}") as session:
            remove_contact(OrmReader(session), contact(session, number))
    undo(pg_engine)  # Bo, and the lunch (his alone once Ann had gone)
    undo(pg_engine)  # Ann, her call, and her place at the lunch
    with Session(pg_engine) as session:
        seen = [(c.name, c.last_seen) for c in (contact(session, 1), contact(session, 2))]
    assert seen == [("Ann", date(2026, 2, 20)), ("Bo", date(2026, 2, 20))]
