"""Recording what happened: `rel log`."""

import typer

from rel.cli.app import app, context


@app.command()
def log(
    who: str = typer.Argument(
        ..., metavar="WHO", help="Who: an id, a name or part of it, an alias, an email."
    ),
    kind: str = typer.Argument(
        ...,
        metavar="KIND",
        help="call, email, message, coffee, lunch, dinner, meeting, event, video, gift, help, note",
    ),
    note: str | None = typer.Argument(
        None, metavar="[NOTE]", help="What happened, in a few words."
    ),
    with_: list[str] | None = typer.Option(
        None, "--with", "-w", metavar="WHO", help="Someone else who was there (repeatable)."
    ),
    on: str = typer.Option(
        "today",
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
) -> None:
    """Record an interaction; it resets the catch-up of everyone in it.

    \b
    Example: rel log alice lunch "Q3 launch" --with bob --follow-up "2w: send the deck"
    """
    from rel import render
    from rel.core.interactions import parse_kind, record_interaction
    from rel.core.records import earlier_same_interaction
    from rel.core.touchpoints import parse_follow_up, schedule_row
    from rel.core.who import find
    from rel.dates import parse_time, parse_when

    ctx = context()
    interaction_kind = parse_kind(kind)
    day = parse_when(on, ctx.today, past=True)
    time_of_day = parse_time(at) if at is not None else None
    promised = parse_follow_up(follow_up, ctx.today) if follow_up is not None else None
    with ctx.reader(write=True) as store:
        people = [find(store, who)] + [find(store, other) for other in with_ or []]
        earlier = earlier_same_interaction(store, [p.id for p in people], interaction_kind, day)
        logged = record_interaction(
            store,
            people,
            interaction_kind,
            note,
            on=day,
            at=time_of_day,
            they_reached_out=they,
            today=ctx.today,
            now=ctx.now,
        )
        promise = None
        if promised is not None:
            day_due, text = promised
            promise = schedule_row(
                store, people[0].id, text, on=day_due, kind="follow-up", now=ctx.now,
                interaction_id=logged.interaction_id,
            )  # fmt: skip
    when = "today" if logged.on == ctx.today else logged.on.isoformat()
    key = f"i{logged.interaction_id}"
    render.message(f"Logged {logged.kind} with {', '.join(logged.participants)} ({when}) as {key}.")
    if earlier is not None:
        render.warning(
            f"i{earlier} is {'an' if logged.kind[0] in 'aeiou' else 'a'} {logged.kind} with "
            f"the same people on {logged.on.isoformat()}; if it is the same one, "
            f"rel rm i{earlier} removes it (or rel undo takes back {key})"
        )
    if promise is not None:
        render.message(
            f"Follow-up t{promise['id']} due {promise['due'].isoformat()}: {promise['text']}."
        )
    if not render.is_terminal():
        render.out(key)
