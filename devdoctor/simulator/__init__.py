"""A simulated Android device behind the real adb server.

It speaks the device (adbd) side of the ADB protocol over TCP, answering from a devdoctor recording
(`fixtures/README.md`), so `adb connect 127.0.0.1:PORT` attaches it and devdoctor reaches it through
adbutils exactly as it reaches a phone. Faults (a hanging command, an unplugged cable, an
unauthorized or offline device, slow, huge or non-UTF-8 output) are described in `faults`.

Modules: `packets` (the wire format), `connection` (handshake and streams), `services` (shell,
shell v2, exec, sync), `answers` (what the recording says), `faults`, `requestlog`, `server`.
"""
from devdoctor.simulator.faults import Fault, FaultError, parse_spec
from devdoctor.simulator.requestlog import RequestLog
from devdoctor.simulator.server import SimulatedDevice

__all__ = ["Fault", "FaultError", "RequestLog", "SimulatedDevice", "parse_spec"]
