"""The reminder engine: who needs attention on a given day, and why.

`agenda(store, today)` is a pure function of the store and the day: the same data on the same
day gives the same rows. SQL does the aggregation (the last interaction of each contact, through
the participant index); Python applies the rules that SQL says badly (calendar arithmetic of
cadences, 29 February).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from rel.domain.dates import NO_YEAR, Birthday, Cadence, parse_cadence
from rel.domain.vocabulary import counted, days_from
from rel.store import agenda as stored

if TYPE_CHECKING:
    from rel.store.queries import Store

SECTIONS = ("overdue", "today", "upcoming")
DEFAULT_DAYS = 7
# A birthday, a congratulation or an anniversary not acted on stays on the agenda, belated,
# this many days after its day; then it is gone (until next year, for a yearly one).
GRACE_DAYS = 7
# touchpoints tied to a day, which the grace period applies to
OCCASION_KINDS = ("congratulate", "anniversary", "birthday")

# The relationship a suggestion is fitted to, strongest first, when a contact has several tags.
RELATIONSHIPS = (
    "family", "friend", "mentor", "customer", "prospect",
    "partner", "vendor", "colleague", "competitor",
)  # fmt: skip

CATCH_UP_SUGGESTIONS = {
    "family": "call them, or plan a visit",
    "friend": "suggest a coffee, a walk or a dinner",
    "mentor": "ask how you can help them, and share your news",
    "customer": "check in on how things are going with them",
    "prospect": "share something useful (an article, a report)",
    "partner": "share what you are working on and ask about theirs",
    "vendor": "check in on the account and what is coming up",
    "colleague": "grab a coffee or lunch together",
    "competitor": "compare notes over a coffee",
}
OVERDUE_CATCH_UP_SUGGESTIONS = {
    "customer": "send a note or a small gift (a voucher, tickets) to say thanks",
}
DEFAULT_CATCH_UP_SUGGESTION = "send a short message to say hello"

BIRTHDAY_SUGGESTIONS = {
    "family": "call them; a gift or a card?",
    "friend": "call or message them; a gift or a drink?",
    "mentor": "send a warm birthday note",
    "colleague": "wish them a happy birthday; a card from the team?",
}
DEFAULT_BIRTHDAY_SUGGESTION = "send a short birthday note"
BELATED_BIRTHDAY_SUGGESTIONS = {
    "family": "call them with belated birthday wishes",
    "friend": "send belated wishes; offer a drink to make up for it",
}
DEFAULT_BELATED_BIRTHDAY_SUGGESTION = "send belated birthday wishes"

CONGRATULATE_SUGGESTIONS = {
    "promotion": "call to congratulate",
    "new-job": "call to congratulate, and ask how the first weeks are going",
    "wedding": "send your congratulations (a card or a small gift)",
    "anniversary": "send your wishes for the anniversary",
    "baby": "send a card or a small gift for the baby",
    "move": "ask how the move went; offer help settling in",
    "graduation": "congratulate them; ask what comes next",
    "launch": "congratulate them and share their launch",
    "custom": "send your congratulations",
}
TOUCHPOINT_SUGGESTIONS = {
    "follow-up": "do what you said you would",
    "anniversary": "send your wishes for the anniversary",
    "birthday": "send a birthday note",
    "gift": "buy and send the gift",
    "catch-up": "get in touch",
    "custom": "get it done",
}
RETURN_THE_FAVOR = "return the favor: offer an introduction, a review or your help"


def relative_day(day: date, today: date) -> str:
    """`today`, `1 day ago`, `in 3 days`."""
    return days_from(day.toordinal() - today.toordinal())


def grace_start(today: date) -> date:
    """The earliest day whose birthday or congratulation is still shown today, belated."""
    return date.fromordinal(today.toordinal() - GRACE_DAYS)


def birthday_occurrence(birthday: Birthday, today: date) -> date:
    """The birthday the agenda is about today: one of the last `GRACE_DAYS` days (belated),
    else the next one."""
    return birthday.next_on_or_after(grace_start(today))


def occasion_due(kind: str, due: date, rule: str | None, start: date, today: date) -> date | None:
    """The occurrence an open touchpoint stands for today. A congratulation, anniversary or
    birthday more than `GRACE_DAYS` past is over: a yearly one moves on to its next day, a
    one-off is no longer shown (None). Anything else stays due until acted on."""
    if kind not in OCCASION_KINDS or due >= grace_start(today):
        return due
    if not rule:
        return None
    from rel.domain.dates import Rule

    return Rule(rule, start).next_after(date.fromordinal(grace_start(today).toordinal() - 1))


@functools.lru_cache(maxsize=256)
def cadence_of(text: str) -> Cadence:
    """A stored cadence (always written by `parse_cadence`, so it parses)."""
    return parse_cadence(text)


def relationship(tags: Iterable[str]) -> str | None:
    """The tag a suggestion is fitted to: the strongest well-known relationship among them."""
    present = set(tags)
    return next((name for name in RELATIONSHIPS if name in present), None)


@functools.lru_cache(maxsize=4096)
def _days(cadence: str, since: date) -> tuple[date, date]:
    """When a cadence counted from `since` is due, and the last day it is not yet overdue: the
    same few cadences and days recur across a store (an import adds everyone on one day)."""
    parsed = cadence_of(cadence)
    due = parsed.due(since)
    return due, due if parsed.hard is None else parsed.overdue_after(since)


class CatchUp(NamedTuple):
    """Where a contact stands against their cadence on a given day (made by `catch_up`; a
    named tuple: the agenda of a large store makes thousands)."""

    cadence: Cadence
    cadence_source: str | None  # None: the contact's own; else the tag it comes from
    since: date  # the last interaction, or the day added, or the skipped occurrence if later
    last_seen: date | None
    today: date
    due: date  # soft: from this day on, reach out
    overdue_after: date  # hard: past this day, overdue
    days_late: int  # days past the (hard) due date; zero or less when not overdue
    skipped: date | None = None  # the occurrence last skipped, when it is what counts

    @property
    def fraction(self) -> float:
        """Days late as a fraction of the cadence: 5 days late on a 2-week cadence is 0.36."""
        length = max((self.overdue_after - self.since).days, 1)
        return round(max(self.days_late, 0) / length, 2)

    @property
    def section(self) -> str:
        if self.days_late > 0:
            return "overdue"
        if self.due <= self.today:
            return "today"
        return "upcoming"

    @property
    def health(self) -> str:
        if self.days_late > 0:
            return "overdue"
        if self.due <= self.today:
            return "due"
        return "on time"

    def describe_cadence(self) -> str:
        text = self.cadence.describe()
        return f"{text} (from the tag {self.cadence_source})" if self.cadence_source else text

    def reason(self) -> str:
        if self.last_seen is None:
            added = self.since if self.skipped is None else None
            seen = "nothing logged" + (f" since added on {added.isoformat()}" if added else "")
        else:
            ago = relative_day(self.last_seen, self.today)
            seen = f"last contact {self.last_seen.isoformat()} ({ago})"
        if self.skipped is not None:
            seen = f"counted from {self.skipped.isoformat()}, when it was skipped; {seen}"
        if self.days_late > 0:
            status = (
                f"{counted(self.days_late, 'day')} overdue ({self.fraction:.0%} of the cadence)"
            )
        elif self.due < self.today:
            status = f"due since {self.due.isoformat()}"
        elif self.due == self.today:
            status = "due today"
        else:
            status = f"due {self.due.isoformat()}"
        return f"catch up {self.describe_cadence()}: {status}; {seen}"


def catch_up(
    own_cadence: str | None,
    tag_cadences: Sequence[tuple[str, str]],
    added_on: date,
    last_seen: date | None,
    today: date,
    skipped: date | None = None,
    due_by: date | None = None,
) -> CatchUp | None:
    """The catch-up state of one contact, or None without a cadence of their own or of a tag
    (or, given `due_by`, when they are not due by that day).

    A contact's own cadence wins; without one, the shortest default among their tags applies.
    The cadence counts from the last interaction (or the day they were added), or from the
    catch-up last skipped (`rel skip c12`) when that is later.
    """
    since = last_seen or added_on
    if skipped is not None and skipped > since:
        since = skipped
    else:
        skipped = None
    if own_cadence:
        text, source = own_cadence, None
    elif tag_cadences:
        source, text = min(tag_cadences, key=lambda tc: (_days(tc[1], since)[0], tc[0]))
    else:
        return None
    due, overdue_after = _days(text, since)
    if due_by is not None and due > due_by:
        return None
    cadence = cadence_of(text)
    return CatchUp(
        cadence, source, since, last_seen, today, due, overdue_after,
        today.toordinal() - overdue_after.toordinal(), skipped,
    )  # fmt: skip


class AgendaRow(NamedTuple):
    """One reason to reach out: what, to whom, when, why, and what to do.

    A named tuple: the agenda of a large store makes thousands of them."""

    key: str  # short and stable from day to day: act on it with done / snooze / skip
    kind: str  # "catch-up" or "birthday"
    section: str  # "overdue", "today" or "upcoming"
    contact_id: int
    contact: str
    due: date
    days_late: int  # > 0 overdue; 0 due today; < 0 days until due
    fraction: float | None  # catch-ups: days late as a fraction of the cadence
    reason: str
    suggestion: str
    tags: tuple[str, ...] = ()
    age: int | None = None  # birthdays with a known year: the age reached

    @property
    def lateness(self) -> float:
        """How late, for ranking: a catch-up's fraction of its cadence; anything else counts a
        week late as one whole cadence late."""
        if self.fraction is not None:
            return self.fraction
        return max(self.days_late, 0) / 7

    @property
    def order(self) -> tuple:
        """The agenda's order: overdue by lateness, then today, then upcoming by date; then by
        kind, name and key (one flat tuple: the agenda sorts thousands of rows)."""
        rank = _SECTION_RANK[self.section]
        return (rank, -self.lateness if rank == 0 else 0, self.due, self.kind, self.contact,
                self.key)  # fmt: skip


_SECTION_RANK = {name: rank for rank, name in enumerate(SECTIONS)}


@dataclass(frozen=True)
class Agenda:
    today: date
    days: int
    rows: list[AgendaRow]
    contacts: int  # contacts in the store (0: say how to start)
    hidden: int = 0  # rows left out by --limit
    tags: tuple[str, ...] = field(default=())

    def section(self, name: str) -> list[AgendaRow]:
        return [row for row in self.rows if row.section == name]


def catch_up_suggestion(tags: Iterable[str], *, overdue: bool) -> str:
    kind = relationship(tags)
    if overdue and kind in OVERDUE_CATCH_UP_SUGGESTIONS:
        return OVERDUE_CATCH_UP_SUGGESTIONS[kind]
    return CATCH_UP_SUGGESTIONS.get(kind or "", DEFAULT_CATCH_UP_SUGGESTION)


def birthday_suggestion(tags: Iterable[str], *, belated: bool = False) -> str:
    if belated:
        return BELATED_BIRTHDAY_SUGGESTIONS.get(
            relationship(tags) or "", DEFAULT_BELATED_BIRTHDAY_SUGGESTION
        )
    return BIRTHDAY_SUGGESTIONS.get(relationship(tags) or "", DEFAULT_BIRTHDAY_SUGGESTION)


def check_tags_exist(store: Store, tags: Sequence[str]) -> None:
    """An unknown tag in a filter is most likely a typo: say so instead of showing nothing."""
    from rel.domain.values import clean_tag
    from rel.errors import NotFound

    known = stored.tag_names(store)
    for tag in tags:
        if clean_tag(tag) not in known:
            listing = ", ".join(known) if known else "none yet"
            raise NotFound(f"no tag is named {clean_tag(tag)!r} (the tags: {listing})")


def tag_cadences_of(store: Store) -> dict[int, list[tuple[str, str]]]:
    """For every contact with a tag that carries a default cadence: (tag, cadence) pairs
    (rel.store.agenda.tag_cadences, kept here for the services that ask the agenda)."""
    return stored.tag_cadences(store)


def tags_of(store: Store, contact_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The tags of these contacts, by name (rel.store.agenda.tags_of)."""
    return stored.tags_of(store, contact_ids)


