"""WHO: finding the contact a person means from what they typed.

In order: an id (`12` or `#12`), an email, a full name, an alias, then any unique part of a
name or alias. Matching ignores case and accents ("jose" finds "José"). More than one match
raises `Ambiguous` listing the candidates; none raises `NotFound` with the closest names.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TYPE_CHECKING

from rel.errors import Ambiguous, NotFound

if TYPE_CHECKING:
    from sqlmodel import Session

    from rel.models import Contact

CANDIDATES_SHOWN = 8


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


def describe(contact: Contact) -> str:
    return f"{contact.name} (#{contact.id})"


def resolve(session: Session, who: str) -> Contact:
    """The one contact `who` names, or NotFound / Ambiguous."""
    from sqlmodel import col, select

    from rel.models import Contact, Handle

    text = who.strip()
    query = fold(text)
    if not query:
        raise NotFound("expected a contact: an id, a name, an alias or an email; got nothing")
    if re.fullmatch(r"#?\d{1,18}", text):
        contact = session.get(Contact, int(text.lstrip("#")))
        if contact is None:
            raise NotFound(f"no contact has the id {text.lstrip('#')} (rel list shows the ids)")
        return contact

    def one_of(contacts: list[Contact], what: str) -> Contact | None:
        unique = {c.id: c for c in contacts}
        if len(unique) == 1:
            return next(iter(unique.values()))
        if len(unique) > 1:
            raise _ambiguous(who, list(unique.values()), what)
        return None

    if "@" in text:
        by_email = session.exec(
            select(Contact)
            .join(Handle, col(Handle.contact_id) == col(Contact.id))
            .where(Handle.kind == "email", Handle.search_value == search_value("email", text))
        ).all()
        if found := one_of(list(by_email), "that email"):
            return found

    exact = session.exec(select(Contact).where(Contact.search_name == query)).all()
    if found := one_of(list(exact), "that name"):
        return found
    by_alias = session.exec(
        select(Contact)
        .join(Handle, col(Handle.contact_id) == col(Contact.id))
        .where(Handle.kind == "alias", Handle.search_value == query)
    ).all()
    if found := one_of(list(by_alias), "that alias"):
        return found

    # Any unique part: words that start words of the name or an alias ("a chen") come first;
    # only when there are none does a piece inside a word count ("ice" finds "Alice").
    words = query.split()
    first_word = _like_pattern(words[0])
    by_name = session.exec(
        select(Contact).where(col(Contact.search_name).like(first_word, escape="\\"))
    ).all()
    by_alias = session.exec(
        select(Contact, Handle.search_value)
        .join(Handle, col(Handle.contact_id) == col(Contact.id))
        .where(Handle.kind == "alias", col(Handle.search_value).like(first_word, escape="\\"))
    ).all()
    known_as = [(c, c.search_name) for c in by_name] + [(c, alias) for c, alias in by_alias]
    matches = {c.id: c for c, folded in known_as if _words_match(words, folded)}
    if not matches:
        matches = {c.id: c for c, folded in known_as if query in folded}
    if len(matches) == 1:
        return next(iter(matches.values()))
    if matches:
        raise _ambiguous(who, list(matches.values()), "part of a name")
    raise _not_found(session, who, query)


def _ambiguous(who: str, contacts: list[Contact], what: str) -> Ambiguous:
    contacts = sorted(contacts, key=lambda c: (c.search_name, c.id or 0))
    shown = ", ".join(describe(c) for c in contacts[:CANDIDATES_SHOWN])
    more = len(contacts) - CANDIDATES_SHOWN
    if more > 0:
        shown += f" and {more} more"
    return Ambiguous(
        f"{who!r} matches {len(contacts)} contacts: {shown}; type more of the name, or use the id",
        [(c.id or 0, c.name) for c in contacts],
    )


def _not_found(session: Session, who: str, query: str) -> NotFound:
    from sqlmodel import select

    from rel.models import Contact

    rows = session.exec(select(Contact.id, Contact.name, Contact.search_name)).all()
    if not rows:
        return NotFound(f"no contact matches {who!r}: the store is empty (add one with rel add)")
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
        return NotFound(f"no contact matches {who!r} (rel list shows everyone)")
    names = ", ".join(f"{name} (#{cid})" for cid, name in list(suggestions.items())[:3])
    return NotFound(f"no contact matches {who!r}; did you mean {names}?")
