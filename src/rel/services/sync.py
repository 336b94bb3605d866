"""`rel sync vdir DIR`: a two-way sync between rel's contacts and a vdir (one `UID.vcf` per
contact, as khard and vdirsyncer's filesystem storage keep them).

Like vdirsyncer, the sync keeps a status per item (rel.store.sync: the card's UID, its file
name, the SHA-256 of the file and rel's managed content of the card as last synced: the base),
and decides by UID, comparing each side with that base:

- a file with a UID never synced is brought in through the import's matching (rel.services.
  importing.merging): a card of someone rel has (same email, phone, or name) is linked to them,
  else a contact is added. Both are then merged as two sides of an empty base, so a value only
  one side has is taken, and two different values are a conflict (below);
- a contact rel has that the folder lacks (and was never synced there) gets a `UID.vcf`;
- changed only in the folder: rel is updated; only in rel: the file is rewritten; on both:
  merged field by field (rel.domain.cards.merge_cards); where both changed the same field,
  the newer side wins (the file's time against the contact's last change), and the other
  value is added to the contact's notes ("Sync conflict …") and reported;
- deleted on one side: deleted on the other when that one did not change since, else the
  changed side wins and the deleted one is made again. A contact with a history (interactions,
  reminders, life events, gifts) whose file was deleted is archived rather than deleted;
- archived contacts are not in the folder: archiving a contact removes their file (when it did
  not change), a file changed since brings them back (unarchived), unarchiving writes it again;
- a file that cannot be read is skipped, said on stderr, and never deleted nor overwritten.

The files are written before the store's transaction commits: a sync killed at any point
leaves the store as it was before the sync and files that are either as they were or as the
sync wrote them (each written whole, rel.formats.vdir), and the next sync finds those files
changed since its base and converges. `rel undo` takes back the store's side of a sync (the
contacts and the sync state together); the folder is left as it is, so the next sync brings
the folder's version in again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rel.domain.cards import (
    LISTS,
    WORDS,
    Card,
    Conflict,
    dump_card,
    empty_card,
    load_card,
    make_card,
    merge_cards,
)
from rel.errors import BadValue, RelError

if TYPE_CHECKING:
    from rel.formats.records import ParsedContact
    from rel.formats.vdir import CardFile
    from rel.store.queries import Store
    from rel.store.sync import SyncedCard

HANDLE_KINDS = (("aliases", "alias"), ("emails", "email"), ("phones", "phone"), ("links", "link"))


@dataclass(frozen=True)
class Action:
    """One thing the sync does (or would do): `add to rel`, `link`, `update rel`,
    `write file`, `delete file`, `delete from rel`, `archive in rel`, `conflict`, `skip`."""

    verb: str
    name: str
    detail: str = ""

    def line(self) -> str:
        return f"{self.verb}: {self.name}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class SyncReport:
    folder: str
    dry_run: bool
    actions: list[Action] = field(default_factory=list)

    def add(self, verb: str, name: str, detail: str = "") -> None:
        self.actions.append(Action(verb, name, detail))

    def count(self, verb: str) -> int:
        return sum(1 for action in self.actions if action.verb == verb)

    @property
    def warnings(self) -> list[str]:
        """The lines said on stderr whatever happens: unreadable files, conflicts."""
        return [a.line() for a in self.actions if a.verb in ("skip", "conflict")]

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        counts = [
            (self.count("add to rel"), f"{verb}added to rel"),
            (self.count("link"), f"{verb}linked to a contact"),
            (self.count("update rel"), f"{verb}updated in rel"),
            (self.count("write file"), f"{verb}written to the folder"),
            (self.count("delete file"), f"{verb}deleted from the folder"),
            (self.count("delete from rel"), f"{verb}deleted from rel"),
            (self.count("archive in rel"), f"{verb}archived in rel"),
            (self.count("conflict"), "conflicts (the other values are in the notes)"),
            (self.count("skip"), "files skipped"),
        ]
        parts = ", ".join(f"{count} {what}" for count, what in counts if count)
        head = f"{'dry run of the ' if self.dry_run else ''}sync with {self.folder}"
        return f"{head}: {parts or 'nothing to do, both sides agree'}"

    def as_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "dry_run": self.dry_run,
            "actions": [
                {"action": a.verb, "name": a.name, "detail": a.detail} for a in self.actions
            ],
        }


# --- the two sides as cards -----------------------------------------------------------------


def card_of_contact(contact: dict[str, Any]) -> Card:
    """A contact of rel.services.network.dump_network as a card."""
    return make_card(contact)


def card_of_parsed(record: ParsedContact) -> Card:
    """A card read from a file, as rel would store it. Its anniversary is not part of it: rel
    keeps one as a life event (an import makes it; see docs/sync.md)."""
    return make_card(
        {
            "name": record.name,
            **record.texts,
            "notes": record.notes,
            "birthday": str(record.birthday) if record.birthday else None,
            "cadence": str(record.cadence) if record.cadence else None,
            "aliases": record.aliases,
            "emails": record.emails,
            "phones": record.phones,
            "links": record.links,
            "tags": record.tags,
        }
    )


def same_card(one: Card, other: Card) -> bool:
    """Whether two cards say the same (lists in any order)."""
    for name, value in one.items():
        theirs = other.get(name)
        if name in LISTS:
            if sorted(value or []) != sorted(theirs or []):
                return False
        elif value != theirs:
            return False
    return True


def _stored_card(store: Store, contact_id: int) -> Card | None:
    """The contact's card as the store has it now (after the sync changed it)."""
    from rel.store.contacts import contact_handles, contact_record, tags_of_contact

    record = contact_record(store, contact_id)
    if record is None:
        return None
    handles = contact_handles(store, contact_id).handles
    values: dict[str, Any] = {
        "name": record.name,
        **record.texts,
        "birthday": str(record.birthday) if record.birthday else None,
        "cadence": record.cadence,
        "tags": tags_of_contact(store, contact_id),
    }
    for attribute, kind in HANDLE_KINDS:
        values[attribute] = [h.value for h in handles if h.kind == kind]
    return make_card(values)


