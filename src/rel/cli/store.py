"""Moving a network between stores: rel store copy."""

import typer

from rel.cli.app import RelTyper, app

store_app = RelTyper(
    name="store",
    rich_markup_mode=None,
    help="Move your network between stores: an SQLite file, or PostgreSQL for several machines."
    "\n\n\b\nExample: rel store copy ~/.local/share/rel/rel.db postgresql://me@db.home/rel",
    no_args_is_help=True,
)
app.add_typer(store_app)


@store_app.command("copy")
def copy(
    source: str = typer.Argument(
        ..., metavar="SRC", help="The store to copy: a path, sqlite:///PATH or postgresql://…"
    ),
    destination: str = typer.Argument(
        ...,
        metavar="DEST",
        help="A new SQLite file, or an empty database: a path, sqlite:///PATH or postgresql://…",
    ),
) -> None:
    """Copy a whole network into a new or empty store, keys and all.

    Everything but the undo journal is copied, in one transaction: it all lands, or nothing
    does. The source is not changed.

    \b
    Example: rel store copy ~/.local/share/rel/rel.db postgresql://me@db.home:5432/rel
             rel --db postgresql://me@db.home/rel due
    """
    from rel import render
    from rel.paths import store_named
    from rel.store.copying import copy_store

    where_from, where_to = store_named(source), store_named(destination)
    report = copy_store(where_from, where_to)
    render.message(f"Copied {report.describe()} from {where_from} to {where_to}.")
