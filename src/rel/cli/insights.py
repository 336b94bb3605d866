"""The network at a glance: `rel stats` and `rel drift`."""

import typer

from rel.cli.app import app, context


@app.command()
def stats(
    tag: list[str] | None = typer.Option(
        None, "--tag", "-t", metavar="TAG", help="Only contacts with this tag (repeatable)."
    ),
    since: str | None = typer.Option(
        None, "--since", metavar="WHEN", help="Count interactions from this day on."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """The network at a glance: tags, interactions per month, cadence health, who reaches
    out, favors, the kinds of interaction you use most.

    \b
    Example: rel stats --tag customer --since "jan 1"
    """
    from rel import render
    from rel.domain.dates import parse_when
    from rel.services.agenda import check_tags_exist
    from rel.services.insights import network_stats

    ctx = context()
    start = parse_when(since, ctx.today, past=True) if since else None
    with ctx.store() as store:
        if tag:
            check_tags_exist(store, tag)
        numbers = network_stats(store, ctx.today, tags=tag or [], since=start)
    if as_json:
        render.print_json(render.stats_json(numbers))
    else:
        render.stats_text(numbers)


@app.command()
def drift(
    limit: int = typer.Option(10, "--limit", "-n", metavar="N", min=1, help="How many to show."),
    as_json: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """The relationships cooling fastest against their own past rhythm, cadence or not.

    \b
    Example: rel drift --limit 5
    """
    from rel import render
    from rel.services.insights import drifting

    ctx = context()
    with ctx.store() as store:
        found = drifting(store, ctx.today, limit=limit)
    if as_json:
        render.print_json(render.drift_json(found, ctx.today))
    elif not found:
        render.out("Nobody is drifting: everyone with a rhythm is within it.")
    else:
        render.drift_text(found)
