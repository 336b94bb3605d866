"""What shell completion offers: contact names and aliases for WHO, the open keys for done,
snooze and skip, the tag names; each with a short help that zsh and fish show beside it.

Matching is WHO's (rel.services.who): case and accents ignored, and what was typed may start
the name, start any word of it, or sit inside it ("chen" offers "Alice Chen", "jose" offers
"José"). The best matches come first: a name that starts with what was typed, then a word
that does, then the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rel.domain.values import fold
from rel.store import people

if TYPE_CHECKING:
    from rel.store.queries import Store


@dataclass(frozen=True)
class Suggestion:
    value: str  # what the shell puts on the command line
    help: str  # what it is, shown beside it by zsh and fish


def _rank(folded: str, typed: str) -> int:
    if folded.startswith(typed):
        return 0
    if any(word.startswith(typed) for word in folded.split()):
        return 1
    return 2


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contact_names(store: Store, typed: str) -> list[Suggestion]:
    """The names and aliases that what was typed matches. A name that several contacts share
    is offered as each one's id, so that what the shell completes names one person."""
    query = fold(typed)
    found = people.names_and_aliases_like(store, _like_pattern(query))
    name_counts: dict[str, int] = {}
    for naming in found:
        if not naming.is_alias:
            name_counts[fold(naming.name)] = name_counts.get(fold(naming.name), 0) + 1
    ranked: list[tuple[int, str, Suggestion]] = []
    for naming in found:
        folded = fold(naming.known_as)
        archived = ", archived" if naming.archived else ""
        if naming.is_alias:
            value, what = naming.known_as, f"alias of {naming.name} (#{naming.contact_id})"
        elif name_counts[folded] > 1:
            value, what = str(naming.contact_id), f"{naming.name} (#{naming.contact_id})"
        else:
            value, what = naming.name, f"#{naming.contact_id}"
        ranked.append((_rank(folded, query), folded, Suggestion(value, what + archived)))
    ranked.sort(key=lambda item: (item[0], item[1], item[2].value))
    return list({item[2].value: item[2] for item in ranked}.values())


def open_keys(store: Store, today: date, typed: str) -> list[Suggestion]:
    """The keys done, snooze and skip act on: the agenda's rows (what `rel due` shows today,
    most urgent first), then every other open touchpoint by its date. What was typed matches
    a key's start or the contact's name."""
    from rel.services.agenda import agenda
    from rel.services.records import reminders

    found: dict[str, Suggestion] = {}
    names: dict[str, str] = {}
    for row in agenda(store, today).rows:
        when = "late" if row.section == "overdue" else row.section
        found[row.key] = Suggestion(row.key, f"{row.contact}: {row.kind}, {when}")
        names[row.key] = row.contact
    for touchpoint in reminders(store):
        if touchpoint.key not in found:
            what = f"{touchpoint.contact.name}: {touchpoint.kind}, {touchpoint.text}"
            found[touchpoint.key] = Suggestion(
                touchpoint.key, f"{what}, due {touchpoint.due.isoformat()}"
            )
            names[touchpoint.key] = touchpoint.contact.name
    text = typed.strip().lower()
    by_key = [s for key, s in found.items() if key.startswith(text)]
    if by_key or not text:
        return by_key
    query = fold(text)
    return [s for key, s in found.items() if query in fold(names[key])]


def tag_names(store: Store, typed: str) -> list[Suggestion]:
    """The tags whose name starts with what was typed, with how many contacts carry each."""
    from rel.domain.vocabulary import counted
    from rel.store.contacts import tag_summaries

    query = fold(typed)
    return [
        Suggestion(tag.name, counted(tag.contacts, "contact"))
        for tag in tag_summaries(store)
        if fold(tag.name).startswith(query)
    ]
