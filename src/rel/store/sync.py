"""The state of `rel sync vdir` in the store: for each card of a vdir, what it was when last
synced (`sync_item`, migration 0011_vdir_sync). Typed functions over the named statements of
rel.store.queries.

The rows are written inside the command's transaction, so the undo journal records them with
the contacts they describe: `rel undo` after a sync puts back the store's side and the sync's
memory of it together (the files in the folder are not touched).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rel.store.queries import Store


@dataclass(frozen=True)
class SyncedCard:
    """A card as it was at the last sync: its UID, its file name in the folder, the UID of the
    contact it is, the SHA-256 of the file's bytes, and rel's managed content of it (JSON)."""

    uid: str
    href: str
    contact_uid: str | None
    file_hash: str
    base: str


def synced_cards(store: Store, folder: str) -> list[SyncedCard]:
    return [
        SyncedCard(row["uid"], row["href"], row["contact_uid"], row["file_hash"], row["base"])
        for row in store.mappings("sync_items", folder=folder)
    ]


def remember_card(store: Store, folder: str, card: SyncedCard, *, known: bool) -> None:
    """Keep `card` as the state of its UID in `folder` (`known`: a row is there already)."""
    values = {
        "href": card.href,
        "contact_uid": card.contact_uid,
        "file_hash": card.file_hash,
        "base": card.base,
    }
    if known:
        store.change("update_sync_item", key_folder=folder, key_uid=card.uid, **values)
    else:
        store.change("insert_sync_item", folder=folder, uid=card.uid, **values)


def forget_card(store: Store, folder: str, uid: str) -> None:
    store.change("delete_sync_item", key_folder=folder, key_uid=uid)


def has_history(store: Store, contact_id: int) -> bool:
    """Whether the contact has interactions, reminders, life events or gifts: what a card in
    an address book does not carry, and a deleted file must not take with it."""
    return bool(store.mappings("contact_history", id=contact_id)[0]["history"])


def contact_uid(store: Store, contact_id: int) -> str:
    return store.mappings("contact_uid", id=contact_id)[0]["uid"]
