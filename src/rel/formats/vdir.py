"""A vdir of contacts, as khard and vdirsyncer's filesystem storage keep it: a folder with one
vCard per file, `<UID>.vcf`. Reading the folder, writing a file safely, and patching a card's
content lines so that what rel does not manage stays as it was, byte for byte. No SQL.

- Files: every `*.vcf` directly in the folder (not hidden files, not sub-folders). A file is
  written to a hidden temporary file in the same folder, flushed to disk, then renamed over the
  old one (`os.replace`): a reader, or a sync killed midway, sees the old file or the new one,
  never half of one. A temporary file a killed sync left behind is removed by the next.
- File names: the UID with `.vcf`, when the UID is made only of letters, digits and `_.-+`
  (vdirsyncer's safe characters); otherwise a name made from the UID's SHA-1 (vdirsyncer picks
  a random one; a name that follows from the UID lets a sync killed before it committed find
  its file again).
- Patching (`patch_card`): the properties rel manages (`MANAGED`) are replaced by the new
  card's; a managed property whose value rel would read the same (an email in another case, a
  phone with its TYPE=CELL, an item1.EMAIL with its Apple label) keeps its line as it was, and
  every other line (PHOTO, GEO, X- properties, groups and labels, with their folding) is kept
  untouched, in its place. What rel adds goes before END:VCARD.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

EXTENSION = ".vcf"
SAFE_UID_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-+"
)
TEMPORARY_PREFIX = ".rel-sync-"
# The properties rel writes (rel.services.exports.vcard_of) and reads back: on write-back they
# are rel's; every other property of the file is kept (X-ANNIVERSARY too: rel writes it into
# a new file only, as its anniversary is a life event, not a field of the card).
MANAGED = frozenset(
    {"FN", "N", "NICKNAME", "EMAIL", "TEL", "URL", "NOTE", "ORG", "TITLE", "X-REL-MET", "BDAY",
     "CATEGORIES", "X-REL-CADENCE"}
)  # fmt: skip
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")


@dataclass(frozen=True)
class CardFile:
    """A `.vcf` file of the folder: its name, bytes, their SHA-256, when it was last changed,
    and the UID it declares (None: it has none)."""

    href: str
    data: bytes
    digest: str
    modified: datetime
    uid: str | None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def href_for(uid: str) -> str:
    """The file name of the card `uid`."""
    if uid and set(uid) <= SAFE_UID_CHARACTERS and not uid.startswith("."):
        return uid + EXTENSION
    return hashlib.sha1(uid.encode("utf-8")).hexdigest() + EXTENSION


def read_folder(folder: Path, *, tidy: bool = True) -> list[CardFile]:
    """Every card file of the folder, by name (none when there is no folder yet). With `tidy`,
    temporary files of a sync that was killed are removed."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(TEMPORARY_PREFIX):
            if tidy:
                path.unlink(missing_ok=True)
            continue
        if path.name.startswith(".") or path.suffix.lower() != EXTENSION or not path.is_file():
            continue
        data = path.read_bytes()
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        found.append(CardFile(path.name, data, digest(data), modified, card_uid(data)))
    return found


def write_file(folder: Path, href: str, data: bytes) -> str:
    """Write `data` as `folder/href`, atomically; the SHA-256 of what was written."""
    import tempfile

    handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, folder / href)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest(data)


def delete_file(folder: Path, href: str) -> None:
    (folder / href).unlink(missing_ok=True)


# --- content lines --------------------------------------------------------------------------


def _physical_lines(data: bytes) -> list[bytes]:
    """The lines of `data`, each with its own line end."""
    return _LINE.findall(data)


def _properties(lines: list[bytes]) -> list[list[bytes]]:
    """Physical lines grouped into properties: a line starting with a space or a tab
    continues the one before (RFC 6350 folding)."""
    grouped: list[list[bytes]] = []
    for line in lines:
        if grouped and line[:1] in (b" ", b"\t"):
            grouped[-1].append(line)
        else:
            grouped.append([line])
    return grouped


def _unfold(lines: list[bytes]) -> str:
    text = b"".join(line.rstrip(b"\r\n") if i == 0 else line.rstrip(b"\r\n")[1:]
                    for i, line in enumerate(lines))  # fmt: skip
    return text.decode("utf-8", errors="replace")


