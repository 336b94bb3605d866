"""The error family of rel.

Core code raises these; only the command-line entry point catches them, prints one line on
stderr and exits 1. Each message is written for the person at the terminal: it says what was
wrong and, where it can, what was expected or what to do next.
"""

from __future__ import annotations

from collections.abc import Sequence


class RelError(Exception):
    """A problem the user can act on; exit 1 with one line on stderr."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(RelError):
    """No contact, tag or agenda item matches what was typed."""


class Ambiguous(RelError):
    """What was typed matches more than one contact."""

    def __init__(self, message: str, candidates: Sequence[tuple[int, str]]) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


class BadValue(RelError):
    """A value typed by a person or brought by a file is not of the expected form."""


class StoreError(RelError):
    """The store cannot be used: damaged, locked, read-only, newer, or not a rel store."""


ECHO_LIMIT = 60


def shown(text: str, limit: int = ECHO_LIMIT) -> str:
    """What a person typed, quoted for a message and cut to a readable length.

    Every message that echoes input goes through this, so a 100 KB value never becomes a
    100 KB error line: `got {shown(text)}` gives `got 'abc'` or `got 'abcd…' (70000 characters)`.
    """
    quoted = repr(text)
    if len(quoted) <= limit + 2:
        return quoted
    cut = text[:limit]
    while len(repr(cut)) > limit + 2:  # an escape such as \u202e takes six characters
        cut = cut[: len(cut) - 1]
    return f"{cut!r}… ({len(text)} characters)"
