"""Taking a network out: rel's JSON (lossless), CSV, vCard 3.0 and an iCalendar of what is due.

- json: `rel.services.network.dump_network` with the store's own ids; `rel import json` reads it
  back exactly, and into an empty store keeps every id, so every key (t7, g3) still works.
- csv: one row per contact, in the columns of Google Contacts' own export (`--style google`,
  the default) or of Outlook's (`--style outlook`), values written as each writes them: Google
  joins several values in a cell with ` ::: ` and writes dates as `1984-03-14` or `--03-14`;
  Outlook has one column per email and phone and writes dates month first, `3/14/1984`.
  A cell starting with = + - @ (or a tab or carriage return) gets a leading ' so a spreadsheet
  shows it as text instead of running it as a formula, unless it is a phone number
  (`+1 202 555 0100`) or a date without its year (`--03-14`): those cannot call a function or
  read a cell, and are written as the address books write them (see `neutralise`).
  `rel import csv` takes the ' off again and reads both styles back.
- vcard: vCard 3.0, written by vobject. 3.0 rather than 4.0 because the address books people
  import into (Apple Contacts, Google Contacts, Outlook) read 3.0 fully and 4.0 partly or not
  at all. Each alias is a NICKNAME property of its own (RFC 6350 allows several), its commas
  escaped (`NICKNAME:Smith\\, J`), so every reader sees the aliases apart and whole; `rel
  import vcard` also reads the one-property list `NICKNAME:Ally,Al`. A birthday without a year
  is written `BDAY:--0314` (RFC 6350's form, which vCard 3.0 readers such as khard also
  read), not Apple's `1604-03-14`, which other programs show as the year 1604. A contact's
  anniversary (its first life event of a kind in ANNIVERSARY_KINDS: a wedding, an anniversary)
  goes in X-ANNIVERSARY, written the same way. Each card's UID is the contact's persisted one
  (rel.domain.identity), and an email's or a phone's TYPE is written back as the card it came
  from gave it (`TEL;TYPE=CELL`).
- ics: through icalendar: birthdays as yearly all-day events, the next catch-up with every
  contact who has a cadence, and every open touchpoint, among them the yearly anniversary of a
  life event (one event per anniversary; "since 2015" when its year is known); with an alarm, a
  VALARM (DISPLAY) that long before each. UIDs are the records' persisted ones: a touchpoint's
  own, a contact's with the kind of event (`<uid>-birthday`; all built by `item_uid`), so
  importing a newer export into a calendar updates the events instead of duplicating them,
  through a restore too. As a vdir (`ics_files`): one file per event, named after its UID as
  khal names them; rel.files.write_folder writes it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rel.domain.dates import Birthday, Duration, parse_birthday, parse_event_date, yearly_day
from rel.domain.fields import TEXT_FIELDS
from rel.domain.vocabulary import ANNIVERSARY_KINDS
from rel.errors import BadValue

if TYPE_CHECKING:
    from rel.store.network import OpenTouchpoint
    from rel.store.queries import Store

KINDS = ("json", "csv", "vcard", "ics")
CSV_STYLES = ("google", "outlook")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# what a spreadsheet cannot run although it starts with + or -: a phone number (a +, then
# digits, spaces, dots, dashes, slashes, parentheses) and a date without its year (--03-14)
_PHONE = re.compile(r"\+[0-9][0-9 ().\-/]*")
_YEARLESS = re.compile(r"--[0-9]{2}-?[0-9]{2}")
MULTI_VALUE = " ::: "
ICS_PRODID = "-//rel//rel personal relationship tracker//EN"
# the characters khal and vdirsyncer keep in a file name made of a UID
SAFE_UID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-+@")
MAX_SAFE_UID = 200  # with `.ics`, within the 255 bytes of a file name
# a leap year, so that 29 February is a real first occurrence
YEARLESS_START_YEAR = 2000

# The one-line fields of rel.domain.fields: those Google has a column for (company, title),
# and those written as a labelled Custom Field (met); the notes have their column.
CSV_TEXT_COLUMNS = tuple(f for f in TEXT_FIELDS if f.one_line and not f.csv_custom_label)
CSV_CUSTOM_FIELDS = tuple(f for f in TEXT_FIELDS if f.one_line and f.csv_custom_label)
CSV_COLUMNS = (
    "First Name", "Middle Name", "Last Name", "Nickname",
    *(f.csv_headers[0] for f in CSV_TEXT_COLUMNS),
    "Birthday", "Notes", "Labels", "E-mail 1 - Label", "E-mail 1 - Value",
    "Phone 1 - Label", "Phone 1 - Value", "Website 1 - Label", "Website 1 - Value",
    "Event 1 - Label", "Event 1 - Value",
    *(f"Custom Field {n} - {part}" for n in range(1, len(CSV_CUSTOM_FIELDS) + 2)
      for part in ("Label", "Value")),
)  # fmt: skip


def export(
    kind: str,
    store: Store,
    *,
    today: date,
    now: datetime,
    alarm: Duration | None = None,
    style: str = "google",
) -> str:
    """The whole store in `kind` (json, csv, vcard, ics) as text; a CSV in `style`; `alarm`: a
    reminder that long before each event of a calendar."""
    if kind == "json":
        return export_json(store)
    if kind == "csv":
        return export_csv(store, style=style)
    if kind == "vcard":
        return export_vcard(store)
    if kind == "ics":
        return export_ics(store, today=today, now=now, alarm=alarm)
    raise BadValue(f"expected a format to export: {', '.join(KINDS)}; got {kind!r}")


def export_json(store: Store) -> str:
    from rel.services.network import dump_network

    return json.dumps(dump_network(store, store_ids=True), indent=2, ensure_ascii=False) + "\n"


def exported_contacts(store: Store) -> list[dict[str, Any]]:
    """The contacts of rel's JSON, each with its "anniversary" (a Birthday, or None): the day
    of its first life event of a kind in ANNIVERSARY_KINDS."""
    from rel.services.network import dump_network

    document = dump_network(store, store_ids=True)
    anniversaries: dict[int, Birthday] = {}
    for event in document["events"]:
        if event["kind"] in ANNIVERSARY_KINDS and event["contact"] not in anniversaries:
            anniversaries[event["contact"]] = yearly_day(parse_event_date(event["date"]))
    contacts = document["contacts"]
    for contact in contacts:
        contact["anniversary"] = anniversaries.get(contact["id"])
    return contacts


def card_date(day: Birthday) -> str:
    """A date as a vCard writes it: `1984-03-14`, or `--0314` without its year (RFC 6350)."""
    return str(day) if day.year else f"--{day.month:02d}{day.day:02d}"


def split_name(name: str) -> tuple[str, str]:
    """(given names, family name) the way a card or a spreadsheet wants them: the last word is
    the family name. A guess, but joining the two again gives the name back."""
    given, _, family = name.rpartition(" ")
    return (given, family) if given else (name, "")


# --- CSV ----------------------------------------------------------------------------------


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text: `=1+1` becomes `'=1+1`.

    The rule: a cell starting with = + - @ (or a tab or a carriage return) gets a leading ',
    unless it is a phone number (`+1 202 555 0100`, several joined with ` ::: `) or a date
    without its year (`--07-04`), which are written as Google and Outlook write them: made of
    digits, spaces and punctuation only, they cannot call a function or read a cell. A cell
    that already starts with ' before one of those gets one more (`'=x` -> `''=x`, `'+1 2` ->
    `''+1 2`), so that `rel import csv`, which takes one ' off, gives back what was exported."""
    bare = cell.lstrip("'")
    if not bare.startswith(FORMULA_STARTS):
        return cell
    if cell == bare and (
        _YEARLESS.fullmatch(cell) or all(_PHONE.fullmatch(part) for part in cell.split(MULTI_VALUE))
    ):
        return cell
    return "'" + cell


