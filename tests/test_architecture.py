"""The layers hold: cli -> services -> store | formats -> domain, with no import cycles.

The contracts live in pyproject.toml ([tool.importlinter]); import-linter reads the imports of
every module, including those made inside functions."""

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
