"""WHO: id, email, full name, alias, or any unique part of a name; case and accents ignored."""

from __future__ import annotations

import pytest

from rel.errors import Ambiguous, NotFound
from rel.services.who import find, fold
from tests.conftest import add


@pytest.fixture
def people(session):
    return {
        "alice": add(session, "Alice Chen", emails=["alice@acme.example"], aliases=["Ali"]),
        "jose": add(session, "José García"),
        "sam_lee": add(session, "Sam Lee"),
        "sam_ortiz": add(session, "Sam Ortiz"),
        "natalia": add(session, "Natalia Volkova"),
        "mom": add(session, "Linda Moreau", aliases=["Mom"]),
    }


def test_fold_removes_case_and_accents() -> None:
    assert fold("  José   GARCÍA ") == "jose garcia"
    assert fold("Zoë") == "zoe"


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("ali", "alice"),  # a word's start beats "ali" inside "Natalia"
        ("Alice Chen", "alice"),
        ("alice chen", "alice"),
        ("ALICE@ACME.EXAMPLE", "alice"),
        ("chen", "alice"),
        ("a chen", "alice"),
        ("jose", "jose"),
        ("garcia", "jose"),
        ("José", "jose"),
        ("sam o", "sam_ortiz"),
        ("ortiz", "sam_ortiz"),
        ("mom", "mom"),
        ("volk", "natalia"),
        ("ice", "alice"),  # only a piece inside a word, and unique
    ],
)
def test_who_finds_the_one_contact_meant(session, people, typed: str, who: str) -> None:
    assert find(session, typed).id == people[who].id


def test_an_id_finds_the_contact(session, people) -> None:
    assert find(session, str(people["jose"].id)).name == "José García"
    assert find(session, f"#{people['jose'].id}").name == "José García"
    with pytest.raises(NotFound, match="no contact has the id 999"):
        find(session, "999")


def test_more_than_one_match_lists_the_candidates_with_ids(session, people) -> None:
    with pytest.raises(Ambiguous) as raised:
        find(session, "sam")
    message = raised.value.message
    assert f"Sam Lee (#{people['sam_lee'].id})" in message
    assert f"Sam Ortiz (#{people['sam_ortiz'].id})" in message
    assert {name for _, name in raised.value.candidates} == {"Sam Lee", "Sam Ortiz"}


def test_no_match_suggests_the_closest_names(session, people) -> None:
    with pytest.raises(NotFound, match=r"did you mean Alice Chen"):
        find(session, "alcie")
    with pytest.raises(NotFound, match="no contact matches 'zzz'"):
        find(session, "zzz")


def test_an_exact_full_name_wins_over_longer_names(session) -> None:
    add(session, "Sam")
    add(session, "Sam Lee")
    assert find(session, "sam").name == "Sam"


def test_percent_and_underscore_are_plain_characters(session, people) -> None:
    with pytest.raises(NotFound):
        find(session, "%")
    with pytest.raises(NotFound):
        find(session, "_")


def test_an_empty_store_says_so(session) -> None:
    with pytest.raises(NotFound, match="the store is empty"):
        find(session, "alice")
