"""rel import mbox / maildir: mail with known contacts becomes interactions (REL_TODAY is
2026-03-01). The samples are described in tests/data/harvest/README.md."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from rel.formats.mail import headers_of, plain_subject, read_mbox

DATA = Path(__file__).parent / "data" / "harvest"
MBOX = DATA / "takeout.mbox"
MAILDIR = DATA / "maildir"
SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "network.json"


@pytest.fixture
def contacts(rel) -> None:
    rel("add", "Alice Chen", "--email", "alice@example.com", ok=True)
    rel("add", "José García", "--email", "jose@example.org", ok=True)
    rel("add", "John Doe", "--email", "john.doe@contoso.com", ok=True)
    rel("add", "Bob Stone", "--email", "bob@example.net", ok=True)


def history(rel_json) -> list[tuple[str, str, str, str, str | None]]:
    """(date, who, kind, direction, note), oldest first."""
    rows = rel_json("history")
    return sorted(
        (r["date"], ", ".join(w["name"] for w in r["with"]), r["kind"], r["direction"], r["note"])
        for r in rows
    )


HARVESTED = [
    ("2026-01-05", "Alice Chen", "email", "me", "Q1 planning"),
    ("2026-01-05", "Alice Chen", "email", "them", "Q1 planning"),
    ("2026-01-05", "José García", "email", "me", "Q1 planning"),
    ("2026-01-13", "José García", "email", "them", "Café next week"),
    ("2026-01-14", "John Doe", "email", "them", "Contract renewal"),
    ("2026-01-20", "José García", "email", "them", "All hands"),
]


def test_mail_with_contacts_becomes_one_email_interaction_per_contact_day_and_direction(
    rel, rel_json, contacts
) -> None:
    result = rel("import", "mbox", str(MBOX), "--me", "me@example.com", ok=True)
    assert history(rel_json) == HARVESTED
    assert result.stderr.strip() == (
        "harvested takeout.mbox: 17 messages read, 6 with 3 contacts, 6 interactions added, "
        "1 already harvested, 4 bulk ignored, 1 without a readable date skipped"
    )
    # Reply-To named Bob; he did not write: nothing for him
    assert "Bob Stone" not in {who for _, who, *_ in history(rel_json)}


def test_a_second_run_adds_nothing_and_a_newer_export_only_what_is_new(
    rel, rel_json, contacts, tmp_path: Path
) -> None:
    rel("import", "mbox", str(MBOX), "--me", "me@example.com", ok=True)
    again = rel("import", "mbox", str(MBOX), ok=True)
    assert "0 interactions added, 7 already harvested" in again.stderr
    assert history(rel_json) == HARVESTED
    newer = tmp_path / "newer.mbox"
    newer.write_bytes(
        MBOX.read_bytes() + b"\nFrom 1@xxx Mon Jan 05 20:00:00 +0000 2026\n"
        b"Date: Mon, 5 Jan 2026 20:00:00 +0000\nMessage-ID: <new-1@example.com>\n"
        b"Subject: Re: Budget\nFrom: me@example.com\nTo: alice@example.com\n\nbody\n"
    )
    third = rel("import", "mbox", str(newer), ok=True)
    assert "0 interactions added, 1 extended, 7 already harvested" in third.stderr
    rows = history(rel_json)
    assert ("2026-01-05", "Alice Chen", "email", "me", "Q1 planning; Budget") in rows
    assert len(rows) == len(HARVESTED)


def test_my_addresses_are_remembered_for_the_next_harvest(rel, rel_json, contacts) -> None:
    rel("import", "mbox", str(MBOX), "--me", "ME@example.com", "--dry-run", ok=True)
    first = rel("import", "maildir", str(MAILDIR), ok=True)  # a dry run remembers nothing
    assert "no address of yours is known" in first.stderr
    rel("undo", ok=True)
    rel("import", "mbox", str(MBOX), "--me", "me@example.com", ok=True)
    second = rel("import", "maildir", str(MAILDIR), ok=True)
    assert "no address of yours" not in second.stderr
    assert ("2026-02-10", "Alice Chen", "email", "me", "Lunch on Friday?") in history(rel_json)


def test_a_maildir_as_mutt_keeps_it_cur_and_new_not_tmp(rel, rel_json, contacts) -> None:
    result = rel("import", "maildir", str(MAILDIR), "--me", "me@example.com", ok=True)
    assert history(rel_json) == [
        ("2026-02-10", "Alice Chen", "email", "me", "Lunch on Friday?"),
        ("2026-02-10", "Alice Chen", "email", "them", "Lunch on Friday?"),
        ("2026-02-18", "José García", "email", "them", "Résumé attached"),
    ]
    assert "3 messages read" in result.stderr


def test_no_subjects_keeps_no_note(rel, rel_json, contacts) -> None:
    rel("import", "mbox", str(MBOX), "--me", "me@example.com", "--no-subjects", ok=True)
    rows = history(rel_json)
    assert len(rows) == 6 and {note for *_, note in rows} == {None}


def test_a_message_to_many_counts_only_for_its_sender(rel, rel_json, contacts) -> None:
    rel("import", "mbox", str(MBOX), "--me", "me@example.com", ok=True)
    assert ("2026-01-20", "Alice Chen") not in {(d, w) for d, w, *_ in history(rel_json)}
    rel("undo", ok=True)
    rel("import", "mbox", str(MBOX), "--me", "me@example.com", "--max-recipients", "20", ok=True)
    assert ("2026-01-20", "Alice Chen", "email", "them", "All hands") in history(rel_json)


def test_dry_run_shows_counts_per_contact_and_writes_nothing(rel, rel_json, contacts) -> None:
    result = rel("import", "mbox", str(MBOX), "--me", "me@example.com", "--dry-run", ok=True)
    assert result.stdout.splitlines() == [
        "CONTACT      MESSAGES  INTERACTIONS  LAST",
        "Alice Chen   3         2             2026-01-05",
        "José García  3         3             2026-01-20",
        "John Doe     1         1             2026-01-14",
    ]
    assert "dry run of takeout.mbox, nothing written: " in result.stderr
    assert "6 interactions to add" in result.stderr
    assert rel_json("history") == []


def test_suggest_lists_correspondents_not_in_rel_with_the_add_line(rel, contacts) -> None:
    result = rel("import", "mbox", str(MBOX), "--me", "me@example.com", "--suggest", ok=True)
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["MESSAGES", "FROM", "THEM", "FROM", "YOU", "LAST", "ADD", "WITH"]
    assert lines[1].split()[:4] == ["4", "2", "2", "2026-01-24"]
    assert lines[1].endswith("rel add 'Carol Diaz' --email carol@example.com")
    assert lines[2].endswith("rel add 'Dave Eng' --email dave@example.com")
    assert not any("no-reply" in line or "example.org" in line for line in lines)


def test_add_frequent_adds_two_way_correspondents_tagged_and_harvests_them(
    rel, rel_json, contacts
) -> None:
    result = rel("import", "mbox", str(MBOX), "--me", "me@example.com", "--add-frequent", "2")
    assert result.exit_code == 0, result.stderr
    assert "added (tagged from-mail): Carol Diaz" in result.stderr
    carol = rel_json("show", "carol")
    assert carol["tags"] == ["from-mail"] and carol["emails"] == ["carol@example.com"]
    assert [(d, k) for d, w, _, k, _ in history(rel_json) if w == "Carol Diaz"] == [
        ("2026-01-21", "them"), ("2026-01-22", "me"), ("2026-01-23", "them"),
        ("2026-01-24", "me"),
    ]  # fmt: skip
    assert "Dave" not in result.stderr  # one message, one way


def test_undo_takes_back_a_whole_harvest_and_it_can_run_again(rel, rel_json, contacts) -> None:
    rel("import", "mbox", str(MBOX), "--me", "me@example.com", ok=True)
    undone = rel("undo", ok=True).stderr
    assert "6 interactions" in undone, undone
    assert rel_json("history") == []
    rel("import", "mbox", str(MBOX), "--me", "me@example.com", ok=True)
    assert history(rel_json) == HARVESTED


def test_an_interrupted_harvest_writes_nothing(rel, rel_json, contacts, monkeypatch) -> None:
    import rel.formats.mail as mail

    real, calls = mail.headers_from_lines, []

    def interrupted(lines):
        calls.append(1)
        if len(calls) == 10:
            raise KeyboardInterrupt
        return real(lines)

    monkeypatch.setattr(mail, "headers_from_lines", interrupted)
    result = rel("import", "mbox", str(MBOX), "--me", "me@example.com")
    assert result.exit_code == 130 and "nothing was written" in result.stderr
    monkeypatch.setattr(mail, "headers_from_lines", real)
    assert rel_json("history") == []
    again = rel("import", "mbox", str(MBOX), ok=True)  # --me was not remembered either
    assert "no address of yours is known" in again.stderr


def test_someone_mailed_yesterday_is_no_longer_overdue(rel, rel_json, tmp_path: Path) -> None:
    rel("--today", "2026-02-26", "import", "json", str(SEEDS), ok=True)
    overdue = rel_json("--today", "2026-02-26", "due")["overdue"]
    row = next(r for r in overdue if r["kind"] == "catch-up")
    person = rel_json("--today", "2026-02-26", "show", str(row["contact_id"]))
    mbox = tmp_path / "sent.mbox"
    mbox.write_text(
        "From 1@xxx Wed Feb 25 18:00:00 +0000 2026\n"
        "Date: Wed, 25 Feb 2026 18:00:00 +0000\nMessage-ID: <yesterday@example.com>\n"
        f"Subject: Catching up\nFrom: me@example.com\nTo: {person['emails'][0]}\n\nHi!\n"
    )
    rel("--today", "2026-02-26", "import", "mbox", str(mbox), "--me", "me@example.com", ok=True)
    after = rel_json("--today", "2026-02-26", "due")
    keys = {r["key"] for section in ("overdue", "today", "upcoming") for r in after[section]}
    assert row["key"] not in keys
    shown = rel_json("--today", "2026-02-26", "show", str(row["contact_id"]))
    assert shown["last_interaction"] == "2026-02-25"


def test_wrong_inputs_are_one_line_and_exit_1(rel, tmp_path: Path) -> None:
    missing = rel("import", "mbox", str(tmp_path / "nope.mbox"))
    assert missing.exit_code == 1 and "is not a readable file" in missing.stderr
    not_maildir = rel("import", "maildir", str(tmp_path))
    assert not_maildir.exit_code == 1 and "expected a Maildir" in not_maildir.stderr
    bad_me = rel("import", "mbox", str(MBOX), "--me", "not an address")
    assert bad_me.exit_code == 1 and "expected an email address for --me" in bad_me.stderr
    usage = rel("import", "mbox", str(MBOX), "--nope")
    assert usage.exit_code == 2


def test_other_formats_still_import_contacts(rel, tmp_path: Path) -> None:
    card = tmp_path / "a.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Zoe Park\nEMAIL:zoe@example.com\nEND:VCARD\n")
    assert "1 added" in rel("import", "vcard", str(card), ok=True).stderr
    assert "mbox" in rel("import", "mbox", "--help", ok=True).stdout


# --- reading headers ---------------------------------------------------------------------------


def test_headers_are_decoded_and_bodies_skipped() -> None:
    messages = list(read_mbox(MBOX))
    assert len(messages) == 17
    first = messages[0]
    assert (first.sender, first.recipients, first.day) == (
        "alice@example.com", ("me@example.com",), date(2026, 1, 5),
    )  # fmt: skip
    jose = messages[3]
    assert jose.names["jose@example.org"] == "José García" and jose.subject == "Café next week"
    outlook = messages[4]
    assert outlook.names["john.doe@contoso.com"] == "Doe, John"
    assert outlook.day == date(2026, 1, 14)  # from the newest Received
    assert messages[5].day is None
    assert messages[0].key == messages[6].key  # the duplicate
    assert [m.bulk for m in messages[7:11]] == [True, True, True, True]
    assert not any(m.bulk for m in messages[:7])


@pytest.mark.parametrize(
    ("raw", "sender", "subject"),
    [
        (b"From: =?iso-8859-1?q?Fran=E7ois?= <f@x.org>\nSubject: =?utf-8?q?=C3=A9t=C3=A9?=\n",
         "f@x.org", "été"),
        (b"From: \"Last, First\" <L@X.ORG>\nSubject: plain\n", "l@x.org", "plain"),
        (b"From: f@x.org\nSubject: caf\xc3\xa9 raw 8-bit\n", "f@x.org", "café raw 8-bit"),
        (b"From: nobody\nSubject: =?bogus?q?x?=\n", None, "=?bogus?q?x?="),
    ],
)  # fmt: skip
def test_names_and_subjects_as_mail_clients_write_them(raw, sender, subject) -> None:
    found = headers_of(raw)
    assert (found.sender, found.subject) == (sender, subject)


def test_reply_prefixes_do_not_make_new_subjects() -> None:
    assert plain_subject("RE: Re: AW: Fwd: Q1 planning") == "Q1 planning"
    assert plain_subject("Re[2]: budget") == "budget"


def test_a_maildir_copied_elsewhere_reads_the_same(rel, rel_json, contacts, tmp_path) -> None:
    copy = tmp_path / "Mail"
    shutil.copytree(MAILDIR, copy)
    (copy / ".Sent" / "cur").mkdir(parents=True)
    (copy / ".Sent" / "new").mkdir()
    (copy / ".Sent" / "cur" / "1.x:2,S").write_bytes(
        b"Date: Fri, 20 Feb 2026 10:00:00 +0000\nFrom: me@example.com\nTo: bob@example.net\n"
        b"Subject: Hello Bob\nMessage-ID: <sent-1@x>\n\nbody\n"
    )
    rel("import", "maildir", str(copy), "--me", "me@example.com", ok=True)
    assert ("2026-02-20", "Bob Stone", "email", "me", "Hello Bob") in history(rel_json)
    assert (
        json.loads(rel("show", "bob", "--json", ok=True).stdout)["last_interaction"] == "2026-02-20"
    )


def test_on_a_terminal_a_progress_bar_and_the_same_harvest(
    rel, rel_json, contacts, monkeypatch
) -> None:
    monkeypatch.setenv("REL_FORCE_TERMINAL", "1")
    result = rel("import", "mbox", str(MBOX), "--me", "me@example.com", ok=True)
    assert "harvesting takeout.mbox" in result.stderr  # the bar, on stderr only
    assert "harvesting" not in result.stdout
    assert history(rel_json) == HARVESTED
