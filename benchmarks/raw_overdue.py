"""The floor for `rel due`: the same overdue list with nothing but the standard library's
sqlite3 (the last interaction per contact as the store keeps it, due = last + cadence in
Python)."""

import sqlite3
import sys
from datetime import date, timedelta

DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
today = date.fromisoformat(sys.argv[2])
connection = sqlite3.connect(sys.argv[1])
rows = connection.execute(
    "SELECT c.id, c.name, c.cadence, c.added_on, c.last_seen"
    " FROM contact c WHERE c.archived = 0 AND c.cadence IS NOT NULL"
)
overdue = []
for contact_id, name, cadence, added_on, last in rows:
    soft = cadence.split("-")[-1] if cadence[0].isdigit() else "3m"
    days = int(soft[:-1]) * DAYS[soft[-1]]
    due = date.fromisoformat(last or added_on) + timedelta(days=days)
    if due < today:
        overdue.append(((today - due).days / days, contact_id, name))
overdue.sort(reverse=True)
sys.stdout.write("".join(f"c{i} {n}\n" for _, i, n in overdue))
