"""The agenda: `rel due` (and `rel` with no command)."""

import typer

from rel.cli.app import app


@app.command()
def due(
    days: int = typer.Option(
        7, "--days", "-d", metavar="N", min=0, max=3660, help="How many days ahead to show."
    ),
    tag: list[str] | None = typer.Option(
        None, "--tag", "-t", metavar="TAG", help="Only contacts with this tag (repeatable)."
    ),
    limit: int | None = typer.Option(
        None, "--limit", "-n", metavar="N", min=0, help="Show at most N items, most urgent first."
    ),
    format: str = typer.Option(
        "table",
        "--format",
        "-f",
        metavar="FORMAT",
        help="table or markdown (for a mail from cron).",
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """Show who needs attention: overdue, today, and the next days.

    \b
    Example: rel due --days 14 --tag customer
    """
    from rel.commands.agenda import due as run

    run(days=days, tag=tag, limit=limit, format=format, as_json=as_json)


@app.command()
def why(
    who: str = typer.Argument(
        ..., metavar="WHO", help="Who: an id, a name or part of it, an alias, an email."
    ),
    days: int = typer.Option(
        7, "--days", "-d", metavar="N", min=0, max=3660, help="The agenda's window."
    ),
) -> None:
    """Explain why someone is (or is not) on the agenda: every rule, date and cadence.

    \b
    Example: rel why alice
    """
    from rel.commands.agenda import why as run

    run(who=who, days=days)
