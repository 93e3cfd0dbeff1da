"""Recorder: a command still unanswered when the recording is saved was a hung command."""
import threading

from devdoctor.sources.device import CommandResult
from devdoctor.sources.record import Recorder
from e2e_support import wait_until


class _Stuck:
    kind, serial = "adb", "X1"

    def __init__(self):
        self.release = threading.Event()

    def shell(self, cmd, timeout=8.0):
        if cmd == "hangs":
            self.release.wait(5)
        return CommandResult(cmd, "ok\n")

    def close(self):
        pass


def test_a_command_still_waiting_at_save_is_recorded_as_a_timeout():
    inner = _Stuck()
    rec = Recorder(inner)
    rec.shell("fast")
    t = threading.Thread(target=rec.shell, args=("hangs",))
    t.start()
    try:
        wait_until(lambda: rec._pending, 5, "the command to be sent")
        outcomes = {e.command: e.outcome for e in rec.fixture().entries}
    finally:
        inner.release.set()
        t.join()
    assert outcomes == {"fast": "ok", "hangs": "timeout"}
    assert {e.command: e.outcome for e in rec.fixture().entries} == {"fast": "ok", "hangs": "ok"}
