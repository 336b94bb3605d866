"""WHO: finding the contact a person means from what they typed.

In order: an id (`12` or `#12`), an email, a full name, an alias, then any unique part of a
name or alias. Matching ignores case and accents ("jose" finds "José"). More than one match
raises `Ambiguous` listing the candidates; none raises `NotFound` with the closest names.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TYPE_CHECKING, Any, NamedTuple

from rel.errors import Ambiguous, NotFound, shown

if TYPE_CHECKING:
    from sqlmodel import Session

    from rel.store.models import Contact

CANDIDATES_SHOWN = 8
# Nothing WHO can match is longer: an email has at most 320 characters, a name or an alias 200.
LONGEST_WHO = 320


def fold(text: str) -> str:
    """Text as WHO lookups compare it: accents removed, case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def search_value(kind: str, value: str) -> str:
    """The form of a handle that lookups compare: an email in lower case, a phone's digits."""
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        return ("+" if value.strip().startswith("+") else "") + digits
    if kind == "email":
        return value.strip().lower()
    return fold(value)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _words_match(query_words: list[str], name: str) -> bool:
    """Every word typed starts a word of the name, in order: "a chen" finds "Alice Chen"."""
    name_words = name.split()
    position = 0
    for word in query_words:
        while position < len(name_words) and not name_words[position].startswith(word):
            position += 1
        if position == len(name_words):
            return False
        position += 1
    return True


def describe(contact: Contact | Person) -> str:
    return f"{contact.name} (#{contact.id})"


class Person(NamedTuple):
    """A contact as WHO finds it: enough to name them and to act on them (a named tuple:
    one-sentence logging makes one of every contact, fast)."""

    id: int
    name: str
    search_name: str


def resolve(session: Session, who: str) -> Contact:
    """The one contact `who` names, or NotFound / Ambiguous."""
    from rel.store.models import Contact

    contact = session.get(Contact, find(session, who).id)
    assert contact is not None
    return contact


def find(source: Any, who: str) -> Person:
    """The one contact `who` names, or NotFound / Ambiguous; `source` is a session or a
    Reader of rel.store.queries (the same SQL on the standard library's sqlite3)."""
    from rel.store.queries import as_reader

    reader = as_reader(source)
    text = who.strip()
    query = fold(text)
    if not query:
        raise NotFound("expected a contact: an id, a name, an alias or an email; got nothing")
    if len(text) > LONGEST_WHO:
        raise NotFound(
            f"no contact matches {shown(text)}: names, aliases and emails are at most "
            f"{LONGEST_WHO} characters"
        )
    if re.fullmatch(r"#?\d{1,18}", text):
        found = reader.rows("person_by_id", id=int(text.lstrip("#")))
        if not found:
            raise NotFound(f"no contact has the id {text.lstrip('#')} (rel list shows the ids)")
        return Person(*found[0][:3])

    def one_of(rows: list[tuple], what: str) -> Person | None:
        unique = {row[0]: Person(*row[:3]) for row in rows}
        if len(unique) == 1:
            return next(iter(unique.values()))
        if len(unique) > 1:
            raise _ambiguous(who, list(unique.values()), what)
        return None

    if "@" in text:
        by_email = reader.rows("people_by_email", value=search_value("email", text))
        if found_by_email := one_of(by_email, "that email"):
            return found_by_email
    if found_by_name := one_of(reader.rows("people_named", name=query), "that name"):
        return found_by_name
    if found_by_alias := one_of(reader.rows("people_by_alias", value=query), "that alias"):
        return found_by_alias

    # Any unique part: words that start words of the name or an alias ("a chen") come first;
    # only when there are none does a piece inside a word count ("ice" finds "Alice").
    words = query.split()
    first_word = _like_pattern(words[0])
    known_as = [
        (Person(*row[:3]), row[2]) for row in reader.rows("people_named_like", pattern=first_word)
    ] + [
        (Person(*row[:3]), row[3])
        for row in reader.rows("people_by_alias_like", pattern=first_word)
    ]
    matches = {p.id: p for p, folded in known_as if _words_match(words, folded)}
    if not matches:
        matches = {p.id: p for p, folded in known_as if query in folded}
    if len(matches) == 1:
        return next(iter(matches.values()))
    if matches:
        raise _ambiguous(who, list(matches.values()), "part of a name")
    raise _not_found(reader, who, query)


def _ambiguous(who: str, contacts: list[Person], what: str) -> Ambiguous:
    contacts = sorted(contacts, key=lambda c: (c.search_name, c.id))
    listing = ", ".join(describe(c) for c in contacts[:CANDIDATES_SHOWN])
    more = len(contacts) - CANDIDATES_SHOWN
    if more > 0:
        listing += f" and {more} more"
    return Ambiguous(
        f"{shown(who)} matches {len(contacts)} contacts: {listing}; "
        "type more of the name, or use the id",
        [(c.id, c.name) for c in contacts],
    )


def _not_found(reader: Any, who: str, query: str) -> NotFound:
    rows = reader.rows("all_people")
    if not rows:
        return NotFound(
            f"no contact matches {shown(who)}: the store is empty (add one with rel add)"
        )
    by_folded: dict[str, list[tuple[int, str]]] = {}
    for contact_id, name, folded in rows:
        by_folded.setdefault(folded, []).append((contact_id, name))
        for word in folded.split():
            by_folded.setdefault(word, []).append((contact_id, name))
    close = difflib.get_close_matches(query, list(by_folded), n=CANDIDATES_SHOWN, cutoff=0.6)
    suggestions: dict[int, str] = {}
    for key in close:
        for contact_id, name in by_folded[key]:
            suggestions.setdefault(contact_id, name)
    if not suggestions:
        return NotFound(f"no contact matches {shown(who)} (rel list shows everyone)")
    names = ", ".join(f"{name} (#{cid})" for cid, name in list(suggestions.items())[:3])
    return NotFound(f"no contact matches {shown(who)}; did you mean {names}?")
