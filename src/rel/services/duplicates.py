"""Likely duplicates: two records that are probably one person (`rel dupes`).

A pair is two contacts with the same name once case, accents, punctuation, titles (Dr, Ms,
Prof ...), suffixes (Jr, III, PhD ...) and middle names or initials are set aside ("Zoë A. Van
der Berg Jr." and "Zoe Van der Berg", as imports leave them), or a shared email (any case), or
a shared phone number (its digits, without the country code or the trunk 0, so "+44 20 7946
0958" is "020 7946 0958"; numbers with two different country codes are not paired). An email or
a number shared by more than three contacts is an office line or a team's address: no pair.

Every contact is given its keys once and grouped by them, so the work grows with the number of
contacts, not with its square: 10,000 contacts take a fraction of a second. Archived contacts
are included (an archived record and a fresh import of the same person are the commonest
duplicate there is); the merge brings the person back when either record is active.

Each record goes into the best record it shares a key with: the richer one, with more history
and details, then the older (WHO1 of `rel merge` keeps its name and values and writes WHO2's
differing ones into the notes, so keeping the richer record moves the least into the notes).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from rel.store import merging as stored

if TYPE_CHECKING:
    from rel.store.queries import Store

MIN_PHONE_DIGITS = 7  # shorter numbers are extensions and short codes
# an email or a phone number of more than this many contacts is an office line, a family's
# landline or a team's address, not one person
MAX_SHARING = 3


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLES = _word_set(
    "mr mrs ms miss mx dr prof professor sir dame madam madame mme mlle rev revd fr "
    "herr frau sr sra srta hon capt"
)
SUFFIXES = _word_set(
    "jr jnr sr snr ii iii iv phd md dds dvm esq mba cpa llm msc bsc obe mbe cbe kc qc"
)
# Suffixes and titles that are also names (Ma, Gen, Col ...) are left out of these lists.
# Words that start a family name: "Van der Berg" stays whole, a middle name before it goes.
PARTICLES = _word_set(
    "van von der den de del della da das dos du la le di ten ter bin ibn al el st ste"
)
# ITU country calling codes form a prefix code: 1 and 7 are one digit, these are two, the
# rest three
TWO_DIGIT_CODES = _word_set(
    "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 "
    "60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98"
)


_JOINING = re.compile(r"['’`-]")  # O'Brien = OBrien, Anne-Marie is one first name
_WORD = re.compile(r"[^\W_]+")
_EXTENSION = re.compile(r"(?i)\s*(?:x|ext\.?|extension)\s*\d")
_NOT_DIGIT = re.compile(r"\D")


def _words(text: str) -> list[str]:
    if text.isascii():
        bare = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _WORD.findall(_JOINING.sub("", bare))


def name_key(name: str) -> str | None:
    """The name as duplicates are compared: first name and family name, lower case, no accents,
    titles, suffixes or middle names. None when nothing is left."""
    text = name
    if "," in text:
        # "Van der Berg, Zoë" (family name first, as some address books export), unless what
        # follows the comma is a suffix
        # ("Zoe Van der Berg, PhD"), or what comes before it is a whole name with a title
        # ("Mr. John Richter, James Doe Sr." as some vCards write it)
        before, _, after = text.partition(",")
        after_words, before_words = _words(after), _words(before)
        if (
            after_words
            and not all(w in SUFFIXES for w in after_words)
            and not any(w in TITLES for w in before_words)
            and len(before_words) <= 3
        ):
            text = f"{after} {before}"
    words = _words(text)
    while len(words) > 1 and words[0] in TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    if not words:
        return None
    if len(words) == 1:
        return words[0]
    first, rest = words[0], words[1:]
    # the family name: from the first particle after the first name, else the last word
    start = next((i for i, w in enumerate(rest[:-1]) if w in PARTICLES), len(rest) - 1)
    return f"{first} {' '.join(rest[start:])}"


def phone_key(value: str) -> tuple[str | None, str] | None:
    """(country code or None when not written, the national number without its trunk 0)."""
    number = _EXTENSION.split(value, maxsplit=1)[0] if "x" in value.lower() else value
    digits = _NOT_DIGIT.sub("", number)
    country: str | None = None
    if number.strip().startswith("+") or digits.startswith("00"):
        digits = digits[2:] if digits.startswith("00") else digits
        size = 1 if digits[:1] in ("1", "7") else 2 if digits[:2] in TWO_DIGIT_CODES else 3
        country, digits = digits[:size], digits[size:]
    elif len(digits) == 11 and digits.startswith("1"):
        country, digits = "1", digits[1:]  # 1 555 010 0199, written without the +
    digits = digits.lstrip("0")
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    return country, digits


@dataclass(frozen=True)
class Record:
    id: int
    name: str
    archived: bool
    added_on: date
    richness: int  # interactions, touchpoints, events, gifts, handles, tags and filled fields


@dataclass
class DuplicatePair:
    keep: Record
    other: Record
    reasons: list[str] = field(default_factory=list)

    @property
    def command(self) -> str:
        return f"rel merge {self.keep.id} {self.other.id}"


def _better(a: Record, b: Record) -> bool:
    """Is `a` the record to keep rather than `b`? The richer, then the older."""
    return (-a.richness, a.added_on, a.id) < (-b.richness, b.added_on, b.id)


def find_duplicates(store: Store) -> list[DuplicatePair]:
    """Every likely duplicate pair, with its reasons, the record to keep first."""
    by_key: dict[tuple[str, Any], list[int]] = {}
    for contact in stored.everyone(store):
        key = name_key(contact.name)
        if key:
            by_key.setdefault(("name", key), []).append(contact.id)
    phones: dict[str, list[tuple[int, str | None, str]]] = {}
    for handle in stored.emails_and_phones(store):
        if handle.kind == "email":
            by_key.setdefault(("email", handle.search_value.lower()), []).append(handle.contact_id)
        elif found := phone_key(handle.value):
            country, national = found
            phones.setdefault(national, []).append((handle.contact_id, country, handle.value))

    # only the few contacts in a group are looked at closely
    candidates = {cid for ids in by_key.values() if len(ids) > 1 for cid in ids}
    candidates |= {cid for owners in phones.values() if len(owners) > 1 for cid, _, _ in owners}
    records = _records(store, sorted(candidates))
    # groups of contacts sharing a key, each with its reason
    groups: list[tuple[list[int], str]] = []
    for (kind, key), ids in by_key.items():
        unique = sorted(set(ids))
        if len(unique) > 1 and (kind == "name" or len(unique) <= MAX_SHARING):
            groups.append((unique, "same name" if kind == "name" else f"same email {key}"))
    for owners in phones.values():
        if len(owners) < 2:
            continue
        # numbers with different country codes are different numbers; one written without a
        # code goes with those that have the one code, and with nobody when there are several
        codes = {country for _, country, _ in owners if country}
        if len(codes) > 1:
            owners = [owner for owner in owners if owner[1]]
        for code in sorted(codes) or [None]:
            group = [(cid, value) for cid, country, value in owners if country in (code, None)]
            unique = sorted({cid for cid, _ in group})
            if 1 < len(unique) <= MAX_SHARING:
                groups.append((unique, f"same phone {group[0][1]}"))
    return _pairs(groups, records)


def _pairs(groups: list[tuple[list[int], str]], records: dict[int, Record]) -> list[DuplicatePair]:
    """Each record goes into the best record it shares a key with, if that one is better.

    Pairs are listed in an order they can be run in: when B is to go into A and C into B,
    `rel merge B C` comes before `rel merge A B`."""
    best_of: list[int] = []
    member_sets: list[set[int]] = []
    groups_of: dict[int, list[int]] = {}
    for index, (ids, _reason) in enumerate(groups):
        best = ids[0]
        for candidate in ids[1:]:
            if _better(records[candidate], records[best]):
                best = candidate
        best_of.append(best)
        member_sets.append(set(ids))
        for cid in ids:
            groups_of.setdefault(cid, []).append(index)
    into: dict[int, int] = {}
    for cid, indexes in groups_of.items():
        keep = cid
        for index in indexes:
            if _better(records[best_of[index]], records[keep]):
                keep = best_of[index]
        if keep != cid:
            into[cid] = keep

    def depth(cid: int) -> int:
        steps = 0
        while cid in into:
            cid, steps = into[cid], steps + 1
        return steps

    pairs = []
    for cid, keep in into.items():
        reasons = [groups[i][1] for i in groups_of[cid] if keep in member_sets[i]]
        pairs.append(DuplicatePair(records[keep], records[cid], list(dict.fromkeys(reasons))))
    return sorted(
        pairs, key=lambda p: (-depth(p.keep.id), p.keep.name.casefold(), p.keep.id, p.other.id)
    )


def _records(store: Store, ids: list[int]) -> dict[int, Record]:
    """The contacts `ids` with how much each record holds: its interactions, touchpoints,
    events, gifts, handles, tags and filled-in details (rel.domain.fields, birthday, cadence)."""
    records = {}
    for contact_id, held in stored.holdings(store, ids).items():
        richness = held.rows + sum(1 for value in held.details if value)
        records[contact_id] = Record(contact_id, held.name, held.archived, held.added_on, richness)
    return records


def duplicates_json(pairs: list[DuplicatePair]) -> dict[str, Any]:
    def record(r: Record) -> dict[str, Any]:
        return {"id": r.id, "name": r.name, "archived": r.archived, "added_on": r.added_on}

    return {
        "pairs": [
            {
                "keep": record(p.keep),
                "other": record(p.other),
                "reasons": p.reasons,
                "command": p.command,
            }
            for p in pairs
        ]
    }
