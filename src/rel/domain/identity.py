"""The persisted identity of a record: a UID that stays the same through export and import,
`rel store copy`, merge and every file format, where row ids do not."""

from __future__ import annotations

import re

# Patterns, not compiled ones: `re` compiles them on first use (every command that writes a
# record imports this module; few read a UID from a file). What a UID may hold: a card's own
# UID is kept as it came, if it is one line of printable text of a sensible length (vCard
# allows any text; file names are made from it with care).
_PRINTABLE = r"^[\x21-\x7e\u00a0-\uffff][\x20-\x7e\u00a0-\uffff]{0,254}$"
# The UIDs rel wrote before it kept UIDs: made of a store's row ids (`rel-12@rel`,
# `rel-t4-follow-up@rel`), so two stores made the same ones. Not kept as identities.
_ROW_ID_UID = r"^rel-[a-z]?\d+(-[\w-]+)?@rel$"


def new_uid() -> str:
    """A new UID: a random UUID, so two stores never make the same one."""
    import uuid

    return str(uuid.uuid4())


def clean_uid(value: object) -> str | None:
    """`value` as a UID to keep, or None when it cannot be one (empty, too long, controls)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or not re.match(_PRINTABLE, value) or re.match(_ROW_ID_UID, value):
        return None
    return value
