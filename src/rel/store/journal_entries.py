"""What the undo journal holds, whichever engine keeps it: the tables journaled and their
words, how many commands are kept, and an entry as `rel undo --list` shows it."""

from __future__ import annotations

from dataclasses import dataclass

DEPTH = 50  # commands that can be undone, newest first

# The tables of the record, in the words a person uses for their rows.
JOURNALED: dict[str, tuple[str, str]] = {
    "contact": ("contact", "contacts"),
    "handle": ("contact detail", "contact details"),
    "tag": ("tag", "tags"),
    "contact_tag": ("tagging", "taggings"),
    "interaction": ("interaction", "interactions"),
    "participant": ("participant", "participants"),
    "touchpoint": ("reminder", "reminders"),
    "completion": ("completion", "completions"),
    "life_event": ("life event", "life events"),
    "gift": ("gift", "gifts"),
    "snooze": ("snooze", "snoozes"),
    "harvested_item": ("harvested message or meeting", "harvested messages or meetings"),
    "setting": ("setting", "settings"),
    "sync_item": ("synced card", "synced cards"),
}

# Columns the store keeps from other rows by its own triggers (rel.store.engine.DERIVED_TRIGGERS): a
# change of these alone is not journaled, since undoing the change of the rows they come
# from puts them right again.
DERIVED_COLUMNS = frozenset({"last_seen", "cadence_days"})


@dataclass(frozen=True)
class Entry:
    """A command that can be undone: its number, when, what was typed, what it changed."""

    number: int
    at: str
    command: str
    changes: tuple[tuple[str, str, int], ...]  # ("added", "interaction", 1), ...

    def describe_changes(self) -> str:
        """ "added 1 interaction; changed 1 contact" """
        phrases = []
        for verb, table, count in self.changes:
            one, many = JOURNALED[table]
            phrases.append(f"{verb} {count} {one if count == 1 else many}")
        return "; ".join(phrases) or "no change"


VERBS = {"DELETE FROM": "added", "UPDATE": "changed", "INSERT INTO": "removed"}
PARTS = ("participant", "contact_tag", "completion")  # counted with the record they belong to


def count_changes(steps: list[tuple[str, str, str]]) -> tuple[tuple[str, str, int], ...]:
    """What a command did, by kind of record, from its steps (verb, table, row): each row
    counted once, as added (if it was), else removed (if it was), else changed."""
    verbs_of_row: dict[tuple[str, str], set[str]] = {}
    for verb, table, row in steps:
        if table in JOURNALED and table not in PARTS:
            verbs_of_row.setdefault((table, row), set()).add(verb)
    counted: dict[tuple[str, str], int] = {}
    for (table, _rowid), verbs in verbs_of_row.items():
        verb = next(v for v in ("added", "removed", "changed") if v in verbs or v == "changed")
        counted[(verb, table)] = counted.get((verb, table), 0) + 1
    order = list(VERBS.values())
    ranked = sorted(counted.items(), key=lambda item: (order.index(item[0][0]), item[0][1]))
    return tuple((verb, table, count) for (verb, table), count in ranked)
