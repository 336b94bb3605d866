"""Deterministic large stores and files for the benchmarks.

    uv run python benchmarks/generate.py 10k      # benchmarks/out/store-10k.db and friends

A store of N contacts has about 20 interactions per contact (some with two people), tags,
birthdays for most, and 5 % of contacts with a scheduled touchpoint. It is made with rel's own
schema (`rel.store.engine.open_store`) and filled with the standard library's sqlite3 in one
transaction. Also written: N vCards (for `rel import vcard`, and for khard) and N taskwarrior
tasks (for `task next`).

Cadences: an address book grows with every import, but the people someone keeps up with on a
cadence do not grow with it; they are as many as a person can keep up with. So in
`store-N.db` about 1,200 contacts at most have a cadence of their own or the `customer` tag's
(80 % of a 1k store, 12 % of 10k, 1.2 % of 100k), and the rest have tags without one. The busy
variant, `store-N-busy.db` (`generate.py 100k-busy`), gives 80 % of every store a cadence: a
stress case where the agenda lists more than half the network.
"""

from __future__ import annotations

import random
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).with_name("out")
TODAY = date(2026, 3, 1)
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
KEPT_UP_WITH = 1_500  # at most about 80 % of these have a cadence (see above)
TAGS = ["customer", "prospect", "vendor", "partner", "colleague", "mentor", "friend", "family"]
CADENCES = ["1w", "2w", "3w", "1m", "6w", "2m", "quarterly", "3w-6w", None, None]
KINDS = ["call", "email", "message", "coffee", "lunch", "dinner", "meeting", "video", "help"]
FIRST = ["Alice", "Bob", "Carol", "Dan", "Eve", "Farid", "Grace", "Hana", "Ivan", "José", "Kim"]
LAST = ["Chen", "Stone", "García", "Okafor", "Novak", "Lee", "Ortiz", "Meyer", "Sato", "Rossi"]
STAMP = "2026-01-01 09:00:00.000000"


def name(n: int) -> str:
    return f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n}"


