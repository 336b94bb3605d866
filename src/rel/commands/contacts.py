"""The bodies of the contact commands (add, show, list, edit, tag, archive, unarchive): their
Typer commands in rel.cli.contacts call them."""

import sys
from typing import Any

from rel.context import context


def stdin_is_terminal() -> bool:
    """Can we ask the person a question? Not in a pipe, a cron job or a script."""
    return sys.stdin.isatty()


def _details(
    details: Any,
    *,
    email: list[str] | None,
    phone: list[str] | None,
    link: list[str] | None,
    alias: list[str] | None,
    tag: list[str] | None,
    texts: dict[str, str | None],
    birthday: str | None,
    every: str | None,
) -> Any:
    """Check every value typed for add / edit and fill `details` (ContactDetails or Changes).

    `texts` are the plain text fields by name (rel.domain.fields). For edit, an empty text
    or `none` clears a text field; a birthday or a cadence is cleared by `none` (an empty one
    is refused: it is more often a shell variable left unset).
    """
    from rel.domain.dates import parse_birthday, parse_cadence
    from rel.domain.fields import BY_NAME
    from rel.services import contacts as c

    details.emails = [c.clean_email(e) for e in email or []]
    details.phones = [c.clean_phone(p) for p in phone or []]
    details.links = [c.clean_link(u) for u in link or []]
    details.aliases = [c.clean_alias(a) for a in alias or []]
    details.tags = [c.clean_tag(t) for t in tag or []]
    clearing = isinstance(details, c.ContactChanges)
    for name, value in texts.items():
        if value is None:
            continue
        if clearing and not value.strip():
            details.clear.add(name)
        else:
            text = BY_NAME[name]
            details.texts[name] = c.clean_text(value, text.what, one_line=text.one_line)
    for name, value, parse in (
        ("birthday", birthday, lambda text: parse_birthday(text, today=context().today)),
        ("cadence", every, parse_cadence),
    ):
        if value is None:
            continue
        if clearing and value.strip().lower() in ("none", "never", "off"):
            details.clear.add(name)
        else:
            setattr(details, name, parse(value))
    return details


def add(
    *,
    name: str,
    email: list[str] | None,
    phone: list[str] | None,
    company: str | None,
    title: str | None,
    tag: list[str] | None,
    every: str | None,
    birthday: str | None,
    met: str | None,
    link: list[str] | None,
    alias: list[str] | None,
    note: str | None,
) -> None:
    """`rel add NAME ...`: add a contact and print their id."""
    from rel import render
    from rel.services.contacts import ContactDetails, add_contact
    from rel.services.who import describe

    texts = {"company": company, "title": title, "met": met, "notes": note}
    details = _details(
        ContactDetails(), email=email, phone=phone, link=link, alias=alias, tag=tag,
        texts=texts, birthday=birthday, every=every,
    )  # fmt: skip
    ctx = context()
    with ctx.store(write=True) as store:
        contact, warnings = add_contact(store, name, details, today=ctx.today, now=ctx.now)
    for text in warnings:
        render.warning(text)
    extra = ""
    if details.cadence:
        extra = (
            f"; catch up {details.cadence.describe()}, first due {details.cadence.due(ctx.today)}"
        )
    render.message(f"Added {describe(contact)}{extra}.")
    if not render.is_terminal():
        render.out(str(contact.id))


def show(*, who: str, as_json: bool, all_: bool, full: bool) -> None:
    """`rel show WHO`: a contact's profile, cadence, records and timeline."""
    from rel import render
    from rel.services.profiles import load_profile
    from rel.services.who import find

    ctx = context()
    with ctx.store() as store:
        profile = load_profile(store, find(store, who).id, ctx.today, timeline=None if all_ else 20)
    if as_json:
        render.print_json(render.profile_json(profile))
    elif render.profile_text(profile, ctx.today, full=full):
        render.message(f"Long notes are cut to fit; rel show {profile.id} --full shows them whole.")


