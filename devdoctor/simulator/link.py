"""The USB link between the laptop and a simulated device: its bandwidth, shared by every stream.

A real device's adb streams (shell and sync alike) share one USB link; the default, 35 MB/s, is
what adb moves over high-speed USB 2.0 in practice (the figure devdoctor's speed issue sets). Bytes
leave in the order they are sent: a piece waits until the pieces before it, on any stream of the
device, are through.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

DEFAULT_RATE_MB_S = 35.0
_MIN_SLEEP = 0.0005  # shorter waits are kept on account, not slept: a short answer costs no syscall


class Link:
    """Bandwidth of one device's link. `rate_mb_s` 0 (or None) means unlimited."""

    def __init__(self, rate_mb_s: float | None = DEFAULT_RATE_MB_S, clock: Callable[[], float] = time.monotonic):
        self.bytes_per_s = (rate_mb_s or 0.0) * 1024 * 1024
        self.clock = clock
        self._free_at = 0.0  # monotonic time at which the bytes already sent are through
        self._lock = threading.Lock()

    def delay(self, n: int) -> float:
        """Seconds the caller waits until `n` more bytes are through the link (0 when unlimited)."""
        if self.bytes_per_s <= 0 or n <= 0:
            return 0.0
        with self._lock:
            now = self.clock()
            self._free_at = max(now, self._free_at) + n / self.bytes_per_s
            wait = self._free_at - now
        return wait if wait >= _MIN_SLEEP else 0.0
