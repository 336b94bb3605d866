"""Persisted UIDs: every contact, touchpoint, life event and gift keeps one identity through
export and import, `rel store copy`, merge and the vCard files other address books keep, where
row ids do not (a restore into a store with data shifts them)."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
import vobject

CARD = """BEGIN:VCARD
VERSION:3.0
UID:6f1c9a1e-5d0b-4b8e-9a53-2f8f0d3e7c11
FN:Dan Brooks
N:Brooks;Dan;;;
EMAIL;TYPE=WORK:dan@brooks.example
TEL;TYPE=CELL:+1 202 555 0175
TEL;TYPE=HOME,VOICE:+1 202 555 0111
END:VCARD
"""


def _export(rel, kind: str, *args: str) -> str:
    return rel("export", kind, *args, ok=True).stdout


def _cards(text: str) -> dict[str, vobject.base.Component]:
    """The cards of a vCard export by name."""
    return {card.fn.value: card for card in vobject.readComponents(text)}


def _network(rel) -> None:
    rel("add", "Ann Lee", "--email", "ann@lee.example", ok=True)
    rel("add", "Dan Brooks", "--email", "dan@brooks.example", "--every", "3w", ok=True)
    rel("remind", "dan", "send the deck", "--on", "2026-12-01", ok=True)
    rel("event", "dan", "promotion", "VP Sales", "--on", "2026-11-20", ok=True)
    rel("gift", "dan", "idea", "a good pen", ok=True)


def _uids(document: dict) -> dict[str, list[str]]:
    return {
        section: [record["uid"] for record in document[section]]
        for section in ("contacts", "touchpoints", "events", "gifts")
    }


def test_every_record_gets_a_uid_of_its_own(rel) -> None:
    _network(rel)
    document = json.loads(_export(rel, "json"))
    found = _uids(document)
    assert [len(found[s]) for s in ("contacts", "touchpoints", "events", "gifts")] == [2, 2, 1, 1]
    every = [uid for uids in found.values() for uid in uids]
    assert len(set(every)) == len(every)
    for uid in every:
        assert uuid.UUID(uid).version == 4  # random: two stores never make the same one
    dan = next(c for c in document["contacts"] if c["name"] == "Dan Brooks")
    [card] = [
        c for c in vobject.readComponents(_export(rel, "vcard")) if c.fn.value == "Dan Brooks"
    ]
    assert card.uid.value == dan["uid"]


def test_uids_survive_a_restore_into_a_store_whose_ids_differ(rel, tmp_path: Path) -> None:
    """The failure reported: after export json -> import json into a store that has data, ids
    shift, and `UID:rel-3@rel` that was Dan became someone else."""
    _network(rel)
    exported = tmp_path / "network.json"
    rel("export", "json", "-o", str(exported), ok=True)
    before = _cards(_export(rel, "vcard"))
    before_uids = _uids(json.loads(exported.read_text()))

    other = tmp_path / "other.db"
    rel("--db", str(other), "add", "Zoë Park", ok=True)  # takes id 1: every id shifts
    rel("--db", str(other), "import", "json", str(exported), ok=True)
    after = _cards(rel("--db", str(other), "export", "vcard", ok=True).stdout)
    assert after["Dan Brooks"].uid.value == before["Dan Brooks"].uid.value
    assert after["Ann Lee"].uid.value == before["Ann Lee"].uid.value
    assert after["Zoë Park"].uid.value not in {c.uid.value for c in before.values()}
    restored = json.loads(rel("--db", str(other), "export", "json", ok=True).stdout)
    dan = next(c for c in restored["contacts"] if c["name"] == "Dan Brooks")
    assert dan["id"] != next(
        c["id"] for c in json.loads(exported.read_text())["contacts"] if c["name"] == "Dan Brooks"
    )
    for section in ("touchpoints", "events", "gifts"):
        assert set(before_uids[section]) <= set(_uids(restored)[section])

    # importing the same document again adds nothing: the UIDs are already there
    again = rel("--db", str(other), "import", "json", str(exported), ok=True)
    assert "0 added" in again.stderr
    assert json.loads(rel("--db", str(other), "export", "json", ok=True).stdout) == restored


def test_a_document_without_uids_gets_different_ones_in_each_store(rel, tmp_path: Path) -> None:
    """A document of an older rel (or the seeds of rel demo) has no UIDs: each store makes its
    own, so two stores never share one."""
    document = {"format": "rel", "version": 1, "contacts": [{"id": 1, "name": "Ann Lee"}]}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document))
    uids = []
    for store in ("one.db", "two.db"):
        rel("--db", str(tmp_path / store), "import", "json", str(path), ok=True)
        exported = json.loads(rel("--db", str(tmp_path / store), "export", "json", ok=True).stdout)
        uids.append(exported["contacts"][0]["uid"])
    assert uids[0] != uids[1]


@pytest.mark.sqlite_only
def test_store_copy_keeps_every_uid(rel, store_path: Path, tmp_path: Path) -> None:
    _network(rel)
    before = _uids(json.loads(_export(rel, "json")))
    copy = tmp_path / "copy.db"
    rel("store", "copy", str(store_path), str(copy), ok=True)
    after = _uids(json.loads(rel("--db", str(copy), "export", "json", ok=True).stdout))
    assert after == before


def test_merge_keeps_the_first_contacts_uid_and_every_moved_records_own(rel) -> None:
    _network(rel)
    rel("add", "Daniel Brooks", "--email", "daniel@home.example", ok=True)
    rel("remind", "daniel", "call about the boat", "--on", "2026-12-20", ok=True)
    before = json.loads(_export(rel, "json"))
    uid_of = {c["name"]: c["uid"] for c in before["contacts"]}
    reminder = next(t for t in before["touchpoints"] if t["text"] == "call about the boat")
    rel("merge", "Dan Brooks", "Daniel Brooks", "--yes", ok=True)
    after = json.loads(_export(rel, "json"))
    assert {c["name"]: c["uid"] for c in after["contacts"]} == {
        "Ann Lee": uid_of["Ann Lee"],
        "Dan Brooks": uid_of["Dan Brooks"],
    }
    moved = next(t for t in after["touchpoints"] if t["text"] == "call about the boat")
    assert moved["uid"] == reminder["uid"]


def test_a_cards_uid_and_types_are_kept_and_written_back(rel, tmp_path: Path) -> None:
    path = tmp_path / "dan.vcf"
    path.write_text(CARD)
    rel("import", "vcard", str(path), ok=True)
    [card] = vobject.readComponents(_export(rel, "vcard"))
    assert card.uid.value == "6f1c9a1e-5d0b-4b8e-9a53-2f8f0d3e7c11"
    types = {line.value: line.params.get("TYPE") for line in card.contents["tel"]}
    assert types == {"+1 202 555 0175": ["CELL"], "+1 202 555 0111": ["HOME", "VOICE"]}
    assert card.email.params.get("TYPE") == ["WORK"]
    assert "TEL;TYPE=CELL:+1 202 555 0175" in _export(rel, "vcard")

    # the same card, renamed and with a new email, edited in another address book: the same
    # person, updated, not a second one
    edited = CARD.replace("FN:Dan Brooks", "FN:Daniel Brooks").replace(
        "END:VCARD", "EMAIL:daniel@home.example\nEND:VCARD"
    )
    path.write_text(edited)
    rel("import", "vcard", str(path), ok=True)
    contacts = json.loads(_export(rel, "json"))["contacts"]
    assert [(c["name"], c["emails"]) for c in contacts] == [
        ("Dan Brooks", ["dan@brooks.example", "daniel@home.example"])
    ]


def test_uids_rel_made_of_row_ids_are_not_kept(rel, tmp_path: Path) -> None:
    """`rel-3@rel` was made of a store's row id by older versions: two stores made the same
    one, so it is no identity to keep."""
    path = tmp_path / "old.vcf"
    path.write_text(CARD.replace("UID:6f1c9a1e-5d0b-4b8e-9a53-2f8f0d3e7c11", "UID:rel-3@rel"))
    rel("import", "vcard", str(path), ok=True)
    [card] = vobject.readComponents(_export(rel, "vcard"))
    assert card.uid.value != "rel-3@rel"
    assert uuid.UUID(card.uid.value)


def test_a_vcard_export_names_no_row_ids(rel) -> None:
    _network(rel)
    text = _export(rel, "vcard")
    assert not re.search(r"UID:rel-\d+@rel", text)


def test_calendar_uids_survive_a_restore_so_a_calendar_never_shows_a_reminder_twice(
    rel, tmp_path: Path
) -> None:
    """khal showed every reminder twice after a restore (`t4` had become `t3`)."""
    from icalendar import Calendar

    def uids(*db: str) -> dict[str, str]:
        calendar = Calendar.from_ical(rel(*db, "export", "ics", ok=True).stdout)
        return {str(event["summary"]): str(event["uid"]) for event in calendar.walk("VEVENT")}

    _network(rel)
    rel("add", "Eve Stone", "--birthday", "1990-05-04", ok=True)
    rel("remind", "eve", "book the table", "--on", "2026-12-10", ok=True)
    before = uids()
    exported = tmp_path / "network.json"
    rel("export", "json", "-o", str(exported), ok=True)
    other = ("--db", str(tmp_path / "other.db"))
    rel(*other, "add", "Zoë Park", "--every", "2w", ok=True)
    rel(*other, "remind", "zoe", "send the photos", "--on", "2026-12-09", ok=True)  # t1
    rel(*other, "import", "json", str(exported), ok=True)
    after = uids(*other)
    assert {summary: after[summary] for summary in before} == before
    assert len(set(after.values())) == len(after)
