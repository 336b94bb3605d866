"""The agenda: `rel due` (and `rel` with no command) and `rel why`."""

from __future__ import annotations

from rel.context import context

FORMATS = ("table", "markdown")


def due(*, days: int, tag: list[str] | None, limit: int | None, format: str, as_json: bool) -> None:
    """`rel due`: the agenda for the running command's day and store."""
    from rel import render
    from rel.errors import BadValue, shown
    from rel.services.agenda import agenda, check_tags_exist

    if format not in FORMATS:
        raise BadValue(f"expected a format of {' or '.join(FORMATS)}; got {shown(format)}")
    ctx = context()
    with ctx.store() as store:
        if tag:
            check_tags_exist(store, tag)
        result = agenda(store, ctx.today, days=days, tags=tag or (), limit=limit)
    if as_json:
        render.print_json(render.agenda_json(result))
    elif format == "markdown":
        render.agenda_markdown(result)
    else:
        render.agenda_text(result)


def why(*, who: str, days: int) -> None:
    """Explain why someone is (or is not) on the agenda."""
    from rel import render
    from rel.services.who import find
    from rel.services.why import explain

    ctx = context()
    with ctx.store() as store:
        lines = explain(store, find(store, who).id, ctx.today, days=days)
    for line in lines:
        render.out(line)
