"""The command line: the `devdoctor` application, its language chosen before any help text is built, and
the subcommands (one module each in devdoctor.commands). Arguments become requests there; nothing is
diagnosed or rendered here. Exit codes: devdoctor.core.exit_codes."""
from __future__ import annotations

import os
import sys
from typing import Optional

import typer

from devdoctor import __version__, entry
from devdoctor.ui.i18n import _


def _choose_language(argv: list[str]) -> None:
    """Before any help text is built: --lang, $DEVDOCTOR_LANG, devdoctor.toml, the system locale."""
    from devdoctor.ui import i18n

    i18n.choose_for_command_line(argv)
    if i18n.language() != "en":  # click's own words (Usage:, Error:, ...) too
        from devdoctor.ui import click_i18n

        click_i18n.install()


_choose_language(sys.argv[1:])

EXIT_HELP = _("""
Exit codes: 0 every check gave a verdict, none failed (warnings allowed) · 1 at least one check
failed · 2 bad usage or an unreadable input file · 3 no device could be reached (none, unauthorized,
offline, adb server unreachable, adb missing) · 4 nothing failed, but something could not be checked ·
70 devdoctor itself went wrong.
""")

app = typer.Typer(
    name="devdoctor",
    help=_("Diagnose Android devices that run WMPF (WeChat mini-program framework for hardware) over ADB: "
           "what is wrong, the evidence, and how to fix it.\n\n"
           "Start with `devdoctor run` on a device plugged in over USB, or `devdoctor run --demo` "
           "to see a report from a bundled recording.") + "\n" + EXIT_HELP,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"devdoctor {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help=_("Print the version and exit.")),
          lang: Optional[str] = typer.Option(None, "--lang", metavar="zh|en", help=_(
              "Language of every message: zh (简体中文) or en. Default: devdoctor.toml, then the system locale.")),
          ) -> None:
    pass


MODULE_OF = {"list": "listing"}  # a command whose module is named otherwise
HELPERS = ("common", "options")  # modules of devdoctor.commands that hold no command


def _load_commands(argv: list[str] | None) -> None:
    """Register the command named on the program's command line, or every command (for help, completion, a
    typo, or when imported by other code: argv None): building all of them costs about 20 ms that
    `devdoctor run` would wait for before its first read."""
    import importlib
    import pkgutil

    from devdoctor import commands

    first = ("run", "listing", "devices", "record")  # `devdoctor --help` lists the everyday ones first
    names = sorted((m.name for m in pkgutil.iter_modules(commands.__path__)),
                   key=lambda n: (first.index(n) if n in first else len(first), n))
    named = entry.command_named(argv) if argv is not None else None
    module = MODULE_OF.get(named or "", named)
    if module in names and module not in HELPERS and "_DEVDOCTOR_COMPLETE" not in os.environ:
        names = [module]
    for name in names:
        importlib.import_module(f"devdoctor.commands.{name}")


_load_commands(entry.program_args())


def main() -> None:
    if os.environ.get("NO_COLOR"):
        os.environ.setdefault("TERM", "dumb")
    try:
        app()
    except SystemExit as e:  # how every command ends
        _leave(e.code)
    except KeyboardInterrupt:
        sys.stderr.write(_("devdoctor: interrupted") + "\n")
        sys.exit(130)
    except Exception as e:  # a bug of ours: one line and its own exit code, never a verdict or a traceback
        if os.environ.get("DEVDOCTOR_DEBUG"):
            raise
        from devdoctor.core import exit_codes

        sys.stderr.write(_("devdoctor: internal error: {kind}: {error}. This is a bug in devdoctor, not a problem "
                           "of the device; run again with DEVDOCTOR_DEBUG=1 to see where, and report it.").format(
            kind=type(e).__name__, error=str(e)[:200]) + "\n")
        sys.exit(exit_codes.INTERNAL)


def _leave(code: int | str | None) -> None:
    """Exit with `code` without Python's orderly teardown of the hundreds of modules and objects a run
    leaves (about 70 ms of every run): by now every file of ours is written and closed, and the history's
    transaction committed. With DEVDOCTOR_DEBUG the usual exit, for tools that hook it."""
    if isinstance(code, str):  # SystemExit("message"): Python prints it and exits 1
        sys.stderr.write(code + "\n")
        code = 1
    if os.environ.get("DEVDOCTOR_DEBUG"):
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach it
            pass
    os._exit(code or 0)


if __name__ == "__main__":
    main()
