"""The surface of the command line: bare `rel` and its options, and every command's --help."""

from __future__ import annotations

import click
import pytest


def _commands():
    """Every command as (words to reach it, click command), nested groups included."""
    from typer.main import get_command

    from rel.cli import app

    def walk(words: list[str], command: click.Command):
        yield words, command
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk([*words, name], sub)

    return [pytest.param(w, c, id=" ".join(w) or "rel") for w, c in walk([], get_command(app))]


@pytest.mark.parametrize(("words", "command"), _commands())
def test_help_shows_every_arguments_help_and_no_stray_backslash(rel, words, command) -> None:
    text = rel(*words, "--help", ok=True).stdout
    assert "\\[" not in text and "\\]" not in text
    for param in command.params:
        if isinstance(param, click.Argument):
            metavar = param.make_metavar(click.Context(command))
            line = next(line for line in text.splitlines() if line.strip().startswith(metavar))
            assert len(line.strip()) > len(metavar), f"{words} {metavar} has no help"
    if any(isinstance(p, click.Argument) for p in command.params):
        assert "Arguments:" in text


def test_an_argument_help_is_the_one_written_on_it(rel) -> None:
    text = rel("show", "--help", ok=True).stdout
    assert "WHO  Who: an id, a name or part of it, an alias, an email." in text
    assert "[default: 7; 0<=x<=3660]" in rel("due", "--help", ok=True).stdout


@pytest.fixture
def agenda(rel) -> None:
    rel("--today", "2026-02-01", "add", "Alice Chen", "--every", "2w", "--tag", "customer")
    rel("add", "Bob Stone", "--birthday", "03-03", "--tag", "friend", ok=True)
    rel("add", "Carol Diaz", "--birthday", "03-10", ok=True)


@pytest.mark.parametrize(
    "options",
    [
        ["--days", "3"],
        ["--limit", "1"],
        ["--tag", "customer"],
        ["-d", "14", "-n", "2"],
        ["--days=3"],
        ["--format", "markdown"],
    ],
)
def test_rel_with_agenda_options_is_rel_due(rel, agenda, options) -> None:
    bare = rel(*options)
    assert bare.exit_code == 0, bare.output
    assert bare.stdout == rel("due", *options, ok=True).stdout


def test_rel_json_is_the_agenda_as_json(rel_json, agenda) -> None:
    assert rel_json() == rel_json("due")
    assert rel_json("--days", "14")["days"] == 14


def test_global_options_go_before_or_after_the_agenda_options(rel, agenda) -> None:
    expected = rel("--today", "2026-03-08", "due", "--days", "3", ok=True).stdout
    assert rel("--today", "2026-03-08", "--days", "3", ok=True).stdout == expected
    assert rel("--days", "3", "--today", "2026-03-08", ok=True).stdout == expected
    # --today reached the agenda: Carol's birthday (10 March) is 2 days ahead of the 8th
    assert "Carol Diaz — birthday on Tue Mar 10" in expected


def test_bare_rel_is_the_agenda(rel, agenda) -> None:
    assert rel(ok=True).stdout == rel("due", ok=True).stdout


def test_an_unknown_command_is_a_usage_error_with_a_suggestion(rel, agenda) -> None:
    result = rel("duee")
    assert result.exit_code == 2
    assert "No such command 'duee'" in result.stderr and "'due'" in result.stderr


def test_rel_help_and_version_stay_rels_own(rel) -> None:
    from rel import __version__

    text = rel("--help", ok=True).stdout
    assert "Commands:" in text and "Usage: rel [OPTIONS] [COMMAND]" in text
    assert rel("-h", ok=True).stdout == text
    assert rel("--version", ok=True).stdout.strip() == f"rel {__version__}"
    assert "rel due [OPTIONS]" in rel("--days", "3", "--help", ok=True).stdout


def test_an_option_of_no_command_is_a_usage_error(rel) -> None:
    result = rel("--bogus")
    assert result.exit_code == 2
    assert "No such option" in result.stderr


@pytest.mark.parametrize("option", ["--db", "--today"])
def test_a_global_option_without_its_value_is_a_usage_error(rel, option) -> None:
    result = rel(option)
    assert result.exit_code == 2
    assert f"Option '{option}' requires an argument" in result.stderr


def test_the_process_builds_only_the_command_it_runs_and_everything_for_help() -> None:
    from typer.main import get_command

    import rel.cli  # noqa: F401  (each module adds its commands)
    from rel.cli.app import app, app_for

    def built(*args: str) -> list[str]:
        return sorted(get_command(app_for(list(args))).commands)

    assert built("due", "--days", "3") == ["due"]
    assert built() == built("--days", "3") == built("--debug", "--today", "2026-03-01") == ["due"]
    assert built("--db", "x.db", "log", "ann", "call") == built("--db=x.db", "log") == ["log"]
    everything = sorted(get_command(app).commands)
    assert len(everything) > 20
    for args in (["--help"], ["-h"], ["--version"], ["duee"], ["notify", "list"]):
        assert built(*args) == everything, args