def list_(
    *, tag: list[str] | None, overdue: bool, sort: str, archived: bool, as_json: bool
) -> None:
    """`rel list`: contacts with their cadence, last contact and next due date."""
    from rel import render
    from rel.services.agenda import check_tags_exist
    from rel.services.profiles import list_contacts

    ctx = context()
    with ctx.store() as store:
        if tag:
            check_tags_exist(store, tag)
        summaries = list_contacts(
            store, ctx.today, tags=tag or [], overdue=overdue, sort=sort, archived=archived
        )
    if as_json:
        render.print_json(render.summaries_json(summaries))
    elif not summaries:
        render.message("No contacts match." if tag or overdue else render.EMPTY_STORE)
    else:
        render.summaries_text(summaries, ctx.today)


def edit(
    *,
    who: str,
    rename: str | None,
    email: list[str] | None,
    phone: list[str] | None,
    link: list[str] | None,
    alias: list[str] | None,
    tag: list[str] | None,
    untag: list[str] | None,
    remove_email: list[str] | None,
    remove_phone: list[str] | None,
    remove_link: list[str] | None,
    unalias: list[str] | None,
    company: str | None,
    title: str | None,
    every: str | None,
    birthday: str | None,
    met: str | None,
    note: str | None,
    add_note: str | None,
    edit_note: bool,
    text: str | None,
    on: str | None,
    at: str | None,
    kind: str | None,
    with_: list[str] | None,
    without: list[str] | None,
    they: bool,
    me: bool,
    once: bool,
    lead: str | None,
    occasion: str | None,
    cost: str | None,
) -> None:
    """`rel edit KEY|WHO ...`: change a record by its key, or a contact."""
    from rel.errors import BadValue, shown
    from rel.services.records import RECORD_ONLY_OPTIONS, record_key, refuse_agenda_key

    record_options = {
        "--text": text, "--on": on, "--at": at, "--kind": kind, "--with": with_,
        "--without": without, "--they": they, "--me": me, "--once": once, "--lead": lead,
        "--for": occasion, "--cost": cost, "--note": note, "--every": every,
    }  # fmt: skip
    contact_options = {
        "--rename": rename, "--email": email, "--phone": phone, "--link": link,
        "--alias": alias, "--tag": tag, "--untag": untag, "--remove-email": remove_email,
        "--remove-phone": remove_phone, "--remove-link": remove_link, "--unalias": unalias,
        "--company": company, "--title": title, "--birthday": birthday, "--met": met,
        "--add-note": add_note, "--edit-note": edit_note,
    }  # fmt: skip
    typed = {
        name: value
        for name, value in {**record_options, **contact_options}.items()
        if value is not None and value is not False and value != []
    }
    if record_key(who) is not None:
        from rel.commands.records import edit_record

        edit_record(who, typed)
        return
    refuse_agenda_key(who, "edit")
    unfit = [name for name in typed if name in RECORD_ONLY_OPTIONS]
    if unfit:
        raise BadValue(
            f"{', '.join(unfit)} {'fits' if len(unfit) == 1 else 'fit'} a record's key "
            f"(i42, t3, e5, g2), not a contact; got {shown(who.strip())}, a contact "
            "(rel edit --help lists what fits each)"
        )
    notes_typed = [name for name in ("--note", "--add-note", "--edit-note") if name in typed]
    if len(notes_typed) > 1:
        raise BadValue(
            f"expected one of --note, --add-note or --edit-note; got {', '.join(notes_typed)}"
        )
    if edit_note:
        _edit_notes_in_editor(who)
        return
    from rel import render
    from rel.services.contacts import ContactChanges, clean_alias, clean_tag, edit_contact
    from rel.services.who import describe, find

    texts = {"company": company, "title": title, "met": met, "notes": note}
    changes = _details(
        ContactChanges(), email=email, phone=phone, link=link, alias=alias, tag=tag,
        texts=texts, birthday=birthday, every=every,
    )  # fmt: skip
    changes.rename = rename
    changes.untag = [clean_tag(t) for t in untag or []]
    changes.remove_emails = list(remove_email or [])
    changes.remove_phones = list(remove_phone or [])
    changes.remove_links = list(remove_link or [])
    changes.remove_aliases = [clean_alias(a) for a in unalias or []]
    changes.note_to_add = add_note
    ctx = context()
    with ctx.store(write=True) as store:
        contact = find(store, who)
        contact, done = edit_contact(store, contact, changes, today=ctx.today, now=ctx.now)
    if done:
        render.message(f"Changed {describe(contact)}: {'; '.join(done)}.")
    else:
        render.message(f"Nothing to change for {describe(contact)}.")


