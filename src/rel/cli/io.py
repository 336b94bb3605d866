"""Bringing a network in and taking it out: rel import, rel export."""

import sys
from pathlib import Path
from typing import Any

import click
import typer

from rel.cli.app import app, context
from rel.cli.harvest import ImportCommand

IMPORT_KINDS = {"vcard": "vcard", "vcf": "vcard", "linkedin": "linkedin", "csv": "csv",
                "json": "json"}  # fmt: skip
EXPORT_KINDS = {"json": "json", "csv": "csv", "vcard": "vcard", "vcf": "vcard", "ics": "ics",
                "ical": "ics", "icalendar": "ics"}  # fmt: skip
PROGRESS_FROM = 200  # records: smaller imports are over before a bar would help
SHOWN_PROBLEMS = 20


def _kind(text: str, kinds: dict[str, str], what: str) -> str:
    from rel.errors import BadValue

    kind = kinds.get(text.strip().lower())
    if kind is None:
        names = ", ".join(dict.fromkeys(kinds.values()))
        raise BadValue(f"expected a format to {what}: {names}; got {text!r}")
    return kind


@app.command("import", cls=ImportCommand)  # mbox, maildir, ics: rel.cli.harvest
def import_(
    kind: str = typer.Argument(
        ...,
        metavar="FORMAT",
        help="vcard, linkedin, csv or json; mbox, maildir, ics: see "
        "rel import mbox --help (history from mail and calendars, docs/harvest.md).",
    ),
    file: str = typer.Argument(..., metavar="FILE", help="The file to import (- reads stdin)."),
    tag: list[str] | None = typer.Option(
        None, "--tag", "-t", metavar="TAG", help="Tag everyone imported (repeatable)."
    ),
    every: str | None = typer.Option(
        None,
        "--every",
        metavar="DUR",
        help="Keep in touch with everyone added every DUR; their first due dates are spread "
        "over one DUR.",
    ),
    dry_run: bool = typer.Option(
        False,
        "--dry-run",
        "-n",
        help="Show what would be added, merged and skipped; write nothing.",
    ),
    charset: str | None = typer.Option(
        None,
        "--charset",
        metavar="NAME",
        help="The character set of 8-bit text a file does not declare (default cp1252; "
        "iso-8859-2 for Polish, ...).",
    ),
) -> None:
    """Import contacts from a vCard file, LinkedIn's Connections.csv, a Google Contacts or
    Outlook CSV, or rel's own JSON export.

    Someone already in the store (same email, same phone, or same name without a conflicting
    email) is updated, not duplicated: importing the same file twice adds nothing.

    \b
    Example: rel import linkedin Connections.csv --tag linkedin --every 3m
    """
    from rel import render
    from rel.domain.dates import parse_cadence
    from rel.formats.text import check_charset
    from rel.services.contacts import clean_tag
    from rel.services.importing import import_file

    ctx = context()
    chosen = _kind(kind, IMPORT_KINDS, "import")
    tags = [clean_tag(t) for t in tag or []]
    cadence = parse_cadence(every) if every is not None else None
    fallback = check_charset(charset) if charset else None
    from rel.files import read_input

    data = read_input(file)
    name = "stdin" if file == "-" else file
    with (
        render.progress(
            f"importing {Path(name).name}", shown_from=PROGRESS_FROM, every=50
        ) as progress,
        ctx.store(write=not dry_run, orm=True) as store,
    ):
        report = import_file(
            store,
            chosen,
            data,
            today=ctx.today,
            now=ctx.now,
            tags=tags,
            cadence=cadence,
            dry_run=dry_run,
            charset=fallback,
            progress=progress,
        )
    if dry_run:
        render_dry_run(report)
    lines = [
        f"{o.place}: skipped: {o.details[0] if o.details else 'unreadable'}"
        for o in report.outcomes
        if o.action == "skip"
    ] + report.problems
    for line in lines[:SHOWN_PROBLEMS]:
        render.warning(line)
    if len(lines) > SHOWN_PROBLEMS:
        render.warning(
            f"and {len(lines) - SHOWN_PROBLEMS} more (rel import --dry-run lists every record)"
        )
    kind_text = f" ({report.kind})" if report.kind else ""
    if dry_run:
        render.message(f"dry run of {name}{kind_text}, nothing written: {report.summary()}")
    else:
        render.message(f"imported {name}{kind_text}: {report.summary()}")


