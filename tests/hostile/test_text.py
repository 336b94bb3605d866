"""Hostile text: what a person (or a file, or an old store) types is shown as typed, never obeyed.

Rich markup in stored text is not markup; control characters and bidi overrides never reach
the terminal raw; names that hide or disguise themselves are refused on every path; error
messages never repeat a huge input whole.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

NAME = "Mallory [/] [red]Evil[/red]"
COMPANY = "[link=https://evil.example]Click[/link]"
TITLE = "[bold]Boss[/] :smile:"
NOTES = ("first [/] line", "second [link=https://evil.example]x[/link]")
TAG = "vip"  # a tag cannot hold markup: clean_tag refuses brackets
REMINDER = "call [/] back [i]soon[/i]"
EVENT = "[red]Promo[/red]"
GIFT = "[link=https://evil.example]Book[/link]"
NOTE = "[/] lunch [i]note[/i]"

SHOWN_BY = {
    "list": [NAME, COMPANY, TAG],
    "show": [NAME, COMPANY, TITLE, *NOTES, TAG, REMINDER, EVENT, GIFT, NOTE],
    "due": [NAME, REMINDER, EVENT, GIFT],
    "why": [NAME, REMINDER, EVENT, GIFT],
    "stats": [TAG],
}
OSC8 = "\x1b]8;"  # a terminal hyperlink


def _args(command: str) -> list[str]:
    return [command, "mallory"] if command in ("show", "why") else [command]


@pytest.fixture
def hostile(rel) -> None:
    rel(
        "--today", "2026-01-01", "add", NAME, "--company", COMPANY, "--title", TITLE,
        "--tag", TAG, "--every", "2w", "--note", "\n".join(NOTES), "--birthday", "03-02",
        ok=True,
    )  # fmt: skip
    rel("--today", "2026-01-01", "log", "mallory", "lunch", NOTE, ok=True)
    rel("remind", "mallory", REMINDER, "--on", "today", ok=True)
    rel("event", "mallory", "promotion", EVENT, "--on", "yesterday", ok=True)
    rel("gift", "mallory", "idea", GIFT, "--for", "birthday", "--lead", "14d", ok=True)


@pytest.mark.parametrize("command", list(SHOWN_BY))
def test_markup_in_stored_text_is_shown_literally_on_a_terminal(
    rel, hostile, monkeypatch, command
) -> None:
    monkeypatch.setenv("REL_FORCE_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.delenv("NO_COLOR")
    result = rel(*_args(command))
    assert result.exit_code == 0, result.output
    assert "┃" in result.stdout or command == "why" or "Contacts by tag" in result.stdout
    assert OSC8 not in result.stdout
    for text in SHOWN_BY[command]:
        assert text in result.stdout, (command, text)


@pytest.mark.parametrize("command", list(SHOWN_BY))
def test_markup_in_stored_text_is_shown_literally_in_a_pipe(rel, hostile, command) -> None:
    result = rel(*_args(command))
    assert result.exit_code == 0, result.output
    for text in SHOWN_BY[command]:
        assert text in result.stdout, (command, text)


def _on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """Run `python -m rel` with its stdout on a pseudo-terminal, as a person would see it."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 300, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "rel", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    return b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_real_terminal_gets_tables_with_the_text_as_typed(rel, hostile) -> None:
    listing = _on_a_terminal("list", env={"COLUMNS": "300"})
    assert "┃" in listing and OSC8 not in listing
    assert NAME in listing and COMPANY in listing
    profile = _on_a_terminal("show", "mallory", env={"COLUMNS": "300"})
    assert OSC8 not in profile
    for text in SHOWN_BY["show"]:
        assert text in profile, text


# --- names and one-line values ---------------------------------------------------------------

INVISIBLE = ["\u200b", "\u200b\u200b", "\u2060", "\u3164", "\u200b \u200d", "\u00ad"]
CONTROLS = ["Bob\u009b31m", "Bob\x1b[31m", "Bob\x07", "Bob\u0085x"]
BIDI = ["Bob \u202eevil", "Bob\u2066x\u2069", "\u202aBob", "Bob\u202d"]


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_name_that_shows_nothing_is_refused(rel, rel_json, name) -> None:
    result = rel("add", name)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: expected a name with characters you can see")
    assert result.stderr.count("\n") == 1
    assert rel_json("list") == []


@pytest.mark.parametrize("name", CONTROLS + BIDI)
def test_a_name_with_controls_or_bidi_overrides_is_refused(rel, rel_json, name) -> None:
    result = rel("add", name)
    assert result.exit_code == 1
    assert "without control characters or bidi overrides" in result.stderr
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr
    assert "\u202e" not in result.stderr and "\u009b" not in result.stderr
    assert rel_json("list") == []


@pytest.mark.parametrize(
    "option", ["--company", "--title", "--met", "--alias", "--tag", "--link", "--email"]
)
@pytest.mark.parametrize("bad", ["x\u202ey", "x\u009by", "x\x1by"])
def test_one_line_fields_refuse_controls_and_bidi_overrides(rel, rel_json, option, bad) -> None:
    value = f"{bad}@example.com" if option == "--email" else bad
    result = rel("add", "Alice", option, value)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: expected")
    assert rel_json("list") == []


