"""`devdoctor simulate`: serve recordings as devices the real adb server can `adb connect` to."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from devdoctor.cli import app
from devdoctor.commands.common import fail, replay_path, stderr
from devdoctor.commands.options import AdbHost, AdbPort
from devdoctor.ui.i18n import _


@app.command(help=_("Serve recordings as simulated devices on loopback, one port each, until Ctrl-C.\n\n"
                    "The real adb server attaches them with `adb connect 127.0.0.1:PORT`; then `adb shell`, "
                    "`devdoctor run` or `devdoctor record` reach them as they would reach a phone. Useful to show a "
                    "failing device without one, and for end-to-end tests.\n\n"
                    "Examples:\n\n"
                    "  devdoctor simulate field.json --port 6000 --connect\n\n"
                    "  devdoctor simulate healthy-a9-panel --fault unplug@#2 --log requests.jsonl"))
def simulate(
    fixtures: List[str] = typer.Argument(..., metavar="FIXTURE...",
                                         help=_("Recordings to serve (files, or names of bundled recordings).")),
    port: int = typer.Option(0, "--port", "-p", min=0, max=65535,
                             help=_("Port of the first device; the next ones take the ports after it "
                                  "(default: free ports).")),
    host: str = typer.Option("127.0.0.1", "--host", help=_("Address to listen on (loopback unless --allow-remote).")),
    allow_remote: bool = typer.Option(False, "--allow-remote",
                                      help=_("Allow listening on an address other machines can reach.")),
    speed: float = typer.Option(1.0, "--speed", min=0.0,
                                help=_("Replay the recorded command durations at this speed (1.0 as recorded, "
                                     "0 instant).")),
    latency_ms: float = typer.Option(0.0, "--latency-ms", min=0.0,
                                     help=_("Add this delay to every request, like a USB link's round trip.")),
    rate_mb_s: float = typer.Option(35.0, "--rate-mb-s", min=0.0, help=_(
        "The USB link's bandwidth in MB/s, shared by every stream of a device (0: unlimited).")),
    faults: List[str] = typer.Option([], "--fault", metavar="KIND[@COMMAND]",
                                     help=_("Add a fault to every device (repeatable): hang, unplug, slow, large, "
                                          "invalid-utf8 (at @COMMAND, @#N = the Nth command, or every command), "
                                          "unauthorized, offline (the whole device).")),
    log: Optional[Path] = typer.Option(None, "--log", dir_okay=False,
                                       help=_("Append every request the devices receive to FILE (JSON lines).")),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=_("Also print every request on stderr.")),
    connect: bool = typer.Option(False, "--connect", help=_("Also attach each device to the adb server "
                                                          "(`adb connect`).")),
    adb_host: Optional[str] = AdbHost,
    adb_port: Optional[int] = AdbPort,
) -> None:
    import sys
    import time
    from devdoctor.sources.fixture import FixtureError, load
    from devdoctor.ui.i18n import _
    from devdoctor.simulator import FaultError, RequestLog, SimulatedDevice, parse_spec
    from devdoctor.simulator.server import EMULATOR_PORTS

    try:
        extra = [parse_spec(s) for s in faults]
    except FaultError as e:
        fail(str(e), 2)
    paths = [replay_path(f, False) for f in fixtures]
    try:
        request_log = RequestLog(log, sys.stderr if verbose else None)
    except OSError as e:
        fail(_("cannot write the log {file}: {error}").format(file=log, error=e), 2)
    devices: list[SimulatedDevice] = []
    try:
        for i, path in enumerate(paths):
            try:
                devices.append(SimulatedDevice(load(path), path.name, host=host, port=port + i if port else 0,
                                               speed=speed, latency=latency_ms / 1000, faults=extra, log=request_log,
                                               allow_remote=allow_remote, rate_mb_s=rate_mb_s))
            except (FixtureError, FaultError, ValueError) as e:
                fail(str(e), 2)
            except OSError as e:
                fail(_("cannot listen on {host}:{port} for {name}: {error}").format(
                    host=host, port=port + i if port else 0, name=path.name, error=e.strerror or e), 2)
        for d in devices:
            d.start()
            typer.echo(_("{name}: {model} (Android {release}) at {serial}; attach it with: adb connect {serial}")
                       .format(name=d.name, model=d.fixture.device.get("model", "?"),
                               release=d.fixture.device.get("release", "?"), serial=d.serial))
            if d.port in EMULATOR_PORTS:
                stderr().print(_("note: the adb server probes ports 5555-5585 for emulators, so {serial} may "
                                  "also show up as emulator-{n}").format(serial=d.serial, n=d.port - 1),
                                markup=False)
            for f in d.faults:
                typer.echo("  " + _("fault: {fault}").format(fault=f.describe()))
        if connect:
            _attach(devices, adb_host, adb_port)
        typer.echo(_("Serving {n} device(s); press Ctrl-C to stop.").format(n=len(devices)))
        while True:  # sleep in short steps: Ctrl-C must get through on Windows too
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for d in devices:
            d.stop()
        request_log.close()


def _attach(devices, adb_host, adb_port) -> None:
    from devdoctor.sources.adb import AdbServer
    from devdoctor.sources.device import DeviceError

    try:
        server = AdbServer(adb_host, adb_port)
        for d in devices:
            typer.echo("  " + server.connect(d.serial))
    except DeviceError as e:
        fail(str(e), e.exit_code)
