"""The everyday commands without the command layer (rel.quick): the command lines it takes, it
takes exactly as the command layer would, it says the same, and everything else is left to the
command layer."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rel import quick

DUE_PLAIN = [
    [],
    ["due"],
    ["--days", "3"],
    ["due", "--days=14", "--tag", "customer", "-t", "friend"],
    ["due", "-d3", "-n", "2", "--json"],
    ["--today", "2026-03-01", "due", "--limit", "0"],
    ["due", "--today=2026-03-01", "--db", "x.db", "--debug", "-f", "markdown"],
    ["-d", "0", "--format=table", "--days", "9"],  # the last --days wins, as in Click
    ["due", "--tag=", "--json", "--json"],
    ["due", "--days", "3660"],
]
NOT_PLAIN = [
    ["--help"],
    ["due", "-h"],
    ["--version"],
    ["due", "--days"],  # a value missing
    ["due", "--days", "3661"],  # out of range
    ["due", "--days", "-1"],
    ["due", "--days", "+3"],
    ["due", "--days", "٣"],  # a digit, but not one Click reads
    ["due", "--limit", "two"],
    ["due", "--tag", "--json"],
    ["due", "ann"],  # an argument `rel due` does not take
    ["due", "--", "--days"],
    ["due", "--jsn"],
    ["due", "--json=yes"],
    ["--show-completion", "bash"],
    ["--today"],
    ["--days", "3", "due"],
    ["duee"],  # no such command
    ["notify", "list"],  # not an everyday command
]


def _run_main(args: list[str], capsys, monkeypatch) -> tuple[str, str, int]:
    """`rel ARGS` through rel's entry point, in this process: stdout, stderr, exit code."""
    from rel.__main__ import main

    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["rel", *args])
    code = 0
    try:
        main()
    except SystemExit as end:
        code = end.code or 0
    out, err = capsys.readouterr()
    return out, err, code


def _group():
    from typer.main import get_command

    from rel.cli import app

    return get_command(app)


def _as_typer_gives(command, params: dict) -> dict:
    """Click's values as Typer hands them to the callback: a repeatable option not given is
    None (its default), given, a list."""
    import click

    found = {}
    for param in command.params:
        if param.name == "help":
            continue
        value = params[param.name]
        if isinstance(param, click.Option) and param.multiple:
            value = list(value) if value else (None if param.default is None else [])
        found[param.name] = value
    return found


def _click_parse(args: list[str]) -> tuple[dict, str, dict]:
    """What the command layer makes of `args`: the group's parameters, the command, and the
    values its callback gets."""
    group = _group()
    with group.make_context("rel", list(args)) as ctx:
        name, command, rest = group.resolve_command(ctx, ctx._protected_args + ctx.args)
        with command.make_context(name, rest, parent=ctx) as sub:
            return dict(ctx.params), name, _as_typer_gives(command, sub.params)


def _same_as_click(args: list[str]) -> None:
    parsed = quick.parse(args)
    found, command, parameters, words = parsed
    group, name, by_click = _click_parse(args)
    assert command == name
    assert (found["db"], found["today_text"], found["debug"]) == (
        group["db"],
        group["today"],
        group["debug"],
    )
    assert parameters == by_click, args
    assert words[0] == command and "--db" not in words and "--debug" not in words


def _samples(name: str, spec: dict) -> list[list[str]]:
    """Command lines of every shape the spec allows: the least, everything in long form,
    everything in short or `=` form, options before the arguments."""
    numbers = spec["ranges"]

    def value(parameter: str, n: int) -> str:
        return str(min(n, numbers[parameter][1] or n)) if parameter in numbers else f"v{n} x"

    required = [f"{parameter} one" for parameter, needed in spec["arguments"] if needed]
    every = [f"{parameter} one" for parameter, _ in spec["arguments"]]
    by_parameter: dict[str, list[str]] = {}
    for option, parameter in spec["options"].items():
        by_parameter.setdefault(parameter, []).append(option)
    least = [name, *required]
    for parameter in spec["required"]:
        least += [by_parameter[parameter][0], value(parameter, 1)]
    long_form, short_form = [name, *every], [name]
    for parameter, options in sorted(by_parameter.items()):
        long_opt = next(o for o in options if o.startswith("--"))
        short_opt = next((o for o in options if not o.startswith("--")), None)
        times = 2 if parameter in spec["multiple"] else 1
        for n in range(times):
            long_form += [long_opt, value(parameter, n + 1)]
            short_form += (
                [f"{short_opt}{value(parameter, n + 2)}"]
                if short_opt
                else [f"{long_opt}={value(parameter, n + 2)}"]
            )
    for flag in spec["flags"]:
        long_form.append(flag)
    return [least, long_form, [*short_form, *every]]


def test_the_spec_is_the_typer_apps() -> None:
    """rel/quick_spec.py is what `python -m rel.quick` writes now: a new option, argument or
    default of a command shows here first."""
    from rel.quick_spec import COMMANDS

    group = _group()
    current = {}
    for name in sorted(group.commands):
        spec = quick.spec_of(group.commands[name])
        if spec is not None:
            current[name] = spec
    assert current == COMMANDS, "run: uv run python -m rel.quick"
    assert "due" in COMMANDS


@pytest.mark.parametrize("args", DUE_PLAIN, ids=" ".join)
def test_a_plain_rel_due_means_what_it_means_to_the_command_layer(args) -> None:
    _same_as_click(args)


