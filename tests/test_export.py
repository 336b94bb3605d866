"""rel export: JSON that comes back exactly, CSV safe for spreadsheets, vCards other readers
read, and a calendar whose rules give the dates the agenda shows."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import UTC, date, datetime, time, timedelta

import pytest

from rel.domain.dates import Birthday, parse_birthday
from rel.services.exports import export_csv, export_ics, export_vcard, neutralise
from rel.services.importing.document import import_document
from rel.services.network import dump_network
from rel.store.queries import OrmReader

from .conftest import NOW, REALWORLD, TODAY, add


def seeds() -> dict:
    from rel.paths import seed_network_path

    return json.loads(seed_network_path().read_text(encoding="utf-8"))


def new_store():
    from rel.paths import StoreLocation
    from rel.store.engine import open_store

    return open_store(StoreLocation("sqlite://", None), write=True)


def demo_network(session) -> date:
    """The demo network, plus what the seeds lack: a tag cadence, an archived contact, an
    interaction with a time of day and more than one person, aliases, an anniversary."""
    from sqlmodel import select

    from rel.services.interactions import record_interaction
    from rel.services.touchpoints import record_event
    from rel.store.models import Contact, Tag

    document = seeds()
    today = date.fromisoformat(document["today"])
    import_document(OrmReader(session), document, today=today, now=NOW)
    customer = session.exec(select(Tag).where(Tag.name == "customer")).one()
    customer.cadence = "1m"
    session.add(Tag(name="unused", cadence="2w-4w"))
    people = session.exec(select(Contact).order_by(Contact.id)).all()
    people[3].archived = True
    record_event(
        OrmReader(session), people[4].id, "wedding", None, on=date(2012, 2, 29), today=today,
        now=NOW,
    )  # fmt: skip
    record_interaction(
        session,
        [people[0], people[1]],
        "dinner",
        "Team dinner\nsecond line",
        on=today - timedelta(days=2),
        at=time(19, 30),
        they_reached_out=True,
        today=today,
        now=datetime(2026, 2, 24, 20, 0, tzinfo=UTC),
    )
    add(session, "Leap Day", birthday=Birthday(2, 29, None), aliases=["Leapy"], today=today)
    session.flush()
    return today


# --- JSON ---------------------------------------------------------------------------------


def test_json_round_trip_of_the_demo_network_is_exact(session):
    from rel.services.importing.document import import_document

    demo_network(session)
    first = dump_network(OrmReader(session))
    assert [c["id"] for c in first["contacts"]] == list(range(1, len(first["contacts"]) + 1))
    assert {"name": "customer", "cadence": "1m"} in first["tags"]
    assert {"name": "unused", "cadence": "2w-4w"} in first["tags"]
    assert any(c["archived"] for c in first["contacts"])
    dinner = [i for i in first["interactions"] if i["kind"] == "dinner" and len(i["with"]) == 2]
    assert dinner[-1]["time"] == "19:30:00" and dinner[-1]["direction"] == "them"
    other = new_store()
    try:
        with other.session() as target:
            report = import_document(OrmReader(target), first, today=TODAY, now=NOW)
            assert report.count("add") == len(first["contacts"])
            second = dump_network(OrmReader(target))
            again = import_document(OrmReader(target), first, today=TODAY, now=NOW)
    finally:
        other.close()
    assert second == first
    assert again.count("add") == 0 and again.interactions == 0
    assert again.interactions_known == len(first["interactions"])


def test_json_round_trip_through_the_command_line(rel, tmp_path):
    assert rel("demo", "--out", str(tmp_path / "demo.db")).exit_code == 0
    exported = rel("--db", str(tmp_path / "demo.db"), "export", "json", ok=True).stdout
    path = tmp_path / "network.json"
    path.write_text(exported, encoding="utf-8")
    imported = rel("--db", str(tmp_path / "copy.db"), "import", "json", str(path), ok=True)
    assert "44 added" in imported.stderr and "544 interactions added" in imported.stderr
    again = rel("--db", str(tmp_path / "copy.db"), "export", "json", ok=True).stdout
    assert again == exported


def test_the_demo_loader_reads_an_exported_document(session):
    demo_network(session)
    document = dump_network(OrmReader(session))
    other = new_store()
    try:
        with other.session() as target:
            report = import_document(OrmReader(target), document, today=TODAY, now=NOW)
            assert dump_network(OrmReader(target))["tags"] == document["tags"]
    finally:
        other.close()
    assert report.count("add") == len(document["contacts"])


def test_an_unknown_section_is_reported_not_lost_silently(session):
    from rel.services.importing.document import import_document

    document = {"format": "rel", "version": 1, "contacts": [{"id": 1, "name": "Ann"}],
                "wishes": [{"with": 1, "text": "a book"}]}  # fmt: skip
    report = import_document(OrmReader(session), document, today=TODAY, now=NOW)
    assert report.problems == ["wishes: not imported (written by a newer rel?)"]


# --- CSV ----------------------------------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(session):
    add(session, "=HYPERLINK(\"http://evil.example\")", company="@SUM(A1)", notes="-2+3",
        phones=["+1 415 555 0100"], birthday=Birthday(3, 14, None))  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(export_csv(OrmReader(session)))))
    (row,) = rows
    assert row["First Name"] == '\'=HYPERLINK("http://evil.example")'
    assert row["Organization Name"] == "'@SUM(A1)"
    assert row["Notes"] == "'-2+3"
    assert row["Phone 1 - Value"] == "+1 415 555 0100"  # as Google writes it: not a formula
    assert row["Birthday"] == "--03-14"
    assert sorted(cell for cell in row.values() if cell.startswith(("=", "+", "-", "@"))) == [
        "+1 415 555 0100",
        "--03-14",
    ]


@pytest.mark.parametrize(
    ("cell", "shown"),
    [("=1+1", "'=1+1"), ("-x", "'-x"), ("@a", "'@a"), ("\tx", "'\tx"),
     ("plain", "plain"), ("a=b", "a=b"), ("-1", "'-1"), ("+1+1", "'+1+1"),
     ("+SUM(A1)", "'+SUM(A1)"), ("-03-14", "'-03-14"), ("--03-14x", "'--03-14x"),
     # a phone number or a date without its year stays as the address books write it
     ("+44", "+44"), ("+1 (415) 555-0100", "+1 (415) 555-0100"), ("--03-14", "--03-14"),
     ("+1 415 ::: +44 20", "+1 415 ::: +44 20"), ("+1 415 ::: =1", "'+1 415 ::: =1"),
     # one ' more before a ' that is there, so that rel import csv gives the cell back
     ("'+44", "''+44"), ("'=1", "''=1")],
)  # fmt: skip
def test_neutralise(cell, shown):
    assert neutralise(cell) == shown


def test_csv_export_imports_back_with_the_same_people(rel, tmp_path):
    assert rel("demo", "--out", str(tmp_path / "demo.db")).exit_code == 0
    text = rel("--db", str(tmp_path / "demo.db"), "export", "csv", ok=True).stdout
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    imported = rel("--db", str(tmp_path / "copy.db"), "import", "csv", str(path), ok=True)
    assert "(Google Contacts CSV): 44 added" in imported.stderr

    def people(db: str) -> list[tuple]:
        listed = json.loads(rel("--db", str(tmp_path / db), "export", "json").stdout)
        return [
            (c["name"], c["emails"], c["phones"], c["birthday"], c["tags"], c["met"], c["cadence"])
            for c in listed["contacts"]
        ]

    assert people("copy.db") == people("demo.db")


# --- vCard --------------------------------------------------------------------------------


def test_exported_vcards_read_back_with_vobject(session):
    import vobject

    demo_network(session)
    contacts = dump_network(OrmReader(session))["contacts"]
    text = export_vcard(OrmReader(session))
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    cards = list(vobject.readComponents(text))
    assert len(cards) == len(contacts)
    for card, contact in zip(cards, contacts, strict=True):
        assert card.version.value == "3.0"
        assert card.fn.value == contact["name"]
        assert [e.value for e in card.contents.get("email", [])] == contact["emails"]
        if contact["birthday"] is None:
            assert "bday" not in card.contents
            continue
        birthday = parse_birthday(contact["birthday"])
        written = card.bday.value
        if contact["birthday"].startswith("--"):  # RFC 6350's year-less date, not 1604
            assert written == f"--{birthday.month:02d}{birthday.day:02d}"
            assert "X-APPLE-OMIT-YEAR" not in card.bday.params
        else:
            assert written == contact["birthday"]


def test_exported_vcards_import_back_with_the_same_names_emails_and_birthdays(rel, tmp_path):
    assert rel("demo", "--out", str(tmp_path / "demo.db")).exit_code == 0
    text = rel("--db", str(tmp_path / "demo.db"), "export", "vcard", ok=True).stdout
    assert text.startswith("BEGIN:VCARD\nVERSION:3.0\n")  # the runner shows CRLF as LF
    path = tmp_path / "contacts.vcf"
    path.write_bytes(text.encode("utf-8"))
    rel("--db", str(tmp_path / "copy.db"), "import", "vcard", str(path), ok=True)

    def people(db: str) -> list[tuple]:
        listed = json.loads(rel("--db", str(tmp_path / db), "export", "json").stdout)
        return [
            (c["name"], c["emails"], c["phones"], c["links"], c["birthday"], c["tags"],
             c["company"], c["title"], c["met"], c["cadence"], c["notes"], c["aliases"])
            for c in listed["contacts"]
        ]  # fmt: skip

    assert people("copy.db") == people("demo.db")


# --- iCalendar ----------------------------------------------------------------------------


def calendar_events(text: str) -> dict[str, object]:
    from icalendar import Calendar

    calendar = Calendar.from_ical(text)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def occurrences(event, start: date, end: date) -> list[date]:
    from dateutil.rrule import rrulestr

    first = event.decoded("dtstart")
    if "rrule" not in event:
        return [first] if start <= first <= end else []
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=datetime.combine(first, time()))
    return [d.date() for d in rule.between(datetime.combine(start, time()),
                                           datetime.combine(end, time()), inc=True)]  # fmt: skip


def test_ics_rules_expand_to_the_dates_the_agenda_shows(session):
    from sqlmodel import select

    from rel.services.agenda import agenda
    from rel.store.models import Contact, Touchpoint

    today = demo_network(session)
    events = calendar_events(export_ics(OrmReader(session), today=today, now=NOW))
    uid_of = {contact.id: contact.uid for contact in session.exec(select(Contact))}
    touchpoint_uid = {t.id: t.uid for t in session.exec(select(Touchpoint))}
    id_of = {uid: contact_id for contact_id, uid in uid_of.items()}
    shown = agenda(session, today, days=366)
    assert shown.rows
    for row in shown.rows:
        if row.kind == "birthday":
            event = events[f"{uid_of[row.contact_id]}-birthday"]
            assert row.due in occurrences(event, today, today + timedelta(days=366))
        elif row.key.startswith("t"):  # the wedding's yearly anniversary
            event = events[touchpoint_uid[int(row.key[1:])]]
            assert row.due in occurrences(event, today, today + timedelta(days=366))
        else:
            event = events[f"{uid_of[row.contact_id]}-catch-up"]
            assert event.decoded("dtstart") == max(row.due, today)
    # and nothing in the calendar that the agenda does not know of, over a year
    for uid, event in events.items():
        if uid.endswith("-birthday"):
            contact_id = id_of[uid.removesuffix("-birthday")]
            dates = occurrences(event, today, today + timedelta(days=366))
            agenda_dates = [r.due for r in shown.rows if r.key == f"b{contact_id}"]
            assert dates[:1] == agenda_dates


def test_ics_birthday_on_29_february_falls_on_the_28th_in_common_years(session):
    leap = add(session, "Leap Day", birthday=Birthday(2, 29, 1996))
    events = calendar_events(export_ics(OrmReader(session), today=TODAY, now=NOW))
    event = events[f"{leap.uid}-birthday"]
    assert event.decoded("dtstart") == date(1996, 2, 29)
    dates = occurrences(event, date(2026, 1, 1), date(2029, 12, 31))
    assert dates == [date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29), date(2029, 2, 28)]
    assert dates == [Birthday(2, 29, 1996).in_year(y) for y in range(2026, 2030)]


def test_ics_anniversaries_are_yearly_and_uids_are_stable(session):
    from sqlmodel import select

    from rel.store.models import Touchpoint

    demo_network(session)
    first = export_ics(OrmReader(session), today=TODAY, now=NOW)
    second = export_ics(OrmReader(session), today=TODAY, now=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    assert set(calendar_events(first)) == set(calendar_events(second))
    anniversaries = [
        e
        for e in calendar_events(first).values()
        if str(e.get("description", "")).startswith("anniversary")
    ]
    (event,) = anniversaries
    assert occurrences(event, date(2027, 1, 1), date(2027, 12, 31)) == [date(2027, 2, 28)]
    assert "archived" not in first
    uids = set(calendar_events(first))
    touchpoints = {t.uid for t in session.exec(select(Touchpoint))}
    assert all(uid.endswith(("-birthday", "-catch-up")) or uid in touchpoints for uid in uids)


def test_ics_leaves_out_archived_contacts(session):
    from sqlmodel import select

    from rel.store.models import Contact

    demo_network(session)
    archived = session.exec(select(Contact).where(Contact.archived)).all()
    events = calendar_events(export_ics(OrmReader(session), today=TODAY, now=NOW))
    assert archived
    assert not [uid for uid in events for c in archived if uid.startswith(f"{c.uid}-")]


# --- the real calendar files: RRULEs as other programs write them ----------------------------


needs_fixtures = pytest.mark.skipif(not REALWORLD.is_dir(), reason="real-world fixtures absent")


@needs_fixtures
def test_a_yearly_29_february_rule_skips_common_years_unlike_rels_birthday_rule():
    from dateutil.rrule import rrulestr

    event = _only_event("yearly-feb29-start-2011.ics")

    start = event.decoded("dtstart").replace(tzinfo=None)
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    assert [d.date() for d in rule[:3]] == [date(2012, 2, 29), date(2016, 2, 29), date(2020, 2, 29)]
    # rel writes a 29 February birthday as the last day of February instead
    from rel.services.exports import yearly_rule

    assert yearly_rule(Birthday(2, 29, None)) == {"FREQ": "YEARLY", "BYMONTH": 2, "BYMONTHDAY": -1}


def _only_event(name: str):
    from icalendar import Calendar

    (event,) = Calendar.from_ical((REALWORLD / name).read_text()).walk("VEVENT")
    return event


@needs_fixtures
def test_every_yearly_rule_of_a_real_holiday_calendar_expands_with_dateutil():
    from dateutil.rrule import rrulestr
    from icalendar import Calendar

    calendar = Calendar.from_ical((REALWORLD / "sunbird-us-holidays-yearly.ics").read_text())
    yearly = [e for e in calendar.walk("VEVENT") if "rrule" in e]
    assert len(yearly) >= 20
    for event in yearly:
        start = datetime.combine(event.decoded("dtstart"), time())
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start, ignoretz=True)
        assert rule[0] >= start
    thanksgiving = next(e for e in yearly if str(e["summary"]) == "Thanksgiving Day")
    start = datetime.combine(thanksgiving.decoded("dtstart"), time())
    rule = rrulestr(thanksgiving["rrule"].to_ical().decode(), dtstart=start)
    assert rule.after(datetime(2026, 1, 1)).date() == date(2026, 11, 26)


@needs_fixtures
def test_google_birthday_calendar_reads_with_icalendar():
    from icalendar import Calendar

    calendar = Calendar.from_ical((REALWORLD / "google-calendar-birthdays.ics").read_text())
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert "PErson #2's birthday" in summaries


# --- the command ---------------------------------------------------------------------------


def test_export_to_a_file_and_unknown_formats(rel, tmp_path):
    rel("add", "Ann Export", "--email", "ann@example.com", "--birthday", "03-14", ok=True)
    target = tmp_path / "out.ics"
    result = rel("export", "ics", "-o", str(target), ok=True)
    assert result.stdout == "" and "exported ics" in result.stderr
    assert "SUMMARY:Ann Export's birthday" in target.read_text()
    bad = rel("export", "pdf")
    assert bad.exit_code == 1 and "json, csv, vcard, ics" in bad.stderr


def test_export_of_an_empty_store(rel):
    document = json.loads(rel("export", "json", ok=True).stdout)
    assert document == {"format": "rel", "version": 1, "tags": [], "contacts": [],
                        "interactions": [], "events": [], "touchpoints": [], "gifts": [],
                        "snoozes": []}  # fmt: skip
    assert rel("export", "csv", ok=True).stdout.startswith("First Name,")
    assert rel("export", "vcard", ok=True).stdout == ""


def test_a_skipped_catch_up_survives_a_json_round_trip(rel, tmp_path) -> None:
    rel("add", "Jake", "--every", "10d", ok=True)
    rel("--today", "2026-03-11", "skip", "c1", ok=True)
    exported = rel("export", "json", ok=True).stdout
    assert '"catch_up_skipped": "2026-03-11"' in exported
    path = tmp_path / "restore.json"
    path.write_text(exported, encoding="utf-8")
    copy = str(tmp_path / "copy.db")
    rel("--db", copy, "import", "json", str(path), ok=True)
    assert rel("--db", copy, "export", "json", ok=True).stdout == exported
    [jake] = json.loads(rel("--db", copy, "--today", "2026-03-21", "due", "--json").stdout)["today"]
    assert jake["key"] == "c1" and jake["days_late"] == 0  # due today, counted from the skip


# --- anniversaries, year-less dates and Outlook's CSV -------------------------------------


def test_an_anniversary_reaches_the_vcard_the_csv_and_one_calendar_event(rel, tmp_path):
    import vobject

    rel("add", "Carol Diaz", "--email", "carol@example.com", "--birthday", "07-04", ok=True)
    rel("add", "Hal Roe", "--phone", "+1 202 555 0100", ok=True)
    rel("event", "carol", "wedding", "--on", "2015-06-20", ok=True)
    rel("event", "hal", "anniversary", "--on", "--06-20", ok=True)
    vcard = rel("export", "vcard", ok=True).stdout
    assert "BDAY:--0704\n" in vcard and "X-ANNIVERSARY:2015-06-20\n" in vcard
    assert "X-ANNIVERSARY:--0620\n" in vcard and not _apple_year_in(vcard)
    cards = {c.fn.value: c for c in vobject.readComponents(vcard)}
    assert cards["Carol Diaz"].bday.value == "--0704"
    assert cards["Hal Roe"].contents["x-anniversary"][0].value == "--0620"
    google = list(csv.DictReader(io.StringIO(rel("export", "csv", ok=True).stdout)))
    assert [(r["Event 1 - Label"], r["Event 1 - Value"], r["Birthday"]) for r in google] == [
        ("Anniversary", "2015-06-20", "--07-04"),
        ("Anniversary", "--06-20", ""),
    ]
    assert google[1]["Phone 1 - Value"] == "+1 202 555 0100"
    ics = rel("export", "ics", ok=True).stdout
    events = [block for block in ics.split("BEGIN:VEVENT")[1:] if "anniversary" in block]
    assert len(events) == 2  # one each: the yearly touchpoint of each event
    carol, hal = sorted(events, key=lambda block: "Hal" in block)
    assert "since 2015" in carol and "RRULE:FREQ=YEARLY" in carol
    assert "since" not in hal and "DTSTART;VALUE=DATE:20260620" in hal
    again = tmp_path / "again.vcf"
    again.write_text(vcard, encoding="utf-8")
    other = str(tmp_path / "other.db")
    rel("--db", other, "import", "vcard", str(again), ok=True)
    events = json.loads(rel("--db", other, "events", "--json", ok=True).stdout)
    assert sorted((e["contact"], e["date"]) for e in events) == [
        ("Carol Diaz", "2015-06-20"), ("Hal Roe", "--06-20"),
    ]  # fmt: skip
    document = tmp_path / "all.json"  # rel's JSON keeps a year-less date as --06-20
    rel("export", "json", "-o", str(document), ok=True)
    assert '"date": "--06-20"' in document.read_text(encoding="utf-8")
    copy = str(tmp_path / "copy.db")
    rel("--db", copy, "import", "json", str(document), ok=True)
    assert rel("--db", copy, "export", "json", ok=True).stdout == document.read_text("utf-8")


def test_outlook_style_csv_writes_outlooks_columns_and_reads_back(rel, tmp_path):
    rel("add", "Carol Ann Diaz", "--email", "carol@example.com", "--email", "c@work.example",
        "--phone", "+1 202 555 0100", "--phone", "+44 20 7946 0000", "--company", "Acme",
        "--title", "CTO", "--birthday", "1980-07-04", "--tag", "friend", "--tag", "customer",
        "--note", "=1+1", ok=True)  # fmt: skip
    rel("add", "Hal Roe", "--birthday", "03-14", ok=True)
    rel("event", "carol", "wedding", "--on", "2015-06-20", ok=True)
    text = rel("export", "csv", "--style", "outlook", ok=True).stdout
    header = text.splitlines()[0].split(",")
    for column in ("First Name", "Middle Name", "Last Name", "E-mail Address", "E-mail 2 Address",
                   "Mobile Phone", "Business Phone", "Company", "Job Title", "Birthday",
                   "Anniversary", "Notes", "Categories"):  # fmt: skip
        assert column in header
    carol, hal = csv.DictReader(io.StringIO(text))
    assert (carol["First Name"], carol["Last Name"]) == ("Carol Ann", "Diaz")
    assert (carol["E-mail Address"], carol["E-mail 2 Address"]) == (
        "carol@example.com", "c@work.example",
    )  # fmt: skip
    assert (carol["Mobile Phone"], carol["Business Phone"]) == (
        "+1 202 555 0100",
        "+44 20 7946 0000",
    )
    assert (carol["Birthday"], carol["Anniversary"]) == ("7/4/1980", "6/20/2015")
    assert (carol["Categories"], carol["Notes"]) == ("customer;friend", "'=1+1")
    assert (hal["Birthday"], hal["Anniversary"]) == ("--03-14", "0/0/00")
    assert rel("export", "csv", "--style", "excel").exit_code == 1
    path = tmp_path / "outlook.csv"
    path.write_text(text, encoding="utf-8")
    other = str(tmp_path / "other.db")
    imported = rel("--db", other, "import", "csv", str(path), ok=True)
    assert "(Outlook CSV): 2 added" in imported.stderr
    again = rel("--db", other, "import", "csv", str(path), ok=True)
    assert "2 already known" in again.stderr

    def people(*db: str) -> list[tuple]:
        listed = json.loads(rel(*db, "export", "json", ok=True).stdout)
        return [
            (c["name"], c["emails"], c["phones"], c["birthday"], c["tags"], c["company"],
             c["title"], c["notes"])
            for c in listed["contacts"]
        ]  # fmt: skip

    assert people("--db", other) == people()
    events = json.loads(rel("--db", other, "events", "--json", ok=True).stdout)
    assert [(e["contact"], e["kind"], e["date"]) for e in events] == [
        ("Carol Ann Diaz", "wedding", "2015-06-20")
    ]


@pytest.mark.skipif(shutil.which("khard") is None, reason="khard is not installed")
def test_khard_reads_year_less_dates_as_month_and_day(rel, tmp_path):
    rel("add", "Hal Roe", "--birthday", "03-14", ok=True)
    rel("event", "hal", "wedding", "--on", "--06-20", ok=True)
    vdir = tmp_path / "book"
    vdir.mkdir()  # a vdir: one card per file, as khard reads them
    (vdir / "hal.vcf").write_text(rel("export", "vcard", ok=True).stdout, encoding="utf-8")
    config = tmp_path / "khard.conf"
    config.write_text(f"[addressbooks]\n[[book]]\npath = {vdir}\n", encoding="utf-8")
    shown = subprocess.run(
        ["khard", "-c", str(config), "show", "Hal Roe"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Birthday: --03-14" in shown and "Anniversary: --06-20" in shown
    assert not _apple_year_in(shown)


def _apple_year_in(vcard: str) -> bool:
    """Apple's year of a date without one (1604) in any line but a UID (a random UID may hold
    those digits)."""
    return any("1604" in line for line in vcard.splitlines() if "UID" not in line.upper())
