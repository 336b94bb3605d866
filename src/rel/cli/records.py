"""Keeping the record right: history, reminders, events, gifts; edit and rm by key.

`rel edit KEY` and `rel rm KEY` are the commands `rel edit` / `rel rm` of rel.cli.contacts:
a key (a letter i, t, e or g and digits: i42, t3, e5, g2) names a record, anything else a
contact (WHO). The functions here do the record's side.
"""

import typer

from rel.cli.app import app, context

WHO_HELP = "Only this contact's (WHO: an id, a name or part of it, an alias, an email)."


def _contact_id(reader, who: str | None) -> int | None:  # reader: rel.store.queries.Reader
    from rel.services.who import find

    return find(reader, who).id if who is not None else None


@app.command()
def history(
    who: str | None = typer.Argument(None, metavar="[WHO]", help=WHO_HELP),
    kind: str | None = typer.Option(
        None, "--kind", "-k", metavar="KIND", help="Only this kind: call, lunch, email ..."
    ),
    since: str | None = typer.Option(
        None, "--since", metavar="WHEN", help="Only from this day on: 2026-01-01, 3 weeks ago."
    ),
    limit: int = typer.Option(
        50, "--limit", "-n", metavar="N", help="Show the newest N (0: all).", min=0
    ),
    full: bool = typer.Option(False, "--full", help="Whole notes, even on a terminal."),
    as_json: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """List interactions, newest first, with their keys (to edit or remove one).

    Notes are cut to fit on a terminal (--full shows them whole); piped or in --json they
    are whole.

    \b
    Example: rel history alice --kind lunch --since "3 months ago"
    """
    from rel import render
    from rel.domain.dates import parse_when
    from rel.services.interactions import parse_kind
    from rel.services.records import history as list_history

    ctx = context()
    interaction_kind = parse_kind(kind) if kind is not None else None
    day = parse_when(since, ctx.today, past=True) if since is not None else None
    with ctx.store() as reader:
        records, total = list_history(
            reader, contact_id=_contact_id(reader, who), kind=interaction_kind, since=day,
            limit=limit or None,
        )  # fmt: skip
    if as_json:
        render.print_json(render.history_json(records))
        return
    if not records:
        render.message("No interactions match." if who or kind or since else "Nothing logged yet.")
        return
    cut = render.history_text(records, full=full)
    if total > len(records):
        render.message(f"The newest {len(records)} of {total}; --limit 0 shows them all.")
    if cut:
        render.message("Long notes are cut to fit; --full shows them whole.")


@app.command()
def reminders(
    who: str | None = typer.Argument(None, metavar="[WHO]", help=WHO_HELP),
    all_: bool = typer.Option(False, "--all", help="Done and skipped ones too."),
    as_json: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """List scheduled touchpoints (reminders, follow-ups, congratulations, anniversaries) by
    their next date, with their keys, rules and lead times.

    \b
    Example: rel reminders alice
    """
    from rel import render
    from rel.services.records import reminders as list_reminders

    ctx = context()
    with ctx.store() as reader:
        records = list_reminders(reader, contact_id=_contact_id(reader, who), closed=all_)
    if as_json:
        render.print_json(render.reminders_json(records))
    elif not records:
        render.message("No reminders: rel remind WHO TEXT --on WHEN schedules one.")
    else:
        render.reminders_text(records, states=all_)


@app.command()
def events(
    who: str | None = typer.Argument(None, metavar="[WHO]", help=WHO_HELP),
    as_json: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """List life events, newest first, with their keys and the reminders they made.

    \b
    Example: rel events alice
    """
    from rel import render
    from rel.services.records import events as list_events

    ctx = context()
    with ctx.store() as reader:
        records = list_events(reader, contact_id=_contact_id(reader, who))
    if as_json:
        render.print_json(render.events_json(records))
    elif not records:
        render.message("No life events: rel event WHO promotion --on WHEN records one.")
    else:
        render.events_text(records)


@app.command()
def gifts(
    who: str | None = typer.Argument(None, metavar="[WHO]", help=WHO_HELP),
    as_json: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """List gift ideas and gifts given and received, with their keys.

    \b
    Example: rel gifts alice
    """
    from rel import render
    from rel.services.records import gifts as list_gifts

    ctx = context()
    with ctx.store() as reader:
        records = list_gifts(reader, contact_id=_contact_id(reader, who))
    if as_json:
        render.print_json(render.gifts_json(records))
    elif not records:
        render.message("No gifts: rel gift WHO idea TEXT keeps an idea.")
    else:
        render.gifts_text(records)


# --- the record's side of rel edit and rel rm ----------------------------------------------------


def remove_record(key: str, *, yes: bool, ask_on_terminal: bool) -> None:
    """`rel rm KEY`: asks first on a terminal; without one, needs --yes."""
    from rel import render
    from rel.errors import RelError
    from rel.services import records

    ctx = context()
    with ctx.store(write=True) as store:
        what = records.describe_record(store, key)
        if not yes:
            if not ask_on_terminal:
                raise RelError(
                    f"not removing {what} without a terminal to ask on; add --yes to remove it"
                )
            if not typer.confirm(f"Remove {what}?", default=False, err=True):
                render.message("Nothing removed.")
                return
        removed = records.remove_record(store, key)
    render.message(f"Removed {removed}.")