def _split(line: str) -> tuple[str, list[str], str]:
    """(NAME without its group, upper case; its parameters; the value) of an unfolded line."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            header, value = line[:index], line[index + 1 :]
            break
    else:
        header, value = line, ""
    parts = header.split(";")
    name = parts[0].rpartition(".")[2].strip().upper()
    return name, [p.strip().upper() for p in parts[1:]], value


def card_uid(data: bytes) -> str | None:
    """The UID the card declares, unfolded and unescaped, or None."""
    for lines in _properties(_physical_lines(data)):
        name, _, value = _split(_unfold(lines))
        if name == "UID":
            return _unescape(value).strip() or None
        if name == "END":
            break
    return None


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _split_unescaped(text: str, separator: str) -> list[str]:
    return [_unescape(part) for part in re.split(r"(?<!\\)" + re.escape(separator), text)]


def _identity(name: str, params: list[str], value: str) -> str | None:
    """What rel reads from a managed property, to compare an old line with a new one; None
    when rel does not read it at all (a fax number, a value rel refuses): such a line is the
    file's, and kept."""
    from rel.domain import values
    from rel.errors import RelError

    text = _unescape(value).strip()
    try:
        if name == "EMAIL":
            email = text.removeprefix("mailto:").removeprefix("MAILTO:")
            return values.search_value("email", values.clean_email(email))
        if name == "TEL":
            if any("FAX" in param for param in params):
                return None
            phone = text.removeprefix("tel:")
            return values.search_value("phone", values.clean_phone(phone))
    except RelError:
        return None
    if name == "BDAY":
        return _date_identity(params, text)
    if name == "N":
        parts = [*_split_unescaped(value, ";"), "", "", ""]
        family, given, additional = parts[0], parts[1], parts[2]
        return " ".join(" ".join(p.split(",")) for p in (given, additional, family) if p.strip())
    if name == "ORG":
        return next((part.strip() for part in _split_unescaped(value, ";") if part.strip()), "")
    if name in ("NICKNAME", "CATEGORIES"):
        return ",".join(part.strip() for part in _split_unescaped(value, ",") if part.strip())
    return " ".join(text.split())


def _date_identity(params: list[str], text: str) -> str | None:
    """A date as rel reads it (`--0314`, `1604-03-14` with X-APPLE-OMIT-YEAR and `--03-14` are
    one date), so that a birthday written the file's way keeps its line; None when rel cannot
    read it (kept: the file's own)."""
    from rel.errors import RelError
    from rel.formats.records import read_date

    omit = next((p.split("=", 1)[1] for p in params if p.startswith("X-APPLE-OMIT-YEAR=")), "")
    omit = omit.strip('"')
    try:
        day = read_date(text, omit_year=int(omit) if omit.isdigit() else None)
    except RelError:
        return None
    return str(day) if day is not None else None


def without(data: bytes, names: set[str]) -> bytes:
    """The card with the properties `names` left out (to see what the others say)."""
    kept = []
    for group in _properties(_physical_lines(data)):
        if _split(_unfold(group))[0] not in names:
            kept.extend(group)
    return b"".join(kept)


def swap_property(card: bytes, name: str, source: bytes) -> bytes:
    """`card` with its `name` properties replaced by those of the card `source`."""
    taken = [
        line
        for group in _properties(_physical_lines(source))
        if _split(_unfold(group))[0] == name
        for line in group
    ]
    kept: list[bytes] = []
    for group in _properties(_physical_lines(without(card, {name}))):
        if _split(_unfold(group))[0] == "END":
            kept.extend(taken)
        kept.extend(group)
    return b"".join(kept)


def patch_card(original: bytes, new_card: str) -> bytes:
    """The file `original` with the properties rel manages replaced by those of `new_card`
    (a serialized vCard), everything else kept byte for byte (see the module's doc)."""
    lines = _physical_lines(original)
    ending = b"\r\n"
    if lines and not lines[0].endswith(b"\r\n") and lines[0].endswith(b"\n"):
        ending = b"\n"
    wanted: dict[tuple[str, str | None], int] = {}
    new_properties: list[tuple[tuple[str, str | None], list[bytes]]] = []
    for group in _properties(_physical_lines(new_card.encode("utf-8"))):
        name, params, value = _split(_unfold(group))
        if name not in MANAGED:
            continue  # the file's own (UID, VERSION ...) or rel's only in a new file
        key = (name, _identity(name, params, value))
        wanted[key] = wanted.get(key, 0) + 1
        new_properties.append((key, group))
    kept: list[bytes] = []
    in_card = False
    done = False
    for group in _properties(lines):
        name, params, value = _split(_unfold(group))
        if done:
            kept.extend(group)
            continue
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            in_card = True
        elif name == "END" and value.strip().upper() == "VCARD" and in_card:
            kept.extend(_insertions(new_properties, wanted, ending))
            done = True
        elif in_card and name in MANAGED:
            key = (name, _identity(name, params, value))
            if key[1] is None:
                pass  # rel does not read it: the file's own
            elif wanted.get(key, 0) > 0:
                wanted[key] -= 1
            else:
                continue  # replaced (or removed) by rel
        kept.extend(group)
    return b"".join(kept)


def _insertions(
    new_properties: list[tuple[tuple[str, str | None], list[bytes]]],
    wanted: dict[tuple[str, str | None], int],
    ending: bytes,
) -> list[bytes]:
    """The new card's properties that no line of the file already says, in its order."""
    inserted: list[bytes] = []
    for key, group in new_properties:
        if wanted.get(key, 0) > 0:
            wanted[key] -= 1
            inserted.extend(line.rstrip(b"\r\n") + ending for line in group)
    return inserted
