"""`devdoctor fix` while it works: each step is shown as it starts (a spinner on a terminal) and told in
a line, flushed, as it ends, so that through a pipe the lines arrive as the steps happen, not all at
the end; and the account after it says what changed in the checks the fix is for."""
from __future__ import annotations

import io

from rich.console import Console

from conftest import FIXTURES, cli
from devdoctor.fixes.clear_cache import ClearCache
from devdoctor.fixes.session import Session, checks_for
from devdoctor.fixes.view import LiveProgress
from devdoctor.sources.replay import Replayer
from devdoctor.core.plugins import load as load_checks


class Pipe(io.StringIO):
    """A stream that keeps apart what was flushed (what a reader at the other end has) from the rest."""

    def __init__(self):
        super().__init__()
        self.flushed = ""

    def isatty(self) -> bool:
        return False

    def flush(self) -> None:
        self.flushed = self.getvalue()


class Watched:
    """A recorded device that notes, at each command, what the pipe's reader has seen so far."""

    def __init__(self, inner, pipe: Pipe):
        self.inner, self.pipe, self.kind, self.serial = inner, pipe, inner.kind, inner.serial
        self.seen_before: dict[str, str] = {}

    def shell(self, command, timeout=8.0):
        self.seen_before.setdefault(command, self.pipe.flushed)
        return self.inner.shell(command, timeout)

    def pull(self, path, timeout=30.0):
        self.seen_before.setdefault(f"pull {path}", self.pipe.flushed)
        return self.inner.pull(path, timeout)


def test_through_a_pipe_each_step_is_flushed_before_the_next_one_starts(tmp_path):
    pipe = Pipe()
    console = Console(file=pipe, width=200, color_system=None, soft_wrap=True)
    dev = Watched(Replayer.from_file(FIXTURES / "fix-clear-cache-a9-panel.json"), pipe)
    s = Session(dev, ClearCache(), backup_root=tmp_path, progress=LiveProgress(console))
    s.execute(s.prepare(), checks_for(s.fix, load_checks().checks))
    start = "am start -n com.tencent.wmpf/com.tencent.wmpf.wakeup.WMPFWakeUpInvokeActivity"
    before_start = dev.seen_before[start]
    assert "[done] clear WMPF's app data (its cached activation and registration): pm clear com.tencent.wmpf → " \
           "Success" in before_start
    assert "[done] checks before the fix: wmpf-log → fail" in dev.seen_before["pm clear com.tencent.wmpf"]
    assert "crash.log → 75 bytes" in before_start  # each saved log, as it was saved
    assert start not in before_start  # the step under way is not claimed before it ends
    assert "[done] the same checks after it: wmpf-log → fail" in pipe.flushed


def test_on_a_terminal_a_step_shows_while_it_runs_and_its_line_stays():
    console = Console(file=io.StringIO(), force_terminal=True, width=120, color_system=None)
    progress = LiveProgress(console)
    progress.begin("clear WMPF's app data: pm clear com.tencent.wmpf")
    assert progress.spinner is not None  # the spinner runs while the device works
    progress.end("done", "Success")
    assert progress.spinner is None
    assert "[done] clear WMPF's app data: pm clear com.tencent.wmpf → Success" in console.file.getvalue()
    progress.end("done")  # nothing under way: nothing said
    assert console.file.getvalue().count("[done]") == 1


def test_the_account_compares_the_error_the_fix_is_for_and_does_not_claim_fixed(tmp_path):
    r = cli("fix", "--clear-cache", "--yes", "--replay", FIXTURES / "fix-clear-cache-a9-panel.json",
            "--backup-dir", tmp_path / "b", env={"DEVDOCTOR_HOME": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Before and after, the checks this fix repairs:" in out
    block = out.split("Before and after, the checks this fix repairs:")[1]
    assert "Known WMPF errors in the log (wmpf-log)" in block
    assert "before: [✗] WMPF errors in the log: DEVICE_CHANGED ×1" in block
    assert "after:  [✗] WMPF errors in the log: DEVICE_CHANGED ×1" in block
    assert "Fixed and verified" not in out and "Done, and verified as far as it can be now" in out
    assert "WMPF Service installed" not in block and "WMPF running" not in block  # checks it is not for
    # the steps were told as they ran, in order, before the account
    steps = [out.index(f"[done] {what}") for what in ("checks before the fix", "save ", "clear WMPF's app data",
                                                       "start WMPF again", "the same checks after it")]
    assert steps == sorted(steps) and steps[-1] < out.index("Read back after the fix:")


def test_done_is_never_called_verified_when_the_check_it_is_for_could_not_tell():
    from devdoctor.fixes.base import Plan, Verdict
    from devdoctor.fixes.session import FIXED, NO_VERDICT, Comparison, FixOutcome
    from devdoctor.fixes.view import print_outcome
    from devdoctor.result import CheckResult

    log = CheckResult.unknown("the log is switched off", id="wmpf-log", title="Known WMPF errors in the log")
    out = FixOutcome("clear-cache", "S1", FIXED, "applied and verified", verdicts=[Verdict("WMPF is running", True)],
                     compared=[Comparison("wmpf-log", log.title, log, log, NO_VERDICT)])
    console = Console(file=io.StringIO(), width=200, color_system=None)
    print_outcome(console, out, Plan())
    text = console.file.getvalue()
    assert "could not tell after the fix" in text and "wmpf-log could not tell after the fix whether" in text
    assert "verified." not in text
