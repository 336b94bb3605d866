"""Reading mail headers from an mbox file or a Maildir, one message at a time, never a body.

An mbox (a Google Takeout export is one) is read as a stream of lines: a message starts at a
`From ` line after a blank line (or the file's start), its headers end at the first blank
line, and the body's lines are skipped unread. Memory stays that of one message's headers.
A Maildir (as mutt, offlineimap and mbsync write it) is read file by file, each only up to the
end of its headers.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any

BULK_PRECEDENCE = {"bulk", "list", "junk"}
NO_REPLY = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer-daemon|postmaster|bounces?)([-+.].*)?$"
)
_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|tr|antw)\s*(\[\d+\])?\s*:\s*)+", re.I)
MAX_HEADER_BYTES = 256 * 1024  # headers beyond this are a broken message: the rest is skipped


class _RawHeaders(type(compat32)):  # type: ignore[misc]
    """Header values as found (raw 8-bit bytes kept as surrogates, for `decoded` to read as
    UTF-8), not wrapped in an `email.header.Header` that would turn them into U+FFFD."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value


RAW_HEADERS = _RawHeaders()


def header_parser() -> BytesHeaderParser:
    return BytesHeaderParser(policy=RAW_HEADERS)


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


def headers_of(raw: bytes, parser: BytesHeaderParser | None = None) -> MailHeaders:
    """Read the headers of one message (`raw`: the header block, a body after it is ignored)."""
    message = (parser or header_parser()).parsebytes(raw)
    names: dict[str, str] = {}

    def addresses(*fields: str) -> list[str]:
        values = []
        for field in fields:
            values.extend(str(v) for v in message.get_all(field) or [])
        found = []
        for name, address in getaddresses(values):
            address = address.strip().strip("<>").lower()
            if "@" not in address:
                continue
            found.append(address)
            if name and address not in names:
                names[address] = decoded(name).strip("'\" ")
        return list(dict.fromkeys(found))

    senders = addresses("From")
    sender = senders[0] if senders else None
    recipients = tuple(a for a in addresses("To", "Cc") if a != sender)
    subject = decoded(message.get("Subject"))
    day = day_of(message.get("Date")) or _received_day(message.get_all("Received") or [])
    precedence = str(message.get("Precedence") or "").strip().lower()
    auto = str(message.get("Auto-Submitted") or "").strip().lower()
    bulk = (
        message.get("List-Id") is not None
        or message.get("List-Unsubscribe") is not None
        or precedence in BULK_PRECEDENCE
        or (auto != "" and auto != "no")
        or _is_no_reply(sender)
    )
    message_id = str(message.get("Message-ID") or "").strip().strip("<>").strip()
    if not message_id:  # the same message read twice still makes the same key
        message_id = "\n".join(
            [str(message.get("Date") or ""), sender or "", ",".join(recipients), subject]
        )
    key = hashlib.sha256(message_id.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return MailHeaders(key, day, sender, recipients, names, subject, bulk)


def read_mbox(path: Path) -> Iterator[MailHeaders]:
    """Every message's headers in an mbox file, in order, the bodies skipped unread."""
    parser = header_parser()
    with path.open("rb") as stream:
        block: list[bytes] = []
        size = 0
        in_headers = False
        previous_blank = True
        for line in stream:
            if previous_blank and line.startswith(b"From "):
                if block:
                    yield headers_of(b"".join(block), parser)
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
            yield headers_of(b"".join(block), parser)


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


def maildir_files(path: Path) -> list[Path]:
    """The message files of a Maildir (cur and new; tmp holds unfinished deliveries), and of
    its sub-folders (`.Sent`, `.Archive` as Maildir++ keeps them), in a stable order."""
    folders = [path, *sorted(p for p in path.iterdir() if p.is_dir() and p.name.startswith("."))]
    files: list[Path] = []
    for folder in folders:
        for part in ("cur", "new"):
            where = folder / part
            if where.is_dir():
                files.extend(sorted(f for f in where.iterdir() if f.is_file()))
    return files


def is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def read_maildir(files: list[Path]) -> Iterator[MailHeaders]:
    """Every message's headers in these Maildir files, each read only up to its headers."""
    parser = header_parser()
    for file in files:
        block: list[bytes] = []
        size = 0
        try:
            with file.open("rb") as stream:
                for line in stream:
                    if line in (b"\n", b"\r\n") or size >= MAX_HEADER_BYTES:
                        break
                    block.append(line)
                    size += len(line)
        except OSError:
            continue  # a message moved away by a running mail client
        yield headers_of(b"".join(block), parser)
