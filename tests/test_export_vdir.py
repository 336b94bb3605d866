"""rel export ics --dir DIR [--alarm DUR]: a calendar folder (vdir, one .ics per event) that khal
reads, kept current: changed events rewritten, unchanged files left alone, events no longer due
removed, and nothing that rel did not write ever removed."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from rel.services.exports import ics_file_name, written_by_rel


def build(rel) -> None:
    """Ann: a birthday and a catch-up every 2 weeks; Bob: a reminder on 5 March; Cleo: a
    birthday on 29 February with no year (the 28th in common years). Today is 2026-03-01."""
    rel("add", "Ann Vdir", "--birthday", "1990-03-14", "--every", "2w", ok=True)
    rel("add", "Bob Vdir", ok=True)
    rel("remind", "bob", "call about the trip", "--on", "2026-03-05", ok=True)
    rel("add", "Cleo Vdir", "--birthday", "02-29", ok=True)


def files_of(rel) -> dict[str, str]:
    """The file of each event of `build`, by what it is: named after the records' own UIDs
    (as `rel export json` shows them)."""
    document = json.loads(rel("export", "json", ok=True).stdout)
    uid = {contact["name"].split()[0]: contact["uid"] for contact in document["contacts"]}
    [reminder] = document["touchpoints"]
    return {
        "ann birthday": f"{uid['Ann']}-birthday.ics",
        "ann catch-up": f"{uid['Ann']}-catch-up.ics",
        "bob reminder": f"{reminder['uid']}.ics",
        "cleo birthday": f"{uid['Cleo']}-birthday.ics",
    }


def events(folder: Path, names=None) -> dict[str, object]:
    """File name -> its one VEVENT, every file of the folder (or those `names`) parsed by
    icalendar."""
    from icalendar import Calendar

    found = {}
    for path in [folder / n for n in names] if names else sorted(folder.glob("*.ics")):
        calendar = Calendar.from_ical(path.read_bytes())
        assert str(calendar["prodid"]) == "-//rel//rel personal relationship tracker//EN"
        assert str(calendar["version"]) == "2.0"
        (event,) = calendar.walk("VEVENT")
        assert ics_file_name(str(event["uid"])) == path.name
        found[path.name] = event
    return found


def test_the_folder_round_trips_through_icalendar_and_holds_the_single_file_export(rel, tmp_path):
    from icalendar import Calendar

    build(rel)
    files = files_of(rel)
    folder = tmp_path / "calendars" / "rel"  # two missing levels, both made
    result = rel("export", "ics", "--dir", str(folder), "--alarm", "1w", ok=True)
    assert result.stdout == ""
    assert result.stderr.strip() == (f"exported ics to {folder}: 4 written, 0 unchanged, 0 removed")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    assert {p.name for p in folder.iterdir()} == set(
        files.values()
    )  # no temporary file left behind
    in_folder = events(folder)
    single = Calendar.from_ical(rel("export", "ics", "--alarm", "1w", ok=True).stdout)
    in_file = {ics_file_name(str(e["uid"])): e for e in single.walk("VEVENT")}
    assert set(in_file) == set(in_folder)
    for name, event in in_folder.items():
        other = in_file[name]
        for key in ("summary", "description", "rrule", "transp"):
            assert event.get(key) == other.get(key), (name, key)
        assert event.decoded("dtstart") == other.decoded("dtstart")
        (alarm,) = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm.decoded("trigger") == -timedelta(days=7)
        assert str(alarm["description"]) == str(event["summary"])
    assert in_folder[files["bob reminder"]].decoded("dtstart") == date(2026, 3, 5)
    leap = in_folder[files["cleo birthday"]]["rrule"]  # the last day of February
    assert dict(leap) == {"FREQ": ["YEARLY"], "BYMONTH": [2], "BYMONTHDAY": [-1]}
    plain = rel("export", "ics", "--dir", str(folder), ok=True)  # the alarm taken off
    assert plain.stderr.strip().endswith(": 4 written, 0 unchanged, 0 removed")
    assert not any(event.walk("VALARM") for event in events(folder).values())


def test_alarm_on_the_single_file_and_its_mistakes(rel, tmp_path):
    build(rel)
    text = rel("export", "ics", "--alarm", "2d", ok=True).stdout
    assert text.count("BEGIN:VALARM") == text.count("BEGIN:VEVENT") == 4
    assert text.count("TRIGGER:-P2D") == 4 and "ACTION:DISPLAY" in text
    assert "VALARM" not in rel("export", "ics", ok=True).stdout
    month = rel("export", "ics", "--alarm", "1m", ok=True).stdout  # no months in iCalendar
    assert "TRIGGER:-P30D" in month

    bad = rel("export", "ics", "--alarm", "soon")
    assert bad.exit_code == 1 and bad.stdout == ""
    assert bad.stderr.startswith("error: expected a duration such as 10d")
    assert len(bad.stderr.strip().splitlines()) == 1
    both = rel("export", "ics", "-o", str(tmp_path / "a.ics"), "--dir", str(tmp_path / "d"))
    assert both.exit_code == 2 and "not both" in both.stderr
    assert not (tmp_path / "a.ics").exists() and not (tmp_path / "d").exists()
    for option, value in (("--alarm", "1d"), ("--dir", str(tmp_path / "d"))):
        other = rel("export", "csv", option, value)
        assert other.exit_code == 2 and f"{option} is for ics only" in other.stderr
    a_file = tmp_path / "calendar"
    a_file.write_text("mine\n")
    on_file = rel("export", "ics", "--dir", str(a_file))
    assert on_file.exit_code == 1
    assert on_file.stderr.strip() == f"error: cannot write to {a_file}: it is a file, not a folder"
    assert a_file.read_text() == "mine\n"


def test_done_items_leave_the_folder_unchanged_files_stay_and_foreign_files_are_kept(rel, tmp_path):
    build(rel)
    files = files_of(rel)
    folder = tmp_path / "rel"
    rel("export", "ics", "--dir", str(folder), ok=True)
    birthday = folder / files["ann birthday"]
    # an older stamp alone does not make a file change: it is left exactly as it is
    birthday.write_bytes(
        b"\r\n".join(
            b"DTSTAMP:20000101T000000Z" if line.startswith(b"DTSTAMP") else line
            for line in birthday.read_bytes().split(b"\r\n")
        )
    )
    foreign = {  # none of them rel's vdir files: all must stay
        "work-meeting.ics": b"BEGIN:VCALENDAR\r\nPRODID:-//Other//EN\r\nVERSION:2.0\r\n"
        b"BEGIN:VEVENT\r\nUID:work-meeting\r\nDTSTART;VALUE=DATE:20260310\r\n"
        b"SUMMARY:Work meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        "rel-2-birthday@rel.ics.bak": b"a backup the person made\n",
        "notes.txt": b"mine\n",
    }
    for name, data in foreign.items():
        (folder / name).write_bytes(data)
    whole = folder / "everything.ics"  # rel's single-file export, copied in by hand
    whole.write_text(rel("export", "ics", ok=True).stdout)
    (folder / "sub.ics").mkdir()
    (folder / "link.ics").symlink_to(folder / files["bob reminder"])
    before = {name: (folder / name).stat() for name in files.values()}

    again = rel("export", "ics", "--dir", str(folder), ok=True)
    assert again.stderr.strip().endswith(": 0 written, 4 unchanged, 0 removed")
    for name in files.values():
        now = (folder / name).stat()
        assert (now.st_ino, now.st_mtime_ns) == (before[name].st_ino, before[name].st_mtime_ns)
    assert b"DTSTAMP:20000101T000000Z" in birthday.read_bytes()

    rel("done", "t1", ok=True)  # Bob's reminder: done, so no longer in the calendar
    rel("--today", "2026-03-03", "log", "ann", "coffee", ok=True)  # her catch-up moves on
    after = rel("--today", "2026-03-03", "export", "ics", "--dir", str(folder), ok=True)
    assert after.stderr.strip().endswith(": 1 written, 2 unchanged, 1 removed")
    assert not (folder / files["bob reminder"]).exists()
    assert (folder / "link.ics").is_symlink()  # dangling now, and still not rel's to remove
    assert (folder / "sub.ics").is_dir() and whole.exists()
    for name, data in foreign.items():
        assert (folder / name).read_bytes() == data
    catch_up = events(folder, [files["ann catch-up"]])[files["ann catch-up"]]
    assert catch_up.decoded("dtstart") == date(2026, 3, 17)
    assert birthday.stat().st_ino == before[files["ann birthday"]].st_ino


def test_file_names_follow_khal_and_only_rels_own_files_are_recognised():
    from icalendar import Calendar, Event

    assert ics_file_name("rel-12-birthday@rel") == "rel-12-birthday@rel.ics"
    odd = "040000008200E00074C5B7101A82E008/2026 {x}"
    import hashlib

    assert ics_file_name(odd) == hashlib.sha1(odd.encode()).hexdigest() + ".ics"
    assert ics_file_name(".hidden").endswith(".ics") and not ics_file_name(".x").startswith(".")
    assert len(ics_file_name("a" * 400)) == 44

    def calendar(prodid: str, *uids: str) -> bytes:
        document = Calendar()
        document.add("prodid", prodid)
        document.add("version", "2.0")
        for uid in uids:
            event = Event()
            event.add("uid", uid)
            document.add_component(event)
        return document.to_ical()

    rels = "-//rel//rel personal relationship tracker//EN"
    assert written_by_rel("rel-1-birthday@rel.ics", calendar(rels, "rel-1-birthday@rel"))
    assert written_by_rel(ics_file_name(odd), calendar(rels, odd))
    assert not written_by_rel(
        "rel-1-birthday@rel.ics", calendar("-//Other//EN", "rel-1-birthday@rel")
    )
    assert not written_by_rel("other-name.ics", calendar(rels, "rel-1-birthday@rel"))
    assert not written_by_rel("x.ics", calendar(rels, "x", "y"))
    assert not written_by_rel("x.ics", b"not a calendar " + rels.encode())


# --- khal reads it -------------------------------------------------------------------------


def khal_program() -> str | None:
    beside = Path(sys.executable).with_name("khal")
    return str(beside) if beside.exists() else shutil.which("khal")


KHAL_CONFIG = """\
[calendars]
[[plain]]
path = {plain}
type = calendar
[[alarm]]
path = {alarm}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC
firstweekday = 0

