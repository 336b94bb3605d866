"""Reading mail headers from an mbox file or a Maildir, one message at a time, never a body.

An mbox (a Google Takeout export is one) is read as a stream of lines: a message starts at a
`From ` line after a blank line (or the file's start), its headers end at the first blank
line, and the body's lines are skipped unread. Memory stays that of one message's headers.
A Maildir (as mutt, offlineimap and mbsync write it) is listed by the standard library's
`mailbox.Maildir` and read file by file, each only up to the end of its headers. (An mbox is
not read through `mailbox.mbox`: it would first scan the whole file for an index of offsets,
then read it again; the stream here reads it once.)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any

BULK_PRECEDENCE = {"bulk", "list", "junk"}
NO_REPLY = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer-daemon|postmaster|bounces?)([-+.].*)?$"
)
_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|tr|antw)\s*(\[\d+\])?\s*:\s*)+", re.I)
MAX_HEADER_BYTES = 256 * 1024  # headers beyond this are a broken message: the rest is skipped


# The headers the harvest reads; every other header line is passed over unparsed.
WANTED = frozenset(
    ("from", "to", "cc", "date", "subject", "message-id", "list-id", "list-unsubscribe",
     "precedence", "auto-submitted", "received")
)  # fmt: skip
# `Name <addr>`, `"Last, First" <addr>` or a bare `addr`: the shapes nearly all mail has, read
# here without the standard library's general (and slow) address parser, which reads the rest
_SIMPLE_ADDRESS = re.compile(
    r'\s*(?:"(?P<quoted>[^"\\]*)"|(?P<name>[^"<>,()\\@]*?))?\s*<(?P<angle>[^<>()\s",]+@[^<>()\s",]+)>\s*'
    r'|\s*(?P<bare>[^<>()\s",]+@[^<>()\s",]+)\s*'
)
_ANONYMOUS = re.sub(r"\(\?P<\w+>", "(", _SIMPLE_ADDRESS.pattern)
_SIMPLE_LIST = re.compile(rf"(?:{_ANONYMOUS})(?:,(?:{_ANONYMOUS}))*,?\s*")


@dataclass(frozen=True)
class MailHeaders:
    """What the harvest reads of one message."""

    key: str  # a digest of the Message-ID (or of the headers that make one up, if missing)
    day: date | None  # from Date, else the newest Received; None if neither can be read
    sender: str | None  # lower-case address
    recipients: tuple[str, ...]  # To and Cc, lower case, in order, without repeats
    names: dict[str, str]  # display names by address, as decoded
    subject: str
    bulk: bool  # List-Id, Precedence bulk/list/junk, Auto-Submitted, or a no-reply sender


def decoded(value: Any) -> str:
    """A header's text with RFC 2047 encoded words decoded, on one line."""
    if value is None:
        return ""
    text = str(value)
    if "=?" in text:
        with suppress(LookupError, ValueError, UnicodeError):  # a bad charset: left as is
            text = str(make_header(decode_header(text)))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # raw 8-bit bytes in a header: read as UTF-8 where they are
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(text.split())


def plain_subject(subject: str) -> str:
    """The subject without its Re:/Fwd: prefixes: one thread, one subject."""
    return _REPLY_PREFIX.sub("", subject).strip()


