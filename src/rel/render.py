"""Everything rel prints: data on stdout, messages on stderr.

On a terminal, data is drawn with Rich (imported only then: it is slow to import); piped, it is
plain, stable text that greps and diffs well. `--json` prints one document with stable keys and
ISO dates. `NO_COLOR` is honoured by Rich; plain output never has colour.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from rel.domain.dates import show_event_date
from rel.domain.vocabulary import counted, days_from

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# Characters that change how a terminal shows what follows them: C0 and C1 controls (U+009B is
# an 8-bit CSI), and the bidirectional embeddings, overrides and isolates ("Trojan Source").
# Tab and newline are kept: notes are multi-line.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Text as it may reach a terminal: each control or bidi override shown as `\\u202e`.

    Every line rel prints goes through here (`out`, `message`, the Rich cells), so what came
    from a file, an old store or the sqlite3 shell cannot move the cursor or reverse a line.
    In JSON the same escape is the same character, so `--json` loses nothing.
    """
    return _UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def cell(text: str, style: str = "") -> Text:
    """A piece of stored text for Rich, shown literally: `[/]` or `[link=…]` is not markup."""
    from rich.text import Text

    return Text(visible(text), style=style)


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
    sys.stdout.write(visible(line) + "\n")


def message(text: str) -> None:
    """A message for the person (not data): on stderr, so pipes carry only data."""
    sys.stderr.write(visible(text) + "\n")


def warning(text: str) -> None:
    message(f"warning: {text}")


def error(text: str) -> None:
    message(f"error: {text}")


def iso(value: date | datetime | time | None) -> str | None:
    return value.isoformat() if value is not None else None


def print_json(document: Any) -> None:
    import json  # only for --json: most commands print text

    out(json.dumps(document, indent=2, ensure_ascii=False, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> None:
    """Aligned columns separated by two spaces; the last column is never padded."""
    rows = [[visible(value) for value in row] for row in rows]  # aligned as they will show
    widths = [len(h) for h in headers]
    for row in rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(value))
    for row in [list(headers), *rows]:
        cells = [text.ljust(widths[i]) for i, text in enumerate(row[:-1])] + [row[-1]]
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

    grid = Table(
        title=cell(title) if title else None,
        title_style=style,
        title_justify="left",
        header_style="bold",
    )
    for header in headers:
        grid.add_column(cell(header), no_wrap=header in no_wrap, overflow="fold")
    for row in rows:
        grid.add_row(*(cell(value) for value in row))
    console().print(grid)


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
    ahead = {0: "", 1: " or tomorrow"}.get(agenda.days, f" or in the next {agenda.days} days")
    return f"Nothing due{scope} today{ahead}. Enjoy your day."


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
            width = max(len(row.key) for row in rows)
            pad = " " * width
            lines = [title]
            for row in rows:
                lines.append(f"  {row.key.ljust(width)}  {row.contact} — {row.reason}")
                lines.append(f"  {pad}  → {row.suggestion}")
            lines.append("")
            out("\n".join(lines))  # one write: an agenda can run to thousands of lines
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
            cell(row.contact),
            _when(row, today),
            cell(row.reason),
            cell(row.suggestion),
        )
    console().print(grid)


_ENTITY = re.compile(r"#?\w+;")


