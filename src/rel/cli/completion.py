"""Shell completion for bash, zsh and fish: Click's machinery, Typer's scripts, rel's words.

Imported only when a shell asks for completions (`_REL_COMPLETE` set) or for a script
(`rel --show-completion`, `rel --install-completion`). What Tab offers:

- WHO (and `--with`, `--without`): contact names and aliases matching what was typed, ignoring
  case and accents, at the start of the name, of a word of it, or inside it;
- KEY of done, snooze and skip: the open agenda keys, with whose row it is;
- FORMAT of import, export and due, `--tag` (and `rel tag NAME`), and KIND where its words
  are fixed (rel.domain.vocabulary).

Completion reads the store named by `--db` on the line being completed, else REL_DB, through
sqlite3 (or psycopg) alone: no SQLAlchemy. A missing, damaged or unreachable store offers
nothing, silently, and is never created.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem, add_completion_class, split_arg_string
from typer._completion_classes import (
    BashComplete,
    FishComplete,
    PowerShellComplete,
    ZshComplete,
)

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
WHO_METAVARS = {"WHO", "WHO1", "WHO2", "KEY|WHO", "WHO|SENTENCE"}


# --- the shells: Typer's scripts, values quoted as each shell needs -----------------------


class RelBashComplete(BashComplete):
    """Bash inserts what it is given as it is: a value is escaped as bash's own file
    completion escapes a name (`Alice\\ Chen`), unless the word being completed opened a
    quote, which readline closes."""

    def get_completion_args(self) -> tuple[list[str], str]:
        """The words before the cursor, and the one being typed. Bash splits `--db=PATH` into
        `--db`, `=`, `PATH` (`=` is in COMP_WORDBREAKS): they are one word again, so that the
        store the line names is read, and `--format=m` completes its value."""
        cword = int(os.environ["COMP_CWORD"])
        words = split_arg_string(os.environ["COMP_WORDS"])[: cword + 1]
        words += [""] * (cword + 1 - len(words))  # the word being typed may be empty
        joined: list[str] = []
        glue = False
        for word in words:
            if glue:
                joined[-1] += word
                glue = False
            elif word == "=" and joined and joined[-1].startswith("-") and "=" not in joined[-1]:
                joined[-1] += "="
                glue = True
            else:
                joined.append(word)
        return joined[1:-1], joined[-1]

    def format_completion(self, item: CompletionItem) -> str:
        if _in_open_quote(os.environ.get("COMP_WORDS", "")):
            return item.value
        return re.sub(r"([^\w@%+=:,./-])", r"\\\1", item.value)


def _in_open_quote(line: str) -> bool:
    try:
        shlex.split(line)
    except ValueError:  # "No closing quotation"
        return True
    return False


class RelZshComplete(ZshComplete):
    """Typer's zsh script evaluates what rel prints: rel adds its values with `compadd -U`, so
    that zsh offers them as rel matched them (ignoring case and accents, inside a name) rather
    than filtering them again by the prefix typed; zsh quotes each value as it inserts it."""

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        items = self.get_completions(args, incomplete)
        if not items:
            return "_files"  # as Typer's: a FILE argument, or nothing to offer
        values = " ".join(_zsh_word(item.value) for item in items)
        add = f"local -a rel_values; rel_values=({values}); "
        if not any(item.help for item in items):
            add += "compadd -U -V unsorted -a rel_values"
        else:
            width = max(len(item.value) for item in items)
            shown = " ".join(
                _zsh_word(f"{item.value:<{width}}  -- {' '.join((item.help or '').split())}")
                for item in items
            )
            add += (
                f"local -a rel_shown; rel_shown=({shown}); "
                "compadd -U -V unsorted -l -d rel_shown -a rel_values"
            )
        if len(items) > 1 and not _shared_start([i.value for i in items]).startswith(incomplete):
            # what they share does not go on from what was typed ("al": Alice, José Álvarez):
            # the line stays as typed and zsh lists them, as bash does
            add += "; compstate[insert]=''"
        return add


def _shared_start(values: list[str]) -> str:
    """The characters every value starts with."""
    shared = min(values, key=len)
    for value in values:
        while not value.startswith(shared):
            shared = shared[:-1]
    return shared


def _zsh_word(text: str) -> str:
    """`text` as one zsh word that survives the script's `eval $(...)` unchanged: $'...' with
    every space and quote escaped (the unquoted `$(...)` would fold runs of spaces)."""
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    escaped = re.sub(r"\s", lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f"$'{escaped}'"


class RelFishComplete(FishComplete):
    """Fish takes `VALUE<tab>HELP` lines and quotes a value itself."""

    def format_completion(self, item: CompletionItem) -> str:
        if item.help:
            return f"{item.value}\t{' '.join(item.help.split())}"
        return item.value


def _register_shells() -> None:
    for shell_class, name in (
        (RelBashComplete, "bash"),
        (RelZshComplete, "zsh"),
        (RelFishComplete, "fish"),
        (PowerShellComplete, "powershell"),
        (PowerShellComplete, "pwsh"),
    ):
        add_completion_class(shell_class, name)


def complete(group: click.Command, ctx_args: Any, prog_name: str, complete_var: str) -> None:
    """Answer the shell's request named by `complete_var` (`complete_bash` ...), and exit."""
    from typer.completion import shell_complete

    _register_shells()
    attach(group)
    sys.exit(shell_complete(group, ctx_args, prog_name, complete_var, os.environ[complete_var]))


# --- which parameter completes what ---------------------------------------------------------


