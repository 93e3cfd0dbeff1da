"""Safe repairs (`devdoctor fix`): each a Fix (devdoctor.fixes.base) run by a Session."""
from __future__ import annotations

from devdoctor.fixes.base import Fix


def all_fixes() -> list[Fix]:
    from devdoctor.fixes.autostart_screen import OpenAutostart
    from devdoctor.fixes.background import AllowBackground
    from devdoctor.fixes.clear_cache import ClearCache
    from devdoctor.fixes.payment_apps import DisablePaymentApps
    from devdoctor.fixes.start_wmpf import StartWmpf

    return [ClearCache(), StartWmpf(), AllowBackground(), OpenAutostart(), DisablePaymentApps()]


def by_id(fix_id: str) -> Fix | None:
    """A fix by id, option (`--clear-cache`) or Remedy.fix value."""
    key = fix_id.removeprefix("--")
    return next((f for f in all_fixes() if f.id == key), None)