def markdown_escape(text: str) -> str:
    """Text for the middle of a markdown line, escaped only where it would become markup there.

    The agenda's markdown is read as plain text in a mail as often as it is rendered, so a date
    stays `2026-12-06`: only emphasis, code, links, HTML, entities and strike-through marks are
    escaped (a `_` inside a word, as in first_last, is no emphasis). Line breaks become spaces:
    a new line could start a heading or a list.
    """
    text = " ".join(text.split())
    escaped = []
    for index, ch in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if (
            ch in "`*~<["
            or (ch == "_" and not (before.isalnum() and after.isalnum()))
            or (ch == "\\" and (not after or (after.isascii() and not after.isalnum())))
            or (ch == "&" and _ENTITY.match(text, index + 1))
        ):
            escaped.append("\\")
        escaped.append(ch)
    return "".join(escaped)


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
        **profile.texts,  # rel.domain.fields
        "emails": profile.emails,
        "phones": profile.phones,
        "links": profile.links,
        "tags": list(profile.tags),
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
                "key": g.key,
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
        "rhythm": [{"month": p.label, "count": p.count} for p in profile.rhythm],
        "events": [
            {"key": e.key, "kind": e.kind, "date": show_event_date(e.on), "text": e.text}
            for e in profile.events
        ],
        "completions": [
            {
                "key": c.key,
                "kind": c.kind,
                "text": c.text,
                "occurrence": iso(c.occurrence),
                "date": iso(c.on),
                "action": c.action,
                "note": c.note,
            }
            for c in profile.completions
        ],
        "timeline": [
            {
                "key": entry.key,
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
            f"overdue by {counted(state.days_late, 'day')} ({state.fraction:.0%} of the cadence), "
            f"was due {state.due.isoformat()}"
        )
    elif state.health == "due":
        status = "due today" if state.due == today else f"due since {state.due.isoformat()}"
    else:
        status = (
            f"on time, next due {state.due.isoformat()} ({days_from((state.due - today).days)})"
        )
    if state.skipped is not None:
        status += f"; counted from {state.skipped.isoformat()}, when it was skipped"
    return f"{state.describe_cadence()}: {status}"


def _rhythm_line(periods: Sequence[Any]) -> str:
    """ "▁▃▅▂▁▁▇▃▁▂▁▁ 2025-04 to 2026-03 (rel graph: the full chart)"; nothing when empty."""
    from rel.services.rhythm import sparkline

    if not periods or not any(p.count for p in periods):
        return ""
    line = sparkline([p.count for p in periods])
    return f"{line}  by month, {periods[0].label} to {periods[-1].label} (rel graph shows it)"


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


def _cut_notes(notes: str | None, *, full: bool) -> tuple[str, bool]:
    """A contact's notes: whole when piped or with --full; on a terminal, the first lines."""
    lines = (notes or "").splitlines()
    if full or not is_terminal() or len(lines) <= NOTES_LINES:
        return notes or "", False
    return "\n".join([*lines[: NOTES_LINES - 1], f"… ({len(lines)} lines in all)"]), True


def profile_text(profile: Any, today: date, *, full: bool = False) -> bool:
    """The profile; True when something was cut to fit the terminal (--full shows it whole)."""
    from rel.domain.fields import TEXT_FIELDS

    cut_any = False
    one_line, long_texts = [], []
    for field in TEXT_FIELDS:  # one-line texts beside the handles, notes and such at the end
        if field.one_line:
            one_line.append((field.label, profile.texts[field.name] or ""))
        else:
            text, cut = _cut_notes(profile.texts[field.name], full=full)
            long_texts.append((field.label, text))
            cut_any = cut_any or cut
    fields = [
        ("aliases", ", ".join(profile.aliases)),
        *one_line,
        ("emails", ", ".join(profile.emails)),
        ("phones", ", ".join(profile.phones)),
        ("links", ", ".join(profile.links)),
        ("tags", ", ".join(profile.tags)),
        ("birthday", _birthday_line(profile) or ""),
        ("cadence", health_line(profile.catch_up, today)),
        (
            "last",
            f"{profile.last_seen.isoformat()} ({days_from((profile.last_seen - today).days)}); "
            f"{counted(profile.interactions, 'interaction')} in all"
            if profile.last_seen
            else "nothing logged yet",
        ),
        ("rhythm", _rhythm_line(profile.rhythm)),
        ("favors", _favor_line(profile.favors)),
        ("added", profile.added_on.isoformat()),
        ("status", "archived (rel unarchive brings them back)" if profile.archived else ""),
        *long_texts,
    ]
    shown = [(label, value) for label, value in fields if value]
    terminal = is_terminal()
    heading = f"{profile.name} (#{profile.id})"
    if terminal:
        from rich.table import Table

        console().print(cell(heading, style="bold"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in shown:
            grid.add_row(label, cell(value))
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
            ["key", "kind", "next", "rule", "lead", "what"],
            [
                [t.key, t.kind, t.due.isoformat(), t.rule or "once", t.lead or "", t.text]
                for t in profile.scheduled
            ],
            title="Scheduled",
            no_wrap=["key", "next"],
        )
    if profile.events:
        out()
        table(
            ["key", "kind", "date", "what"],
            [[e.key, e.kind, show_event_date(e.on), e.text or ""] for e in profile.events],
            title="Life events",
            no_wrap=["key", "date"],
        )
    if profile.completions:
        rows = []
        for c in profile.completions:
            note, cut = cut_note(c.note, full=full)
            cut_any = cut_any or cut
            rows.append([c.key, c.on.isoformat(), c.action, c.text, note])
        out()
        table(
            ["key", "date", "", "what", "note"],
            rows,
            title="Done and skipped",
            no_wrap=["key", "date"],
        )
    if profile.gifts:
        out()
        table(
            ["key", "date", "gift", "what", "for"],
            [
                [
                    g.key,
                    iso(g.on) or "",
                    g.direction,
                    g.text + (f" ({g.cost})" if g.cost else ""),
                    g.occasion or "",
                ]
                for g in profile.gifts
            ],
            title="Gifts",
            no_wrap=["key", "date"],
        )
    if not profile.timeline:
        return cut_any
    rows = []
    for entry in profile.timeline:
        note, cut = cut_note(entry.note, full=full)
        cut_any = cut_any or cut
        rows.append(
            [
                entry.key,
                entry.on.isoformat() + (f" {entry.at:%H:%M}" if entry.at else ""),
                entry.kind,
                "they reached out" if entry.direction == "them" else "",
                ("with " + ", ".join(entry.others) + ". " if entry.others else "") + note,
            ]
        )
    title = f"Timeline ({len(profile.timeline)} of {profile.interactions}, newest first)"
    out()
    table(["key", "date", "kind", "who began", "note"], rows, title=title, no_wrap=["key", "date"])
    return cut_any


def summaries_json(summaries: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "name": s.name,
            **s.texts,  # the `listed` fields of rel.domain.fields
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
            s.texts.get("company") or "",
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
        "interactions": stats.interactions,
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
            grid.add_row(cell(label), str(n), _bar(n, largest))
        console().print(grid)
    else:
        out(title)
        plain_table(["", unit], [[label, str(n)] for label, n in rows], indent="  ")
    out()


def stats_text(stats: Any) -> None:
    scope = f" since {stats.since.isoformat()}" if stats.since else ""
    out(
        f"{counted(stats.contacts, 'contact')}; "
        f"{counted(stats.interactions, 'interaction')}{scope or ' over all time'}."
    )
    out()
    _chart("Contacts by tag", stats.by_tag, "contacts")
    _chart("Interactions per month", stats.per_month, "interactions")
    with_cadence = sum(stats.health.values())
    _chart(
        f"Catch-ups ({counted(with_cadence, 'contact')} with a cadence)",
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
            grid.add_row(cell(d.name), cell(d.why), cell(d.suggestion))
        console().print(grid)
        return
    for d in found:
        out(f"{d.name} (#{d.contact_id}) — {d.why}")
        out(f"  → {d.suggestion}")


# --- records: history, reminders, events, gifts (each with its key) ----------------------------

NOTE_WIDTH = 60  # a note longer than this is cut on a terminal (--full shows it whole)
NOTES_LINES = 6  # a contact's notes longer than this many lines are cut on a terminal


def cut_note(text: str | None, *, full: bool) -> tuple[str, bool]:
    """A note on one line: whole when piped or with --full, cut to NOTE_WIDTH on a terminal.
    Returns the text and whether it was cut."""
    line = " ".join((text or "").split())
    if full or len(line) <= NOTE_WIDTH or not is_terminal():
        return line, False
    return line[: NOTE_WIDTH - 1].rstrip() + "…", True


def _party_json(party: Any) -> dict[str, Any]:
    return {"id": party.id, "name": party.name}


def history_json(records: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": r.key,
            "date": iso(r.on),
            "time": iso(r.at),
            "kind": r.kind,
            "direction": r.direction,
            "with": [_party_json(p) for p in r.participants],
            "note": r.note,
            "follow_ups": list(r.follow_ups),
        }
        for r in records
    ]


def history_text(records: Sequence[Any], *, full: bool) -> bool:
    """The interactions as a table; True when a note was cut."""
    rows, cut_any = [], False
    for r in records:
        note, cut = cut_note(r.note, full=full)
        cut_any = cut_any or cut
        rows.append(
            [
                r.key,
                r.on.isoformat() + (f" {r.at:%H:%M}" if r.at else ""),
                r.kind,
                ", ".join(p.name for p in r.participants),
                "they" if r.direction == "them" else "you",
                " ".join(
                    [note] * bool(note)
                    + [f"(follow-up {', '.join(r.follow_ups)})"] * bool(r.follow_ups)
                ),
            ]
        )
    table(["key", "date", "kind", "with", "began", "note"], rows, no_wrap=["key", "date"])
    return cut_any


def reminders_json(records: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": r.key,
            "contact": r.contact.name,
            "contact_id": r.contact.id,
            "kind": r.kind,
            "text": r.text,
            "next": iso(r.due),
            "start": iso(r.start),
            "rule": r.rule,
            "lead": r.lead,
            "state": r.state,
            "made_by": r.made_by,
            "completions": r.completions,
        }
        for r in records
    ]


def reminders_text(records: Sequence[Any], *, states: bool = False) -> None:
    headers = ["key", "who", "kind", "next", "rule", "lead", "what"]
    rows = [
        [r.key, r.contact.name, r.kind, r.due.isoformat(), r.rule or "once", r.lead or "", r.text]
        for r in records
    ]
    if states:
        headers.insert(4, "state")
        for row, r in zip(rows, records, strict=True):
            row.insert(4, r.state)
    table(headers, rows, no_wrap=["key", "next"])


def events_json(records: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": r.key,
            "contact": r.contact.name,
            "contact_id": r.contact.id,
            "kind": r.kind,
            "date": show_event_date(r.on),
            "text": r.text,
            "touchpoints": list(r.touchpoints),
        }
        for r in records
    ]


def events_text(records: Sequence[Any]) -> None:
    table(
        ["key", "who", "kind", "date", "what", "reminders"],
        [
            [
                r.key,
                r.contact.name,
                r.kind,
                show_event_date(r.on),
                r.text or "",
                " ".join(r.touchpoints),
            ]
            for r in records
        ],
        no_wrap=["key", "date"],
    )


def gifts_json(records: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": r.key,
            "contact": r.contact.name,
            "contact_id": r.contact.id,
            "direction": r.direction,
            "text": r.text,
            "occasion": r.occasion,
            "date": iso(r.on),
            "cost": r.cost,
            "lead": r.lead,
        }
        for r in records
    ]


