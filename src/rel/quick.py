"""The everyday commands without the command layer: their plain command lines run straight here.

`rel due`, `rel done t3`, `rel log alice lunch "Q3 launch"` are what a person types every day,
and half of their time went on importing Typer and Click (about 40 ms) to parse a few words.
`plain(args)` parses the command lines that are plainly one of those commands, and only those:
the command's arguments, its options in their usual forms (`--on friday`, `--on=friday`, `-k
call`, `-kcall`), its flags, and the global `--db`, `--today`, `--debug` anywhere. It knows
each command from `rel.quick_spec`, which `python -m rel.quick` writes from the Typer app
itself (a test checks it is current), and runs the command's body (`rel.commands`), the very
code the Typer command calls, with the values Typer would give it.

Anything else — another command, `--help`, an option it does not know, a value that is not
plainly right (a number out of range, a value that looks like an option, a missing argument)
— is left to the command layer, which parses it, reports it (exit 2 and the usage for a usage
error) and runs it. So the two ways never differ in what they accept or say;
tests/test_quick.py holds them to that.
"""

from __future__ import annotations

import os
from typing import Any

from rel.context import (
    DEFAULT_COMMAND,
    GLOBAL_FLAGS,
    GLOBAL_OPTIONS_WITH_VALUE,
    Context,
    guarded,
    set_context,
)

Plain = tuple[dict[str, Any], str, dict[str, Any], list[str]]


class NotPlain(Exception):
    """A command line for the command layer to parse."""


