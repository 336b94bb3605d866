"""The reminder engine: who needs attention on a given day, and why.

`agenda(session, today)` is a pure function of the store and the day: the same data on the same
day gives the same rows. SQL does the aggregation (the last interaction of each contact, through
the participant index); Python applies the rules that SQL says badly (calendar arithmetic of
cadences, 29 February).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from rel.dates import Birthday, Cadence, parse_cadence

if TYPE_CHECKING:
    from sqlmodel import Session

SECTIONS = ("overdue", "today", "upcoming")
DEFAULT_DAYS = 7

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


@functools.lru_cache(maxsize=256)
def cadence_of(text: str) -> Cadence:
    """A stored cadence (always written by `parse_cadence`, so it parses)."""
    return parse_cadence(text)


def relationship(tags: Iterable[str]) -> str | None:
    """The tag a suggestion is fitted to: the strongest well-known relationship among them."""
    present = set(tags)
    return next((name for name in RELATIONSHIPS if name in present), None)


@dataclass(frozen=True)
class CatchUp:
    """Where a contact stands against their cadence on a given day."""

    cadence: Cadence
    cadence_source: str | None  # None: the contact's own; else the tag it comes from
    since: date  # the last interaction, or the day the contact was added
    last_seen: date | None
    today: date

    @property
    def due(self) -> date:
        return self.cadence.due(self.since)

    @property
    def overdue_after(self) -> date:
        return self.cadence.overdue_after(self.since)

    @property
    def days_late(self) -> int:
        """Days past the (hard) due date; zero or less when not overdue."""
        return (self.today - self.overdue_after).days

    @property
    def fraction(self) -> float:
        """Days late as a fraction of the cadence: 5 days late on a 2-week cadence is 0.36."""
        length = max((self.overdue_after - self.since).days, 1)
        return round(max(self.days_late, 0) / length, 2)

    @property
    def section(self) -> str | None:
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
            seen = f"nothing logged since added on {self.since.isoformat()}"
        else:
            ago = (self.today - self.last_seen).days
            seen = f"last contact {self.last_seen.isoformat()} ({_days(ago)} ago)"
        if self.days_late > 0:
            status = f"{_days(self.days_late)} overdue ({self.fraction:.0%} of the cadence)"
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
) -> CatchUp | None:
    """The catch-up state of one contact, or None without a cadence of their own or of a tag.

    A contact's own cadence wins; without one, the shortest default among their tags applies.
    """
    if own_cadence:
        cadence, source = cadence_of(own_cadence), None
    elif tag_cadences:
        start = last_seen or added_on
        tag, text = min(tag_cadences, key=lambda tc: (cadence_of(tc[1]).due(start), tc[0]))
        cadence, source = cadence_of(text), tag
    else:
        return None
    return CatchUp(cadence, source, last_seen or added_on, last_seen, today)


@dataclass(frozen=True)
class AgendaRow:
    """One reason to reach out: what, to whom, when, why, and what to do."""

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
    def urgency(self) -> tuple:
        """Sort key: overdue by fraction of the cadence, then today, then upcoming by date."""
        rank = SECTIONS.index(self.section)
        return (rank, -(self.fraction or 0.0) if rank == 0 else 0, self.due, self.kind)


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


def _days(count: int) -> str:
    return f"{count} day" + ("" if count == 1 else "s")


def catch_up_suggestion(tags: Iterable[str], *, overdue: bool) -> str:
    kind = relationship(tags)
    if overdue and kind in OVERDUE_CATCH_UP_SUGGESTIONS:
        return OVERDUE_CATCH_UP_SUGGESTIONS[kind]
    return CATCH_UP_SUGGESTIONS.get(kind or "", DEFAULT_CATCH_UP_SUGGESTION)


def birthday_suggestion(tags: Iterable[str]) -> str:
    return BIRTHDAY_SUGGESTIONS.get(relationship(tags) or "", DEFAULT_BIRTHDAY_SUGGESTION)


def agenda(
    session: Session,
    today: date,
    *,
    days: int = DEFAULT_DAYS,
    tags: Sequence[str] = (),
    limit: int | None = None,
) -> Agenda:
    """Everything due for `today`: overdue, today, and the next `days` days, most urgent first."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from rel.core.contacts import (
        has_tag_cadence,
        tag_cadences_by_contact,
        tags_by_contact,
        with_tags,
    )
    from rel.models import Contact

    horizon = date.fromordinal(today.toordinal() + days)
    last_seen = last_seen_column()
    tag_cadences = tag_cadences_by_contact(session)
    query = select(
        Contact.id,
        Contact.name,
        Contact.cadence,
        Contact.added_on,
        Contact.birthday_month,
        Contact.birthday_day,
        Contact.birthday_year,
        last_seen,
    ).where(col(Contact.archived).is_(False))
    query = query.where(
        col(Contact.cadence).is_not(None)
        | col(Contact.birthday_month).is_not(None)
        | has_tag_cadence()
    )
    if tags:
        query = with_tags(query, tags)
    rows: list[AgendaRow] = []
    for contact_id, name, cadence, added_on, b_month, b_day, b_year, seen in session.exec(query):
        state = catch_up(cadence, tag_cadences.get(contact_id, ()), added_on, seen, today)
        if state is not None and state.due <= horizon:
            rows.append(
                AgendaRow(
                    key=f"c{contact_id}",
                    kind="catch-up",
                    section=state.section or "upcoming",
                    contact_id=contact_id,
                    contact=name,
                    due=state.due,
                    days_late=state.days_late if state.days_late > 0 else (today - state.due).days,
                    fraction=state.fraction,
                    reason=state.reason(),
                    suggestion="",
                )
            )
        if b_month is not None:
            birthday = Birthday(b_month, b_day, b_year)
            day = birthday.next_on_or_after(today)
            if day <= horizon:
                rows.append(_birthday_row(contact_id, name, birthday, day, today))
    contact_count = session.exec(select(func.count()).select_from(Contact)).one()
    tag_names = tags_by_contact(session, {row.contact_id for row in rows})
    rows = [_with_suggestion(row, tag_names.get(row.contact_id, ())) for row in rows]
    rows.sort(key=lambda row: (row.urgency, row.contact, row.key))
    shown = limit_fairly(rows, limit, today) if limit is not None else rows
    return Agenda(today, days, shown, contact_count, len(rows) - len(shown), tuple(tags))