def export_csv(store: Store, *, style: str = "google") -> str:
    if style not in CSV_STYLES:
        raise BadValue(f"expected a CSV style: {', '.join(CSV_STYLES)}; got {style!r}")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns, row_of = (
        (CSV_COLUMNS, _google_row) if style == "google" else (OUTLOOK_COLUMNS, _outlook_row)
    )
    writer.writerow(columns)
    for contact in exported_contacts(store):
        writer.writerow([neutralise(cell) for cell in row_of(contact)])
    return buffer.getvalue()


def _custom_cells(contact: dict[str, Any]) -> list[str]:
    return [
        cell
        for f in CSV_CUSTOM_FIELDS
        for cell in ((f.csv_custom_label, contact[f.name]) if contact[f.name] else ("", ""))
    ]


def _google_row(contact: dict[str, Any]) -> list[str]:
    given, family = split_name(contact["name"])
    anniversary = contact["anniversary"]
    return [
        given,
        "",
        family,
        MULTI_VALUE.join(contact["aliases"]),
        *(contact[f.name] or "" for f in CSV_TEXT_COLUMNS),
        contact["birthday"] or "",
        contact["notes"] or "",
        MULTI_VALUE.join(contact["tags"]),
        "" if not contact["emails"] else "* Other",
        MULTI_VALUE.join(contact["emails"]),
        "" if not contact["phones"] else "Mobile",
        MULTI_VALUE.join(contact["phones"]),
        "" if not contact["links"] else "Profile",
        MULTI_VALUE.join(contact["links"]),
        "Anniversary" if anniversary else "",
        str(anniversary) if anniversary else "",
        *_custom_cells(contact),
        "Keep in touch" if contact["cadence"] else "",
        contact["cadence"] or "",
    ]


