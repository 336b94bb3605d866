"""Scheduling and acting on the agenda: remind, done, snooze, skip, event, gift."""

import typer

from rel.cli.app import app, context

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
    from rel import render
    from rel.domain.dates import parse_duration, parse_when
    from rel.services.touchpoints import parse_touchpoint_kind, schedule
    from rel.services.who import describe, find

    ctx = context()
    touchpoint_kind = parse_touchpoint_kind(kind)
    day = parse_when(on, ctx.today, past=False)
    lead_time = parse_duration(lead) if lead is not None else None
    with ctx.store(write=True) as store:
        contact = find(store, who)
        touchpoint = schedule(
            store, contact.id, text, on=day, kind=touchpoint_kind, rule=every, lead=lead_time,
            now=ctx.now,
        )  # fmt: skip
    repeat = f", repeating ({touchpoint.rule})" if touchpoint.rule else ""
    render.message(
        f"Scheduled t{touchpoint.id} for {describe(contact)}: {touchpoint.text}, "
        f"due {touchpoint.due.isoformat()}{repeat}."
    )
    if not render.is_terminal():
        render.out(f"t{touchpoint.id}")


def _acted(acted) -> None:  # acted: core.touchpoints.Acted
    from rel import render

    following = f"; next {acted.next_due.isoformat()}" if acted.next_due else ""
    render.message(f"{acted.key}: {acted.what}{following}.")


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
    from rel.services.interactions import parse_kind
    from rel.services.touchpoints import mark_done

    ctx = context()
    interaction_kind = parse_kind(kind) if kind is not None else None
    with ctx.store(write=True) as store:
        acted = mark_done(store, key, note, kind=interaction_kind, today=ctx.today, now=ctx.now)
    _acted(acted)


@app.command()
def snooze(
    key: str = typer.Argument(..., metavar="KEY", help=KEY_HELP),
    until: str = typer.Argument(..., metavar="WHEN", help="Until when: friday, in 3 days."),
) -> None:
    """Hide an agenda row until a day; it comes back then if it is still due.

    \b
    Example: rel snooze t7 friday
    """
    from rel.domain.dates import parse_when
    from rel.services.touchpoints import snooze as snooze_row

    ctx = context()
    day = parse_when(until, ctx.today, past=False)
    with ctx.store(write=True) as store:
        acted = snooze_row(store, key, day, today=ctx.today)
    _acted(acted)


@app.command()
def skip(key: str = typer.Argument(..., metavar="KEY", help=KEY_HELP)) -> None:
    """Skip an agenda row: a recurring one moves to its next occurrence.

    A one-off touchpoint closes; a catch-up counts again from the occurrence skipped (so it is
    not late from the old one); a birthday waits until next year; a gift idea for now.

    \b
    Example: rel skip t7
    """
    from rel.services.touchpoints import skip as skip_row

    ctx = context()
    with ctx.store(write=True) as store:
        acted = skip_row(store, key, today=ctx.today)
    _acted(acted)


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
    from rel import render
    from rel.domain.dates import parse_event_date, parse_when
    from rel.services.touchpoints import parse_event_kind, record_event
    from rel.services.who import describe, find

    ctx = context()
    event_kind = parse_event_kind(kind)
    if on.strip().startswith("--"):  # --06-20: a yearly day whose year is unknown
        day = parse_event_date(on)
    else:
        day = parse_when(on, ctx.today, past=None)  # "dec 10": the nearer one, ahead or behind
    with ctx.store(write=True) as store:
        contact = find(store, who)
        recorded = record_event(
            store, contact.id, event_kind, text, on=day, today=ctx.today, now=ctx.now
        )
    scheduled = "; ".join(f"t{t.id} {t.kind} due {t.due.isoformat()}" for t in recorded.touchpoints)
    render.message(
        f"Recorded {event_kind} for {describe(contact)}"
        + (f"; scheduled {scheduled}." if scheduled else ".")
    )


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
    from rel import render
    from rel.domain.dates import check_past, parse_duration, parse_when
    from rel.services.touchpoints import parse_gift_direction, record_gift
    from rel.services.who import describe, find

    ctx = context()
    gift_direction = parse_gift_direction(direction)
    lead_time = parse_duration(lead) if lead is not None else None
    day = None
    if on is not None:
        day = parse_when(on, ctx.today, past=gift_direction != "idea")
        if gift_direction != "idea":  # given or received: it has happened
            check_past(day, ctx.today, on, "the day of a gift given or received")
    elif gift_direction != "idea":
        day = ctx.today
    with ctx.store(write=True) as store:
        contact = find(store, who)
        saved, warnings = record_gift(
            store, contact, gift_direction, text, on=day, occasion=occasion, cost=cost,
            lead=lead_time, now=ctx.now,
        )  # fmt: skip
    for warning in warnings:
        render.warning(warning)
    what = {"idea": "gift idea", "gave": "gift given", "got": "gift received"}[gift_direction]
    render.message(f"Saved {what} g{saved.id} for {describe(contact)}: {saved.text}.")
