"""Contacts through the CLI: show, list, edit, archive, unarchive, rm (REL_TODAY 2026-03-01)."""

from __future__ import annotations

import json


def test_show_gives_profile_cadence_health_and_timeline(rel, rel_json) -> None:
    rel("add", "Alice Chen", "--company", "Acme", "--title", "CTO", "--tag", "customer",
        "--every", "3w", "--birthday", "1984-03-14", "--email", "alice@acme.example",
        "--phone", "+1 415 555 0142", "--link", "linkedin.com/in/alice", "--alias", "Ali",
        "--met", "SaaS summit", "--note", "Two kids; loves trail running", ok=True)  # fmt: skip
    rel("log", "ali", "lunch", "Q3 launch", "--on", "2026-02-20", ok=True)
    profile = rel_json("show", "alice")
    assert profile["company"] == "Acme" and profile["title"] == "CTO"
    assert profile["emails"] == ["alice@acme.example"]
    assert profile["phones"] == ["+1 415 555 0142"]
    assert profile["links"] == ["https://linkedin.com/in/alice"]
    assert profile["aliases"] == ["Ali"]
    assert profile["tags"] == ["customer"]
    assert profile["birthday"] == "1984-03-14"
    assert (profile["next_birthday"], profile["age"]) == ("2026-03-14", 42)
    assert (profile["cadence"], profile["health"], profile["next_due"]) == (
        "3w",
        "on time",
        "2026-03-13",
    )
    text = rel("show", "alice", ok=True).stdout
    assert text.startswith("Alice Chen (#1)\n")
    assert "cadence   every 3 weeks: on time, next due 2026-03-13 (in 12 days)" in text
    assert "birthday  Mar 14, 1984 (turns 42 on 2026-03-14)" in text
    assert "2026-02-20  lunch" in text and "Q3 launch" in text


def test_list_filters_and_sorts(rel, rel_json) -> None:
    rel("--today", "2026-01-01", "add", "Zed Overdue", "--every", "1w", "--tag", "customer")
    rel("add", "Amy Fresh", "--every", "1m", "--tag", "friend", ok=True)
    rel("add", "Mo NoCadence", ok=True)
    rel("log", "amy", "call", "--on", "2026-02-20", ok=True)
    names = [c["name"] for c in rel_json("list")]
    assert names == ["Amy Fresh", "Mo NoCadence", "Zed Overdue"]
    assert [c["name"] for c in rel_json("list", "--overdue")] == ["Zed Overdue"]
    assert [c["name"] for c in rel_json("list", "--tag", "friend")] == ["Amy Fresh"]
    by_next = [c["name"] for c in rel_json("list", "--sort", "next")]
    assert by_next == ["Zed Overdue", "Amy Fresh", "Mo NoCadence"]
    by_last = [c["name"] for c in rel_json("list", "--sort", "last")]
    assert by_last == ["Mo NoCadence", "Zed Overdue", "Amy Fresh"]
    zed = rel_json("list", "--overdue")[0]
    assert (zed["health"], zed["days_late"], zed["next_due"]) == ("overdue", 52, "2026-01-08")
    plain = rel("list", ok=True).stdout.splitlines()
    assert plain[0].split() == ["id", "name", "company", "tags", "every", "last", "next", "status"]
    assert rel("list", "--sort", "age").exit_code == 1


def test_edit_changes_clears_and_untags(rel, rel_json) -> None:
    rel("add", "Alice", "--tag", "prospect", "--every", "2w", "--email", "a@x.example",
        "--birthday", "03-14", "--company", "Acme", ok=True)  # fmt: skip
    result = rel("edit", "alice", "--rename", "Alice Chen", "--tag", "customer",
                 "--untag", "prospect", "--every", "none", "--remove-email", "A@X.example",
                 "--email", "alice@acme.example", "--company", "", "--birthday", "none",
                 ok=True)  # fmt: skip
    assert "Changed Alice Chen (#1)" in result.stderr
    profile = rel_json("show", "alice chen")
    assert profile["name"] == "Alice Chen"
    assert profile["tags"] == ["customer"]
    assert profile["cadence"] is None and profile["health"] is None
    assert profile["emails"] == ["alice@acme.example"]
    assert profile["company"] is None and profile["birthday"] is None