[default]
highlight_event_days = False

[sqlite]
path = {cache}
"""


@pytest.mark.skipif(khal_program() is None, reason="khal not installed (uv sync installs it)")
def test_khal_lists_the_birthdays_and_reminders_on_their_days_with_and_without_an_alarm(
    rel, tmp_path
):
    """One khal run over two calendar folders: one exported without an alarm, one with."""
    build(rel)
    plain, alarm = tmp_path / "calendars" / "plain", tmp_path / "calendars" / "alarm"
    rel("export", "ics", "--dir", str(plain), ok=True)
    rel("export", "ics", "--dir", str(alarm), "--alarm", "1d", ok=True)
    config = tmp_path / "khal.conf"
    config.write_text(KHAL_CONFIG.format(plain=plain, alarm=alarm, cache=tmp_path / "khal.db"))
    done = subprocess.run(
        [khal_program(), "-c", str(config), "list", "--day-format", "",
         "--format", "{calendar}|{start-date}|{title}|{alarms-list}", "2026-03-01", "2027-03-10"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "TZ": "UTC"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr.lower(), done.stderr
    listed = sorted(line for line in done.stdout.splitlines() if line.strip())
    assert listed == [
        "alarm|2026-03-05|Bob Vdir: call about the trip|Bob Vdir: call about the trip@-1d",
        "alarm|2026-03-14|Ann Vdir's birthday|Ann Vdir's birthday@-1d",
        "alarm|2026-03-15|Catch up with Ann Vdir|Catch up with Ann Vdir@-1d",
        "alarm|2027-02-28|Cleo Vdir's birthday|Cleo Vdir's birthday@-1d",  # 29 Feb, common year
        "plain|2026-03-05|Bob Vdir: call about the trip|",
        "plain|2026-03-14|Ann Vdir's birthday|",
        "plain|2026-03-15|Catch up with Ann Vdir|",
        "plain|2027-02-28|Cleo Vdir's birthday|",
    ]
