"""The agenda comes to you: `rel notify` (where), `rel digest` (what), `rel schedule` (when)."""

import typer

from rel.cli.app import RelTyper, app, context

notify_app = RelTyper(
    name="notify",
    rich_markup_mode=None,
    help="Where the digest goes: mail, ntfy, Pushover, Telegram, Slack, desktop … (apprise URLs)."
    "\n\n\b\nExample: rel notify add ntfy://ntfy.sh/my-secret-topic && rel notify test",
    no_args_is_help=True,
)
schedule_app = RelTyper(
    name="schedule",
    rich_markup_mode=None,
    help="Send the digest every morning: a systemd user timer, else a crontab line."
    "\n\n\b\nExample: rel schedule install --at 08:00 && rel schedule status",
    no_args_is_help=True,
)
app.add_typer(notify_app)
app.add_typer(schedule_app)


# --- rel notify -----------------------------------------------------------------------------


@notify_app.command("add")
def notify_add(
    url: str = typer.Argument(
        ..., metavar="URL", help="An apprise URL: mailto://, ntfy://, pover://, tgram://, …"
    ),
) -> None:
    """Add a delivery target (checked, then kept in your private config file).

    \b
    Example: rel notify add 'mailto://me:app-password@smtp.example.com?to=me@example.com'
             rel notify add ntfy://ntfy.sh/my-secret-topic
    """
    from rel import notify, render
    from rel.errors import BadValue

    label = notify.mask(url)  # BadValue (one line, masked) when apprise cannot use it
    with notify.editing_config() as document:
        entries = document.setdefault("target", [])
        if any(entry.get("url") == url for entry in entries):
            raise BadValue(f"{label} is already a target (rel notify list)")
        entries.append({"url": url})
        number = len(entries)
    render.message(f"Added target {number}: {label} (rel notify test {number} sends a test).")


@notify_app.command("list")
def notify_list(as_json: bool = typer.Option(False, "--json", help="One JSON document.")) -> None:
    """List the delivery targets, secrets masked.

    \b
    Example: rel notify list
    """
    from rel import notify, render
    from rel.errors import BadValue

    document = notify.read_config()
    found = notify.targets(document)
    rows = []
    for target in found:
        try:
            rows.append((target, notify.mask(target.url), None))
        except BadValue as problem:
            rows.append((target, target.label, problem.message))
    if as_json:
        render.print_json(
            {
                "config": str(notify.config_path()),
                "targets": [
                    {
                        "number": t.number,
                        "url": label,
                        "usable": problem is None,
                        "problem": problem,
                    }
                    for t, label, problem in rows
                ],
            }
        )
        return
    if not found:
        render.message("No targets yet. Add one: rel notify add ntfy://ntfy.sh/my-secret-topic")
        return
    render.table(
        ["#", "target", "note"],
        [[str(t.number), label, problem or ""] for t, label, problem in rows],
    )
    warning = notify.check_private()
    if warning:
        render.warning(warning)


@notify_app.command("rm")
def notify_rm(
    number: int = typer.Argument(..., metavar="N", help="The target's number in rel notify list."),
) -> None:
    """Remove a delivery target by its number.

    \b
    Example: rel notify rm 2
    """
    from rel import notify, render

    with notify.editing_config() as document:
        entries = document.get("target", [])
        target = _numbered(notify.targets(document), number)
        del entries[number - 1]
    render.message(f"Removed target {number}: {target.label}.")


def _numbered(targets, number: int):
    from rel.errors import NotFound

    for target in targets:
        if target.number == number:
            return target
    listing = f"1 to {len(targets)}" if targets else "none yet: rel notify add URL"
    raise NotFound(f"no target has the number {number} (the targets: {listing})")


@notify_app.command("test")
def notify_test(
    number: int | None = typer.Argument(
        None, metavar="[N]", help="Only this target (its number in rel notify list)."
    ),
) -> None:
    """Send a test message to every target (or to target N); exit 1 if any fails.

    \b
    Example: rel notify test
    """
    from rel import notify

    found = _configured_targets(notify.read_config())
    if number is not None:
        found = [_numbered(found, number)]
    found = notify.labelled(found)
    failed = _deliver_all(
        found,
        "rel: test message",
        "This is a test from `rel notify test`: your morning digest will come here.",
    )
    if failed:
        raise typer.Exit(1)


def _configured_targets(document):
    from rel import notify
    from rel.errors import BadValue

    found = notify.targets(document)
    if not found:
        raise BadValue(
            "no delivery target yet: add one with rel notify add URL "
            "(mailto://…, ntfy://…; see docs/digest.md)"
        )
    return found


