"""A contact's plain text fields, defined once.

Each field here is a column of `contact` (rel.store.models) and, from this list alone: a value
`rel add` sets and `rel edit` sets or clears, what the store's statements insert, update and
read back (rel.store.queries, rel.store.contacts), a row of `rel show`, a key of `rel show
--json`, `rel list --json` (when `listed`) and rel's JSON export and import, a CSV column, and a
vCard property, both ways. Adding a plain text field is: its column in rel.store.models, a migration
in rel.store.engine, an entry here, its options on `rel add` and `rel edit` (rel.cli.contacts), and
`python -m rel.store.queries`.

Names, handles (emails, phones, links, aliases), tags, the birthday and the cadence are not
plain text: they have their own types and rules.

Pure data: importing this module costs nothing (no SQLAlchemy, no Typer).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextField:
    name: str  # the column, the attribute, the key in every JSON document
    what: str  # in messages: "expected a company without control characters"
    label: str  # the row of `rel show`
    option: str  # of `rel add` and `rel edit`: --company
    add_help: str
    edit_help: str
    csv_headers: tuple[str, ...]  # read by `rel import csv`; the first is written on export
    vcard: str  # the vCard property, both ways
    one_line: bool = True  # notes keep their lines
    listed: bool = False  # in `rel list --json` too
    # written by `rel export csv` as Google's "Custom Field" with this label (Google has no
    # column for it), and read back from such a field whose label names it
    csv_custom_label: str | None = None
    vcard_structured: bool = False  # ORG is a list (organisation; units): the first part


TEXT_FIELDS: tuple[TextField, ...] = (
    TextField(
        "company", "a company", "company", "--company",
        "Where they work.", 'Set the company ("" clears).',
        ("Organization Name", "Company", "Organization", "Organisation",
         "Organization 1 - Name", "Firma"),
        "ORG", listed=True, vcard_structured=True,
    ),
    TextField(
        "title", "a title", "title", "--title",
        "Their role.", 'Set the role ("" clears).',
        ("Organization Title", "Job Title", "Position", "Organization 1 - Title", "Role"),
        "TITLE",
    ),
    TextField(
        "met", "how you met", "met", "--met",
        "How or where you met.", 'Set how you met ("" clears).',
        ("Met", "How Met", "How We Met", "How You Met"),
        "X-REL-MET", csv_custom_label="How we met",
    ),
    TextField(
        "notes", "notes", "notes", "--note",
        "Notes about them.", 'Replace the notes ("" clears); KEY: its note.',
        ("Notes", "Note", "Notizen"),
        "NOTE", one_line=False,
    ),
)  # fmt: skip

BY_NAME = {field.name: field for field in TEXT_FIELDS}
NAMES = tuple(field.name for field in TEXT_FIELDS)
