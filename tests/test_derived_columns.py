"""The agenda's derived columns (store.models): `contact.last_seen`, kept by the store's triggers
whatever writes, and `cadence_days`, set with every cadence rel writes (the ORM, an import's
bulk writes). SQL uses them to leave out who cannot be due; the agenda must be exactly what it
is without them."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import StoreProbe
from tests.postgres_server import PASSWORD

COMPUTED = (
    'SELECT c.id, c.last_seen, (SELECT max(i."on") FROM interaction i JOIN participant p'
    " ON p.interaction_id = i.id WHERE p.contact_id = c.id) FROM contact c ORDER BY c.id"
)


def probe(store: Path | StoreProbe) -> StoreProbe:
    """A store to look into: the test's (either engine), or an SQLite file."""
    return store if isinstance(store, StoreProbe) else StoreProbe("sqlite", store, None)


def kept_and_computed(store: Path | StoreProbe) -> list[tuple]:
    return probe(store).rows(COMPUTED)


def assert_kept(store: Path | StoreProbe) -> list[tuple]:
    rows = kept_and_computed(store)
    assert rows, "no contacts"
    assert [(cid, kept) for cid, kept, _ in rows] == [(cid, seen) for cid, _, seen in rows]
    return rows


def test_every_way_of_writing_keeps_the_last_interaction(rel, store: StoreProbe) -> None:
    rel("add", "Ann Lee", "--every", "2w", ok=True)
    rel("add", "Bo Chen", "--every", "1m", ok=True)
    rel("add", "Cy Diaz", ok=True)
    rel("log", "ann", "call", "--on", "2026-02-01", ok=True)  # sqlite3 path
    rel("log", "bo", "lunch", "--with", "ann", "--on", "2026-02-20", ok=True)
    rel("log", "ann", "email", "--on", "2026-01-15", ok=True)  # an older one changes nothing
    rel("done", "c2", "--today", "2026-02-27", ok=True)  # the ORM path
    rows = assert_kept(store)
    assert [seen for _, seen, _ in rows] == ["2026-02-20", "2026-02-27", None]

    store.execute(  # a person with the sqlite3 shell, or psql
        "DELETE FROM interaction WHERE \"on\" = '2026-02-20'",
        "UPDATE interaction SET \"on\" = '2026-02-25' WHERE kind = 'email'",
        "UPDATE participant SET contact_id = 3 WHERE contact_id = 2",
    )
    rows = assert_kept(store)
    assert [seen for _, seen, _ in rows] == ["2026-02-25", None, "2026-02-27"]


def test_an_imported_network_and_the_demo_keep_it(rel, tmp_path: Path, store: StoreProbe) -> None:
    demo = tmp_path / "demo.db"
    rel("demo", "--out", str(demo), ok=True)
    rows = assert_kept(demo)
    assert sum(1 for _, seen, _ in rows if seen) > 10
    exported = tmp_path / "network.json"
    rel("--db", str(demo), "export", "json", "--output", str(exported), ok=True)
    rel("import", "json", str(exported), ok=True)  # into the test's store, either engine
    assert [seen for _, seen, _ in assert_kept(store)] == [seen for _, seen, _ in rows]


def cadence_days_of(store: StoreProbe) -> list[tuple]:
    return store.rows(
        "SELECT name, cadence, cadence_days FROM contact UNION ALL"
        " SELECT name, cadence, cadence_days FROM tag ORDER BY 1"
    )


def test_cadence_days_follow_every_cadence_written(rel, store: StoreProbe) -> None:
    rel("add", "Ann Lee", "--every", "3w-6w", "--tag", "friend", ok=True)
    rel("add", "Bo Chen", "--tag", "customer", ok=True)
    rel("tag", "customer", "--every", "quarterly", ok=True)
    rel("edit", "bo", "--every", "1y", ok=True)
    assert cadence_days_of(store) == [
        ("Ann Lee", "3w-6w", 21), ("Bo Chen", "1y", 365),
        ("customer", "3m", 89), ("friend", None, None),
    ]  # fmt: skip
    rel("edit", "bo", "--every", "none", ok=True)
    # changed by hand: not known any more, rather than wrong
    store.execute("UPDATE contact SET cadence = '1w' WHERE name = 'Ann Lee'")
    assert cadence_days_of(store)[:2] == [("Ann Lee", "1w", None), ("Bo Chen", None, None)]


