"""Looking after rel itself: the demo, backups, the manual page."""

from pathlib import Path

import typer

from rel.cli.app import app, context

START_LINE = (
    'Start your own network: rel add "Alice Chen" --every 3w --birthday 03-14, '
    "then rel log alice lunch, and rel due each morning."
)


@app.command()
def demo(
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        metavar="FILE",
        help="Keep the demo store in this new file to explore it (rel --db FILE ...).",
    ),
    as_json: bool = typer.Option(False, "--json", help="The demo agenda as one JSON document."),
) -> None:
    """Load a sample network into a throwaway store and show its agenda.

    Your own store is never touched.

    \b
    Example: rel demo --out /tmp/demo.db && rel --db /tmp/demo.db --today 2026-02-26 show alice
    """
    import json
    import os
    from datetime import date

    from rel import render
    from rel.domain.vocabulary import counted
    from rel.errors import BadValue, StoreError
    from rel.paths import StoreLocation, file_location, seed_network_path
    from rel.services.agenda import agenda
    from rel.services.importing.document import import_document
    from rel.store.engine import open_store
    from rel.store.queries import OrmReader

    ctx = context()
    seeds = seed_network_path()
    try:
        document = json.loads(seeds.read_text(encoding="utf-8"))
        today = date.fromisoformat(document["today"])
    except (OSError, ValueError, KeyError) as problem:
        raise StoreError(f"the sample network {seeds} cannot be read: {problem}") from problem
    if out is not None:
        from rel.files import check_target

        if os.path.lexists(out) and not os.path.islink(out):
            raise BadValue(f"expected a new file for --out; {out} exists already")
        check_target(out, what="write the demo store to")  # a link: refused
    location = file_location(out) if out is not None else StoreLocation("sqlite://", None)
    store = open_store(location, write=True)
    try:
        with store.session() as session:
            report = import_document(OrmReader(session), document, today=today, now=ctx.now)
        with store.session() as session:
            result = agenda(session, today)
    finally:
        store.close()
    if as_json:
        render.print_json(render.agenda_json(result))
        return
    render.out(
        f"A sample network of {counted(report.count('add'), 'person', 'people')} and "
        f"{counted(report.interactions, 'interaction')}, "
        f"on {today:%A} {today.day} {today:%B %Y}:"
    )
    render.out()
    render.agenda_text(result)
    if out is not None:
        render.out(f"The demo store is in {out}: rel --db {out} --today {today} due")
    render.out(START_LINE)


@app.command()
def backup(
    path: Path | None = typer.Argument(
        None, metavar="[PATH]", help="Where to write it (default: next to the store, dated)."
    ),
    list_: bool = typer.Option(False, "--list", help="List the backups next to the store."),
) -> None:
    """Write a consistent copy of the store, safe while other commands run.

    To restore, put a backup in place of the store (or point --db at it): see
    docs/data-safety.md. Of a PostgreSQL store, the backup is an SQLite snapshot: a store
    file of its own, to open with --db or to copy back with rel store copy.

    \b
    Example: rel backup && rel backup --list
    """
    import os

    from rel import render
    from rel.errors import StoreError
    from rel.store.engine import backup_store, list_backups, open_store

    ctx = context()
    store_path = ctx.location.path
    if store_path is None:
        _snapshot(path, list_=list_)
        return
    if list_:
        _list(list_backups(store_path), f"No backups next to {store_path} yet")
        return
    if not store_path.exists():
        raise StoreError(f"there is no store at {store_path} to back up yet")
    open_store(ctx.location, write=False).close()  # refuses a damaged, newer or foreign store
    target = path.expanduser().absolute() if path else None
    if target is not None:
        from rel.files import check_target, protected_paths

        if os.path.lexists(target) and not os.path.islink(target):
            raise StoreError(f"{target} exists already; choose another name")
        check_target(target, protected_paths(store_path), what="write the backup to")
    target = backup_store(store_path, target)
    render.message(f"Backed up {store_path} to {target}.")
    if not render.is_terminal():
        render.out(str(target))


def _snapshot(path: Path | None, *, list_: bool) -> None:
    """rel backup of a PostgreSQL store: an SQLite snapshot of it, read in one transaction."""
    import os

    from rel import render
    from rel.errors import StoreError
    from rel.files import check_target
    from rel.paths import file_location
    from rel.store.copying import copy_store, snapshot_base
    from rel.store.engine import backup_name, list_backups

    ctx = context()
    if not ctx.location.url.startswith("postgresql"):
        raise StoreError(f"rel backup copies SQLite and PostgreSQL stores, not {ctx.location}")
    base = snapshot_base(ctx.location)
    if list_:
        _list(list_backups(base), f"No snapshots of {ctx.location} in {base.parent} yet")
        return
    target = path.expanduser().absolute() if path else backup_name(base, "backup", ctx.now)
    if os.path.lexists(target) and not os.path.islink(target):
        raise StoreError(f"{target} exists already; choose another name")
    check_target(target, what="write the backup to")
    copy_store(ctx.location, file_location(target))
    render.message(f"Wrote a SQLite snapshot of {ctx.location} to {target}.")
    if not render.is_terminal():
        render.out(str(target))


def _list(found: list[Path], none: str) -> None:
    from datetime import datetime

    from rel import render

    if not found:
        render.message(f"{none} (rel backup makes one).")
        return
    rows = []
    for item in found:
        stat = item.stat()
        when = datetime.fromtimestamp(stat.st_mtime).strftime("%Y-%m-%d %H:%M:%S")
        rows.append([when, f"{stat.st_size / 1024:,.0f} KiB", str(item)])
    render.table(["written", "size", "file"], rows)


@app.command()
def man() -> None:
    """Print rel's manual page (roff), every command with its options, for man to show.

    \b
    Example: rel man > ~/.local/share/man/man1/rel.1 && man rel
    """
    import click

    from rel.cli.app import app as whole_app
    from rel.cli.manpage import page

    click.echo(page(whole_app), nl=False)
