"""Recording what happened: `rel log`."""

import typer

from rel.cli.app import app


@app.command()
def log(
    who: str = typer.Argument(
        ...,
        metavar="WHO|SENTENCE",
        help="Who: an id, a name or part of it, an alias, an email; or a whole sentence, "
        '"Lunch with Alice and Sam O".',
    ),
    kind: str | None = typer.Argument(
        None,
        metavar="[KIND]",
        help="call, email, message, coffee, lunch, dinner, meeting, event, video, gift, help, "
        "note (with WHO; a sentence says it in its words)",
    ),
    note: str | None = typer.Argument(
        None, metavar="[NOTE]", help="What happened, in a few words."
    ),
    with_: list[str] | None = typer.Option(
        None, "--with", "-w", metavar="WHO", help="Someone else who was there (repeatable)."
    ),
    on: str | None = typer.Option(
        None,
        "--on",
        metavar="WHEN",
        help="When: 2026-02-10, yesterday, last friday, 3 days ago.",
    ),
    at: str | None = typer.Option(
        None, "--at", metavar="TIME", help="The time of day, such as 12:30."
    ),
    they: bool = typer.Option(False, "--they", help="They reached out (default: you did)."),
    follow_up: str | None = typer.Option(
        None,
        "--follow-up",
        metavar="WHEN[: TEXT]",
        help='Schedule a follow-up: "2w: send the deck", "friday: call back".',
    ),
    kind_option: str | None = typer.Option(
        None, "--kind", "-k", metavar="KIND", help="With a sentence: the kind, if not its words."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Say what would be logged, and log nothing."
    ),
) -> None:
    """Record an interaction; it resets the catch-up of everyone in it.

    Say who and what kind, or write one sentence: the people it names and the kind of
    interaction are found in its words (a date may lead it: "yesterday: ..."; a backslash
    keeps a word from being a name: "\\Marie's Diner"). On a terminal, a name that fits
    several people asks which one.

    \b
    Example: rel log alice lunch "Q3 launch" --with bob --follow-up "2w: send the deck"
    Example: rel log "Lunch with Alice and Sam O at the harbour, talked about Q3"
    Example: rel log "yesterday: coffee with Bob" --dry-run
    """
    from rel.commands.log import log as run

    run(
        who=who,
        kind=kind,
        note=note,
        with_=with_,
        on=on,
        at=at,
        they=they,
        follow_up=follow_up,
        kind_option=kind_option,
        dry_run=dry_run,
    )
