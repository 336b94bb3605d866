"""Keeping the record right: every record has a key (i42, t3, e5, g2) and can be listed,
corrected and removed (REL_TODAY is Sun 2026-03-01)."""

from __future__ import annotations

import json

import pytest

LONG_NOTE = "Talked through the whole Q3 launch plan, the hiring freeze and the board deck " * 2


@pytest.fixture
def network(rel) -> None:
    rel("add", "Alice Chen", "--every", "3w", ok=True)
    rel("add", "Bob Stone", ok=True)
    rel("add", "Sam Ortiz", ok=True)
    rel("log", "alice", "lunch", LONG_NOTE, "--with", "bob", "--on", "2026-02-10", ok=True)
    rel("log", "bob", "call", "quick one", "--on", "2026-02-20", "--they", ok=True)
    rel("log", "alice", "email", "sent the deck", "--on", "yesterday", ok=True)


# --- rel history ---------------------------------------------------------------------------


def test_history_lists_interactions_newest_first_with_keys(rel, rel_json, network) -> None:
    found = rel_json("history")
    assert [i["key"] for i in found] == ["i3", "i2", "i1"]
    assert found[2] == {
        "key": "i1",
        "date": "2026-02-10",
        "time": None,
        "kind": "lunch",
        "direction": "me",
        "with": [{"id": 1, "name": "Alice Chen"}, {"id": 2, "name": "Bob Stone"}],
        "note": LONG_NOTE.strip(),  # whole in JSON
        "follow_ups": [],
    }
    assert found[1]["direction"] == "them"
    piped = rel("history", ok=True).stdout.splitlines()
    assert piped[0].split() == ["key", "date", "kind", "with", "began", "note"]
    assert piped[1].startswith("i3  ") and "sent the deck" in piped[1]
    assert LONG_NOTE.strip() in piped[3]  # piped: whole, on one line


def test_history_filters_by_who_kind_since_and_limit(rel, rel_json, network) -> None:
    assert [i["key"] for i in rel_json("history", "alice")] == ["i3", "i1"]
    assert [i["key"] for i in rel_json("history", "--kind", "phone")] == ["i2"]  # phone = call
    assert [i["key"] for i in rel_json("history", "--since", "2026-02-15")] == ["i3", "i2"]
    assert [i["key"] for i in rel_json("history", "--limit", "1")] == ["i3"]
    cut = rel("history", "--limit", "2", ok=True)
    assert "The newest 2 of 3; --limit 0 shows them all." in cut.stderr
    assert len(rel_json("history", "--limit", "0")) == 3
    assert rel("history", "sam", ok=True).stderr.strip() == "No interactions match."


def test_history_cuts_long_notes_on_a_terminal_unless_full(rel, network, monkeypatch) -> None:
    monkeypatch.setenv("REL_FORCE_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", "200")
    cut = rel("history", ok=True)
    assert "Talked through the whole Q3" in cut.stdout and "…" in cut.stdout
    assert "board deck Talked" not in cut.stdout
    assert "--full shows them whole" in cut.stderr
    whole = rel("history", "--full", ok=True)
    assert "…" not in whole.stdout and "--full" not in whole.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--kind", "brunchy"], "expected a kind of interaction"),
        (["--since", "the other day"], "expected"),
        (["nobody"], "no contact matches"),
    ],
)
def test_history_refuses_bad_input_in_one_line(rel, network, args, expected) -> None:
    result = rel("history", *args)
    assert result.exit_code == 1
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1


# --- rel reminders, events, gifts ---------------------------------------------------------------


