"""Options several commands share, declared once. Imported after devdoctor.cli chose the language, so
their help texts are translated."""
from __future__ import annotations

from typing import Optional

import typer

from devdoctor.ui.i18n import _


def _check_lang(value: Optional[str]) -> Optional[str]:
    if value is not None and value not in ("zh", "en"):
        raise typer.BadParameter(_("choose zh or en"))
    return value


Lang = typer.Option(None, "--lang", metavar="zh|en", callback=_check_lang,
                    help=_("Language of every message: zh (简体中文) or en. Default: devdoctor.toml, then the "
                           "system locale."))
ConfigFile = typer.Option(None, "--config", metavar="FILE",
                          help=_("Site configuration file (default: ./devdoctor.toml, then the user's config "
                                 "folder)."))
AdbHost = typer.Option(None, "--adb-host", envvar="ANDROID_ADB_SERVER_HOST",
                       help=_("Host of the adb server (default 127.0.0.1, like adb)."))
AdbPort = typer.Option(None, "--adb-port", envvar="ANDROID_ADB_SERVER_PORT", min=1, max=65535,
                       help=_("Port of the adb server (default 5037, like adb)."))
Serial = typer.Option(None, "--serial", "-s", help=_("Diagnose the device with this serial."))
Only = typer.Option([], "--only", help=_("Run only this check (repeatable)."))
Skip = typer.Option([], "--skip", help=_("Do not run this check (repeatable)."))
Verbose = typer.Option(False, "--verbose", "-v", help=_("Show the evidence behind every verdict."))
Timeout = typer.Option(None, "--timeout", min=0.1, help=_(
    "Time limit for each check, in seconds (default: each check's own, 10 s for most)."))
ChecksDir = typer.Option([], "--checks-dir", help=_("Also load drop-in check files (*.py) from this folder."))
NoRedact = typer.Option(False, "--no-redact", help=_("Do not mask serial numbers, IMEIs, MAC and IP addresses and "
                                                     "Wi-Fi names in the --report page."))
JsonList = typer.Option(False, "--json", help=_("Machine-readable list."))
