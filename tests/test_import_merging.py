"""rel import: who is merged with whom, --dry-run, --every, --tag, bad records and bad files."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest

from rel.domain.dates import parse_cadence
from rel.services.importing import import_file
from rel.store.queries import OrmReader

from .conftest import NOW, TODAY, add


def card(name: str | None = None, *lines: str) -> str:
    body = [f"FN:{name}"] if name else []
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *body, *lines, "END:VCARD"]) + "\r\n"


def vcf(tmp_path, *cards: str, name: str = "cards.vcf"):
    path = tmp_path / name
    path.write_text("".join(cards), encoding="utf-8")
    return str(path)


def run_import(session, text: str, kind: str = "vcard", **options):
    return import_file(
        OrmReader(session), kind, text.encode("utf-8"), today=TODAY, now=NOW, **options
    )


def contacts(session):
    from sqlmodel import select

    from rel.store.models import Contact

    return {c.name: c for c in session.exec(select(Contact).order_by(Contact.id)).all()}


def handles(session, contact):
    from rel.services.profiles import load_profile

    profile = load_profile(session, contact.id, TODAY, timeline=0)
    found = {"email": profile.emails, "phone": profile.phones, "link": profile.links,
             "alias": profile.aliases}  # fmt: skip
    return {kind: values for kind, values in found.items() if values}


# --- matching ------------------------------------------------------------------------------


def test_same_email_updates_the_contact_and_fills_only_what_is_empty(session):
    alice = add(session, "Alice Chen", emails=["alice@acme.example"], company="Acme")
    report = run_import(
        session,
        card(
            "Alice C.",
            "EMAIL:ALICE@acme.example",
            "ORG:Other Corp",
            "TITLE:CTO",
            "TEL:+1 415 555 0142",
            "BDAY:1984-03-14",
        ),
    )
    assert [o.action for o in report.outcomes] == ["merge"]
    assert report.outcomes[0].into == f"Alice Chen (#{alice.id})"
    found = contacts(session)
    assert list(found) == ["Alice Chen"]
    merged = found["Alice Chen"]
    assert merged.company == "Acme"  # never overwritten
    assert merged.title == "CTO"
    assert (merged.birthday_month, merged.birthday_day, merged.birthday_year) == (3, 14, 1984)
    assert handles(session, merged)["phone"] == ["+1 415 555 0142"]


def test_same_phone_merges_but_a_short_number_does_not(session):
    add(session, "Bob Stone", phones=["+1 (415) 555-0100"])
    add(session, "Carla Diaz", phones=["123456"])
    report = run_import(
        session,
        card("Robert Stone", "TEL:+1 415 555 0100", "EMAIL:bob@stone.example")
        + card("Someone Else", "TEL:123456"),
    )
    assert [o.action for o in report.outcomes] == ["merge", "add"]
    assert handles(session, contacts(session)["Bob Stone"])["email"] == ["bob@stone.example"]


def test_same_name_merges_unless_their_emails_conflict(session):
    add(session, "Dana Lee", emails=["dana@one.example"])
    add(session, "Eve Park")
    report = run_import(
        session,
        card("dana lee", "EMAIL:dana@two.example")  # both have emails, none shared: two people
        + card("Eve Park", "EMAIL:eve@park.example")  # no email on the contact: the same person
        + card("Eve Park"),  # no email at all: the same Eve
    )
    assert [o.action for o in report.outcomes] == ["add", "merge", "same"]
    assert sorted(contacts(session)) == ["Dana Lee", "Eve Park", "dana lee"]
    # now two Dana Lees: one without an email could be either, so it is not merged
    (outcome,) = run_import(session, card("DANA LEE")).outcomes
    assert outcome.action == "skip" and "same name as 2 contacts" in outcome.details[0]


def test_a_name_shared_by_several_contacts_is_skipped_with_the_reason(session):
    add(session, "Sam Lee", emails=["sam1@example.com"])
    add(session, "Sam Lee", emails=["sam2@example.com"])
    report = run_import(session, card("Sam Lee"))
    (outcome,) = report.outcomes
    assert outcome.action == "skip"
    assert "same name as 2 contacts" in outcome.details[0]
    assert "1 skipped (same name as several contacts: 1)" in report.summary()


def test_duplicates_inside_one_file_are_merged(session):
    report = run_import(
        session,
        card("Frank Ocean", "EMAIL:frank@example.com")
        + card("Frank O.", "EMAIL:frank@example.com", "TEL:+44 20 7946 0000", "CATEGORIES:Music"),
    )
    assert [o.action for o in report.outcomes] == ["add", "merge"]
    assert report.outcomes[1].into == "Frank Ocean (card 1 (line 1))"
    (frank,) = contacts(session).values()
    assert handles(session, frank) == {
        "email": ["frank@example.com"],
        "phone": ["+44 20 7946 0000"],
    }
    assert report.count("add") == 1


def test_importing_the_same_cards_twice_adds_nothing(session):
    text = card("Gina Tor", "EMAIL:gina@example.com", "NOTE:likes jazz", "X-ANNIVERSARY:2010-06-01")
    assert run_import(session, text).count("add") == 1
    again = run_import(session, text)
    assert [o.action for o in again.outcomes] == ["same"]
    (gina,) = contacts(session).values()
    assert gina.notes == "likes jazz"  # the anniversary is a life event, not a line of notes


# --- anniversaries: life events -------------------------------------------------------------


def test_an_imported_anniversary_is_a_wedding_shown_by_rel_events(rel, rel_json, tmp_path):
    path = vcf(
        tmp_path,
        card("Gina Tor", "EMAIL:gina@example.com", "X-ANNIVERSARY:2010-06-01"),
        card("Hal Roe", "EMAIL:hal@example.com", "ANNIVERSARY:--0620"),
        card("Ida Poe", "EMAIL:ida@example.com", "X-ANNIVERSARY;X-APPLE-OMIT-YEAR=1604:1604-07-04"),
    )
    first = rel("import", "vcard", path, ok=True)
    assert "3 wedding anniversaries added" in first.stderr
    again = rel("import", "vcard", path, ok=True)  # the same file again: nothing new
    assert "0 merged, 3 already known" in again.stderr and "anniversaries" not in again.stderr
    events = rel_json("events")
    assert sorted((e["contact"], e["kind"], e["date"]) for e in events) == [
        ("Gina Tor", "wedding", "2010-06-01"),
        ("Hal Roe", "wedding", "--06-20"),
        ("Ida Poe", "wedding", "--07-04"),
    ]
    assert all(len(e["touchpoints"]) == 1 for e in events)  # each its yearly anniversary
    hal = rel_json("show", "hal")
    assert hal["notes"] is None
    assert [(e["kind"], e["date"]) for e in hal["events"]] == [("wedding", "--06-20")]
    shown = rel("show", "hal", ok=True).stdout
    assert "--06-20" in shown and "1604" not in shown
    agenda = rel("due", "--today", "2026-06-19", "--days", "3", ok=True).stdout
    assert "Hal Roe — wedding anniversary, on Sat Jun 20;" in agenda
    assert "Gina" not in agenda and "years" not in agenda  # no year, no count of years


def test_an_anniversary_the_contact_has_is_not_made_again(rel, rel_json, tmp_path):
    rel("add", "Gina Tor", "--email", "gina@example.com", ok=True)
    rel("event", "gina", "wedding", "--on", "2010-06-01", ok=True)
    path = vcf(tmp_path, card("Gina Tor", "EMAIL:gina@example.com", "ANNIVERSARY:--0601"))
    result = rel("import", "vcard", path, ok=True)
    assert "1 already known" in result.stderr
    assert [e["date"] for e in rel_json("events")] == ["2010-06-01"]


def test_a_csv_anniversary_column_and_a_google_event_become_weddings(rel, rel_json, tmp_path):
    outlook = tmp_path / "outlook.csv"
    outlook.write_text(
        "First Name,Last Name,E-mail Address,Anniversary\r\nJo,Lin,jo@example.com,6/20/2015\r\n",
        encoding="utf-8",
    )
    google = tmp_path / "google.csv"
    google.write_text(
        "First Name,Last Name,E-mail 1 - Value,Event 1 - Label,Event 1 - Value\r\n"
        "Kai,Ngo,kai@example.com,Anniversary,--03-01\r\n",
        encoding="utf-8",
    )
    rel("import", "csv", str(outlook), ok=True)
    rel("import", "csv", str(google), ok=True)
    rel("import", "csv", str(google), ok=True)
    assert sorted((e["contact"], e["date"]) for e in rel_json("events")) == [
        ("Jo Lin", "2015-06-20"),
        ("Kai Ngo", "--03-01"),
    ]


# --- options ---------------------------------------------------------------------------------


def test_every_spreads_first_due_dates_evenly_over_one_cadence(session):
    from rel.services.agenda import catch_up

    text = "".join(card(f"Person {i}", f"EMAIL:p{i}@example.com") for i in range(60))
    run_import(session, text, cadence=parse_cadence("30d"))
    dues = []
    for person in contacts(session).values():
        assert person.cadence == "30d"
        dues.append(catch_up(person.cadence, (), person.added_on, None, TODAY).due)
    per_day = Counter(dues)
    assert min(dues) > TODAY  # nobody is due on the morning of the import
    assert max(dues) == TODAY + timedelta(days=30)
    assert len(per_day) == 30 and set(per_day.values()) == {2}


def test_tag_is_given_to_everyone_imported_added_or_merged(session):
    add(session, "Hana Ito", emails=["hana@example.com"])
    run_import(
        session,
        card("Hana Ito", "EMAIL:hana@example.com") + card("Ivo Ruiz"),
        tags=["conference"],
    )
    from rel.services.agenda import tags_of

    found = contacts(session)
    tags = tags_of(session, [c.id for c in found.values()])
    assert tags == {found["Hana Ito"].id: ("conference",), found["Ivo Ruiz"].id: ("conference",)}


def test_dry_run_lists_what_would_happen_and_writes_nothing(rel, tmp_path):
    rel("add", "Jo March", "--email", "jo@march.example", ok=True)
    path = vcf(
        tmp_path,
        card("Jo March", "EMAIL:jo@march.example", "TITLE:Writer"),
        card("Laurie Laurence"),
        card(None, "NOTE:nobody"),
    )
    result = rel("import", "vcard", path, "--dry-run", ok=True)
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ACTION", "WHERE", "NAME", "DETAILS"]
    assert lines[1].startswith("merge") and "Jo March (#1): title" in lines[1]
    assert lines[2].startswith("add") and "Laurie Laurence" in lines[2]
    assert lines[3].startswith("skip") and "no name, email or phone" in lines[3]
    assert "nothing written" in result.stderr and "1 would be added" in result.stderr
    listed = json.loads(rel("list", "--json").stdout)
    assert [c["name"] for c in listed] == ["Jo March"]
    shown = json.loads(rel("show", "jo", "--json").stdout)
    assert "Writer" not in json.dumps(shown)


# --- bad records and bad files --------------------------------------------------------------


def test_a_bad_record_is_reported_with_its_place_and_skipped(rel, tmp_path):
    path = vcf(tmp_path, card("Kim Ode"), card(None, "TITLE:Nobody"), card("Lu Wei"))
    result = rel("import", "vcard", path, ok=True)
    assert "warning: card 2 (line 5): skipped: no name, email or phone" in result.stderr
    assert (
        "2 added, 0 merged, 0 already known, 1 skipped (no name, email or phone: 1)"
        in result.stderr
    )
    assert result.stdout == ""


def test_a_value_that_cannot_be_kept_is_left_out_and_reported(rel, tmp_path):
    path = vcf(tmp_path, card("Mia Hart", "EMAIL:not an email", "TEL:+1 555 0100"))
    result = rel("import", "vcard", path, ok=True)
    assert "warning: card 1 (line 1): email 'not an email' left out" in result.stderr
    assert "1 added" in result.stderr


@pytest.mark.parametrize(
    ("kind", "content", "expected"),
    [
        ("vcard", "just some text\n", "found no card"),
        ("csv", "a;b\n1;2\n", "header row"),
        ("json", "{not json", "not JSON"),
        ("json", '{"format": "other"}', "rel JSON document"),
        ("linkedin", "First Name,Last Name,E-mail Address\nA,B,a@b.example\n", "Connections.csv"),
    ],
)
def test_a_file_that_cannot_be_read_exits_1_and_writes_nothing(
    rel, tmp_path, store, kind, content, expected
):
    path = tmp_path / "bad"
    path.write_text(content, encoding="utf-8")
    result = rel("import", kind, str(path))
    assert result.exit_code == 1
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not store.exists() or json.loads(rel("list", "--json").stdout) == []


def test_a_missing_file_and_an_unknown_format_are_one_line_errors(rel, tmp_path):
    missing = rel("import", "vcard", str(tmp_path / "nope.vcf"))
    assert missing.exit_code == 1 and "cannot read" in missing.stderr
    unknown = rel("import", "ldif", str(tmp_path / "nope.vcf"))
    assert unknown.exit_code == 1 and "vcard, linkedin, csv, json" in unknown.stderr


def test_the_whole_import_is_one_transaction(rel, tmp_path, monkeypatch):
    rel("add", "Nora Keep", ok=True)
    path = vcf(tmp_path, card("Olga First", "CATEGORIES:friend"), card("Nora Keep", "TITLE:Boss"))
    import rel.services.importing.merging as merging

    def fail(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(merging, "ensure_tags", fail)  # after the contacts are written
    result = rel("import", "vcard", path)
    assert result.exit_code == 1 and "disk on fire" in result.stderr
    listed = json.loads(rel("list", "--json").stdout)
    assert [c["name"] for c in listed] == ["Nora Keep"]
    assert "Boss" not in rel("show", "nora").stdout


def test_a_progress_bar_only_on_a_terminal(rel, tmp_path, monkeypatch):
    path = vcf(tmp_path, *(card(f"P {i}", f"EMAIL:p{i}@example.com") for i in range(250)))
    piped = rel("import", "vcard", path, "--dry-run")
    assert "250/250" not in piped.stderr
    monkeypatch.setenv("REL_FORCE_TERMINAL", "1")
    shown = rel("import", "vcard", path, "--dry-run")
    assert "250/250" in shown.stderr


def test_stdin_can_be_imported(rel):
    result = rel("import", "vcard", "-", input=card("Pia Stdin", "EMAIL:pia@example.com"))
    assert result.exit_code == 0 and "1 added" in result.stderr


def test_thousands_of_generated_cards_import_once(session):
    cards = "".join(
        card(
            f"Person {i}",
            f"N:{i};Person;;;",
            f"EMAIL;TYPE=INTERNET:person{i}@example.com",
            f"TEL;TYPE=CELL:+1 555 {i:07d}",
            f"BDAY:--{1 + i % 12:02d}{1 + i % 28:02d}",
            f"CATEGORIES:group{i % 7}",
        )
        for i in range(2000)
    )
    first = run_import(session, cards, cadence=parse_cadence("1m"))
    assert first.count("add") == 2000
    second = run_import(session, cards)
    assert second.count("same") == 2000 and second.count("add") == 0
    assert len(contacts(session)) == 2000


# --- dates as files write them ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1980-03-22", (3, 22, 1980)),
        ("19800322", (3, 22, 1980)),
        ("--0322", (3, 22, None)),
        ("--03-22", (3, 22, None)),
        ("16040322", (3, 22, None)),  # Apple: no year
        ("1604-02-29", (2, 29, None)),
        ("20190210T000033", (2, 10, 2019)),
        ("1980-03-22T10:00:00Z", (3, 22, 1980)),
        ("22.3.1980", (3, 22, 1980)),  # Outlook, German
        ("3/22/1980", (3, 22, 1980)),  # Outlook, US
        ("09 Oct 2024", (10, 9, 2024)),  # LinkedIn
        ("0.0.00", None),
        ("1981-02-29", None),
        ("someday", None),
    ],
)
def test_dates_as_address_books_write_them(text, expected):
    from rel.services.importing import read_date

    found = read_date(text)
    assert (found.month, found.day, found.year) == expected if expected else found is None


def test_omit_year_parameter_drops_the_year():
    from rel.services.importing import read_date

    assert read_date("1900-05-01", omit_year=1900).year is None


def test_json_import_skips_a_bad_record_and_its_interactions(session):
    document = {
        "format": "rel",
        "version": 1,
        "contacts": [
            {"id": 1, "name": "Quinn Good", "emails": ["q@example.com"]},
            {"id": 2, "name": "Rae Bad", "emails": ["not-an-email"]},
        ],
        "interactions": [
            {"date": "2026-01-05", "kind": "call", "with": [1]},
            {"date": "2026-01-06", "kind": "lunch", "with": [1, 2]},
        ],
    }
    report = run_import(session, json.dumps(document), "json")
    assert [(o.action, o.place) for o in report.outcomes] == [
        ("add", "contacts[0]"),
        ("skip", "contacts[1]"),
    ]
    assert "expected an email address" in report.outcomes[1].details[0]
    assert report.interactions == 1
    assert any("interactions[1]: skipped" in p for p in report.problems)
    assert list(contacts(session)) == ["Quinn Good"]
    from sqlmodel import select

    from rel.store.models import Interaction

    assert [i.on for i in session.exec(select(Interaction)).all()] == [date(2026, 1, 5)]


def test_import_then_export_as_a_user_runs_them(tmp_path):
    from .conftest import run_installed

    path = vcf(tmp_path, card("Rui Costa", "EMAIL:rui@example.pt", "BDAY:--0229"))
    imported = run_installed("import", "vcard", path, "--every", "2w")
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == ""
    assert imported.stderr.strip().endswith("1 added, 0 merged, 0 already known, 0 skipped")
    exported = run_installed("export", "json")
    (rui,) = json.loads(exported.stdout)["contacts"]
    assert (rui["name"], rui["emails"], rui["birthday"], rui["cadence"]) == (
        "Rui Costa",
        ["rui@example.pt"],
        "--02-29",
        "2w",
    )


def test_an_older_store_has_its_anniversary_lines_turned_into_events(rel, rel_json, store):
    """Before 0010, an import kept an anniversary as a line of the notes; `rel import ics`
    scheduled a year-less one as a yearly touchpoint of its own."""
    for name in ("Gina Tor", "Hal Roe", "Ida Poe"):
        rel("add", name, ok=True)
    rel("remind", "hal", "anniversary", "--on", "2026-06-20", "--every", "yearly",
        "--kind", "anniversary", ok=True)  # fmt: skip
    rel("event", "ida", "wedding", "--on", "2012-02-29", ok=True)
    store.execute(
        ("UPDATE contact SET notes = ? WHERE name = ?", ("Anniversary: 2010-06-01", "Gina Tor")),
        ("UPDATE contact SET notes = ? WHERE name = ?",
         ("likes jazz\n\nAnniversary: --06-20", "Hal Roe")),
        ("UPDATE contact SET notes = ? WHERE name = ?",
         ("Anniversary: 2012-02-29\n\nAnniversary: 1700-01-01", "Ida Poe")),
        "DELETE FROM rel_migration WHERE name = '0010_anniversaries_as_events'",
    )  # fmt: skip
    events = {e["contact"]: e for e in rel_json("events")}
    assert {name: (e["kind"], e["date"]) for name, e in events.items()} == {
        "Gina Tor": ("wedding", "2010-06-01"),
        "Hal Roe": ("wedding", "--06-20"),
        "Ida Poe": ("wedding", "2012-02-29"),  # the one it had, not a second
    }
    assert events["Hal Roe"]["touchpoints"] == ["t1"]  # the touchpoint it had, attached
    assert len(events["Gina Tor"]["touchpoints"]) == 1  # its yearly anniversary, made
    reminders = rel_json("reminders")
    assert sorted((r["contact"], r["kind"]) for r in reminders) == [
        ("Gina Tor", "anniversary"), ("Hal Roe", "anniversary"), ("Ida Poe", "anniversary"),
    ]  # fmt: skip
    assert rel_json("show", "gina")["notes"] is None
    assert rel_json("show", "hal")["notes"] == "likes jazz"
    assert rel_json("show", "ida")["notes"] == "Anniversary: 1700-01-01"  # not a date rel keeps
    from icalendar import Calendar

    calendar = Calendar.from_ical(rel("export", "ics", ok=True).stdout)
    anniversaries = [
        str(event["uid"])
        for event in calendar.walk("VEVENT")
        if str(event.get("description", "")).startswith("anniversary")
    ]
    assert len(anniversaries) == 3  # one calendar event per anniversary
    touchpoints = json.loads(rel("export", "json", ok=True).stdout)["touchpoints"]
    assert anniversaries.count(next(t["uid"] for t in touchpoints if t["id"] == 1)) == 1
    assert store.rows("SELECT count(*) FROM rel_migration WHERE name LIKE '0010%'") == [(1,)]
    for table in ("life_event", "touchpoint"):  # what the upgrade made has its UID too
        assert store.rows(f"SELECT count(*) FROM {table} WHERE uid IS NULL") == [(0,)]
