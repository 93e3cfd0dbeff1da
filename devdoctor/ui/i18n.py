"""User-visible text goes through `_()` so that it can be translated (gettext catalogs).

The catalogs are gettext `.po` files in devdoctor/locale/<lang>/LC_MESSAGES/devdoctor.po, read
directly (no compile step, so a check written today is translated by editing one text file;
`python tools/i18n.py` adds new strings and lists the untranslated ones). Texts that must be written
before a language is chosen (a check's title) are marked with `N_()` and translated where shown.

The language: `--lang zh|en`, else $DEVDOCTOR_LANG, else `language` in devdoctor.toml, else the
system locale (Chinese for zh_*), else English. It is chosen once, before the command line is built,
so that `--help` is translated too.
"""
from __future__ import annotations

import gettext as _gettext
import locale
import os
import re
from pathlib import Path
from typing import Sequence

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"  # devdoctor/locale
DOMAIN = "devdoctor"
LANGUAGES = {"en": "English", "zh": "简体中文"}
_CATALOG_NAMES = {"zh": "zh_CN"}
_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / _CATALOG_NAMES.get(lang, lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_po(text: str) -> dict[str, list[str]]:
    """msgid -> [msgstr] or [msgstr[0], msgstr[1], ...] from .po text; fuzzy entries are left out."""
    entries: dict[str, list[str]] = {}
    cur: dict[str, str] = {}
    key = ""
    fuzzy = False

    def flush() -> None:
        nonlocal cur, fuzzy
        if "msgid" in cur and not fuzzy:
            forms = [cur[k] for k in sorted(k for k in cur if k.startswith("msgstr"))]
            entries[cur["msgid"]] = forms
        cur, fuzzy = {}, False

    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            if not line:
                flush()
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        m = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d+\])?|msgctxt)\s+(".*")$', line)
        if m:
            if m.group(1) == "msgid" and "msgid" in cur:
                flush()
            key = m.group(1)
            cur[key] = _unquote(m.group(2))
        elif line.startswith('"') and key:
            cur[key] += _unquote(line)
    flush()
    return entries


def _unquote(s: str) -> str:
    s = s[1:-1]
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(m.group(1), m.group(0)), s)


class PoTranslations(_gettext.NullTranslations):
    """A gettext translation read straight from a .po file (Chinese has one plural form)."""

    def __init__(self, entries: dict[str, list[str]]):
        super().__init__()
        self._entries = entries

    def gettext(self, message: str) -> str:
        forms = self._entries.get(message)
        return forms[0] if forms and forms[0] else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self._entries.get(singular)
        if forms and forms[0]:
            return forms[0]
        return singular if n == 1 else plural


def set_language(lang: str | None) -> None:
    """Use `lang` ("zh", "en", "zh_CN.UTF-8", ...) for every later `_()`; others fall back to English."""
    global _translation, _language
    code = normalise(lang)
    if code == "en":
        _translation, _language = _gettext.NullTranslations(), "en"
        return
    path = po_path(code)
    try:
        _translation = PoTranslations(read_po(path.read_text(encoding="utf-8")))
        _language = code
    except OSError:
        _translation, _language = _gettext.NullTranslations(), "en"


def language() -> str:
    """The language in use: "en" or "zh"."""
    return _language


def normalise(lang: str | None) -> str:
    """"zh_CN.UTF-8", "zh-Hans", "Chinese (Simplified)_China" -> "zh"; anything else -> "en"."""
    low = (lang or "").strip().lower()
    return "zh" if low.startswith(("zh", "chinese")) else "en"


def system_language(environ: dict[str, str] | None = None) -> str | None:
    """The locale's language from LANGUAGE / LC_ALL / LC_MESSAGES / LANG, else the OS (Windows)."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value.split(":")[0]
    if environ is None:
        try:
            return locale.getlocale()[0]
        except ValueError:
            return None
    return None


def flag_language(argv: Sequence[str]) -> str | None:
    """The value of `--lang X` / `--lang=X` on a command line, if any."""
    for i, a in enumerate(argv):
        if a == "--":
            break
        if a == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    return None


def choose_language(argv: Sequence[str], environ: dict[str, str] | None = None,
                    config_language: str | None = None) -> str:
    """--lang, then $DEVDOCTOR_LANG, then the site configuration, then the system locale."""
    env = os.environ if environ is None else environ
    for candidate in (flag_language(argv), env.get("DEVDOCTOR_LANG"), config_language,
                      system_language(environ)):
        if candidate:
            return normalise(candidate)
    return "en"


def choose_for_command_line(argv: Sequence[str]) -> None:
    """Set the language a command line asks for: --lang, $DEVDOCTOR_LANG, devdoctor.toml (its --config
    or the usual places), the system locale."""
    config_language = None
    if not flag_language(argv) and not os.environ.get("DEVDOCTOR_LANG"):
        from devdoctor.core.config import quiet_language

        explicit = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--config"), None)
        explicit = explicit or next((a.split("=", 1)[1] for a in argv if a.startswith("--config=")), None)
        config_language = quiet_language(Path(explicit) if explicit else None)
    set_language(choose_language(argv, config_language=config_language))


def _(message: str) -> str:
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Marks a text for the catalog without translating it yet (translated where it is shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
