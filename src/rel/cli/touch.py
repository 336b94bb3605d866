"""Scheduling and acting on the agenda: remind, done, snooze, skip, event, gift."""

import typer

from rel.cli.app import app

WHO_HELP = "Who: an id, a name or part of it, an alias, an email."
KEY_HELP = "The key of an agenda row, as rel due shows it (c12, b12, t7, g3)."


@app.command()
def remind(
    who: str = typer.Argument(..., metavar="WHO", help=WHO_HELP),
    text: str = typer.Argument(..., metavar="TEXT", help="What to do."),
    on: str = typer.Option(..., "--on", metavar="WHEN", help="When: friday, in 2 weeks, dec 5."),
    every: str | None = typer.Option(
        None,
        "--every",
        metavar="RULE",
        help="Repeat: 3w, monthly on the 1st, every 2 weeks on friday, FREQ=MONTHLY;BYMONTHDAY=-1.",
    ),
    kind: str = typer.Option(
        "custom", "--kind", "-k", metavar="KIND", help="follow-up, gift, congratulate, custom ..."
    ),
    lead: str | None = typer.Option(
        None, "--lead", metavar="DUR", help="Show it this long ahead (a gift needs shopping)."
    ),
) -> None:
    """Schedule a touchpoint, once or recurring.

    \b
    Example: rel remind alice "send the quarterly report" --on "dec 31" --every quarterly
    """
    from rel.commands.touch import remind as run

    run(who=who, text=text, on=on, every=every, kind=kind, lead=lead)


@app.command()
def done(
    key: str = typer.Argument(..., metavar="KEY", help=KEY_HELP),
    note: str | None = typer.Argument(None, metavar="[NOTE]", help="A note for the record."),
    kind: str | None = typer.Option(
        None,
        "--kind",
        "-k",
        metavar="KIND",
        help="The interaction to log: call, message, meeting ... (a catch-up or birthday: "
        "message unless said; a touchpoint: logs one only when given).",
    ),
) -> None:
    """Mark an agenda row done.

    A catch-up or a birthday logs an interaction as today (a message, unless --kind says
    otherwise). A touchpoint is closed, or moves to its next occurrence, keeping the note; with
    --kind it also logs that interaction with the note, which resets the catch-up. A gift idea
    becomes a gift given today.

    \b
    Example: rel done t13 "called, she was thrilled" --kind call
    """
    from rel.commands.touch import done as run

    run(key=key, note=note, kind=kind)


@app.command()
def snooze(
    key: str = typer.Argument(..., metavar="KEY", help=KEY_HELP),
    until: str = typer.Argument(..., metavar="WHEN", help="Until when: friday, in 3 days."),
) -> None:
    """Hide an agenda row until a day; it comes back then if it is still due.

    \b
    Example: rel snooze t7 friday
    """
    from rel.commands.touch import snooze as run

    run(key=key, until=until)


@app.command()
def skip(key: str = typer.Argument(..., metavar="KEY", help=KEY_HELP)) -> None:
    """Skip an agenda row: a recurring one moves to its next occurrence.

    A one-off touchpoint closes; a catch-up counts again from the occurrence skipped (so it is
    not late from the old one); a birthday waits until next year; a gift idea for now.

    \b
    Example: rel skip t7
    """
    from rel.commands.touch import skip as run

    run(key=key)


@app.command()
def event(
    who: str = typer.Argument(..., metavar="WHO", help=WHO_HELP),
    kind: str = typer.Argument(
        ...,
        metavar="KIND",
        help="new-job, promotion, wedding, anniversary, baby, move, graduation, launch or custom.",
    ),
    text: str | None = typer.Argument(None, metavar="[TEXT]", help="What happened."),
    on: str = typer.Option(
        "today",
        "--on",
        metavar="WHEN",
        help="When it happened (or will); --06-20 for a yearly day whose year is unknown.",
    ),
) -> None:
    """Record a life event and schedule the congratulation.

    A wedding, an anniversary or a new job also comes back every year.

    \b
    Example: rel event alice promotion "VP of Engineering" --on yesterday
    """
    from rel.commands.touch import event as run

    run(who=who, kind=kind, text=text, on=on)


@app.command()
def gift(
    who: str = typer.Argument(..., metavar="WHO", help=WHO_HELP),
    direction: str = typer.Argument(
        ..., metavar="idea|gave|got", help="An idea, or a gift given or received."
    ),
    text: str = typer.Argument(..., metavar="TEXT", help="The gift."),
    on: str | None = typer.Option(
        None, "--on", metavar="WHEN", help="When given, or the occasion's date."
    ),
    occasion: str | None = typer.Option(
        None, "--for", metavar="OCCASION", help="birthday, anniversary, christmas ..."
    ),
    cost: str | None = typer.Option(None, "--cost", metavar="X", help="What it cost."),
    lead: str | None = typer.Option(
        None, "--lead", metavar="DUR", help="An idea: shown this long before its occasion (14d)."
    ),
) -> None:
    """Keep gift ideas and the history of gifts given and received.

    An idea shows on the agenda ("buy by") when its occasion, its --on date or else the next
    birthday, comes within its lead time.

    \b
    Example: rel gift alice idea "a book on sailing" --for birthday --lead 14d
    """
    from rel.commands.touch import gift as run

    run(who=who, direction=direction, text=text, on=on, occasion=occasion, cost=cost, lead=lead)