def plain(args: list[str]) -> Plain | None:
    """(the global options, the command, its body's parameters, the command's words as the
    undo journal names them) for a command line that is plainly an everyday command, else
    None. A shell asking for completions is the command layer's too."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None
    try:
        return parse(args)
    except NotPlain:
        return None


def parse(args: list[str]) -> Plain:
    from rel.quick_spec import COMMANDS

    found: dict[str, Any] = {"db": None, "today_text": None, "debug": False}
    words: list[str] = []
    index = 0
    while index < len(args):  # the global options, wherever they are (as RelGroup takes them)
        arg = args[index]
        name, equals, value = arg.partition("=")
        if arg == "--":
            raise NotPlain
        if name in GLOBAL_OPTIONS_WITH_VALUE:
            if not equals:
                if index + 1 >= len(args):
                    raise NotPlain
                value = args[index + 1]
                index += 1
            found["today_text" if name == "--today" else "db"] = value
        elif arg in GLOBAL_FLAGS:
            found["debug"] = True
        else:
            words.append(arg)
        index += 1
    if not words or words[0].startswith("-"):
        command, rest, command_words = DEFAULT_COMMAND, words, [DEFAULT_COMMAND, *words]
    else:
        command, rest, command_words = words[0], words[1:], words
    spec = COMMANDS.get(command)
    if spec is None:
        raise NotPlain
    return found, command, _parameters(spec, rest), command_words


def _parameters(spec: dict[str, Any], rest: list[str]) -> dict[str, Any]:
    """The body's parameters from the words after the command, by the command's spec."""
    options, flags = spec["options"], spec["flags"]
    given: dict[str, Any] = {}
    positional: list[str] = []
    index = 0
    while index < len(rest):
        arg = rest[index]
        index += 1
        if arg in flags:
            given[flags[arg]] = True
            continue
        name, equals, value = arg.partition("=")
        if name.startswith("--") and name in options and equals:
            pass  # --on=friday
        elif arg in options:  # --on friday, -k call
            if index >= len(rest):
                raise NotPlain
            name, value = arg, rest[index]
            index += 1
        elif not arg.startswith("--") and arg[:2] in options and len(arg) > 2:
            name, value = arg[:2], arg[2:]  # -kcall
        elif arg.startswith("-") and arg != "-":
            raise NotPlain  # an option it does not know, a flag with a value, a cluster ...
        else:
            positional.append(arg)
            continue
        if value.startswith("-") and value != "-":
            raise NotPlain  # `--on --json`: Click decides what that means
        parameter = options[name]
        if parameter in spec["ranges"]:
            value = _number(value, *spec["ranges"][parameter])
        if parameter in spec["multiple"]:
            given.setdefault(parameter, []).append(value)
        else:
            given[parameter] = value  # the last one wins, as in Click
    arguments = spec["arguments"]
    if len(positional) > len(arguments):
        raise NotPlain
    for (parameter, _required), value in zip(arguments, positional, strict=False):
        given[parameter] = value
    if any(required for _parameter, required in arguments[len(positional) :]):
        raise NotPlain
    if any(parameter not in given for parameter in spec["required"]):
        raise NotPlain
    return {**spec["defaults"], **given}


def _number(text: str, low: int | None, high: int | None) -> int:
    if not text.isascii() or not text.isdigit():
        raise NotPlain
    number = int(text)
    if (low is not None and number < low) or (high is not None and number > high):
        raise NotPlain
    return number


def run(found: Plain) -> None:
    """Run what `plain` found: the command's body, through the one error boundary, ending as
    the command layer ends (SystemExit with its code; Click's own exceptions as Click shows
    them)."""
    import importlib
    import sys

    from rel.quick_spec import COMMANDS

    options, command, parameters, command_words = found
    module, function = COMMANDS[command]["target"].split(":")
    body = getattr(importlib.import_module(module), function)
    set_context(Context(**options, command_words=command_words))
    try:
        guarded(lambda: body(**parameters))
    except Exception as problem:
        if not type(problem).__module__.startswith("click."):
            raise
        _end_as_click_does(problem)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away at the last line (rel due | head -1)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _end_as_click_does(problem: Exception) -> None:
    """What Click's standalone mode does with its own exceptions: an Exit's code, "Aborted!"
    for an Abort (a prompt answered with Ctrl-D), a ClickException shown with its code."""
    import sys

    import click

    if isinstance(problem, click.exceptions.Exit):
        raise SystemExit(problem.exit_code) from None
    if isinstance(problem, click.Abort):
        click.echo("Aborted!", file=sys.stderr)
        raise SystemExit(1) from None
    if isinstance(problem, click.ClickException):
        problem.show()
        raise SystemExit(problem.exit_code) from None
    raise problem


# --- the spec, from the Typer app: `uv run python -m rel.quick` ------------------------------


def spec_of(command: Any) -> dict[str, Any] | None:
    """A command's spec for `parse`, if its callback has a body in rel.commands and its
    parameters are all plain (arguments of one value; options of one text or whole number,
    repeatable or not; on/off flags); else None."""
    import importlib

    import click

    callback = command.callback
    if callback is None:
        return None
    target = getattr(callback, "__wrapped__", callback)
    module = target.__module__.replace("rel.cli.", "rel.commands.", 1)
    try:
        body = getattr(importlib.import_module(module), target.__name__)
    except (ImportError, AttributeError):
        return None
    if not callable(body) or module == target.__module__:
        return None
    spec: dict[str, Any] = {
        "target": f"{module}:{target.__name__}",
        "arguments": [],
        "options": {},
        "flags": {},
        "multiple": [],
        "required": [],
        "ranges": {},
        "defaults": {},
    }
    for param in command.params:
        if param.name == "help":
            continue
        if isinstance(param, click.Argument):
            if param.nargs != 1 or not isinstance(param.type, click.types.StringParamType):
                return None
            spec["arguments"].append((param.name, bool(param.required)))
            if not param.required:
                spec["defaults"][param.name] = param.default
            continue
        if not isinstance(param, click.Option) or param.nargs != 1 or param.count:
            return None
        if param.is_flag:
            if (
                param.secondary_opts
                or param.default
                or not isinstance(param.type, click.types.BoolParamType)
            ):
                return None
            spec["flags"].update({opt: param.name for opt in param.opts})
            spec["defaults"][param.name] = False
            continue
        if isinstance(param.type, click.types.IntRange):
            spec["ranges"][param.name] = (param.type.min, param.type.max)
        elif isinstance(param.type, click.types.IntParamType):
            spec["ranges"][param.name] = (None, None)
        elif not isinstance(param.type, click.types.StringParamType):
            return None
        spec["options"].update({opt: param.name for opt in param.opts})
        if param.multiple:
            spec["multiple"].append(param.name)
            # Typer gives a repeatable option not given as None, or its default as a list
            spec["defaults"][param.name] = None if param.default is None else list(param.default)
        elif param.required:
            spec["required"].append(param.name)
        else:
            spec["defaults"][param.name] = param.default
    return spec


def write_spec() -> str:
    """The text of rel/quick_spec.py: the spec of every command `parse` can take."""
    import pprint

    from typer.main import get_command

    from rel.cli import app

    group = get_command(app)
    found = {}
    for name in sorted(group.commands):
        spec = spec_of(group.commands[name])
        if spec is not None:
            found[name] = spec
    return (
        '"""GENERATED by `uv run python -m rel.quick` from the Typer app: the everyday commands\n'
        "rel.quick runs without the command layer, with their arguments, options, flags and the\n"
        'values Typer gives their bodies when an option is not given. Do not edit."""\n\n'
        "from typing import Any\n\n"
        "COMMANDS: dict[str, dict[str, Any]] = "
        f"{pprint.pformat(found, width=99, sort_dicts=True)}\n"
    )


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).with_name("quick_spec.py")
    target.write_text(write_spec(), encoding="utf-8")
    print(f"wrote {target}")
