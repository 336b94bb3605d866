"""Contacts: add, show, list, edit, archive, unarchive, rm."""

import typer

from rel.cli.app import app, context
from rel.commands.contacts import stdin_is_terminal

WHO_HELP = "Who: an id, a name or part of it, an alias, an email."


@app.command()
def add(
    name: str = typer.Argument(..., metavar="NAME", help='The full name, such as "Alice Chen".'),
    email: list[str] | None = typer.Option(
        None, "--email", "-e", metavar="EMAIL", help="An email address (repeatable)."
    ),
    phone: list[str] | None = typer.Option(
        None, "--phone", "-p", metavar="PHONE", help="A phone number (repeatable)."
    ),
    company: str | None = typer.Option(
        None, "--company", "-c", metavar="TEXT", help="Where they work."
    ),
    title: str | None = typer.Option(None, "--title", metavar="TEXT", help="Their role."),
    tag: list[str] | None = typer.Option(
        None, "--tag", "-t", metavar="TAG", help="A tag such as customer, friend (repeatable)."
    ),
    every: str | None = typer.Option(
        None, "--every", metavar="DUR", help="Keep in touch every DUR: 3w, monthly, 2w-6w."
    ),
    birthday: str | None = typer.Option(
        None, "--birthday", "-b", metavar="DATE", help="03-14 or 1990-03-14."
    ),
    met: str | None = typer.Option(None, "--met", metavar="TEXT", help="How or where you met."),
    link: list[str] | None = typer.Option(
        None, "--link", "-l", metavar="URL", help="A link, such as their LinkedIn (repeatable)."
    ),
    alias: list[str] | None = typer.Option(
        None, "--alias", "-a", metavar="ALIAS", help="A nickname to find them by (repeatable)."
    ),
    note: str | None = typer.Option(None, "--note", "-n", metavar="TEXT", help="Notes about them."),
) -> None:
    """Add a contact and print their id.

    \b
    Example: rel add "Alice Chen" --company Acme --tag customer --every 3w --birthday 03-14
    """
    from rel.commands.contacts import add as run

    run(
        name=name, email=email, phone=phone, company=company, title=title, tag=tag,
        every=every, birthday=birthday, met=met, link=link, alias=alias, note=note,
    )  # fmt: skip


@app.command()
def show(
    who: str = typer.Argument(..., metavar="WHO", help=WHO_HELP),
    as_json: bool = typer.Option(False, "--json", help="One JSON document."),
    all_: bool = typer.Option(False, "--all", help="The whole timeline (default: the newest 20)."),
    full: bool = typer.Option(False, "--full", help="Whole notes, even on a terminal."),
) -> None:
    """Show a contact: profile, cadence and health, reminders, life events, gifts, timeline,
    each record with its key (i42, t3, e5, g2) to edit or remove it.

    Long notes are cut to fit on a terminal (--full shows them whole); piped or in --json
    they are whole.

    \b
    Example: rel show alice
    """
    from rel.commands.contacts import show as run

    run(who=who, as_json=as_json, all_=all_, full=full)


@app.command("list")
def list_(
    tag: list[str] | None = typer.Option(
        None, "--tag", "-t", metavar="TAG", help="Only contacts with this tag (repeatable)."
    ),
    overdue: bool = typer.Option(False, "--overdue", help="Only contacts overdue for a catch-up."),
    sort: str = typer.Option(
        "name",
        "--sort",
        "-s",
        metavar="ORDER",
        help="name, last (longest unseen first) or next (due first).",
    ),
    archived: bool = typer.Option(False, "--archived", help="Include archived contacts."),
    as_json: bool = typer.Option(False, "--json", help="One JSON document."),
) -> None:
    """List contacts with their cadence, last contact and next due date.

    \b
    Example: rel list --tag customer --sort next
    """
    from rel.commands.contacts import list_ as run

    run(tag=tag, overdue=overdue, sort=sort, archived=archived, as_json=as_json)


KEY_OR_WHO_HELP = (
    "A record's key (a letter and digits: i42 interaction, t3 touchpoint, e5 life event, "
    "g2 gift) or a contact (WHO: an id, a name or part of it, an alias, an email)."
)