def _deliver_all(targets, title: str, body: str) -> list:
    """Send to each target in turn; say which failed (one line each), return those."""
    from rel import notify, render

    failed = []
    for target in targets:
        problem = notify.deliver(target.url, title, body)
        if problem is None:
            render.message(f"Sent to {target.label}.")
        else:
            failed.append(target)
            render.error(f"target {target.number} ({target.label}): {problem}")
    return failed


# --- rel digest -----------------------------------------------------------------------------


@app.command()
def digest(
    send: bool = typer.Option(False, "--send", help="Deliver it to every target."),
    force: bool = typer.Option(False, "--force", help="Send even if already sent today."),
    always: bool = typer.Option(False, "--always", help="Send even when nothing is due."),
    days: int | None = typer.Option(
        None,
        "--days",
        "-d",
        metavar="N",
        min=0,
        max=3660,
        help="Days ahead to include (default 1, or days under [digest] in the config file).",
    ),
    limit: int | None = typer.Option(
        None, "--limit", "-n", metavar="N", min=0, help="At most N rows (fairly rotated)."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON document (without --send)."),
) -> None:
    """Today's digest: overdue, today and tomorrow, new rows marked; --send delivers it.

    Without --send it prints what would be sent. With --send it goes to every target
    once a day: a second run the same day sends nothing unless --force, and a target
    that failed is tried again by the next run.

    \b
    Example: rel digest --send
    """
    from rel import notify
    from rel.errors import BadValue

    document = notify.read_config()
    days = days if days is not None else notify.digest_days(document)
    if not send:
        _preview(document, days=days, limit=limit, as_json=as_json)
        return
    if as_json:
        raise BadValue("--json shows the digest; it does not go with --send")
    _send(document, days=days, limit=limit, force=force, always=always)


def _preview(document, *, days: int, limit: int | None, as_json: bool) -> None:
    from rel import notify, render
    from rel.services.digest import build_digest, sent_on

    ctx = context()
    with ctx.store(write=False) as store:
        result = build_digest(store, ctx.today, days=days, limit=limit)
        sent = sent_on(store, ctx.today)
    if as_json:
        document_out = render.digest_json(result)
        document_out["sent_today"] = [
            {"target": record.label, "at": record.sent_at} for record in sent
        ]
        render.print_json(document_out)
        return
    render.out(result.title)
    render.out()
    render.out(render.digest_markdown(result).rstrip("\n"))
    targets = notify.targets(document)
    if sent:
        first = sent[0].sent_at
        render.message(f"Sent today at {_local_time(first)} to {len(sent)} target(s).")
    elif not targets:
        render.message("Not sent: no target yet (rel notify add URL).")
    else:
        render.message(f"Not sent yet: rel digest --send sends it to {len(targets)} target(s).")


def _local_time(moment) -> str:
    from datetime import UTC

    if moment is None:
        return "?"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%H:%M")


def _send(document, *, days: int, limit: int | None, force: bool, always: bool) -> None:
    from datetime import UTC, datetime

    from rel import notify, render
    from rel.services.digest import send_digest

    ctx = context()
    targets = notify.labelled(_configured_targets(document))

    def claimed(claims) -> None:
        for target in targets:
            if target.fingerprint in claims.sent:
                render.message(
                    f"Already sent to {target.label} today at "
                    f"{_local_time(claims.sent[target.fingerprint])} (--force sends it again)."
                )
            elif target.fingerprint in claims.busy:
                render.message(f"Another rel is sending to {target.label} right now.")

    def deliver(to_send, result):
        return _deliver_all(to_send, result.title, render.digest_markdown(result))

    sending = send_digest(
        lambda: ctx.store(write=True, undoable=False),
        ctx.today,
        targets,
        days=days,
        limit=limit,
        force=force,
        always=always,
        now=ctx.now,
        clock=lambda: datetime.now(UTC),
        claimed=claimed,
        deliver=deliver,
    )
    if sending.claims is None:
        render.message(
            f"Nothing due on {ctx.today.isoformat()}: nothing sent (--always sends anyway)."
        )
        return
    if sending.failed:
        raise typer.Exit(1)


# --- rel schedule ---------------------------------------------------------------------------


def _store_option():
    """The store to name in the scheduled command: the one set by --db or REL_DB, if any."""
    import os

    ctx = context()
    if ctx.db is None and not os.environ.get("REL_DB"):
        return None
    if ctx.location.path is None:  # PostgreSQL: its URL; a password in it is never written
        from rel.paths import masked

        if masked(ctx.location.url) != ctx.location.url:
            from rel.errors import BadValue

            raise BadValue(
                "the store's URL holds a password, which a schedule must not write down: "
                "put it in ~/.pgpass and give the URL without it"
            )
        return ctx.location.url
    return ctx.location.path


@schedule_app.command("install")
def schedule_install(
    at: str = typer.Option("08:00", "--at", metavar="HH:MM", help="When, every day."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be written."),
    yes: bool = typer.Option(
        False, "--yes", "-y", help="Add the crontab line without asking (no systemd only)."
    ),
) -> None:
    """Send the digest every day at --at: a systemd user timer, else a crontab line.

    With systemd (user session), rel writes rel-digest.service and rel-digest.timer under
    ~/.config/systemd/user and enables the timer (Persistent: a laptop asleep at that time
    sends on wake). Without it, rel prints the crontab line and adds it only if you agree.

    \b
    Example: rel schedule install --at 07:30
    """
    from rel import render, schedule

    when = schedule.parse_at(at)
    argv = schedule.rel_command(_store_option())
    if schedule.systemd_runs():
        units = schedule.systemd_units(when, argv)
        if dry_run:
            for name, text in units.items():
                render.out(f"# {schedule.unit_folder() / name}")
                render.out(text)
            render.out("# then: systemctl --user daemon-reload")
            render.out(f"#       systemctl --user enable --now {schedule.UNIT}.timer")
            return
        written = schedule.write_units(units)
        schedule.systemctl("daemon-reload")
        schedule.systemctl("enable", "--now", f"{schedule.UNIT}.timer")
        render.message(
            f"Installed {', '.join(str(p) for p in written)}: the digest goes out every day "
            f"at {when:%H:%M} (rel schedule status)."
        )
        return
    line = schedule.cron_line(when, argv)
    if dry_run:
        render.out(line)
        render.message("No systemd user session here: rel would offer to add this crontab line.")
        return
    render.out(line)
    if not schedule.has_crontab():
        render.message(
            "No systemd user session and no crontab here: run the line above at "
            f"{when:%H:%M} with the scheduler you have."
        )
        return
    if not yes:
        import sys

        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            render.message("Not added: add it with crontab -e, or run this on a terminal.")
            return
        if not typer.confirm("Add this line to your crontab?", default=False, err=True):
            render.message("Not added; your crontab is unchanged.")
            return
    crontab = schedule.read_crontab()
    schedule.write_crontab([*crontab.without_ours(), line])
    verb = "Replaced" if crontab.ours else "Added"
    render.message(f"{verb} the line in your crontab: the digest goes out daily at {when:%H:%M}.")


@schedule_app.command("status")
def schedule_status() -> None:
    """Say what is installed, when it runs next, and when the last digest went out.

    \b
    Example: rel schedule status
    """
    from datetime import datetime

    from rel import render, schedule
    from rel.services.digest import last_sent

    now = datetime.now()
    found = False
    for path in schedule.installed_units():
        found = True
        render.out(f"systemd: {path}")
        if path.suffix == ".timer" and (when := schedule.timer_time(path)) is not None:
            upcoming = schedule.next_run(when, now)
            render.out(f"  runs daily at {when:%H:%M}; next {upcoming:%a %Y-%m-%d %H:%M}")
    if schedule.has_crontab():
        for line in schedule.read_crontab().ours:
            found = True
            render.out(f"crontab: {line}")
            when = schedule.cron_time(line)
            if when is not None:
                upcoming = schedule.next_run(when, now)
                render.out(f"  runs daily at {when:%H:%M}; next {upcoming:%a %Y-%m-%d %H:%M}")
    if not found:
        render.out("Not scheduled (rel schedule install --at 08:00).")
    ctx = context()
    with ctx.store(write=False) as store:
        last = last_sent(store)
    if last is not None:
        render.out(
            f"Last digest: {last.day.isoformat()}, sent at {_local_time(last.sent_at)} "
            f"to {last.label}."
        )


@schedule_app.command("remove")
def schedule_remove() -> None:
    """Remove what rel schedule install installed (and nothing else).

    \b
    Example: rel schedule remove
    """
    from rel import render, schedule

    removed = []
    units = schedule.installed_units()
    if units:
        timer = f"{schedule.UNIT}.timer"
        if schedule.systemd_runs():
            schedule.systemctl("disable", "--now", timer)
        for path in units:
            path.unlink()
            removed.append(str(path))
        if schedule.systemd_runs():
            schedule.systemctl("daemon-reload")
    if schedule.has_crontab():
        crontab = schedule.read_crontab()
        if crontab.ours:
            schedule.write_crontab(crontab.without_ours())
            removed.append("the rel-digest line of your crontab")
    if removed:
        render.message(f"Removed {', '.join(removed)}.")
    else:
        render.message("Nothing to remove: no digest is scheduled.")
