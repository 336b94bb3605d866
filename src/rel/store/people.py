"""WHO's side of the store: contacts found by id, name, email or alias (rel.services.who).

Each function takes the `Store` handle (a Reader of rel.store.queries; an SQLAlchemy session
works too) and runs named statements on it, on the standard library's sqlite3 for an
up-to-date SQLite store (`rel log`, `rel show` import no SQLAlchemy). Names and aliases are
matched by their folded form (rel.domain.values.fold), emails by their search value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from rel.store.queries import as_reader

if TYPE_CHECKING:
    from rel.store.queries import Store


class Person(NamedTuple):
    """A contact as WHO finds it: enough to name them and to act on them (a named tuple:
    one-sentence logging makes one of every contact, fast)."""

    id: int
    name: str
    search_name: str


class KnownAs(NamedTuple):
    """A contact, and the folded name or alias they were found by."""

    person: Person
    known_as: str


def _people(rows: list[Any]) -> list[Person]:
    return [Person(row[0], row[1], row[2]) for row in rows]


def person(store: Store, contact_id: int) -> Person | None:
    found = as_reader(store).rows("person_by_id", id=contact_id)
    return _people(found)[0] if found else None


def people_named(store: Store, folded_name: str) -> list[Person]:
    """The contacts whose folded name is this one."""
    return _people(as_reader(store).rows("people_named", name=folded_name))


def people_with_email(store: Store, email_key: str) -> list[Person]:
    """The contacts with this email (its search value)."""
    return _people(as_reader(store).rows("people_by_email", value=email_key))


def people_with_alias(store: Store, folded_alias: str) -> list[Person]:
    """The contacts with this alias (folded)."""
    return _people(as_reader(store).rows("people_by_alias", value=folded_alias))


def people_named_like(store: Store, pattern: str) -> list[KnownAs]:
    """The contacts whose folded name is LIKE `pattern` (escaped with a backslash)."""
    rows = as_reader(store).rows("people_named_like", pattern=pattern)
    return [KnownAs(Person(row[0], row[1], row[2]), row[2]) for row in rows]


def people_with_alias_like(store: Store, pattern: str) -> list[KnownAs]:
    """The contacts with an alias (folded) LIKE `pattern`, each with that alias."""
    rows = as_reader(store).rows("people_by_alias_like", pattern=pattern)
    return [KnownAs(Person(row[0], row[1], row[2]), row[3]) for row in rows]


def everyone(store: Store) -> list[Person]:
    return _people(as_reader(store).rows("all_people"))


def named_or_aliased_from(
    store: Store, prefixes: Iterable[str]
) -> tuple[list[Person], dict[int, list[str]]]:
    """The contacts whose folded name, or an alias (folded), starts with one of `prefixes`,
    and those aliases by contact: a few of a large address book, each read through an index."""
    reader = as_reader(store)
    people: dict[int, Person] = {}
    aliases: dict[int, list[str]] = {}
    for prefix in sorted({prefix for prefix in prefixes if prefix}):
        bounds = {"low": prefix, "high": prefix[:-1] + chr(ord(prefix[-1]) + 1)}
        for row in reader.rows("people_named_between", **bounds):
            people.setdefault(row[0], Person(row[0], row[1], row[2]))
        for row in reader.rows("people_by_alias_between", **bounds):
            people.setdefault(row[0], Person(row[0], row[1], row[2]))
            known = aliases.setdefault(row[0], [])
            if row[3] not in known:  # found again by a shorter prefix
                known.append(row[3])
    return sorted(people.values()), aliases


class Naming(NamedTuple):
    """A name or an alias of a contact, as shell completion offers it."""

    contact_id: int
    known_as: str  # the name, or the alias as it was typed
    name: str
    is_alias: bool
    archived: bool


def names_and_aliases_like(store: Store, pattern: str) -> list[Naming]:
    """The names and aliases whose folded form is LIKE `pattern` (escaped with a backslash)."""
    rows = as_reader(store).mappings("names_and_aliases_like", pattern=pattern)
    return [
        Naming(
            row["id"], row["known_as"], row["name"], bool(row["is_alias"]), bool(row["archived"])
        )
        for row in rows
    ]
