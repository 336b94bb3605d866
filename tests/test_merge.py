"""rel merge WHO1 WHO2: two records of one person become one, with all of both histories."""

from __future__ import annotations

import json

import pytest

from tests.test_derived_columns import assert_kept


def export(rel) -> dict:
    return json.loads(rel("export", "json", ok=True).stdout)


def by_name(document: dict) -> dict[str, dict]:
    return {c["name"]: c for c in document["contacts"]}


@pytest.fixture
def zoe(rel) -> None:
    """Two records of one person, as an import and a hand-typed entry leave them, and Bob."""
    rel(
        "add", "Zoë A. Van der Berg Jr.", "--email", "zoe@acme.example", "--company", "Acme",
        "--title", "CTO", "--tag", "customer", "--every", "3w", "--note", "Likes green tea",
        "--today", "2025-06-01", ok=True,
    )  # fmt: skip
    rel(
        "add", "Zoe Van der Berg", "--email", "ZOE@acme.example", "--email", "zoe@home.example",
        "--phone", "+44 20 7946 0958", "--link", "linkedin.com/in/zoe", "--alias", "Zo",
        "--company", "Globex", "--met", "PyCon 2019", "--birthday", "1990-03-14",
        "--tag", "friend", "--tag", "customer", "--note", "Allergic to nuts",
        "--today", "2024-01-15", ok=True,
    )  # fmt: skip
    rel("add", "Bob Chen", ok=True)


def merge(rel, *args: str):
    return rel("merge", "1", "2", "--yes", *args, ok=True)


def test_handles_move_without_doubles_and_the_other_name_becomes_an_alias(rel, rel_json, zoe):
    merge(rel)
    zoe = rel_json("show", "1")
    assert zoe["name"] == "Zoë A. Van der Berg Jr."
    assert zoe["emails"] == ["zoe@acme.example", "zoe@home.example"]  # ZOE@ not doubled
    assert zoe["phones"] == ["+44 20 7946 0958"]
    assert zoe["links"] == ["https://linkedin.com/in/zoe"]
    assert zoe["aliases"] == ["Zo", "Zoe Van der Berg"]
    assert [c["name"] for c in rel_json("list")] == ["Bob Chen", "Zoë A. Van der Berg Jr."]
    # the old record's name and email still find the person
    assert rel_json("show", "Zoe Van der Berg")["id"] == 1
    assert rel_json("show", "zoe@home.example")["id"] == 1


def test_the_same_name_is_not_added_as_an_alias(rel, rel_json) -> None:
    rel("add", "Ann Lee", ok=True)
    rel("add", "ann lee", ok=True)
    merge(rel)
    assert rel_json("show", "1")["aliases"] == []


def test_tags_of_both_are_kept_once(rel, rel_json, zoe) -> None:
    merge(rel)
    assert rel_json("show", "1")["tags"] == ["customer", "friend"]
    tags = {t["name"]: t["contacts"] for t in rel_json("tags")}
    assert tags == {"customer": 1, "friend": 1}


def test_an_interaction_both_took_part_in_is_kept_once(rel, rel_json, zoe) -> None:
    rel("log", "1", "dinner", "All three", "--with", "2", "--with", "bob", "--on", "2026-02-10",
        ok=True)  # fmt: skip
    merge(rel)
    [dinner] = rel_json("show", "1")["timeline"]
    assert (dinner["kind"], dinner["with"]) == ("dinner", ["Bob Chen"])
    [seen_by_bob] = rel_json("show", "bob")["timeline"]
    assert seen_by_bob["with"] == ["Zoë A. Van der Berg Jr."]
    assert len(export(rel)["interactions"]) == 1


