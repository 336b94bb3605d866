"""One definition of the agenda's rules: the SQL that leaves out whoever cannot be due (on the
compiled sqlite3 path of `rel due`) never changes the agenda.

Hypothesis makes stores of every shape, through rel's own write paths (an import, `rel add`,
`rel log`): cadences of one's own, of a tag, ranges; never seen, seen, skipped; birthdays
around the window and on 29 February; archived, snoozed, imported with `--every`, a cadence
changed by hand. For random days and windows, the agenda read through the filtered statements
equals the one read through the statements that consider every contact."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rel.domain.dates import parse_cadence
from rel.services.agenda import agenda
from rel.store.queries import OrmReader, SqliteReader

IMPORTED_ON = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
CADENCES = ["1w", "2w", "10d", "3w-6w", "1m", "1m-2m", "6w", "quarterly", "1y", "2y-3y"]
TAGS = ["customer", "friend", "family"]
WINDOWS = [0, 1, 6, 7, 13, 30, 90, 364, 365, 400]


class EveryContact:
    """A reader that asks for every contact with a cadence or a birthday, due or not."""

    def __init__(self, reader) -> None:
        self.reader = reader

    def rows(self, name: str, /, **params):
        if name.startswith("agenda_contacts"):
            name = name.replace("agenda_contacts", "every_agenda_contact")
            params = {k: v for k, v in params.items() if k in ("tags", "contact_id")}
        return self.reader.rows(name, **params)


def day_before(days: int) -> date:
    return IMPORTED_ON - timedelta(days=days)


# days before the import, often on the edges: month ends, 29 February, the new year
EDGES = [date(2026, 1, 31), date(2026, 1, 30), date(2026, 1, 29), date(2025, 12, 31),
         date(2025, 11, 30), date(2025, 1, 31), date(2024, 2, 29), date(2026, 2, 28)]  # fmt: skip
days_before = st.one_of(
    st.integers(0, 800), st.sampled_from([(IMPORTED_ON - day).days for day in EDGES])
)


birthdays = st.one_of(
    st.none(),
    st.sampled_from(["--02-29", "2000-02-29", "--02-28", "--03-01", "--01-01", "--12-31"]),
    st.builds(
        lambda month, day, year: f"{year or '-'}-{month:02d}-{day:02d}",
        st.integers(1, 12),
        st.integers(1, 28),
        st.sampled_from([None, 1970, 1999]),
    ),
)
people = st.fixed_dictionaries(
    {
        "cadence": st.sampled_from([None, *CADENCES]),
        "tags": st.lists(st.sampled_from(TAGS), max_size=2, unique=True),
        "birthday": birthdays,
        "archived": st.booleans(),
        "added": days_before,
        "skipped": st.one_of(st.none(), st.integers(-60, 400)),
        "seen": st.lists(days_before, max_size=3),
        "snoozed": st.one_of(st.none(), st.integers(-10, 60)),
        "by_hand": st.booleans(),  # added with `rel add`, not imported
    }
)
stores = st.fixed_dictionaries(
    {
        "people": st.lists(people, min_size=1, max_size=16),
        "tag_cadences": st.fixed_dictionaries(
            {tag: st.one_of(st.none(), st.sampled_from(CADENCES)) for tag in TAGS}
        ),
        "every": st.one_of(st.none(), st.sampled_from(["1m", "3m", "2w-4w"])),
        "forgotten": st.sets(st.integers(0, 9), max_size=2),  # cadence changed by hand
    }
)


def make_store(shape: dict):
    """A fresh in-memory store filled through rel's own write paths."""
    from rel.paths import StoreLocation
    from rel.services.contacts import ContactDetails, add_contact, clean_tag, set_tag_cadence
    from rel.services.importing.document import import_document
    from rel.services.interactions import record_interaction
    from rel.store.engine import open_store

    store = open_store(StoreLocation("sqlite://", None), write=True)
    contacts, interactions, snoozes = [], [], []
    by_hand = []
    for number, person in enumerate(shape["people"], start=1):
        if person["by_hand"]:
            by_hand.append(person)
            continue
        record = {
            "id": number,
            "name": f"Person {number}",
            "tags": person["tags"],
            "birthday": person["birthday"],
            "cadence": person["cadence"],
            "archived": person["archived"],
            "added_on": day_before(person["added"]).isoformat(),
        }
        if person["skipped"] is not None:
            record["catch_up_skipped"] = day_before(person["skipped"]).isoformat()
        contacts.append(record)
        for days in person["seen"]:
            interactions.append({"date": day_before(days).isoformat(), "kind": "call",
                                 "with": [number]})  # fmt: skip
        if person["snoozed"] is not None:
            until = (IMPORTED_ON + timedelta(days=person["snoozed"])).isoformat()
            snoozes += [{"key": f"{kind}{number}", "until": until} for kind in "cb"]
    document = {
        "format": "rel",
        "version": 1,
        "contacts": contacts,
        "interactions": interactions,
        "snoozes": snoozes,
        "tags": [{"name": tag, "cadence": text} for tag, text in shape["tag_cadences"].items()],
    }
    every = parse_cadence(shape["every"]) if shape["every"] else None
    with store.session() as session:
        report = import_document(
            OrmReader(session), document, today=IMPORTED_ON, now=NOW, cadence=every
        )
        assert not report.problems, report.problems
        for number, person in enumerate(by_hand):
            details = ContactDetails(
                cadence=parse_cadence(person["cadence"]) if person["cadence"] else None,
                tags=[clean_tag(tag) for tag in person["tags"]],
            )
            added = day_before(person["added"])
            contact, _ = add_contact(
                OrmReader(session), f"Added {number}", details, today=added, now=NOW
            )
            for days in person["seen"]:
                record_interaction(session, [contact], "call", None, on=day_before(days),
                                   they_reached_out=False, today=IMPORTED_ON, now=NOW)  # fmt: skip
        for tag, text in shape["tag_cadences"].items():
            if text and tag in TAGS[:1]:  # one tag's cadence set again the way `rel tag` does
                set_tag_cadence(OrmReader(session), tag, parse_cadence(text))
        session.flush()
        connection = session.connection().connection.driver_connection
        for position in sorted(shape["forgotten"]):  # a person with the sqlite3 shell
            connection.execute(
                "UPDATE contact SET cadence = '1w' WHERE id ="
                " (SELECT id FROM contact ORDER BY id LIMIT 1 OFFSET ?)",
                (position,),
            )
    return store


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=stores,
    first=st.one_of(st.integers(-90, 500), st.sampled_from([-8, 292, 358, 723])),
    windows=st.lists(st.sampled_from(WINDOWS), min_size=1, max_size=3, unique=True),
    tags=st.sampled_from([[], ["customer"], ["friend", "family"]]),
)
def test_the_filtered_agenda_is_the_agenda_of_everyone(shape, first, windows, tags) -> None:
    """On 21 days in a row from a random one, for a few windows."""
    store = make_store(shape)
    try:
        with store.session() as session:
            reader = SqliteReader(session.connection().connection.driver_connection)
            for offset in range(first, first + 21):
                today = IMPORTED_ON + timedelta(days=offset)
                for days in windows:
                    filtered = agenda(reader, today, days=days, tags=tags)
                    everyone = agenda(EveryContact(reader), today, days=days, tags=tags)
                    assert filtered == everyone, (today, days, tags)
            # `rel why` asks the agenda of one contact: their rows of the whole agenda
            today = IMPORTED_ON + timedelta(days=first)
            whole = agenda(reader, today, days=windows[0])
            contact_ids = {row.contact_id for row in whole.rows}
            contact_ids |= {contact.id for contact in every_contact(reader)[:3]}
            for contact_id in sorted(contact_ids):
                theirs = [row for row in whole.rows if row.contact_id == contact_id]
                one = agenda(reader, today, days=windows[0], contact_id=contact_id)
                assert one.rows == theirs, (today, contact_id)
                everyone = agenda(EveryContact(reader), today, days=windows[0],
                                  contact_id=contact_id)  # fmt: skip
                assert everyone.rows == theirs, (today, contact_id)
    finally:
        store.close()


def every_contact(reader):
    from rel.store.agenda import every_candidate

    return every_candidate(reader)