def render_dry_run(report: Any) -> None:
    """One line per record on stdout: what the import would do with it."""
    from rel import render

    rows = []
    for outcome in report.outcomes:
        if outcome.action == "add":
            rows.append(["add", outcome.place, outcome.name, ""])
        elif outcome.action == "merge":
            rows.append(
                ["merge", outcome.place, outcome.name, f"into {outcome.into}: "
                 + ", ".join(outcome.details)]
            )  # fmt: skip
        elif outcome.action == "same":
            rows.append(["same", outcome.place, outcome.name, f"{outcome.into}: nothing new"])
        else:
            rows.append(["skip", outcome.place, outcome.name, "; ".join(outcome.details)])
    render.plain_table(["ACTION", "WHERE", "NAME", "DETAILS"], rows)


@app.command("export")
def export(
    kind: str = typer.Argument(..., metavar="FORMAT", help="json, csv, vcard or ics."),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."
    ),
    folder: Path | None = typer.Option(
        None,
        "--dir",
        metavar="DIR",
        help="ics: write a calendar folder (vdir, one .ics per event, for vdirsyncer and khal); "
        "events no longer due are removed from it.",
    ),
    alarm: str | None = typer.Option(
        None, "--alarm", metavar="DUR", help="ics: a reminder DUR before each event (1d, 1w)."
    ),
    style: str = typer.Option(
        "google",
        "--style",
        metavar="google|outlook",
        help="csv: the columns and values of Google Contacts' export or of Outlook's.",
    ),
) -> None:
    """Export the whole network: json (lossless, for rel import json), csv (Google Contacts,
    Outlook and spreadsheets), vcard (3.0, for address books) or ics (birthdays, anniversaries,
    catch-ups and reminders, for calendars).

    \b
    Example: rel export ics -o ~/rel.ics
    Example: rel export ics --dir ~/.calendars/rel --alarm 1d
    Example: rel export csv --style outlook -o contacts.csv
    """
    from rel import render
    from rel.services.exports import export as export_text

    ctx = context()
    chosen = _kind(kind, EXPORT_KINDS, "export")
    if output is not None and folder is not None:
        raise click.UsageError("give -o FILE or --dir DIR, not both")
    if chosen != "ics" and (folder is not None or alarm is not None):
        option = "--dir" if folder is not None else "--alarm"
        raise click.UsageError(f"{option} is for ics only (rel export ics {option} ...)")
    reminder = None
    if alarm is not None:
        from rel.domain.dates import parse_duration

        reminder = parse_duration(alarm)
    if folder is not None:
        _export_folder(folder, ctx, reminder)
        return
    csv_style = style.strip().lower()
    if csv_style not in ("google", "outlook"):
        from rel.errors import BadValue

        raise BadValue(f"expected a CSV style: google or outlook; got {style!r}")
    if output is not None:
        from rel.files import check_target

        check_target(output, _store_files(ctx.location.path))  # before the work, not after
    with ctx.store(write=False) as store:
        text = export_text(
            chosen, store, today=ctx.today, now=ctx.now, alarm=reminder, style=csv_style
        )
    if output is None:
        sys.stdout.write(text)
        return
    from rel.files import write_private

    write_private(output, text.encode("utf-8"), _store_files(ctx.location.path))
    render.message(f"exported {chosen} to {output}")


def _export_folder(folder: Path, ctx: Any, alarm: Any) -> None:
    """rel export ics --dir: the calendar as a vdir, kept current (rel.files.write_folder)."""
    from rel import render
    from rel.files import write_folder
    from rel.services.exports import ics_files, same_ics, written_by_rel

    with ctx.store(write=False) as store:
        files = ics_files(store, today=ctx.today, now=ctx.now, alarm=alarm)
    done = write_folder(
        folder,
        files,
        suffix=".ics",
        ours=written_by_rel,
        same=same_ics,
        protected=_store_files(ctx.location.path),
    )
    render.message(
        f"exported ics to {folder}: {done.written} written, {done.unchanged} unchanged, "
        f"{done.removed} removed"
    )


def _store_files(store: Path | None) -> list[Path]:
    """The store, its -wal/-shm/-journal and its backups: an export never replaces them."""
    from rel.files import protected_paths

    if store is None:
        return []
    from rel.store.engine import list_backups

    try:
        backups = list_backups(store)
    except OSError:
        backups = []
    return [*protected_paths(store), *backups]