@app.command()
def edit(
    who: str = typer.Argument(..., metavar="KEY|WHO", help=KEY_OR_WHO_HELP),
    rename: str | None = typer.Option(None, "--rename", metavar="NAME", help="A new full name."),
    email: list[str] | None = typer.Option(
        None, "--email", "-e", metavar="EMAIL", help="Add an email address."
    ),
    phone: list[str] | None = typer.Option(
        None, "--phone", "-p", metavar="PHONE", help="Add a phone number."
    ),
    link: list[str] | None = typer.Option(None, "--link", "-l", metavar="URL", help="Add a link."),
    alias: list[str] | None = typer.Option(
        None, "--alias", "-a", metavar="ALIAS", help="Add an alias."
    ),
    tag: list[str] | None = typer.Option(None, "--tag", "-t", metavar="TAG", help="Add a tag."),
    untag: list[str] | None = typer.Option(None, "--untag", metavar="TAG", help="Remove a tag."),
    remove_email: list[str] | None = typer.Option(
        None, "--remove-email", metavar="EMAIL", help="Remove an email address."
    ),
    remove_phone: list[str] | None = typer.Option(
        None, "--remove-phone", metavar="PHONE", help="Remove a phone number."
    ),
    remove_link: list[str] | None = typer.Option(
        None, "--remove-link", metavar="URL", help="Remove a link."
    ),
    unalias: list[str] | None = typer.Option(
        None, "--unalias", metavar="ALIAS", help="Remove an alias."
    ),
    company: str | None = typer.Option(
        None, "--company", "-c", metavar="TEXT", help='Set the company ("" clears).'
    ),
    title: str | None = typer.Option(
        None, "--title", metavar="TEXT", help='Set the role ("" clears).'
    ),
    every: str | None = typer.Option(
        None, "--every", metavar="DUR", help="Set the cadence, or none; KEY: a touchpoint's RULE."
    ),
    birthday: str | None = typer.Option(
        None, "--birthday", "-b", metavar="DATE", help="Set the birthday, or none."
    ),
    met: str | None = typer.Option(
        None, "--met", metavar="TEXT", help='Set how you met ("" clears).'
    ),
    note: str | None = typer.Option(
        None, "--note", "-n", metavar="TEXT", help='Replace the notes ("" clears); KEY: its note.'
    ),
    add_note: str | None = typer.Option(
        None, "--add-note", metavar="TEXT", help="Append a dated line to the notes."
    ),
    edit_note: bool = typer.Option(
        False, "--edit-note", help="Edit the notes in $EDITOR (needs a terminal)."
    ),
    text: str | None = typer.Option(
        None, "--text", metavar="TEXT", help="KEY: a touchpoint's, event's or gift's text."
    ),
    on: str | None = typer.Option(None, "--on", metavar="WHEN", help="KEY: its date."),
    at: str | None = typer.Option(
        None, "--at", metavar="TIME", help="KEY: an interaction's time of day, or none."
    ),
    kind: str | None = typer.Option(None, "--kind", metavar="KIND", help="KEY: its kind."),
    with_: list[str] | None = typer.Option(
        None, "--with", metavar="WHO", help="KEY: add someone to an interaction."
    ),
    without: list[str] | None = typer.Option(
        None, "--without", metavar="WHO", help="KEY: take someone out of an interaction."
    ),
    they: bool = typer.Option(False, "--they", help="KEY: they reached out."),
    me: bool = typer.Option(False, "--me", help="KEY: you reached out."),
    once: bool = typer.Option(False, "--once", help="KEY: a touchpoint stops repeating."),
    lead: str | None = typer.Option(
        None, "--lead", metavar="DUR", help="KEY: a touchpoint's or gift idea's lead time, or none."
    ),
    occasion: str | None = typer.Option(
        None, "--for", metavar="OCCASION", help="KEY: a gift's occasion."
    ),
    cost: str | None = typer.Option(None, "--cost", metavar="X", help="KEY: a gift's cost."),
) -> None:
    """Change a contact, or a record by its key.

    A key is a letter and digits: i42 an interaction, t3 a touchpoint (reminder, follow-up,
    congratulation), e5 a life event, g2 a gift; rel history, reminders, events, gifts and
    show list them. Anything else names a contact (a bare number is a contact's id). Each
    kind of record takes its own options (--every repeats a touchpoint; on a contact it is
    the cadence):

    \b
      i42: --note --on --at --kind --with --without --they --me
      t3:  --text --on --every --once --lead --kind
      e5:  --kind --on --text (its congratulation and anniversary follow)
      g2:  --text --on --for --cost --lead

    \b
    Example: rel edit alice --title CTO --tag mentor --untag prospect --every none
    Example: rel edit alice --add-note "met at the conference"
    Example: rel edit i42 --on yesterday --kind call --with bob --they
    Example: rel edit t3 --on friday --every monthly --lead 3d
    """
    from rel.commands.contacts import edit as run

    run(
        who=who, rename=rename, email=email, phone=phone, link=link, alias=alias, tag=tag,
        untag=untag, remove_email=remove_email, remove_phone=remove_phone,
        remove_link=remove_link, unalias=unalias, company=company, title=title, every=every,
        birthday=birthday, met=met, note=note, add_note=add_note, edit_note=edit_note,
        text=text, on=on, at=at, kind=kind, with_=with_, without=without, they=they, me=me,
        once=once, lead=lead, occasion=occasion, cost=cost,
    )  # fmt: skip


