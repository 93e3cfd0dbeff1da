"""Every request a simulated device receives, one JSON object a line, so a test (or a trainer) can
see exactly what devdoctor sent and what it did not."""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from devdoctor.simulator.answers import Answer
    from devdoctor.simulator.server import SimulatedDevice


class RequestLog:
    def __init__(self, path: str | Path | None = None, echo: IO[str] | None = None):
        self._file = open(path, "a", encoding="utf-8") if path else None
        self._echo = echo
        self._lock = threading.Lock()

    def write(self, device: "SimulatedDevice", event: str, **fields: Any) -> None:
        if self._file is None and self._echo is None:
            return
        line = json.dumps({"time": round(time.time(), 3), "device": device.serial, "event": event, **fields},
                          ensure_ascii=False)
        with self._lock:
            for out in (self._file, self._echo):
                if out is not None:
                    out.write(line + "\n")
                    out.flush()

    def request(self, device: "SimulatedDevice", service: str, command: str | None = None,
                refused: bool = False) -> None:
        fields: dict[str, Any] = {"service": service}
        if command is not None:
            fields["command"] = command
        if refused:
            fields["refused"] = True
        self.write(device, "open", **fields)

    def answer(self, device: "SimulatedDevice", answer: "Answer") -> None:
        fields: dict[str, Any] = {"command": answer.command, "recorded": answer.recorded,
                                  "exit_code": answer.exit_code}
        if answer.fault:
            fields["fault"] = answer.fault.kind
        self.write(device, "answer", **fields)

    def sync(self, device: "SimulatedDevice", request: str, path: str) -> None:
        self.write(device, "sync", request=request, path=path)

    def close(self) -> None:
        with self._lock:
            if self._file:
                self._file.close()
                self._file = None
