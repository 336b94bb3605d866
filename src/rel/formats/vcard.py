"""vCard 2.1, 3.0 and 4.0 files as address books really write them.

The content lines are parsed by vobject (groups, parameters, escapes, structured values), but
vobject alone trips on what real files bring, so each card is cleaned up first, in bytes:

- line ends: CRLF, LF, CR, mixed, and the CR-CR-LF of old iPhones;
- UTF-16 with or without a byte-order mark (Mac OS X Address Book);
- vCard 2.1 quoted-printable with soft line breaks (`=` at the end of a line, the next line not
  indented), decoded with the property's CHARSET; 8-bit bytes in the charset the property
  declares (`CHARSET=Windows-1252`), else UTF-8, else the fallback charset (Windows-1252 unless
  `--charset` says otherwise: a file that declares nothing cannot say which it is);
- lower-case property names, VERSION as the last line, folded lines split mid-word;
- photos and other binary or unused properties (base64 blocks ended by a blank line in 2.1)
  are dropped before vobject sees them: rel keeps no photos, and it makes reading fast.
"""

from __future__ import annotations

import os
import quopri
import re
from collections.abc import Iterator

from rel.domain.fields import TEXT_FIELDS
from rel.domain.identity import clean_uid
from rel.errors import BadValue, RelError
from rel.formats.records import ParsedContact, Records, Skipped
from rel.formats.text import DEFAULT_LEGACY_CHARSET, decode_line, utf16_kind

# The properties rel reads; everything else is dropped before parsing.
KEPT = {
    "UID", "FN", "N", "NICKNAME", "EMAIL", "TEL", "URL", "CATEGORIES",
    "BDAY", "ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY",
    "X-ABDATE", "X-ABLABEL", "X-SPOUSE", "X-EVOLUTION-SPOUSE", "X-ABRELATEDNAMES",
    "X-REL-CADENCE", *(text.vcard for text in TEXT_FIELDS),  # NOTE, ORG, TITLE, X-REL-MET ...
}  # fmt: skip
ANNIVERSARY_PROPERTIES = {
    "ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY",
}  # fmt: skip
# The most a property rel keeps (a NOTE, an FN ...) may have, unfolded: ten times the longest
# text rel stores (100,000 characters, up to 4 bytes each in UTF-8, escaped). A card with a
# larger one is skipped, saying so. Properties rel does not keep (PHOTO, LOGO, SOUND, KEY) are
# passed over whatever their size; the whole file is limited by rel.files.MAX_INPUT_BYTES.
MAX_PROPERTY_BYTES = 1_000_000
_LINE_END = re.compile(rb"\r\r\n|\r\n|\n|\r")
_PROPERTY = re.compile(rb"^(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9_-]+[;:]")
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
# the one-line text fields by vCard property (NOTE is read apart: notes add up)
TEXT_BY_VCARD = {text.vcard: text for text in TEXT_FIELDS if text.one_line}


def read_vcards(data: bytes, *, fallback_charset: str = DEFAULT_LEGACY_CHARSET) -> Records:
    """Every card of a vCard file; a file with no card at all is a BadValue."""
    kind = utf16_kind(data)
    if kind:
        try:
            data = data.decode(kind).lstrip("\ufeff").encode("utf-8")
        except UnicodeDecodeError as error:
            raise BadValue(
                f"the file looks like UTF-16 but is not (bytes {error.start}-{error.end} "
                "are not a character)"
            ) from None
    data = data.removeprefix(b"\xef\xbb\xbf")
    cards = _split_cards(_LINE_END.split(data))
    if not cards:
        raise BadValue("expected a vCard file (BEGIN:VCARD ... END:VCARD); found no card in it")
    return Records(len(cards), _parse_cards(cards, fallback_charset), "vCard")


