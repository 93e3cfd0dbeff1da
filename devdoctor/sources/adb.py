"""A live device over adb. The only module that imports adbutils.

adbutils fails quietly in several ways (see ../shared/adb-notes.md): a dropped device gives empty
output, reads without a timeout wait ten minutes, the per-read socket timeout never bounds a command
that trickles output. So shell commands go through our own reader (devdoctor.sources.adb_streams), each
with a total deadline, and every failure is turned into one of the errors in `devdoctor.sources.device`.
"""
from __future__ import annotations

import os
import socket
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Iterator, Sequence

from devdoctor.sources import adb_host, batch
from devdoctor.sources.adb_streams import ServerUnreachable, ShellStreams, StreamClosed, StreamTimeout
from devdoctor.sources.device import (DEFAULT_COMMAND_TIMEOUT, AdbUnavailable, CommandResult, CommandTimeout,
                                      DeviceError, DeviceGone, DeviceOffline, DeviceUnauthorized, FileUnreadable,
                                      NoDevice, SeveralDevices, command_line, not_recorded)
from devdoctor.ui.i18n import _
from devdoctor.core.lazy import defer_import
from devdoctor.parsers.numbers import to_int

_EXIT_MARKER = b"X4EXIT:"
PULL_REFUSED_PAST = 512 * 1024 * 1024  # bytes: no APK is that big, and memory is not endless


@dataclass
class AttachedDevice:
    serial: str
    state: str  # device / unauthorized / offline / ...
    model: str = ""
    product: str = ""
    problem: str = ""  # why it cannot be used, when that is not its state alone (an adb server not reached)


def _adbutils():
    # Imported late: `devdoctor --help` and replays never pay for it. adbutils imports `requests` for
    # APK installs from a URL, which devdoctor never does: loading it (with urllib3 and
    # charset_normalizer) would cost about 60 ms of every run.
    defer_import("requests")
    import adbutils
    from adbutils import errors

    return adbutils, errors


def unauthorized_message(serial: str) -> str:
    return _("device {serial} is unauthorized: unlock its screen and accept the "
             "\"Allow USB debugging?\" prompt (tick \"Always allow from this computer\"), then run again").format(
        serial=serial)