def test_edit_that_fails_changes_nothing(rel, rel_json, store) -> None:
    rel("add", "Alice", "--tag", "customer", ok=True)
    before = store.state()
    result = rel("edit", "alice", "--rename", "Alice Chen", "--untag", "friend")
    assert result.exit_code == 1
    assert "Alice has no tag 'friend'" in result.stderr
    assert store.state() == before
    assert rel_json("show", "1")["name"] == "Alice"


def test_archived_contacts_leave_the_agenda_and_the_list_until_unarchived(rel, rel_json) -> None:
    rel("--today", "2026-01-01", "add", "Alice", "--every", "1w", ok=True)
    assert rel_json("due")["overdue"]
    rel("archive", "alice", ok=True)
    assert rel_json("due")["overdue"] == []
    assert rel_json("list") == []
    assert [c["archived"] for c in rel_json("list", "--archived")] == [True]
    assert "already archived" in rel("archive", "alice", ok=True).stderr
    rel("unarchive", "alice", ok=True)
    assert rel_json("due")["overdue"][0]["contact"] == "Alice"


def test_rm_refuses_without_a_terminal_unless_yes(rel, rel_json, store) -> None:
    rel("add", "Alice", ok=True)
    rel("add", "Bob", ok=True)
    rel("log", "alice", "call", ok=True)
    rel("log", "alice", "dinner", "--with", "bob", ok=True)
    before = store.state()
    refused = rel("rm", "alice")
    assert refused.exit_code == 1
    assert "add --yes" in refused.stderr
    assert store.state() == before
    removed = rel("rm", "alice", "--yes", ok=True)
    assert "Deleted Alice (#1) and 1 interaction of theirs" in removed.stderr
    assert [c["name"] for c in rel_json("list")] == ["Bob"]
    [shared] = rel_json("show", "bob")["timeline"]
    assert (shared["kind"], shared["with"]) == ("dinner", [])


def test_show_all_gives_the_whole_timeline(rel) -> None:
    rel("add", "Alice", ok=True)
    for day in range(1, 26):
        rel("log", "alice", "message", "--on", f"2026-02-{day:02d}", ok=True)
    assert len(json.loads(rel("show", "alice", "--json", ok=True).stdout)["timeline"]) == 20
    full = json.loads(rel("show", "alice", "--json", "--all", ok=True).stdout)
    assert len(full["timeline"]) == 25 and full["interactions"] == 25


def test_rm_asks_on_a_terminal(rel, rel_json, monkeypatch) -> None:
    import rel.cli.contacts as commands

    monkeypatch.setattr(commands, "stdin_is_terminal", lambda: True)
    rel("add", "Alice", ok=True)
    kept = rel("rm", "alice", input="n\n", ok=True)
    assert "Delete Alice (#1) and their history?" in kept.stderr
    assert "Nothing deleted." in kept.stderr
    assert [c["name"] for c in rel_json("list")] == ["Alice"]
    rel("rm", "alice", input="y\n", ok=True)
    assert rel_json("list") == []


def test_removing_a_contact_takes_their_snoozes_so_a_newcomer_is_not_hidden(rel, rel_json) -> None:
    rel("add", "Alice", "--every", "1w", ok=True)
    rel("add", "Bob", "--every", "1w", "--birthday", "03-03", ok=True)
    rel("remind", "bob", "send the deck", "--on", "2026-03-02", ok=True)
    for key in ("c2", "b2", "t1"):
        rel("snooze", key, "2026-04-01", ok=True)
    rel("rm", "bob", "--yes", ok=True)
    # the newcomer may get Bob's old ids (SQLite reuses the last one): nothing of theirs hidden
    carol = rel("add", "Carol", "--every", "1w", "--birthday", "03-03", ok=True).stdout.strip()
    rel("remind", "carol", "call back", "--on", "2026-03-02", ok=True)
    keys = {row["key"] for section in ("overdue", "today", "upcoming")
            for row in rel_json("due", "--days", "7")[section]}  # fmt: skip
    [reminder] = [key for key in keys if key.startswith("t")]
    assert f"b{carol}" in keys and reminder in ("t1", "t2")
    today = rel_json("--today", "2026-03-08", "due")["today"]
    assert any(row["key"] == f"c{carol}" for row in today)
