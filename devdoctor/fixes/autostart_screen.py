"""`devdoctor fix --open-autostart`: open the ROM's autostart settings on the device's screen, for the
technician to switch WMPF on by hand where adb cannot (settings activities: shared/wmpf-domain.md §6)."""
from __future__ import annotations

from devdoctor.fixes.base import Fix, Plan, Step, Verdict
from devdoctor.fixes.clear_cache import am_start_started
from devdoctor.fixes.session import Session
from devdoctor.ui.i18n import _

# (ROM, property that tells it, component of its autostart screen), first match wins.
SCREENS = (
    ("MIUI/HyperOS", "ro.miui.ui.version.name",
     "com.miui.securitycenter/com.miui.permcenter.autostart.AutoStartManagementActivity"),
    ("EMUI/HarmonyOS", "ro.build.version.emui",
     "com.huawei.systemmanager/com.huawei.systemmanager.startupmgr.ui.StartupNormalAppListActivity"),
    ("ColorOS", "ro.build.version.opporom",
     "com.coloros.safecenter/com.coloros.safecenter.permission.startup.StartupAppListActivity"),
    ("Funtouch/OriginOS", "ro.vivo.os.version",
     "com.vivo.permissionmanager/com.vivo.permissionmanager.activity.BgStartUpManagerActivity"),
)


class OpenAutostart(Fix):
    id = "open-autostart"
    title = "Open the ROM's autostart settings"
    description = "Opens the ROM's autostart screen on the device, to allow WMPF there by hand (adb cannot)."
    targets = frozenset(c.split("/")[0] for _rom, _prop, c in SCREENS)
    not_packages = frozenset(prop for _rom, prop, _c in SCREENS)  # properties it reads

    def plan(self, session: Session) -> Plan:
        for rom, prop, component in SCREENS:
            if session.read(["getprop", prop]).stdout.strip():
                return Plan(steps=[Step(("am", "start", "-n", component),
                                        _("open {rom}'s autostart screen on the device").format(rom=rom),
                                        judge=am_start_started)],
                            afterwards=[_("On the device: find WMPF (and the maker's app) in the list and switch "
                                          "autostart on; then run `devdoctor run` again.")], facts={"rom": rom})
        return Plan(nothing_to_do=_("this ROM has no known autostart screen (AOSP-like boards have none): "
                                    "`devdoctor fix --allow-background` is what applies here"))

    def verify(self, session: Session, plan: Plan) -> list[Verdict]:
        return [Verdict(_("autostart screen opened"), None,
                        _("look at the device's screen: devdoctor cannot read the switch back"))]