class AdbServer:
    """The adb server on the laptop (or at --adb-host/--adb-port), like adb itself honours
    ANDROID_ADB_SERVER_HOST / ANDROID_ADB_SERVER_PORT."""

    def __init__(self, host: str | None = None, port: int | None = None):
        self.host = host or os.environ.get("ANDROID_ADB_SERVER_HOST") or "127.0.0.1"
        port = port or os.environ.get("ANDROID_ADB_SERVER_PORT") or 5037
        self.port = int(port)
        # adbutils starts a missing server with a bare `adb start-server`, which only reads the
        # environment: make the environment agree with the port we were given.
        os.environ["ANDROID_ADB_SERVER_PORT"] = str(self.port)
        self._adbutils_client = None
        self._streams = ShellStreams(self.host, self.port)  # shared by every device of this server

    @property
    def _client(self):
        """adbutils' client, for what is rare (starting a server, connect, track): made on first use."""
        if self._adbutils_client is None:
            adbutils, _errors = _adbutils()
            self._adbutils_client = adbutils.AdbClient(host=self.host, port=self.port, socket_timeout=10)
        return self._adbutils_client

    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def list(self) -> list[AttachedDevice]:
        try:  # the usual case, a running server: without loading adbutils (devdoctor.sources.adb_host)
            return [AttachedDevice(r.serial, r.state, r.tags.get("model", ""), r.tags.get("product", ""))
                    for r in adb_host.devices(self.host, self.port)]
        except (OSError, EOFError, adb_host.HostRefused):
            pass  # no server here yet: adbutils starts one (`adb start-server`) and says what went wrong
        _adb, errors = _adbutils()
        try:
            infos = self._client.list(extended=True)
        except (errors.AdbError, OSError, EOFError) as e:
            raise AdbUnavailable(self._unreachable(e)) from e
        except Exception as e:  # subprocess.TimeoutExpired from the server auto-start, ...
            raise AdbUnavailable(self._unreachable(e)) from e
        return [AttachedDevice(i.serial, i.state, i.tags.get("model", ""), i.tags.get("product", ""))
                for i in infos]

    def connect(self, address: str, timeout: float = 15.0) -> str:
        """`adb connect ADDRESS`; the server's own words ("connected to ...", "failed to ..."),
        since adb reports a failure there as text, not as an error."""
        _, errors = _adbutils()
        try:
            return str(self._client.connect(address, timeout=timeout))
        except Exception as e:  # the server unreachable, or its auto-start failing
            raise AdbUnavailable(self._unreachable(e)) from e

    def _unreachable(self, e: Exception) -> str:
        text = str(e)
        if "No adb exe" in text or isinstance(e, FileNotFoundError):
            return _("adb is not installed: install Android platform-tools (Debian/Ubuntu: "
                     "`sudo apt install adb`, macOS: `brew install android-platform-tools`, "
                     "Windows: `winget install Google.PlatformTools`) or set ADBUTILS_ADB_PATH")
        return _("cannot reach the adb server at {where} ({error}); "
                 "is adb installed and the host/port right? (--adb-host/--adb-port, "
                 "ANDROID_ADB_SERVER_HOST/ANDROID_ADB_SERVER_PORT)").format(where=self.where(),
                                                                          error=text or type(e).__name__)

    def track(self, quiet: float = 0.5) -> Iterator[list[AttachedDevice] | None]:
        """adb's own device tracking (`host:track-devices`, no polling): the attached devices each time
        the list changes (first at once), and None after each `quiet` seconds without change, so the
        caller can stop (Ctrl-C does not interrupt a blocking read on Windows)."""
        _adb, errors = _adbutils()
        try:
            c = self._client.make_connection(timeout=10)
            c.send_command("host:track-devices")
            c.check_okay()
        except Exception as e:
            raise AdbUnavailable(self._unreachable(e)) from e
        c.conn.settimeout(quiet)
        buf = b""
        try:
            while True:
                try:
                    chunk = c.conn.recv(65536)
                except socket.timeout:
                    yield None
                    continue
                except OSError as e:
                    raise AdbUnavailable(_("lost the adb server{during}: {error}").format(during="", error=e)) from e
                if not chunk:
                    raise AdbUnavailable(_("lost the adb server{during}: {error}").format(
                        during="", error=_("it closed the connection")))
                buf += chunk
                while len(buf) >= 4 and len(buf) >= 4 + int(buf[:4], 16):
                    n = int(buf[:4], 16)
                    body, buf = buf[4:4 + n].decode("utf-8", "replace"), buf[4 + n:]
                    yield [AttachedDevice(*line.split("\t")[:2]) for line in body.splitlines() if "\t" in line]
        finally:
            c.close()

    def pick(self, serial: str | None = None) -> AttachedDevice:
        """The one device to talk to: the named one, $ANDROID_SERIAL, or the only one attached."""
        devices = self.list()
        serial = serial or os.environ.get("ANDROID_SERIAL") or None
        if serial:
            match = [d for d in devices if d.serial == serial]
            if not match:
                seen = ", ".join(d.serial for d in devices) or _("none")
                raise NoDevice(_("no device with serial {serial} is attached (attached: {seen})").format(
                    serial=serial, seen=seen))
            return match[0]
        if not devices:
            raise NoDevice(_("no device attached: plug in the USB cable, enable USB debugging in "
                             "Developer options, and check `adb devices`"))
        if len(devices) > 1:
            raise SeveralDevices(_("several devices are attached: choose one with --serial SERIAL, "
                                   "or diagnose them all with --all"), devices)
        return devices[0]

    def open(self, attached: AttachedDevice, command_timeout: float = DEFAULT_COMMAND_TIMEOUT) -> "AdbDevice":
        if attached.state == "unauthorized":
            raise DeviceUnauthorized(unauthorized_message(attached.serial))
        if attached.state != "device":
            raise DeviceOffline(_("device {serial} is {state}: reconnect the cable "
                                  "(or `adb reconnect offline`) and run again").format(
                serial=attached.serial, state=attached.state))
        return AdbDevice(self, attached.serial, self._streams)


