"""Merging two records of one person: `rel merge WHO1 WHO2` folds WHO2 into WHO1.

The merge is planned first (`plan_merge`, which only reads) and then carried out
(`apply_merge`) in the caller's transaction, so `--dry-run` shows exactly what a merge would
do and a merge lands whole or not at all. Rows move by UPDATE, keeping their ids, so the keys
of WHO2's touchpoints, events and gifts (`t3`, `e5`, `g2`) stay valid after the merge.

What WHO1 has is never overwritten: WHO2's values fill WHO1's blanks, and where both have
different values WHO1's stays and WHO2's is written into the notes, under a line naming WHO2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rel.domain.fields import TEXT_FIELDS
from rel.errors import BadValue
from rel.services.who import describe, fold, search_value
from rel.store import merging as stored

if TYPE_CHECKING:
    from rel.services.who import Person
    from rel.store.queries import Store

# what WHO1 keeps and WHO2 fills in: the one-line text fields (rel.domain.fields), the birthday
# and the cadence; the notes (many lines) are not compared but kept from both
SCALAR_FIELDS = (*(f.name for f in TEXT_FIELDS if f.one_line), "birthday", "cadence")


@dataclass(frozen=True)
class Side:
    id: int
    name: str
    archived: bool


@dataclass(frozen=True)
class Conflict:
    field: str
    kept: str  # WHO1's value, which stays
    other: str  # WHO2's value, written into the notes


@dataclass
class MergePlan:
    """What folding `other` into `keep` does; every list names what the person will see."""

    keep: Side
    other: Side
    handles: list[tuple[str, str]] = field(default_factory=list)  # (kind, value) moved over
    handles_known: list[tuple[str, str]] = field(default_factory=list)  # WHO1 has them already
    name_alias: str | None = None  # WHO2's name, kept as an alias of WHO1
    tags: list[str] = field(default_factory=list)  # tags WHO1 gains
    interactions: int = 0  # WHO2's own interactions, moved to WHO1
    shared: int = 0  # interactions both took part in: one participant row for WHO1
    identical: int = 0  # interactions that became identical to one of WHO1's: folded
    favors: int = 0  # of those moved, how many are favors (kind help)
    touchpoints: int = 0
    events: int = 0
    gifts: int = 0
    filled: dict[str, str] = field(default_factory=dict)  # field -> WHO2's value, WHO1 had none
    conflicts: list[Conflict] = field(default_factory=list)
    notes_appended: bool = False  # WHO2's notes or the conflicts go into WHO1's notes
    added_on: date | None = None  # WHO2's earlier added date, which WHO1 takes
    archived: bool = False  # the merged contact is archived (only when both were)
    unarchived: bool = False  # WHO1 was archived and WHO2 was not: the merge brings WHO1 back
    snoozes: list[tuple[str, str]] = field(default_factory=list)  # (key, "carried to c12" ...)
    # how to carry it out (ids in the store), not shown
    _handle_ids_moved: list[int] = field(default_factory=list, repr=False)
    _tag_ids: list[int] = field(default_factory=list, repr=False)
    _interaction_ids_moved: list[int] = field(default_factory=list, repr=False)
    _interaction_ids_shared: list[int] = field(default_factory=list, repr=False)
    _folded: dict[int, int] = field(default_factory=dict, repr=False)  # dropped -> kept
    _fields: dict[str, Any] = field(default_factory=dict, repr=False)
    _notes: str | None = field(default=None, repr=False)
    _snooze_moves: dict[str, str | None] = field(default_factory=dict, repr=False)


# --- planning -------------------------------------------------------------------------------


def _birthday_text(month: int | None, day: int | None, year: int | None) -> str | None:
    if not month or not day:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"


def _scalars(contact: stored.MergingContact) -> dict[str, Any]:
    texts = {name: contact.texts[name] for name in SCALAR_FIELDS if name in contact.texts}
    return {**texts, "birthday": contact.birthday, "cadence": contact.cadence}


def _shown(name: str, value: Any) -> str:
    if name == "birthday":
        return _birthday_text(*value) or ""
    return str(value)


def _same(name: str, mine: Any, theirs: Any) -> bool:
    if name == "birthday":
        return bool(
            mine[:2] == theirs[:2] and (not mine[2] or not theirs[2] or mine[2] == theirs[2])
        )
    if isinstance(mine, str) and isinstance(theirs, str):
        return fold(mine) == fold(theirs)
    return bool(mine == theirs)


def _signature(row: Any, people: frozenset[int]) -> tuple[Any, ...]:
    """What makes two interactions the same: day, time, kind, note, direction and people."""
    return (row.on, row.at, row.kind, (row.note or "").strip(), row.direction, people)


def _loaded(store: Store, contact: Person) -> stored.MergingContact:
    from rel.errors import NotFound

    found = stored.merging_contact(store, contact.id)
    if found is None:
        raise NotFound(f"no contact has the id {contact.id} (rel list shows the ids)")
    return found


def plan_merge(store: Store, keep: Person, other: Person, *, today: date) -> MergePlan:
    """What folding `other` into `keep` would do; reads only."""
    if keep.id == other.id:
        raise BadValue(
            f"cannot merge {describe(keep)} into themselves: WHO1 and WHO2 name the same contact"
        )
    mine_record, their_record = _loaded(store, keep), _loaded(store, other)
    keep_id, other_id = mine_record.id, their_record.id
    plan = MergePlan(
        Side(keep_id, mine_record.name, mine_record.archived),
        Side(other_id, their_record.name, their_record.archived),
    )

    # handles: an email, phone, link or alias WHO1 has already is dropped, not doubled
    from rel.store.contacts import contact_handles

    known = contact_handles(store, keep_id).keys
    for handle in contact_handles(store, other_id).handles:
        if (handle.kind, handle.search_value) in known:
            plan.handles_known.append((handle.kind, handle.value))
        else:
            known.add((handle.kind, handle.search_value))
            plan.handles.append((handle.kind, handle.value))
            plan._handle_ids_moved.append(handle.id)
    folded_name = fold(their_record.name)
    if (
        folded_name != fold(mine_record.name)
        and ("alias", search_value("alias", their_record.name)) not in known
        and not re.fullmatch(r"#?\d+", their_record.name.strip())  # a number would read as an id
    ):
        plan.name_alias = their_record.name

    # tags
    mine_tags = stored.tags_with_ids(store, keep_id)
    for tag_id, name in stored.tags_with_ids(store, other_id).items():
        if tag_id not in mine_tags:
            plan.tags.append(name)
            plan._tag_ids.append(tag_id)

    # interactions: who took part in each of either's, to find shared and identical ones
    people, rows = stored.interactions_of(store, [keep_id, other_id])
    mine_only: dict[tuple[Any, ...], int] = {}
    changed: list[tuple[int, frozenset[int]]] = []
    for interaction_id in sorted(people):
        who = people[interaction_id]
        if other_id not in who:
            mine_only.setdefault(_signature(rows[interaction_id], frozenset(who)), interaction_id)
            continue
        after = frozenset((who - {other_id}) | {keep_id})
        changed.append((interaction_id, after))
        if keep_id in who:
            plan.shared += 1
            plan._interaction_ids_shared.append(interaction_id)
        else:
            plan.interactions += 1
            plan._interaction_ids_moved.append(interaction_id)
            if rows[interaction_id].kind == "help":
                plan.favors += 1
    # an interaction of WHO2's that, once WHO1's, is the same as one WHO1 has (or as another of
    # WHO2's moved ones: the same lunch imported into both records) is kept once
    for interaction_id, after in changed:
        signature = _signature(rows[interaction_id], after)
        if signature in mine_only:
            plan._folded[interaction_id] = mine_only[signature]
            plan.identical += 1
        else:
            mine_only[signature] = interaction_id

    plan.touchpoints = stored.counted(store, "touchpoint", other_id)
    plan.events = stored.counted(store, "life_event", other_id)
    plan.gifts = stored.counted(store, "gift", other_id)

    # scalar fields: WHO1's kept, WHO2's fill the blanks, differences go into the notes
    mine, theirs_fields = _scalars(mine_record), _scalars(their_record)
    for name in SCALAR_FIELDS:
        mine_value, their_value = mine[name], theirs_fields[name]
        if their_value is None or their_value == "":
            continue
        if mine_value is None or mine_value == "":
            plan.filled[name] = _shown(name, their_value)
            plan._fields[name] = their_value
        elif not _same(name, mine_value, their_value):
            plan.conflicts.append(
                Conflict(name, _shown(name, mine_value), _shown(name, their_value))
            )
        elif name == "birthday" and not mine_value[2] and their_value[2]:
            plan.filled["birthday year"] = str(their_value[2])  # the same day, now with a year
            plan._fields[name] = their_value

    # notes: both kept, WHO2's under a line naming them
    # notes WHO1 has already (the same notes imported into both records) are not doubled
    keep_notes, other_notes = mine_record.texts["notes"], their_record.texts["notes"]
    their_notes = other_notes if other_notes and other_notes not in (keep_notes or "") else None
    if their_notes or plan.conflicts:
        lines = [f"From {describe(other)}, merged on {today.isoformat()}:"]
        lines += [f"{c.field}: {c.other} (kept {c.kept})" for c in plan.conflicts]
        if their_notes:
            lines.append(their_notes)
        section = "\n".join(lines)
        plan._notes = f"{keep_notes.rstrip()}\n\n{section}" if keep_notes else section
        plan.notes_appended = True

    if their_record.added_on < mine_record.added_on:
        plan.added_on = their_record.added_on
    # Either active makes the result active: archiving only hides someone, so the mistake to
    # avoid is hiding a relationship still kept up through the other record; someone shown
    # once too often is archived again in one command.
    plan.archived = mine_record.archived and their_record.archived
    plan.unarchived = mine_record.archived and not their_record.archived

    # snoozes on WHO2's agenda rows (c = catch-up, b = birthday): they said "not before this
    # day" about this person, so they carry over to WHO1's row unless WHO1 has its own; a
    # birthday snooze only when the merged birthday is the day it was snoozed for
    snoozed = stored.snoozes_of(
        store, [f"c{keep_id}", f"b{keep_id}", f"c{other_id}", f"b{other_id}"]
    )
    birthday_after = plan._fields.get("birthday", mine["birthday"])
    for prefix in ("c", "b"):
        theirs_key, mine_key = f"{prefix}{other_id}", f"{prefix}{keep_id}"
        if theirs_key not in snoozed:
            continue
        until = snoozed[theirs_key].isoformat()
        if mine_key in snoozed:
            plan.snoozes.append((theirs_key, f"dropped: {mine_key} has its own snooze"))
            plan._snooze_moves[theirs_key] = None
        elif prefix == "b" and (
            birthday_after is None
            or theirs_fields["birthday"] is None
            or birthday_after[:2] != theirs_fields["birthday"][:2]
        ):
            plan.snoozes.append((theirs_key, f"dropped: {describe(keep)} keeps another birthday"))
            plan._snooze_moves[theirs_key] = None
        else:
            plan.snoozes.append((theirs_key, f"carried to {mine_key} (until {until})"))
            plan._snooze_moves[theirs_key] = mine_key
    return plan


# --- carrying it out ------------------------------------------------------------------------


def apply_merge(
    store: Store, keep: Person, other: Person, plan: MergePlan, *, now: datetime
) -> None:
    """Carry out `plan` (made by `plan_merge` in this transaction) and delete `other`."""
    from rel.domain.dates import Birthday
    from rel.store import contacts as stored_contacts
    from rel.store.touchpoints import set_snooze

    assert keep.id == plan.keep.id and other.id == plan.other.id
    mine_record, their_record = _loaded(store, keep), _loaded(store, other)

    position = stored_contacts.contact_handles(store, keep.id).next_position - 1
    for handle_id in plan._handle_ids_moved:
        position += 1
        stored.move_handle(store, handle_id, keep.id, position)
    if plan.name_alias:
        position += 1
        alias = search_value("alias", plan.name_alias)
        stored_contacts.insert_handle(store, keep.id, "alias", plan.name_alias, alias, position)
    for tag_id in plan._tag_ids:
        stored.add_tag(store, keep.id, tag_id)

    # identical interactions first: a follow-up made by the dropped one now hangs off the kept
    for dropped, kept in plan._folded.items():
        stored.fold_interaction(store, dropped, kept)
    shared = [i for i in plan._interaction_ids_shared if i not in plan._folded]
    moved = [i for i in plan._interaction_ids_moved if i not in plan._folded]
    stored.drop_participation(store, other.id, shared)
    stored.move_participation(store, other.id, keep.id, moved)
    stored.move_records(store, other.id, keep.id)

    for key, to in plan._snooze_moves.items():
        until = stored.snoozes_of(store, [key]).get(key)
        if until is None:
            continue
        if to is not None:
            set_snooze(store, to, until)
        set_snooze(store, key, None)

    record = stored_contacts.contact_record(store, keep.id)
    assert record is not None
    for name, value in plan._fields.items():
        if name == "birthday":
            record.birthday = Birthday(*value)
        elif name == "cadence":
            record.cadence = value
        else:
            record.texts[name] = value
    if plan._notes is not None:
        record.texts["notes"] = plan._notes
    record.archived = plan.archived
    stored_contacts.update_contact(store, record, now=now)
    added_on = plan.added_on or mine_record.added_on
    created_at = mine_record.created_at
    if _naive(their_record.created_at) < _naive(mine_record.created_at):
        created_at = their_record.created_at
    if (added_on, created_at) != (mine_record.added_on, mine_record.created_at):
        stored.set_origin(store, keep.id, added_on=added_on, created_at=created_at)
    # what is left of WHO2 (handles and tags WHO1 has too) goes explicitly, not by cascade
    stored.remove_merged(store, other.id)


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def plan_json(plan: MergePlan, *, done: bool) -> dict[str, Any]:
    """The plan as one JSON document (stable keys)."""

    def side(s: Side) -> dict[str, Any]:
        return {"id": s.id, "name": s.name, "archived": s.archived}

    return {
        "merged": done,
        "keep": side(plan.keep),
        "other": side(plan.other),
        "handles": [{"kind": k, "value": v} for k, v in plan.handles],
        "handles_already_there": [{"kind": k, "value": v} for k, v in plan.handles_known],
        "name_alias": plan.name_alias,
        "tags": plan.tags,
        "interactions": {
            "moved": plan.interactions,
            "shared": plan.shared,
            "identical": plan.identical,
            "favors": plan.favors,
        },
        "touchpoints": plan.touchpoints,
        "events": plan.events,
        "gifts": plan.gifts,
        "filled": plan.filled,
        "conflicts": [{"field": c.field, "kept": c.kept, "other": c.other} for c in plan.conflicts],
        "notes_appended": plan.notes_appended,
        "added_on": plan.added_on,
        "archived": plan.archived,
        "snoozes": [{"key": k, "what": what} for k, what in plan.snoozes],
    }


def plan_lines(plan: MergePlan) -> list[str]:
    """The plan in words, one line per part that changes something."""
    keep = f"{plan.keep.name} (#{plan.keep.id})"
    lines: list[str] = []
    by_kind: dict[str, list[str]] = {}
    for kind, value in plan.handles:
        by_kind.setdefault(kind, []).append(value)
    for kind in ("email", "phone", "link", "alias"):
        if kind in by_kind:
            lines.append(f"{kind}s: + {', '.join(by_kind[kind])}")
    if plan.handles_known:
        lines.append(
            f"already on {keep}: {', '.join(v for _, v in plan.handles_known)} (not doubled)"
        )
    if plan.name_alias:
        lines.append(f"alias: + {plan.name_alias} (their name)")
    if plan.tags:
        lines.append(f"tags: + {', '.join(plan.tags)}")
    moved = []
    if plan.interactions:
        favors = f", {plan.favors} of them favors" if plan.favors else ""
        moved.append(f"{plan.interactions} moved{favors}")
    if plan.shared:
        moved.append(f"{plan.shared} with both, kept once")
    if plan.identical:
        moved.append(f"{plan.identical} of these identical to one of {keep}'s, kept once")
    if moved:
        lines.append(f"interactions: {'; '.join(moved)}")
    for count, what in (
        (plan.touchpoints, "touchpoints"),
        (plan.events, "life events"),
        (plan.gifts, "gifts"),
    ):
        if count:
            lines.append(f"{what}: {count} moved")
    for name, value in plan.filled.items():
        lines.append(f"{name}: {value} (was empty)")
    for c in plan.conflicts:
        lines.append(f"conflict: {c.field}: kept {c.kept}; {c.other} goes into the notes")
    if plan.notes_appended:
        lines.append(f"notes: appended under a line naming {plan.other.name} (#{plan.other.id})")
    if plan.added_on:
        lines.append(f"added on: {plan.added_on.isoformat()} (the earlier)")
    if plan.unarchived:
        lines.append(f"archived: no longer ({plan.other.name} was active)")
    elif plan.archived:
        lines.append("archived: stays archived (both were)")
    for key, what in plan.snoozes:
        lines.append(f"snooze {key}: {what}")
    return lines
