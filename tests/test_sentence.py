"""One-sentence logging: the people and the kind found in what a person wrote (REL_TODAY is
2026-03-01), among look-alikes; the classic `rel log WHO KIND` unchanged beside it."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rel.errors import Ambiguous, BadValue, NotFound
from rel.services.sentence import Known, understand
from rel.services.who import Person, fold

TODAY = date(2026, 3, 1)
LOOK_ALIKES = {
    1: "Alice Chen",
    2: "Sam Ortiz",
    3: "Sam Lee",
    4: "Ann Lee",
    5: "Anna Berg",
    6: "José Díaz",
    7: "William Stone",  # alias Will: a common word
    8: "Bill Call",  # a kind word inside a name
    9: "Zoë A. Van der Berg Jr.",
    10: "Mark O'Brien",
}
KNOWN = Known(
    [Person(pid, name, fold(name)) for pid, name in LOOK_ALIKES.items()],
    {7: ["will"], 1: ["ally"]},
)


def refuse(written: str, candidates: list[Person]) -> Person:
    raise Ambiguous(f"{written} fits {[p.id for p in candidates]}", [])


def read(sentence: str, **options):
    understood = understand(sentence, KNOWN, TODAY, choose=refuse, **options)
    return [p.id for p in understood.people], understood.kind, understood.on, understood.note


@pytest.mark.parametrize(
    ("sentence", "people", "kind"),
    [
        ("Lunch with Alice and Sam O at the harbour, talked about the Q3 launch", [1, 2], "lunch"),
        ("lunch with alice and sam l", [1, 3], "lunch"),  # all in lower case
        ("Coffee with Ann", [4], "coffee"),
        ("Coffee with Anna", [5], "coffee"),
        ("Called Jose about the contract", [6], "call"),
        ("called josé", [6], "call"),
        ("Drinks with Will after work", [7], "dinner"),
        ("I will call Ann's sister", [4], "call"),  # "will" in lower case is a word
        ("Lunch with Bill Call", [8], "lunch"),  # the name wins over the kind in it
        ("Call with Bill Call and Ally", [8, 1], "call"),
        ("Met Zoë Van der Berg at the fair", [9], "meeting"),
        ("met zoe berg and Mark O'Brien", [9, 10], "meeting"),
        ("Video call with Mark", [10], "video"),
        ("Emailed Alice's team and Alice", [1], "email"),  # each person once
    ],
)
def test_the_people_and_the_kind_are_found_among_look_alikes(sentence, people, kind) -> None:
    found, found_kind, on, note = read(sentence)
    assert (found, found_kind) == (people, kind)
    assert on == TODAY and note == sentence


def test_a_first_name_of_two_people_asks_which_one() -> None:
    asked = []

    def choose(written, candidates):
        asked.append((written, [p.name for p in candidates]))
        return candidates[1]

    understood = understand("Lunch with Sam and Alice", KNOWN, TODAY, choose=choose)
    assert asked == [("Sam", ["Sam Lee", "Sam Ortiz"])]
    assert [p.name for p in understood.people] == ["Sam Ortiz", "Alice Chen"]


def test_a_date_leads_the_sentence_and_options_override() -> None:
    assert read("yesterday: coffee with Alice")[2:] == (date(2026, 2, 28), "coffee with Alice")
    assert read("2026-02-10: call with Ann")[2] == date(2026, 2, 10)
    assert read("Lunch with Ann", kind="dinner", on=date(2026, 2, 1))[1:3] == (
        "dinner",
        date(2026, 2, 1),
    )
    # a colon that is not after a date is part of the sentence
    assert read("Lunch with Ann: great")[3] == "Lunch with Ann: great"


def test_a_backslash_keeps_a_word_from_being_a_name() -> None:
    assert read("Dinner at \\Mark's Diner with Ann") == (
        [4],
        "dinner",
        TODAY,
        "Dinner at Mark's Diner with Ann",
    )


def test_a_sentence_naming_nobody_known_suggests_the_closest() -> None:
    with pytest.raises(NotFound, match=r"did you mean Sam Ortiz \(#2\)"):
        read("Dinner with Samm Ortz")
    with pytest.raises(BadValue, match="expected a word for the kind"):
        read("Saw Alice at the fair")


# --- through the command line ------------------------------------------------------------


@pytest.fixture
def network(rel):
    for name in LOOK_ALIKES.values():
        rel("add", name, ok=True)
    rel("edit", "william", "--alias", "Will", ok=True)
    rel("add", "Lunch", ok=True)  # a contact literally named like a kind (#11)


def test_one_sentence_logs_and_says_what_it_understood(rel, rel_json, network) -> None:
    result = rel("log", "Lunch with Alice and Sam O at the harbour, talked about the Q3 launch")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Logged lunch with Alice Chen and Sam Ortiz on 2026-03-01 (today) as i1.\n"
    )
    profile = rel_json("show", "sam o")
    [entry] = profile["timeline"]
    assert entry["kind"] == "lunch" and entry["date"] == "2026-03-01"
    assert entry["note"] == "Lunch with Alice and Sam O at the harbour, talked about the Q3 launch"
    assert rel_json("show", "alice")["last_interaction"] == "2026-03-01"


def test_dry_run_writes_nothing(rel, network, store) -> None:
    before = store.state()
    result = rel("log", "yesterday: coffee with Bill Call and jose", "--dry-run")
    assert result.exit_code == 0
    assert result.stderr == "Would log coffee with Bill Call and José Díaz on 2026-02-28.\n"
    assert store.state() == before


def test_an_ambiguous_name_without_a_terminal_lists_the_candidates(rel, network, store) -> None:
    before = store.state()
    result = rel("log", "Lunch with Sam")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: 'Sam' in the sentence fits 2 contacts: Sam Lee (#3), Sam Ortiz (#2); write more"
        " of the name, e.g. rel log 'Lunch with Sam Lee'\n"
    )
    assert store.state() == before


def test_nobody_known_and_no_kind_are_one_line(rel, network) -> None:
    result = rel("log", "Dinner with Samm Ortz")
    assert result.exit_code == 1
    assert "did you mean Sam Ortiz (#2)" in result.stderr
    result = rel("log", "alice")
    assert result.exit_code == 1
    assert "expected a word for the kind of interaction in 'alice'" in result.stderr


def test_how_the_two_forms_are_told_apart(rel, rel_json, network) -> None:
    # two words or more: WHO KIND [NOTE], as always, even for a contact named like a kind
    assert rel("log", "lunch", "call", "about the menu", ok=True).stderr == (
        "Logged call with Lunch on 2026-03-01 (today) as i1.\n"
    )
    assert rel("log", "alice", "lunch", "--with", "ann lee", ok=True).stderr == (
        "Logged lunch with Alice Chen and Ann Lee on 2026-03-01 (today) as i2.\n"
    )
    # one argument: a sentence; its first word is the kind, not the contact named Lunch
    assert rel("log", "Lunch with Anna", ok=True).stderr == (
        "Logged lunch with Anna Berg on 2026-03-01 (today) as i3.\n"
    )
    assert rel_json("show", "11")["timeline"][0]["kind"] == "call"
    # the kind given twice is refused
    assert rel("log", "alice", "lunch", "--kind", "call").exit_code == 1
    # --kind, --on and --with work with a sentence
    rel("log", "Saw Ann at the fair", "--kind", "event", "--on", "2026-02-20", "--with", "mark",
        ok=True)  # fmt: skip
    timeline = rel_json("show", "ann lee")["timeline"]
    assert [(e["kind"], e["date"]) for e in timeline] == [
        ("lunch", "2026-03-01"),
        ("event", "2026-02-20"),
    ]
    assert rel_json("show", "mark")["last_interaction"] == "2026-02-20"


def test_the_interactive_choice_on_a_terminal(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "REL_DB": str(tmp_path / "rel.db"),
        "REL_TODAY": "2026-03-01",
        "NO_COLOR": "1",
    }
    for name in ("Sam Ortiz", "Sam Lee"):
        subprocess.run([sys.executable, "-m", "rel", "add", name], env=env, check=True)
    pid, fd = pty.fork()
    if pid == 0:  # the child: rel on a pseudo-terminal, as a person runs it
        os.execvpe(sys.executable, [sys.executable, "-m", "rel", "log", "Coffee with Sam"], env)
    screen = b""

    def read_until(text: bytes) -> None:
        nonlocal screen
        while text not in screen:
            ready, _, _ = select.select([fd], [], [], 30)
            assert ready, f"no {text!r} on the screen: {screen!r}"
            screen += os.read(fd, 1024)

    read_until(b"Which one")
    assert b"'Sam' could be:" in screen
    assert b"1) Sam Lee (#2)" in screen and b"2) Sam Ortiz (#1)" in screen
    os.write(fd, b"2\r")
    read_until(b"Logged")
    read_until(b"as i1.")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert b"Logged coffee with Sam Ortiz on 2026-03-01 (today) as i1." in screen


def test_the_names_a_sentence_may_hold_are_read_from_the_store_as_from_everyone(
    rel, rel_json, network, store_path
) -> None:
    """`rel log SENTENCE` reads only the contacts whose name or alias starts with one of its
    words (through an index), not the whole address book: whoever the whole address book
    would find, it finds; names that start with punctuation and aliases too."""
    rel("add", "'Ace' Ventura", ok=True)
    rel("add", "--", "- Bo Kim", ok=True)
    rel("add", "Zelda Quist", "--alias", "Zee", ok=True)
    rel("add", "Alicia Keys", ok=True)  # "alice" is not a prefix of her name, "ali" would be
    for sentence, logged in [
        ("Coffee with Ace", "'Ace' Ventura"),
        ("Call with Bo", "- Bo Kim"),
        ("Lunch with Zee at the harbour", "Zelda Quist"),
        ("Met Alicia and Mark O'Brien", "Alicia Keys and Mark O'Brien"),
        ("Coffee with Zoë Berg", "Zoë A. Van der Berg Jr."),
    ]:
        result = rel("log", sentence, "--dry-run")
        assert result.exit_code == 0, (sentence, result.stderr)
        assert f" with {logged} on " in result.stderr, (sentence, result.stderr)
