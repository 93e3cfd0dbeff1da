"""The vendor's WMPF FAQ (Chinese, sections cited by remedies as faq="4.5"): each section's question, so
that a technician and a support engineer name the same thing. English texts are ours; the Chinese
catalogue gives the FAQ's own titles."""
from __future__ import annotations

import re

from devdoctor.ui.i18n import N_, _

SECTIONS: dict[str, str] = {
    "1.7": N_("With an IoT SIM card, which domains and IPs must be allowed?"),
    "2.3": N_("How to tell whether the mini program runs on the device (WMPF) or on a phone"),
    "3.1": N_("The phone gets no strong WeChat call alert (no ring, no vibration on the lock screen)"),
    "3.2": N_("getSnTicket returns 48001 (api unauthorized)"),
    "3.3": N_("wx.requestDeviceVoIP fails with invalid scope"),
    "3.5": N_("The callee sees \"page does not exist\" when answering"),
    "3.6": N_("After starting a call the plugin page stays on \"waiting for the call\""),
    "4.1": N_("WMPF does not find the right camera, or the picture is rotated"),
    "4.2": N_("The device sometimes gets no push for an incoming call"),
    "4.3": N_("Why the device asks the user to log in by scanning a WeChat QR code"),
    "4.4": N_("WMPF ActivateDevice fails with signature err 1"),
    "4.5": N_("WMPF calls back onBridgeNotFound, or says bridge not found"),
    "4.6": N_("WMPF fails with Failed to find provider info for com.tencent.wmpf.comm.provider"),
    "4.7": N_("WMPF ActivateDevice fails with 10013 request timeout"),
    "4.8": N_("WMPF v2 API fails with call WMPF.apk fail, is it installed? (errCode=10001)"),
    "4.9": N_("WMPF fails with err:TRANSFER errCode:33"),
    "4.10": N_("The mini program fails with wmpf is undefined"),
    "4.11": N_("Activation still fails after a wrong SN was corrected"),
}


def title(section: str) -> str | None:
    """The FAQ question of a section, in the current language; None for a section we do not know."""
    text = SECTIONS.get(section)
    return _(text) if text else None


def sections(faq_field: str) -> list[str]:
    """"4.5, 4.8" -> ["4.5", "4.8"]: a remedy may cite several FAQ sections."""
    return [s for s in re.split(r"[,;/\s]+", faq_field) if s]
