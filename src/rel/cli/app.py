"""The Typer application, the per-command context, and the one error boundary.

This module imports only Typer: the store, SQLModel and Rich are imported by the commands that
use them, so `rel --help` and shell completion start fast. The command modules do without
`from __future__ import annotations`: Typer reads every command's annotations on every run,
and strings would have to be evaluated first.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

from rel import __version__
from rel.context import (
    DEFAULT_COMMAND,
    GLOBAL_FLAGS,
    GLOBAL_OPTIONS_WITH_VALUE,
    Context,
    context,
    guarded,
    set_context,
)

__all__ = ["Context", "RelCommand", "RelGroup", "RelTyper", "app", "app_for", "context"]

if TYPE_CHECKING:
    pass


DAILY_VERBS = ("due", "add", "log", "show", "list", "edit")
# `rel`, or `rel` followed by options that are not rel's own (`rel --days 3`), runs this


def help_records(command: Any, ctx: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The Arguments and Options rows of a command's --help, as plain click writes them.

    Typer < 0.20 escapes `[default: 7]` as `\\[default: 7]` for Rich (which rel's help does
    not use), and on click 8.5 loses every argument's help text; the help text is read back
    from the command's signature.
    """
    import inspect

    import click

    documented: dict[str, str] = {}
    if command.callback is not None:
        for name, parameter in inspect.signature(
            inspect.unwrap(command.callback)
        ).parameters.items():
            if getattr(parameter.default, "help", None):
                documented[name] = parameter.default.help
    arguments, options = [], []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if isinstance(param, click.Argument):
            arguments.append(
                (param.make_metavar(ctx), param.help or documented.get(param.name, ""))
            )
        elif isinstance(param, click.Option):
            record = click.Option.get_help_record(param, ctx)
            if record is not None:
                options.append(record)
    return arguments, options


def _format_options(command: Any, ctx: Any, formatter: Any) -> None:
    arguments, options = help_records(command, ctx)
    for title, rows in (("Arguments", arguments), ("Options", options)):
        if rows:
            with formatter.section(title):
                formatter.write_dl(rows)


