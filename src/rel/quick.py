"""`rel due` without the command layer: the agenda's plain invocations run straight here.

`rel due` is the command a person runs every morning, often from a shell's start-up file, and
half of its time went on importing Typer and Click (about 40 ms) to parse a handful of options.
`run(args)` parses the command lines that are plainly `rel due`, and only those: `rel`, `rel
due`, `rel --days 3`, with the global `--db`, `--today`, `--debug` anywhere and the agenda's own
options (`--days`/`-d`, `--tag`/`-t`, `--limit`/`-n`, `--format`/`-f`, `--json`) in their usual
forms. Anything else — another command, `--help`, an option it does not know, a value that is
not plainly right (a days count out of range, a missing value) — is left to the command layer,
which parses it, reports it (exit 2 and the usage for a usage error) and runs it. So the two
ways never differ in what they accept or say; tests/test_quick.py holds them to that, and
checks these options against the `due` command's own.
"""

from __future__ import annotations

import os
from typing import Any

# The agenda's options: name -> (the parameter of show_agenda, the kind of value). The same
# as rel.cli.agenda.due's (a test compares them).
DUE_OPTIONS: dict[str, tuple[str, str]] = {
    "--days": ("days", "days"),
    "-d": ("days", "days"),
    "--tag": ("tags", "tag"),
    "-t": ("tags", "tag"),
    "--limit": ("limit", "count"),
    "-n": ("limit", "count"),
    "--format": ("format", "text"),
    "-f": ("format", "text"),
}
DUE_FLAGS = {"--json": "as_json"}
MAX_DAYS = 3660  # as `rel due --days` allows
GLOBAL_OPTIONS = ("--db", "--today")


class NotPlain(Exception):
    """A command line for the command layer to parse."""


def _value(kind: str, text: str) -> Any:
    if kind == "text" or kind == "tag":
        if text.startswith("-"):  # `--tag --json`: let the command layer decide
            raise NotPlain
        return text
    if not text.isascii() or not text.isdigit():
        raise NotPlain
    number = int(text)
    if kind == "days" and number > MAX_DAYS:
        raise NotPlain
    return number


def parse(args: list[str]) -> tuple[dict[str, Any], dict[str, Any], list[str]] | None:
    """(the global options, show_agenda's parameters, the command's words as the undo journal
    would name them) for a command line that is plainly `rel due`, else None."""
    try:
        return _parse(args)
    except NotPlain:
        return None


def _parse(args: list[str]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    found: dict[str, Any] = {"db": None, "today_text": None, "debug": False}
    words: list[str] = []
    index = 0
    while index < len(args):  # the global options, wherever they are (as RelGroup takes them)
        arg = args[index]
        name, equals, value = arg.partition("=")
        if arg == "--":
            raise NotPlain
        if name in GLOBAL_OPTIONS:
            if not equals:
                if index + 1 >= len(args):
                    raise NotPlain
                value = args[index + 1]
                index += 1
            found["today_text" if name == "--today" else "db"] = value
        elif arg == "--debug":
            found["debug"] = True
        else:
            words.append(arg)
        index += 1
    rest = words[1:] if words[:1] == ["due"] else words
    if rest and not rest[0].startswith("-"):
        raise NotPlain  # another command, or an argument `rel due` does not take
    options: dict[str, Any] = {}
    index = 0
    while index < len(rest):
        arg = rest[index]
        if arg in DUE_FLAGS:
            options[DUE_FLAGS[arg]] = True
            index += 1
            continue
        name, equals, value = arg.partition("=")
        if name.startswith("--") and name in DUE_OPTIONS:
            if not equals:
                if index + 1 >= len(rest):
                    raise NotPlain
                value = rest[index + 1]
                index += 1
        elif len(arg) > 2 and arg[:2] in DUE_OPTIONS and not arg.startswith("--"):
            name, value = arg[:2], arg[2:]  # -d3
        elif arg in DUE_OPTIONS:
            if index + 1 >= len(rest):
                raise NotPlain
            name, value = arg, rest[index + 1]
            index += 1
        else:
            raise NotPlain
        parameter, kind = DUE_OPTIONS[name]
        if kind == "tag":
            options.setdefault(parameter, []).append(_value(kind, value))
        else:
            options[parameter] = _value(kind, value)
        index += 1
    command_words = words if words[:1] == ["due"] else ["due", *words]
    return found, options, command_words


def show_agenda(
    *,
    days: int = 7,
    tags: list[str] | None = None,
    limit: int | None = None,
    format: str = "table",
    as_json: bool = False,
) -> None:
    """`rel due`: the agenda for the running command's day and store."""
    from rel import render
    from rel.context import context
    from rel.errors import BadValue, shown
    from rel.services.agenda import agenda, check_tags_exist

    if format not in FORMATS:
        raise BadValue(f"expected a format of {' or '.join(FORMATS)}; got {shown(format)}")
    ctx = context()
    with ctx.store() as store:
        if tags:
            check_tags_exist(store, tags)
        result = agenda(store, ctx.today, days=days, tags=tags or (), limit=limit)
    if as_json:
        render.print_json(render.agenda_json(result))
    elif format == "markdown":
        render.agenda_markdown(result)
    else:
        render.agenda_text(result)


FORMATS = ("table", "markdown")


def plain_due(args: list[str]) -> tuple[dict[str, Any], dict[str, Any], list[str]] | None:
    """`parse(args)`, unless a shell is asking for completions (the command layer answers)."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None
    return parse(args)


def run(parsed: tuple[dict[str, Any], dict[str, Any], list[str]]) -> None:
    """Run what `plain_due` found, through the one error boundary (SystemExit on an error, as
    the command layer ends)."""
    import sys

    from rel.context import Context, guarded, set_context

    found, options, command_words = parsed
    set_context(Context(**found, command_words=command_words))
    guarded(lambda: show_agenda(**options))
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away at the last line (rel due | head -1)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
