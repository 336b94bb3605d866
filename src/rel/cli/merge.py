"""Keeping the record right: merge two records of one person, find likely duplicates."""

from typing import Any

import typer

from rel.cli import contacts
from rel.cli.app import app, context
from rel.cli.contacts import WHO_HELP


@app.command()
def merge(
    who1: str = typer.Argument(..., metavar="WHO1", help=f"The record to keep. {WHO_HELP}"),
    who2: str = typer.Argument(..., metavar="WHO2", help="The record folded into WHO1."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the plan; change nothing."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
    as_json: bool = typer.Option(False, "--json", help="The plan as one JSON document."),
) -> None:
    """Fold WHO2 into WHO1: one person, all of both records' history (asks first).

    WHO2's emails, phones, links, aliases, tags, interactions, touchpoints, life events and
    gifts move to WHO1, and WHO2's name becomes an alias. WHO1's company, title, how met,
    birthday and cadence are kept; WHO2's fill the blanks, and where they differ WHO2's go
    into the notes. The result is active if either was. Without a terminal, needs --yes.

    \b
    Example: rel merge "Zoe Van der Berg" 37 --dry-run
    """
    from rel import render
    from rel.errors import RelError
    from rel.services.merge import apply_merge, plan_json, plan_lines, plan_merge
    from rel.services.who import describe, find

    ctx = context()
    with ctx.store(write=not dry_run) as store:
        keep = find(store, who1)
        other = find(store, who2)
        plan = plan_merge(store, keep, other, today=ctx.today)
        title = f"Merge {describe(other)} into {describe(keep)}"
        if dry_run:
            if as_json:
                render.print_json(plan_json(plan, done=False))
            else:
                render.out(f"{title} (dry run, nothing changed):")
                for line in plan_lines(plan) or ["nothing of theirs to move"]:
                    render.out(f"  {line}")
            return
        if not yes:
            if not contacts.stdin_is_terminal():
                raise RelError(
                    f"not merging {describe(other)} into {describe(keep)} without a terminal "
                    "to ask on; add --yes to merge for sure (--dry-run shows the plan)"
                )
            render.message(f"{title}:")
            for line in plan_lines(plan) or ["nothing of theirs to move"]:
                render.message(f"  {line}")
            if not typer.confirm(
                f"Merge, deleting the record {describe(other)}?", default=False, err=True
            ):
                render.message("Nothing merged.")
                return
        apply_merge(store, keep, other, plan, now=ctx.now)
    if as_json:
        render.print_json(plan_json(plan, done=True))
    count = len(plan.conflicts)
    conflicts = f"; {count} differing value{'s' * (count > 1)} kept in the notes" if count else ""
    render.message(f"Merged {describe(other)} into {describe(keep)}{conflicts}.")
    for conflict in plan.conflicts:
        render.message(f"  {conflict.field}: kept {conflict.kept}; noted {conflict.other}")


@app.command()
def dupes(as_json: bool = typer.Option(False, "--json", help="One JSON document.")) -> None:
    """List likely duplicate contacts, with the merge command for each pair.

    A pair has the same name (ignoring case, accents, titles, suffixes and middle names), or
    an email or a phone number in common. The first of each pair is the one to keep: the
    richer record, then the older. Archived contacts are included.

    \b
    Example: rel dupes
    """
    from rel import render
    from rel.services.duplicates import duplicates_json, find_duplicates

    ctx = context()
    with ctx.store() as store:
        pairs = find_duplicates(store)
    if as_json:
        render.print_json(duplicates_json(pairs))
        return
    if not pairs:
        render.message("No likely duplicates.")
        return

    def named(record: Any) -> str:
        archived = ", archived" if record.archived else ""
        return f"{record.name} (#{record.id}{archived})"

    render.table(
        ["keep", "merge", "why", "command"],
        [[named(p.keep), named(p.other), "; ".join(p.reasons), p.command] for p in pairs],
        no_wrap=("command",),
    )
    render.message(f"{len(pairs)} likely duplicate pairs; check with --dry-run before merging.")
