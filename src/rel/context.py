"""What every command needs, resolved once (the day, the store, the mode), and the one error
boundary. Free of the command layer's imports (Typer, Click): `rel due` runs through here
without them (rel.quick), and every other command through rel.cli."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from rel.errors import RelError

if TYPE_CHECKING:
    from rel.paths import StoreLocation
    from rel.store.queries import Store

T = TypeVar("T")

# The command line's words every command shares, as both ways of parsing it read them
# (rel.cli.app.RelGroup, rel.quick): global options anywhere, and the command `rel` alone (or
# `rel --days 3`) runs.
GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--today")
GLOBAL_FLAGS = ("--debug",)
DEFAULT_COMMAND = "due"


def _is_click_exception(problem: Exception) -> bool:
    """Click's own errors (unknown option, missing argument: exit 2 and usage) and exits."""
    return type(problem).__module__.startswith("click.")


def _one_line(problem: Exception) -> str:
    from rel.store.engine import describe_store_failure

    try:
        from sqlalchemy.exc import DBAPIError
    except ImportError:  # pragma: no cover - sqlalchemy is a dependency
        DBAPIError = ()  # type: ignore[assignment,misc]
    if isinstance(problem, DBAPIError):
        return describe_store_failure(problem, _state.location).message
    if isinstance(problem, OSError) and problem.strerror:
        where = f" {problem.filename}" if problem.filename else ""
        return f"cannot use{where}: {problem.strerror}"
    text = " ".join(str(problem).split()) or type(problem).__name__
    return f"unexpected {type(problem).__name__}: {text[:300]}"


@dataclass
class Context:
    """What every command needs, resolved once: the day, the store, the mode."""

    db: str | None = None
    today_text: str | None = None
    debug: bool = False
    command_words: list[str] = field(default_factory=list)

    @property
    def command(self) -> str:
        """The command as typed, for the undo journal: `rel log alice lunch 'Q3 launch'`."""
        import shlex

        text = shlex.join(["rel", *self.command_words])
        return text if len(text) <= 200 else text[:199] + "…"

    @cached_property
    def now(self) -> datetime:
        return datetime.now(UTC)

    @cached_property
    def today(self) -> date:
        from rel.domain.dates import parse_when

        text = self.today_text or os.environ.get("REL_TODAY")
        real_today = datetime.now().date()
        if not text:
            return real_today
        return parse_when(text, real_today, past=False)

    @cached_property
    def location(self) -> StoreLocation:
        from rel.paths import resolve_store

        return resolve_store(self.db)

    @contextmanager
    def store(
        self, *, write: bool = False, undoable: bool = True, orm: bool = False
    ) -> Iterator[Store]:
        """One transaction on the store, as the `Store` handle services pass to rel.store's
        typed functions: on an up-to-date SQLite file the standard library's sqlite3 with SQL
        compiled ahead (no SQLAlchemy import), otherwise, or with `orm` (imports, merges: the
        store functions that need SQLAlchemy's session), an ORM session. A writing command is
        journaled as one entry that `rel undo` reverts."""
        from rel.store.engine import reader_transaction, session_transaction

        journal = self._journal(write and undoable)
        if not orm:
            with reader_transaction(self.location, write=write, journal=journal) as store:
                yield store
            return
        from rel.store.queries import OrmReader

        with session_transaction(self.location, write=write, journal=journal) as session:
            yield OrmReader(session)

    def _journal(self, journaled: bool) -> tuple[str, datetime] | None:
        """How the undo journal names this command (as typed, and when), if it is journaled."""
        return (self.command, self.now) if journaled else None


_state = Context()


def context() -> Context:
    """The running command's context (set by the command line, or by rel.quick)."""
    return _state


def set_context(new: Context) -> None:
    global _state
    _state = new


def guarded(action: Callable[[], T]) -> T:
    """Run a command: the one error boundary. Every `RelError`, and every foreseeable failure
    (a bad file, a locked or damaged store, an unreachable server), is exit 1 and one line on
    stderr; the traceback is shown only with `--debug`. Click's own errors (usage, exit 2) and
    exits pass through."""
    from rel import render

    try:
        return action()
    except RelError as problem:
        if _state.debug:
            raise
        render.error(problem.message)
        raise SystemExit(1) from None
    except BrokenPipeError:
        # the reader went away (rel due | head): not an error of ours
        sys.stderr.close()
        raise SystemExit(0) from None
    except KeyboardInterrupt:
        render.error("interrupted; nothing was written")
        raise SystemExit(130) from None
    except SystemExit:
        raise
    except Exception as problem:
        if _state.debug or _is_click_exception(problem):
            raise
        render.error(f"{_one_line(problem)} (run again with --debug for the details)")
        raise SystemExit(1) from None
