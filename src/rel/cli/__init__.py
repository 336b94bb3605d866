"""The command-line interface: one module per command area, all on one Typer app."""

from rel.cli import (  # noqa: F401  (each module adds its commands)
    admin,
    agenda,
    contacts,
    digest,
    graph,
    insights,
    io,
    log,
    merge,
    records,
    store,
    sync,
    touch,
    triage,
    undo,
)
from rel.cli.app import app

__all__ = ["app"]
