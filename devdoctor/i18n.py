"""User-visible text goes through `_()` so that it can be translated (gettext catalogs)."""
from __future__ import annotations

import gettext as _gettext
from pathlib import Path

_LOCALE_DIR = Path(__file__).parent / "locale"
_translation: _gettext.NullTranslations = _gettext.NullTranslations()


def set_language(lang: str | None) -> None:
    """Use `lang` ("zh", "en") for every later `_()`; unknown languages fall back to English."""
    global _translation
    if not lang or lang.startswith("en"):
        _translation = _gettext.NullTranslations()
        return
    _translation = _gettext.translation("devdoctor", _LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
