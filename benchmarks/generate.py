"""Deterministic large stores and files for the benchmarks.

    uv run python benchmarks/generate.py 10k      # benchmarks/out/store-10k.db and friends

Every store is written by rel's own write paths, as a person's would be, never by INSERTs of
its own (which could fill what rel would not, such as derived columns):

- `store-N.db`: N contacts with a year of logged history (one interaction per cadence, some
  with two people), tags, birthdays for most, and 5 % of contacts with a scheduled touchpoint,
  written by rel's import of a rel JSON document (`rel import json`'s core function);
- `store-N-imported.db`: `rel import vcard` of N cards with `--every 3m`, as someone starting
  out does: nobody seen yet, first due dates spread over three months.

Also written: N vCards (for `rel import vcard`, and for khard), N taskwarrior tasks (for
`task next`), and (`generate.py 100k-mbox`) an mbox of N messages shaped like a Gmail Takeout
export, for `rel import mbox`.

Cadences: an address book grows with every import, but the people someone keeps up with on a
cadence do not grow with it; they are as many as a person can keep up with. So in
`store-N.db` about 1,200 contacts at most have a cadence of their own or the `customer` tag's
(80 % of a 1k store, 12 % of 10k, 1.2 % of 100k), and the rest have tags without one. The busy
variant, `store-N-busy.db` (`generate.py 100k-busy`), gives 80 % of every store a cadence: a
stress case where the agenda lists more than half the network.
"""

from __future__ import annotations

import random
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
STAMP = "2026-01-01T09:00:00+00:00"


def name(n: int) -> str:
    return f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n}"


