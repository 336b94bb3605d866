"""What a person sees: Rich on a terminal, plain text on a pipe, no colour with NO_COLOR."""

from __future__ import annotations

import re

import pytest

COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])[;m]")  # a foreground colour


@pytest.fixture
def network(rel) -> None:
    rel("--today", "2026-01-01", "add", "Alice Chen", "--every", "2w", "--tag", "customer")
    rel("add", "Bob [admin]", "--birthday", "1990-03-03", ok=True)


def test_a_terminal_gets_tables(rel, network, monkeypatch) -> None:
    monkeypatch.setenv("REL_FORCE_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", "120")
    text = rel("due", ok=True).stdout
    assert "Overdue (1)" in text
    assert "┏━" in text and "Key" in text and "Suggestion" in text
    assert "Bob [admin]" in text  # markup in names is shown, not interpreted
    assert not COLOUR.search(text)  # NO_COLOR: tables, but no colour
    listing = rel("list", ok=True).stdout
    assert "─" in listing  # a drawn table


def test_colour_only_when_colour_is_allowed(rel, network, monkeypatch) -> None:
    monkeypatch.setenv("REL_FORCE_TERMINAL", "1")
    monkeypatch.delenv("NO_COLOR")
    assert COLOUR.search(rel("due", ok=True).stdout)


def test_a_pipe_gets_plain_stable_text(rel, network) -> None:
    first = rel("due", ok=True).stdout
    assert first == rel("due", ok=True).stdout
    assert "─" not in first and "\x1b[" not in first
    assert "c1  Alice Chen — catch up every 2 weeks" in first


def test_messages_go_to_stderr_and_data_to_stdout(rel) -> None:
    result = rel("add", "Alice", ok=True)
    assert result.stdout == "1\n"
    assert result.stderr.startswith("Added Alice (#1)")
    logged = rel("log", "alice", "call", ok=True)
    assert logged.stdout == "i1\n"  # the key of the interaction, to edit or remove it
    assert logged.stderr.startswith("Logged call with Alice")


def test_help_of_every_command_has_an_example(rel) -> None:
    from typer.main import get_command

    from rel.cli import app

    for name in get_command(app).commands:  # type: ignore[attr-defined]
        if name in ("--install-completion", "--show-completion"):
            continue
        text = rel(name, "--help", ok=True).stdout
        assert "Example: rel " in text, name


def test_version(rel) -> None:
    from rel import __version__

    assert rel("--version", ok=True).stdout.strip() == f"rel {__version__}"


def test_an_unexpected_failure_is_one_line_and_debug_shows_the_traceback(rel, monkeypatch) -> None:
    import rel.services.agenda as engine

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(engine, "agenda", broken)
    result = rel("due")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: unexpected ZeroDivisionError: division by zero "
        "(run again with --debug for the details)"
    )
    with pytest.raises(ZeroDivisionError):
        rel("--debug", "due")
