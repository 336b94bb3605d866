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

from rel.errors import BadValue
from rel.services.who import describe, fold, search_value

if TYPE_CHECKING:
    from sqlmodel import Session

    from rel.store.models import Contact

SCALAR_FIELDS = ("company", "title", "met", "birthday", "cadence")


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


def _scalars(contact: Contact) -> dict[str, Any]:
    return {
        "company": contact.company,
        "title": contact.title,
        "met": contact.met,
        "birthday": (contact.birthday_month, contact.birthday_day, contact.birthday_year)
        if contact.birthday_month and contact.birthday_day
        else None,
        "cadence": contact.cadence,
    }


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


def plan_merge(session: Session, keep: Contact, other: Contact, *, today: date) -> MergePlan:
    """What folding `other` into `keep` would do; reads only."""
    from sqlmodel import col, func, select

    from rel.store.models import (
        ContactTag,
        Gift,
        Handle,
        Interaction,
        LifeEvent,
        Participant,
        Snooze,
        Tag,
        Touchpoint,
    )

    assert keep.id is not None and other.id is not None
    if keep.id == other.id:
        raise BadValue(
            f"cannot merge {describe(keep)} into themselves: WHO1 and WHO2 name the same contact"
        )
    plan = MergePlan(
        Side(keep.id, keep.name, keep.archived), Side(other.id, other.name, other.archived)
    )

    # handles: an email, phone, link or alias WHO1 has already is dropped, not doubled
    known = {
        (h.kind, h.search_value)
        for h in session.exec(select(Handle).where(Handle.contact_id == keep.id)).all()
    }
    theirs = session.exec(
        select(Handle).where(Handle.contact_id == other.id).order_by(col(Handle.position))
    ).all()
    for handle in theirs:
        assert handle.id is not None
        if (handle.kind, handle.search_value) in known:
            plan.handles_known.append((handle.kind, handle.value))
        else:
            known.add((handle.kind, handle.search_value))
            plan.handles.append((handle.kind, handle.value))
            plan._handle_ids_moved.append(handle.id)
    folded_name = fold(other.name)
    if (
        folded_name != fold(keep.name)
        and ("alias", search_value("alias", other.name)) not in known
        and not re.fullmatch(r"#?\d+", other.name.strip())  # a number would read as an id
    ):
        plan.name_alias = other.name

    # tags
    def tag_rows(contact_id: int) -> dict[int, str]:
        rows = session.exec(
            select(Tag.id, Tag.name)
            .join(ContactTag, col(ContactTag.tag_id) == col(Tag.id))
            .where(ContactTag.contact_id == contact_id)
            .order_by(col(Tag.name))
        ).all()
        return {tag_id: name for tag_id, name in rows}

    mine_tags = tag_rows(keep.id)
    for tag_id, name in tag_rows(other.id).items():
        if tag_id not in mine_tags:
            plan.tags.append(name)
            plan._tag_ids.append(tag_id)

    # interactions: who took part in each of either's, to find shared and identical ones
    involved = (
        select(Participant.interaction_id)
        .where(col(Participant.contact_id).in_([keep.id, other.id]))
        .scalar_subquery()
    )
    people: dict[int, set[int]] = {}
    for interaction_id, contact_id in session.exec(
        select(Participant.interaction_id, Participant.contact_id).where(
            col(Participant.interaction_id).in_(involved)
        )
    ).all():
        people.setdefault(interaction_id, set()).add(contact_id)
    rows: dict[int, Any] = {}
    for chunk in _chunks(sorted(people)):
        rows.update(
            (row.id, row)
            for row in session.exec(select(Interaction).where(col(Interaction.id).in_(chunk)))
        )
    mine_only: dict[tuple[Any, ...], int] = {}
    changed: list[tuple[int, frozenset[int]]] = []
    for interaction_id in sorted(people):
        who = people[interaction_id]
        if other.id not in who:
            mine_only.setdefault(_signature(rows[interaction_id], frozenset(who)), interaction_id)
            continue
        after = frozenset((who - {other.id}) | {keep.id})
        changed.append((interaction_id, after))
        if keep.id in who:
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

    def count(model: Any) -> int:
        return int(
            session.exec(
                select(func.count()).select_from(model).where(model.contact_id == other.id)
            ).one()
        )

    plan.touchpoints = count(Touchpoint)
    plan.events = count(LifeEvent)
    plan.gifts = count(Gift)

    # scalar fields: WHO1's kept, WHO2's fill the blanks, differences go into the notes
    mine, theirs_fields = _scalars(keep), _scalars(other)
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
    their_notes = other.notes if other.notes and other.notes not in (keep.notes or "") else None
    if their_notes or plan.conflicts:
        lines = [f"From {describe(other)}, merged on {today.isoformat()}:"]
        lines += [f"{c.field}: {c.other} (kept {c.kept})" for c in plan.conflicts]
        if their_notes:
            lines.append(their_notes)
        section = "\n".join(lines)
        plan._notes = f"{keep.notes.rstrip()}\n\n{section}" if keep.notes else section
        plan.notes_appended = True

    if other.added_on < keep.added_on:
        plan.added_on = other.added_on
    # Either active makes the result active: archiving only hides someone, so the mistake to
    # avoid is hiding a relationship still kept up through the other record; someone shown
    # once too often is archived again in one command.
    plan.archived = keep.archived and other.archived
    plan.unarchived = keep.archived and not other.archived

    # snoozes on WHO2's agenda rows (c = catch-up, b = birthday): they said "not before this
    # day" about this person, so they carry over to WHO1's row unless WHO1 has its own; a
    # birthday snooze only when the merged birthday is the day it was snoozed for
    snoozed = {
        s.key: s
        for s in session.exec(
            select(Snooze).where(
                col(Snooze.key).in_([f"c{keep.id}", f"b{keep.id}", f"c{other.id}", f"b{other.id}"])
            )
        ).all()
    }
    birthday_after = plan._fields.get("birthday", mine["birthday"])
    for prefix in ("c", "b"):
        theirs_key, mine_key = f"{prefix}{other.id}", f"{prefix}{keep.id}"
        if theirs_key not in snoozed:
            continue
        until = snoozed[theirs_key].until.isoformat()
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
    session: Session, keep: Contact, other: Contact, plan: MergePlan, *, now: datetime
) -> None:
    """Carry out `plan` (made by `plan_merge` in this transaction) and delete `other`."""
    from sqlalchemy import delete, update
    from sqlmodel import col, func, select

    from rel.store.models import (
        ContactTag,
        Gift,
        Handle,
        Interaction,
        LifeEvent,
        Participant,
        Snooze,
        Touchpoint,
    )

    assert keep.id == plan.keep.id and other.id == plan.other.id

    def run(statement: Any) -> None:
        session.exec(statement)

    position = session.exec(
        select(func.coalesce(func.max(Handle.position), -1)).where(Handle.contact_id == keep.id)
    ).one()
    for handle_id in plan._handle_ids_moved:
        position += 1
        run(
            update(Handle)
            .where(col(Handle.id) == handle_id)
            .values(contact_id=keep.id, position=position)
        )
    if plan.name_alias:
        position += 1
        session.add(
            Handle(
                contact_id=keep.id,
                kind="alias",
                value=plan.name_alias,
                search_value=search_value("alias", plan.name_alias),
                position=position,
            )
        )
    for tag_id in plan._tag_ids:
        session.add(ContactTag(contact_id=keep.id, tag_id=tag_id))

    # identical interactions first: a follow-up made by the dropped one now hangs off the kept
    for dropped, kept in plan._folded.items():
        run(update(Touchpoint).where(col(Touchpoint.interaction_id) == dropped).values(
            interaction_id=kept))  # fmt: skip
        run(delete(Interaction).where(col(Interaction.id) == dropped))
    shared = [i for i in plan._interaction_ids_shared if i not in plan._folded]
    moved = [i for i in plan._interaction_ids_moved if i not in plan._folded]
    for chunk in _chunks(shared):
        run(
            delete(Participant).where(
                col(Participant.contact_id) == other.id,
                col(Participant.interaction_id).in_(chunk),
            )
        )
    for chunk in _chunks(moved):
        run(
            update(Participant)
            .where(
                col(Participant.contact_id) == other.id,
                col(Participant.interaction_id).in_(chunk),
            )
            .values(contact_id=keep.id)
        )
    for model in (Touchpoint, LifeEvent, Gift):
        run(update(model).where(col(model.contact_id) == other.id).values(contact_id=keep.id))

    for key, to in plan._snooze_moves.items():
        snooze = session.get(Snooze, key)
        if snooze is None:
            continue
        if to is not None:
            session.add(Snooze(key=to, until=snooze.until))
        session.delete(snooze)

    for name, value in plan._fields.items():
        if name == "birthday":
            keep.birthday_month, keep.birthday_day, keep.birthday_year = value
        else:
            setattr(keep, name, value)
    if plan._notes is not None:
        keep.notes = plan._notes
    if plan.added_on is not None:
        keep.added_on = plan.added_on
    if _naive(other.created_at) < _naive(keep.created_at):
        keep.created_at = other.created_at
    keep.archived = plan.archived
    keep.updated_at = now
    session.add(keep)
    session.flush()
    # what is left of WHO2 (handles and tags WHO1 has too) goes explicitly, not by cascade
    run(delete(Handle).where(col(Handle.contact_id) == other.id))
    run(delete(ContactTag).where(col(ContactTag.contact_id) == other.id))
    session.delete(other)
    session.flush()
    session.refresh(keep)  # last_seen, as the store's triggers keep it


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


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
