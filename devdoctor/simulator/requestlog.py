"""Every request a simulated device receives, a line each, so a test (or a trainer) can see exactly
what devdoctor sent and what it did not: one JSON object a line in a `.jsonl`/`.json` file, else (and
on the terminal with -v) plain words a person reads, `time serial event key=value ... command`."""
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
        self._json = path is not None and Path(path).suffix.lower() in (".jsonl", ".json")
        self._echo = echo
        self._lock = threading.Lock()

    def write(self, device: "SimulatedDevice", event: str, **fields: Any) -> None:
        if self._file is None and self._echo is None:
            return
        now = time.time()
        doc = json.dumps({"time": round(now, 3), "device": device.serial, "event": event, **fields},
                         ensure_ascii=False)
        command = fields.pop("command", None)
        words = " ".join([time.strftime("%H:%M:%S", time.localtime(now)) + f".{int(now * 1000) % 1000:03d}",
                          device.serial, event, *(f"{k}={v}" for k, v in fields.items()),
                          *([command] if command is not None else [])])
        with self._lock:
            if self._file is not None:
                self._file.write((doc if self._json else words) + "\n")
                self._file.flush()
            if self._echo is not None:
                self._echo.write(words + "\n")
                self._echo.flush()

    def request(self, device: "SimulatedDevice", service: str, command: str | None = None,
                refused: bool = False, interactive: bool = False) -> None:
        fields: dict[str, Any] = {"service": service}
        if command is not None:
            fields["command"] = command
        if refused:
            fields["refused"] = True
        if interactive:
            fields["interactive"] = True
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
