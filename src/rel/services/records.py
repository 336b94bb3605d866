"""Keeping the record right: every record by its key, listed, corrected and removed.

A key is a letter and the record's number: `i42` an interaction, `t3` a touchpoint (a
reminder, a follow-up, a congratulation, an anniversary), `e5` a life event, `g2` a gift. The
agenda's rows keep their own keys (`c12` a catch-up, `b12` a birthday: they name a contact,
not a record). A contact is still named by WHO; a bare number is a contact's id, so `12`,
`#12` and `alice` are contacts and `i12` is an interaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from rel.errors import BadValue, NotFound, shown
from rel.services.contacts import clean_text

if TYPE_CHECKING:
    from sqlmodel import Session

    from rel.store.models import Gift, Interaction, LifeEvent, Touchpoint

RECORD_KINDS = {"i": "interaction", "t": "touchpoint", "e": "life event", "g": "gift"}
_RECORD_KEY = re.compile(r"([itegITEG])(\d{1,18})")
_AGENDA_KEY = re.compile(r"([cbCB])(\d{1,18})")
LISTED_BY = {"i": "rel history", "t": "rel reminders", "e": "rel events", "g": "rel gifts"}
CLEARING = ("", "none", "never", "off")

# the options of `rel edit KEY` that fit each kind of record, in the order --help lists them
FITS = {
    "i": ("--note", "--on", "--at", "--kind", "--with", "--without", "--they", "--me"),
    "t": ("--text", "--on", "--every", "--once", "--lead", "--kind"),
    "e": ("--kind", "--on", "--text"),
    "g": ("--text", "--on", "--for", "--cost", "--lead"),
}
RECORD_ONLY_OPTIONS = tuple(
    dict.fromkeys(o for options in FITS.values() for o in options if o not in ("--note", "--every"))
)


def record_key(text: str) -> tuple[str, int] | None:
    """(`i`, 42) for `i42`; None when `text` is not shaped like a record's key (then it is WHO)."""
    match = _RECORD_KEY.fullmatch(text.strip())
    if not match:
        return None
    return match.group(1).lower(), int(match.group(2))


def refuse_agenda_key(text: str, verb: str) -> None:
    """`c12` / `b12` name an agenda row about contact 12, not a record: say what to type."""
    match = _AGENDA_KEY.fullmatch(text.strip())
    if match:
        number = match.group(2)
        row = "catch-up" if match.group(1).lower() == "c" else "birthday"
        raise BadValue(
            f"{text.strip()} is the {row} row of contact #{number} on the agenda, not a record; "
            f"rel {verb} {number} {'changes' if verb == 'edit' else 'deletes'} the contact, "
            "and rel done / snooze / skip act on the row"
        )


def _key(prefix: str, number: int) -> str:
    return f"{prefix}{number}"


def _not_found(prefix: str, number: int) -> NotFound:
    return NotFound(
        f"no {RECORD_KINDS[prefix]} has the key {prefix}{number} ({LISTED_BY[prefix]} lists them)"
    )


# --- what the listings return ----------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    id: int
    name: str


@dataclass(frozen=True)
class InteractionRecord:
    key: str
    on: date
    at: time | None
    kind: str
    direction: str  # me: I reached out; them: they did
    note: str | None
    participants: tuple[Party, ...]
    follow_ups: tuple[str, ...]  # keys of the touchpoints its --follow-up made


@dataclass(frozen=True)
class TouchpointRecord:
    key: str
    contact: Party
    kind: str
    text: str
    due: date  # the open occurrence (for a recurring one, the next)
    start: date
    rule: str | None
    lead: str | None
    state: str  # open, done, skipped
    made_by: str | None  # the interaction (i42) or life event (e5) that made it
    completions: int


@dataclass(frozen=True)
class EventRecord:
    key: str
    contact: Party
    kind: str
    on: date
    text: str | None
    touchpoints: tuple[str, ...]  # its congratulation and anniversary


@dataclass(frozen=True)
class GiftRecord:
    key: str
    contact: Party
    direction: str  # idea, gave, got
    text: str
    occasion: str | None
    on: date | None
    cost: str | None
    lead: str | None


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _parties(session: Session, contact_ids: Iterable[int]) -> dict[int, Party]:
    from sqlmodel import col, select

    from rel.store.models import Contact

    found: dict[int, Party] = {}
    for chunk in _chunks(sorted(set(contact_ids))):
        for contact_id, name in session.exec(
            select(Contact.id, Contact.name).where(col(Contact.id).in_(chunk))
        ):
            found[contact_id] = Party(contact_id, name)
    return found


