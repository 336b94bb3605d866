"""The body of explaining the agenda: `rel why` (`rel due`'s body is rel.quick.show_agenda)."""

from rel.context import context


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