@app.command()
def archive(who: str = typer.Argument(..., metavar="WHO", help=WHO_HELP)) -> None:
    """Hide a contact from the agenda and the list, keeping their history.

    \b
    Example: rel archive "old vendor"
    """
    from rel.commands.contacts import archive as run

    run(who=who)


@app.command()
def unarchive(who: str = typer.Argument(..., metavar="WHO", help=WHO_HELP)) -> None:
    """Bring an archived contact back to the agenda.

    \b
    Example: rel unarchive 12
    """
    from rel.commands.contacts import unarchive as run

    run(who=who)


@app.command()
def rm(
    who: str = typer.Argument(..., metavar="KEY|WHO", help=KEY_OR_WHO_HELP),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
) -> None:
    """Remove a record by its key, or a contact with their history (asks first; without a
    terminal, needs --yes).

    A key is a letter and digits: i42 an interaction (everyone's catch-up follows), t3 a
    touchpoint (with its history of completions), e5 a life event (with its congratulation
    and anniversary), g2 a gift. Anything else names a contact: their interactions go too,
    but those they shared with others stay, without them.

    \b
    Example: rel rm i42
    Example: rel rm "Bob Spam" --yes
    """
    from rel import render
    from rel.domain.vocabulary import counted
    from rel.errors import RelError
    from rel.services.contacts import remove_contact
    from rel.services.records import record_key, refuse_agenda_key
    from rel.services.who import describe, find

    if record_key(who) is not None:
        from rel.cli.records import remove_record

        remove_record(who, yes=yes, ask_on_terminal=stdin_is_terminal())
        return
    refuse_agenda_key(who, "rm")

    ctx = context()
    with ctx.store(write=True) as store:
        contact = find(store, who)
        if not yes:
            if not stdin_is_terminal():
                raise RelError(
                    f"not deleting {describe(contact)} without a terminal to ask on; "
                    "add --yes to delete for sure"
                )
            if not typer.confirm(
                f"Delete {describe(contact)} and their history?", default=False, err=True
            ):
                render.message("Nothing deleted.")
                return
        removed = remove_contact(store, contact)
    render.message(f"Deleted {describe(contact)} and {counted(removed, 'interaction')} of theirs.")


@app.command()
def tag(
    name: str = typer.Argument(..., metavar="NAME", help="The tag, such as customer."),
    every: str | None = typer.Option(
        None, "--every", metavar="DUR", help="Default cadence for its contacts, or none."
    ),
) -> None:
    """Give a tag a default cadence, used by its contacts that have none of their own.

    When several of a contact's tags have one, the shortest wins (rel why says which).

    \b
    Example: rel tag customer --every 1m
    """
    from rel.commands.contacts import tag as run

    run(name=name, every=every)


@app.command()
def tags(as_json: bool = typer.Option(False, "--json", help="One JSON document.")) -> None:
    """List the tags with how many contacts carry them and their default cadence.

    \b
    Example: rel tags
    """
    from rel import render
    from rel.services.contacts import list_tags

    ctx = context()
    with ctx.store() as store:
        summaries = list_tags(store)
    if as_json:
        render.print_json(
            [{"name": t.name, "contacts": t.contacts, "cadence": t.cadence} for t in summaries]
        )
    elif not summaries:
        render.message("No tags yet: rel add NAME --tag customer, or rel edit WHO --tag friend.")
    else:
        render.table(
            ["tag", "contacts", "every"],
            [[t.name, str(t.contacts), t.cadence or ""] for t in summaries],
        )