def history(
    session: Session,
    *,
    contact_id: int | None = None,
    kind: str | None = None,
    since: date | None = None,
    limit: int | None = None,
) -> tuple[list[InteractionRecord], int]:
    """Interactions newest first (of one contact, of one kind, since a day), at most `limit`,
    and how many match in all."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from rel.store.models import Contact, Interaction, Participant, Touchpoint

    query = select(Interaction)
    if contact_id is not None:
        query = query.where(
            col(Interaction.id).in_(
                select(Participant.interaction_id).where(Participant.contact_id == contact_id)
            )
        )
    if kind is not None:
        query = query.where(Interaction.kind == kind)
    if since is not None:
        query = query.where(Interaction.on >= since)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    query = query.order_by(
        col(Interaction.on).desc(), col(Interaction.at).desc(), col(Interaction.id).desc()
    )
    if limit is not None:
        query = query.limit(limit)
    found = list(session.exec(query).all())
    ids = [i.id for i in found if i.id is not None]
    people: dict[int, list[Party]] = {}
    follow_ups: dict[int, list[str]] = {}
    for chunk in _chunks(ids):
        for interaction_id, person_id, name in session.exec(
            select(Participant.interaction_id, Contact.id, Contact.name)
            .join(Contact, Contact.id == Participant.contact_id)
            .where(col(Participant.interaction_id).in_(chunk))
            .order_by(Contact.name, Contact.id)
        ):
            people.setdefault(interaction_id, []).append(Party(person_id, name))
        for touchpoint_id, interaction_id in session.exec(
            select(Touchpoint.id, Touchpoint.interaction_id)
            .where(col(Touchpoint.interaction_id).in_(chunk))
            .order_by(Touchpoint.id)
        ):
            follow_ups.setdefault(interaction_id, []).append(f"t{touchpoint_id}")
    records = [
        InteractionRecord(
            key=f"i{i.id}",
            on=i.on,
            at=i.at,
            kind=i.kind,
            direction=i.direction,
            note=i.note,
            participants=tuple(people.get(i.id, ())),  # type: ignore[arg-type]
            follow_ups=tuple(follow_ups.get(i.id, ())),  # type: ignore[arg-type]
        )
        for i in found
    ]
    return records, int(total)


def reminders(
    session: Session, *, contact_id: int | None = None, closed: bool = False
) -> list[TouchpointRecord]:
    """Open touchpoints by their next date (with `closed`, the done and skipped ones too)."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from rel.store.models import Completion, Touchpoint

    query = select(Touchpoint)
    if contact_id is not None:
        query = query.where(Touchpoint.contact_id == contact_id)
    if not closed:
        query = query.where(Touchpoint.state == "open")
    found = list(session.exec(query.order_by(Touchpoint.due, Touchpoint.id)).all())
    counts: dict[int, int] = {}
    ids = [t.id for t in found if t.id is not None]
    for chunk in _chunks(ids):
        for touchpoint_id, count in session.exec(
            select(Completion.touchpoint_id, func.count())
            .where(col(Completion.touchpoint_id).in_(chunk))
            .group_by(Completion.touchpoint_id)
        ):
            counts[touchpoint_id] = count
    parties = _parties(session, (t.contact_id for t in found))
    return [
        TouchpointRecord(
            key=f"t{t.id}",
            contact=parties[t.contact_id],
            kind=t.kind,
            text=t.text,
            due=t.due,
            start=t.start,
            rule=t.rule,
            lead=t.lead,
            state=t.state,
            made_by=(
                f"i{t.interaction_id}"
                if t.interaction_id
                else (f"e{t.event_id}" if t.event_id else None)
            ),
            completions=counts.get(t.id, 0),  # type: ignore[arg-type]
        )
        for t in found
    ]


