"""Entry point: `rel` and `python -m rel`.

Ctrl-C is exit 130 and no traceback whenever it comes. While rel starts (Python importing its
modules, Typer building the commands: the first tenth of a second or so) it simply ends the
process with 130; once a command runs, the command's own handler stops it and says that nothing
was written.
"""

from __future__ import annotations

import signal


def _quiet_exit(_signal: int, _frame: object) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C cannot interrupt the exit
    raise SystemExit(130)


def main() -> None:
    previous = signal.signal(signal.SIGINT, _quiet_exit)
    try:
        import sys

        from rel.quick import plain, run

        found = plain(sys.argv[1:])
        if found is not None:  # an everyday command, plainly: no command layer (rel.quick)
            signal.signal(signal.SIGINT, previous)
            run(found)
            return

        from typer.main import get_command

        import rel.cli  # noqa: F401  (each module adds its commands)
        from rel.cli.app import app_for

        command = get_command(app_for(sys.argv[1:]))
        signal.signal(signal.SIGINT, previous)  # the command's: KeyboardInterrupt
        command(prog_name="rel")
    except KeyboardInterrupt:  # between the command's handler and ours
        _quiet_exit(signal.SIGINT, None)
    finally:  # the command is over: a Ctrl-C while Python shuts down changes nothing
        signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":
    main()
