"""A whole network as one JSON document: the seeds of `rel demo`, and rel's own JSON format.

```json
{"format": "rel", "version": 1,
 "tags": [{"name": "customer", "cadence": "1m"}],
 "contacts": [{"id": 1, "name": "Alice Chen", "tags": ["customer"], "cadence": "3w", ...}],
 "interactions": [{"date": "2026-02-10", "kind": "lunch", "with": [1], ...}]}
```

`dump_network` writes it (rel export json); `rel.services.importing.document` reads it into a
store, merging it with the people already there (rel import json, and rel demo for the seeds).
Ids in a document tie interactions, touchpoints, events and gifts to contacts. `rel export
json` writes the store's own ids; importing into an empty store keeps them, so every key a
person may have noted (t7, g3, #12) means the same item after a restore. Importing into a store
that has data gives new ids where needed, and the import's summary says which keys changed.
Every value is checked as if a person had typed it; a bad record names its place
(`contacts[3].birthday`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, TypeVar

from rel.domain.dates import Birthday, show_event_date
from rel.domain.fields import NAMES as TEXT_NAMES
from rel.errors import BadValue, RelError
from rel.services import contacts as c

if TYPE_CHECKING:
    from rel.store.network import NetworkRows
    from rel.store.queries import Store

FORMAT = "rel"
VERSION = 1
# The lists of a document, in the order they are written. Each is a list of objects; a contact
# is referred to by its document id. A new kind of record (touchpoints, gifts ...) is a new
# section here, written by `dump_network` and read by the JSON import; a rel that does not know
# a section reports it and leaves it out.
SECTIONS = ("tags", "contacts", "interactions", "events", "touchpoints", "gifts", "snoozes")
T = TypeVar("T")


def _field(record: dict[str, Any], name: str, place: str, check: Callable[[Any], T]) -> T | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    try:
        return check(value)
    except RelError as error:
        raise BadValue(f"{place}.{name}: {error.message}") from None
    except (TypeError, ValueError, AttributeError):
        what = name.replace("_", " ")
        raise BadValue(f"{place}.{name}: expected a valid {what}; got {value!r:.60}") from None


def _strings(
    record: dict[str, Any], name: str, place: str, check: Callable[[str], str]
) -> list[str]:
    values = record.get(name) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise BadValue(f"{place}.{name}: expected a list of strings")
    try:
        return [check(v) for v in values]
    except RelError as error:
        raise BadValue(f"{place}.{name}: {error.message}") from None


def instant(text: str) -> datetime:
    """An ISO date-time; one without a UTC offset is taken as UTC (the store keeps UTC)."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _text(what: str, *, one_line: bool = True) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            raise BadValue(f"expected text for {what}")
        return c.clean_text(value, what, one_line=one_line)

    return check


def dump_network(store: Store, *, store_ids: bool = False) -> dict[str, Any]:
    """The whole store as one document: what `rel import json` (and `rel demo`) read.

    Records get document ids 1, 2, 3 ... in the order of their store ids, so the same data
    gives the same document whatever ids its store happened to give. `store_ids` keeps the
    store's own ids instead, for exports whose identifiers must stay stable: calendar UIDs,
    and `rel export json`, so that a restore into an empty store keeps every key (t7 is
    still t7).
    """
    from rel.store.network import network_rows

    found = network_rows(store)
    tags = [{"name": row["name"], "cadence": row["cadence"]} for row in found.tags]
    rows = found.contacts
    document_id = {
        row["id"]: row["id"] if store_ids else position
        for position, row in enumerate(rows, start=1)
    }
    handles: dict[int, dict[str, list[str]]] = {}
    labels: dict[int, dict[str, str]] = {}
    for row in found.handles:
        handles.setdefault(row["contact_id"], {}).setdefault(row["kind"], []).append(row["value"])
        if row["label"]:
            labels.setdefault(row["contact_id"], {})[row["value"]] = row["label"]
    tags_of: dict[int, list[str]] = {}
    for row in found.contact_tags:
        tags_of.setdefault(row["contact_id"], []).append(row["name"])
    contacts = []
    for row in rows:
        own = handles.get(row["id"], {})
        birthday = None
        if row["birthday_month"] and row["birthday_day"]:
            birthday = str(
                Birthday(row["birthday_month"], row["birthday_day"], row["birthday_year"])
            )
        contacts.append(
            {
                "id": document_id[row["id"]],
                "uid": row["uid"],
                "name": row["name"],
                "aliases": own.get("alias", []),
                **{name: row[name] for name in TEXT_NAMES},  # rel.domain.fields
                "emails": own.get("email", []),
                "phones": own.get("phone", []),
                "links": own.get("link", []),
                **({"labels": labels[row["id"]]} if row["id"] in labels else {}),
                "tags": tags_of.get(row["id"], []),
                "birthday": birthday,
                "cadence": row["cadence"],
                "archived": bool(row["archived"]),
                "added_on": row["added_on"].isoformat(),
                **(
                    {"catch_up_skipped": row["catch_up_skipped"].isoformat()}
                    if row["catch_up_skipped"]
                    else {}
                ),
                "created_at": _iso(row["created_at"]),
                "updated_at": _iso(row["updated_at"]),
            }
        )
    people: dict[int, list[int]] = {}
    for row in found.participants:
        people.setdefault(row["interaction_id"], []).append(document_id[row["contact_id"]])
    interaction_rows = found.interactions
    interaction_id = {
        row["id"]: row["id"] if store_ids else position
        for position, row in enumerate(interaction_rows, 1)
    }
    interactions = [
        {
            "id": interaction_id[row["id"]],
            "date": row["on"].isoformat(),
            "time": _iso(row["at"]),
            "kind": row["kind"],
            "with": sorted(people.get(row["id"], [])),
            "note": row["note"],
            "direction": row["direction"],
            "created_at": _iso(row["created_at"]),
        }
        for row in interaction_rows
    ]

    return {
        "format": FORMAT,
        "version": VERSION,
        "tags": tags,
        "contacts": contacts,
        "interactions": interactions,
        **dump_scheduled(found, document_id, interaction_id, store_ids=store_ids),
    }


