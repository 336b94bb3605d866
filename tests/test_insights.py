"""rel stats and rel drift on small stores whose numbers are worked out by hand below
(today is Sunday 2026-03-01)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from rel.domain.dates import parse_cadence
from rel.services.insights import drifting, network_stats
from tests.conftest import TODAY, add, log


@pytest.fixture
def network(session):
    ann = add(session, "Ann", tags=["customer"], cadence=parse_cadence("1m"))
    ben = add(session, "Ben", tags=["customer", "friend"])
    add(session, "Cy", tags=["friend"], cadence=parse_cadence("1w"), today=date(2026, 1, 1))
    dee = add(session, "Dee", tags=["customer"])
    dee.archived = True
    session.add(dee)
    log(session, ann, date(2026, 1, 10), "call")
    log(session, ann, date(2026, 2, 10), "lunch", they=True)
    log(session, ben, date(2025, 12, 5), "help", they=True)
    log(session, ben, date(2026, 2, 20), "help")
    log(session, ben, date(2026, 2, 25), "coffee")
    log(session, [ann, ben], date(2026, 2, 15), "dinner")
    log(session, dee, date(2026, 2, 1), "call")  # archived: counted nowhere
    return session


def test_stats_count_what_a_person_would_count(network) -> None:
    stats = network_stats(network, TODAY)
    assert stats.contacts == 3  # Ann, Ben, Cy; Dee is archived
    assert stats.by_tag == [("customer", 2), ("friend", 2)]  # Ann+Ben, Ben+Cy
    months = dict(stats.per_month)
    assert (stats.per_month[0][0], stats.per_month[-1][0]) == ("2025-04", "2026-03")  # 12 months
    # Dec: Ben's help; Jan: Ann's call; Feb: lunch, help, coffee, and the dinner counted once
    assert (months["2025-12"], months["2026-01"], months["2026-02"], months["2026-03"]) == (
        1, 1, 4, 0,
    )  # fmt: skip
    # Ann: last seen at the dinner on 15 Feb + 1 month = 15 Mar, on time;
    # Cy: added 1 Jan + 1 week = 8 Jan, overdue; Ben has no cadence and is not counted
    assert stats.health == {"on time": 1, "due": 0, "overdue": 1}
    # customers (Ann, Ben): you: call, help, coffee, dinner = 4; they: lunch, help = 2
    # friends (Ben, Cy): you: help, coffee, dinner = 3; they: help = 1
    assert stats.reach_out == [("customer", 4, 2), ("friend", 3, 1)]
    assert stats.favors == {"given": 1, "received": 1}
    assert stats.kinds == [("help", 2), ("call", 1), ("coffee", 1), ("dinner", 1), ("lunch", 1)]


def test_stats_filtered_by_tag_and_since(network) -> None:
    stats = network_stats(network, TODAY, tags=["friend"], since=date(2026, 2, 1))
    assert stats.contacts == 2  # Ben, Cy
    # from 1 Feb, with Ben: help (you), coffee (you), dinner (you)
    assert stats.reach_out == [("customer", 3, 0), ("friend", 3, 0)]
    assert stats.kinds == [("coffee", 1), ("dinner", 1), ("help", 1)]
    assert stats.favors == {"given": 1, "received": 0}


def test_drift_finds_who_fell_out_of_their_own_rhythm(session) -> None:
    eve = add(session, "Eve")
    for day in (date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 21)):
        log(session, eve, day)
    finn = add(session, "Finn", tags=["prospect"], cadence=parse_cadence("1y"))
    for day in (date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)):
        log(session, finn, day, "email")
    gus = add(session, "Gus")
    for day in (date(2025, 1, 1), date(2025, 2, 1)):  # two interactions: no rhythm yet
        log(session, gus, day)
    hal = add(session, "Hal")
    for day in (date(2026, 2, 20), date(2026, 2, 25), date(2026, 2, 28)):
        log(session, hal, day)  # gaps 5 and 3, last one yesterday: within the rhythm
    found = drifting(session, TODAY)
    # Eve: gaps 10, 10 -> usually 10 days; 21 Jan to 1 Mar is 39 days: 3.9x
    # Finn: gaps 31, 30 -> usually 30.5 days; 1 Dec to 1 Mar is 90 days: 2.95x
    assert [(d.name, d.usual_gap, d.current_gap, d.ratio) for d in found] == [
        ("Eve", 10, 39, 3.9),
        ("Finn", 30.5, 90, 2.95),
    ]
    assert found[0].why == "usually every 10 days, now 39 days since 2026-01-21: 3.9×"
    assert "share something useful" in found[1].suggestion  # a prospect
    assert [d.name for d in drifting(session, TODAY, limit=1)] == ["Eve"]


def test_stats_and_drift_on_the_demo_network(rel, tmp_path) -> None:
    store = tmp_path / "demo.db"
    rel("demo", "--out", str(store), ok=True)
    on = ["--db", str(store), "--today", "2026-02-26"]
    plain = rel(*on, "stats", ok=True).stdout
    document = json.loads(rel(*on, "stats", "--json", ok=True).stdout)
    total = document["interactions"]
    assert total == sum(kind["interactions"] for kind in document["kinds"]) > 0
    assert plain.startswith(f"43 contacts; {total} interactions over all time.")
    assert "Interactions per month" in plain and "2026-02" in plain and "█" not in plain
    assert document["contacts"] == 43 and len(document["per_month"]) == 12
    assert sum(document["cadence_health"].values()) == 41  # 44 people, 1 archived, 2 without
    drift = rel(*on, "drift", ok=True).stdout
    assert "usually every" in drift and "→" in drift
    assert (
        len(json.loads(rel(*on, "drift", "--json", "--limit", "3", ok=True).stdout)["drifting"])
        == 3
    )


def test_a_terminal_gets_bars(rel, tmp_path, monkeypatch) -> None:
    store = tmp_path / "demo.db"
    rel("demo", "--out", str(store), ok=True)
    monkeypatch.setenv("REL_FORCE_TERMINAL", "1")
    text = rel("--db", str(store), "--today", "2026-02-26", "stats", ok=True).stdout
    assert "█" in text and "Interactions per month" in text
    assert (
        "Cooling fastest"
        in rel("--db", str(store), "--today", "2026-02-26", "drift", ok=True).stdout
    )
