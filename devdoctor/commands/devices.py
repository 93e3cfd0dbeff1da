"""`devdoctor devices`: what is attached to the adb server(s): serial, state, model, Android version."""
from __future__ import annotations

from typing import List, Optional

import typer

from devdoctor.cli import app
from devdoctor.commands.common import fail, open_adb, site_config, stderr, stdout
from devdoctor.commands.options import AdbHost, AdbPort, JsonList, Lang
from devdoctor.fleet.options import AdbServerOption
from devdoctor.ui.i18n import _


@app.command(help=_("List attached devices: serial, state (device / unauthorized / offline), model, Android "
                    "version.\n\nExample: devdoctor devices --json"))
def devices(
    json_out: bool = JsonList,
    adb_host: Optional[str] = AdbHost,
    adb_port: Optional[int] = AdbPort,
    adb_server: List[str] = AdbServerOption,
    lang: Optional[str] = Lang,
) -> None:
    import json
    from concurrent.futures import ThreadPoolExecutor

    from devdoctor.sources.device import DeviceError

    server = open_adb(adb_host, adb_port, json_out, (adb_server, site_config(None, json_out)))
    try:
        attached = server.list()
    except DeviceError as e:
        fail(str(e), e.exit_code, json_out, e.kind)

    def describe(a):
        row = {"serial": a.serial, "state": a.state, "model": a.model, "release": "", "sdk": None, "note": ""}
        if a.state == "unauthorized":
            row["note"] = _("accept the USB debugging prompt on the device's screen")
        elif a.state != "device":
            row["note"] = a.problem or _("reconnect the cable")
        else:
            try:
                from devdoctor.parsers.getprop import parse_getprop

                p = parse_getprop(server.open(a).shell("getprop", timeout=5).stdout)
                row.update(model=p.model or a.model, release=p.release, sdk=p.sdk)
            except DeviceError as e:
                row["note"] = str(e)
        return row

    with ThreadPoolExecutor(max_workers=8) as pool:
        rows = list(pool.map(describe, attached))
    code = 0 if rows else 3  # as in text: no device attached is exit 3
    if json_out:
        typer.echo(json.dumps({"devices": rows}, indent=2, ensure_ascii=False))
        raise typer.Exit(code)
    if not rows:
        stderr().print(_("No device attached. Plug one in over USB with USB debugging on, "
                          "or try `devdoctor run --demo`."), markup=False)
        raise typer.Exit(3)
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in (_("serial"), _("state"), _("model"), "Android", ""):  # a serial in full, however long
        table.add_column(col, min_width=max(len(r["serial"]) for r in rows) if col == _("serial") else None)
    for r in rows:
        android = _("{release} (SDK {sdk})").format(release=r["release"], sdk=r["sdk"]) if r["sdk"] else ""
        table.add_row(r["serial"], r["state"], r["model"], android, r["note"])
    stdout().print(table)
