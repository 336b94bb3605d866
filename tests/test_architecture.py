"""The layers hold: cli -> commands -> services -> store | formats -> domain, with no import cycles.

The contracts live in pyproject.toml ([tool.importlinter]); import-linter reads the imports of
every module, including those made inside functions."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_no_sql_text_or_database_driver_outside_the_store():
    """No module outside rel.store writes SQL text or runs the sqlite3 driver itself (the
    services that still build SQLAlchemy expressions on a session are listed in
    docs/architecture.md)."""
    offenders = []
    for path in (ROOT / "src" / "rel").rglob("*.py"):
        relative = path.relative_to(ROOT / "src" / "rel")
        if relative.parts[0] == "store":
            continue
        text = path.read_text()
        for marker in ("exec_driver_sql(", 'text("SELECT', "import sqlite3\n"):
            if marker in text:
                offenders.append(f"{relative}: {marker}")
    assert offenders == []


PAST_THE_BOUNDARY = re.compile(
    r"\bsession\b|\bSession\b|sqlalchemy|sqlmodel|rel\.store\.models|select\(|"
    r"\.(rows|mappings|change|execute|exec)\(|as_reader|\bReader\b|OrmReader|SqliteReader"
)


def test_services_hold_a_store_and_never_a_session_a_statement_or_a_row():
    """Services receive a `Store` and call rel.store's typed functions with it: no session, no
    SQLAlchemy expression, no statement name run on a reader, no row taken apart."""
    services = ROOT / "src" / "rel" / "services"
    offenders = []
    for path in sorted(services.rglob("*.py")):
        found = sorted({m.group(0) for m in PAST_THE_BOUNDARY.finditer(path.read_text())})
        if found:
            offenders.append(f"{path.relative_to(services).as_posix()}: {', '.join(found)}")
    assert offenders == []
