"""Everything rel prints: data on stdout, messages on stderr.

On a terminal, data is drawn with Rich (imported only then: it is slow to import); piped, it is
plain, stable text that greps and diffs well. `--json` prints one document with stable keys and
ISO dates. `NO_COLOR` is honoured by Rich; plain output never has colour.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def is_terminal() -> bool:
    """Draw with Rich? Yes on a terminal, or when FORCE_COLOR / REL_FORCE_TERMINAL say so."""
    if os.environ.get("REL_FORCE_TERMINAL") or os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def console() -> Console:
    """A Rich console on stdout, made as the environment is now (width, colour, NO_COLOR)."""
    from rich.console import Console

    forced = bool(os.environ.get("REL_FORCE_TERMINAL"))
    return Console(highlight=False, force_terminal=forced or None, soft_wrap=False)


def out(line: str = "") -> None:
    """One line of data on stdout."""
    sys.stdout.write(line + "\n")


def message(text: str) -> None:
    """A message for the person (not data): on stderr, so pipes carry only data."""
    sys.stderr.write(text + "\n")


def warning(text: str) -> None:
    message(f"warning: {text}")


def error(text: str) -> None:
    message(f"error: {text}")


def iso(value: date | datetime | time | None) -> str | None:
    return value.isoformat() if value is not None else None


def print_json(document: Any) -> None:
    out(json.dumps(document, indent=2, ensure_ascii=False, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> None:
    """Aligned columns separated by two spaces; the last column is never padded."""
    widths = [len(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))
    for row in [list(headers), *rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        out((indent + "  ".join(cells)).rstrip())


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    style: str | None = None,
    no_wrap: Sequence[str] = (),
) -> None:
    """A table: Rich on a terminal, aligned plain text otherwise."""
    if not is_terminal():
        if title:
            out(title)
        plain_table(headers, rows)
        return
    from rich.table import Table

    grid = Table(title=title, title_style=style, title_justify="left", header_style="bold")
    for header in headers:
        grid.add_column(header, no_wrap=header in no_wrap, overflow="fold")
    for row in rows:
        grid.add_row(*row)
    console().print(grid)


def markup_escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


# --- the agenda --------------------------------------------------------------------------

SECTION_TITLES = {"overdue": "Overdue", "today": "Today", "upcoming": "Upcoming"}
SECTION_STYLES = {"overdue": "bold red", "today": "bold yellow", "upcoming": "bold cyan"}


def agenda_row_json(row: Any) -> dict[str, Any]:
    return {
        "key": row.key,
        "kind": row.kind,
        "section": row.section,
        "contact": row.contact,
        "contact_id": row.contact_id,
        "due": row.due.isoformat(),
        "days_late": row.days_late,
        "fraction": row.fraction,
        "age": row.age,
        "tags": list(row.tags),
        "reason": row.reason,
        "suggestion": row.suggestion,
    }


def agenda_json(agenda: Any) -> dict[str, Any]:
    document: dict[str, Any] = {"date": agenda.today.isoformat(), "days": agenda.days}
    for name in ("overdue", "today", "upcoming"):
        document[name] = [agenda_row_json(row) for row in agenda.section(name)]
    document["hidden"] = agenda.hidden
    return document


def _when(row: Any, today: date) -> str:
    if row.section == "overdue":
        return f"{row.days_late}d late"
    if row.due == today:
        return "today"
    if row.due < today:
        return f"since {row.due:%b} {row.due.day}"
    return f"{row.due:%a %b} {row.due.day}"


EMPTY_STORE = (
    'Your network is empty. Start with: rel add "Alice Chen" --every 3w --birthday 03-14 '
    "(or try rel demo)"
)


def _nothing_due(agenda: Any) -> str:
    scope = f" for {', '.join(agenda.tags)}" if agenda.tags else ""
    return f"Nothing due{scope} today or in the next {agenda.days} days. Enjoy your day."


def agenda_text(agenda: Any) -> None:
    if agenda.contacts == 0:
        out(EMPTY_STORE)
        return
    if not agenda.rows:
        out(_nothing_due(agenda))
        return
    terminal = is_terminal()
    for name in ("overdue", "today", "upcoming"):
        rows = agenda.section(name)
        if not rows:
            continue
        title = f"{SECTION_TITLES[name]} ({len(rows)})"
        if terminal:
            _agenda_section_rich(title, name, rows, agenda.today)
        else:
            out(title)
            width = max(len(row.key) for row in rows)
            for row in rows:
                out(f"  {row.key.ljust(width)}  {row.contact} — {row.reason}")
                out(f"  {' ' * width}  → {row.suggestion}")
            out()
    if agenda.hidden:
        out(f"… and {agenda.hidden} more (rel due without --limit shows them all)")


def _agenda_section_rich(title: str, name: str, rows: Sequence[Any], today: date) -> None:
    from rich.table import Table

    grid = Table(
        title=title,
        title_style=SECTION_STYLES[name],
        title_justify="left",
        header_style="bold",
        expand=False,
    )
    grid.add_column("Key", style="dim", no_wrap=True)
    grid.add_column("Who", no_wrap=True)
    grid.add_column("When", no_wrap=True)
    grid.add_column("Why", overflow="fold")
    grid.add_column("Suggestion", style="green", overflow="fold")
    for row in rows:
        grid.add_row(
            row.key,
            markup_escape(row.contact),
            _when(row, today),
            markup_escape(row.reason),
            markup_escape(row.suggestion),
        )
    console().print(grid)


def markdown_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_{}[]<>()#+-.!|" else ch for ch in text)


def agenda_markdown(agenda: Any) -> None:
    out(f"# Agenda for {agenda.today:%A} {agenda.today.day} {agenda.today:%B %Y}")
    out()
    if agenda.contacts == 0:
        out(EMPTY_STORE)
        return
    if not agenda.rows:
        out(_nothing_due(agenda))
        return
    for name in ("overdue", "today", "upcoming"):
        rows = agenda.section(name)
        if not rows:
            continue
        out(f"## {SECTION_TITLES[name]} ({len(rows)})")
        out()
        for row in rows:
            out(
                f"- **{markdown_escape(row.contact)}** (`{row.key}`, {_when(row, agenda.today)}): "
                f"{markdown_escape(row.reason)}  \n  *{markdown_escape(row.suggestion)}*"
            )
        out()
    if agenda.hidden:
        out(f"*… and {agenda.hidden} more.*")


# --- contacts ----------------------------------------------------------------------------


def profile_json(profile: Any) -> dict[str, Any]:
    state = profile.catch_up
    birthday = profile.birthday
    return {
        "id": profile.id,
        "name": profile.name,
        "aliases": profile.aliases,
        "company": profile.company,
        "title": profile.title,
        "emails": profile.emails,
        "phones": profile.phones,
        "links": profile.links,
        "tags": list(profile.tags),
        "met": profile.met,
        "birthday": str(birthday) if birthday else None,
        "next_birthday": iso(profile.next_birthday),
        "age": birthday.age_on(profile.next_birthday) if birthday else None,
        "cadence": str(state.cadence) if state else None,
        "cadence_from_tag": state.cadence_source if state else None,
        "health": state.health if state else None,
        "next_due": iso(state.due) if state else None,
        "days_late": max(state.days_late, 0) if state else None,
        "fraction": state.fraction if state else None,
        "last_interaction": iso(profile.last_seen),
        "interactions": profile.interactions,
        "notes": profile.notes,
        "archived": profile.archived,
        "added_on": iso(profile.added_on),
        "created_at": iso(profile.created_at),
        "updated_at": iso(profile.updated_at),
        "scheduled": [
            {
                "key": t.key,
                "kind": t.kind,
                "text": t.text,
                "due": iso(t.due),
                "rule": t.rule,
                "lead": t.lead,
            }
            for t in profile.scheduled
        ],
        "gifts": [
            {
                "id": g.id,
                "direction": g.direction,
                "text": g.text,
                "occasion": g.occasion,
                "date": iso(g.on),
                "cost": g.cost,
            }
            for g in profile.gifts
        ],
        "favors": profile.favors,
        "timeline": [
            {
                "id": entry.interaction_id,
                "date": iso(entry.on),
                "time": iso(entry.at),
                "kind": entry.kind,
                "direction": entry.direction,
                "note": entry.note,
                "with": list(entry.others),
            }
            for entry in profile.timeline
        ],
    }


def health_line(state: Any, today: date) -> str:
    if state is None:
        return "no cadence (rel edit WHO --every 3w sets one)"
    if state.health == "overdue":
        status = (
            f"overdue by {state.days_late} days ({state.fraction:.0%} of the cadence), "
            f"was due {state.due.isoformat()}"
        )
    elif state.health == "due":
        status = "due today" if state.due == today else f"due since {state.due.isoformat()}"
    else:
        status = f"on time, next due {state.due.isoformat()} (in {(state.due - today).days} days)"
    return f"{state.describe_cadence()}: {status}"


def _birthday_line(profile: Any) -> str | None:
    birthday = profile.birthday
    if birthday is None:
        return None
    line = birthday.describe()
    age = birthday.age_on(profile.next_birthday)
    line += (
        f" (turns {age} on {profile.next_birthday.isoformat()})"
        if age
        else (f" (next {profile.next_birthday.isoformat()})")
    )
    return line


def _favor_line(favors: dict[str, int]) -> str:
    if not favors["given"] and not favors["received"]:
        return ""
    balance = favors["given"] - favors["received"]
    lean = "even" if balance == 0 else ("you gave more" if balance > 0 else "they gave more")
    return f"you helped them {favors['given']}×, they helped you {favors['received']}× ({lean})"


def profile_text(profile: Any, today: date) -> None:
    fields = [
        ("aliases", ", ".join(profile.aliases)),
        ("company", ", ".join(x for x in (profile.title, profile.company) if x)),
        ("emails", ", ".join(profile.emails)),
        ("phones", ", ".join(profile.phones)),
        ("links", ", ".join(profile.links)),
        ("tags", ", ".join(profile.tags)),
        ("met", profile.met or ""),
        ("birthday", _birthday_line(profile) or ""),
        ("cadence", health_line(profile.catch_up, today)),
        (
            "last",
            f"{profile.last_seen.isoformat()} ({(today - profile.last_seen).days} days ago); "
            f"{profile.interactions} interactions in all"
            if profile.last_seen
            else "nothing logged yet",
        ),
        ("favors", _favor_line(profile.favors)),
        ("added", profile.added_on.isoformat()),
        ("status", "archived (rel unarchive brings them back)" if profile.archived else ""),
        ("notes", profile.notes or ""),
    ]
    shown = [(label, value) for label, value in fields if value]
    terminal = is_terminal()
    heading = f"{profile.name} (#{profile.id})"
    if terminal:
        from rich.table import Table

        console().print(f"[bold]{markup_escape(heading)}[/bold]")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in shown:
            grid.add_row(label, markup_escape(value))
        console().print(grid)
    else:
        out(heading)
        width = max(len(label) for label, _ in shown)
        for label, value in shown:
            lines = value.splitlines() or [""]
            out(f"  {label.ljust(width)}  {lines[0]}")
            for more in lines[1:]:
                out(f"  {' ' * width}  {more}")
    if profile.scheduled:
        out()
        table(
            ["key", "kind", "due", "what"],
            [
                [t.key, t.kind, t.due.isoformat(), t.text + (f" ({t.rule})" if t.rule else "")]
                for t in profile.scheduled
            ],
            title="Scheduled",
        )
    if profile.gifts:
        out()
        table(
            ["date", "gift", "what", "for"],
            [
                [
                    iso(g.on) or "",
                    g.direction,
                    g.text + (f" ({g.cost})" if g.cost else ""),
                    g.occasion or "",
                ]
                for g in profile.gifts
            ],
            title="Gifts",
        )
    if not profile.timeline:
        return
    rows = [
        [
            entry.on.isoformat() + (f" {entry.at:%H:%M}" if entry.at else ""),
            entry.kind,
            "they reached out" if entry.direction == "them" else "",
            ("with " + ", ".join(entry.others) + ". " if entry.others else "")
            + " ".join((entry.note or "").split()),
        ]
        for entry in profile.timeline
    ]
    title = f"Timeline ({len(profile.timeline)} of {profile.interactions}, newest first)"
    out()
    table(["date", "kind", "who began", "note"], rows, title=title, no_wrap=["date"])


def summaries_json(summaries: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "name": s.name,
            "company": s.company,
            "tags": list(s.tags),
            "cadence": s.cadence,
            "last_interaction": iso(s.last_seen),
            "next_due": iso(s.next_due),
            "health": s.health,
            "days_late": max(s.days_late, 0) if s.days_late is not None else None,
            "archived": s.archived,
        }
        for s in summaries
    ]


def summaries_text(summaries: Sequence[Any], today: date) -> None:
    def status(s: Any) -> str:
        if s.archived:
            return "archived"
        if s.health == "overdue":
            return f"overdue {s.days_late}d"
        return s.health or ""

    rows = [
        [
            str(s.id),
            s.name,
            s.company or "",
            ",".join(s.tags),
            s.cadence or "",
            s.last_seen.isoformat() if s.last_seen else "never",
            s.next_due.isoformat() if s.next_due else "",
            status(s),
        ]
        for s in summaries
    ]
    table(
        ["id", "name", "company", "tags", "every", "last", "next", "status"],
        rows,
        no_wrap=["id", "last", "next"],
    )


# --- stats and drift ---
# Bars are Rich's own (a Table of block characters): Rich is already a dependency, and a chart
# library such as plotext would add its import time for a dozen bars.


def _bar(value: int, largest: int, width: int = 30) -> str:
    if largest <= 0 or value <= 0:
        return ""
    return "█" * max(1, round(width * value / largest))


def stats_json(stats: Any) -> dict[str, Any]:
    return {
        "date": iso(stats.today),
        "since": iso(stats.since),
        "contacts": stats.contacts,
        "by_tag": [{"tag": tag, "contacts": count} for tag, count in stats.by_tag],
        "per_month": [{"month": month, "interactions": n} for month, n in stats.per_month],
        "cadence_health": stats.health,
        "reach_out": [{"tag": tag, "you": me, "them": them} for tag, me, them in stats.reach_out],
        "favors": stats.favors,
        "kinds": [{"kind": kind, "interactions": n} for kind, n in stats.kinds],
    }


def _chart(title: str, rows: Sequence[tuple[str, int]], unit: str) -> None:
    largest = max((n for _, n in rows), default=0)
    if is_terminal():
        from rich.table import Table

        grid = Table(title=title, title_justify="left", title_style="bold", box=None)
        grid.add_column("", no_wrap=True)
        grid.add_column(unit, justify="right")
        grid.add_column("", style="cyan", no_wrap=True)
        for label, n in rows:
            grid.add_row(markup_escape(label), str(n), _bar(n, largest))
        console().print(grid)
    else:
        out(title)
        plain_table(["", unit], [[label, str(n)] for label, n in rows], indent="  ")
    out()


def stats_text(stats: Any) -> None:
    scope = f" since {stats.since.isoformat()}" if stats.since else ""
    out(f"{stats.contacts} contacts; interactions counted{scope or ' over all time'}.")
    out()
    _chart("Contacts by tag", stats.by_tag, "contacts")
    _chart("Interactions per month", stats.per_month, "interactions")
    with_cadence = sum(stats.health.values())
    _chart(
        f"Catch-ups ({with_cadence} contacts with a cadence)",
        [(f"{name} ({n * 100 // with_cadence if with_cadence else 0}%)", n)
         for name, n in stats.health.items()],
        "contacts",
    )  # fmt: skip
    rows = [[tag, str(me), str(them)] for tag, me, them in stats.reach_out]
    table(["tag", "you reached out", "they did"], rows, title="Who reaches out")
    out()
    given, received = stats.favors["given"], stats.favors["received"]
    balance = given - received
    out(f"Favors: you helped {given}×, you were helped {received}× (balance {balance:+d}).")
    out()
    _chart("Kinds of interaction", stats.kinds, "interactions")


def drift_json(found: Sequence[Any], today: date) -> dict[str, Any]:
    return {
        "date": iso(today),
        "drifting": [
            {
                "contact": d.name,
                "contact_id": d.contact_id,
                "tags": list(d.tags),
                "usual_gap_days": d.usual_gap,
                "days_since": d.current_gap,
                "ratio": d.ratio,
                "last_interaction": iso(d.last_seen),
                "why": d.why,
                "suggestion": d.suggestion,
            }
            for d in found
        ],
    }


def drift_text(found: Sequence[Any]) -> None:
    if is_terminal():
        from rich.table import Table

        grid = Table(title="Cooling fastest", title_justify="left", title_style="bold")
        for header in ("Who", "Why", "Suggestion"):
            grid.add_column(header, overflow="fold")
        for d in found:
            grid.add_row(markup_escape(d.name), markup_escape(d.why), markup_escape(d.suggestion))
        console().print(grid)
        return
    for d in found:
        out(f"{d.name} (#{d.contact_id}) — {d.why}")
        out(f"  → {d.suggestion}")


# --- the digest ----------------------------------------------------------------------------


def digest_markdown(digest: Any) -> str:
    """The digest's body: the agenda as markdown, each row with its key and suggestion, rows
    the last digest did not have marked new (mail and chat services render it)."""
    agenda = digest.agenda
    lines = [f"**{agenda.today:%A} {agenda.today.day} {agenda.today:%B %Y}**", ""]
    if agenda.contacts == 0:
        return "\n".join([*lines, EMPTY_STORE, ""])
    if not agenda.rows:
        return "\n".join([*lines, _nothing_due(agenda), ""])
    for name in ("overdue", "today", "upcoming"):
        rows = agenda.section(name)
        if not rows:
            continue
        lines += [f"## {SECTION_TITLES[name]} ({len(rows)})", ""]
        for row in rows:
            new = "**new** · " if row.key in digest.new else ""
            lines.append(
                f"- {new}**{_light_escape(row.contact)}** (`{row.key}`, "
                f"{_when(row, agenda.today)}): {_light_escape(row.reason)}  \n"
                f"  *{_light_escape(row.suggestion)}*"
            )
        lines.append("")
    if agenda.hidden:
        lines += [f"*… and {agenda.hidden} more (rel due).*", ""]
    example = agenda.rows[0].key
    lines.append(f"Act on a row by its key: `rel done {example}`, `rel snooze {example} friday`.")
    return "\n".join(lines) + "\n"


def _light_escape(text: str) -> str:
    """Markdown's emphasis, code and link characters escaped, and nothing else: a digest is
    also read as plain text (ntfy, SMS), where `\\(` would be noise."""
    return "".join("\\" + ch if ch in "\\`*_[]<>" else ch for ch in text)


def digest_json(digest: Any) -> dict[str, Any]:
    document = agenda_json(digest.agenda)
    return {
        "title": digest.title,
        **document,
        "new": sorted(digest.new),
        "last_digest": iso(digest.last_sent),
    }
