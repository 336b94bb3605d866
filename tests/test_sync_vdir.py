"""rel sync vdir DIR: a two-way sync with a folder of UID.vcf files (khard, vdirsyncer)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

# A card as khard writes one (vCard 3.0, its own UID as the file name), with what rel does not
# manage: a folded photo, a position, an Apple-labelled group, an X- property.
KHARD_CARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "PRODID:-//khard//NONSGML v0.19//EN\r\n"
    "UID:8f1c3a8e-5e3c-4c3f-9d61-2f0c1a6b7e01\r\n"
    "FN:Dana Scully\r\n"
    "N:Scully;Dana;;;\r\n"
    "EMAIL;TYPE=WORK:dana@fbi.example\r\n"
    "TEL;TYPE=CELL:+1 202 555 0147\r\n"
    "ORG:FBI\r\n"
    "BDAY:--0223\r\n"
    "item1.X-ABLabel:_$!<Partner>!$_\r\n"
    "item1.X-ABRELATEDNAMES:Fox Mulder\r\n"
    "GEO:38.8951;-77.0364\r\n"
    "X-KHARD-CUSTOM:keep this; exactly\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBw\r\n"
    " YIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/wAALCAABAAEBAREA\r\n"
    "END:VCARD\r\n"
)
KHARD_FILE = "8f1c3a8e-5e3c-4c3f-9d61-2f0c1a6b7e01.vcf"
UNMANAGED = [
    "PRODID:-//khard//NONSGML v0.19//EN",
    "item1.X-ABLabel:_$!<Partner>!$_",
    "item1.X-ABRELATEDNAMES:Fox Mulder",
    "GEO:38.8951;-77.0364",
    "X-KHARD-CUSTOM:keep this; exactly",
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBw"
    "\r\n YIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/wAALCAABAAEBAREA",
]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    folder = tmp_path / "contacts"
    folder.mkdir()
    return folder


def sync(rel, folder: Path, *args: str, ok: bool = True):
    return rel("sync", "vdir", str(folder), *args, ok=ok)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def file_of(folder: Path, name: str) -> Path:
    """The one file of the folder whose card is `name`."""
    [found] = [p for p in folder.glob("*.vcf") if f"FN:{name}\r\n".encode() in p.read_bytes()]
    return found


def age(path: Path, seconds: float) -> None:
    """Make the file look changed `seconds` ago (negative: in the future)."""
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


def edit_file(path: Path, old: str, new: str, *, seconds_ago: float = 0) -> None:
    data = path.read_bytes()
    assert old.encode() in data
    path.write_bytes(data.replace(old.encode(), new.encode()))
    age(path, seconds_ago)


def names(rel_json) -> list[str]:
    return sorted(c["name"] for c in rel_json("list"))


@pytest.fixture
def synced(rel, rel_json, book: Path) -> Path:
    """Alice and Bob in rel, Dana in the folder (as khard wrote her), synced once."""
    rel("add", "Alice Chen", "--company", "Acme", "--email", "alice@example.com", ok=True)
    rel("add", "Bob Stone", "--phone", "+1 202 555 0100", "--tag", "friend", ok=True)
    (book / KHARD_FILE).write_bytes(KHARD_CARD.encode())
    result = sync(rel, book)
    assert "1 added to rel" in result.stderr and "2 written to the folder" in result.stderr
    return book


def test_the_first_run_brings_the_folder_in_and_writes_a_uid_file_for_everyone(
    rel, rel_json, synced: Path
) -> None:
    assert names(rel_json) == ["Alice Chen", "Bob Stone", "Dana Scully"]
    dana = rel_json("show", "dana")
    assert dana["emails"] == ["dana@fbi.example"] and dana["company"] == "FBI"
    assert dana["birthday"] == "--02-23" and dana["notes"] == "Partner: Fox Mulder"
    written = [p for p in synced.glob("*.vcf") if p.name != KHARD_FILE]
    assert len(written) == 2
    for path in written:
        text = path.read_bytes().decode()
        assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
        uid = next(line[4:] for line in text.splitlines() if line.startswith("UID:"))
        assert path.name == f"{uid}.vcf"
    assert "ORG:Acme" in file_of(synced, "Alice Chen").read_bytes().decode()
    assert (synced / KHARD_FILE).read_bytes().decode() == KHARD_CARD  # nothing to change in it
    before = files(synced)
    again = sync(rel, synced)
    assert "nothing to do" in again.stderr
    assert files(synced) == before
    assert names(rel_json) == ["Alice Chen", "Bob Stone", "Dana Scully"]


def test_a_card_of_someone_rel_has_is_linked_not_duplicated(rel, rel_json, book: Path) -> None:
    rel("add", "Dana Scully", "--email", "dana@fbi.example", "--title", "Agent", ok=True)
    (book / KHARD_FILE).write_bytes(KHARD_CARD.encode())
    plan = sync(rel, book, "--dry-run").stdout.splitlines()
    assert plan == [f"link: Dana Scully ({KHARD_FILE} is Dana Scully (#1))"]
    result = sync(rel, book)
    assert "1 linked to a contact" in result.stderr
    assert names(rel_json) == ["Dana Scully"]
    dana = rel_json("show", "dana")
    assert (dana["company"], dana["title"]) == ("FBI", "Agent")  # one from each side
    text = (book / KHARD_FILE).read_bytes().decode()
    assert "TITLE:Agent\r\n" in text and "ORG:FBI\r\n" in text
    assert list(book.glob("*.vcf")) == [book / KHARD_FILE]


def test_changes_in_the_folder_reach_rel(rel, rel_json, synced: Path) -> None:
    edit_file(file_of(synced, "Alice Chen"), "ORG:Acme", "ORG:Initech")
    edit_file(synced / KHARD_FILE, "TEL;TYPE=CELL:+1 202 555 0147\r\n", "")
    result = sync(rel, synced)
    assert "2 updated in rel" in result.stderr
    assert rel_json("show", "alice")["company"] == "Initech"
    assert rel_json("show", "dana")["phones"] == []


def test_changes_in_rel_reach_the_folder(rel, rel_json, synced: Path) -> None:
    rel("edit", "bob", "--company", "Stone & Co", ok=True)
    rel("edit", "dana", "--title", "Special Agent", ok=True)
    result = sync(rel, synced)
    assert "2 written to the folder" in result.stderr
    assert "ORG:Stone & Co\r\n" in file_of(synced, "Bob Stone").read_bytes().decode()
    assert "TITLE:Special Agent\r\n" in (synced / KHARD_FILE).read_bytes().decode()


def test_properties_rel_does_not_manage_are_kept_byte_for_byte(rel, synced: Path) -> None:
    rel("edit", "dana", "--company", "Lone Gunmen", "--email", "dana@lonegunmen.example", ok=True)
    sync(rel, synced)
    data = (synced / KHARD_FILE).read_bytes().decode()
    for line in UNMANAGED:
        assert line + "\r\n" in data
    assert "ORG:Lone Gunmen\r\n" in data and "ORG:FBI" not in data
    # a property rel manages and did not change keeps its line, TYPE and all
    assert "TEL;TYPE=CELL:+1 202 555 0147\r\n" in data
    assert "EMAIL;TYPE=WORK:dana@fbi.example\r\n" in data
    assert "dana@lonegunmen.example" in data
    assert "BDAY:--0223\r\n" in data  # the same birthday: written the file's way still
    assert "NOTE" not in data  # the related name stays in its own property, not also a note
    assert data.index("UID:") < data.index("GEO:") < data.index("PHOTO") < data.index("END:VCARD")


def test_edits_to_different_fields_on_both_sides_are_merged(rel, rel_json, synced: Path) -> None:
    rel("edit", "alice", "--title", "CTO", ok=True)
    edit_file(file_of(synced, "Alice Chen"), "ORG:Acme", "ORG:Initech")
    result = sync(rel, synced)
    assert "conflict" not in result.stderr
    alice = rel_json("show", "alice")
    assert (alice["company"], alice["title"]) == ("Initech", "CTO")
    text = file_of(synced, "Alice Chen").read_bytes().decode()
    assert "ORG:Initech\r\n" in text and "TITLE:CTO\r\n" in text
    assert "nothing to do" in sync(rel, synced).stderr


def test_both_sides_adding_phones_keeps_both(rel, rel_json, synced: Path) -> None:
    rel("edit", "bob", "--phone", "+1 415 555 0101", ok=True)
    edit_file(
        file_of(synced, "Bob Stone"), "END:VCARD", "TEL;TYPE=HOME:+1 312 555 0102\r\nEND:VCARD"
    )
    assert "conflict" not in sync(rel, synced).stderr
    assert sorted(rel_json("show", "bob")["phones"]) == [
        "+1 202 555 0100", "+1 312 555 0102", "+1 415 555 0101",
    ]  # fmt: skip


def test_a_conflicting_edit_keeps_the_newer_and_the_other_in_the_notes(
    rel, rel_json, synced: Path
) -> None:
    rel("edit", "alice", "--company", "Umbrella", ok=True)
    edit_file(file_of(synced, "Alice Chen"), "ORG:Acme", "ORG:Globex", seconds_ago=3600)
    result = sync(rel, synced)
    assert "conflict: Alice Chen (company: kept 'Umbrella' from rel (newer)" in result.stderr
    assert "'Globex' from the file kept in the notes" in result.stderr
    alice = rel_json("show", "alice")
    assert alice["company"] == "Umbrella"
    assert "company in the file was: Globex" in alice["notes"]
    text = file_of(synced, "Alice Chen").read_bytes().decode()
    assert "ORG:Umbrella\r\n" in text and "Globex" in text  # in the NOTE
    assert "nothing to do" in sync(rel, synced).stderr


def test_a_newer_file_wins_a_conflict(rel, rel_json, synced: Path) -> None:
    rel("edit", "alice", "--company", "Umbrella", ok=True)
    edit_file(file_of(synced, "Alice Chen"), "ORG:Acme", "ORG:Globex", seconds_ago=-3600)
    result = sync(rel, synced)
    assert "kept 'Globex' from the file (newer)" in result.stderr
    alice = rel_json("show", "alice")
    assert alice["company"] == "Globex"
    assert "company in rel was: Umbrella" in alice["notes"]


def test_a_file_deleted_in_the_folder_deletes_the_contact(rel, rel_json, synced: Path) -> None:
    file_of(synced, "Bob Stone").unlink()
    result = sync(rel, synced)
    assert "1 deleted from rel" in result.stderr
    assert names(rel_json) == ["Alice Chen", "Dana Scully"]


def test_a_deleted_file_of_someone_with_a_history_archives_them(
    rel, rel_json, synced: Path
) -> None:
    rel("log", "bob", "call", ok=True)
    file_of(synced, "Bob Stone").unlink()
    assert "1 archived in rel" in sync(rel, synced).stderr
    assert rel_json("show", "bob")["archived"] is True
    assert "nothing to do" in sync(rel, synced).stderr  # not written again


def test_a_deleted_file_changed_in_rel_since_is_made_again(rel, rel_json, synced: Path) -> None:
    file_of(synced, "Bob Stone").unlink()
    rel("edit", "bob", "--title", "Plumber", ok=True)
    sync(rel, synced)
    assert "TITLE:Plumber" in file_of(synced, "Bob Stone").read_bytes().decode()
    assert "Bob Stone" in names(rel_json)


def test_a_contact_deleted_in_rel_deletes_its_file(rel, rel_json, synced: Path) -> None:
    path = file_of(synced, "Alice Chen")
    rel("rm", "alice", "--yes", ok=True)
    assert "1 deleted from the folder" in sync(rel, synced).stderr
    assert not path.exists()
    assert len(list(synced.glob("*.vcf"))) == 2


def test_a_contact_deleted_in_rel_whose_file_changed_comes_back(
    rel, rel_json, synced: Path
) -> None:
    rel("rm", "dana", "--yes", ok=True)
    edit_file(synced / KHARD_FILE, "ORG:FBI", "ORG:X-Files")
    sync(rel, synced)
    assert rel_json("show", "dana")["company"] == "X-Files"
    assert (synced / KHARD_FILE).exists()
    assert "nothing to do" in sync(rel, synced).stderr


def test_archiving_takes_the_card_out_of_the_folder_and_unarchiving_puts_it_back(
    rel, rel_json, synced: Path
) -> None:
    rel("archive", "bob", ok=True)
    assert "1 deleted from the folder" in sync(rel, synced).stderr
    assert not [p for p in synced.glob("*.vcf") if b"Bob Stone" in p.read_bytes()]
    rel("unarchive", "bob", ok=True)
    assert "1 written to the folder" in sync(rel, synced).stderr
    assert file_of(synced, "Bob Stone").exists()


def test_an_unreadable_file_is_skipped_named_and_kept(rel, rel_json, synced: Path) -> None:
    broken = synced / "broken.vcf"
    broken.write_bytes(b"this is no vCard at all\n")
    result = sync(rel, synced)
    assert "skip: broken.vcf (not read, left as it is" in result.stderr
    assert broken.read_bytes() == b"this is no vCard at all\n"
    # an unreadable file of a card synced before is neither deleted nor overwritten
    path = file_of(synced, "Alice Chen")
    path.write_bytes(path.read_bytes().replace(b"BEGIN:VCARD", b"BEGIN:VCRD"))
    damaged = path.read_bytes()
    rel("edit", "alice", "--title", "CTO", ok=True)
    result = sync(rel, synced)
    assert f"skip: {path.name}" in result.stderr
    assert path.read_bytes() == damaged
    assert "Alice Chen" in names(rel_json)


def test_dry_run_prints_the_plan_and_changes_nothing(rel, rel_json, synced: Path) -> None:
    rel("edit", "bob", "--company", "Stone & Co", ok=True)
    edit_file(file_of(synced, "Alice Chen"), "ORG:Acme", "ORG:Initech")
    (synced / file_of(synced, "Dana Scully").name).unlink()
    rel("add", "Carol King", ok=True)
    before_files = files(synced)
    before_rel = rel_json("list")
    result = sync(rel, synced, "--dry-run")
    plan = result.stdout.splitlines()
    assert "update rel: Alice Chen (company)" in plan
    assert any(line.startswith("write file: Bob Stone") for line in plan)
    assert "delete from rel: Dana Scully (its file was deleted)" in plan
    assert any(line.startswith("write file: Carol King") for line in plan)
    assert "dry run" in result.stderr
    assert files(synced) == before_files
    assert rel_json("list") == before_rel


def test_undo_takes_back_the_store_side_of_a_sync(rel, rel_json, synced: Path) -> None:
    edit_file(file_of(synced, "Alice Chen"), "ORG:Acme", "ORG:Initech")
    sync(rel, synced)
    assert rel_json("show", "alice")["company"] == "Initech"
    rel("undo", ok=True)
    assert rel_json("show", "alice")["company"] == "Acme"
    # the folder is left as it is: the next sync brings its version in again
    sync(rel, synced)
    assert rel_json("show", "alice")["company"] == "Initech"


def test_an_interrupted_sync_converges(rel, rel_json, book: Path, monkeypatch) -> None:
    import rel.formats.vdir as vdir

    for name in ("Alice Chen", "Bob Stone", "Carol King"):
        rel("add", name, "--email", f"{name.split()[0].lower()}@example.com", ok=True)
    written = []
    real_write = vdir.write_file

    def crash_after_two(folder, href, data):
        if len(written) == 2:
            raise KeyboardInterrupt  # killed between two files, before the store committed
        written.append(href)
        return real_write(folder, href, data)

    monkeypatch.setattr(vdir, "write_file", crash_after_two)
    result = sync(rel, book, ok=False)
    assert result.exit_code != 0
    assert len(list(book.glob("*.vcf"))) == 2
    monkeypatch.setattr(vdir, "write_file", real_write)
    sync(rel, book)
    assert names(rel_json) == ["Alice Chen", "Bob Stone", "Carol King"]
    assert len(list(book.glob("*.vcf"))) == 3
    assert not [p for p in book.iterdir() if p.name.startswith(".")]
    assert "nothing to do" in sync(rel, book).stderr


@pytest.mark.sqlite_only
def test_a_store_restored_from_json_links_the_folder_by_uid(rel, synced: Path, tmp_path) -> None:
    """The sync's memory is in the store; a store restored from rel's JSON has none, and
    finds each card again by the UID it kept (no duplicate, no new file)."""
    exported = rel("export", "json", ok=True).stdout
    (tmp_path / "network.json").write_text(exported)
    other = str(tmp_path / "restored.db")
    rel("--db", other, "import", "json", str(tmp_path / "network.json"), ok=True)
    before = files(synced)
    result = rel("--db", other, "sync", "vdir", str(synced), ok=True)
    assert "3 linked to a contact" in result.stderr
    assert "written" not in result.stderr and "added" not in result.stderr
    assert files(synced) == before
    listed = rel("--db", other, "list", "--json", ok=True).stdout
    assert listed.count('"name"') == 3


@pytest.mark.sqlite_only
def test_a_sync_killed_midway_loses_nothing_and_the_next_converges(
    rel, rel_json, book: Path, tmp_path: Path
) -> None:
    import signal
    import subprocess
    import sys

    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:person-{n}\r\nFN:Person {n}\r\n"
        f"EMAIL:person{n}@example.com\r\nEND:VCARD\r\n"
        for n in range(400)
    )
    (tmp_path / "people.vcf").write_text(cards)
    rel("import", "vcard", str(tmp_path / "people.vcf"), ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "rel", "sync", "vdir", str(book)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy(),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while len(list(book.glob("*.vcf"))) < 20 and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL  # killed midway, not finished
    assert 20 <= len(list(book.glob("*.vcf"))) < 400
    result = sync(rel, book)
    assert "added to rel" not in result.stderr  # the files it had written are theirs
    assert len(rel_json("list")) == 400
    written = list(book.glob("*.vcf"))
    assert sorted(p.name for p in written) == sorted(f"person-{n}.vcf" for n in range(400))
    assert not [p for p in book.iterdir() if p.name.startswith(".")]
    assert "nothing to do" in sync(rel, book).stderr


def test_json_says_what_was_done(rel, book: Path) -> None:
    import json

    rel("add", "Alice Chen", ok=True)
    document = json.loads(sync(rel, book, "--json").stdout)
    [action] = document["actions"]
    assert (action["action"], action["name"]) == ("write file", "Alice Chen")
    assert action["detail"].endswith(".vcf") and document["dry_run"] is False
    assert document["folder"] == str(book.resolve())


def test_a_uid_unsafe_in_a_file_name_gets_a_name_made_from_it(rel, book: Path, tmp_path) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:abc/12@google.com\r\nFN:Eve Moneypenny\r\nEND:VCARD\r\n"
    )
    (tmp_path / "eve.vcf").write_text(card)
    rel("import", "vcard", str(tmp_path / "eve.vcf"), ok=True)
    sync(rel, book)
    [path] = list(book.glob("*.vcf"))
    assert len(path.stem) == 40 and set(path.stem) <= set("0123456789abcdef")
    assert "UID:abc/12@google.com\r\n" in path.read_bytes().decode()


def test_a_file_is_not_a_folder(rel, tmp_path: Path) -> None:
    (tmp_path / "contacts.vcf").write_text("")
    result = sync(rel, tmp_path / "contacts.vcf", ok=False)
    assert result.exit_code == 1
    assert "expected a folder of .vcf files (a vdir)" in result.stderr


def test_the_three_way_merge_field_by_field() -> None:
    from rel.domain.cards import make_card, merge_cards

    base = make_card({"name": "A", "company": "Acme", "phones": ["1", "2"], "title": "CEO"})
    ours = make_card({**base, "company": "Umbrella", "phones": ["1", "2", "3"]})
    theirs = make_card({**base, "company": "Globex", "phones": ["2"], "title": "CTO"})
    merged = merge_cards(base, ours, theirs, ours_newer=False)
    assert merged.card["phones"] == ["2", "3"]  # 1 removed there, 3 added here
    assert merged.card["title"] == "CTO" and merged.card["company"] == "Globex"
    [conflict] = merged.conflicts
    assert (conflict.field, conflict.kept, conflict.lost, conflict.lost_side) == (
        "company", "Globex", "Umbrella", "rel",
    )  # fmt: skip


def test_patching_keeps_the_files_line_ends_and_folded_lines() -> None:
    from rel.formats.vdir import patch_card

    original = (
        b"BEGIN:VCARD\nVERSION:3.0\nUID:x\nFN:Ann Lee\nNOTE:a long note that was\n  folded\n"
        b"X-Y:z\nEND:VCARD\n"
    )
    new = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:Ann Lee\r\nTITLE:Boss\r\nEND:VCARD\r\n"
    assert patch_card(original, new) == (
        b"BEGIN:VCARD\nVERSION:3.0\nUID:x\nFN:Ann Lee\nX-Y:z\nTITLE:Boss\nEND:VCARD\n"
    )
    kept = "BEGIN:VCARD\r\nFN:Ann Lee\r\nNOTE:a long note that was  folded\r\nEND:VCARD\r\n"
    assert patch_card(original, kept) == original


def test_an_anniversary_goes_into_a_new_file_and_stays_in_a_rewritten_one(
    rel, rel_json, book: Path
) -> None:
    rel("add", "Carol King", ok=True)
    rel("event", "carol", "wedding", "--on", "2015-06-20", ok=True)
    sync(rel, book)
    path = file_of(book, "Carol King")
    assert "X-ANNIVERSARY:2015-06-20\r\n" in path.read_bytes().decode()
    rel("edit", "carol", "--title", "Singer", ok=True)
    sync(rel, book)
    text = path.read_bytes().decode()
    assert text.count("X-ANNIVERSARY") == 1 and "TITLE:Singer\r\n" in text