def _split_cards(lines: list[bytes]) -> list[tuple[int, list[bytes]]]:
    cards: list[tuple[int, list[bytes]]] = []
    current: list[bytes] | None = None
    for number, line in enumerate(lines, start=1):
        upper = line.strip().upper()
        if upper == b"BEGIN:VCARD":
            current = []
            cards.append((number, current))
        elif upper == b"END:VCARD":
            current = None
        elif current is not None:
            current.append(line)
    return cards


# vobject takes about half a millisecond a card, most of a large import: from this many cards
# on, worker processes (one a core) parse chunks of the file while this one stores what they
# return, in the file's order. Below it, starting them would cost more than they save.
PARALLEL_FROM = 2_000
CHUNK = 250


def _parse_cards(
    cards: list[tuple[int, list[bytes]]], fallback: str, *, workers: int | None = None
) -> Iterator[ParsedContact | Skipped]:
    if workers is None:
        workers = _cores() if len(cards) >= PARALLEL_FROM else 1
    if workers > 1:
        yield from _parse_in_workers(cards, fallback, min(workers, 4))
    else:
        yield from _parse_some(1, cards, fallback)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        return os.cpu_count() or 1


def _parse_in_workers(
    cards: list[tuple[int, list[bytes]]], fallback: str, workers: int
) -> Iterator[ParsedContact | Skipped]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunks = [(start + 1, cards[start : start + CHUNK]) for start in range(0, len(cards), CHUNK)]
    try:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),  # no fork of an open store
            initializer=_ignore_interrupts,
        )
        futures = [pool.submit(_parse_chunk, first, chunk, fallback) for first, chunk in chunks]
    except (OSError, RuntimeError):  # no processes to be had here: parse in this one
        yield from _parse_some(1, cards, fallback)
        return
    try:
        for (first, chunk), future in zip(chunks, futures, strict=True):
            try:
                parsed = future.result()
            except BrokenProcessPool:  # a worker died (out of memory?): this chunk here
                parsed = _parse_chunk(first, chunk, fallback)
            yield from parsed
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the command, which stops them and says so in one line."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _parse_chunk(
    first: int, cards: list[tuple[int, list[bytes]]], fallback: str
) -> list[ParsedContact | Skipped]:
    return list(_parse_some(first, cards, fallback))


def _parse_some(
    first: int, cards: list[tuple[int, list[bytes]]], fallback: str
) -> Iterator[ParsedContact | Skipped]:
    """Cards in order, `first` being the number of the first in the file."""
    import vobject

    for index, (line_number, lines) in enumerate(cards, start=first):
        place = f"card {index} (line {line_number})"
        try:
            text = "".join(_clean_property(p, fallback) for p in _logical_lines(lines))
            card = vobject.readOne(
                f"BEGIN:VCARD\r\nVERSION:3.0\r\n{text}END:VCARD\r\n", ignoreUnreadable=True
            )
        except RelError as error:
            yield Skipped(place, error.message)
            continue
        except Exception as error:  # vobject raises many kinds: report the card, go on
            yield Skipped(place, f"unreadable card ({' '.join(str(error).split())[:80]})")
            continue
        yield _contact_of(card, place)


def _logical_lines(lines: list[bytes]) -> Iterator[bytes]:
    """Unfolded properties rel keeps: folded lines joined, quoted-printable soft breaks joined,
    in time linear in the size of the card. Properties rel does not keep (a PHOTO of 20 MB)
    are passed over line by line without being joined; the lines of base64 blocks and other
    stray lines are dropped. A kept property larger than MAX_PROPERTY_BYTES is a BadValue
    (the card is skipped, saying so)."""
    parts: list[bytes] = []  # the lines of the current property, when rel keeps it
    current = False  # inside a property
    keep = False
    quoted_printable = False
    soft_break = False  # the previous line of a quoted-printable property ended with "="
    size = 0
    name = ""
    for line in lines:
        if current and quoted_printable and soft_break and not _starts_known_property(line):
            piece = line
            if keep:
                parts[-1] = parts[-1][:-1]
        elif current and line[:1] in (b" ", b"\t"):
            piece = line[1:]
        elif _PROPERTY.match(line):
            if keep and parts:
                yield b"".join(parts)
            parts = []
            current = True
            name = _property_name(line)
            keep = name in KEPT
            quoted_printable = _is_quoted_printable(line)
            size = 0
            piece = line
        else:
            continue  # the unindented base64 of a vCard 2.1 photo, a blank line: not a property
        soft_break = piece.endswith(b"=")
        if keep:
            size += len(piece)
            if size > MAX_PROPERTY_BYTES:
                raise BadValue(
                    f"its {name} is more than {MAX_PROPERTY_BYTES:,} bytes, the most a property "
                    "rel keeps may have"
                )
            parts.append(piece)
    if keep and parts:
        yield b"".join(parts)


