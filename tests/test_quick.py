"""`rel due` without the command layer (rel.quick): the command lines it takes, it takes exactly
as the command layer would, it says the same, and everything else is left to the command
layer."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

from rel import quick

PLAIN = [
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
    ["log", "ann", "lunch"],
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
    ["due", "ann"],
    ["due", "--", "--days"],
    ["due", "--jsn"],
    ["due", "--json=yes"],
    ["--show-completion", "bash"],
    ["--today"],
    ["--days", "3", "due"],
]


def _click_parse(args: list[str]) -> tuple[dict, dict]:
    """What the command layer makes of `args`: the group's and the command's parameters."""
    from typer.main import get_command

    from rel.cli import app

    group = get_command(app)
    with group.make_context("rel", list(args)) as ctx:
        name, command, rest = group.resolve_command(ctx, ctx._protected_args + ctx.args)
        assert name == "due"
        with command.make_context(name, rest, parent=ctx) as sub:
            return dict(ctx.params), dict(sub.params)


@pytest.mark.parametrize("args", PLAIN, ids=" ".join)
def test_a_plain_command_line_means_what_it_means_to_the_command_layer(args) -> None:
    parsed = quick.parse(args)
    assert parsed is not None
    found, options, words = parsed
    group, due = _click_parse(args)
    assert (found["db"], found["today_text"], found["debug"]) == (
        group["db"],
        group["today"],
        group["debug"],
    )
    defaults = {
        name: parameter.default
        for name, parameter in inspect.signature(quick.show_agenda).parameters.items()
    }
    mine = {**defaults, **options}
    assert mine["days"] == due["days"]
    assert list(mine["tags"] or []) == list(due["tag"] or [])
    assert (mine["limit"], mine["format"], mine["as_json"]) == (
        due["limit"],
        due["format"],
        due["as_json"],
    )
    assert words[0] == "due" and "--db" not in words and "--debug" not in words


@pytest.mark.parametrize("args", NOT_PLAIN, ids=" ".join)
def test_anything_else_is_left_to_the_command_layer(args) -> None:
    assert quick.parse(args) is None


def test_the_options_are_the_due_commands_own() -> None:
    """A new option of `rel due`, or a changed default or range, fails here first."""
    import click
    from typer.main import get_command

    from rel.cli import app

    group = get_command(app)
    due = group.get_command(click.Context(group), "due")
    options = [p for p in due.params if isinstance(p, click.Option) and p.name != "help"]
    names = {opt for p in options for opt in p.opts}
    assert names == set(quick.DUE_OPTIONS) | set(quick.DUE_FLAGS)
    signature = inspect.signature(quick.show_agenda).parameters
    for option in options:
        parameter = option.name if option.name != "tag" else "tags"
        if option.name == "tag":
            assert option.multiple and signature["tags"].default is None
        else:
            assert option.default == signature[parameter].default, option.name
        for opt in option.opts:
            assert (quick.DUE_OPTIONS.get(opt) or (quick.DUE_FLAGS[opt],))[0] == parameter
    days = next(option for option in options if option.name == "days")
    assert (days.type.min, days.type.max) == (0, quick.MAX_DAYS)
    assert next(o for o in options if o.name == "limit").type.min == 0


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
    from rel.__main__ import main

    rel("add", "Ann Lee", "--every", "2w", "--birthday", "03-09", "--tag", "customer", ok=True)
    rel("add", "Bob Stone", "--every", "1w", ok=True)
    rel("--today", "2026-02-01", "log", "bob", "call", ok=True)
    by_typer = rel(*args)
    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["rel", *args])
    code = 0
    try:
        main()
    except SystemExit as end:
        code = end.code or 0
    out, err = capsys.readouterr()
    assert (out, err, code) == (by_typer.stdout, by_typer.stderr, by_typer.exit_code)


def test_rel_due_imports_neither_typer_nor_click(rel) -> None:
    rel("add", "Ann Lee", "--every", "2w", ok=True)
    script = (
        "import sys; sys.argv = ['rel', 'due', '--days', '3']\n"
        "from rel.__main__ import main; main()\n"
        "print(sorted(m for m in ('typer', 'click', 'sqlalchemy') if m in sys.modules),"
        " file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "[]", lines  # on either engine
