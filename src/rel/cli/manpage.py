"""`rel man`: the manual page rel.1, in roff, written from the commands themselves.

The page walks Click's command tree (`typer.main.get_command`), so every command, argument
and option is in it with the help its --help shows, and a new command cannot be left out.
Imported only by `rel man`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import click

from rel.cli.app import help_records

SUMMARY = "keep in touch with the people who matter"

ENVIRONMENT = (
    ("REL_DB", "The store, as --db takes it: a path, sqlite:///PATH or a postgresql:// URL."),
    ("REL_TODAY", "Compute as if today were this day, as --today."),
    ("NO_COLOR", "No colour, even on a terminal."),
    ("EDITOR", "The editor of rel edit --edit-note."),
    ("PGPASSWORD", "The password of a PostgreSQL store (else ~/.pgpass)."),
)
EXIT_STATUS = (
    ("0", "Success."),
    (
        "1",
        "A user or data error (not found, ambiguous, a bad value, a store that cannot be "
        "read), said in one line on standard error.",
    ),
    ("2", "A usage error: an unknown option or command, a missing argument."),
    ("130", "Interrupted (Ctrl-C); nothing was written."),
)


def escape(text: str) -> str:
    """Text as roff prints it: a backslash as `\\e`, every hyphen as `\\-` (a hyphen-minus a
    reader can copy into a command), and a line that would start with `.` or `'` (a request
    to roff) guarded by `\\&`; a character beyond ASCII by its code (`\\[u00E9]`), which
    any roff reads whatever its input encoding."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    text = re.sub(r"[^\x00-\x7f]", lambda m: f"\\[u{ord(m.group()):04X}]", text)
    return re.sub(r"^([.'])", r"\\&\1", text, flags=re.MULTILINE)


def _bold(text: str) -> str:
    return f"\\fB{escape(text)}\\fR"


def _paragraphs(help_text: str) -> Iterator[str]:
    """A command's help as roff: paragraphs filled by roff, a block after click's `\\b` kept
    line by line (the examples)."""
    for block in re.split(r"\n\s*\n", help_text.strip()):
        lines = block.splitlines()
        if lines and lines[0].strip() == "\b":
            yield ".PP\n.nf\n" + "\n".join(escape(line.rstrip()) for line in lines[1:]) + "\n.fi"
        elif block.strip():
            yield ".PP\n" + escape(" ".join(block.split()))


def _items(rows: list[tuple[str, str]]) -> Iterator[str]:
    for term, help_text in rows:
        yield f".TP\n{_bold(term)}\n{escape(' '.join(help_text.split())) or '.'}"


def _commands(
    command: click.Command, ctx: click.Context, words: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], click.Command, click.Context]]:
    """Every command under `command`, depth first in the order --help lists them, with the
    formats of `rel import` that are commands of their own (mbox, maildir, ics)."""
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            sub_ctx = click.Context(sub, info_name=name, parent=ctx, **sub.context_settings)
            yield (*words, name), sub, sub_ctx
            yield from _commands(sub, sub_ctx, (*words, name))
    for name, sub in getattr(command, "format_commands_of_their_own", dict)().items():
        sub_ctx = click.Context(sub, info_name=name, parent=ctx, **sub.context_settings)
        yield (*words, name), sub, sub_ctx


def _usage(command: click.Command, ctx: click.Context, words: tuple[str, ...]) -> str:
    pieces = " ".join(command.collect_usage_pieces(ctx))
    return " ".join(["rel", *words, pieces]).strip()


def manual(root: click.Command, version: str, day: date | None = None) -> str:
    """The page rel.1 for the command tree `root`."""
    day = day or _release_day()
    ctx = click.Context(root, info_name="rel", **root.context_settings)
    out = [
        f'.TH REL 1 "{day.isoformat()}" "rel {escape(version)}" "User Commands"',
        ".nh",  # no hyphenation: an option, a path or a URL stays whole, to copy
        ".SH NAME",
        f"rel \\- {escape(SUMMARY)}",
        ".SH SYNOPSIS",
        f"{_bold('rel')} [\\fIOPTIONS\\fR] [\\fICOMMAND\\fR] [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        *_paragraphs(root.help or ""),
        ".PP",
        escape("Every command takes -h or --help, which shows what this page says of it."),
        ".SH OPTIONS",
        *_items(help_records(root, ctx)[1]),
        ".SH COMMANDS",
    ]
    for words, command, sub_ctx in _commands(root, ctx, ()):
        out.append(f'.SS "{escape(_usage(command, sub_ctx, words))}"')
        out.extend(_paragraphs(command.help or command.short_help or ""))
        arguments, options = help_records(command, sub_ctx)
        options = [row for row in options if not row[0].endswith("--help")]  # said once
        if arguments or options:
            out.append(".PP")
            out.extend(_items(arguments + options))
    out += [".SH ENVIRONMENT", *_items(list(ENVIRONMENT))]
    out += [
        ".SH FILES",
        ".TP",
        _bold("$XDG_DATA_HOME/rel/rel.db"),
        escape(
            "The store when neither --db nor REL_DB names one (~/.local/share/rel/rel.db on "
            "Linux), private to its user."
        ),
    ]
    out += [".SH EXIT STATUS", *_items(list(EXIT_STATUS))]
    out += [
        ".SH SEE ALSO",
        escape(
            "The user guide and the other pages of docs/ beside the README; rel --help; shell "
            "completion: rel --install-completion [bash|zsh|fish]."
        ),
    ]
    return "\n".join(out) + "\n"


def _release_day() -> date:
    """Today, or the day SOURCE_DATE_EPOCH gives (a reproducible build)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return date.today()


def page(app: Any) -> str:
    """The page of the Typer app `app`, every command included."""
    from typer.main import get_command

    from rel import __version__

    return manual(get_command(app), __version__)
