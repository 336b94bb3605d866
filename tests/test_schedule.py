"""rel schedule: a systemd user timer, else a crontab line, installed and removed exactly.

No real crontab or systemd is touched: PATH holds only stand-ins for the `crontab` and
`systemctl` programs, which keep their state in the test's folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest

from rel import schedule

FAKE_CRONTAB = """#!/bin/sh
case "$1" in
  -l) if [ -f "{file}" ]; then exec /bin/cat "{file}"; fi
      echo "no crontab for tester" >&2; exit 1 ;;
  -) exec /bin/cat > "{file}" ;;
esac
exit 2
"""
FAKE_SYSTEMCTL = """#!/bin/sh
echo "$*" >> "{file}"
exit 0
"""


def _tool(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text)
    path.chmod(0o755)


@pytest.fixture
def tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH with a stand-in crontab and no systemctl."""
    folder = tmp_path / "bin"
    folder.mkdir()
    _tool(folder, "crontab", FAKE_CRONTAB.format(file=tmp_path / "crontab.txt"))
    monkeypatch.setenv("PATH", str(folder))
    return tmp_path


def test_the_units_run_this_rel_every_day_and_catch_up_after_sleep(tmp_path: Path) -> None:
    store = tmp_path / "my store" / "rel.db"
    units = schedule.systemd_units(time(7, 30), schedule.rel_command(store))
    service, timer = units["rel-digest.service"], units["rel-digest.timer"]
    assert "OnCalendar=*-*-* 07:30:00\n" in timer and "Persistent=true\n" in timer
    assert "WantedBy=timers.target" in timer
    [exec_start] = [line for line in service.splitlines() if line.startswith("ExecStart=")]
    assert exec_start.startswith(f"ExecStart={Path(sys.executable).absolute()} ")
    assert exec_start.endswith(f'--db "{store}" digest --send')
    assert "Type=oneshot" in service
    verifier = shutil.which("systemd-analyze")
    if verifier is None:
        pytest.skip("systemd-analyze is not installed here: the unit files are not verified")
    folder = tmp_path / "units"
    folder.mkdir()
    for name, text in units.items():
        (folder / name).write_text(text)
    checked = subprocess.run(
        [verifier, "verify", str(folder / "rel-digest.service"), str(folder / "rel-digest.timer")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    problems = [line for line in checked.stderr.splitlines() if "rel-digest" in line]
    assert checked.returncode == 0 or not problems, checked.stderr


def test_the_crontab_line_is_printed_and_added_only_when_agreed(rel, tools: Path) -> None:
    crontab = tools / "crontab.txt"
    crontab.write_text("MAILTO=me@example.com\n15 3 * * 0 /usr/bin/backup --weekly\n")
    before = crontab.read_text()
    dry = rel("schedule", "install", "--at", "07:30", "--dry-run", ok=True)
    [line] = dry.stdout.splitlines()
    assert line.startswith("30 7 * * * ") and " digest --send # rel-digest" in line
    # not a terminal and no --yes: the line is given, the crontab left alone
    asked = rel("schedule", "install", "--at", "07:30", ok=True)
    assert asked.stdout.strip() == line and "Not added" in asked.stderr
    assert crontab.read_text() == before
    rel("schedule", "install", "--at", "07:30", "--yes", ok=True)
    assert crontab.read_text() == before + line + "\n"
    status = rel("schedule", "status", ok=True).stdout
    assert f"crontab: {line}" in status and "runs daily at 07:30; next " in status
    # installing again replaces its own line, never adds a second
    rel("schedule", "install", "--at", "06:45", "--yes", ok=True)
    lines = crontab.read_text().splitlines()
    assert lines[:2] == before.splitlines() and len(lines) == 3
    assert lines[2].startswith("45 6 * * * ")
    removed = rel("schedule", "remove", ok=True)
    assert "crontab" in removed.stderr and crontab.read_text() == before
    assert "Nothing to remove" in rel("schedule", "remove", ok=True).stderr
    assert "Not scheduled" in rel("schedule", "status", ok=True).stdout


def test_an_empty_crontab_gets_just_the_line_and_loses_it_again(rel, tools: Path) -> None:
    crontab = tools / "crontab.txt"
    rel("schedule", "install", "-y", ok=True)
    [line] = crontab.read_text().splitlines()
    assert line.startswith("0 8 * * * ")
    rel("schedule", "remove", ok=True)
    assert crontab.read_text() == ""


def test_with_systemd_the_timer_is_written_enabled_and_removed(
    rel, tools: Path, isolated_home: Path
) -> None:
    calls = tools / "systemctl.log"
    _tool(tools / "bin", "systemctl", FAKE_SYSTEMCTL.format(file=calls))
    dry = rel("schedule", "install", "--at", "08:00", "--dry-run", ok=True)
    folder = isolated_home / ".config" / "systemd" / "user"
    assert f"# {folder / 'rel-digest.timer'}" in dry.stdout and not folder.exists()
    rel("schedule", "install", "--at", "08:00", ok=True)
    assert sorted(p.name for p in folder.iterdir()) == ["rel-digest.service", "rel-digest.timer"]
    assert "OnCalendar=*-*-* 08:00:00" in (folder / "rel-digest.timer").read_text()
    log = calls.read_text().splitlines()
    assert "--user daemon-reload" in log and "--user enable --now rel-digest.timer" in log
    assert not (tools / "crontab.txt").exists()  # the crontab is not touched
    assert "runs daily at 08:00" in rel("schedule", "status", ok=True).stdout
    rel("schedule", "remove", ok=True)
    assert list(folder.iterdir()) == []
    assert "--user disable --now rel-digest.timer" in calls.read_text()


def test_the_scheduled_command_names_the_store_in_use(rel, tools: Path, tmp_path: Path) -> None:
    store = tmp_path / "elsewhere.db"
    line = rel("--db", str(store), "schedule", "install", "--dry-run", ok=True).stdout
    assert f"--db {store} digest --send" in line


def test_a_time_that_is_not_hh_mm_is_refused(rel, tools: Path) -> None:
    for bad in ("8am", "25:00", "08:60", ""):
        result = rel("schedule", "install", "--at", bad)
        assert result.exit_code == 1 and "expected --at as HH:MM" in result.stderr
    assert not (tools / "crontab.txt").exists()
