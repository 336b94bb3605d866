"""The bodies of the everyday commands, free of the command layer's imports (Typer,
Click): rel.cli's Typer commands call them, and rel.quick runs them directly for a plain
command line."""
