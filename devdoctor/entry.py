"""The `devdoctor` program's first lines: what can begin before the command line is built.

Building the command line imports typer, rich and devdoctor's commands (about 0.2 s on a laptop). So the
arguments are remembered first, and devdoctor.cli builds only the command they name. A plain `run`
finds its devices and sends their first reads now (devdoctor.core.early_run). And a zipped
bugreport named by `run --bugreport FILE` starts inflating now, in a thread that lets go of the
interpreter lock (devdoctor.sources.bugreport_zip), so it is mostly inflated by the time it is opened.
What typer makes of the arguments is what counts: a start the command line turns out not to want is
never used, and a file that cannot be read is reported later, by the command, in its own words.
"""
from __future__ import annotations

import gc
import sys

_program_args: list[str] | None = None  # the arguments, when devdoctor runs as the program


def main() -> None:
    # A command allocates tens of thousands of short-lived objects (answers, lines, results) and few
    # cycles: the cycle collector runs a tenth as often as its default (a few % of a fleet's CPU).
    gc.set_threshold(10_000, 20, 20)
    try:
        prepare(sys.argv[1:])  # may wait on the adb server (starting it, finding the devices)
    except KeyboardInterrupt:  # as the command itself says it (devdoctor.cli)
        from devdoctor.ui.i18n import _

        sys.stderr.write(_("devdoctor: interrupted") + "\n")
        sys.exit(130)
    from devdoctor.cli import main as cli_main

    cli_main()


def prepare(args: list[str]) -> None:
    """Before the command line is built: remember the arguments (devdoctor.cli builds only the command
    they name) and begin what can begin."""
    global _program_args
    _program_args = list(args)
    begin_early(args)


def program_args() -> list[str] | None:
    """The program's arguments; None when devdoctor is imported by other code (tests), which gets every
    command."""
    return _program_args


def command_named(args: list[str]) -> str | None:
    """The first argument Click reads as the command: the root's only option with a value is --lang."""
    value_next = False
    for arg in args:
        if value_next:
            value_next = False
        elif arg == "--lang":
            value_next = True
        elif not arg.startswith("-"):
            return arg
    return None


def begin_early(args: list[str]) -> None:
    if command_named(args) != "run":
        return
    from devdoctor.core import early_run

    early_run.begin(args)  # a plain run's device reads: nothing for any other form of `run`
    for i, arg in enumerate(args):
        if arg == "--":
            return
        named = args[i + 1] if arg == "--bugreport" and i + 1 < len(args) else \
            arg[len("--bugreport="):] if arg.startswith("--bugreport=") else None
        if named:
            from pathlib import Path

            from devdoctor.sources import bugreport_zip

            try:
                bugreport_zip.start(Path(named), bugreport_zip.IN_MEMORY_MAX)
            except (OSError, ValueError):  # the command says what is wrong with the file
                pass
            return