class AdbDevice:
    """A device reached through the adb server."""

    kind = "adb"

    def __init__(self, server: AdbServer, serial: str, streams: ShellStreams):
        self.serial = serial
        self._server = server
        self._streams = streams
        try:
            self.features = adb_host.features(server.host, server.port, serial)
        except Exception as e:
            raise self._map(e, None) from e
        self.shell_v2 = "shell_v2" in self.features

    def shell(self, command: str | Sequence[str], timeout: float = DEFAULT_COMMAND_TIMEOUT) -> CommandResult:
        cmd = command if isinstance(command, str) else command_line(command)
        try:
            return self.shell_future(cmd, timeout).result(timeout + 5.0)  # a safety net: the streams keep time
        except FutureTimeout:
            raise CommandTimeout(cmd, timeout) from None

    def shell_future(self, command: str | Sequence[str],
                     timeout: float = DEFAULT_COMMAND_TIMEOUT) -> Future[CommandResult]:
        """Send the command now; the Future holds its CommandResult, or the DeviceError it met. No
        thread waits for it meanwhile (devdoctor.sources.adb_streams)."""
        cmd = command if isinstance(command, str) else command_line(command)
        start = time.monotonic()
        # Old devices have no shell protocol: the exit status travels in a marker line.
        service = f"shell,v2:{cmd}" if self.shell_v2 else f"shell:{cmd}; echo {_EXIT_MARKER.decode()}$?"
        result: Future[CommandResult] = Future()

        def done(answer: Future) -> None:
            try:
                out, err, code = answer.result()
                if not self.shell_v2:
                    out, code = _exit_marker(out)
            except StreamTimeout:
                result.set_exception(CommandTimeout(cmd, timeout))
                return
            except BaseException as e:
                result.set_exception(self._map(e, cmd))
                return
            answer = CommandResult(cmd, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                                   code, time.monotonic() - start, time.time(), raw_stdout=out)
            missing = not_recorded(answer)  # a simulated device whose recording lacks the command
            if missing is not None:
                result.set_exception(missing)
            else:
                result.set_result(answer)

        self._streams.submit(self.serial, service, start + timeout, self.shell_v2).add_done_callback(done)
        return result

    def shell_batch(self, commands: Sequence[str],
                    timeout: float = DEFAULT_COMMAND_TIMEOUT) -> list[CommandResult | DeviceError]:
        """Several fixed commands in one round trip (see devdoctor.sources.batch); a command a simulated device's
        recording lacks is its NotAnswerable."""
        try:
            return self.shell_batch_future(commands, timeout).result(timeout + 5.0)
        except FutureTimeout:
            raise CommandTimeout(commands[0], timeout) from None

    def shell_batch_future(self, commands: Sequence[str],
                           timeout: float = DEFAULT_COMMAND_TIMEOUT) -> Future[list[CommandResult | DeviceError]]:
        """shell_batch without a thread waiting for it: the Future holds the answers, or the error met
        (BatchUnreadable when the shell died half-way: the caller sends the commands one by one)."""
        token = batch.new_token()
        script = batch.compose(commands, token)
        result: Future[list[CommandResult | DeviceError]] = Future()

        def done(answer: Future) -> None:
            error = answer.exception()
            if isinstance(error, DeviceGone):  # name the reads, not the script that carried them
                others = f" (read with {len(commands) - 1} other commands)" if len(commands) > 1 else ""
                error = DeviceGone(str(error).replace(f"`{script}`", f"`{commands[0]}`{others}"), commands[0])
            if error is not None:
                result.set_exception(error)
                return
            try:
                result.set_result([not_recorded(r) or r for r in batch.split(answer.result(), commands, token)])
            except Exception as e:  # an unreadable batch
                result.set_exception(e)

        self.shell_future(script, timeout).add_done_callback(done)
        return result

    def pull(self, path: str, timeout: float = 30.0) -> bytes:
        try:
            return adb_host.pull(self._server.host, self._server.port, self.serial, path, timeout, PULL_REFUSED_PAST)
        except adb_host.SyncFailed as e:
            if str(e) == adb_host.NO_SUCH_FILE:
                raise FileUnreadable(_("{path}: no such file (or not readable by the shell user)").format(
                    path=path), path) from None
            raise FileUnreadable(f"{path}: {e}", path) from None
        except Exception as e:  # the server refusing the transport (device gone), the link dropped, a timeout
            raise self._map(e, f"pull {path}") from e

    def close(self) -> None:
        pass

    # -- the wire ------------------------------------------------------------------------------

    def _map(self, e: Exception, cmd: str | None) -> DeviceError:
        """An adbutils/socket failure as one of our errors."""
        if isinstance(e, DeviceError):
            e.command = e.command or cmd
            return e
        text = str(e)
        during = _(" during `{command}`").format(command=cmd) if cmd else ""
        if isinstance(e, ServerUnreachable):
            return AdbUnavailable(_("lost the adb server{during}: {error}").format(during=during, error=text), cmd)
        if "unauthorized" in text:
            return DeviceUnauthorized(unauthorized_message(self.serial), cmd)
        if isinstance(e, (EOFError, ConnectionError)) or any(
                s in text for s in ("offline", "not found", "closed", "Connection reset", "Unknown data: b''")):
            return DeviceGone(_("device {serial} disconnected{during}").format(serial=self.serial, during=during), cmd)
        if isinstance(e, (socket.timeout, TimeoutError)) or type(e).__name__ == "AdbTimeout":
            return CommandTimeout(cmd or "?", 0)
        if isinstance(e, OSError):
            return AdbUnavailable(_("lost the adb server{during}: {error}").format(during=during, error=text), cmd)
        return DeviceGone(_("device {serial} stopped answering{during}: {error}").format(
            serial=self.serial, during=during, error=text), cmd)


def _exit_marker(out: bytes) -> tuple[bytes, int | None]:
    """A shell v1 answer split into the command's output and the exit status in our marker line."""
    at = out.rfind(_EXIT_MARKER)
    if at < 0:
        raise StreamClosed(_("the device closed the stream before the command finished"))
    code = bytes(out[at + len(_EXIT_MARKER):]).strip()
    return out[:at], to_int(code.decode("ascii")) if code.isdigit() else None