def test_reminders_events_and_gifts_list_records_with_keys(rel, rel_json, network) -> None:
    rel("remind", "alice", "send the report", "--on", "friday", "--every", "monthly",
        "--lead", "3d", ok=True)  # fmt: skip
    rel("log", "bob", "call", "--follow-up", "2w: send the deck", ok=True)
    rel("event", "alice", "wedding", "with Jo", "--on", "2026-02-20", ok=True)
    rel("gift", "alice", "idea", "a book on sailing", "--for", "birthday", ok=True)
    rel("gift", "bob", "gave", "wine", "--on", "2026-02-01", "--cost", "30", ok=True)

    reminders = rel_json("reminders")
    assert [(r["key"], r["contact"], r["kind"]) for r in reminders] == [
        ("t3", "Alice Chen", "congratulate"),
        ("t1", "Alice Chen", "custom"),
        ("t2", "Bob Stone", "follow-up"),
        ("t4", "Alice Chen", "anniversary"),
    ]
    report = reminders[1]
    assert (report["next"], report["rule"], report["lead"]) == ("2026-03-06", "FREQ=MONTHLY", "3d")
    assert reminders[2]["made_by"] == "i4" and reminders[0]["made_by"] == "e1"
    assert [r["key"] for r in rel_json("reminders", "bob")] == ["t2"]
    listed = rel("reminders", ok=True).stdout
    assert "t1   Alice Chen  custom" in listed and "FREQ=MONTHLY  3d" in listed

    [event] = rel_json("events")
    assert event == {
        "key": "e1", "contact": "Alice Chen", "contact_id": 1, "kind": "wedding",
        "date": "2026-02-20", "text": "with Jo", "touchpoints": ["t3", "t4"],
    }  # fmt: skip
    assert rel_json("events", "bob") == []
    assert "e1   Alice Chen  wedding" in rel("events", ok=True).stdout

    found = rel_json("gifts")
    assert [(g["key"], g["direction"], g["text"]) for g in found] == [
        ("g1", "idea", "a book on sailing"),
        ("g2", "gave", "wine"),
    ]
    assert found[1]["cost"] == "30" and found[0]["occasion"] == "birthday"
    assert [g["key"] for g in rel_json("gifts", "bob")] == ["g2"]
    assert "g2   Bob Stone" in rel("gifts", ok=True).stdout


def test_reminders_all_shows_closed_ones_with_their_state(rel, rel_json) -> None:
    rel("add", "Alice", ok=True)
    rel("remind", "alice", "call back", "--on", "today", ok=True)
    rel("done", "t1", ok=True)
    assert rel_json("reminders") == []
    [closed] = rel_json("reminders", "--all")
    assert (closed["key"], closed["state"], closed["completions"]) == ("t1", "done", 1)
    assert "state" in rel("reminders", "--all", ok=True).stdout.splitlines()[0]


def test_empty_listings_say_how_to_start(rel) -> None:
    rel("add", "Alice", ok=True)
    assert "rel remind" in rel("reminders", ok=True).stderr
    assert "rel event" in rel("events", ok=True).stderr
    assert "rel gift" in rel("gifts", ok=True).stderr
    assert "Nothing logged yet." in rel("history", ok=True).stderr


# --- rel edit KEY: interactions --------------------------------------------------------------


def test_edit_an_interaction(rel, rel_json, network) -> None:
    result = rel("edit", "i1", "--note", "Lunch at Nopa", "--on", "yesterday",
                 "--kind", "dinner", "--at", "19:30", "--with", "sam", "--without", "bob",
                 "--they", ok=True)  # fmt: skip
    assert "Changed i1:" in result.stderr
    assert "date 2026-02-10 → 2026-02-28" in result.stderr and "without Bob Stone" in result.stderr
    edited = next(i for i in rel_json("history") if i["key"] == "i1")
    assert edited == {
        "key": "i1", "date": "2026-02-28", "time": "19:30:00", "kind": "dinner",
        "direction": "them",
        "with": [{"id": 1, "name": "Alice Chen"}, {"id": 3, "name": "Sam Ortiz"}],
        "note": "Lunch at Nopa", "follow_ups": [],
    }  # fmt: skip
    # everyone's last interaction follows: Bob's is his call now, Sam was seen on the 28th
    assert rel_json("show", "bob")["last_interaction"] == "2026-02-20"
    assert rel_json("show", "sam")["last_interaction"] == "2026-02-28"
    rel("edit", "I1", "--me", "--at", "none", ok=True)  # a key in capitals is a key too
    again = next(i for i in rel_json("history") if i["key"] == "i1")
    assert (again["direction"], again["time"]) == ("me", None)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["i1", "--text", "x"], "--text does not fit an interaction (i1); an interaction takes "
         "--note, --on, --at, --kind, --with, --without, --they, --me"),
        (["i1", "--once", "--company", "Acme"], "--once, --company do not fit an interaction"),
        (["i1", "--without", "alice", "--without", "bob"], "i1 cannot lose its last participant"),
        (["i1", "--they", "--me"], "expected one of --they"),
        (["i1", "--on", "tomorrow"], "expected the date of something that happened"),
        (["i1", "--kind", "brunchy"], "expected a kind of interaction"),
        (["i1", "--at", "25:99"], "expected"),
        (["i1", "--with", "nobody"], "no contact matches"),
        (["i1", "--without", "sam"], "Sam Ortiz (#3) is not in i1"),
        (["i99", "--note", "x"], "no interaction has the key i99 (rel history lists them)"),
        (["alice", "--on", "friday"], "--on fits a record's key"),
        (["c1", "--note", "x"], "c1 is the catch-up row of contact #1"),
        (["t1", "--every", "3w", "--once"], "expected one of --every RULE"),
    ],
)  # fmt: skip
def test_edit_refuses_bad_input_and_changes_nothing(rel, network, store, args, expected) -> None:
    rel("remind", "alice", "call back", "--on", "friday", ok=True)
    before = store.state()
    result = rel("edit", *args)
    assert result.exit_code == 1, result.stderr
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert store.state() == before