def agenda(
    store: Store,
    today: date,
    *,
    days: int = DEFAULT_DAYS,
    tags: Sequence[str] = (),
    limit: int | None = None,
    contact_id: int | None = None,
) -> Agenda:
    """Everything due for `today`: overdue, today, and the next `days` days, most urgent first
    (of the contacts with any of `tags`; or only the rows of one contact, `contact_id`).

    `store` runs the same SQL on the standard library's sqlite3 on an up-to-date SQLite store,
    for a fast `rel due`.
    """
    from rel.domain.values import clean_tag

    horizon = date.fromordinal(today.toordinal() + days)
    names: list[str] = []
    if tags:  # rel.services.contacts (and WHO's imports) only when there are tags to clean
        names = [clean_tag(tag) for tag in tags]
    tag_cadences = stored.tag_cadences(store)
    hidden = snoozed(store, today)
    only = contact_id  # the loop below names each contact's id `contact_id`
    # belated birthdays of the grace period too
    contacts = stored.candidates(
        store, horizon=horizon, birthdays_from=grace_start(today), tags=names, contact_id=only
    )
    # who is due, and for what; the rows are made once their tags are known
    catch_ups: list[tuple[str, int, str, CatchUp]] = []
    birthdays: list[tuple[int, str, Birthday, date]] = []
    occurrences: dict[tuple[int, int], date] = {}  # a birthday's day this time: 366 at most
    # the same few cadences and days recur across a store: each state is worked out once
    states: dict[tuple, CatchUp | None] = {}
    no_tags: tuple = ()
    for contact in contacts:
        contact_id, name, b_month = contact.id, contact.name, contact.birthday_month
        cadence, from_tags = contact.cadence, no_tags
        if not cadence:
            from_tags = tuple(tag_cadences.get(contact_id, no_tags))
        added_on, last_seen, skipped = contact.added_on, contact.last_seen, contact.catch_up_skipped
        seen = (cadence, from_tags, added_on, last_seen, skipped)
        if seen in states:
            state = states[seen]
        else:
            state = states[seen] = catch_up(
                cadence, from_tags, added_on, last_seen, today, skipped, horizon
            )
        if state is not None:
            key = f"c{contact_id}"
            if key not in hidden:
                catch_ups.append((key, contact_id, name, state))
        if b_month is not None:
            b_day = contact.birthday_day
            day = occurrences.get((b_month, b_day))
            if day is None:
                day = occurrences[b_month, b_day] = birthday_occurrence(
                    Birthday(b_month, b_day), today
                )
            if day <= horizon:
                key = f"b{contact_id}"
                if key not in hidden:
                    birthday = Birthday(b_month, b_day, contact.birthday_year)
                    birthdays.append((contact_id, name, birthday, day))
    others = [
        row
        for row in touchpoint_rows(store, today, horizon, names, only)
        + gift_idea_rows(store, today, horizon, names, only)
        if row.key not in hidden
    ]
    contact_count = stored.contact_count(store)
    contact_ids = {entry[1] for entry in catch_ups}
    contact_ids.update(entry[0] for entry in birthdays)
    contact_ids.update(row.contact_id for row in others)
    tag_names = stored.tags_of(store, contact_ids)
    # a favor owed changes only what a catch-up suggests
    owed = unreturned_favors(
        store,
        {entry[1] for entry in catch_ups}
        | {row.contact_id for row in others if row.kind == "catch-up"},
    )
    reasons: dict[int, str] = {}  # by the state's id: `states` keeps each one alive
    rows = [
        _catch_up_row(key, contact_id, name, state, tag_names.get(contact_id, no_tags),
                      owed.get(contact_id, 0), reasons)
        for key, contact_id, name, state in catch_ups
    ]  # fmt: skip
    rows += [
        _birthday_row(contact_id, name, birthday, day, today, tag_names.get(contact_id, no_tags))
        for contact_id, name, birthday, day in birthdays
    ]
    rows += [
        _with_tags(row, tag_names.get(row.contact_id, no_tags), owed.get(row.contact_id, 0))
        for row in others
    ]
    rows.sort(key=AgendaRow.order.fget)
    shown = limit_fairly(rows, limit, today) if limit is not None else rows
    return Agenda(today, days, shown, contact_count, len(rows) - len(shown), tuple(names))