def assert_derived_right(store: StoreProbe, after: tuple[str, ...]) -> None:
    """`last_seen` and `cadence_days` of every contact and tag equal what they stand for."""
    from rel.domain.dates import cadence_days

    rows = kept_and_computed(store)
    assert [(cid, kept) for cid, kept, _ in rows] == [(cid, seen) for cid, _, seen in rows], after
    found = cadence_days_of(store)
    assert [(name, text, cadence_days(text)) for name, text, _ in found] == found, after


CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vic Card\r\nEMAIL:vic@example.org\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Val Card\r\nX-REL-CADENCE:2w\r\nEND:VCARD\r\n"
)
CSV = "Name,E-mail Address,Cadence\nCora Csv,cora@example.org,3w-6w\nCal Csv,,\n"


def test_every_kind_of_write_keeps_the_derived_columns_right(
    rel, rel_json, store: StoreProbe, tmp_path: Path
) -> None:
    import json

    cards, table, document = tmp_path / "a.vcf", tmp_path / "a.csv", tmp_path / "a.json"
    cards.write_text(CARDS, encoding="utf-8")
    table.write_text(CSV, encoding="utf-8")
    document.write_text(
        json.dumps(
            {
                "format": "rel",
                "version": 1,
                "contacts": [
                    {"id": 1, "name": "Jo Json", "cadence": "1m", "tags": ["team"]},
                    {"id": 2, "name": "Jen Json", "tags": ["team"]},
                ],
                "tags": [{"name": "team", "cadence": "6w"}],
                "interactions": [
                    {"id": 1, "date": "2026-01-10", "kind": "call", "with": [1, 2]},
                    {"id": 2, "date": "2026-02-10", "kind": "lunch", "with": [2]},
                ],
            }
        ),
        encoding="utf-8",
    )
    writes = [
        ("import", "vcard", str(cards), "--every", "3m"),
        ("import", "csv", str(table)),
        ("import", "json", str(document)),
        ("import", "csv", str(table)),  # known already: merged, nothing new
        ("add", "Ann Lee", "--every", "3w-6w", "--tag", "friend"),
        ("add", "Bo Chen", "--tag", "customer"),
        ("tag", "customer", "--every", "quarterly"),
        ("tag", "friend", "--every", "2w-3w"),
        ("log", "ann", "call", "--on", "2026-02-01"),
        ("log", "bo", "lunch", "--with", "vic", "--on", "2026-02-20"),
        ("edit", "bo", "--every", "1y"),
        ("edit", "ann", "--every", "3w-8w"),  # the range's end alone
        ("edit", "ann", "--every", "1m-2m"),
        ("merge", "Vic Card", "Val Card", "--yes"),
        ("undo",),
        ("merge", "Cora Csv", "Cal Csv", "--yes"),
        ("done", "c1"),
        ("rm", "jen", "--yes"),
        ("undo",),
        ("edit", "bo", "--every", "none"),
        ("tag", "customer", "--every", "none"),
        ("undo",),
        ("undo",),
    ]
    for args in writes:
        rel(*args, ok=True)
        assert_derived_right(store, args)
    seen = {c["name"]: c["last_interaction"] for c in rel_json("list", "--json")}
    assert (len(seen), seen["Jo Json"], seen["Jen Json"]) == (7, "2026-01-10", "2026-02-10")


