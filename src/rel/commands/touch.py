"""The bodies of scheduling and acting on the agenda: remind, done, snooze, skip, event, gift."""

from rel.context import context


def remind(*, who: str, text: str, on: str, every: str | None, kind: str, lead: str | None) -> None:
    """Schedule a touchpoint, once or recurring."""
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


def done(*, key: str, note: str | None, kind: str | None) -> None:
    """Mark an agenda row done."""
    from rel.services.interactions import parse_kind
    from rel.services.touchpoints import mark_done

    ctx = context()
    interaction_kind = parse_kind(kind) if kind is not None else None
    with ctx.store(write=True) as store:
        acted = mark_done(store, key, note, kind=interaction_kind, today=ctx.today, now=ctx.now)
    _acted(acted)


def snooze(*, key: str, until: str) -> None:
    """Hide an agenda row until a day."""
    from rel.domain.dates import parse_when
    from rel.services.touchpoints import snooze as snooze_row

    ctx = context()
    day = parse_when(until, ctx.today, past=False)
    with ctx.store(write=True) as store:
        acted = snooze_row(store, key, day, today=ctx.today)
    _acted(acted)


def skip(*, key: str) -> None:
    """Skip an agenda row: a recurring one moves to its next occurrence."""
    from rel.services.touchpoints import skip as skip_row

    ctx = context()
    with ctx.store(write=True) as store:
        acted = skip_row(store, key, today=ctx.today)
    _acted(acted)


def event(*, who: str, kind: str, text: str | None, on: str) -> None:
    """Record a life event and schedule the congratulation."""
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


def gift(
    *,
    who: str,
    direction: str,
    text: str,
    on: str | None,
    occasion: str | None,
    cost: str | None,
    lead: str | None,
) -> None:
    """Keep a gift idea, or a gift given or received."""
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