def events(session: Session, *, contact_id: int | None = None) -> list[EventRecord]:
    """Life events, newest first, with the touchpoints each one made."""
    from sqlmodel import col, select

    from rel.store.models import LifeEvent, Touchpoint

    query = select(LifeEvent)
    if contact_id is not None:
        query = query.where(LifeEvent.contact_id == contact_id)
    found = list(
        session.exec(query.order_by(col(LifeEvent.on).desc(), col(LifeEvent.id).desc())).all()
    )
    made: dict[int, list[str]] = {}
    ids = [e.id for e in found if e.id is not None]
    for chunk in _chunks(ids):
        for touchpoint_id, event_id in session.exec(
            select(Touchpoint.id, Touchpoint.event_id)
            .where(col(Touchpoint.event_id).in_(chunk))
            .order_by(Touchpoint.id)
        ):
            made.setdefault(event_id, []).append(f"t{touchpoint_id}")
    parties = _parties(session, (e.contact_id for e in found))
    return [
        EventRecord(
            key=f"e{e.id}",
            contact=parties[e.contact_id],
            kind=e.kind,
            on=e.on,
            text=e.text,
            touchpoints=tuple(made.get(e.id, ())),  # type: ignore[arg-type]
        )
        for e in found
    ]


def gifts(session: Session, *, contact_id: int | None = None) -> list[GiftRecord]:
    """Gift ideas and gifts given and received, newest first (undated ideas first of all)."""
    from sqlmodel import col, select

    from rel.store.models import Gift

    query = select(Gift)
    if contact_id is not None:
        query = query.where(Gift.contact_id == contact_id)
    found = list(session.exec(query.order_by(col(Gift.id).desc())).all())
    found.sort(key=lambda g: (g.on is not None, -(g.on or date.min).toordinal()))
    parties = _parties(session, (g.contact_id for g in found))
    return [
        GiftRecord(
            key=f"g{g.id}",
            contact=parties[g.contact_id],
            direction=g.direction,
            text=g.text,
            occasion=g.occasion,
            on=g.on,
            cost=g.cost,
            lead=g.lead,
        )
        for g in found
    ]


# --- rel log: the same interaction twice -----------------------------------------------------


def earlier_same_interaction(
    source: Any, contact_ids: Sequence[int], kind: str, on: date
) -> int | None:
    """The newest interaction of `kind` on `on` with exactly these people, if one was logged
    already. `source` is a session or a Reader (rel log runs on sqlite3, without the ORM)."""
    from rel.store.queries import as_reader

    wanted = set(contact_ids)
    taking_part: dict[int, set[int]] = {}
    for interaction_id, contact_id in as_reader(source).rows(
        "participants_of_kind_on_day", on=on, kind=kind
    ):
        taking_part.setdefault(interaction_id, set()).add(contact_id)
    same = [number for number, people in taking_part.items() if people == wanted]
    return max(same) if same else None


# --- contact notes -----------------------------------------------------------------------------


def with_note_added(notes: str | None, text: str, today: date) -> str:
    """The notes with one dated line appended: `2026-03-01: met at the conference`."""
    line = clean_text(text, "a note", one_line=True)
    if not line:
        raise BadValue('expected a note to add, such as "met at the conference"')
    entry = f"{today.isoformat()}: {line}"
    return f"{notes.rstrip()}\n{entry}" if notes and notes.strip() else entry


# --- describing and removing --------------------------------------------------------------------


def _load(session: Session, prefix: str, number: int) -> Any:
    from rel.store.models import Gift, Interaction, LifeEvent, Touchpoint

    model = {"i": Interaction, "t": Touchpoint, "e": LifeEvent, "g": Gift}[prefix]
    found = session.get(model, number)
    if found is None:
        raise _not_found(prefix, number)
    return found


def _names(session: Session, interaction_id: int) -> list[str]:
    from sqlmodel import select

    from rel.store.models import Contact, Participant

    return list(
        session.exec(
            select(Contact.name)
            .join(Participant, Participant.contact_id == Contact.id)
            .where(Participant.interaction_id == interaction_id)
            .order_by(Contact.name)
        ).all()
    )


def _contact_name(session: Session, contact_id: int) -> str:
    from rel.store.models import Contact

    contact = session.get(Contact, contact_id)
    return contact.name if contact else f"#{contact_id}"


def _quoted(text: str | None) -> str:
    if not text:
        return ""
    return f' "{text[:57] + "…" if len(text) > 60 else text}"'


def describe_record(session: Session, key: str) -> str:
    """One line naming a record for a person: `i42, a lunch with Alice Chen on 2026-02-20`."""
    prefix, number = _parsed(key)
    record = _load(session, prefix, number)
    return _describe(session, prefix, record)