def test_edit_with_nothing_to_change_names_the_options_that_fit(rel, network) -> None:
    result = rel("edit", "i2", ok=True)
    assert "Nothing to change for i2, a call with Bob Stone on 2026-02-20" in result.stderr
    assert "--note, --on, --at" in result.stderr


# --- rel edit KEY: touchpoints, events, gifts ------------------------------------------------


def test_edit_a_touchpoint_moves_it_on_the_agenda(rel, rel_json) -> None:
    rel("add", "Alice", ok=True)
    rel("remind", "alice", "send the deck", "--on", "2026-03-20", ok=True)
    rel("snooze", "t1", "in 30 days", ok=True)
    result = rel("edit", "t1", "--text", "send the board deck", "--on", "friday",
                 "--every", "monthly", "--lead", "3d", "--kind", "follow-up", ok=True)  # fmt: skip
    assert "due 2026-03-20 → 2026-03-06" in result.stderr
    [edited] = rel_json("reminders")
    assert (edited["text"], edited["next"], edited["rule"], edited["lead"], edited["kind"]) == (
        "send the board deck", "2026-03-06", "FREQ=MONTHLY", "3d", "follow-up",
    )  # fmt: skip
    # the new date brings it back: shown 3 days ahead, the snooze gone
    [row] = rel_json("due", "--today", "2026-03-03")["upcoming"]
    assert (row["key"], row["due"]) == ("t1", "2026-03-06")
    rel("edit", "t1", "--once", "--lead", "none", ok=True)
    [once] = rel_json("reminders")
    assert (once["rule"], once["lead"], once["next"]) == (None, None, "2026-03-06")


def test_edit_a_done_touchpoint_to_a_new_date_opens_it_again(rel, rel_json) -> None:
    rel("add", "Alice", ok=True)
    rel("remind", "alice", "call back", "--on", "today", ok=True)
    rel("done", "t1", ok=True)
    assert "open again" in rel("edit", "t1", "--on", "friday", ok=True).stderr
    [again] = rel_json("reminders")
    assert (again["state"], again["next"]) == ("open", "2026-03-06")


def test_edit_an_event_moves_its_congratulation_and_anniversary(rel, rel_json) -> None:
    rel("add", "Alice", ok=True)
    rel("event", "alice", "wedding", "--on", "2026-02-20", ok=True)
    before = {t["kind"]: t for t in rel_json("reminders")}
    assert before["anniversary"]["next"] == "2027-02-20"
    rel("edit", "e1", "--on", "2026-02-25", "--text", "with Jo", ok=True)
    after = {t["kind"]: t for t in rel_json("reminders")}
    assert (after["congratulate"]["next"], after["congratulate"]["text"]) == (
        "2026-02-25", "wedding: with Jo",
    )  # fmt: skip
    assert after["anniversary"]["next"] == "2027-02-25"
    assert after["anniversary"]["text"] == "wedding anniversary: with Jo"
    # a promotion has no anniversary: it goes; a new job has one: it comes
    changed = rel("edit", "e1", "--kind", "promotion", ok=True)
    assert "anniversary t2 removed" in changed.stderr
    assert [t["kind"] for t in rel_json("reminders")] == ["congratulate"]
    rel("edit", "e1", "--kind", "new job", ok=True)
    kinds = {t["kind"]: t for t in rel_json("reminders")}
    assert kinds["anniversary"]["text"] == "work anniversary: with Jo"
    assert kinds["congratulate"]["text"] == "new job: with Jo"
    [event] = rel_json("events")
    assert (event["kind"], event["date"], event["text"]) == ("new-job", "2026-02-25", "with Jo")


