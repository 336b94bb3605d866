"""Entry point: `rel` and `python -m rel`."""

from __future__ import annotations


def main() -> None:
    from rel.cli import app

    app(prog_name="rel")


if __name__ == "__main__":
    main()
