"""rel dupes: likely duplicate pairs, with the merge command to run for each."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from rel.services.duplicates import find_duplicates, name_key, phone_key
from rel.store.queries import OrmReader


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Zoë A. Van der Berg Jr.", "Zoe Van der Berg"),  # as imports leave them
        ("Dr. Alice Chen", "alice chen"),
        ("Prof. Alice M. Chen, PhD", "Alice Chen"),
        ("Mrs Mary Ann O'Brien", "Mary OBrien"),
        ("Van der Berg, Zoë", "Zoe Van der Berg"),  # family name first
        ("José María García III", "Jose Garcia"),
        ("Anne-Marie Dupont", "Annemarie Dupont"),
        ("Ana Maria de la Cruz", "Ana de la Cruz"),
        ("Mr. Smith", "Smith"),
        ("Mr. John Richter, James Doe Sr.", "John Doe"),  # a vCard's FN, comma and all
    ],
)
def test_names_that_are_the_same_person(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Alice Chen", "Alice Wong"),  # the same first name only
        ("Alice", "Alice Chen"),
        ("Zoe Van der Berg", "Zoe Berg"),
        ("Anne-Marie Dupont", "Anne Dupont"),
        ("Jack Ma", "Jack"),  # Ma is a name, not a suffix
        ("Bob Smith Jr.", "Bob Jones"),
    ],
)
def test_names_of_different_people(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("+44 20 7946 0958", ("44", "2079460958")),
        ("020 7946 0958", (None, "2079460958")),
        ("0044 20 7946 0958", ("44", "2079460958")),
        ("+1 (555) 010-0199", ("1", "5550100199")),
        ("1-555-010-0199", ("1", "5550100199")),
        ("555.010.0199 ext. 12", (None, "5550100199")),
        ("+353 1 234 5678", ("353", "12345678")),
        ("+49 30 1234567", ("49", "301234567")),
        ("030 1234567", (None, "301234567")),
        ("112", None),  # too short to tell anyone apart
    ],
)
def test_phone_numbers_are_compared_by_their_national_digits(written: str, key) -> None:
    assert phone_key(written) == key


def test_dupes_finds_the_motivating_case_with_the_command_to_run(rel, rel_json) -> None:
    rel("add", "Zoe Van der Berg", "--today", "2024-05-01", ok=True)
    rel("log", "zoe", "lunch", ok=True)
    rel("add", "Zoë A. Van der Berg Jr.", "--company", "Acme", ok=True)
    result = rel("dupes", ok=True)
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["keep", "merge", "why", "command"]
    assert "Zoe Van der Berg (#1)  Zoë A. Van der Berg Jr. (#2)" in lines[1]
    assert lines[1].endswith("same name  rel merge 1 2")
    assert "1 likely duplicate pairs" in result.stderr
    [pair] = rel_json("dupes")["pairs"]
    assert pair["command"] == "rel merge 1 2" and pair["reasons"] == ["same name"]


def test_the_richer_record_is_the_one_to_keep(rel, rel_json) -> None:
    rel("add", "Ann Lee", "--today", "2024-01-01", ok=True)
    rel("add", "Ann Lee", "--email", "ann@x.example", "--company", "Acme", ok=True)
    rel("add", "Bo Chen", "--today", "2024-01-01", ok=True)
    rel("add", "Bo Chen", ok=True)  # as rich: the older is kept
    commands = [p["command"] for p in rel_json("dupes")["pairs"]]
    assert commands == ["rel merge 2 1", "rel merge 3 4"]


def test_a_shared_email_in_any_case_is_a_pair(rel, rel_json) -> None:
    rel("add", "Alice Chen", "--email", "alice@acme.example", ok=True)
    rel("add", "A. Chen-Wong", "--email", "Alice@ACME.example", ok=True)
    [pair] = rel_json("dupes")["pairs"]
    assert pair["reasons"] == ["same email alice@acme.example"]


def test_a_shared_phone_written_differently_is_a_pair(rel, rel_json) -> None:
    rel("add", "Alice Chen", "--phone", "+44 20 7946 0958", ok=True)
    rel("add", "Ally C", "--phone", "(020) 7946-0958", ok=True)
    [pair] = rel_json("dupes")["pairs"]
    assert (pair["keep"]["name"], pair["other"]["name"]) == ("Alice Chen", "Ally C")
    assert pair["reasons"] == ["same phone +44 20 7946 0958"]


def test_numbers_with_different_country_codes_are_not_paired(rel, rel_json) -> None:
    rel("add", "Alice Chen", "--phone", "+44 20 7946 0958", ok=True)
    rel("add", "Bo Chen", "--phone", "+33 20 7946 0958", ok=True)
    assert rel_json("dupes") == {"pairs": []}
    rel("add", "Ally C", "--phone", "020 7946 0958", ok=True)  # either of them: neither
    assert rel_json("dupes") == {"pairs": []}


def test_an_office_line_shared_by_many_is_not_a_duplicate(rel, rel_json) -> None:
    for name in ("Ann Lee", "Bo Chen", "Cy Diaz", "Di Fox"):
        rel("add", name, "--phone", "+1 555 010 0100", "--email", "info@acme.example", ok=True)
    assert rel_json("dupes") == {"pairs": []}


def test_chained_pairs_are_listed_in_an_order_that_can_be_run(rel, rel_json) -> None:
    rel("add", "Ann Lee", "--email", "ann@x.example", "--tag", "a", "--tag", "b", ok=True)
    rel("add", "Ann B. Lee", "--phone", "+44 20 7946 0958", "--tag", "c", ok=True)
    rel("add", "Annie", "--phone", "020 7946 0958", ok=True)
    commands = [p["command"] for p in rel_json("dupes")["pairs"]]
    assert commands == ["rel merge 2 3", "rel merge 1 2"]
    for command in commands:
        rel(*command.split()[1:], "--yes", ok=True)
    assert rel_json("dupes") == {"pairs": []}
    assert rel_json("show", "ann")["aliases"] == ["Annie", "Ann B. Lee"]


def test_people_sharing_only_a_first_name_are_not_paired(rel) -> None:
    rel("add", "Alice Chen", ok=True)
    rel("add", "Alice Wong", ok=True)
    rel("add", "Alice", ok=True)
    result = rel("dupes", ok=True)
    assert result.stdout == ""
    assert result.stderr == "No likely duplicates.\n"


def test_a_group_of_three_gives_two_merges_into_the_one_to_keep(rel, rel_json) -> None:
    rel("add", "Sam Ortiz", "--email", "sam@x.example", "--tag", "friend", ok=True)
    rel("add", "Dr. Sam Ortiz", ok=True)
    rel("add", "Samuel Ortiz", "--email", "SAM@x.example", ok=True)
    pairs = rel_json("dupes")["pairs"]
    assert [(p["command"], p["reasons"]) for p in pairs] == [
        ("rel merge 1 2", ["same name"]),
        ("rel merge 1 3", ["same email sam@x.example"]),
    ]


def test_archived_records_are_included_and_marked(rel, rel_json) -> None:
    rel("add", "Ann Lee", "--email", "ann@old.example", "--company", "Acme", ok=True)
    rel("archive", "ann", ok=True)
    rel("add", "Ann Lee", ok=True)
    assert "Ann Lee (#1, archived)" in rel("dupes", ok=True).stdout
    [pair] = rel_json("dupes")["pairs"]
    assert pair["keep"]["archived"] is True and pair["command"] == "rel merge 1 2"


def test_ten_thousand_contacts_take_well_under_a_second(session) -> None:
    from sqlalchemy import insert

    from rel.services.who import fold, search_value
    from rel.store.models import Contact, Handle

    now = datetime(2026, 3, 1, tzinfo=UTC)
    first = ["Alice", "Bo", "Chen", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun"]
    contacts, handles = [], []
    for n in range(10_000):
        name = f"{first[n % 10]} Family{n}"
        if n % 500 == 0:
            name = f"Dr. {first[(n - 1) % 10]} Q. Family{n - 1} Jr."  # 20 by name
        contacts.append(
            {"id": n + 1, "name": name, "search_name": fold(name), "added_on": date(2026, 1, 1),
             "created_at": now, "updated_at": now, "archived": False}
        )  # fmt: skip
        email = f"person{n - 1 if n % 700 == 1 else n}@example.com"  # 15 by email
        phone = f"+44 20 {n // 1000:04d} {n % 1000:04d}"
        for kind, value in (("email", email), ("phone", phone)):
            handles.append(
                {"contact_id": n + 1, "kind": kind, "value": value,
                 "search_value": search_value(kind, value), "position": 0}
            )  # fmt: skip
    session.execute(insert(Contact), contacts)
    session.execute(insert(Handle), handles)
    pairs = find_duplicates(OrmReader(session))  # its time is measured by benchmarks/run.py
    assert len(pairs) == 19 + 15  # Family-1 has no one to pair with
