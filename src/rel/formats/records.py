"""What an import reads from a file before it touches the store: one record per person.

Every reader (vCard, CSV, JSON) turns its file into `ParsedContact`s, already checked value by
value: a value that cannot be kept (a "phone" that is not a number) is left out and noted in
`problems`, and a record that cannot be kept at all (no name, no email, no phone) becomes a
`Skipped` with the place it was found (`card 3 (line 17)`, `line 12`).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rel.domain import values as c
from rel.domain.dates import FIRST_BIRTH_YEAR, Birthday, Cadence, check_date
from rel.domain.fields import BY_NAME
from rel.errors import RelError


@dataclass
class ParsedContact:
    """One person as a file describes them, with every value checked."""

    place: str  # where in the file: "card 3 (line 17)", "line 4", "contacts[2]"
    name: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # the one-line fields of rel.domain.fields (company, title, met ...), by name
    texts: dict[str, str] = field(default_factory=dict)
    notes: str | None = None
    birthday: Birthday | None = None
    anniversary: Birthday | None = None
    cadence: Cadence | None = None
    uid: str | None = None  # the card's own UID (rel.domain.identity.clean_uid)
    labels: dict[str, str] = field(default_factory=dict)  # an email's or phone's TYPE: CELL ...
    # rel's own JSON brings these; other formats leave them to the import
    added_on: date | None = None
    catch_up_skipped: date | None = None  # the occurrence a skip of the catch-up counts from
    archived: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    document_id: Any = None
    problems: list[str] = field(default_factory=list)
    name_problem: str | None = None  # why the name it has was not kept (too long ...)

    def __getattr__(self, name: str) -> str | None:
        """A one-line text field by its name (`record.company`), as the other fields are."""
        if name in BY_NAME and BY_NAME[name].one_line:
            return self.texts.get(name)
        raise AttributeError(name)

    # --- adding checked values: what does not pass is noted, not fatal --------------------

    def _keep(
        self, target: list[str], value: str | None, check: Callable[[str], str], what: str
    ) -> str | None:
        """Add the checked value to `target` (once); the value as kept, or None."""
        value = (value or "").strip()
        if not value:
            return None
        try:
            checked = check(value)
        except RelError as error:
            self.problems.append(f"{what} {value!r:.60} left out: {error.message}")
            return None
        if checked not in target:
            target.append(checked)
        return checked

    def _label(self, value: str | None, label: str | None) -> None:
        if value is not None and label and value not in self.labels:
            self.labels[value] = label

    def add_email(self, value: str | None, label: str | None = None) -> None:
        """An email; `label` its TYPE in the file (WORK, "HOME,PREF"), written back as it came."""
        value = (value or "").strip()
        if value.lower().startswith("mailto:"):
            value = value[len("mailto:") :]
        self._label(self._keep(self.emails, value, c.clean_email, "email"), label)

    def add_phone(self, value: str | None, label: str | None = None) -> None:
        """A phone number; `label` its TYPE in the file (CELL, "WORK,VOICE")."""
        value = (value or "").strip()
        if value.lower().startswith("tel:"):
            value = value[len("tel:") :]
        self._label(self._keep(self.phones, value, c.clean_phone, "phone"), label)

    def add_link(self, value: str | None) -> None:
        self._keep(self.links, (value or "").replace("\\:", ":"), c.clean_link, "link")

    def add_alias(self, value: str | None) -> None:
        self._keep(self.aliases, value, c.clean_alias, "nickname")

    def add_tag(self, label: str | None, *, verbatim: bool = False) -> None:
        """A tag; an address book's label is made into one (`My Clients` -> my-clients)
        unless `verbatim` (rel's own files)."""
        tag = (label or "").strip() if verbatim else tag_from_label(label or "")
        if tag:
            self._keep(self.tags, tag, c.clean_tag, "tag")

    def set_text(self, name: str, value: str | None, *, one_line: bool = True) -> None:
        """A one-line field of rel.domain.fields (company, title, met ...): the first
        non-empty value wins."""
        if self.texts.get(name) is not None or not value or not value.strip():
            return
        try:
            self.texts[name] = c.clean_text(value, BY_NAME[name].what, one_line=one_line)
        except RelError as error:
            self.problems.append(f"{name} left out: {error.message}")

    def add_note(self, value: str | None) -> None:
        text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if not text:
            return
        text = _CONTROL.sub("", text)
        if self.notes and text in self.notes:
            return
        joined = f"{self.notes}\n\n{text}" if self.notes else text
        if len(joined) > c.MAX_TEXT:
            self.problems.append(
                f"notes left out: {len(joined):,} characters, more than the {c.MAX_TEXT:,} "
                "a text may have"
            )
            return
        self.notes = joined

    def set_date(self, name: str, value: str | None, **hints: Any) -> None:
        """Birthday or anniversary: the first that reads as a date wins."""
        if getattr(self, name) is not None or not value or not value.strip():
            return
        if not re.sub(r"[0\W]", "", value):
            return  # Outlook writes an empty date as 0.0.00 or 0/0/00
        try:
            day = read_date(value, **hints)
        except RelError as error:
            self.problems.append(f"{name} left out: {error.message}")
            return
        if day is None:
            self.problems.append(f"{name} {value.strip()!r:.40} left out: not a date")
        else:
            setattr(self, name, day)

    def keep_past(self, today: date) -> None:
        """Leave out, with a note, the dates that can only be past but are after `today`: a
        birthday or an anniversary whose year is to come, the day a connection was made."""
        for name in ("birthday", "anniversary"):
            day = getattr(self, name)
            if day is not None and day.year is not None and day.in_year(day.year) > today:
                self.problems.append(f"{name} {day} left out: after today ({today.isoformat()})")
                setattr(self, name, None)
        if self.added_on is not None and self.added_on > today:
            self.problems.append(
                f"connected-on date {self.added_on.isoformat()} left out: after today "
                f"({today.isoformat()})"
            )
            if self.added_on.isoformat() in self.texts.get("met", ""):
                del self.texts["met"]  # "connected on LinkedIn on 2099-10-09": the wrong day
            self.added_on = None

    def set_name(self, *candidates: str | None) -> None:
        for candidate in candidates:
            if candidate and candidate.strip():
                try:
                    self.name = c.clean_name(candidate)
                    return
                except RelError as error:
                    self.problems.append(f"name left out: {error.message}")
                    if self.name_problem is None:
                        self.name_problem = _name_problem(candidate, error.message)

    def finish(self) -> ParsedContact | Skipped:
        """The record, named after its company, nickname, email or phone when it has no name."""
        if self.name is None:
            self.set_name(self.texts.get("company"), *self.aliases, *self.emails, *self.phones)
        if self.name is None:
            return Skipped(self.place, self.name_problem or "no name, email or phone")
        return self


def _name_problem(candidate: str, message: str) -> str:
    """Why a record's only name was not kept, for the line that says it was skipped."""
    if len(" ".join(candidate.split())) > c.MAX_NAME:
        return f"name too long (a name may have at most {c.MAX_NAME} characters)"
    return f"name not kept: {message}"


@dataclass(frozen=True)
class Skipped:
    """A record that cannot be imported, and why."""

    place: str
    reason: str


@dataclass
class Records:
    """What a reader found: how many records (for the progress bar) and the records."""

    total: int
    items: Iterator[ParsedContact | Skipped]
    kind: str = ""  # what the file turned out to be: "Google Contacts CSV", "vCard" ...


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Labels address books put on everyone: not tags a person chose.
SYSTEM_LABELS = {"my contacts", "mycontacts", "starred", "friends & family"}
# Plural labels of the well-known relationship tags, so suggestions fit (Friends -> friend).
WELL_KNOWN_PLURALS = {
    "customers": "customer", "prospects": "prospect", "vendors": "vendor",
    "partners": "partner", "competitors": "competitor", "colleagues": "colleague",
    "coworkers": "colleague", "mentors": "mentor", "friends": "friend",
}  # fmt: skip


def tag_from_label(label: str) -> str | None:
    """A group, category or label of an address book as a rel tag (`My Clients` -> my-clients).

    System groups (`* myContacts`, `* starred`, Android's `My Contacts`) are not tags.
    """
    text = label.strip()
    if not text or text.startswith("*"):
        return None
    text = " ".join(text.split()).lower()
    if text in SYSTEM_LABELS:
        return None
    text = WELL_KNOWN_PLURALS.get(text, text)
    text = re.sub(r"[\s,;:]+", "-", text)
    text = re.sub(r"[^\w\-/.&+]", "", text).strip("-")
    return text or None


# --- dates as address books write them ---------------------------------------------------

# Apple writes a birthday without a year with the year 1604 (and X-APPLE-OMIT-YEAR=1604).
NO_YEAR_SENTINELS = {1604}
_MONTHS = {name: i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): i for name, i in list(_MONTHS.items())})