def _edit_notes_in_editor(who: str) -> None:
    """`rel edit WHO --edit-note`: the notes in $EDITOR (click.edit), saved when changed."""
    import click

    from rel import render
    from rel.errors import RelError
    from rel.services.contacts import ContactChanges, clean_text, contact_notes, edit_contact
    from rel.services.who import describe, find

    if not stdin_is_terminal():
        raise RelError(
            "not opening an editor without a terminal; use --note TEXT or --add-note TEXT"
        )
    ctx = context()
    with ctx.store() as store:
        before = contact_notes(store, find(store, who)) or ""
    edited = click.edit(before + ("\n" if before else ""), require_save=True)
    if edited is None or edited.strip() == before.strip():
        render.message("Notes unchanged.")
        return
    changes = ContactChanges()
    notes = clean_text(edited, "notes")
    if notes is None:
        changes.clear.add("notes")
    else:
        changes.texts["notes"] = notes
    with ctx.store(write=True) as store:
        contact = find(store, who)
        edit_contact(store, contact, changes, today=ctx.today, now=ctx.now)
    render.message(f"Changed {describe(contact)}: notes {'removed' if notes is None else 'set'}.")


def _set_archived(who: str, archived: bool) -> None:
    from rel import render
    from rel.services.contacts import set_archived
    from rel.services.who import describe, find

    ctx = context()
    with ctx.store(write=True) as store:
        contact = find(store, who)
        changed = set_archived(store, contact, archived, now=ctx.now)
    state = "archived" if archived else "back on the agenda"
    if changed:
        render.message(f"{describe(contact)} is {state}.")
    else:
        render.message(f"{describe(contact)} was already {state}.")


def archive(*, who: str) -> None:
    """`rel archive WHO`: hide a contact from the agenda and the list."""
    _set_archived(who, True)


def unarchive(*, who: str) -> None:
    """`rel unarchive WHO`: bring an archived contact back to the agenda."""
    _set_archived(who, False)


def tag(*, name: str, every: str | None) -> None:
    """`rel tag NAME [--every DUR]`: show a tag, or set or clear its default cadence."""
    from rel import render
    from rel.domain.dates import parse_cadence
    from rel.domain.vocabulary import counted
    from rel.services.contacts import clean_tag, list_tags, set_tag_cadence

    ctx = context()
    if every is None:
        with ctx.store() as store:
            found = [t for t in list_tags(store) if t.name == clean_tag(name)]
        if not found:
            raise_not_found(name)
        info = found[0]
        cadence = f"every {info.cadence}" if info.cadence else "no default cadence"
        render.out(f"{info.name}: {counted(info.contacts, 'contact')}, {cadence}")
        return
    clearing = every.strip().lower() in ("none", "never", "off")
    cadence_value = None if clearing else parse_cadence(every)
    with ctx.store(write=True) as store:
        saved = set_tag_cadence(store, name, cadence_value)
    if cadence_value:
        render.message(
            f"Contacts tagged {saved.name} without a cadence of their own: "
            f"catch up {cadence_value.describe()}."
        )
    else:
        render.message(f"The tag {saved.name} has no default cadence now.")


def raise_not_found(name: str) -> None:
    from rel.errors import NotFound, shown

    raise NotFound(f"no tag is named {shown(name)} (rel tags lists them)")