def network_document(size: str, *, busy: bool = False) -> dict:
    """The store as a rel JSON document (what `rel export json` writes): tags, contacts, a year
    of interactions, touchpoints."""
    count = SIZES[size]
    with_cadence = 1.0 if busy else min(1.0, KEPT_UP_WITH / count)
    rng = random.Random(count)
    year_ago = TODAY - timedelta(days=365)
    # the customer tag carries a cadence: only people kept up with have it
    tags = [{"name": tag, "cadence": "1m" if tag == "customer" else None} for tag in TAGS]
    period = {"1w": 7, "2w": 14, "3w": 21, "1m": 30, "6w": 42, "2m": 61, "quarterly": 91,
              "3w-6w": 42}  # fmt: skip
    contacts, interactions, touchpoints = [], [], []
    for n in range(1, count + 1):
        added = TODAY - timedelta(days=rng.randint(30, 900))
        month, day, year = rng.randint(1, 12), rng.randint(1, 28), rng.choice([None, 1960 + n % 40])
        birthday = f"{year or '-'}-{month:02d}-{day:02d}" if rng.random() >= 0.2 else None
        kept_up = rng.random() < with_cadence
        cadence = rng.choice(CADENCES) if kept_up else None
        contacts.append(
            {
                "id": n,
                "name": name(n),
                "company": f"Company {n % 500}",
                "emails": [f"person{n}@example.org"],
                "tags": [TAGS[rng.randint(0 if kept_up else 1, len(TAGS) - 1)]],
                "birthday": birthday,
                "cadence": cadence,
                "archived": rng.random() < 0.02,
                "added_on": added.isoformat(),
                "created_at": STAMP,
                "updated_at": STAMP,
            }
        )
        # a year of history: most people are kept up with, the last interaction within 1.3
        # cadences (60 days for the others), and one every cadence before it
        rhythm = period.get(cadence or "", 60)
        on = TODAY - timedelta(days=rng.randint(0, int(rhythm * 1.3)))
        while on >= max(year_ago, added):
            people = [n] if rng.random() >= 0.05 else [n, rng.randint(1, count)]
            interactions.append(
                {
                    "id": len(interactions) + 1,
                    "date": on.isoformat(),
                    "kind": rng.choice(KINDS),
                    "note": "note",
                    "direction": "them" if rng.random() < 0.3 else "me",
                    "with": sorted(set(people)),
                    "created_at": STAMP,
                }
            )
            on -= timedelta(days=rhythm + rng.randint(0, rhythm // 2))
    for n in rng.sample(range(1, count + 1), count // 20):
        touchpoints.append(
            {
                "id": len(touchpoints) + 1,
                "contact": n,
                "kind": "follow-up",
                "text": "send the deck",
                "start": TODAY.isoformat(),
                "due": (TODAY + timedelta(days=rng.randint(-20, 40))).isoformat(),
                "rule": rng.choice([None, "FREQ=MONTHLY;BYMONTHDAY=-1"]),
                "state": "open",
                "created_at": STAMP,
            }
        )
    interactions.sort(key=lambda entry: entry["date"])
    return {
        "format": "rel",
        "version": 1,
        "tags": tags,
        "contacts": contacts,
        "interactions": interactions,
        "touchpoints": touchpoints,
    }


def make_store(size: str, *, busy: bool = False) -> Path:
    """A store with a year of logged history, written by rel's own import of a rel JSON
    document (`rel import json`, through its core function: one transaction, no undo entry)."""
    path = OUT / f"store-{size}{'-busy' if busy else ''}.db"
    if path.exists():
        return path
    from datetime import UTC, datetime

    from rel.paths import file_location
    from rel.services.importing.document import import_document
    from rel.store.engine import open_store
    from rel.store.queries import OrmReader

    OUT.mkdir(exist_ok=True)
    document = network_document(size, busy=busy)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    store = open_store(file_location(partial), write=True)
    try:
        with store.session() as session:
            report = import_document(
                OrmReader(session), document, today=TODAY, now=datetime(2026, 3, 1, 9, tzinfo=UTC)
            )
    finally:
        store.close()
    if report.problems:
        raise SystemExit(f"{path}: the import said: {report.problems[:3]}")
    partial.rename(path)
    return path


def make_imported_store(size: str) -> Path:
    """A store as a person makes one: `rel import vcard` of N cards with `--every 3m` (nobody
    seen yet, their first due dates spread over three months)."""
    import os
    import subprocess

    path = OUT / f"store-{size}-imported.db"
    if path.exists():
        return path
    cards = make_vcards(size)
    partial = path.with_name(path.stem + "-partial.db")
    partial.unlink(missing_ok=True)
    rel = Path(sys.executable).with_name("rel")
    env = {**os.environ, "REL_DB": str(partial), "REL_TODAY": TODAY.isoformat()}
    subprocess.run([str(rel), "import", "vcard", str(cards), "--every", "3m"], check=True,
                   env=env, stdout=subprocess.DEVNULL)  # fmt: skip
    partial.rename(path)
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


MAIL_PEOPLE = 20_000  # addresses mailed with; the first half are in store-10k-imported.db


def make_mbox(size: str) -> Path:
    """N messages in the shape of a Gmail Takeout mbox (From_ lines, X-GM-THREAD-ID,
    X-Gmail-Labels, Received, a few body lines): half with someone in the 10k imported store
    (person{n}@example.org, n ≤ 10,000), one in ten from a mailing list, a few to many people,
    for `rel import mbox` beside the standard library reading the same headers."""
    path = OUT / f"mail-{size}.mbox"
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    rng = random.Random(5)
    start = TODAY - timedelta(days=3 * 365)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="\n") as handle:
        for n in range(SIZES[size]):
            day = start + timedelta(days=n * 3 * 365 // SIZES[size])
            stamp = f"{day.strftime('%a, %d %b %Y')} {rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}:00 +0000"
            other = f"person{rng.randint(1, MAIL_PEOPLE)}@example.org"
            name = f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]}"
            mine = rng.random() < 0.4
            sender, to = (
                ("Me <me@example.com>", f"{name} <{other}>")
                if mine
                else (f"=?UTF-8?Q?{name.replace(' ', '_')}?= <{other}>", "Me <me@example.com>")
            )
            extra = ""
            if rng.random() < 0.1:
                extra = "List-Id: <news.lists.example.net>\n"
            cc = ""
            if rng.random() < 0.05:
                cc = (
                    "Cc: "
                    + ", ".join(
                        f"person{rng.randint(1, MAIL_PEOPLE)}@example.org" for _ in range(12)
                    )
                    + "\n"
                )
            handle.write(
                f"From {1790000000000000000 + n}@xxx {day.strftime('%a %b %d')} 10:00:00 +0000 {day.year}\n"
                f"X-GM-THREAD-ID: {1790000000000000000 + n // 3}\n"
                f"X-Gmail-Labels: {'Sent' if mine else 'Inbox,Important'}\n"
                f"Delivered-To: me@example.com\n"
                f"Received: by 2002:a05:6000:1a8c with SMTP id f12csp{n};\n        {stamp}\n"
                f"MIME-Version: 1.0\nDate: {stamp}\nMessage-ID: <msg-{n}@mail.example.com>\n"
                f"Subject: {'Re: ' if n % 3 else ''}Project {n // 3}\nFrom: {sender}\nTo: {to}\n{cc}{extra}"
                f'Content-Type: text/plain; charset="UTF-8"\n\n'
                + "A body line that the harvest never reads, of a usual length for mail.\n"
                * rng.randint(3, 30)
                + "\n"
            )
    partial.rename(path)
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
        size, variant = size.partition("-")[::2]
        if size not in SIZES or variant not in ("", "busy", "imported", "mbox"):
            raise SystemExit(
                f"expected sizes among {', '.join(SIZES)} (or 100k-busy, 10k-imported); "
                f"got {size!r}"
            )
        if variant == "imported":
            print(make_imported_store(size))
        elif variant == "mbox":
            print(make_mbox(size))
        else:
            print(make_store(size, busy=variant == "busy"), make_vcards(size), make_tasks(size))
