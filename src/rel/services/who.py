"""WHO: finding the contact a person means from what they typed.

In order: an id (`12` or `#12`), an email, a full name, an alias, then any unique part of a
name or alias. Matching ignores case and accents ("jose" finds "José"). More than one match
raises `Ambiguous` listing the candidates; none raises `NotFound` with the closest names.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any, Protocol

from rel.domain.values import fold, search_value
from rel.errors import Ambiguous, NotFound, shown
from rel.store import people
from rel.store.people import Person

if TYPE_CHECKING:
    from rel.store.queries import Store

__all__ = ["Person", "describe", "find", "fold", "search_value"]

CANDIDATES_SHOWN = 8
# Nothing WHO can match is longer: an email has at most 320 characters, a name or an alias 200.
LONGEST_WHO = 320


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


class Named(Protocol):
    @property
    def id(self) -> Any: ...
    @property
    def name(self) -> str: ...


def describe(contact: Named) -> str:
    return f"{contact.name} (#{contact.id})"


def find(store: Store, who: str) -> Person:
    """The one contact `who` names, or NotFound / Ambiguous (the same SQL on the standard
    library's sqlite3 on an up-to-date SQLite store)."""
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
        found = people.person(store, int(text.lstrip("#")))
        if found is None:
            raise NotFound(f"no contact has the id {text.lstrip('#')} (rel list shows the ids)")
        return found

    def one_of(matches: list[Person], what: str) -> Person | None:
        unique = {person.id: person for person in matches}
        if len(unique) == 1:
            return next(iter(unique.values()))
        if len(unique) > 1:
            raise _ambiguous(who, list(unique.values()), what)
        return None

    if "@" in text:
        by_email = people.people_with_email(store, search_value("email", text))
        if found_by_email := one_of(by_email, "that email"):
            return found_by_email
    if found_by_name := one_of(people.people_named(store, query), "that name"):
        return found_by_name
    if found_by_alias := one_of(people.people_with_alias(store, query), "that alias"):
        return found_by_alias

    # Any unique part: words that start words of the name or an alias ("a chen") come first;
    # only when there are none does a piece inside a word count ("ice" finds "Alice").
    words = query.split()
    first_word = _like_pattern(words[0])
    known_as = people.people_named_like(store, first_word) + people.people_with_alias_like(
        store, first_word
    )
    matches = {k.person.id: k.person for k in known_as if _words_match(words, k.known_as)}
    if not matches:
        matches = {k.person.id: k.person for k in known_as if query in k.known_as}
    if len(matches) == 1:
        return next(iter(matches.values()))
    if matches:
        raise _ambiguous(who, list(matches.values()), "part of a name")
    raise _not_found(store, who, query)


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


def _not_found(store: Store, who: str, query: str) -> NotFound:
    everyone = people.everyone(store)
    if not everyone:
        return NotFound(
            f"no contact matches {shown(who)}: the store is empty (add one with rel add)"
        )
    by_folded: dict[str, list[tuple[int, str]]] = {}
    for person in everyone:
        named = (person.id, person.name)
        by_folded.setdefault(person.search_name, []).append(named)
        for word in person.search_name.split():
            by_folded.setdefault(word, []).append(named)
    close = difflib.get_close_matches(query, list(by_folded), n=CANDIDATES_SHOWN, cutoff=0.6)
    suggestions: dict[int, str] = {}
    for key in close:
        for contact_id, name in by_folded[key]:
            suggestions.setdefault(contact_id, name)
    if not suggestions:
        return NotFound(f"no contact matches {shown(who)} (rel list shows everyone)")
    names = ", ".join(f"{name} (#{cid})" for cid, name in list(suggestions.items())[:3])
    return NotFound(f"no contact matches {shown(who)}; did you mean {names}?")