def _describe(session: Session, prefix: str, record: Any) -> str:
    key = _key(prefix, record.id)
    if prefix == "i":
        with_whom = ", ".join(_names(session, record.id)) or "nobody"
        return (
            f"{key}, {_a(record.kind)} with {with_whom} on {record.on.isoformat()}"
            f"{_quoted(' '.join((record.note or '').split()))}"
        )
    name = _contact_name(session, record.contact_id)
    if prefix == "t":
        when = f"next {record.due.isoformat()}" if record.state == "open" else f"{record.state}"
        return f"{key}, {_a(touchpoint_word(record.kind))} for {name}: {record.text} ({when})"
    if prefix == "e":
        what = f": {record.text}" if record.text else ""
        return f"{key}, {name}'s {record.kind.replace('-', ' ')}{what} on {record.on.isoformat()}"
    label = {"idea": "a gift idea for", "gave": "a gift to", "got": "a gift from"}
    on = f" ({record.on.isoformat()})" if record.on else ""
    return f"{key}, {label[record.direction]} {name}: {record.text}{on}"


TOUCHPOINT_WORDS = {
    "custom": "reminder", "congratulate": "congratulation", "gift": "gift reminder",
    "catch-up": "catch-up reminder", "birthday": "birthday reminder",
}  # fmt: skip


def touchpoint_word(kind: str) -> str:
    """A touchpoint's kind as a noun: a reminder, a follow-up, a congratulation ..."""
    return TOUCHPOINT_WORDS.get(kind, kind)


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _parsed(key: str) -> tuple[str, int]:
    parsed = record_key(key)
    if parsed is None:
        raise BadValue(f"expected a record's key such as i42, t3, e5 or g2; got {shown(key)}")
    return parsed


def remove_record(session: Session, key: str) -> str:
    """Delete a record; returns what went, in words. An interaction's participants go with it
    (so everyone's last interaction and catch-up follow); a touchpoint's completions and
    snooze go with it; a life event takes its congratulation and anniversary along."""
    from sqlmodel import select

    from rel.store.models import Participant

    prefix, number = _parsed(key)
    record = _load(session, prefix, number)
    what = _describe(session, prefix, record)
    extra = ""
    if prefix == "i":
        follow_ups = _follow_ups_of(session, number)
        for participant in session.exec(
            select(Participant).where(Participant.interaction_id == number)
        ).all():
            session.delete(participant)
        session.flush()  # the participants first: the store's triggers reset last_seen
        for touchpoint in follow_ups:
            touchpoint.interaction_id = None
            session.add(touchpoint)
        session.flush()
        if follow_ups:
            keys = ", ".join(f"t{t.id}" for t in follow_ups)
            extra = f"; its follow-up {keys} stays (rel rm t{follow_ups[0].id} removes it)"
    elif prefix == "t":
        count = _remove_touchpoint(session, record)
        extra = f", with its {count} completion{'s' if count != 1 else ''}" if count else ""
    elif prefix == "e":
        made = _touchpoints_of_event(session, number)
        for touchpoint in made:
            _remove_touchpoint(session, touchpoint)
        if made:
            extra = ", with " + " and ".join(f"its {touchpoint_word(t.kind)} t{t.id}" for t in made)
    else:
        _drop_snooze(session, key=f"g{number}")
    if prefix != "t":  # _remove_touchpoint deleted it
        session.delete(record)
    session.flush()
    return what + extra


def _follow_ups_of(session: Session, interaction_id: int) -> list[Touchpoint]:
    from sqlmodel import select

    from rel.store.models import Touchpoint

    return list(
        session.exec(
            select(Touchpoint)
            .where(Touchpoint.interaction_id == interaction_id)
            .order_by(Touchpoint.id)
        ).all()
    )


def _touchpoints_of_event(session: Session, event_id: int) -> list[Touchpoint]:
    from sqlmodel import select

    from rel.store.models import Touchpoint

    return list(
        session.exec(
            select(Touchpoint).where(Touchpoint.event_id == event_id).order_by(Touchpoint.id)
        ).all()
    )