def last_seen_column():
    """The date of a contact's last interaction, as a correlated subquery on the index."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from rel.models import Contact, Interaction, Participant

    return (
        select(func.max(Interaction.on))
        .join(Participant, col(Participant.interaction_id) == col(Interaction.id))
        .where(col(Participant.contact_id) == col(Contact.id))
        .correlate(Contact)
        .scalar_subquery()
        .label("last_seen")
    )


def _birthday_row(
    contact_id: int, name: str, birthday: Birthday, day: date, today: date
) -> AgendaRow:
    age = birthday.age_on(day)
    turning = f"turns {age}" if age is not None else "birthday"
    when = "today" if day == today else f"on {day:%a %b} {day.day}"
    reason = f"{turning} {when}"
    if (birthday.month, birthday.day) == (2, 29) and day.day == 28:
        reason += " (born on 29 February; celebrated on the 28th in common years)"
    return AgendaRow(
        key=f"b{contact_id}",
        kind="birthday",
        section="today" if day == today else "upcoming",
        contact_id=contact_id,
        contact=name,
        due=day,
        days_late=(today - day).days,
        fraction=None,
        reason=reason,
        suggestion="",
        age=age,
    )


def _with_suggestion(row: AgendaRow, tags: tuple[str, ...]) -> AgendaRow:
    from dataclasses import replace

    if row.kind == "birthday":
        suggestion = birthday_suggestion(tags)
    else:
        suggestion = catch_up_suggestion(tags, overdue=row.section == "overdue")
    return replace(row, suggestion=suggestion, tags=tags)


def fairness_bucket(row: AgendaRow) -> tuple:
    """Rows in one bucket count as equally urgent when --limit has to choose among them."""
    rank = SECTIONS.index(row.section)
    if rank == 0:
        return (rank, round(row.fraction or 0.0, 1))
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
        chosen.extend(sorted(window, key=lambda row: (row.urgency, row.contact, row.key)))
    return chosen