def _property_name(line: bytes) -> str:
    name = re.split(rb"[;:]", line, maxsplit=1)[0].rpartition(b".")[2]
    return name.decode("ascii", errors="replace").upper()


def _starts_known_property(line: bytes) -> bool:
    """A line that begins a property rel knows: it ends a soft break that has no continuation
    (Android writes `=` at the end of a note even when nothing follows)."""
    if not _PROPERTY.match(line):
        return False
    return _property_name(line) in KEPT | {"END", "VERSION"}


def _is_quoted_printable(line: bytes) -> bool:
    header = line.split(b":", 1)[0].upper()
    return b"QUOTED-PRINTABLE" in header


def _split_header(line: bytes) -> tuple[bytes, bytes]:
    """Header and value, split at the first colon outside a quoted parameter value."""
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:  # "
            quoted = not quoted
        elif byte == 0x3A and not quoted:  # :
            return line[:index], line[index + 1 :]
    return line, b""


def _clean_property(line: bytes, fallback: str) -> str:
    """One property as clean UTF-8 text for vobject, or "" when rel does not keep it."""
    header, value = _split_header(line)
    parts = header.decode("ascii", errors="replace").split(";")
    group, _, name = parts[0].rpartition(".")
    name = name.upper()
    if name not in KEPT:
        return ""
    charset = None
    quoted_printable = False
    params = []
    for param in parts[1:]:
        key, eq, param_value = param.partition("=")
        upper_key = key.strip().upper()
        if upper_key == "CHARSET" and eq:
            charset = param_value.strip().strip('"')
        elif upper_key == "ENCODING" and eq:
            quoted_printable = param_value.strip().upper() in ("QUOTED-PRINTABLE", "QP")
        elif upper_key in ("QUOTED-PRINTABLE", "QP") and not eq:
            quoted_printable = True
        elif param.strip():
            params.append(param.strip())
    if quoted_printable:
        raw = quopri.decodestring(value)
        text = decode_line(raw, charset, fallback).replace("\r\n", "\n").replace("\r", "\n")
        text = text.replace("\n", "\\n")
    else:
        text = decode_line(value, charset, fallback)
    prefix = f"{group}." if group else ""
    joined = "".join(f";{p}" for p in params)
    if name == "NICKNAME":  # a list: one property per nickname, each as escaped as it came
        return "".join(f"{prefix}{name}{joined}:{one}\r\n" for one in split_list(text))
    return f"{prefix}{name}{joined}:{text}\r\n"


def split_list(text: str) -> list[str]:
    """The values of an RFC 6350 text list (NICKNAME, CATEGORIES): split at the commas that are
    not escaped; each value keeps its escapes (`Smith\\, J,Al` -> `Smith\\, J`, `Al`)."""
    values: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == ",":
            values.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    values.append("".join(current))
    return [value for value in values if value.strip()]


def _params(line) -> set[str]:
    """The TYPE values of a property, however written (`TEL;CELL`, `type=cell`, `TYPE=a,b`)."""
    found = {str(v).upper() for v in getattr(line, "singletonparams", [])}
    for key, values in getattr(line, "params", {}).items():
        if key.upper() == "TYPE":
            for value in values:
                found.update(part.strip().upper() for part in str(value).split(","))
    return found


