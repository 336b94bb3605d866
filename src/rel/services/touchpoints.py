"""Scheduled touchpoints, follow-ups, life events, gifts, and acting on agenda rows.

A touchpoint is due once, or recurs by an RRULE (see `domain.dates.parse_rule`). Done or skipped,
a one-off closes; a recurring one moves to its next occurrence after the later of its due date
and the day it was acted on (so a late month is not owed twice), and keeps its history of
completions. Any agenda row can be snoozed until a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rel.domain.dates import NO_YEAR, Duration, Rule, parse_rule, parse_when
from rel.domain.values import clean_text
from rel.domain.vocabulary import EVENT_KINDS, GIFT_DIRECTIONS, TOUCHPOINT_KINDS
from rel.errors import BadValue, NotFound, shown
from rel.store import touchpoints as stored

if TYPE_CHECKING:
    from rel.services.who import Person
    from rel.store.queries import Store

KEY_PREFIXES = {"c": "catch-up", "b": "birthday", "t": "touchpoint", "g": "gift idea"}
# congratulating on something that happened long ago would be odd: only recent events get one
CONGRATULATE_WITHIN = timedelta(days=30)
EVENT_ALIASES = {
    "job": "new-job", "new job": "new-job", "newjob": "new-job", "hired": "new-job",
    "promoted": "promotion", "married": "wedding", "marriage": "wedding",
    "birth": "baby", "moved": "move", "relocation": "move", "graduated": "graduation",
    "launched": "launch", "other": "custom",
}  # fmt: skip
EVENT_WORDS = {
    "new-job": "new job", "promotion": "promotion", "wedding": "wedding", "baby": "new baby",
    "move": "move", "graduation": "graduation", "launch": "launch", "anniversary": "anniversary",
    "custom": "news",
}  # fmt: skip
# events whose day comes back every year, and what the yearly touchpoint is called
YEARLY_EVENTS = {
    "wedding": "wedding anniversary", "anniversary": "anniversary", "new-job": "work anniversary",
}  # fmt: skip


def parse_touchpoint_kind(text: str) -> str:
    word = text.strip().lower().replace("_", "-").replace("followup", "follow-up")
    if word in TOUCHPOINT_KINDS:
        return word
    raise BadValue(f"expected a kind of touchpoint ({', '.join(TOUCHPOINT_KINDS)}); got {text!r}")


def parse_event_kind(text: str) -> str:
    word = " ".join(text.strip().lower().split())
    word = EVENT_ALIASES.get(word, word).replace(" ", "-")
    if word in EVENT_KINDS:
        return word
    raise BadValue(f"expected a kind of life event ({', '.join(EVENT_KINDS)}); got {text!r}")


def parse_gift_direction(text: str) -> str:
    word = {"given": "gave", "give": "gave", "received": "got", "get": "got"}.get(
        text.strip().lower(), text.strip().lower()
    )
    if word in GIFT_DIRECTIONS:
        return word
    raise BadValue(f"expected idea, gave or got; got {text!r}")


def parse_key(text: str) -> tuple[str, int]:
    """An agenda key: c12 (catch-up), b12 (birthday), t7 (touchpoint), g3 (gift idea)."""
    match = re.fullmatch(r"([cbtg])(\d{1,18})", text.strip().lower())
    if not match:
        raise BadValue(
            f"expected an agenda key such as c12, b12, t7 or g3 (rel due shows them); got {text!r}"
        )
    return match.group(1), int(match.group(2))


def parse_follow_up(text: str, today: date) -> tuple[date, str]:
    """`2w: send the deck`, `in 2 weeks: send the deck`, `friday`, `2026-03-10: call back`."""
    when, sep, what = text.partition(":")
    if not sep:
        when, what = text, ""
    expected = 'a follow-up such as "2w: send the deck" or "friday"'
    if not when.strip():
        raise BadValue(f"expected {expected}, its date first; got {shown(text)}")
    try:
        day = parse_when(when, today, past=False)
    except BadValue as error:  # echo the whole value, not the part before the colon
        reason = error.message.split("; got ")[0].removeprefix("expected ")
        raise BadValue(f"expected {expected}, with {reason}; got {shown(text)}") from None
    if day < today:
        raise BadValue(f"expected a follow-up date from today on; got {shown(text)} ({day})")
    return day, clean_text(what, "a follow-up", one_line=True) or "follow up"


# --- scheduling ----------------------------------------------------------------------------


def new_touchpoint(
    contact_id: int,
    text: str,
    *,
    on: date,
    kind: str = "custom",
    rule: str | None = None,
    lead: Duration | None = None,
    now: datetime,
    interaction_id: int | None = None,
    event_id: int | None = None,
) -> stored.NewTouchpoint:
    """A new open touchpoint on `on`, recurring by `rule` from that day."""
    what = clean_text(text, "the text of a reminder", one_line=True)
    if not what:
        raise BadValue('expected the text of a reminder, such as "send the deck"')
    due = on
    parsed: Rule | None = None
    if rule is not None:
        parsed = parse_rule(rule, on)
        first = parsed.next_after(on, inclusive=True)
        assert first is not None  # parse_rule refuses rules that never come up
        due = first
    return stored.NewTouchpoint(
        contact_id=contact_id,
        kind=kind,
        text=what,
        due=due,
        start=on,
        rule=str(parsed) if parsed else None,
        lead=str(lead) if lead else None,
        state="open",
        interaction_id=interaction_id,
        event_id=event_id,
        created_at=now,
    )


def schedule(store: Store, contact_id: int, text: str, **how: Any) -> stored.Touchpoint:
    """Schedule a touchpoint (see `new_touchpoint` for `how`)."""
    return stored.add_touchpoint(store, new_touchpoint(contact_id, text, **how))


def next_occurrence(touchpoint: stored.Touchpoint, after: date) -> date | None:
    """The next occurrence of a recurring touchpoint after `after` (None: the rule is over, or
    it is one an older rel stored that cannot be evaluated, such as INTERVAL=0)."""
    if not touchpoint.rule:
        return None
    try:
        return Rule(touchpoint.rule, touchpoint.start).next_after(after)
    except BadValue:
        return None


@dataclass(frozen=True)
class Recorded:
    event: stored.LifeEvent
    touchpoints: list[stored.Touchpoint]


def record_event(
    store: Store,
    contact_id: int,
    kind: str,
    text: str | None,
    *,
    on: date,
    today: date,
    now: datetime,
) -> Recorded:
    """A life event; a recent or coming one schedules a congratulation (on its day, or today
    for one already past), a wedding or a new job an anniversary every year from its day."""
    if on > today + timedelta(days=3660):
        raise BadValue(f"expected a date within ten years; got {on.isoformat()}")
    event = stored.add_life_event(
        store, contact_id, kind, on=on, now=now,
        text=clean_text(text, "the text of an event", one_line=True),
    )  # fmt: skip
    made = []
    words = EVENT_WORDS[kind] + (f": {event.text}" if event.text else "")
    if on >= today - CONGRATULATE_WITHIN:
        # news heard after the day is congratulated from the day it is recorded: the grace
        # period of a missed congratulation (rel.services.agenda.GRACE_DAYS) counts from then
        day = max(on, today)
        made.append(
            schedule(
                store, contact_id, words, on=day, kind="congratulate", now=now, event_id=event.id
            )
        )
    if kind in YEARLY_EVENTS:
        every_year = parse_rule("yearly", on)  # 29 February: the 28th in common years
        upcoming = every_year.next_after(max(on, today - timedelta(days=1)))
        yearly = new_touchpoint(
            contact_id,
            YEARLY_EVENTS[kind] + (f": {event.text}" if event.text else ""),
            # a day without its year (kept in NO_YEAR) recurs from its next occurrence
            on=upcoming if on.year == NO_YEAR and upcoming else on,
            kind="anniversary",
            rule=every_year.rrule,
            now=now,
            event_id=event.id,
        )
        made.append(stored.add_touchpoint(store, replace(yearly, due=upcoming or yearly.due)))
    return Recorded(event, made)


def record_gift(
    store: Store,
    contact: Person,
    direction: str,
    text: str,
    *,
    on: date | None,
    occasion: str | None,
    cost: str | None,
    lead: Duration | None,
    now: datetime,
) -> tuple[stored.Gift, list[str]]:
    """A gift idea, or a gift given or received; warns when the same gift was given before."""
    from rel.services.who import fold

    what = clean_text(text, "the gift", one_line=True)
    if not what:
        raise BadValue('expected what the gift is, such as "a book on sailing"')
    warnings = []
    if direction in ("idea", "gave"):
        for before in stored.gifts_of(store, contact.id, "gave"):
            if fold(before.text) == fold(what):
                when = f" on {before.on.isoformat()}" if before.on else ""
                warnings.append(f"you gave {contact.name} {before.text!r} already{when}")
    gift = stored.add_gift(
        store, contact.id, direction, what,
        occasion=clean_text(occasion, "an occasion", one_line=True), on=on,
        cost=clean_text(cost, "a cost", one_line=True), lead=str(lead) if lead else None,
        now=now,
    )  # fmt: skip
    return gift, warnings


# --- acting on agenda rows -------------------------------------------------------------------


@dataclass(frozen=True)
class Acted:
    key: str
    what: str  # one line for the person: what happened
    next_due: date | None = None


def _missing(key: str) -> NotFound:
    return NotFound(f"no agenda item has the key {key} (rel due shows the keys)")


def _touchpoint(store: Store, number: int, key: str) -> stored.Touchpoint:
    found = stored.touchpoint(store, number)
    if found is None:
        raise _missing(key)
    return found


def _contact(store: Store, number: int, key: str) -> stored.AgendaContact:
    found = stored.agenda_contact(store, number)
    if found is None:
        raise _missing(key)
    return found


def _close(store: Store, touchpoint: stored.Touchpoint, action: str, note: str | None,
           today: date) -> date | None:  # fmt: skip
    """Record the completion and move a recurring touchpoint on; returns the new due date."""
    from rel.services.agenda import occasion_due

    if touchpoint.state != "open":
        raise BadValue(f"t{touchpoint.id} is {touchpoint.state} already")
    # a yearly anniversary missed beyond its grace period stands for its next day now
    current = occasion_due(touchpoint.kind, touchpoint.due, touchpoint.rule, touchpoint.start,
                           today)  # fmt: skip
    if current is not None and current != touchpoint.due:
        touchpoint = replace(touchpoint, due=current)
    stored.add_completion(
        store, touchpoint.id, occurrence=touchpoint.due, on=today, action=action,
        note=clean_text(note, "a note"),
    )  # fmt: skip
    following = next_occurrence(touchpoint, max(touchpoint.due, today))
    if following is None:
        touchpoint = replace(touchpoint, state="done" if action == "done" else "skipped")
    else:
        touchpoint = replace(touchpoint, due=following)
    stored.save_touchpoint(store, touchpoint)
    stored.set_snooze(store, f"t{touchpoint.id}", None)
    return following


def mark_done(
    store: Store,
    key: str,
    note: str | None,
    *,
    kind: str | None = None,
    today: date,
    now: datetime,
) -> Acted:
    """Done: a catch-up or a birthday logs an interaction as today (a message unless `kind`
    says); a touchpoint records a completion with the note, and with `kind` also logs that
    interaction (resetting the catch-up); a gift idea becomes a gift given today, the note
    added to its text (a kind does not fit it: refused)."""
    from rel.services.agenda import catch_up_state

    prefix, number = parse_key(key)
    key = f"{prefix}{number}"
    if prefix in ("c", "b"):
        contact = _contact(store, number, key)
        kind = kind or "message"
        default = None
        if prefix == "b":
            day = _birthday_day(contact, today)
            default = "belated birthday wishes" if day < today else "birthday wishes"
            stored.set_snooze(store, key, _after_grace(day))
        _log(store, contact, kind, note or default, today=today, now=now)
        stored.set_snooze(store, f"c{number}", None)
        state = catch_up_state(store, contact.id, today)
        return Acted(key, f"logged {_a(kind)} with {contact.name}", state.due if state else None)
    if prefix == "t":
        touchpoint = _touchpoint(store, number, key)
        following = _close(store, touchpoint, "done", note, today)
        what = f"done: {touchpoint.text}"
        if kind is not None:
            contact = _contact(store, touchpoint.contact_id, key)
            _log(store, contact, kind, note or touchpoint.text, today=today, now=now)
            stored.set_snooze(store, f"c{contact.id}", None)
            what += f"; logged {_a(kind)} with {contact.name}"
        return Acted(key, what, following)
    gift = _gift_idea(store, number, key)
    if kind is not None:
        raise BadValue(
            f"--kind does not fit a gift idea ({key} becomes a gift given); it fits a catch-up "
            "(c), a birthday (b) or a touchpoint (t)"
        )
    cleaned = clean_text(note, "a note", one_line=True)
    # gifts have no note of their own: it goes with what was given
    text = f"{gift.text} — {cleaned}" if cleaned else gift.text
    given = replace(gift, direction="gave", on=today, text=text)
    stored.save_gift(store, given)
    stored.set_snooze(store, key, None)
    return Acted(key, f"gave {given.text!r}")


def _a(kind: str) -> str:
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _log(store: Store, contact: stored.AgendaContact, kind: str, note: str | None, *,
         today: date, now: datetime) -> None:  # fmt: skip
    from rel.services.interactions import record_interaction

    record_interaction(store, [contact], kind, note, on=today, today=today, now=now)


def _birthday_day(contact: stored.AgendaContact, today: date) -> date:
    """The birthday a `b` key stands for today: belated within the grace period, else next."""
    from rel.domain.dates import Birthday
    from rel.services.agenda import birthday_occurrence

    if not contact.birthday_month or not contact.birthday_day:
        raise BadValue(f"{contact.name} has no birthday on record (rel edit WHO --birthday MM-DD)")
    return birthday_occurrence(Birthday(contact.birthday_month, contact.birthday_day), today)


def _after_grace(day: date) -> date:
    """The first day a birthday of `day`, done or skipped, would no longer be shown anyway."""
    from rel.services.agenda import GRACE_DAYS

    return day + timedelta(days=GRACE_DAYS + 1)


def _gift_idea(store: Store, number: int, key: str) -> stored.Gift:
    found = stored.gift(store, number)
    if found is None or found.direction != "idea":
        raise _missing(key)
    return found


def snooze(store: Store, key: str, until: date, *, today: date) -> Acted:
    """Hide a row until `until`; it comes back that day if it is still due."""
    prefix, number = parse_key(key)
    key = f"{prefix}{number}"
    if until <= today:
        raise BadValue(f"expected a day after today to snooze until; got {until.isoformat()}")
    if prefix == "t":
        touchpoint = _touchpoint(store, number, key)
        if touchpoint.state != "open":
            raise BadValue(f"{key} is {touchpoint.state} already")
    elif prefix == "g":
        _gift_idea(store, number, key)
    else:
        _contact(store, number, key)
    stored.set_snooze(store, key, until)
    year = f" {until.year}" if until.year != today.year else ""
    return Acted(key, f"snoozed until {until:%a %b} {until.day}{year}")


def skip(store: Store, key: str, *, today: date) -> Acted:
    """Skip: a recurring touchpoint moves on one occurrence, a one-off closes; a catch-up counts
    from the occurrence skipped (its due day, or today if later), so it is neither owed nor late
    again; a birthday waits until next year; a gift idea for now."""
    from rel.services.agenda import catch_up_state

    prefix, number = parse_key(key)
    key = f"{prefix}{number}"
    if prefix == "t":
        touchpoint = _touchpoint(store, number, key)
        following = _close(store, touchpoint, "skipped", None, today)
        if following is None:
            return Acted(key, f"skipped: {touchpoint.text}")
        return Acted(key, f"skipped to the next one: {touchpoint.text}", following)
    if prefix == "c":
        contact = _contact(store, number, key)
        state = catch_up_state(store, contact.id, today)
        if state is None:
            raise BadValue(f"{contact.name} has no cadence, so there is no catch-up to skip")
        stored.set_catch_up_skipped(store, contact.id, max(state.due, today))
        stored.set_snooze(store, key, None)
        following = catch_up_state(store, contact.id, today)
        assert following is not None
        return Acted(key, f"skipped the catch-up due {state.due.isoformat()}", following.due)
    if prefix == "b":
        contact = _contact(store, number, key)
        day = _birthday_day(contact, today)
        stored.set_snooze(store, key, _after_grace(day))
        return Acted(key, f"skipped the birthday on {day.isoformat()}")
    _gift_idea(store, number, key)
    stored.set_snooze(store, key, today + timedelta(days=366))
    return Acted(key, "skipped this gift idea for now")