def test_interactions_that_become_identical_are_kept_once(rel, rel_json, zoe) -> None:
    for who in ("1", "2"):  # the same lunch, imported into both records
        rel("log", who, "lunch", "Q3 plans", "--on", "2026-02-01", ok=True)
    rel("log", "2", "lunch", "Q4 plans", "--on", "2026-02-01", ok=True)  # another note
    rel("log", "2", "lunch", "Q3 plans", "--on", "2026-02-01", "--they", ok=True)  # they asked
    rel("log", "2", "lunch", "Q3 plans", "--on", "2026-02-01", "--with", "bob", ok=True)
    result = rel("merge", "1", "2", "--dry-run", ok=True)
    assert "4 moved; 1 of these identical to one of Zoë A. Van der Berg Jr. (#1)'s" in (
        result.stdout
    )
    merge(rel)
    timeline = rel_json("show", "1")["timeline"]
    assert sorted((t["note"], t["direction"], tuple(t["with"])) for t in timeline) == [
        ("Q3 plans", "me", ()),
        ("Q3 plans", "me", ("Bob Chen",)),
        ("Q3 plans", "them", ()),
        ("Q4 plans", "me", ()),
    ]


def test_a_follow_up_of_a_folded_interaction_stays_with_the_kept_one(rel, zoe) -> None:
    rel("log", "1", "call", "--on", "2026-02-01", ok=True)
    rel("log", "2", "call", "--on", "2026-02-01", "--follow-up", "2w: send the deck", ok=True)
    merge(rel)
    document = export(rel)
    [call] = document["interactions"]
    [follow_up] = document["touchpoints"]
    assert follow_up["text"] == "send the deck" and follow_up["interaction"] == call["id"]


def test_touchpoints_events_and_gifts_move_and_keep_their_keys(rel, rel_json, zoe) -> None:
    rel("remind", "2", "Send the contract", "--on", "2026-03-05", ok=True)  # t1
    rel("event", "2", "promotion", "VP Engineering", "--on", "2026-02-20", ok=True)  # t2
    rel("gift", "2", "idea", "A book on tea", ok=True)
    rel("gift", "1", "gave", "Flowers", "--on", "2025-12-24", ok=True)
    merge(rel)
    zoe = rel_json("show", "1")
    assert [(t["key"], t["text"]) for t in zoe["scheduled"]] == [
        ("t2", "promotion: VP Engineering"),
        ("t1", "Send the contract"),
    ]
    assert sorted(g["text"] for g in zoe["gifts"]) == ["A book on tea", "Flowers"]
    [event] = export(rel)["events"]
    assert (event["kind"], event["text"]) == ("promotion", "VP Engineering")
    done = rel("done", "t1", ok=True)
    assert "Send the contract" in done.stderr


def test_favors_of_both_records_add_up_in_the_balance(rel, zoe) -> None:
    rel("log", "1", "help", "Intro to a VC", "--on", "2026-01-10", ok=True)
    rel("log", "2", "help", "Reviewed my deck", "--they", "--on", "2026-01-20", ok=True)
    rel("log", "2", "help", "Lent a projector", "--they", "--on", "2026-02-02", ok=True)
    assert "1 of them favors" not in rel("merge", "1", "2", "--dry-run", ok=True).stdout
    merge(rel)
    shown = rel("show", "1", ok=True).stdout
    assert "you helped them 1×, they helped you 2× (they gave more)" in shown


def test_notes_of_both_are_kept_the_other_under_a_line_naming_them(rel, rel_json, zoe) -> None:
    merge(rel)
    notes = rel_json("show", "1")["notes"]
    assert notes.startswith("Likes green tea\n\nFrom Zoe Van der Berg (#2), merged on 2026-03-01:")
    assert notes.endswith("\nAllergic to nuts")


def test_notes_the_kept_record_has_already_are_not_doubled(rel, rel_json) -> None:
    rel("add", "Ann Lee", "--note", "Two kids; likes sailing", ok=True)
    rel("add", "Ann Lee", "--note", "Two kids; likes sailing", ok=True)
    assert "notes:" not in rel("merge", "1", "2", "--dry-run", ok=True).stdout
    merge(rel)
    assert rel_json("show", "1")["notes"] == "Two kids; likes sailing"


def test_the_earliest_added_date_is_kept(rel, rel_json, zoe) -> None:
    merge(rel)
    assert rel_json("show", "1")["added_on"] == "2024-01-15"


