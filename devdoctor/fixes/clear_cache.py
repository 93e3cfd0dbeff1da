"""`devdoctor fix --clear-cache`: clear WMPF's app data, so that it registers afresh.

FAQ 4.11: WMPF caches what it registered the first time; after a wrong SN (or a `DEVICE_CHANGED`
error: appId/productId/keyVersion/deviceId differ from the last activation) the cure is to clear
WMPF's data and activate again. The adb equivalent of "清除 WMPF Service Apk 的应用数据" is
`pm clear com.tencent.wmpf` (shared/wmpf-domain.md §4).

Output formats (AOSP): `pm clear` prints `Success` on stdout, or `Failed` on stderr with exit status 1
(Pm.runClear up to 7.1, PackageManagerShellCommand.runClear from 8.0; adbkit and other adb clients
match exactly these two lines). `am start -n` prints `Starting: Intent { cmp=... }` and, when it
cannot, `Error type N` / `Error: ...` lines (ActivityManagerShellCommand / Am.java).
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from devdoctor.sources.device import CommandResult, FileUnreadable
from devdoctor.fixes.base import WMPF, Fix, Plan, Step, Verdict, output_lines, package_listed
from devdoctor.fixes.session import Session
from devdoctor.ui.i18n import _
from devdoctor.result import CheckResult, Status

EXTERNAL_DATA = f"/sdcard/Android/data/{WMPF}"  # getExternalFilesDir: logs, mini-program storage
OLD_XLOG = "/sdcard/wmpf/xlog"  # older WMPF builds (not wiped by pm clear, saved all the same)
# The activity wmpf-cli starts to wake WMPF (decompiled wmpf-cli 2.2.0, shared/wmpf-domain.md §2).
WAKE_ACTIVITY = f"{WMPF}/com.tencent.wmpf.wakeup.WMPFWakeUpInvokeActivity"
MAX_BACKUP_FILES = 5000
MAX_BACKUP_BYTES = 1024 * 1024 * 1024


def installed(r: CommandResult) -> str | None:
    """`pm list packages FILTER` lists every package containing FILTER: look for the exact line."""
    if package_listed(r, WMPF):
        return None
    return _("WMPF (com.tencent.wmpf) is not installed")


def pm_clear_said_success(r: CommandResult) -> str | None:
    lines = output_lines(r)
    if "Success" in lines:
        return None
    if "Failed" in lines:
        return _("pm clear answered `Failed` (the package manager could not clear the data)")
    return _("pm clear did not answer `Success`: {answer}").format(answer=" / ".join(lines[:3]) or _("nothing"))


def am_start_started(r: CommandResult) -> str | None:
    bad = [ln for ln in output_lines(r) if ln.startswith(("Error", "Security exception", "java.lang.",
                                                          "Exception"))]
    if bad:
        return " ".join(bad[:2])
    if not any(ln.startswith("Starting:") for ln in output_lines(r)):
        return _("am start did not say `Starting:`")
    return None


def start_step() -> Step:
    return Step(("am", "start", "-n", WAKE_ACTIVITY), _("start WMPF again (its wake-up screen, as wmpf-cli does)"),
                judge=am_start_started, required=False)


def pids(r: CommandResult) -> list[int]:
    """`pidof NAME`: the pids on one line, nothing (exit 1) when none; any other line is no pid."""
    # isascii: str.isdigit() also accepts digits int() refuses, such as '¹'
    return [int(w) for ln in r.lines if ln.split() and all(w.isascii() and w.isdigit() for w in ln.split())
            for w in ln.split()]


def wmpf_running(session: Session) -> Verdict:
    """Whether WMPF runs now. When the fix re-ran wmpf-alive, its reading is the answer, so that the
    before/after and this line show the same pid; else `pidof`."""
    alive = session.outcome.after_result("wmpf-alive") if session.outcome else None
    if alive is not None:
        pid = alive.details.get("pid")
        ok = True if pid else False if alive.status in (Status.FAIL, Status.WARN) else None
        return Verdict(_("WMPF is running"), ok, _("pid {pid}").format(pid=pid) if pid else alive.summary,
                       alive.evidence[0].command if alive.evidence else "")
    r = session.read(["pidof", WMPF])
    found = pids(r)
    if "not found" in r.output:  # no pidof here (mksh: `pidof: inaccessible or not found`)
        return Verdict(_("WMPF is running"), None, r.output.strip(), r.command)
    if found:
        return Verdict(_("WMPF is running"), True, _("pid {pid}").format(pid=found[0]), r.command)
    return Verdict(_("WMPF is running"), False,
                   _("no com.tencent.wmpf process: start the maker's app (it wakes WMPF), or reboot the device"),
                   r.command)


def safe_name(serial: str) -> str:
    """A serial as a folder name on any laptop (`127.0.0.1:5555` has a colon Windows refuses)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", serial) or "device"


