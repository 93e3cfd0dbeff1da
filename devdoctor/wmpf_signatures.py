"""Known WMPF failures as they show in the device log: what to look for, what it means, what to do.

This is data: the `wmpf-log` check walks it, the tests hold one real-format log line per entry.
Patterns are regular expressions matched against a log entry's tag and message; messages come from the
wmpf-cli AAR and the vendor docs (wmpf-domain §3) and the FAQ (shared/wmpf-faq.zh.md, sections cited).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from devdoctor.i18n import N_

CLEAR_CACHE = "--clear-cache"  # `devdoctor fix --clear-cache`: clear WMPF's data so it activates afresh


@dataclass(frozen=True)
class Signature:
    id: str
    title: str  # what was seen, in a few words
    patterns: tuple[str, ...]  # any one matches (case-sensitive regexes)
    cause: str
    remedy: str
    faq: str | None = None
    fix: str | None = None  # a devdoctor fix that repairs it
    severity: str = "fail"  # fail / warn

    def matches(self, text: str) -> bool:
        return any(re.search(p, text) for p in self.patterns)


SIGNATURES: tuple[Signature, ...] = (
    Signature(
        "ipc-fail-10001", N_("call WMPF.apk fail (10001)"),
        (r"call WMPF\.apk fail", r"reason=\(10001\b", r"errCode[=:]\s*10001\b"),
        N_("the maker's app could not reach WMPF over IPC: WMPF is not installed, not allowed to start by itself "
           "(autostart / background pop-up), or wmpf-cli and WMPF do not match"),
        N_("Make sure WMPF is installed and allowed to autostart and to open pages in the background; if the v1 API "
           "works but v2 does not, upgrade both wmpf-cli and WMPF to 2.1.0 or later."), faq="4.8"),
    Signature(
        "bridge-not-found", N_("bridge not found"),
        (r"onBridgeNotFound", r"get bridge is null", r"bridge not found"),
        N_("WMPF Service was not running when the maker's app called it, and starting it failed"),
        N_("Check that WMPF is installed, allowed to autostart, and not killed by the system; start it by hand "
           "once and try again."), faq="4.5"),
    Signature(
        "connect-timeout", N_("binding WMPF timed out"),
        (r"onConnectTimeout",),
        N_("binding to com.tencent.wmpf/.app.WMPFService did not finish within 10 s (WMPF slow to start, "
           "blocked by the ROM, or crashing on start)"),
        N_("Check that WMPF is allowed to autostart and stays alive; look for WMPF crashes in the log."),
        faq="4.5", severity="warn"),
    Signature(
        "activate-timeout-10013", N_("activation request timeout (10013)"),
        (r"reason=\(10013\b", r"errCode[=:]\s*10013\b", r"10013[^\n]{0,40}request timeout"),
        N_("ActivateDevice timed out: no network, Android older than 7.1, or face-payment apps in the way"),
        N_("Check the network, that Android is 7.1 or later, and disable face-payment apps and services on "
           "face-pay hardware."), faq="4.7"),
    Signature(
        "signature-err", N_("activation signature error (10014-10016)"),
        (r"signature err", r"reason=\(1001[456]\b"),
        N_("the activation signature does not match productId / deviceId / keyVersion or the key pair on wecooper"),
        N_("Sign again with the productId, deviceId and keyVersion passed to ActivateDevice and the key pair "
           "registered on wecooper (openssl 1.1.1 recommended); WMPF must be 1.1.5 or later."), faq="4.4"),
    Signature(
        "device-changed", N_("DEVICE_CHANGED"),
        (r"DEVICE_CHANGED",),
        N_("hostAppId / productId / keyVersion / deviceId differ from WMPF's last activation, which it keeps "
           "in its data"),
        N_("Clear WMPF's data (its cached activation), then start the maker's app so it activates again."),
        faq="4.11", fix=CLEAR_CACHE),
    Signature(
        "not-activated", N_("device not activated (10006 / 10010)"),
        (r"reason=\(100(?:06|10)\b", r"errCode[=:]\s*100(?:06|10)\b", r"inactive or expired"),
        N_("WMPF is not activated: the maker's app did not call ActivateDevice after WMPF (re)started, or its "
           "stored invokeToken belongs to an earlier activation"),
        N_("The maker's app must activate the device after every WMPF start; if it was once activated with a "
           "wrong SN, clear WMPF's data and activate again with the right one."), faq="4.11", fix=CLEAR_CACHE),
    Signature(
        "device-not-registered-10017", N_("device id not registered (10017)"),
        (r"device id not registered", r"reason=\(10017\b", r"errCode[=:]\s*10017\b"),
        N_("the deviceId (SN) used for activation is not registered for this product (wrong SN, or addDevice "
           "not called on wecooper)"),
        N_("Register the SN on wecooper or fix the SN the app sends; WMPF caches the first registration, so clear "
           "its data before activating with the corrected SN."), faq="4.11", fix=CLEAR_CACHE),
    Signature(
        "transfer-33", N_("err:TRANSFER errCode:33"),
        (r"err:TRANSFER errCode:33\b",),
        N_("a request from WMPF to WeChat's servers timed out (30 s): unstable network, a failed re-login, or "
           "the same deviceId activated on another device"),
        N_("Check the network; make sure no other device uses the same deviceId."), faq="4.9"),
    Signature(
        "provider-not-visible", N_("WMPF's provider not visible"),
        (r"Failed to find provider info for com\.tencent\.wmpf\.comm\.provider",),
        N_("the maker's app targets Android 11+ (targetSdk >= 30) but does not declare WMPF's provider in "
           "<queries>, so Android hides WMPF from it (or WMPF is not installed)"),
        N_("Add <queries><provider android:authorities=\"com.tencent.wmpf.comm.provider\"/></queries> to the "
           "maker's app manifest and rebuild it."), faq="4.6"),
    Signature(
        "cert-fail", N_("cert fail (device registration)"),
        (r"cert fail",),
        N_("registerMiniProgramDevice failed after WMPF's data was cleared: the registration no longer matches"),
        N_("Clear WMPF's data and register the mini-program device again with the same appId, modelId and SN."),
        fix=CLEAR_CACHE),
)


def find(signature_id: str) -> Signature:
    return next(s for s in SIGNATURES if s.id == signature_id)
