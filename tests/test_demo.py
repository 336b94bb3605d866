"""rel demo: a sample network in a throwaway store, then its agenda."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.mark.empty_database
def test_demo_shows_an_agenda_with_overdue_catch_ups_and_birthdays(rel, store) -> None:
    result = rel("demo", ok=True)
    text = result.stdout
    assert text.startswith("A sample network of 44 people")
    assert "Overdue (" in text and "catch up every" in text
    assert "Priya Raman — turns 30 on Sat Feb 28 (born on 29 February" in text
    assert "birthday today" in text
    assert text.rstrip().splitlines()[-1].startswith("Start your own network: rel add")
    assert not store.exists()  # the user's store is never touched


def test_demo_json_has_the_same_agenda(rel) -> None:
    document = json.loads(rel("demo", "--json", ok=True).stdout)
    assert document["date"] == "2026-02-26"
    assert len(document["overdue"]) >= 1
    kinds = {row["kind"] for section in ("today", "upcoming") for row in document[section]}
    assert "birthday" in kinds


def test_demo_out_keeps_the_store_to_explore(rel, tmp_path: Path) -> None:
    keep = tmp_path / "demo.db"
    rel("demo", "--out", str(keep), ok=True)
    profile = json.loads(
        rel("--db", str(keep), "--today", "2026-02-26", "show", "priya", "--json", ok=True).stdout
    )
    assert profile["birthday"] == "1996-02-29"
    assert profile["next_birthday"] == "2026-02-28"
    again = rel("demo", "--out", str(keep))
    assert again.exit_code == 1 and "exists already" in again.stderr


def test_demo_ignores_the_users_today(rel, monkeypatch) -> None:
    monkeypatch.setenv("REL_TODAY", "2030-01-01")
    assert json.loads(rel("demo", "--json", ok=True).stdout)["date"] == "2026-02-26"