def day_of(value: Any) -> date | None:
    """The day of a Date header (as the sender's clock had it), or None if unreadable."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(str(value).strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if not isinstance(when, datetime) or when.year < 1970:
        return None
    return when.date()


def _received_day(values: list[Any]) -> date | None:
    for value in values:  # the newest first: the hop that delivered it
        text = str(value)
        if ";" in text:
            found = day_of(text.rsplit(";", 1)[1])
            if found is not None:
                return found
    return None


def _is_no_reply(address: str | None) -> bool:
    return bool(address) and bool(NO_REPLY.match(address.split("@", 1)[0]))  # type: ignore[union-attr]


def header_fields(lines: list[bytes]) -> dict[str, list[str]]:
    """The wanted headers of a header block (its lines, folded ones included), by lower-case
    name, each value unfolded; raw 8-bit bytes are kept as surrogates for `decoded`."""
    fields: dict[str, list[str]] = {}
    current: list[bytes] | None = None
    parts: list[tuple[str, list[bytes]]] = []
    for line in lines:
        if line[:1] in (b" ", b"\t"):
            if current is not None:
                current.append(line)
            continue
        name, colon, value = line.partition(b":")
        key = name.strip().lower().decode("ascii", "replace") if colon else ""
        if key in WANTED:
            current = [value]
            parts.append((key, current))
        else:
            current = None
    for key, chunks in parts:
        text = b"".join(chunks).decode("utf-8", "surrogateescape")
        fields.setdefault(key, []).append(" ".join(text.split()))
    return fields


def _addresses(values: list[str], names: dict[str, str]) -> list[str]:
    found = []
    for value in values:
        if _SIMPLE_LIST.fullmatch(value):
            pairs = [
                (m.group("quoted") or m.group("name") or "", m.group("angle") or m.group("bare"))
                for m in _SIMPLE_ADDRESS.finditer(value)
                if m.group("angle") or m.group("bare")
            ]
        else:
            pairs = getaddresses([value])
        for name, address in pairs:
            address = address.strip().strip("<>").lower()
            if "@" not in address:
                continue
            found.append(address)
            if name and address not in names:
                cleaned = decoded(name).strip("'\" ")
                if cleaned:
                    names[address] = cleaned
    return list(dict.fromkeys(found))


def headers_of(raw: bytes) -> MailHeaders:
    """Read the headers of one message (`raw`: the header block; a body after it is ignored)."""
    head = raw.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    return headers_from_lines(head.splitlines(keepends=True))


def headers_from_lines(lines: list[bytes]) -> MailHeaders:
    """Read the headers of one message from the lines of its header block."""
    fields = header_fields(lines)

    def one(name: str) -> str | None:
        found = fields.get(name)
        return found[0] if found else None

    names: dict[str, str] = {}
    senders = _addresses(fields.get("from", []), names)
    sender = senders[0] if senders else None
    recipients = tuple(
        a for a in _addresses(fields.get("to", []) + fields.get("cc", []), names) if a != sender
    )
    subject = decoded(one("subject"))
    day = day_of(one("date")) or _received_day(fields.get("received", []))
    precedence = (one("precedence") or "").strip().lower()
    auto = (one("auto-submitted") or "").strip().lower()
    bulk = (
        "list-id" in fields
        or "list-unsubscribe" in fields
        or precedence in BULK_PRECEDENCE
        or (auto != "" and auto != "no")
        or _is_no_reply(sender)
    )
    message_id = (one("message-id") or "").strip().strip("<>").strip()
    if not message_id:  # the same message read twice still makes the same key
        message_id = "\n".join([one("date") or "", sender or "", ",".join(recipients), subject])
    key = hashlib.sha256(message_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return MailHeaders(key, day, sender, recipients, names, subject, bulk)


def read_mbox(path: Path) -> Iterator[MailHeaders]:
    """Every message's headers in an mbox file, in order, the bodies skipped unread."""
    with path.open("rb") as stream:
        block: list[bytes] = []
        size = 0
        in_headers = False
        previous_blank = True
        for line in stream:
            if previous_blank and line.startswith(b"From "):
                if block:
                    yield headers_from_lines(block)
                block, size, in_headers = [], 0, True
                previous_blank = False
                continue
            blank = line in (b"\n", b"\r\n")
            if in_headers:
                if blank:
                    in_headers = False
                elif size < MAX_HEADER_BYTES:
                    block.append(line)
                    size += len(line)
            previous_blank = blank
        if block:
            yield headers_from_lines(block)


def count_mbox(path: Path) -> int:
    """How many messages an mbox holds (for a progress bar): its `From ` lines after blanks."""
    count = 0
    previous_blank = True
    with path.open("rb") as stream:
        for line in stream:
            if previous_blank and line.startswith(b"From "):
                count += 1
            previous_blank = line in (b"\n", b"\r\n")
    return count


def maildir_messages(path: Path) -> list[tuple[Any, str]]:
    """The messages of a Maildir, as the standard library's `mailbox.Maildir` finds them (cur
    and new; tmp holds unfinished deliveries), and of its sub-folders (`.Sent`, `.Archive` as
    Maildir++ keeps them): (folder, key) pairs in a stable order."""
    import mailbox

    top = mailbox.Maildir(path, factory=None, create=False)
    folders = [top, *(top.get_folder(name) for name in sorted(top.list_folders()))]
    return [(folder, key) for folder in folders for key in sorted(folder.iterkeys())]


def is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def read_maildir(messages: list[tuple[Any, str]]) -> Iterator[MailHeaders]:
    """Every message's headers in a Maildir, each file read only up to its headers."""
    for folder, key in messages:
        block: list[bytes] = []
        size = 0
        try:
            with folder.get_file(key) as stream:
                for line in stream:
                    if line in (b"\n", b"\r\n") or size >= MAX_HEADER_BYTES:
                        break
                    block.append(line)
                    size += len(line)
        except (OSError, KeyError):
            continue  # a message moved away by a running mail client
        yield headers_from_lines(block)
