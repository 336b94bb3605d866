"""Keeping the record right: every record by its key, listed, corrected and removed.

A key is a letter and the record's number: `i42` an interaction, `t3` a touchpoint (a
reminder, a follow-up, a congratulation, an anniversary), `e5` a life event, `g2` a gift. The
agenda's rows keep their own keys (`c12` a catch-up, `b12` a birthday: they name a contact,
not a record). A contact is still named by WHO; a bare number is a contact's id, so `12`,
`#12` and `alice` are contacts and `i12` is an interaction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from rel.domain.dates import show_event_date
from rel.domain.values import clean_text
from rel.errors import BadValue, NotFound, shown
from rel.store import records as stored_records
from rel.store import touchpoints as stored
from rel.store.touchpoints import Party

if TYPE_CHECKING:
    from rel.store.queries import Store

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


def history(
    store: Store,
    *,
    contact_id: int | None = None,
    kind: str | None = None,
    since: date | None = None,
    limit: int | None = None,
) -> tuple[list[InteractionRecord], int]:
    """Interactions newest first (of one contact, of one kind, since a day), at most `limit`,
    and how many match in all."""
    found, total = stored.interactions(
        store, contact_id=contact_id, kind=kind, since=since, limit=limit
    )
    ids = [i.id for i in found]
    people = stored.participants(store, ids)
    follow_ups = stored.follow_ups(store, ids)
    records = [
        InteractionRecord(
            key=f"i{i.id}",
            on=i.on,
            at=i.at,
            kind=i.kind,
            direction=i.direction,
            note=i.note,
            participants=tuple(people.get(i.id, ())),
            follow_ups=tuple(f"t{number}" for number in follow_ups.get(i.id, ())),
        )
        for i in found
    ]
    return records, total


def reminders(
    store: Store, *, contact_id: int | None = None, closed: bool = False
) -> list[TouchpointRecord]:
    """Open touchpoints by their next date (with `closed`, the done and skipped ones too)."""
    found = stored.touchpoints(store, contact_id=contact_id, closed=closed)
    counts = stored.completions_counted(store, [t.id for t in found])
    parties = stored.parties(store, (t.contact_id for t in found))
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
            completions=counts.get(t.id, 0),
        )
        for t in found
    ]


def events(store: Store, *, contact_id: int | None = None) -> list[EventRecord]:
    """Life events, newest first, with the touchpoints each one made."""
    found = stored.life_events(store, contact_id=contact_id)
    made = stored.touchpoints_made_by_events(store, [e.id for e in found])
    parties = stored.parties(store, (e.contact_id for e in found))
    return [
        EventRecord(
            key=f"e{e.id}",
            contact=parties[e.contact_id],
            kind=e.kind,
            on=e.on,
            text=e.text,
            touchpoints=tuple(f"t{number}" for number in made.get(e.id, ())),
        )
        for e in found
    ]


def gifts(store: Store, *, contact_id: int | None = None) -> list[GiftRecord]:
    """Gift ideas and gifts given and received, newest first (undated ideas first of all)."""
    found = stored.gifts(store, contact_id=contact_id)
    found.sort(key=lambda g: (g.on is not None, -(g.on or date.min).toordinal()))
    parties = stored.parties(store, (g.contact_id for g in found))
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


# --- describing and removing --------------------------------------------------------------------


def _load(store: Store, prefix: str, number: int) -> Any:
    load = {
        "i": stored_records.interaction, "t": stored.touchpoint,
        "e": stored_records.life_event, "g": stored.gift,
    }  # fmt: skip
    found = load[prefix](store, number)
    if found is None:
        raise _not_found(prefix, number)
    return found


def _contact_name(store: Store, contact_id: int) -> str:
    return stored_records.contact_name(store, contact_id) or f"#{contact_id}"


def _quoted(text: str | None) -> str:
    if not text:
        return ""
    return f' "{text[:57] + "…" if len(text) > 60 else text}"'


def describe_record(store: Store, key: str) -> str:
    """One line naming a record for a person: `i42, a lunch with Alice Chen on 2026-02-20`."""
    prefix, number = _parsed(key)
    record = _load(store, prefix, number)
    return _describe(store, prefix, record)


def _describe(store: Store, prefix: str, record: Any) -> str:
    key = _key(prefix, record.id)
    if prefix == "i":
        names = [party.name for party in stored_records.participants_of(store, record.id)]
        with_whom = ", ".join(names) or "nobody"
        return (
            f"{key}, {_a(record.kind)} with {with_whom} on {record.on.isoformat()}"
            f"{_quoted(' '.join((record.note or '').split()))}"
        )
    name = _contact_name(store, record.contact_id)
    if prefix == "t":
        when = f"next {record.due.isoformat()}" if record.state == "open" else f"{record.state}"
        return f"{key}, {_a(touchpoint_word(record.kind))} for {name}: {record.text} ({when})"
    if prefix == "e":
        what = f": {record.text}" if record.text else ""
        day = show_event_date(record.on)
        return f"{key}, {name}'s {record.kind.replace('-', ' ')}{what} on {day}"
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


def remove_record(store: Store, key: str) -> str:
    """Delete a record; returns what went, in words. An interaction's participants go with it
    (so everyone's last interaction and catch-up follow); a touchpoint's completions and
    snooze go with it; a life event takes its congratulation and anniversary along."""
    prefix, number = _parsed(key)
    record = _load(store, prefix, number)
    what = _describe(store, prefix, record)
    extra = ""
    if prefix == "i":
        follow_ups = stored_records.follow_ups_of(store, number)
        stored_records.remove_interaction(store, number)
        if follow_ups:
            keys = ", ".join(f"t{n}" for n in follow_ups)
            extra = f"; its follow-up {keys} stays (rel rm t{follow_ups[0]} removes it)"
    elif prefix == "t":
        count = stored_records.remove_touchpoint(store, number)
        extra = f", with its {count} completion{'s' if count != 1 else ''}" if count else ""
    elif prefix == "e":
        made = stored_records.touchpoints_of_event(store, number)
        for touchpoint in made:
            stored_records.remove_touchpoint(store, touchpoint.id)
        stored_records.remove_life_event(store, number)
        if made:
            extra = ", with " + " and ".join(f"its {touchpoint_word(t.kind)} t{t.id}" for t in made)
    else:
        stored_records.remove_gift(store, number)
    return what + extra


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
    store: Store, key: str, options: dict[str, Any], *, today: date, now: datetime
) -> Edited:
    """Apply the options typed (`--note`: value, ...) to the record `key`, all or nothing.

    Values are the words typed; WHEN, TIME, DUR and RULE are read here because what they mean
    depends on the record (an interaction's day is in the past, a reminder's ahead)."""
    check_options_fit(key, list(options))
    prefix, number = _parsed(key)
    record = _load(store, prefix, number)
    edit = {"i": _edit_interaction, "t": _edit_touchpoint, "e": _edit_event, "g": _edit_gift}
    record, changes = edit[prefix](store, record, options, today=today, now=now)
    return Edited(_key(prefix, number), _describe(store, prefix, record), changes)


def _clearing(value: str) -> bool:
    return value.strip().lower() in CLEARING


def _edit_interaction(
    store: Store, interaction: stored_records.Interaction, options: dict[str, Any], *,
    today: date, now: datetime,
) -> tuple[stored_records.Interaction, list[str]]:  # fmt: skip
    from rel.domain.dates import parse_time, parse_when
    from rel.services.interactions import parse_kind
    from rel.services.who import find

    del now
    before = interaction
    changes: list[str] = []
    if options.get("--they") and options.get("--me"):
        raise BadValue("expected one of --they (they reached out) or --me (you did); got both")
    if "--note" in options:
        note = clean_text(options["--note"], "a note")
        if note != interaction.note:
            interaction = replace(interaction, note=note)
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
            interaction = replace(interaction, on=day)
    if "--at" in options:
        at = None if _clearing(options["--at"]) else parse_time(options["--at"])
        if at != interaction.at:
            interaction = replace(interaction, at=at)
            changes.append("time removed" if at is None else f"time {at:%H:%M}")
    if "--kind" in options:
        kind = parse_kind(options["--kind"])
        if kind != interaction.kind:
            changes.append(f"kind {interaction.kind} → {kind}")
            interaction = replace(interaction, kind=kind)
    direction = "them" if options.get("--they") else ("me" if options.get("--me") else None)
    if direction and direction != interaction.direction:
        interaction = replace(interaction, direction=direction)
        changes.append("they reached out" if direction == "them" else "you reached out")
    if interaction != before:
        stored_records.save_interaction(store, interaction)
    taking_part = {party.id for party in stored_records.participants_of(store, interaction.id)}
    for who in options.get("--with") or []:
        contact = find(store, who)
        if contact.id not in taking_part:
            taking_part.add(contact.id)
            stored_records.add_participant(store, interaction.id, contact.id)
            changes.append(f"with {contact.name}")
    for who in options.get("--without") or []:
        contact = find(store, who)
        if contact.id not in taking_part:
            raise NotFound(f"{contact.name} (#{contact.id}) is not in i{interaction.id}")
        taking_part.remove(contact.id)
        stored_records.remove_participant(store, interaction.id, contact.id)
        changes.append(f"without {contact.name}")
    if not taking_part:
        raise BadValue(
            f"i{interaction.id} cannot lose its last participant; "
            f"--with someone else first, or rel rm i{interaction.id} removes it"
        )
    return interaction, changes


def _edit_touchpoint(
    store: Store, touchpoint: stored.Touchpoint, options: dict[str, Any], *, today: date,
    now: datetime,
) -> tuple[stored.Touchpoint, list[str]]:  # fmt: skip
    from rel.domain.dates import parse_duration, parse_rule, parse_when
    from rel.services.touchpoints import parse_touchpoint_kind

    del now
    before = touchpoint
    changes: list[str] = []
    if "--every" in options and options.get("--once"):
        raise BadValue("expected one of --every RULE (repeat) or --once (no repeat); got both")
    if "--text" in options:
        text = clean_text(options["--text"], "the text of a reminder", one_line=True)
        if not text:
            raise BadValue('expected the text of a reminder, such as "send the deck"')
        if text != touchpoint.text:
            touchpoint = replace(touchpoint, text=text)
            changes.append(f"text {text!r}")
    if "--kind" in options:
        kind = parse_touchpoint_kind(options["--kind"])
        if kind != touchpoint.kind:
            changes.append(f"kind {touchpoint.kind} → {kind}")
            touchpoint = replace(touchpoint, kind=kind)
    if "--lead" in options:
        lead = None if _clearing(options["--lead"]) else str(parse_duration(options["--lead"]))
        if lead != touchpoint.lead:
            touchpoint = replace(touchpoint, lead=lead)
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
    dates_set = (start, rule) != (touchpoint.start, touchpoint.rule) or "--on" in options
    if dates_set:
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
        touchpoint = replace(touchpoint, start=start, rule=rule, due=due)
        if touchpoint.state != "open" and "--on" in options:
            touchpoint = replace(touchpoint, state="open")
            changes.append("open again")
    if touchpoint != before:
        stored.save_touchpoint(store, touchpoint)
    if dates_set:
        stored.set_snooze(store, f"t{touchpoint.id}", None)
    return touchpoint, changes


def _edit_event(
    store: Store, event: stored.LifeEvent, options: dict[str, Any], *, today: date,
    now: datetime,
) -> tuple[stored.LifeEvent, list[str]]:  # fmt: skip
    from rel.domain.dates import NO_YEAR, parse_event_date, parse_when
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
            event = replace(event, kind=kind)
    if "--on" in options:
        if options["--on"].strip().startswith("--"):  # --06-20: its year unknown
            day = parse_event_date(options["--on"])
        else:
            day = parse_when(options["--on"], today, past=True)
        if day > today + timedelta(days=3660):
            raise BadValue(f"expected a date within ten years; got {day.isoformat()}")
        if day != event.on:
            changes.append(f"date {show_event_date(event.on)} → {show_event_date(day)}")
            event = replace(event, on=day)
    if "--text" in options:
        text = clean_text(options["--text"], "the text of an event", one_line=True)
        if text != event.text:
            event = replace(event, text=text)
            changes.append("text removed" if text is None else f"text {text!r}")
    if not changes:
        return event, changes
    stored_records.save_life_event(store, event)
    # its touchpoints follow: the congratulation's words and day, the anniversary's
    suffix = f": {event.text}" if event.text else ""
    made = stored_records.touchpoints_of_event(store, event.id)
    congratulations = [t for t in made if t.kind == "congratulate"]
    anniversaries = [t for t in made if t.kind == "anniversary"]
    for touchpoint in congratulations:
        following = replace(touchpoint, text=EVENT_WORDS[event.kind] + suffix)
        # a year-less day (NO_YEAR) is no day to congratulate on: the congratulation stays
        if following.state == "open" and following.due != event.on and event.on.year != NO_YEAR:
            following = replace(following, start=event.on, due=event.on)
            changes.append(f"congratulation t{touchpoint.id} due {event.on.isoformat()}")
        if following != touchpoint:
            stored.save_touchpoint(store, following)
    if not congratulations and event.on >= today - CONGRATULATE_WITHIN:
        added = _schedule_for_event(
            store, event, EVENT_WORDS[event.kind] + suffix, kind="congratulate", now=now
        )
        changes.append(f"congratulation t{added.id} due {added.due.isoformat()}")
    if event.kind not in YEARLY_EVENTS:
        for touchpoint in anniversaries:
            changes.append(f"anniversary t{touchpoint.id} removed")
            stored_records.remove_touchpoint(store, touchpoint.id)
        return event, changes
    words = YEARLY_EVENTS[event.kind] + suffix
    if not anniversaries:
        anniversaries = [
            _schedule_for_event(store, event, words, kind="anniversary", now=now, yearly=True)
        ]
    for touchpoint in anniversaries:
        following = replace(touchpoint, text=words, start=event.on)
        following = replace(following, due=_next_anniversary(store, following, today))
        if event.on.year == NO_YEAR:  # a year-less day recurs from its next occurrence
            following = replace(following, start=following.due)
        if following != touchpoint:
            stored.save_touchpoint(store, following)
        changes.append(f"anniversary t{following.id} due {following.due.isoformat()}")
    return event, changes


def _schedule_for_event(
    store: Store, event: stored.LifeEvent, text: str, *, kind: str, now: datetime,
    yearly: bool = False,
) -> stored.Touchpoint:  # fmt: skip
    from rel.services.touchpoints import new_touchpoint

    return stored.add_touchpoint(
        store,
        new_touchpoint(
            event.contact_id, text, on=event.on, kind=kind,
            rule="FREQ=YEARLY" if yearly else None, now=now, event_id=event.id,
        ),
    )  # fmt: skip


def _next_anniversary(store: Store, touchpoint: stored.Touchpoint, today: date) -> date:
    """The first anniversary from yesterday on (as rel event schedules it), after any one
    already done or skipped."""
    from rel.domain.dates import Rule

    closed = stored_records.last_occurrence_closed(store, touchpoint.id)
    after = max(touchpoint.start, today - timedelta(days=1), closed or date.min)
    following = Rule("FREQ=YEARLY", touchpoint.start).next_after(after)
    return following or touchpoint.start


def _edit_gift(
    store: Store, gift: stored.Gift, options: dict[str, Any], *, today: date, now: datetime
) -> tuple[stored.Gift, list[str]]:
    from rel.domain.dates import parse_duration, parse_when

    del now
    before = gift
    changes: list[str] = []
    if "--text" in options:
        text = clean_text(options["--text"], "the gift", one_line=True)
        if not text:
            raise BadValue('expected what the gift is, such as "a book on sailing"')
        if text != gift.text:
            gift = replace(gift, text=text)
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
            gift = replace(gift, on=day)
            changes.append("date removed" if day is None else f"date {day.isoformat()}")
    for option, field, what in (("--for", "occasion", "an occasion"), ("--cost", "cost", "a cost")):
        if option in options:
            value = clean_text(options[option], what, one_line=True)
            if value and value.lower() in CLEARING:
                value = None
            if value != getattr(gift, field):
                gift = replace(gift, **{field: value})
                changes.append(f"{field} removed" if value is None else f"{field} {value}")
    if "--lead" in options:
        lead = None if _clearing(options["--lead"]) else str(parse_duration(options["--lead"]))
        if lead != gift.lead:
            gift = replace(gift, lead=lead)
            changes.append("no lead time" if lead is None else f"lead {lead}")
    if gift != before:
        stored.save_gift(store, gift)
    return gift, changes
