"""Undoing: rel undo reverts the last writing command as a whole."""

import typer

from rel.cli.app import app, context


@app.command()
def undo(
    show_list: bool = typer.Option(
        False, "--list", help="Show the commands that can be undone, newest first."
    ),
    as_json: bool = typer.Option(False, "--json", help="With --list: one JSON document."),
) -> None:
    """Revert the last command that changed the store, as a whole.

    A log, an edit, a merge, a done, an import: everything it changed goes back as it was.
    Run it again to revert the command before that; rel keeps the last 50.

    \b
    Example: rel undo            # and rel undo --list to see what it would revert
    """
    from rel import render
    from rel.errors import NotFound
    from rel.store import journal

    ctx = context()
    if show_list:
        with ctx.store(write=False) as store:
            found = journal.undoable_commands(store)  # an opened store is at the current schema
        if as_json:
            render.print_json([_entry_json(position, e) for position, e in enumerate(found, 1)])
        elif not found:
            render.message("Nothing to undo.")
        else:
            render.table(
                ["#", "when", "command", "what it did"],
                [
                    [str(position), _when(entry.at), entry.command, entry.describe_changes()]
                    for position, entry in enumerate(found, 1)
                ],
            )
        return
    if as_json:
        from rel.errors import BadValue

        raise BadValue("expected --json with --list (rel undo --list --json)")
    with ctx.store(write=True, undoable=False) as store:
        reverted = journal.undo_newest(store)
    if reverted is None:
        raise NotFound("nothing to undo: no command that changed the store is in the journal")
    render.message(
        f"Undid {reverted.command} (from {_when(reverted.at)}): "
        f"it had {reverted.describe_changes()}."
    )


def _when(at: str) -> str:
    """2026-03-01T09:14:05+00:00 -> 2026-03-01 09:14 UTC"""
    return at[:16].replace("T", " ") + (" UTC" if at.endswith("+00:00") else "")


def _entry_json(position: int, entry) -> dict:
    return {
        "position": position,
        "at": entry.at,
        "command": entry.command,
        "changes": [
            {"action": verb, "record": table, "count": count}
            for verb, table, count in entry.changes
        ],
    }
