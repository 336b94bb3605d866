"""Writes tests/data/store-0001.db: a store made by rel's first released schema (0001_initial).

It was made by running this script against the code of that schema, so the upgrade test reads
a real old store, not one rebuilt by today's code:

    git worktree add /tmp/rel-0001 1c20aef
    PYTHONPATH=/tmp/rel-0001/src uv run python tests/data/make_store_0001.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TARGET = Path(__file__).with_name("store-0001.db")
COMMANDS = [
    ["add", "Alice Chen", "--company", "Acme", "--tag", "customer", "--every", "3w",
     "--birthday", "1984-03-14", "--email", "alice@acme.example", "--alias", "Ali",
     "--phone", "+1 415 555 0142", "--link", "linkedin.com/in/alice", "--note", "Two kids"],
    ["add", "Bob Stone", "--tag", "friend", "--every", "1m", "--birthday", "02-29"],
    ["add", "José García", "--tag", "prospect", "--met", "Madrid roadshow"],
    ["add", "Old Vendor", "--tag", "vendor"],
    ["archive", "old vendor"],
    ["log", "alice", "lunch", "Q3 launch", "--on", "2026-02-10", "--with", "bob"],
    ["log", "jose", "call", "--on", "2026-02-20", "--they"],
    ["log", "bob", "dinner", "--on", "2026-02-27", "--at", "19:30"],
]  # fmt: skip


def main() -> None:
    TARGET.unlink(missing_ok=True)
    env = {**os.environ, "REL_DB": str(TARGET), "REL_TODAY": "2026-03-01"}
    for args in COMMANDS:
        subprocess.run([sys.executable, "-m", "rel", *args], env=env, check=True)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
