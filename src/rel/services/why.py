"""`rel why`: every rule, date and cadence that puts a contact on the agenda or keeps them off,
in plain words."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from rel.domain.dates import Birthday
from rel.domain.vocabulary import counted
from rel.errors import NotFound
from rel.services.agenda import (
    DEFAULT_DAYS,
    GRACE_DAYS,
    OCCASION_KINDS,
    agenda,
    birthday_occurrence,
    cadence_of,
    catch_up,
    favor_balance,
    occasion_due,
    relative_day,
    snoozed,
    tags_of,
    unreturned_favors,
)
from rel.store import touchpoints as stored

if TYPE_CHECKING:
    from rel.store.queries import Store


def _when(day: date, today: date) -> str:
    return f"{day.isoformat()} ({relative_day(day, today)})"


def _grace_end(day: date) -> date:
    return date.fromordinal(day.toordinal() + GRACE_DAYS)


def since_before(seen: date | None, contact: stored.AgendaContact) -> str:
    if seen:
        return f"the last interaction ({seen.isoformat()})"
    return f"the day they were added ({contact.added_on.isoformat()})"


def explain(store: Store, contact_id: int, today: date, *, days: int = DEFAULT_DAYS) -> list[str]:
    """Lines of plain words, the verdict first."""
    contact = stored.agenda_contact(store, contact_id)
    if contact is None:
        raise NotFound(f"no contact has the id {contact_id} (rel list shows the ids)")
    lines: list[str] = []
    hidden = snoozed(store, today)
    rows = agenda(store, today, days=days, contact_id=contact.id).rows
    if contact.archived:
        lines.append(
            f"{contact.name} is archived, so never on the agenda (rel unarchive brings them back)."
        )
    elif rows:
        listed = "; ".join(f"{row.key} {row.kind} ({row.section})" for row in rows)
        lines.append(f"{contact.name} is on the agenda for {today.isoformat()}: {listed}.")
    else:
        window = "what is overdue or due today"
        if days:
            ahead = "tomorrow" if days == 1 else f"in the next {counted(days, 'day')}"
            window = f"what is overdue, due today, or due {ahead}"
        lines.append(
            f"{contact.name} is not on the agenda for {today.isoformat()} (it shows {window})."
        )

    tags = tags_of(store, [contact.id]).get(contact.id, ())
    tag_cadences = stored.tag_cadences(store, contact.id)
    seen = contact.last_seen
    state = catch_up(
        contact.cadence, tag_cadences, contact.added_on, seen, today, contact.catch_up_skipped
    )
    if seen:
        lines.append(f"Last interaction: {_when(seen, today)}.")
    else:
        lines.append(f"No interaction logged since they were added on {contact.added_on}.")
    if contact.cadence:
        lines.append(f"Cadence: their own, {cadence_of(contact.cadence).describe()}.")
        if tag_cadences:
            others = ", ".join(f"{t} {c}" for t, c in tag_cadences)
            lines.append(f"Their tags' default cadences ({others}) do not apply: their own wins.")
    elif tag_cadences:
        options = ", ".join(f"{t}: {cadence_of(c).describe()}" for t, c in tag_cadences)
        assert state is not None
        lines.append(
            f"Cadence: none of their own; from their tags ({options}) the shortest applies, "
            f"{state.describe_cadence()}."
        )
    else:
        tagged = f" (tags: {', '.join(tags)})" if tags else ""
        lines.append(
            f"Cadence: none, and none of their tags{tagged} has a default, so no catch-up is "
            "ever due (rel edit WHO --every 3w, or rel tag TAG --every 1m)."
        )
    if state is not None:
        since = "the last interaction" if seen else "the day they were added"
        if state.skipped is not None:
            since = f"the catch-up skipped on {state.skipped.isoformat()}"
            lines.append(
                f"The catch-up was skipped (rel skip c{contact.id}): it counts from the skipped "
                f"occurrence, {state.skipped.isoformat()}, not from {since_before(seen, contact)}, "
                "so it is neither owed nor late again for it."
            )
        if state.cadence.hard:
            lines.append(
                f"Catch-up: due {_when(state.due, today)}, {state.cadence.soft.describe()} after "
                f"{since}; overdue after {_when(state.overdue_after, today)}."
            )
        else:
            lines.append(
                f"Catch-up: due {_when(state.due, today)}, {state.cadence.soft.describe()} "
                f"after {since}."
            )
        if state.days_late > 0:
            lines.append(
                f"That is {counted(state.days_late, 'day')} overdue, {state.fraction:.0%} of the "
                "cadence; overdue rows are ranked by that fraction."
            )
    if f"c{contact.id}" in hidden:
        lines.append(f"The catch-up c{contact.id} is snoozed until {hidden[f'c{contact.id}']}.")

    if contact.birthday_month and contact.birthday_day:
        birthday = Birthday(contact.birthday_month, contact.birthday_day, contact.birthday_year)
        day = birthday_occurrence(birthday, today)
        age = birthday.age_on(day)
        if day < today:
            turned = f", when they turned {age}" if age else ""
            lines.append(
                f"Birthday: {birthday.describe()}; it was {_when(day, today)}{turned}: shown as "
                f"belated until {_grace_end(day).isoformat()} unless done or skipped (a grace "
                f"period of {GRACE_DAYS} days), then not until "
                f"{birthday.next_on_or_after(today + timedelta(days=1)).isoformat()}."
            )
        else:
            turning = f", when they turn {age}" if age else " (year unknown, so no age)"
            lines.append(
                f"Birthday: {birthday.describe()}; next on {_when(day, today)}{turning}; if "
                f"missed, shown as belated for {GRACE_DAYS} days."
            )
        if (birthday.month, birthday.day) == (2, 29) and day.day == 28:
            lines.append("Born on 29 February: celebrated on 28 February in common years.")
        if f"b{contact.id}" in hidden:
            lines.append(f"The birthday b{contact.id} is snoozed until {hidden[f'b{contact.id}']}.")
    else:
        lines.append("Birthday: not known.")

    for touchpoint in stored.open_touchpoints_of(store, contact.id):
        key = f"t{touchpoint.id}"
        day = occasion_due(
            touchpoint.kind, touchpoint.due, touchpoint.rule, touchpoint.start, today
        )
        if day is None:
            lines.append(
                f"Scheduled {key} ({touchpoint.kind}): {touchpoint.text}, was due "
                f"{_when(touchpoint.due, today)}; its grace period of {GRACE_DAYS} days ended "
                f"on {_grace_end(touchpoint.due).isoformat()}, so it is no longer shown "
                f"(rel done {key} or rel skip {key} closes it)."
            )
            continue
        line = f"Scheduled {key} ({touchpoint.kind}): {touchpoint.text}, due {_when(day, today)}"
        if day != touchpoint.due:
            line += f" (the one of {touchpoint.due.isoformat()} was missed)"
        if touchpoint.kind in OCCASION_KINDS and day < today:
            line += f", belated until {_grace_end(day).isoformat()}"
        if touchpoint.rule:
            line += f", repeating by {touchpoint.rule}"
        if touchpoint.lead:
            line += f", shown {touchpoint.lead} ahead"
        if key in hidden:
            line += f"; snoozed until {hidden[key]}"
        lines.append(line + ".")
    for idea in stored.gifts_of(store, contact.id, "idea"):
        occasion = idea.occasion or "birthday"
        when = f" on {idea.on}" if idea.on else ""
        lines.append(
            f"Gift idea g{idea.id}: {idea.text}, for the {occasion}{when}; it shows "
            f"{idea.lead or '14d'} before."
        )
    balance = favor_balance(store, contact.id)
    if balance["given"] or balance["received"]:
        owed = unreturned_favors(store, [contact.id]).get(contact.id, 0)
        line = (
            f"Favors: you helped them {balance['given']}×, they helped you {balance['received']}×"
        )
        if owed:
            line += f"; {owed} since you last helped them, so the suggestion is to return the favor"
        lines.append(line + ".")
    return lines
