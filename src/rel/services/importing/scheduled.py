"""The scheduled part of rel's JSON document: life events, touchpoints (with their history of
completions), gifts and snoozes — written by `rel.services.network.dump_scheduled`, read by
`import_scheduled`.

Each record names its contact by document id (`"contact": 3`); a touchpoint names the event
and the interaction that made it by their document ids; a snooze names its agenda row by a key
made of document ids (`c3`, `t2`). Importing a document twice adds nothing the second time: a
record already in the store (same contact, kind, text and dates) is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from rel.domain.dates import (
    check_past,
    parse_duration,
    parse_event_date,
    parse_iso_date,
    parse_rule,
)
from rel.domain.values import clean_text
from rel.errors import BadValue, RelError
from rel.services.network import _field, instant

if TYPE_CHECKING:
    from rel.services.importing.merging import ImportReport
    from rel.store.queries import Store

STATES = ("open", "done", "skipped")


def _records(
    document: dict[str, Any], section: str, report: ImportReport
) -> list[tuple[str, dict]]:
    records = document.get(section) or []
    if not isinstance(records, list):
        report.problems.append(f"{section}: skipped: expected a list")
        return []
    found = []
    for index, record in enumerate(records):
        place = f"{section}[{index}]"
        if isinstance(record, dict):
            found.append((place, record))
        else:
            report.problems.append(f"{place}: skipped: expected an object")
    return found


def _list(document: dict[str, Any], section: str) -> list[Any]:
    records = document.get(section) or []
    return records if isinstance(records, list) else []


def _id_of(record: Any) -> Any:
    return record.get("id") if isinstance(record, dict) else None


def _one_of(values: tuple[str, ...] | Callable[[str], str], what: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise BadValue(f"expected {what}")
        if callable(values):
            return values(value)
        if value not in values:
            raise BadValue(f"expected {what} ({', '.join(values)}); got {value!r}")
        return value

    return check


def _text(what: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            raise BadValue(f"expected text for {what}")
        return clean_text(value, what)

    return check


def import_scheduled(
    store: Store,
    document: dict[str, Any],
    report: ImportReport,
    interaction_ids: dict[Any, int],
    *,
    now: Any,
    dry_run: bool,
    today: date | None = None,
    keep_ids: bool = False,
) -> dict[str, dict[Any, Any]]:
    """Add the document's events, touchpoints, gifts and snoozes that the store lacks.

    With `keep_ids` (the store was empty), each section whose ids are all positive integers,
    none twice, keeps them. Returns what each document id became, by key prefix (e, t, g)."""
    from rel.domain.identity import clean_uid
    from rel.services.importing.merging import keepable
    from rel.services.touchpoints import (
        parse_event_kind,
        parse_gift_direction,
        parse_touchpoint_kind,
    )
    from rel.store.importing import insert_record, record_signatures, record_uids, snooze_keys

    entries = report.entries_by_document_id

    def contact_of(record: dict[str, Any]) -> int | None:
        entry = entries.get(record.get("contact"))
        if entry is None:
            raise BadValue(f"no contact imported has the id {record.get('contact')!r}")
        return entry.id

    def existing(table: str, *columns: str) -> dict[tuple, int]:
        return record_signatures(store, table, columns)

    kept = {
        section: keep_ids and keepable([_id_of(record) for record in _list(document, section)])
        for section in ("events", "touchpoints", "gifts")
    }

    uids = {table: record_uids(store, table) for table in ("life_event", "touchpoint", "gift")}

    def same_uid(table: str, record: dict[str, Any]) -> int | None:
        """The store's record with this record's UID: the same one, imported before."""
        uid = clean_uid(record.get("uid"))
        return uids[table].get(uid) if uid else None

    def add(
        table: str, values: dict[str, Any], record_id: Any = None, uid: Any = None
    ) -> int | None:
        if dry_run:
            return None
        if record_id is not None:
            values = {**values, "id": record_id}
        uid = clean_uid(uid)
        if uid is not None and table in uids:
            values = {**values, "uid": uid}  # kept: it is not in the store (same_uid)
        new_id = insert_record(store, table, values)
        if uid is not None and table in uids and new_id is not None:
            uids[table][uid] = new_id
        return new_id

    counts = {"events": 0, "touchpoints": 0, "gifts": 0, "snoozes": 0}
    event_ids: dict[Any, int | None] = {}
    known = existing("life_event", "contact_id", "kind", "on", "text")
    for place, record in _records(document, "events", report):
        try:
            values = {
                "contact_id": contact_of(record),
                "kind": _field(record, "kind", place, _one_of(parse_event_kind, "a kind of event")),
                "on": _field(record, "date", place, parse_event_date),
                "text": _field(record, "text", place, _text("an event's text")),
            }
            if values["kind"] is None or values["on"] is None:
                raise BadValue("expected a kind and a date")
            created = _field(record, "created_at", place, instant) or now
        except RelError as error:
            report.problems.append(f"{place}: skipped: {error.message.removeprefix(place + '.')}")
            continue
        signature = tuple(values[k] for k in ("contact_id", "kind", "on", "text"))
        same = same_uid("life_event", record) or known.get(signature)
        if same is not None:
            event_ids[record.get("id")] = same
            continue
        event_ids[record.get("id")] = known[signature] = add(
            "life_event",
            {**values, "created_at": created},
            record.get("id") if kept["events"] else None,
            record.get("uid"),
        )  # type: ignore[assignment]
        counts["events"] += 1

    touchpoint_ids: dict[Any, int | None] = {}
    known = existing("touchpoint", "contact_id", "kind", "text", "start", "rule")
    for place, record in _records(document, "touchpoints", report):
        try:
            start = _field(record, "start", place, parse_iso_date)
            due = _field(record, "due", place, parse_iso_date)
            if start is None or due is None:
                raise BadValue("expected a start and a due date")
            rule = record.get("rule")
            if rule is not None:
                rule = str(parse_rule(str(rule), start))
            lead = _field(record, "lead", place, parse_duration)
            values = {
                "contact_id": contact_of(record),
                "kind": _field(
                    record, "kind", place, _one_of(parse_touchpoint_kind, "a kind of touchpoint")
                ),
                "text": _field(record, "text", place, _text("a touchpoint's text")),
                "start": start,
                "due": due,
                "rule": rule,
                "lead": str(lead) if lead else None,
                "state": _field(record, "state", place, _one_of(STATES, "a state")) or "open",
                "event_id": event_ids.get(record.get("event")) if record.get("event") else None,
                "interaction_id": interaction_ids.get(record.get("interaction")),
                "created_at": _field(record, "created_at", place, instant) or now,
            }
            if values["kind"] is None or values["text"] is None:
                raise BadValue("expected a kind and a text")
            completions = []
            for n, done in enumerate(record.get("completions") or []):
                where = f"{place}.completions[{n}]"
                if not isinstance(done, dict):
                    raise BadValue(f"{where}: expected an object")
                completions.append(
                    {
                        "occurrence": _field(done, "occurrence", where, parse_iso_date),
                        "on": _field(done, "date", where, parse_iso_date),
                        "action": _field(
                            done, "action", where, _one_of(("done", "skipped"), "an action")
                        ),
                        "note": _field(done, "note", where, _text("a note")),
                    }
                )
                if None in (
                    completions[-1]["occurrence"],
                    completions[-1]["on"],
                    completions[-1]["action"],
                ):
                    raise BadValue(f"{where}: expected an occurrence, a date and an action")
        except RelError as error:
            report.problems.append(f"{place}: skipped: {error.message.removeprefix(place + '.')}")
            continue
        signature = tuple(values[k] for k in ("contact_id", "kind", "text", "start", "rule"))
        same = same_uid("touchpoint", record) or known.get(signature)
        if same is not None:
            touchpoint_ids[record.get("id")] = same
            continue
        new_id = add(
            "touchpoint",
            values,
            record.get("id") if kept["touchpoints"] else None,
            record.get("uid"),
        )
        touchpoint_ids[record.get("id")] = known[signature] = new_id  # type: ignore[assignment]
        counts["touchpoints"] += 1
        for done in completions:
            add("completion", {**done, "touchpoint_id": new_id})

    gift_ids: dict[Any, int | None] = {}
    known = existing("gift", "contact_id", "direction", "text", "on", "occasion")
    for place, record in _records(document, "gifts", report):
        try:
            lead = _field(record, "lead", place, parse_duration)
            values = {
                "contact_id": contact_of(record),
                "direction": _field(
                    record, "direction", place, _one_of(parse_gift_direction, "idea, gave or got")
                ),
                "text": _field(record, "text", place, _text("a gift")),
                "on": _field(record, "date", place, parse_iso_date),
                "occasion": _field(record, "occasion", place, _text("an occasion")),
                "cost": _field(record, "cost", place, _text("a cost")),
                "lead": str(lead) if lead else None,
                "created_at": _field(record, "created_at", place, instant) or now,
            }
            if values["direction"] is None or values["text"] is None:
                raise BadValue("expected a direction and a text")
            if values["direction"] != "idea" and values["on"] and today is not None:
                check_past(
                    values["on"], today, str(record["date"]), "the day of a gift given or received"
                )
        except RelError as error:
            report.problems.append(f"{place}: skipped: {error.message.removeprefix(place + '.')}")
            continue
        signature = tuple(values[k] for k in ("contact_id", "direction", "text", "on", "occasion"))
        same = same_uid("gift", record) or known.get(signature)
        if same is not None:
            gift_ids[record.get("id")] = same
            continue
        gift_ids[record.get("id")] = known[signature] = add(
            "gift", values, record.get("id") if kept["gifts"] else None, record.get("uid")
        )  # type: ignore[assignment]
        counts["gifts"] += 1

    by_prefix: dict[str, Callable[[Any], int | None]] = {
        "c": lambda n: entries[n].id if n in entries else None,
        "b": lambda n: entries[n].id if n in entries else None,
        "t": lambda n: touchpoint_ids.get(n),
        "g": lambda n: gift_ids.get(n),
    }
    present = snooze_keys(store)
    for place, record in _records(document, "snoozes", report):
        key = str(record.get("key", ""))
        try:
            until = _field(record, "until", place, parse_iso_date)
            if until is None or len(key) < 2 or key[0] not in by_prefix or not key[1:].isdigit():
                raise BadValue("expected a key such as c3 and an until date")
        except RelError as error:
            report.problems.append(f"{place}: skipped: {error.message.removeprefix(place + '.')}")
            continue
        target = by_prefix[key[0]](int(key[1:]))
        if target is None and not dry_run:
            report.problems.append(f"{place}: skipped: nothing imported has the key {key}")
            continue
        store_key = f"{key[0]}{target}"
        if store_key in present:
            continue
        present.add(store_key)
        add("snooze", {"key": store_key, "until": until})
        counts["snoozes"] += 1
    report.scheduled.update({name: n for name, n in counts.items() if n})
    return {"e": event_ids, "t": touchpoint_ids, "g": gift_ids}
