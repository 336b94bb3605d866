"""A contact's card as a two-way sync compares it: the fields rel manages in a vCard, and the
three-way merge of two versions of it against the one they both came from.

A card is a plain dict (it is kept as JSON in the store, as the base of the next merge):
scalar fields (`SCALARS`: the name, company, title, met, notes, birthday, cadence) hold a
string or None; list fields (`LISTS`: aliases, emails, phones, links, tags) hold strings in
their order. Pure data: no I/O, no SQL.

The merge, field by field (`merge_cards`):
- a field the same on both sides, or changed on one side only, takes that side's value;
- a list changed on both sides is merged value by value: what either side added is added, what
  either side removed is removed (two people adding different phones is not a conflict);
- a scalar changed on both sides to different values is a conflict: the newer side's value is
  kept and the other is reported in a `Conflict`, for the caller to keep (rel puts it in the
  contact's notes) and to say; nothing is dropped silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

SCALARS = ("name", "company", "title", "met", "notes", "birthday", "cadence")
LISTS = ("aliases", "emails", "phones", "links", "tags")
FIELDS = SCALARS + LISTS

Card = dict[str, Any]

# what each field is called when a conflict is reported
WORDS = {
    "name": "name", "company": "company", "title": "title", "met": "met", "notes": "notes",
    "birthday": "birthday", "cadence": "cadence", "aliases": "nicknames", "emails": "emails",
    "phones": "phones", "links": "links", "tags": "tags",
}  # fmt: skip


def empty_card() -> Card:
    """The base of two cards that were never synced: every field empty."""
    return {name: ([] if name in LISTS else None) for name in FIELDS}


def make_card(values: dict[str, Any]) -> Card:
    """A card of `values` (extra keys ignored, missing ones empty), lists without repeats."""
    card = empty_card()
    for name in SCALARS:
        value = values.get(name)
        card[name] = str(value) if value not in (None, "") else None
    for name in LISTS:
        card[name] = list(dict.fromkeys(str(v) for v in values.get(name) or ()))
    return card


def dump_card(card: Card) -> str:
    return json.dumps(card, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def load_card(text: str) -> Card:
    return make_card(json.loads(text))


@dataclass(frozen=True)
class Conflict:
    """A field both sides changed to different values: `kept` won, `lost` is the other's."""

    field: str
    kept: str
    lost: str
    lost_side: str  # "rel" or "file"


@dataclass(frozen=True)
class Merged:
    card: Card
    conflicts: tuple[Conflict, ...]


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value) if value else "(none)"
    return value if value is not None else "(none)"


def merge_cards(base: Card, ours: Card, theirs: Card, *, ours_newer: bool) -> Merged:
    """Merge `ours` (rel's) and `theirs` (the file's), both changed from `base`, field by
    field; where both changed a scalar differently, the newer side (`ours_newer`) wins."""
    merged = empty_card()
    conflicts: list[Conflict] = []
    for name in FIELDS:
        was, mine, other = base.get(name), ours.get(name), theirs.get(name)
        if mine == other or other == was:
            merged[name] = mine
        elif mine == was:
            merged[name] = other
        elif name in LISTS:
            merged[name] = _merge_lists(was or [], mine or [], other or [])
        else:
            winner, loser = (mine, other) if ours_newer else (other, mine)
            merged[name] = winner
            if loser is not None:
                conflicts.append(
                    Conflict(name, _shown(winner), _shown(loser), "file" if ours_newer else "rel")
                )
    return Merged(merged, tuple(conflicts))


def _merge_lists(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    removed = (set(base) - set(ours)) | (set(base) - set(theirs))
    added = [value for value in theirs if value not in base and value not in ours]
    return [value for value in ours if value not in removed] + added