def test_edit_a_gift(rel, rel_json) -> None:
    rel("add", "Alice", ok=True)
    rel("gift", "alice", "idea", "a book", ok=True)
    rel("edit", "g1", "--text", "a book on sailing", "--on", "dec 5", "--for", "birthday",
        "--cost", "30", "--lead", "3w", ok=True)  # fmt: skip
    [gift] = rel_json("gifts")
    assert (gift["text"], gift["date"], gift["occasion"], gift["cost"], gift["lead"]) == (
        "a book on sailing", "2026-12-05", "birthday", "30", "3w",
    )  # fmt: skip
    rel("edit", "g1", "--for", "none", "--cost", "", "--on", "none", ok=True)
    [cleared] = rel_json("gifts")
    assert (cleared["occasion"], cleared["cost"], cleared["date"]) == (None, None, None)
    refused = rel("edit", "g1", "--with", "bob")
    assert refused.exit_code == 1
    assert "a gift takes --text, --on, --for, --cost, --lead" in refused.stderr


# --- rel edit WHO: notes ---------------------------------------------------------------------


def test_add_note_appends_a_dated_line(rel, rel_json) -> None:
    rel("add", "Alice", "--note", "Met through Bob", ok=True)
    rel("edit", "alice", "--add-note", "met at the conference", ok=True)
    rel("edit", "alice", "--add-note", "likes sailing", "--today", "2026-03-04", ok=True)
    assert rel_json("show", "alice")["notes"] == (
        "Met through Bob\n2026-03-01: met at the conference\n2026-03-04: likes sailing"
    )
    rel("edit", "alice", "--note", "replaced", ok=True)
    assert rel_json("show", "alice")["notes"] == "replaced"
    both = rel("edit", "alice", "--note", "x", "--add-note", "y")
    assert (
        both.exit_code == 1 and "expected one of --note, --add-note or --edit-note" in both.stderr
    )


def test_edit_note_needs_a_terminal(rel, rel_json) -> None:
    rel("add", "Alice", "--note", "old", ok=True)
    refused = rel("edit", "alice", "--edit-note")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "error: not opening an editor without a terminal; use --note TEXT or --add-note TEXT\n"
    )
    assert rel_json("show", "alice")["notes"] == "old"


def test_edit_note_saves_what_the_editor_wrote(rel, rel_json, monkeypatch) -> None:
    import click

    import rel.commands.contacts as commands

    monkeypatch.setattr(commands, "stdin_is_terminal", lambda: True)
    seen = []

    def editor(text: str, **_: object) -> str | None:
        seen.append(text)
        return text.replace("old", "new") + "second line\n"

    monkeypatch.setattr(click, "edit", editor)
    rel("add", "Alice", "--note", "old", ok=True)
    assert "notes set" in rel("edit", "alice", "--edit-note", ok=True).stderr
    assert seen == ["old\n"]
    assert rel_json("show", "alice")["notes"] == "new\nsecond line"
    monkeypatch.setattr(click, "edit", lambda text, **_: None)  # quit without saving
    assert "Notes unchanged." in rel("edit", "alice", "--edit-note", ok=True).stderr


# --- rel rm KEY --------------------------------------------------------------------------------


def test_rm_an_interaction_resets_the_catch_up(rel, rel_json) -> None:
    rel("add", "Alice", "--every", "1w", "--today", "2026-01-01", ok=True)
    rel("log", "alice", "call", "--on", "2026-02-01", ok=True)
    rel("log", "alice", "call", "--on", "yesterday", "--follow-up", "1w: send it", ok=True)
    assert rel_json("due")["overdue"] == []
    removed = rel("rm", "i2", "--yes", ok=True)
    assert removed.stderr == (
        "Removed i2, a call with Alice on 2026-02-28; "
        "its follow-up t1 stays (rel rm t1 removes it).\n"
    )
    assert rel_json("show", "alice")["last_interaction"] == "2026-02-01"
    assert [row["key"] for row in rel_json("due")["overdue"]] == ["c1"]
    assert [i["key"] for i in rel_json("history")] == ["i1"]
    assert [t["made_by"] for t in rel_json("reminders")] == [None]


