"""One person's rhythm at a glance: `rel graph`."""

import typer

from rel.cli.app import app, context


@app.command()
def graph(
    who: str | None = typer.Argument(
        None, metavar="[WHO]", help="Who: an id, a name or part of it, an alias, an email."
    ),
    tag: str | None = typer.Option(
        None, "--tag", "-t", metavar="TAG", help="Everyone with this tag, instead of one person."
    ),
    months: int = typer.Option(12, "--months", metavar="N", help="How far back, in months."),
    by: str = typer.Option(
        "month", "--by", metavar="week|month", help="One bar per month or week."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """Interactions per month (or week) with one person or a tag, against what the cadence asks.

    The mark | on each bar is the count the cadence expects in a period, so a gap shows at a
    glance.

    \b
    Example: rel graph alice --months 6 --by week
    Example: rel graph --tag customer
    """
    from rel import render
    from rel.errors import BadValue
    from rel.services.rhythm import BY, contact_rhythm, tag_rhythm
    from rel.services.who import find

    if (who is None) == (tag is None):
        raise BadValue("expected a person (rel graph alice) or a tag (rel graph --tag customer)")
    if by not in BY:
        raise BadValue(f"expected --by month or week; got {by!r}")
    if not 1 <= months <= 120:
        raise BadValue(f"expected --months from 1 to 120; got {months}")
    ctx = context()
    with ctx.store() as store:
        if tag is not None:
            rhythm = tag_rhythm(store, tag, ctx.today, months=months, by=by)
        else:
            rhythm = contact_rhythm(store, find(store, who), ctx.today, months=months, by=by)
    if as_json:
        render.print_json(render.rhythm_json(rhythm))
    else:
        render.rhythm_text(rhythm)
