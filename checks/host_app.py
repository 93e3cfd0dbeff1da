"""host-app: find the maker's app that embeds wmpf-cli, report its version, and on Android 11+ check
that a targetSdk >= 30 app can see WMPF (package visibility, FAQ 4.6)."""
from __future__ import annotations

from devdoctor.check import Check, Context
from devdoctor.ui.i18n import _
from devdoctor.readings.catalog import PROVIDERS, QUERIES
from devdoctor.result import CheckResult, Remedy
from devdoctor.wmpf.shared import (HOST_PROVIDER, PROVIDERS_COMMAND, WMPF_PACKAGE, WMPF_PROVIDER, WMPF_SERVICE, HostApp,
                                   search_host_app)


VISIBILITY_SDK = 30  # Android 11: package visibility filtering for apps that target 30+
QUERY_ALL = "android.permission.QUERY_ALL_PACKAGES"


def _label(host: HostApp) -> str:
    return _("{package} {version} (versionCode {code}, targetSdk {target})").format(
        package=host.package, version=host.versionName or "?",
        code=host.versionCode if host.versionCode is not None else "?",
        target=host.targetSdk if host.targetSdk is not None else "?")


def _how(how: str) -> str:
    return {"provider": _("owns {a}").format(a=HOST_PROVIDER), "bound": _("is bound to {s}").format(s=WMPF_SERVICE),
            "flag": _("named with --host-package")}.get(how, how)


class HostAppCheck(Check):
    id = "host-app"
    title = "Host app (wmpf-cli)"
    description = ("Finds the maker's app that embeds wmpf-cli (provider owner, app bound to WMPF, or "
                   "--host-package), reports its version, and checks on Android 11+ that it can see WMPF.")
    looks_at = "dumpsys package providers; dumpsys activity services com.tencent.wmpf; dumpsys package HOST; " \
               "pm path HOST; dumpsys package queries (Android 11+)"
    requires = ("wmpf-installed",)
    order = 30
    reads = (PROVIDERS,)

    def run(self, ctx: Context) -> CheckResult:
        search = search_host_app(ctx)
        if search.flag_missing:
            return CheckResult.fail(
                _("the host app named with --host-package, {package}, is not installed").format(
                    package=search.flag_missing), evidence=search.evidence, details={"package": search.flag_missing},
                remedy=Remedy(_("Check the package name (the list of installed apps below), or install the "
                                "maker's app."), commands=["adb shell pm list packages -3"]))
        host = search.host
        if host is None:
            if len(search.unreadable) == 2 and not ctx.settings.host_package:
                return CheckResult.unknown(
                    _("could not look for the host app: no answer to {commands}").format(
                        commands=" / ".join(search.unreadable)), evidence=search.evidence)
            ev = list(search.evidence)
            if PROVIDERS_COMMAND not in search.unreadable:
                ev.append(ctx.read(PROVIDERS).evidence([], _("no `[{a}]` entry").format(a=HOST_PROVIDER)))
            return CheckResult.warn(
                _("no host app found: no package owns {authority} and no app is bound to WMPF's service")
                .format(authority=HOST_PROVIDER), evidence=ev,
                remedy=Remedy(_("Start the maker's app so that it binds to WMPF, or name it: "
                                "devdoctor run --host-package PKG (find PKG among the installed apps)."),
                              commands=["adb shell pm list packages -3", "devdoctor run --host-package PKG"]))
        details = host.details()
        ev = list(host.evidence)
        how = _how(host.how)
        sdk = ctx.facts.props().sdk
        if sdk is not None and sdk >= VISIBILITY_SDK and (host.targetSdk or 0) >= VISIBILITY_SDK:
            if QUERY_ALL in host.requested_permissions:
                details["sees_wmpf"] = True
                return CheckResult.passed(_("host app {label} {how}; it may see every package "
                                            "(QUERY_ALL_PACKAGES)").format(label=_label(host), how=how),
                                          evidence=ev, details=details)
            queries = ctx.read(QUERIES)
            vis = queries.value
            if not vis.found:
                details["sees_wmpf"] = None
                return CheckResult.warn(
                    _("host app {label} {how}, but whether it can see WMPF could not be read "
                      "(no `Queries:` section in dumpsys package queries)").format(label=_label(host), how=how),
                    evidence=ev + [queries.evidence()], details=details, remedy=Remedy(
                        _("Make sure the host app's manifest declares <queries> with <package "
                          "android:name=\"com.tencent.wmpf\"/> and <provider android:authorities=\"{a}\"/>.")
                        .format(a=WMPF_PROVIDER), faq="4.6"))
            details["sees_wmpf"] = vis.can_see(host.package, WMPF_PACKAGE)
            if not details["sees_wmpf"]:
                lines = [f"{host.package} sees: {', '.join(sorted(vis.sees.get(host.package, ()))) or '(nothing)'}"]
                if WMPF_PACKAGE in vis.interacted.get(host.package, set()):
                    lines.append(_("(it sees WMPF now only because they interacted; that is gone after a reboot)"))
                return CheckResult.fail(
                    _("host app {label} targets Android 11+ but cannot see WMPF: calls fail with "
                      "\"Failed to find provider info for {a}\"").format(label=_label(host), a=WMPF_PROVIDER),
                    evidence=ev + [queries.evidence(lines, _("package visibility (AppsFilter)"))], details=details,
                    remedy=Remedy(_("Add to the host app's AndroidManifest.xml: <queries><package "
                                    "android:name=\"com.tencent.wmpf\"/><provider android:authorities=\"{a}\"/>"
                                    "</queries> (wmpf-cli 2.2.0 merges it for you), rebuild and reinstall.")
                                  .format(a=WMPF_PROVIDER), faq="4.6"))
            ev.append(queries.evidence(vis.lines.get(host.package, [])[:5], _("package visibility (AppsFilter)")))
        return CheckResult.passed(_("host app {label} {how}").format(label=_label(host), how=how),
                                  evidence=ev, details=details)