def test_rm_a_touchpoint_removes_its_completions(rel, rel_json) -> None:
    rel("add", "Alice", ok=True)
    rel("remind", "alice", "send the report", "--on", "2026-02-01", "--every", "monthly", ok=True)
    rel("done", "t1", "sent", ok=True)
    rel("skip", "t1", ok=True)
    removed = rel("rm", "t1", "--yes", ok=True)
    assert "Removed t1, a reminder for Alice: send the report" in removed.stderr
    assert "with its 2 completions" in removed.stderr
    assert rel_json("reminders", "--all") == []
    assert rel_json("show", "alice")["completions"] == []


def test_rm_an_event_takes_its_touchpoints_along(rel, rel_json) -> None:
    rel("add", "Alice", ok=True)
    rel("event", "alice", "wedding", "--on", "2026-02-20", ok=True)
    removed = rel("rm", "e1", "--yes", ok=True)
    assert "Removed e1, Alice's wedding on 2026-02-20, with its congratulation t1 and its " \
           "anniversary t2." in removed.stderr  # fmt: skip
    assert rel_json("events") == [] and rel_json("reminders", "--all") == []


def test_rm_a_gift(rel, rel_json) -> None:
    rel("add", "Alice", ok=True)
    rel("gift", "alice", "idea", "a book", ok=True)
    rel("gift", "alice", "gave", "flowers", ok=True)
    assert "Removed g1, a gift idea for Alice: a book." in rel("rm", "g1", "-y", ok=True).stderr
    assert [g["key"] for g in rel_json("gifts")] == ["g2"]


def test_rm_a_record_refuses_without_a_terminal(rel, rel_json, network, store) -> None:
    before = store.state()
    refused = rel("rm", "i2")
    assert refused.exit_code == 1
    assert refused.stderr == (
        'error: not removing i2, a call with Bob Stone on 2026-02-20 "quick one" without a '
        "terminal to ask on; add --yes to remove it\n"
    )
    assert store.state() == before


def test_rm_a_record_asks_on_a_terminal(rel, rel_json, network, monkeypatch) -> None:
    import rel.cli.contacts as commands

    monkeypatch.setattr(commands, "stdin_is_terminal", lambda: True)
    kept = rel("rm", "i2", input="n\n", ok=True)
    assert "Remove i2, a call with Bob Stone on 2026-02-20" in kept.stderr
    assert "Nothing removed." in kept.stderr
    assert len(rel_json("history")) == 3
    rel("rm", "i2", input="y\n", ok=True)
    assert [i["key"] for i in rel_json("history")] == ["i3", "i1"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("t25", "no touchpoint has the key t25 (rel reminders lists them)"),
        ("e7", "no life event has the key e7 (rel events lists them)"),
        ("g1", "no gift has the key g1 (rel gifts lists them)"),
        ("b2", "b2 is the birthday row of contact #2 on the agenda, not a record; rel rm 2"),
    ],
)
def test_rm_an_unknown_key_says_which_listing_has_them(rel, network, target, expected) -> None:
    result = rel("rm", target, "--yes")
    assert result.exit_code == 1
    assert expected in result.stderr


def test_a_bare_number_is_still_a_contact(rel, rel_json, network) -> None:
    assert "Deleted Sam Ortiz (#3)" in rel("rm", "3", "--yes", ok=True).stderr
    assert "Changed Bob Stone (#2)" in rel("edit", "#2", "--company", "Acme", ok=True).stderr


# --- rel log: the same interaction twice ------------------------------------------------------


def test_logging_the_same_interaction_twice_warns_naming_the_first(rel, rel_json) -> None:
    rel("add", "Alice", ok=True)
    rel("add", "Bob", ok=True)
    first = rel("log", "alice", "lunch", "--with", "bob", ok=True)
    assert first.stdout == "i1\n" and "warning" not in first.stderr
    second = rel("log", "bob", "lunch", "again", "--with", "alice", ok=True)
    assert second.stdout == "i2\n"
    assert (
        "warning: i1 is a lunch with the same people on 2026-03-01; if it is the same one, "
        "rel rm i1 removes it (or rel undo takes back i2)"
    ) in second.stderr
    assert len(rel_json("history")) == 2  # recorded all the same
    for different in (
        ["alice", "lunch"],  # not the same people
        ["alice", "dinner", "--with", "bob"],  # not the same kind
        ["alice", "lunch", "--with", "bob", "--on", "yesterday"],  # not the same day
    ):
        assert "warning" not in rel("log", *different, ok=True).stderr