# Outlook's own CSV export names its columns so (in this order, among many more it leaves
# empty for rel); one email or phone per column, the last column of each kind taking any more
# joined with ` ::: `, the phones in rel's order (which `rel import csv` keeps). How we met
# and the cadence have no Outlook column: they follow as columns of their own, which Outlook's
# import can map or leave out and `rel import csv` reads.
OUTLOOK_EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
OUTLOOK_PHONES = ("Mobile Phone", "Business Phone", "Home Phone", "Other Phone")
OUTLOOK_COLUMNS = (
    "First Name", "Middle Name", "Last Name", "Company", "Job Title",
    *OUTLOOK_PHONES,
    "Anniversary", "Birthday", "Categories", OUTLOOK_EMAILS[0], "E-mail Type",
    OUTLOOK_EMAILS[1], "E-mail 2 Type", OUTLOOK_EMAILS[2], "E-mail 3 Type",
    "Nickname", "Notes", "Web Page",
    *(f.csv_headers[0] for f in CSV_CUSTOM_FIELDS), "Keep In Touch",
)  # fmt: skip
OUTLOOK_NO_DATE = "0/0/00"  # how Outlook writes a date it does not have


def outlook_date(day: Birthday | None) -> str:
    """A date as Outlook's (English) export writes it, month first: `7/4/1980`; Outlook has no
    date without a year, so that one is written as Google writes it, `--07-04`."""
    if day is None:
        return OUTLOOK_NO_DATE
    return f"{day.month}/{day.day}/{day.year}" if day.year else str(day)


def _spread(values: list[str], slots: int) -> list[str]:
    """One value per column, the last column taking the rest joined with ` ::: `."""
    cells = [*values[: slots - 1], MULTI_VALUE.join(values[slots - 1 :])]
    return cells + [""] * (slots - len(cells))


def _outlook_row(contact: dict[str, Any]) -> list[str]:
    given, family = split_name(contact["name"])
    birthday = parse_birthday(contact["birthday"]) if contact["birthday"] else None
    emails = _spread(contact["emails"], len(OUTLOOK_EMAILS))
    mobile, business, home, other = _spread(contact["phones"], len(OUTLOOK_PHONES))
    by_name = {f.name: contact[f.name] or "" for f in TEXT_FIELDS}
    return [
        given, "", family, by_name["company"], by_name["title"],
        mobile, business, home, other,
        outlook_date(contact["anniversary"]), outlook_date(birthday),
        ";".join(contact["tags"]),
        emails[0], "SMTP" if emails[0] else "", emails[1], "SMTP" if emails[1] else "",
        emails[2], "SMTP" if emails[2] else "",
        MULTI_VALUE.join(contact["aliases"]), contact["notes"] or "",
        MULTI_VALUE.join(contact["links"]),
        *(contact[f.name] or "" for f in CSV_CUSTOM_FIELDS), contact["cadence"] or "",
    ]  # fmt: skip


# --- vCard --------------------------------------------------------------------------------


def export_vcard(store: Store) -> str:
    return "".join(
        vcard_of(contact, item_uid(contact["uid"])) for contact in exported_contacts(store)
    )