def _catch_up_row(
    key: str,
    contact_id: int,
    name: str,
    state: CatchUp,
    tags: tuple[str, ...],
    owed: int,
    reasons: dict[int, str],
) -> AgendaRow:
    """A catch-up on the agenda; a favor owed changes what it suggests. `reasons`: those
    worked out already, by the id of the state (many contacts share one)."""
    section = state.section
    late = state.days_late
    reason = reasons.get(id(state))
    if reason is None:
        reason = reasons[id(state)] = state.reason()
    if owed:
        reason += _favors_owed(owed)
        suggestion = RETURN_THE_FAVOR
    else:
        suggestion = _catch_up_suggestion(tags, section == "overdue")
    return AgendaRow(
        key, "catch-up", section, contact_id, name, state.due,
        late if late > 0 else (state.today - state.due).days, state.fraction, reason,
        suggestion, tags,
    )  # fmt: skip


def _birthday_row(
    contact_id: int,
    name: str,
    birthday: Birthday,
    day: date,
    today: date,
    tags: tuple[str, ...] = (),
) -> AgendaRow:
    """A birthday on the agenda, on `day` (this time's: belated, today or to come)."""
    reason, age = _birthday_reason(birthday, day, today)
    section = _section(day, today)
    return AgendaRow(
        f"b{contact_id}", "birthday", section, contact_id, name, day, (today - day).days, None,
        reason, _birthday_suggestion(tags, section == "overdue"), tags, age,
    )  # fmt: skip