def read_date(text: str, *, omit_year: int | None = None) -> Birthday | None:
    """A date from a vCard or a CSV cell as a month-day with an optional year, or None.

    Understands `1980-03-22`, `19800322`, `--0322`, `--03-22`, a date with a time
    (`20190210T000033`), Apple's year 1604 for "no year", `09 Oct 2024`, and the numeric
    forms of Outlook (`22.3.1980` day first; `3/22/1980` month first, unless the first number
    cannot be a month). Outlook's empty date
    `0.0.00` and anything else unreadable give None; a year outside the years rel accepts
    (`rel.domain.dates.check_date`, from FIRST_BIRTH_YEAR) is a BadValue.
    """
    value = text.strip()
    if not value:
        return None
    # a date-time: keep the date part
    value = re.split(r"(?<=\d)T(?=\d)|(?<=\d) (?=\d{1,2}:)", value, maxsplit=1)[0]
    year: int | None
    if m := re.fullmatch(r"--(\d{2})-?(\d{2})", value):
        year, month, day = None, int(m.group(1)), int(m.group(2))
    elif m := re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", value):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{2,4})?", value):
        day, month = int(m.group(1)), int(m.group(2))
        year = _full_year(m.group(3))
    elif m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", value):
        first, second = int(m.group(1)), int(m.group(2))
        month, day = (second, first) if first > 12 else (first, second)
        year = _full_year(m.group(3))
    elif m := re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3})[a-z]*\.?[ -](\d{4})", value):
        if m.group(2).lower() not in _MONTHS:
            return None
        day, month, year = int(m.group(1)), _MONTHS[m.group(2).lower()], int(m.group(3))
    else:
        return None
    if year is not None and (year in NO_YEAR_SENTINELS or year == omit_year):
        year = None
    if year == 0:
        return None
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year if year else 2000, month)[1]
    if not 1 <= day <= last:
        return None
    if year is not None:
        check_date(date(year, month, day), text.strip(), first_year=FIRST_BIRTH_YEAR)
    return Birthday(month, day, year)


def _full_year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    if len(text) == 2:
        return None if year == 0 else year + (1900 if year > 30 else 2000)
    return year or None


def fold_key(text: str) -> str:
    """A column header as compared: accents dropped, lower case, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", bare.casefold())