class EveryContact:
    """A reader that asks for every contact who has a cadence or a birthday, due or not: what
    the agenda was before SQL left anyone out."""

    def __init__(self, reader) -> None:
        self.reader = reader

    def rows(self, name: str, /, **params):
        if name.startswith("agenda_contacts"):
            name = name.replace("agenda_contacts", "every_agenda_contact")
            params = {k: v for k, v in params.items() if k == "tags"}
        return self.reader.rows(name, **params)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def awkward_store(request, tmp_path_factory) -> str:
    """The demo network, and people whose days sit on the edges: 29 February, the new year,
    months of different lengths, a tag's cadence only, a cadence changed by hand; in an SQLite
    file or a PostgreSQL database (its URL)."""
    from typer.testing import CliRunner

    from rel.cli import app

    folder = tmp_path_factory.mktemp("awkward")
    demo = folder / "rel.db"
    runner = CliRunner()

    def rel(*args: str, store: str = str(demo)) -> None:
        result = runner.invoke(app, ["--db", store, "--today", "2026-02-26", *args])
        assert result.exit_code == 0, result.output

    rel("demo", "--out", str(demo))
    store = str(demo)
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres_server")
        store = server.url(server.create_database("awkward"), password=True)
        rel("export", "json", "--output", str(folder / "demo.json"))
        rel("import", "json", str(folder / "demo.json"), store=store)
    rel("tag", "friend", "--every", "3w", store=store)
    for name, birthday, every, seen in [
        ("Leap Day", "02-29", None, None),
        ("Leap Year", "2000-02-29", None, None),
        ("Feb End", "02-28", None, None),
        ("New Year", "01-01", None, None),
        ("Old Year", "12-31", None, None),
        ("March First", "03-01", None, None),
        ("Long Month", None, "1m", "2026-01-31"),
        ("Short Month", None, "1m", "2025-11-30"),
        ("Leap Anniversary", None, "1y", "2024-02-29"),
        ("Yearly", None, "1y", "2025-02-28"),
        ("Ranged", None, "3w-6w", "2026-01-30"),
        ("Quarter", None, "quarterly", "2025-11-30"),
        ("Tagged Only", None, "friend", "2026-02-01"),
        ("By Hand", None, "1y", "2026-01-20"),
    ]:
        if every == "friend":
            rel("add", name, "--tag", "friend", store=store)
        else:
            when = ["--birthday", birthday] if birthday else ["--every", every]
            rel("add", name, *when, store=store)
        if seen:
            rel("log", name, "call", "--on", seen, store=store)
    # cadence_days not known any more
    probe = StoreProbe(request.param, demo, store.replace(f":{PASSWORD}@", "@"))
    probe.execute("UPDATE contact SET cadence = '1w' WHERE name = 'By Hand'")
    return store


def test_leaving_out_who_cannot_be_due_changes_no_agenda(awkward_store: str) -> None:
    """Every day around the edges, for short and long windows, with and without a tag."""
    from datetime import timedelta

    from rel.paths import resolve_store
    from rel.services.agenda import agenda
    from rel.store.engine import open_store
    from rel.store.queries import OrmReader, SqliteReader

    days_to_check = [date(2026, 2, 20) + timedelta(days=n) for n in range(14)]
    days_to_check += [date(2026, 12, 24) + timedelta(days=n) for n in range(12)]
    days_to_check += [date(2028, 2, 24) + timedelta(days=n) for n in range(8)]
    days_to_check += [date(2026, 6, 15), date(2027, 2, 27), date(2027, 2, 28)]
    compared = 0
    location = resolve_store(awkward_store)
    store = open_store(location, write=False)
    try:
        with store.session() as session:
            reader: Any = OrmReader(session)
            if location.path is not None:  # SQLite: the compiled statements, as rel due runs
                connection = sqlite3.connect(location.path)
                reader = SqliteReader(connection)
            windows = (0, 1, 2, 7, 30, 364, 365, 400)
            if location.path is None:  # the same SQL but for the days between: a sample
                days_to_check, windows = days_to_check[::2], (0, 2, 30, 365)
            for day in days_to_check:
                for window in windows:
                    for tags in ([], ["friend"]):
                        filtered = agenda(reader, day, days=window, tags=tags)
                        everyone = agenda(EveryContact(reader), day, days=window, tags=tags)
                        assert filtered == everyone, (day, window, tags)
                        compared += len(everyone.rows)
            if location.path is not None:
                connection.close()
    finally:
        store.close()
    assert compared > 300  # not a comparison of empty agendas