def vcard_of(contact: Mapping[str, Any], uid: str) -> str:
    """One contact (one of `exported_contacts`, or a card of rel.domain.cards with its
    "labels" and "anniversary") as a vCard 3.0 with this UID: the one mapping `rel export
    vcard` and `rel sync vdir` write."""
    import vobject

    card = vobject.vCard()
    card.add("version").value = "3.0"
    card.add("uid").value = uid
    card.add("fn").value = contact["name"]
    given, family = split_name(contact["name"])
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    for alias in contact["aliases"]:  # one each, commas escaped: see the module's doc
        card.add("nickname").value = alias
    for text in TEXT_FIELDS:  # ORG, TITLE, NOTE, X-REL-MET ... (rel.domain.fields)
        if contact[text.name]:
            card.add(text.vcard.lower()).value = (
                [contact[text.name]] if text.vcard_structured else contact[text.name]
            )
    labels = contact.get("labels", {})  # the TYPEs a card gave (CELL, WORK ...), kept
    for email in contact["emails"]:
        line = card.add("email")
        line.value = email
        line.params["TYPE"] = labels[email].split(",") if email in labels else ["INTERNET"]
    for phone in contact["phones"]:
        line = card.add("tel")
        line.value = phone
        if phone in labels:
            line.params["TYPE"] = labels[phone].split(",")
    for link in contact["links"]:
        card.add("url").value = link
    if contact["birthday"]:
        card.add("bday").value = card_date(parse_birthday(contact["birthday"]))
    if contact.get("anniversary"):
        card.add("x-anniversary").value = card_date(contact["anniversary"])
    if contact["tags"]:
        card.add("categories").value = contact["tags"]
    if contact["cadence"]:
        card.add("x-rel-cadence").value = contact["cadence"]
    return card.serialize()


# --- iCalendar ----------------------------------------------------------------------------


def yearly_rule(day: Birthday) -> dict[str, Any]:
    """The RRULE of a yearly date. 29 February is the last day of February: the 29th in leap
    years, the 28th in the others, as the agenda celebrates it."""
    if (day.month, day.day) == (2, 29):
        return {"FREQ": "YEARLY", "BYMONTH": 2, "BYMONTHDAY": -1}
    return {"FREQ": "YEARLY"}


def yearly_start(day: Birthday) -> date:
    return date(day.year or YEARLESS_START_YEAR, day.month, day.day)


def item_uid(uid: str, event: str = "") -> str:
    """The UID of an item rel exports, and the only place one is built, from a record's
    persisted UID (rel.domain.identity): a contact's card or a touchpoint has its own, and a
    contact's birthday, anniversary and catch-up are `<uid>-birthday`, `<uid>-anniversary`,
    `<uid>-catch-up`. A restore keeps them: a calendar updates its events, never doubles
    them."""
    return f"{uid}-{event}" if event else uid


def alarm_trigger(alarm: Duration) -> timedelta:
    """How long before an event its reminder goes off. iCalendar durations have no months or
    years, so a month counts as 30 days and a year as 365 (rel.domain.dates.Duration)."""
    return -timedelta(days=alarm.approx_days)


def calendar_events(
    store: Store, *, today: date, now: datetime, alarm: Duration | None = None
) -> list[Any]:
    """The VEVENTs of rel's calendar (icalendar Events), in a stable order: birthdays and
    anniversaries of contacts not archived, the next catch-ups, the open touchpoints; each
    with a display alarm `alarm` before it when one is asked for."""
    from icalendar import Alarm, Event, vRecur

    stamp = now if now.tzinfo else now.replace(tzinfo=None)
    events: list[Any] = []

    def event(uid: str, summary: str, start: date, description: str = "") -> Any:
        item = Event()
        item.add("uid", uid)
        item.add("dtstamp", stamp)
        item.add("summary", summary)
        item.add("dtstart", start)
        item.add("dtend", start + timedelta(days=1))
        item.add("transp", "TRANSPARENT")
        if description:
            item.add("description", description)
        events.append(item)
        return item

    uids = {}
    for contact in exported_contacts(store):
        uids[contact["id"]] = contact["uid"]
        if contact["archived"]:
            continue
        key, name = contact["uid"], contact["name"]
        if contact["birthday"]:
            birthday = parse_birthday(contact["birthday"])
            item = event(
                item_uid(key, "birthday"),
                f"{name}'s birthday",
                yearly_start(birthday),
                f"born {birthday.year}" if birthday.year else "",
            )
            item.add("rrule", yearly_rule(birthday))
    for contact_id, name, state in catch_ups(store, today):
        overdue = state.due < today
        event(
            item_uid(uids[contact_id], "catch-up"),
            f"Catch up with {name}",
            max(state.due, today),
            state.reason() + (" (overdue: shown on the day of the export)" if overdue else ""),
        )
    for touchpoint, name in open_touchpoints(store):
        since = ""
        if touchpoint.kind == "anniversary" and touchpoint.event_on is not None:
            year = yearly_day(touchpoint.event_on).year  # "since" only when the year is known
            since = f" since {year}" if year else ""
        item = event(
            item_uid(touchpoint.uid),
            f"{name}: {touchpoint.text}",
            touchpoint.due,
            f"{touchpoint.kind}{since} (rel key t{touchpoint.id})",
        )
        if touchpoint.rule:
            item.add("rrule", vRecur.from_ical(remaining_rule(touchpoint)))
    if alarm is not None:
        for item in events:
            reminder = Alarm()
            reminder.add("action", "DISPLAY")
            reminder.add("trigger", alarm_trigger(alarm))
            reminder.add("description", str(item["summary"]))
            item.add_component(reminder)
    return events