def gifts_text(records: Sequence[Any]) -> None:
    table(
        ["key", "who", "gift", "date", "what", "for", "cost"],
        [
            [
                r.key,
                r.contact.name,
                r.direction,
                iso(r.on) or "",
                r.text,
                r.occasion or "",
                r.cost or "",
            ]
            for r in records
        ],
        no_wrap=["key", "date"],
    )


# --- rhythm: rel graph ----------------------------------------------------------------------


def rhythm_json(rhythm: Any) -> dict[str, Any]:
    return {
        "subject": rhythm.subject,
        "by": rhythm.by,
        "cadence": rhythm.cadence,
        "expected_per_period": rhythm.expected,
        "total": rhythm.total,
        "periods": [
            {"label": p.label, "start": p.start, "end": p.end, "count": p.count}
            for p in rhythm.periods
        ],
    }


def _rhythm_bar(count: int, expected: float | None, scale: float, block: str) -> str:
    """A bar of `count` blocks (scaled) with the mark | where the expected count falls."""
    width = round(count * scale)
    cells = [block] * width
    if expected is not None:
        mark = round(expected * scale)
        cells += [" "] * max(0, mark + 1 - len(cells))
        cells[mark] = "|"
    return "".join(cells).rstrip()


def rhythm_text(rhythm: Any, width: int = 40) -> None:
    counts = [period.count for period in rhythm.periods]
    scale = min(4.0, width / max([*counts, rhythm.expected or 0, 1]))  # blocks an interaction
    unit = rhythm.by
    expected = (
        f"; {rhythm.cadence}: about {rhythm.expected:g} a {unit} (the mark |)"
        if rhythm.expected is not None
        else "; no cadence"
    )
    total = f"{rhythm.total} interaction" + ("" if rhythm.total == 1 else "s")
    message(f"{rhythm.subject}: {total} by {unit}{expected}.")
    block = "█" if is_terminal() else "#"
    rows = [
        [period.label, _rhythm_bar(period.count, rhythm.expected, scale, block), str(period.count)]
        for period in rhythm.periods
    ]
    table([unit, "interactions", "n"], rows, no_wrap=["interactions"])


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


@contextmanager
def progress(
    label: str, *, shown_from: int = 0, every: int = 1
) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr while a long command works, when stderr is a terminal (or
    REL_FORCE_TERMINAL says to draw); None otherwise, so nothing counts ahead for nobody. The
    bar appears once the total is known and at least `shown_from`, and is redrawn every
    `every` items and at the end."""
    forced = bool(os.environ.get("REL_FORCE_TERMINAL"))
    if not (forced or sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True, force_terminal=forced or None),
        transient=True,
    )
    task: list[Any] = []

    def advance(done: int, total: int) -> None:
        if total < shown_from:
            return
        if not task:
            bar.start()
            task.append(bar.add_task(label, total=total))
        if done % every == 0 or done == total:
            bar.update(task[0], completed=done)

    try:
        yield advance
    finally:
        if task:
            bar.stop()
