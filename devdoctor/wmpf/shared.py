"""WMPF facts that several checks share (wmpf-domain §1, §2.1, §5), and finding the host app.

The host app is the maker's app that embeds wmpf-cli. It is found, in this order (issue 4):
the package that owns the provider authority `com.tencent.wmpf.cli.provider` (`provider`), else the
app bound to WMPF's `WMPFService` (`bound`), else the package named with --host-package (`flag`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from devdoctor.check import Context
from devdoctor.sources.device import is_package_name
from devdoctor.ui.i18n import N_, _
from devdoctor.core.lazy import lazy
from devdoctor.readings import Read, read_or_silence
from devdoctor.readings.catalog import APK_PATH, PACKAGE, PROVIDERS, SERVICES
from devdoctor.result import Evidence

if TYPE_CHECKING:
    from devdoctor.parsers.activity import ServiceDump

if TYPE_CHECKING:  # a type checker follows the module; at run time it is imported on first use
    import devdoctor.parsers.activity as activity_parser
    import devdoctor.parsers.pm_list as pm_list_parser
else:
    activity_parser = lazy("devdoctor.parsers.activity")
    pm_list_parser = lazy("devdoctor.parsers.pm_list")

WMPF_PACKAGE = "com.tencent.wmpf"
WMPF_PROCESS = "com.tencent.wmpf"  # WMPFService.WMPF_SERVICE_PROCESS_NAME in every wmpf-cli
WMPF_SERVICE = "com.tencent.wmpf/.app.WMPFService"
WMPF_SERVICE_CLASS = "com.tencent.wmpf.app.WMPFService"
WMPF_PROVIDER = "com.tencent.wmpf.comm.provider"  # exported by WMPF; the host must be able to see it
HOST_PROVIDER = "com.tencent.wmpf.cli.provider"  # declared by the host app (one owner per device)

# FAQ 4.7: face-payment apps and services that conflict with WMPF's VoIP on face-pay hardware
# (wmpf-domain §5). Data, not code: Settings.extra_payment_packages extends it per site.
PAYMENT_PACKAGES: dict[str, str] = {
    "com.tencent.wxpayface": N_("WeChat Pay face-pay app (微信刷脸)"),
    "com.tencent.wxpayface.iotservice": N_("WeChat Pay face-device IoT service"),
    "com.tencent.wxpayface.iotbase": N_("WeChat Pay face-device IoT base"),
    "zoloz.phone.android.alipay.com.dragonfly": N_("Alipay Dragonfly face-pay app (蜻蜓)"),
    "com.alipay.iot.service": N_("Alipay face-pay service (支付宝刷脸服务程序)"),
    "com.alipay.iot.master": N_("Alipay IoT authorisation app (支付宝授权程序)"),
}

PROVIDERS_COMMAND = PROVIDERS.command_for(None)
SERVICES_COMMAND = SERVICES.command_for(None, WMPF_PACKAGE)


def payment_packages(extra: list[str] | None = None) -> dict[str, str]:
    """The built-in list plus a site's additions (invalid names are left out)."""
    out = dict(PAYMENT_PACKAGES)
    for name in extra or []:
        if is_package_name(name) and name not in out:
            out[name] = N_("site-listed payment app")
    return out


def wmpf_installed(ctx: Context) -> bool | None:
    """Whether WMPF Service is installed, from the package dump the wmpf-installed check reads too (sent
    once a run); None when the dump could not be read. For checks that run before WMPF is installed and
    say what their finding means for installing it."""
    from devdoctor.sources.device import DeviceError

    try:
        return ctx.facts.package_dump(WMPF_PACKAGE).find(WMPF_PACKAGE) is not None
    except DeviceError:
        return None


def base_package(process_name: str) -> str:
    """`com.example.host:remote` -> `com.example.host`."""
    return process_name.split(":", 1)[0]


@dataclass
class HostApp:
    """The maker's app that hosts wmpf-cli, as every check that needs it gets it (search_host_app)."""

    package: str
    how: str  # provider | bound | flag
    versionName: str | None = None
    versionCode: int | None = None
    targetSdk: int | None = None
    codePath: str | None = None
    apk_paths: list[str] = field(default_factory=list)
    requested_permissions: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def details(self) -> dict[str, Any]:
        return {"package": self.package, "how": self.how, "versionName": self.versionName,
                "versionCode": self.versionCode, "targetSdk": self.targetSdk, "codePath": self.codePath,
                "apk_paths": list(self.apk_paths)}


@dataclass
class HostSearch:
    """What looking for the host app found, and what could not be read on the way."""

    host: HostApp | None = None
    flag_missing: str | None = None  # --host-package named a package that is not installed
    unreadable: list[str] = field(default_factory=list)  # commands that gave no usable answer
    evidence: list[Evidence] = field(default_factory=list)


def wmpf_services(ctx: Context) -> Read[ServiceDump]:
    return ctx.read(SERVICES, WMPF_PACKAGE)


def search_host_app(ctx: Context) -> HostSearch:
    """Where the maker's app is, looked for once per diagnosis and shared by every check that asks."""
    return ctx.facts.remember("host-app", lambda: _search(ctx))


def _search(ctx: Context) -> HostSearch:
    search = HostSearch()
    package, how = None, None
    providers = read_or_silence(ctx, PROVIDERS)
    owner = providers.value.owner(HOST_PROVIDER)
    if owner:
        package, how = owner.package, "provider"
        search.evidence.append(providers.evidence(owner.lines, _("owner of {a}").format(a=HOST_PROVIDER)))
    elif not providers.value.entries:
        search.unreadable.append(PROVIDERS_COMMAND)
        search.evidence.append(providers.evidence([ln for ln in providers.lines if ln.strip()][:2]))
    if package is None:
        svc = read_or_silence(ctx, SERVICES, WMPF_PACKAGE)
        services = svc.value
        clients = services.app_clients(WMPF_SERVICE_CLASS, exclude=(WMPF_PACKAGE,))
        if clients:
            package, how = base_package(clients[0].process), "bound"
            search.evidence.append(svc.evidence([c.line for c in clients], _("bound to {s}").format(s=WMPF_SERVICE)))
        elif services.error:
            search.unreadable.append(SERVICES_COMMAND)
            search.evidence.append(svc.evidence([ln for ln in svc.lines if ln.strip()][:2]))
        else:
            lines = [ln for s in services.find(WMPF_SERVICE_CLASS) for ln in s.lines
                     if ln.startswith(("* ServiceRecord", "app="))]
            search.evidence.append(svc.evidence(lines or (["(nothing)"] if services.nothing else []),
                                                _("no app bound to {s}").format(s=WMPF_SERVICE)))
    if package is None and ctx.settings.host_package:
        if is_package_name(ctx.settings.host_package):  # the CLI checked it too; never trust twice-removed input
            package, how = ctx.settings.host_package, "flag"
    if package is None or not is_package_name(package):
        return search
    dump = ctx.read(PACKAGE, package)
    rec = dump.value.find(package)
    if rec is None:
        if how == "flag":
            search.flag_missing = package
            search.evidence.append(dump.evidence(None, _("--host-package names no installed package")))
        return search
    host = HostApp(package, how, rec.versionName, rec.versionCode, rec.targetSdk, rec.codePath,
                   requested_permissions=list(rec.requested_permissions))
    host.apk_paths = ctx.read(APK_PATH, package).value.paths
    host.evidence = search.evidence + [dump.evidence(rec.evidence_lines())]
    search.host = host
    return search


def find_host_app(ctx: Context) -> HostApp | None:
    """The host app with its version facts, or None when it cannot be found."""
    return search_host_app(ctx).host