def _remove_touchpoint(session: Session, touchpoint: Touchpoint) -> int:
    """Delete a touchpoint's completions and snooze, then the touchpoint; the completions."""
    from sqlmodel import select

    from rel.store.models import Completion

    completions = session.exec(
        select(Completion).where(Completion.touchpoint_id == touchpoint.id)
    ).all()
    for completion in completions:
        session.delete(completion)
    _drop_snooze(session, key=f"t{touchpoint.id}")
    session.flush()
    session.delete(touchpoint)
    session.flush()
    return len(completions)


def _drop_snooze(session: Session, *, key: str) -> None:
    from rel.store.models import Snooze

    snoozed = session.get(Snooze, key)
    if snoozed is not None:
        session.delete(snoozed)


# --- editing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edited:
    key: str
    what: str  # the record as it is now, in words
    changes: list[str]  # a phrase per change made; empty: nothing changed


def check_options_fit(key: str, given: Sequence[str]) -> None:
    """Exit 1 naming the options that fit when one typed does not fit the record's kind."""
    prefix, _number = _parsed(key)
    unfit = [option for option in given if option not in FITS[prefix]]
    if unfit:
        kind = RECORD_KINDS[prefix]
        raise BadValue(
            f"{', '.join(unfit)} {'does' if len(unfit) == 1 else 'do'} not fit {_a(kind)} "
            f"({key.strip()}); {_a(kind)} takes {', '.join(FITS[prefix])}"
        )


def edit_record(
    session: Session, key: str, options: dict[str, Any], *, today: date, now: datetime
) -> Edited:
    """Apply the options typed (`--note`: value, ...) to the record `key`, all or nothing.

    Values are the words typed; WHEN, TIME, DUR and RULE are read here because what they mean
    depends on the record (an interaction's day is in the past, a reminder's ahead)."""
    check_options_fit(key, list(options))
    prefix, number = _parsed(key)
    record = _load(session, prefix, number)
    edit = {"i": _edit_interaction, "t": _edit_touchpoint, "e": _edit_event, "g": _edit_gift}
    changes = edit[prefix](session, record, options, today=today, now=now)
    session.flush()
    return Edited(_key(prefix, number), _describe(session, prefix, record), changes)


def _clearing(value: str) -> bool:
    return value.strip().lower() in CLEARING


def _edit_interaction(
    session: Session, interaction: Interaction, options: dict[str, Any], *, today: date,
    now: datetime,
) -> list[str]:  # fmt: skip
    from sqlmodel import select

    from rel.domain.dates import parse_time, parse_when
    from rel.services.interactions import parse_kind
    from rel.services.who import resolve
    from rel.store.models import Participant

    del now
    changes: list[str] = []
    if options.get("--they") and options.get("--me"):
        raise BadValue("expected one of --they (they reached out) or --me (you did); got both")
    if "--note" in options:
        note = clean_text(options["--note"], "a note")
        if note != interaction.note:
            interaction.note = note
            changes.append("note removed" if note is None else "note set")
    if "--on" in options:
        day = parse_when(options["--on"], today, past=True)
        if day > today:
            raise BadValue(
                f"expected the date of something that happened (today, {today.isoformat()}, "
                f"or before); got {day.isoformat()}"
            )
        if day != interaction.on:
            changes.append(f"date {interaction.on.isoformat()} → {day.isoformat()}")
            interaction.on = day
    if "--at" in options:
        at = None if _clearing(options["--at"]) else parse_time(options["--at"])
        if at != interaction.at:
            interaction.at = at
            changes.append("time removed" if at is None else f"time {at:%H:%M}")
    if "--kind" in options:
        kind = parse_kind(options["--kind"])
        if kind != interaction.kind:
            changes.append(f"kind {interaction.kind} → {kind}")
            interaction.kind = kind
    direction = "them" if options.get("--they") else ("me" if options.get("--me") else None)
    if direction and direction != interaction.direction:
        interaction.direction = direction
        changes.append("they reached out" if direction == "them" else "you reached out")
    taking_part = {
        p.contact_id: p
        for p in session.exec(
            select(Participant).where(Participant.interaction_id == interaction.id)
        ).all()
    }
    for who in options.get("--with") or []:
        contact = resolve(session, who)
        if contact.id not in taking_part:
            taking_part[contact.id] = Participant(  # type: ignore[index]
                interaction_id=interaction.id, contact_id=contact.id
            )
            session.add(taking_part[contact.id])  # type: ignore[index]
            changes.append(f"with {contact.name}")
    for who in options.get("--without") or []:
        contact = resolve(session, who)
        if contact.id not in taking_part:
            raise NotFound(f"{contact.name} (#{contact.id}) is not in i{interaction.id}")
        session.delete(taking_part.pop(contact.id))  # type: ignore[arg-type]
        changes.append(f"without {contact.name}")
    if not taking_part:
        raise BadValue(
            f"i{interaction.id} cannot lose its last participant; "
            f"--with someone else first, or rel rm i{interaction.id} removes it"
        )
    session.add(interaction)
    return changes


