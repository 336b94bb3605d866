"""rel import mbox|maildir|ics: the history a person already has, from mail and calendars.

`rel import` (rel.cli.io) reads contacts; a first word of mbox, maildir or ics hands the rest of
the command line to the commands here (ImportCommand), each with options of its own.
"""

from typing import Any

import typer

from rel.cli.app import RelCommand, RelTyper, context

HARVEST_KINDS = ("mbox", "maildir", "ics")

harvest_app = RelTyper(name="import", rich_markup_mode=None, pretty_exceptions_enable=False)


class ImportCommand(RelCommand):
    """`rel import`: with mbox, maildir or ics as its format, the harvest command of that name
    parses and runs the rest of the line (its own options and --help)."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        if args and args[0].strip().lower() in HARVEST_KINDS:
            from typer.main import get_command

            group = get_command(harvest_app)
            kind = args[0].strip().lower()
            command = group.commands[kind]  # type: ignore[attr-defined]
            return command.make_context(f"{info_name} {kind}", list(args[1:]), parent, **extra)
        return super().make_context(info_name, args, parent, **extra)

    def format_commands_of_their_own(self) -> dict[str, Any]:
        """mbox, maildir, ics: the commands that parse `rel import FORMAT ...` (for rel man)."""
        from typer.main import get_command

        return dict(get_command(harvest_app).commands)  # type: ignore[attr-defined]


Me = typer.Option(
    None,
    "--me",
    metavar="ADDR",
    help="One of your own addresses (repeatable; remembered for the next harvest): mail from "
    "it is you reaching out.",
)
NoSubjects = typer.Option(
    False, "--no-subjects", help="Keep no subjects: the interactions have no note."
)
Suggest = typer.Option(
    False,
    "--suggest",
    help="Also list the people you mail most who are not in rel, with the rel add line for each.",
)
AddFrequent = typer.Option(
    None,
    "--add-frequent",
    metavar="N",
    help="Add everyone not in rel with at least N two-way exchanges (a message each way), "
    "tagged from-mail, and harvest their mail too.",
)
MaxRecipients = typer.Option(
    10,
    "--max-recipients",
    metavar="N",
    help="A message to more than N people counts only for its sender.",
)
DryRun = typer.Option(False, "--dry-run", "-n", help="Show the counts per contact; write nothing.")


@harvest_app.command("mbox")
def import_mbox(
    file: str = typer.Argument(..., metavar="FILE", help="An mbox file (a Gmail Takeout export)."),
    me: list[str] | None = Me,
    no_subjects: bool = NoSubjects,
    suggest: bool = Suggest,
    add_frequent: int | None = AddFrequent,
    max_recipients: int = MaxRecipients,
    dry_run: bool = DryRun,
) -> None:
    """Turn mail with your contacts into interactions (kind email), from an mbox file.

    Every message whose From, To or Cc holds a contact's email becomes part of one interaction
    per contact, day and direction; its note lists the subjects. Bodies are never read.
    Mailing lists, bulk and no-reply mail are ignored. Run it again on a newer export: only
    what is new is added.

    \b
    Example: rel import mbox "Takeout/Mail/All mail.mbox" --me me@example.com
    """
    from pathlib import Path

    from rel.formats.mail import count_mbox, read_mbox

    path = Path(file)
    _check_file(path, "an mbox file")
    _harvest(
        path.name,
        lambda: read_mbox(path),
        lambda: count_mbox(path),
        me=me or [],
        subjects=not no_subjects,
        suggest=suggest,
        add_frequent=add_frequent,
        max_recipients=max_recipients,
        dry_run=dry_run,
    )


@harvest_app.command("maildir")
def import_maildir(
    directory: str = typer.Argument(
        ..., metavar="DIR", help="A Maildir (with cur/ and new/), as mutt or offlineimap keep it."
    ),
    me: list[str] | None = Me,
    no_subjects: bool = NoSubjects,
    suggest: bool = Suggest,
    add_frequent: int | None = AddFrequent,
    max_recipients: int = MaxRecipients,
    dry_run: bool = DryRun,
) -> None:
    """Turn mail with your contacts into interactions (kind email), from a Maildir.

    The same rules as rel import mbox; the Maildir's sub-folders (.Sent, .Archive) are read
    too.

    \b
    Example: rel import maildir ~/Mail/INBOX --me me@example.com --suggest
    """
    from pathlib import Path

    from rel.errors import BadValue
    from rel.formats.mail import is_maildir, maildir_messages, read_maildir

    path = Path(directory)
    if not is_maildir(path):
        raise BadValue(f"expected a Maildir (a folder with cur/ and new/); got {directory}")
    messages = maildir_messages(path)
    _harvest(
        path.name or str(path),
        lambda: read_maildir(messages),
        lambda: len(messages),
        me=me or [],
        subjects=not no_subjects,
        suggest=suggest,
        add_frequent=add_frequent,
        max_recipients=max_recipients,
        dry_run=dry_run,
    )


def _check_file(path: Any, what: str) -> None:
    from rel.errors import BadValue

    if not path.is_file():
        raise BadValue(f"expected {what}; {path} is not a readable file")


def _harvest(
    name: str,
    read: Any,
    count: Any,
    *,
    me: list[str],
    subjects: bool,
    suggest: bool,
    add_frequent: int | None,
    max_recipients: int,
    dry_run: bool,
) -> None:
    from rel import render
    from rel.services.harvest import harvest_mail

    ctx = context()
    with (
        render.progress(f"harvesting {name}") as bar,
        ctx.store(write=not dry_run) as store,
    ):
        total = count() if bar is not None else 0
        report = harvest_mail(
            store,
            read,
            me=me,
            subjects=subjects,
            max_recipients=max_recipients,
            add_frequent=add_frequent,
            today=ctx.today,
            now=ctx.now,
            dry_run=dry_run,
            progress=(lambda done: bar(done, total)) if bar is not None else None,
        )
    if not report.me:
        render.warning(
            "no address of yours is known, so every message counts as theirs: "
            "add --me you@example.com (it is remembered)"
        )
    if dry_run:
        rows = [
            [
                c.name,
                str(c.messages),
                str(len(c.days)),
                c.last.isoformat() if c.last else "",
            ]
            for c in sorted(report.contacts.values(), key=lambda c: (-c.messages, c.name))
        ]
        render.plain_table(["CONTACT", "MESSAGES", "INTERACTIONS", "LAST"], rows)
    if suggest:
        suggestions = report.suggestions()
        if suggestions:
            render.plain_table(
                ["MESSAGES", "FROM THEM", "FROM YOU", "LAST", "ADD WITH"],
                [
                    [
                        str(s.total),
                        str(s.received),
                        str(s.sent),
                        s.last.isoformat() if s.last else "",
                        s.add_line(),
                    ]
                    for s in suggestions
                ],
            )
        else:
            render.message("no one you mail is missing from rel")
    if report.added_contacts:
        verb = "would add" if dry_run else "added"
        render.message(f"{verb} (tagged from-mail): " + ", ".join(report.added_contacts))
    if dry_run:
        render.message(f"dry run of {name}, nothing written: {report.summary(dry_run=True)}")
    else:
        render.message(f"harvested {name}: {report.summary()}")


@harvest_app.command("ics")
def import_ics(
    file: str = typer.Argument(..., metavar="FILE", help="An iCalendar file (.ics)."),
    log: bool = typer.Option(
        False,
        "--log",
        help="Log past meetings with your contacts as interactions (kind meeting), instead of "
        "reading birthdays.",
    ),
    dry_run: bool = DryRun,
) -> None:
    """Birthdays from a calendar onto your contacts, or, with --log, past meetings as
    interactions.

    Without --log: each "Name's birthday" event (Google's "Contacts' birthdays and events"
    calendar, or any other) sets the birthday of the contact of that name who has none; the
    rest are listed with the rel add line for each. With --log: every past meeting (recurring
    ones expanded up to today, exceptions and moved instances as the calendar says) whose
    attendees or organiser include a contact's email becomes a meeting with them, the summary
    as note. Running it again adds nothing new.

    \b
    Example: rel import ics ~/Downloads/work.ics --log
    """
    from pathlib import Path

    from rel import render
    from rel.formats.calendar import read_calendar
    from rel.services.harvest import calendar_birthdays, harvest_meetings

    ctx = context()
    path = Path(file)
    _check_file(path, "an iCalendar file")
    events = read_calendar(path.read_bytes())
    with ctx.store(write=not dry_run) as store:
        if log:
            report = harvest_meetings(store, events, today=ctx.today, now=ctx.now, dry_run=dry_run)
        else:
            yearly = calendar_birthdays(
                store, events, today=ctx.today, now=ctx.now, dry_run=dry_run
            )
    if log:
        if dry_run:
            rows = [
                [c.name, str(c.messages), c.last.isoformat() if c.last else ""]
                for c in sorted(report.contacts.values(), key=lambda c: (-c.messages, c.name))
            ]
            render.plain_table(["CONTACT", "MEETINGS", "LAST"], rows)
            render.message(
                f"dry run of {path.name}, nothing written: {report.summary(dry_run=True)}"
            )
        else:
            render.message(f"logged {path.name}: {report.summary()}")
        return
    for name, when in yearly.set:
        if name.endswith("'s anniversary"):
            render.message(f"{'would add' if dry_run else 'added'} {name}: {when}, every year")
        else:
            render.message(f"{'would set' if dry_run else 'set'} the birthday of {name}: {when}")
    for name, when in yearly.kept:
        if name.endswith("'s anniversary"):
            render.message(f"kept {name} already scheduled (the calendar says {when})")
        else:
            render.message(f"kept the birthday {name} has (the calendar says {when})")
    if yearly.suggestions:
        render.message("not in rel, or not set here (run the lines you want):")
        for line in yearly.suggestions:
            typer.echo(line)
    if not (yearly.set or yearly.kept or yearly.suggestions):
        render.message(
            f"no birthdays or anniversaries in {path.name}; to log meetings: "
            f"rel import ics {file} --log"
        )
