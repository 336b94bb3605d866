"""One-sentence logging: who was there and what kind of interaction it was, read from what a
person wrote (as the `friends` tool does): "Lunch with Alice and Sam O, talked about Q3".

- A date may lead the sentence: "yesterday: coffee with Bob", "2026-02-10: call with Dan".
- People are found by their full name, an alias, a unique first name, a first name and the
  initial of the last ("Sam O"), ignoring case and accents, possessives included ("Alice's").
  Longer matches win ("Bill Call" is a person before "call" is a kind). A word written in
  lower case that is also an everyday word ("will", "may", "mark") is not taken for a name;
  capitalised, it is. A backslash keeps a word from being a name: "\\Marie's Diner".
- The kind is the first word that names one (lunch, dinner, coffee, called, phoned, emailed,
  met, drinks, zoom …), unless the caller gives it.
- The note is the sentence as written (after the date), without the backslashes.

Pure: the caller passes the people it knows and a `choose` function for a name that fits
several people (it asks on a terminal, or raises `Ambiguous`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

from rel.domain.vocabulary import KINDS
from rel.errors import BadValue, NotFound, RelError, shown
from rel.services.interactions import KIND_ALIASES
from rel.services.who import Person, fold

if TYPE_CHECKING:
    from rel.store.queries import Store

# Words that say the kind, in the forms a sentence uses them.
KIND_WORDS: dict[str, str] = {
    **{kind: kind for kind in KINDS},
    **KIND_ALIASES,
    "calls": "call", "called": "call", "calling": "call", "phoned": "call", "rang": "call",
    "emails": "email", "emailed": "email", "mailed": "email", "wrote": "email",
    "texted": "message", "messaged": "message", "messages": "message", "whatsapp": "message",
    "coffees": "coffee", "lunches": "lunch", "lunched": "lunch", "dinners": "dinner",
    "dined": "dinner", "beers": "dinner", "beer": "dinner", "brunch": "lunch",
    "met": "meeting", "meetings": "meeting", "visited": "meeting", "visit": "meeting",
    "events": "event", "facetime": "video", "zoomed": "video", "videocall": "video",
    "gifts": "gift", "gave": "gift", "helped": "help",
}  # fmt: skip

# Everyday words that are also first names or aliases: in lower case they are words.
EVERYDAY_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "an",
        "and",
        "any",
        "april",
        "are",
        "art",
        "as",
        "at",
        "august",
        "be",
        "been",
        "before",
        "bill",
        "bob",
        "but",
        "by",
        "can",
        "cards",
        "chase",
        "dawn",
        "do",
        "done",
        "for",
        "from",
        "further",
        "go",
        "grace",
        "had",
        "has",
        "have",
        "he",
        "her",
        "him",
        "his",
        "hope",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "jack",
        "jay",
        "joy",
        "june",
        "just",
        "may",
        "me",
        "mark",
        "max",
        "miles",
        "more",
        "my",
        "new",
        "next",
        "nick",
        "not",
        "now",
        "of",
        "on",
        "or",
        "our",
        "out",
        "over",
        "pat",
        "patience",
        "penny",
        "rob",
        "rose",
        "ruby",
        "sage",
        "she",
        "so",
        "some",
        "sue",
        "summer",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "to",
        "today",
        "too",
        "up",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "yesterday",
        "you",
        "your",
    ]
)

_DATE_PREFIX = re.compile(r"^\s*([^:]{1,40}):\s*(\S.*)$", re.DOTALL)
_WORD = re.compile(r"(\\?)([^\W\d_][\w'’.-]*)")
MAX_WORDS_IN_A_NAME = 4


# what a name's first word may start with that is not in a sentence's words (it is stripped)
_STRIPPED = ".,'’-"


@dataclass(frozen=True)
class Known:
    """Everyone a sentence may name: each person with their folded name and aliases.

    `people` may be only those whose name or an alias starts with a word of the sentence
    (`known_in`); `everyone` then gives all of them, for the names a sentence that names
    nobody known comes close to."""

    people: list[Person]
    aliases: dict[int, list[str]] = field(default_factory=dict)
    everyone: Callable[[], list[Person]] | None = None

    def all_people(self) -> list[Person]:
        return self.everyone() if self.everyone is not None else self.people

    def index(self, words: set[str]) -> dict[tuple[str, ...], set[int]]:
        """Forms of a name (folded words) -> the people they fit, for the people a sentence
        made of `words` can name: every form starts with a first name or an alias's first
        word, so only those are built (a few, of an address book of thousands)."""
        forms: dict[tuple[str, ...], set[int]] = {}
        for person in self.people:
            first = person.search_name.partition(" ")[0].strip(_STRIPPED)
            candidates = []
            if not first:  # a name that starts with punctuation alone: "- Bob"
                first = next(iter(_name_words(person.search_name)), "")
            if first in words:
                name = _name_words(person.search_name)
                candidates += [name, name[:1]]
                if len(name) > 1:
                    candidates.append((name[0], name[-1][:1]))  # "Sam O"
                    candidates.append((name[0], name[-1]))  # "Zoë Berg" of "Zoë A. Berg"
            for alias in self.aliases.get(person.id, []):
                if alias.partition(" ")[0].strip(_STRIPPED) in words:
                    candidates.append(_name_words(alias))
            for form in candidates:
                forms.setdefault(form, set()).add(person.id)
        return forms


def _name_words(folded: str) -> tuple[str, ...]:
    """ "zoe a. van der berg jr." -> ("zoe", "a", "van", "der", "berg", "jr")"""
    return tuple(word for word in (w.strip(".,'’-") for w in folded.split()) if word)


@dataclass(frozen=True)
class Understood:
    people: list[Person]
    kind: str
    on: date
    note: str


@dataclass(frozen=True)
class _Token:
    text: str  # as written, without a possessive
    folded: str
    start: int
    end: int
    escaped: bool
    capitalised: bool


def _tokens(sentence: str) -> list[_Token]:
    found = []
    for match in _WORD.finditer(sentence):
        word = match.group(2).rstrip(".-'’")
        for possessive in ("'s", "’s", "'", "’"):
            if word.lower().endswith(possessive) and len(word) > len(possessive):
                word = word[: -len(possessive)]
                break
        if not word:
            continue
        start = match.start(2)
        found.append(
            _Token(
                word, fold(word), start, start + len(word), bool(match.group(1)), word[0].isupper()
            )
        )
    return found


def _adjacent(tokens: list[_Token], sentence: str) -> bool:
    """Words of one name: nothing but spaces (or an initial's dot) between them."""
    return all(sentence[a.end : b.start].strip(" .") == "" for a, b in pairwise(tokens))


def _may_be_a_name(token: _Token, first: bool) -> bool:
    if token.escaped:
        return False
    if token.folded in KIND_WORDS and (first or not token.capitalised):
        return False
    return token.capitalised or token.folded not in EVERYDAY_WORDS


def split_date(sentence: str, today: date) -> tuple[date | None, str]:
    """ "yesterday: coffee with Bob" -> (yesterday, "coffee with Bob"); no date -> (None, all)."""
    from rel.domain.dates import parse_when

    match = _DATE_PREFIX.match(sentence)
    if match:
        try:
            return parse_when(match.group(1), today, past=True), match.group(2).strip()
        except RelError:
            pass
    return None, sentence.strip()


def known_in(store: Store, sentence: str, today: date) -> Known:
    """The contacts `sentence` may name, read through the store's indexes: those whose folded
    name or alias starts with one of its words (or with what a first word is stripped of)."""
    from rel.store import people as stored

    _day, text = split_date(sentence, today)
    words = {token.folded for token in _tokens(text)}
    people, aliases = stored.named_or_aliased_from(store, [*words, *_STRIPPED])
    return Known(people, aliases, everyone=lambda: stored.everyone(store))


def understand(
    sentence: str,
    known: Known,
    today: date,
    *,
    kind: str | None = None,
    on: date | None = None,
    choose: Callable[[str, list[Person]], Person],
) -> Understood:
    """Who, what kind and when, from one sentence; raises NotFound when it names nobody known
    and BadValue when it says no kind (and none is given)."""
    day, text = split_date(sentence, today)
    if not text:
        raise BadValue(f'expected a sentence such as "Lunch with Alice"; got {shown(sentence)}')
    tokens = _tokens(text)
    forms = known.index({token.folded for token in tokens})
    by_id = {person.id: person for person in known.people}
    people: dict[int, Person] = {}
    used: set[int] = set()
    index = 0
    while index < len(tokens):
        for size in range(min(MAX_WORDS_IN_A_NAME, len(tokens) - index), 0, -1):
            words = tokens[index : index + size]
            if size == 1 and not _may_be_a_name(words[0], first=index == 0):
                continue
            if any(w.escaped for w in words) or not _adjacent(words, text):
                continue
            fits = forms.get(tuple(w.folded for w in words))
            if not fits:
                continue
            written = text[words[0].start : words[-1].end]
            if len(fits) == 1:
                person = by_id[next(iter(fits))]
            else:
                person = choose(written, sorted((by_id[i] for i in fits), key=lambda p: p.name))
            people.setdefault(person.id, person)
            used.update(range(index, index + size))
            index += size
            break
        else:
            index += 1
    if not people:
        raise _nobody_known(sentence, tokens, known)
    if kind is None:
        kind = next(
            (
                KIND_WORDS[token.folded]
                for position, token in enumerate(tokens)
                if position not in used and not token.escaped and token.folded in KIND_WORDS
            ),
            None,
        )
    if kind is None:
        raise BadValue(
            f"expected a word for the kind of interaction in {shown(sentence)} "
            f"(lunch, call, coffee, met …), or --kind KIND"
        )
    note = re.sub(r"\\(?=[^\W\d_])", "", text)
    return Understood(list(people.values()), kind, on or day or today, note)


def _nobody_known(sentence: str, tokens: Iterable[_Token], known: Known) -> NotFound:
    names = {person.search_name: person for person in known.all_people()}
    words = [t.folded for t in tokens if t.capitalised and t.folded not in KIND_WORDS]
    close: dict[int, Person] = {}
    for word in [" ".join(pair) for pair in pairwise(words)] + words:
        for match in difflib.get_close_matches(word, list(names), n=3, cutoff=0.5):
            close.setdefault(names[match].id, names[match])
        firsts = {name.split()[0]: person for name, person in names.items() if name}
        for match in difflib.get_close_matches(word, list(firsts), n=3, cutoff=0.75):
            close.setdefault(firsts[match].id, firsts[match])
    hint = ""
    if close:
        hint = (
            "; did you mean "
            + ", ".join(f"{p.name} (#{p.id})" for p in list(close.values())[:3])
            + "?"
        )
    return NotFound(f"no one in {shown(sentence)} is a contact of yours{hint}")