def _types(line) -> str | None:
    """The TYPE of an email or a phone as the card wrote it (`CELL`, `WORK,VOICE`), in its
    order, to write back; None when it has none."""
    found: list[str] = []
    for value in getattr(line, "singletonparams", []):
        found.append(str(value).upper())
    for key, values in getattr(line, "params", {}).items():
        if key.upper() == "TYPE":
            for value in values:
                found.extend(part.strip().upper() for part in str(value).split(",") if part.strip())
    kept = [t for n, t in enumerate(found) if t not in found[:n] and t.replace("-", "").isalnum()]
    return ",".join(kept)[:100] or None


def _param(line, name: str) -> str | None:
    for key, values in getattr(line, "params", {}).items():
        if key.upper() == name and values:
            return str(values[0])
    return None


def _strings(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        found = []
        for item in value:
            found.extend(_strings(item))
        return found
    return [str(value)]


def _label(text: str | None) -> str | None:
    if not text:
        return None
    match = _APPLE_LABEL.match(text.strip())
    return (match.group(1) if match else text).strip() or None


def _contact_of(card, place: str) -> ParsedContact | Skipped:
    from rel.domain.dates import parse_cadence

    contact = ParsedContact(place)
    children = list(card.getChildren())
    labels = {
        (line.group or "").lower(): _label(str(line.value))
        for line in children
        if line.name.upper() == "X-ABLABEL" and line.group
    }
    full_name = None
    structured_name = None
    relations: list[str] = []
    notes: list[str] = []
    for line in children:
        name = line.name.upper()
        value = line.value
        label = labels.get((line.group or "").lower())
        if name == "FN":
            full_name = full_name or str(value)
        elif name == "N":
            parts = [
                " ".join(_strings(getattr(value, part, "")))
                for part in ("given", "additional", "family")
            ]
            structured_name = " ".join(p for p in parts if p.strip())
        elif name == "NICKNAME":  # one each: _clean_property split the list
            for alias in _strings(value):
                contact.add_alias(alias)
        elif name == "UID":
            contact.uid = clean_uid(str(value))
        elif name == "EMAIL":
            contact.add_email(str(value), _types(line))
        elif name == "TEL":
            if "FAX" not in _params(line):
                contact.add_phone(str(value), _types(line))
        elif name == "URL":
            contact.add_link(str(value))
        elif name == "NOTE":
            notes.append(str(value))
        elif name in TEXT_BY_VCARD:  # ORG, TITLE, X-REL-MET ... (rel.domain.fields)
            text = TEXT_BY_VCARD[name]
            if text.vcard_structured:
                first = next((part for part in _strings(value) if part.strip()), None)
                contact.set_text(text.name, first)
            else:
                contact.set_text(text.name, str(value))
        elif name == "CATEGORIES":
            for category in _strings(value):
                for piece in category.split(","):
                    contact.add_tag(piece)
        elif name == "BDAY":
            omit = _param(line, "X-APPLE-OMIT-YEAR")
            contact.set_date(
                "birthday", str(value), omit_year=int(omit) if omit and omit.isdigit() else None
            )
        elif name in ANNIVERSARY_PROPERTIES or (
            name == "X-ABDATE" and label and "anniversary" in label.lower()
        ):
            contact.set_date("anniversary", str(value))
        elif name in ("X-SPOUSE", "X-EVOLUTION-SPOUSE"):
            relations.append(f"Spouse: {value}")
        elif name == "X-ABRELATEDNAMES":
            relations.append(f"{label or 'Related'}: {value}")
        elif name == "X-REL-CADENCE":
            try:
                contact.cadence = parse_cadence(str(value))
            except RelError as error:
                contact.problems.append(f"cadence left out: {error.message}")
    for note in notes:
        contact.add_note(note)
    if relations:
        contact.add_note("\n".join(relations))
    contact.set_name(full_name, structured_name)
    return contact.finish()
