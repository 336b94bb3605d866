"""Every test runs in its own home: its own store, its own day, plain output, fixed width."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

TODAY = date(2026, 3, 1)
REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "realworld"


@pytest.fixture(scope="session", autouse=True)
def compiled_rel() -> None:
    """rel and the packages it imports compiled to bytecode once, as an installer such as pip
    or `uv tool install` does: the tests that start rel as a process then pay what a user
    pays. Where PYTHONDONTWRITEBYTECODE is set, Python never writes bytecode itself, and every
    such process would compile SQLAlchemy again (1.3 s). Files already compiled are skipped."""
    import compileall
    import site

    import rel

    for folder in [Path(rel.__file__).parent, *map(Path, site.getsitepackages())]:
        compileall.compile_dir(folder, quiet=2)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private home, data dir and store for each test; nothing reads the real home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("REL_DB", str(tmp_path / "store" / "rel.db"))
    monkeypatch.setenv("REL_TODAY", TODAY.isoformat())
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    for name in ("FORCE_COLOR", "REL_FORCE_TERMINAL", "TERM_PROGRAM"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "rel.db"


@pytest.fixture
def rel() -> Callable[..., Result]:
    """Run rel through Typer's CliRunner: rel("log", "alice", "lunch")."""
    from rel.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None, ok: bool | None = None) -> Result:
        result = runner.invoke(app, list(args), input=input, prog_name="rel")
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if ok is True:
            assert result.exit_code == 0, result.stderr
        return result

    return run


@pytest.fixture
def rel_json(rel: Callable[..., Result]) -> Callable[..., Any]:
    """Run rel with --json and return the parsed document."""

    def run(*args: str) -> Any:
        result = rel(*args, "--json", ok=True)
        return json.loads(result.stdout)

    return run


def run_installed(*args: str, env: dict[str, str] | None = None, input: str | None = None):
    """Run the installed rel as a subprocess, as a user would (python -m rel)."""
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "rel", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=input,
        timeout=120,
    )


@pytest.fixture
def session():
    """A session on a fresh in-memory store, for testing core functions directly."""
    from rel.paths import StoreLocation
    from rel.store.engine import open_store

    store = open_store(StoreLocation("sqlite://", None), write=True)
    try:
        with store.session() as s:
            yield s
    finally:
        store.close()


NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def add(session, name: str, *, today: date = TODAY, **fields: Any):
    """Add a contact through the core, with fields as rel add takes them (already parsed)."""
    from rel.services.contacts import ContactDetails, add_contact

    contact, _ = add_contact(session, name, ContactDetails(**fields), today=today, now=NOW)
    return contact


def log(session, people, on: date, kind: str = "call", *, they: bool = False):
    from rel.services.interactions import record_interaction

    people = people if isinstance(people, list) else [people]
    return record_interaction(
        session, people, kind, None, on=on, they_reached_out=they, today=TODAY, now=NOW
    )
