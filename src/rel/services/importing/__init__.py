"""Importing a network: vCard files, LinkedIn / Google / Outlook CSV files, rel's own JSON.

`import_file(store, kind, data, ...)` reads the bytes of a file, merges every person it finds
into the store in the caller's transaction, and returns an `ImportReport` (what was added,
merged, already known or skipped, and why). A file that cannot be read at all is a BadValue
before anything is written; a record that cannot be imported is skipped and reported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from rel.domain.dates import Cadence
from rel.errors import BadValue
from rel.formats.records import ParsedContact, Records, Skipped, read_date
from rel.formats.text import DEFAULT_LEGACY_CHARSET
from rel.services.importing.merging import (
    ImportReport,
    Outcome,
    import_contacts,
)

if TYPE_CHECKING:
    from rel.store.queries import Store

KINDS = ("vcard", "linkedin", "csv", "json")

__all__ = [
    "KINDS",
    "ImportReport",
    "Outcome",
    "ParsedContact",
    "Records",
    "Skipped",
    "import_file",
    "read_date",
    "read_records",
]


# rel's own JSON is 4 levels deep (document, section, record, list of values): a document
# nested deeper is not one, and is refused before anything walks it.
MAX_JSON_DEPTH = 32


def nesting(value: object) -> int:
    """How deep lists and objects are nested in a JSON value, found without recursion (stops
    counting past MAX_JSON_DEPTH)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            stack.extend((child, depth + 1) for child in item)
    return deepest


def read_records(kind: str, data: bytes, *, charset: str | None = None) -> Records:
    """The records of a vCard or CSV file (not JSON: see `import_file`)."""
    from rel.formats.csv_formats import read_csv
    from rel.formats.vcard import read_vcards

    fallback = charset or DEFAULT_LEGACY_CHARSET
    if kind == "vcard":
        return read_vcards(data, fallback_charset=fallback)
    if kind in ("csv", "linkedin"):
        records = read_csv(data, fallback_charset=fallback)
        if kind == "linkedin" and not records.kind.startswith("LinkedIn"):
            raise BadValue(
                "expected LinkedIn's Connections.csv (with a Connected On column); this looks "
                f"like a {records.kind}: import it with rel import csv"
            )
        return records
    raise BadValue(f"expected a format to import: {', '.join(KINDS)}; got {kind!r}")


def import_file(
    store: Store,
    kind: str,
    data: bytes,
    *,
    today: date,
    now: datetime,
    tags: Sequence[str] = (),
    cadence: Cadence | None = None,
    dry_run: bool = False,
    charset: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the bytes of a file of `kind` (vcard, linkedin, csv, json) into the store (opened
    with the ORM: rel.store.importing writes in bulk)."""
    if kind == "json":
        from rel.services.importing.document import import_document

        try:
            document = json.loads(data.decode("utf-8-sig"))
        except RecursionError:  # nested beyond what the parser follows
            raise BadValue(
                f"expected a rel JSON document; this one is nested more than {MAX_JSON_DEPTH} "
                "levels deep (rel's has 4)"
            ) from None
        except UnicodeDecodeError as error:
            raise BadValue(
                f"expected a rel JSON document; the file is not UTF-8 text (byte {error.start})"
            ) from None
        except ValueError as error:
            raise BadValue(
                f"expected a rel JSON document; the file is not JSON ({error})"
            ) from None
        depth = nesting(document)
        if depth > MAX_JSON_DEPTH:
            raise BadValue(
                f"expected a rel JSON document; this one is nested more than {MAX_JSON_DEPTH} "
                "levels deep (rel's has 4)"
            )
        report = import_document(
            store,
            document,
            today=today,
            now=now,
            tags=tags,
            cadence=cadence,
            dry_run=dry_run,
            progress=progress,
        )
    else:
        records = read_records(kind, data, charset=charset)
        report, _ = import_contacts(
            store,
            records,
            today=today,
            now=now,
            tags=tags,
            cadence=cadence,
            dry_run=dry_run,
            progress=progress,
        )
    return report
