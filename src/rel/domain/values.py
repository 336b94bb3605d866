"""The values a person types for a contact, checked: names, text, emails, phones, links,
tags and aliases. Each check returns the value as stored or raises BadValue saying what was
expected."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from rel.errors import BadValue, shown

MAX_NAME = 200
MAX_TEXT = 100_000
# C0 and C1 controls and DEL (U+009B is an 8-bit CSI); tab and newline are checked apart.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The bidirectional embeddings, overrides and isolates: they reorder what follows them on the
# screen ("Trojan Source"). Refused in one-line values; kept in notes, shown escaped there.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Characters that draw nothing: controls, format characters (U+200B ...), unassigned, spaces,
# lone combining marks, and the Hangul and Braille fillers.
_DRAWS_NOTHING = frozenset(("Cc", "Cf", "Cn", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"))
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+$")
_TAG = re.compile(r"^[\w][\w\-/.&+]*$")


# --- checking what people type -------------------------------------------------------------


def _shows_something(text: str) -> bool:
    return any(unicodedata.category(ch) not in _DRAWS_NOTHING and ch not in _FILLERS for ch in text)


def _check_one_line(value: str, text: str, what: str) -> None:
    """Refuse in a one-line value what would hide or disguise it on a screen.

    `text` is checked as typed, before its spaces were folded: U+0085 is a C1 control to
    refuse, not a space. Line ends and tabs are whitespace there, folded into spaces.
    """
    typed = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ").replace("\t", " ")
    if _CONTROL.search(typed) or _BIDI.search(typed):
        raise BadValue(
            f"expected {what} without control characters or bidi overrides; got {shown(text)}"
        )
    if value and not _shows_something(value):
        raise BadValue(f"expected {what} with characters you can see; got {shown(text)}")


def clean_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise BadValue('expected a name, such as "Alice Chen"; got an empty name')
    _check_one_line(name, text, "a name")
    if len(name) > MAX_NAME:
        raise BadValue(f"expected a name of at most {MAX_NAME} characters; got {len(name):,}")
    return name


def clean_text(text: str | None, what: str, *, one_line: bool = False) -> str | None:
    """A text field: one line (company, title, a reminder's text ...) or notes.

    Line ends become `\\n` whatever wrote them (CRLF from Windows or a mail, a lone CR). Notes
    keep tabs, newlines and bidi characters (shown escaped on a terminal); no value keeps a
    control character.
    """
    if text is None:
        return None
    value = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if one_line:
        value = " ".join(value.split())
        _check_one_line(value, text, what)
    elif _CONTROL.search(value.replace("\n", "").replace("\t", "")):
        raise BadValue(f"expected {what} without control characters; got {shown(text)}")
    if len(value) > MAX_TEXT:
        raise BadValue(f"expected {what} of at most {MAX_TEXT:,} characters; got {len(value):,}")
    return value or None


def clean_email(text: str) -> str:
    value = text.strip()
    if not _EMAIL.match(value) or len(value) > 320 or _CONTROL.search(value) or _BIDI.search(value):
        raise BadValue(f"expected an email address such as alice@example.com; got {shown(text)}")
    return value


def clean_phone(text: str) -> str:
    value = " ".join(text.split())
    digits = re.sub(r"\D", "", value)
    if not re.fullmatch(r"[0-9+()./\- ]+(?:\s*(?:x|ext\.?)\s*\d+)?", value) or len(digits) < 3:
        raise BadValue(f"expected a phone number such as +1 555 0100; got {shown(text)}")
    return value


def clean_link(text: str) -> str:
    value = text.strip()
    bad = BadValue(f"expected a link such as https://linkedin.com/in/alice; got {shown(text)}")
    if not value or any(ch.isspace() for ch in value) or _CONTROL.search(value):
        raise bad
    if _BIDI.search(value) or not _shows_something(value):
        raise bad
    if "://" not in value and not value.startswith("mailto:"):
        if "." not in value:
            raise bad
        value = "https://" + value
    return value


def clean_tag(text: str) -> str:
    value = text.strip().lower().lstrip("#")
    if not _TAG.match(value) or len(value) > 60:
        raise BadValue(
            f"expected a tag of letters, digits, -, _ or / (such as customer); got {shown(text)}"
        )
    return value


def clean_alias(text: str) -> str:
    value = " ".join(text.split())
    if not value or len(value) > MAX_NAME:
        raise BadValue(f'expected an alias such as "Ali"; got {shown(text)}')
    _check_one_line(value, text, "an alias")
    if re.fullmatch(r"#?\d+", value):
        raise BadValue(
            f"expected an alias that is not a number (numbers are ids); got {shown(text)}"
        )
    return value


# --- the values of a contact --------------------------------------------------------------


def fold(text: str) -> str:
    """Text as WHO lookups compare it: accents removed, case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def search_value(kind: str, value: str) -> str:
    """The form of a handle that lookups compare: an email in lower case, a phone's digits."""
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        return ("+" if value.strip().startswith("+") else "") + digits
    if kind == "email":
        return value.strip().lower()
    return fold(value)


def with_note_added(notes: str | None, text: str, today: date) -> str:
    """The notes with one dated line appended: `2026-03-01: met at the conference`."""
    line = clean_text(text, "a note", one_line=True)
    if not line:
        raise BadValue('expected a note to add, such as "met at the conference"')
    entry = f"{today.isoformat()}: {line}"
    return f"{notes.rstrip()}\n{entry}" if notes and notes.strip() else entry
