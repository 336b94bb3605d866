"""Keeping rel and an address book in step: rel sync vdir."""

from pathlib import Path

import typer

from rel.cli.app import RelTyper, app, context

sync_app = RelTyper(
    name="sync",
    rich_markup_mode=None,
    help="Keep rel and an address book in step, both ways (docs/sync.md)."
    "\n\n\b\nExample: rel sync vdir ~/.local/share/contacts/personal",
    no_args_is_help=True,
)
app.add_typer(sync_app)


@sync_app.command("vdir")
def vdir(
    folder: Path = typer.Argument(
        ..., metavar="DIR", help="The vdir: a folder with one UID.vcf per contact."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", "-n", help="Print what the sync would do; change nothing."
    ),
    as_json: bool = typer.Option(False, "--json", help="What was done, as JSON."),
) -> None:
    """Sync your contacts both ways with a vdir, the folder khard reads and vdirsyncer syncs
    with CardDAV (Nextcloud, iCloud, Fastmail, Radicale ...).

    The first run brings in the cards of the folder (linking those of people rel has) and
    writes a UID.vcf for everyone else; later runs carry each side's changes to the other. A
    field changed on both sides keeps the newer value, and the other goes into the contact's
    notes and is reported. Properties rel does not manage (photos, X- properties, labels) are
    kept in the files as they are.

    \b
    Example: rel sync vdir ~/.local/share/contacts/personal --dry-run
             vdirsyncer sync && rel sync vdir ~/.local/share/contacts/personal
    """
    from rel import render
    from rel.services.sync import sync_vdir

    ctx = context()
    with ctx.store(write=not dry_run, orm=True) as store:
        report = sync_vdir(store, folder, today=ctx.today, now=ctx.now, dry_run=dry_run)
    if as_json:
        import json

        typer.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    elif dry_run:
        for action in report.actions:
            typer.echo(action.line())
    if not dry_run or as_json:
        for line in report.warnings:
            render.warning(line)
    render.message(report.summary())