@functools.lru_cache(maxsize=4096)  # the same few days and years recur across a large agenda
def _birthday_reason(birthday: Birthday, day: date, today: date) -> tuple[str, int | None]:
    age = birthday.age_on(day)
    if day < today:
        turning = f"turned {age}" if age is not None else "birthday was"
        reason = f"{turning} on {short_day(day)} (belated: {relative_day(day, today)})"
    else:
        turning = f"turns {age}" if age is not None else "birthday"
        reason = f"{turning} {_on_day(day, today)}"
    if (birthday.month, birthday.day) == (2, 29) and day.day == 28:
        reason += " (born on 29 February; celebrated on the 28th in common years)"
    return reason, age


def _with_tags(row: AgendaRow, tags: tuple[str, ...], owed: int) -> AgendaRow:
    """A touchpoint's or gift's row (which come with their suggestion) with the contact's tags;
    a favor owed changes what a scheduled catch-up suggests."""
    if owed and row.kind == "catch-up":
        return row._replace(
            reason=row.reason + _favors_owed(owed), suggestion=RETURN_THE_FAVOR, tags=tags
        )
    return row._replace(tags=tags)


def _favors_owed(owed: int) -> str:
    times = {1: "once", 2: "twice"}.get(owed, f"{owed} times")
    return f"; they helped you {times} since you last helped them"