def attach(group: click.Command) -> None:
    """Give every parameter with words to offer its completer (the command tree is built for
    this one completion, so nothing else sees them)."""

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        for param in command.params:
            completer = completer_for(path, param)
            if completer is not None:
                param._custom_shell_complete = _quietly(completer)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(group, ())


def completer_for(path: tuple[str, ...], param: click.Parameter) -> Callable | None:
    from rel.domain import vocabulary

    metavar = (param.metavar or "").strip("[]")
    command = path[-1] if path else ""
    if metavar in WHO_METAVARS:
        return who
    if metavar == "KEY":
        return key
    if metavar == "TAG" or (command == "tag" and param.name == "name"):
        return tag
    if metavar == "FORMAT":
        return _words(*FORMATS.get(command, ()))
    if metavar == "KIND":
        if command == "remind":
            return _words(*vocabulary.TOUCHPOINT_KINDS)
        if command == "event":
            return _words(*vocabulary.EVENT_KINDS)
        if command == "edit":
            return kind_of_the_record
        return _words(*vocabulary.KINDS)
    if command == "list" and param.name == "sort":
        return _words("name", "last", "next")
    if "|" in metavar and all(re.fullmatch(r"[a-z]+", w) for w in metavar.split("|")):
        return _words(*metavar.split("|"))  # gift idea|gave|got, graph --by week|month
    return None


FORMATS = {
    "import": ("vcard", "linkedin", "csv", "json", "mbox", "maildir", "ics"),
    "export": ("json", "csv", "vcard", "ics"),
    "due": ("table", "markdown"),
}


def _quietly(completer: Callable) -> Callable:
    """A completer that offers nothing rather than fail: Tab never prints a traceback."""

    def run(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        try:
            offered = completer(ctx, incomplete)
            return [CompletionItem(s.value, help=s.help or None) for s in offered]
        except Exception:
            return []

    return run


class _Word:
    def __init__(self, value: str, help: str = "") -> None:
        self.value, self.help = value, help


def _words(*words: str) -> Callable:
    def offer(ctx: click.Context, incomplete: str) -> list[_Word]:
        typed = incomplete.strip().lower()
        return [_Word(word) for word in words if word.startswith(typed)]

    return offer


def kind_of_the_record(ctx: click.Context, incomplete: str) -> Iterable[_Word]:
    """`rel edit KEY --kind`: the kinds of the record the key names (i, t, e), else an
    interaction's."""
    from rel.domain import vocabulary

    # the line ends in an option still to get its value: click keeps the words in ctx.args
    typed = ctx.params.get("who") or next(iter(ctx.args), "")
    record = str(typed)[:1].lower()
    kinds = {"t": vocabulary.TOUCHPOINT_KINDS, "e": vocabulary.EVENT_KINDS}
    return _words(*kinds.get(record, vocabulary.KINDS))(ctx, incomplete)


# --- what the store knows -------------------------------------------------------------------


def _reading(ctx: click.Context, read: Callable[[Any], list]) -> list:
    """`read(store)` on the store of the line being completed (`--db`, else REL_DB), or
    nothing when there is no up-to-date store to read."""
    from rel.paths import resolve_store
    from rel.store.engine import quick_reader

    location = resolve_store(ctx.find_root().params.get("db"))
    with quick_reader(location) as store:
        return [] if store is None else read(store)


def who(ctx: click.Context, incomplete: str) -> list:
    from rel.services.completion import contact_names

    return _reading(ctx, lambda store: contact_names(store, incomplete))


def key(ctx: click.Context, incomplete: str) -> list:
    from datetime import date

    from rel.domain.dates import parse_when
    from rel.services.completion import open_keys

    today = date.today()
    text = ctx.find_root().params.get("today") or os.environ.get("REL_TODAY")
    if text:  # --today on the line being completed, else REL_TODAY, as the agenda takes it
        today = parse_when(text, today, past=False)
    return _reading(ctx, lambda store: open_keys(store, today, incomplete))


def tag(ctx: click.Context, incomplete: str) -> list:
    from rel.services.completion import tag_names

    return _reading(ctx, lambda store: tag_names(store, incomplete))


# --- rel --show-completion [SHELL], rel --install-completion [SHELL] ------------------------


def completion_script(ctx: click.Context, param: click.Parameter, value: str, *, install: bool):
    """Print (or install) the completion script of the shell named, else of the shell rel
    runs in (from the processes above it, else $SHELL), and exit."""
    from typer._completion_shared import get_completion_script
    from typer._completion_shared import install as install_script

    shell = _shell(value, param)
    prog_name = ctx.find_root().info_name or "rel"
    complete_var = "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())
    if install:
        shell, path = install_script(shell=shell, prog_name=prog_name, complete_var=complete_var)
        click.echo(f"{shell} completion installed in {path}")
        click.echo("Completion will take effect once you restart the terminal")
    else:
        click.echo(
            get_completion_script(prog_name=prog_name, complete_var=complete_var, shell=shell)
        )
    ctx.exit(0)


def _shell(value: str, param: click.Parameter) -> str:
    named = value.strip().lower()
    if named:
        if named not in SHELLS:
            raise click.BadParameter(
                f"expected bash, zsh, fish, powershell or pwsh; got {value!r}", param=param
            )
        return named
    detected = ""
    try:
        import shellingham

        detected = shellingham.detect_shell()[0].lower()
    except Exception:  # no shell above rel (cron, a service): $SHELL says which one is yours
        pass
    if detected not in SHELLS:
        detected = Path(os.environ.get("SHELL", "")).name.lower()
    if detected in SHELLS:
        return detected
    from rel import render

    render.error(
        f"cannot tell which shell to complete for; name it: rel {param.opts[0]} bash (or zsh, fish)"
    )
    raise click.exceptions.Exit(1)
