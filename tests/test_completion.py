"""Shell completion, asked the way each shell asks (`_REL_COMPLETE=complete_bash` with
COMP_WORDS and COMP_CWORD; zsh and fish with the line in _TYPER_COMPLETE_ARGS), and the
scripts `rel --show-completion SHELL` prints."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import split_arg_string
from typer.testing import CliRunner

from tests.conftest import run_installed


def _asking(shell: str, line: str) -> dict[str, str]:
    """The environment a shell gives rel to complete `line` (the cursor at its end)."""
    if shell == "bash":
        words = split_arg_string(line)
        current = len(words) if line.endswith(" ") else len(words) - 1
        return {"_REL_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(current)}
    asked = {"_REL_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line}
    if shell == "fish":
        asked["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return asked


def complete(line: str, shell: str = "bash") -> list[str]:
    """What rel answers the shell for `line`, one line each (through CliRunner)."""
    from rel.cli import app

    result = CliRunner().invoke(app, [], env=_asking(shell, line), prog_name="rel")
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    assert result.stderr == ""
    return result.stdout.splitlines() if result.stdout.strip() else []


@pytest.fixture
def people(rel) -> None:
    rel("add", "Alice Chen", "--tag", "customer", "--every", "2w", "--alias", "Ally", ok=True)
    rel("add", "José Álvarez", "--birthday", "03-03", "--tag", "friend", ok=True)
    rel("add", "Sam O'Neil", "--tag", "customer", ok=True)
    rel("add", "Bob", ok=True)
    rel("remind", "sam", "send the deck", "--on", "in 20 days", ok=True)
    rel("log", "bob", "call", "--follow-up", "tomorrow: send the notes", ok=True)


def test_who_offers_names_and_aliases_as_typed_ignoring_case_and_accents(rel, people) -> None:
    # bash inserts a value as it is given: a space is escaped, as bash escapes a file name
    assert complete("rel show al") == ["Alice\\ Chen", "Ally", "José\\ Álvarez"]
    assert complete("rel show JOSE") == ["José\\ Álvarez"]
    assert complete("rel show chen") == ["Alice\\ Chen"]  # a word of the name
    assert complete("rel show ice") == ["Alice\\ Chen"]  # inside a word
    assert complete("rel show o\\'n") == ["Sam\\ O\\'Neil"]  # typed as bash wants it
    assert complete("rel show zz") == []
    # every command taking WHO, and --with
    for line in ("rel log al", "rel why al", "rel merge bob al", "rel log bob call --with al"):
        assert "Alice\\ Chen" in complete(line), line
    assert complete("rel show ") == ["Alice\\ Chen", "Ally", "Bob", "José\\ Álvarez",
                                     "Sam\\ O\\'Neil"]  # fmt: skip
    # a word begun with a quote is closed by the shell: the name comes as it is
    assert complete('rel show "Alice C') == ["Alice Chen"]


def test_a_name_two_contacts_share_is_offered_as_their_ids(rel, people) -> None:
    rel("add", "Alice Chen", "--company", "Other", ok=True)
    assert complete("rel show alice", shell="fish") == [
        "1\tAlice Chen (#1)",
        "5\tAlice Chen (#5)",
    ]


def test_fish_shows_what_each_value_is(rel, people) -> None:
    rel("archive", "bob", ok=True)
    assert complete("rel show b", shell="fish") == ["Bob\t#4, archived"]


def _as_zsh_takes_it(answer: list[str]) -> tuple[list[str], list[str], str | None]:
    """Run what rel answers as Typer's zsh script runs it (`eval $(...)` in a function), with
    a compadd that reports what it was given: the values, what zsh lists, compstate[insert]."""
    script = """
        compadd() { print -rl -- "${rel_values[@]}"; print -- ---; print -rl -- "${rel_shown[@]}" }
        typeset -A compstate
        _rel_completion() { eval $(cat); print -- ---; print -r -- "[${compstate[insert]-unset}]" }
        _rel_completion
    """
    ran = subprocess.run(
        ["zsh", "-f", "-c", script], input="\n".join(answer), capture_output=True, text=True
    )
    assert ran.returncode == 0 and ran.stderr == "", ran.stderr
    values, shown, insert = ran.stdout.split("---\n")
    return values.splitlines(), shown.splitlines(), insert.strip()[1:-1] or None


def test_zsh_gets_each_value_whole_and_offered_as_rel_matched_it(rel, people) -> None:
    assert complete("rel show sam", shell="zsh") == [
        "local -a rel_values; rel_values=($'Sam\\u0020O\\'Neil'); local -a rel_shown; "
        "rel_shown=($'Sam\\u0020O\\'Neil\\u0020\\u0020--\\u0020#3'); "
        "compadd -U -V unsorted -l -d rel_shown -a rel_values"
    ]
    assert complete("rel import zz", shell="zsh") == ["_files"]
    if shutil.which("zsh") is None:
        pytest.skip("zsh is not installed")
    values, shown, insert = _as_zsh_takes_it(complete("rel show al", shell="zsh"))
    assert values == ["Alice Chen", "Ally", "José Álvarez"]
    assert shown == [
        "Alice Chen    -- #1",
        "Ally          -- alias of Alice Chen (#1)",
        "José Álvarez  -- #2",
    ]
    assert insert is None  # "al" stays as typed while zsh lists them
    values, shown, insert = _as_zsh_takes_it(complete("rel done t", shell="zsh"))
    assert values == ["t2", "t1"] and insert == "unset"  # zsh inserts "t" as usual
    assert shown[1] == "t1  -- Sam O'Neil: custom, send the deck, due 2026-03-21"


def test_keys_of_done_snooze_and_skip_are_the_open_agenda_keys(rel, rel_json, people) -> None:
    agenda = rel_json("due")
    shown = [row["key"] for part in ("overdue", "today", "upcoming") for row in agenda[part]]
    assert shown == ["t2", "b2"]
    offered = complete("rel done ", shell="fish")
    assert offered == [
        "t2\tBob: follow-up, upcoming",
        "b2\tJosé Álvarez: birthday, upcoming",
        "t1\tSam O'Neil: custom, send the deck, due 2026-03-21",  # open, beyond the agenda
    ]
    assert complete("rel snooze t") == ["t2", "t1"]
    assert complete("rel skip b") == ["b2"]
    assert complete("rel done sam") == ["t1"]  # a contact's name finds their keys
    # the agenda of the day the line asks for
    assert complete("rel --today 2026-03-10 done ") == ["t2", "b2", "c1", "t1"]  # c1 now due
    rel("done", "t2", ok=True)
    assert complete("rel done ") == ["b2", "t1"]


def test_formats_tags_and_kinds(rel, people) -> None:
    assert complete("rel import ") == ["vcard", "linkedin", "csv", "json", "mbox", "maildir", "ics"]
    assert complete("rel import m") == ["mbox", "maildir"]
    assert complete("rel export ") == ["json", "csv", "vcard", "ics"]
    assert complete("rel due --format m") == ["markdown"]
    assert complete("rel due --format = m") == ["markdown"]  # --format=m, as bash splits it
    assert complete("rel due --tag ") == ["customer", "friend"]
    assert complete("rel list -t c", shell="fish") == ["customer\t2 contacts"]
    assert complete("rel edit bob --untag f") == ["friend"]
    assert complete("rel tag cu") == ["customer"]
    assert complete("rel log bob c") == ["call", "coffee"]
    assert complete("rel history --kind l") == ["lunch"]
    assert complete("rel remind bob x --kind c") == ["congratulate", "catch-up", "custom"]
    assert complete("rel event bob w") == ["wedding"]
    assert complete("rel edit t1 --kind f") == ["follow-up"]
    assert complete("rel gift bob ") == ["idea", "gave", "got"]
    assert complete("rel graph bob --by ") == ["week", "month"]


def test_commands_and_options_complete_as_click_completes_them(rel, people) -> None:
    assert "due" in complete("rel ") and "merge" in complete("rel ")
    assert complete("rel mer") == ["merge"]
    assert complete("rel show --j") == ["--json"]


def test_completion_reads_the_store_the_line_names(rel, people, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    rel("--db", str(other), "add", "Zoë Quinn", ok=True)
    assert complete(f"rel --db {other} show zo") == ["Zoë\\ Quinn"]
    assert complete(f"rel show --db {other} zo") == ["Zoë\\ Quinn"]
    assert complete("rel show zo") == []
    # bash splits --db=PATH at "=" (COMP_WORDBREAKS): COMP_WORDS holds --db, =, PATH
    asked = {"_REL_COMPLETE": "complete_bash", "COMP_WORDS": f"rel --db = {other} show zo",
             "COMP_CWORD": "5"}  # fmt: skip
    from rel.cli import app

    assert CliRunner().invoke(app, [], env=asked, prog_name="rel").stdout == "Zoë\\ Quinn\n"


@pytest.mark.sqlite_only
def test_a_missing_or_damaged_store_offers_nothing_and_is_left_as_it_was(
    rel, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "rel.db"
    assert complete(f"rel --db {missing} show a") == []
    assert complete(f"rel --db {missing} done ") == []
    assert complete(f"rel --db {missing} due --tag ") == []
    assert not missing.parent.exists()
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a store at all")
    assert complete(f"rel --db {damaged} show a") == []
    assert damaged.read_bytes() == b"not a store at all"
    assert complete("rel --db postgresql://nobody@localhost:1/none show a") == []


@pytest.mark.parametrize(
    ("shell", "sign"),
    [
        ("bash", "complete -o default -F _rel_completion rel"),
        ("zsh", "compdef _rel_completion rel"),
        ("fish", "complete --command rel"),
    ],
)
def test_show_completion_prints_the_script_of_the_shell_named(rel, shell, sign) -> None:
    result = rel("--show-completion", shell, ok=True)
    assert sign in result.stdout
    assert f"_REL_COMPLETE=complete_{shell}" in result.stdout


def test_a_shell_rel_does_not_complete_is_a_usage_error(rel) -> None:
    result = rel("--show-completion", "tcsh")
    assert result.exit_code == 2
    assert "expected bash, zsh, fish, powershell or pwsh; got 'tcsh'" in result.stderr


def test_without_a_shell_named_the_current_one_else_shell_else_one_line(rel, monkeypatch) -> None:
    import shellingham

    monkeypatch.setattr(shellingham, "detect_shell", lambda *a, **k: ("zsh", "/bin/zsh"))
    assert "compdef _rel_completion rel" in rel("--show-completion", ok=True).stdout

    def no_shell(*args, **kwargs):
        raise shellingham.ShellDetectionFailure()

    monkeypatch.setattr(shellingham, "detect_shell", no_shell)  # cron, a service, no terminal
    monkeypatch.setenv("SHELL", "/usr/bin/fish")
    assert "complete --command rel" in rel("--show-completion", ok=True).stdout
    monkeypatch.delenv("SHELL")
    result = rel("--show-completion")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: cannot tell which shell to complete for; name it: "
        "rel --show-completion bash (or zsh, fish)\n"
    )


def test_install_completion_installs_for_the_shell_named(rel, isolated_home: Path) -> None:
    result = rel("--install-completion", "zsh", ok=True)
    assert "zsh completion installed in" in result.stdout
    assert "compdef _rel_completion rel" in (isolated_home / ".zfunc" / "_rel").read_text()
    assert "compinit" in (isolated_home / ".zshrc").read_text()
    assert not (isolated_home / ".bashrc").exists()


def test_completion_in_a_process_reads_the_store_without_sqlalchemy(rel, people) -> None:
    env = _asking("bash", "rel show al")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rel"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Alice\\ Chen", "Ally", "José\\ Álvarez"]
    assert "rel.services.completion" in result.stderr  # the store was read
    for heavy in ("sqlalchemy", "sqlmodel", "rich"):
        assert heavy not in result.stderr, heavy


def test_the_installed_rel_shows_the_script_of_the_shell_named_without_a_terminal() -> None:
    result = run_installed("--show-completion", "fish", input="")
    assert result.returncode == 0, result.stderr
    assert "complete --command rel" in result.stdout and "bash" not in result.stdout


def test_bash_completes_a_name_through_the_script_rel_shows(rel, people) -> None:
    """The whole way: the script of rel --show-completion bash, its function called as bash
    calls it on Tab, the installed rel answering."""
    script = """
        source <(rel --show-completion bash)
        COMP_WORDS=(rel show jose); COMP_CWORD=2; _rel_completion rel
        printf '[%s]\\n' "${COMPREPLY[@]}"
    """
    folder = os.path.dirname(sys.executable)
    ran = subprocess.run(
        ["bash", "--norc", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"},
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "[José\\ Álvarez]\n"


def test_the_commands_load_neither_completion_nor_the_manual_page() -> None:
    probe = (
        "import sys, rel.cli, rel.__main__; "
        "print(sorted(m for m in sys.modules if m in ('rel.cli.completion', 'rel.cli.manpage',"
        " 'rel.services.completion')))"
    )
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "[]\n"


@pytest.mark.sqlite_only
def test_the_orm_and_sqlite3_offer_the_same(rel, people, store_path: Path) -> None:
    import sqlite3

    from rel.paths import file_location
    from rel.services.completion import contact_names, open_keys, tag_names
    from rel.store.engine import open_store
    from rel.store.queries import OrmReader, SqliteReader
    from tests.conftest import TODAY

    def offers(reader) -> list:
        return [
            *contact_names(reader, "al"), *contact_names(reader, ""),
            *open_keys(reader, TODAY, ""), *tag_names(reader, ""),
        ]  # fmt: skip

    store = open_store(file_location(store_path), write=False)
    try:
        with store.session() as session:
            by_orm = offers(OrmReader(session))
    finally:
        store.close()
    connection = sqlite3.connect(store_path)
    try:
        assert offers(SqliteReader(connection)) == by_orm
    finally:
        connection.close()
    assert len(by_orm) == 3 + 5 + 3 + 2