@functools.lru_cache(maxsize=1024)
def _catch_up_suggestion(tags: tuple[str, ...], overdue: bool) -> str:
    return catch_up_suggestion(tags, overdue=overdue)


@functools.lru_cache(maxsize=1024)
def _birthday_suggestion(tags: tuple[str, ...], belated: bool) -> str:
    return birthday_suggestion(tags, belated=belated)


def catch_up_state(store: Store, contact_id: int, today: date) -> CatchUp | None:
    """One contact's catch-up state (their own cadence, else their tags' shortest)."""
    from rel.store import touchpoints

    contact = touchpoints.agenda_contact(store, contact_id)
    if contact is None:
        return None
    return catch_up(
        contact.cadence, stored.tag_cadences_of(store, contact_id), contact.added_on,
        contact.last_seen, today, contact.catch_up_skipped,
    )  # fmt: skip


def snoozed(store: Store, today: date) -> dict[str, date]:
    """Every row key hidden today, with the day it comes back."""
    return stored.snoozes(store, today)


def unreturned_favors(store: Store, contact_ids: Iterable[int]) -> dict[int, int]:
    """For each contact: how often they helped you since you last helped them.

    Only `help` interactions are read (few), in date order, for the contacts on the agenda."""
    owed: dict[int, int] = {}
    for favor in stored.favors(store, contact_ids):
        owed[favor.contact_id] = 0 if favor.direction == "me" else owed.get(favor.contact_id, 0) + 1
    return {cid: n for cid, n in owed.items() if n}


def favor_balance(store: Store, contact_id: int) -> dict[str, int]:
    """How often you helped them (`given`) and they helped you (`received`)."""
    counts = stored.favor_counts(store, contact_id)
    return {"given": counts.get("me", 0), "received": counts.get("them", 0)}


def _section(due: date, today: date) -> str:
    if due < today:
        return "overdue"
    return "today" if due == today else "upcoming"


def _on_day(day: date, today: date) -> str:
    return "today" if day == today else f"on {short_day(day)}"


@functools.lru_cache(maxsize=512)
def short_day(day: date) -> str:
    """`Sun Feb 22`: the agenda names the same few days for thousands of rows."""
    return f"{day:%a %b} {day.day}"


def touchpoint_rows(
    store: Store,
    today: date,
    horizon: date,
    tags: Sequence[str] = (),
    contact_id: int | None = None,
) -> list[AgendaRow]:
    """Open touchpoints due by `horizon`, or sooner when their lead time has begun."""
    from rel.domain.dates import parse_duration

    rows = []
    found = stored.open_touchpoints(store, horizon=horizon, tags=tags, contact_id=contact_id)
    for touchpoint in found:
        kind, text, rule = touchpoint.kind, touchpoint.text, touchpoint.rule
        event_on = touchpoint.event_on
        due = occasion_due(kind, touchpoint.due, rule, touchpoint.start, today)
        if due is None:
            continue  # a congratulation whose grace period is over
        lead = parse_duration(touchpoint.lead) if touchpoint.lead else None
        shown_from = lead.before(due) if lead else due
        if due > horizon and shown_from > today:
            continue
        belated = kind in OCCASION_KINDS and due < today
        reason = f"{kind}: {text}, {_on_day(due, today)}"
        if kind == "anniversary" and event_on is not None and event_on.year == NO_YEAR:
            reason = f"{text}, {_on_day(due, today)}"  # the year is unknown: no count
        elif kind == "anniversary" and event_on is not None:
            years = due.year - event_on.year
            reason = (
                f"{text}: {years} year{'s' if years != 1 else ''} "
                f"{_on_day(due, today)} (since {event_on.isoformat()})"
            )
        if kind == "congratulate" and event_on is not None and event_on < due:
            reason += f" (it happened {event_on.isoformat()})"
        if belated:
            reason += f" (belated: {relative_day(due, today)})"
        if rule:
            reason += f"; repeats ({rule})"
        if lead and due > today:
            reason += f"; shown {lead.describe()} ahead"
        if kind == "congratulate":
            suggestion = CONGRATULATE_SUGGESTIONS.get(touchpoint.event_kind or "custom")
        elif kind == "follow-up":
            suggestion = f"{TOUCHPOINT_SUGGESTIONS['follow-up']}: {text}"
        else:
            suggestion = TOUCHPOINT_SUGGESTIONS.get(kind, "get it done")
        if belated:
            suggestion = f"belated: {suggestion}"
        rows.append(
            AgendaRow(
                key=f"t{touchpoint.id}",
                kind=kind,
                section=_section(due, today),
                contact_id=touchpoint.contact_id,
                contact=touchpoint.contact,
                due=due,
                days_late=(today - due).days,
                fraction=None,
                reason=reason,
                suggestion=suggestion or "",
            )
        )
    return rows