class RelCommand(TyperCommand):
    """A command whose --help lists every argument with its help text."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        _format_options(self, ctx, formatter)


def _completion_script(install: bool) -> Any:
    def callback(ctx: Any, param: Any, value: str | None) -> None:
        if value is None or ctx.resilient_parsing:
            return
        from rel.cli.completion import completion_script

        completion_script(ctx, param, value, install=install)

    return callback


def _completion_options() -> list[Any]:
    """`--install-completion [SHELL]` and `--show-completion [SHELL]`: the shell named, else
    the one rel runs in (Typer's own options take no shell when shellingham is installed)."""
    import click

    return [
        click.Option(
            [option],
            is_flag=False,
            flag_value="",
            default=None,
            metavar="[SHELL]",
            expose_value=False,
            is_eager=True,
            callback=_completion_script(install),
            help=f"{verb} for SHELL (bash, zsh, fish), else for the current shell.",
        )
        for option, install, verb in (
            ("--install-completion", True, "Install completion"),
            ("--show-completion", False, "Print the completion script"),
        )
    ]


class RelGroup(TyperGroup):
    """Turns every foreseeable failure into exit 1 and one line on stderr.

    The traceback is shown only with `--debug`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params += _completion_options()

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: str | None = None
    ) -> None:
        """A shell asking for completions (`_REL_COMPLETE=complete_bash` ...): rel.cli.completion
        answers, and the process ends there."""
        if complete_var is None:
            complete_var = f"_{prog_name}_COMPLETE".replace("-", "_").upper()
        if not os.environ.get(complete_var):
            return
        from rel.cli.completion import complete

        complete(self, ctx_args, prog_name, complete_var)

    def list_commands(self, ctx: Any) -> list[str]:
        # the daily verbs first, then the rest in the order they were defined
        first = [name for name in DAILY_VERBS if name in self.commands]
        return first + [name for name in self.commands if name not in first]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        _format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Global options work anywhere: `rel due --today 2026-03-01` = `rel --today ... due`.

        With no command, or options of the agenda first (`rel --days 3 --tag customer`), the
        command is `rel due`; a word that is no command stays an error (`rel duee`).
        """
        front: list[str] = []
        rest: list[str] = []
        index = 0
        while index < len(args):
            arg = args[index]
            if arg == "--":
                rest.extend(args[index:])
                break
            name = arg.split("=", 1)[0]
            if name in GLOBAL_OPTIONS_WITH_VALUE and "=" not in arg and index + 1 < len(args):
                front += args[index : index + 2]
                index += 2
                continue
            if name in GLOBAL_OPTIONS_WITH_VALUE or arg in GLOBAL_FLAGS:
                front.append(arg)
            else:
                rest.append(arg)
            index += 1
        dangling = bool(front) and front[-1] in GLOBAL_OPTIONS_WITH_VALUE  # `rel --db`: usage
        if not ctx.resilient_parsing and not dangling and self._wants_default(ctx, rest):
            rest.insert(0, DEFAULT_COMMAND)
        ctx.meta["rel.command_words"] = rest  # what `rel undo --list` shows of a command
        return super().parse_args(ctx, front + rest)

    def _wants_default(self, ctx: Any, rest: list[str]) -> bool:
        if not rest:
            return True
        first = rest[0]
        if not first.startswith("-") or first == "--":
            return False
        own = set(ctx.help_option_names)
        for param in self.get_params(ctx):
            own.update(getattr(param, "opts", ()), getattr(param, "secondary_opts", ()))
        return first.split("=", 1)[0] not in own

    def invoke(self, ctx: Any) -> Any:
        invoke = super().invoke
        return guarded(lambda: invoke(ctx))


def app_for(args: list[str]) -> typer.Typer:
    """`app` with only the command that `args` runs, when that is plain (`rel due ...`, `rel`,
    `rel --days 3`): Typer builds the parameters of every command it holds, a tenth of the
    start-up of `rel due`, to run one. Help, the version, completion, and a word that is no
    command get the whole app (to list the commands, or suggest one)."""
    import copy

    from typer.main import get_command_name

    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return app
    index, first = 0, None
    while index < len(args):
        arg = args[index]
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS_WITH_VALUE:
            index += 1 if "=" in arg else 2
        elif arg in GLOBAL_FLAGS:
            index += 1
        else:
            first = arg
            break
    if first is None or (first.startswith("-") and first not in ("-h", "--help", "--version")):
        first = DEFAULT_COMMAND  # the group puts it in front (RelGroup.parse_args)
    for info in app.registered_commands:
        if (info.name or get_command_name(info.callback.__name__)) == first:
            only = copy.copy(app)
            only.registered_commands, only.registered_groups = [info], []
            return only
    return app


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"rel {__version__}")
        raise typer.Exit()


class RelTyper(typer.Typer):
    """Typer whose commands are RelCommand unless told otherwise, without Typer's completion
    options (RelGroup has its own, which take the shell)."""

    def __init__(self, *args: Any, add_completion: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, add_completion=add_completion, **kwargs)

    def command(self, *args: Any, cls: Any = None, **kwargs: Any) -> Any:
        return super().command(*args, cls=cls or RelCommand, **kwargs)


app = RelTyper(
    name="rel",
    cls=RelGroup,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


@app.callback(invoke_without_command=True)
def main(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        metavar="STORE",
        help="The store: an SQLite file (a path, or sqlite:///PATH) or a PostgreSQL database "
        "(postgresql://USER@HOST:PORT/DATABASE; the password from ~/.pgpass or PGPASSWORD). "
        "[env: REL_DB]",
    ),
    today: str | None = typer.Option(
        None, "--today", metavar="DATE", help="Compute as if today were DATE. [env: REL_TODAY]"
    ),
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback of an error."),
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Keep in touch with the people who matter: who needs attention today, and why.

    \b
    rel add "Alice Chen" --company Acme --tag customer --every 3w --birthday 03-14
    rel due                       # each morning
    rel log alice lunch "Q3 launch"

    With no command, rel shows the agenda: rel --days 3 is rel due --days 3.
    """
    set_context(
        Context(
            db=db,
            today_text=today,
            debug=debug,
            command_words=ctx.meta.get("rel.command_words", []),
        )
    )
