"""`devdoctor fix --start-wmpf`: start WMPF when it is installed but not running."""
from __future__ import annotations

from dataclasses import replace

from devdoctor.fixes.base import WMPF, Fix, Plan, Verdict
from devdoctor.fixes.clear_cache import installed, pids, start_step, wmpf_running
from devdoctor.fixes.session import Session
from devdoctor.ui.i18n import _


class StartWmpf(Fix):
    id = "start-wmpf"
    title = "Start WMPF"
    description = "Starts WMPF (its wake-up activity, as wmpf-cli does) when it is installed but not running."
    targets = frozenset({WMPF})
    repairs = ("wmpf-alive",)
    settle = 2.0

    def plan(self, session: Session) -> Plan:
        if installed(session.read(["pm", "list", "packages", WMPF])) is not None:
            return Plan(nothing_to_do=_("WMPF (com.tencent.wmpf) is not installed: install it first "
                                        "(devdoctor run says how)"))
        running = pids(session.read(["pidof", WMPF]))
        if running:
            return Plan(nothing_to_do=_("WMPF is already running (pid {pid})").format(pid=running[0]))
        step = replace(start_step(), required=True)  # here starting is the whole fix
        return Plan(steps=[step], afterwards=[
            _("If WMPF stops again soon, the maker's app is not keeping it alive: start that app, and see "
              "`devdoctor fix --allow-background`.")])

    def verify(self, session: Session, plan: Plan) -> list[Verdict]:
        return [wmpf_running(session)]