DEFAULT_GIFT_LEAD_DAYS = 14


def gift_occasion_day(
    on: date | None,
    occasion: str | None,
    birthday_next: date | None,
    anniversary_next: date | None,
    today: date,
) -> date | None:
    """The day a gift idea is for: its own date, else the next anniversary or birthday."""
    if on is not None:
        return on if on >= today else None
    kind = (occasion or "birthday").lower()
    if "anniversary" in kind or "wedding" in kind:
        return anniversary_next
    if "birthday" in kind:
        return birthday_next
    return None


def gift_idea_rows(
    store: Store,
    today: date,
    horizon: date,
    tags: Sequence[str] = (),
    contact_id: int | None = None,
) -> list[AgendaRow]:
    """Gift ideas whose occasion (its date, the next birthday or anniversary) is within their
    lead time (14 days unless said), or within the window: "buy by" the day before."""
    from rel.domain.dates import Duration, parse_duration

    ideas = stored.gift_ideas(store, tags=tags, contact_id=contact_id)
    if not ideas:
        return []
    anniversaries = stored.next_anniversaries(store)
    rows = []
    for idea in ideas:
        text, occasion, lead_text = idea.text, idea.occasion, idea.lead
        month, day = idea.birthday_month, idea.birthday_day
        birthday = Birthday(month, day).next_on_or_after(today) if month and day else None
        anniversary = anniversaries.get(idea.contact_id)
        if anniversary is not None and anniversary < today:  # a missed one: next year's
            anniversary = Birthday(anniversary.month, anniversary.day).next_on_or_after(today)
        occasion_day = gift_occasion_day(idea.on, occasion, birthday, anniversary, today)
        if occasion_day is None:
            continue
        lead = parse_duration(lead_text) if lead_text else Duration(DEFAULT_GIFT_LEAD_DAYS, "d")
        if occasion_day > horizon and lead.before(occasion_day) > today:
            continue
        buy_by = max(occasion_day - timedelta(days=1), today)
        rows.append(
            AgendaRow(
                key=f"g{idea.id}",
                kind="gift",
                section="today" if buy_by <= today else "upcoming",
                contact_id=idea.contact_id,
                contact=idea.contact,
                due=buy_by,
                days_late=(today - buy_by).days,
                fraction=None,
                reason=(
                    f"gift idea for the {occasion or 'birthday'} {_on_day(occasion_day, today)}:"
                    f" {text} — buy by {short_day(buy_by)}"
                ),
                suggestion=f"buy by {buy_by.isoformat()}: {text}",
            )
        )
    return rows


def fairness_bucket(row: AgendaRow) -> tuple:
    """Rows in one bucket count as equally urgent when --limit has to choose among them."""
    rank = SECTIONS.index(row.section)
    if rank == 0:
        return (rank, round(row.lateness, 1))
    return (rank, row.due)


def limit_fairly(rows: list[AgendaRow], limit: int, today: date) -> list[AgendaRow]:
    """The `limit` most urgent rows; among equally urgent ones that do not all fit, a window
    that moves on by its own size each day, so over a few days every one of them is shown.
    Deterministic for a given store and day."""
    if limit <= 0:
        return []
    chosen: list[AgendaRow] = []
    buckets: dict[tuple, list[AgendaRow]] = {}
    for row in rows:
        buckets.setdefault(fairness_bucket(row), []).append(row)
    for bucket in buckets.values():  # dicts keep insertion order: most urgent bucket first
        room = limit - len(chosen)
        if room <= 0:
            break
        if len(bucket) <= room:
            chosen.extend(bucket)
            continue
        ordered = sorted(bucket, key=lambda row: row.key)
        start = (today.toordinal() * room) % len(ordered)
        window = [ordered[(start + i) % len(ordered)] for i in range(room)]
        chosen.extend(sorted(window, key=AgendaRow.order.fget))
    return chosen