@dataclass
class _File:
    """A file of the folder with the card read from it (None: unreadable)."""

    file: CardFile
    uid: str
    card: Card | None = None
    parsed: ParsedContact | None = None


def _read(found: CardFile, today: date) -> tuple[_File | None, str | None]:
    """The file with its card, or (None, why it cannot be read)."""
    from rel.formats.records import Skipped
    from rel.formats.vcard import read_vcards

    try:
        records = read_vcards(found.data)
    except RelError as error:
        return None, error.message
    items = list(records.items)
    if len(items) != 1:
        return None, f"it holds {len(items)} cards; a vdir file holds one"
    [item] = items
    if isinstance(item, Skipped):
        return None, item.reason
    item.keep_past(today)
    uid = found.uid or found.href.rsplit(".", 1)[0]
    return _File(found, uid, card_of_parsed(item), item), None


# --- the sync -------------------------------------------------------------------------------


class _Sync:
    def __init__(
        self, store: Store, folder: Path, *, today: date, now: datetime, dry_run: bool
    ) -> None:
        self.store = store
        self.folder = folder
        self.key = str(folder)
        self.today = today
        self.now = now
        self.dry_run = dry_run
        self.report = SyncReport(str(folder), dry_run)
        self.uids: dict[int, str] = {}
        self.labels: dict[int, dict[str, str]] = {}  # TYPEs of emails and phones (CELL ...)
        self.anniversaries: dict[int, Any] = {}  # a new file's X-ANNIVERSARY (a life event's)

    # --- writing one side or the other (nothing in a dry run) ------------------------------

    def write(self, href: str, data: bytes) -> str:
        from rel.formats.vdir import digest, write_file

        if self.dry_run:
            return digest(data)
        return write_file(self.folder, href, data)

    def remember(self, uid: str, href: str, contact_id: int | None, digest: str, card: Card, *,
                 known: bool) -> None:  # fmt: skip
        from rel.store.sync import SyncedCard, remember_card

        if not self.dry_run:
            synced = SyncedCard(uid, href, self.uid_of(contact_id), digest, dump_card(card))
            remember_card(self.store, self.key, synced, known=known)

    def forget(self, uid: str) -> None:
        from rel.store.sync import forget_card

        if not self.dry_run:
            forget_card(self.store, self.key, uid)

    def uid_of(self, contact_id: int | None) -> str | None:
        """The UID of the contact (the sync state names contacts by UID: a row id may be
        given again to the next contact added once its contact is deleted)."""
        from rel.store.sync import contact_uid

        if contact_id is None:
            return None
        if contact_id not in self.uids:
            self.uids[contact_id] = contact_uid(self.store, contact_id)
        return self.uids[contact_id]

    def update_rel(
        self, contact_id: int, card: Card, *, archived: bool | None = None,
        found: _File | None = None,
    ) -> Card:  # fmt: skip
        """Make the contact say `card` (and be `archived` or not); the card as stored. The
        emails and phones `found` brings keep their TYPEs."""
        if self.dry_run:
            return card
        labels = found.parsed.labels if found is not None and found.parsed is not None else {}
        self.labels[contact_id] = {**self.labels.get(contact_id, {}), **labels}
        _apply_card(self.store, contact_id, card, now=self.now, archived=archived, labels=labels)
        return _stored_card(self.store, contact_id) or card

    def file_bytes(
        self, card: Card, uid: str, original: bytes | None, contact_id: int | None = None
    ) -> bytes:
        from rel.formats.vdir import patch_card, swap_property
        from rel.services.exports import vcard_of

        extra = {
            "labels": self.labels.get(contact_id or 0, {}),
            "anniversary": self.anniversaries.get(contact_id or 0),
        }
        data = vcard_of({**card, **extra}, uid).encode("utf-8")
        if original is None:
            return data
        own = _notes_of_note(card["notes"], original)
        if own != card["notes"]:  # the NOTE without what the others say
            note = vcard_of({**card, **extra, "notes": own}, uid).encode("utf-8")
            data = swap_property(data, "NOTE", note)
        return patch_card(original, data.decode("utf-8"))

    def merge(
        self, base: Card, ours: Card, theirs: Card, *, rel_changed_at: datetime | None,
        file_changed_at: datetime, name: str,
    ) -> Card:  # fmt: skip
        """The merged card, with every conflict's losing value added to its notes and
        reported."""
        ours_newer = rel_changed_at is not None and rel_changed_at > file_changed_at
        merged = merge_cards(base, ours, theirs, ours_newer=ours_newer)
        card = merged.card
        for conflict in merged.conflicts:
            card = dict(card, notes=_noted(card["notes"], conflict, self.today))
            self.report.add(
                "conflict",
                name,
                f"{WORDS[conflict.field]}: kept {_short(conflict.kept)} from "
                f"{'rel' if conflict.lost_side == 'file' else 'the file'} (newer); "
                f"{_short(conflict.lost)} from {_side(conflict.lost_side)} kept in the notes",
            )
        return card

    # --- the run ----------------------------------------------------------------------------

    def run(self) -> SyncReport:
        from rel.formats.vdir import read_folder
        from rel.services.exports import exported_contacts
        from rel.store.sync import synced_cards

        items = {card.uid: card for card in synced_cards(self.store, self.key)}
        files: dict[str, _File] = {}
        unreadable: set[str] = set()
        for found in read_folder(self.folder, tidy=not self.dry_run):
            known = items.get(found.uid or "")
            if known is not None and known.file_hash == found.digest:
                item: _File | None = _File(found, known.uid, load_card(known.base))  # unchanged
            else:
                item, why = _read(found, self.today)
            if item is None:
                self.report.add("skip", found.href, f"not read, left as it is: {why}")
                if found.uid:
                    unreadable.add(found.uid)
                continue
            if item.uid in files:
                self.report.add(
                    "skip", found.href, f"same UID as {files[item.uid].file.href}, left as it is"
                )
                continue
            files[item.uid] = item
        contacts = {c["id"]: c for c in exported_contacts(self.store)}
        self.uids = {c["id"]: c["uid"] for c in contacts.values()}
        self.labels = {c["id"]: c.get("labels", {}) for c in contacts.values()}
        self.anniversaries = {c["id"]: c.get("anniversary") for c in contacts.values()}
        by_uid = {c["uid"]: c for c in contacts.values()}
        taken: set[int] = set()
        for uid, synced in items.items():
            contact = by_uid.get(synced.contact_uid or "")
            if contact is not None:
                taken.add(contact["id"])
            if uid in unreadable:
                continue  # never deleted, never overwritten: the file is the user's to mend
            self.synced(synced, files.get(uid), contact)
        new_files = [f for uid, f in files.items() if uid not in items]
        taken |= self.bring_in(new_files, contacts, taken)
        for contact in contacts.values():
            if contact["id"] not in taken and not contact["archived"]:
                self.write_new(contact)
        return self.report

    def synced(self, synced: SyncedCard, found: _File | None, contact: dict | None) -> None:
        """A card synced before: what changed on each side since."""
        base = load_card(synced.base)
        uid = synced.uid
        present = contact is not None and not contact["archived"]
        if found is None and not present:
            self.forget(uid)  # gone from both sides
            return
        if found is None:
            assert contact is not None
            ours = card_of_contact(contact)
            if not same_card(ours, base):  # changed in rel: made again in the folder
                data = self.file_bytes(ours, uid, None, contact["id"])
                self.report.add("write file", ours["name"], f"{synced.href}: deleted in the "
                                "folder but changed in rel since")  # fmt: skip
                digest = self.write(synced.href, data)
                self.remember(uid, synced.href, contact["id"], digest, ours, known=True)
                return
            self.delete_from_rel(contact)
            self.forget(uid)
            return
        assert found.card is not None
        file_changed = found.file.digest != synced.file_hash
        if not present:
            if not file_changed:
                why = "archived in rel" if contact is not None else "deleted in rel"
                self.report.add("delete file", base["name"] or uid, f"{found.file.href}: {why}")
                if not self.dry_run:
                    from rel.formats.vdir import delete_file

                    delete_file(self.folder, found.file.href)
                self.forget(uid)
                return
            if contact is not None:  # archived, and changed in the folder since: back
                merged = self.merge(
                    base, card_of_contact(contact), found.card, rel_changed_at=None,
                    file_changed_at=found.file.modified, name=found.card["name"],
                )  # fmt: skip
                self.report.add("update rel", merged["name"], "unarchived: changed in the folder")
                stored = self.update_rel(contact["id"], merged, archived=False, found=found)
                self.finish(uid, found, contact["id"], stored, known=True)
                return
            self.add_to_rel([found], known={uid})  # deleted in rel, changed in the folder
            return
        assert contact is not None
        ours = card_of_contact(contact)
        rel_changed = not same_card(ours, base)
        if not file_changed and not rel_changed:
            if found.file.href != synced.href:
                self.remember(uid, found.file.href, contact["id"], synced.file_hash, base,
                              known=True)  # fmt: skip
            return
        theirs = found.card if file_changed else base
        merged = self.merge(
            base, ours, theirs, rel_changed_at=_when(contact["updated_at"]),
            file_changed_at=found.file.modified, name=ours["name"],
        )  # fmt: skip
        stored = ours
        if not same_card(merged, ours):
            self.report.add("update rel", merged["name"], _changes(ours, merged))
            stored = self.update_rel(contact["id"], merged, found=found)
        self.finish(uid, found, contact["id"], stored, known=True)

    def finish(self, uid: str, found: _File, contact_id: int, card: Card, *, known: bool) -> None:
        """Rewrite the file when it does not say `card`; remember both sides as synced."""
        assert found.card is not None
        digest = found.file.digest
        if not same_card(card, found.card):
            data = self.file_bytes(card, uid, found.file.data, contact_id)
            self.report.add("write file", card["name"], f"{found.file.href}: " + _changes(
                found.card, card))  # fmt: skip
            digest = self.write(found.file.href, data)
        self.remember(uid, found.file.href, contact_id, digest, card, known=known)

    def delete_from_rel(self, contact: dict[str, Any]) -> None:
        from rel.store.contacts import contact_record, remove_contact, update_contact
        from rel.store.sync import has_history

        if has_history(self.store, contact["id"]):
            self.report.add(
                "archive in rel", contact["name"],
                "its file was deleted; archived, not deleted: it has a history in rel",
            )  # fmt: skip
            if not self.dry_run:
                record = contact_record(self.store, contact["id"])
                assert record is not None
                update_contact(self.store, replace(record, archived=True), now=self.now)
            return
        self.report.add("delete from rel", contact["name"], "its file was deleted")
        if not self.dry_run:
            remove_contact(self.store, contact["id"])

    def bring_in(
        self, new_files: list[_File], contacts: dict[int, dict[str, Any]], taken: set[int]
    ) -> set[int]:
        """Files with a UID never synced: linked to the contact of that UID, else to the one
        the import's matching finds, else added. The ids of the contacts linked."""
        by_uid = {c["uid"]: c for c in contacts.values() if c.get("uid") and c["id"] not in taken}
        linked: set[int] = set()
        rest = []
        for found in new_files:
            contact = by_uid.pop(found.uid, None)
            if contact is None:
                rest.append(found)
                continue
            assert found.card is not None
            self.report.add("link", found.card["name"], f"{found.file.href}: same UID")
            linked.add(contact["id"])
            if not self.dry_run:
                self.link(found, contact["id"], contact, merge=True, known=False)
        if rest:
            linked |= self.add_to_rel(rest, known=set(), contacts=contacts)
        return linked

    def add_to_rel(
        self, new_files: list[_File], *, known: set[str],
        contacts: dict[int, dict[str, Any]] | None = None,
    ) -> set[int]:  # fmt: skip
        """Bring these files in through the import's matching; the ids of the contacts they
        went into. `known`: UIDs that have a sync state already (updated, not inserted)."""
        from rel.formats.records import Records
        from rel.services.importing import import_contacts

        by_place: dict[str, _File] = {}
        records = []
        for found in new_files:
            assert found.parsed is not None
            record = replace(found.parsed, place=found.file.href, document_id=found.uid)
            by_place[found.file.href] = found
            records.append(record)
        report, _ = import_contacts(
            self.store, Records(len(records), iter(records), "vCard"), today=self.today,
            now=self.now, dry_run=self.dry_run,
        )  # fmt: skip
        entries = report.entries_by_document_id
        contacts = contacts or {}
        linked: set[int] = set()
        for outcome in report.outcomes:
            found = by_place[outcome.place]
            assert found.card is not None
            if outcome.action == "skip":
                self.report.add("skip", found.file.href, "; ".join(outcome.details))
                continue
            entry = entries.get(found.uid)
            if outcome.action == "add":
                self.report.add("add to rel", found.card["name"], found.file.href)
            else:
                self.report.add("link", found.card["name"], f"{found.file.href} is {outcome.into}")
            if entry is None or entry.id is None:
                continue  # added, in a dry run
            linked.add(entry.id)
            if not self.dry_run:
                self.link(
                    found, entry.id, contacts.get(entry.id), merge=outcome.action != "add",
                    known=found.uid in known,
                )  # fmt: skip
        return linked

    def link(
        self, found: _File, contact_id: int, before: dict[str, Any] | None, *, merge: bool,
        known: bool,
    ) -> None:  # fmt: skip
        """Make the file and the contact it is one synced card. `merge`: someone rel had, so
        both sides are merged as changes from an empty base (and an archived one comes back)."""
        assert found.card is not None
        stored = _stored_card(self.store, contact_id)
        assert stored is not None
        card = stored
        if merge:
            card = self.merge(
                empty_card(), stored, found.card,
                rel_changed_at=_when(before["updated_at"]) if before else None,
                file_changed_at=found.file.modified, name=stored["name"],
            )  # fmt: skip
            if not same_card(card, stored):
                self.report.add("update rel", card["name"], _changes(stored, card))
                card = self.update_rel(contact_id, card, archived=False, found=found)
            elif before is not None and before["archived"]:
                card = self.update_rel(contact_id, card, archived=False)
        self.finish(found.uid, found, contact_id, card, known=known)

    def write_new(self, contact: dict[str, Any]) -> None:
        """A contact the folder never had: its `UID.vcf`."""
        from rel.formats.vdir import href_for
        from rel.services.exports import item_uid

        uid = item_uid(contact["uid"])  # the UID `rel export vcard` gives the card
        href = href_for(uid)
        if (self.folder / href).exists():  # a name taken by a card of another UID
            uid = str(uuid.uuid4())
            href = href_for(uid)
        card = card_of_contact(contact)
        self.report.add("write file", card["name"], href)
        digest = self.write(href, self.file_bytes(card, uid, None, contact["id"]))
        self.remember(uid, href, contact["id"], digest, card, known=False)


