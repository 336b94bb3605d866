"""rel triage: a cadence for everyone who has none, one key per decision."""

from typing import Any

import typer

from rel.cli.app import app, context

CHOICES = "[a]ccept  [c]hoose  [t]ag  [x] archive  [s]kip  [o]pen  [q]uit"
NOT_A_TERMINAL = (
    "rel triage asks one key per contact and needs a terminal; without one: "
    "rel triage --suggest (the proposals), rel triage --accept --min-interactions 3 (apply them)"
)


@app.command("triage")
def triage(
    suggest: bool = typer.Option(
        False, "--suggest", help="Print the proposals without asking anything."
    ),
    as_json: bool = typer.Option(False, "--json", help="With --suggest: one JSON document."),
    accept: bool = typer.Option(
        False, "--accept", help="Set every proposal at once (see --min-interactions)."
    ),
    min_interactions: int = typer.Option(
        3,
        "--min-interactions",
        metavar="N",
        help="With --accept: only for contacts with at least N interactions.",
    ),
) -> None:
    """Walk the contacts without a cadence, proposing one from their observed rhythm.

    The proposal is the median gap between their interactions, rounded to 1w, 2w, 1m, 6w, 3m,
    6m or 1y (or none). One key each: accept, choose another, tag, archive, skip, open the
    profile, quit. Each decision is saved as it is made (rel undo takes back the last).

    \b
    Example: rel triage --accept --min-interactions 3
    """
    from rel import render
    from rel.services.triage import proposals

    ctx = context()
    if accept:
        from rel.services.triage import accept as accept_all

        with ctx.store(write=True) as store:
            done, left = accept_all(store, min_interactions, today=ctx.today, now=ctx.now)
        for proposal, cadence in done:
            typer.echo(f"{proposal.name} (#{proposal.contact_id}): every {cadence}")
        render.message(
            f"set {len(done)} cadence{'s' if len(done) != 1 else ''}; {left} left without one "
            f"(fewer than {min_interactions} interactions or no steady rhythm)"
        )
        return
    if suggest or as_json:
        with ctx.store() as store:
            found = proposals(store)
        if as_json:
            import json

            typer.echo(json.dumps([p.as_json() for p in found], indent=2, ensure_ascii=False))
            return
        if not found:
            render.message("everyone has a cadence")
            return
        render.plain_table(
            ["ID", "CONTACT", "INTERACTIONS", "LAST", "MEDIAN GAP", "PROPOSED"],
            [
                [
                    str(p.contact_id),
                    p.name,
                    str(p.interactions),
                    p.last.isoformat() if p.last else "",
                    f"{p.median_gap:g}d" if p.median_gap is not None else "",
                    p.cadence or "none",
                ]
                for p in found
            ],
        )
        return
    _interactive(ctx)


def _interactive(ctx: Any) -> None:
    import sys

    import click

    from rel import render
    from rel.errors import BadValue, RelError
    from rel.services import triage as rules

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise BadValue(NOT_A_TERMINAL)
    with ctx.store() as store:
        found = rules.proposals(store)
    if not found:
        render.message("everyone has a cadence: nothing to triage")
        return
    counts = {"set": 0, "tagged": 0, "archived": 0, "skipped": 0}
    for number, proposal in enumerate(found, 1):
        _show(proposal, number, len(found), ctx.today)
        while True:
            click.echo(CHOICES + " ? ", nl=False)
            key = click.getchar().lower()
            click.echo(key)
            try:
                outcome = _decide(ctx, rules, proposal, key)
            except RelError as problem:
                render.error(problem.message)
                continue
            if outcome == "quit":
                _summary(counts)
                return
            if outcome is not None:
                counts[outcome] += 1
                break
    _summary(counts)


def _decide(ctx: Any, rules: Any, proposal: Any, key: str) -> str | None:
    """Act on one key; what it did (set, tagged, archived, skipped, quit), None to ask again."""
    import click

    if key == "q":
        return "quit"
    if key == "s":
        click.echo("  skipped")
        return "skipped"
    if key == "o":
        _open(ctx, proposal)
        return None
    if key in ("a", "c"):
        cadence = proposal.cadence
        if key == "c" or cadence is None:
            if key == "a":
                click.echo("  no rhythm to propose: choose one")
            cadence = click.prompt("  cadence (1w, 2w, 1m, 6w, 3m, 6m, 1y or any DUR)").strip()
        with ctx.store(write=True) as store:
            stored = rules.set_cadence(store, proposal, cadence, today=ctx.today, now=ctx.now)
        click.echo(f"  {proposal.name}: every {stored}")
        return "set"
    if key == "t":
        name = click.prompt("  tag").strip()
        with ctx.store(write=True) as store:
            tagged = rules.tag(store, proposal, name, today=ctx.today, now=ctx.now)
        click.echo(f"  {proposal.name}: tagged {tagged}")
        return "tagged"
    if key == "x":
        with ctx.store(write=True) as store:
            rules.archive(store, proposal, now=ctx.now)
        click.echo(f"  {proposal.name}: archived")
        return "archived"
    click.echo(f"  {CHOICES}")
    return None


def _show(proposal: Any, number: int, total: int, today: Any) -> None:
    import click

    if proposal.last is not None:
        ago = (today - proposal.last).days
        last = f", last {proposal.last.isoformat()} ({ago} day{'s' if ago != 1 else ''} ago)"
    else:
        last = ""
    plural = "s" if proposal.interactions != 1 else ""
    click.echo(
        f"\n[{number}/{total}] {proposal.name} (#{proposal.contact_id}): "
        f"{proposal.interactions} interaction{plural}{last}"
    )
    for past in proposal.recent:
        click.echo(f"  {past.on.isoformat()}  {past.kind:<8} {past.note or ''}".rstrip())
    if proposal.median_gap is not None:
        rhythm = f"every {proposal.median_gap:g} days (median gap)"
    else:
        rhythm = "not enough interactions for a rhythm"
    click.echo(f"  rhythm: {rhythm}; proposed: {proposal.cadence or 'none'}")


def _open(ctx: Any, proposal: Any) -> None:
    """`rel show` of the contact, as its own command would print it."""
    import subprocess
    import sys

    words = [sys.executable, "-m", "rel"]
    if ctx.db:
        words += ["--db", ctx.db]
    words += ["--today", ctx.today.isoformat(), "show", str(proposal.contact_id)]
    subprocess.run(words, check=False)


def _summary(counts: dict[str, int]) -> None:
    from rel import render

    render.message(
        f"triage: {counts['set']} cadences set, {counts['tagged']} tagged, "
        f"{counts['archived']} archived, {counts['skipped']} skipped"
    )