def test_a_name_with_letters_and_joiners_is_kept(rel, rel_json) -> None:
    rel("add", "Zoë 👩\u200d💻", ok=True)
    rel("add", "محمد", ok=True)
    assert [c["name"] for c in rel_json("list")] == ["Zoë 👩\u200d💻", "محمد"]


def test_notes_keep_bidi_text_and_show_it_escaped(rel, rel_json) -> None:
    rel("add", "Alice", "--note", "ends with \u202eevil", ok=True)
    assert rel_json("show", "alice")["notes"] == "ends with \u202eevil"  # kept, as data
    shown = rel("show", "alice", ok=True).stdout
    assert "ends with \\u202eevil" in shown and "\u202e" not in shown


def test_notes_refuse_control_characters(rel, rel_json) -> None:
    result = rel("add", "Alice", "--note", "a\u009b31mb")
    assert result.exit_code == 1 and "without control characters" in result.stderr
    assert rel_json("list") == []


def test_text_that_reached_the_store_another_way_is_shown_escaped(rel, store, monkeypatch) -> None:
    rel("add", "Alice", "--every", "1w", ok=True)
    rel("log", "alice", "call", "hello", ok=True)
    store.execute(
        ("UPDATE contact SET name = ?", ("Eve\x1b[31m\u202eRed\u009b",)),
        ("UPDATE interaction SET note = ?", ("bell\x07",)),
    )
    for terminal in ("", "1"):
        monkeypatch.setenv("REL_FORCE_TERMINAL", terminal)
        for args in (["list"], ["show", "1"], ["due", "--days", "14"], ["show", "1", "--json"]):
            result = rel(*args)
            assert result.exit_code == 0, result.output
            assert "\x1b[31m" not in result.stdout and "\u202e" not in result.stdout
            assert "\u009b" not in result.stdout and "\x07" not in result.stdout
            assert "\\u202e" in result.stdout, args
    document = json.loads(rel("show", "1", "--json", ok=True).stdout)
    assert document["name"] == "Eve\x1b[31m\u202eRed\u009b"  # JSON loses nothing


@pytest.mark.parametrize(
    "name", ["Bob \u202eevil", "\u200b", "Bob\u009b31m"], ids=["bidi", "invisible", "c1"]
)
def test_imports_refuse_the_same_names(rel, rel_json, tmp_path, name) -> None:
    card = tmp_path / "one.vcf"
    card.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEND:VCARD\r\n", encoding="utf-8")
    rel("import", "vcard", str(card))
    document = tmp_path / "one.json"
    document.write_text(json.dumps({"version": 1, "contacts": [{"name": name}]}), encoding="utf-8")
    rel("import", "json", str(document))
    assert rel_json("list") == []


def test_a_company_with_a_bidi_override_is_left_out_of_an_import(rel, rel_json, tmp_path) -> None:
    card = tmp_path / "one.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Stone\r\nORG:Acme\u202eevil\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    rel("import", "vcard", str(card), ok=True)
    [bob] = rel_json("list")
    assert bob["name"] == "Bob Stone" and bob["company"] is None


# --- messages ------------------------------------------------------------------------------------


def test_a_huge_who_gets_a_short_clear_answer(rel) -> None:
    rel("add", "Alice", ok=True)
    for command in ("show", "why", "edit", "archive"):
        result = rel(command, "x" * 50_000)
        assert result.exit_code == 1
        line = result.stderr
        assert line.startswith("error: no contact matches 'xxx"), line
        assert "(50000 characters)" in line and "at most 320 characters" in line
        assert "LIKE" not in line and "store" not in line
        assert line.count("\n") == 1 and len(line) < 300


@pytest.mark.parametrize(
    "args",
    [
        ["add", "N" * 100_000],
        ["add", "Alice", "--email", "e" * 100_000],
        ["add", "Alice", "--tag", "[" * 100_000],
        ["add", "Alice", "--company", "\x1b" * 100_000],
        ["add", "Alice", "--alias", "\u202e" * 100_000],
        ["list", "--sort", "s" * 100_000],
        ["due", "--format", "f" * 100_000],
        ["log", "alice", "k" * 100_000],
        ["tag", "t" * 100_000],
        ["show", "y" * 100_000],
    ],
    ids=lambda args: " ".join(a[:10] for a in args),
)
def test_errors_never_repeat_a_huge_input(rel, args) -> None:
    rel("add", "Alice", ok=True)
    result = rel(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 400, result.stderr[:400]


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_notes_with_windows_or_old_mac_line_ends_are_kept_with_newlines(
    rel, rel_json, ending
) -> None:
    rel("add", "Alice", "--note", f"first{ending}second{ending}", ok=True)
    assert rel_json("show", "alice")["notes"] == "first\nsecond"
    rel("log", "alice", "call", f"one{ending}two", ok=True)
    assert rel_json("show", "alice")["timeline"][0]["note"] == "one\ntwo"
