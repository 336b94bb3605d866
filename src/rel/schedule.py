"""Sending the digest every morning: a systemd user timer, or else a crontab line.

Where a systemd user manager runs, rel writes `rel-digest.service` and `rel-digest.timer` in
`$XDG_CONFIG_HOME/systemd/user` (OnCalendar at the chosen minute, Persistent=true so a laptop
asleep at 08:00 sends when it wakes) and enables the timer. Elsewhere it gives the crontab
line, and adds it (with `crontab -`) only when the person agrees. rel marks what it installs
(the unit files' names, a comment on the crontab line) and removes exactly that.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from rel.errors import BadValue, RelError, shown

UNIT = "rel-digest"
CRON_MARK = "# rel-digest: the morning digest (rel schedule install)"
DEFAULT_AT = "08:00"


def parse_at(text: str) -> time:
    """HH:MM on a 24-hour clock: `08:00`, `7:30`, `18:05`."""
    found = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text)
    if found and int(found[1]) < 24 and int(found[2]) < 60:
        return time(int(found[1]), int(found[2]))
    raise BadValue(f"expected --at as HH:MM on a 24-hour clock, such as 08:00; got {shown(text)}")


def rel_command(store: Path | str | None) -> list[str]:
    """The argv that runs this very rel, absolute, with the store when one was named."""
    launched = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if launched is not None and launched.name == "rel" and launched.is_file():
        argv = [str(launched.absolute())]  # a symlink in ~/.local/bin survives upgrades
    else:  # python -m rel, or rel run inside another program (a test)
        argv = [str(Path(sys.executable).absolute()), "-m", "rel"]
    if store is not None:
        argv += ["--db", str(store)]
    return [*argv, "digest", "--send"]


def unit_folder() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def _systemd_word(word: str) -> str:
    """One ExecStart argument, quoted as systemd reads it (% and $ are its own specifiers)."""
    word = word.replace("%", "%%").replace("$", "$$")
    if re.search(r"[\s\"'\\;]", word) or not word:
        word = '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return word


def systemd_units(at: time, argv: list[str]) -> dict[str, str]:
    """The service and timer files, by file name."""
    service = f"""\
# Written by rel schedule install; rel schedule remove deletes it.
[Unit]
Description=rel: send the morning digest
# a network that is not up yet on wake: try again a few times, then wait for tomorrow
StartLimitIntervalSec=3h
StartLimitBurst=4

[Service]
Type=oneshot
ExecStart={" ".join(_systemd_word(word) for word in argv)}
Restart=on-failure
RestartSec=10min
"""
    timer = f"""\
# Written by rel schedule install; rel schedule remove deletes it.
[Unit]
Description=rel: the morning digest at {at:%H:%M}

[Timer]
OnCalendar=*-*-* {at:%H:%M}:00
Persistent=true

[Install]
WantedBy=timers.target
"""
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def cron_line(at: time, argv: list[str]) -> str:
    command = shlex.join(argv).replace("%", "\\%")  # cron reads % as a newline
    return f"{at.minute} {at.hour} * * * {command} {CRON_MARK}"


def systemd_runs() -> bool:
    """Is there a systemd user manager to talk to (not only a systemctl program)?"""
    if shutil.which("systemctl") is None:
        return False
    try:
        found = subprocess.run(
            ["systemctl", "--user", "show-environment"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return found.returncode == 0


def systemctl(*args: str) -> None:
    """`systemctl --user ARGS`, its failure one line."""
    try:
        done = subprocess.run(
            ["systemctl", "--user", *args], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise RelError(f"systemctl --user {' '.join(args)} failed: {error}") from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.split()) or f"exit {done.returncode}"
        raise RelError(f"systemctl --user {' '.join(args)} failed: {reason[:200]}")


def installed_units() -> list[Path]:
    folder = unit_folder()
    names = (f"{UNIT}.service", f"{UNIT}.timer")
    return [folder / name for name in names if (folder / name).exists()]


def write_units(units: dict[str, str]) -> list[Path]:
    folder = unit_folder()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in units.items():
        path = folder / name
        temporary = path.with_name(f".{name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
        written.append(path)
    return written


def timer_time(path: Path) -> time | None:
    """The HH:MM of an installed timer's OnCalendar line."""
    found = re.search(r"^OnCalendar=\*-\*-\* (\d\d):(\d\d):00$", path.read_text(), re.MULTILINE)
    return time(int(found[1]), int(found[2])) if found else None


# --- crontab --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Crontab:
    lines: list[str]

    @property
    def ours(self) -> list[str]:
        return [line for line in self.lines if line.rstrip().endswith(CRON_MARK)]

    def without_ours(self) -> list[str]:
        return [line for line in self.lines if not line.rstrip().endswith(CRON_MARK)]


def has_crontab() -> bool:
    return shutil.which("crontab") is not None


def read_crontab() -> Crontab:
    """The user's crontab (`crontab -l`); none yet is an empty one."""
    try:
        done = subprocess.run(["crontab", "-l"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        raise RelError(f"cannot read your crontab: {error}") from None
    if done.returncode != 0:
        if "no crontab" in done.stderr.lower():
            return Crontab([])
        reason = " ".join(done.stderr.split()) or f"exit {done.returncode}"
        raise RelError(f"cannot read your crontab (crontab -l: {reason[:200]}); left unchanged")
    return Crontab(done.stdout.splitlines())


def write_crontab(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n" if lines else ""
    try:
        done = subprocess.run(
            ["crontab", "-"], input=text, capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise RelError(f"cannot write your crontab: {error}") from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.split()) or f"exit {done.returncode}"
        raise RelError(f"cannot write your crontab (crontab -: {reason[:200]})")


def cron_time(line: str) -> time | None:
    found = re.match(r"^(\d{1,2}) (\d{1,2}) \* \* \* ", line)
    return time(int(found[2]), int(found[1])) if found else None


def next_run(at: time, now: datetime) -> datetime:
    """The next time a daily job at `at` runs after `now` (local, naive)."""
    today = datetime.combine(now.date(), at)
    return today if today > now else today + timedelta(days=1)