def _edit_touchpoint(
    session: Session, touchpoint: Touchpoint, options: dict[str, Any], *, today: date,
    now: datetime,
) -> list[str]:  # fmt: skip
    from rel.domain.dates import parse_duration, parse_rule, parse_when
    from rel.services.touchpoints import parse_touchpoint_kind

    del now
    changes: list[str] = []
    if "--every" in options and options.get("--once"):
        raise BadValue("expected one of --every RULE (repeat) or --once (no repeat); got both")
    if "--text" in options:
        text = clean_text(options["--text"], "the text of a reminder", one_line=True)
        if not text:
            raise BadValue('expected the text of a reminder, such as "send the deck"')
        if text != touchpoint.text:
            touchpoint.text = text
            changes.append(f"text {text!r}")
    if "--kind" in options:
        kind = parse_touchpoint_kind(options["--kind"])
        if kind != touchpoint.kind:
            changes.append(f"kind {touchpoint.kind} → {kind}")
            touchpoint.kind = kind
    if "--lead" in options:
        lead = None if _clearing(options["--lead"]) else str(parse_duration(options["--lead"]))
        if lead != touchpoint.lead:
            touchpoint.lead = lead
            changes.append("no lead time" if lead is None else f"lead {lead}")
    start, rule = touchpoint.start, touchpoint.rule
    if "--on" in options:
        start = parse_when(options["--on"], today, past=False)
    elif "--every" in options or options.get("--once"):
        start = touchpoint.due  # a new rule counts from the open occurrence, not the past
    if "--every" in options:
        rule = str(parse_rule(options["--every"], start))
    elif options.get("--once"):
        rule = None
    if (start, rule) != (touchpoint.start, touchpoint.rule) or "--on" in options:
        due = start
        if rule:
            from rel.domain.dates import Rule

            first = Rule(rule, start).next_after(start, inclusive=True)
            if first is None:
                raise BadValue(f"expected a rule that comes up on or after {start.isoformat()}")
            due = first
        if rule != touchpoint.rule:
            changes.append(f"repeats {rule}" if rule else "once")
        if due != touchpoint.due:
            changes.append(f"due {touchpoint.due.isoformat()} → {due.isoformat()}")
        touchpoint.start, touchpoint.rule, touchpoint.due = start, rule, due
        if touchpoint.state != "open" and "--on" in options:
            touchpoint.state = "open"
            changes.append("open again")
        _drop_snooze(session, key=f"t{touchpoint.id}")
    session.add(touchpoint)
    return changes