def test_blanks_are_filled_and_differing_values_stay_and_go_into_the_notes(
    rel, rel_json, zoe
) -> None:
    result = merge(rel)
    assert "1 differing value kept in the notes" in result.stderr
    assert "company: kept Acme; noted Globex" in result.stderr
    zoe = rel_json("show", "1")
    assert (zoe["company"], zoe["title"], zoe["met"]) == ("Acme", "CTO", "PyCon 2019")
    assert (zoe["birthday"], zoe["cadence"]) == ("1990-03-14", "3w")
    assert "company: Globex (kept Acme)" in zoe["notes"]


def test_a_birthday_year_fills_in_the_same_day_and_another_day_is_a_conflict(rel, rel_json) -> None:
    rel("add", "Ann Lee", "--birthday", "03-14", "--every", "1m", ok=True)
    rel("add", "Ann B. Lee", "--birthday", "1985-03-14", "--every", "2w", ok=True)
    rel("add", "Ann Lee (old)", "--birthday", "1985-04-02", ok=True)
    merge(rel)
    ann = rel_json("show", "1")
    assert (ann["birthday"], ann["cadence"]) == ("1985-03-14", "1m")
    assert "cadence: 2w (kept 1m)" in ann["notes"]
    result = rel("merge", "1", "3", "--yes", ok=True)
    assert "birthday: kept 1985-03-14; noted 1985-04-02" in result.stderr


def test_the_merged_contact_is_active_when_either_was(rel, rel_json) -> None:
    rel("add", "Ann Lee", ok=True)
    rel("add", "Ann Lee", ok=True)
    rel("archive", "1", ok=True)
    plan = rel("merge", "1", "2", "--dry-run", ok=True).stdout
    assert "archived: no longer (Ann Lee was active)" in plan
    merge(rel)
    assert rel_json("show", "1")["archived"] is False
    # #2 again on SQLite (the highest id + 1); PostgreSQL does not reuse it
    first = rel("add", "Bo Chen", ok=True).stdout.strip()
    second = rel("add", "Bo Chen", ok=True).stdout.strip()
    rel("archive", first, ok=True)
    rel("archive", second, ok=True)
    planned = rel("merge", first, second, "--dry-run").stdout
    assert "archived: stays archived (both were)" in planned
    rel("merge", first, second, "--yes", ok=True)
    assert rel_json("show", first)["archived"] is True


def test_snoozes_of_the_other_record_are_carried_over_or_dropped(rel, rel_json) -> None:
    rel("add", "Ann Lee", "--every", "1w", "--birthday", "03-05", ok=True)
    rel("add", "Ann Lee", "--every", "1w", "--birthday", "03-05", ok=True)
    rel("add", "Bo Chen", "--every", "1w", "--birthday", "03-03", ok=True)
    rel("add", "Bo Chen", "--every", "1w", "--birthday", "04-10", ok=True)
    rel("snooze", "b2", "2026-03-20", ok=True)  # Ann: the same birthday, WHO1 has no snooze
    rel("snooze", "c1", "2026-03-10", ok=True)
    rel("snooze", "c2", "2026-03-25", ok=True)  # WHO1 has its own
    rel("snooze", "b4", "2026-04-20", ok=True)  # Bo's other birthday is not kept
    plan = rel("merge", "1", "2", "--dry-run", ok=True).stdout
    assert "snooze b2: carried to b1 (until 2026-03-20)" in plan
    assert "snooze c2: dropped: c1 has its own snooze" in plan
    merge(rel)
    rel("merge", "3", "4", "--yes", ok=True)
    assert {s["key"]: s["until"] for s in export(rel)["snoozes"]} == {
        "b1": "2026-03-20",
        "c1": "2026-03-10",
    }
    assert "Bo Chen" in rel("due", ok=True).stdout  # Bo's birthday on the 3rd, not hidden


