"""`rel man`: the manual page, written from the commands themselves."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import click
import pytest
from typer.testing import CliRunner

from rel.cli.manpage import escape, manual

REQUESTS = {"TH", "nh", "SH", "SS", "PP", "TP", "nf", "fi"}


@pytest.fixture(scope="module")
def page() -> str:
    from rel.cli import app

    result = CliRunner().invoke(app, ["man"], prog_name="rel")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _every_command():
    """Every command of the app as the words that reach it, with its click command."""
    from typer.main import get_command

    from rel.cli import app

    def walk(words: tuple[str, ...], command: click.Command):
        for name, sub in getattr(command, "commands", {}).items():
            yield (*words, name), sub
            yield from walk((*words, name), sub)

    return list(walk((), get_command(app)))


def test_the_page_has_every_command_with_its_arguments_and_options(page: str) -> None:
    assert page.startswith('.TH REL 1 "')
    commands = _every_command()
    assert len(commands) > 40
    for words, command in commands:
        heading = f'.SS "{escape(" ".join(("rel", *words)))} '
        assert heading in page, words
        section = page.split(heading, 1)[1].split("\n.SS ", 1)[0]
        for param in command.params:
            for name in getattr(param, "opts", []) if isinstance(param, click.Option) else []:
                assert escape(name) in section, (words, name)
            if isinstance(param, click.Argument) and param.help:
                assert escape(" ".join(param.help.split())[:30]) in section, (words, param.name)
    # the formats of rel import that are commands of their own
    for kind in ("mbox", "maildir", "ics"):
        assert f'.SS "rel import {kind} [OPTIONS] ' in page
    assert escape("--me ADDR") in page.split('.SS "rel import mbox')[1]
    # the global options, the shell completion among them
    assert escape("--install-completion [SHELL]") in page.split(".SH COMMANDS")[0]


def test_roff_escapes_hyphens_backslashes_and_lines_that_would_be_requests() -> None:
    assert escape("--dry-run") == "\\-\\-dry\\-run"
    assert escape(".hidden\n'quoted\nplain. 'mid'") == "\\&.hidden\n\\&'quoted\nplain. 'mid'"
    assert escape("a\\b") == "a\\eb"
    assert escape("José — ok") == "Jos\\[u00E9] \\[u2014] ok"


def test_every_line_is_text_or_a_request_rel_means(page: str) -> None:
    body = page.split("\n", 1)[1]  # after .TH, whose date is 2026-12-02
    assert re.search(r"(?<!\\)-", body) is None  # every hyphen escaped
    for line in page.splitlines():
        if line.startswith((".", "'")):
            assert line[1:].split(" ", 1)[0] in REQUESTS, line
    assert page.isascii()


def test_a_new_command_is_in_the_page_with_its_help_kept_safe() -> None:
    @click.group(help="A tool.")
    def tool() -> None: ...

    @tool.command(help=".starts with a dot\n\n'and a quote")
    @click.option("--dry-run", help="Write nothing.")
    @click.argument("who")
    def fresh(dry_run: bool, who: str) -> None: ...

    text = manual(tool, "9.9", date(2026, 12, 2))
    assert '.TH REL 1 "2026-12-02" "rel 9.9"' in text
    assert '.SS "rel fresh [OPTIONS] WHO"' in text
    assert "\\&.starts with a dot" in text and "\\&'and a quote" in text
    assert ".TP\n\\fB\\-\\-dry\\-run TEXT\\fR\nWrite nothing." in text


@pytest.mark.skipif(shutil.which("man") is None, reason="man is not installed")
def test_the_page_renders_with_man(page: str, tmp_path) -> None:
    source = tmp_path / "rel.1"
    source.write_text(page)
    shown = subprocess.run(
        ["man", "-l", str(source)],
        capture_output=True,
        text=True,
        env={"MANWIDTH": "100", "MANPAGER": "cat", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    text = re.sub(r".\x08", "", shown.stdout)  # no bold or underline by backspace
    assert "rel - keep in touch with the people who matter" in text
    assert "rel import mbox [OPTIONS] FILE" in text
    assert "--install-completion [SHELL]" in text
    assert "rel log alice lunch" in text


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff is not installed")
def test_groff_reads_the_page_without_a_warning(page: str, tmp_path) -> None:
    source = tmp_path / "rel.1"
    source.write_text(page)
    checked = subprocess.run(
        ["groff", "-man", "-ww", "-z", str(source)], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr
