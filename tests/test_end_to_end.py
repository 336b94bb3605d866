"""The installed rel, run as a user runs it: a separate process, real stdin/stdout/stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_installed


def test_a_morning_with_the_three_daily_verbs(store) -> None:
    added = run_installed("add", "Alice Chen", "--every", "2w", "--tag", "customer")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "1"
    assert run_installed("log", "alice", "lunch", "Q3 launch", "--on", "2026-02-10").returncode == 0
    due = run_installed("due", "--json")
    assert due.returncode == 0 and due.stderr == ""
    [row] = json.loads(due.stdout)["overdue"]
    assert (row["contact"], row["days_late"], row["fraction"]) == ("Alice Chen", 5, 0.36)
    plain = run_installed("due")
    assert "Overdue (1)" in plain.stdout and "Alice Chen" in plain.stdout
    assert store.exists()


def test_errors_are_one_line_without_a_traceback() -> None:
    run_installed("add", "Alice")
    for args in (["log", "nobody", "call"], ["log", "alice", "call", "--on", "31 feb"]):
        result = run_installed(*args)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    usage = run_installed("log")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_the_console_script_shows_help_and_the_demo() -> None:
    script = Path(sys.executable).with_name("rel")
    assert script.exists(), "the project's console script is installed next to its python"
    helped = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0
    for command in ("due", "add", "log", "show", "list", "edit", "demo"):
        assert command in helped.stdout
    demo = subprocess.run([script, "demo"], capture_output=True, text=True, timeout=60)
    assert demo.returncode == 0, demo.stderr
    assert "Overdue (" in demo.stdout and "turns 30" in demo.stdout


def test_rm_without_a_terminal_refuses_and_keeps_the_contact(store_path: Path) -> None:
    run_installed("add", "Alice")
    refused = run_installed("rm", "alice", input="y\n")
    assert refused.returncode == 1
    assert "--yes" in refused.stderr
    assert "Alice" in run_installed("list").stdout
