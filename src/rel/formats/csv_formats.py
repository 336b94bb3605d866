"""Contact CSV files: LinkedIn Connections.csv, Google Contacts (current and legacy), Outlook
(English and localized, such as German), and any spreadsheet with recognisable columns.

The header row is found by its content, not its position: LinkedIn puts a "Notes:" preamble
before it. Columns are recognised by name, compared without case, accents or punctuation
(`E-mail 2 Address` = `email2address`); names of localized Outlook exports whose umlauts were
lost in a re-encoding (`Telefon gesch?ftlich`) are recognised by their consonants.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rel.domain.fields import BY_NAME, TEXT_FIELDS
from rel.errors import BadValue
from rel.formats.records import ParsedContact, Records, Skipped, fold_key
from rel.formats.text import DEFAULT_LEGACY_CHARSET, decode_text

MULTI_VALUE = " ::: "  # Google Contacts: several values in one cell
HEADER_SEARCH_ROWS = 50
# A cell rel export made safe for spreadsheets: one ' before = + - @ (tab, carriage return),
# or before a ' that is itself followed by them (see rel.services.exports.neutralise).
_NEUTRALISED = re.compile(r"^''*[=+\-@\t\r]")

# column key (see fold_key) -> the field it fills
COLUMNS: dict[str, str] = {}


ONE_LINE_FIELDS = tuple(text for text in TEXT_FIELDS if text.one_line)


def _columns(field: str, *names: str) -> None:
    for name in names:
        COLUMNS[fold_key(name)] = field


_columns("name", "Name", "Full Name", "Display Name", "Anzeigename")
_columns("first", "First Name", "Given Name", "Vorname")
_columns("middle", "Middle Name", "Additional Name", "Weitere Vornamen")
_columns("last", "Last Name", "Family Name", "Surname", "Nachname")
_columns("suffix", "Name Suffix", "Suffix")
_columns("file_as", "File As")
_columns("nickname", "Nickname", "Nicknames", "Aliases", "Spitzname")
for _text in ONE_LINE_FIELDS:  # company, title, met ...
    _columns(_text.name, *_text.csv_headers)
_columns("birthday", "Birthday", "Geburtstag", "Birth Date", "Birthdate")
_columns("anniversary", "Anniversary", "Jahrestag", "Wedding Anniversary")
_columns("tags", "Labels", "Group Membership", "Categories", "Kategorien", "Tags", "Groups")
_columns("notes", *BY_NAME["notes"].csv_headers)
_columns("cadence", "Cadence", "Keep In Touch", "Every")
_columns("connected", "Connected On")
_columns("spouse", "Spouse", "Partner")
_columns("email", "Email", "E-mail", "Email Address", "E-mail Address", "E-Mail-Adresse")
_columns("phone", "Phone", "Telephone", "Mobile", "Tel")
_columns(
    "link",
    "URL",
    "Website",
    "Web Page",
    "Personal Web Page",
    "Webseite",
    "Homepage",
    "Link",
    "Links",
    "LinkedIn",
)
# An Outlook "Title" is Mr./Ms.; "Job Title" is the role: only a bare Title column means a role.
TITLE_WHEN_ALONE = fold_key("Title")

_EMAIL_COLUMN = re.compile(r"^e?mail(?:\d+)?(?:value|address|adresse)$|^email\d+adresse$")
_NUMBERED_VALUE = re.compile(r"^(phone|website|event|customfield|relation)(\d+)value$")
_NUMBERED_LABEL = re.compile(r"^(phone|website|event|customfield|relation)(\d+)(?:label|type)$")
_PHONE_WORDS = ("phone", "telefon", "mobil", "pager", "isdn")
_NOT_PHONE = ("phonetic", "fax", "telex", "type", "label", "horbehinderte")


def _skeleton(key: str) -> str:
    """A header without vowels: `telefongeschaftlich` and the damaged `telefongeschftlich`
    both become `tlfngschftlch`."""
    return re.sub(r"[aeiouy]", "", key)


_SKELETONS = {_skeleton(key): field for key, field in COLUMNS.items() if len(key) > 6}


@dataclass(frozen=True)
class Column:
    index: int
    field: str  # a field of COLUMNS, "email", "phone", or "numbered"
    number: int = 0
    family: str = ""  # for numbered columns: phone, website, event, customfield, relation
    is_label: bool = False


def _column(header: str, index: int, headers: set[str]) -> Column | None:
    key = fold_key(header)
    if not key:
        return None
    if key == TITLE_WHEN_ALONE:
        return Column(index, "title") if fold_key("Job Title") not in headers else None
    if m := _NUMBERED_VALUE.match(key):
        return Column(index, "numbered", int(m.group(2)), m.group(1))
    if m := _NUMBERED_LABEL.match(key):
        return Column(index, "numbered", int(m.group(2)), m.group(1), is_label=True)
    if key in COLUMNS:
        return Column(index, COLUMNS[key])
    if _EMAIL_COLUMN.match(key):
        return Column(index, "email")
    if any(word in key for word in _PHONE_WORDS) and not any(w in key for w in _NOT_PHONE):
        return Column(index, "phone")
    if _skeleton(key) in _SKELETONS:
        return Column(index, _SKELETONS[_skeleton(key)])
    return None


def _layout(row: list[str]) -> list[Column]:
    headers = {fold_key(cell) for cell in row}
    return [col for i, cell in enumerate(row) if (col := _column(cell, i, headers)) is not None]


def _describe(headers: list[str]) -> str:
    keys = {fold_key(h) for h in headers}
    if "connectedon" in keys:
        return "LinkedIn connections CSV"
    if "groupmembership" in keys:
        return "Google Contacts CSV (legacy)"
    if "labels" in keys and "email1value" in keys:
        return "Google Contacts CSV"
    if "vorname" in keys or "emailaddress" in keys or "emailadresse" in keys:
        return "Outlook CSV"
    return "CSV"


def read_csv(data: bytes, *, fallback_charset: str = DEFAULT_LEGACY_CHARSET) -> Records:
    """Every row of a contacts CSV file after its header row."""
    text = decode_text(data, fallback=fallback_charset)
    rows = list(_rows(text))
    best: tuple[int, int] | None = None  # (columns recognised, row position)
    for position, (_, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        recognised = len({col.field for col in _layout(row)} - {"numbered"}) + len(
            {(c.family, c.is_label) for c in _layout(row) if c.field == "numbered"}
        )
        if recognised >= 2 and (best is None or recognised > best[0]):
            best = (recognised, position)
    if best is None:
        raise BadValue(
            "expected a contacts CSV file with a header row naming its columns (such as "
            "First Name, Last Name, E-mail Address); found none in its first "
            f"{HEADER_SEARCH_ROWS} rows"
        )
    header = rows[best[1]][1]
    body = rows[best[1] + 1 :]
    layout = _layout(header)
    return Records(len(body), _contacts(body, layout), _describe(header))


# The longest cell rel reads (Python's csv stops at 131,072 characters by default): ten times
# the longest text rel stores, so an overlong note is reported as such, not as an unreadable
# file. A file with a longer cell is refused, naming its line.
MAX_CELL = 1_000_000
DELIMITERS = (",", ";", "\t")
SAMPLE = 65_536


def _delimiter(text: str) -> str:
    """The delimiter that makes the most recognisable header row of the file's start.

    Not `csv.Sniffer`: it guesses the quoting too, and can guess wrong for a file whose notes
    hold quotes, commas and new lines (it took `doublequote=False` for rel's own export, which
    cut such notes apart). Every contacts CSV seen quotes as Excel does; only the delimiter
    differs (a German Outlook writes `;`)."""
    sample = text[:SAMPLE]
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        score = 0
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            for number, row in enumerate(reader):
                if number >= HEADER_SEARCH_ROWS:
                    break
                score = max(score, len({col.field for col in _layout(row)}))
        except csv.Error:
            pass  # the sample ends inside a quoted cell: what was read counts
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, cells) for every row of the file."""
    if csv.field_size_limit() < MAX_CELL:
        csv.field_size_limit(MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise BadValue(
                f"line {start}: a cell is longer than {MAX_CELL:,} characters, the most rel "
                "reads in one cell"
            ) from None
        raise BadValue(f"line {reader.line_num}: the CSV cannot be read ({error})") from None


def _cell(text: str) -> str:
    """A cell's text; the ' that rel export put before = + - @ (or before such a ') is taken
    off again."""
    value = text.strip()
    if _NEUTRALISED.match(value):
        value = value[1:]
    return value


def _values(text: str) -> list[str]:
    return [v for v in (part.strip() for part in _cell(text).split(MULTI_VALUE)) if v]


def _contacts(
    body: list[tuple[int, list[str]]], layout: list[Column]
) -> Iterator[ParsedContact | Skipped]:
    for line, row in body:
        if not any(cell.strip() for cell in row):
            continue  # an empty row is not a record
        yield _contact_of(row, layout, f"line {line}")


def _contact_of(row: list[str], layout: list[Column], place: str) -> ParsedContact | Skipped:
    from rel.domain.dates import parse_cadence
    from rel.errors import RelError

    contact = ParsedContact(place)
    fields: dict[str, list[str]] = {}
    numbered: dict[tuple[str, int], dict[str, str]] = {}
    for column in layout:
        value = _cell(row[column.index]) if column.index < len(row) else ""
        if not value:
            continue
        if column.field == "numbered":
            slot = numbered.setdefault((column.family, column.number), {})
            slot["label" if column.is_label else "value"] = value
        else:
            fields.setdefault(column.field, []).append(value)

    def first(name: str) -> str | None:
        return next(iter(fields.get(name, [])), None)

    def every(name: str) -> list[str]:
        return [value for cell in fields.get(name, []) for value in _values(cell)]

    for value in every("email"):
        contact.add_email(value)
    for value in every("phone"):
        contact.add_phone(value)
    for value in every("link"):
        contact.add_link(value)
    for value in every("nickname"):
        contact.add_alias(value)
    for value in every("tags"):
        for label in re.split(r"[;,]", value):  # Outlook: "Customers;VIP"
            contact.add_tag(label)
    for text in ONE_LINE_FIELDS:
        contact.set_text(text.name, first(text.name))
    contact.set_date("birthday", first("birthday"))
    contact.set_date("anniversary", first("anniversary"))
    if cadence := first("cadence"):
        try:
            contact.cadence = parse_cadence(cadence)
        except RelError as error:
            contact.problems.append(f"cadence left out: {error.message}")
    if connected := first("connected"):
        day = _connected_on(connected, contact.problems)
        if day is not None:
            contact.added_on = day
            contact.set_text("met", f"connected on LinkedIn on {day.isoformat()}")
    relations = [f"Spouse: {v}" for v in fields.get("spouse", [])]
    custom: list[str] = []
    for (family, _number), slot in sorted(numbered.items()):
        label, value = slot.get("label", ""), slot.get("value", "")
        if not value:
            continue
        plain_label = label.lstrip("* ").strip()
        if family == "phone" and "fax" not in label.lower():
            for part in _values(value):
                contact.add_phone(part)
        elif family == "website":
            for part in _values(value):
                contact.add_link(part)
        elif family == "event" and "anniversary" in label.lower():
            contact.set_date("anniversary", value)
        elif family == "event":
            custom.append(f"{plain_label or 'Date'}: {value}")
        elif family == "relation":
            relations.append(f"{plain_label or 'Related'}: {value}")
        elif family == "customfield":
            folded = fold_key(label)
            custom_field = next(
                (
                    text.name
                    for text in ONE_LINE_FIELDS
                    if text.csv_custom_label
                    and fold_key(text.name) in folded
                    and text.name not in contact.texts
                ),
                None,
            )
            if custom_field is not None:
                contact.set_text(custom_field, value)
            elif folded in ("cadence", "keepintouch", "keepintouchevery") and not contact.cadence:
                try:
                    contact.cadence = parse_cadence(value)
                except RelError as error:
                    contact.problems.append(f"cadence left out: {error.message}")
            else:
                custom.append(f"{plain_label or 'Note'}: {value}")
    for note in fields.get("notes", []):
        contact.add_note(note)
    if custom or relations:
        contact.add_note("\n".join(custom + relations))
    contact.set_name(first("name"), _composed_name(fields))
    return contact.finish()


def _composed_name(fields: dict[str, list[str]]) -> str | None:
    parts = [
        " ".join(fields.get(part, [""])[0].split())
        for part in ("first", "middle", "last", "suffix")
    ]
    words = [p for p in parts if p]
    if not words:
        return None
    name = " ".join(words)
    # "File As" written family name first (田中 陽菜) is how the person's name is written
    file_as = " ".join((fields.get("file_as") or [""])[0].split())
    if file_as and "," not in file_as and sorted(file_as.split()) == sorted(name.split()):
        return file_as
    return name


def _connected_on(text: str, problems: list[str]):
    """The day of LinkedIn's "Connected On", or None; one outside the years rel accepts is
    noted in `problems`, one after the import's day is left out with a note too
    (ParsedContact.keep_past)."""
    from rel.errors import RelError
    from rel.formats.records import read_date

    try:
        day = read_date(text)
    except RelError as error:
        problems.append(f"connected-on date left out: {error.message}")
        return None
    if day is None or day.year is None:
        return None
    from datetime import date

    return date(day.year, day.month, day.day)