def _calendar(name: str | None = None) -> Any:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", ICS_PRODID)
    calendar.add("version", "2.0")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def export_ics(store: Store, *, today: date, now: datetime, alarm: Duration | None = None) -> str:
    """rel's calendar as one iCalendar file."""
    calendar = _calendar("rel")
    for item in calendar_events(store, today=today, now=now, alarm=alarm):
        calendar.add_component(item)
    return calendar.to_ical().decode("utf-8")


# --- a calendar folder (vdir) --------------------------------------------------------------


def ics_files(
    store: Store, *, today: date, now: datetime, alarm: Duration | None = None
) -> dict[str, bytes]:
    """rel's calendar as a vdir (vdirsyncer's and khal's calendar folder): a file name for
    each event, its content a VCALENDAR holding that one VEVENT."""
    files: dict[str, bytes] = {}
    for item in calendar_events(store, today=today, now=now, alarm=alarm):
        calendar = _calendar()
        calendar.add_component(item)
        files[ics_file_name(str(item["uid"]))] = calendar.to_ical()
    return files


def ics_file_name(uid: str) -> str:
    """The file of the event `uid` in a vdir, as khal names the ones it writes: the UID itself
    when it is made of letters, digits and `_.-+@` only, else the SHA-1 of the UID (also for a
    UID too long for a file name or starting with a dot)."""
    if set(uid) <= SAFE_UID_CHARS and len(uid) <= MAX_SAFE_UID and not uid.startswith("."):
        return uid + ".ics"
    return hashlib.sha1(uid.encode("utf-8")).hexdigest() + ".ics"


def written_by_rel(name: str, data: bytes) -> bool:
    """Whether the vdir file `name` holding `data` is one `rel export ics --dir` wrote: rel's
    PRODID, one event, and the file name made of that event's UID. Only such files are
    removed when their item is gone; every other file in the folder is left alone."""
    if ICS_PRODID.encode() not in data[:4096]:
        return False
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(data)
    except ValueError:
        return False
    events = calendar.walk("VEVENT")
    return (
        str(calendar.get("prodid", "")) == ICS_PRODID
        and len(events) == 1
        and "uid" in events[0]
        and ics_file_name(str(events[0]["uid"])) == name
    )


def same_ics(old: bytes, new: bytes) -> bool:
    """Whether two files of one event say the same, but for when they were written (DTSTAMP):
    an export that changes nothing else leaves the file as it is."""

    def content(data: bytes) -> list[bytes]:
        lines = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").splitlines()
        return [line for line in lines if not line.upper().startswith(b"DTSTAMP")]

    return content(old) == content(new)


def open_touchpoints(store: Store) -> list[tuple[OpenTouchpoint, str]]:
    """Open touchpoints of contacts not archived, with the contact's name."""
    from rel.store.network import open_touchpoints as stored

    return [(touchpoint, touchpoint.name) for touchpoint in stored(store)]


def remaining_rule(touchpoint: Any) -> str:
    """The touchpoint's RRULE from its open occurrence on: the calendar event starts at `due`,
    so a COUNT counts only the occurrences still to come."""
    from rel.domain.dates import Rule

    rule = touchpoint.rule
    if "COUNT=" not in rule:
        return rule
    left = Rule(rule, touchpoint.start).between(touchpoint.due, date(9999, 12, 31))
    parts = [p for p in rule.split(";") if not p.startswith("COUNT=")]
    return ";".join([*parts, f"COUNT={max(len(left), 1)}"])


def catch_ups(store: Store, today: date) -> list[tuple[int, str, Any]]:
    """(id, name, CatchUp) of every contact not archived with a cadence of their own or of a
    tag, as the agenda computes it."""
    from rel.services.agenda import catch_up
    from rel.store.network import catch_up_contacts, tag_cadences

    cadences = tag_cadences(store)
    found = []
    for contact in catch_up_contacts(store):
        state = catch_up(
            contact.cadence, cadences.get(contact.id, ()), contact.added_on, contact.last_seen,
            today, contact.catch_up_skipped,
        )  # fmt: skip
        if state is not None:
            found.append((contact.id, contact.name, state))
    return found