def test_a_dry_run_writes_nothing(rel, zoe, store) -> None:
    rel("log", "2", "lunch", "--on", "2026-02-01", ok=True)
    before_bytes = store.state()
    before = export(rel)
    result = rel("merge", "1", "2", "--dry-run", ok=True)
    assert result.stdout.startswith(
        "Merge Zoe Van der Berg (#2) into Zoë A. Van der Berg Jr. (#1) (dry run, nothing changed):"
    )
    for line in (
        "emails: + zoe@home.example",
        "already on Zoë A. Van der Berg Jr. (#1): ZOE@acme.example (not doubled)",
        "alias: + Zoe Van der Berg (their name)",
        "tags: + friend",
        "interactions: 1 moved",
        "met: PyCon 2019 (was empty)",
        "conflict: company: kept Acme; Globex goes into the notes",
        "added on: 2024-01-15 (the earlier)",
    ):
        assert f"  {line}\n" in result.stdout
    assert store.state() == before_bytes
    assert export(rel) == before


def test_a_dry_run_plan_as_json(rel, zoe) -> None:
    plan = json.loads(rel("merge", "1", "2", "--dry-run", "--json", ok=True).stdout)
    assert plan["merged"] is False
    assert (plan["keep"]["id"], plan["other"]["id"]) == (1, 2)
    assert plan["conflicts"] == [{"field": "company", "kept": "Acme", "other": "Globex"}]
    assert plan["filled"] == {"met": "PyCon 2019", "birthday": "1990-03-14"}
    assert plan["added_on"] == "2024-01-15"
    assert len(export(rel)["contacts"]) == 3


def test_without_a_terminal_merge_refuses_unless_yes(rel, zoe, store) -> None:
    before = store.state()
    result = rel("merge", "1", "2")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "without a terminal to ask on; add --yes" in result.stderr
    assert store.state() == before


def test_on_a_terminal_merge_shows_the_plan_and_asks(rel, rel_json, zoe, monkeypatch) -> None:
    import rel.cli.contacts as commands

    monkeypatch.setattr(commands, "stdin_is_terminal", lambda: True)
    kept = rel("merge", "1", "2", input="n\n", ok=True)
    assert "tags: + friend" in kept.stderr
    assert "Merge, deleting the record Zoe Van der Berg (#2)?" in kept.stderr
    assert "Nothing merged." in kept.stderr
    assert len(rel_json("list")) == 3
    rel("merge", "1", "2", input="y\n", ok=True)
    assert len(rel_json("list")) == 2


def test_merging_a_person_into_themselves_is_refused(rel, zoe) -> None:
    result = rel("merge", "1", "Zoë A. Van der Berg Jr.", "--yes")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: cannot merge Zoë A. Van der Berg Jr. (#1) into themselves:"
        " WHO1 and WHO2 name the same contact\n"
    )


def test_an_unknown_person_is_exit_1_and_changes_nothing(rel, zoe, store) -> None:
    before = store.state()
    result = rel("merge", "1", "nobody-like-this", "--yes")
    assert result.exit_code == 1 and "no contact matches" in result.stderr
    assert store.state() == before


def test_export_after_a_merge_has_everything_both_had(rel, zoe) -> None:
    rel("log", "1", "call", "--on", "2026-01-05", ok=True)
    rel("log", "2", "coffee", "Catch-up", "--on", "2026-02-05", ok=True)
    rel("log", "2", "help", "--they", "--on", "2026-02-06", ok=True)
    rel("remind", "1", "Quarterly review", "--on", "2026-04-01", "--every", "quarterly", ok=True)
    rel("event", "2", "move", "To Lisbon", "--on", "2026-02-15", ok=True)
    rel("gift", "2", "got", "Olive oil", "--on", "2026-02-16", ok=True)
    before = export(rel)
    merge(rel)
    after = export(rel)
    zoe = by_name(after)["Zoë A. Van der Berg Jr."]
    old = by_name(before)
    for field in ("emails", "phones", "links", "tags"):
        both = {v.lower() for name in old if name != "Bob Chen" for v in old[name][field]}
        assert {v.lower() for v in zoe[field]} == both, field
    assert set(zoe["aliases"]) == {*old["Zoe Van der Berg"]["aliases"], "Zoe Van der Berg"}

    for section in ("interactions", "events", "touchpoints", "gifts"):
        assert without_ids(after[section]) == without_ids(before[section]), section
        ids = {row.get("contact") for row in after[section]}
        ids |= {p for row in after[section] for p in row.get("with", [])}
        assert ids - {None} == {zoe["id"]}, section