def _edit_event(
    session: Session, event: LifeEvent, options: dict[str, Any], *, today: date, now: datetime
) -> list[str]:
    from rel.domain.dates import parse_when
    from rel.services.touchpoints import (
        CONGRATULATE_WITHIN,
        EVENT_WORDS,
        YEARLY_EVENTS,
        parse_event_kind,
    )

    changes: list[str] = []
    if "--kind" in options:
        kind = parse_event_kind(options["--kind"])
        if kind != event.kind:
            changes.append(f"kind {event.kind} → {kind}")
            event.kind = kind
    if "--on" in options:
        day = parse_when(options["--on"], today, past=True)
        if day > today + timedelta(days=3660):
            raise BadValue(f"expected a date within ten years; got {day.isoformat()}")
        if day != event.on:
            changes.append(f"date {event.on.isoformat()} → {day.isoformat()}")
            event.on = day
    if "--text" in options:
        text = clean_text(options["--text"], "the text of an event", one_line=True)
        if text != event.text:
            event.text = text
            changes.append("text removed" if text is None else f"text {text!r}")
    session.add(event)
    if not changes:
        return changes
    # its touchpoints follow: the congratulation's words and day, the anniversary's
    suffix = f": {event.text}" if event.text else ""
    made = _touchpoints_of_event(session, event.id)  # type: ignore[arg-type]
    congratulations = [t for t in made if t.kind == "congratulate"]
    anniversaries = [t for t in made if t.kind == "anniversary"]
    for touchpoint in congratulations:
        touchpoint.text = EVENT_WORDS[event.kind] + suffix
        if touchpoint.state == "open" and touchpoint.due != event.on:
            touchpoint.start = touchpoint.due = event.on
            changes.append(f"congratulation t{touchpoint.id} due {event.on.isoformat()}")
        session.add(touchpoint)
    if not congratulations and event.on >= today - CONGRATULATE_WITHIN:
        added = _schedule_for_event(
            session, event, EVENT_WORDS[event.kind] + suffix, kind="congratulate", now=now
        )
        changes.append(f"congratulation t{added.id} due {added.due.isoformat()}")
    if event.kind not in YEARLY_EVENTS:
        for touchpoint in anniversaries:
            changes.append(f"anniversary t{touchpoint.id} removed")
            _remove_touchpoint(session, touchpoint)
        return changes
    words = YEARLY_EVENTS[event.kind] + suffix
    if not anniversaries:
        anniversaries = [
            _schedule_for_event(session, event, words, kind="anniversary", now=now, yearly=True)
        ]
    for touchpoint in anniversaries:
        touchpoint.text = words
        touchpoint.start = event.on
        touchpoint.due = _next_anniversary(session, touchpoint, today)
        session.add(touchpoint)
        changes.append(f"anniversary t{touchpoint.id} due {touchpoint.due.isoformat()}")
    return changes


def _schedule_for_event(
    session: Session, event: LifeEvent, text: str, *, kind: str, now: datetime,
    yearly: bool = False,
) -> Touchpoint:  # fmt: skip
    from rel.services.touchpoints import touchpoint_values
    from rel.store.models import Touchpoint

    touchpoint = Touchpoint(
        **touchpoint_values(
            event.contact_id, text, on=event.on, kind=kind,
            rule="FREQ=YEARLY" if yearly else None, now=now, event_id=event.id,
        )
    )  # fmt: skip
    session.add(touchpoint)
    session.flush()
    return touchpoint


def _next_anniversary(session: Session, touchpoint: Touchpoint, today: date) -> date:
    """The first anniversary from yesterday on (as rel event schedules it), after any one
    already done or skipped."""
    from sqlalchemy import func
    from sqlmodel import select

    from rel.domain.dates import Rule
    from rel.store.models import Completion

    closed = session.exec(
        select(func.max(Completion.occurrence)).where(Completion.touchpoint_id == touchpoint.id)
    ).one()
    after = max(touchpoint.start, today - timedelta(days=1), closed or date.min)
    following = Rule("FREQ=YEARLY", touchpoint.start).next_after(after)
    return following or touchpoint.start


def _edit_gift(
    session: Session, gift: Gift, options: dict[str, Any], *, today: date, now: datetime
) -> list[str]:
    from rel.domain.dates import parse_duration, parse_when

    del now
    changes: list[str] = []
    if "--text" in options:
        text = clean_text(options["--text"], "the gift", one_line=True)
        if not text:
            raise BadValue('expected what the gift is, such as "a book on sailing"')
        if text != gift.text:
            gift.text = text
            changes.append(f"text {text!r}")
    if "--on" in options:
        if _clearing(options["--on"]):
            if gift.direction != "idea":
                raise BadValue(
                    "expected the day a gift was given or received; only an idea can go without"
                )
            day = None
        else:
            day = parse_when(options["--on"], today, past=gift.direction != "idea")
        if day != gift.on:
            gift.on = day
            changes.append("date removed" if day is None else f"date {day.isoformat()}")
    for option, field, what in (("--for", "occasion", "an occasion"), ("--cost", "cost", "a cost")):
        if option in options:
            value = clean_text(options[option], what, one_line=True)
            if value and value.lower() in CLEARING:
                value = None
            if value != getattr(gift, field):
                setattr(gift, field, value)
                changes.append(f"{field} removed" if value is None else f"{field} {value}")
    if "--lead" in options:
        lead = None if _clearing(options["--lead"]) else str(parse_duration(options["--lead"]))
        if lead != gift.lead:
            gift.lead = lead
            changes.append("no lead time" if lead is None else f"lead {lead}")
    session.add(gift)
    return changes