def sync_vdir(
    store: Store, folder: Path, *, today: date, now: datetime, dry_run: bool = False
) -> SyncReport:
    """Sync the contacts of the store (opened with the ORM: new cards are imported in bulk)
    with the vdir `folder`, in the caller's transaction; what was done (or, in a dry run,
    would be)."""
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise BadValue(f"expected a folder of .vcf files (a vdir); {folder} is a file")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise BadValue(f"expected a folder in an existing one; {folder.parent} does not exist")
        if not dry_run:
            folder.mkdir(mode=0o700)
    folder = folder.resolve()
    return _Sync(store, folder, today=today, now=now, dry_run=dry_run).run()


# --- applying a card to a contact -----------------------------------------------------------


def _apply_card(
    store: Store, contact_id: int, card: Card, *, now: datetime, archived: bool | None,
    labels: dict[str, str],
) -> None:  # fmt: skip
    from rel.domain.dates import parse_birthday
    from rel.domain.values import search_value
    from rel.store.contacts import (
        contact_handles,
        contact_record,
        delete_handle,
        insert_handle,
        insert_tag,
        tag_contact,
        tag_named,
        tags_of_contact,
        untag_contact,
        update_contact,
    )

    record = contact_record(store, contact_id)
    assert record is not None
    texts = {name: card.get(name) for name in record.texts}
    birthday = parse_birthday(card["birthday"]) if card["birthday"] else None
    changed = replace(
        record,
        name=card["name"] or record.name,
        texts=texts,
        birthday=birthday,
        cadence=card["cadence"],
        archived=record.archived if archived is None else archived,
    )
    if changed != record:
        update_contact(store, changed, now=now)
    handles = contact_handles(store, contact_id)
    position = handles.next_position
    for attribute, kind in HANDLE_KINDS:
        wanted = card[attribute]
        have = [h for h in handles.handles if h.kind == kind]
        for handle in have:
            if handle.value not in wanted:
                delete_handle(store, handle.id)
        values = {h.value for h in have}
        for value in wanted:
            if value not in values:
                insert_handle(
                    store, contact_id, kind, value, search_value(kind, value), position,
                    labels.get(value),
                )  # fmt: skip
                position += 1
    tags = set(tags_of_contact(store, contact_id))
    for name in tags - set(card["tags"]):
        tag = tag_named(store, name)
        if tag is not None:
            untag_contact(store, contact_id, tag)
    for name in card["tags"]:
        if name not in tags:
            tag = tag_named(store, name) or insert_tag(store, name)
            tag_contact(store, contact_id, tag)