@pytest.mark.sqlite_only  # writes the file as an older rel left it
def test_a_store_imported_before_is_given_its_cadence_days(rel, store_path: Path) -> None:
    """Imports used to leave `cadence_days` unknown; the upgrade fills it in."""
    rel("add", "Ann Lee", "--every", "3w-6w", ok=True)
    rel("tag", "customer", "--every", "2m", ok=True)
    probe(store_path).execute(  # as rel import of before left it
        "UPDATE contact SET cadence_days = NULL",
        "UPDATE tag SET cadence_days = NULL",
        "DELETE FROM rel_migration WHERE name = '0007_cadence_days_everywhere'",
    )
    rel("due", ok=True)
    assert cadence_days_of(probe(store_path)) == [
        ("Ann Lee", "3w-6w", 21), ("customer", "2m", 59),
    ]  # fmt: skip


@pytest.mark.sqlite_only  # writes the file as an older rel left it
def test_the_upgrade_counts_months_as_the_calendar_does(rel, store_path: Path) -> None:
    """Older versions counted a month as 28 days in `cadence_days`: right, but the agenda's SQL
    then kept more contacts than could be due. The upgrade writes the calendar's count."""
    rel("add", "Ann Lee", "--every", "3m", ok=True)
    rel("tag", "customer", "--every", "2m-3m", ok=True)
    probe(store_path).execute(  # as an older rel left it
        "UPDATE contact SET cadence_days = 84",
        "UPDATE tag SET cadence_days = 56",
        "DROP INDEX ix_contact_own_cadence_due",
        "DROP INDEX ix_contact_birthday_key",
        "DELETE FROM rel_migration WHERE name = '0012_agenda_indexes'",
    )
    fresh = store_path.with_name("fresh.db")
    rel("--db", str(fresh), "add", "Bo Chen", ok=True)
    rel("due", ok=True)
    assert cadence_days_of(probe(store_path)) == [
        ("Ann Lee", "3m", 89), ("customer", "2m-3m", 59),
    ]  # fmt: skip
    # the agenda's indexes, as a new store has them
    assert agenda_plan(store_path) == agenda_plan(fresh)
    assert "SCAN contact" not in agenda_plan(store_path)


def agenda_plan(path: Path) -> str:
    """How SQLite runs the agenda's SQL on this store, and the indexes it has."""
    from rel.store.compiled_sql import COMPILED

    sql, names, _types, _literals = COMPILED["agenda_contacts"]
    with sqlite3.connect(path) as connection:
        plan = connection.execute("EXPLAIN QUERY PLAN " + sql, [0] * len(names)).fetchall()
        indexes = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        ).fetchall()
    connection.close()
    return "\n".join(row[-1] for row in plan) + "\n" + "\n".join(map(str, indexes))


@pytest.mark.sqlite_only  # SQLite's query plan
def test_the_agenda_reads_who_can_be_due_not_the_whole_address_book(rel, store_path: Path) -> None:
    """The contacts who can be due (by their cadence, a birthday, a tag's cadence) are found
    through indexes: on a large store, `rel due` costs what its agenda holds."""
    rel("add", "Ann Lee", "--every", "3m", "--birthday", "03-14", ok=True)
    plan = agenda_plan(store_path)
    assert "SCAN contact" not in plan and "SCAN contact_tag" not in plan, plan
    assert "USING INDEX ix_contact_own_cadence_due" in plan
    assert "USING INDEX ix_contact_birthday_key" in plan


@pytest.mark.postgresql_only
def test_postgresql_finds_who_can_be_due_through_the_same_indexes(rel, store: StoreProbe) -> None:
    """PostgreSQL reads the agenda's candidates through the same expression indexes (with
    sequential scans turned off, as on a store large enough for the planner to prefer them)."""
    from rel.store.compiled_sql_postgresql import COMPILED

    rel("add", "Ann Lee", "--every", "3m", "--birthday", "03-14", ok=True)
    sql, _names, _types, literals = COMPILED["agenda_contacts"]
    values = {**literals, "horizon": date(2026, 3, 8), "birthdays_from": 301,
              "birthdays_to": 309, "birthdays_from_2": 0, "birthdays_to_2": -1}  # fmt: skip
    connection = store._connect()
    try:
        connection.execute("SET enable_seqscan = off")
        plan = "\n".join(row[0] for row in connection.execute("EXPLAIN " + sql, values))
    finally:
        connection.close()
    assert "ix_contact_own_cadence_due" in plan and "ix_contact_birthday_key" in plan, plan