def test_every_plain_command_means_what_it_means_to_the_command_layer() -> None:
    from rel.quick_spec import COMMANDS

    for name, spec in COMMANDS.items():
        for args in _samples(name, spec):
            _same_as_click(args)


@pytest.mark.parametrize("args", NOT_PLAIN, ids=" ".join)
def test_anything_else_is_left_to_the_command_layer(args) -> None:
    assert quick.plain(args) is None


def test_a_missing_or_extra_argument_is_left_to_the_command_layer() -> None:
    from rel.quick_spec import COMMANDS

    for name, spec in COMMANDS.items():
        needed = [parameter for parameter, required in spec["arguments"] if required]
        if needed:
            assert quick.plain([name, *(["x"] * (len(needed) - 1))]) is None, name
        assert quick.plain([name, *(["x"] * (len(spec["arguments"]) + 1))]) is None, name


@pytest.mark.parametrize(
    "args",
    [
        ["--days", "30"],
        ["due", "--json"],
        ["due", "-f", "markdown", "-n", "1"],
        ["due", "--tag", "nobody-has-it"],  # exit 1, one line
        ["due", "--format", "html"],  # exit 1, one line
        ["--today", "someday"],  # exit 1, one line
    ],
    ids=" ".join,
)
def test_both_ways_say_the_same(rel, args, capsys, monkeypatch) -> None:
    rel("add", "Ann Lee", "--every", "2w", "--birthday", "03-09", "--tag", "customer", ok=True)
    rel("add", "Bob Stone", "--every", "1w", ok=True)
    rel("--today", "2026-02-01", "log", "bob", "call", ok=True)
    by_typer = rel(*args)
    by_quick = _run_main(args, capsys, monkeypatch)
    assert by_quick == (by_typer.stdout, by_typer.stderr, by_typer.exit_code)


def test_the_bodies_import_neither_typer_nor_click() -> None:
    from rel.quick_spec import COMMANDS

    modules = sorted({spec["target"].split(":")[0] for spec in COMMANDS.values()})
    script = (
        f"import sys; import {', '.join(modules)}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_rel_due_imports_neither_typer_nor_click(rel) -> None:
    rel("add", "Ann Lee", "--every", "2w", ok=True)
    script = (
        "import sys; sys.argv = ['rel', 'due', '--days', '3']\n"
        "from rel.__main__ import main; main()\n"
        "print(sorted(m for m in ('typer', 'click', 'sqlalchemy') if m in sys.modules),"
        " file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "[]", lines  # on either engine


WRITES_BOTH_WAYS = [
    ["done", "t1", "sent it"],
    ["done", "c1", "--kind", "call"],
    ["snooze", "c2", "friday"],
    ["skip", "c2"],
    ["log", "ann", "lunch", "Q3 launch", "--follow-up", "2w: send the deck"],
    ["log", "ann and bob had coffee"],
    ["add", "Cleo Park", "--tag", "friend", "-e", "cleo@park.example", "--every", "1m"],
    ["edit", "bob", "--company", "Globex", "--tag", "vendor"],
    ["edit", "t1", "--text", "send the slides"],
    ["tag", "customer", "--every", "3w"],
    ["archive", "bob"],
    ["remind", "ann", "call about the trip", "--on", "friday"],
    ["event", "bob", "promotion", "VP", "--on", "yesterday"],
    ["gift", "ann", "idea", "a good pen"],
    ["why", "ann"],
    ["show", "ann"],
    ["list", "--json"],
    ["list", "--tag", "customer"],
    ["done", "t9"],  # exit 1: no such key
    ["log", "nobody", "call"],  # exit 1: no one of that name
]


@pytest.mark.parametrize("args", WRITES_BOTH_WAYS, ids=" ".join)
def test_each_everyday_command_says_and_writes_the_same_both_ways(
    rel, args, capsys, monkeypatch, tmp_path
) -> None:
    """The same command on two copies of one network: through the command layer on one,
    through rel.quick on the other; the same output, exit code and data after."""
    assert quick.plain(args) is not None, "a plain command line"
    stores = [str(tmp_path / "typer.db"), str(tmp_path / "quick.db")]
    for store in stores:
        on = ("--db", store)
        rel(*on, "add", "Ann Lee", "--every", "2w", "--tag", "customer", ok=True)
        rel(*on, "add", "Bob Stone", "--every", "1w", ok=True)
        rel(*on, "--today", "2026-02-01", "log", "bob", "call", ok=True)
        rel(*on, "remind", "ann", "send the report", "--on", "today", ok=True)
    by_typer = rel("--db", stores[0], *args)
    by_quick = _run_main(["--db", stores[1], *args], capsys, monkeypatch)
    assert by_quick == (by_typer.stdout, by_typer.stderr, by_typer.exit_code)
    exported = [
        rel("--db", store, "export", "json", ok=True).stdout for store in stores
    ]  # the same network after, but for the UIDs and the times each made
    import json
    import re

    def plain_of(text: str) -> object:
        return json.loads(re.sub(r'"(uid|created_at|updated_at)": "[^"]*"', '"\\1": ""', text))

    assert plain_of(exported[0]) == plain_of(exported[1])
    journal = [rel("--db", store, "undo", "--list", "--json").stdout for store in stores]
    assert [e["command"] for e in json.loads(journal[0])] == [
        e["command"].replace(stores[1], stores[0]) for e in json.loads(journal[1])
    ]