def without_ids(rows: list[dict]) -> list[str]:
    """Rows of an export section without the ids that a merge renumbers, to compare."""
    drop = {"id", "contact", "with", "event", "interaction"}
    return sorted(
        json.dumps({k: v for k, v in row.items() if k not in drop}, sort_keys=True) for row in rows
    )


def test_derived_columns_are_right_after_a_merge(rel, zoe, store) -> None:
    rel("log", "1", "call", "--on", "2026-01-05", ok=True)
    rel("log", "2", "coffee", "--on", "2026-02-05", ok=True)
    rel("log", "bob", "lunch", "--with", "2", "--on", "2026-02-20", ok=True)
    merge(rel)
    rows = assert_kept(store)
    assert [seen for _, seen, _ in rows] == ["2026-02-20", "2026-02-20"]
    assert store.rows("SELECT id, search_name, cadence, cadence_days FROM contact ORDER BY id") == [
        (1, "zoe a. van der berg jr.", "3w", 21),
        (3, "bob chen", None, None),
    ]
    assert store.rows(
        "SELECT kind, value, search_value FROM handle WHERE contact_id = 1 AND kind = 'alias'"
        " ORDER BY position"
    ) == [("alias", "Zo", "zo"), ("alias", "Zoe Van der Berg", "zoe van der berg")]
    assert "nothing logged" not in rel("show", "1", ok=True).stdout


def test_a_cadence_filled_in_by_a_merge_sets_its_days(rel, store) -> None:
    rel("add", "Ann Lee", ok=True)
    rel("add", "Ann Lee", "--every", "2w", ok=True)
    merge(rel)
    assert store.rows("SELECT cadence, cadence_days FROM contact") == [("2w", 14)]


def test_the_plan_alone_changes_nothing_and_apply_carries_it_out(session) -> None:
    from datetime import date

    from sqlmodel import select

    from rel.domain.dates import parse_cadence
    from rel.errors import BadValue
    from rel.services.merge import apply_merge, plan_merge
    from rel.store.models import Contact, Participant
    from rel.store.queries import OrmReader
    from tests.conftest import NOW, TODAY, add, log

    ann = add(session, "Ann Lee", company="Acme", cadence=parse_cadence("2w"))
    other = add(session, "Dr. Ann B. Lee", company="Globex", title="CFO", today=date(2025, 5, 1))
    bob = add(session, "Bob Chen")
    log(session, [ann, other, bob], date(2026, 2, 1), "dinner")
    log(session, other, date(2026, 2, 3), "call")
    log(session, ann, date(2026, 2, 5), "call")
    log(session, other, date(2026, 2, 5), "call")
    store = OrmReader(session)
    with pytest.raises(BadValue, match="into themselves"):
        plan_merge(store, ann, ann, today=TODAY)
    plan = plan_merge(store, ann, other, today=TODAY)
    assert (plan.interactions, plan.shared, plan.identical) == (2, 1, 1)
    assert plan.filled == {"title": "CFO"}
    assert [(c.field, c.kept, c.other) for c in plan.conflicts] == [("company", "Acme", "Globex")]
    assert plan.name_alias == "Dr. Ann B. Lee" and plan.added_on == date(2025, 5, 1)
    assert session.get(Contact, other.id) is not None  # planning wrote nothing
    apply_merge(store, ann, other, plan, now=NOW)
    assert session.get(Contact, plan.other.id) is None
    participants = session.exec(select(Participant.contact_id)).all()
    assert sorted(participants) == [ann.id, ann.id, ann.id, bob.id]
    assert (ann.title, ann.company, ann.last_seen) == ("CFO", "Acme", date(2026, 2, 5))
