"""The three daily verbs through the CLI: add, log, due (REL_TODAY is 2026-03-01)."""

from __future__ import annotations

import json

import pytest


def test_alice_overdue_then_caught_up(rel, rel_json) -> None:
    rel("add", "Alice", "--every", "2w", ok=True)
    rel("log", "alice", "lunch", "--on", "2026-02-10", ok=True)
    agenda = rel_json("due")
    [alice] = agenda["overdue"]
    assert alice["contact"] == "Alice"
    assert alice["days_late"] == 5
    assert alice["fraction"] == 0.36
    assert alice["due"] == "2026-02-24"
    assert alice["kind"] == "catch-up"

    rel("log", "ali", "call", ok=True)
    agenda = rel_json("due")
    assert agenda["overdue"] == [] and agenda["today"] == [] and agenda["upcoming"] == []
    profile = rel_json("show", "alice")
    assert profile["next_due"] == "2026-03-15"
    assert profile["last_interaction"] == "2026-03-01"
    assert [entry["kind"] for entry in profile["timeline"]] == ["call", "lunch"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["log", "nobody", "call"], "no contact matches 'nobody'"),
        (["add", ""], "expected a name"),
        (["log", "alice", "lunch", "--on", "31 feb"], "February has no day 31"),
        (["add", "Bob", "--every", "banana"], "expected a cadence such as"),
        (["log", "alice", "lnch"], "expected a kind of interaction"),
        (["log", "alice", "call", "--on", "tomorrow"], "something that happened"),
        (["add", "Bob", "--email", "not-an-email"], "expected an email address"),
        (["add", "Bob", "--birthday", "02-30"], "February has no day 30"),
        (["add", "Bob", "--tag", "two words"], "expected a tag"),
        (["log", "alice", "call", "--at", "25:00"], "expected a time of day"),
        (["due", "--format", "html"], "expected a format of table or markdown"),
        (["due", "--tag", "nope"], "no tag is named 'nope'"),
        (["--today", "someday", "due"], "expected a date such as"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_the_store_is_unchanged(
    rel, store, args: list[str], expected: str
) -> None:
    rel("add", "Alice", "--every", "2w", "--tag", "customer", ok=True)
    before = store.state()
    result = rel(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert expected in lines[0]
    assert store.state() == before
    if store.engine == "sqlite":
        leftovers = sorted(p.name for p in store.path.parent.iterdir())
        assert leftovers == ["rel.db"]


def test_usage_errors_exit_2(rel) -> None:
    assert rel("due", "--bogus").exit_code == 2
    assert rel("log").exit_code == 2
    assert rel("nosuchcommand").exit_code == 2


def test_two_sams_are_ambiguous_until_you_say_more(rel, rel_json) -> None:
    lee = rel("add", "Sam Lee", ok=True).stdout.strip()
    ortiz = rel("add", "Sam Ortiz", ok=True).stdout.strip()
    result = rel("log", "sam", "call")
    assert result.exit_code == 1
    assert f"Sam Lee (#{lee})" in result.stderr
    assert f"Sam Ortiz (#{ortiz})" in result.stderr
    rel("log", "sam o", "call", ok=True)
    assert rel_json("show", "sam o")["interactions"] == 1
    assert rel_json("show", lee)["interactions"] == 0


def test_log_with_several_people_when_and_who_reached_out(rel, rel_json) -> None:
    rel("add", "Alice Chen", ok=True)
    rel("add", "Bob Stone", ok=True)
    rel("log", "alice", "dinner", "Birthday dinner", "--with", "bob", "--on", "last friday",
        "--at", "19:30", "--they", ok=True)  # fmt: skip
    [entry] = rel_json("show", "bob")["timeline"]
    assert entry == {
        "key": f"i{entry['id']}",
        "id": entry["id"],
        "date": "2026-02-27",
        "time": "19:30:00",
        "kind": "dinner",
        "direction": "them",
        "note": "Birthday dinner",
        "with": ["Alice Chen"],
    }


def test_add_prints_the_id_and_warns_about_a_likely_duplicate(rel) -> None:
    first = rel("add", "Alice Chen", "--email", "alice@acme.example", ok=True)
    assert first.stdout.strip() == "1"
    assert "Added Alice Chen (#1)" in first.stderr
    second = rel("add", "A. Chen", "--email", "Alice@Acme.example", ok=True)
    assert second.stdout.strip() == "2"
    assert "warning: Alice Chen (#1) has the email Alice@Acme.example too" in second.stderr


@pytest.mark.empty_database
def test_due_on_an_empty_store_says_how_to_start(rel, store) -> None:
    result = rel("due", ok=True)
    assert "Your network is empty" in result.stdout
    assert "rel add" in result.stdout
    assert not store.exists()  # reading creates nothing


def test_rel_with_no_command_shows_the_agenda(rel) -> None:
    rel("add", "Alice", "--every", "1w", "--today", "2026-02-01", ok=True)
    result = rel(ok=True)
    assert "Overdue (1)" in result.stdout
    assert "Alice" in result.stdout


def test_nothing_due_says_so_in_one_friendly_line(rel) -> None:
    rel("add", "Alice", "--every", "1m", ok=True)
    result = rel("due", ok=True)
    assert result.stdout.strip() == "Nothing due today or in the next 7 days. Enjoy your day."


def test_due_sections_options_and_plain_text(rel) -> None:
    rel("--today", "2026-01-01", "add", "Alice", "--every", "2w", "--tag", "customer", ok=True)
    rel("add", "Bob", "--birthday", "03-05", "--tag", "friend", ok=True)
    rel("add", "Carol", "--birthday", "1980-03-01", ok=True)
    plain = rel("due", ok=True).stdout
    assert plain.index("Overdue (1)") < plain.index("Today (1)") < plain.index("Upcoming (1)")
    assert "c1  Alice — catch up every 2 weeks: 45 days overdue" in plain
    assert "b3  Carol — turns 46 today" in plain
    assert "→ send a note or a small gift" in plain
    assert "\x1b[" not in plain
    only_customers = rel("due", "--tag", "customer", ok=True).stdout
    assert "Alice" in only_customers and "Bob" not in only_customers
    short = json.loads(rel("due", "--days", "2", "--json", ok=True).stdout)
    assert short["upcoming"] == []
    limited = rel("due", "--limit", "1", ok=True).stdout
    assert "… and 2 more" in limited


def test_due_as_markdown_for_a_mail(rel) -> None:
    rel("--today", "2026-01-01", "add", "Alice_Underscore", "--every", "2w", ok=True)
    text = rel("due", "--format", "markdown", ok=True).stdout
    assert text.startswith("# Agenda for Sunday 1 March 2026\n")
    assert "## Overdue (1)" in text
    # an underscore inside a word is no emphasis: it stays as typed, readable in a mail
    assert "- **Alice_Underscore** (`c1`, 45d late)" in text


def test_the_json_document_has_stable_keys(rel, rel_json) -> None:
    rel("add", "Alice", "--every", "1w", "--birthday", "1990-03-03", "--today", "2026-01-01")
    document = rel_json("due")
    assert list(document) == ["date", "days", "overdue", "today", "upcoming", "hidden"]
    row = document["overdue"][0]
    assert list(row) == [
        "key", "kind", "section", "contact", "contact_id", "due", "days_late", "fraction",
        "age", "tags", "reason", "suggestion",
    ]  # fmt: skip
    birthday = document["upcoming"][0]
    assert (birthday["kind"], birthday["due"], birthday["age"]) == ("birthday", "2026-03-03", 36)
