"""Counts and days in plain words: `1 interaction`, `today`, `1 day ago`; markdown for a mail."""

from __future__ import annotations

import pytest

from rel.domain.vocabulary import counted, days_from


@pytest.mark.parametrize(
    ("count", "word", "many", "expected"),
    [
        (0, "contact", None, "0 contacts"),
        (1, "contact", None, "1 contact"),
        (2, "interaction", None, "2 interactions"),
        (1, "person", "people", "1 person"),
        (44, "person", "people", "44 people"),
    ],
)
def test_counted(count, word, many, expected) -> None:
    assert counted(count, word, many) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, "today"), (-1, "1 day ago"), (-12, "12 days ago"), (1, "in 1 day"), (3, "in 3 days")],
)
def test_days_from(days, expected) -> None:
    assert days_from(days) == expected


def test_show_says_today_and_counts_in_the_singular(rel) -> None:
    rel("add", "Alice", ok=True)
    rel("log", "alice", "call", ok=True)
    text = rel("show", "alice", ok=True).stdout
    assert "2026-03-01 (today); 1 interaction in all" in text
    rel("log", "alice", "lunch", "--on", "yesterday", ok=True)
    assert "(today); 2 interactions in all" in rel("show", "alice", ok=True).stdout


def test_show_says_one_day_ago_and_one_day_late(rel) -> None:
    rel("--today", "2026-02-21", "add", "Alice", "--every", "1w", ok=True)
    rel("log", "alice", "call", "--on", "2026-02-21", ok=True)
    rel("--today", "2026-02-23", "add", "Bob", "--every", "1w", ok=True)
    rel("log", "bob", "call", "--on", "yesterday", ok=True)
    alice = rel("show", "alice", ok=True).stdout
    assert "overdue by 1 day (" in alice
    bob = rel("show", "bob", ok=True).stdout
    assert "2026-02-28 (1 day ago); 1 interaction in all" in bob
    assert "next due 2026-03-07 (in 6 days)" in bob
    why = rel("why", "bob", ok=True).stdout
    assert "Last interaction: 2026-02-28 (1 day ago)." in why


def test_stats_count_the_interactions_in_the_singular(rel, rel_json) -> None:
    rel("add", "Alice", "--every", "2w", ok=True)
    rel("log", "alice", "call", ok=True)
    text = rel("stats", ok=True).stdout
    assert text.startswith("1 contact; 1 interaction over all time.")
    assert "Catch-ups (1 contact with a cadence)" in text
    assert rel_json("stats")["interactions"] == 1
    rel("add", "Bob", ok=True)
    rel("log", "alice", "lunch", "--with", "bob", ok=True)  # one interaction, two people
    assert rel_json("stats")["interactions"] == 2
    assert rel("stats", ok=True).stdout.startswith("2 contacts; 2 interactions over all time.")
    since = rel("stats", "--since", "today", ok=True).stdout
    assert since.startswith("2 contacts; 2 interactions since 2026-03-01.")


def test_a_tag_counts_its_contacts_in_the_singular(rel) -> None:
    rel("add", "Alice", "--tag", "customer", ok=True)
    assert rel("tag", "customer", ok=True).stdout == "customer: 1 contact, no default cadence\n"


def test_an_import_summary_counts_in_the_singular(rel, tmp_path) -> None:
    rel("add", "Alice", ok=True)
    rel("log", "alice", "call", ok=True)
    exported = tmp_path / "network.json"
    rel("export", "json", "-o", str(exported), ok=True)
    result = rel("--db", str(tmp_path / "other.db"), "import", "json", str(exported), ok=True)
    assert "1 added" in result.stderr and "; 1 interaction added" in result.stderr


@pytest.mark.parametrize(
    ("days", "line"),
    [
        ("0", "Nothing due today. Enjoy your day."),
        ("1", "Nothing due today or tomorrow. Enjoy your day."),
        ("7", "Nothing due today or in the next 7 days. Enjoy your day."),
    ],
)
def test_nothing_due_says_the_window_in_words(rel, days, line) -> None:
    rel("add", "Alice", "--every", "1m", ok=True)
    assert rel("due", "--days", days, ok=True).stdout == line + "\n"


def test_markdown_escapes_only_what_would_be_markup(rel) -> None:
    rel("--today", "2026-01-01", "add", "Bob [admin] *star* <b>", "--every", "2w", ok=True)
    text = rel("due", "--format", "markdown", ok=True).stdout
    assert "- **Bob \\[admin] \\*star\\* \\<b>** (`c1`, 45d late)" in text
    assert "added on 2026-01-01" in text and "2026\\-" not in text
    assert "\\(" not in text and "\\." not in text and "\\#" not in text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("due 2026-12-06 (in 3 days).", "due 2026-12-06 (in 3 days)."),
        ("first_last", "first_last"),
        ("_em_ and *strong*", "\\_em\\_ and \\*strong\\*"),
        ("`code` [link](x) <tag>", "\\`code\\` \\[link](x) \\<tag>"),
        ("AT&T &amp; ~~gone~~", "AT&T \\&amp; \\~\\~gone\\~\\~"),
        ("C:\\temp ends\\", "C:\\temp ends\\\\"),
        ("a line\n# not a heading", "a line # not a heading"),
        ("#1 + 2 - 3 ! | {x}", "#1 + 2 - 3 ! | {x}"),
    ],
)
def test_markdown_escape(text, escaped) -> None:
    from rel.render import markdown_escape

    assert markdown_escape(text) == escaped