# --- the notes a file's other properties give --------------------------------------------------


def _notes_of_note(notes: str | None, original: bytes) -> str | None:
    """The part of `notes` the file's NOTE says: without the paragraph its other properties
    give when read (`X-ABRELATEDNAMES` makes "Partner: Fox Mulder"), which stays theirs and is
    not written into a NOTE as well."""
    from rel.formats.records import ParsedContact
    from rel.formats.vcard import read_vcards
    from rel.formats.vdir import without

    if not notes:
        return notes
    try:
        [parsed] = list(read_vcards(without(original, {"NOTE"})).items)
    except (RelError, ValueError):
        return notes
    derived = parsed.notes if isinstance(parsed, ParsedContact) else None
    if not derived:
        return notes
    paragraphs = notes.split("\n\n")
    if derived not in paragraphs:
        return notes
    paragraphs.remove(derived)
    return "\n\n".join(paragraphs) or None


# --- words ----------------------------------------------------------------------------------


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _side(side: str) -> str:
    return "rel" if side == "rel" else "the file"


def _short(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


def _noted(notes: str | None, conflict: Conflict, today: date) -> str:
    """The notes with the value a conflict lost added at their end."""
    line = (
        f"Sync conflict {today.isoformat()}: {WORDS[conflict.field]} in "
        f"{_side(conflict.lost_side)} was: {conflict.lost}"
    )
    return f"{notes}\n\n{line}" if notes else line


def _changes(before: Card, after: Card) -> str:
    """Which fields differ, in words: "company, emails"."""
    names = [WORDS[n] for n in before if not same_card({n: before[n]}, {n: after.get(n)})]
    return ", ".join(names) or "unchanged"