def _iso(value: date | datetime | time | None) -> str | None:
    return value.isoformat() if value is not None else None


def dump_scheduled(
    found: NetworkRows,
    contact_ids: dict[int, int],
    interaction_ids: dict[int, int],
    *,
    store_ids: bool = False,
) -> dict[str, list[dict[str, Any]]]:
    """The events, touchpoints, gifts and snoozes of the store, with document ids (the store's
    own with `store_ids`)."""
    event_rows = found.events
    event_ids = {row["id"]: row["id"] if store_ids else n for n, row in enumerate(event_rows, 1)}
    events = [
        {
            "id": event_ids[row["id"]],
            "uid": row["uid"],
            "contact": contact_ids[row["contact_id"]],
            "kind": row["kind"],
            "date": show_event_date(row["on"]) if row["on"] else None,
            "text": row["text"],
            "created_at": _iso(row["created_at"]),
        }
        for row in event_rows
    ]
    history: dict[int, list[dict[str, Any]]] = {}
    for row in found.completions:
        history.setdefault(row["touchpoint_id"], []).append(
            {
                "occurrence": _iso(row["occurrence"]),
                "date": _iso(row["on"]),
                "action": row["action"],
                "note": row["note"],
            }
        )
    touchpoint_rows = found.touchpoints
    touchpoint_ids = {
        row["id"]: row["id"] if store_ids else n for n, row in enumerate(touchpoint_rows, 1)
    }
    touchpoints = [
        {
            "id": touchpoint_ids[row["id"]],
            "uid": row["uid"],
            "contact": contact_ids[row["contact_id"]],
            "kind": row["kind"],
            "text": row["text"],
            "start": _iso(row["start"]),
            "due": _iso(row["due"]),
            "rule": row["rule"],
            "lead": row["lead"],
            "state": row["state"],
            "event": event_ids.get(row["event_id"]),
            "interaction": interaction_ids.get(row["interaction_id"]),
            "created_at": _iso(row["created_at"]),
            "completions": history.get(row["id"], []),
        }
        for row in touchpoint_rows
    ]
    gift_rows = found.gifts
    gift_ids = {row["id"]: row["id"] if store_ids else n for n, row in enumerate(gift_rows, 1)}
    gifts = [
        {
            "id": gift_ids[row["id"]],
            "uid": row["uid"],
            "contact": contact_ids[row["contact_id"]],
            "direction": row["direction"],
            "text": row["text"],
            "occasion": row["occasion"],
            "date": _iso(row["on"]),
            "cost": row["cost"],
            "lead": row["lead"],
            "created_at": _iso(row["created_at"]),
        }
        for row in gift_rows
    ]
    by_prefix = {"c": contact_ids, "b": contact_ids, "t": touchpoint_ids, "g": gift_ids}
    snoozes = []
    for row in found.snoozes:
        prefix, number = row["key"][:1], int(row["key"][1:])
        if number in by_prefix.get(prefix, {}):
            snoozes.append(
                {"key": f"{prefix}{by_prefix[prefix][number]}", "until": _iso(row["until"])}
            )
    snoozes.sort(key=lambda snooze: snooze["key"])
    return {"events": events, "touchpoints": touchpoints, "gifts": gifts, "snoozes": snoozes}