def backup_folder(root: Path, serial: str) -> Path:
    return root / f"{safe_name(serial)}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"


class ClearCache(Fix):
    id = "clear-cache"
    title = "Clear WMPF's cached registration"
    description = ("Clears WMPF's app data (pm clear com.tencent.wmpf) so that it activates afresh: the cure for a "
                   "device first activated with a wrong SN, or DEVICE_CHANGED (FAQ 4.11).")
    targets = frozenset({WMPF})
    # What it is for: DEVICE_CHANGED and other activation errors, which wmpf-log finds in the log.
    repairs = ("wmpf-log",)
    settle = 2.0  # seconds between starting WMPF and looking for its process

    def plan(self, session: Session) -> Plan:
        r = session.read(["pm", "list", "packages", WMPF])
        if installed(r) is not None:
            return Plan(nothing_to_do=_("WMPF (com.tencent.wmpf) is not installed: there is nothing to clear"))
        plan = Plan()
        if session.backup:
            plan.pulls, plan.facts["unreadable"] = self._log_files(session)
        plan.steps = [
            Step(("pm", "list", "packages", WMPF), _("make sure the device is still there, right before clearing"),
                 changes=False, judge=installed),
            Step(("pm", "clear", WMPF), _("clear WMPF's app data (its cached activation and registration)"),
                 judge=pm_clear_said_success),
            start_step(),
        ]
        plan.loses = [
            _("WMPF's activation on this device: the maker's app must activate it again (it needs the network)"),
            _("the VoIP device registration: register again with the same appId, modelId and SN "
              "(until then calls fail with `cert fail`)"),
            _("the WeChat login on the device: the user must log in again"),
            _("WMPF's files on shared storage ({path}): logs and mini-program storage").format(path=EXTERNAL_DATA),
        ]
        plan.afterwards = [
            _("Start the maker's app so that it activates WMPF again, then register the VoIP device again with "
              "the same appId, modelId and SN (FAQ 4.11)."),
            _("Run `devdoctor run` once the app has activated: old activation errors stay in the device log "
              "until it rotates."),
        ]
        if not session.backup:
            plan.notes.append(_("--no-backup: WMPF's logs are NOT saved before the clear."))
        elif plan.facts["unreadable"]:
            plan.notes.append(_("WMPF's logs cannot all be read ({why}): the fix will stop before clearing; "
                                "--no-backup clears without saving them.").format(why=plan.facts["unreadable"][0]))
        elif not plan.pulls:
            plan.notes.append(_("WMPF has no log files on shared storage: nothing to save."))
        return plan

    def _log_files(self, session: Session) -> tuple[list[str], list[str]]:
        """The files to save, and what could not be listed (`find: PATH: Permission denied`)."""
        r = session.read(["find", EXTERNAL_DATA, OLD_XLOG, "-type", "f"], timeout=30.0)
        # Missing folders print `find: PATH: No such file or directory` (stderr; stdout on old shells).
        files = [ln.strip() for ln in r.lines if ln.startswith("/")]
        unreadable = [ln for ln in output_lines(r) if "Permission denied" in ln]
        if len(files) > MAX_BACKUP_FILES:
            unreadable.append(_("{n} files, more than the {limit} devdoctor saves").format(
                n=len(files), limit=MAX_BACKUP_FILES))
        return files[:MAX_BACKUP_FILES], unreadable

    def apply(self, session: Session, plan: Plan) -> bool:
        preflight, clear, start = plan.steps
        if plan.facts.get("unreadable"):
            session.outcome.not_backed_up.extend(plan.facts["unreadable"])
            session.outcome.message = _("WMPF's logs could not all be listed, so nothing was cleared; clear "
                                        "anyway with --no-backup")
            return False
        if plan.pulls and not self._backup(session, plan):
            return False
        if not session.run_step(preflight) or not session.run_step(clear):
            return False
        plan.facts["data_after"] = self._data_after(session)  # before WMPF starts and writes again
        session.run_step(start)
        return True

    def _backup(self, session: Session, plan: Plan) -> bool:
        out = session.outcome
        folder = backup_folder(session.backup_root, session.serial)
        out.backup_dir = folder
        total = 0
        for path in plan.pulls:
            try:
                data = session.pull(path)
            except FileUnreadable as e:
                out.not_backed_up.append(f"{path}: {e}")
                continue
            total += len(data)
            if total > MAX_BACKUP_BYTES:
                out.not_backed_up.append(_("{path}: over the {mb} MB backup limit").format(
                    path=path, mb=MAX_BACKUP_BYTES // (1024 * 1024)))
                continue
            local = folder / path.lstrip("/")
            local.parent.mkdir(parents=True, exist_ok=True)
            local.write_bytes(data)
            out.backed_up.append(path)
        if out.not_backed_up:
            out.message = _("{n} of WMPF's files could not be saved, so nothing was cleared; see above, or clear "
                            "anyway with --no-backup").format(n=len(out.not_backed_up))
            return False
        return True

    def _data_after(self, session: Session) -> Verdict:
        r = session.read(["ls", EXTERNAL_DATA])
        entries = [ln.strip() for ln in r.lines if ln.strip()]
        if "No such file" in r.output or not entries:
            return Verdict(_("WMPF's data is empty"), True, _("{path} is gone").format(path=EXTERNAL_DATA), r.command)
        if "Permission denied" in r.output:
            return Verdict(_("WMPF's data is empty"), None, r.output.strip(), r.command)
        return Verdict(_("WMPF's data is empty"), False, _("{path} still holds: {entries}").format(
            path=EXTERNAL_DATA, entries=", ".join(entries[:5])), r.command)

    def verify(self, session: Session, plan: Plan) -> list[Verdict]:
        cleared = next((r for r in session.records if r.command == plan.steps[1].command), None)
        verdicts = [Verdict(_("pm clear reported success"), cleared is not None and cleared.state == "done",
                            " ".join(cleared.output[:2]) if cleared else "", plan.steps[1].command)]
        if "data_after" in plan.facts:
            verdicts.append(plan.facts["data_after"])
        verdicts.append(wmpf_running(session))
        return verdicts

    def pending(self, before: CheckResult, after: CheckResult) -> str | None:
        """The log still holds the errors it held before, and no more of them: they were written before
        the clear, and whether they come back shows only when the maker's app activates WMPF again."""
        if after.id != "wmpf-log":
            return None
        was, now = before.details.get("signatures"), after.details.get("signatures")
        if not isinstance(was, dict) or not isinstance(now, dict) or not now:
            return None
        if any(n > was.get(sig, 0) for sig, n in now.items()):
            return None  # a new error since the fix: it is not the old record
        return _("WMPF's log still holds the {n} error line(s) written before the clear (a log keeps them until it "
                 "rotates); whether the error is gone shows once the maker's app has activated WMPF again: run "
                 "`devdoctor run` then").format(n=sum(now.values()))