def make_store(size: str, *, busy: bool = False) -> Path:
    count = SIZES[size]
    path = OUT / f"store-{size}{'-busy' if busy else ''}.db"
    if path.exists():
        return path
    from rel.paths import file_location
    from rel.store.engine import open_store
    from rel.store.models import cadence_days

    with_cadence = 1.0 if busy else min(1.0, KEPT_UP_WITH / count)
    OUT.mkdir(exist_ok=True)
    open_store(file_location(path), write=True).close()
    rng = random.Random(count)
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO tag (id, name, cadence) VALUES (?, ?, ?)",
            [(i + 1, tag, "1m" if tag == "customer" else None) for i, tag in enumerate(TAGS)],
        )
        contacts, handles, links = [], [], []
        for n in range(1, count + 1):
            added = TODAY - timedelta(days=rng.randint(30, 900))
            birthday = (rng.randint(1, 12), rng.randint(1, 28), rng.choice([None, 1960 + n % 40]))
            if rng.random() < 0.2:
                birthday = (None, None, None)
            full = name(n)
            kept_up = rng.random() < with_cadence
            cadence = rng.choice(CADENCES) if kept_up else None
            contacts.append(
                (
                    n,
                    full,
                    full.lower(),
                    f"Company {n % 500}",
                    None,
                    None,
                    *birthday,
                    cadence,
                    None,
                    int(rng.random() < 0.02),
                    added.isoformat(),
                    STAMP,
                    STAMP,
                )
            )
            handles.append((n, "email", f"person{n}@example.org", f"person{n}@example.org", 0))
            # the customer tag (1) carries a cadence: only people kept up with have it
            links.append((n, rng.randint(1 if kept_up else 2, len(TAGS))))
        connection.executemany(
            "INSERT INTO contact (id, name, search_name, company, title, met, birthday_month,"
            " birthday_day, birthday_year, cadence, notes, archived, added_on, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            contacts,
        )
        connection.executemany(
            "INSERT INTO handle (contact_id, kind, value, search_value, position)"
            " VALUES (?, ?, ?, ?, ?)",
            handles,
        )
        connection.executemany("INSERT INTO contact_tag (contact_id, tag_id) VALUES (?, ?)", links)
        interactions, participants = [], []
        number = 0
        period = {"1w": 7, "2w": 14, "3w": 21, "1m": 30, "6w": 42, "2m": 61, "quarterly": 91,
                  "3w-6w": 42}  # fmt: skip
        for n, contact in enumerate(contacts, start=1):
            # most people are kept up with: the last interaction is within 1.3 cadences
            rhythm = period.get(contact[9] or "", 60)
            last = TODAY - timedelta(days=rng.randint(0, int(rhythm * 1.3)))
            for index in range(rng.randint(10, 30)):
                number += 1
                on = last - timedelta(days=index * rhythm + rng.randint(0, rhythm // 2))
                interactions.append(
                    (
                        number,
                        on.isoformat(),
                        rng.choice(KINDS),
                        "note",
                        "them" if rng.random() < 0.3 else "me",
                        STAMP,
                    )
                )
                participants.append((number, n))
                if rng.random() < 0.05:
                    participants.append((number, rng.randint(1, count)))
        connection.executemany(
            'INSERT INTO interaction (id, "on", kind, note, direction, created_at)'
            " VALUES (?, ?, ?, ?, ?, ?)",
            interactions,
        )
        connection.executemany(
            "INSERT OR IGNORE INTO participant (interaction_id, contact_id) VALUES (?, ?)",
            participants,
        )
        touchpoints = [
            (n, "follow-up", "send the deck", (TODAY + timedelta(days=rng.randint(-20, 40))).isoformat(),
             TODAY.isoformat(), rng.choice([None, "FREQ=MONTHLY;BYMONTHDAY=-1"]), None, "open", STAMP)
            for n in rng.sample(range(1, count + 1), count // 20)
        ]  # fmt: skip
        connection.executemany(
            "INSERT INTO touchpoint (contact_id, kind, text, due, start, rule, lead, state,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            touchpoints,
        )
        for table in ("contact", "tag"):  # what the ORM sets with every cadence it writes
            for (cadence,) in connection.execute(
                f"SELECT DISTINCT cadence FROM {table} WHERE cadence IS NOT NULL"
            ).fetchall():
                connection.execute(
                    f"UPDATE {table} SET cadence_days = ? WHERE cadence = ?",
                    (cadence_days(cadence), cadence),
                )
    connection.execute("ANALYZE")
    connection.close()
    return path


def make_vcards(size: str) -> Path:
    path = OUT / f"cards-{size}.vcf"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            for n in range(1, SIZES[size] + 1):
                first, last = FIRST[n % len(FIRST)], f"{LAST[n % len(LAST)]}{n}"
                handle.write(
                    f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{first} {last}\r\nN:{last};{first};;;\r\n"
                    f"EMAIL;TYPE=INTERNET:person{n}@example.org\r\nTEL;TYPE=CELL:+1 555 {n:07d}\r\n"
                    f"ORG:Company {n % 500}\r\nBDAY:19{60 + n % 40}-{n % 12 + 1:02d}-{n % 28 + 1:02d}\r\n"
                    f"UID:card-{n}\r\nEND:VCARD\r\n"
                )
    return path


def make_khard_cards(size: str) -> Path:
    """khard reads a folder of .vcf files, one card each."""
    folder = OUT / f"khard-{size}"
    if not folder.exists():
        text = make_vcards(size).read_bytes().decode("utf-8")
        folder.mkdir(parents=True)
        for n, card in enumerate(c for c in text.split("END:VCARD\r\n") if c.strip()):
            (folder / f"card-{n}.vcf").write_bytes((card + "END:VCARD\r\n").encode("utf-8"))
    return folder


def make_tasks(size: str) -> Path:
    """A taskwarrior data folder with N pending tasks (its own JSON lines format)."""
    import json
    import uuid

    folder = OUT / f"task-{size}"
    if not folder.exists():
        folder.mkdir(parents=True)
        rng = random.Random(7)
        with (folder / "pending.data").open("w", encoding="utf-8") as handle:
            for n in range(SIZES[size]):
                due = TODAY + timedelta(days=rng.randint(-30, 60))
                task = {
                    "description": f"call {name(n)}",
                    "due": due.strftime("%Y%m%dT000000Z"),
                    "entry": "20260101T000000Z",
                    "status": "pending",
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
                    "project": f"p{n % 20}",
                }
                fields = " ".join(f"{k}:{json.dumps(v)}" for k, v in sorted(task.items()))
                handle.write(f"[{fields}]\n")
        (folder / "taskrc").write_text(
            f"data.location={folder}\nconfirmation=off\nverbose=nothing\n"
        )
    return folder


if __name__ == "__main__":
    for size in sys.argv[1:] or ["1k", "10k"]:
        size, busy = size.removesuffix("-busy"), size.endswith("-busy")
        if size not in SIZES:
            raise SystemExit(
                f"expected sizes among {', '.join(SIZES)} (or 100k-busy); got {size!r}"
            )
        print(make_store(size, busy=busy), make_vcards(size), make_tasks(size))