# --- rel show ------------------------------------------------------------------------------


def test_show_lists_every_record_with_its_key(rel, rel_json) -> None:
    rel("add", "Alice", ok=True)
    rel("log", "alice", "help", "moved the couch", "--on", "2026-02-01", ok=True)
    rel("log", "alice", "help", "--they", "--on", "2026-02-02", ok=True)
    rel("remind", "alice", "send the report", "--on", "2026-02-01", "--every", "monthly",
        "--lead", "3d", ok=True)  # fmt: skip
    rel("done", "t1", "sent it by mail", ok=True)
    rel("event", "alice", "promotion", "CTO", "--on", "2026-02-25", ok=True)
    rel("gift", "alice", "gave", "wine", "--on", "2026-02-01", ok=True)
    shown = rel_json("show", "alice")
    assert [t["key"] for t in shown["timeline"]] == ["i2", "i1"]
    assert [g["key"] for g in shown["gifts"]] == ["g1"]
    assert shown["events"] == [
        {"key": "e1", "kind": "promotion", "date": "2026-02-25", "text": "CTO"}
    ]
    assert shown["completions"] == [
        {"key": "t1", "kind": "custom", "text": "send the report", "occurrence": "2026-02-01",
         "date": "2026-03-01", "action": "done", "note": "sent it by mail"},
    ]  # fmt: skip
    scheduled = {t["key"]: t for t in shown["scheduled"]}
    assert (scheduled["t1"]["due"], scheduled["t1"]["rule"], scheduled["t1"]["lead"]) == (
        "2026-04-01", "FREQ=MONTHLY", "3d",
    )  # fmt: skip
    assert shown["favors"] == {"given": 1, "received": 1}
    text = rel("show", "alice", ok=True).stdout
    for line in (
        "t1   custom        2026-04-01  FREQ=MONTHLY  3d    send the report",
        "e1   promotion  2026-02-25  CTO",
        "t1   2026-03-01  done  send the report  sent it by mail",
        "g1   2026-02-01  gave  wine",
        "i1   2026-02-01  help",
        "favors",
    ):
        assert line in text, line
    for title in ("Scheduled", "Life events", "Done and skipped", "Gifts", "Timeline"):
        assert title in text


def test_show_cuts_long_notes_on_a_terminal_with_a_hint(rel, monkeypatch) -> None:
    notes = "\n".join(f"2026-01-{day:02d}: line {day}" for day in range(1, 11))
    rel("add", "Alice", "--note", notes, ok=True)
    rel("log", "alice", "lunch", LONG_NOTE, ok=True)
    piped = rel("show", "alice", ok=True)
    assert "line 10" in piped.stdout and LONG_NOTE.strip() in piped.stdout
    assert "--full" not in piped.stderr
    whole = json.loads(rel("show", "alice", "--json", ok=True).stdout)
    assert whole["notes"] == notes and whole["timeline"][0]["note"] == LONG_NOTE.strip()
    monkeypatch.setenv("REL_FORCE_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", "200")
    cut = rel("show", "alice", ok=True)
    assert "line 10" not in cut.stdout and "(10 lines in all)" in cut.stdout
    assert "board deck Talked" not in cut.stdout
    assert "Long notes are cut to fit; rel show 1 --full shows them whole." in cut.stderr
    full = rel("show", "alice", "--full", ok=True)
    assert "line 10" in full.stdout and "--full" not in full.stderr


def test_the_earlier_same_interaction_is_found_through_the_orm_too(session) -> None:
    """rel log asks through sqlite3 (above); another engine asks through the ORM."""
    from datetime import date

    from rel.services.interactions import earlier_same_interaction
    from rel.store.queries import OrmReader
    from tests.conftest import add, log

    alice, bob = add(session, "Alice"), add(session, "Bob")
    day = date(2026, 2, 20)
    first = log(session, [alice, bob], day, "lunch")
    log(session, [alice], day, "lunch")
    store = OrmReader(session)
    assert earlier_same_interaction(store, [bob.id, alice.id], "lunch", day) == (
        first.interaction_id
    )
    assert earlier_same_interaction(store, [bob.id], "lunch", day) is None
    assert earlier_same_interaction(store, [alice.id, bob.id], "call", day) is None
